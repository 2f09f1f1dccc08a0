"""Time every analysis, and measure its peak memory, on synthetic networks of growing size.

Each (size, analysis) pair runs in a fresh Python process that loads the data, runs the one
analysis, and reports its own wall time and peak resident memory, so one analysis's memory
is not hidden by another's. Sizes are multiples of the bundled Leeds data made by
``scripts/synth.py`` (scale 1 ≈ Leeds; 70 ≈ 10,000 records; 700 ≈ 100,000).

    python scripts/bench.py                       # scales 1, 10, 70, 100, 700
    python scripts/bench.py --scales 1,10 --only centrality
    python scripts/bench.py --markdown            # the table for the README
    python scripts/bench.py --sampling-error 70   # sampled vs exact betweenness at scale 70

Timings vary between runs on a shared machine: compare ratios within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import synth  # noqa: E402

#: (label, python statement run on G; the module lcpgraph is imported as lg).
ANALYSES: list[tuple[str, str]] = [
    ("load", "pass"),
    ("centrality (full)", "lg.centrality(G)"),
    ("centrality (organisations)", "lg.centrality(G, graph='organisations')"),
    ("brokerage", "lg.brokerage(G)"),
    ("isolated + peripheral", "lg.isolated_partners(G); lg.peripheral_partners(G)"),
    ("coverage + missing sectors", "lg.sector_coverage(G); lg.missing_sectors(G)"),
    ("reporting lines + empty boards", "lg.unreported_lcps(G); lg.empty_boards(G)"),
    ("single points of failure", "lg.single_points_of_failure(G)"),
    ("critical ties", "lg.critical_ties(G)"),
    ("sector contacts", "lg.sector_contact_matrix(G); lg.sectors_that_never_meet(G)"),
    ("citywide reach", "lg.citywide_reach(G)"),
    ("duplicate records", "lg.duplicate_records(G)"),
    ("overlapping forums", "lg.overlapping_forums(G)"),
    ("meeting burden", "lg.meeting_burden(G)"),
    ("duplicated functions", "lg.duplicated_functions(G)"),
    ("communities", "lg.communities(G); lg.community_agreement(G)"),
    ("map", "import lcpgraph.render.map as m; m.render_map(G, OUT)"),
]

CHILD = """
import json, sys, time, tempfile, os
t0 = time.perf_counter()
import lcpgraph as lg
G = lg.load(sys.argv[1])
t1 = time.perf_counter()
OUT = os.path.join(tempfile.mkdtemp(), "out.html")
{stmt}
t2 = time.perf_counter()
# VmHWM, not ru_maxrss: on Linux ru_maxrss keeps the parent's high-water mark across exec.
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({{"load_s": t1 - t0, "run_s": t2 - t1,
                  "peak_mb": hwm / 1024,
                  "nodes": G.number_of_nodes(), "edges": G.number_of_edges()}}))
"""


def run_one(data: Path, stmt: str, timeout: float) -> dict:
    code = CHILD.format(stmt=stmt)
    try:
        p = subprocess.run(
            [sys.executable, "-c", code, str(data)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "PYTHONPATH": str(HERE.parent)},
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout:.0f} s"}
    if p.returncode != 0:
        last = (p.stderr.strip().splitlines() or ["?"])[-1]
        return {"error": last[:120]}
    return json.loads(p.stdout.strip().splitlines()[-1])


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
    ap.add_argument("--scales", default="1,10,70,100,700", help="comma-separated synth scales")
    ap.add_argument("--only", help="run only analyses whose label contains this text")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per analysis before giving up")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table at the end")
    ap.add_argument(
        "--sampling-error",
        type=float,
        metavar="SCALE",
        help="compare sampled with exact betweenness/closeness at this scale, then stop",
    )
    ap.add_argument("--samples", type=int, default=2000)
    a = ap.parse_args(argv)
    if a.sampling_error:
        sampling_error(a.sampling_error, a.samples)
        return 0

    import igraph
    import networkx
    import pandas

    print(
        f"# machine: {os.cpu_count()} cores, Python {platform.python_version()}, networkx {networkx.__version__}, "
        f"igraph {igraph.__version__}, pandas {pandas.__version__}"
    )
    scales = [float(s) for s in a.scales.split(",")]
    analyses = [(lbl, st) for lbl, st in ANALYSES if not a.only or a.only in lbl or lbl == "load"]
    results: dict[tuple[str, float], dict] = {}
    sizes: dict[float, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for s in scales:
            data = Path(tmp) / f"s{s:g}"
            synth.write(synth.generate(s, 1), data)
            for label, stmt in analyses:
                r = run_one(data, stmt, a.timeout)
                results[(label, s)] = r
                if "nodes" in r:
                    sizes[s] = f"{r['nodes']:,} nodes / {r['edges']:,} ties"
                shown = r.get("error") or (
                    f"{r['load_s'] if label == 'load' else r['run_s']:.2f} s, peak {r['peak_mb']:.0f} MB"
                )
                print(f"scale {s:>5g}  {label:<32} {shown}", flush=True)
    if a.markdown:
        head = "| analysis | " + " | ".join(f"{s:g}× ({sizes.get(s, '?')})" for s in scales) + " |"
        print("\n" + head)
        print("|---|" + "---|" * len(scales))
        for label, _ in analyses:
            cells = []
            for s in scales:
                r = results[(label, s)]
                if "error" in r:
                    cells.append(r["error"])
                else:
                    t = r["load_s"] if label == "load" else r["run_s"]
                    cells.append(f"{t:.2f} s, {r['peak_mb']:.0f} MB")
            print(f"| {label} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
