"""The map's page: its data, legend, views, layouts, escaping, determinism and no remote resources."""

import json
import re
import shutil
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner

import lcpgraph
from lcpgraph import schema, views
from lcpgraph.cli import main
from lcpgraph.exceptions import LcpGraphError, NotFoundError
from lcpgraph.render import map as mapmod
from lcpgraph.render.map import (
    RINGS,
    SECTOR_GROUPS,
    MapBuilder,
    governance_layout,
    map_graph,
    node_styles,
    render_map,
    sector_palette,
)

from .conftest import FIXTURES


def _data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


def _legend(data: dict) -> dict[str, list[str]]:
    return {sec["title"]: [it["label"] for it in sec["items"]] for sec in data["legend"]}


@pytest.fixture(scope="module")
def tiny():
    return lcpgraph.load(FIXTURES / "tiny")


@pytest.fixture(scope="module")
def leeds():
    return lcpgraph.load()


@pytest.fixture(scope="module")
def county():
    return lcpgraph.load(FIXTURES / "county")


def test_counts_and_legend_match_the_graph(tmp_path, tiny):
    data = _data(render_map(tiny, tmp_path / "m.html").read_text())
    assert len(data["nodes"]) == tiny.number_of_nodes() == 8
    assert len(data["edges"]) == tiny.number_of_edges() == 8
    legend = _legend(data)
    sectors = next(v for k, v in legend.items() if k.startswith("Sector"))
    assert sorted(sectors) == ["primary care", "secondary care", "third sector"]
    kinds = next(v for k, v in legend.items() if k.startswith("Kind"))
    # North and South are the local units (no place profile: neutral words)
    assert kinds == ["organisation", "Local partnership", "board", "person"]
    rels = next(v for k, v in legend.items() if k.startswith("Relationship"))
    assert set(rels) == {k.replace("_", " ") for _, _, k in tiny.edges(data="kind")}
    # tiny/: Lonely Charity has no ties (isolated), Care Charity sits in two forums (not peripheral)
    gaps = {n["id"]: n.get("gap") for n in data["nodes"]}
    assert gaps["org-lonely"] == "isolated" and gaps["org-charity"] is None
    assert next(v for k, v in legend.items() if k.startswith("Gap")) == ["isolated third sector partner (no ties)"]
    assert data["units"] == [{"id": "lcp-north", "name": "North LCP"}, {"id": "lcp-south", "name": "South LCP"}]


def test_a_reports_maps_flag_the_gaps_its_own_tables_list(tmp_path, tiny):
    # A report made for every sector lists the GP practice as peripheral; its maps say the same.
    from lcpgraph.analysis.gaps import isolated_partners, peripheral_partners
    from lcpgraph.render.map import MapBuilder

    tables = {
        "isolated_partners": isolated_partners(tiny, None),
        "peripheral_partners": peripheral_partners(tiny, None),
    }
    flagged = MapBuilder(tiny, tables=tables)
    assert flagged.gaps == {"org-lonely": "isolated", "org-gp": "peripheral", "person-chair": "peripheral"}
    data = _data(flagged.write(tmp_path / "m.html").read_text())
    assert {n["id"]: n.get("gap") for n in data["nodes"]}["org-gp"] == "peripheral"
    # On its own, a map flags the place's focus sectors (third sector in tiny/).
    assert MapBuilder(tiny).gaps == {"org-lonely": "isolated"}


def test_every_record_has_a_position_and_isolated_partners_are_not_the_smallest(tmp_path, leeds):
    data = _data(render_map(leeds, tmp_path / "m.html").read_text())
    assert data["options"]["physics"] == {"enabled": False}
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    sizes = [n["size"] for n in data["nodes"]]
    for n in data["nodes"]:
        if n.get("gap") == "isolated":
            assert n["size"] >= sorted(sizes)[len(sizes) // 2]


def test_details_data_memberships_come_from_views(tmp_path, county):
    data = _data(render_map(county, tmp_path / "m.html").read_text())
    by = {n["id"]: n for n in data["nodes"]}
    for p, forums in views.memberships(county).items():
        assert by[p].get("forums", []) == forums
    # A practice in a sub-locality is a member of the locality (nesting), and the boards
    # above are named for the details panel.
    gp = next(n for n in data["nodes"] if n["label"] == "Northtown Surgery")
    assert "loc-north" in gp["forums"] and "loc-north" in gp["units"]
    assert "board-place" in data["above"]["loc-north"]
    assert by["loc-north"]["members"] == 6 and by["loc-east"]["members"] == 5
    assert all(0 <= p <= 100 for n in data["nodes"] for p in n.get("pct", []))


def test_no_remote_resources(tmp_path, tiny):
    html = render_map(tiny, tmp_path / "m.html").read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", html, re.I)
    assert "@import" not in html and "sourceMappingURL" not in html
    assert "<link" not in html


def test_same_data_same_bytes(tmp_path, tiny):
    a = render_map(tiny, tmp_path / "a.html").read_bytes()
    b = render_map(lcpgraph.load(FIXTURES / "tiny"), tmp_path / "b.html").read_bytes()
    assert a == b
    g1 = render_map(tiny, tmp_path / "g1.html", view="governance").read_bytes()
    g2 = render_map(lcpgraph.load(FIXTURES / "tiny"), tmp_path / "g2.html", view="governance").read_bytes()
    assert g1 == g2


def test_hostile_names_are_escaped(tmp_path):
    shutil.copytree(FIXTURES / "tiny", tmp_path / "d")
    p = tmp_path / "d" / "organisations.csv"
    hostile = "<img src=x onerror=alert(1)></script><script>alert(2)</script>{{DATA}}"
    p.write_text(p.read_text().replace("Lonely Charity", hostile))
    html = render_map(lcpgraph.load(tmp_path / "d"), tmp_path / "m.html").read_text()
    assert "<img src=x" not in html and "</script><script>alert(2)" not in html
    names = [n["label"] for n in _data(html)["nodes"]]
    assert hostile in names  # text kept, as data
    # The page script never writes data as HTML.
    js = (Path(mapmod.__file__).parent / "templates" / "map.js").read_text()
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "document.write" not in js


def test_privacy_is_upstream(tmp_path, tiny):
    from lcpgraph.privacy import hide_people

    html = render_map(hide_people(tiny), tmp_path / "m.html").read_text()
    assert "Sam Chair" not in html and "person-chair" not in html
    with pytest.raises(TypeError):
        render_map(tiny, tmp_path / "x.html", hide_people=True)


def test_unit_view_by_hand(tmp_path, tiny):
    # North LCP: its members (Hill Surgery, Care Charity, the chair), the board it reports to
    # (HWB), and South LCP, which shares Care Charity with it.
    H = map_graph(tiny, "unit", "north lcp")
    assert sorted(H) == ["board-hwb", "lcp-north", "lcp-south", "org-charity", "org-gp", "person-chair"]
    data = _data(render_map(tiny, tmp_path / "m.html", view="unit", name="North LCP").read_text())
    assert len(data["nodes"]) == 6 and data["focus"] == "lcp-north"
    # The subject of the page is labelled first.
    assert min(data["nodes"], key=lambda n: n["rank"])["id"] == "lcp-north"


def test_unit_view_county_nesting(county):
    # A locality's map holds its members through sub-localities, and its sub-localities.
    H = map_graph(county, "unit", "North Shire")
    assert {"org-northtown-surgery", "org-hillbury-surgery", "sub-northtown", "sub-hillbury"} <= set(H) or (
        set(views.members(county, "loc-north")) <= set(H)
    )
    assert set(views.members(county, "loc-north")) <= set(H)
    assert set(views.sub_units(county)["loc-north"]) <= set(H)


def test_governance_view_rows_and_gaps(tmp_path, tiny):
    data = _data(render_map(tiny, tmp_path / "g.html", view="governance").read_text())
    by = {n["id"]: n for n in data["nodes"]}
    # HWB is above North (which reports to it); South reports to nothing and is flagged.
    assert by["board-hwb"]["y"] < by["lcp-north"]["y"]
    assert by["lcp-south"]["gap"] == "no reporting line"
    assert {e["kind"] for e in data["edges"]} == {"reports_to"}
    assert [r["name"][0] for r in data["rows"]] == ["City", "Local partnerships"]
    assert by["lcp-north"]["lines"][-1] == "3 members"


def _boxes_overlap(data: dict) -> list[tuple[str, str]]:
    w = data["box"]["width"]
    boxes = [
        (n["id"], n["x"] - w / 2, n["y"] - n["height"] / 2, n["x"] + w / 2, n["y"] + n["height"] / 2)
        for n in data["nodes"]
    ]
    bad = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]:
                bad.append((a[0], b[0]))
    return bad


@pytest.mark.parametrize("where", [None, FIXTURES / "county"])
def test_governance_tree_has_no_overlaps_and_children_under_parents(tmp_path, where):
    G = lcpgraph.load(where)
    data = _data(render_map(G, tmp_path / "g.html", view="governance").read_text())
    assert _boxes_overlap(data) == []
    by = {n["id"]: n for n in data["nodes"]}
    for e in data["edges"]:  # every line goes up
        assert by[e["to"]]["y"] < by[e["from"]]["y"], e
    # No name is broken inside a word: every line is made of whole words of the name.
    for n in data["nodes"]:
        words = n["label"].split()
        assert " ".join(n["lines"][: len(n["lines"]) - (1 if n.get("unit") else 0)]).split() == words
    place = lcpgraph.place.place_of(G)
    names = [r["name"][0] for r in data["rows"]]
    assert place.units_title in names
    assert all(
        r["name"][0].lower() in {x.lower() for x in place.levels} | {place.units_title.lower()}
        or r["name"][0] in ("Other boards",)
        or r["name"][0].lower().startswith(("sub", "programme"))
        for r in data["rows"]
    )


def test_governance_layout_leeds_hatch_leadership_sits_under_hatch(leeds):
    H = map_graph(leeds, "governance")
    lay = governance_layout(H)
    pos = lay["positions"]
    assert pos["board-hatch-lcp-leadership"][1] > pos["lcp-hatch"][1]
    assert abs(pos["board-hatch-lcp-leadership"][0] - pos["lcp-hatch"][0]) < lay["box"]["width"]


def test_county_speaks_its_own_words(tmp_path, county):
    for view, name in (("network", None), ("governance", None), ("unit", "North Shire"), ("partner", "Shire Mind")):
        html = render_map(county, tmp_path / f"{view}.html", view=view, name=name).read_text()
        data = _data(html)
        text = json.dumps(data) + html.split('<script type="application/json"')[0]
        assert "LCP" not in text, view
        assert data["words"]["units"] == "localities"
    data = _data((tmp_path / "governance.html").read_text())
    assert [r["name"][0] for r in data["rows"]] == ["System", "County", "Place", "Localities", "Sub-locality"]


def test_unknown_name_suggests_closest(tiny):
    with pytest.raises(
        NotFoundError, match=r"no local partnership or partnership called 'Nort LCP'; closest: 'North LCP'"
    ):
        map_graph(tiny, "unit", "Nort LCP")


def test_palette_groups_hues_and_keeps_rings_apart():
    p = sector_palette(schema.SECTORS + ("lcp development team",))
    assert len({v["group_color"] for v in p.values()}) <= 10
    assert len({v["color"] for v in p.values()}) == len(p)  # every sector its own shade
    fills = {v["color"].upper() for v in p.values()} | {c.upper() for c in mapmod._KIND_FILL.values()}
    assert not fills & {r["color"].upper() for r in RINGS.values()}
    assert len(SECTOR_GROUPS) <= 10


def test_large_graph_and_aggregate(tmp_path):
    import sys

    sys.path.insert(0, str(FIXTURES.parent.parent / "scripts"))
    import synth

    synth.write(synth.generate(5, 3), tmp_path / "d")
    (tmp_path / "d" / "sectors.csv").write_text("sector,source\nlcp development team,test\n")
    G = lcpgraph.load(tmp_path / "d")
    data = _data(render_map(G, tmp_path / "m.html").read_text())
    assert G.number_of_nodes() > 600
    assert data["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])
    agg = _data(render_map(G, tmp_path / "a.html", aggregate=True).read_text())
    assert {n["kind"] for n in agg["nodes"]} <= {"partnership", "board"}
    unit = views.units(G)[0]
    one = _data(render_map(G, tmp_path / "u.html", view="unit", name=unit, aggregate=True).read_text())
    assert unit in {n["id"] for n in one["nodes"]} and len(one["nodes"]) < len(agg["nodes"])


def test_change_map_marks_changes(tmp_path, leeds):
    from lcpgraph.diff import changes_graph

    new = leeds.copy()
    u, v, k = next((u, v, k) for u, v, k, d in leeds.edges(keys=True, data=True) if d["kind"] == "member_of")
    new.remove_edge(u, v, k)
    new.add_edge(u, "lcp-seacroft", kind="member_of", source="test")
    new.add_node("org-new", kind="organisation", name="New Charity", sector="third sector", source="test")
    data = _data(render_map(changes_graph(leeds, new), tmp_path / "c.html").read_text())
    by = {n["id"]: n for n in data["nodes"]}
    assert by["org-new"]["change"] == "added" and by[u]["gap"] == "changed"
    kinds = {(c["change"], c["what"]) for c in data["changes"]}
    assert kinds == {("added", "record"), ("added", "tie"), ("removed", "tie")}
    legend = _legend(data)
    assert legend["Records (colour)"] == ["added record", "ties changed", "unchanged"]
    assert legend["Ties (line)"] == ["added tie", "removed tie", "same tie"]
    assert all(sec["items"] for sec in data["legend"])  # no empty heading
    assert data["tour"] == []


def test_tour_csv_and_located_errors(tmp_path, leeds):
    from lcpgraph.exceptions import ValidationError
    from lcpgraph.render.map import read_tour

    good = tmp_path / "tour.csv"
    good.write_text(
        "caption,focus,unit,gaps\nWelcome,,,\nThe top,Leeds Health and Wellbeing Board,,\nHATCH,,HATCH,\nGaps,,,yes\n"
    )
    data = _data(render_map(leeds, tmp_path / "t.html", tour=good).read_text())
    assert [s["caption"] for s in data["tour"]] == ["Welcome", "The top", "HATCH", "Gaps"]
    assert (
        data["tour"][1]["focus"] == ["board-hwb"] and data["tour"][2]["unit"] == "lcp-hatch" and data["tour"][3]["gaps"]
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("caption,focus,sector,colour\nx,Nowhere Board,thrid sector,\n")
    with pytest.raises(ValidationError) as err:
        read_tour(bad, leeds)
    assert f"{bad}, row 1, column 'colour'" in str(err.value)
    bad.write_text("caption,focus,sector,gaps\n,Nowhere Board,thrid sector,maybe\n")
    with pytest.raises(ValidationError) as err:
        read_tour(bad, leeds)
    text = str(err.value)
    for col in ("caption", "focus", "sector", "gaps"):
        assert f"{bad}, row 2, column '{col}'" in text
    assert "did you mean 'third sector'" in text


def test_default_tour_follows_the_governance(leeds, county):
    from lcpgraph.render.map import default_tour

    steps = default_tour(leeds)
    assert steps[1]["focus"] == ["board-wy-hwb-chairs"] or steps[1]["focus"] == ["board-hwb"]
    assert steps[2]["focus"] == ["board-lcp-dev-programme"]
    assert len(steps[3]["focus"]) == len(views.units(leeds))
    assert steps[4]["unit"] in views.units(leeds)
    c = default_tour(county)
    assert "localities" in c[0]["caption"] and not any("LCP" in s["caption"] for s in c)


def test_node_styles_for_exports(leeds):
    s = node_styles(leeds)
    assert set(s) == set(leeds)
    data_colour = {n: d["color"] for n, d in s.items()}
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in data_colour.values())
    assert s == node_styles(leeds)  # seeded: same every time


def test_shared_vis_script(tmp_path, tiny):
    b = MapBuilder(tiny)
    js = b.write_assets(tmp_path)
    page = b.write(tmp_path / "m.html", vis_js_href="vis-network.min.js").read_text()
    assert js.name == "vis-network.min.js" and '<script src="vis-network.min.js"></script>' in page
    assert len(page) < 200_000 < js.stat().st_size
    b.write_assets(tmp_path)  # its own file: replaced without --force
    with pytest.raises(LcpGraphError):
        b.write(tmp_path / "x.html", vis_js_href="https://cdn.example/vis.js")


def test_missing_vis_asset_is_a_clear_error(monkeypatch, tiny, tmp_path):
    monkeypatch.setattr(mapmod, "_VIS_DIR", ("lib", "vis-0.0.0"))
    with pytest.raises(LcpGraphError, match=r"vis-network vis-0\.0\.0 from the pyvis package"):
        render_map(tiny, tmp_path / "m.html")


def test_cli_map_views(tmp_path):
    out = tmp_path / "hatch.html"
    r = CliRunner().invoke(main, ["map", "--unit", "HATCH", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "LCP: HATCH" in out.read_text()
    r = CliRunner().invoke(main, ["map", str(FIXTURES / "tiny"), "--unit", "Nowhere", "-o", str(out)])
    assert r.exit_code == 2 and "no local partnership or partnership called 'Nowhere'" in r.output
    r = CliRunner().invoke(
        main, ["map", str(FIXTURES / "tiny"), "--view", "governance", "-o", str(tmp_path / "g.html")]
    )
    assert r.exit_code == 0 and (tmp_path / "g.html").exists()


def test_views_do_not_redefine_membership():
    # The map asks views; it never lists relationship kinds to decide membership or lines.
    src = Path(mapmod.__file__).read_text()
    assert '"member_of"' not in src and '"reports_to"' not in src and '"part_of"' not in src


def test_aggregate_reads_seats_through_views(tiny):
    A = mapmod._aggregate(tiny, map_graph(tiny, "network"))
    assert set(A) == {"lcp-north", "lcp-south", "board-hwb"}
    shared = {(u, v): d["weight"] for u, v, d in A.edges(data=True) if d["kind"] == "shares_members"}
    # Care Charity sits in North and South; City Trust in South and the HWB.
    assert shared == {("board-hwb", "lcp-south"): 1.0, ("lcp-north", "lcp-south"): 1.0}
    assert isinstance(A, nx.MultiDiGraph)


def _all_pairs(xy, reach):
    """Every pair (i, j), i < j, at most ``reach`` apart, by checking all of them."""
    d = xy[None, :, :] - xy[:, None, :]
    i, j = np.nonzero(np.triu((d * d).sum(axis=2) <= reach * reach, 1))
    return np.stack([i, j], axis=1).tolist() if len(xy) else []


@pytest.mark.parametrize("n", [0, 1, 2, 7, 60, 400])
def test_grid_finds_the_close_pairs_all_pairs_would(n):
    rng = np.random.default_rng(n)
    for spread in (1.0, 30.0, 1000.0):
        xy = rng.uniform(-spread, spread, size=(n, 2))
        if n > 5:
            xy[4] = xy[5] = xy[1]  # coincident points
            xy[3] = xy[2] + [0.0, 2.5]  # a pair exactly at one of the radii
        for reach in (0.0, 0.5, 2.5, 10.0, 3 * spread):  # the last: every point in one cell
            got = mapmod._close_pairs(xy, reach)
            assert got.tolist() == _all_pairs(xy, reach), (n, spread, reach)
            assert got.shape == (len(got), 2) and got.dtype.kind == "i"
    assert mapmod._close_pairs(np.zeros((5, 2)), 0.0).tolist() == _all_pairs(np.zeros((5, 2)), 0.0)
    # Points on a line, one cell high, and wide apart: the keys of the cells do not overflow.
    line = np.array([[0.0, 0.0], [1.0, 0.0], [1e12, 0.0], [1e12 + 0.5, 0.0]])
    assert mapmod._close_pairs(line, 1.0).tolist() == [[0, 1], [2, 3]]


def test_separate_leaves_no_overlap_and_is_deterministic():
    rng = np.random.default_rng(3)
    xy = rng.normal(size=(3000, 2)) * 40
    xy[10] = xy[11] = xy[12]
    radius = rng.uniform(8, 40, size=3000)
    out = mapmod._separate(xy, radius, rounds=300)
    p = mapmod._close_pairs(out, 2 * radius.max())
    gap = np.hypot(*(out[p[:, 1]] - out[p[:, 0]]).T) - radius[p[:, 0]] - radius[p[:, 1]]
    assert gap.min() > -0.1  # under the tenth of a pixel positions are written to
    assert np.array_equal(out, mapmod._separate(xy, radius, rounds=300))
    assert np.array_equal(mapmod._separate(xy[:1], radius[:1]), xy[:1])


def test_map_does_not_import_scipy():
    # Importing scipy costs a report more than drawing all its maps.
    assert not re.search(r"^\s*(import|from)\s+scipy", Path(mapmod.__file__).read_text(), re.M)


def test_unsynced_page_is_the_same_page(tmp_path, tiny):
    b = MapBuilder(tiny)
    synced = b.write(tmp_path / "a.html").read_bytes()
    assert b.write(tmp_path / "b.html", sync=False).read_bytes() == synced
