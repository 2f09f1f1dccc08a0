"""Brokerage: who links sectors that would otherwise not meet, and who a partnership would miss most.

Computed on the organisation projection (:func:`lcpgraph.views.organisation_projection`):
organisations tied when they share a forum or have a direct tie, each labelled with its
sector. A broker is the middle ``b`` of an *open* triad ``a – b – c`` where ``a`` and ``c``
are not tied: ``b`` is their only short route to each other. Gould and Fernandez (1989) name
the roles by the sectors involved; the projection is undirected, so their gatekeeper and
representative roles (which differ only in direction) are counted together:

* ``coordinator``: a, b and c all in one sector;
* ``itinerant`` (consultant): a and c share a sector, b is from another;
* ``boundary_spanner`` (gatekeeper or representative): b shares a sector with just one of them;
* ``liaison``: three different sectors — the purest cross-sector broker.

Burt's ``constraint`` (low = a partner whose contacts are not tied to each other) and
``effective_size`` (non-redundant contacts) complete the picture. Open triads are counted as
all pairs of contacts minus the closed ones, and closed pairs are triangles, counted by igraph
(in C) on the projection and on its ties within and across sectors, so a region of 100,000
organisations is affordable.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from lcpgraph.views import derived

__all__ = ["BROKERAGE_COLUMNS", "ROLES", "brokerage"]

#: Brokerage roles, in output order.
ROLES: tuple[str, ...] = ("coordinator", "itinerant", "boundary_spanner", "liaison")

#: Columns of :func:`brokerage`, in order.
BROKERAGE_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "sector",
    "contacts",
    *ROLES,
    "cross_sector",
    "constraint",
    "effective_size",
)


def brokerage(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Gould–Fernandez brokerage roles over sectors, with Burt's constraint and effective size.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A loaded partnership graph.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`BROKERAGE_COLUMNS`, one row per organisation: ``contacts`` (ties in
        the projection), the four role counts (open triads through the organisation),
        ``cross_sector`` = itinerant + boundary_spanner + liaison, ``constraint`` (Burt,
        weighted by forums shared; NaN for an organisation with no contacts) and
        ``effective_size`` (Borgatti's unweighted form: contacts − 2·ties among them /
        contacts). Sorted by ``cross_sector`` (highest first), then ``constraint``, then id.

    Examples
    --------
    A GP practice and a charity meet only through a council service:

    >>> M = nx.MultiDiGraph()
    >>> for n, s in [("gp", "primary care"), ("lcc", "social care"), ("ch", "third sector")]:
    ...     M.add_node(n, kind="organisation", name=n, sector=s)
    >>> _ = M.add_edge("gp", "lcc", kind="works_with"); _ = M.add_edge("lcc", "ch", kind="works_with")
    >>> brokerage(M).loc[0, ["id", "liaison", "cross_sector"]].to_dict()
    {'id': 'lcc', 'liaison': 1, 'cross_sector': 1}
    """
    d = derived(G)
    ids, i_arr, j_arr, _, _ = d.projection_arrays()
    g, _ = d.projection_igraph()  # the same vertices and edges, in the same order
    n, m = len(ids), len(i_arr)
    id_arr, names, sectors, codes = d.organisation_labels  # read from the records once per graph
    k = int(codes.max()) + 1 if n else 1
    deg = np.bincount(i_arr, minlength=n) + np.bincount(j_arr, minlength=n)
    same = codes[i_arr] == codes[j_arr]  # ties within one sector

    # Pairs of contacts by sector pattern: N[v, s] = contacts of v in sector s.
    ends = np.concatenate([i_arr, j_arr])
    keys = ends * k + np.concatenate([codes[j_arr], codes[i_arr]])
    if n * k <= 8 * (2 * m + n):
        cells = np.bincount(keys, minlength=n * k)
        cell_node = np.repeat(np.arange(n), k)
    else:  # very many sectors: count only the cells that occur
        cells_keys, cells = np.unique(keys, return_counts=True)
        cell_node = cells_keys // k
    own = np.bincount(ends[np.concatenate([same, same])], minlength=n)
    other = deg - own
    pairs_same = own * (own - 1) // 2  # both contacts in b's sector
    pairs_itin = np.bincount(cell_node, weights=cells * (cells - 1) // 2, minlength=n).astype(np.int64) - pairs_same
    pairs_boundary = own * other
    sum_sq = np.bincount(cell_node, weights=cells * cells, minlength=n).astype(np.int64)
    pairs_liaison = (other * other - (sum_sq - own * own)) // 2

    # Closed pairs (the two contacts tied to each other) are the triangles through b: all of
    # them in the projection, those within one sector, those across three, and, per tie
    # within a sector, its common neighbours (which give b's boundary-spanning triangles).
    tri = _triangles(g, deg)
    same_ids = np.flatnonzero(same).tolist()
    within = g.subgraph_edges(same_ids, delete_vertices=False)
    across = g.copy()
    across.delete_edges(same_ids)
    closed_same = _triangles(within, own)
    closed_liaison = _triangles(across, other)
    i_same, j_same = i_arr[same], j_arr[same]
    jac = np.array(g.similarity_jaccard(pairs=list(zip(i_same.tolist(), j_same.tolist(), strict=True)), loops=False))
    common = np.rint(jac * (deg[i_same] + deg[j_same]) / (1 + jac)).astype(np.int64)
    closed_boundary = (np.bincount(i_same, common, n) + np.bincount(j_same, common, n)).astype(np.int64)
    closed_boundary -= 2 * closed_same
    closed_itin = tri - closed_same - closed_boundary - closed_liaison

    coordinator = pairs_same - closed_same
    itinerant = pairs_itin - closed_itin
    boundary = pairs_boundary - closed_boundary
    liaison = pairs_liaison - closed_liaison
    cross = itinerant + boundary + liaison

    # Burt's constraint, weighted by forums shared (igraph gives NaN with no contacts).
    constraint = np.round(np.array(g.constraint(weights="weight")), 12)
    with np.errstate(divide="ignore", invalid="ignore"):
        effective = np.round(np.where(deg > 0, deg - 2 * tri / deg, np.nan), 12)

    # Highest cross_sector first, then lowest constraint (NaN last), then id (ids are sorted).
    order = np.lexsort((np.arange(n), constraint, -cross))
    columns = {  # lists, so pandas infers the dtypes it always has
        "id": id_arr[order].tolist(),
        "name": names[order].tolist(),
        "sector": sectors[order].tolist(),
        "contacts": deg[order].astype("int64"),
        "coordinator": coordinator[order],
        "itinerant": itinerant[order],
        "boundary_spanner": boundary[order],
        "liaison": liaison[order],
        "cross_sector": cross[order],
        "constraint": constraint[order],
        "effective_size": effective[order],
    }
    return pd.DataFrame(columns, columns=list(BROKERAGE_COLUMNS))


def _triangles(g, deg: np.ndarray) -> np.ndarray:
    """Triangles through each vertex of a simple igraph graph (``deg``: its degrees)."""
    local = np.array(g.transitivity_local_undirected(mode="zero"))
    return np.rint(local * (deg * (deg - 1) / 2)).astype(np.int64)
