"""The map's HTML: counts, legend, views, escaping, privacy, determinism and no remote resources."""

import json
import re
import shutil

import pytest
from click.testing import CliRunner

import lcpgraph
from lcpgraph.cli import main
from lcpgraph.exceptions import NotFoundError
from lcpgraph.render.map import map_graph, render_map

from .conftest import FIXTURES


def _data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def tiny():
    return lcpgraph.load(FIXTURES / "tiny")


def test_counts_and_legend_match_the_graph(tmp_path, tiny):
    html = render_map(tiny, tmp_path / "m.html").read_text()
    data = _data(html)
    assert len(data["nodes"]) == tiny.number_of_nodes() == 8
    assert len(data["edges"]) == tiny.number_of_edges() == 8
    for sector in ("primary care", "secondary care", "third sector"):
        assert 'data-legend="sector"><span class="sw" style="background:' in html and f"</span>{sector}</li>" in html
    for kind in ("organisation", "partnership", "board", "person"):
        assert re.search(rf'data-legend="kind">.*?</svg>{kind}</li>', html)
    for rel in {k for _, _, k in tiny.edges(data="kind")}:
        assert f"</svg>{rel.replace('_', ' ')}</li>" in html
    # tiny/: Lonely Charity has no ties (isolated), Care Charity sits in two forums (not peripheral)
    gaps = {n["id"]: n.get("gap") for n in data["nodes"]}
    assert gaps["org-lonely"] == "isolated" and gaps["org-charity"] is None


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


def test_hostile_names_are_escaped(tmp_path):
    shutil.copytree(FIXTURES / "tiny", tmp_path / "d")
    p = tmp_path / "d" / "organisations.csv"
    p.write_text(
        p.read_text().replace("Lonely Charity", "<img src=x onerror=alert(1)></script><script>alert(2)</script>")
    )
    html = render_map(lcpgraph.load(tmp_path / "d"), tmp_path / "m.html").read_text()
    assert "<img src=x" not in html and "</script><script>alert(2)" not in html
    names = [n["label"] for n in _data(html)["nodes"]]
    assert "<img src=x onerror=alert(1)></script><script>alert(2)</script>" in names  # text kept, as data


def test_hide_people_removes_names_and_ids(tmp_path, tiny):
    from lcpgraph.privacy import hide_people

    html = render_map(hide_people(tiny), tmp_path / "m.html").read_text()
    assert "Sam Chair" not in html and "person-chair" not in html
    assert "LCP chair" in [n["label"] for n in _data(html)["nodes"]]


def test_lcp_view_by_hand(tmp_path, tiny):
    # North LCP: its members (Hill Surgery, Care Charity, the chair), the board it reports to
    # (HWB), and South LCP, which shares Care Charity with it.
    H = map_graph(tiny, "unit", "north lcp")
    assert sorted(H) == ["board-hwb", "lcp-north", "lcp-south", "org-charity", "org-gp", "person-chair"]
    data = _data(render_map(tiny, tmp_path / "m.html", view="unit", name="North LCP").read_text())
    assert len(data["nodes"]) == 6


def test_governance_view_levels(tmp_path, tiny):
    data = _data(render_map(tiny, tmp_path / "g.html", view="governance").read_text())
    levels = {n["id"]: n["level"] for n in data["nodes"]}
    # HWB is the top; North reports to it; South reports to nothing and is flagged.
    assert levels["board-hwb"] == 0 and levels["lcp-north"] == 1
    south = next(n for n in data["nodes"] if n["id"] == "lcp-south")
    assert south["gap"] == "no reporting line"
    assert {e["kind"] for e in data["edges"]} == {"reports_to"}
    assert data["options"]["layout"]["hierarchical"]["direction"] == "UD"


def test_unknown_name_suggests_closest(tiny):
    with pytest.raises(
        NotFoundError, match=r"no local partnership or partnership called 'Nort LCP'; closest: 'North LCP'"
    ):
        map_graph(tiny, "unit", "Nort LCP")


def test_large_graph_gets_positions_and_no_physics(tmp_path):
    import sys

    sys.path.insert(0, str(FIXTURES.parent.parent / "scripts"))
    import synth

    synth.write(synth.generate(5, 3), tmp_path / "d")
    G = lcpgraph.load(tmp_path / "d")
    data = _data(render_map(G, tmp_path / "m.html").read_text())
    assert G.number_of_nodes() > 600
    assert data["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])
    agg = _data(render_map(G, tmp_path / "a.html", aggregate=True).read_text())
    assert {n["kind"] for n in agg["nodes"]} <= {"partnership", "board"}


def test_every_relationship_kind_has_a_style():
    from lcpgraph import schema

    assert all(k.style.color.startswith("#") for k in schema.RELATIONSHIP_KINDS.values())


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
