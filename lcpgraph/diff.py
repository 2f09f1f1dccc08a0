"""What changed between two snapshots of a partnership ("inconsistent attendance and changes in individuals").

Records are matched by id and relationships by (from, to, kind), so keep ids stable between
versions of a dataset.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pandas as pd

from lcpgraph import schema
from lcpgraph.views import units, units_of

__all__ = ["DIFF_TABLES", "changes_graph", "diff_graphs"]

#: The tables :func:`diff_graphs` returns, in order.
DIFF_TABLES: tuple[str, ...] = ("records", "unit_membership", "relationships", "new_isolated", "centrality_shifts")


def _rel_counter(G: nx.MultiDiGraph) -> Counter:
    out: Counter = Counter()
    for u, v, k in G.edges(data="kind"):
        directed = schema.RELATIONSHIP_KINDS[k].directed if k in schema.RELATIONSHIP_KINDS else True
        a, b = (u, v) if directed or u <= v else (v, u)
        out[(a, b, k)] += 1
    return out


def _name(old: nx.Graph, new: nx.Graph, n: str) -> str:
    g = new if n in new else old
    return g.nodes[n].get("name", n)


def diff_graphs(old: nx.MultiDiGraph, new: nx.MultiDiGraph, top: int = 20) -> dict[str, pd.DataFrame]:
    """Compare two loaded snapshots.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``records`` (change, id, name, kind): records added or removed;
        ``unit_membership`` (change, unit, unit_name, partner, partner_name): partners who
        joined or left each local unit (by the membership rule, on each snapshot's day); ``relationships`` (change, from, from_name, to, to_name, kind):
        relationships added or removed; ``new_isolated`` (id, name, sector): partners with no
        tie now that had one before (or are new and alone); ``centrality_shifts`` (id, name,
        degree_old, degree_new, betweenness_old, betweenness_new, rank_old, rank_new,
        rank_change): the ``top`` largest moves in betweenness rank among records in both.
        Every table is sorted.

    Examples
    --------
    >>> a = nx.MultiDiGraph(); a.add_node("o", kind="organisation", name="O")
    >>> a.add_node("l", kind="partnership", name="L", type="lcp")
    >>> b = a.copy(); _ = b.add_edge("o", "l", kind="member_of")
    >>> diff_graphs(a, b)["unit_membership"][["change", "unit", "partner"]].values.tolist()
    [['joined', 'l', 'o']]
    """
    from lcpgraph.analysis.centrality import centrality
    from lcpgraph.analysis.gaps import isolated_partners

    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    records = pd.DataFrame(
        [("added", n, _name(old, new, n), new.nodes[n].get("kind")) for n in added]
        + [("removed", n, _name(old, new, n), old.nodes[n].get("kind")) for n in removed],
        columns=["change", "id", "name", "kind"],
    )

    rows = []
    mo, mn = units_of(old), units_of(new)
    for unit in sorted(set(units(old)) | set(units(new))):
        before = {p for p, fs in mo.items() if unit in fs}
        after = {p for p, fs in mn.items() if unit in fs}
        rows += [("joined", unit, _name(old, new, unit), p, _name(old, new, p)) for p in sorted(after - before)]
        rows += [("left", unit, _name(old, new, unit), p, _name(old, new, p)) for p in sorted(before - after)]
    membership = pd.DataFrame(rows, columns=["change", "unit", "unit_name", "partner", "partner_name"])

    ro, rn = _rel_counter(old), _rel_counter(new)
    rel_rows = []
    for change, a, b in (("added", rn, ro), ("removed", ro, rn)):
        for (u, v, k), count in sorted(a.items()):
            for _ in range(count - b.get((u, v, k), 0)):
                rel_rows.append((change, u, _name(old, new, u), v, _name(old, new, v), k))
    relationships = pd.DataFrame(rel_rows, columns=["change", "from", "from_name", "to", "to_name", "kind"])

    iso_old = set(isolated_partners(old)["id"])
    iso_new = isolated_partners(new)
    new_isolated = iso_new[~iso_new["id"].isin(iso_old)][["id", "name", "sector"]].reset_index(drop=True)

    co = centrality(old).set_index("id")
    cn = centrality(new).set_index("id")
    both = sorted(set(co.index) & set(cn.index))
    shifts = pd.DataFrame(
        {
            "id": both,
            "name": [cn.loc[n, "name"] for n in both],
            "degree_old": [int(co.loc[n, "degree"]) for n in both],
            "degree_new": [int(cn.loc[n, "degree"]) for n in both],
            "betweenness_old": [float(co.loc[n, "betweenness"]) for n in both],
            "betweenness_new": [float(cn.loc[n, "betweenness"]) for n in both],
            "rank_old": [int(co.loc[n, "rank"]) for n in both],
            "rank_new": [int(cn.loc[n, "rank"]) for n in both],
        }
    )
    shifts["rank_change"] = shifts["rank_old"] - shifts["rank_new"]  # positive = moved up
    shifts = shifts[(shifts["rank_change"] != 0) | (shifts["degree_old"] != shifts["degree_new"])]
    shifts = shifts.assign(_abs=shifts["rank_change"].abs()).sort_values(["_abs", "id"], ascending=[False, True])
    shifts = shifts.drop(columns="_abs").head(top).reset_index(drop=True)
    return {
        "records": records,
        "unit_membership": membership,
        "relationships": relationships,
        "new_isolated": new_isolated,
        "centrality_shifts": shifts,
    }


def changes_graph(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The union of both snapshots, every node and relationship marked ``change``:
    ``added``, ``removed`` or ``same`` (for drawing with :func:`lcpgraph.render.map.render_map`)."""
    U = nx.MultiDiGraph()
    U.graph.update(new.graph)
    for n in sorted(set(old) | set(new)):
        d = new.nodes[n] if n in new else old.nodes[n]
        U.add_node(n, **{**d, "change": "added" if n not in old else "removed" if n not in new else "same"})
    ro, rn = _rel_counter(old), _rel_counter(new)
    for u, v, k in sorted(set(ro) | set(rn)):
        same = min(ro.get((u, v, k), 0), rn.get((u, v, k), 0))
        for _ in range(same):
            U.add_edge(u, v, kind=k, change="same")
        for _ in range(rn.get((u, v, k), 0) - same):
            U.add_edge(u, v, kind=k, change="added")
        for _ in range(ro.get((u, v, k), 0) - same):
            U.add_edge(u, v, kind=k, change="removed")
    return U
