"""Time ``duplicate_records`` against rapidfuzz's own ``process.cdist`` on the same blocks.

For each scale, ``scripts/synth.py`` writes a synthetic region (scale 70 ≈ 10,000 records,
700 ≈ 100,000) into a temporary folder and ``lcpgraph.load`` reads it. Then, in this one
process and alternating so that both see the same machine load, it times

* ``lcpgraph.duplicate_records(G)`` — everything: normalising the names, comparing, the rules
  and the table; and
* rapidfuzz alone on the blocks ``duplicate_records`` compares inside — the distinct
  normalised names of one kind with the same numbers and compass points — as anyone would
  call it: ``process.cdist(block, block, scorer=fuzz.ratio, score_cutoff=threshold,
  workers=-1)`` for every block of two or more names. Building the blocks is not timed; and
* the same with building the blocks (normalising every name, grouping by numbers and
  compass points) timed too: rapidfuzz with the work it needs done first,

and prints the median of ``--repeats`` runs of each as a markdown table.

    python scripts/bench_duplicates.py                 # scales 70 and 700
    python scripts/bench_duplicates.py --scales 1,70 --repeats 5

Timings vary between runs on a shared machine: compare the ratio within one run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from rapidfuzz import fuzz, process

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # this checkout's lcpgraph, not an installed one
sys.path.insert(0, str(HERE))
import synth  # noqa: E402

import lcpgraph  # noqa: E402
from lcpgraph.analysis.duplication import _distinguishing, normalise_name  # noqa: E402


def blocks(G) -> list[list[str]]:
    """The blocks ``duplicate_records`` compares inside, with two or more names each."""
    by_kind: dict[str, set[str]] = defaultdict(set)
    for n, data in G.nodes(data=True):
        by_kind[str(data.get("kind"))].add(normalise_name(str(data.get("name", n))))
    out: dict[tuple[str, frozenset[str]], list[str]] = defaultdict(list)
    for kind, keys in by_kind.items():
        for key in sorted(keys):
            out[(kind, _distinguishing(key))].append(key)
    return [b for b in out.values() if len(b) > 1]


def rapidfuzz_alone(block_list: list[list[str]], threshold: float) -> None:
    for b in block_list:
        process.cdist(b, b, scorer=fuzz.ratio, score_cutoff=threshold, workers=-1)


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="70,700", help="comma-separated synth.py scales (default 70,700)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each, median reported (default 3)")
    parser.add_argument("--threshold", type=float, default=90.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(f"lcpgraph from {Path(lcpgraph.__file__).parent}", file=sys.stderr)
    rows = []
    for scale in (int(s) for s in args.scales.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            synth.main(["--scale", str(scale), "--seed", str(args.seed), "--out", tmp])
            G = lcpgraph.load(tmp)
        block_list = blocks(G)
        ours, theirs, with_keys = [], [], []
        for _ in range(args.repeats):
            ours.append(timed(lambda: lcpgraph.duplicate_records(G, threshold=args.threshold)))  # noqa: B023
            theirs.append(timed(lambda: rapidfuzz_alone(block_list, args.threshold)))  # noqa: B023
            with_keys.append(timed(lambda: rapidfuzz_alone(blocks(G), args.threshold)))  # noqa: B023
        a, b, c = statistics.median(ours), statistics.median(theirs), statistics.median(with_keys)
        rows.append((G.number_of_nodes(), a, b, c, sum(len(x) for x in block_list), len(block_list)))
        print(
            f"scale {scale}: {G.number_of_nodes():,} records, lcpgraph {a:.2f} s, rapidfuzz {b:.2f} s", file=sys.stderr
        )
    print(f"\nduplicate_records(threshold={args.threshold:g}), median of {args.repeats}\n")
    print("| records | lcpgraph s | rapidfuzz s | ratio | rapidfuzz + keys s | ratio | blocks (names) |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for records, a, b, c, names, n_blocks in rows:
        print(f"| {records:,} | {a:.2f} | {b:.2f} | {a / b:.2f} | {c:.2f} | {a / c:.2f} | {n_blocks:,} ({names:,}) |")


if __name__ == "__main__":
    main()
