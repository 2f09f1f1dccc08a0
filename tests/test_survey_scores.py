"""Survey scores: worked by hand on four partners, checked against networkx and igraph, rules, waves."""

import math
import random

import igraph as ig
import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lcpgraph import catalogue
from lcpgraph.raw import RawTable
from lcpgraph.survey import scores
from lcpgraph.survey.example import tiny_example
from lcpgraph.survey.ratings import validate_ratings

# The four partners of tiny_example(), wave 1 (d did not reply; c left d unanswered):
#
#   a->b yes coordination  trust 4,4,4 value 3,3,3     b->a yes cooperation  trust 3,3,3 value 4,4,4
#   a->c yes cooperation   trust 2,2,2 value 2,2,2     c->a yes integration  trust 2,2,2 value 3,3,3
#   a->d no                                            b->c no
#   b->d yes awareness     trust 2,2,2 value 1,1,1     c->b yes awareness    trust 1,2,3 (value blank)
#
# Pairs:  ab yes/yes   ac yes/yes   ad no/(d silent)   bc no/yes   bd yes/(d silent)   cd (nobody)


def test_pair_status_by_each_rule_differs_as_documented():
    _, r = tiny_example()
    got = {
        rule: {(a, b): s for a, b, s, _ in scores.pair_status(r, "abcd", rule).itertuples(index=False)}
        for rule in scores.RULES
    }
    # either: a yes from either side is a tie; a lone "no" is no tie; nobody answered: unknown
    assert got["either"] == {
        ("a", "b"): "tie",
        ("a", "c"): "tie",
        ("a", "d"): "no tie",
        ("b", "c"): "tie",
        ("b", "d"): "tie",
        ("c", "d"): "unknown",
    }
    # both: the bc disagreement is no tie; b's unconfirmed yes about silent d is unknown
    assert got["both"] == {
        ("a", "b"): "tie",
        ("a", "c"): "tie",
        ("a", "d"): "no tie",
        ("b", "c"): "no tie",
        ("b", "d"): "unknown",
        ("c", "d"): "unknown",
    }
    # respondent: each report as given, one per direction
    assert got["respondent"] == {
        ("a", "b"): "tie",
        ("a", "c"): "tie",
        ("a", "d"): "no tie",
        ("b", "a"): "tie",
        ("b", "c"): "no tie",
        ("b", "d"): "tie",
        ("c", "a"): "tie",
        ("c", "b"): "tie",
    }


def test_network_scores_by_hand():
    G, r = tiny_example()
    by_rule = {rule: scores.network_scores(G, r, rule=rule).iloc[0] for rule in scores.RULES}
    e, b, s = by_rule["either"], by_rule["both"], by_rule["respondent"]
    # response: a, b, c of a, b, c, d
    assert (e["partners"], e["respondents"], e["response_rate_pct"]) == (4, 3, 75.0)
    # density. either: ties ab ac bc bd = 4 of 5 known pairs (cd unknown) = 80%.
    # both: ab ac of 4 known (bd, cd unknown) = 50%. respondent: 6 yes of 8 reports = 75%.
    assert (e["density_pct"], b["density_pct"], s["density_pct"]) == (80.0, 50.0, 75.0)
    assert (e["pairs_known_pct"], b["pairs_known_pct"], s["pairs_known_pct"]) == (83.3, 66.7, 66.7)  # 5/6, 4/6, 8/12
    # centralisation. either: degree shares a 2/3, b 3/3, c 2/2, d 1/2; sum(1 - p) = 1/3 + 1/2 = 5/6; / (4 - 2) = 41.7%
    assert e["centralisation_pct"] == 41.7
    # both: a 2/3, b 1/2 (ab; bc no; bd unknown), c 1/2, d 0/1; sum(2/3 - p) = 0 + 1/6 + 1/6 + 2/3 = 1; / 2 = 50%
    assert b["centralisation_pct"] == 50.0
    # respondent: in-degree shares a 2/2, b 2/2, c 1/2, d 1/2; sum(1 - p) = 1; / (4 - 1) = 33.3%
    assert s["centralisation_pct"] == 33.3
    # reciprocity: yes reports whose other side answered: ab ba ac ca cb (bd: d silent); returned: all but cb = 4/5
    assert e["reciprocity_pct"] == b["reciprocity_pct"] == s["reciprocity_pct"] == 80.0
    # trust: reports' trust means 4, 2, 3, 2, 2, 2 -> 2.5 of 4 = 62.5%; both: ab ba ac ca only -> 11/4 = 2.75 = 68.75%
    assert (e["trust_pct"], b["trust_pct"], s["trust_pct"]) == (62.5, 68.8, 62.5)
    # value: 3, 2, 4, 1, 3 (cb blank) -> 2.6 = 65%; both: 3, 4, 2, 3 -> 3 = 75%
    assert (e["value_pct"], b["value_pct"]) == (65.0, 75.0)
    # intensity. either (higher of two): ab 3, ac 4, bc 1, bd 1 -> awareness 50, coordination 25, integration 25
    assert [e[f"{n}_pct"] for n in ("awareness", "cooperation", "coordination", "integration")] == [50, 0, 25, 25]
    # both (lower of two): ab min(3,2)=2, ac min(2,4)=2 -> all cooperation
    assert b["cooperation_pct"] == 100.0
    assert e["rule"].startswith("either:") and b["rule"].startswith("both:")


def test_organisation_scores_by_hand():
    G, r = tiny_example()
    df = scores.organisation_scores(G, r).set_index("id")
    # a is rated by b (trust 3, value 4) and c (trust 2, value 3)
    assert df.loc["a", ["trust", "trust_raters", "value", "value_raters"]].tolist() == [2.5, 2, 3.5, 2]
    # b by a (4; 3) and c (trust (1+2+3)/3 = 2; no value)
    assert df.loc["b", ["trust", "trust_raters", "value", "value_raters"]].tolist() == [3.0, 2, 3.0, 1]
    assert df.loc["b", "reliability"] == 2.5 and df.loc["b", "openness"] == 3.5  # (4+1)/2, (4+3)/2
    # d did not reply; only b rated it
    assert not df.loc["d", "responded"] and df.loc["d", ["trust", "value", "reported_by"]].tolist() == [2.0, 1.0, 1]
    assert df.loc["b", ["ties", "known_pairs", "degree_pct"]].tolist() == [3, 3, 100.0]
    both = scores.organisation_scores(G, r, rule="both").set_index("id")
    # under "both" c's rating of b is on an unconfirmed pair (b said no): only a's rating counts
    assert both.loc["b", ["trust", "trust_raters"]].tolist() == [4.0, 1]
    assert math.isnan(both.loc["d", "trust"]) and both.loc["d", "trust_raters"] == 0


def test_response_rates_and_low_warning():
    G, r = tiny_example()
    df = scores.response_rates(G, r).set_index(["scope", "group"])
    assert df.loc[("network", "all"), "not_replied"] == "Dee"
    assert df.loc[("unit", "lcp-north"), ["surveyed", "responded", "response_rate_pct"]].tolist() == [3, 3, 100.0]
    assert df.loc[("sector", "housing"), "low"] and "below 70%" in df.loc[("sector", "housing"), "warning"]
    assert not df.loc[("network", "all"), "low"]  # 75% is not low


def test_sensitivity_range_and_verdicts():
    G, r = tiny_example()
    s = scores.sensitivity(G, r)
    net = s[s["scope"] == "network"].set_index("measure")
    assert net.loc["density_pct", ["low", "high", "spread", "verdict"]].tolist() == [
        50.0,
        80.0,
        30.0,
        "depends on the missing answers",
    ]
    assert net.loc["trust_pct", "verdict"] == "firm"  # 62.5 to 68.8
    assert net.loc["reciprocity_pct", "verdict"] == "not affected"


def test_unit_sub_network_is_recomputed():
    G, r = tiny_example()
    n = scores.network_scores(G, r, unit="North").iloc[0]
    # a, b, c all replied; pairs ab ac bc all ties by "either"
    assert (n["scope"], n["group"], n["partners"], n["density_pct"], n["centralisation_pct"]) == (
        "unit",
        "lcp-north",
        3,
        100.0,
        0.0,
    )
    orgs = scores.organisation_scores(G, r, unit="lcp-north")
    assert sorted(orgs["id"]) == ["a", "b", "c"]
    # inside North (a, b, c) c is rated by a only: b said no to c
    assert orgs.set_index("id").loc["c", "trust_raters"] == 1


def test_waves_changes_by_hand():
    G, r = tiny_example(waves=2)
    ties = scores.tie_changes(G, r)
    # wave 1 (either): ab ac bc bd tied, ad no, cd unknown; wave 2: ab ad bd cd tied, ac bc no
    assert ties[["a", "b", "change"]].values.tolist() == [["a", "c", "lost"], ["a", "d", "new"], ["b", "c", "lost"]]
    ch = scores.wave_changes(G, r).set_index("id")
    assert ch.loc["a", ["new_ties", "lost_ties", "unclear_pairs"]].tolist() == [1, 1, 0]
    assert ch.loc["c", ["new_ties", "lost_ties", "unclear_pairs"]].tolist() == [0, 2, 1]  # cd not compared
    # a's trust: wave 1 (3 + 2) / 2 = 2.5; wave 2 b gives 4 and d gives 3 -> 3.5
    assert ch.loc["a", ["trust_before", "trust_after", "trust_change", "trust_trend"]].tolist() == [2.5, 3.5, 1.0, "up"]
    assert ch.loc["b", "trust_trend"] == "no change"
    per_wave = scores.network_scores(G, r)
    assert per_wave[per_wave["scope"] == "network"]["wave"].tolist() == ["1", "2"]
    assert scores.network_scores(G, r, wave="2").iloc[0]["response_rate_pct"] == 100.0


def test_unknown_wave_rule_or_unit_is_a_clear_error():
    from lcpgraph.exceptions import LcpGraphError

    G, r = tiny_example()
    with pytest.raises(LcpGraphError, match="no wave '3'"):
        scores.network_scores(G, r, wave="3")
    with pytest.raises(LcpGraphError, match="did you mean 'both'"):
        scores.network_scores(G, r, rule="bothh")
    with pytest.raises(LcpGraphError, match=r"no (LCP|local partnership) called"):
        scores.network_scores(G, r, unit="Nowhere")


# --------------------------------------------------------------------------------------
# against networkx and igraph, where they define the same measure


def _complete(n: int, p: float, seed: int):
    """Every partner answers about every other (nothing missing): (G, ratings, directed yes graph)."""
    rng = random.Random(seed)
    ids = [f"o{i:02d}" for i in range(n)]
    G = nx.MultiDiGraph()
    G.add_nodes_from(ids, kind="organisation")
    rows, D = [], nx.DiGraph()
    D.add_nodes_from(ids)
    k = 2
    for i in ids:
        for j in ids:
            if i != j:
                yes = rng.random() < p
                rows.append((k, [i, j, "1", "yes" if yes else "no", "x"]))
                k += 1
                if yes:
                    D.add_edge(i, j)
    table = RawTable("ratings", "r.csv", ["respondent", "partner", "wave", "works_with", "source"], rows)
    return G, validate_ratings(table, G), D


def _freeman(H: nx.Graph) -> float:
    c = nx.degree_centrality(H)
    top = max(c.values())
    return sum(top - v for v in c.values()) / (len(c) - 2)


@pytest.mark.parametrize("n,p,seed", [(5, 0.5, 1), (8, 0.3, 2), (12, 0.6, 3), (6, 0.9, 4)])
def test_network_scores_match_networkx_and_igraph_when_nothing_is_missing(n, p, seed):
    G, r, D = _complete(n, p, seed)
    union = D.to_undirected()  # either side says so
    both = D.to_undirected(reciprocal=True)  # both sides say so
    e = scores.network_scores(G, r, rule="either").iloc[0]
    b = scores.network_scores(G, r, rule="both").iloc[0]
    s = scores.network_scores(G, r, rule="respondent").iloc[0]
    assert e["density_pct"] == pytest.approx(100 * nx.density(union), abs=0.05)
    assert b["density_pct"] == pytest.approx(100 * nx.density(both), abs=0.05)
    assert s["density_pct"] == pytest.approx(100 * nx.density(D), abs=0.05)
    g = ig.Graph.from_networkx(union)
    assert e["density_pct"] == pytest.approx(100 * g.density(), abs=0.05)
    assert s["density_pct"] == pytest.approx(100 * ig.Graph.from_networkx(D).density(), abs=0.05)
    assert e["centralisation_pct"] == pytest.approx(100 * _freeman(union), abs=0.05)
    assert b["centralisation_pct"] == pytest.approx(100 * _freeman(both), abs=0.05)
    indeg = nx.in_degree_centrality(D)
    top = max(indeg.values())
    assert s["centralisation_pct"] == pytest.approx(100 * sum(top - v for v in indeg.values()) / (n - 1), abs=0.05)
    if D.number_of_edges():
        assert e["reciprocity_pct"] == pytest.approx(100 * nx.overall_reciprocity(D), abs=0.05)
        assert e["reciprocity_pct"] == pytest.approx(100 * ig.Graph.from_networkx(D).reciprocity(), abs=0.05)


def test_centralisation_of_a_star_and_a_ring():
    assert scores.centralisation(nx.degree_centrality(nx.star_graph(6)).values()) == pytest.approx(1.0)
    assert scores.centralisation(nx.degree_centrality(nx.cycle_graph(6)).values()) == pytest.approx(0.0)
    assert math.isnan(scores.centralisation([1.0, 1.0]))


# --------------------------------------------------------------------------------------
# property: the counts add up, whatever is answered and whatever is missing

_ANSWER = st.one_of(
    st.none(),  # no row
    st.just(("", None, None)),  # a blank row: asked, not answered
    st.just(("no", None, None)),
    st.tuples(
        st.just("yes"),
        st.one_of(st.none(), st.integers(1, 4)),
        st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=6, max_size=6),
    ),
)


@st.composite
def _surveys(draw):
    n = draw(st.integers(2, 7))
    ids = [f"o{i}" for i in range(n)]
    sectors = {i: draw(st.sampled_from(["third sector", "housing", "primary care"])) for i in ids}
    G = nx.MultiDiGraph()
    for i in ids:
        G.add_node(i, kind="organisation", name=i.upper(), sector=sectors[i])
    G.add_node("u", kind="partnership", type="local partnership", name="U")
    for i in ids[: draw(st.integers(0, n))]:
        G.add_edge(i, "u", kind="member_of")
    rows, k = [], 2
    for i in ids:
        for j in ids:
            if i == j:
                continue
            a = draw(_ANSWER)
            if a is None:
                continue
            works, level, items = a
            items = items or [None] * 6
            cells = [
                i,
                j,
                "w",
                works,
                "" if level is None else str(level),
                *("" if v is None else str(v) for v in items),
            ]
            rows.append((k, [*cells, "x"]))
            k += 1
    header = ["respondent", "partner", "wave", "works_with", "intensity"]
    header += ["reliability", "mission", "openness", "influence", "involvement", "resources", "source"]
    table = RawTable("ratings", "r.csv", header, rows)
    return G, validate_ratings(table, G)


@settings(max_examples=60, deadline=None)
@given(_surveys())
def test_response_rates_and_raters_add_up(survey):
    G, r = survey
    if r.empty:
        assert scores.response_rates(G, r).empty
        return
    rates = scores.response_rates(G, r)
    overall = rates[rates["scope"] == "network"].iloc[0]
    sectors = rates[rates["scope"] == "sector"]
    surveyed = set(r["respondent"]) | set(r["partner"])
    assert overall["surveyed"] == len(surveyed) == sectors["surveyed"].sum()
    answered = r[r["works_with"].notna()]
    assert overall["responded"] == answered["respondent"].nunique() == sectors["responded"].sum()
    assert overall["response_rate_pct"] == round(100 * overall["responded"] / overall["surveyed"], 1)
    assert overall["low"] == (overall["response_rate_pct"] < scores.LOW_RESPONSE)
    silent = overall["not_replied"].split("; ") if overall["not_replied"] else []
    assert len(silent) == overall["surveyed"] - overall["responded"]
    trust_cols = ["reliability", "mission", "openness"]
    value_cols = ["influence", "involvement", "resources"]
    yes = r[r["works_with"].eq(True).fillna(False).astype(bool)]
    for rule in scores.RULES:
        orgs = scores.organisation_scores(G, r, rule=rule)
        assert len(orgs) == len(surveyed) and set(orgs["responded"]) <= {True, False}
        assert orgs["reported_by"].sum() == len(yes)
        if rule != "both":  # every rating given is counted once, for the partner it is about
            assert orgs["trust_raters"].sum() == yes[trust_cols].notna().any(axis=1).sum()
            assert orgs["value_raters"].sum() == yes[value_cols].notna().any(axis=1).sum()
        net = scores.network_scores(G, r, rule=rule).iloc[0]
        for m in scores.MEASURES:
            v = net[m]
            assert math.isnan(v) or 0 <= v <= 100, (rule, m, v)
        shares = [net[f"{x}_pct"] for x in ("awareness", "cooperation", "coordination", "integration")]
        assert all(math.isnan(x) for x in shares) or sum(shares) == pytest.approx(100, abs=0.3)
    both = scores.organisation_scores(G, r, rule="both")
    either = scores.organisation_scores(G, r, rule="either")
    assert (both["trust_raters"] <= either["trust_raters"]).all()
    sens = scores.sensitivity(G, r)
    got = sens[list(scores.RULES)]
    for (_, row), (_, vals) in zip(sens.iterrows(), got.iterrows(), strict=True):
        present = [v for v in vals if not math.isnan(v)]
        if present:
            assert row["low"] == min(present) and row["high"] == max(present)


# --------------------------------------------------------------------------------------
# the catalogue


def test_catalogue_makes_the_survey_tables_and_empty_ones_without_ratings():
    keys = [t.key for t in catalogue.tables_in("survey")]
    assert keys == [
        "survey_response",
        "survey_networks",
        "survey_organisations",
        "survey_sensitivity",
        "survey_changes",
        "survey_tie_changes",
    ]
    G, _ = tiny_example(waves=2)
    made = catalogue.run(G, keys)
    assert made["survey_networks"].iloc[0]["density_pct"] == 80.0
    assert len(made["survey_tie_changes"]) == 3
    del G.graph["ratings_table"]
    empty = catalogue.run(G, keys)
    for k, df in empty.items():
        assert df.empty and len(df.columns) > 3, k
        t = catalogue.TABLES[k]
        described = {f.name for f in t.columns}
        assert set(df.columns) <= described, (k, set(df.columns) - described)


def test_every_column_of_the_survey_tables_is_described():
    G, _ = tiny_example(waves=2)
    for k, df in catalogue.run(G, [t.key for t in catalogue.tables_in("survey")]).items():
        assert list(df.columns) == [c for c in df.columns if catalogue.TABLES[k].field(c) is not None]
        assert isinstance(df, pd.DataFrame)
