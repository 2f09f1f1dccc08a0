"""Communities: who clusters with whom, compared with the official LCP membership.

Communities are found on the organisation projection (organisations joined by the forums
they share and their direct ties) with igraph's Leiden or Louvain (multilevel) modularity
optimisation, seeded so that the same input gives the same answer. They are then compared
with the LCP each organisation officially belongs to, by the adjusted Rand index and
normalised mutual information (implemented here on a contingency table and tested against
igraph's ``compare_communities``).
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from lcpgraph import schema
from lcpgraph.engine import to_igraph
from lcpgraph.exceptions import LcpGraphError
from lcpgraph.views import lcps, memberships, organisation_projection

__all__ = [
    "AGREEMENT_COLUMNS",
    "COMMUNITY_COLUMNS",
    "METHODS",
    "adjusted_rand_index",
    "communities",
    "community_agreement",
    "contingency_table",
    "normalised_mutual_information",
    "official_lcps",
]

#: Community detection methods: igraph's Leiden (modularity, iterated until stable) and
#: Louvain (``community_multilevel``).
METHODS: tuple[str, ...] = ("leiden", "louvain")

#: Columns of :func:`communities`, in order.
COMMUNITY_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "sector",
    "community",
    "community_size",
    "lcp",
    "community_lcp",
    "agrees",
    "in_lcps",
)

#: Columns of :func:`community_agreement`, in order.
AGREEMENT_COLUMNS: tuple[str, ...] = (
    "organisations",
    "scored",
    "communities",
    "lcps",
    "agreeing",
    "adjusted_rand_index",
    "normalised_mutual_information",
)


def contingency_table(a: Sequence, b: Sequence) -> sp.csr_matrix:
    """Sparse counts ``n[i, j]`` of items in cluster *i* of ``a`` and cluster *j* of ``b``.

    Clusters are numbered in sorted order of their labels (compared as strings). Sparse,
    because comparing 25,000 communities with 10,000 LCPs would otherwise take gigabytes.

    >>> contingency_table(["x", "x", "y"], [1, 2, 2]).toarray().tolist()
    [[1, 1], [0, 1]]
    """
    if len(a) != len(b):
        raise LcpGraphError(f"the two partitions label different numbers of items ({len(a)} and {len(b)})")
    _, ai = np.unique(np.asarray([str(x) for x in a], dtype=object), return_inverse=True)
    _, bi = np.unique(np.asarray([str(x) for x in b], dtype=object), return_inverse=True)
    shape = (int(ai.max(initial=-1)) + 1, int(bi.max(initial=-1)) + 1)
    table = sp.csr_matrix((np.ones(len(ai), dtype=np.int64), (ai, bi)), shape=shape)
    table.sum_duplicates()
    return table


def _pairs(x: np.ndarray) -> float:
    """Sum of "x choose 2" over an array of counts."""
    x = np.asarray(x, dtype=np.float64)
    return float((x * (x - 1) / 2).sum())


def adjusted_rand_index(a: Sequence, b: Sequence) -> float:
    """Adjusted Rand index of two partitions (Hubert and Arabie, 1985).

    ``(Σ C(n_ij, 2) − E) / (½[Σ C(a_i, 2) + Σ C(b_j, 2)] − E)`` with
    ``E = Σ C(a_i, 2) · Σ C(b_j, 2) / C(n, 2)``, over the contingency table ``n_ij`` with row
    sums ``a_i`` and column sums ``b_j``. 1 for identical partitions, about 0 for unrelated
    ones (it can be negative). When the denominator is 0 the partitions are identical and
    trivial (all in one cluster, or all apart) and the index is 1 (igraph returns NaN there).

    Examples
    --------
    >>> adjusted_rand_index([0, 0, 1, 1], ["a", "a", "b", "b"])
    1.0
    >>> round(adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]), 4)
    0.2424
    """
    table = contingency_table(a, b)
    n = int(table.sum())
    if n < 2:
        return 1.0
    index = _pairs(table.data)
    sum_a = _pairs(table.sum(axis=1))
    sum_b = _pairs(table.sum(axis=0))
    expected = sum_a * sum_b / (n * (n - 1) / 2)
    maximum = (sum_a + sum_b) / 2
    if maximum == expected:
        return 1.0
    return float((index - expected) / (maximum - expected))


def _entropy(counts: np.ndarray, n: int) -> float:
    counts = np.asarray(counts, dtype=np.float64).ravel()
    p = counts[counts > 0] / n
    return float(-(p * np.log(p)).sum())


def normalised_mutual_information(a: Sequence, b: Sequence) -> float:
    """Normalised mutual information of two partitions, ``2 I(a; b) / (H(a) + H(b))``.

    The arithmetic-mean normalisation of Danon et al. (2005), as igraph's
    ``compare_communities(method="nmi")``; natural logarithms (the base cancels).
    ``I = Σ p_ij log(p_ij / (p_i p_j))`` over the nonzero cells of the contingency table.
    1 for identical partitions, 0 for independent ones; 1 when both put everything in one
    cluster.

    Examples
    --------
    >>> normalised_mutual_information([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    >>> normalised_mutual_information([0, 0, 1, 1], [0, 1, 0, 1])
    0.0
    """
    table = contingency_table(a, b).tocoo()
    n = int(table.sum())
    if n == 0:
        return 1.0
    rows = np.asarray(table.sum(axis=1)).ravel()
    cols = np.asarray(table.sum(axis=0)).ravel()
    h_a, h_b = _entropy(rows, n), _entropy(cols, n)
    if h_a + h_b == 0:
        return 1.0
    p_ab = table.data / n
    mi = float((p_ab * np.log(p_ab * n * n / (rows[table.row] * cols[table.col]))).sum())
    return max(0.0, min(1.0, 2 * mi / (h_a + h_b)))


def official_lcps(G: nx.MultiDiGraph) -> pd.DataFrame:
    """The official LCP of each organisation, and how many LCPs it sits in.

    Computed on the affiliation network (``member_of``/``chairs`` ties to partnerships of
    type ``lcp``) and, to settle organisations in several LCPs, on the organisation
    projection *without* the LCPs themselves (their other shared forums and direct ties).

    The rule:

    * in exactly one LCP: that LCP;
    * in several: the one whose other member organisations it has strictly the most ties
      with outside the LCPs (the sum of those projection weights); when two or more LCPs tie
      for the most (often zero, for a citywide body in every LCP), it has no official LCP;
    * in none: no official LCP.

    Organisations without an official LCP are excluded from the agreement scores.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``lcp`` (id, or ``<NA>``), ``in_lcps`` (count); one row per
        organisation, sorted by id.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["n", "s"], kind="partnership", type="lcp")
    >>> G.add_nodes_from(["a", "b", "c"], kind="organisation")
    >>> for u, v in [("a", "n"), ("b", "n"), ("b", "s")]:
    ...     _ = G.add_edge(u, v, kind="member_of")
    >>> _ = G.add_edge("b", "a", kind="works_with")  # b works with a, who is in n
    >>> official_lcps(G).to_dict("records")
    [{'id': 'a', 'lcp': 'n', 'in_lcps': 1}, {'id': 'b', 'lcp': 'n', 'in_lcps': 2}, {'id': 'c', 'lcp': None, 'in_lcps': 0}]
    """
    lcp_ids = set(lcps(G))
    member = memberships(G)
    orgs = sorted(n for n, k in G.nodes(data="kind") if k == schema.ORGANISATION)
    in_lcps = {o: [f for f in member[o] if f in lcp_ids] for o in orgs}
    multi = [o for o in orgs if len(in_lcps[o]) > 1]
    outside: nx.Graph | None = None
    if multi:
        outside = organisation_projection(G.subgraph(n for n in G if n not in lcp_ids))
    official: dict[str, str | None] = {}
    for o in orgs:
        mine = in_lcps[o]
        if len(mine) == 1:
            official[o] = mine[0]
        elif not mine:
            official[o] = None
        else:
            ties: Counter[str] = Counter({lcp: 0.0 for lcp in mine})
            assert outside is not None
            for nbr, w in outside[o].items():
                for lcp in in_lcps.get(nbr, ()):
                    if lcp in ties:
                        ties[lcp] += float(w.get("weight", 1.0))
            ranked = ties.most_common()
            official[o] = ranked[0][0] if ranked[0][1] > ranked[1][1] else None
    df = pd.DataFrame(
        {"id": orgs, "lcp": [official[o] for o in orgs], "in_lcps": [len(in_lcps[o]) for o in orgs]},
    )
    return df.astype({"id": "string", "lcp": "string", "in_lcps": "int64"})


def _detect(P: nx.Graph, seed: int, resolution: float, method: str) -> list[list[str]]:
    """Communities of ``P`` as sorted lists of node ids, via igraph with a seeded RNG.

    python-igraph draws its random numbers from the object given to
    ``igraph.set_random_number_generator`` (by default Python's ``random`` module). We give
    it a private ``random.Random(seed)`` for the call and restore the default afterwards, so
    the result depends only on the seed and the caller's own random state is untouched.
    """
    if method not in METHODS:
        raise LcpGraphError(f"method '{method}' is not known; choose one of: {', '.join(METHODS)}")
    if resolution <= 0:
        raise LcpGraphError(f"resolution {resolution} must be greater than 0, e.g. 1.0")
    if P.number_of_nodes() == 0:
        return []
    g, nodes = to_igraph(P, weight="weight")
    ig.set_random_number_generator(random.Random(seed))
    try:
        if method == "leiden":
            clustering = g.community_leiden(
                objective_function="modularity", weights="weight", resolution=resolution, n_iterations=-1
            )
        else:
            clustering = g.community_multilevel(weights="weight", resolution=resolution)
    finally:
        ig.set_random_number_generator(random)
    groups: dict[int, list[str]] = defaultdict(list)
    for v, c in enumerate(clustering.membership):
        groups[c].append(nodes[v])
    return [sorted(ms) for ms in groups.values()]


def communities(
    G: nx.MultiDiGraph,
    seed: int = 0,
    resolution: float = 1.0,
    *,
    method: str = "leiden",
    exclude_lcp_ties: bool = False,
) -> pd.DataFrame:
    """Detected communities of organisations, set beside each one's official LCP.

    Computed on the organisation projection (:func:`lcpgraph.views.organisation_projection`,
    edge weight = shared forums + direct ties), because communities are about which partners
    are tied to which. Sitting in the same LCP is itself a shared forum, so by default the
    LCPs pull their members together; with ``exclude_lcp_ties`` the LCP forums are left out
    and the communities show how partners cluster through everything *else* (other
    partnerships, boards, direct ties) — the sharper test of whether LCP footprints match
    working relationships.

    Communities are numbered 1, 2, … by size (largest first), ties by their smallest member
    id. An organisation with no ties is a community of its own. Each community's LCP is the
    official LCP most of its members belong to (ties: the smallest LCP id); an organisation
    *agrees* when its official LCP (see :func:`official_lcps`) is its community's LCP.
    "Partners whose community differs from their LCP" are the rows with ``agrees`` False.

    Deterministic: the same graph, ``seed``, ``resolution`` and ``method`` give the same
    table (igraph is given a private random generator seeded with ``seed``).

    Modularity has a resolution limit: the more ties in the whole graph, the larger the
    smallest community it will keep apart. On one city (Leeds) LCP-sized groups are found;
    on a region of many cities the default finds roughly one community per city, and a
    larger ``resolution`` is needed to see LCP-sized groups.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The loaded graph.
    seed : int
        Seed for the community detection's random node order.
    resolution : float
        Modularity resolution: above 1 gives more, smaller communities; below 1 fewer.
    method : {"leiden", "louvain"}
        igraph's ``community_leiden`` (modularity objective, iterated until stable) or
        ``community_multilevel`` (Louvain).
    exclude_lcp_ties : bool
        Leave the LCP forums out of the projection (see above).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COMMUNITY_COLUMNS`: ``id``, ``name``, ``sector``, ``community``
        (1 = largest), ``community_size``, ``lcp`` (official LCP id, ``<NA>`` when none),
        ``community_lcp`` (the community's majority LCP, ``<NA>`` when none of its members
        has one), ``agrees`` (nullable boolean, ``<NA>`` without an official LCP),
        ``in_lcps`` (how many LCPs it sits in). One row per organisation, sorted by
        community then id.

    Raises
    ------
    LcpGraphError
        For an unknown method or a resolution that is not positive.

    Examples
    --------
    Two LCPs of three partners each; C, in the north LCP, sits on a board with the south
    LCP's partners and works with each of them:

    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["north", "south"], kind="partnership", type="lcp")
    >>> G.add_node("hub", kind="board")
    >>> for o, lcp in [("a", "north"), ("b", "north"), ("c", "north"), ("d", "south"), ("e", "south"),
    ...                ("f", "south")]:
    ...     G.add_node(o, kind="organisation", name=o.upper()); _ = G.add_edge(o, lcp, kind="member_of")
    >>> for o in "cdef":
    ...     _ = G.add_edge(o, "hub", kind="member_of")
    >>> for o in "def":
    ...     _ = G.add_edge("c", o, kind="works_with")
    >>> communities(G)[["id", "community", "lcp", "agrees"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'id': 'c', 'community': 1, 'lcp': 'north', 'agrees': False},
     {'id': 'd', 'community': 1, 'lcp': 'south', 'agrees': True},
     {'id': 'e', 'community': 1, 'lcp': 'south', 'agrees': True},
     {'id': 'f', 'community': 1, 'lcp': 'south', 'agrees': True},
     {'id': 'a', 'community': 2, 'lcp': 'north', 'agrees': True},
     {'id': 'b', 'community': 2, 'lcp': 'north', 'agrees': True}]
    """
    lcp_ids = set(lcps(G))
    H = G.subgraph(n for n in G if n not in lcp_ids) if exclude_lcp_ties else G
    P = organisation_projection(H)
    groups = sorted(_detect(P, seed, resolution, method), key=lambda ms: (-len(ms), ms[0]))
    label = {n: i for i, ms in enumerate(groups, start=1) for n in ms}
    size = {n: len(ms) for ms in groups for n in ms}
    official = official_lcps(G)
    lcp_of = {o: (None if pd.isna(v) else str(v)) for o, v in zip(official["id"], official["lcp"], strict=True)}
    in_lcps = dict(zip(official["id"], official["in_lcps"].tolist(), strict=True))

    community_lcp: dict[int, str | None] = {}
    for i, ms in enumerate(groups, start=1):
        votes = Counter(lcp_of[m] for m in ms if lcp_of[m] is not None)
        community_lcp[i] = min(votes, key=lambda lcp: (-votes[lcp], lcp)) if votes else None

    rows = []
    for ms in groups:
        for o in ms:
            d = G.nodes[o]
            mine, theirs = lcp_of[o], community_lcp[label[o]]
            agrees = None if mine is None else mine == theirs
            rows.append((o, d.get("name", o), d.get("sector", ""), label[o], size[o], mine, theirs, agrees, in_lcps[o]))
    df = pd.DataFrame(rows, columns=list(COMMUNITY_COLUMNS))
    return df.astype(
        {
            "id": "string",
            "name": "string",
            "sector": "string",
            "community": "int64",
            "community_size": "int64",
            "lcp": "string",
            "community_lcp": "string",
            "agrees": "boolean",
            "in_lcps": "int64",
        }
    ).reset_index(drop=True)


def community_agreement(
    G: nx.MultiDiGraph,
    seed: int = 0,
    resolution: float = 1.0,
    *,
    method: str = "leiden",
    exclude_lcp_ties: bool = False,
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """How well detected communities match the official LCPs: ARI and NMI.

    Computed on the same view and with the same parameters as :func:`communities` (pass its
    result as ``table`` to avoid computing it twice). Only organisations with an official
    LCP (see :func:`official_lcps`) are scored; an isolated organisation counts as a
    community of one.

    Parameters
    ----------
    G, seed, resolution, method, exclude_lcp_ties
        As for :func:`communities`.
    table : pandas.DataFrame, optional
        A result of :func:`communities` for ``G``; computed when not given.

    Returns
    -------
    pandas.DataFrame
        One row, columns :data:`AGREEMENT_COLUMNS`: ``organisations`` (all), ``scored``
        (with an official LCP), ``communities`` and ``lcps`` (distinct among the scored),
        ``agreeing`` (scored rows whose community's LCP is their own),
        ``adjusted_rand_index`` and ``normalised_mutual_information`` (1 = the communities
        are exactly the LCPs; about 0 = unrelated). Both are NaN when nothing is scored.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["north", "south"], kind="partnership", type="lcp")
    >>> for o, lcp in [("a", "north"), ("b", "north"), ("c", "south"), ("d", "south")]:
    ...     G.add_node(o, kind="organisation"); _ = G.add_edge(o, lcp, kind="member_of")
    >>> community_agreement(G)[["scored", "communities", "adjusted_rand_index"]].to_dict("records")
    [{'scored': 4, 'communities': 2, 'adjusted_rand_index': 1.0}]
    """
    if table is None:
        table = communities(G, seed, resolution, method=method, exclude_lcp_ties=exclude_lcp_ties)
    scored = table[table["lcp"].notna()]
    ari = adjusted_rand_index(scored["community"].tolist(), scored["lcp"].tolist()) if len(scored) else np.nan
    nmi = normalised_mutual_information(scored["community"].tolist(), scored["lcp"].tolist()) if len(scored) else np.nan
    row = (
        len(table),
        len(scored),
        int(scored["community"].nunique()),
        int(scored["lcp"].nunique()),
        int(scored["agrees"].sum()),
        ari,
        nmi,
    )
    df = pd.DataFrame([row], columns=list(AGREEMENT_COLUMNS))
    return df.astype(
        {
            "organisations": "int64",
            "scored": "int64",
            "communities": "int64",
            "lcps": "int64",
            "agreeing": "int64",
            "adjusted_rand_index": "float64",
            "normalised_mutual_information": "float64",
        }
    )
