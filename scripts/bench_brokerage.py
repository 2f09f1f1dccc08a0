"""Time brokerage() against igraph's constraint on the same organisation projection.

Usage (from the repository root, so this checkout's lcpgraph is imported)::

    OMP_NUM_THREADS=1 python scripts/bench_brokerage.py /tmp/b70 /tmp/b700 [--old path/to/old_brokerage.py]

The folders are written by ``scripts/synth.py --scale 70`` (~10,000 records) and ``--scale 700``
(~100,000). The projection is built first, so only brokerage's own work is timed. Each row is the
median of ``--repeat`` runs, the candidates taking turns so a busy machine slows them alike;
compare the ratios within one run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchlib import alternate, load_module, print_header, print_rows

import lcpgraph as lg
from lcpgraph import views
from lcpgraph.analysis.brokerage import brokerage


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--old", help="a file with an older brokerage(G) to time alongside")
    args = ap.parse_args()
    old = load_module(args.old, "old_brokerage").brokerage if args.old else None
    base = "igraph constraint + list_triangles"  # the closed triads the roles are counted from
    print_header(base)
    for folder in args.folders:
        G = lg.load(folder)
        g, _ = views.derived(G).projection_igraph()
        runs = {
            "brokerage (this checkout)": lambda G=G: brokerage(G),
            "igraph constraint": lambda g=g: g.constraint(weights="weight"),
            "igraph constraint + list_triangles": lambda g=g: (g.constraint(weights="weight"), g.list_triangles()),
            "igraph constraint + local transitivity": lambda g=g: (
                g.constraint(weights="weight"),
                g.transitivity_local_undirected(mode="zero"),
            ),
        }
        if old is not None:
            runs["brokerage (old)"] = lambda G=G: old(G)
            if not old(G).equals(brokerage(G)):
                print(f"WARNING: the old and new tables differ on {folder}", file=sys.stderr)
        print_rows(G.number_of_nodes(), g, alternate(runs, args.repeat), base)


if __name__ == "__main__":
    main()
