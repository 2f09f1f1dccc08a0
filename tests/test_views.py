"""Views: the membership rule, units, reporting lines, current ties, and the simple graphs."""

import datetime as dt
import itertools
import random

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from networkx.algorithms import bipartite

import lcpgraph
from lcpgraph import schema, views
from lcpgraph.views import members, memberships, organisation_projection, pairs_in_runs, seats, simple_graph, units

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def county():
    return lcpgraph.load(FIXTURES / "county")


def test_memberships_on_tiny():
    G = lcpgraph.load(FIXTURES / "tiny")
    m = memberships(G)
    assert m["org-charity"] == ["lcp-north", "lcp-south"]
    assert m["person-chair"] == ["lcp-north"]  # chairs counts as sitting in the forum
    assert m["org-lonely"] == []
    assert members(G, "board-hwb") == ["org-trust"]  # the LCP reports to it but is not a member
    assert units(G) == ["lcp-north", "lcp-south"]


def test_membership_rule_on_the_county(county):
    # By hand from tests/fixtures/county/README.md: practices are members of their locality
    # through the sub-locality that is part_of it; the chair through chairs.
    assert members(county, "loc-north") == [
        "ch-north-carers",
        "ch-shire-mind",
        "gp-hillbury",
        "gp-northtown",
        "la-asc",
        "person-chair-north",
    ]
    assert members(county, "loc-east") == [
        "ch-eastport-food",
        "ch-shire-mind",
        "gp-eastport-hc",
        "gp-eastport-mc",
        "la-asc",
    ]
    assert len(members(county, "loc-west")) == 6
    assert members(county, "sub-eastport") == ["ch-eastport-food", "gp-eastport-hc", "gp-eastport-mc"]
    # The ICB has the three localities inside it, so all of their members.
    assert len(members(county, "board-icb")) == 6 + 5 + 6 - 2 * 2  # Shire Mind and Social Care counted once
    assert views.sub_units(county)["board-icb"] == ["loc-east", "loc-north", "loc-west"]
    # The local units are the localities, not the sub-localities (place.csv: unit_types locality).
    assert units(county) == ["loc-east", "loc-north", "loc-west"]
    # A seat is direct: the practice sits in its sub-locality only.
    assert seats(county)["gp-northtown"] == ["sub-northtown"]


def test_support_and_shared_posts_make_members():
    M = nx.MultiDiGraph()
    M.add_node("l", kind="partnership", type="lcp", name="L")
    M.add_node("dev", kind="organisation", name="Dev")
    M.add_node("cc", kind="person", name="CC")
    M.add_node("funder", kind="organisation", name="Funder")
    M.add_edge("dev", "l", kind="supports")
    M.add_edge("l", "cc", kind="shares_role")  # a two-way tie written the other way round
    M.add_edge("funder", "l", kind="funds")  # funding is not membership
    assert members(M, "l") == ["cc", "dev"]


def test_person_takes_employers_sector_only_when_they_have_none(county):
    sec = views.sector_of(county)
    assert sec["person-chair-north"] == "primary care"  # no sector of their own; employer's
    M = nx.MultiDiGraph()
    M.add_node("p", kind="person", sector="elected members")
    M.add_node("o", kind="organisation", sector="third sector")
    M.add_edge("p", "o", kind="employed_by")
    assert views.sector_of(M)["p"] == "elected members"


def test_reporting_chain_follows_reporting_and_containment(county):
    assert views.reporting_chain(county, "sub-hillbury") == [
        ("sub-hillbury", "loc-north"),
        ("loc-north", "board-icb"),
        ("loc-north", "board-place"),
        ("board-place", "board-hwb"),
    ]
    assert views.reaches_board(county, "sub-hillbury")


def test_ended_ties_are_not_current_and_as_of_asks_about_another_day(tmp_path):
    import shutil

    shutil.copytree(FIXTURES / "tiny", tmp_path / "d")
    p = tmp_path / "d" / "relationships.csv"
    lines = p.read_text().splitlines()
    header = lines[0].split(",")
    row = dict(zip(header, lines[1].split(","), strict=False))
    assert row["from"] == "org-gp" and row["to"] == "lcp-north"
    row["start"], row["end"] = "2020-01-01", "2022-03-31"
    lines[1] = ",".join(row.get(h, "") for h in header)
    p.write_text("\n".join(lines) + "\n")
    G = lcpgraph.load(tmp_path / "d")
    assert "lcp-north" not in memberships(G)["org-gp"]  # ended: not current today
    then = views.at(G, "2021-06-01")
    assert "lcp-north" in memberships(then)["org-gp"]
    assert views.as_of(G) == dt.date.today() and "as_of" not in G.graph  # the view has its own day
    assert lcpgraph.load(tmp_path / "d", as_of="2021-06-01").graph["as_of"] == "2021-06-01"


def test_roles_not_kind_names_decide():
    # Every relationship kind has a role, and the views ask only the role.
    assert {k.role for k in schema.RELATIONSHIP_KINDS.values()} <= set(schema.ROLES)
    assert schema.kinds_with_role(*schema.MEMBER_ROLES) == ("member_of", "chairs", "supports", "shares_role")


def test_cache_is_rebuilt_when_records_change_or_when_told():
    G = lcpgraph.load(FIXTURES / "tiny")
    assert memberships(G)["org-lonely"] == []
    G.add_edge("org-lonely", "lcp-north", key=99, kind="member_of")
    views.forget(G)  # a relationship between existing records: the cache is told
    assert memberships(G)["org-lonely"] == ["lcp-north"]
    G.add_node("org-new", kind="organisation", name="New")
    G.add_edge("org-new", "lcp-north", key=100, kind="member_of")  # a new record: noticed by itself
    assert memberships(G)["org-new"] == ["lcp-north"]


def test_simple_graph_merges_parallel_relationships():
    G = lcpgraph.load(FIXTURES / "tiny")
    H = simple_graph(G)
    assert H.number_of_nodes() == 8
    assert H.number_of_edges() == 8  # tiny/ has no parallel relationships
    assert H["org-trust"]["board-hwb"]["weight"] == 2.0


def test_full_igraph_is_the_simple_graph():
    G = lcpgraph.load()
    g, ids = views.derived(G).full_igraph
    H = simple_graph(G)
    got = {(ids[a], ids[b]): w for (a, b), w in zip(g.get_edgelist(), g.es["weight"], strict=True)}
    want = {tuple(sorted((u, v))): w for u, v, w in H.edges(data="weight")}
    assert got == want and ids == sorted(H)


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


def test_projection_refuses_a_forum_too_big_to_project(monkeypatch):
    G = nx.MultiDiGraph()
    G.add_node("f", kind="partnership")
    for i in range(60):
        G.add_node(f"o{i}", kind="organisation")
        G.add_edge(f"o{i}", "f", kind="member_of")
    monkeypatch.setattr(views, "MAX_PROJECTED_PAIRS", 1000)  # 60 members tie 1,770 pairs
    with pytest.raises(lcpgraph.LcpGraphError, match="would tie up to 1,770 pairs"):
        organisation_projection(G)


def test_pairs_in_runs_by_hand():
    # groups {0, 1, 2}, {3}, {4, 5}: three pairs in the first, none in the second, one in the third
    p, q = pairs_in_runs(np.array([3, 1, 2]))
    assert list(zip(p.tolist(), q.tolist(), strict=True)) == [(0, 1), (0, 2), (1, 2), (4, 5)]
    p, q = pairs_in_runs(np.array([], dtype=np.int64))
    assert p.tolist() == q.tolist() == []


@given(sizes=st.lists(st.integers(min_value=0, max_value=6), max_size=8))
def test_pairs_in_runs_is_every_pair_of_each_group(sizes):
    groups = np.repeat(np.arange(len(sizes)), sizes)
    expected = [(a, b) for a, b in itertools.combinations(range(len(groups)), 2) if groups[a] == groups[b]]
    p, q = pairs_in_runs(np.array(sizes, dtype=np.int64))
    assert list(zip(p.tolist(), q.tolist(), strict=True)) == expected
