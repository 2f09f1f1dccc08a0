"""Duplication analyses: duplicate records, overlapping forums, meeting burden, duplicated services."""

import itertools
import json
import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

import lcpgraph
from lcpgraph.analysis.duplication import (
    ABBREVIATIONS,
    DISTINGUISHING,
    DUPLICATE_COLUMNS,
    STOPWORDS,
    SUFFIXES,
    _blocked_similar_pairs,
    _different_words,
    _distinguishing,
    _distinguishing_all,
    _normalise_names,
    _reason,
    _similar_pairs,
    duplicate_records,
    duplicated_functions,
    meeting_burden,
    normalise_name,
    normalise_service,
    overlapping_forums,
)
from lcpgraph.cli import main
from lcpgraph.exceptions import LcpGraphError

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def G():
    return lcpgraph.load(FIXTURES / "duplication")


def _orgs(*names, identifiers=None):
    """A graph of organisations o0, o1, … with the given names (and optional identifiers)."""
    H = nx.MultiDiGraph()
    for i, name in enumerate(names):
        H.add_node(f"o{i}", kind="organisation", name=name, identifiers=(identifiers or {}).get(i, ()))
    return H


# --- normalisation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Oakwood Lane Medical Centre", "Oakwood Lane MC"),  # MC expands to medical centre
        ("The Oakwood Lane Medical Center Ltd.", "Oakwood Lane Medical Centre"),  # The, Ltd, US spelling
        ("Chapeltown & Harehills Carers", "Chapeltown and Harehills Carers"),  # & reads as and
        ("Leeds Teaching Hospitals NHS Trust", "Leeds Teaching Hospitals"),  # NHS Trust suffix
        ("Leeds and York Partnership NHS Foundation Trust", "Leeds & York Partnership FT"),  # FT suffix
        ("University of Leeds", "Leeds University"),  # stopwords dropped, word order ignored
        ("St. James's Hospital", "Saint James Hospital"),  # St/Saint, possessive
        ("Café Nova CIC", "Cafe Nova"),  # accents, CIC
    ],
)
def test_names_that_normalise_the_same(a, b):
    assert normalise_name(a) == normalise_name(b)


def test_a_name_of_only_stopwords_or_punctuation_is_not_lost():
    assert normalise_name("The") == "the"
    assert normalise_name("???") == "???"


# Words the rules rewrite or keep apart, and others, in three cases; and what goes between them
_VOCAB = sorted(
    {*ABBREVIATIONS, *STOPWORDS, *(w for suffix in SUFFIXES for w in suffix), *DISTINGUISHING}
    | {"leeds", "café", "école", "james", "1", "07", "p635", "abcdefgh1", "²", "٣", "σς", "ǅ", "ﬁ", "x"}
)
_BETWEEN = [" ", "  ", "\t", "\n", "\r", "\x0b", "\x1f", "&", "+", "'", "’", "`", "'s", "’s", "`s", ".", "-", "_", "/"]
_WORDY_NAMES = st.lists(
    st.one_of(
        st.sampled_from(_VOCAB).flatmap(lambda w: st.sampled_from([w, w.upper(), w.title()])),
        st.sampled_from(_BETWEEN),
    ),
    max_size=10,
).map("".join)
_NAMES = st.one_of(
    _WORDY_NAMES,
    st.text(max_size=20),  # any Unicode: accents, other scripts, controls, surrogates
    st.text(alphabet=st.characters(max_codepoint=127), max_size=20),  # ASCII: the batch path
    st.text(alphabet=" \t\n&+'’`_.-", max_size=5),  # no words at all, or only "and"
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_NAMES, max_size=30))
def test_normalise_names_is_normalise_name_of_each(names):
    assert _normalise_names(names) == [normalise_name(n) for n in names]


@settings(max_examples=500, deadline=None)
@given(st.lists(_NAMES, max_size=30))
def test_distinguishing_all_is_distinguishing_of_each_key(names):
    keys = [normalise_name(n) for n in names]
    assert _distinguishing_all(keys) == [_distinguishing(k) for k in keys]


def test_the_batches_by_hand():
    names = ["", "  ", "The", "NHS Trust", "Leeds North North 2 PCN", "St James’s", "a\nb", "Café", "P1 & p1"]
    assert _normalise_names(names) == [normalise_name(n) for n in names]
    keys = _normalise_names(names)
    assert _distinguishing_all(keys) == ["", "", "", "", "2 north", "", "", "", "p1"]
    assert _normalise_names([]) == _distinguishing_all([]) == []


def test_names_in_other_scripts_keep_their_letters():
    # "health centre" and "hospital" in Chinese share no character: 0% alike, not 100%
    assert normalise_name("卫生中心") == "卫生中心"
    assert duplicate_records(_orgs("卫生中心", "医院")).empty


# --- duplicate records ---------------------------------------------------------------------


def test_oakwood_pair_is_flagged_and_the_universities_are_not(G):
    df = duplicate_records(G)
    assert list(df.columns) == list(DUPLICATE_COLUMNS)
    pairs = set(zip(df["id_a"], df["id_b"], strict=True))
    # both normalise to "centre lane medical oakwood": 100% alike
    assert ("org-oakwood-1", "org-oakwood-2") in pairs
    row = df[df["id_a"] == "org-oakwood-1"].iloc[0]
    assert (row["score"], row["reason"]) == (100.0, "same name after normalisation")
    # "beckett leeds university" vs "leeds trinity university": 24 characters each, and the
    # insert/delete distance is 16 (beckett -> trinity shares only "t" and the spaces line up
    # badly), so (48 - 16) / 48 = 66.7% alike, far below the default 90.
    assert Indel.distance("beckett leeds university", "leeds trinity university") == 16
    assert ("org-beckett", "org-trinity") not in pairs


def test_universities_are_flagged_at_a_low_enough_threshold(G):
    df = duplicate_records(G, threshold=60)
    row = df[(df["id_a"] == "org-beckett") & (df["id_b"] == "org-trinity")].iloc[0]
    assert row["name_similarity"] == 66.7
    assert row["reason"] == "names 67% alike after normalisation"


def test_a_shared_identifier_flags_a_pair_whatever_the_names(G):
    df = duplicate_records(G)
    row = df[df["id_a"] == "org-ltht"].iloc[0]
    assert row["id_b"] == "org-sjuh"
    assert row["score"] == 100.0
    assert row["shared_identifiers"] == "GB-NHS-RR8"
    assert row["reason"].startswith("share identifier GB-NHS-RR8; names ")
    assert row["name_similarity"] < 90


def test_siblings_differing_in_a_number_or_compass_point_are_not_flagged(G):
    # "1 care leeds network primary" vs "2 …": one substitution = distance 2 of 56, 96.4% alike;
    # "carers centre leeds north" vs "… south": north -> south keeps "oth", distance 4 of 50,
    # 92% alike. Both are above
    # the threshold, and both are sibling bodies, so the guard keeps them out.
    assert fuzz.ratio(normalise_name("Leeds PCN 1"), normalise_name("Leeds PCN 2")) > 96
    assert fuzz.ratio(normalise_name("Leeds North Carers Centre"), normalise_name("Leeds South Carers Centre")) == 92
    ids = set(duplicate_records(G)[["id_a", "id_b"]].itertuples(index=False, name=None))
    assert ("org-pcn-1", "org-pcn-2") not in ids
    assert ("org-carers-north", "org-carers-south") not in ids


def test_only_records_of_the_same_kind_are_compared(G):
    # the network "Oakwood Lane Medical Centre" has the practice's very name but is a partnership
    df = duplicate_records(G)
    assert "net-oakwood" not in set(df["id_a"]) | set(df["id_b"])
    assert set(df["kind"]) == {"organisation"}


def test_the_whole_answer_on_the_fixture(G):
    df = duplicate_records(G)
    # identifier pair (score 100) before the name pair (score 100), both by id
    assert df[["id_a", "id_b", "score"]].values.tolist() == [
        ["org-ltht", "org-sjuh", 100.0],
        ["org-oakwood-1", "org-oakwood-2", 100.0],
    ]


def test_pairs_are_sorted_by_score_then_ids():
    H = _orgs("Hyde Park Surgery", "Hyde Park Surgry", "Hyde Park Surgery", "Holt Park Surgery")
    df = duplicate_records(H)
    # o0 = o2 exactly (100); "hyde park surgery" (17) vs "hyde park surgry" (16) is one
    # deletion: (33 - 1) / 33 = 97.0
    assert df[["id_a", "id_b", "score"]].values.tolist() == [
        ["o0", "o2", 100.0],
        ["o0", "o1", 97.0],
        ["o1", "o2", 97.0],
    ]


def test_same_input_gives_identical_output(G):
    assert duplicate_records(G).equals(duplicate_records(G.copy()))


@pytest.mark.parametrize("threshold", [-1, 101])
def test_threshold_must_be_a_percentage(G, threshold):
    with pytest.raises(LcpGraphError, match="not a percentage"):
        duplicate_records(G, threshold=threshold)


def test_empty_graph_gives_empty_table_with_columns():
    df = duplicate_records(nx.MultiDiGraph())
    assert df.empty and list(df.columns) == list(DUPLICATE_COLUMNS)


def _brute_force(keys, threshold):
    """Compare every pair in plain Python: the definition the blocked version must match."""
    out = []
    for i, j in itertools.combinations(range(len(keys)), 2):
        total = len(keys[i]) + len(keys[j])
        d = Indel.distance(keys[i], keys[j])
        if 100 * (total - d) >= threshold * total:
            out.append((i, j))
    return out


@settings(max_examples=300, deadline=None)
@given(
    keys=st.lists(st.text(alphabet="ab cé卫𐩀", max_size=12), max_size=60),
    threshold=st.sampled_from([0, 50, 66.7, 75, 80, 90, 100]),
    max_cells=st.integers(min_value=1, max_value=200),
    group_rows=st.sampled_from([1, 2, 5, 64]),
)
def test_blocking_finds_exactly_the_brute_force_pairs(keys, threshold, max_cells, group_rows):
    # A small alphabet makes near-misses common (é, 卫 and 𐩀 are one code point each, 𐩀
    # outside the BMP); lists of up to 16 keys are compared pair by pair, longer ones through
    # the count filter (a small group_rows makes many batches) or, with group_rows=64, whole;
    # a tiny max_cells splits each batch into many cdist calls.
    found = _similar_pairs(keys, threshold, max_cells=max_cells, group_rows=group_rows)
    assert [(i, j) for i, j, _ in found] == _brute_force(keys, threshold)
    for i, j, sim in found:  # the similarity as today: 100 (T - d) / T, to the last bit
        total = len(keys[i]) + len(keys[j])
        assert sim == (100.0 if total == 0 else 100.0 * (total - Indel.distance(keys[i], keys[j])) / total)


def test_blocked_similarities_are_rapidfuzz_ratio():
    keys = ["oakwood surgery", "oakwod surgery", "oak wood surgery", "harehills hub"]
    for i, j, sim in _similar_pairs(keys, 80):
        assert sim == pytest.approx(fuzz.ratio(keys[i], keys[j]))


def test_blocked_similar_pairs_by_hand():
    # "ab"/"abc" and "ab"/"abd": one insertion in 5 characters, (5 - 1) / 5 = 80%;
    # "abc"/"abd": distance 2 of 6, 66.7%; the second "ab" is alone in block 1
    i, j, sim = _blocked_similar_pairs(["ab", "abc", "abd", "ab"], np.array([0, 0, 0, 1]), 80)
    assert (i.tolist(), j.tolist(), sim.tolist()) == ([0, 0], [1, 2], [80.0, 80.0])
    i, j, sim = _blocked_similar_pairs([], np.array([], dtype=np.int64), 90)
    assert len(i) == len(j) == len(sim) == 0


@settings(max_examples=200, deadline=None)
@given(
    keys=st.lists(st.text(alphabet="ab cé卫𐩀", max_size=12), max_size=160),
    n_blocks=st.integers(min_value=1, max_value=5),
    threshold=st.sampled_from([0, 50, 66.7, 75, 80, 90, 100]),
    seed=st.integers(min_value=0, max_value=1000),
)
def test_blocked_similar_pairs_is_similar_pairs_of_each_block(keys, n_blocks, threshold, seed):
    # up to 160 keys in up to 5 blocks: both small blocks (all at once) and blocks over 64 keys
    block = np.array(random.Random(seed).choices(range(n_blocks), k=len(keys)), dtype=np.int64)
    expected = []
    for b in range(n_blocks):
        members = np.flatnonzero(block == b).tolist()
        expected += [
            (members[x], members[y], sim) for x, y, sim in _similar_pairs([keys[m] for m in members], threshold)
        ]
    i, j, sim = _blocked_similar_pairs(keys, block, threshold)
    assert list(zip(i.tolist(), j.tolist(), sim.tolist(), strict=True)) == sorted(expected)


def _random_names(seed: int, n: int) -> list[str]:
    """Names made to be hard: digits, compass words, short names, accents and other scripts,
    abbreviations, exact repeats and near-repeats (a letter dropped, added or changed)."""
    rng = random.Random(seed)
    words = ["Oak", "Ash", "Mill", "Park", "Moor", "Lea", "Vale", "Holt", "Hyde", "Leeds", "Otley", "Morley"]
    words += ["Café", "Ñandú", "Łódź", "Straße", "卫生", "中心", "Ｆｕｌｌ", "e\u0301cole"]  # accents, CJK, full width
    tails = ["Surgery", "Medical Centre", "MC", "Health Centre", "Carers", "PCN", "Ltd", "NHS Trust", "& Co", "Hub"]
    extras = ["North", "South", "Central", "1", "2", "12", "3b", "Street", "St", "The"]
    names: list[str] = []
    while len(names) < n:
        roll = rng.random()
        if names and roll < 0.15:
            names.append(rng.choice(names))  # the same name again
        elif names and roll < 0.45:
            chars = list(rng.choice(names))  # a near-repeat: one letter dropped, added or changed
            k = rng.randrange(len(chars) + 1)
            op = rng.choice(["drop", "add", "change"]) if chars else "add"
            if op == "drop" and k < len(chars):
                del chars[k]
            elif op == "change" and k < len(chars):
                chars[k] = rng.choice("aeiourstn")
            else:
                chars.insert(k, rng.choice("aeiourstn"))
            names.append("".join(chars))
        elif roll < 0.55:
            names.append(rng.choice(["A", "Ab", "B", "Oa", "1", "卫", "?", ""]))  # short, odd and empty
        else:
            parts = rng.sample(words, rng.randint(1, 3)) + [rng.choice(tails)]
            if rng.random() < 0.3:
                parts.insert(rng.randrange(len(parts) + 1), rng.choice(extras))
            names.append(" ".join(parts))
    return names


def _random_graph(seed: int, n: int = 240) -> nx.MultiDiGraph:
    """Records of two kinds with :func:`_random_names`, some shared identifiers and ``part_of`` ties."""
    rng = random.Random(seed)
    H = nx.MultiDiGraph()
    for i, name in enumerate(_random_names(seed, n)):
        ids = rng.sample(["GB-1", "GB-2", "gb-2 ", "GB-3"], rng.randint(0, 2)) if rng.random() < 0.1 else ()
        H.add_node(
            f"r{i:03d}", kind=rng.choice(["organisation", "organisation", "partnership"]), name=name, identifiers=ids
        )
    nodes = list(H)
    for _ in range(n // 4):
        u, v = rng.sample(nodes, 2)
        H.add_edge(u, v, kind=rng.choice(["part_of", "part_of", "reports_to"]))
    for _ in range(n // 10):  # a record inside a record of the same name
        u = rng.choice(nodes)
        twin = next((v for v in nodes if v != u and H.nodes[v]["name"] == H.nodes[u]["name"]), None)
        if twin is not None:
            H.add_edge(u, twin, kind="part_of")
    return H


def _brute_force_records(G: nx.MultiDiGraph, threshold: float) -> pd.DataFrame:
    """duplicate_records by its definition: every pair of records of a kind, in plain loops."""
    up = nx.DiGraph((u, v) for u, v, k in G.edges(data="kind") if k == "part_of")

    def nested(a, b):
        return a in up and b in up and (nx.has_path(up, a, b) or nx.has_path(up, b, a))

    def distinguishing(key):
        return {w for w in key.split() if w in DISTINGUISHING or any(c.isdigit() for c in w)}

    rows = []
    for a, b in itertools.combinations(sorted(G), 2):
        da, db = G.nodes[a], G.nodes[b]
        if str(da.get("kind")) != str(db.get("kind")):
            continue
        name_a, name_b = str(da.get("name", a)), str(db.get("name", b))
        key_a, key_b = normalise_name(name_a), normalise_name(name_b)
        total = len(key_a) + len(key_b)
        d = Indel.distance(key_a, key_b)
        sim = 100.0 if total == 0 else 100.0 * (total - d) / total
        alike = key_a == key_b or (
            100 * (total - d) >= threshold * total
            and distinguishing(key_a) == distinguishing(key_b)
            and not (threshold >= 80 and _different_words(key_a, key_b))
        )
        idents = {str(i).strip().upper() for i in da.get("identifiers", ()) or ()}
        shared = sorted(idents & {str(i).strip().upper() for i in db.get("identifiers", ()) or ()})
        if shared or (alike and not nested(a, b)):
            sim = round(sim, 1)
            score = 100.0 if shared else sim
            rows.append(
                (str(da.get("kind")), a, name_a, b, name_b, score, sim, "; ".join(shared), _reason(sim, shared))
            )
    df = pd.DataFrame(rows, columns=list(DUPLICATE_COLUMNS)).astype({"score": "float64", "name_similarity": "float64"})
    df = df.sort_values(["score", "kind", "id_a", "id_b"], ascending=[False, True, True, True], kind="stable")
    return df.reset_index(drop=True)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("threshold", [60, 80, 90])
def test_duplicate_records_equals_comparing_every_pair(seed, threshold):
    # 240 records of two kinds: blocks of every size, so every path of _similar_pairs runs
    G = _random_graph(seed)
    got, expected = duplicate_records(G, threshold=threshold), _brute_force_records(G, threshold)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(got, expected)
    assert got.to_csv(index=False) == expected.to_csv(index=False)


# --- a record inside another of the same name ---------------------------------------------


def _localities():
    """A locality, a sub-locality inside it and a team inside that, all "Market Harborough",
    and an unrelated partnership of the same name."""
    H = nx.MultiDiGraph()
    for n in ("loc", "sub", "team", "other"):
        H.add_node(n, kind="partnership", name="Market Harborough")
    H.add_edge("sub", "loc", kind="part_of")
    H.add_edge("team", "sub", kind="part_of")
    return H


def test_a_record_inside_another_of_the_same_name_is_not_a_duplicate():
    df = duplicate_records(_localities())
    # loc/sub and sub/team are part_of directly, loc/team through sub; "other" is in no chain
    assert df[["id_a", "id_b"]].values.tolist() == [["loc", "other"], ["other", "sub"], ["other", "team"]]


def test_a_near_name_inside_another_is_not_a_duplicate_either():
    H = _localities()
    H.nodes["team"]["name"] = "Market Harboro"  # 93% alike: a name pair, not a same-key pair
    pairs = duplicate_records(H)[["id_a", "id_b"]].values.tolist()
    assert ["loc", "team"] not in pairs and ["sub", "team"] not in pairs
    assert ["other", "team"] in pairs


def test_only_part_of_ties_make_the_chain():
    H = _localities()
    H.add_edge("other", "loc", kind="reports_to")  # reporting to a board is not being part of it
    H.add_node("x", kind="partnership", name="Market Harborough")
    H.add_edge("x", "loc", kind="part_of")  # x and sub are siblings, both inside loc: no chain
    pairs = duplicate_records(H)[["id_a", "id_b"]].values.tolist()
    assert ["loc", "other"] in pairs
    assert ["sub", "x"] in pairs and ["team", "x"] in pairs
    assert ["loc", "x"] not in pairs


def test_the_county_sub_locality_is_not_a_duplicate_of_its_locality():
    # tests/fixtures/county: sub-harborough is part_of loc-west, both "Market Harborough"
    df = duplicate_records(lcpgraph.load(FIXTURES / "county"), threshold=60)
    assert ("loc-west", "sub-harborough") not in set(zip(df["id_a"], df["id_b"], strict=True))
    assert ("gp-eastport-hc", "gp-eastport-mc") in set(zip(df["id_a"], df["id_b"], strict=True))


def test_a_shared_identifier_is_reported_inside_a_chain():
    H = _localities()
    H.nodes["loc"]["identifiers"] = ("E05012345",)
    H.nodes["team"]["identifiers"] = ("e05012345",)
    row = duplicate_records(H).set_index(["id_a", "id_b"]).loc[("loc", "team")]
    assert row["reason"] == "share identifier E05012345; same name after normalisation"
    assert ("loc", "sub") not in duplicate_records(H).set_index(["id_a", "id_b"]).index


# --- overlapping forums --------------------------------------------------------------------


def test_jaccard_of_abc_and_bcd_is_two_of_four(G):
    # board-hwb: {org-ltht, person-chair, org-beckett}; board-pcb: {person-chair (chairs),
    # org-beckett, org-trinity}. Shared {person-chair, org-beckett} = 2, union 4: 2/4.
    df = overlapping_forums(G)
    assert df.to_dict("records") == [
        {
            "forum_a": "board-hwb",
            "name_a": "Health and Wellbeing Board",
            "forum_b": "board-pcb",
            "name_b": "Partnership Care Board",
            "shared": 2,
            "jaccard": 0.5,
            "members_a": 3,
            "members_b": 3,
        }
    ]


def test_lower_jaccard_brings_in_the_two_lcps(G):
    # North {oakwood-1, oakwood-2, foodbank, person-chair}, South {carers-north, carers-south,
    # foodbank, person-chair}: 2 shared of 6 = 1/3, below 0.5 and above 0.3.
    df = overlapping_forums(G, min_jaccard=0.3)
    assert df[["forum_a", "forum_b", "shared"]].values.tolist() == [
        ["board-hwb", "board-pcb", 2],
        ["lcp-north", "lcp-south", 2],
    ]
    assert df["jaccard"].tolist() == pytest.approx([0.5, 1 / 3])


def test_min_shared_keeps_out_one_member_coincidences():
    H = nx.MultiDiGraph()
    H.add_nodes_from(["f", "g"], kind="board")
    H.add_node("x", kind="person")
    H.add_edge("x", "f", kind="member_of")
    H.add_edge("x", "g", kind="member_of")
    assert overlapping_forums(H).empty  # Jaccard 1, but one shared member
    assert overlapping_forums(H, min_shared=1)["jaccard"].tolist() == [1.0]


def test_overlap_matches_a_set_computation_on_random_memberships():
    import random

    rng = random.Random(3)
    H = nx.MultiDiGraph()
    forums = [f"f{i}" for i in range(12)]
    H.add_nodes_from(forums, kind="partnership")
    for m in range(30):
        H.add_node(f"m{m}", kind="organisation")
        for f in rng.sample(forums, rng.randint(0, 5)):
            H.add_edge(f"m{m}", f, kind=rng.choice(["member_of", "chairs"]))
    members = {f: {u for u, _ in H.in_edges(f)} for f in forums}
    expected = {}
    for a, b in itertools.combinations(forums, 2):
        shared = len(members[a] & members[b])
        if shared >= 2 and shared / len(members[a] | members[b]) >= 0.2:
            expected[(min(a, b), max(a, b))] = shared / len(members[a] | members[b])
    df = overlapping_forums(H, min_jaccard=0.2)
    got = {(a, b): j for a, b, j in zip(df["forum_a"], df["forum_b"], df["jaccard"], strict=True)}
    assert got == pytest.approx(expected)


def test_no_forums_and_no_seats_give_an_empty_overlap_table():
    assert list(overlapping_forums(nx.MultiDiGraph()).columns) == [
        "forum_a",
        "name_a",
        "forum_b",
        "name_b",
        "shared",
        "jaccard",
        "members_a",
        "members_b",
    ]
    H = nx.MultiDiGraph()
    H.add_nodes_from(["f", "g"], kind="board")  # forums with nobody in them
    assert overlapping_forums(H, min_shared=0, min_jaccard=0).empty


def test_the_duplication_module_does_not_import_scipy():
    import subprocess
    import sys

    code = "import sys, lcpgraph.analysis.duplication; print('scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- meeting burden ------------------------------------------------------------------------


def test_meeting_burden_counts_forums_and_chairs(G):
    df = meeting_burden(G, min_forums=2)
    # person-chair: member of hwb and south, chairs pcb and north = 4 forums, 2 chaired;
    # org-beckett: hwb + pcb; org-foodbank: north + south.
    assert df[["id", "forums", "chairs"]].values.tolist() == [
        ["person-chair", 4, 2],
        ["org-beckett", 2, 0],
        ["org-foodbank", 2, 0],
    ]
    assert df.loc[0, "forum_names"] == "Health and Wellbeing Board; North LCP; Partnership Care Board; South LCP"
    assert meeting_burden(G)["id"].tolist() == ["person-chair"]  # default: 3 or more


def test_a_member_of_and_a_chairs_tie_to_one_forum_count_once():
    H = nx.MultiDiGraph()
    H.add_node("f", kind="board")
    H.add_node("p", kind="person", name="P")
    H.add_edge("p", "f", kind="member_of")
    H.add_edge("p", "f", kind="chairs")
    assert meeting_burden(H, min_forums=1)[["forums", "chairs"]].values.tolist() == [[1, 1]]


# --- duplicated functions ------------------------------------------------------------------


def test_services_offered_twice_in_one_lcp(G):
    df = duplicated_functions(G)
    # North: oakwood-1 (social prescribing), oakwood-2 (Social-Prescribing; befriending),
    # foodbank (food; befriending). South: carers-north and carers-south (carers support),
    # foodbank (food; befriending). "food" is offered once in each LCP, so not listed.
    assert df[["unit", "service", "organisations", "ids"]].values.tolist() == [
        ["lcp-north", "befriending", 2, "org-foodbank; org-oakwood-2"],
        ["lcp-north", "social prescribing", 2, "org-oakwood-1; org-oakwood-2"],
        ["lcp-south", "carers support", 2, "org-carers-north; org-carers-south"],
    ]
    assert df.loc[1, "names"] == "Oakwood Lane MC; Oakwood Lane Medical Centre"


def test_service_names_are_matched_loosely():
    assert normalise_service("Social_Prescribing.") == normalise_service("social prescribing")


# --- CLI -----------------------------------------------------------------------------------


def test_cli_duplicates_prints_every_section():
    result = CliRunner().invoke(main, ["duplicates", str(FIXTURES / "duplication")], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for title in ("Probable duplicate records", "Forums with the same members", "Meeting burden", "The same service"):
        assert title in result.output
    assert "Oakwood Lane MC" in result.output and "share identifier GB-NHS-RR8" in result.output


def test_cli_duplicates_one_section_as_csv(tmp_path):
    out = tmp_path / "dupes.csv"
    args = ["duplicates", str(FIXTURES / "duplication"), "--show", "records", "--threshold", "60"]
    result = CliRunner().invoke(main, [*args, "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(DUPLICATE_COLUMNS)
    assert any(line.startswith("organisation,org-beckett,") for line in lines)


def test_cli_duplicates_json_holds_every_section():
    result = CliRunner().invoke(main, ["duplicates", str(FIXTURES / "duplication"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == ["duplicate_records", "overlapping_forums", "meeting_burden", "duplicated_functions"]
    assert data["overlapping_forums"][0]["jaccard"] == 0.5


def test_cli_csv_of_all_sections_asks_for_one():
    result = CliRunner().invoke(main, ["duplicates", str(FIXTURES / "duplication"), "--format", "csv"])
    assert result.exit_code == 2
    assert "choose which with --show" in result.output


def test_cli_bad_threshold_is_a_usage_error():
    result = CliRunner().invoke(main, ["duplicates", str(FIXTURES / "duplication"), "--threshold", "120"])
    assert result.exit_code == 2
    assert "0<=x<=100" in result.output


def test_cli_duplicates_help_ends_with_an_example():
    result = CliRunner().invoke(main, ["duplicates", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


@pytest.mark.parametrize(
    "a,b,flagged",
    [
        ("Morley Health Centre", "Otley Health Centre", False),  # two places: morley/otley 73% alike
        ("Councillor A (illustrative)", "Councillor B (illustrative)", False),
        ("Age UK Leeds", "Age UK Leds", True),  # a typo: the differing words are 89% alike
        ("Oakwood Lane Medical Centre", "Oakwood Lane MC", True),
    ],
)
def test_names_that_differ_by_a_whole_word(a, b, flagged):
    G = nx.MultiDiGraph()
    G.add_node("x1", kind="organisation", name=a)
    G.add_node("x2", kind="organisation", name=b)
    assert (len(duplicate_records(G)) == 1) is flagged
