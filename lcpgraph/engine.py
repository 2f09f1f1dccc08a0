"""The seam to a compiled graph engine (igraph) for measures that are slow in pure Python.

networkx stays the model: graphs are built and stored as networkx objects, and every measure
has a networkx definition that tests compare against. Where a measure costs O(V·E) in Python
(betweenness, closeness, community detection at regional scale), the graph is copied once into
igraph, computed there, and mapped back to node ids.
"""

from __future__ import annotations

import igraph as ig
import networkx as nx

__all__ = ["to_igraph"]


def to_igraph(H: nx.Graph, weight: str | None = "weight") -> tuple[ig.Graph, list]:
    """Copy a simple undirected networkx graph into igraph.

    Parameters
    ----------
    H : networkx.Graph
        Undirected, simple (use :func:`lcpgraph.views.simple_graph` on a multigraph).
    weight : str or None
        Edge attribute copied to the igraph edge attribute ``weight`` (missing values count 1).

    Returns
    -------
    (igraph.Graph, list)
        The igraph graph and the node ids in vertex order (sorted, so results are
        deterministic); vertex ``i`` is ``nodes[i]``.

    Examples
    --------
    >>> H = nx.Graph([("b", "a"), ("b", "c")])
    >>> g, nodes = to_igraph(H)
    >>> nodes, g.degree()
    (['a', 'b', 'c'], [1, 2, 1])
    """
    nodes = sorted(H.nodes())
    index = {n: i for i, n in enumerate(nodes)}
    edges = sorted((min(index[u], index[v]), max(index[u], index[v])) for u, v in H.edges())
    g = ig.Graph(n=len(nodes), edges=edges, directed=False)
    g.vs["name"] = [str(n) for n in nodes]
    if weight is not None:
        g.es["weight"] = [float(H.edges[nodes[a], nodes[b]].get(weight, 1.0)) for a, b in edges]
    return g, nodes
