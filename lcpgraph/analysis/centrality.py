"""Centrality: who holds the partnership network together ("mapping who connects to whom").

Measures are computed on one of two views of the data (see :mod:`lcpgraph.views`):

* ``graph="full"`` (default): every organisation, person, partnership and board, with every
  relationship as one undirected tie. A partner's betweenness here counts the shortest routes
  between any two records that pass through it — partnerships and boards included, since
  that is how people actually meet.
* ``graph="organisations"``: the organisation projection, where two organisations are tied
  when they sit in the same forum or have a direct tie. This answers "which partners link
  other partners", without forums in the ranking.

The heavy measures (betweenness, closeness, PageRank, eigenvector) run in igraph, on the
graphs :mod:`lcpgraph.views` builds once per dataset; the tests check them against networkx
on small graphs.
"""

from __future__ import annotations

import random

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from lcpgraph.exceptions import LcpGraphError
from lcpgraph.views import derived, organisation_projection, simple_graph

__all__ = [
    "CENTRALITY_COLUMNS",
    "EXACT_WORK",
    "GRAPHS",
    "MEASURES",
    "analysis_graph",
    "centrality",
]

#: The views a measure can be computed on.
GRAPHS: tuple[str, ...] = ("full", "organisations")

#: Measures, in the order of the output columns.
MEASURES: tuple[str, ...] = ("degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank")

#: Columns of :func:`centrality`, in order.
CENTRALITY_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "kind",
    "sector",
    *MEASURES,
    "rank",
    "rank_in_sector",
)

#: Exact betweenness does one search per node, each over its connected component: about
#: sum(nodes × ties) over components. Above this much work (≈10 s here; see scripts/bench.py)
#: betweenness and closeness are estimated from a seeded sample of sources instead.
EXACT_WORK = 3e9


def analysis_graph(G: nx.MultiDiGraph, graph: str = "full") -> nx.Graph:
    """Return the simple undirected view named by ``graph`` (``full`` or ``organisations``)."""
    if graph == "full":
        return simple_graph(G)
    if graph == "organisations":
        return organisation_projection(G)
    raise LcpGraphError(f"graph '{graph}' is not known; choose one of: {', '.join(GRAPHS)}")


def _search_work(g: ig.Graph) -> float:
    """sum over connected components of nodes × ties: the cost of one search from every node."""
    if g.vcount() == 0:
        return 0.0
    comp = np.asarray(ig.GraphBase.connected_components(g))
    sizes = np.bincount(comp)
    # A component's ties are half its degrees (a loop counts twice in igraph's degree, once here).
    ties = np.bincount(comp, weights=np.asarray(g.degree(), dtype=float), minlength=len(sizes)) / 2
    return float((sizes * ties).sum())


def _sample(n: int, k: int, seed: int) -> list[int]:
    return sorted(random.Random(seed).sample(range(n), k))


def _betweenness(g: ig.Graph, exact: bool, samples: int, seed: int) -> np.ndarray:
    n = g.vcount()
    if n < 3:
        return np.zeros(n)
    if exact:
        raw = np.asarray(g.betweenness(directed=False), dtype=float)
    else:
        # Brandes–Pich: shortest paths from k random sources, scaled up by n/k (with every node
        # as a source, igraph's subset betweenness equals the exact one).
        sources = _sample(n, min(samples, n), seed)
        raw = np.asarray(g.betweenness(directed=False, sources=sources), dtype=float) * n / len(sources)
    return raw * 2.0 / ((n - 1) * (n - 2))


def _closeness(g: ig.Graph, exact: bool, samples: int, seed: int) -> np.ndarray:
    """Wasserman–Faust closeness, as networkx's default: (r/(n-1)) · (r / total distance)."""
    n = g.vcount()
    if n < 2:
        return np.zeros(n)
    if exact:
        # igraph's closeness counts only reachable nodes: r / total. Wasserman–Faust scales it by
        # the share of the network reached, r / (n - 1), r being the component's size less one.
        comp = np.asarray(g.connected_components().membership)
        r = np.bincount(comp)[comp] - 1.0
        c = np.nan_to_num(np.asarray(g.closeness(normalized=True), dtype=float), nan=0.0)
        return c * r / (n - 1)
    sources = _sample(n, min(samples, n), seed)
    total = np.zeros(n)
    reached = np.zeros(n)
    chunk = 256
    for start in range(0, len(sources), chunk):
        d = np.asarray(g.distances(source=sources[start : start + chunk]), dtype=float)
        finite = np.isfinite(d) & (d > 0)
        total += np.where(finite, d, 0).sum(axis=0)
        reached += finite.sum(axis=0)
    # From k sources, a node's reach and total distance are estimated by scaling up by (n-1)/k'
    # where k' is the number of sources other than the node itself.
    others = np.full(n, float(len(sources)))
    others[sources] -= 1
    scale = np.divide(n - 1, others, out=np.zeros(n), where=others > 0)
    r = reached * scale
    tot = total * scale
    return np.divide(r * r, (n - 1) * tot, out=np.zeros(n), where=tot > 0)


def _eigenvector(g: ig.Graph) -> np.ndarray:
    """Eigenvector centrality within each connected component, weighted by its share of nodes.

    On a disconnected graph the leading eigenvector lives on one component and is zero
    elsewhere, which would say every partner outside the main network is worthless. Instead
    each component's vector is scaled so its top node scores 1, then multiplied by the
    component's share of all nodes: a hub in a fragment of 3 cannot outrank the main hub.
    """
    n = g.vcount()
    out = np.zeros(n)
    # ARPACK starts from a random vector drawn from igraph's generator (Python's `random` by
    # default): give it a fixed one so the last digits do not change between runs.
    ig.set_random_number_generator(random.Random(0))
    try:
        comps = list(g.connected_components())
        for comp in comps:
            if len(comp) < 2:
                continue
            if len(comp) == 2:
                vals = np.ones(2)
            else:
                sub = g.induced_subgraph(comp)
                vals = np.asarray(sub.eigenvector_centrality(scale=True, weights="weight"), dtype=float)
            out[comp] = vals * (len(comp) / n)
    finally:
        ig.set_random_number_generator(random)
    return np.round(out, 10)


def centrality(
    G: nx.MultiDiGraph,
    *,
    graph: str = "full",
    rank_by: str = "betweenness",
    exact: bool | None = None,
    samples: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Degree, betweenness, closeness, eigenvector and PageRank of every node.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A loaded partnership graph.
    graph : {"full", "organisations"}
        The view to compute on (see the module docstring). ``organisations`` ranks only
        organisations, tied by forums shared and direct ties.
    rank_by : str
        The measure that ``rank`` and ``rank_in_sector`` order by (highest first; ties by id).
    exact : bool, optional
        Compute betweenness and closeness exactly (True) or from ``samples`` seeded sources
        (False). By default exact unless the work exceeds :data:`EXACT_WORK`; the error of
        the estimate is measured by ``scripts/bench.py --sampling-error``.
    samples, seed : int
        Sample size and seed for the estimate.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CENTRALITY_COLUMNS`: ``degree`` (ties), ``weighted_degree`` (sum of
        tie weights: relationship weights, or forums shared in the projection),
        ``betweenness`` (share of shortest paths through the node, normalised to 0–1 as
        networkx does), ``closeness`` (Wasserman–Faust, so nodes in small fragments score
        low), ``eigenvector`` (per component, see ``_eigenvector``), ``pagerank``
        (weighted, damping 0.85), ``rank`` and ``rank_in_sector`` (1 = highest ``rank_by``).
        Sorted by ``rank``.

    Examples
    --------
    A path a – b – c: b lies on the only route between a and c.

    >>> M = nx.MultiDiGraph()
    >>> for n in "abc":
    ...     M.add_node(n, kind="organisation", name=n.upper(), sector="third sector")
    >>> _ = M.add_edge("a", "b", kind="works_with"); _ = M.add_edge("b", "c", kind="works_with")
    >>> df = centrality(M)
    >>> df[["id", "degree", "betweenness", "rank"]].to_dict("records")[0]
    {'id': 'b', 'degree': 2, 'betweenness': 1.0, 'rank': 1}
    """
    if rank_by not in MEASURES:
        raise LcpGraphError(f"measure '{rank_by}' is not known; choose one of: {', '.join(MEASURES)}")
    if graph not in GRAPHS:
        raise LcpGraphError(f"graph '{graph}' is not known; choose one of: {', '.join(GRAPHS)}")
    d = derived(G)
    g, nodes = d.full_igraph if graph == "full" else d.projection_igraph()
    n = len(nodes)
    if exact is None:
        exact = _search_work(g) <= EXACT_WORK
    if n:
        weights = g.es["weight"] if g.ecount() else None
        data = {
            "degree": np.asarray(g.degree(), dtype="int64"),
            "weighted_degree": np.asarray(g.strength(weights=weights), dtype=float),
            "betweenness": _betweenness(g, exact, samples, seed),
            "closeness": _closeness(g, exact, samples, seed),
            "eigenvector": _eigenvector(g),
            "pagerank": np.asarray(g.pagerank(weights=weights, directed=False), dtype=float),
        }
    else:
        data = {m: np.zeros(0) for m in MEASURES}
    for m in MEASURES[2:]:
        data[m] = np.round(data[m], 12)  # float noise must not reorder ties between runs or engines
    # Highest rank_by first, ties by id: the vertices are in id order, so by position. In
    # numpy rather than a DataFrame sort: a region has 100,000 rows.
    order = np.lexsort((np.arange(n), -np.asarray(data[rank_by], dtype=float)))
    node = G._node  # the dicts G.nodes[v] reads, without a view lookup per record
    attrs = [node[nodes[i]] for i in order.tolist()]
    sector = [a.get("sector", "") for a in attrs]
    # rank_in_sector: 1 + how many rows of the same sector come before, in rank order.
    codes = pd.factorize(pd.Series(sector, dtype=object), use_na_sentinel=False)[0]
    by_sector = np.argsort(codes, kind="stable")
    first_of = np.searchsorted(codes[by_sector], codes[by_sector])
    rank_in_sector = np.empty(n, dtype="int64")
    rank_in_sector[by_sector] = np.arange(n) - first_of + 1
    return pd.DataFrame(
        {
            "id": [nodes[i] for i in order.tolist()],
            "name": [a.get("name", nodes[i]) for a, i in zip(attrs, order.tolist(), strict=True)],
            "kind": [a.get("kind", "") for a in attrs],
            "sector": sector,
            **{m: data[m][order] for m in MEASURES},
            "rank": np.arange(1, n + 1, dtype="int64"),
            "rank_in_sector": rank_in_sector,
        }
    )
