"""Exports for the tools analysts already use: Gephi (GEXF), Cytoscape and yEd (GraphML), Kumu, JSON.

Every node and relationship is written with all its attributes (lists joined with ``"; "``),
plus the computed measures (degree, weighted degree, betweenness, PageRank) as node
attributes, so a map restyled in Gephi starts from the same numbers as the report.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from lcpgraph.exceptions import LcpGraphError
from lcpgraph.render.site import write_text

__all__ = ["FORMATS", "export", "to_gexf", "to_graphml", "to_json", "to_kumu", "with_measures"]

FORMATS: tuple[str, ...] = ("gexf", "graphml", "kumu", "json")
_MEASURES = ("degree", "weighted_degree", "betweenness", "pagerank")


def _flat(value: object) -> str | int | float | bool:
    if isinstance(value, (tuple, list)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def with_measures(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` with flat attributes (lists joined) and the centrality measures added."""
    from lcpgraph.analysis.centrality import centrality

    meas = centrality(G).set_index("id")
    H = nx.MultiDiGraph()
    H.graph.update({"name": str(G.graph.get("name", "")), "sectors": "; ".join(G.graph.get("sectors", ()))})
    for n, d in G.nodes(data=True):
        attrs = {k: _flat(v) for k, v in d.items()}
        for m in _MEASURES:
            attrs[m] = float(meas.loc[n, m]) if m != "degree" else int(meas.loc[n, m])
        H.add_node(n, **attrs)
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k, **{a: _flat(x) for a, x in d.items()})
    return H


def to_graphml(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write GraphML (Cytoscape, yEd, Gephi); parallel relationships keep their keys."""
    H = with_measures(G)
    text = "\n".join(nx.generate_graphml(H, named_key_ids=True, edge_id_from_attribute=None)) + "\n"
    return write_text(Path(path), text)


def to_gexf(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write GEXF 1.2 (Gephi); node labels are the names."""
    H = with_measures(G)
    for n, d in H.nodes(data=True):
        d["label"] = d.get("name", n)
    text = "\n".join(nx.generate_gexf(H, version="1.2draft")) + "\n"
    return write_text(Path(path), text)


def to_json(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write networkx node-link JSON (``nodes``, ``edges``), keys sorted, for scripts and the web.

    Edge ends are named ``from`` and ``to`` (as in relationships.csv): networkx's default
    ``source`` would overwrite each relationship's provenance column, also called ``source``.
    Read it back with ``nx.node_link_graph(data, edges="edges", source="from", target="to")``.
    """
    data = nx.node_link_data(with_measures(G), edges="edges", source="from", target="to")
    return write_text(Path(path), json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n")


def to_kumu(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write a workbook for Kumu's spreadsheet import: an ``Elements`` and a ``Connections`` sheet.

    Kumu matches connections to elements by their ``Label``, so labels are made unique: a
    name shared by two records gets its id in brackets. ``Type`` is the kind of record (or of
    relationship), ``Tags`` the sector, and every other attribute is a column of its own.
    """
    from openpyxl import Workbook

    H = with_measures(G)
    names: dict[str, int] = {}
    for _, d in H.nodes(data=True):
        names[d.get("name", "")] = names.get(d.get("name", ""), 0) + 1
    label = {
        n: (d.get("name", n) if names[d.get("name", "")] == 1 else f"{d.get('name', n)} ({n})")
        for n, d in H.nodes(data=True)
    }
    skip = {"name", "kind", "sector"}
    node_cols = sorted({k for _, d in H.nodes(data=True) for k in d} - skip)
    wb = Workbook()
    el = wb.active
    el.title = "Elements"
    el.append(["Label", "Type", "Tags", "ID", *node_cols])
    for n in sorted(H):
        d = H.nodes[n]
        el.append([label[n], d.get("kind", ""), d.get("sector", ""), n, *[d.get(c, None) for c in node_cols]])
    edge_cols = sorted({k for _, _, d in H.edges(data=True) for k in d} - {"kind"})
    con = wb.create_sheet("Connections")
    con.append(["From", "To", "Type", "Direction", *edge_cols])
    from lcpgraph.schema import RELATIONSHIP_KINDS

    for u, v, _k, d in sorted(H.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        kind = d.get("kind", "")
        directed = RELATIONSHIP_KINDS[kind].directed if kind in RELATIONSHIP_KINDS else True
        con.append(
            [label[u], label[v], kind, "directed" if directed else "undirected", *[d.get(c, None) for c in edge_cols]]
        )
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def export(G: nx.MultiDiGraph, path: str | Path, fmt: str) -> Path:
    """Write ``G`` in one of :data:`FORMATS` to ``path``."""
    writers = {"gexf": to_gexf, "graphml": to_graphml, "kumu": to_kumu, "json": to_json}
    if fmt not in writers:
        raise LcpGraphError(f"format '{fmt}' is not known; choose one of: {', '.join(FORMATS)}")
    return writers[fmt](G, path)
