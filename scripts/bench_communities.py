"""Time communities() + community_agreement() against the same work done by bare igraph calls.

Usage (from the repository root, so this checkout's lcpgraph is imported)::

    OMP_NUM_THREADS=1 python scripts/bench_communities.py /tmp/c70 /tmp/c700 [--old path/to/old_communities.py]

The folders are written by ``scripts/synth.py --scale 70`` (~10,000 records) and ``--scale 700``
(~100,000). The baseline is what the two functions must at least do: a seeded
``community_leiden`` (modularity, iterated until stable) on the cached organisation projection,
then ``compare_communities`` for the adjusted Rand index and the NMI against the official units
(their integer codes made beforehand). The projection is built first, so neither side pays for
it. Each row is the median of ``--repeat`` runs, the candidates taking turns so a busy machine
slows them alike; compare the ratios within one run.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import igraph as ig
import pandas as pd
from benchlib import alternate, load_module, print_header, print_rows

import lcpgraph as lg
from lcpgraph import views
from lcpgraph.analysis.communities import communities, community_agreement, official_units


def _baseline(p: ig.Graph, unit_codes: list[int]) -> tuple[float, float]:
    ig.set_random_number_generator(random.Random(0))
    try:
        membership = p.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1).membership
    finally:
        ig.set_random_number_generator(random)
    # "adjusted_rand" is igraph's full name for "ari" (the short form is a deprecated partial match)
    ari = ig.compare_communities(membership, unit_codes, method="adjusted_rand")
    nmi = ig.compare_communities(membership, unit_codes, method="nmi")
    return ari, nmi


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--old", help="a file with an older communities module to time alongside")
    args = ap.parse_args()
    old = load_module(args.old, "old_communities") if args.old else None
    base = "igraph leiden + compare_communities ×2"
    print_header("igraph")
    for folder in args.folders:
        G = lg.load(folder)
        p, ids = views.derived(G).projection_igraph()
        units = official_units(G).set_index("id")["unit"]
        unit_codes = pd.factorize(units.reindex(ids).fillna("-").astype(object))[0].tolist()

        def ours(G=G):
            return community_agreement(G, table=communities(G))

        runs = {
            "communities + community_agreement (this checkout)": ours,
            "igraph leiden + compare_communities ×2": lambda p=p, u=unit_codes: _baseline(p, u),
        }
        if old is not None:

            def theirs(G=G):
                return old.community_agreement(G, table=old.communities(G))

            runs["communities + community_agreement (old)"] = theirs
            if not (old.communities(G).equals(communities(G)) and theirs().equals(ours())):
                print(f"WARNING: the old and new tables differ on {folder}", file=sys.stderr)
        print_rows(G.number_of_nodes(), p, alternate(runs, args.repeat), base)


if __name__ == "__main__":
    main()
