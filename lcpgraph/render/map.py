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

from lcpgraph import schema
from lcpgraph.exceptions import LcpGraphError, NotFoundError
from lcpgraph.render.charts import sector_colours
from lcpgraph.render.site import write_text
from lcpgraph.views import lcps, memberships, nodes_of_kind, simple_graph

__all__ = ["KIND_SHAPES", "PHYSICS_LIMIT", "RELATIONSHIP_STYLES", "VIEWS", "map_graph", "render_map", "resolve_node"]

VIEWS: tuple[str, ...] = ("network", "governance", "lcp", "partner")

#: vis-network shapes for each kind of record (the legend draws the same ones).
KIND_SHAPES: dict[str, str] = {
    schema.ORGANISATION: "dot",
    schema.PARTNERSHIP: "diamond",
    schema.BOARD: "square",
    schema.PERSON: "triangle",
}
_KIND_COLOURS = {schema.PARTNERSHIP: "#5c5c5c", schema.BOARD: "#1a1a1a"}

#: Edge style per relationship kind: colour, dashes, arrow, width.
RELATIONSHIP_STYLES: dict[str, dict] = {
    "member_of": {"color": "#9e9e9e", "dashes": False, "arrows": "", "width": 1},
    "chairs": {"color": "#6a3d9a", "dashes": False, "arrows": "to", "width": 3},
    "reports_to": {"color": "#111111", "dashes": False, "arrows": "to", "width": 3},
    "supports": {"color": "#0072B2", "dashes": [6, 4], "arrows": "to", "width": 1.5},
    "funds": {"color": "#009E73", "dashes": False, "arrows": "to", "width": 2},
    "shares_role": {"color": "#CC79A7", "dashes": [2, 3], "arrows": "", "width": 2},
    "aligned_with": {"color": "#56B4E9", "dashes": [10, 6], "arrows": "", "width": 2},
    "part_of": {"color": "#444444", "dashes": [4, 4], "arrows": "to", "width": 1.5},
    "works_with": {"color": "#D55E00", "dashes": False, "arrows": "", "width": 2},
    "employed_by": {"color": "#bdbdbd", "dashes": [1, 3], "arrows": "to", "width": 1},
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


def map_graph(G: nx.MultiDiGraph, view: str = "network", name: str | None = None) -> nx.MultiDiGraph:
    """The part of ``G`` a view shows (see :func:`render_map`), with its relationships."""
    if view == "network":
        return G
    if view == "governance":
        # Every LCP (one with no line is the gap to see) and every forum on a reporting line.
        keep = set(lcps(G))
        for u, v, k in G.edges(data="kind"):
            if k in ("reports_to", "part_of") and G.nodes[u]["kind"] in schema.FORUM_KINDS:
                keep |= {u, v}
        keep = {n for n in keep if G.nodes[n]["kind"] in schema.FORUM_KINDS}
        H = nx.MultiDiGraph()
        H.graph.update(G.graph)
        H.add_nodes_from((n, G.nodes[n]) for n in sorted(keep))
        H.add_edges_from(
            (u, v, k, d)
            for u, v, k, d in G.edges(keys=True, data=True)
            if u in keep and v in keep and d["kind"] in ("reports_to", "part_of")
        )
        return H
    if view == "lcp":
        if not name:
            raise LcpGraphError("the lcp view needs the name of an LCP, e.g. --view lcp HATCH")
        lcp = resolve_node(G, name, (schema.PARTNERSHIP,), "LCP or partnership")
        members = {
            u for u, _, k in G.in_edges(lcp, data="kind") if G.nodes[u]["kind"] in (schema.ORGANISATION, schema.PERSON)
        }
        members |= {
            v for _, v, k in G.out_edges(lcp, data="kind") if G.nodes[v]["kind"] in (schema.ORGANISATION, schema.PERSON)
        }
        up = set()
        frontier = [lcp]
        while frontier:
            n = frontier.pop()
            for _, v, k in G.out_edges(n, data="kind"):
                if k in ("reports_to", "part_of") and v not in up and G.nodes[v]["kind"] == schema.BOARD:
                    up.add(v)
                    frontier.append(v)
        m = memberships(G)
        sharing = {f for p in members for f in m[p] if f != lcp and G.nodes[f].get("type") == "lcp"}
        keep = {lcp} | members | up | sharing
        sub = G.subgraph(keep)
        H = nx.MultiDiGraph()
        H.graph.update(G.graph)
        H.add_nodes_from((n, G.nodes[n]) for n in sorted(keep))
        core = {lcp} | members
        chain = {lcp} | up
        for u, v, k, d in sub.edges(keys=True, data=True):
            # Only ties of this LCP and its partners, and its own reporting line: other LCPs'
            # reporting lines would bury the picture.
            if u in core or v in core or (u in chain and v in chain):
                H.add_edge(u, v, key=k, **d)
        return H
    if view == "partner":
        if not name:
            raise LcpGraphError(
                "the partner view needs the name of an organisation, e.g. --view partner 'Forum Central'"
            )
        p = resolve_node(G, name, (schema.ORGANISATION, schema.PERSON), "partner")
        keep = {p} | set(G.predecessors(p)) | set(G.successors(p))
        H = nx.MultiDiGraph()
        H.graph.update(G.graph)
        H.add_nodes_from((n, G.nodes[n]) for n in sorted(keep))
        H.add_edges_from((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if p in (u, v))
        return H
    raise LcpGraphError(f"view '{view}' is not known; choose one of: {', '.join(VIEWS)}")


def _gap_flags(G: nx.MultiDiGraph) -> dict[str, str]:
    """Third-sector partners that are isolated or peripheral (one forum, or no board in reach)."""
    from lcpgraph.analysis.gaps import isolated_partners, peripheral_partners

    flags = {n: "isolated" for n in isolated_partners(G, ["third sector"])["id"]}
    flags.update({n: "peripheral" for n in peripheral_partners(G, ["third sector"])["id"]})
    return flags


def _levels(H: nx.MultiDiGraph) -> dict[str, int]:
    """Governance levels: 0 for bodies that report to nobody, then one step down per line."""
    up = {n: [v for _, v, k in H.out_edges(n, data="kind") if k in ("reports_to", "part_of")] for n in H}
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
    for n in H:  # LCPs with no line hang at the bottom, where they are easy to spot
        if not up[n] and H.nodes[n].get("type") == "lcp":
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
    from lcpgraph.views import forum_members

    fm = forum_members(G)
    A = nx.MultiDiGraph()
    A.graph.update(G.graph)
    for f, ms in fm.items():
        A.add_node(f, **{**G.nodes[f], "members": len(ms)})
    seen: dict[tuple[str, str], int] = {}
    for forums in memberships(G).values():
        for i, a in enumerate(forums):
            for b in forums[i + 1 :]:
                seen[(a, b)] = seen.get((a, b), 0) + 1
    for (a, b), w in sorted(seen.items()):
        A.add_edge(a, b, kind="shares_members", weight=float(w), source="derived: shared members")
    for u, v, d in G.edges(data=True):
        if d["kind"] in ("reports_to", "part_of") and u in A and v in A:
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


def render_map(
    G: nx.MultiDiGraph,
    path: str | Path,
    *,
    view: str = "network",
    name: str | None = None,
    size_by: str = "degree",
    hide_people: bool = False,
    aggregate: bool = False,
    physics: bool | None = None,
    measures: pd.DataFrame | None = None,
    title: str | None = None,
    seed: int = 1,
) -> Path:
    """Draw the partnership network as one self-contained, offline HTML page.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A loaded partnership graph.
    path : str or Path
        Where to write the page (written atomically; the folder is created).
    view : {"network", "governance", "lcp", "partner"}
        ``network``: everything. ``governance``: boards, LCPs and reporting lines, top to
        bottom. ``lcp``: one LCP (``name``), its partners, the boards above it and the LCPs
        that share partners with it. ``partner``: one organisation's forums and neighbours.
    name : str, optional
        The LCP or partner for those views, by id or name (case-insensitive).
    size_by : str
        ``degree``, ``weighted_degree``, ``betweenness``, ``closeness``, ``eigenvector`` or
        ``pagerank`` (computed on the whole network).
    hide_people : bool
        Show people by their role only: their names and ids appear nowhere in the file.
    aggregate : bool
        Draw forums only (partnerships and boards), tied by the members they share: for
        networks too big to draw partner by partner.
    physics : bool, optional
        Let the layout move (default: only up to :data:`PHYSICS_LIMIT` nodes; larger maps
        get a seeded layout computed in Python).
    measures : pandas.DataFrame, optional
        Precomputed :func:`lcpgraph.analysis.centrality.centrality` of ``G`` (saves time).
    title : str, optional
        Page title; a sensible one is made from the view.

    Returns
    -------
    Path
        ``path``. Nothing is opened.

    Raises
    ------
    NotFoundError
        When ``name`` matches no LCP or partner; the message lists the closest.
    """
    from lcpgraph.analysis.centrality import MEASURES, centrality

    if size_by not in MEASURES:
        raise LcpGraphError(f"cannot size by '{size_by}'; choose one of: {', '.join(MEASURES)}")
    if view not in VIEWS:
        raise LcpGraphError(f"view '{view}' is not known; choose one of: {', '.join(VIEWS)}")
    H = map_graph(G, view, name)
    if aggregate:
        H = _aggregate(H)
    if measures is None:
        measures = centrality(G)
    # Plain dicts: a pandas lookup per node would dominate the time on big maps.
    cols = sorted({size_by, "degree", "betweenness", "pagerank"})
    meas = measures.set_index("id")[cols].to_dict("index")
    gaps = _gap_flags(G)
    m = memberships(G)
    lcp_ids = set(lcps(G))
    node_lcps = {n: [f for f in fs if f in lcp_ids] for n, fs in m.items()}
    for lcp in lcp_ids:
        node_lcps[lcp] = [lcp]
    sectors_present = [
        s for s in G.graph.get("sectors", schema.SECTORS) if any(d.get("sector") == s for _, d in H.nodes(data=True))
    ]
    colours = sector_colours(list(G.graph.get("sectors", schema.SECTORS)))

    people = sorted(n for n, d in H.nodes(data=True) if d.get("kind") == schema.PERSON)
    alias = {p: f"person-{i + 1}" for i, p in enumerate(people)} if hide_people else {}

    def nid(n: str) -> str:
        return alias.get(n, n)

    def label(n: str) -> str:
        d = G.nodes[n] if n in G else H.nodes[n]
        if hide_people and d.get("kind") == schema.PERSON:
            return d.get("role", "person")
        return d.get("name", n)

    values = {n: float(meas[n][size_by]) if n in meas else 0.0 for n in H}
    if aggregate:
        values = {n: float(H.nodes[n].get("members", 0)) for n in H}
    top = max(values.values(), default=0.0) or 1.0
    gov = view == "governance"
    levels = _levels(H) if gov else {}
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
            "lcps": [nid(x) for x in node_lcps.get(n, [])],
            "forums": [label(f) for f in m.get(n, [])],
            "source": d.get("source", ""),
            "measures": {k: round(float(meas[n][k]), 4) for k in ("degree", "betweenness", "pagerank")}
            if n in meas
            else {},
        }
        if kind == schema.PERSON and not hide_people and d.get("role"):
            node["role"] = d["role"]
        if n in gaps:
            node["gap"] = gaps[n]
            node["borderWidth"] = 5
            node["color"] = {"background": colour, "border": _GAP_STYLE[gaps[n]]}
        if gov:
            node["level"] = levels.get(n, 0)
            if d.get("type") == "lcp" and not any(
                k in ("reports_to", "part_of") for _, _, k in H.out_edges(n, data="kind")
            ):
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
        style = RELATIONSHIP_STYLES.get(d["kind"], {"color": "#bbbbbb", "dashes": True, "arrows": "", "width": 1})
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
        "lcp": "LCP",
        "partner": "Partner",
    }[view]
    if view in ("lcp", "partner"):
        focus = resolve_node(
            G, name or "", (schema.PARTNERSHIP,) if view == "lcp" else (schema.ORGANISATION, schema.PERSON), view
        )
        view_name = f"{view_name}: {label(focus)}"
    page_title = title or f"{G.graph.get('name', 'lcpgraph')} — {view_name}"
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
        "lcps": sorted(({"id": nid(x), "name": label(x)} for x in lcp_ids if x in H), key=lambda r: r["name"]),
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
    html = (
        _template("map.html")
        .replace("{{TITLE}}", escape(page_title))
        .replace("{{SUMMARY}}", escape(f"{H.number_of_nodes()} records, {H.number_of_edges()} relationships"))
        .replace("{{LEGEND}}", legend)
        .replace("{{VIS_CSS}}", _vis_css())
        .replace("{{VIS_JS}}", _asset("vis-network.min.js"))
        .replace("{{APP_JS}}", _template("map.js"))
        .replace("{{DATA}}", _json_for_script(data))
    )
    return write_text(Path(path), html)


def _legend(
    sectors: list[str], colours: dict[str, str], H: nx.MultiDiGraph, gaps_shown: bool, relationships: bool = True
) -> str:
    """The legend as HTML: sectors, kinds of record, relationship kinds present."""
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
        st = RELATIONSHIP_STYLES.get(k, {"color": "#9e9e9e", "dashes": False, "arrows": ""})
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
            "isolated third-sector partner / LCP with no reporting line</li>"
            f'<li data-legend="gap"><span class="ring" style="border-color:{_GAP_STYLE["peripheral"]}"></span>'
            "peripheral third-sector partner</li></ul></section>"
        )
    return "".join(parts)
