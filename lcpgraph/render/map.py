"""The interactive network map: one HTML page that works with no network.

vis-network (the library pyvis wraps, taken from the pyvis package) draws the map; a small
script (``templates/map.js``) adds search, filters, a details panel, a guided tour, a saved
image and the level-of-detail labels. Every position is computed here, seeded, before the
page is written: the browser never runs a physics simulation, so filtering, searching and
touring only hide and show records and never move one.

Every text from the data reaches the page as JSON inside a ``<script type="application/json">``
element, escaped so it cannot close the element, and is put on the page with ``textContent``
(or drawn on the canvas): a partner called ``<img src=x onerror=alert(1)>`` is shown as those
characters and runs nothing.

Membership, local units, reporting lines and current ties come from :mod:`lcpgraph.views`;
the words ("LCP", "locality") from the place profile (:func:`lcpgraph.place.place_of`).
"""

from __future__ import annotations

import csv
import difflib
import io
import itertools
import json
import math
import random
import re
from collections import defaultdict
from functools import cached_property, lru_cache
from html import escape
from importlib import resources
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from lcpgraph import schema, views
from lcpgraph.exceptions import LcpGraphError, NotFoundError, Problem, ValidationError, closest
from lcpgraph.files import GENERATOR, file_slug, write_bytes, write_text
from lcpgraph.place import Place, place_of
from lcpgraph.views import nodes_of_kind

__all__ = [
    "KIND_SHAPES",
    "SECTOR_GROUPS",
    "TOUR_COLUMNS",
    "VIEWS",
    "VIS_JS_NAME",
    "MapBuilder",
    "default_tour",
    "fill_template",
    "governance_layout",
    "map_graph",
    "node_styles",
    "read_tour",
    "render_map",
    "resolve_node",
    "sector_palette",
]

VIEWS: tuple[str, ...] = ("network", "governance", "unit", "partner")

#: vis-network shapes for each kind of record (the legend draws the same ones).
KIND_SHAPES: dict[str, str] = {
    schema.ORGANISATION: "dot",
    schema.PARTNERSHIP: "diamond",
    schema.BOARD: "square",
    schema.PERSON: "triangle",
}

#: The pyvis release whose vis-network the page inlines. Positions, the label layer and the
#: saved image rely on this vis-network's drawing internals, so setup.cfg pins pyvis to it.
_VIS_DIR = ("lib", "vis-9.1.2")
#: The file name of the shared vis-network script next to a report's maps.
VIS_JS_NAME = "vis-network.min.js"
#: The map page's own script, shared like vis-network by the maps of a report.
APP_JS_NAME = "lcpgraph-map.js"

#: Sectors grouped into hues a person can tell apart, each group's sectors told apart by
#: lightness (dark, middle, light) and named in the legend. The hues avoid red and orange,
#: which only the gap rings use, and differ for the common colour-vision deficiencies
#: (after Paul Tol's and Okabe & Ito's schemes). A sector not listed joins "Other".
SECTOR_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("GP and primary care", "#2F6DB5", ("primary care", "pharmacy")),
    ("NHS trusts", "#7B4FB8", ("secondary care", "community health", "mental health")),
    ("Council and public health", "#17876A", ("social care", "public health", "local authority")),
    ("Voluntary and community", "#D9A300", ("third sector", "social prescribing")),
    ("Citizens' voice", "#A8327E", ("healthwatch", "citizen voice")),
    ("Housing and safety", "#8A5A2E", ("housing", "community safety")),
    ("Elected members", "#6B7A12", ("elected members",)),
    ("Work and learning", "#1FA2C6", ("employment services", "education")),
    ("Commissioners and wider bodies", "#4A5566", ("commissioner", "regional body", "national body")),
)
_OTHER_GROUP = ("Other", "#8C8C8C")

#: How far each shape reaches from its centre, in units of its vis-network ``size``.
_SHAPE_REACH = {"dot": 1.0, "square": 1.42, "diamond": 1.05, "triangle": 1.25}
#: Fills of records that have no sector: partnerships grey, local units darker, boards black.
_KIND_FILL = {schema.PARTNERSHIP: "#9A9A9A", schema.BOARD: "#1A1A1A", schema.PERSON: "#777777"}
_UNIT_FILL = "#3D3D3D"
#: Gap rings: colours no fill uses, told apart by the line too (solid, dashed) for anyone who
#: cannot tell red from orange.
RINGS = {
    "isolated": {"color": "#E3001B", "dashes": False},
    "peripheral": {"color": "#F77F00", "dashes": True},
    "no reporting line": {"color": "#E3001B", "dashes": False},
    "changed": {"color": "#111111", "dashes": False},
}
#: Change maps: blue for added, vermilion for removed (told apart with colour-blindness),
#: pale grey for what stayed the same.
_CHANGE_COLOURS = {"added": "#0072B2", "removed": "#D55E00", "same": "#C8C8C8"}

# Governance boxes: drawn with the label inside, so arrowheads end on the box, not the name.
_BOX_FONT = 15
_BOX_LINE = 16.0  # vis-network's line height for a 15 px label is 15 px (measured in Chromium)
_BOX_MARGIN = 7
_BOX_GAP_X = 22
_BOX_GAP_Y = 34
#: The map area of a 1366×768 screen less the header and side panel, for fitting layouts.
_CANVAS = (1040.0, 700.0)


# --------------------------------------------------------------------------------------
# finding records


def resolve_node(G: nx.Graph, name: str, kinds: tuple[str, ...], what: str) -> str:
    """Find a node of one of ``kinds`` by id or name (case-insensitive); else say what is close.

    >>> G = nx.Graph(); G.add_node("lcp-hatch", kind="partnership", name="HATCH")
    >>> resolve_node(G, "hatch", ("partnership",), "LCP")
    'lcp-hatch'
    """
    if name in G and G.nodes[name].get("kind") in kinds:  # an id: no need to read every name
        return name
    candidates = {n: str(G.nodes[n].get("name", n)) for n in nodes_of_kind(G, *kinds)}
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


# --------------------------------------------------------------------------------------
# what each view shows


def _upward(d: dict) -> bool:
    return schema.role_of(d.get("kind", "")) in schema.UPWARD_ROLES


class _OverNodes:
    """Iteration, length and membership over the node ids of ``self._attrs``, as networkx has."""

    _attrs: dict[str, dict]

    def __iter__(self):
        return iter(self._attrs)

    def __len__(self) -> int:
        return len(self._attrs)

    def __contains__(self, n: object) -> bool:
        return n in self._attrs


class _NodeView(_OverNodes):
    """``H.nodes`` of a :class:`_Part`: ``H.nodes[n]``, ``H.nodes(data=...)``, ``n in H.nodes``."""

    def __init__(self, attrs: dict[str, dict]) -> None:
        self._attrs = attrs

    def __getitem__(self, n: str) -> dict:
        return self._attrs[n]

    def __call__(self, data: bool | str = False, default=None):
        if data is False:
            return iter(self._attrs)
        if data is True:
            return iter(self._attrs.items())
        return ((n, d.get(data, default)) for n, d in self._attrs.items())


class _Part(_OverNodes):
    """The part of a graph one map shows, read the way the drawing code reads a networkx graph.

    Its nodes are ``G``'s own attribute dicts (read, never changed) and its relationships a
    sorted list: copying them into a new MultiDiGraph cost more than drawing a small map, and
    the whole region's network map would hold a second copy of the region.
    """

    def __init__(self, G: nx.MultiDiGraph, keep, edges) -> None:
        node = G._node  # the dicts G.nodes[n] returns, without a view per lookup
        self.graph = G.graph
        self._attrs = {n: node[n] for n in sorted(keep)}
        # The order a MultiDiGraph built from them in this order would give back.
        self._edges = sorted(edges, key=lambda e: (e[0], e[1], str(e[2])))
        self.nodes = _NodeView(self._attrs)

    def edges(self, data: bool = False, keys: bool = False):
        if keys:
            return [(u, v, k, d) if data else (u, v, k) for u, v, k, d in self._edges]
        return [(u, v, d) if data else (u, v) for u, v, _, d in self._edges]

    def out_edges(self, n: str, data: bool = False):
        return [(u, v, d) if data else (u, v) for u, v, _, d in self._edges if u == n]

    def to_networkx(self) -> nx.MultiDiGraph:
        H = nx.MultiDiGraph()
        H.graph.update(self.graph)
        H.add_nodes_from(self._attrs.items())
        for u, v, k, d in self._edges:
            H.add_edge(u, v, key=k, **d)
        return H


def _incident(vw: _Views, nodes, show_ended: bool) -> list[tuple[str, str, object, dict]]:
    """The relationships touching ``nodes`` (current ones unless ``show_ended``), each once.

    Reads only the nodes' own adjacency, so a unit's map costs what the unit has, not what
    the whole region has.
    """
    seen: dict[tuple[str, str, object], tuple[dict, bool]] = {}
    for n in nodes:
        for u, v, k, d, now in vw.ties_of(n):
            seen[(u, v, k)] = (d, now)
    return [(u, v, k, d) for (u, v, k), (d, now) in seen.items() if show_ended or now]


class _Views:
    """Views' answers for one graph, asked once and kept, so that each map reads only its slice.

    Every call into :mod:`lcpgraph.views` re-checks its cache against the whole graph; a
    report draws a map per unit, so the answers are asked for here once. Nothing is decided
    here: membership, units, sub-units, seats and reporting lines are views'.
    """

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.G = G
        self.place = place_of(G)
        self.unit_ids = set(views.units(G))
        self.memberships = views.memberships(G)
        self.members = views.members(G)
        self.sub_units = views.sub_units(G)
        self.lines = views.reporting_lines(G)
        self.seats = views.seats(G)
        self.node_units = {n: list(fs) for n, fs in views.units_of(G).items()}
        for u in self.unit_ids:
            self.node_units[u] = [u]
        self._chains: dict[str, list[tuple[str, str]]] = {}
        self._ties: dict[str, list[tuple[str, str, object, dict, bool]]] = {}
        self._day = views.as_of(G)

    def ties_of(self, n: str) -> list[tuple[str, str, object, dict, bool]]:
        """``n``'s relationships, out then in, each with whether it holds on the graph's day.

        Kept per record: a report's maps of neighbouring units read the same partners' ties.
        """
        if n not in self._ties:
            G, day = self.G, self._day
            self._ties[n] = [
                (u, v, k, d, views.is_current(d, day))
                for edges in (G.out_edges(n, keys=True, data=True), G.in_edges(n, keys=True, data=True))
                for u, v, k, d in edges
            ]
        return self._ties[n]

    @cached_property
    def seated(self) -> dict[str, list[str]]:
        """forum -> the records with a seat in it (views' seats, turned round)."""
        out: dict[str, list[str]] = defaultdict(list)
        for n, fs in self.seats.items():
            for f in fs:
                out[f].append(n)
        return out

    def chain(self, forum: str) -> list[tuple[str, str]]:
        """:func:`lcpgraph.views.reporting_chain` of ``forum``, walked on views' kept lines."""
        if forum not in self._chains:
            up, out = self.lines, []
            if forum in up:
                seen, frontier = {forum}, [forum]
                while frontier:
                    n = frontier.pop(0)
                    for v in sorted(up.successors(n)):
                        out.append((n, v))
                        if v not in seen:
                            seen.add(v)
                            frontier.append(v)
            self._chains[forum] = out
        return self._chains[forum]

    def above(self, forum: str) -> list[str]:
        """The partnerships and boards ``forum`` reports up to, nearest first."""
        return list(dict.fromkeys(v for _, v in self.chain(forum)))


def map_graph(
    G: nx.MultiDiGraph, view: str = "network", name: str | None = None, *, show_ended: bool = False
) -> nx.MultiDiGraph:
    """The part of ``G`` a view shows (see :func:`render_map`), with its current relationships.

    Relationships that ended before the graph's day are left out unless ``show_ended``.
    """
    return _view_graph(_Views(G), view, name, show_ended).to_networkx()


def _view_graph(vw: _Views, view: str, name: str | None, show_ended: bool) -> _Part:
    G, place = vw.G, vw.place
    if view == "network":
        day = views.as_of(G)
        return _Part(G, set(G), [e for e in G.edges(keys=True, data=True) if show_ended or views.is_current(e[3], day)])
    if view == "governance":
        # Every local unit (one with no line is the gap to see) and every forum on a line.
        forums = nodes_of_kind(G, *schema.FORUM_KINDS)
        keep = set(vw.unit_ids)
        lines = []
        for u, v, k, d in _incident(vw, forums, show_ended):
            if (
                _upward(d)
                and G.nodes[u].get("kind") in schema.FORUM_KINDS
                and G.nodes[v].get("kind") in schema.FORUM_KINDS
            ):
                keep |= {u, v}
                lines.append((u, v, k, d))
        return _Part(G, keep, lines)
    if view == "unit":
        if not name:
            raise LcpGraphError(f"the unit view needs the name of a {place.unit}, e.g. --unit NAME")
        unit = resolve_node(G, name, (schema.PARTNERSHIP,), f"{place.unit} or partnership")
        members = set(vw.members.get(unit, []))
        chain = vw.chain(unit)
        up = {v for _, v in chain}
        sharing = {f for p in members for f in vw.memberships.get(p, []) if f != unit and f in vw.unit_ids}
        inside = set(vw.sub_units.get(unit, []))
        keep = {unit} | members | up | sharing | inside
        core = {unit} | members | inside
        # Only ties of this unit and its partners, and its own reporting line: other units'
        # reporting lines would bury the picture.
        edges = [(u, v, k, d) for u, v, k, d in _incident(vw, core, show_ended) if u in keep and v in keep]
        pairs = set(chain)
        edges += [
            (u, v, k, d)
            for u, v, k, d in _incident(vw, {a for a, _ in chain}, show_ended)
            if (u, v) in pairs and _upward(d) and u not in core and v not in core
        ]
        return _Part(G, keep, edges)
    if view == "partner":
        if not name:
            raise LcpGraphError("the partner view needs the name of an organisation, e.g. --partner 'Forum Central'")
        p = resolve_node(G, name, (schema.ORGANISATION, schema.PERSON), "partner")
        mine = _incident(vw, [p], show_ended)
        keep = {p} | {u for u, _, _, _ in mine} | {v for _, v, _, _ in mine}
        return _Part(G, keep, mine)
    raise LcpGraphError(f"view '{view}' is not known; choose one of: {', '.join(VIEWS)}")


class _ForumsOf:
    """Just enough of a view of ``G`` for :func:`_aggregate`: its nodes and current lines."""

    def __init__(self, G: nx.MultiDiGraph, show_ended: bool) -> None:
        self.G, self.show_ended, self.nodes = G, show_ended, G.nodes

    def __iter__(self):
        return iter(self.G)

    def edges(self, data: bool = False):
        day = views.as_of(self.G)
        return (
            (u, v, d)
            for u, v, d in self.G.edges(data=True)
            if _upward(d) and (self.show_ended or views.is_current(d, day))
        )


#: Above this many shared-member ties an aggregate map keeps only the strongest (a region of
#: 100,000 records has about 190,000 of them, too many to draw or to read).
MAX_SHARED_TIES = 30_000


def _aggregate(G: nx.MultiDiGraph, H, vw: _Views | None = None) -> nx.MultiDiGraph:
    """Forums only, tied by the partners who sit in both (views' seats), plus reporting lines.

    Reads only the seats of the forums in ``H``: the aggregate view of one unit costs what
    the unit has.
    """
    vw = vw or _Views(G)
    forums = {n for n in H if H.nodes[n].get("kind") in schema.FORUM_KINDS}
    A = nx.MultiDiGraph()
    A.graph.update(G.graph)
    for f in sorted(forums):
        A.add_node(f, **{**G.nodes[f], "members": len(vw.members.get(f, ()))})
    sitters = {n for f in forums for n in vw.seated.get(f, ())}
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for n in sitters:
        fs = [f for f in vw.seats[n] if f in forums]
        for i, a in enumerate(fs):
            for b in fs[i + 1 :]:
                seen[(a, b)] += 1
    least = 1
    while sum(1 for w in seen.values() if w >= least) > MAX_SHARED_TIES:
        least += 1
    A.graph["least_shared"] = least
    for (a, b), w in sorted(seen.items()):
        if w >= least:
            A.add_edge(a, b, kind="shares_members", weight=float(w), source="derived: shared members")
    for u, v, d in H.edges(data=True):
        if _upward(d) and u in A and v in A:
            A.add_edge(u, v, **d)
    return A


# --------------------------------------------------------------------------------------
# colours


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02X}" for c in rgb)


def _mix(colour: str, other: str, t: float) -> str:
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i : i + 2], 16) for i in (1, 3, 5)]
    return _hex(tuple(x + (y - x) * t for x, y in zip(a, b, strict=True)))


def _shades(base: str, n: int) -> list[str]:
    """``n`` clearly different lightnesses of one hue, darkest first (at most three distinct)."""
    dark, light = _mix(base, "#000000", 0.38), _mix(base, "#FFFFFF", 0.55)
    ladder = {1: [base], 2: [base, light], 3: [dark, base, light]}
    return [ladder[min(n, 3)][i % min(n, 3)] for i in range(n)]


def sector_palette(sectors) -> dict[str, dict[str, str]]:
    """Each sector's colour and hue group: ``{sector: {"color", "group", "group_color"}}``.

    Sectors of one group share a hue and differ in lightness; sectors the groups do not name
    join the grey "Other" group. The order of ``sectors`` does not change the colours.

    >>> p = sector_palette(["third sector", "social prescribing", "lcp development team"])
    >>> p["third sector"]["group"], p["lcp development team"]["group"]
    ('Voluntary and community', 'Other')
    >>> p["third sector"]["color"] != p["social prescribing"]["color"]
    True
    """
    wanted = list(dict.fromkeys(sectors))
    known = {s for _, _, ss in SECTOR_GROUPS for s in ss}
    out: dict[str, dict[str, str]] = {}
    for group, base, members in SECTOR_GROUPS:
        for s, c in zip(members, _shades(base, len(members)), strict=True):
            if s in wanted:
                out[s] = {"color": c, "group": group, "group_color": base}
    others = sorted(s for s in wanted if s not in known)
    for s, c in zip(others, _shades(_OTHER_GROUP[1], len(others)), strict=True):
        out[s] = {"color": c, "group": _OTHER_GROUP[0], "group_color": _OTHER_GROUP[1]}
    return out


@lru_cache(maxsize=1024)
def _border(fill: str) -> str:
    return _mix(fill, "#000000", 0.35)


# --------------------------------------------------------------------------------------
# text measures (governance boxes are sized before the browser sees them)

# Helvetica/Arial advance widths (1/1000 em) for ASCII 32-126; Liberation Sans, which Linux
# uses for Arial, has the same metrics.
_WIDTHS = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667,
    556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556,
    556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722,
    500, 500, 500, 334, 260, 334, 584,
]  # fmt: skip


def _units(text: str) -> int:
    """Width of ``text`` in Arial, in 1/1000 em (unknown characters count as wide)."""
    return sum(_WIDTHS[ord(c) - 32] if 32 <= ord(c) < 127 else 650 for c in text)


def _text_width(text: str, size: float) -> float:
    """Width in pixels of ``text`` in Arial at ``size`` px (unknown characters count as wide)."""
    return _units(text) * size / 1000.0


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Greedy word wrap to ``width`` pixels; a word is never broken (a longer word overflows)."""
    lines: list[str] = []
    used = 0  # the last line's width in 1/1000 em (widths add up, so no line is measured twice)
    space = _units(" ")
    for word in text.split():
        w = _units(word)
        if lines and (used + space + w) * size / 1000.0 <= width:
            lines[-1] += " " + word
            used += space + w
        else:
            lines.append(word)
            used = w
    return lines or [""]


def _two_lines(text: str, limit: int = 24) -> str:
    """A long name split at the space nearest its middle, for labels under a node."""
    if len(text) <= limit or " " not in text:
        return text
    mid = len(text) / 2
    cut = min((i for i, c in enumerate(text) if c == " "), key=lambda i: (abs(i - mid), i))
    return text[:cut] + "\n" + text[cut + 1 :]


# --------------------------------------------------------------------------------------
# layouts


def _force_layout(H: nx.Graph, seed: int, sizes: dict[str, float] | None = None) -> dict[str, tuple[float, float]]:
    """A seeded force-directed layout (igraph's Fruchterman–Reingold), spread to the screen's shape.

    Records with no ties go in a grid under the network: a force layout flings them to the
    edges, which shrinks everything else to a dot. Nodes are then pushed apart until no two
    overlap, so every one can be clicked.
    """
    import igraph as ig

    sizes = sizes or {}
    shapes = {n: KIND_SHAPES.get(H.nodes[n].get("kind", ""), "dot") for n in H}
    ids = sorted(H)
    index = {n: i for i, n in enumerate(ids)}
    pairs = sorted({(min(index[u], index[v]), max(index[u], index[v])) for u, v in H.edges() if u != v})
    tied_mask = np.zeros(len(ids), dtype=bool)
    for a, b in pairs:
        tied_mask[a] = tied_mask[b] = True
    tied = [i for i in range(len(ids)) if tied_mask[i]]
    alone = [ids[i] for i in range(len(ids)) if not tied_mask[i]]
    sub = {i: j for j, i in enumerate(tied)}
    g = ig.Graph(n=len(tied), edges=[(sub[a], sub[b]) for a, b in pairs])
    ig.set_random_number_generator(random.Random(seed))
    try:
        if g.vcount() > 1:
            # The grid variant is linear per step: 10,000 nodes in a quarter of a second. A small
            # layout settles long before igraph's 500 steps: on the Leeds maps 250 steps cross
            # as many ties (within the spread between seeds), in half the time.
            big = g.vcount() > 1000
            coords = np.asarray(
                g.layout_fruchterman_reingold(niter=500 if big else 250, grid="grid" if big else "nogrid").coords,
                dtype=float,
            )
        else:
            coords = np.zeros((g.vcount(), 2))
    finally:
        ig.set_random_number_generator(random)
    radius = np.array([sizes.get(ids[i], 10.0) * _SHAPE_REACH.get(shapes.get(ids[i], "dot"), 1.0) for i in tied])
    out: dict[str, tuple[float, float]] = {}
    if len(tied):
        coords -= coords.mean(axis=0)
        r = np.hypot(coords[:, 0], coords[:, 1])
        rmax = float(r.max()) or 1.0
        # A fisheye: force layouts pack the hubs into a knot in the middle; spreading the
        # middle (and drawing the rim in) gives the hubs and their names room.
        scale = np.where(r > 0, (r / rmax) ** 0.6 * rmax / np.where(r > 0, r, 1.0), 1.0)
        coords = coords * scale[:, None]
        span = np.abs(coords).max(axis=0)
        span[span == 0] = 1.0
        # Room for each node and its name: an area per node that grows with its size.
        side = 1.15 * math.sqrt(float(((2 * radius + 70.0) ** 2).sum()))
        aspect = _CANVAS[0] / _CANVAS[1]
        coords = coords / span * np.array([side * math.sqrt(aspect) / 2, side / math.sqrt(aspect) / 2])
        coords = _separate(coords, radius + 8.0, rounds=60 if len(tied) <= 5000 else 15)
        for i, (x, y) in zip(tied, coords, strict=True):
            out[ids[i]] = (round(float(x), 1), round(float(y), 1))
    top = max((y for _, y in out.values()), default=0.0) + 120.0
    left = min((x for x, _ in out.values()), default=0.0)
    width = max((x for x, _ in out.values()), default=0.0) - left
    pitch = 130.0  # a label's width apart: these are the records people look for
    per_row = max(4, int(width // pitch) + 1)
    for k, n in enumerate(alone):
        out[n] = (round(left + (k % per_row) * pitch, 1), round(top + (k // per_row) * 90.0, 1))
    return out


#: Overlap (pixels) :func:`_separate` leaves: below the tenth of a pixel positions are rounded to.
_OVERLAP_LEFT = 0.05


def _separate(xy: np.ndarray, radius: np.ndarray, rounds: int = 60) -> np.ndarray:
    """Push overlapping circles apart (a few relaxation rounds over close pairs).

    Overlaps of less than :data:`_OVERLAP_LEFT` are left: the positions are written to a
    tenth of a pixel. The close pairs are found on a grid (:func:`_grid_pairs`) with some
    slack, and found again only when two circles may have moved into reach of each other
    since: every round sees every overlapping pair.
    """
    xy = np.array(xy, dtype=float)
    n = len(xy)
    if n < 2:
        return xy
    x, y = xy[:, 0].copy(), xy[:, 1].copy()
    reach = 2 * float(radius.max())
    slack = reach / 2
    lx = ly = a = b = need_all = None
    for _ in range(rounds):
        if a is not None:
            mx, my = x - lx, y - ly
            moved = np.sqrt(mx * mx + my * my)
            # No pair can have come closer than the two largest moves together.
            far = float(moved.max()) + float(np.partition(moved, n - 2)[n - 2])
        if a is None or far > slack:
            lx, ly = x.copy(), y.copy()
            a, b = _grid_pairs(xy if a is None else np.column_stack([x, y]), reach + slack)
            need_all = radius[a] + radius[b] - _OVERLAP_LEFT
        dx, dy = x[b] - x[a], y[b] - y[a]
        dist = np.sqrt(dx * dx + dy * dy)
        over = np.flatnonzero(dist < need_all)
        if not len(over):
            break
        oa, ob, dx, dy, dist = a[over], b[over], dx[over], dy[over], dist[over]
        # Coincident points get a fixed direction, so the result stays deterministic.
        zero = dist < 1e-9
        dx[zero], dy[zero], dist[zero] = 1.0, 0.0, 1.0
        # Each of the two moves half the overlap, away from the other.
        f = (need_all[over] + _OVERLAP_LEFT - dist) / (2 * dist)
        px, py = f * dx, f * dy
        x += np.bincount(ob, px, minlength=n) - np.bincount(oa, px, minlength=n)
        y += np.bincount(ob, py, minlength=n) - np.bincount(oa, py, minlength=n)
    return np.column_stack([x, y])


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``starts[k], starts[k] + 1, …, starts[k] + counts[k] - 1`` for every ``k``, joined."""
    total = int(counts.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(counts)
    return np.arange(total, dtype=np.int64) + np.repeat(starts - (ends - counts), counts)


def _grid_pairs(xy: np.ndarray, reach: float) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of points at most ``reach`` apart, each once, in an order fixed by ``xy``.

    A uniform grid of cells at least ``reach`` wide: a close pair lies in one cell or in two
    neighbouring ones, so each cell is compared with itself and the four neighbours ahead
    of it. The work grows with the points and their close neighbours, not with all pairs.
    Returns the two ends of the pairs as two arrays (not in order of size: see
    :func:`_close_pairs`).
    """
    xy = np.asarray(xy, dtype=float)
    n = len(xy)
    if n < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    lo = xy.min(axis=0)
    span = float((xy.max(axis=0) - lo).max())
    # Wider cells are as correct, only slower: no more than 2**28 cells a side, so keys fit.
    cell = max(float(reach), span / 2**28)
    if not cell > 0:  # every point in one place and a reach of 0
        cell = 1.0
    c = np.floor((xy - lo) / cell).astype(np.int64)
    w = int(c[:, 1].max()) + 3  # row width: a neighbour above or below never wraps into the next column
    key = c[:, 0] * w + c[:, 1] + 1
    order = np.argsort(key)
    keys, start, count = np.unique(key[order], return_index=True, return_counts=True)
    cell_of = np.repeat(np.arange(len(keys)), count)
    xs, ys = xy[order, 0], xy[order, 1]
    pos = np.arange(n, dtype=np.int64)
    r2 = float(reach) * float(reach)
    found_i, found_j = [], []

    def close(m: np.ndarray, starts: np.ndarray) -> None:
        i, j = np.repeat(pos, m), _ranges(starts, m)
        dx, dy = xs[j] - xs[i], ys[j] - ys[i]
        near = np.flatnonzero(dx * dx + dy * dy <= r2)
        found_i.append(i[near])
        found_j.append(j[near])

    # The same cell: each point with the points after it.
    close((start + count)[cell_of] - pos - 1, pos + 1)
    # The neighbours ahead (the next cell in the column, the three in the next column): with
    # the cell itself they meet every close pair once.
    for off in (1, w - 1, w, w + 1):
        k = np.minimum(np.searchsorted(keys, keys + off), len(keys) - 1)
        m = np.where(keys[k] == keys + off, count[k], 0)
        close(m[cell_of], start[k][cell_of])
    return order[np.concatenate(found_i)], order[np.concatenate(found_j)]


def _close_pairs(xy: np.ndarray, reach: float) -> np.ndarray:
    """Every pair ``(i, j)``, ``i < j``, of points at most ``reach`` apart, sorted by ``i`` then ``j``.

    Found on a grid (:func:`_grid_pairs`): for the 100,000 points of a big map, about as fast
    as a k-d tree's query of pairs.

    >>> _close_pairs(np.array([[0.0, 0.0], [3.0, 4.0], [9.0, 0.0]]), 5.0).tolist()
    [[0, 1]]
    """
    i, j = _grid_pairs(xy, reach)
    n = len(xy)
    pair = np.sort(np.minimum(i, j) * n + np.maximum(i, j))
    return np.stack([pair // n, pair % n], axis=1)


def _band_of(d: dict, n: str, unit_ids: set[str], levels: tuple[str, ...]) -> tuple:
    kind = d.get("kind")
    if n in unit_ids:
        return ("units",)
    if kind == schema.BOARD:
        level = schema.normalise_term(str(d.get("level", "")))
        return ("level", levels.index(level)) if level in levels else ("level", None)
    return ("type", str(d.get("type", "")).strip().lower() or "other")


def governance_layout(
    H: nx.MultiDiGraph,
    place: Place | None = None,
    unit_ids: set[str] | None = None,
    notes: dict[str, str] | None = None,
    *,
    canvas: tuple[float, float] = _CANVAS,
) -> dict:
    """A tidy tree of the reporting lines: levels in rows, children under their parents.

    Rows follow the place profile's ``levels`` (boards of one level share a band, top first),
    the local units have a row of their own, and other partnerships sit in the row of the
    bands they report to. Inside a band, a body under another of the same level goes a row
    lower. Each node hangs under its nearest parent; siblings are centred under it as closely
    as the row allows (least squares with a minimum gap), and parents are then centred over
    their children. A row too wide for the screen is folded into staggered lanes; the fold
    and the box width are chosen to make the names largest on a 1366×768 screen.

    Parameters
    ----------
    H : networkx.MultiDiGraph
        The governance view (:func:`map_graph` with ``view="governance"``).
    place : Place, optional
        The place profile (its ``levels`` and unit words); default: ``H``'s.
    unit_ids : set of str, optional
        The local units; default: :func:`lcpgraph.views.units` of ``H``.
    notes : dict, optional
        A last line for some boxes (a unit's member count), under the wrapped name.
    canvas : (float, float)
        The map area the layout is fitted to, in pixels.

    Returns
    -------
    dict
        ``positions`` (id -> (x, y) of the box centre), ``heights`` (id -> the box height),
        ``rows`` (``{"name", "y0", "y1"}`` bands, top first), ``box`` (``{"width", "gutter"}``)
        and ``lines`` (id -> the label's lines). Boxes never overlap.
    """
    place = place or place_of(H)
    unit_ids = set(views.units(H)) if unit_ids is None else set(unit_ids)
    levels = tuple(schema.normalise_term(x) for x in place.levels)
    nodes = sorted(H)
    notes = notes or {}
    name = {n: str(H.nodes[n].get("name", n)) for n in nodes}
    band = {n: _band_of(H.nodes[n], n, unit_ids, levels) for n in nodes}
    parents: dict[str, set[str]] = {n: set() for n in nodes}
    for u, v, d in H.edges(data=True):
        if _upward(d) and u != v:
            parents[u].add(v)

    # 1. Order the bands: the place's levels top first, then whatever the lines say (a band
    #    goes below the bands it reports to); a line that would close a loop is ignored.
    bands = sorted(set(band.values()), key=_band_key)
    order = nx.DiGraph()
    order.add_nodes_from(bands)
    level_bands = [b for b in bands if b[0] == "level" and b[1] is not None]
    order.add_edges_from(itertools.pairwise(level_bands))
    for u in nodes:
        for v in sorted(parents[u]):
            a, b = band[v], band[u]
            if a != b and not order.has_edge(a, b) and not nx.has_path(order, b, a):
                order.add_edge(a, b)
    depth: dict[tuple, int] = {}
    for b in nx.lexicographical_topological_sort(order, key=_band_key):
        depth[b] = 1 + max((depth[p] for p in order.predecessors(b)), default=-1)

    # 2. Rows: one per band depth, with a sub-row per step of a line inside it.
    group = {n: depth[band[n]] for n in nodes}
    inner = nx.DiGraph()
    inner.add_nodes_from(nodes)
    for u in nodes:
        for v in sorted(parents[u]):
            if group[u] == group[v] and not nx.has_path(inner, u, v):
                inner.add_edge(v, u)
    sub: dict[str, int] = {}
    for n in nx.lexicographical_topological_sort(inner):
        sub[n] = 1 + max((sub[p] for p in inner.predecessors(n)), default=-1)
    rows_of: dict[tuple[int, int], list[str]] = defaultdict(list)
    for n in nodes:
        rows_of[(group[n], sub[n])].append(n)
    row_keys = sorted(rows_of)
    rank = {k: i for i, k in enumerate(row_keys)}
    row = {n: rank[(group[n], sub[n])] for n in nodes}
    # A node hangs under its nearest parent above.
    primary: dict[str, str | None] = {}
    for n in nodes:
        above = [p for p in parents[n] if row[p] < row[n]]
        primary[n] = min(above, key=lambda p: (-row[p], name[p].casefold(), p)) if above else None

    # 3. Try box widths and folds; keep the one that draws the names largest on the screen.
    longest = max((_text_width(w, _BOX_FONT) for n in nodes for w in name[n].split()), default=60.0)
    narrowest = max(120.0, math.ceil(longest + 4 * _BOX_MARGIN + 6))
    widest = max((len(v) for v in rows_of.values()), default=1)
    if len(nodes) <= 400:
        caps = sorted({widest, *range(3, widest)})
        widths = [narrowest, narrowest + 30, narrowest + 60]
    else:
        caps = [max(6, int(math.sqrt(len(nodes) * 2)))]
        widths = [narrowest]
    # The folds do not depend on the box width and the x positions only scale with it: each
    # fold is placed once at a pitch of 1, and the one chosen again at its own pitch.
    folds = {cap: _place_rows(row_keys, rows_of, row, primary, name, 1.0, cap) for cap in caps}
    spans = {cap: (max(xs.values()) - min(xs.values())) if xs else 0.0 for cap, (xs, _, _) in folds.items()}
    best = None
    for box_w in widths:
        # vis-network wraps a box's label at the width constraint less the margins on both
        # sides, and the constraint is itself the box less its margins (measured); a little
        # slack more for fonts a touch wider than Arial.
        text_w = box_w - 4 * _BOX_MARGIN - 4
        lines = {n: _wrap(name[n], text_w, _BOX_FONT) + ([notes[n]] if notes.get(n) else []) for n in nodes}
        row_h = [max(len(lines[n]) for n in rows_of[k]) * _BOX_LINE + 2 * _BOX_MARGIN for k in row_keys]
        pitch_x = box_w + _BOX_GAP_X
        gutter = 150.0
        for cap in caps:
            lanes = folds[cap][1]
            width = spans[cap] * pitch_x + box_w
            height = sum(lanes[i] * (row_h[i] + _BOX_GAP_Y) for i in range(len(row_keys)))
            scale = min(canvas[0] / (1.06 * (width + gutter)), canvas[1] / (1.06 * height))
            # Past full size a larger picture reads no better: then fold as little as possible.
            score = (round(min(scale, 1.0), 6), -sum(lanes.values()), -box_w)
            if best is None or score > best[0]:
                best = (score, box_w, gutter, lines, row_h, cap)
    assert best is not None
    _, box_w, gutter, lines, row_h, cap = best
    xs, lanes, lane_of = _place_rows(row_keys, rows_of, row, primary, name, box_w + _BOX_GAP_X, cap)
    x0 = min(xs.values(), default=0.0)
    top: dict[int, float] = {}
    y = 0.0
    for i in range(len(row_keys)):
        top[i] = y
        y += lanes[i] * (row_h[i] + _BOX_GAP_Y)
    positions, heights = {}, {}
    for n in nodes:
        i = row[n]
        cy = top[i] + lane_of[n] * (row_h[i] + _BOX_GAP_Y) + (row_h[i] + _BOX_GAP_Y) / 2
        positions[n] = (round(xs[n] - x0, 1), round(cy, 1))
        heights[n] = round(row_h[i], 1)
    rows = []
    for g in sorted({k[0] for k in row_keys}):
        idx = [rank[k] for k in row_keys if k[0] == g]
        here = {band[n] for n in nodes if group[n] == g}
        rows.append(
            {
                "name": _band_name(here, place, levels),
                "y0": round(top[idx[0]], 1),
                "y1": round(top[idx[-1]] + lanes[idx[-1]] * (row_h[idx[-1]] + _BOX_GAP_Y), 1),
            }
        )
    return {
        "positions": positions,
        "heights": heights,
        "rows": rows,
        "box": {"width": box_w, "gutter": gutter, "margin": _BOX_MARGIN},
        "lines": lines,
    }


def _band_key(b: tuple) -> tuple:
    """Preference among bands the lines do not order: levels top first, then units, then others."""
    if b[0] == "level":
        return (0, b[1] if b[1] is not None else 99, "")
    if b[0] == "units":
        return (1, 0, "")
    return (2, 0, b[1])


def _band_name(bands: set[tuple], place: Place, levels: tuple[str, ...]) -> list[str]:
    """A row's name as lines: its main band, then "and other partnerships" when mixed."""
    main = sorted(bands, key=_band_key)
    first = main[0]
    if first[0] == "units":
        head = place.units_title
    elif first[0] == "level":
        head = levels[first[1]].capitalize() if first[1] is not None else "Other boards"
    else:
        head = first[1].capitalize()
    rest = [b for b in main[1:]]
    if not rest:
        return [head]
    if all(b[0] == "type" for b in rest):
        return [head, "and other partnerships"]
    return [head, "and other bodies"]


def _place_rows(row_keys, rows_of, row, primary, name, pitch: float, cap: int):
    """x of every node, row by row from the top: each sibling group centred under its parent.

    A row of more than ``cap`` nodes is folded into lanes, read left to right and top to
    bottom (the first ``c`` in its order in the first lane, the next ``c`` in the second…).
    Returns the x positions, the number of lanes of each row and each node's lane.
    """
    xs: dict[str, float] = {}
    lanes: dict[int, int] = {}
    lane_of: dict[str, int] = {}
    chunks_of: dict[int, list[list[str]]] = {}

    def place(chunk: list[str], desired: list[float]) -> None:
        for n, x in zip(chunk, _isotonic(desired, pitch), strict=True):
            xs[n] = x

    for i, key in enumerate(row_keys):
        members = sorted(
            rows_of[key],
            key=lambda n: (
                primary[n] is None,
                xs[primary[n]] if primary[n] is not None else 0.0,
                name[n].casefold(),
                n,
            ),
        )
        k = max(1, math.ceil(len(members) / cap))
        c = math.ceil(len(members) / k)
        chunks = [members[t * c : (t + 1) * c] for t in range(k)]
        chunks = [ch for ch in chunks if ch]
        lanes[i] = len(chunks)
        chunks_of[i] = chunks
        right = max(xs.values(), default=-pitch)
        for t, chunk in enumerate(chunks):
            groups: dict[str, list[int]] = defaultdict(list)
            for j, n in enumerate(chunk):
                if primary[n] is not None:
                    groups[primary[n]].append(j)
            desired = [xs[primary[n]] if primary[n] is not None else 0.0 for n in chunk]
            for js in groups.values():
                mid = (len(js) - 1) / 2
                for q, j in enumerate(js):
                    desired[j] += (q - mid) * pitch
            last = max((desired[j] for js in groups.values() for j in js), default=right)
            for j, n in enumerate(chunk):
                lane_of[n] = t
                if primary[n] is None:  # no line up: at the end of the row, where a gap shows
                    last += pitch
                    desired[j] = last
            place(chunk, desired)
    # Parents over their children, where their lane leaves room.
    kids: dict[str, list[str]] = defaultdict(list)
    for n, p in primary.items():
        if p is not None:
            kids[p].append(n)
    for _ in range(2):
        for i in reversed(range(len(row_keys))):
            for chunk in chunks_of[i]:
                mid = []
                for n in chunk:
                    at = [xs[c] for c in kids[n]] if n in kids else None
                    mid.append((min(at) + max(at)) / 2 if at else xs[n])
                place(chunk, mid)
    return xs, lanes, lane_of


def _isotonic(desired: list[float], gap: float) -> list[float]:
    """Positions as close as possible (least squares) to ``desired`` keeping order and ``gap``.

    Pool-adjacent-violators on ``desired[i] - i * gap``.

    >>> _isotonic([0.0, 0.0, 10.0], 4.0)
    [-2.0, 2.0, 10.0]
    """
    blocks: list[list[float]] = []  # [sum, count]
    for i, d in enumerate(desired):
        blocks.append([d - i * gap, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, c = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += c
    out: list[float] = []
    for s, c in blocks:
        out += [s / c] * int(c)
    return [v + i * gap for i, v in enumerate(out)]


# --------------------------------------------------------------------------------------
# measures in words


def _percentiles(measures: pd.DataFrame, columns=("degree", "betweenness", "pagerank")) -> dict[str, list[int]]:
    """For each record, the share (0-100) of the network with a lower value of each measure."""
    out: dict[str, list[int]] = {}
    if not len(measures):
        return out
    cols = []
    for c in columns:
        v = measures[c].to_numpy(dtype=float)
        srt = np.sort(v)
        cols.append(np.floor(100.0 * np.searchsorted(srt, v, side="left") / len(v)).astype(int))
    for i, n in enumerate(measures["id"].tolist()):
        out[n] = [int(c[i]) for c in cols]
    return out


# --------------------------------------------------------------------------------------
# the tour

#: Columns of a tour CSV: ``caption`` is required; the others are optional.
TOUR_COLUMNS: tuple[str, ...] = ("caption", "focus", "unit", "sector", "kind", "gaps")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


def read_tour(path: str | Path, G: nx.MultiDiGraph, H: nx.MultiDiGraph | None = None) -> list[dict]:
    """Read a guided tour: one step per row of a CSV file.

    Columns (:data:`TOUR_COLUMNS`): ``caption`` (what to say; required), ``focus`` (a record
    to highlight with its neighbours, by name or id; several separated by ``;``), ``unit``
    (show only that local unit's members), ``sector``, ``kind`` (``organisation``,
    ``partnership``, ``board``, ``person`` or ``unit``) and ``gaps`` (``yes`` shows only gaps).

    Parameters
    ----------
    path : str or Path
        The CSV file (UTF-8, with or without Excel's byte-order mark).
    G : networkx.MultiDiGraph
        The graph the map is drawn from.
    H : networkx.MultiDiGraph, optional
        The records on the map (default ``G``): a step can only point at what is drawn.

    Returns
    -------
    list of dict
        Steps as the page reads them.

    Raises
    ------
    ValidationError
        Listing every bad cell with its file, row (the header is row 1) and column.
    """
    H = G if H is None else H
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LcpGraphError(f"cannot read the tour {p}: {exc}") from exc
    rows = list(csv.reader(io.StringIO(text)))
    where = str(p)
    if not rows or not any(c.strip() for c in rows[0]):
        raise ValidationError([Problem(where, None, None, "the tour is empty: it needs a header row with 'caption'")])
    head = [schema.normalise_term(c).replace(" ", "_") for c in rows[0]]
    problems = [
        Problem(where, 1, c, f"unknown column; a tour has: {', '.join(TOUR_COLUMNS)}")
        for c in head
        if c and c not in TOUR_COLUMNS
    ]
    if "caption" not in head:
        problems.append(Problem(where, 1, None, "the tour has no 'caption' column"))
    if problems:
        raise ValidationError(problems)
    place = place_of(G)
    unit_set = {u for u in views.units(G) if u in H}
    sectors = sorted({str(d.get("sector")) for _, d in H.nodes(data=True) if d.get("sector")})
    kinds = [*schema.NODE_KINDS, "unit"]
    steps = []
    for r, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        cell = {c: (row[i].strip() if i < len(row) else "") for i, c in enumerate(head) if c}
        step = {"caption": cell.get("caption", ""), "focus": [], "unit": "", "sector": "", "kind": "", "gaps": False}
        if not step["caption"]:
            problems.append(Problem(where, r, "caption", "the caption is empty"))
        for want in [w.strip() for w in cell.get("focus", "").split(";") if w.strip()]:
            try:
                step["focus"].append(resolve_node(H, want, schema.NODE_KINDS, "record on this map"))
            except NotFoundError as exc:
                problems.append(Problem(where, r, "focus", str(exc)))
        if cell.get("unit"):
            try:
                u = resolve_node(H, cell["unit"], (schema.PARTNERSHIP,), place.unit)
                if u not in unit_set:
                    raise NotFoundError(f"'{cell['unit']}' is a partnership but not a {place.unit}")
                step["unit"] = u
            except NotFoundError as exc:
                problems.append(Problem(where, r, "unit", str(exc)))
        if cell.get("sector"):
            s = schema.normalise_term(cell["sector"])
            match = [x for x in sectors if schema.normalise_term(x) == s]
            if match:
                step["sector"] = match[0]
            else:
                near = closest(cell["sector"], sectors)
                hint = f"; did you mean '{near[0]}'?" if near else ""
                problems.append(
                    Problem(where, r, "sector", f"no record on this map has sector '{cell['sector']}'{hint}")
                )
        if cell.get("kind"):
            k = schema.normalise_term(cell["kind"])
            if k in kinds:
                step["kind"] = k
            else:
                problems.append(Problem(where, r, "kind", f"kind '{cell['kind']}' is not one of: {', '.join(kinds)}"))
        g = cell.get("gaps", "").lower()
        if g in _YES:
            step["gaps"] = True
        elif g not in _NO:
            problems.append(Problem(where, r, "gaps", f"'{cell['gaps']}' is not yes or no"))
        steps.append(step)
    if not steps and not problems:
        problems.append(Problem(where, None, None, "the tour has no steps"))
    if problems:
        raise ValidationError(problems)
    return steps


def default_tour(G: nx.MultiDiGraph, H: nx.MultiDiGraph | None = None) -> list[dict]:
    """An induction walk-through from the governance structure, in the place's words.

    The whole map; the top board (the one most bodies report up to); the board the local
    units report to; the local units; one unit and its members (the largest unit). Steps
    about records not on the map are left out.
    """
    return _default_tour(_Views(G), G if H is None else H)


def _default_tour(vw: _Views, H) -> list[dict]:
    G, place, up, members = vw.G, vw.place, vw.lines, vw.members
    unit_ids = sorted(u for u in vw.unit_ids if u in H)
    name = {n: str(G.nodes[n].get("name", n)) for n in H}
    blank = {"focus": [], "unit": "", "sector": "", "kind": "", "gaps": False}
    partners = sum(1 for n in H if H.nodes[n].get("kind") in views.PARTNER_KINDS)
    where = place.name or "this place"
    steps = [
        {
            **blank,
            "caption": f"The partnerships of {where}: {partners} partners, {len(unit_ids)} {place.units}"
            " and the boards they report to. Click any record to see who it is.",
        }
    ]
    boards = [b for b in nodes_of_kind(G, schema.BOARD) if b in H and b in up]
    top = max(boards, key=lambda b: (len(nx.ancestors(up, b)), -len(nx.descendants(up, b)), name[b]), default=None)
    if top is not None and nx.ancestors(up, top):
        steps.append(
            {
                **blank,
                "focus": [top],
                "caption": f"{name[top]}: the top board. {len(nx.ancestors(up, top))} partnerships and boards "
                "report up to it.",
            }
        )
    unit_set = set(unit_ids)
    feeds = {b: sum(1 for c in up.predecessors(b) if c in unit_set) for b in boards}
    prog = max(
        (b for b in boards if feeds[b]),
        key=lambda b: (feeds[b], len(nx.descendants(up, b)), name[b]),
        default=None,
    )
    if prog is not None and prog != top:
        steps.append(
            {
                **blank,
                "focus": [prog],
                "caption": f"{name[prog]}: {feeds[prog]} of the {len(unit_ids)} {place.units} report to it.",
            }
        )
    if unit_ids:
        steps.append(
            {
                **blank,
                "focus": list(unit_ids),
                "kind": "unit",
                "caption": f"The {len(unit_ids)} {place.units} ({place.unit_plural or place.unit_singular + 's'}):"
                " each brings the partners of one area together.",
            }
        )
        biggest = max(unit_ids, key=lambda u: (len(members.get(u, [])), name[u]))
        n_members = len(members.get(biggest, []))
        shown = sum(1 for m in members.get(biggest, []) if m in H)
        steps.append(
            {
                **blank,
                "focus": [biggest],
                "unit": biggest if shown else "",
                "caption": f"{name[biggest]}: {n_members} members — the partners who sit in it, support it, "
                "or sit in a part of it.",
            }
        )
    return steps


# --------------------------------------------------------------------------------------
# the page


def _json_for_script(obj: object) -> str:
    """JSON safe inside a <script> element: no '<', '>', '&' or line separators as such."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for ch, rep in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, rep)
    return text


def _asset_bytes(name: str) -> bytes:
    """A file of pyvis's bundled vis-network, without its source-map comment, as UTF-8 bytes.

    Bytes, because a report only copies vis-network beside its maps: decoding its 470 KB and
    encoding them again took longer than drawing a map.
    """
    import importlib.util

    try:
        # Found without importing pyvis: importing it imports IPython (0.4 s of a 1 s report).
        spec = importlib.util.find_spec("pyvis")
        if spec is None or not spec.submodule_search_locations:
            raise ModuleNotFoundError("the pyvis package is not installed")
        data = Path(spec.submodule_search_locations[0], *_VIS_DIR, name).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError, OSError) as exc:
        raise LcpGraphError(
            f"the map needs vis-network {_VIS_DIR[1]} from the pyvis package ({'/'.join(_VIS_DIR)}/{name}), "
            f"and it is missing ({exc}); install the pyvis version setup.cfg names: pip install 'pyvis>=0.3.2,<0.4'"
        ) from exc
    return _without_lines(data, b"sourceMappingURL")


def _without_lines(data: bytes, mark: bytes) -> bytes:
    r"""``data`` with line ends as text mode reads them (pyvis ships vis-network with CRLF) and
    without the lines holding ``mark`` (the source-map comment, which would make developer
    tools fetch a missing file). Cut where ``mark`` is, not line by line: the files are large
    and the comment is one line at the end.

    >>> _without_lines(b"a\r\nb //# mark\r\nc", b"mark"), _without_lines(b"a\nb mark", b"mark")
    (b'a\nc', b'a')
    """
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    k = data.rfind(mark)
    while k != -1:
        start, end = data.rfind(b"\n", 0, k) + 1, data.find(b"\n", k)
        if end != -1:  # a line with a line end after it: both go
            data = data[:start] + data[end + 1 :]
        else:  # the last line: it goes with the line end before it
            data = data[: max(start - 1, 0)]
        k = data.rfind(mark, 0, start)
    return data


def _asset(name: str) -> str:
    """:func:`_asset_bytes` as text."""
    return _asset_bytes(name).decode("utf-8")


def _vis_css() -> str:
    """Only the tooltip rules of vis-network's stylesheet: the rest styles editing and navigation
    controls this page does not use, and is 200 KB of inlined images."""
    return "\n".join(_rules_selecting(_asset("vis-network.css"), "tooltip"))


def _rules_selecting(css: str, word: str) -> list[str]:
    """The rules ``selector { body }`` of ``css`` whose selector holds ``word``, stripped, in order.

    A rule is a run without braces, ``{``, a run without braces and ``}`` (so the rules inside
    an ``@media`` block count, the block itself does not). Only the places ``word`` occurs
    are looked at: the stylesheet is 200 KB, the rules wanted a handful.

    >>> _rules_selecting("a{x} .tip b {y} @media {.tip {z}} c{.tip}", "tip")
    ['.tip b {y}', '.tip {z}']
    """
    rules: list[str] = []
    k = css.find(word)
    while k != -1:
        start = max(css.rfind("{", 0, k), css.rfind("}", 0, k)) + 1
        opens, closes = css.find("{", k), css.find("}", k)
        end = css.find("}", opens) if opens != -1 and (closes == -1 or opens < closes) else -1
        if end != -1 and "{" not in css[opens + 1 : end]:  # a selector, and its body has no braces
            rules.append(css[start : end + 1].strip())
            k = css.find(word, end + 1)
        else:  # in a body, or a block holding rules
            k = css.find(word, k + 1)
    return rules


def _template(name: str) -> str:
    return resources.files("lcpgraph.render").joinpath("templates", name).read_text(encoding="utf-8")


def _edge_style(kind: str) -> dict:
    """vis-network edge style for a relationship kind, from its schema style."""
    spec = schema.RELATIONSHIP_KINDS.get(kind)
    st = spec.style if spec else schema.DERIVED_STYLE
    return {
        "color": st.color,
        "dashes": list(st.dashes) or False,
        "arrows": "to" if st.arrow else "",
        "width": st.width,
    }


#: Above this many records a map on its own leaves the "for this partner" advice out.
ADVICE_LIMIT = 3000


class MapBuilder:
    """Draws many maps of one graph, doing the work they share once.

    Measures, their percentiles, gap flags, memberships, colours, the whole network's layout
    and the vis-network script are computed or read once, on first use; each map then costs
    what its own records cost, so a report's per-unit maps grow with the unit, not the region.

    >>> import lcpgraph, tempfile, pathlib
    >>> b = MapBuilder(lcpgraph.load())
    >>> out = b.write(pathlib.Path(tempfile.mkdtemp()) / "g.html", view="governance")
    >>> out.name
    'g.html'
    """

    def __init__(self, G: nx.MultiDiGraph, measures: pd.DataFrame | None = None, tables: dict | None = None) -> None:
        self.G = G
        self._given_measures = measures
        self._tables = tables
        self.views = _Views(G)
        self.place = self.views.place
        self.unit_ids = self.views.unit_ids
        self.memberships = self.views.memberships
        self.members = self.views.members
        self.node_units = self.views.node_units
        self.palette = sector_palette(list(G.graph.get("sectors", schema.SECTORS)))

    # --- shared work, done once and only when a map needs it

    @cached_property
    def measures(self) -> pd.DataFrame:
        from lcpgraph.analysis.centrality import centrality

        return centrality(self.G) if self._given_measures is None else self._given_measures

    @cached_property
    def meas(self) -> dict[str, dict]:
        # Plain dicts: a pandas lookup per node would dominate the time on big maps.
        m = self.measures
        cols = [c for c in m.columns if c != "id"]
        rows = zip(*(m[c].tolist() for c in cols), strict=True)
        return {n: dict(zip(cols, row, strict=True)) for n, row in zip(m["id"].tolist(), rows, strict=True)}

    @cached_property
    def pct(self) -> dict[str, list[int]]:
        return _percentiles(self.measures)

    @cached_property
    def gaps(self) -> dict[str, str]:
        """Partners of the place's focus sectors that are isolated or peripheral.

        A report's maps flag the partners its own gap tables list (passed as ``tables``).
        """
        from lcpgraph.analysis.gaps import isolated_partners, peripheral_partners

        t = self._tables or {}
        if "isolated_partners" in t and "peripheral_partners" in t:
            isolated, peripheral = t["isolated_partners"], t["peripheral_partners"]
        else:
            focus = self.place.focus_sectors
            isolated, peripheral = isolated_partners(self.G, focus), peripheral_partners(self.G, focus)
        flags = dict.fromkeys(isolated["id"].tolist(), "isolated")
        flags.update(dict.fromkeys(peripheral["id"].tolist(), "peripheral"))
        return flags

    @cached_property
    def advice(self) -> dict[str, list[str]]:
        """What to do, per record, for the details panel ("for this partner").

        Made from the recommendation tables: the report passes the ones it has made; a map on
        its own makes them only for a network small enough to do so at once (they take seconds
        per 10,000 records).
        """
        from lcpgraph.analysis import recommend

        if self._tables is None and self.G.number_of_nodes() > ADVICE_LIMIT:
            return {}
        return {n: recommend.for_partner(self.G, n, self._tables) for n in self.G}

    @cached_property
    def records(self) -> dict[str, dict]:
        """Record id -> its map entry's fixed part (:func:`_record`), filled as maps are drawn."""
        return {}

    @cached_property
    def survey_edges(self) -> dict[tuple[str, str], dict]:
        """Width by intensity and colour by trust for the pairs the partner survey rated."""
        if self.G.graph.get("ratings_table") is None:
            return {}
        from lcpgraph.survey.render import edge_styles

        return edge_styles(self.G)

    @cached_property
    def assets(self) -> dict[str, str]:
        return {"VIS_CSS": _vis_css(), "APP_JS": _template("map.js"), "PAGE": _template("map.html")}

    @cached_property
    def vis_js(self) -> bytes:
        """vis-network's script (UTF-8), read only by maps that carry it or write it beside them."""
        return _asset_bytes("vis-network.min.js")

    def above(self, forum: str) -> list[str]:
        """The partnerships and boards ``forum`` reports up to, nearest first."""
        return self.views.above(forum)

    def network_positions(self, size_by: str = "degree", seed: int = 1) -> dict[str, tuple[float, float]]:
        """The whole network's layout (computed once per measure and seed)."""
        cache = self.__dict__.setdefault("_layouts", {})
        if (size_by, seed) not in cache:
            sizes = self.sizes(self.G, size_by)
            cache[(size_by, seed)] = _force_layout(views.simple_graph(self.G), seed, sizes)
        return cache[(size_by, seed)]

    def sizes(self, H: nx.Graph, size_by: str = "degree") -> dict[str, float]:
        """Node radius by a measure (square root, so area follows the measure); gaps at least medium."""
        meas = self.meas
        values = {n: float(meas[n][size_by]) if n in meas else 0.0 for n in H}
        top = max(values.values(), default=0.0) or 1.0
        out = {}
        for n, v in values.items():
            s = 8 + 26 * math.sqrt(max(v, 0.0) / top)
            if n in self.gaps:
                s = max(s, 16.0)  # an isolated partner must be easy to find, not the smallest dot
            out[n] = round(s, 2)
        return out

    def fill(self, n: str, d: dict) -> str:
        sector = d.get("sector", "")
        if sector and sector in self.palette:
            return self.palette[sector]["color"]
        if n in self.unit_ids:
            return _UNIT_FILL
        return _KIND_FILL.get(d.get("kind", ""), "#777777")

    # --- writing

    def write(self, path: str | Path, **options) -> Path:
        """Write one map (options as for :func:`render_map`) and return its path."""
        return _render(self, path, **options)

    def write_assets(self, folder: str | Path, *, overwrite: bool = False) -> Path:
        """Write vis-network and the page's own script once into ``folder``, for maps written
        with ``vis_js_href`` (which then load both from there).

        Returns vis-network's path (``folder/vis-network.min.js``).
        """
        head = (
            f"/* <!-- {GENERATOR} --> vis-network {_VIS_DIR[1].split('-')[1]} from pyvis, shared by the maps here */\n"
        )
        app_head = f"/* <!-- {GENERATOR} --> the map page's script, shared by the maps here */\n"
        write_text(Path(folder) / APP_JS_NAME, app_head + self.assets["APP_JS"], overwrite=overwrite, sync=False)
        return write_bytes(
            Path(folder) / VIS_JS_NAME, head.encode("utf-8") + self.vis_js, overwrite=overwrite, sync=False
        )


def node_styles(
    G: nx.MultiDiGraph, measures: pd.DataFrame | None = None, *, size_by: str = "degree", seed: int = 1
) -> dict[str, dict]:
    """How the network map draws each record: ``{id: {"x", "y", "color", "size"}}``.

    The same seeded layout, sector colours and sizes as :func:`render_map`'s network view, for
    exports that keep the look (GEXF ``viz:position``/``viz:color``/``viz:size``, GraphML
    ``x``/``y``/``color``). ``color`` is ``#RRGGBB``; ``y`` grows downwards, as on screen.

    Examples
    --------
    >>> import lcpgraph
    >>> s = node_styles(lcpgraph.load())
    >>> sorted(s["org-forum-central"])
    ['color', 'size', 'x', 'y']
    """
    b = MapBuilder(G, measures)
    pos = b.network_positions(size_by, seed)
    sizes = b.sizes(G, size_by)
    return {n: {"x": pos[n][0], "y": pos[n][1], "color": b.fill(n, G.nodes[n]), "size": sizes[n]} for n in sorted(G)}


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
        A loaded partnership graph (hide people first with :func:`lcpgraph.privacy.hide_people`),
        or a change graph (:func:`lcpgraph.diff.changes_graph`) for a map of what changed.
    path : str or Path
        Where to write the page (written atomically; the folder is created).
    measures : pandas.DataFrame, optional
        Precomputed :func:`lcpgraph.analysis.centrality.centrality` of ``G`` (saves time).
    view : {"network", "governance", "unit", "partner"}
        ``network``: everything. ``governance``: boards, local units and reporting lines as a
        tree, levels in rows. ``unit``: one local unit (``name``), its members, the boards above
        it and the units that share members with it. ``partner``: one organisation and its ties.
    name : str, optional
        The unit or partner for those views, by id or name (case-insensitive).
    size_by : str
        ``degree``, ``weighted_degree``, ``betweenness``, ``closeness``, ``eigenvector`` or
        ``pagerank`` (computed on the whole network).
    aggregate : bool
        Draw forums only (partnerships and boards), tied by the members they share: for
        networks too big to draw partner by partner.
    title : str, optional
        Page title; a sensible one is made from the view.
    seed : int
        Seed of the layout (same seed, same picture).
    show_ended : bool
        Also draw relationships that ended before the graph's day.
    tour : str, Path, bool or None
        A guided tour: a CSV file (see :func:`read_tour`), ``True`` for the default tour
        (:func:`default_tour`), ``False`` for none. ``None`` (the default) gives the network
        and governance views the default tour.
    vis_js_href : str, optional
        Load vis-network from this relative address (see :meth:`MapBuilder.write_assets`)
        instead of inlining it: a report's maps share one copy.
    overwrite : bool
        Replace ``path`` even if lcpgraph did not write it.
    sync : bool
        Flush the page to the disk before it takes the place of ``path`` (default). A report
        writing into its staging folder skips it: the folder is swapped in as a whole.

    Returns
    -------
    Path
        ``path``. Nothing is opened.

    Raises
    ------
    NotFoundError
        When ``name`` matches no unit or partner; the message lists the closest.
    ValidationError
        When the tour file has bad rows (each with its file, row and column).
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
    title: str | None = None,
    seed: int = 1,
    show_ended: bool = False,
    tour: str | Path | bool | None = None,
    vis_js_href: str | None = None,
    overwrite: bool = False,
    sync: bool = True,
) -> Path:
    from lcpgraph.analysis.centrality import MEASURES

    G = b.G
    if size_by not in MEASURES:
        raise LcpGraphError(f"cannot size by '{size_by}'; choose one of: {', '.join(MEASURES)}")
    if view not in VIEWS:
        raise LcpGraphError(f"view '{view}' is not known; choose one of: {', '.join(VIEWS)}")
    if vis_js_href is not None and (re.match(r"^[a-z][a-z0-9+.-]*:|^//", vis_js_href, re.I) or '"' in vis_js_href):
        raise LcpGraphError(f"vis_js_href must be a relative address next to the map, not '{vis_js_href}'")
    place = b.place
    if aggregate and view == "network":
        # The forums of the whole graph: no need to copy every partner first.
        H = _ForumsOf(G, show_ended)
    else:
        H = _view_graph(b.views, view, name, show_ended)
    focus = None
    if view in ("unit", "partner"):
        kinds = (schema.PARTNERSHIP,) if view == "unit" else (schema.ORGANISATION, schema.PERSON)
        focus = resolve_node(G, name or "", kinds, view)
    if aggregate:
        H = _aggregate(G, H, b.views)
    changes = any("change" in d for _, d in H.nodes(data=True))
    gov = view == "governance" and not aggregate

    def label(n: str) -> str:
        return str(G.nodes[n].get("name", n)) if n in G else str(H.nodes[n].get("name", n))

    # Sizes, layout and measures.
    if aggregate:
        counts = {n: float(H.nodes[n].get("members", 0)) for n in H}
        top = max(counts.values(), default=0.0) or 1.0
        sizes = {n: round(10 + 26 * math.sqrt(v / top), 2) for n, v in counts.items()}
        value = counts
    else:
        sizes = b.sizes(H, size_by)
        value = {n: float(b.meas[n][size_by]) if n in b.meas else 0.0 for n in H}
    layout = None
    if gov:
        notes = {}
        for u in (n for n in H if n in b.unit_ids):
            k = len(b.members.get(u, []))
            notes[u] = f"{k} member{'s' if k != 1 else ''}"
        layout = governance_layout(H, place, b.unit_ids, notes)
        positions = layout["positions"]
    elif view == "network" and not aggregate and set(H) == set(G):
        positions = b.network_positions(size_by, seed)
    else:
        positions = _force_layout(H, seed, sizes)

    # Who gets a label first when there is no room for all: the subject of the page, then the
    # most central records by the measure the map is sized by (local units win ties).
    order = sorted(H, key=lambda n: (n != focus, -value.get(n, 0.0), n not in b.unit_ids, label(n).casefold(), n))
    rank = {n: i for i, n in enumerate(order)}
    gap_flags = {} if (changes or aggregate) else b.gaps
    changed_ties: set[str] = set()
    if changes:
        for u, v, d in H.edges(data=True):
            if d.get("change") in ("added", "removed"):
                changed_ties |= {u, v}

    referenced: set[str] = set()
    nodes = []
    # What a record's entry says whatever else the map shows is made once per builder for
    # the maps of one graph (a report's unit maps share most of their partners).
    kept = b.records if not (changes or aggregate) else {}
    for n in sorted(H):
        d = H.nodes[n]
        fixed = kept.get(n)
        if fixed is None:
            fixed = _record(b, n, d, label(n), aggregate=aggregate, changes=changes, gap_flags=gap_flags)
            if not (changes or aggregate):
                kept[n] = fixed
        rec = dict(fixed)
        rec["size"], rec["rank"] = sizes[n], rank[n]
        rec["x"], rec["y"] = positions[n]
        if gov:
            del rec["text"]
        elif rec["text"] == rec["label"]:
            del rec["text"]
        rec["units"] = [u for u in b.node_units.get(n, []) if u in H]
        referenced.update(rec.get("forums", ()))
        if d.get("kind", "") in schema.FORUM_KINDS:
            referenced.add(n)
        if gov:
            rec["shape"] = "box"
            rec["lines"] = layout["lines"][n]
            rec["height"] = layout["heights"][n]
            if n in b.unit_ids and not any(_upward(e) for _, _, e in H.out_edges(n, data=True)):
                rec["gap"] = "no reporting line"
        if changes:
            rec["change"] = d.get("change", "same")
            c = _CHANGE_COLOURS[rec["change"]]
            rec["color"], rec["border"] = c, _border(c)
            if rec["change"] == "same" and n in changed_ties:
                rec["gap"] = "changed"
        nodes.append(rec)
    # The forums a record belongs to, and what they report to, may be off this map: the
    # details panel still names them.
    above = {f: b.above(f) for f in sorted(referenced)}
    names = {x: label(x) for f, ups in above.items() for x in (f, *ups) if x not in H and x in G}

    edges = []
    styles: dict[str, dict] = {}
    for i, (u, v, d) in enumerate(
        sorted(H.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("kind", ""), e[2].get("change", "")))
    ):
        kind = d.get("kind", "")
        style = styles.get(kind) or styles.setdefault(kind, _edge_style(kind))
        e: dict = {"id": i, "from": u, "to": v, "kind": kind, "color": style["color"], "width": style["width"]}
        if style["dashes"]:
            e["dashes"] = style["dashes"]
        if style["arrows"]:
            e["arrows"] = style["arrows"]
        if kind == "shares_members":
            e["width"] = round(1 + math.log2(d.get("weight", 1.0)), 2)
            e["color"] = "#9e9e9e"
            e["shared"] = int(d.get("weight", 1))
        if changes:
            e["change"] = d.get("change", "same")
            e["color"] = _CHANGE_COLOURS[e["change"]]
            e["width"] = 7 if e["change"] != "same" else 1
            if e["change"] == "removed":
                e["dashes"] = [10, 6]
            elif "dashes" in e:
                del e["dashes"]
        if gov:
            e["width"] = 2 if _upward(d) else e["width"]
        edges.append(e)
    if not gov and not changes and not aggregate:
        # The partner survey's view of each rated pair: width by how closely they work, colour by trust.
        for (a, c), st in sorted(b.survey_edges.items()):
            if a in H and c in H:
                edges.append(
                    {
                        "id": len(edges),
                        "from": a,
                        "to": c,
                        "kind": "survey",
                        "color": st["color"],
                        "width": st["width"],
                        "survey": st.get("title", ""),
                    }
                )

    view_name = {
        "network": "Partnership network",
        "governance": "Governance: boards and reporting lines",
        "unit": place.unit_title,
        "partner": "Partner",
    }[view]
    if focus is not None:
        view_name = f"{view_name}: {label(focus)}"
    if aggregate:
        view_name += " (partnerships and boards only)"
    page_title = title or f"{place.name or G.graph.get('name', 'lcpgraph')} — {view_name}"

    if isinstance(tour, (str, Path)):
        steps = read_tour(tour, G, H)
    elif tour is True or (tour is None and view in ("network", "governance") and not changes):
        steps = _default_tour(b.views, H)
    else:
        steps = []

    summary = f"{len(nodes):,} records, {len(edges):,} relationships"
    if aggregate and H.graph.get("least_shared", 1) > 1:
        summary += f" (ties of forums sharing {H.graph['least_shared']} or more members; weaker ones left out)"
    on_map = {r.get("sector") for r in nodes}
    sectors_present = [s for s in G.graph.get("sectors", schema.SECTORS) if s in on_map]
    on_map = {r["kind"] for r in nodes}
    kinds_present = [k for k in schema.NODE_KINDS if k in on_map]
    options = _vis_options(gov, len(nodes), len(edges), seed)
    data = {
        "view": view,
        "title": page_title,
        "file": file_slug(page_title),
        "focus": focus or "",
        "nodes": nodes,
        "edges": edges,
        "names": dict(sorted(names.items())),
        "above": {f: ups for f, ups in above.items() if ups},
        "options": options,
        "words": {
            "unit": place.unit,
            "Unit": place.unit_title,
            "units": place.units,
            "focus": place.focus,
            "place": place.name or "the network",
        },
        "units": sorted(
            ({"id": u, "name": label(u)} for u in H if u in b.unit_ids), key=lambda r: (r["name"].casefold(), r["id"])
        ),
        "sectors": sectors_present,
        "kinds": kinds_present,
        "legend": _legend(b, nodes, edges, sectors_present, kinds_present, gov=gov, changes=changes),
        "tour": steps,
        "rows": layout["rows"] if layout else [],
        "box": layout["box"] if layout else None,
        "changes": _change_list(H, label) if changes else [],
        "summary": summary,
    }
    assets = b.assets
    text = _json_for_script(data)
    # A region's map is a page of 100+ MB: its records go as soon as they are text, and the
    # page is written in pieces, not joined into one more copy first.
    del data, nodes, edges
    parts = template_parts(
        assets["PAGE"],
        {
            "TITLE": escape(page_title),
            "VIS_CSS": assets["VIS_CSS"],
            "VIS_SCRIPT": (
                f'<script src="{escape(vis_js_href, quote=True)}"></script>'
                if vis_js_href is not None
                else "<script>\n" + b.vis_js.decode("utf-8") + "\n</script>"
            ),
            # With a shared vis-network, the page's own script is shared from beside it too.
            "APP_SCRIPT": (
                f'<script src="{escape(_beside(vis_js_href, APP_JS_NAME), quote=True)}"></script>'
                if vis_js_href is not None
                else "<script>\n" + assets["APP_JS"] + "\n</script>"
            ),
            "DATA": text,
        },
    )
    del text
    return write_bytes(Path(path), _encoded(parts), overwrite=overwrite, sync=sync)


def _encoded(parts: list[str]):
    """The parts as UTF-8, each dropped once encoded (so a big page is never held twice whole)."""
    parts.reverse()
    while parts:
        yield parts.pop().encode("utf-8")


def _record(b: MapBuilder, n: str, d: dict, label: str, *, aggregate: bool, changes: bool, gap_flags) -> dict:
    """The part of record ``n``'s map entry that does not depend on the rest of the map.

    ``text`` is the label on two lines; the caller drops it on governance maps and when it
    is the label itself.
    """
    kind = d.get("kind", "")
    fill = b.fill(n, d)
    rec: dict = {
        "id": n,
        "label": label,
        "kind": kind,
        "shape": KIND_SHAPES.get(kind, "dot"),
        "color": fill,
        "border": _border(fill),
        "text": _two_lines(label),
    }
    for key in ("sector", "area", "role", "type", "level", "source", "scope"):
        if d.get(key) not in (None, ""):
            rec[key] = str(d[key])
    if isinstance(d.get("population"), (int, float)) and math.isfinite(d["population"]):
        rec["population"] = int(d["population"])
    if n in b.unit_ids:
        rec["unit"] = True
    forums = b.memberships.get(n, [])
    if forums:
        rec["forums"] = forums
    if kind in schema.FORUM_KINDS:
        rec["members"] = len(b.members.get(n, []))
    if not aggregate and n in b.meas:
        rec["ties"] = int(b.meas[n]["degree"])
        rec["pct"] = b.pct.get(n, [0, 0, 0])
    if n in gap_flags:
        rec["gap"] = gap_flags[n]
    if not changes and b.advice.get(n):
        rec["advice"] = b.advice[n]
    return rec


def _beside(href: str, name: str) -> str:
    """The address of file ``name`` in the same folder as ``href`` ('a/b.js', 'c.js' -> 'a/c.js')."""
    return href.rsplit("/", 1)[0] + "/" + name if "/" in href else name


def _vis_options(gov: bool, n_nodes: int, n_edges: int, seed: int) -> dict:
    big = n_edges > 3000
    options: dict = {
        "autoResize": True,
        "layout": {"randomSeed": seed, "improvedLayout": False},
        "physics": {"enabled": False},
        "interaction": {
            "hover": True,
            "hoverConnectedEdges": False,
            "selectConnectedEdges": False,
            "tooltipDelay": 200,
            "navigationButtons": False,
            "keyboard": False,
            # On thousands of ties, drawing only the records while moving keeps it smooth.
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
        },
        "nodes": {"borderWidth": 1.5, "borderWidthSelected": 3, "physics": False},
        "edges": {"smooth": False, "selectionWidth": 1, "arrows": {"to": {"scaleFactor": 0.6}}},
    }
    if gov:
        options["nodes"]["font"] = {"size": _BOX_FONT, "face": "Arial", "color": "#1a1a1a"}
        options["nodes"]["margin"] = _BOX_MARGIN
        options["nodes"]["shapeProperties"] = {"borderRadius": 3}
        options["edges"]["smooth"] = {
            "enabled": True,
            "type": "cubicBezier",
            "forceDirection": "vertical",
            "roundness": 0.45,
        }
    return options


def _legend(b: MapBuilder, nodes, edges, sectors, kinds, *, gov: bool, changes: bool) -> list[dict]:
    """The legend as data (the page builds it with textContent): sections of clickable entries."""
    place = b.place
    out: list[dict] = []
    if changes:
        present = {r["change"] for r in nodes}
        recs = [
            {
                "label": f"{w} record",
                "filter": "change",
                "value": w,
                "swatch": {"type": "fill", "color": _CHANGE_COLOURS[w]},
            }
            for w in ("added", "removed")
            if w in present
        ]
        if any(r.get("gap") == "changed" for r in nodes):
            recs.append(
                {
                    "label": "ties changed",
                    "filter": "change",
                    "value": "changed",
                    "swatch": {"type": "ring", **RINGS["changed"]},
                }
            )
        recs.append(
            {
                "label": "unchanged",
                "filter": "",
                "value": "",
                "swatch": {"type": "fill", "color": _CHANGE_COLOURS["same"]},
            }
        )
        out.append({"title": "Records (colour)", "items": recs})
        ties = [
            {
                "label": f"{w} tie",
                "filter": "change",
                "value": w,
                "swatch": {
                    "type": "line",
                    "color": _CHANGE_COLOURS[w],
                    "dashes": w == "removed",
                    "width": 4 if w != "same" else 1.5,
                },
            }
            for w in ("added", "removed", "same")
            if any(e["change"] == w for e in edges)
        ]
        if ties:
            out.append({"title": "Ties (line)", "items": ties})
    elif sectors and not gov:  # governance boxes are not coloured by sector
        items = []
        for group, base, _ in (*SECTOR_GROUPS, (_OTHER_GROUP[0], _OTHER_GROUP[1], ())):
            for s in sectors:
                p = b.palette.get(s)
                if p and p["group"] == group:
                    items.append(
                        {
                            "label": s,
                            "filter": "sector",
                            "value": s,
                            "group": group,
                            "group_color": base,
                            "swatch": {"type": "fill", "color": p["color"]},
                        }
                    )
        out.append({"title": "Sector (colour: one hue per group)", "items": items, "grouped": True})
    kind_items = []
    has_units = any(r.get("unit") for r in nodes)
    for k in kinds:
        if k == schema.PARTNERSHIP and has_units:
            shape = "box" if gov else KIND_SHAPES[k]
            kind_items.append(
                {
                    "label": place.unit_title,
                    "filter": "kind",
                    "value": "unit",
                    "swatch": {"type": "shape", "shape": shape, "color": "#dbe7f5" if gov else _UNIT_FILL},
                }
            )
            if any(r["kind"] == k and not r.get("unit") for r in nodes):
                kind_items.append(
                    {
                        "label": "other partnership",
                        "filter": "kind",
                        "value": k,
                        "swatch": {"type": "shape", "shape": shape, "color": "#ffffff" if gov else _KIND_FILL[k]},
                    }
                )
            continue
        fill = _KIND_FILL.get(k, "#777777") if k != schema.ORGANISATION else "#9a9a9a"
        if gov:
            fill = "#1a1a1a" if k == schema.BOARD else "#ffffff"
        kind_items.append(
            {
                "label": k,
                "filter": "kind",
                "value": k,
                "swatch": {"type": "shape", "shape": "box" if gov else KIND_SHAPES[k], "color": fill},
            }
        )
    out.append({"title": "Kind (shape)" if not gov else "Kind (box)", "items": kind_items, "columns": 2})
    if not changes:
        present = sorted({e["kind"] for e in edges} - {"survey"})
        rel_items = []
        for k in present:
            st = _edge_style(k)
            if k == "shares_members":
                st = {**st, "color": "#9e9e9e"}
            rel_items.append(
                {
                    "label": k.replace("_", " "),
                    "filter": "rel",
                    "value": k,
                    "swatch": {
                        "type": "line",
                        "color": st["color"],
                        "dashes": bool(st["dashes"]),
                        "arrow": bool(st["arrows"]),
                        "width": 2,
                    },
                }
            )
        if rel_items:
            out.append({"title": "Relationship (line)", "items": rel_items, "columns": 2})
        if any(e["kind"] == "survey" for e in edges):
            from lcpgraph.survey.render import edge_legend

            out.append(
                {
                    "title": "Partner survey (line)",
                    "items": [
                        {
                            "label": label,
                            "filter": "rel",
                            "value": "survey",
                            "swatch": {
                                "type": "line",
                                "color": colour,
                                "dashes": False,
                                "arrow": False,
                                "width": width,
                            },
                        }
                        for label, colour, width in edge_legend()
                    ],
                }
            )
    gaps = sorted({r["gap"] for r in nodes if r.get("gap") and r["gap"] != "changed"})
    if gaps:
        words = {
            "isolated": f"isolated {place.focus} partner (no ties)",
            "peripheral": f"peripheral {place.focus} partner",
            "no reporting line": f"{place.unit} with no reporting line",
        }
        out.append(
            {
                "title": "Gap (ring)" if not gov else "Gap (red border)",
                "items": [
                    {"label": words[g], "filter": "gaps", "value": g, "swatch": {"type": "ring", **RINGS[g]}}
                    for g in gaps
                ],
            }
        )
    return out


def _change_list(H: nx.MultiDiGraph, label) -> list[dict]:
    """Every change in a change map, records first, then ties, in a stable order."""
    out = []
    for n in sorted(H, key=lambda n: (label(n).casefold(), n)):
        c = H.nodes[n].get("change")
        if c in ("added", "removed"):
            out.append(
                {"change": c, "what": "record", "ids": [n], "text": f"{label(n)} ({H.nodes[n].get('kind', '')})"}
            )
    ties = []
    for u, v, d in H.edges(data=True):
        c = d.get("change")
        if c in ("added", "removed"):
            kind = d.get("kind", "").replace("_", " ")
            ties.append({"change": c, "what": "tie", "ids": [u, v], "text": f"{label(u)} — {kind} — {label(v)}"})
    ties.sort(key=lambda t: (t["text"].casefold(), t["change"]))
    return out + ties


_SLOT_RE = re.compile(r"\{\{([A-Z_]+)\}\}")


def fill_template(template: str, values: dict[str, str]) -> str:
    """Put ``values`` into the ``{{NAME}}`` slots of ``template`` in one pass.

    Text that comes from the data is never read as template again, so a partner called
    ``{{DATA}}`` is shown as those characters. A slot with no value is an error.

    >>> fill_template("<h1>{{A}}</h1>{{B}}", {"A": "{{B}}", "B": "x"})
    '<h1>{{B}}</h1>x'
    """
    return "".join(template_parts(template, values))


def template_parts(template: str, values: dict[str, str]) -> list[str]:
    """:func:`fill_template`'s result as its pieces in order: the template's text between the
    slots, and the values (for a page too big to hold joined).

    >>> template_parts("<h1>{{A}}</h1>{{B}}", {"A": "{{B}}", "B": "x"})
    ['<h1>', '{{B}}', '</h1>', 'x', '']
    """
    pieces = _SLOT_RE.split(template)  # text, slot name, text, slot name, ..., text
    missing = sorted(set(pieces[1::2]) - set(values))
    if missing:
        raise LcpGraphError(f"the page template has slots with no value: {', '.join(missing)}")
    return [values[p] if i % 2 else p for i, p in enumerate(pieces)]
