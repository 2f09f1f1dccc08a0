"""Time ``duplicate_records`` against rapidfuzz's own ``process.cdist`` on the same blocks.

For each scale, ``scripts/synth.py`` writes a synthetic region (scale 70 ≈ 10,000 records,
700 ≈ 100,000) into a temporary folder and ``lcpgraph.load`` reads it. Then, in this one
process and alternating so that both see the same machine load, it times

* **ours**: ``lcpgraph.duplicate_records(G, threshold)`` — everything: reading the records,
  normalising every distinct name, grouping, comparing, the rules and the table;
* **baseline**: rapidfuzz alone on the blocks ``duplicate_records`` compares inside. A block
  is the distinct normalised names (``normalise_name``) of one kind of record that have the
  same numbers and compass points (``_distinguishing``); blocks of one name are left out.
  For each block, one call ``process.cdist(block, block, scorer=Indel.distance,
  score_cutoff=c, dtype=int8, workers=w)``: the scorer ``duplicate_records`` uses, the
  distance cutoff it uses (``c = 2 * longest * (100 - threshold) // 100 + 1``, the distance
  above which no pair of the block can reach ``threshold`` %), and the workers it uses
  (``w = 1`` when the block has fewer than ``_PARALLEL_CELLS`` name pairs — starting
  rapidfuzz's threads costs more than they save — else ``LCPGRAPH_JOBS`` or all cores).
  The blocks are built before timing: the baseline is the comparisons alone, every pair of
  every block, with no count filter, no rules and no table;
* **baseline + blocks**: the same, with building the blocks (reading every name, normalising
  the distinct ones, grouping) timed too — for context, as ``duplicate_records`` has that
  work to do as well. The blocks are built with ``_normalise_names`` and
  ``_distinguishing_all``, the batch forms ``duplicate_records`` uses (the same keys as
  ``normalise_name`` and ``_distinguishing`` one by one, only faster), so that this column is
  not flattered by a slow way of building them;
* **read names**: only reading every record's kind and name out of the graph — a floor
  that no pass over the records can go below.

Each is run ``--repeats`` times (default 3), alternating, and the median is printed as a
markdown table with the ratios ours / baseline and ours / (baseline + blocks).

    OMP_NUM_THREADS=1 python scripts/bench_duplicates.py                # scales 70 and 700
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

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Indel

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # this checkout's lcpgraph, not an installed one
sys.path.insert(0, str(HERE))
import synth  # noqa: E402

import lcpgraph  # noqa: E402
from lcpgraph.analysis.duplication import (  # noqa: E402
    _PARALLEL_CELLS,
    _distinguishing_all,
    _normalise_names,
    _workers,
)


def blocks(G) -> list[list[str]]:
    """The blocks ``duplicate_records`` compares inside, with two or more names each."""
    names: dict[str, list[str]] = defaultdict(list)
    for n, data in G.nodes(data=True):
        names[str(data.get("kind"))].append(str(data.get("name", n)))
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for kind, kind_names in names.items():
        keys = sorted(set(_normalise_names(list(dict.fromkeys(kind_names)))))
        for key, sig in zip(keys, _distinguishing_all(keys), strict=True):
            out[(kind, sig)].append(key)
    return [b for b in out.values() if len(b) > 1]


def read_names(G) -> list[tuple[str, str]]:
    """Every record's kind and name: the floor, reading the records and nothing more."""
    return [(str(data.get("kind")), str(data.get("name", n))) for n, data in G.nodes(data=True)]


def rapidfuzz_alone(block_list: list[list[str]], threshold: float) -> None:
    """The baseline: ``process.cdist`` of each block with itself, called as ``duplicate_records`` calls it."""
    for b in block_list:
        cutoff = int(2 * max(map(len, b)) * (100 - threshold) // 100) + 1
        process.cdist(
            b,
            b,
            scorer=Indel.distance,
            score_cutoff=cutoff,
            dtype=np.int8 if cutoff < 127 else np.int32,
            workers=_workers() if len(b) * len(b) >= _PARALLEL_CELLS else 1,
        )


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
        ours, theirs, with_keys, floor = [], [], [], []
        for _ in range(args.repeats):
            ours.append(timed(lambda: lcpgraph.duplicate_records(G, threshold=args.threshold)))  # noqa: B023
            theirs.append(timed(lambda: rapidfuzz_alone(block_list, args.threshold)))  # noqa: B023
            with_keys.append(timed(lambda: rapidfuzz_alone(blocks(G), args.threshold)))  # noqa: B023
            floor.append(timed(lambda: read_names(G)))  # noqa: B023
        a, b, c = statistics.median(ours), statistics.median(theirs), statistics.median(with_keys)
        rows.append(
            (G.number_of_nodes(), a, b, c, statistics.median(floor), sum(len(x) for x in block_list), len(block_list))
        )
        print(f"scale {scale}: {G.number_of_nodes():,} records, ours {a:.3f} s, baseline {b:.3f} s", file=sys.stderr)
    print(f"\nduplicate_records(threshold={args.threshold:g}), median of {args.repeats}\n")
    print(
        "| records | ours s | baseline s | ours / baseline | baseline + blocks s | ours / (baseline + blocks)"
        " | read names s | blocks (names) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for records, a, b, c, f, names, n_blocks in rows:
        print(
            f"| {records:,} | {a:.3f} | {b:.3f} | {a / b:.2f} | {c:.3f} | {a / c:.2f} | {f:.3f}"
            f" | {n_blocks:,} ({names:,}) |"
        )


if __name__ == "__main__":
    main()
