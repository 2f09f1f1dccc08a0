"""Gaps: who is left out, what is missing, and what hangs by a thread.

"The third sector ... is sometimes not known or overlooked"; "smaller organisations can't
always be present"; "I struggle to know which Local Care Partnership to prioritise". Each
function here turns one of those worries into a table. Membership, the local units, reporting
lines and current ties all come from :mod:`lcpgraph.views`; the words (what a unit is called,
the expected partner mix, which sectors to watch) from the place profile.
"""

from __future__ import annotations

import csv
import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from lcpgraph import schema
from lcpgraph.analysis.frames import frame
from lcpgraph.exceptions import LcpGraphError, Problem, ValidationError, closest
from lcpgraph.place import place_of
from lcpgraph.views import (
    PARTNER_KINDS,
    derived,
    name_of,
    nodes_of_kind,
    partners,
    seats,
    sector_of,
    units,
    units_of,
)

__all__ = [
    "critical_ties",
    "empty_boards",
    "isolated_partners",
    "missing_sectors",
    "organisation_sector",
    "partners_in_no_unit",
    "peripheral_partners",
    "place_wide_reach",
    "read_expected_sectors",
    "sector_contact_matrix",
    "sector_coverage",
    "sectors_that_never_meet",
    "single_points_of_failure",
    "unreported_units",
]


def _names(G: nx.Graph, ids: Iterable[str], limit: int | None = None) -> str:
    names = sorted(name_of(G, n) for n in ids)
    if limit is not None and len(names) > limit:
        return "; ".join(names[:limit]) + f"; and {len(names) - limit} more"
    return "; ".join(names)


def organisation_sector(G: nx.MultiDiGraph) -> dict[str, str]:
    """The sector a partner belongs to *as an organisation*: its own, or a person's employer's.

    Lists of a sector's partners (isolated third-sector partners, say) use this: a person is
    listed under a sector because the organisation they work for is in it, never because of
    the sector of their role (a chair's role may be "third sector" while they work for a
    practice). People with no employer, or several employers of different sectors, have none.

    Worked out once per graph (several tables ask): the result is shared, do not change it.
    """
    d = derived(G)
    if "organisation_sector" in d.__dict__:
        return d.__dict__["organisation_sector"]
    nodes = G.nodes
    out = {n: str(nodes[n].get("sector", "") or "") for n in nodes_of_kind(G, schema.ORGANISATION)}
    employment = set(schema.kinds_with_role(schema.EMPLOYMENT))
    kind = d.kind
    employers: dict[str, set[str]] = defaultdict(set)
    for u, v, e in d.edges:
        if e.get("kind", "") in employment and kind.get(u) == schema.PERSON:
            employers[u].add(out.get(v, ""))
    for p in nodes_of_kind(G, schema.PERSON):
        secs = employers.get(p, set()) - {""}
        out[p] = next(iter(secs)) if len(secs) == 1 else ""
    d.__dict__["organisation_sector"] = out
    return out


def _in_sectors(G: nx.MultiDiGraph, ids: list[str], sectors: Iterable[str] | None) -> list[str]:
    if sectors is None:
        return ids
    wanted = {schema.normalise_term(s) for s in sectors}
    own = organisation_sector(G)
    return [n for n in ids if schema.normalise_term(own.get(n, "")) in wanted]


def isolated_partners(G: nx.MultiDiGraph, sectors: Iterable[str] | None = None) -> pd.DataFrame:
    """Organisations and people with no current relationship at all.

    Parameters
    ----------
    sectors : list of str, optional
        Keep only partners of these sectors (by :func:`organisation_sector`); all when None.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``name``, ``kind``, ``sector``, ``scope``, ``source``; sorted by name.

    Examples
    --------
    >>> M = nx.MultiDiGraph()
    >>> M.add_node("a", kind="organisation", name="Alone", sector="third sector")
    >>> isolated_partners(M)["name"].tolist()
    ['Alone']
    """
    return frame(_isolated_rows(G, sectors), ["id", "name", "kind", "sector", "scope", "source"])


def _isolated_rows(G: nx.MultiDiGraph, sectors: Iterable[str] | None) -> list[tuple]:
    """:func:`isolated_partners`' rows, sorted (also read by the introductions, without a frame)."""
    deg = derived(G).degree
    ids = _in_sectors(G, [n for n in partners(G) if deg[n] == 0], sectors)
    own = organisation_sector(G)
    rows = [
        (
            n,
            name_of(G, n),
            G.nodes[n].get("kind"),
            own.get(n, ""),
            G.nodes[n].get("scope", ""),
            G.nodes[n].get("source", ""),
        )
        for n in ids
    ]
    rows.sort(key=lambda r: (r[1], r[0]))  # by name, then id
    return rows


def _reaches_a_board(G: nx.MultiDiGraph) -> set[str]:
    """Records with a path (over any current tie) to some board."""
    d = derived(G)
    g, ids = d.full_igraph
    if not len(ids):
        return set()
    comp = np.asarray(g.connected_components().membership)
    is_board = np.array([d.kind[n] == schema.BOARD for n in ids])
    with_board = np.unique(comp[is_board])
    keep = np.isin(comp, with_board)
    return {ids[i] for i in np.flatnonzero(keep)}


def peripheral_partners(G: nx.MultiDiGraph, sectors: Iterable[str] | None = None) -> pd.DataFrame:
    """Partners on the edge: a seat in at most one partnership or board, or no path to a board.

    Isolated partners (no ties at all) are left to :func:`isolated_partners`. Forums are the
    ones a partner has a seat in (:func:`lcpgraph.views.seats`: the meetings it goes to; a
    charity in one sub-locality sits in one forum, though it is a member of the locality
    too); the path to a board is over any current tie, in either direction.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``name``, ``kind``, ``sector``, ``forums`` (count), ``forum_names``,
        ``reaches_board`` (bool), ``reason`` (``one forum only``, ``no forum``,
        ``no path to a board``, joined by ``; `` when several apply); sorted by name.

    Examples
    --------
    >>> M = nx.MultiDiGraph()
    >>> M.add_node("c", kind="organisation", name="Charity", sector="third sector")
    >>> M.add_node("l", kind="partnership", name="LCP", type="lcp")
    >>> _ = M.add_edge("c", "l", kind="member_of")
    >>> peripheral_partners(M)[["name", "reason"]].values.tolist()
    [['Charity', 'one forum only; no path to a board']]
    """
    cols = ["id", "name", "kind", "sector", "forums", "forum_names", "reaches_board", "reason"]
    return frame(_peripheral_rows(G, sectors), cols, {"forums": "int64", "reaches_board": "bool"})


def _peripheral_rows(G: nx.MultiDiGraph, sectors: Iterable[str] | None) -> list[tuple]:
    """:func:`peripheral_partners`' rows, sorted (also read by the introductions, without a frame)."""
    m = seats(G)
    deg = derived(G).degree
    reach = _reaches_a_board(G)
    own = organisation_sector(G)
    rows = []
    for n in _in_sectors(G, partners(G), sectors):
        if deg[n] == 0:
            continue
        forums = m.get(n, [])
        reasons = []
        if len(forums) == 1:
            reasons.append("one forum only")
        elif not forums:
            reasons.append("no forum")
        if n not in reach:
            reasons.append("no path to a board")
        if reasons:
            rows.append(
                (
                    n,
                    name_of(G, n),
                    G.nodes[n]["kind"],
                    own.get(n, ""),
                    len(forums),
                    _names(G, forums),
                    n in reach,
                    "; ".join(reasons),
                )
            )
    rows.sort(key=lambda r: (r[1], r[0]))  # by name, then id
    return rows


def read_expected_sectors(path: str | Path, vocabulary: tuple[str, ...] = schema.SECTORS) -> tuple[str, ...]:
    """Read an expected partner mix: a CSV with a ``sector`` column, or one sector per line.

    Raises :class:`ValidationError` naming the file, line and the closest known sector.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LcpGraphError(f"{p}: cannot read the expected sectors: {exc}") from None
    lines = list(csv.reader(text.splitlines()))
    start = 1 if lines and lines[0] and lines[0][0].strip().lower() == "sector" else 0
    by_norm = {schema.normalise_term(s): s for s in vocabulary}
    problems, out = [], []
    for i, row in enumerate(lines[start:], start=start + 1):
        value = row[0].strip() if row else ""
        if not value:
            continue
        canonical = by_norm.get(schema.normalise_term(value))
        if canonical is None:
            close = closest(schema.normalise_term(value), list(by_norm))
            hint = f"; did you mean '{by_norm[close[0]]}'?" if close else ""
            problems.append(Problem(str(p), i, "sector", f"sector '{value}' is not known{hint}"))
        elif canonical not in out:
            out.append(canonical)
    if problems:
        raise ValidationError(problems)
    if not out:
        raise ValidationError([Problem(str(p), None, None, "names no sectors; expected one sector per line")])
    return tuple(out)


def sector_coverage(G: nx.MultiDiGraph, expected: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Unit × sector: how many members of each sector each local unit has.

    Members are :func:`lcpgraph.views.members`'s (seats, support and shared posts, and the
    members of partnerships inside the unit); each is counted under its sector, a person
    under their role's sector (a councillor as an elected member) or else their employer's.

    Parameters
    ----------
    expected : tuple of str, optional
        The expected partner mix; default the place profile's.

    Returns
    -------
    pandas.DataFrame
        Columns ``unit``, ``name``, ``members`` (all members, any sector or none), then one
        integer column per sector: the expected sectors first, then any other sector present,
        in vocabulary order. One row per unit, sorted by name.
    """
    columns, rows = _coverage(G, tuple(expected or place_of(G).expected_sectors))
    return frame(rows, ["unit", "name", "members", *columns], dict.fromkeys(["members", *columns], "int64"))


def _coverage(G: nx.MultiDiGraph, expected: tuple[str, ...]) -> tuple[list[str], list[tuple]]:
    """:func:`sector_coverage`'s sector columns, and its rows sorted (unit, name, members, counts…)."""
    d = derived(G)
    sec = sector_of(G)
    counts: dict[str, dict[str, int]] = {}
    present: set[str] = set()
    for u in units(G):
        c: dict[str, int] = defaultdict(int)
        for m in d.members[u]:
            if sec.get(m):
                c[sec[m]] += 1
                present.add(sec[m])
        counts[u] = c
    vocab = list(G.graph.get("sectors", schema.SECTORS))
    others = [s for s in vocab if s in present and s not in expected]
    others += sorted(present - set(expected) - set(others))
    columns = list(expected) + others
    rows = [(u, name_of(G, u), len(d.members[u]), *(counts[u].get(s, 0) for s in columns)) for u in counts]
    rows.sort(key=lambda r: (r[1], r[0]))  # by name, then unit
    return columns, rows


def missing_sectors(G: nx.MultiDiGraph, expected: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The expected sectors each local unit has no member from.

    Returns
    -------
    pandas.DataFrame
        Columns ``unit``, ``name``, ``missing`` (count), ``missing_sectors`` (joined by ``; ``,
        in the expected order); one row per unit, sorted by ``missing`` (most first), then name.
    """
    rows = _missing_rows(G, tuple(expected or place_of(G).expected_sectors))
    return frame(rows, ["unit", "name", "missing", "missing_sectors"], {"missing": "int64"})


def _missing_rows(G: nx.MultiDiGraph, expected: tuple[str, ...]) -> list[tuple]:
    """:func:`missing_sectors`' rows, sorted (also read by the introductions, without a frame)."""
    columns, coverage = _coverage(G, expected)
    at = [3 + columns.index(s) for s in expected]  # every expected sector has a column
    rows = []
    for r in coverage:
        gone = [s for s, i in zip(expected, at, strict=True) if r[i] == 0]
        rows.append((r[0], r[1], len(gone), "; ".join(gone)))
    rows.sort(key=lambda r: -r[2])  # most missing first; stable, so then by name and unit as coverage
    return rows


def unreported_units(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Local units with no reporting line up to any board.

    A reporting line is a chain of reporting or containment ties (``reports_to``,
    ``part_of``), followed upwards, that reaches a board (:func:`lcpgraph.views.reaches_board`).

    Returns
    -------
    pandas.DataFrame
        Columns ``unit``, ``name``, ``source``; sorted by name.
    """
    reach = derived(G).reaches_board
    rows = [(u, name_of(G, u), G.nodes[u].get("source", "")) for u in units(G) if u not in reach]
    rows.sort(key=lambda r: (r[1], r[0]))  # by name, then unit
    return frame(rows, ["unit", "name", "source"])


def empty_boards(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Boards with no members and no partnership inside them.

    A board that partnerships are ``part_of`` (or sit on) is not empty: its
    :func:`lcpgraph.views.sub_units` hold its members.

    Returns
    -------
    pandas.DataFrame
        Columns ``board``, ``name``, ``level``, ``reporting_in`` (bodies with a line up to
        it); sorted by name.
    """
    d = derived(G)
    up = d.upward
    rows = []
    for b in nodes_of_kind(G, schema.BOARD):
        if not d.members[b] and not d.sub_units[b]:
            rows.append((b, name_of(G, b), G.nodes[b].get("level", ""), up.in_degree(b)))
    rows.sort(key=lambda r: (r[1], r[0]))  # by name, then board
    return frame(rows, ["board", "name", "level", "reporting_in"], {"reporting_in": "int64"})


def cut_point_pieces(g, ends: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The pieces each articulation point of the igraph graph ``g`` would leave if removed.

    From igraph's biconnected components (the C call: each block as a spanning tree's edges),
    the block–cut tree of every connected part is searched once, in numpy, and subtree sizes
    summed layer by layer: every point is answered at once, in time near-linear in the size of
    the graph, with no Python loop over vertices. ``ends`` is ``g``'s edge list as an ``(m, 2)``
    array in its edge order, when the caller has it (reading it from igraph costs more than the
    rest of the work).

    Returns
    -------
    tuple of numpy arrays
        ``(points, piece_point, piece_size, piece_vertex)``: the articulation points, and one
        entry per piece: the position in ``points`` of the point it belongs to (ascending), its
        number of vertices, and one vertex in it. A point's pieces are the blocks below it in
        the tree (by block), then, when not empty, the rest of its part above it.

    Examples
    --------
    A path 0-1-2 then a triangle 2-3-4: removing 1 leaves {0} and {2, 3, 4}; removing 2
    leaves {0, 1} and {3, 4}.

    >>> import igraph as ig
    >>> pieces = cut_point_pieces(ig.Graph([(0, 1), (1, 2), (2, 3), (3, 4), (2, 4)]))
    >>> [x.tolist() for x in pieces]
    [[1, 2], [0, 0, 1, 1], [1, 3, 2, 2], [0, 2, 1, 3]]
    """
    import igraph as ig

    none = np.zeros(0, dtype=np.int64)
    n = g.vcount()
    trees, aps = ig.GraphBase.biconnected_components(g, True) if n else ([], [])
    if not aps:
        return none, none, none, none
    aps = np.asarray(aps, dtype=np.int64)
    B, A = len(trees), len(aps)
    if ends is None:
        ends = np.array(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    lengths = np.fromiter(map(len, trees), dtype=np.int64, count=B)
    edge_ids = np.fromiter(itertools.chain.from_iterable(trees), dtype=np.int64, count=int(lengths.sum()))
    edge_block = np.repeat(np.arange(B, dtype=np.int64), lengths)
    # (block, vertex) pairs, each once and sorted: a sort and a mask (numpy 2's hashing
    # np.unique takes four times as long here)
    code = np.sort(np.repeat(edge_block, 2) * n + ends[edge_ids].ravel())
    code = code[np.concatenate([[True], code[1:] != code[:-1]])]
    pb, pv = code // n, code % n
    block_start = np.concatenate([[0], np.cumsum(np.bincount(pb, minlength=B))[:-1]])
    first, second = pv[block_start], pv[block_start + 1]  # every block has two or more vertices
    part = np.asarray(ig.GraphBase.connected_components(g), dtype=np.int64)
    is_ap = np.zeros(n, dtype=bool)
    is_ap[aps] = True
    ap_pos = np.full(n, -1, dtype=np.int64)
    ap_pos[aps] = np.arange(A)
    link = is_ap[pv]
    # Tree nodes: blocks 0..B-1, points B..B+A-1, and a root joined to the first block of each
    # part, so that one search roots every part's tree.
    root = B + A
    size = np.zeros(B + A + 1, dtype=np.int64)
    size[:B] = np.bincount(pb[~link], minlength=B)
    size[B:root] = 1
    first_block = np.unique(part[first], return_index=True)[1]
    parent, layers = _tree_layers(
        B + A + 1,
        np.concatenate([pb[link], np.full(len(first_block), root)]),
        np.concatenate([B + ap_pos[pv[link]], first_block]),
        root,
    )
    for nodes in reversed(layers):  # deepest layer first: subtree sizes
        np.add.at(size, parent[nodes], size[nodes])
    # Pieces below each point: its child blocks, grouped by point, in block order.
    kids = np.flatnonzero((parent[:B] >= B) & (parent[:B] < root))
    kids = kids[np.argsort(parent[kids], kind="stable")]
    kid_point = parent[kids] - B
    kid_vertex = np.where(first[kids] != aps[kid_point], first[kids], second[kids])
    # The piece above each point: the rest of its part, reached through its parent block.
    above = np.bincount(part, minlength=1)[part[aps]] - 1 - np.bincount(kid_point, weights=size[kids], minlength=A)
    above = above.astype(np.int64)
    up = parent[B:root]
    up_vertex = np.where(first[up] != aps, first[up], second[up])
    has_above = above > 0
    at = np.concatenate([kid_point, np.flatnonzero(has_above)])
    order = np.argsort(at, kind="stable")  # by point; below before above
    return (
        aps,
        at[order],
        np.concatenate([size[kids], above[has_above]])[order],
        np.concatenate([kid_vertex, up_vertex[has_above]])[order],
    )


def _tree_layers(n: int, a: np.ndarray, b: np.ndarray, root: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """Breadth-first search of a tree with edges ``a[i] - b[i]`` from ``root``, in numpy.

    Returns each node's parent (``-1`` where not reached; the root its own) and the layers
    below the root, nearest first. One step per layer; in a tree each node is found from
    exactly one node of the layer above. Numpy, not an igraph graph: building one means
    a Python pair per edge, and the garbage collector then walks the whole heap.
    """
    src = np.concatenate([a, b])
    dst = np.concatenate([b, a])
    by_src = np.argsort(src, kind="stable")
    nbr = dst[by_src]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    parent = np.full(n, -1, dtype=np.int64)
    parent[root] = root
    layers: list[np.ndarray] = []
    frontier = np.array([root], dtype=np.int64)
    while True:
        counts = indptr[frontier + 1] - indptr[frontier]
        total = int(counts.sum())
        if not total:
            break
        # every neighbour of the frontier: the slices indptr[f]:indptr[f + 1] laid end to end
        offsets = np.repeat(indptr[frontier] - (np.cumsum(counts) - counts), counts)
        found = nbr[np.arange(total) + offsets]
        fresh = parent[found] == -1
        if not fresh.any():
            break
        parent[found[fresh]] = np.repeat(frontier, counts)[fresh]
        frontier = found[fresh]
        layers.append(frontier)
    return parent, layers


def _piece_members(g, v: int, start: int, limit: int) -> list[int]:
    """Up to ``limit`` vertices of the piece holding ``start`` once ``v`` is removed (breadth first)."""
    seen = {v, start}
    order = [start]
    for x in order:
        if len(order) >= limit:
            break
        for y in sorted(g.neighbors(x)):
            if y not in seen:
                seen.add(y)
                order.append(y)
    return order[:limit]


def single_points_of_failure(
    G: nx.MultiDiGraph, kinds: tuple[str, ...] = PARTNER_KINDS, names: int = 8
) -> pd.DataFrame:
    """Partners or people whose departure would cut others off (articulation points).

    Computed on every record and current tie (the full graph, in igraph). When the point
    leaves, its network breaks into pieces; everyone outside the largest piece is cut off.

    Parameters
    ----------
    kinds : tuple of str
        Kinds of record to report (default organisations and people; forums can be points
        of failure too: pass all four kinds).
    names : int
        How many of the cut-off records to name per row.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``name``, ``kind``, ``sector``, ``cut_off`` (records that would lose
        their connection to the rest), ``pieces`` (into how many parts its network falls),
        ``cut_off_names`` (the first few, by name); sorted by ``cut_off`` (most first), then id.

    Examples
    --------
    A charity is the only link between a residents' forum and an LCP:

    >>> M = nx.MultiDiGraph()
    >>> for n, k in [("c", "organisation"), ("f", "partnership"), ("l", "partnership"), ("r", "person")]:
    ...     M.add_node(n, kind=k, name=n.upper())
    >>> for u, v in [("c", "f"), ("c", "l"), ("r", "f")]:
    ...     _ = M.add_edge(u, v, kind="member_of")
    >>> single_points_of_failure(M)[["id", "cut_off", "cut_off_names"]].values.tolist()
    [['c', 1, 'L']]
    """
    d = derived(G)
    g, ids = d.full_igraph
    points, at, piece_size, piece_vertex = cut_point_pieces(g, d.full_ends)
    bounds = np.searchsorted(at, np.arange(len(points) + 1)).tolist()
    sizes_l, vertices_l = piece_size.tolist(), piece_vertex.tolist()
    rows = []
    for k, v in enumerate(points.tolist()):
        parts = list(zip(sizes_l[bounds[k] : bounds[k + 1]], vertices_l[bounds[k] : bounds[k + 1]], strict=True))
        n = ids[v]
        if d.kind.get(n) not in kinds:
            continue
        parts = sorted(parts, key=lambda p: (-p[0], ids[p[1]]))
        cut = sum(p[0] for p in parts[1:])
        listed: list[int] = []
        for size, start in parts[1:]:
            if len(listed) >= names:
                break
            listed += _piece_members(g, v, start, min(size, names - len(listed)))
        shown = sorted(name_of(G, ids[x]) for x in listed)
        text = "; ".join(shown) + (f"; and {cut - len(shown)} more" if cut > len(shown) else "")
        rows.append((n, name_of(G, n), d.kind[n], G.nodes[n].get("sector", ""), cut, len(parts), text))
    cols = ["id", "name", "kind", "sector", "cut_off", "pieces", "cut_off_names"]
    rows.sort(key=lambda r: (-r[4], r[0]))  # most cut off first, then id
    return frame(rows, cols, {"cut_off": "int64", "pieces": "int64"})


def critical_ties(G: nx.MultiDiGraph, names: int = 8, min_cut_off: int = 2) -> pd.DataFrame:
    """Working ties whose loss would cut two or more records off (bridges), with who would be cut off.

    Computed on every record and current tie (in igraph). Two kinds of bridge are left out,
    because they say nothing a reader does not know: a partner's only tie (the cut-off side
    is that one partner: see :func:`peripheral_partners`), and reporting or containment lines,
    which in a tree-shaped place (a county's localities and sub-localities) are all bridges
    by design. What is left are the memberships and working ties a group hangs on.

    Parameters
    ----------
    min_cut_off : int
        Fewest records that must be cut off for a tie to be listed.

    Returns
    -------
    pandas.DataFrame
        Columns ``a``, ``name_a``, ``b``, ``name_b``, ``kinds`` (relationship kinds of the
        tie), ``cut_off`` (size of the smaller side; of ``a``'s side when both are the same
        size), ``cut_off_names`` (the first ``names`` of them in alphabetical order, then how
        many more); sorted by ``cut_off`` (most first), then ``a``, ``b``.
    """
    d = derived(G)
    g, ids = d.full_igraph
    cols = ["a", "name_a", "b", "name_b", "kinds", "cut_off", "cut_off_names"]
    bridges = np.array(g.bridges(), dtype=np.int64)
    ends = d.full_ends[bridges]
    if min_cut_off > 1 and len(ends):
        # A partner's only tie cuts off just that partner: left out without a search.
        degree = np.bincount(d.full_ends.ravel(), minlength=len(ids))
        inner = degree[ends].min(axis=1) > 1
        bridges, ends = bridges[inner], ends[inner]
    structural = set(schema.kinds_with_role(*schema.UPWARD_ROLES))
    rows = []
    for (x, y), kinds in zip(ends.tolist(), g.es[bridges.tolist()]["kinds"], strict=True):
        if set(kinds) <= structural:
            continue
        small = _smaller_side(g, x, y)
        if len(small) < min_cut_off:
            continue
        # ids are sorted and x < y, so ids[x] < ids[y]
        listed = (
            sorted(name_of(G, ids[n]) for n in small)[:names]
            if len(small) <= 4 * names
            else heapq.nsmallest(names, (name_of(G, ids[n]) for n in small))
        )
        text = "; ".join(listed) + (f"; and {len(small) - len(listed)} more" if len(small) > len(listed) else "")
        rows.append((ids[x], name_of(G, ids[x]), ids[y], name_of(G, ids[y]), ", ".join(kinds), len(small), text))
    rows.sort(key=lambda r: (-r[5], r[0], r[2]))
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(cols)
    return pd.DataFrame(
        {c: pd.array(v, dtype="int64" if c == "cut_off" else "str") for c, v in zip(cols, columns, strict=True)}
    )


def _smaller_side(g, a: int, b: int) -> list[int]:
    """The vertices on the smaller side of the bridge a–b.

    Searches both sides in step, one vertex at a time, and stops when one side runs out, so
    the cost is proportional to the smaller side, not the whole network.
    """
    sides = [{"seen": {a}, "queue": [a], "order": [], "block": b}, {"seen": {b}, "queue": [b], "order": [], "block": a}]
    while True:
        for side in sides:
            if not side["queue"]:
                return side["order"]
            n = side["queue"].pop()
            side["order"].append(n)
            for m in g.neighbors(n):
                if m != side["block"] and m not in side["seen"]:
                    side["seen"].add(m)
                    side["queue"].append(m)


def sector_contact_matrix(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Sector × sector: how many pairs of organisations of those sectors are in contact.

    Contact is a tie in the organisation projection (a shared forum or a direct tie).

    Returns
    -------
    pandas.DataFrame
        Column ``sector``, then one integer column per sector present among organisations,
        in vocabulary order; symmetric, the diagonal counts pairs within a sector.
    """
    # The projection's arrays (one entry per tied pair), not its networkx graph: the same
    # pairs without building 200,000 edges in Python on a region.
    ids, i_arr, j_arr, _, _ = derived(G).projection_arrays()
    nodes = G.nodes
    sector_of = [nodes[n].get("sector") for n in ids]
    vocab = list(G.graph.get("sectors", schema.SECTORS))
    present = set(sector_of) - {None}
    sectors = [s for s in vocab if s in present] + sorted(present - set(vocab))
    idx = {s: i for i, s in enumerate(sectors)}
    k = len(sectors)
    code = np.fromiter((idx.get(s, -1) if s is not None else -1 for s in sector_of), dtype=np.int64, count=len(ids))
    a, b = code[i_arr], code[j_arr]
    both = (a >= 0) & (b >= 0)
    a, b = a[both], b[both]
    m = np.bincount(a * k + b, minlength=k * k).reshape(k, k) if k else np.zeros((0, 0), dtype=np.int64)
    m = m + m.T - np.diag(np.diag(m))  # each pair once, in both cells off the diagonal
    m = m.astype("int64")
    df = pd.DataFrame(m, columns=sectors)
    df.insert(0, "sector", sectors)
    return df


def sectors_that_never_meet(G: nx.MultiDiGraph, contacts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Pairs of sectors with no contact at all between their organisations.

    Parameters
    ----------
    contacts : pandas.DataFrame, optional
        :func:`sector_contact_matrix` of ``G``, when it is already computed.

    Returns
    -------
    pandas.DataFrame
        Columns ``sector_a``, ``sector_b``, ``organisations_a``, ``organisations_b``; pairs
        in vocabulary order.
    """
    m = sector_contact_matrix(G) if contacts is None else contacts
    counts: dict[str, int] = defaultdict(int)
    for n in nodes_of_kind(G, schema.ORGANISATION):
        counts[G.nodes[n].get("sector")] += 1
    sectors = m["sector"].tolist()
    # the cells as Python lists: a .loc lookup per pair of sectors costs more than the table
    cell = {c: m[c].tolist() for c in m.columns if c != "sector"}
    rows = [(a, b, counts[a], counts[b]) for i, a in enumerate(sectors) for b in sectors[i + 1 :] if cell[b][i] == 0]
    return frame(rows, ["sector_a", "sector_b", "organisations_a", "organisations_b"])


def place_wide_reach(G: nx.MultiDiGraph, max_units: int | None = None) -> pd.DataFrame:
    """Place-wide organisations in no local unit, or in more than they could attend.

    "(For Citywide Third Sector) I struggle to know which Local Care Partnership to
    prioritise." An organisation is place-wide when its ``scope`` is the place profile's
    ``place_scope`` (``citywide`` in Leeds); it is in a unit by the membership rule.

    Parameters
    ----------
    max_units : int, optional
        More units than this is flagged ``over-stretched``; default the place profile's
        ``max_units_per_partner``.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``name``, ``sector``, ``units`` (count), ``unit_names``, ``flag``
        (``in none`` or ``over-stretched``); sorted by flag, then ``units`` (most first), name.
    """
    place = place_of(G)
    limit = place.max_units_per_partner if max_units is None else max_units
    u_of = units_of(G)
    rows = []
    for n in nodes_of_kind(G, schema.ORGANISATION):
        if G.nodes[n].get("scope") != place.place_scope:
            continue
        k = len(u_of[n])
        flag = "in none" if k == 0 else ("over-stretched" if k > limit else "")
        if flag:
            rows.append((n, name_of(G, n), G.nodes[n].get("sector", ""), k, _names(G, u_of[n]), flag))
    rows.sort(key=lambda r: (r[5], -r[3], r[1]))  # flag, most units, name; stable, so then id
    return frame(rows, ["id", "name", "sector", "units", "unit_names", "flag"], {"units": "int64"})


def partners_in_no_unit(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Organisations tied to the network but a member of no local unit (by the membership rule).

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``name``, ``sector``, ``scope``, ``forums`` (partnerships and boards
        it is a member of); sorted by name.

    Examples
    --------
    >>> M = nx.MultiDiGraph()
    >>> M.add_node("u", kind="partnership", type="lcp"); M.add_node("b", kind="board")
    >>> M.add_node("o", kind="organisation", name="Board-only Trust")
    >>> _ = M.add_edge("o", "b", kind="member_of")
    >>> partners_in_no_unit(M)["name"].tolist()
    ['Board-only Trust']
    """
    d = derived(G)
    rows = [
        (n, name_of(G, n), G.nodes[n].get("sector", ""), G.nodes[n].get("scope", ""), len(d.memberships[n]))
        for n in nodes_of_kind(G, schema.ORGANISATION)
        if d.degree[n] and not d.units_of[n]
    ]
    rows.sort(key=lambda r: (r[1], r[0]))  # by name, then id
    return frame(rows, ["id", "name", "sector", "scope", "forums"], {"forums": "int64"})
