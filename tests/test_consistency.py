"""One number everywhere: every count the report shows in more than one place is the same.

A unit's members appear in the summary table, the coverage table, the index chart, the unit's
own page and the map's filter; a partner's units in the communities table, the place-wide reach
table and the map. Built on the Leeds data, the invented county and a seeded synthetic region.
"""

import csv
import html
import json
import re
import sys
from pathlib import Path

import pytest

import lcpgraph
from lcpgraph import views
from lcpgraph.render.report import build_report, unit_pages

from .conftest import FIXTURES

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import synth


def _csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _map_data(path: Path) -> dict:
    html = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/json" id="map-data">(.*?)</script>', html, re.S).group(1))


@pytest.fixture(scope="module", params=["leeds", "county", "synthetic"])
def site(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(request.param)
    if request.param == "leeds":
        G = lcpgraph.load()
    elif request.param == "county":
        G = lcpgraph.load(FIXTURES / "county")
    else:
        synth.write(synth.generate(3, 11), tmp / "data")
        G = lcpgraph.load(tmp / "data")
    return G, build_report(G, tmp / "site")


def test_each_units_member_count_is_one_number_everywhere(site):
    G, out = site
    d = views.derived(G)
    truth = {u: len(d.members[u]) for u in views.units(G)}
    assert truth and all(truth.values())  # every unit has members, in every place

    summary = {r["unit"]: int(r["members"]) for r in _csv(out / "tables" / "partners_per_lcp.csv")}
    coverage = {r["unit"]: int(r["members"]) for r in _csv(out / "tables" / "sector_coverage.csv")}
    index = (out / "index.html").read_text(encoding="utf-8")
    chart_svg = index.split('id="units"')[1].split("</svg>")[0]
    bars = {}
    for label, total in re.findall(r'class="lbl">([^<]+)</text>.*?class="val">([\d.]+)</text>', chart_svg, re.S):
        bars[html.unescape(label)] = int(float(total))
    network = _map_data(out / "maps" / "network.html")
    in_filter = {u: 0 for u in truth}
    for n in network["nodes"]:
        if n["kind"] in ("organisation", "person"):
            for u in n["units"]:
                in_filter[u] += 1
    for u, n in truth.items():
        page = (out / "units" / f"{unit_pages(G)[u]}.html").read_text(encoding="utf-8")
        shown = int(re.search(r"· ([\d,]+) members?\.", page).group(1).replace(",", ""))
        name = G.nodes[u]["name"]
        assert (summary[u], coverage[u], bars[name], shown, in_filter[u]) == (n, n, n, n, n), u


def test_each_partners_units_are_one_number_everywhere(site):
    G, out = site
    u_of = views.units_of(G)
    network = {n["id"]: n for n in _map_data(out / "maps" / "network.html")["nodes"]}
    for r in _csv(out / "tables" / "communities.csv"):
        assert int(r["in_units"]) == len(u_of[r["id"]]) == len(network[r["id"]]["units"]), r["id"]
    for r in _csv(out / "tables" / "citywide_reach.csv"):
        assert int(r["units"]) == len(u_of[r["id"]]), r["id"]


def test_nothing_on_a_page_says_lcp_unless_the_place_does(site):
    G, out = site
    if "LCP" in (lcpgraph.place_of(G).unit_short or ""):
        pytest.skip("this place calls its units LCPs")
    names = " ".join(d.get("name", "") for _, d in G.nodes(data=True))
    for page in [out / "index.html", *sorted((out / "units").glob("*.html"))]:
        text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
        for hit in re.findall(r"\w*LCP\w*", text):
            assert hit in names, (page.name, hit)  # only inside a record's own name
