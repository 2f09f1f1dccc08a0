"""Communities against the local units: the agreement scores, the official-unit rule, detection, the CLI."""

import json
import math
import random

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import lcpgraph
from lcpgraph.analysis.communities import (
    AGREEMENT_COLUMNS,
    COMMUNITY_COLUMNS,
    _majority,
    adjusted_rand_index,
    communities,
    community_agreement,
    normalised_mutual_information,
    official_units,
)
from lcpgraph.cli import main
from lcpgraph.exceptions import LcpGraphError
from lcpgraph.views import derived, nodes_of_kind, organisation_projection, units, units_of

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def G():
    return lcpgraph.load(FIXTURES / "two_lcps")


# --- ARI and NMI ---------------------------------------------------------------------------


def test_identical_partitions_score_one_whatever_the_labels():
    assert adjusted_rand_index([0, 0, 1, 2], ["x", "x", "y", "z"]) == 1.0
    assert normalised_mutual_information([0, 0, 1, 2], ["x", "x", "y", "z"]) == pytest.approx(1.0)


def test_hand_worked_three_and_three_against_three_pairs():
    # a = {1,2,3}{4,5,6}, b = {1,2}{3,4}{5,6}. Contingency [[2,1,0],[0,1,2]], n = 6.
    # ARI: Σ C(n_ij,2) = 1 + 1 = 2; rows C(3,2)·2 = 6; columns C(2,2)·3 = 3; C(6,2) = 15;
    #      expected = 6·3/15 = 1.2; max = (6+3)/2 = 4.5; ARI = (2-1.2)/(4.5-1.2) = 8/33.
    # NMI: H(a) = ln 2, H(b) = ln 3; H(a|b) = (1/3) ln 2 (only the middle pair is split), so
    #      I = (2/3) ln 2 and NMI = 2I / (H(a)+H(b)) = (4/3) ln 2 / ln 6.
    a, b = [0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]
    assert adjusted_rand_index(a, b) == pytest.approx(8 / 33)
    assert normalised_mutual_information(a, b) == pytest.approx((4 / 3) * math.log(2) / math.log(6))


def test_hand_worked_independent_partitions():
    # a = {1,2}{3,4}, b = {1,3}{2,4}: every cell is 1, so Σ C(n_ij,2) = 0; rows 1+1 = 2,
    # columns 2, C(4,2) = 6; expected = 4/6; max = 2; ARI = (0 - 2/3)/(2 - 2/3) = -1/2.
    # Knowing a says nothing about b, so I = 0 and NMI = 0.
    a, b = [0, 0, 1, 1], [0, 1, 0, 1]
    assert adjusted_rand_index(a, b) == pytest.approx(-0.5)
    assert normalised_mutual_information(a, b) == 0.0


def test_trivial_partitions():
    # both in one cluster: identical, so 1 (igraph's ARI is NaN here: 0/0)
    assert adjusted_rand_index([1, 1, 1], [5, 5, 5]) == 1.0
    assert normalised_mutual_information([1, 1, 1], [5, 5, 5]) == 1.0
    # one cluster vs all apart: nothing in common beyond chance
    assert adjusted_rand_index([1, 1, 1], [1, 2, 3]) == 0.0
    assert normalised_mutual_information([1, 1, 1], [1, 2, 3]) == 0.0


def test_partitions_of_different_lengths_are_an_error():
    with pytest.raises(LcpGraphError, match="different numbers of items"):
        adjusted_rand_index([0, 1], [0])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=2, max_size=40))
def test_ari_and_nmi_agree_with_igraph(pairs):
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    ari_ig = ig.compare_communities(a, b, method="adjusted_rand")  # "ari" is a deprecated partial match
    assume(not math.isnan(ari_ig))  # igraph gives NaN for identical trivial partitions (we give 1)
    assert adjusted_rand_index(a, b) == pytest.approx(ari_ig, abs=1e-9)
    assert normalised_mutual_information(a, b) == pytest.approx(ig.compare_communities(a, b, method="nmi"), abs=1e-9)


# --- the official LCP of each organisation -------------------------------------------------


def test_official_lcp_rule():
    H = nx.MultiDiGraph()
    H.add_nodes_from(["n", "s"], kind="partnership", type="lcp")
    H.add_node("forum", kind="partnership", type="forum")
    H.add_nodes_from(["a", "b", "c", "d", "e", "x", "y", "z"], kind="organisation")
    for o, lcps in {"a": "n", "x": "s", "y": "s", "b": "ns", "c": "ns", "d": "ns", "e": "ns"}.items():
        for lcp in lcps:
            H.add_edge(o, lcp, kind="member_of")
    H.add_edge("b", "a", kind="works_with")  # b: one tie to n's a, none to s -> n
    # c: no ties outside the LCPs -> tie 0-0 -> no official LCP
    H.add_edge("d", "a", kind="works_with")  # d: one tie each way -> tie -> none
    H.add_edge("d", "x", kind="works_with")
    for o in ("e", "x", "y"):  # e: a forum with two of s's members -> 2 v 0 -> s
        H.add_edge(o, "forum", kind="member_of")
    # z: in no LCP -> none
    got = official_units(H)
    assert dict(zip(got["id"], got["unit"].astype(object).where(got["unit"].notna(), None), strict=True)) == {
        "a": "n",
        "b": "n",
        "c": None,
        "d": None,
        "e": "s",
        "x": "s",
        "y": "s",
        "z": None,
    }
    assert got.set_index("id")["in_units"].to_dict() == {"a": 1, "b": 2, "c": 2, "d": 2, "e": 2, "x": 1, "y": 1, "z": 0}


def _random_partnerships(seed: int) -> nx.MultiDiGraph:
    """A small random place: organisations in 0-3 of up to 4 LCPs, some boards, some direct ties."""
    rng = random.Random(seed)
    H = nx.MultiDiGraph()
    lcps = [f"u{k}" for k in range(rng.randint(1, 4))]
    boards = [f"b{k}" for k in range(rng.randint(0, 3))]
    orgs = [f"o{k:02d}" for k in range(rng.randint(2, 16))]
    H.add_nodes_from(lcps, kind="partnership", type="lcp")
    H.add_nodes_from(boards, kind="board")
    for o in orgs:
        H.add_node(o, kind="organisation", name=o.upper(), sector="nhs" if rng.random() < 0.5 else "council")
        for u in rng.sample(lcps, min(len(lcps), rng.choice([0, 1, 1, 2, 2, 3]))):
            H.add_edge(o, u, kind="member_of")
        for b in boards:
            if rng.random() < 0.3:
                H.add_edge(o, b, kind="member_of")
    for _ in range(rng.randint(0, len(orgs))):
        a, b = rng.sample(orgs, 2)
        H.add_edge(a, b, kind="works_with")
    return H


def _reference_official(H: nx.MultiDiGraph) -> dict[str, str | None]:
    """The official-unit rule written out plainly, one organisation at a time."""
    mine_of = units_of(H)
    P = derived(H).projection(exclude=frozenset(units(H)))  # ties outside the units' own seats
    out: dict[str, str | None] = {}
    for o in nodes_of_kind(H, "organisation"):
        mine = mine_of[o]
        if len(mine) <= 1:
            out[o] = mine[0] if mine else None
            continue
        score = dict.fromkeys(mine, 0.0)
        for nbr, data in P[o].items():
            for u in mine_of[nbr]:
                if u in score:
                    score[u] += data["weight"]
        top = [u for u, s in score.items() if s == max(score.values())]
        out[o] = top[0] if len(top) == 1 else None
    return out


def _reference_majority(members: list[str], official: dict[str, str | None]) -> str | None:
    votes: dict[str, int] = {}
    for m in members:
        if official[m] is not None:
            votes[official[m]] = votes.get(official[m], 0) + 1
    if not votes:
        return None
    most = max(votes.values())
    return min(u for u, v in votes.items() if v == most)  # ties: the smallest unit id


def _none_for_na(values) -> list:
    return [None if pd.isna(v) else v for v in values]


def test_official_unit_and_majority_match_a_plain_python_reference():
    seen = {"multi won": 0, "multi tied": 0, "vote tied": 0}
    for seed in range(120):
        H = _random_partnerships(seed)
        expected = _reference_official(H)
        got = official_units(H)
        assert dict(zip(got["id"], _none_for_na(got["unit"]), strict=True)) == expected, seed
        for exclude_unit_ties in (False, True):
            df = communities(H, seed=seed, exclude_unit_ties=exclude_unit_ties)
            assert _none_for_na(df["unit"]) == [expected[o] for o in df["id"]]
            groups = df.groupby("community", sort=True)["id"].agg(list)
            # numbered 1, 2, … by size (largest first), ties by the smallest member id
            assert groups.index.tolist() == list(range(1, len(groups) + 1))
            assert groups.tolist() == sorted(groups.tolist(), key=lambda ms: (-len(ms), min(ms)))
            assert all(ms == sorted(ms) for ms in groups)
            theirs = {c: _reference_majority(ms, expected) for c, ms in groups.items()}
            assert _none_for_na(df["community_unit"]) == [theirs[c] for c in df["community"]], seed
            agrees = [
                None if expected[o] is None else expected[o] == theirs[c]
                for o, c in zip(df["id"], df["community"], strict=True)
            ]
            assert _none_for_na(df["agrees"]) == agrees
            for ms in groups:
                votes = [expected[m] for m in ms if expected[m] is not None]
                counts = sorted((votes.count(u) for u in set(votes)), reverse=True)
                seen["vote tied"] += len(counts) > 1 and counts[0] == counts[1]
        for o, mine in units_of(H).items():
            if len(mine) > 1 and H.nodes[o]["kind"] == "organisation":
                seen["multi won" if expected[o] is not None else "multi tied"] += 1
    assert min(seen.values()) >= 5, seen  # every tie rule was exercised


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), st.integers(-1, 3)), min_size=1, max_size=30))
def test_majority_unit_ties_go_to_the_smallest_unit(pairs):
    # community labels 1..5 and official units 0..3 (indices into sorted unit ids; -1 = none)
    label = np.array([c for c, _ in pairs], dtype=np.int64)
    official = np.array([u for _, u in pairs], dtype=np.int64)
    names = {-1: None, 0: "a", 1: "b", 2: "c", 3: "d"}
    by_id = {k: names[u] for k, u in enumerate(official.tolist())}
    members = {c: [k for k, x in enumerate(label.tolist()) if x == c] for c in set(label.tolist())}
    expected = [_reference_majority(members[c], by_id) for c in label.tolist()]
    assert [names[u] for u in _majority(label, official, 4).tolist()] == expected


# --- communities on the two-LCP fixture ----------------------------------------------------


def test_the_partner_who_works_with_the_other_lcp_joins_its_community(G):
    # Projection: north a-b, a-c, b-c weight 1 (the LCP); south d-e, d-f, e-f weight 2 (LCP +
    # hub board); c-d, c-e, c-f weight 2 (hub board + works_with). Total weight m = 3+6+6 = 15.
    # Keeping the LCPs: internal 3+6 = 9, strengths 12 and 18: Q = 9/15 - (12²+18²)/30² = 0.080.
    # Moving c south: internal 1+12 = 13, strengths 4 and 26: Q = 13/15 - (4²+26²)/30² = 0.098.
    # Modularity prefers c in the south community; the loner is a community of its own.
    df = communities(G)
    assert list(df.columns) == list(COMMUNITY_COLUMNS)
    assert df[["id", "community", "community_size", "unit", "community_unit"]].iloc[:6].values.tolist() == [
        ["org-c", 1, 4, "lcp-north", "lcp-south"],
        ["org-d", 1, 4, "lcp-south", "lcp-south"],
        ["org-e", 1, 4, "lcp-south", "lcp-south"],
        ["org-f", 1, 4, "lcp-south", "lcp-south"],
        ["org-a", 2, 2, "lcp-north", "lcp-north"],
        ["org-b", 2, 2, "lcp-north", "lcp-north"],
    ]
    loner = df.iloc[6]
    assert (loner["id"], loner["community"], loner["community_size"]) == ("org-loner", 3, 1)
    assert pd.isna(loner["unit"]) and pd.isna(loner["community_unit"])
    assert df["agrees"].iloc[:6].tolist() == [False, True, True, True, True, True]
    assert pd.isna(df["agrees"].iloc[6])  # no official LCP: neither agrees nor disagrees
    disagreeing = df[df["agrees"].eq(False).fillna(False)]
    assert disagreeing["id"].tolist() == ["org-c"]


def test_agreement_scores_on_the_fixture(G):
    # scored: a..f. Communities {c,d,e,f}{a,b}; LCPs {a,b,c}{d,e,f}. Contingency [[1,3],[2,0]].
    # ARI: Σ C(n_ij,2) = 3 + 1 = 4; rows 6 + 1 = 7; columns 3 + 3 = 6; expected 7·6/15 = 2.8;
    #      max 6.5; ARI = 1.2 / 3.7 = 12/37.
    got = community_agreement(G)
    assert list(got.columns) == [*AGREEMENT_COLUMNS, "in_words"]
    row = got.to_dict("records")[0]
    assert {k: row[k] for k in ("organisations", "scored", "communities", "units", "agreeing")} == {
        "organisations": 7,
        "scored": 6,
        "communities": 2,
        "units": 2,
        "agreeing": 5,
    }
    assert row["adjusted_rand_index"] == pytest.approx(12 / 37)
    # NMI: p(c1,N) = 1/6, p(c1,S) = 1/2, p(c2,N) = 1/3; p(c1) = 2/3, p(c2) = 1/3; p(N) = p(S) = 1/2.
    #      I = 1/6 ln(1/2) + 1/2 ln(3/2) + 1/3 ln 2; H(c) = -(2/3 ln 2/3 + 1/3 ln 1/3); H(LCP) = ln 2.
    mi = math.log(0.5) / 6 + math.log(1.5) / 2 + math.log(2) / 3
    h_c = -(2 / 3 * math.log(2 / 3) + 1 / 3 * math.log(1 / 3))
    assert row["normalised_mutual_information"] == pytest.approx(2 * mi / (h_c + math.log(2)))
    # 12/37 = 0.32: said in words, with the number after it
    assert row["in_words"] == (
        "Partners group by their local partnership only partly: much of the work crosses local partnership lines "
        "(adjusted Rand index 0.32, over 6 of 7 partners)."
    )


def test_without_unit_ties_only_other_ties_count(G):
    # Without the LCPs: c, d, e, f are tied by the hub board and c's works_with ties; a and b
    # have no other ties, so each is a community of one.
    df = communities(G, exclude_unit_ties=True)
    assert df["community_size"].tolist() == [4, 4, 4, 4, 1, 1, 1]
    assert df["id"].tolist()[4:] == ["org-a", "org-b", "org-loner"]


@pytest.mark.parametrize("method", ["leiden", "louvain"])
def test_detection_matches_networkx_louvain_on_clear_communities(method):
    # Three LCPs of 8 partners; each partner also works with two others in its own LCP, and
    # three stray ties cross LCPs. networkx's own Louvain is the independent check.
    rng = random.Random(7)
    H = nx.MultiDiGraph()
    for lcp in ("l1", "l2", "l3"):
        H.add_node(lcp, kind="partnership", type="lcp")
        for i in range(8):
            H.add_node(f"{lcp}-o{i}", kind="organisation")
            H.add_edge(f"{lcp}-o{i}", lcp, kind="member_of")
        for i in range(8):
            for j in rng.sample([k for k in range(8) if k != i], 2):
                H.add_edge(f"{lcp}-o{i}", f"{lcp}-o{j}", kind="works_with")
    for u, v in [("l1-o0", "l2-o0"), ("l2-o1", "l3-o1"), ("l3-o2", "l1-o2")]:
        H.add_edge(u, v, kind="works_with")
    df = communities(H, method=method)
    P = organisation_projection(H)
    nx_parts = nx.community.louvain_communities(P, weight="weight", seed=0)
    nx_label = {n: i for i, part in enumerate(nx_parts) for n in part}
    assert adjusted_rand_index(df["community"].tolist(), [nx_label[n] for n in df["id"]]) == 1.0
    assert community_agreement(H, method=method, table=df)["adjusted_rand_index"].tolist() == [1.0]


def test_deterministic_with_a_seed_and_leaves_global_random_alone():
    H = nx.relabel_nodes(nx.les_miserables_graph(), lambda n: f"o-{n}")
    M = nx.MultiDiGraph()
    M.add_nodes_from(H.nodes, kind="organisation")
    for u, v in H.edges:
        M.add_edge(u, v, kind="works_with")
    random.seed(5)
    before = random.random()
    random.seed(5)
    first = communities(M, seed=3, method="louvain")
    assert random.random() == before  # the caller's random state is untouched
    random.seed(99)  # and the caller's state does not change the answer
    assert communities(M, seed=3, method="louvain").equals(first)


def test_bad_method_and_resolution_are_errors(G):
    with pytest.raises(LcpGraphError, match="choose one of: leiden, louvain"):
        communities(G, method="spectral")
    with pytest.raises(LcpGraphError, match="greater than 0"):
        communities(G, resolution=0)


def test_empty_graph():
    df = communities(nx.MultiDiGraph())
    assert df.empty and list(df.columns) == list(COMMUNITY_COLUMNS)
    scores = community_agreement(nx.MultiDiGraph(), table=df)
    assert scores["scored"].tolist() == [0] and math.isnan(scores["adjusted_rand_index"][0])


# --- CLI -----------------------------------------------------------------------------------


def test_cli_communities_table_has_scores_and_rows():
    result = CliRunner().invoke(main, ["communities", str(FIXTURES / "two_lcps")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Partners group by their local partnership only partly")
    assert "Lonely Charity" in result.output and "0.324" in result.output


def test_cli_disagreeing_lists_only_org_c():
    result = CliRunner().invoke(main, ["communities", str(FIXTURES / "two_lcps"), "--disagreeing", "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ",".join(COMMUNITY_COLUMNS)
    assert [line.split(",")[0] for line in lines[1:]] == ["org-c"]


def test_cli_agreement_only_as_json():
    args = ["communities", str(FIXTURES / "two_lcps"), "--agreement", "--format", "json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert row["scored"] == 6 and row["adjusted_rand_index"] == pytest.approx(12 / 37)


def test_cli_json_has_agreement_and_organisations():
    result = CliRunner().invoke(main, ["communities", str(FIXTURES / "two_lcps"), "--format", "json"])
    data = json.loads(result.output)
    assert list(data) == ["community_agreement", "communities"]
    assert data["communities"][-1] == {
        "id": "org-loner",
        "name": "Lonely Charity",
        "sector": "third sector",
        "community": 3,
        "community_size": 1,
        "unit": None,
        "community_unit": None,
        "agrees": None,
        "in_units": 0,
    }


def test_cli_same_seed_same_bytes(tmp_path):
    outs = []
    for name in ("a.csv", "b.csv"):
        out = tmp_path / name
        args = ["communities", str(FIXTURES / "two_lcps"), "--seed", "4", "--format", "csv", "-o", str(out)]
        assert CliRunner().invoke(main, args).exit_code == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_cli_bad_resolution_is_a_usage_error():
    result = CliRunner().invoke(main, ["communities", str(FIXTURES / "two_lcps"), "--resolution", "0"])
    assert result.exit_code == 2


def test_cli_communities_help_ends_with_an_example():
    result = CliRunner().invoke(main, ["communities", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
