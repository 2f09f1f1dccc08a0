"""Communities: who clusters with whom, compared with the official local units.

Communities are found on the organisation projection (organisations joined by the forums
they share and their direct ties) with igraph's Leiden or Louvain (multilevel) modularity
optimisation, seeded so that the same input gives the same answer. They are then compared
with the local unit each organisation officially belongs to (an LCP in Leeds), by the adjusted
Rand index and normalised mutual information (igraph's ``compare_communities``), and said in
words a board understands (:func:`agreement_in_words`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from itertools import chain, repeat

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from lcpgraph import schema
from lcpgraph.exceptions import LcpGraphError
from lcpgraph.place import Place, place_of
from lcpgraph.views import derived, nodes_of_kind

__all__ = [
    "AGREEMENT_COLUMNS",
    "COMMUNITY_COLUMNS",
    "METHODS",
    "adjusted_rand_index",
    "agreement_in_words",
    "communities",
    "community_agreement",
    "normalised_mutual_information",
    "official_units",
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
    "unit",
    "community_unit",
    "agrees",
    "in_units",
)

#: Columns of :func:`community_agreement`, in order.
AGREEMENT_COLUMNS: tuple[str, ...] = (
    "organisations",
    "scored",
    "communities",
    "units",
    "agreeing",
    "adjusted_rand_index",
    "normalised_mutual_information",
)


def _codes(labels: Sequence) -> list[int]:
    """Labels as integers 0, 1, … (what igraph compares; which label gets which number does not matter)."""
    codes, _ = pd.factorize(pd.Series([str(x) for x in labels], dtype=object))
    return codes.tolist()


def _score(a: list[int], b: list[int], method: str) -> float:
    """igraph's score of two partitions given as integer codes of equal length."""
    if len(a) < 2:
        return 1.0
    value = ig.compare_communities(a, b, method=method)
    # igraph gives NaN when both partitions are the same trivial one (all together, or all
    # apart): they agree completely, so the score is 1. Rounded so float noise (0.99999…96)
    # does not show.
    return 1.0 if value != value else round(float(value), 12)


def _compare(a: Sequence, b: Sequence, method: str) -> float:
    if len(a) != len(b):
        raise LcpGraphError(f"the two partitions label different numbers of items ({len(a)} and {len(b)})")
    return _score(_codes(a), _codes(b), method)


def adjusted_rand_index(a: Sequence, b: Sequence) -> float:
    """Adjusted Rand index of two partitions (Hubert and Arabie, 1985), by igraph.

    1 for identical partitions, about 0 for unrelated ones (it can be negative). When both
    are the same trivial partition (all in one cluster, or all apart) it is 1 (igraph says NaN).

    Examples
    --------
    >>> adjusted_rand_index([0, 0, 1, 1], ["a", "a", "b", "b"])
    1.0
    >>> round(adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]), 4)
    0.2424
    """
    return _compare(a, b, "adjusted_rand")


def normalised_mutual_information(a: Sequence, b: Sequence) -> float:
    """Normalised mutual information of two partitions, ``2 I(a; b) / (H(a) + H(b))``, by igraph.

    The arithmetic-mean normalisation of Danon et al. (2005). 1 for identical partitions,
    0 for independent ones; 1 when both put everything in one cluster.

    Examples
    --------
    >>> normalised_mutual_information([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    >>> normalised_mutual_information([0, 0, 1, 1], [0, 1, 0, 1])
    0.0
    """
    return max(0.0, min(1.0, _compare(a, b, "nmi")))


def official_units(G: nx.MultiDiGraph) -> pd.DataFrame:
    """The official local unit of each organisation, and how many units it is a member of.

    Membership is :func:`lcpgraph.views.members`'s rule (so a practice in a sub-locality
    belongs to the locality the sub-locality is part of). To settle organisations in several
    units, their ties on the organisation projection *without* the units' own seats (their
    other shared forums and direct ties) decide:

    * in exactly one unit: that unit;
    * in several: the one whose other member organisations it has strictly the most ties
      with outside the units (the sum of those projection weights); when two or more units
      tie for the most (often zero, for a place-wide body in every unit), it has none;
    * in none: none.

    Organisations without an official unit are left out of the agreement scores.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``unit`` (id, or ``<NA>``), ``in_units`` (count); one row per
        organisation, sorted by id.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["n", "s"], kind="partnership", type="lcp")
    >>> G.add_nodes_from(["a", "b", "c"], kind="organisation")
    >>> for u, v in [("a", "n"), ("b", "n"), ("b", "s")]:
    ...     _ = G.add_edge(u, v, kind="member_of")
    >>> _ = G.add_edge("b", "a", kind="works_with")  # b works with a, who is in n
    >>> official_units(G).to_dict("records")
    [{'id': 'a', 'unit': 'n', 'in_units': 1}, {'id': 'b', 'unit': 'n', 'in_units': 2}, {'id': 'c', 'unit': None, 'in_units': 0}]
    """
    orgs, official, counts, units = _official(G)
    df = pd.DataFrame({"id": orgs, "unit": _unit_names(units)[official], "in_units": counts})
    return df.astype({"id": "string", "unit": "string", "in_units": "int64"})


def _unit_names(units: list[str]) -> np.ndarray:
    """Unit ids as an object array with ``None`` last, so that index ``-1`` (no unit) gives ``None``."""
    return np.array([*units, None], dtype=object)


def _official(G: nx.MultiDiGraph, orgs: list[str] | None = None) -> tuple[list[str], np.ndarray, np.ndarray, list[str]]:
    """:func:`official_units` as arrays: organisation ids (sorted), official unit (index into
    the sorted unit ids, -1 for none), how many units each is in, and the unit ids.

    ``orgs`` is the sorted organisation ids when the caller has them (the projection's).
    """
    d = derived(G)
    if orgs is None:
        orgs = nodes_of_kind(G, schema.ORGANISATION)
    units = d.units
    u_of = d.units_of
    mine = list(map(u_of.__getitem__, orgs))
    n, n_units = len(orgs), max(len(units), 1)
    counts = np.fromiter(map(len, mine), dtype=np.int64, count=n)
    # (organisation, unit) pairs, grouped by organisation: org k's are at starts[k]:starts[k]+counts[k]
    index = dict(zip(units, range(len(units)), strict=True))
    pair_org = np.repeat(np.arange(n, dtype=np.int64), counts)
    pair_unit = np.fromiter(map(index.__getitem__, chain.from_iterable(mine)), dtype=np.int64, count=len(pair_org))
    starts = np.cumsum(counts) - counts
    official = np.full(n, -1, dtype=np.int64)
    single = counts == 1
    official[single] = pair_unit[starts[single]]
    multi = counts > 1
    if not multi.any():
        return orgs, official, counts, units
    # Each organisation in several units scores each of its units by its ties (outside the
    # units' own seats) to that unit's members: every projection tie, both ways round, from a
    # multi-unit organisation, once per unit of the neighbour, added to the (organisation,
    # unit) pair it matches when the organisation is in that unit too.
    _, i, j, shared, direct = d.projection_arrays(exclude=frozenset(units))
    src, dst = np.concatenate([i, j]), np.concatenate([j, i])
    keep = multi[src]
    src, dst = src[keep], dst[keep]
    w = np.concatenate([shared, shared])[keep] + np.concatenate([direct, direct])[keep]
    reps = counts[dst]
    tie = np.repeat(np.arange(len(dst)), reps)
    nth = np.arange(len(tie)) - np.repeat(np.cumsum(reps) - reps, reps)
    key = src[tie] * n_units + pair_unit[starts[dst][tie] + nth]
    # the multi-unit organisations' own (organisation, unit) pairs, in organisation runs
    mine_multi = multi[pair_org]
    m_org, m_unit = pair_org[mine_multi], pair_unit[mine_multi]
    m_key = m_org * n_units + m_unit
    by_key = np.argsort(m_key, kind="stable")
    sorted_key = m_key[by_key]
    at = np.minimum(np.searchsorted(sorted_key, key), len(m_key) - 1)
    hit = sorted_key[at] == key
    score = np.bincount(by_key[at[hit]], weights=w[tie[hit]], minlength=len(m_key))
    # the unit with strictly the most; a tie for the most (often 0 v 0) gives none. The
    # scores are sums of whole numbers, so == is exact.
    run = np.flatnonzero(np.r_[True, m_org[1:] != m_org[:-1]])
    run_len = np.diff(np.r_[run, len(m_org)])
    is_top = score == np.repeat(np.maximum.reduceat(score, run), run_len)
    win = is_top & (np.repeat(np.add.reduceat(is_top.astype(np.int64), run), run_len) == 1)
    official[m_org[win]] = m_unit[win]
    return orgs, official, counts, units


def _detect(g: ig.Graph, seed: int, resolution: float, method: str) -> np.ndarray:
    """Community of each vertex of the igraph graph ``g`` (igraph's numbers), with a seeded RNG.

    python-igraph draws its random numbers from the object given to
    ``igraph.set_random_number_generator`` (by default Python's ``random`` module). We give
    it a private ``random.Random(seed)`` for the call and restore the default afterwards, so
    the result depends only on the seed and the caller's own random state is untouched.
    """
    if method not in METHODS:
        raise LcpGraphError(f"method '{method}' is not known; choose one of: {', '.join(METHODS)}")
    if resolution <= 0:
        raise LcpGraphError(f"resolution {resolution} must be greater than 0, e.g. 1.0")
    if g.vcount() == 0:
        return np.zeros(0, dtype=np.int64)
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
    return np.asarray(clustering.membership, dtype=np.int64)


def _number(membership: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Community numbers 1, 2, … by size (largest first), ties by smallest member, and sizes.

    Vertices are in id order, so a community's smallest member is its first vertex.
    """
    _, first, raw, size = np.unique(membership, return_index=True, return_inverse=True, return_counts=True)
    rank = np.empty(len(size), dtype=np.int64)
    rank[np.lexsort((first, -size))] = np.arange(1, len(size) + 1)
    return rank[raw], size[raw]


def _majority(label: np.ndarray, official: np.ndarray, n_units: int) -> np.ndarray:
    """Each vertex's community unit: the unit most of its community's members are officially
    in, ties to the smallest unit id (units are indices into the sorted ids); -1 when none."""
    out = np.full(int(label.max(initial=0)) + 1, -1, dtype=np.int64)
    has = official >= 0
    if has.any():
        keys, votes = np.unique(label[has] * n_units + official[has], return_counts=True)
        community, unit = keys // n_units, keys % n_units
        order = np.lexsort((unit, -votes, community))
        community, unit = community[order], unit[order]
        first = np.r_[True, community[1:] != community[:-1]]
        out[community[first]] = unit[first]
    return out[label]


def communities(
    G: nx.MultiDiGraph,
    seed: int = 0,
    resolution: float = 1.0,
    *,
    method: str = "leiden",
    exclude_unit_ties: bool = False,
) -> pd.DataFrame:
    """Detected communities of organisations, set beside each one's official local unit.

    Computed on the organisation projection (:func:`lcpgraph.views.organisation_projection`,
    edge weight = shared forums + direct ties), because communities are about which partners
    are tied to which. Sitting in the same unit is itself a shared forum, so by default the
    units pull their members together; with ``exclude_unit_ties`` the units' own seats are
    left out and the communities show how partners cluster through everything *else* (other
    partnerships, boards, direct ties) — the sharper test of whether unit footprints match
    working relationships.

    Communities are numbered 1, 2, … by size (largest first), ties by their smallest member
    id. An organisation with no ties is a community of its own. Each community's unit is the
    official unit most of its members belong to (ties: the smallest unit id); an organisation
    *agrees* when its official unit (see :func:`official_units`) is its community's unit.

    Deterministic: the same graph, ``seed``, ``resolution`` and ``method`` give the same
    table (igraph is given a private random generator seeded with ``seed``).

    Modularity has a resolution limit: the more ties in the whole graph, the larger the
    smallest community it will keep apart. On one city (Leeds) unit-sized groups are found;
    on a region of many cities the default finds roughly one community per city, and a
    larger ``resolution`` is needed to see unit-sized groups.

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
    exclude_unit_ties : bool
        Leave the units' own seats out of the projection (see above).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COMMUNITY_COLUMNS`: ``id``, ``name``, ``sector``, ``community``
        (1 = largest), ``community_size``, ``unit`` (official unit id, ``<NA>`` when none),
        ``community_unit`` (the community's majority unit, ``<NA>`` when none of its members
        has one), ``agrees`` (nullable boolean, ``<NA>`` without an official unit),
        ``in_units`` (how many units it is a member of). One row per organisation, sorted by
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
    >>> communities(G)[["id", "community", "unit", "agrees"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'id': 'c', 'community': 1, 'unit': 'north', 'agrees': False},
     {'id': 'd', 'community': 1, 'unit': 'south', 'agrees': True},
     {'id': 'e', 'community': 1, 'unit': 'south', 'agrees': True},
     {'id': 'f', 'community': 1, 'unit': 'south', 'agrees': True},
     {'id': 'a', 'community': 2, 'unit': 'north', 'agrees': True},
     {'id': 'b', 'community': 2, 'unit': 'north', 'agrees': True}]
    """
    d = derived(G)
    exclude = frozenset(d.units) if exclude_unit_ties else frozenset()
    g, ids = d.projection_igraph(exclude=exclude)
    label, size = _number(_detect(g, seed, resolution, method))
    _, official, counts, units = _official(G, ids)
    theirs = _majority(label, official, max(len(units), 1))
    rows = np.argsort(label, kind="stable")  # by community, then id (vertices are in id order)
    # Attributes are read in id order and the rows reordered afterwards: reading records in
    # community order jumps about memory and is several times slower on large graphs.
    # G._node is networkx's node -> attributes mapping (what G.nodes[n] reads): a C-level
    # lookup per organisation instead of a Python call, or a copy of every record's.
    attrs = list(map(G._node.__getitem__, ids))
    names = list(map(dict.get, attrs, repeat("name"), ids))
    sectors = list(map(dict.get, attrs, repeat("sector"), repeat("")))
    # index -1 (no unit) is the last, missing, entry; taking from the few unit ids is cheaper
    # than converting a column of them
    unit_names = pd.array(_unit_names(units), dtype="string")
    official, theirs = official[rows], theirs[rows]
    data = {
        "id": pd.array(ids, dtype="string").take(rows),
        "name": pd.array(names, dtype="string").take(rows),
        "sector": pd.array(sectors, dtype="string").take(rows),
        "community": label[rows],
        "community_size": size[rows],
        "unit": unit_names.take(official),
        "community_unit": unit_names.take(theirs),
        "agrees": pd.arrays.BooleanArray(official == theirs, official < 0),
        "in_units": counts[rows],
    }
    return pd.DataFrame(data, columns=list(COMMUNITY_COLUMNS), copy=False)


def community_agreement(
    G: nx.MultiDiGraph,
    seed: int = 0,
    resolution: float = 1.0,
    *,
    method: str = "leiden",
    exclude_unit_ties: bool = False,
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """How well detected communities match the official local units: ARI and NMI.

    Computed on the same view and with the same parameters as :func:`communities` (pass its
    result as ``table`` to avoid computing it twice). Only organisations with an official
    unit (see :func:`official_units`) are scored; an isolated organisation counts as a
    community of one.

    Parameters
    ----------
    G, seed, resolution, method, exclude_unit_ties
        As for :func:`communities`.
    table : pandas.DataFrame, optional
        A result of :func:`communities` for ``G``; computed when not given.

    Returns
    -------
    pandas.DataFrame
        One row, columns :data:`AGREEMENT_COLUMNS`: ``organisations`` (all), ``scored``
        (with an official unit), ``communities`` and ``units`` (distinct among the scored),
        ``agreeing`` (scored rows whose community's unit is their own),
        ``adjusted_rand_index`` and ``normalised_mutual_information`` (1 = the communities
        are exactly the units; about 0 = unrelated), and ``in_words`` (see
        :func:`agreement_in_words`). Both scores are NaN when nothing is scored.

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
        table = communities(G, seed, resolution, method=method, exclude_unit_ties=exclude_unit_ties)
    scored = table["unit"].notna().to_numpy(dtype=bool)
    n_scored = int(scored.sum())
    ari = nmi = np.nan
    n_communities = n_units = 0
    if n_scored:
        # Codes in order of first appearance, as adjusted_rand_index would make them.
        community, community_ids = pd.factorize(table["community"].to_numpy()[scored])
        unit, unit_ids = pd.factorize(table["unit"].to_numpy()[scored])
        n_communities, n_units = len(community_ids), len(unit_ids)
        community, unit = community.tolist(), unit.tolist()
        ari = _score(community, unit, "adjusted_rand")
        nmi = max(0.0, min(1.0, _score(community, unit, "nmi")))
    agreeing = int(table["agrees"].to_numpy(dtype=bool, na_value=False)[scored].sum())
    data = {
        "organisations": np.array([len(table)], dtype=np.int64),
        "scored": np.array([n_scored], dtype=np.int64),
        "communities": np.array([n_communities], dtype=np.int64),
        "units": np.array([n_units], dtype=np.int64),
        "agreeing": np.array([agreeing], dtype=np.int64),
        "adjusted_rand_index": np.array([ari], dtype=np.float64),
        "normalised_mutual_information": np.array([nmi], dtype=np.float64),
        "in_words": [agreement_in_words(ari, n_scored, len(table), place_of(G))],
    }
    return pd.DataFrame(data)


def agreement_in_words(ari: float, scored: int, organisations: int, place: Place | None = None) -> str:
    """One sentence a board understands for an adjusted Rand index, with the number after it.

    >>> agreement_in_words(0.03, 40, 50)
    'Partners group by their local partnership about as much as chance would give (adjusted Rand index 0.03, over 40 of 50 partners).'
    >>> agreement_in_words(0.9, 40, 50)[:60]
    'Partners work almost entirely within their own local partner'
    """
    unit = (place or Place()).unit
    if scored == 0 or ari != ari:  # NaN: nobody has exactly one unit
        return f"No partner belongs to exactly one {unit}, so the groups cannot be compared with the {unit}s."
    if ari >= 0.8:
        text = f"Partners work almost entirely within their own {unit}"
    elif ari >= 0.5:
        text = f"Partners mostly work within their own {unit}, with clear links across"
    elif ari >= 0.2:
        text = f"Partners group by their {unit} only partly: much of the work crosses {unit} lines"
    elif ari > -0.05:
        text = f"Partners group by their {unit} about as much as chance would give"
    else:
        text = f"Partners group across {unit} lines more than chance would give"
    return f"{text} (adjusted Rand index {ari:.2f}, over {scored} of {organisations} partners)."
