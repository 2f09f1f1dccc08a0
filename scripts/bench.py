"""Measure lcpgraph: every table's time and memory, each measure against igraph, the whole report.

Sizes are multiples of the bundled Leeds data made by ``scripts/synth.py`` (scale 1 ≈ Leeds;
7 ≈ 1,000 records; 70 ≈ 10,000; 700 ≈ 100,000).

    python scripts/bench.py                          # every catalogue table at scales 1, 70, 700
    python scripts/bench.py --scales 1,70 --only duplicate
    python scripts/bench.py --vs-igraph 70,700       # each measure against igraph's own call
    python scripts/bench.py --report 7,21,70,210      # the whole report, with its growth exponent
    python scripts/bench.py --startup                # --help, validate and report against the import floor
    python scripts/bench.py --sampling-error 70      # sampled vs exact betweenness at scale 70

Every figure is measured in a fresh process (time and peak memory from ``VmHWM``) or, for the
comparisons, side by side in one process, alternating, median of five, with a garbage
collection before each timed call. Timings vary between runs on a shared machine: compare ratios within one run, never across runs.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import synth  # noqa: E402
from benchlib import alternate  # noqa: E402

#: Groups of catalogue tables timed together (label, table keys).
GROUPS: list[tuple[str, list[str]]] = [
    ("summary", ["summary_counts", "partners_per_lcp"]),
    ("centrality (full)", ["centrality"]),
    ("centrality (organisations)", ["centrality_organisations"]),
    ("brokerage", ["brokerage"]),
    ("isolated + peripheral", ["isolated_partners", "peripheral_partners"]),
    ("coverage + missing sectors", ["sector_coverage", "missing_sectors"]),
    ("reporting lines + empty boards", ["unreported_lcps", "empty_boards"]),
    ("single points of failure", ["single_points_of_failure"]),
    ("critical ties", ["critical_ties"]),
    ("sector contacts + never meet", ["sector_contacts", "sectors_that_never_meet"]),
    ("place-wide reach", ["citywide_reach"]),
    ("duplicate records", ["duplicate_records"]),
    ("overlapping forums + burden + services", ["overlapping_forums", "meeting_burden", "duplicated_functions"]),
    ("communities + agreement", ["communities", "community_agreement"]),
    ("partners in no unit", ["partners_in_no_unit"]),
    ("key players (sets, cannot lose, brief first)", ["key_player_sets", "cannot_lose", "brief_first"]),
    ("introductions", ["introductions"]),
    ("unit choices", ["unit_choices"]),
    ("meet together + covered seats", ["meet_together", "covered_seats"]),
    ("every table", []),
]

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import lcpgraph as lg
from lcpgraph import catalogue, views
G = lg.load(sys.argv[1])
t1 = time.perf_counter()
keys = json.loads(sys.argv[2]) or None
catalogue.run(G, keys)
t2 = time.perf_counter()
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"load_s": t1 - t0, "run_s": t2 - t1, "peak_mb": hwm / 1024,
                  "nodes": G.number_of_nodes(), "edges": G.number_of_edges()}))
"""


def _child(code: str, args: list[str], timeout: float) -> dict:
    try:
        p = subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "PYTHONPATH": str(HERE.parent), "OMP_NUM_THREADS": "1"},
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout:.0f} s"}
    if p.returncode != 0:
        last = (p.stderr.strip().splitlines() or ["?"])[-1]
        return {"error": last[:160]}
    return json.loads(p.stdout.strip().splitlines()[-1])


def _machine() -> str:
    import igraph
    import networkx
    import pandas

    return (
        f"# {os.cpu_count()} cores, Python {platform.python_version()}, networkx {networkx.__version__}, "
        f"igraph {igraph.__version__}, pandas {pandas.__version__}"
    )


def _data(tmp: str, scale: float) -> Path:
    out = Path(tmp) / f"s{scale:g}"
    if not out.exists():
        synth.write(synth.generate(scale, 1), out)
    return out


# --------------------------------------------------------------------------------------
# every table


def tables(scales: list[float], only: str | None, timeout: float) -> None:
    groups = [(lbl, keys) for lbl, keys in GROUPS if not only or only in lbl]
    rows: dict[str, list[str]] = {}
    sizes = []
    with tempfile.TemporaryDirectory() as tmp:
        for s in scales:
            data = _data(tmp, s)
            for label, keys in groups:
                r = _child(CHILD, [str(data), json.dumps(keys)], timeout)
                cell = r.get("error") or f"{r['run_s']:.2f} s, {r['peak_mb']:.0f} MB"
                rows.setdefault(label, []).append(cell)
                print(f"scale {s:>5g}  {label:<40} {cell}", flush=True)
            r = _child(CHILD, [str(data), json.dumps(["summary_counts"])], timeout)
            rows.setdefault("load", []).append(r.get("error") or f"{r['load_s']:.2f} s, {r['peak_mb']:.0f} MB")
            sizes.append(f"{r.get('nodes', 0):,} records / {r.get('edges', 0):,} ties")
    print("\n| tables | " + " | ".join(f"{s:g}× ({z})" for s, z in zip(scales, sizes, strict=True)) + " |")
    print("|---|" + "---|" * len(scales))
    for label in ["load", *[g[0] for g in groups]]:
        print(f"| {label} | " + " | ".join(rows[label]) + " |")


# --------------------------------------------------------------------------------------
# each measure against igraph's own call, side by side


def _median_pair(ours, theirs, repeats: int = 5) -> tuple[float, float]:
    m = alternate({"ours": ours, "theirs": theirs}, repeats)
    return m["ours"], m["theirs"]


def vs_igraph(scales: list[float]) -> None:
    import lcpgraph as lg

    print(_machine())
    print("| records | step | lcpgraph | igraph | ratio |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for s in scales:
            _compare_one(lg.load(_data(tmp, s)))


def _compare_one(G) -> None:
    from lcpgraph import catalogue, views
    from lcpgraph.analysis import brokerage, centrality, communities, gaps

    n = f"{G.number_of_nodes():,}"
    t = time.perf_counter()
    d = views.derived(G)
    g, _ = d.full_igraph
    p, p_ids = d.projection_igraph()
    build = time.perf_counter() - t
    print(f"| {n} | build both igraph graphs from the ties (once per dataset) | {build:.2f} s | – | – |")
    exact = centrality._search_work(g) <= centrality.EXACT_WORK
    units = _unit_codes(G, p, p_ids)
    w = p.es["weight"]
    sources = list(range(min(2000, g.vcount())))
    pairs = [
        (
            "betweenness" if exact else "betweenness (sampled)",
            lambda: centrality._betweenness(g, exact, 2000, 0),
            (lambda: g.betweenness(directed=False))
            if exact
            else (lambda: g.betweenness(directed=False, sources=sources)),
        ),
        ("closeness", lambda: centrality._closeness(g, exact, 2000, 0), lambda: g.closeness()),
        (
            "eigenvector (organisations)",
            lambda: centrality._eigenvector(p),
            lambda: p.eigenvector_centrality(weights=w),
        ),
        ("PageRank (organisations)", lambda: p.pagerank(weights=w, directed=False), lambda: p.pagerank(weights=w)),
        (
            "centrality(graph='organisations') whole call vs igraph's six measures",
            lambda: centrality.centrality(G, graph="organisations"),
            lambda: (
                p.degree(),
                p.strength(weights=w),
                p.betweenness(directed=False),
                p.closeness(),
                p.eigenvector_centrality(weights=w),
                p.pagerank(weights=w),
            ),
        ),
        (
            "single points of failure vs articulation points",
            lambda: gaps.single_points_of_failure(G),
            lambda: g.biconnected_components(return_articulation_points=True),
        ),
        (
            "critical ties vs bridges + the pieces left without them",
            lambda: gaps.critical_ties(G),
            lambda: _bridges_and_pieces(g),
        ),
        (
            "communities + agreement vs Leiden + ARI + NMI",
            lambda: communities.community_agreement(G, table=communities.communities(G)),
            lambda: _leiden_and_scores(p, units),
        ),
        (
            "brokerage + constraint vs constraint + triangles",
            lambda: brokerage.brokerage(G),
            lambda: (p.constraint(weights="weight"), p.list_triangles()),
        ),
    ]
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # igraph's eigenvector on a disconnected graph
        for label, ours, theirs in pairs:
            a, b = _median_pair(ours, theirs)
            print(f"| {n} | {label} | {a:.3f} s | {b:.3f} s | {a / b if b else float('nan'):.2f}× |", flush=True)
    t = time.perf_counter()
    catalogue.run(G)
    print(f"| {n} | every table of the catalogue (warm) | {time.perf_counter() - t:.2f} s | – | – |", flush=True)


def _bridges_and_pieces(g):
    """igraph's least work to know every bridge's two sides: the bridges, and the pieces without them."""
    bridges = g.bridges()
    h = g.copy()
    h.delete_edges(bridges)
    return bridges, h.connected_components().membership


def _unit_codes(G, p, ids) -> list[int]:
    """Each projection vertex's unit as a number (its first unit; -1 for none), for the baseline's scores."""
    from lcpgraph import views

    units_of = views.derived(G).units_of
    codes: dict[str, int] = {}
    return [codes.setdefault(units_of[n][0], len(codes)) if units_of.get(n) else -1 for n in ids]


def _leiden_and_scores(p, units: list[int]):
    """Seeded Leiden on the projection, then igraph's ARI and NMI against the units (as agreement does)."""
    import random

    import igraph as ig

    ig.set_random_number_generator(random.Random(0))
    membership = p.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1).membership
    ig.set_random_number_generator(random)
    scored = [i for i, u in enumerate(units) if u >= 0]
    a, b = [membership[i] for i in scored], [units[i] for i in scored]
    return ig.compare_communities(a, b, method="adjusted_rand"), ig.compare_communities(a, b, method="nmi")


# --------------------------------------------------------------------------------------
# the whole report


REPORT = r"""
import json, sys, time
t0 = time.perf_counter()
import lcpgraph as lg
from lcpgraph.render.report import build_report
G = lg.load(sys.argv[1])
build_report(G, sys.argv[2])
t1 = time.perf_counter()
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
size = sum(p.stat().st_size for p in __import__("pathlib").Path(sys.argv[2]).rglob("*") if p.is_file())
print(json.dumps({"s": t1 - t0, "peak_mb": hwm / 1024, "records": G.number_of_nodes(), "mb": size / 2**20}))
"""


def report(scales: list[float], timeout: float) -> None:
    print(_machine())
    print("| records | report (load included) | peak memory | folder size |")
    print("|---|---|---|---|")
    xs, ys, zs = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for s in scales:
            data = _data(tmp, s)
            r = _child(REPORT, [str(data), str(Path(tmp) / f"r{s:g}")], timeout)
            if "error" in r:
                print(f"| scale {s:g} | {r['error']} | | |", flush=True)
                continue
            print(f"| {r['records']:,} | {r['s']:.1f} s | {r['peak_mb']:.0f} MB | {r['mb']:.1f} MB |", flush=True)
            xs.append(math.log(r["records"]))
            ys.append(math.log(r["s"]))
            zs.append(math.log(r["mb"]))
    if len(xs) >= 2:
        print(
            f"\ngrowth exponent (least squares on log-log): time {_slope(xs, ys):.2f}, folder size {_slope(xs, zs):.2f}"
        )


def _slope(xs: list[float], ys: list[float]) -> float:
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


# --------------------------------------------------------------------------------------
# start-up


def startup(repeats: int = 5) -> None:
    # As installed: Python may write lcpgraph's bytecode (a machine that sets
    # PYTHONDONTWRITEBYTECODE would otherwise compile every changed module on every run, which
    # pip's install and a normal first run do once), and one run before the timed ones writes it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(HERE.parent)

    def walls(commands: dict[str, list[str]]) -> dict[str, float]:
        """Median wall time of each command, the commands taking turns (a busy machine slows all alike)."""
        times: dict[str, list[float]] = {k: [] for k in commands}
        for i in range(repeats + 1):
            for label, args in commands.items():
                t = time.perf_counter()
                subprocess.run(args, capture_output=True, check=True, env=env)
                if i:  # the first round writes bytecode
                    times[label].append(time.perf_counter() - t)
        return {k: statistics.median(v) for k, v in times.items()}

    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        t = walls(
            {
                "floor": [py, "-c", "import pandas, networkx"],
                # The same imports, ended as lcpgraph's command ends (lcpgraph.cli.run): no teardown.
                "floor, no teardown": [py, "-c", "import os, pandas, networkx; os._exit(0)"],
                "lcpgraph --help": [py, "-m", "lcpgraph", "--help"],
                "lcpgraph validate (Leeds)": [py, "-m", "lcpgraph", "validate"],
                "lcpgraph report (Leeds)": [py, "-m", "lcpgraph", "report", "-q", "-o", f"{tmp}/r"],
            }
        )
    floor, bare = t.pop("floor"), t.pop("floor, no teardown")
    print(
        f"| command | median of {repeats} | × the bare `import pandas, networkx` ({floor:.2f} s) "
        f"| × the same imports ended without Python's teardown ({bare:.2f} s) |"
    )
    print("|---|---|---|---|")
    for label, w in t.items():
        print(f"| `{label}` | {w:.2f} s | {w / floor:.2f}× | {w / bare:.2f}× |")


def sampling_error(scale: float, samples: int) -> None:
    import numpy as np
    from scipy.stats import spearmanr

    import lcpgraph as lg

    with tempfile.TemporaryDirectory() as d:
        synth.write(synth.generate(scale, 1), Path(d))
        G = lg.load(d)
        t0 = time.perf_counter()
        exact = lg.centrality(G, exact=True).set_index("id").sort_index()
        t1 = time.perf_counter()
        est = lg.centrality(G, exact=False, samples=samples, seed=0).set_index("id").sort_index()
        t2 = time.perf_counter()
    for m in ("betweenness", "closeness"):
        rho = spearmanr(exact[m], est[m]).statistic
        err = np.abs(exact[m] - est[m])
        top_e = set(exact[m].nlargest(20).index)
        top_s = set(est[m].nlargest(20).index)
        print(
            f"{m}: {G.number_of_nodes()} nodes, {samples} sources: Spearman {rho:.4f}, "
            f"max abs error {err.max():.5f} (largest value {exact[m].max():.4f}), "
            f"top-20 overlap {len(top_e & top_s)}/20"
        )
    print(f"time: exact {t1 - t0:.1f} s, sampled {t2 - t1:.1f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", default="1,70,700", help="comma-separated synth scales for the table timings")
    ap.add_argument("--only", help="time only table groups whose label contains this text")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per child process before giving up")
    ap.add_argument("--vs-igraph", metavar="SCALES", help="compare each measure with igraph's own call")
    ap.add_argument("--report", metavar="SCALES", help="time the whole report and fit its growth exponent")
    ap.add_argument("--startup", action="store_true", help="time --help, validate and report against the import floor")
    ap.add_argument("--sampling-error", type=float, metavar="SCALE", help="sampled vs exact betweenness")
    ap.add_argument("--samples", type=int, default=2000)
    a = ap.parse_args(argv)

    def scales(text: str) -> list[float]:
        return [float(s) for s in text.split(",")]

    if a.sampling_error:
        sampling_error(a.sampling_error, a.samples)
    elif a.vs_igraph:
        vs_igraph(scales(a.vs_igraph))
    elif a.report:
        report(scales(a.report), a.timeout)
    elif a.startup:
        startup()
    else:
        print(_machine())
        tables(scales(a.scales), a.only, a.timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
