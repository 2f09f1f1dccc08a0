"""Gap analyses on tests/fixtures/gaps/, whose answers are worked out in the comments."""

import random

import networkx as nx
import pytest

import lcpgraph
from lcpgraph.analysis import gaps
from lcpgraph.exceptions import ValidationError
from lcpgraph.views import simple_graph

from .conftest import FIXTURES

# The fixture, by hand:
#   East LCP: City Trust, East Surgery, East Charity, Busy Charity   -> reports to the HWB
#   West LCP: City Trust, Bridge Charity, Busy Charity               -> no reporting line
#   North LCP: Busy Charity                                          -> reports to Empty Board -> HWB
#   Island LCP: Island Housing (nothing else: a fragment with no board)
#   Residents Forum: Bridge Charity, Rita Resident
#   Citywide Network works with Bridge Charity only; Lonely Charity has no ties at all.


@pytest.fixture(scope="module")
def G():
    return lcpgraph.load(FIXTURES / "gaps")


def test_isolated(G):
    assert gaps.isolated_partners(G)["id"].tolist() == ["org-lonely"]
    assert gaps.isolated_partners(G, ["housing"]).empty


def test_peripheral(G):
    df = gaps.peripheral_partners(G).set_index("id")
    assert df["reason"].to_dict() == {
        "org-citywide-none": "no forum",
        "org-charity-east": "one forum only",
        "org-gp-east": "one forum only",
        "org-island": "one forum only; no path to a board",
        "person-resident": "one forum only",
    }
    third = gaps.peripheral_partners(G, ["Third Sector"])
    assert sorted(third["id"]) == ["org-charity-east", "org-citywide-none"]


def test_coverage_and_missing(G):
    cov = gaps.sector_coverage(G).set_index("unit")
    assert cov.loc["lcp-east", ["primary care", "secondary care", "third sector", "housing"]].tolist() == [1, 1, 2, 0]
    assert cov.loc["lcp-east", "members"] == 4
    assert cov.loc["lcp-island", "housing"] == 1
    miss = gaps.missing_sectors(G).set_index("unit")
    # The fixture has no place.csv: the default mix of 10 sectors. East has 3 of them, North
    # only third sector.
    assert miss.loc["lcp-east", "missing"] == 7
    assert miss.loc["lcp-north", "missing"] == 9
    assert "housing" in miss.loc["lcp-east", "missing_sectors"]
    custom = gaps.missing_sectors(G, ("third sector", "housing")).set_index("unit")
    assert custom["missing_sectors"].to_dict() == {
        "lcp-island": "third sector",
        "lcp-east": "housing",
        "lcp-north": "housing",
        "lcp-west": "housing",
    }


def test_expected_sectors_file(tmp_path):
    good = tmp_path / "mix.csv"
    good.write_text("sector\nThird sector\nhousing\n")
    assert gaps.read_expected_sectors(good) == ("third sector", "housing")
    lines = tmp_path / "mix.txt"
    lines.write_text("primary care\nhousng\n")
    with pytest.raises(
        ValidationError,
        match=r"mix.txt, row 2, column 'sector': sector 'housng' is not known; "
        r"did you mean 'housing'\?",
    ):
        gaps.read_expected_sectors(lines)


def test_reporting_lines_and_empty_boards(G):
    assert gaps.unreported_units(G)["unit"].tolist() == ["lcp-island", "lcp-west"]
    eb = gaps.empty_boards(G)
    assert eb[["board", "reporting_in"]].values.tolist() == [["board-empty", 1]]


def test_single_points_of_failure(G):
    df = gaps.single_points_of_failure(G)
    # Bridge Charity holds the Residents Forum (and Rita) and the Citywide Network to the rest.
    assert df[["id", "cut_off", "pieces"]].values.tolist() == [["org-bridge", 3, 3]]
    assert df.loc[0, "cut_off_names"] == "Citywide Network; Residents Forum; Rita Resident"


def _naive_cut_off(H, v):
    comp = nx.node_connected_component(H, v)
    rest = H.subgraph(comp - {v})
    sizes = sorted((len(c) for c in nx.connected_components(rest)), reverse=True)
    return sum(sizes[1:]), len(sizes)


@pytest.mark.parametrize("seed", range(20))
def test_block_cut_tree_matches_removing_each_node(seed):
    rng = random.Random(seed)
    T = nx.random_labeled_tree(rng.randint(3, 30), seed=seed)
    H0 = nx.Graph(T)
    H0.add_edges_from(rng.sample(list(nx.non_edges(H0)), min(rng.randint(0, 10), len(list(nx.non_edges(H0))))))
    H0.add_nodes_from(range(100, 100 + rng.randint(0, 3)))
    M = nx.MultiDiGraph()
    for n in H0:
        M.add_node(f"n{n:03d}", kind="organisation", name=f"N{n}")
    for u, v in H0.edges():
        M.add_edge(f"n{u:03d}", f"n{v:03d}", kind="works_with")
    H = simple_graph(M)
    df = gaps.single_points_of_failure(M).set_index("id")
    aps = set(nx.articulation_points(H))
    assert set(df.index) == aps
    for v in aps:
        assert (df.loc[v, "cut_off"], df.loc[v, "pieces"]) == _naive_cut_off(H, v)
    ties = gaps.critical_ties(M)
    # Every bridge whose smaller side holds two or more records (a node's only tie is left out).
    sides = {}
    for u, v in nx.bridges(H):
        K = H.copy()
        K.remove_edge(u, v)
        sides[tuple(sorted((u, v)))] = min(
            len(nx.node_connected_component(K, u)), len(nx.node_connected_component(K, v))
        )
    assert {(r.a, r.b) for r in ties.itertuples()} == {e for e, size in sides.items() if size >= 2}
    for r in ties.itertuples():
        K = H.copy()
        K.remove_edge(r.a, r.b)
        side_a, side_b = nx.node_connected_component(K, r.a), nx.node_connected_component(K, r.b)
        assert r.cut_off == min(len(side_a), len(side_b))
    # The names listed are the first few of the smaller side alphabetically (a's side on a tie).
    for r in gaps.critical_ties(M, names=3).itertuples():
        K = H.copy()
        K.remove_edge(r.a, r.b)
        side_a, side_b = nx.node_connected_component(K, r.a), nx.node_connected_component(K, r.b)
        side = side_a if len(side_a) <= len(side_b) else side_b
        names = sorted(M.nodes[n]["name"] for n in side)
        more = f"; and {len(names) - 3} more" if len(names) > 3 else ""
        assert r.cut_off_names == "; ".join(names[:3]) + more


def test_critical_ties(G):
    df = gaps.critical_ties(G)
    # West LCP – Bridge Charity is Bridge's only tie to the main network: losing it cuts off
    # Bridge, the Residents Forum, Rita and the Citywide Network (4). Then Bridge – Forum (2).
    assert df[["a", "b", "cut_off"]].values.tolist()[:2] == [
        ["lcp-west", "org-bridge", 4],
        ["forum-residents", "org-bridge", 2],
    ]
    assert df.loc[1, "cut_off_names"] == "Residents Forum; Rita Resident"


def test_sector_contacts(G):
    m = gaps.sector_contact_matrix(G).set_index("sector")
    # Projection ties: trust-gp, trust-charity, trust-busy, gp-charity, gp-busy, charity-busy,
    # trust-bridge, bridge-busy, citywide-bridge.
    assert m.loc["secondary care", "third sector"] == 3
    assert m.loc["primary care", "third sector"] == 2
    assert m.loc["third sector", "third sector"] == 3
    assert m.loc["primary care", "secondary care"] == 1
    never = gaps.sectors_that_never_meet(G)
    assert never[["sector_a", "sector_b"]].values.tolist() == [
        ["primary care", "housing"],
        ["secondary care", "housing"],
        ["third sector", "housing"],
    ]


def test_place_wide_reach(G):
    df = gaps.place_wide_reach(G, max_units=2)
    assert df[["id", "units", "flag"]].values.tolist() == [
        ["org-citywide-none", 0, "in none"],
        ["org-busy", 3, "over-stretched"],
    ]


def test_support_and_shared_posts_count_as_presence():
    # The development team supports the LCP and a care coordinator shares a post with it:
    # both are present for coverage, though neither is a member.
    M = nx.MultiDiGraph()
    M.add_node("l", kind="partnership", type="lcp", name="L")
    M.add_node("dev", kind="organisation", sector="lcp development team", name="Dev")
    M.add_node("cc", kind="person", sector="primary care", name="CC", role="Care coordinator")
    M.add_edge("dev", "l", kind="supports")
    M.add_edge("cc", "l", kind="shares_role")
    row = gaps.sector_coverage(M).iloc[0]
    assert (row["lcp development team"], row["primary care"], row["third sector"]) == (1, 1, 0)


# --- another place: the invented county (tests/fixtures/county/README.md) -------------------


@pytest.fixture(scope="module")
def county():
    return lcpgraph.load(FIXTURES / "county")


def test_county_units_have_their_members_and_coverage(county):
    cov = gaps.sector_coverage(county).set_index("name")
    # The place's own mix (place.csv): primary care, social care, third sector, housing.
    assert list(cov.columns[:5]) == ["unit", "members", "primary care", "social care", "third sector"]
    # North Shire: 2 practices + the chair (a person with no sector of their own: their
    # employer's, primary care); Shire Adult Social Care; North Shire Carers + Shire Mind.
    assert cov.loc["North Shire", ["members", "primary care", "social care", "third sector", "housing"]].tolist() == [
        6,
        3,
        1,
        2,
        0,
    ]
    miss = gaps.missing_sectors(county).set_index("name")["missing_sectors"].to_dict()
    assert miss == {"North Shire": "housing", "East Shire": "housing", "Market Harborough": ""}


def test_county_boards_with_localities_inside_are_not_empty(county):
    assert gaps.empty_boards(county).empty  # the ICB's members are its localities'
    assert gaps.unreported_units(county).empty  # every locality is part of the ICB


def test_county_place_wide_partners(county):
    # place_scope countywide, max 2 localities (place.csv).
    df = gaps.place_wide_reach(county)
    assert df[["name", "units", "flag"]].values.tolist() == [
        ["Shire Community Health", 0, "in none"],
        ["Shire Adult Social Care", 3, "over-stretched"],
        ["Shire Mind", 3, "over-stretched"],
    ]


def test_county_focus_lists(county):
    assert gaps.isolated_partners(county, ["third sector"])["name"].tolist() == ["Lonely Lane Charity"]
    per = gaps.peripheral_partners(county, ["third sector"])
    # seats in one forum only: the two local charities and Eastport Food Bank
    assert per["name"].tolist() == ["Eastport Food Bank", "North Shire Carers", "Quiet Charity"]


def test_a_tree_shaped_place_has_no_critical_ties_just_for_its_shape(county):
    # Every reporting and containment line of the county is a bridge; none is listed.
    assert not gaps.critical_ties(county)["kinds"].str.contains("part_of|reports_to").any()


def test_people_are_listed_under_their_employers_sector_not_their_own():
    M = nx.MultiDiGraph()
    M.add_node("l", kind="partnership", type="lcp", name="L")
    M.add_node("b", kind="board", name="B")
    M.add_node("gp", kind="organisation", sector="primary care", name="GP")
    M.add_node("chair", kind="person", sector="third sector", name="Chair", role="Chair")
    M.add_edge("chair", "l", kind="chairs")
    M.add_edge("chair", "gp", kind="employed_by")
    M.add_edge("l", "b", kind="reports_to")
    M.add_edge("gp", "b", kind="member_of")
    # The chair's role says "third sector", but they work for a practice.
    assert gaps.peripheral_partners(M, ["third sector"]).empty
    assert gaps.peripheral_partners(M, ["primary care"])["id"].tolist() == ["chair", "gp"]
