"""Time the duplication and community analyses on a dataset and report peak memory.

Usage: python scripts/bench_dupcomm.py PATH   (a CSV folder, e.g. one written by scripts/synth.py)

Prints one line per step: seconds taken, rows returned, and the process's peak resident memory
so far (Linux ``ru_maxrss``).
"""

from __future__ import annotations

import resource
import sys
import time

import lcpgraph


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(path: str) -> None:
    t = time.perf_counter()
    G = lcpgraph.load(path)
    kinds: dict[str, int] = {}
    for _, k in G.nodes(data="kind"):
        kinds[k] = kinds.get(k, 0) + 1
    print(f"load: {time.perf_counter() - t:.1f}s, {G.number_of_nodes()} nodes {kinds}, {G.number_of_edges()} edges")
    steps = [
        ("duplicate_records", lambda: lcpgraph.duplicate_records(G)),
        ("overlapping_forums", lambda: lcpgraph.overlapping_forums(G)),
        ("meeting_burden", lambda: lcpgraph.meeting_burden(G)),
        ("duplicated_functions", lambda: lcpgraph.duplicated_functions(G)),
        ("communities (leiden)", lambda: lcpgraph.communities(G)),
        ("communities (louvain)", lambda: lcpgraph.communities(G, method="louvain")),
        ("communities (without LCP ties)", lambda: lcpgraph.communities(G, exclude_lcp_ties=True)),
    ]
    for name, step in steps:
        t = time.perf_counter()
        df = step()
        print(f"{name}: {time.perf_counter() - t:.1f}s, {len(df)} rows, peak {_peak_mb():.0f} MB")
    scores = lcpgraph.community_agreement(G)
    print(scores.to_string(index=False))


if __name__ == "__main__":
    main(sys.argv[1])
