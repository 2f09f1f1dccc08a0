"""The interactive network map: one self-contained HTML file that works with no network.

vis-network (the library pyvis wraps, taken from the pyvis package) is inlined together with
the data and a small script for search, filters and tooltips. Every text from the data
reaches the page as JSON inside a ``<script type="application/json">`` element, escaped so it
cannot close the element, and is put on the page with ``textContent``: a partner called
``<img src=x onerror=alert(1)>`` is shown as those characters and runs nothing.
"""

from __future__ import annotations

import difflib
import json
import math
import random
import re
from html import escape
from importlib import resources
from pathlib import Path

import networkx as nx
import pandas as pd

from lcpgraph import schema, views
from lcpgraph.exceptions import LcpGraphError, NotFoundError
from lcpgraph.files import write_text
from lcpgraph.place import Place, place_of
from lcpgraph.render.charts import sector_colours
from lcpgraph.views import current_edges, memberships, nodes_of_kind, simple_graph, units

__all__ = [
    "KIND_SHAPES",
    "PHYSICS_LIMIT",
    "VIEWS",
    "MapBuilder",
    "fill_template",
    "map_graph",
    "render_map",
    "resolve_node",
]

VIEWS: tuple[str, ...] = ("network", "governance", "unit", "partner")

#: vis-network shapes for each kind of record (the legend draws the same ones).
KIND_SHAPES: dict[str, str] = {
    schema.ORGANISATION: "dot",
    schema.PARTNERSHIP: "diamond",
    schema.BOARD: "square",
    schema.PERSON: "triangle",
}
_KIND_COLOURS = {schema.PARTNERSHIP: "#5c5c5c", schema.BOARD: "#1a1a1a"}


def _style(kind: str) -> dict:
    """vis-network edge style for a relationship kind, from its schema style."""
    spec = schema.RELATIONSHIP_KINDS.get(kind)
    st = spec.style if spec else schema.DERIVED_STYLE
    return {
        "color": st.color,
        "dashes": list(st.dashes) or False,
        "arrows": "to" if st.arrow else "",
        "width": st.width,
    }


#: Above this many nodes the layout is computed in Python and physics is off, so the page is
#: usable at once (vis-network's physics takes minutes to settle on thousands of nodes).
PHYSICS_LIMIT = 600

_GAP_STYLE = {"isolated": "#d62728", "peripheral": "#ff7f0e"}
#: Diff maps: blue for added, vermilion for removed (distinguishable with colour-blindness).
_CHANGE_COLOURS = {"added": "#0072B2", "removed": "#D55E00", "same": "#cccccc"}


def resolve_node(G: nx.Graph, name: str, kinds: tuple[str, ...], what: str) -> str:
    """Find a node of one of ``kinds`` by id or name (case-insensitive); else say what is close.

    >>> G = nx.Graph(); G.add_node("lcp-hatch", kind="partnership", name="HATCH")
    >>> resolve_node(G, "hatch", ("partnership",), "LCP")
    'lcp-hatch'
    """
    candidates = {n: G.nodes[n].get("name", n) for n in nodes_of_kind(G, *kinds)}
    want = " ".join(name.lower().split())
    for n, label in candidates.items():
        if want in (n.lower(), " ".join(label.lower().split())):
            return n
    partial = sorted(n for n, label in candidates.items() if want and want in label.lower())
    if len(partial) == 1:
        return partial[0]
    close = difflib.get_close_matches(want, [label.lower() for label in candidates.values()], n=5, cutoff=0.4)
    by_lower = {label.lower(): label for label in candidates.values()}
    options = [by_lower[c] for c in close] or sorted(candidates[n] for n in partial)[:5]
    hint = f"; closest: {', '.join(repr(o) for o in options)}" if options else ""
    raise NotFoundError(f"no {what} called '{name}'{hint}")


def _shown_edges(G: nx.MultiDiGraph, show_ended: bool) -> list[tuple[str, str, int, dict]]:
    day = views.as_of(G)
    return [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if show_ended or views.is_current(d, day)]


def _upward(d: dict) -> bool:
    return schema.role_of(d.get("kind", "")) in schema.UPWARD_ROLES


def _build(G: nx.MultiDiGraph, keep: set[str], edges) -> nx.MultiDiGraph:
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from((n, G.nodes[n]) for n in sorted(keep))
    for u, v, k, d in edges:
        H.add_edge(u, v, key=k, **d)
    return H


def map_graph(
    G: nx.MultiDiGraph, view: str = "network", name: str | None = None, *, show_ended: bool = False
) -> nx.MultiDiGraph:
    """The part of ``G`` a view shows (see :func:`render_map`), with its current relationships.

    Relationships that ended before the graph's day are left out unless ``show_ended``.
    """
    edges = _shown_edges(G, show_ended)
    place = place_of(G)
    if view == "network":
        return _build(G, set(G), edges)
    if view == "governance":
        # Every local unit (one with no line is the gap to see) and every forum on a line.
        keep = set(units(G))
        for u, v, _, d in edges:
            if _upward(d) and G.nodes[u]["kind"] in schema.FORUM_KINDS and G.nodes[v]["kind"] in schema.FORUM_KINDS:
                keep |= {u, v}
        return _build(G, keep, [(u, v, k, d) for u, v, k, d in edges if u in keep and v in keep and _upward(d)])
    if view == "unit":
        if not name:
            raise LcpGraphError(f"the unit view needs the name of a {place.unit}, e.g. --unit NAME")
        unit = resolve_node(G, name, (schema.PARTNERSHIP,), f"{place.unit} or partnership")
        members = set(views.members(G, unit))
        up = {v for _, v in views.reporting_chain(G, unit)}
        m = memberships(G)
        unit_ids = set(units(G))
        sharing = {f for p in members for f in m.get(p, []) if f != unit and f in unit_ids}
        inside = set(views.sub_units(G)[unit])
        keep = {unit} | members | up | sharing | inside
        core = {unit} | members | inside
        chain = {unit} | up
        # Only ties of this unit and its partners, and its own reporting line: other units'
        # reporting lines would bury the picture.
        return _build(
            G,
            keep,
            [
                (u, v, k, d)
                for u, v, k, d in edges
                if u in keep and v in keep and (u in core or v in core or (u in chain and v in chain))
            ],
        )
    if view == "partner":
        if not name:
            raise LcpGraphError("the partner view needs the name of an organisation, e.g. --partner 'Forum Central'")
        p = resolve_node(G, name, (schema.ORGANISATION, schema.PERSON), "partner")
        mine = [(u, v, k, d) for u, v, k, d in edges if p in (u, v)]
        keep = {p} | {u for u, _, _, _ in mine} | {v for _, v, _, _ in mine}
        return _build(G, keep, mine)
    raise LcpGraphError(f"view '{view}' is not known; choose one of: {', '.join(VIEWS)}")


def _gap_flags(G: nx.MultiDiGraph) -> dict[str, str]:
    """Partners of the place's focus sectors that are isolated or peripheral."""
    from lcpgraph.analysis.gaps import isolated_partners, peripheral_partners

    focus = place_of(G).focus_sectors
    flags = {n: "isolated" for n in isolated_partners(G, focus)["id"]}
    flags.update({n: "peripheral" for n in peripheral_partners(G, focus)["id"]})
    return flags


def _levels(H: nx.MultiDiGraph, unit_ids: set[str]) -> dict[str, int]:
    """Governance levels: 0 for bodies that report to nobody, then one step down per line."""
    up = {n: [v for _, v, d in H.out_edges(n, data=True) if _upward(d)] for n in H}
    level: dict[str, int] = {}

    def depth(n: str, seen: frozenset) -> int:
        if n in level:
            return level[n]
        parents = [p for p in up[n] if p not in seen]
        d = 0 if not parents else 1 + max(depth(p, seen | {n}) for p in parents)
        level[n] = d
        return d

    for n in sorted(H):
        depth(n, frozenset())
    deepest = max(level.values(), default=0)
    for n in H:  # units with no line hang at the bottom, where they are easy to spot
        if not up[n] and n in unit_ids:
            level[n] = max(deepest, 1)
    return level


def _positions(H: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    """A seeded force-directed layout computed by igraph (fast enough for thousands of nodes).

    Records with no ties are laid out in a grid under the network instead: a force layout
    flings them to the edges, which shrinks everything else to a dot.
    """
    import igraph as ig

    from lcpgraph.engine import to_igraph

    alone = sorted(n for n in H if H.degree(n) == 0)
    tied = H.subgraph(n for n in H if H.degree(n) > 0)
    g, nodes = to_igraph(tied, weight=None)
    ig.set_random_number_generator(random.Random(seed))
    try:
        # igraph's grid variant of Fruchterman–Reingold is linear per step: 10,000 nodes in
        # a quarter of a second, where DrL took nine.
        grid = "grid" if g.vcount() > 1000 else "nogrid"
        coords = g.layout_fruchterman_reingold(niter=300, grid=grid).coords if g.vcount() else []
    finally:
        ig.set_random_number_generator(random)
    xs = [c[0] for c in coords] or [0.0]
    ys = [c[1] for c in coords] or [0.0]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    size = 150.0 * math.sqrt(max(len(nodes), 1))  # room for labels when zoomed in
    x0, y0 = min(xs), min(ys)
    out = {
        n: (round((x - x0) / span * size, 1), round((y - y0) / span * size, 1))
        for n, (x, y) in zip(nodes, coords, strict=True)
    }
    per_row = max(1, int(size // 160))
    for k, n in enumerate(alone):
        out[n] = (float((k % per_row) * 160), round(size + 200.0 + (k // per_row) * 60, 1))
    return out


def _aggregate(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Partnership-level graph: forums only, tied by the members they share, plus reporting lines."""
    fm = views.members(G)
    A = nx.MultiDiGraph()
    A.graph.update(G.graph)
    for f, ms in fm.items():
        A.add_node(f, **{**G.nodes[f], "members": len(ms)})
    seen: dict[tuple[str, str], int] = {}
    for forums in views.seats(G).values():
        for i, a in enumerate(forums):
            for b in forums[i + 1 :]:
                seen[(a, b)] = seen.get((a, b), 0) + 1
    for (a, b), w in sorted(seen.items()):
        A.add_edge(a, b, kind="shares_members", weight=float(w), source="derived: shared members")
    for u, v, d in current_edges(G):
        if _upward(d) and u in A and v in A:
            A.add_edge(u, v, **d)
    return A


def _json_for_script(obj: object) -> str:
    """JSON safe inside a <script> element: no '<', '>', '&' or line separators as such."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch, rep in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, rep)
    return text


def _asset(name: str) -> str:
    text = resources.files("pyvis").joinpath("lib", "vis-9.1.2", name).read_text(encoding="utf-8")
    # The source-map comment would make developer tools fetch a file that is not there.
    return "\n".join(line for line in text.split("\n") if "sourceMappingURL" not in line)


def _vis_css() -> str:
    """Only the tooltip rules of vis-network's stylesheet: the rest styles editing and navigation
    controls this page does not use, and is 200 KB of inlined images."""
    css = _asset("vis-network.css")
    return "\n".join(r.strip() for r in re.findall(r"[^{}]+\{[^{}]*\}", css) if "tooltip" in r.split("{")[0])


def _template(name: str) -> str:
    return resources.files("lcpgraph.render").joinpath("templates", name).read_text(encoding="utf-8")


class MapBuilder:
    """Draws many maps of one graph, doing the work they share once.

    The measures, gap flags, memberships, colours and the vis-network script are computed or
    read once, so a report's per-unit maps each cost in proportion to their own size.

    >>> import lcpgraph, tempfile, pathlib
    >>> b = MapBuilder(lcpgraph.load())
    >>> out = b.write(pathlib.Path(tempfile.mkdtemp()) / "g.html", view="governance")
    >>> out.name
    'g.html'
    """

    def __init__(self, G: nx.MultiDiGraph, measures: pd.DataFrame | None = None) -> None:
        from lcpgraph.analysis.centrality import centrality

        self.G = G
        self.measures = centrality(G) if measures is None else measures
        self.place = place_of(G)
        # Plain dicts: a pandas lookup per node would dominate the time on big maps.
        self.meas = self.measures.set_index("id").to_dict("index")
        self.gaps = _gap_flags(G)
        self.memberships = memberships(G)
        self.unit_ids = set(units(G))
        self.node_units = {n: list(fs) for n, fs in views.units_of(G).items()}
        for u in self.unit_ids:
            self.node_units[u] = [u]
        self.colours = sector_colours(list(G.graph.get("sectors", schema.SECTORS)))
        self.assets = {"VIS_CSS": _vis_css(), "VIS_JS": _asset("vis-network.min.js"), "APP_JS": _template("map.js")}

    def write(self, path: str | Path, **options) -> Path:
        """Write one map (options as for :func:`render_map`) and return its path."""
        return _render(self, path, **options)


def render_map(
    G: nx.MultiDiGraph,
    path: str | Path,
    *,
    measures: pd.DataFrame | None = None,
    **options,
) -> Path:
    """Draw the partnership network as one self-contained, offline HTML page.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A loaded partnership graph (hide people first with :func:`lcpgraph.privacy.hide_people`).
    path : str or Path
        Where to write the page (written atomically; the folder is created).
    measures : pandas.DataFrame, optional
        Precomputed :func:`lcpgraph.analysis.centrality.centrality` of ``G`` (saves time).
    view : {"network", "governance", "unit", "partner"}
        ``network``: everything. ``governance``: boards, local units and reporting lines, top
        to bottom. ``unit``: one local unit (``name``), its members, the boards above it and
        the units that share members with it. ``partner``: one organisation and its ties.
    name : str, optional
        The unit or partner for those views, by id or name (case-insensitive).
    size_by : str
        ``degree``, ``weighted_degree``, ``betweenness``, ``closeness``, ``eigenvector`` or
        ``pagerank`` (computed on the whole network).
    aggregate : bool
        Draw forums only (partnerships and boards), tied by the members they share: for
        networks too big to draw partner by partner.
    physics : bool, optional
        Let the layout move (default: only up to :data:`PHYSICS_LIMIT` nodes; larger maps
        get a seeded layout computed in Python).
    title : str, optional
        Page title; a sensible one is made from the view.
    show_ended : bool
        Also draw relationships that ended before the graph's day.
    overwrite : bool
        Replace ``path`` even if lcpgraph did not write it.

    Returns
    -------
    Path
        ``path``. Nothing is opened.

    Raises
    ------
    NotFoundError
        When ``name`` matches no unit or partner; the message lists the closest.
    """
    return MapBuilder(G, measures).write(path, **options)


def _render(
    b: MapBuilder,
    path: str | Path,
    *,
    view: str = "network",
    name: str | None = None,
    size_by: str = "degree",
    aggregate: bool = False,
    physics: bool | None = None,
    title: str | None = None,
    seed: int = 1,
    show_ended: bool = False,
    overwrite: bool = False,
) -> Path:
    from lcpgraph.analysis.centrality import MEASURES

    G = b.G
    if size_by not in MEASURES:
        raise LcpGraphError(f"cannot size by '{size_by}'; choose one of: {', '.join(MEASURES)}")
    if view not in VIEWS:
        raise LcpGraphError(f"view '{view}' is not known; choose one of: {', '.join(VIEWS)}")
    place = b.place
    H = map_graph(G, view, name, show_ended=show_ended)
    if aggregate:
        H = _aggregate(H)
    meas, gaps, m, unit_ids, node_units, colours = b.meas, b.gaps, b.memberships, b.unit_ids, b.node_units, b.colours
    sectors_present = [
        s for s in G.graph.get("sectors", schema.SECTORS) if any(d.get("sector") == s for _, d in H.nodes(data=True))
    ]

    def nid(n: str) -> str:
        return n

    def label(n: str) -> str:
        d = G.nodes[n] if n in G else H.nodes[n]
        return d.get("name", n)

    values = {n: float(meas[n][size_by]) if n in meas else 0.0 for n in H}
    if aggregate:
        values = {n: float(H.nodes[n].get("members", 0)) for n in H}
    top = max(values.values(), default=0.0) or 1.0
    gov = view == "governance"
    levels = _levels(H, unit_ids) if gov else {}
    use_physics = (H.number_of_nodes() <= PHYSICS_LIMIT) if physics is None else physics
    positions = {} if (use_physics or gov) else _positions(simple_graph(H), seed)

    nodes = []
    for n in sorted(H, key=nid):
        d = H.nodes[n]
        kind = d.get("kind", "")
        sector = d.get("sector", "")
        colour = colours.get(sector) if sector else _KIND_COLOURS.get(kind, "#777777")
        node = {
            "id": nid(n),
            "label": label(n),
            "shape": KIND_SHAPES.get(kind, "dot"),
            "size": round(8 + 28 * math.sqrt(max(values[n], 0.0) / top), 2),
            "color": {"background": colour, "border": colour},
            "kind": kind,
            "sector": sector,
            "units": [nid(x) for x in node_units.get(n, [])],
            "forums": [label(f) for f in m.get(n, [])],
            "source": d.get("source", ""),
            "measures": {k: round(float(meas[n][k]), 4) for k in ("degree", "betweenness", "pagerank")}
            if n in meas
            else {},
        }
        if kind == schema.PERSON and d.get("role"):
            node["role"] = d["role"]
        if n in gaps:
            node["gap"] = gaps[n]
            node["borderWidth"] = 5
            node["color"] = {"background": colour, "border": _GAP_STYLE[gaps[n]]}
        if gov:
            node["level"] = levels.get(n, 0)
            if n in unit_ids and not any(_upward(e) for _, _, e in H.out_edges(n, data=True)):
                node["gap"] = "no reporting line"
                node["borderWidth"] = 5
                node["color"] = {"background": colour, "border": _GAP_STYLE["isolated"]}
        if "change" in d:  # a diff map: what was added or removed matters more than the sector
            node["change"] = d["change"]
            c = _CHANGE_COLOURS[d["change"]]
            node["color"] = {"background": c, "border": c}
            node["borderWidth"] = 1
        if n in positions:
            node["x"], node["y"] = positions[n]
        nodes.append(node)
    edges = []
    for i, (u, v, d) in enumerate(sorted(H.edges(data=True), key=lambda e: (nid(e[0]), nid(e[1]), e[2]["kind"]))):
        style = _style(d["kind"])
        edge = {
            "id": i,
            "from": nid(u),
            "to": nid(v),
            "kind": d["kind"],
            "color": {"color": style["color"]},
            "dashes": style["dashes"],
            "width": style["width"],
        }
        if d["kind"] == "shares_members":
            edge["width"] = round(1 + math.log2(d.get("weight", 1.0)), 2)
            edge["color"] = {"color": "#9e9e9e"}
        if style["arrows"]:
            edge["arrows"] = style["arrows"]
        if "change" in d:
            edge["change"] = d["change"]
            edge["color"] = {"color": _CHANGE_COLOURS[d["change"]]}
            edge["width"] = 3 if d["change"] != "same" else 1
        edges.append(edge)

    view_name = {
        "network": "Partnership network",
        "governance": "Governance: boards and reporting lines",
        "unit": place.unit_title,
        "partner": "Partner",
    }[view]
    if view in ("unit", "partner"):
        focus = resolve_node(
            G, name or "", (schema.PARTNERSHIP,) if view == "unit" else (schema.ORGANISATION, schema.PERSON), view
        )
        view_name = f"{view_name}: {label(focus)}"
    page_title = title or f"{place.name or G.graph.get('name', 'lcpgraph')} — {view_name}"
    options = {
        "layout": {"randomSeed": seed, "improvedLayout": H.number_of_nodes() <= 150},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
        "nodes": {"font": {"size": 14, "face": "Arial", "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {"smooth": False},
        "physics": {
            "enabled": use_physics and not gov,
            "solver": "forceAtlas2Based",
            "stabilization": {"iterations": 250, "fit": True},
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110},
        },
    }
    if gov:
        options["layout"]["hierarchical"] = {
            "enabled": True,
            "direction": "UD",
            "sortMethod": "directed",
            "levelSeparation": 150,
            "nodeSpacing": 95,
            "treeSpacing": 80,
            "shakeTowards": "roots",
        }
        # Bigger, wrapped labels: this is the picture projected at an induction session.
        options["nodes"]["font"]["size"] = 18
        options["nodes"]["widthConstraint"] = {"maximum": 110}
        options["edges"]["smooth"] = {"type": "cubicBezier", "forceDirection": "vertical"}
    data = {
        "nodes": nodes,
        "edges": edges,
        "options": options,
        "units": sorted(({"id": nid(x), "name": label(x)} for x in unit_ids if x in H), key=lambda r: r["name"]),
        "sectors": sectors_present,
        "kinds": [k for k in schema.NODE_KINDS if any(d.get("kind") == k for _, d in H.nodes(data=True))],
        "stabilise": use_physics and not gov,
    }
    changes = any("change" in nd for nd in nodes)
    # In a diff map colour means the change, so the sector and line-colour keys would mislead.
    legend = _legend(
        [] if changes else sectors_present,
        colours,
        H,
        gaps_shown=any("gap" in nd for nd in nodes),
        relationships=not changes,
        place=place,
    )
    if changes:
        legend = (
            "<section><h3>Changes (colour)</h3><ul>"
            + "".join(
                f'<li data-legend="change"><span class="sw" style="background:{c}"></span>{w}</li>'
                for w, c in _CHANGE_COLOURS.items()
            )
            + "</ul></section>"
            + legend
        )
    html = fill_template(
        _template("map.html"),
        {
            "TITLE": escape(page_title),
            "SUMMARY": escape(f"{H.number_of_nodes()} records, {H.number_of_edges()} relationships"),
            "UNIT": escape(place.unit_title),
            "SEARCH_HINT": escape(f"name of a partner, {place.unit} or board"),
            "LEGEND": legend,
            **b.assets,
            "DATA": _json_for_script(data),
        },
    )
    return write_text(Path(path), html, overwrite=overwrite)


_SLOT_RE = re.compile(r"\{\{([A-Z_]+)\}\}")


def fill_template(template: str, values: dict[str, str]) -> str:
    """Put ``values`` into the ``{{NAME}}`` slots of ``template`` in one pass.

    Text that comes from the data is never read as template again, so a partner called
    ``{{DATA}}`` is shown as those characters. A slot with no value is an error.

    >>> fill_template("<h1>{{A}}</h1>{{B}}", {"A": "{{B}}", "B": "x"})
    '<h1>{{B}}</h1>x'
    """
    missing = sorted(set(_SLOT_RE.findall(template)) - set(values))
    if missing:
        raise LcpGraphError(f"the page template has slots with no value: {', '.join(missing)}")
    return _SLOT_RE.sub(lambda m: values[m.group(1)], template)


def _legend(
    sectors: list[str],
    colours: dict[str, str],
    H: nx.MultiDiGraph,
    gaps_shown: bool,
    relationships: bool = True,
    place: Place | None = None,
) -> str:
    """The legend as HTML: sectors, kinds of record, relationship kinds present."""
    place = place or Place()
    svg_shape = {
        "dot": '<circle cx="8" cy="8" r="6"/>',
        "diamond": '<polygon points="8,1 15,8 8,15 1,8"/>',
        "square": '<rect x="2" y="2" width="12" height="12"/>',
        "triangle": '<polygon points="8,1 15,15 1,15"/>',
    }
    parts = ["<section><h3>Sectors (colour)</h3><ul>"] if sectors else ["<section><ul>"]
    for s in sectors:
        parts.append(
            f'<li data-legend="sector"><span class="sw" style="background:{colours[s]}"></span>{escape(s)}</li>'
        )
    parts.append("</ul></section><section><h3>Kinds (shape)</h3><ul>")
    kinds = [k for k in schema.NODE_KINDS if any(d.get("kind") == k for _, d in H.nodes(data=True))]
    for k in kinds:
        parts.append(
            f'<li data-legend="kind"><svg width="16" height="16" fill="#666">{svg_shape[KIND_SHAPES[k]]}</svg>'
            f"{escape(k)}</li>"
        )
    parts.append("</ul></section><section><h3>Relationships (line)</h3><ul>")
    present = sorted({d["kind"] for _, _, d in H.edges(data=True)}) if relationships else []
    for k in present:
        st = _style(k)
        dash = ' stroke-dasharray="5,3"' if st["dashes"] else ""
        arrow = '<polygon points="30,5 24,2 24,8" fill="{c}"/>'.format(c=st["color"]) if st["arrows"] else ""
        parts.append(
            f'<li data-legend="relationship"><svg width="32" height="10"><line x1="0" y1="5" x2="28" y2="5" '
            f'stroke="{st["color"]}" stroke-width="2"{dash}/>{arrow}</svg>{escape(k.replace("_", " "))}</li>'
        )
    parts.append("</ul></section>")
    if gaps_shown:
        parts.append(
            "<section><h3>Gaps (ring)</h3><ul>"
            f'<li data-legend="gap"><span class="ring" style="border-color:{_GAP_STYLE["isolated"]}"></span>'
            f"isolated {escape(place.focus)} partner / {escape(place.unit)} with no reporting line</li>"
            f'<li data-legend="gap"><span class="ring" style="border-color:{_GAP_STYLE["peripheral"]}"></span>'
            f"peripheral {escape(place.focus)} partner</li></ul></section>"
        )
    return "".join(parts)
