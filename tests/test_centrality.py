"""Centrality: hand-worked small graphs, and agreement with networkx's own implementations."""

import random

import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner

import lcpgraph
from lcpgraph.analysis.centrality import CENTRALITY_COLUMNS, analysis_graph, centrality
from lcpgraph.cli import main
from lcpgraph.exceptions import LcpGraphError

from .conftest import FIXTURES


def _multi(edges, isolated=(), sector=lambda n: "third sector"):
    M = nx.MultiDiGraph()
    for n in sorted({x for e in edges for x in e} | set(isolated)):
        M.add_node(n, kind="organisation", name=n.upper(), sector=sector(n))
    for u, v in edges:
        M.add_edge(u, v, kind="works_with", weight=1.0)
    return M


def test_star_by_hand():
    # Star: hub h with leaves a, b, c, d. Every one of the C(4,2) = 6 leaf pairs routes through h,
    # and normalised betweenness divides by C(n-1, 2) = C(4,2) = 6, so h scores 1 and leaves 0.
    # Closeness of h: 4 nodes at distance 1 -> 4/4 = 1; a leaf: distances 1+2+2+2 = 7 -> 4/7.
    df = centrality(_multi([("h", x) for x in "abcd"])).set_index("id")
    assert df.loc["h", "betweenness"] == 1.0
    assert (df.loc[list("abcd"), "betweenness"] == 0).all()
    assert df.loc["h", "closeness"] == 1.0
    assert df.loc["a", "closeness"] == pytest.approx(4 / 7)
    assert df.loc["h", "degree"] == 4 and df.loc["h", "rank"] == 1
    assert list(df.reset_index().columns) == list(CENTRALITY_COLUMNS)


def test_isolated_node_scores_zero_and_closeness_is_wasserman_faust():
    # Path a-b-c plus isolated z (n = 4). b reaches 2 of 3 others at total distance 2:
    # WF closeness = (2/3) * (2/2) = 2/3. z reaches nobody -> 0.
    df = centrality(_multi([("a", "b"), ("b", "c")], isolated=["z"])).set_index("id")
    assert df.loc["b", "closeness"] == pytest.approx(2 / 3)
    assert df.loc["z", ["degree", "betweenness", "closeness", "eigenvector"]].tolist() == [0, 0, 0, 0]
    # b is on the a-c path: 1 pair of C(3,2) = 3 pairs among the other three nodes.
    assert df.loc["b", "betweenness"] == pytest.approx(1 / 3)


def _random_multigraph(seed):
    rng = random.Random(seed)
    H = nx.gnm_random_graph(rng.randint(5, 40), rng.randint(4, 80), seed=seed)
    M = nx.MultiDiGraph()
    for n in H:
        M.add_node(f"n{n:02d}", kind="organisation", name=f"N{n}", sector=rng.choice(["a", "b", "c"]))
    for u, v in H.edges():
        M.add_edge(f"n{u:02d}", f"n{v:02d}", kind="works_with", weight=float(rng.randint(1, 3)))
    return M


@pytest.mark.parametrize("seed", range(12))
def test_agrees_with_networkx(seed):
    M = _random_multigraph(seed)
    H = analysis_graph(M)
    df = centrality(M).set_index("id")
    bc = nx.betweenness_centrality(H)
    cc = nx.closeness_centrality(H)
    pr = nx.pagerank(H, weight="weight", tol=1e-13, max_iter=10_000)
    for n in H:
        assert df.loc[n, "betweenness"] == pytest.approx(bc[n], abs=1e-9)
        assert df.loc[n, "closeness"] == pytest.approx(cc[n], abs=1e-9)
        assert df.loc[n, "pagerank"] == pytest.approx(pr[n], abs=1e-9)
        assert df.loc[n, "degree"] == H.degree(n)
        assert df.loc[n, "weighted_degree"] == pytest.approx(H.degree(n, weight="weight"))


@pytest.mark.parametrize("seed", range(6))
def test_eigenvector_is_networkx_per_component_scaled_by_component_share(seed):
    M = _random_multigraph(seed + 100)
    H = analysis_graph(M)
    df = centrality(M).set_index("id")
    n = H.number_of_nodes()
    for comp in nx.connected_components(H):
        if len(comp) < 3:
            continue
        ev = nx.eigenvector_centrality_numpy(H.subgraph(comp), weight="weight")
        top = max(ev.values())
        for v in comp:
            assert df.loc[v, "eigenvector"] == pytest.approx(abs(ev[v]) / top * len(comp) / n, abs=1e-6)
    assert np.isfinite(df["eigenvector"]).all()


def test_sampled_betweenness_is_close_to_exact_and_seeded():
    H = nx.connected_watts_strogatz_graph(400, 6, 0.1, seed=3)
    M = nx.MultiDiGraph()
    for n in H:
        M.add_node(f"n{n:03d}", kind="organisation", sector="x")
    for u, v in H.edges():
        M.add_edge(f"n{u:03d}", f"n{v:03d}", kind="works_with")
    exact = centrality(M).set_index("id").sort_index()
    est = centrality(M, exact=False, samples=200, seed=1).set_index("id").sort_index()
    again = centrality(M, exact=False, samples=200, seed=1).set_index("id").sort_index()
    assert est.equals(again)
    assert np.corrcoef(exact["betweenness"], est["betweenness"])[0, 1] > 0.95
    assert np.corrcoef(exact["closeness"], est["closeness"])[0, 1] > 0.95


def test_rank_within_sector_and_projection_view():
    G = lcpgraph.load(FIXTURES / "tiny")
    df = centrality(G, graph="organisations")
    assert set(df["kind"]) == {"organisation"}
    # Projection: gp - charity - trust is a path; the charity brokers, lonely is isolated.
    assert df.iloc[0]["id"] == "org-charity"
    third = df[df["sector"] == "third sector"]
    assert third["rank_in_sector"].tolist() == [1, 2]
    with pytest.raises(LcpGraphError, match="graph 'people' is not known"):
        centrality(G, graph="people")


def test_cli_centrality_top_and_by_sector():
    r = CliRunner().invoke(main, ["centrality", str(FIXTURES / "tiny"), "--top", "2", "--format", "csv"])
    assert r.exit_code == 0, r.output
    body = [line.split(",")[0] for line in r.output.splitlines()[1:]]
    assert body == ["lcp-north", "org-charity"]  # tiny/: the North LCP and the charity broker most
    r = CliRunner().invoke(main, ["centrality", str(FIXTURES / "tiny"), "--top", "2"], env={"COLUMNS": "100"})
    lines = r.output.splitlines()
    assert lines[0] == "Who holds the network together"
    rows = [line for line in lines if line.startswith(("North LCP", "Care Charity"))]
    assert [row.split("  ")[0] for row in rows] == ["North LCP", "Care Charity"]  # names, not ids, come first
    r = CliRunner().invoke(
        main, ["centrality", str(FIXTURES / "tiny"), "--by", "sector", "--top", "1", "--format", "csv"]
    )
    assert r.exit_code == 0, r.output
    lines = r.output.strip().splitlines()[1:]
    sectors = [line.split(",")[3] for line in lines]
    assert len(sectors) == len(set(sectors))  # one row per sector
