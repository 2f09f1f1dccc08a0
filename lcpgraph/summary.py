"""Descriptive counts: how many of each kind and sector, and how many members each local unit has."""

from __future__ import annotations

import math
from collections import Counter

import networkx as nx
import numpy as np
import pandas as pd

from lcpgraph import schema
from lcpgraph.analysis.frames import frame
from lcpgraph.views import derived, name_of, sector_of, units

__all__ = ["counts_by_kind_and_sector", "partners_per_unit"]


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
    counts = Counter((d.get("kind"), d.get("sector", "(none)")) for _, d in G.nodes(data=True))
    order = {k: i for i, k in enumerate(schema.NODE_KINDS)}
    # Counted in Python, not by a pandas groupby (a millisecond on any graph). As the groupby
    # did, a missing kind or sector (None, NaN) is not counted; a kind not in NODE_KINDS
    # comes after the known ones, by sector, then kind.
    rows = sorted(
        ((k, s, c) for (k, s), c in counts.items() if not _missing(k) and not _missing(s)),
        key=lambda r: (0, order[r[0]], r[1], "") if r[0] in order else (1, 0, r[1], r[0]),
    )
    if not rows:  # nothing counted: the columns of the type pandas gives the values found
        empty = pd.DataFrame(list(counts), columns=["kind", "sector"]).iloc[:0]
        return empty.assign(count=np.zeros(0, dtype=np.int64)).reset_index(drop=True)
    return frame(rows, ["kind", "sector", "count"], {"count": "int64"})


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def partners_per_unit(G: nx.MultiDiGraph) -> pd.DataFrame:
    """The members of each local unit, by :func:`lcpgraph.views.members`'s rule.

    Returns
    -------
    pandas.DataFrame
        Columns ``unit`` (id), ``name``, ``members`` (organisations + people),
        ``organisations``, ``people``, ``sectors`` (distinct sectors among all members);
        one row per unit, sorted by name.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("u", kind="partnership", type="local partnership", name="North")
    >>> G.add_node("a", kind="organisation", sector="housing")
    >>> G.add_node("p", kind="person", sector="housing")
    >>> _ = G.add_edge("a", "u", kind="member_of"); _ = G.add_edge("p", "u", kind="chairs")
    >>> partners_per_unit(G).to_dict("records")
    [{'unit': 'u', 'name': 'North', 'members': 2, 'organisations': 1, 'people': 1, 'sectors': 1}]
    """
    d = derived(G)
    sec = sector_of(G)
    rows = []
    for u in units(G):
        ms = d.members[u]
        orgs = sum(1 for m in ms if d.kind[m] == schema.ORGANISATION)
        sectors = {sec[m] for m in ms if sec.get(m)}
        rows.append((u, name_of(G, u), len(ms), orgs, len(ms) - orgs, len(sectors)))
    rows.sort(key=lambda r: (r[1], r[0]))  # by name, then unit
    cols = ["unit", "name", "members", "organisations", "people", "sectors"]
    return frame(rows, cols, dict.fromkeys(cols[2:], "int64"))
