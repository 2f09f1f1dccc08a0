"""Derived views: the simple graph, memberships and the organisation projection."""

import itertools
import random

import networkx as nx
from networkx.algorithms import bipartite

import lcpgraph
from lcpgraph.views import forum_members, lcps, memberships, organisation_projection, simple_graph

from .conftest import FIXTURES


def test_memberships_on_tiny():
    G = lcpgraph.load(FIXTURES / "tiny")
    m = memberships(G)
    assert m["org-charity"] == ["lcp-north", "lcp-south"]
    assert m["person-chair"] == ["lcp-north"]  # chairs counts as sitting in the forum
    assert m["org-lonely"] == []
    assert forum_members(G)["board-hwb"] == ["org-trust"]  # the LCP reports to it but is not a member
    assert lcps(G) == ["lcp-north", "lcp-south"]


def test_simple_graph_merges_parallel_relationships():
    G = lcpgraph.load(FIXTURES / "tiny")
    H = simple_graph(G)
    assert H.number_of_nodes() == 8
    assert H.number_of_edges() == 8  # tiny/ has no parallel relationships
    assert H["org-trust"]["board-hwb"]["weight"] == 2.0


def test_projection_on_tiny_by_hand():
    # North LCP: gp, charity (+ a person, not projected). South LCP: charity, trust.
    # HWB board: trust. Direct tie: gp works_with charity.
    # So gp–charity: 1 shared forum + 1 direct tie = 2; charity–trust: 1 shared forum; lonely: none.
    P = organisation_projection(lcpgraph.load(FIXTURES / "tiny"))
    assert sorted(P.edges(data=True)) == [
        ("org-charity", "org-gp", {"shared_forums": 1, "direct_ties": 1, "weight": 2.0}),
        ("org-charity", "org-trust", {"shared_forums": 1, "direct_ties": 0, "weight": 1.0}),
    ]
    assert "org-lonely" in P and P.degree("org-lonely") == 0


def test_projection_matches_networkx_bipartite_projection_on_random_graphs():
    rng = random.Random(7)
    for _ in range(20):
        G = nx.MultiDiGraph()
        orgs = [f"o{i}" for i in range(rng.randint(2, 15))]
        forums = [f"f{i}" for i in range(rng.randint(1, 6))]
        G.add_nodes_from(orgs, kind="organisation")
        G.add_nodes_from(forums, kind="partnership")
        for o, f in itertools.product(orgs, forums):
            if rng.random() < 0.3:
                G.add_edge(o, f, kind=rng.choice(["member_of", "chairs"]))
                if rng.random() < 0.2:  # chairing and membership of one forum count once
                    G.add_edge(o, f, kind="member_of")
        B = nx.Graph()
        B.add_nodes_from(orgs, bipartite=0)
        B.add_nodes_from(forums, bipartite=1)
        B.add_edges_from((u, v) for u, v in G.edges())
        expected = bipartite.weighted_projected_graph(B, orgs)
        P = organisation_projection(G)
        assert {tuple(sorted(e)) for e in P.edges()} == {tuple(sorted(e)) for e in expected.edges()}
        for u, v, w in expected.edges(data="weight"):
            assert P[u][v]["shared_forums"] == w
