"""Brokerage roles, constraint and effective size against brute force and networkx."""

import itertools
import random

import networkx as nx
import pytest

from lcpgraph.analysis.brokerage import brokerage
from lcpgraph.views import organisation_projection


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
