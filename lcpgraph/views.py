"""Derived views of the partnership graph that analyses compute on.

The loaded graph is a multigraph of typed relationships. Most questions are asked of one of
three simpler views:

* :func:`simple_graph` — every node, every relationship as one undirected weighted edge
  ("who is connected to whom, by any tie");
* :func:`memberships` — the affiliation network: who sits in which forum (partnership or board);
* :func:`organisation_projection` — organisations joined when they sit in the same forum or
  have a direct tie, weighted by how many ("who connects to whom" between partners).
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
import numpy as np
import scipy.sparse as sp

from lcpgraph import schema

__all__ = [
    "DIRECT_KINDS",
    "MEMBERSHIP_KINDS",
    "forum_members",
    "lcps",
    "memberships",
    "nodes_of_kind",
    "organisation_projection",
    "simple_graph",
]

#: Relationship kinds that put a member *in* a forum.
MEMBERSHIP_KINDS: tuple[str, ...] = ("member_of", "chairs")

#: Relationship kinds that tie two organisations directly (not through a forum).
DIRECT_KINDS: tuple[str, ...] = ("works_with", "shares_role", "funds", "part_of", "supports")


def nodes_of_kind(G: nx.Graph, *kinds: str) -> list[str]:
    """Node ids whose ``kind`` is one of ``kinds``, sorted.

    >>> G = nx.Graph(); G.add_node("b", kind="board"); G.add_node("a", kind="organisation")
    >>> nodes_of_kind(G, "organisation", "board")
    ['a', 'b']
    """
    return sorted(n for n, k in G.nodes(data="kind") if k in kinds)


def lcps(G: nx.Graph) -> list[str]:
    """Ids of the Local Care Partnerships (partnerships of type ``lcp``), sorted."""
    return sorted(n for n, d in G.nodes(data=True) if d.get("kind") == schema.PARTNERSHIP and d.get("type") == "lcp")


def simple_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """Collapse the multigraph into a simple undirected graph.

    Each pair of connected nodes gets one edge whose ``weight`` is the sum of its
    relationships' weights and whose ``kinds`` is the sorted tuple of their kinds. Node
    attributes are kept; isolated nodes too.

    >>> M = nx.MultiDiGraph()
    >>> M.add_edge("a", "b", kind="member_of", weight=1.0)
    0
    >>> M.add_edge("b", "a", kind="chairs", weight=2.0)
    0
    >>> H = simple_graph(M)
    >>> H["a"]["b"]["weight"], H["a"]["b"]["kinds"]
    (3.0, ('chairs', 'member_of'))
    """
    H = nx.Graph()
    H.graph.update(G.graph)
    H.add_nodes_from(G.nodes(data=True))
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    weights: dict[tuple[str, str], float] = defaultdict(float)
    for u, v, d in G.edges(data=True):
        pair = (u, v) if u <= v else (v, u)
        kinds[pair].add(d.get("kind", ""))
        weights[pair] += float(d.get("weight", 1.0))
    for pair in sorted(kinds):
        H.add_edge(*pair, weight=weights[pair], kinds=tuple(sorted(kinds[pair])))
    return H


def memberships(G: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Map each node to the sorted forums (partnerships and boards) it sits in.

    A node sits in a forum when it is ``member_of`` it or ``chairs`` it. Every node appears,
    with an empty list when it sits in none.
    """
    out: dict[str, set[str]] = {n: set() for n in G}
    for u, v, k in G.edges(data="kind"):
        if k in MEMBERSHIP_KINDS and G.nodes[v].get("kind") in schema.FORUM_KINDS:
            out[u].add(v)
    return {n: sorted(s) for n, s in sorted(out.items())}


def forum_members(G: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Map each forum (partnership or board) to its sorted members (every forum appears)."""
    out: dict[str, set[str]] = {f: set() for f in nodes_of_kind(G, *schema.FORUM_KINDS)}
    for member, forums in memberships(G).items():
        for f in forums:
            out[f].add(member)
    return {f: sorted(s) for f, s in sorted(out.items())}


def organisation_projection(G: nx.MultiDiGraph, *, include_people: bool = False) -> nx.Graph:
    """Organisations joined by the forums they share and their direct ties.

    Edge attributes: ``shared_forums`` (how many partnerships/boards both sit in),
    ``direct_ties`` (how many direct relationships, e.g. ``works_with``, join them) and
    ``weight`` = their sum. Every organisation is a node, tied or not. Computed as a sparse
    matrix product, so a forum of *m* members costs O(m²) only in its own nonzeros.

    Parameters
    ----------
    include_people : bool
        Also project people (role holders) alongside organisations.

    Examples
    --------
    Two charities in one LCP, one of them also on a board with a trust:

    >>> M = nx.MultiDiGraph()
    >>> for n, k in [("a", "organisation"), ("b", "organisation"), ("t", "organisation"),
    ...              ("lcp", "partnership"), ("hwb", "board")]:
    ...     M.add_node(n, kind=k)
    >>> for u, v in [("a", "lcp"), ("b", "lcp"), ("b", "hwb"), ("t", "hwb")]:
    ...     _ = M.add_edge(u, v, kind="member_of")
    >>> P = organisation_projection(M)
    >>> sorted(P.edges(data="weight"))
    [('a', 'b', 1.0), ('b', 't', 1.0)]
    """
    kinds = (schema.ORGANISATION, schema.PERSON) if include_people else (schema.ORGANISATION,)
    members = nodes_of_kind(G, *kinds)
    index = {n: i for i, n in enumerate(members)}
    forums = nodes_of_kind(G, *schema.FORUM_KINDS)
    findex = {f: j for j, f in enumerate(forums)}
    rows, cols = [], []
    direct: dict[tuple[str, str], int] = defaultdict(int)
    for u, v, k in G.edges(data="kind"):
        if u in index and v in findex and k in MEMBERSHIP_KINDS:
            rows.append(index[u])
            cols.append(findex[v])
        elif u in index and v in index and k in DIRECT_KINDS:
            direct[(u, v) if u <= v else (v, u)] += 1
    B = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(members), len(forums)))
    B.data[:] = 1.0  # a member_of and a chairs row to the same forum count once
    shared = sp.triu(B @ B.T, k=1).tocoo()

    P = nx.Graph()
    P.graph.update(G.graph)
    P.add_nodes_from((n, G.nodes[n]) for n in members)
    pairs: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for i, j, w in zip(shared.row.tolist(), shared.col.tolist(), shared.data.tolist(), strict=True):
        a, b = members[i], members[j]
        pairs[(a, b) if a <= b else (b, a)][0] = int(w)
    for pair, n in direct.items():
        pairs[pair][1] = n
    for (a, b), (s, d) in sorted(pairs.items()):
        P.add_edge(a, b, shared_forums=s, direct_ties=d, weight=float(s + d))
    return P
