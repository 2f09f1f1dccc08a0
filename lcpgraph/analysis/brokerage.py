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
``effective_size`` (non-redundant contacts) complete the picture. Everything is computed with
sparse matrix products, so a region of 100,000 organisations is affordable.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

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


def _diag_of_product(X: sp.csr_matrix, Y: sp.csr_matrix, Z: sp.csr_matrix) -> np.ndarray:
    """diag(X @ Y @ Z) without forming the full triple product."""
    XY = (X @ Y).tocsr()
    return np.asarray(XY.multiply(Z.T).sum(axis=1)).ravel()


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
    ids, i_arr, j_arr, shared, direct = derived(G).projection_arrays()
    nodes = ids
    n = len(nodes)
    sectors = [str(G.nodes[v].get("sector", "") or "") for v in nodes]
    codes, uniques = pd.factorize(pd.Series(sectors, dtype=object))
    codes = np.asarray(codes)
    w = (shared + direct).astype(float)
    rows = np.concatenate([i_arr, j_arr])
    cols = np.concatenate([j_arr, i_arr])
    wts = np.concatenate([w, w])
    W = sp.csr_matrix((wts, (rows, cols)), shape=(n, n))
    A = W.copy()
    A.data[:] = 1.0
    deg = np.asarray(A.sum(axis=1)).ravel()

    # Neighbours by sector: N[v, s] = contacts of v in sector s.
    S = sp.csr_matrix((np.ones(n), (np.arange(n), codes)), shape=(n, max(len(uniques), 1)))
    N = (A @ S).toarray()
    own = N[np.arange(n), codes] if n else np.zeros(0)
    other = deg - own
    pairs_same = own * (own - 1) / 2  # both contacts in b's sector
    pairs_itin = ((N * (N - 1) / 2).sum(axis=1) - pairs_same) if n else np.zeros(0)
    pairs_boundary = own * other
    pairs_liaison = (other**2 - ((N**2).sum(axis=1) - own**2)) / 2 if n else np.zeros(0)

    # Closed pairs (the two contacts are tied to each other) by the same patterns, from
    # triangle counts on masked adjacency matrices. B keeps ties within one sector.
    same = codes[A.tocoo().row] == codes[A.tocoo().col]
    Acoo = A.tocoo()
    B = sp.csr_matrix((Acoo.data[same], (Acoo.row[same], Acoo.col[same])), shape=(n, n))
    A = A.tocsr()
    tri = _diag_of_product(A, A, A) / 2  # ties among b's contacts
    closed_same = _diag_of_product(B, B, B) / 2
    closed_ac_same = _diag_of_product(A, B, A) / 2  # a and c in one sector (b's or not)
    closed_boundary = _diag_of_product(B, A, A) - _diag_of_product(B, A, B)
    closed_itin = closed_ac_same - closed_same
    closed_liaison = tri - closed_same - closed_itin - closed_boundary

    roles = {
        "coordinator": pairs_same - closed_same,
        "itinerant": pairs_itin - closed_itin,
        "boundary_spanner": pairs_boundary - closed_boundary,
        "liaison": pairs_liaison - closed_liaison,
    }
    roles = {k: np.rint(v).astype("int64") for k, v in roles.items()}

    # Burt's constraint: sum over contacts j of (p_ij + sum_q p_iq p_qj)^2, p = row-normalised W.
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
