"""Brokerage roles, constraint and effective size against brute force and networkx."""

import itertools
import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import lcpgraph.analysis.brokerage as brokerage_module
from lcpgraph.analysis.brokerage import BROKERAGE_COLUMNS, brokerage
from lcpgraph.views import derived, organisation_projection


def _brute_roles(P):
    out = {}
    for b in P:
        counts = dict.fromkeys(("coordinator", "itinerant", "boundary_spanner", "liaison"), 0)
        sb = P.nodes[b]["sector"]
        for a, c in itertools.combinations(sorted(P[b]), 2):
            if P.has_edge(a, c):
                continue
            sa, sc = P.nodes[a]["sector"], P.nodes[c]["sector"]
            if sa == sb == sc:
                counts["coordinator"] += 1
            elif sa == sc:
                counts["itinerant"] += 1
            elif sa == sb or sc == sb:
                counts["boundary_spanner"] += 1
            else:
                counts["liaison"] += 1
        out[b] = counts
    return out


def _random_affiliation(seed):
    rng = random.Random(seed)
    M = nx.MultiDiGraph()
    orgs = [f"o{i:02d}" for i in range(rng.randint(3, 25))]
    for o in orgs:
        M.add_node(o, kind="organisation", name=o, sector=rng.choice(["gp", "ts", "la", "nhs"]))
    for f in range(rng.randint(1, 6)):
        M.add_node(f"f{f}", kind="partnership", name=f"F{f}")
        for o in rng.sample(orgs, rng.randint(1, min(6, len(orgs)))):
            M.add_edge(o, f"f{f}", kind="member_of")
    for _ in range(rng.randint(0, 8)):
        a, b = rng.sample(orgs, 2)
        M.add_edge(a, b, kind="works_with")
    return M


def test_path_by_hand():
    # gp - lcc - ch (three sectors): lcc is the middle of one open triad with all three
    # sectors different -> one liaison role; gp and ch broker nothing.
    M = nx.MultiDiGraph()
    for n, s in [("gp", "primary care"), ("lcc", "social care"), ("ch", "third sector")]:
        M.add_node(n, kind="organisation", name=n, sector=s)
    M.add_edge("gp", "lcc", kind="works_with")
    M.add_edge("lcc", "ch", kind="works_with")
    df = brokerage(M).set_index("id")
    assert df.loc["lcc", ["coordinator", "itinerant", "boundary_spanner", "liaison"]].tolist() == [0, 0, 0, 1]
    assert df.loc["gp", "cross_sector"] == 0
    # Burt: lcc's two contacts each take half its ties and are not tied: 0.5² + 0.5² = 0.5.
    assert df.loc["lcc", "constraint"] == pytest.approx(0.5)
    assert df.loc["lcc", "effective_size"] == 2.0


@pytest.mark.parametrize("seed", range(25))
def test_roles_match_brute_force_and_burt_matches_networkx(seed):
    M = _random_affiliation(seed)
    P = organisation_projection(M)
    df = brokerage(M).set_index("id")
    brute = _brute_roles(P)
    for v, counts in brute.items():
        for role, n in counts.items():
            assert df.loc[v, role] == n, (v, role)
    con = nx.constraint(P, weight="weight")
    eff = nx.effective_size(P)
    for v in P:
        if P.degree(v) == 0:
            assert df.loc[v, "constraint"] != df.loc[v, "constraint"]  # NaN
            continue
        assert df.loc[v, "constraint"] == pytest.approx(con[v], abs=1e-9)
        assert df.loc[v, "effective_size"] == pytest.approx(eff[v], abs=1e-9)


def _reference_brokerage(G):
    """The earlier implementation (scipy sparse products), kept to check the igraph one against."""
    import scipy.sparse as sp

    def diag3(X, Y, Z):
        XY = (X @ Y).tocsr()
        return np.asarray(XY.multiply(Z.T).sum(axis=1)).ravel()

    ids, i_arr, j_arr, shared, direct = derived(G).projection_arrays()
    nodes = ids
    n = len(nodes)
    sectors = [str(G.nodes[v].get("sector", "") or "") for v in nodes]
    codes, uniques = pd.factorize(pd.Series(sectors, dtype=object))
    codes = np.asarray(codes)
    w = (shared + direct).astype(float)
    rows = np.concatenate([i_arr, j_arr])
    cols = np.concatenate([j_arr, i_arr])
    W = sp.csr_matrix((np.concatenate([w, w]), (rows, cols)), shape=(n, n))
    A = W.copy()
    A.data[:] = 1.0
    deg = np.asarray(A.sum(axis=1)).ravel()
    S = sp.csr_matrix((np.ones(n), (np.arange(n), codes)), shape=(n, max(len(uniques), 1)))
    N = (A @ S).toarray()
    own = N[np.arange(n), codes] if n else np.zeros(0)
    other = deg - own
    pairs_same = own * (own - 1) / 2
    pairs_itin = ((N * (N - 1) / 2).sum(axis=1) - pairs_same) if n else np.zeros(0)
    pairs_boundary = own * other
    pairs_liaison = (other**2 - ((N**2).sum(axis=1) - own**2)) / 2 if n else np.zeros(0)
    Acoo = A.tocoo()
    same = codes[Acoo.row] == codes[Acoo.col]
    B = sp.csr_matrix((Acoo.data[same], (Acoo.row[same], Acoo.col[same])), shape=(n, n))
    A = A.tocsr()
    tri = diag3(A, A, A) / 2
    closed_same = diag3(B, B, B) / 2
    closed_ac_same = diag3(A, B, A) / 2
    closed_boundary = diag3(B, A, A) - diag3(B, A, B)
    closed_itin = closed_ac_same - closed_same
    closed_liaison = tri - closed_same - closed_itin - closed_boundary
    roles = {
        "coordinator": pairs_same - closed_same,
        "itinerant": pairs_itin - closed_itin,
        "boundary_spanner": pairs_boundary - closed_boundary,
        "liaison": pairs_liaison - closed_liaison,
    }
    roles = {k: np.rint(v).astype("int64") for k, v in roles.items()}
    strength = np.asarray(W.sum(axis=1)).ravel()
    inv = sp.diags(np.divide(1.0, strength, out=np.zeros(n), where=strength > 0))
    Pm = (inv @ W).tocsr()
    indirect = (Pm @ Pm).tocsr().multiply(A).tocsr()
    total = (Pm + indirect).tocsr()
    constraint = np.asarray(total.multiply(total).sum(axis=1)).ravel()
    constraint = np.where(deg > 0, constraint, np.nan)
    effective = np.where(deg > 0, deg - np.divide(2 * tri, deg, out=np.zeros(n), where=deg > 0), np.nan)
    df = pd.DataFrame(
        {
            "id": nodes,
            "name": [G.nodes[v].get("name", v) for v in nodes],
            "sector": sectors,
            "contacts": deg.astype("int64"),
            **roles,
        }
    )
    df["cross_sector"] = df["itinerant"] + df["boundary_spanner"] + df["liaison"]
    df["constraint"] = np.round(constraint, 12)
    df["effective_size"] = np.round(effective, 12)
    df = df.sort_values(
        ["cross_sector", "constraint", "id"], ascending=[False, True, True], na_position="last", kind="mergesort"
    )
    return df.reset_index(drop=True)[list(BROKERAGE_COLUMNS)]


def _random_partnership(seed, n_sectors, isolated=3, forums=12):
    """Organisations in ``n_sectors`` sectors (None: each its own), some in no forum, ties
    repeated (weights above 1), some sectors missing or empty, some names missing."""
    rng = random.Random(seed)
    M = nx.MultiDiGraph()
    orgs = [f"o{i:03d}" for i in range(rng.randint(20, 60))]
    for k, o in enumerate(orgs):
        sector = f"s{k}" if n_sectors is None else rng.choice([f"s{s}" for s in range(n_sectors)] + [""])
        attrs = {"kind": "organisation", "sector": sector}
        if rng.random() < 0.9:
            attrs["name"] = f"Org {o}"
        M.add_node(o, **attrs)
    for o in range(isolated):
        M.add_node(f"z{o}", kind="organisation", name=f"Z{o}", sector="s0")
    for f in range(forums):
        M.add_node(f"f{f}", kind="partnership", name=f"F{f}")
        members = rng.sample(orgs, rng.randint(2, 8))
        for o in members:
            M.add_edge(o, f"f{f}", kind="member_of")
    M.add_edge(members[0], members[1], kind="works_with")  # a forum and a direct tie: weight 2
    for _ in range(rng.randint(5, 40)):
        a, b = rng.sample(orgs, 2)
        M.add_edge(a, b, kind="works_with")
    return M


@pytest.mark.parametrize("n_sectors", [1, 2, 4, 9, None])
@pytest.mark.parametrize("seed", range(6))
def test_same_table_as_the_sparse_reference(seed, n_sectors):
    # Few forums when every organisation has its own sector: the sparse count of contacts by sector.
    M = _random_partnership(seed, n_sectors, forums=12 if n_sectors else 4)
    got, want = brokerage(M), _reference_brokerage(M)
    assert list(got.columns) == list(want.columns)
    assert got.dtypes.to_dict() == want.dtypes.to_dict()
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got["constraint"].isna().sum() >= 3  # the isolated organisations
    w = derived(M).projection_arrays()
    assert (w[3] + w[4]).max() > 1  # some ties weigh more than one


def test_no_organisations_and_no_ties():
    M = nx.MultiDiGraph()
    M.add_node("f", kind="partnership", name="F")
    assert list(brokerage(M).columns) == list(BROKERAGE_COLUMNS) and len(brokerage(M)) == 0
    pd.testing.assert_frame_equal(brokerage(M), _reference_brokerage(M), check_exact=True)
    M.add_node("a", kind="organisation", name="A", sector="x")
    M.add_node("b", kind="organisation", name="B")
    pd.testing.assert_frame_equal(brokerage(M), _reference_brokerage(M), check_exact=True)


def _ties(pairs):
    i, j = np.array(sorted(pairs), dtype=np.int64).T
    n = int(j.max()) + 1
    return n, i, j, np.bincount(i, minlength=n) + np.bincount(j, minlength=n)


def test_closed_pairs_by_role_by_hand():
    # K4 on 0-3 with sectors x, x, y, z, and 4 (sector x) tied to 0 and 1. Triangles:
    # 014 (x x x) coordinator for all three; 012 and 013 (x x and one other) boundary for 0
    # and 1, itinerant for 2 and for 3; 023 and 123 (three sectors) liaison for all.
    n, i, j, deg = _ties([(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3), (0, 4), (1, 4)])
    codes = np.array([0, 0, 1, 2, 0])
    closed = brokerage_module._closed_by_role(n, i, j, deg, codes)
    assert closed.tolist() == [[1, 0, 2, 1], [1, 0, 2, 1], [0, 1, 0, 2], [0, 1, 0, 2], [1, 0, 0, 0]]


def test_closed_pairs_on_a_graph_without_ties():
    n, i, j, deg = 3, np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(3, np.int64)
    assert brokerage_module._closed_by_role(n, i, j, deg, np.zeros(3, np.int64)).tolist() == [[0] * 4] * 3


@pytest.mark.parametrize("chunk", [1, 7, 1 << 20])
@pytest.mark.parametrize("seed", range(8))
def test_triangles_once_each_in_chunks_of_any_size(seed, chunk, monkeypatch):
    # Every triangle exactly once, however the pairs to test are cut into chunks.
    monkeypatch.setattr(brokerage_module, "_WEDGES_PER_CHUNK", chunk)
    rng = random.Random(seed)
    size = rng.randint(4, 30)
    pairs = {p for p in itertools.combinations(range(size), 2) if rng.random() < 0.3} | {(0, size - 1)}
    n, i, j, deg = _ties(pairs)
    chunks = list(brokerage_module._triangles(n, i, j, deg))
    assert len(chunks) > 1 or chunk > 1
    got = sorted(tuple(sorted(t)) for a, b, c in chunks for t in zip(a.tolist(), b.tolist(), c.tolist(), strict=True))
    want = [t for t in itertools.combinations(range(n), 3) if {t[:2], t[1:], t[::2]} <= pairs]
    assert got == want


def test_same_table_when_triangles_are_found_in_chunks(monkeypatch):
    M = _random_partnership(3, 4, forums=20)
    whole = brokerage(M)
    monkeypatch.setattr(brokerage_module, "_WEDGES_PER_CHUNK", 2)
    pd.testing.assert_frame_equal(brokerage(M), whole, check_exact=True)
