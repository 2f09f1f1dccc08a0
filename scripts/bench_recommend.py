"""Time the recommendations' slow tables: introductions and key_player_sets, against an older copy.

Usage (from the repository root, so this checkout's lcpgraph is imported)::

    git show main:lcpgraph/analysis/recommend.py > /tmp/old_recommend.py
    OMP_NUM_THREADS=1 python scripts/bench_recommend.py /tmp/r70 /tmp/r700 --old /tmp/old_recommend.py

The folders are written by ``scripts/synth.py --scale 70`` (~10,000 records) and ``--scale 700``
(~100,000). The graph's derived views are built first; every timed call starts without the
recommendations' per-graph context (so its indices are built inside the call, as in a fresh
``catalogue.run``). Each row is the median of ``--repeat`` runs, old and new taking turns so a
busy machine slows them alike; compare the ratios within one run. With ``--old`` the two tables
are also checked to be equal (values and dtypes).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchlib import alternate, load_module

import lcpgraph as lg
from lcpgraph import views
from lcpgraph.analysis import recommend


def _cold(module, name: str, G):
    """A call of ``module.name(G)`` without the module's per-graph context (built again inside)."""

    def run():
        module._CONTEXTS.pop(views.derived(G), None)
        return getattr(module, name)(G)

    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--old", help="a file with an older recommend.py to time alongside")
    ap.add_argument("--only", help="comma-separated: introductions, key_player_sets")
    args = ap.parse_args()
    old = load_module(args.old, "old_recommend") if args.old else None
    names = args.only.split(",") if args.only else ["introductions", "key_player_sets"]
    print("| records | table | version | median | × old |")
    print("|---|---|---|---|---|")
    for folder in args.folders:
        G = lg.load(folder)
        d = views.derived(G)
        d.full_igraph  # noqa: B018 (the shared views, built once, are not what is timed)
        for name in names:
            runs = {"new": _cold(recommend, name, G)}
            if old is not None:
                runs["old"] = _cold(old, name, G)
            results = {k: f() for k, f in runs.items()}  # warm the imports; check
            if old is not None:
                a, b = results["old"], results["new"]
                if not (a.equals(b) and list(a.dtypes) == list(b.dtypes)):
                    print(f"WARNING: old and new {name} differ on {folder}", file=sys.stderr)
            medians = alternate(runs, args.repeat)
            base = medians.get("old")
            for k, med in medians.items():
                ratio = f"{med / base:.2f}×" if base else "–"
                print(f"| {G.number_of_nodes():,} | {name} | {k} | {med:.3f} s | {ratio} |", flush=True)


if __name__ == "__main__":
    main()
