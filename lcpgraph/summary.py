"""Descriptive counts: how many of each kind and sector, and who sits in each LCP."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from lcpgraph import schema
from lcpgraph.views import lcps, memberships

__all__ = ["counts_by_kind_and_sector", "partners_per_lcp"]


def counts_by_kind_and_sector(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Count nodes by kind and sector.

    Returns
    -------
    pandas.DataFrame
        Columns ``kind``, ``sector`` (``"(none)"`` where a record has no sector), ``count``;
        sorted by kind (in :data:`~lcpgraph.schema.NODE_KINDS` order) then sector.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", kind="organisation", sector="third sector")
    >>> G.add_node("b", kind="organisation", sector="third sector")
    >>> G.add_node("p", kind="partnership")
    >>> counts_by_kind_and_sector(G).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'kind': 'organisation', 'sector': 'third sector', 'count': 2},
     {'kind': 'partnership', 'sector': '(none)', 'count': 1}]
    """
    rows = [(d.get("kind"), d.get("sector", "(none)")) for _, d in G.nodes(data=True)]
    df = pd.DataFrame(rows, columns=["kind", "sector"])
    out = df.groupby(["kind", "sector"]).size().reset_index(name="count")
    order = {k: i for i, k in enumerate(schema.NODE_KINDS)}
    out = out.sort_values(["kind", "sector"], key=lambda s: s.map(order) if s.name == "kind" else s)
    out["count"] = out["count"].astype("int64")
    return out.reset_index(drop=True)


def partners_per_lcp(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Count the organisations and people sitting in each LCP.

    Returns
    -------
    pandas.DataFrame
        Columns ``lcp`` (id), ``name``, ``organisations``, ``people``, ``sectors`` (distinct
        sectors among its organisations); one row per LCP, sorted by name.
    """
    members: dict[str, list[str]] = {lcp: [] for lcp in lcps(G)}
    for node, forums in memberships(G).items():
        for f in forums:
            if f in members:
                members[f].append(node)
    rows = []
    for lcp, ms in members.items():
        orgs = [m for m in ms if G.nodes[m].get("kind") == schema.ORGANISATION]
        people = [m for m in ms if G.nodes[m].get("kind") == schema.PERSON]
        sectors = {G.nodes[m].get("sector") for m in orgs} - {None}
        rows.append((lcp, G.nodes[lcp].get("name", lcp), len(orgs), len(people), len(sectors)))
    df = pd.DataFrame(rows, columns=["lcp", "name", "organisations", "people", "sectors"])
    return df.sort_values(["name", "lcp"]).reset_index(drop=True)
