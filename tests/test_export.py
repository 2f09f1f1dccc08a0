"""Exports read back with independent readers: nothing lost."""

import json
import xml.etree.ElementTree as ET

import igraph as ig
import networkx as nx
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import lcpgraph
from lcpgraph.cli import main
from lcpgraph.export import export

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def G():
    G = lcpgraph.load(FIXTURES / "tiny")
    # a parallel relationship (member and chair of the same forum) must survive every format
    G.add_edge("org-trust", "board-hwb", kind="chairs", weight=1.0, source="test")
    return G


def test_graphml_read_by_igraph(G, tmp_path):
    path = export(G, tmp_path / "g.graphml", "graphml")
    g = ig.Graph.Read_GraphML(str(path))
    assert g.vcount() == G.number_of_nodes() and g.ecount() == G.number_of_edges()
    by_id = {v["id"]: v for v in g.vs}
    assert by_id["org-charity"]["sector"] == "third sector"
    assert by_id["org-charity"]["services"] == "befriending"
    assert by_id["org-charity"]["identifiers"] == "GB-CHC-1234567"
    assert by_id["lcp-north"]["population"] == 40000.0
    assert by_id["org-charity"]["betweenness"] > 0 and "pagerank" in g.vs.attributes()
    pairs = sorted((g.vs[e.source]["id"], g.vs[e.target]["id"], e["kind"]) for e in g.es)
    assert pairs.count(("org-trust", "board-hwb", "member_of")) == 1
    assert pairs.count(("org-trust", "board-hwb", "chairs")) == 1
    assert sorted(pairs) == sorted((u, v, k) for u, v, k in G.edges(data="kind"))


def test_gexf_read_with_xml(G, tmp_path):
    path = export(G, tmp_path / "g.gexf", "gexf")
    root = ET.parse(path).getroot()
    ns = {"g": root.tag.split("}")[0].strip("{")}
    nodes = root.findall(".//g:nodes/g:node", ns)
    edges = root.findall(".//g:edges/g:edge", ns)
    assert len(nodes) == G.number_of_nodes() and len(edges) == G.number_of_edges()
    titles = {a.get("id"): a.get("title") for a in root.findall(".//g:attributes[@class='node']/g:attribute", ns)}
    charity = next(n for n in nodes if n.get("id") == "org-charity")
    assert charity.get("label") == "Care Charity"
    values = {titles[v.get("for")]: v.get("value") for v in charity.findall(".//g:attvalue", ns)}
    assert values["sector"] == "third sector" and values["source"] == "illustrative"
    assert float(values["betweenness"]) > 0
    etitles = {a.get("id"): a.get("title") for a in root.findall(".//g:attributes[@class='edge']/g:attribute", ns)}
    kinds = sorted(
        next(v.get("value") for v in e.findall(".//g:attvalue", ns) if etitles[v.get("for")] == "kind") for e in edges
    )
    assert kinds == sorted(k for _, _, k in G.edges(data="kind"))


def test_json_node_link(G, tmp_path):
    data = json.loads(export(G, tmp_path / "g.json", "json").read_text())
    assert len(data["nodes"]) == G.number_of_nodes() and len(data["edges"]) == G.number_of_edges()
    node = next(n for n in data["nodes"] if n["id"] == "org-charity")
    for k, v in G.nodes["org-charity"].items():
        assert node[k] == ("; ".join(v) if isinstance(v, tuple) else v)
    # every relationship keeps its ends, kind, weight and provenance (`source` is a data column)
    got = sorted((e["from"], e["to"], e["kind"], e["source"], e["weight"]) for e in data["edges"])
    assert got == sorted((u, v, d["kind"], d["source"], d["weight"]) for u, v, d in G.edges(data=True))
    back = nx.node_link_graph(data, edges="edges", source="from", target="to")
    assert back.number_of_edges() == G.number_of_edges() and back.is_multigraph()


def test_kumu_workbook(G, tmp_path):
    wb = load_workbook(export(G, tmp_path / "k.xlsx", "kumu"))
    el = list(wb["Elements"].values)
    con = list(wb["Connections"].values)
    assert el[0][:4] == ("Label", "Type", "Tags", "ID")
    assert con[0][:4] == ("From", "To", "Type", "Direction")
    assert len(el) - 1 == G.number_of_nodes() and len(con) - 1 == G.number_of_edges()
    labels = [r[0] for r in el[1:]]
    assert len(set(labels)) == len(labels)  # Kumu matches connections by label
    label_of = {r[3]: r[0] for r in el[1:]}
    assert ("Care Charity", "North LCP", "member_of", "directed") in [r[:4] for r in con[1:]]
    assert (label_of["org-gp"], label_of["org-charity"], "works_with", "undirected") in [r[:4] for r in con[1:]]


def test_kumu_disambiguates_shared_names(tmp_path):
    G = lcpgraph.load(FIXTURES / "tiny")
    G.add_node("org-gp-2", kind="organisation", name="Hill Surgery", sector="primary care", source="x")
    wb = load_workbook(export(G, tmp_path / "k.xlsx", "kumu"))
    labels = [r[0] for r in list(wb["Elements"].values)[1:]]
    assert "Hill Surgery (org-gp)" in labels and "Hill Surgery (org-gp-2)" in labels


def test_cli_export(tmp_path):
    r = CliRunner().invoke(
        main, ["export", str(FIXTURES / "tiny"), "--format", "graphml", "-o", str(tmp_path / "x.graphml")]
    )
    assert r.exit_code == 0 and (tmp_path / "x.graphml").exists()


def _flat(v):
    return "; ".join(v) if isinstance(v, tuple) else v


def test_graphml_keeps_every_attribute_of_every_record_and_relationship(G, tmp_path):
    g = ig.Graph.Read_GraphML(str(export(G, tmp_path / "all.graphml", "graphml")))
    by_id = {v["id"]: v.attributes() for v in g.vs}
    for n, attrs in G.nodes(data=True):
        for k, v in attrs.items():
            assert by_id[n][k] == _flat(v), (n, k)
    got = sorted((g.vs[e.source]["id"], g.vs[e.target]["id"], e["kind"], e["source"], e["weight"]) for e in g.es)
    want = sorted((u, v, d["kind"], d["source"], d["weight"]) for u, v, d in G.edges(data=True))
    assert got == want
    starts = {(g.vs[e.source]["id"], g.vs[e.target]["id"]): e["start"] for e in g.es if e["start"]}
    assert starts == {(u, v): d["start"] for u, v, d in G.edges(data=True) if "start" in d}


def test_gexf_and_graphml_keep_the_maps_look(tmp_path):
    from lcpgraph.render.map import node_styles

    G = lcpgraph.load(FIXTURES / "tiny")
    look = node_styles(G)
    export(G, tmp_path / "t.gexf", "gexf")
    back = nx.read_gexf(tmp_path / "t.gexf")
    viz = back.nodes["org-charity"]["viz"]
    # Gephi reads the map's colour, size and position (its y axis points up, the map's down)
    colour = look["org-charity"]["color"]
    assert (viz["color"]["r"], viz["color"]["g"], viz["color"]["b"]) == tuple(
        int(colour[i : i + 2], 16) for i in (1, 3, 5)
    )
    assert viz["size"] == pytest.approx(look["org-charity"]["size"])
    assert (viz["position"]["x"], viz["position"]["y"]) == pytest.approx(
        (look["org-charity"]["x"], -look["org-charity"]["y"])
    )
    export(G, tmp_path / "t.graphml", "graphml")
    g = nx.read_graphml(tmp_path / "t.graphml")
    assert g.nodes["org-charity"]["color"] == colour and g.nodes["org-charity"]["x"] == pytest.approx(
        look["org-charity"]["x"]
    )


def test_kumu_is_the_same_bytes_every_run_and_its_text_is_never_a_formula(tmp_path):
    import shutil

    from openpyxl import load_workbook

    shutil.copytree(FIXTURES / "tiny", tmp_path / "d")
    p = tmp_path / "d" / "organisations.csv"
    p.write_text(p.read_text().replace("Lonely Charity", '"=HYPERLINK(""http://x"",""click"")"'))
    G = lcpgraph.load(tmp_path / "d")
    a = export(G, tmp_path / "a.xlsx", "kumu").read_bytes()
    b = export(G, tmp_path / "b.xlsx", "kumu").read_bytes()
    assert a == b
    ws = load_workbook(tmp_path / "a.xlsx")["Elements"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" and c.value.startswith("'=") for c in cells)
