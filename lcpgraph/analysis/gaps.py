"""Gaps: who is left out, what is missing, and what hangs by a thread.

"The third sector ... is sometimes not known or overlooked"; "smaller organisations can't
always be present"; "I struggle to know which Local Care Partnership to prioritise". Each
function here turns one of those worries into a table.
"""

from __future__ import annotations

import csv
import difflib
from collections import defaultdict
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from lcpgraph import schema
from lcpgraph.exceptions import LcpGraphError, Problem, ValidationError
from lcpgraph.views import forum_members, lcps, memberships, nodes_of_kind, organisation_projection, simple_graph

__all__ = [
    "citywide_reach",
    "critical_ties",
    "empty_boards",
    "isolated_partners",
    "missing_sectors",
    "peripheral_partners",
    "read_expected_sectors",
    "sector_contact_matrix",
    "sector_coverage",
    "sectors_that_never_meet",
    "single_points_of_failure",
    "unreported_lcps",
]

PARTNER_KINDS = (schema.ORGANISATION, schema.PERSON)


def _name(G: nx.Graph, n: str) -> str:
    return G.nodes[n].get("name", n)


def _names(G: nx.Graph, ids, limit: int | None = None) -> str:
    names = sorted(_name(G, n) for n in ids)
    if limit is not None and len(names) > limit:
        return "; ".join(names[:limit]) + f"; and {len(names) - limit} more"
    return "; ".join(names)


def _sector_filter(G: nx.Graph, ids: list[str], sectors) -> list[str]:
    if not sectors:
        return ids
    wanted = {schema.normalise_term(s) for s in sectors}
    return [n for n in ids if schema.normalise_term(G.nodes[n].get("sector", "")) in wanted]


def isolated_partners(G: nx.MultiDiGraph, sectors: list[str] | None = None) -> pd.DataFrame:
    """Organisations and people with no relationship at all.

    Parameters
    ----------
    sectors : list of str, optional
        Keep only these sectors (e.g. ``["third sector"]``).

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
    ids = [n for n in nodes_of_kind(G, *PARTNER_KINDS) if G.degree(n) == 0]
    ids = _sector_filter(G, ids, sectors)
    rows = [
        (
            n,
            _name(G, n),
            G.nodes[n].get("kind"),
            G.nodes[n].get("sector", ""),
            G.nodes[n].get("scope", ""),
            G.nodes[n].get("source", ""),
        )
        for n in ids
    ]
    df = pd.DataFrame(rows, columns=["id", "name", "kind", "sector", "scope", "source"])
    return df.sort_values(["name", "id"]).reset_index(drop=True)


def _reaches_board(G: nx.MultiDiGraph) -> set[str]:
    """Nodes with a path (over any tie) to some board."""
    H = simple_graph(G)
    out: set[str] = set()
    for comp in nx.connected_components(H):
        if any(G.nodes[n].get("kind") == schema.BOARD for n in comp):
            out |= comp
    return out


def peripheral_partners(G: nx.MultiDiGraph, sectors: list[str] | None = None) -> pd.DataFrame:
    """Partners on the edge: in at most one forum, or with no path to any governance board.

    Isolated partners (no ties at all) are left to :func:`isolated_partners`. The path to a
    board is over any relationship, in either direction, on :func:`lcpgraph.views.simple_graph`.

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
    m = memberships(G)
    reach = _reaches_board(G)
    rows = []
    for n in nodes_of_kind(G, *PARTNER_KINDS):
        if G.degree(n) == 0:
            continue
        forums = m[n]
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
                    _name(G, n),
                    G.nodes[n]["kind"],
                    G.nodes[n].get("sector", ""),
                    len(forums),
                    _names(G, forums),
                    n in reach,
                    "; ".join(reasons),
                )
            )
    cols = ["id", "name", "kind", "sector", "forums", "forum_names", "reaches_board", "reason"]
    df = pd.DataFrame(rows, columns=cols)
    df = df[df["id"].isin(_sector_filter(G, df["id"].tolist(), sectors))]
    return df.sort_values(["name", "id"]).reset_index(drop=True)


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
            close = difflib.get_close_matches(schema.normalise_term(value), list(by_norm), n=1, cutoff=0.6)
            hint = f"; did you mean '{by_norm[close[0]]}'?" if close else ""
            problems.append(Problem(str(p), i, "sector", f"sector '{value}' is not known{hint}"))
        elif canonical not in out:
            out.append(canonical)
    if problems:
        raise ValidationError(problems)
    if not out:
        raise ValidationError([Problem(str(p), None, None, "names no sectors; expected one sector per line")])
    return tuple(out)


#: Ties that put a partner *in* an LCP for coverage: sitting in it, supporting it (the LCP
#: development team) or sharing a post with it (a care coordinator).
PRESENCE_KINDS = ("member_of", "chairs", "supports", "shares_role")


def _present_in(G: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Partners (organisations and people) present in each LCP, sorted."""
    out: dict[str, set[str]] = {lcp: set() for lcp in lcps(G)}
    for u, v, k in G.edges(data="kind"):
        if k not in PRESENCE_KINDS:
            continue
        for lcp, p in ((v, u), (u, v)):
            if lcp in out and G.nodes[p].get("kind") in PARTNER_KINDS:
                out[lcp].add(p)
    return {lcp: sorted(ps) for lcp, ps in out.items()}


def sector_coverage(G: nx.MultiDiGraph, expected: tuple[str, ...] | None = None) -> pd.DataFrame:
    """LCP × sector matrix: how many members of each sector sit in each LCP.

    Partners are present in an LCP when they sit in it (``member_of``, ``chairs``), support
    it (``supports``: the LCP development team) or share a post with it (``shares_role``);
    people count under their role's sector when they have one (councillors as elected members).

    Returns
    -------
    pandas.DataFrame
        Columns ``lcp``, ``name``, then one integer column per sector: the expected sectors
        first (default :data:`lcpgraph.schema.EXPECTED_LCP_SECTORS`), then any other sector
        present, in vocabulary order. One row per LCP, sorted by name.
    """
    expected = tuple(expected or schema.EXPECTED_LCP_SECTORS)
    present_in = _present_in(G)
    counts: dict[str, dict[str, int]] = {}
    present: set[str] = set()
    for lcp in lcps(G):
        c: dict[str, int] = defaultdict(int)
        for m in present_in[lcp]:
            s = G.nodes[m].get("sector")
            if s and G.nodes[m].get("kind") in PARTNER_KINDS:
                c[s] += 1
                present.add(s)
        counts[lcp] = c
    vocab = list(G.graph.get("sectors", schema.SECTORS))
    others = [s for s in vocab if s in present and s not in expected]
    others += sorted(present - set(expected) - set(others))
    columns = list(expected) + others
    rows = [[lcp, _name(G, lcp)] + [counts[lcp].get(s, 0) for s in columns] for lcp in counts]
    df = pd.DataFrame(rows, columns=["lcp", "name", *columns])
    for s in columns:
        df[s] = df[s].astype("int64")
    return df.sort_values(["name", "lcp"]).reset_index(drop=True)


def missing_sectors(G: nx.MultiDiGraph, expected: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The expected sectors each LCP has no member from.

    Returns
    -------
    pandas.DataFrame
        Columns ``lcp``, ``name``, ``missing`` (count), ``missing_sectors`` (joined by ``; ``,
        in the expected order); one row per LCP, sorted by ``missing`` (most first), then name.
    """
    expected = tuple(expected or schema.EXPECTED_LCP_SECTORS)
    cov = sector_coverage(G, expected)
    rows = []
    for r in cov.to_dict("records"):
        gone = [s for s in expected if r[s] == 0]
        rows.append((r["lcp"], r["name"], len(gone), "; ".join(gone)))
    df = pd.DataFrame(rows, columns=["lcp", "name", "missing", "missing_sectors"])
    df["missing"] = df["missing"].astype("int64")
    return df.sort_values(["missing", "name"], ascending=[False, True]).reset_index(drop=True)


def unreported_lcps(G: nx.MultiDiGraph) -> pd.DataFrame:
    """LCPs with no reporting line up to any board.

    A reporting line is a chain of ``reports_to`` (or ``part_of``) relationships, followed
    in their direction, that reaches a board.

    Returns
    -------
    pandas.DataFrame
        Columns ``lcp``, ``name``, ``source``; sorted by name.
    """
    up = nx.DiGraph()
    up.add_nodes_from(G)
    up.add_edges_from((u, v) for u, v, k in G.edges(data="kind") if k in ("reports_to", "part_of"))
    boards = set(nodes_of_kind(G, schema.BOARD))
    rows = []
    for lcp in lcps(G):
        if not (nx.descendants(up, lcp) & boards):
            rows.append((lcp, _name(G, lcp), G.nodes[lcp].get("source", "")))
    return pd.DataFrame(rows, columns=["lcp", "name", "source"]).sort_values(["name", "lcp"]).reset_index(drop=True)


def empty_boards(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Boards nobody is recorded as sitting on (no ``member_of`` or ``chairs``).

    Returns
    -------
    pandas.DataFrame
        Columns ``board``, ``name``, ``level``, ``reporting_in`` (bodies that report to it);
        sorted by name.
    """
    fm = forum_members(G)
    rows = []
    for b in nodes_of_kind(G, schema.BOARD):
        if not fm[b]:
            reporting = sum(1 for _, _, k in G.in_edges(b, data="kind") if k == "reports_to")
            rows.append((b, _name(G, b), G.nodes[b].get("level", ""), reporting))
    df = pd.DataFrame(rows, columns=["board", "name", "level", "reporting_in"])
    df["reporting_in"] = df["reporting_in"].astype("int64")
    return df.sort_values(["name", "board"]).reset_index(drop=True)


def _block_cut(H: nx.Graph):
    """Per articulation point: the sizes of the pieces its removal leaves in its component.

    Uses the block–cut tree of each component (blocks = biconnected components), so the
    whole computation is linear in the size of the graph rather than one search per point.
    Returns ``(pieces, comp_of)`` where ``pieces[v]`` is a list of ``(size, start_nodes)``
    and ``start_nodes`` seed a search that stays inside that piece once ``v`` is removed.
    """
    pieces: dict[str, list[tuple[int, list[str]]]] = {}
    for comp in nx.connected_components(H):
        if len(comp) < 3:
            continue
        sub = H.subgraph(comp)
        blocks = [frozenset(b) for b in nx.biconnected_components(sub)]
        aps = set(nx.articulation_points(sub))
        if not aps:
            continue
        T = nx.Graph()
        for i, b in enumerate(blocks):
            T.add_node(("b", i))
            for v in b & aps:
                T.add_edge(("b", i), ("a", v))
        own = {("b", i): len(b - aps) for i, b in enumerate(blocks)}
        root = ("b", 0)
        parent = dict(nx.bfs_predecessors(T, root))
        order = [root, *(v for v in nx.bfs_tree(T, root) if v != root)]
        size = {}
        for t in reversed(order):
            s = own.get(t, 1 if t[0] == "a" else 0)
            s += sum(size[c] for c in T[t] if parent.get(c) == t)
            size[t] = s
        total = len(comp)
        for t in order:
            if t[0] != "a":
                continue
            v = t[1]
            children = [c for c in T[t] if parent.get(c) == t]
            result = [(size[c], sorted(blocks[c[1]] - {v})[:1]) for c in children]
            above = total - 1 - sum(size[c] for c in children)
            if above > 0:
                pb = parent[t]
                result.append((above, sorted(blocks[pb[1]] - {v})[:1]))
            pieces[v] = result
    return pieces


def _piece_names(H: nx.Graph, v: str, start: list[str], limit: int) -> list[str]:
    """Up to ``limit`` node ids of the piece containing ``start`` once ``v`` is removed."""
    seen = set(start)
    queue = list(start)
    out = []
    while queue and len(out) < limit:
        n = queue.pop(0)
        out.append(n)
        for m in sorted(H[n]):
            if m != v and m not in seen:
                seen.add(m)
                queue.append(m)
    return out


def single_points_of_failure(
    G: nx.MultiDiGraph, kinds: tuple[str, ...] = PARTNER_KINDS, names: int = 8
) -> pd.DataFrame:
    """Partners or people whose departure would cut others off (articulation points).

    Computed on :func:`lcpgraph.views.simple_graph` (every record and tie). When the point
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
    H = simple_graph(G)
    rows = []
    for v, parts in _block_cut(H).items():
        if H.nodes[v].get("kind") not in kinds:
            continue
        parts = sorted(parts, key=lambda p: (-p[0], p[1]))
        cut = sum(p[0] for p in parts[1:])
        ids: list[str] = []
        for size, start in parts[1:]:
            if len(ids) >= names:
                break
            ids += _piece_names(H, v, start, min(size, names - len(ids)))
        listed = sorted(_name(H, n) for n in ids)
        text = "; ".join(listed) + (f"; and {cut - len(listed)} more" if cut > len(listed) else "")
        d = H.nodes[v]
        rows.append((v, d.get("name", v), d.get("kind"), d.get("sector", ""), cut, len(parts), text))
    cols = ["id", "name", "kind", "sector", "cut_off", "pieces", "cut_off_names"]
    df = pd.DataFrame(rows, columns=cols)
    df["cut_off"] = df["cut_off"].astype("int64")
    df["pieces"] = df["pieces"].astype("int64")
    return df.sort_values(["cut_off", "id"], ascending=[False, True]).reset_index(drop=True)


def critical_ties(G: nx.MultiDiGraph, names: int = 8) -> pd.DataFrame:
    """Ties whose loss would cut records off (bridges), with the side that would be cut off.

    Computed on :func:`lcpgraph.views.simple_graph`. The smaller side of the bridge is the
    one reported as cut off; a partner hanging on by its only tie is the common case.

    Returns
    -------
    pandas.DataFrame
        Columns ``a``, ``name_a``, ``b``, ``name_b``, ``kinds`` (relationship kinds of the
        tie), ``cut_off`` (size of the smaller side), ``cut_off_names``; sorted by
        ``cut_off`` (most first), then ``a``, ``b``.
    """
    H = simple_graph(G)
    rows = []
    for u, v in nx.bridges(H):
        a, b = sorted((u, v))
        small = _smaller_side(H, a, b)
        listed = sorted(_name(H, n) for n in small[:names])
        text = "; ".join(listed) + (f"; and {len(small) - len(listed)} more" if len(small) > len(listed) else "")
        rows.append((a, _name(H, a), b, _name(H, b), ", ".join(H[a][b]["kinds"]), len(small), text))
    cols = ["a", "name_a", "b", "name_b", "kinds", "cut_off", "cut_off_names"]
    df = pd.DataFrame(rows, columns=cols)
    df["cut_off"] = df["cut_off"].astype("int64")
    return df.sort_values(["cut_off", "a", "b"], ascending=[False, True, True]).reset_index(drop=True)


def _smaller_side(H: nx.Graph, a: str, b: str) -> list[str]:
    """The nodes on the smaller side of the bridge a–b.

    Searches both sides in step, one node at a time, and stops when one side runs out, so
    the cost is proportional to the smaller side, not the whole network.
    """
    sides = []
    for start, block in ((a, b), (b, a)):
        sides.append({"seen": {start}, "queue": [start], "order": [], "block": block})
    while True:
        for side in sides:
            if not side["queue"]:
                return side["order"]
            n = side["queue"].pop()
            side["order"].append(n)
            for m in H[n]:
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
    P = organisation_projection(G)
    vocab = list(G.graph.get("sectors", schema.SECTORS))
    present = {d.get("sector") for _, d in P.nodes(data=True)} - {None}
    sectors = [s for s in vocab if s in present] + sorted(present - set(vocab))
    idx = {s: i for i, s in enumerate(sectors)}
    m = np.zeros((len(sectors), len(sectors)), dtype="int64")
    for u, v in P.edges():
        i, j = idx[P.nodes[u]["sector"]], idx[P.nodes[v]["sector"]]
        m[i, j] += 1
        if i != j:
            m[j, i] += 1
    df = pd.DataFrame(m, columns=sectors)
    df.insert(0, "sector", sectors)
    return df


def sectors_that_never_meet(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Pairs of sectors with no contact at all between their organisations.

    Returns
    -------
    pandas.DataFrame
        Columns ``sector_a``, ``sector_b``, ``organisations_a``, ``organisations_b``; pairs
        in vocabulary order.
    """
    m = sector_contact_matrix(G).set_index("sector")
    counts = defaultdict(int)
    for n in nodes_of_kind(G, schema.ORGANISATION):
        counts[G.nodes[n].get("sector")] += 1
    sectors = list(m.index)
    rows = [(a, b, counts[a], counts[b]) for i, a in enumerate(sectors) for b in sectors[i + 1 :] if m.loc[a, b] == 0]
    return pd.DataFrame(rows, columns=["sector_a", "sector_b", "organisations_a", "organisations_b"])


def citywide_reach(G: nx.MultiDiGraph, max_lcps: int = 5) -> pd.DataFrame:
    """Citywide organisations linked to no LCP, or to more LCPs than they could attend.

    "(For Citywide Third Sector) I struggle to know which Local Care Partnership to
    prioritise." An organisation is linked to an LCP when it sits in it, supports it, funds
    it or shares a role with it.

    Parameters
    ----------
    max_lcps : int
        More LCPs than this is flagged ``over-stretched``.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``name``, ``sector``, ``lcps`` (count), ``lcp_names``, ``flag``
        (``no LCP`` or ``over-stretched``); sorted by flag, then ``lcps`` (most first), name.
    """
    lcp_set = set(lcps(G))
    linked: dict[str, set[str]] = defaultdict(set)
    for u, v in G.edges():
        if v in lcp_set:
            linked[u].add(v)
        elif u in lcp_set:
            linked[v].add(u)
    rows = []
    for n in nodes_of_kind(G, schema.ORGANISATION):
        if G.nodes[n].get("scope") != "citywide":
            continue
        k = len(linked[n])
        flag = "no LCP" if k == 0 else ("over-stretched" if k > max_lcps else "")
        if flag:
            rows.append((n, _name(G, n), G.nodes[n].get("sector", ""), k, _names(G, linked[n]), flag))
    df = pd.DataFrame(rows, columns=["id", "name", "sector", "lcps", "lcp_names", "flag"])
    df["lcps"] = df["lcps"].astype("int64")
    return df.sort_values(["flag", "lcps", "name"], ascending=[True, False, True]).reset_index(drop=True)
