"""Timings of big maps, run on demand: ``LCPGRAPH_MAP_BENCH=1 python -m pytest tests/test_map_perf.py -s``.

Prints, for a synthetic network of about 5,000 records, the time until the map is drawn and
usable in headless Chromium, next to pyvis's own output for the same graph measured in the
same run (``Network.from_nx`` + ``write_html``; its default page loads vis-network from a
CDN, so offline it is also measured with ``cdn_resources="in_line"``), and the Python time of
the aggregate views of about 100,000 records. Skipped unless asked for: it takes minutes.
"""

import os
import statistics
import sys
import time
from pathlib import Path

import networkx as nx
import pytest

import lcpgraph
from lcpgraph import views
from lcpgraph.render.map import MapBuilder, render_map

from .conftest import FIXTURES

pytestmark = pytest.mark.skipif(
    os.environ.get("LCPGRAPH_MAP_BENCH") != "1" or not Path("/usr/bin/chromium").exists(),
    reason="a benchmark: set LCPGRAPH_MAP_BENCH=1 (needs Debian's chromium)",
)
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def _synthetic(tmp_path: Path, scale: int) -> nx.MultiDiGraph:
    sys.path.insert(0, str(FIXTURES.parent.parent / "scripts"))
    import synth

    synth.write(synth.generate(scale, 1), tmp_path / f"s{scale}")
    (tmp_path / f"s{scale}" / "sectors.csv").write_text("sector,source\nlcp development team,synthetic\n")
    return lcpgraph.load(tmp_path / f"s{scale}")


def _open(browser, path: Path, ready: str, timeout_ms: int) -> float:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:", "blob:")) else r.abort())
    t0 = time.perf_counter()
    page.goto(path.resolve().as_uri(), wait_until="load")
    try:
        page.wait_for_function(ready, timeout=timeout_ms, polling=20)
        return time.perf_counter() - t0
    except Exception:  # never drawn within the time allowed
        return float("inf")
    finally:
        page.close()


def test_5000_records_against_pyvis(tmp_path):
    from playwright.sync_api import sync_playwright
    from pyvis.network import Network

    G = _synthetic(tmp_path, 35)
    t = time.perf_counter()
    ours = render_map(G, tmp_path / "ours.html")
    python_ours = time.perf_counter() - t
    simple = views.simple_graph(G)
    P = nx.Graph()
    P.add_nodes_from((n, {"label": str(G.nodes[n].get("name", n))}) for n in simple)
    P.add_edges_from(simple.edges())
    here = Path.cwd()
    os.chdir(tmp_path)  # pyvis writes a lib/ folder into the working folder
    try:
        t = time.perf_counter()
        net = Network()
        net.from_nx(P)
        net.write_html("pyvis.html")
        python_pyvis = time.perf_counter() - t
        inline = Network(cdn_resources="in_line")
        inline.from_nx(P)
        inline.write_html("pyvis_inline.html")
    finally:
        os.chdir(here)
    drawn = "window.lcpMap && window.lcpMap.ready"
    # pyvis hides its loading bar once its physics has settled and the network is drawn.
    settled = (
        "typeof network !== 'undefined' && network && "
        "(!document.getElementById('loadingBar') || document.getElementById('loadingBar').style.opacity === '0')"
    )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        ours_s = [_open(b, ours, drawn, 60_000) for _ in range(3)]
        pyvis_default = _open(b, tmp_path / "pyvis.html", settled, 10_000)
        pyvis_inline = _open(b, tmp_path / "pyvis_inline.html", settled, 900_000)
        b.close()
    print(f"\n{G.number_of_nodes()} records, {G.number_of_edges()} relationships")
    print(f"python: lcpgraph {python_ours:.2f} s, pyvis {python_pyvis:.2f} s")
    print(f"browser, drawn and usable: lcpgraph {' '.join(f'{x:.2f}' for x in ours_s)} s")
    print(f"pyvis default page offline: {'never drawn' if pyvis_default == float('inf') else f'{pyvis_default:.1f} s'}")
    print(f"pyvis in_line page: {pyvis_inline:.1f} s; ratio {pyvis_inline / statistics.median(ours_s):.0f}x")
    assert statistics.median(ours_s) < 3


def test_aggregate_of_100000_records(tmp_path):
    G = _synthetic(tmp_path, 700)
    t0 = time.perf_counter()
    b = MapBuilder(G)
    units = views.units(G)
    b.write(tmp_path / "u.html", view="unit", name=units[0], aggregate=True)
    t = time.perf_counter()
    for u in units[1:21]:
        b.write(tmp_path / "u.html", view="unit", name=u, aggregate=True)
    per_unit = (time.perf_counter() - t) / 20
    t = time.perf_counter()
    b.write(tmp_path / "a.html", aggregate=True)
    whole = time.perf_counter() - t
    print(
        f"\n{G.number_of_nodes()} records: aggregate of a unit {per_unit * 1000:.0f} ms, of the whole place {whole:.1f} s"
    )
    print(f"from the loaded graph, builder included: {time.perf_counter() - t0:.1f} s")
    assert per_unit < 1 and whole < 20
