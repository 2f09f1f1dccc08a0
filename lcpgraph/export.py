"""Exports for the tools analysts already use: Gephi (GEXF), Cytoscape and yEd (GraphML), Kumu, JSON.

Every node and relationship is written with all its attributes (lists joined with ``"; "``),
plus the computed measures (degree, weighted degree, betweenness, PageRank) as node
attributes, so a map restyled in Gephi starts from the same numbers as the report.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx

from lcpgraph.exceptions import LcpGraphError
from lcpgraph.files import GENERATOR, append_row, write_bytes, write_text, xlsx_bytes

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
    """A copy of ``G`` with flat attributes (lists joined) and the centrality measures added.

    A measure is stored under its own name (``degree``…) unless the data already has an
    attribute of that name, which is kept; the measure is then ``lcpgraph_degree``.
    Every relationship is exported, ended ones too (their dates say so); the measures are
    computed on the current ties.
    """
    from lcpgraph.analysis.centrality import centrality

    meas = centrality(G).set_index("id")
    taken = {k for _, d in G.nodes(data=True) for k in d}
    names = {m: (f"lcpgraph_{m}" if m in taken else m) for m in _MEASURES}
    H = nx.MultiDiGraph()
    H.graph.update({"name": str(G.graph.get("name", "")), "sectors": "; ".join(G.graph.get("sectors", ()))})
    for n, d in G.nodes(data=True):
        attrs = {k: _flat(v) for k, v in d.items()}
        for m in _MEASURES:
            attrs[names[m]] = float(meas.loc[n, m]) if m != "degree" else int(meas.loc[n, m])
        H.add_node(n)
        H.nodes[n].update(attrs)
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k)
        H.edges[u, v, k].update({a: _flat(x) for a, x in d.items()})
    return H


def _xml_text(lines) -> str:
    """XML lines with lcpgraph's mark after the declaration and no time stamp (same data, same bytes)."""
    text = "\n".join(lines) + "\n"
    text = re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1)
    first, _, rest = text.partition("\n")
    if first.startswith("<?xml"):
        return f"{first}\n<!-- {GENERATOR} -->\n{rest}"
    return f"<!-- {GENERATOR} -->\n{text}"


def _look(G: nx.MultiDiGraph) -> dict[str, dict]:
    """The map's seeded layout, colours and sizes, so another tool opens the network as the map draws it."""
    from lcpgraph.render.map import node_styles

    return node_styles(G)


def to_graphml(G: nx.MultiDiGraph, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write GraphML (Cytoscape, yEd, Gephi); parallel relationships keep their keys.

    Each node also carries ``x``, ``y`` (the map's seeded layout; y grows downwards) and
    ``color`` (``#RRGGBB``), named ``lcpgraph_x``… where the data already has such a column.
    """
    H = with_measures(G)
    taken = {k for _, d in G.nodes(data=True) for k in d}
    for n, st in _look(G).items():
        for k in ("x", "y", "color"):
            H.nodes[n][f"lcpgraph_{k}" if k in taken else k] = st[k]
    return write_text(
        Path(path),
        _xml_text(nx.generate_graphml(H, named_key_ids=True, edge_id_from_attribute=None)),
        overwrite=overwrite,
    )


def to_gexf(G: nx.MultiDiGraph, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write GEXF 1.2 (Gephi); node labels are the names, and ``viz:color``, ``viz:size`` and
    ``viz:position`` give the map's colours, sizes and seeded layout, so Gephi opens it as drawn."""
    H = with_measures(G)
    look = _look(G)
    for n, d in H.nodes(data=True):
        d["label"] = d.get("name", n)
        st = look[n]
        r, g, b = (int(st["color"][i : i + 2], 16) for i in (1, 3, 5))
        # Gephi's y axis points up, the map's down.
        d["viz"] = {
            "color": {"r": r, "g": g, "b": b, "a": 1.0},
            "size": float(st["size"]),
            "position": {"x": float(st["x"]), "y": -float(st["y"]), "z": 0.0},
        }
    return write_text(Path(path), _xml_text(nx.generate_gexf(H, version="1.2draft")), overwrite=overwrite)


def to_json(G: nx.MultiDiGraph, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write networkx node-link JSON (``nodes``, ``edges``), keys sorted, for scripts and the web.

    Edge ends are named ``from`` and ``to`` (as in relationships.csv): networkx's default
    ``source`` would overwrite each relationship's provenance column, also called ``source``.
    Read it back with ``nx.node_link_graph(data, edges="edges", source="from", target="to")``.
    """
    data = nx.node_link_data(with_measures(G), edges="edges", source="from", target="to")
    data["_generator"] = GENERATOR  # sorts first: lets a later run know the file is its own
    return write_text(
        Path(path), json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n", overwrite=overwrite
    )


def to_kumu(G: nx.MultiDiGraph, path: str | Path, *, overwrite: bool = False) -> Path:
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
    append_row(el, ["Label", "Type", "Tags", "ID", *node_cols])
    for n in sorted(H):
        d = H.nodes[n]
        append_row(el, [label[n], d.get("kind", ""), d.get("sector", ""), n, *[d.get(c, None) for c in node_cols]])
    edge_cols = sorted({k for _, _, d in H.edges(data=True) for k in d} - {"kind"})
    con = wb.create_sheet("Connections")
    append_row(con, ["From", "To", "Type", "Direction", *edge_cols])
    from lcpgraph.schema import RELATIONSHIP_KINDS

    for u, v, _k, d in sorted(H.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        kind = d.get("kind", "")
        directed = RELATIONSHIP_KINDS[kind].directed if kind in RELATIONSHIP_KINDS else True
        append_row(
            con,
            [label[u], label[v], kind, "directed" if directed else "undirected", *[d.get(c, None) for c in edge_cols]],
        )
    return write_bytes(Path(path), xlsx_bytes(wb), overwrite=overwrite)


def export(G: nx.MultiDiGraph, path: str | Path, fmt: str, *, overwrite: bool = False) -> Path:
    """Write ``G`` in one of :data:`FORMATS` to ``path`` (replacing a file lcpgraph did not write only with ``overwrite``)."""
    writers = {"gexf": to_gexf, "graphml": to_graphml, "kumu": to_kumu, "json": to_json}
    if fmt not in writers:
        raise LcpGraphError(f"format '{fmt}' is not known; choose one of: {', '.join(FORMATS)}")
    return writers[fmt](G, path, overwrite=overwrite)
