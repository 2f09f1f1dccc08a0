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
all pairs of contacts minus the closed ones. The pairs come from counts of each organisation's
contacts by sector; the closed pairs are the triangles, listed once each in numpy (each tie
pointed from its end of lower degree, so few pairs of ties are tried) and tallied by the role
their three sectors give each corner. Only the constraint is left to igraph (in C), so a region
of 100,000 organisations is affordable.
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx
import numpy as np
import pandas as pd

from lcpgraph.views import Derived, derived, pairs_in_runs

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
    codes = d.organisation_labels[3]  # read from the records once per graph
    k = int(codes.max()) + 1 if n else 1
    deg = np.bincount(i_arr, minlength=n) + np.bincount(j_arr, minlength=n)

    # Pairs of contacts by sector pattern, from N[v, s] = contacts of v in sector s: ``own``
    # contacts in v's sector, ``alike`` pairs in one sector and ``sum_sq`` = Σ_s N[v, s]².
    keys = np.concatenate([i_arr * k + codes[j_arr], j_arr * k + codes[i_arr]])
    if n * k <= 8 * (2 * m + n):
        N = np.bincount(keys, minlength=n * k).reshape(n, k)
        own = N[np.arange(n), codes]
        alike = (N * (N - 1) // 2).sum(axis=1)
        sum_sq = (N * N).sum(axis=1)
    else:  # very many sectors: count only the cells that occur
        cells, counts = np.unique(keys, return_counts=True)
        node, sector = np.divmod(cells, k)
        mine = sector == codes[node]
        own = np.zeros(n, dtype=np.int64)
        own[node[mine]] = counts[mine]
        alike = np.bincount(node, weights=counts * (counts - 1) // 2, minlength=n).astype(np.int64)
        sum_sq = np.bincount(node, weights=counts * counts, minlength=n).astype(np.int64)
    other = deg - own
    pairs_same = own * (own - 1) // 2  # both contacts in b's sector
    pairs_itin = alike - pairs_same
    pairs_boundary = own * other
    pairs_liaison = (other * other - (sum_sq - own * own)) // 2

    # Closed pairs (the two contacts tied to each other) are the triangles through b, each
    # closing the pair in the role its three sectors give b.
    closed = _closed_by_role(n, i_arr, j_arr, deg, codes)
    closed_same, closed_itin, closed_boundary, closed_liaison = closed.T
    tri = closed.sum(axis=1)

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
    columns = {
        **{c: labels.take(order) for c, labels in _label_columns(d).items()},
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


def _label_columns(d: Derived) -> dict[str, pd.api.extensions.ExtensionArray]:
    """The ``id``, ``name`` and ``sector`` columns in the projection's order, as pandas reads them
    from lists (the dtypes the table always has). Made once per graph; each call reorders them."""
    key = ("brokerage", "label columns")
    if key not in d.__dict__:
        ids, names, sectors, _ = d.organisation_labels
        frame = pd.DataFrame({"id": ids.tolist(), "name": names.tolist(), "sector": sectors.tolist()})
        d.__dict__[key] = {c: frame[c].array for c in frame.columns}
    return d.__dict__[key]


#: Pairs of out-neighbours tested for a tie at a time (a vertex's pairs are never split, but
#: number at most the ties). Chunks this small keep the working arrays in the processor's cache:
#: at 100,000 records they take two-thirds of the time of one batch, in a few MB of memory.
_WEDGES_PER_CHUNK = 1 << 14

# The role a triangle closes for one of its vertices, by whether each of the other two shares
# its sector (x, y) and whether those two share one (z): one sector, the other two alike, one
# alike, none alike. (1, 1, 0), (1, 0, 1) and (0, 1, 1) cannot happen.
_ROLE_OF = np.array([3, 1, 2, -1, 2, -1, -1, 0], dtype=np.int64)  # index 4x + 2y + z


def _closed_by_role(n: int, i: np.ndarray, j: np.ndarray, deg: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Triangles through each vertex by the role they close for it: ``(n, 4)``, in :data:`ROLES` order.

    ``i < j`` are the ties of a simple graph on ``n`` vertices, ``deg`` its degrees and
    ``codes`` each vertex's sector.
    """
    closed = np.zeros(4 * n, dtype=np.int64)
    for a, b, c in _triangles(n, i, j, deg):
        ab, ac, bc = codes[a] == codes[b], codes[a] == codes[c], codes[b] == codes[c]
        keys = np.concatenate(
            [
                4 * a + _ROLE_OF[4 * ab + 2 * ac + bc],
                4 * b + _ROLE_OF[4 * ab + 2 * bc + ac],
                4 * c + _ROLE_OF[4 * ac + 2 * bc + ab],
            ]
        )
        closed += np.bincount(keys, minlength=4 * n)
    return closed.reshape(n, 4)


def _triangles(n: int, i: np.ndarray, j: np.ndarray, deg: np.ndarray) -> Iterator[tuple[np.ndarray, ...]]:
    """Every triangle of a simple graph once, in chunks: three arrays of vertices per chunk.

    Each tie is pointed from its end of lower degree (then lower index) to the other; a
    triangle is then found once, at its lowest vertex, as a pair of that vertex's
    out-neighbours that are tied. No vertex points to more than sqrt(2m) others, so there are
    few pairs to test (in a projection made of forums, about as many as the triangles).
    """
    if not len(i):
        return
    ties = i * n + j
    if not (ties[1:] > ties[:-1]).all():  # projection_arrays gives them sorted
        ties = np.sort(ties)
    ties = np.append(ties, n * n)  # above every pair's code, so no search runs off the end
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(deg, kind="stable")] = np.arange(n)
    flip = rank[i] > rank[j]
    low, high = np.where(flip, j, i), np.where(flip, i, j)
    by_low = np.argsort(low, kind="stable")
    low, high = low[by_low], high[by_low]
    out = np.bincount(low, minlength=n)
    first = np.cumsum(out) - out  # where each vertex's out-neighbours begin in ``high``
    wedges = np.cumsum(out * (out - 1) // 2)
    cuts = np.searchsorted(wedges, np.arange(_WEDGES_PER_CHUNK, wedges[-1], _WEDGES_PER_CHUNK)).tolist()
    for start, stop in zip([0, *cuts], [*cuts, n], strict=True):
        p, q = pairs_in_runs(out[start:stop])
        p += first[start]
        q += first[start]
        v, w = high[p], high[q]
        code = np.minimum(v, w) * n + np.maximum(v, w)
        tied = ties[np.searchsorted(ties, code)] == code
        yield low[p[tied]], v[tied], w[tied]
