"""Recommendations: key players, introductions, which unit to join, less duplication, report and map text."""

import itertools
import json
import math

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lcpgraph
from lcpgraph import catalogue
from lcpgraph.analysis import recommend as rec
from lcpgraph.analysis.gaps import isolated_partners, peripheral_partners
from lcpgraph.cli import main
from lcpgraph.exceptions import LcpGraphError, NotFoundError
from lcpgraph.views import derived, members, seats

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def leeds():
    return lcpgraph.load()


@pytest.fixture(scope="module")
def county():
    return lcpgraph.load(FIXTURES / "county")


def _as_loaded(H: nx.Graph) -> nx.MultiDiGraph:
    """A plain graph as lcpgraph holds one: every node an organisation, every edge a working tie."""
    M = nx.MultiDiGraph()
    for n in H:
        M.add_node(str(n), kind="organisation", name=str(n))
    for u, v in H.edges():
        M.add_edge(str(u), str(v), kind="works_with")
    return M


# --- the key-player measures, by hand --------------------------------------------------------

# a - b - c - d - e


@pytest.fixture(scope="module")
def path():
    return _as_loaded(nx.path_graph(["a", "b", "c", "d", "e"]))


def test_fragmentation_by_hand(path):
    # Without c: parts {a, b} and {d, e}; 4 records left, 12 ordered pairs, 4 still joined.
    assert rec.kpp_value(path, ["c"]) == pytest.approx(1 - 4 / 12)
    # Without b: parts {a} and {c, d, e}: 6 of 12 ordered pairs joined.
    assert rec.kpp_value(path, ["b"]) == pytest.approx(1 - 6 / 12)
    assert rec.kpp_value(path, []) == 0.0


def test_distance_fragmentation_by_hand(path):
    # Without b: c-d and d-e at 1, c-e at 2, both ways: 2 * (1 + 1 + 1/2) = 5 of 12.
    assert rec.kpp_value(path, ["b"], "distance") == pytest.approx(1 - 5 / 12)
    # Nobody lost: pairs at distance 1 (4), 2 (3), 3 (2), 4 (1), both ways, over 20.
    assert rec.kpp_value(path, [], "distance") == pytest.approx(1 - 2 * (4 + 3 / 2 + 2 / 3 + 1 / 4) / 20)


def test_reach_by_hand(path):
    assert rec.kpp_value(path, ["c"], "reach", steps=1) == pytest.approx(3 / 5)  # b, c, d
    assert rec.kpp_value(path, ["c"], "reach", steps=2) == 1.0
    assert rec.kpp_value(path, ["a", "e"], "reach", steps=1) == pytest.approx(4 / 5)
    # b itself counts 1; a, c at 1; d at 2; e at 3.
    assert rec.kpp_value(path, ["b"], "distance_reach") == pytest.approx((1 + 1 + 1 + 1 / 2 + 1 / 3) / 5)


def test_best_single_player_on_a_path_is_its_middle(path):
    r = rec.key_players(path, k=1)
    assert r.ids == ("c",) and r.optimum == pytest.approx(2 / 3) and r.gap == 0
    assert rec.key_players(path, k=2, measure="reach", steps=1).value == 1.0


# --- against brute force on small graphs ------------------------------------------------------


def _brute_value(H: nx.Graph, S, measure: str, steps: int) -> float:
    """The measure computed the plain way, with networkx, for one set."""
    n = H.number_of_nodes()
    if measure in ("fragmentation", "distance"):
        R = H.subgraph([x for x in H if x not in S])
        m = R.number_of_nodes()
        if m < 2:
            return 1.0
        if measure == "fragmentation":
            joined = sum(len(c) * (len(c) - 1) for c in nx.connected_components(R))
        else:
            joined = sum(1 / d for u, ds in nx.shortest_path_length(R) for v, d in ds.items() if u != v)
        return 1 - joined / (m * (m - 1))
    dist = nx.multi_source_dijkstra_path_length(H, set(S)) if S else {}
    if measure == "reach":
        return sum(1 for d in dist.values() if d <= steps) / n
    return sum(1.0 if d == 0 else 1 / d for d in dist.values()) / n


SMALL = {
    "florentine": nx.florentine_families_graph(),
    "barbell": nx.barbell_graph(5, 2),
    "star": nx.star_graph(6),
}


@pytest.mark.parametrize("graph", sorted(SMALL))
@pytest.mark.parametrize("measure", list(rec.KPP_MEASURES))
@pytest.mark.parametrize("k", [1, 2, 3])
def test_key_players_against_brute_force(graph, measure, k):
    H = nx.relabel_nodes(SMALL[graph], str)
    M = _as_loaded(H)
    best = max(_brute_value(H, S, measure, 2) for S in itertools.combinations(sorted(H), k))
    r = rec.key_players(M, k, measure)
    assert r.optimum == pytest.approx(best)  # every set was checked
    assert r.value == pytest.approx(best)
    assert _brute_value(H, r.ids, measure, 2) == pytest.approx(r.value)  # the set shown scores what it says
    assert r.greedy_value <= best + 1e-9 and r.gap == pytest.approx(best - r.greedy_value)
    greedy = rec.key_players(M, k, measure, exact_limit=0)  # the search alone
    assert greedy.optimum is None and greedy.gap is None
    assert _brute_value(H, greedy.ids, measure, 2) == pytest.approx(greedy.value)
    # on these small graphs greedy search with swaps and restarts finds the best set
    assert greedy.value == pytest.approx(best)


def test_barbell_cannot_lose_its_bridge():
    M = _as_loaded(nx.relabel_nodes(nx.barbell_graph(5, 1), str))  # two cliques 0-4, 6-10 joined by 5
    assert rec.key_players(M, 1).ids == ("5",)
    df = rec.cannot_lose(M, 1)
    assert df.loc[0, "cut_off"] == 5 and "would cut 5 records off" in df.loc[0, "why"]


def test_star_is_briefed_through_its_hub():
    M = _as_loaded(nx.relabel_nodes(nx.star_graph(6), str))
    df = rec.brief_first(M, 1, steps=1)
    assert df["id"].tolist() == ["0"] and df["reach_alone"].tolist() == [7]


def test_kinds_restrict_the_candidates(leeds):
    r = rec.key_players(leeds, 2, kinds=["organisation"])
    assert all(derived(leeds).kind[n] == "organisation" for n in r.ids)


def test_k_larger_than_the_candidates():
    M = _as_loaded(nx.path_graph(3))
    assert len(rec.key_players(M, 10).ids) == 3


def test_bad_measure_is_refused(path):
    with pytest.raises(LcpGraphError, match="did you mean 'reach'"):
        rec.key_players(path, 1, "rech")


def _pairs_left_dfs(g):
    return np.array(rec._search(g.get_adjlist())[2], dtype=np.int64)


@pytest.mark.parametrize("pairs_left", [rec._pairs_left_blocks, _pairs_left_dfs], ids=["blocks", "dfs"])
@settings(max_examples=60, deadline=None)
@given(st.integers(1, 18), st.lists(st.tuples(st.integers(0, 17), st.integers(0, 17)), max_size=40))
def test_every_removal_is_scored_like_removing_it(pairs_left, n, pairs):
    """The block–cut tree's and the depth-first search's answer for every vertex equal deleting it and counting."""
    g = ig.Graph(n=n, edges=[(a % n, b % n) for a, b in pairs if a % n != b % n]).simplify()
    got = pairs_left(g)
    memb = g.connected_components().membership
    sizes = g.connected_components().sizes()
    for v in range(n):
        h = g.copy()
        h.delete_vertices(v)
        after = sum(s * (s - 1) for s in h.connected_components().sizes())
        others = sum(s * (s - 1) for c, s in enumerate(sizes) if c != memb[v])
        assert got[v] == after - others


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 60), st.lists(st.tuples(st.integers(0, 59), st.integers(0, 59)), max_size=120))
def test_the_search_in_python_agrees_with_the_block_cut_tree(n, pairs):
    """Multi-edges and self-loops too: neither changes which vertices cut a part."""
    g = ig.Graph(n=n, edges=[(a % n, b % n) for a, b in pairs])
    assert np.array_equal(_pairs_left_dfs(g), rec._pairs_left_blocks(g))


def test_key_players_are_the_same_searched_either_way(monkeypatch):
    """Leeds' sets with the Python search (a city's network) and with the block–cut tree."""
    G = lcpgraph.load()
    small = rec.key_player_sets(G, 3)
    monkeypatch.setattr(rec, "SMALL_SEARCH", -1)
    pd.testing.assert_frame_equal(rec.key_player_sets(lcpgraph.load(), 3), small, check_exact=True)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 18),
    st.lists(st.tuples(st.integers(0, 17), st.integers(0, 17)), max_size=40),
    st.lists(st.integers(0, 17), max_size=12),
)
def test_the_graph_left_keeps_its_edges_in_order(n, pairs, gone):
    """The edges' ends of the graph without T, made in numpy from the whole graph's, are igraph's, in its order."""
    g = ig.Graph(n=n, edges=[(a % n, b % n) for a, b in pairs if a % n != b % n]).simplify()
    ends = np.array(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    obj = rec._Fragmentation(g, np.arange(n), ends)
    T = sorted({x % n for x in gone})
    h, _, got = obj._rest(T, with_ends=True)
    want = np.array(h.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    assert np.array_equal(np.sort(got, axis=1), np.sort(want, axis=1))
    assert np.array_equal(rec._pairs_left(h, got), rec._pairs_left(h))
    # and every candidate's value equals the one without the kept-by-set shortcut or the ends
    plain = rec._Fragmentation(g, np.arange(n))
    assert np.array_equal(obj.values_once(T), plain.values(T))
    # and the one from the graph left, searched with the block–cut tree
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(rec, "SMALL_SEARCH", -1)
        assert np.array_equal(rec._Fragmentation(g, np.arange(n), ends).values(T), plain.values(T))


# --- introductions --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def intro():
    return lcpgraph.load(FIXTURES / "recommend_intro")


@pytest.mark.parametrize("which", ["leeds", "county", "intro"])
def test_introductions_do_not_depend_on_what_partners_alike_share(which, request):
    """Each need's options are the same worked out alone as with the candidates, facts and rankings
    shared within one call of introductions (the order of the needs does not matter either)."""
    G = request.getfixturevalue(which)
    ctx = rec._context(G)
    mix = tuple(ctx.place.expected_sectors)
    partners = sorted(n for n, k in ctx.kind.items() if k in rec.PARTNER_KINDS)[::3]
    shared: dict = {}
    for p in reversed(partners):
        assert rec._partner_options(ctx, p, mix, 3, shared) == rec._partner_options(ctx, p, mix, 3, {})
    for u in ctx.units:
        near = set().union(*(ctx.contacts(m) for m in ctx.members.get(u, ())))
        for s in mix:
            assert rec._unit_options(ctx, u, s, near, 3, alike=shared) == rec._unit_options(ctx, u, s, near, 3)


def test_introductions_by_hand(intro):
    """tests/fixtures/recommend_intro: Hill End Garden (isolated, Hill End, gardening).

    North LCP covers Hill End (area 3), has no third sector partner (3), reports to the board
    (a first route to a board, 2), is in the other part of the network (2) and brings
    primary care and social care (1 + 1): 12. Hill End Growers works in Hill End (3) and
    gardens (2), with a route to a board (2) in the other part (2): 9. City Charity is the
    city's third-sector partner in an LCP (1), board (2), other part (2): 5. South LCP does not
    cover Hill End, and a local partner is introduced to the forums of its own area only.
    """
    df = rec.introductions(intro)
    garden = df[df["for_id"] == "org-garden"]
    assert garden[["introduce_id", "score", "priority"]].values.tolist() == [
        ["lcp-north", 12, 1],
        ["org-growers", 9, 2],
        ["org-city", 5, 3],
    ]
    first = garden.iloc[0]
    assert first["board_route"] and first["joins"] == 8
    assert first["fragmentation_drop"] == pytest.approx(2 * 1 * 8 / (9 * 8))
    assert first["new_sectors"] == "primary care; social care"
    assert first["why"].startswith(
        "Introduce Hill End Garden to North LCP: it works in Hill End, which North LCP covers"
    )
    assert garden.iloc[1]["why"].startswith(
        "Introduce Hill End Garden to Hill End Growers: both work in Hill End; both offer gardening"
    )


def test_unit_missing_a_sector_by_hand(intro):
    """North LCP has no third sector partner. Hill End Garden works there: 3 + area 3 + board 2 + joins 2 = 10.
    Hill End Growers works there too (3 + 3), and Adult Social Care sits in North and meets it in South (1): 7.
    City Charity works citywide (3 + 1), Adult Social Care again (1): 5."""
    df = rec.introductions(intro)
    north = df[(df["for_id"] == "lcp-north")]
    assert north[["introduce_id", "via_id", "score"]].values.tolist() == [
        ["org-garden", "", 10],
        ["org-growers", "org-asc", 7],
        ["org-city", "org-asc", 5],
    ]
    assert set(north["need"]) == {"no third sector partner"}
    assert "Adult Social Care sits in North LCP and already works with City Charity" in north.iloc[2]["why"]


def test_every_isolated_and_peripheral_focus_partner_gets_an_introduction(leeds):
    df = rec.introductions(leeds)
    wanted = set(isolated_partners(leeds, ["third sector"])["id"]) | set(
        peripheral_partners(leeds, ["third sector"])["id"]
    )
    assert wanted <= set(df["for_id"])
    assert df["why"].str.len().gt(20).all()
    assert (df["priority"] <= 3).all()


_KINDS = [
    ("member_of", "o", "f"),
    ("works_with", "o", "o"),
    ("reports_to", "f", "b"),
    ("chairs", "o", "f"),
    ("supports", "o", "f"),
]


@st.composite
def _graphs(draw):
    n_org, n_forum = draw(st.integers(1, 7)), draw(st.integers(1, 4))
    M = nx.MultiDiGraph()
    areas = ["Northtown", "Southport", "Hill End", ""]
    sectors = ["third sector", "primary care", "housing"]
    services = ["befriending", "advice", ""]
    for i in range(n_org):
        M.add_node(
            f"o{i}",
            kind="organisation",
            name=f"Org {i}",
            sector=draw(st.sampled_from(sectors)),
            scope=draw(st.sampled_from(["citywide", "local"])),
            area=draw(st.sampled_from(areas)),
            services=tuple(x for x in [draw(st.sampled_from(services))] if x),
        )
    for j in range(n_forum):
        M.add_node(
            f"f{j}",
            kind="partnership",
            type=draw(st.sampled_from(["lcp", "forum"])),
            name=f"F{j}",
            area=draw(st.sampled_from(areas)),
        )
    M.add_node("b0", kind="board", name="Board")
    pools = {"o": [f"o{i}" for i in range(n_org)], "f": [f"f{j}" for j in range(n_forum)], "b": ["b0"]}
    for _ in range(draw(st.integers(0, 14))):
        kind, a, b = draw(st.sampled_from(_KINDS))
        u, v = draw(st.sampled_from(pools[a])), draw(st.sampled_from(pools[b]))
        if u != v:
            M.add_edge(u, v, kind=kind)
    return M


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_graphs())
def test_no_introduction_is_a_tie_that_exists(M):
    df = rec.introductions(M, all_sectors=True, expected=["third sector", "primary care", "housing"], top=5)
    simple = derived(M).simple
    seated = seats(M)
    for r in df.itertuples():
        if not r.introduce_id:
            continue
        a, b = r.for_id, r.introduce_id
        assert not simple.has_edge(a, b), (a, b)
        for forum, partner in ((a, b), (b, a)):
            if M.nodes[forum]["kind"] == "partnership":
                assert partner not in members(M, forum)
        if M.nodes[b]["kind"] == "organisation" and M.nodes[a]["kind"] == "organisation":
            assert not set(seated.get(a, ())) & set(seated.get(b, ()))  # they do not already meet


# --- which unit to join ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def ranked():
    G = lcpgraph.load(FIXTURES / "recommend_rank")
    return G, rec.join_units(G, "City Charity").set_index("unit")


CRITERIA = ["sector", "fit", "population", "need", "burden", "only_link"]


@pytest.mark.parametrize(
    ("better", "worse", "criterion", "weights"),
    [
        ("lcp-a1", "lcp-a2", "sector", {}),  # no third sector partner, against one
        ("lcp-b1", "lcp-b2", "fit", {}),  # a member already offers befriending
        ("lcp-c1", "lcp-c2", "population", {}),  # 50,000 against 20,000
        ("lcp-d1", "lcp-d2", "need", {}),  # deprivation decile 2 against 8 (low is needy)
        ("lcp-e1", "lcp-e2", "burden", {}),  # a member already: no new meeting
        ("lcp-f1", "lcp-f2", "only_link", {"sector": 0}),  # its only third sector partner
    ],
)
def test_each_criterion_decides_one_pair(ranked, better, worse, criterion, weights):
    G, df = ranked
    if weights:
        df = rec.join_units(G, "City Charity", weights=weights).set_index("unit")
    w = {**rec.JOIN_WEIGHTS, **weights}
    differs = [c for c in CRITERIA if w[c] and df.loc[better, c] != df.loc[worse, c]]
    assert differs == [criterion]  # the pair differs in this criterion alone
    assert df.loc[better, "rank"] < df.loc[worse, "rank"]
    tied = rec.join_units(G, "City Charity", weights={**weights, criterion: 0}).set_index("unit")
    assert tied.loc[better, "score"] == pytest.approx(tied.loc[worse, "score"])  # without it, a tie


def test_ranking_scores_by_hand(ranked):
    _, df = ranked
    # A1: sector 3 x 1, less burden 1 x 3 seats / 5 = 0.6; A2: 3 x 1/2 - 0.6
    assert df.loc["lcp-a1", "score"] == pytest.approx(2.4)
    assert df.loc["lcp-a2", "score"] == pytest.approx(0.9)
    assert df.loc["lcp-c2", "population"] == pytest.approx(20000 / 50000)
    assert df.loc["lcp-d1", "reasons"] == (
        "No third sector partner yet; deprivation decile 2 (the lowest of 2 recorded); joining would add a meeting "
        "to the 3 forums City Charity already sits in."
    )
    assert df.loc["lcp-f1", "reasons"].startswith("Already a member; City Charity is its only third sector partner")


def test_need_columns_and_directions(leeds):
    cols = rec.need_columns(leeds)
    assert cols["frailty_average_deprivation_decile"] == "low" and cols["frailty_population"] == "high"
    assert "population" not in cols


def test_bad_weights_names_and_columns(ranked):
    G, _ = ranked
    with pytest.raises(LcpGraphError, match="did you mean 'need'"):
        rec.join_units(G, "City Charity", weights={"nede": 1})
    with pytest.raises(LcpGraphError, match="no local unit has a number in column 'frailty'"):
        rec.join_units(G, "City Charity", need=["frailty"])
    with pytest.raises(NotFoundError, match="closest: City Charity"):
        rec.join_units(G, "City Charty")


def test_age_uk_ranks_every_lcp_with_reasons(leeds):
    df = rec.join_units(leeds, "Age UK Leeds")
    assert len(df) == 15 and df["rank"].tolist() == list(range(1, 16))
    assert df["score"].is_monotonic_decreasing
    assert df["reasons"].str.len().gt(10).all()
    assert df.loc[df["member"], "reasons"].str.startswith("Already a member").all()


def test_unit_choices_cover_the_place_wide_focus_partners(leeds):
    df = rec.unit_choices(leeds)
    wide = {
        n
        for n, d in leeds.nodes(data=True)
        if d.get("kind") == "organisation" and d.get("scope") == "citywide" and d.get("sector") == "third sector"
    }
    assert set(df["id"]) == wide
    assert df.groupby("id")["rank"].max().eq(3).all()


# --- less duplication -----------------------------------------------------------------------


def test_meet_together_and_covered_seats(leeds):
    mt = rec.meet_together(leeds)
    assert len(mt) and mt["why"].str.contains("could").all()
    hwb = mt[(mt["forum_a"] == "board-hwb") | (mt["forum_b"] == "board-hwb")].iloc[0]
    assert "reports to Leeds Health and Wellbeing Board" in hwb["why"]
    cs = rec.covered_seats(leeds)
    assert set(cs["how"]) <= {"same organisation", "same sector"}
    dev = cs[cs["id"] == "org-lcp-dev-team"]
    assert dev["how"].tolist() == ["same organisation"]  # its own facilitator sits on the programme board
    assert "Induction facilitator 1" in dev["covered_by"].iloc[0]


def test_a_chair_keeps_its_seat():
    M = nx.MultiDiGraph()
    for f in "fgh":
        M.add_node(f, kind="partnership", name=f.upper())
    M.add_node("m", kind="organisation", name="Mind", sector="third sector")
    M.add_node("c", kind="organisation", name="Carers", sector="third sector")
    M.add_edge("m", "f", kind="chairs")
    for f in "gh":
        M.add_edge("m", f, kind="member_of")
    M.add_edge("c", "f", kind="member_of")
    assert rec.covered_seats(M).empty


# --- the county, in its own words --------------------------------------------------------------


def test_county_speaks_of_localities(county):
    t = catalogue.run(county, rec.RECOMMEND_TABLES)
    text = " ".join(
        " ".join(map(str, df[c].tolist()))
        for df in t.values()
        for c in df.columns
        if df[c].dtype == object or str(df[c].dtype) == "str"
    )
    assert "localit" in text and "LCP" not in text
    mind = t["unit_choices"]
    assert mind["name"].unique().tolist() == ["Shire Mind"] and mind["unit_name"].tolist() == [
        "North Shire",
        "Market Harborough",
        "East Shire",
    ]
    sets = t["key_player_sets"]
    assert sets["gap"].notna().all()  # few enough sets: every one checked
    lonely = t["introductions"][t["introductions"]["for_id"] == "ch-lonely"]
    assert lonely["introduce_id"].tolist() == ["ch-shire-mind"]


# --- determinism, report and map text ------------------------------------------------------------


def test_same_input_same_tables():
    a = catalogue.run(lcpgraph.load(), rec.RECOMMEND_TABLES)
    b = catalogue.run(lcpgraph.load(), rec.RECOMMEND_TABLES)
    for k in rec.RECOMMEND_TABLES:
        pd.testing.assert_frame_equal(a[k], b[k])
    G = lcpgraph.load()
    pd.testing.assert_frame_equal(rec.join_units(G, "Age UK Leeds"), rec.join_units(lcpgraph.load(), "Age UK Leeds"))
    assert rec.key_players(G, 3, seed=7, exact_limit=0) == rec.key_players(lcpgraph.load(), 3, seed=7, exact_limit=0)


def test_report_section_is_escaped_html_without_scripts(leeds):
    html = rec.report_section(leeds)
    assert html.startswith("<h3>Who the network cannot lose</h3>")
    assert "<script" not in html and html.count("<table>") == 6
    M = nx.MultiDiGraph()
    M.add_node("a", kind="organisation", name="<b>Bold</b> & Co", sector="third sector")
    M.add_node("b", kind="organisation", name="B")
    M.add_edge("a", "b", kind="works_with")
    html = rec.report_section(M)
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in html and "<b>Bold" not in html


def test_for_partner_sentences(leeds):
    said = rec.for_partner(leeds, "org-age-uk")
    assert all(isinstance(s, str) and s.endswith(".") for s in said)
    assert any(s.startswith("Of the LCPs, ") for s in said)
    assert rec.for_partner(leeds, "org-small-charity")[0].startswith("Introduce Holbeck Community Garden to")
    assert rec.for_partner(leeds, "no-such-record") == []


# --- command line ----------------------------------------------------------------------------


def test_cli_units_for_a_partner():
    r = CliRunner().invoke(main, ["recommend", "units", "--for", "Age UK Leeds", "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert len(rows) == 15 and rows[0]["reasons"]
    r = CliRunner().invoke(main, ["recommend", "units", "--for", "Age UK Leds"])
    assert r.exit_code == 2 and "closest: Age UK Leeds" in r.output
    r = CliRunner().invoke(main, ["recommend", "units", "--for", "Age UK Leeds", "--weight", "need"])
    assert r.exit_code == 2 and "NAME=NUMBER" in r.output


def test_cli_key_players_and_all(tmp_path):
    r = CliRunner().invoke(main, ["recommend", "key-players", "-k", "2", "--format", "csv", "--show", "sets"])
    assert r.exit_code == 0, r.output
    sets = pd.read_csv(__import__("io").StringIO(r.output))
    assert sets["problem"].tolist() == ["cannot lose", "brief first"] and sets["gap"].notna().all()
    r = CliRunner().invoke(main, ["recommend", "all", str(FIXTURES / "county")], env={"COLUMNS": "160"})
    assert r.exit_code == 0, r.output
    assert "Which locality each countywide third sector partner should prioritise" in r.output
    r = CliRunner().invoke(
        main, ["recommend", "introductions", "--for", "Holbeck Community Garden"], env={"COLUMNS": "160"}
    )
    assert r.exit_code == 0 and "Holbeck Residents Forum" in r.output


def test_catalogue_entries_are_complete(leeds):
    t = catalogue.run(leeds, rec.RECOMMEND_TABLES)
    for k, df in t.items():
        described = {f.name for f in catalogue.TABLES[k].columns}
        assert list(df.columns) and set(df.columns) <= described, k
    assert set(rec.join_units(leeds, "Age UK Leeds").columns) <= {f.name for f in catalogue.JOIN_UNITS.columns}
    assert not math.isnan(t["key_player_sets"]["value"].iloc[0])
    assert np.isfinite(t["introductions"]["fragmentation_drop"]).all()
