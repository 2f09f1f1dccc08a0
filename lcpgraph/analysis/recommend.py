"""Recommendations: who the network cannot lose, who to brief, who should meet, which unit to join.

The seed interviews ask for decisions, not measures: citywide partners "struggle to know which
Local Care Partnership to prioritise"; an LCP "gives the opportunity to identify duplication and
gaps"; third-sector partners are "sometimes not known or overlooked". Each function here turns
the gaps and duplication tables into suggestions, and every suggestion carries the sentence a
partnership manager would read out (column ``why`` or ``reasons``).

* :func:`key_players` — Borgatti's key-player problems on every record and current tie: the
  ``k`` records whose loss would fragment the network most (KPP-Neg, :func:`cannot_lose`) and
  the ``k`` that reach most of it in one or two steps (KPP-Pos, :func:`brief_first`). Greedy
  with swaps, checked against every possible set when there are few enough.
* :func:`introductions` — for isolated and peripheral partners of the focus sectors, and for
  each local unit missing an expected sector, the introductions that would help most.
* :func:`join_units` — the local units ranked for one partner by fit and need, with weights
  (:data:`JOIN_WEIGHTS`) a caller can change; :func:`unit_choices` does it for every
  place-wide partner of the focus sectors.
* :func:`meet_together` and :func:`covered_seats` — forums that could meet together, and seats
  a colleague already covers.
* :func:`report_section` and :func:`for_partner` — the same findings as an HTML fragment for
  the report and as plain sentences for the map's details panel.

Membership, seats, units, sectors and current ties all come from :mod:`lcpgraph.views`; the
words ("LCP", "locality", "citywide") from the place profile.
"""

from __future__ import annotations

import heapq
import itertools
import math
import re
import warnings
import weakref
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from html import escape
from itertools import combinations
from operator import itemgetter

import networkx as nx
import numpy as np
import pandas as pd

from lcpgraph import schema
from lcpgraph.analysis.frames import frame
from lcpgraph.exceptions import LcpGraphError, NotFoundError, closest, did_you_mean
from lcpgraph.place import Place, place_of
from lcpgraph.views import PARTNER_KINDS, derived, name_of, seats, sector_of, units, units_of

__all__ = [
    "INTRODUCTION_POINTS",
    "JOIN_WEIGHTS",
    "KPP_MEASURES",
    "RECOMMEND_TABLES",
    "KeyPlayers",
    "brief_first",
    "cannot_lose",
    "covered_seats",
    "find_partner",
    "for_partner",
    "introductions",
    "join_units",
    "key_player_sets",
    "key_players",
    "kpp_value",
    "meet_together",
    "need_columns",
    "report_section",
    "unit_choices",
]

# --------------------------------------------------------------------------------------
# small helpers


def _and(names: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _listed(names: Sequence[str], limit: int = 3) -> str:
    """The first ``limit`` names, then how many more."""
    names = list(names)
    if len(names) <= limit:
        return _and(names)
    return ", ".join(names[:limit]) + f" and {len(names) - limit} more"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def _unit_label(G: nx.Graph, u: str, place: Place, unit_set: set[str] | None = None) -> str:
    """``HATCH LCP``, ``North Shire locality``; a name that already says it is left alone.

    ``unit_set``: the local units, when the caller has them as a set (not built again per label).
    """
    name = name_of(G, u)
    if G.nodes[u].get("kind") != schema.PARTNERSHIP or u not in (set(units(G)) if unit_set is None else unit_set):
        return name
    if name.lower().endswith(place.unit.lower()) or name.lower().endswith(place.unit_singular.lower()):
        return name
    return f"{name} {place.unit}"


# --------------------------------------------------------------------------------------
# key players (Borgatti 2006, "Identifying sets of key players in a social network")

#: The key-player measures: name -> (problem, what the value means).
KPP_MEASURES: dict[str, tuple[str, str]] = {
    "fragmentation": (
        "cannot lose",
        "share of pairs of records that cannot reach each other once the set is gone (0 to 1)",
    ),
    "distance": (
        "cannot lose",
        "distance-weighted fragmentation once the set is gone: 0 when everyone is one step from everyone, "
        "1 when nobody can reach anybody",
    ),
    "reach": (
        "brief first",
        "share of all records within the given number of steps of someone in the set (the set included)",
    ),
    "distance_reach": (
        "brief first",
        "distance-weighted reach: each record counts 1 / its distance from the nearest member of the set "
        "(members count 1), averaged over all records",
    ),
}


def _harmonic(h) -> float:
    """Sum over ordered pairs i != j of 1 / distance (0 when apart): the harmonic centralities added up."""
    if h.vcount() < 2:
        return 0.0
    return float(sum(h.harmonic_centrality(normalized=False)))


def _membership(h) -> np.ndarray:
    """The part (connected component) of each vertex: igraph's low-level call, no clustering object."""
    import igraph as ig

    return np.array(ig.GraphBase.connected_components(h), dtype=np.int64)


#: Up to this many edges, the pairs left by each removal are found by one search in Python
#: (:func:`_search`): on a city's network the block–cut tree's fifty-odd numpy calls, and
#: building the graph left, cost more than the whole search.
SMALL_SEARCH = 2_000


def _pairs_left(h, ends: np.ndarray | None = None) -> np.ndarray:
    """Per vertex of ``h``: the ordered pairs still joined within its part once it is removed.

    That is the sum of ``p (p - 1)`` over the pieces its part falls into. A vertex that is not
    a cut point leaves one piece of ``c - 1``; for a cut point the pieces are those of
    :func:`lcpgraph.analysis.gaps.cut_point_pieces` (the block–cut tree, searched once). Every
    vertex is answered at once, in time near-linear in the size of the graph. ``ends`` are
    ``h``'s edges as an ``(m, 2)`` array in its edge order, when the caller has them. A graph
    of at most :data:`SMALL_SEARCH` edges is searched in Python instead, with the same answer.
    """
    if h.ecount() <= SMALL_SEARCH:
        return np.array(_search(h.get_adjlist())[2], dtype=np.int64)
    return _pairs_left_blocks(h, ends)


def _pairs_left_blocks(h, ends: np.ndarray | None = None) -> np.ndarray:
    """:func:`_pairs_left` from the block–cut tree, in numpy (for large graphs)."""
    from lcpgraph.analysis.gaps import cut_point_pieces

    n = h.vcount()
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    part = _membership(h)
    c = np.bincount(part)[part]
    out = (c - 1) * (c - 2)
    points, at, size, _ = cut_point_pieces(h, ends)
    if len(points):
        out[points] = np.bincount(at, weights=size * (size - 1), minlength=len(points)).astype(np.int64)
    return out


def _search(adj: list[list[int]], gone: Iterable[int] = ()) -> tuple[list[int], list[int], list[int]]:
    """:func:`_pairs_left` of the graph ``adj`` (adjacency lists) without the vertices ``gone``,
    by one depth-first search in Python (Hopcroft and Tarjan's cut points).

    A child ``w`` of ``v`` in the search tree whose subtree has no edge back above ``v``
    (``low[w] >= disc[v]``) is a piece of its own once ``v`` goes; the rest of ``v``'s part
    (its parent's side) is one more piece. Linear in the size of the graph, with no fixed cost.

    Returns
    -------
    tuple of lists
        For every vertex not gone, in order: the vertex, the size of its part, and the pairs
        left when it is removed.
    """
    n = len(adj)
    disc = [-1] * n  # discovery order
    for v in gone:
        disc[v] = -2  # never entered: as if not there
    low = [0] * n  # the earliest vertex reached from the subtree by one edge back
    sub = [1] * n  # subtree sizes
    below = [0] * n  # vertices in the pieces split off below v
    pairs = [0] * n  # Σ p (p - 1) over those pieces
    size = [0] * n  # of its part
    out = [0] * n
    t = 0
    for r in range(n):
        if disc[r] != -1:
            continue
        disc[r] = low[r] = t
        t += 1
        part = [r]
        stack = [(r, -1, iter(adj[r]))]
        while stack:
            v, up, it = stack[-1]
            for w in it:
                if disc[w] == -1:
                    disc[w] = low[w] = t
                    t += 1
                    part.append(w)
                    stack.append((w, v, iter(adj[w])))
                    break
                if w != up and -1 < disc[w] < low[v]:
                    low[v] = disc[w]
            else:  # v is done
                stack.pop()
                if up >= 0:
                    s = sub[v]
                    sub[up] += s
                    low[up] = min(low[up], low[v])
                    if low[v] >= disc[up]:
                        below[up] += s
                        pairs[up] += s * (s - 1)
        c = len(part)
        for v in part:
            rest = c - 1 - below[v]  # the root has nothing above it: rest is 0
            out[v] = pairs[v] + rest * (rest - 1)
            size[v] = c
    left = [v for v in range(n) if disc[v] != -2]
    return left, [size[v] for v in left], [out[v] for v in left]


def _fragmentation_from(pairs_joined: float, m: int) -> float:
    """``1 - joined / (m (m - 1))``; 1 when fewer than two records are left (no pair can meet)."""
    return 1.0 - pairs_joined / (m * (m - 1)) if m >= 2 else 1.0


class _Objective:
    """One key-player measure: its value for a set, and for a set plus each candidate in turn."""

    def __init__(self, g, cand: np.ndarray, ends: np.ndarray | None = None) -> None:
        self.g = g
        self.n = g.vcount()
        self.cand = cand  # sorted vertex indices that may be chosen
        self.cand_mask = np.zeros(self.n, dtype=bool)
        self.cand_mask[cand] = True
        self._ends = ends  # g's edges in its edge order (derived(G).full_ends), else read once when needed
        self._seen: dict[frozenset[int], np.ndarray] = {}

    def value(self, S: Sequence[int]) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def values(self, T: Sequence[int]) -> np.ndarray:  # pragma: no cover - abstract
        """``out[v]`` = value of ``T + [v]`` for every candidate ``v`` not in ``T``; ``-inf`` elsewhere."""
        raise NotImplementedError

    def values_once(self, T: Sequence[int]) -> np.ndarray:
        """:meth:`values`, kept by set for this search: the greedy runs and swaps from each start
        ask about the same few sets again and again (on 10,000 records, 25 sets in 85 calls).
        Not used by the exhaustive search, whose sets each come once and would only fill memory."""
        key = frozenset(T)
        if key not in self._seen:
            self._seen[key] = self.values(T)
        return self._seen[key]

    @cached_property
    def adj(self) -> list[list[int]]:
        """``g``'s adjacency lists, read once for :func:`_search`."""
        return self.g.get_adjlist()

    @property
    def ends(self) -> np.ndarray:
        if self._ends is None:
            E = self.g.get_edgelist()
            self._ends = np.array(E, dtype=np.int64).reshape(-1, 2)
        return self._ends

    def _rest(self, T: Sequence[int], with_ends: bool = False):
        """The graph without ``T``, the original index of each of its vertices, and (``with_ends``)
        its edges' ends in its edge order (else ``None``)."""
        if not len(T):
            return self.g, np.arange(self.n), (self.ends if with_ends else None)
        keep = np.ones(self.n, dtype=bool)
        keep[list(T)] = False
        idx = np.flatnonzero(keep)
        # copy-and-delete keeps the order of the vertices and of the edges left, so the edges'
        # ends come from g's in numpy: drop the edges that lose an end, renumber the vertices
        h = self.g.induced_subgraph(idx.tolist(), implementation="copy_and_delete")
        if not with_ends:
            return h, idx, None
        E = self.ends
        renumber = np.cumsum(keep) - 1
        return h, idx, renumber[E[keep[E[:, 0]] & keep[E[:, 1]]]]

    def _finish(self, vals_rest: np.ndarray, idx: np.ndarray, T: Sequence[int]) -> np.ndarray:
        out = np.full(self.n, -np.inf)
        out[idx] = vals_rest
        out[~self.cand_mask] = -np.inf
        out[list(T)] = -np.inf
        return out


class _Fragmentation(_Objective):
    """Borgatti's F on what is left: ``1 - Σ s(s-1) / (m(m-1))`` over the parts, m records left."""

    def value(self, S):
        h, idx, _ = self._rest(S)
        sizes = np.bincount(_membership(h)) if h.vcount() else np.zeros(0, dtype=np.int64)
        return _fragmentation_from(float((sizes * (sizes - 1)).sum()), len(idx))

    def values(self, T):
        if self.g.ecount() <= SMALL_SEARCH:  # one search of g that skips T: no graph built (see _search)
            idx, c, left = (np.array(x, dtype=np.int64) for x in _search(self.adj, T))
        else:
            h, idx, ends = self._rest(T, with_ends=True)
            memb = _membership(h)
            csize = np.bincount(memb) if len(idx) else np.zeros(0, dtype=np.int64)
            c, left = csize[memb], _pairs_left_blocks(h, ends)
        m = len(idx)
        base = float((c - 1).sum())  # Σ s(s - 1) over the parts: each record counts its part less itself
        joined = base - c * (c - 1) + left
        vals = 1.0 - joined / ((m - 1) * (m - 2)) if m - 1 >= 2 else np.ones(m)
        return self._finish(np.asarray(vals, dtype=float), idx, T)


class _DistanceFragmentation(_Objective):
    """Borgatti's distance-weighted fragmentation: ``1 - Σ_{i≠j} (1/d_ij) / (m(m-1))``.

    ``Σ_{i≠j} 1/d_ij`` is the sum of every record's harmonic centrality (igraph, in C).
    Removing one record changes only its own part's sum, so each candidate costs one
    all-pairs search of its part, not of the whole network; and the sums are kept by part,
    so a swap that leaves a part alone does not search it again.
    """

    def __init__(self, g, cand, ends=None) -> None:
        super().__init__(g, cand, ends)
        self._sums: dict[tuple, float] = {}

    def _sum(self, h, vs: list[int], key: tuple) -> float:
        if key not in self._sums:
            self._sums[key] = _harmonic(h.induced_subgraph(vs)) if len(vs) > 1 else 0.0
        return self._sums[key]

    def value(self, S):
        h, idx, _ = self._rest(S)
        return _fragmentation_from(_harmonic(h), len(idx))

    def values(self, T):
        h, idx, _ = self._rest(T)
        m = len(idx)
        memb = _membership(h)
        parts: dict[int, list[int]] = defaultdict(list)
        for v, c in enumerate(memb.tolist()):
            parts[c].append(v)
        keys = {c: tuple(idx[vs].tolist()) for c, vs in parts.items()}  # a part by its original ids
        H = {c: self._sum(h, vs, keys[c]) for c, vs in parts.items()}
        total = sum(H.values())
        vals = np.full(m, -np.inf)
        for v in np.flatnonzero(self.cand_mask[idx]).tolist():
            c = int(memb[v])
            rest = [x for x in parts[c] if x != v]
            without = self._sum(h, rest, (keys[c], int(idx[v])))
            vals[v] = _fragmentation_from(total - H[c] + without, m - 1)
        return self._finish(vals, idx, T)


class _Reach(_Objective):
    """m-reach: the share of records within ``steps`` of someone in the set (the set included)."""

    def __init__(self, g, cand, steps: int, ends=None) -> None:
        super().__init__(g, cand, ends)
        balls = g.neighborhood(cand.tolist(), order=steps)
        self.indptr = np.zeros(len(cand) + 1, dtype=np.int64)
        self.indptr[1:] = np.cumsum([len(b) for b in balls])
        self.indices = np.fromiter((x for b in balls for x in b), dtype=np.int64, count=int(self.indptr[-1]))
        self.pos = {int(v): i for i, v in enumerate(cand.tolist())}

    def ball(self, v: int) -> np.ndarray:
        i = self.pos[v]
        return self.indices[self.indptr[i] : self.indptr[i + 1]]

    def covered(self, S) -> np.ndarray:
        cov = np.zeros(self.n, dtype=bool)
        for v in S:
            cov[self.ball(v)] = True
        return cov

    def value(self, S):
        return float(self.covered(S).sum()) / self.n if self.n else 0.0

    def values(self, T):
        cov = self.covered(T)
        fresh = (~cov)[self.indices].astype(np.int64)
        gains = np.add.reduceat(fresh, self.indptr[:-1]) if len(fresh) else np.zeros(len(self.cand), dtype=np.int64)
        out = np.full(self.n, -np.inf)
        out[self.cand] = (cov.sum() + gains) / self.n
        out[list(T)] = -np.inf
        return out


class _DistanceReach(_Objective):
    """Borgatti's distance-weighted reach: ``Σ_j 1/d(S, j) / n``, a member of the set counting 1."""

    def __init__(self, g, cand, ends=None) -> None:
        super().__init__(g, cand, ends)
        # igraph's breadth-first distances (C), ``inf`` where no path.
        D = np.asarray(g.distances(source=cand.tolist()), dtype=float) if len(cand) else np.zeros((0, self.n))
        with np.errstate(divide="ignore"):
            inv = 1.0 / np.atleast_2d(D)
        inv[np.arange(len(cand)), cand] = 1.0
        self.inv = inv  # candidates × records
        self.pos = {int(v): i for i, v in enumerate(cand.tolist())}

    def _best(self, S) -> np.ndarray:
        if not len(S):
            return np.zeros(self.n)
        return self.inv[[self.pos[v] for v in S]].max(axis=0)

    def value(self, S):
        return float(self._best(S).sum()) / self.n if self.n else 0.0

    def values(self, T):
        best = self._best(T)
        out = np.full(self.n, -np.inf)
        out[self.cand] = np.maximum(self.inv, best).sum(axis=1) / self.n
        out[list(T)] = -np.inf
        return out


def _objective(g, cand: np.ndarray, measure: str, steps: int, ends: np.ndarray | None = None) -> _Objective:
    if measure == "fragmentation":
        return _Fragmentation(g, cand, ends)
    if measure == "distance":
        return _DistanceFragmentation(g, cand, ends)
    if measure == "reach":
        return _Reach(g, cand, steps, ends)
    if measure == "distance_reach":
        return _DistanceReach(g, cand, ends)
    raise LcpGraphError(f"there is no key-player measure '{measure}'{did_you_mean(measure, KPP_MEASURES)}")


_EPS = 1e-12


def _best(vals: np.ndarray, allowed: np.ndarray | None = None) -> int:
    """The index of the highest value (the lowest index among equals), or -1 when none is finite."""
    v = vals if allowed is None else np.where(allowed, vals, -np.inf)
    i = int(np.argmax(v)) if len(v) else -1
    return i if i >= 0 and np.isfinite(v[i]) else -1


def _greedy(obj: _Objective, k: int) -> list[int]:
    return _greedy_from(obj, [], k)


def _greedy_from(obj: _Objective, S: list[int], k: int) -> list[int]:
    """Add the candidate that raises the measure most, one at a time, until ``S`` has ``k``."""
    S = list(S)
    while len(S) < k:
        v = _best(obj.values_once(S))
        if v < 0:
            break
        S.append(v)
    return S


def _swap(obj: _Objective, S: list[int], max_passes: int = 50) -> tuple[list[int], float]:
    """Improve ``S`` by swaps: for each member, put in the best outsider if that scores higher.

    Borgatti's greedy optimisation. For one member at a time the best replacement among all
    candidates comes from one call to ``values``, so a pass costs ``k`` calls.
    """
    S = list(S)
    cur = obj.value(S)
    for _ in range(max_passes):
        improved = False
        for i in range(len(S)):
            T = S[:i] + S[i + 1 :]
            vals = obj.values_once(T)
            v = _best(vals)
            if v >= 0 and v != S[i] and vals[v] > cur + _EPS:
                S[i] = v
                cur = float(vals[v])
                improved = True
        if not improved:
            break
    return S, cur


def _exact(obj: _Objective, k: int) -> tuple[list[int], float, int]:
    """The best set of ``k`` candidates by checking every one: one ``values`` call per (k-1)-set.

    Sets are met in lexicographic order of vertex index and only a strictly better one
    replaces the best so far, so among equally good sets the first (by sorted ids) wins.
    """
    cand = obj.cand.tolist()
    best: list[int] = []
    best_val = -np.inf
    checked = 0
    for T in combinations(cand, k - 1):
        vals = obj.values(list(T))
        allowed = obj.cand_mask.copy()
        if T:
            allowed[: T[-1] + 1] = False
        checked += int(allowed.sum())
        v = _best(vals, allowed)
        if v >= 0 and vals[v] > best_val + _EPS:
            best, best_val = [*T, v], float(vals[v])
    return best, best_val, checked


@dataclass(frozen=True)
class KeyPlayers:
    """A key-player set and how it was found.

    ``ids`` are in the order they were chosen (greedy order; for an exact set, most
    valuable alone first). ``optimum`` is the best value over every set of ``k`` when
    that could be checked (``None`` otherwise) and ``greedy_value`` what the greedy search
    with swaps found; their difference is how far the quick search was from the best.
    """

    measure: str
    k: int
    steps: int
    ids: tuple[str, ...]
    value: float
    baseline: float
    greedy_value: float
    optimum: float | None
    sets_checked: int
    method: str

    @property
    def gap(self) -> float | None:
        return None if self.optimum is None else max(0.0, self.optimum - self.greedy_value)


def _candidates(G: nx.MultiDiGraph, g, ids: list[str], kinds: Iterable[str] | None, limit: int | None) -> np.ndarray:
    d = derived(G)
    allowed = set(kinds) if kinds else set(schema.NODE_KINDS)
    cand = [i for i, n in enumerate(ids) if d.kind.get(n) in allowed]
    if limit is not None and len(cand) > limit:
        # the most-tied records: the others can hardly be key players (documented pruning)
        deg = np.asarray(g.degree())
        cand = sorted(sorted(cand, key=lambda i: (-deg[i], ids[i]))[:limit])
    return np.asarray(cand, dtype=np.int64)


def key_players(
    G: nx.MultiDiGraph,
    k: int = 3,
    measure: str = "fragmentation",
    *,
    kinds: Iterable[str] | None = None,
    steps: int = 2,
    seed: int = 0,
    starts: int | None = None,
    restarts: int = 2,
    exact_limit: int = 100_000,
    max_candidates: int | None = None,
) -> KeyPlayers:
    """Borgatti's key players: the ``k`` records that matter most to the network as a set.

    Computed on every record and current tie (:func:`lcpgraph.views.derived`'s
    ``full_igraph``, undirected, unweighted).

    * ``fragmentation`` (KPP-Neg): ``F = 1 - Σ_parts s(s-1) / (m(m-1))`` on the network left
      when the set is gone (``m`` records left): the share of pairs that can no longer reach
      each other. The set that maximises it is who the network cannot lose.
    * ``distance`` (KPP-Neg): ``1 - Σ_{i≠j} (1/d_ij) / (m(m-1))``: like F, but a longer route
      counts as partly lost.
    * ``reach`` (KPP-Pos): the share of records within ``steps`` of someone in the set (the
      set included): who to brief so news spreads.
    * ``distance_reach`` (KPP-Pos): ``Σ_j 1/d(S, j) / n``, members counting 1.

    The search (Borgatti's greedy optimisation): greedy (each step adds the record that raises
    the measure most; ties go to the smallest id), then swaps (each member replaced by the best
    outsider while that helps). Swaps stop at a local best, so the search starts again from
    the ``starts`` best records alone (greedy from each) and from ``restarts`` random sets
    (seeded); the best set wins. When there are at most ``exact_limit`` sets of ``k``
    candidates (a hundredth of it for the distance measures, which cost an all-pairs search
    per set), every one is checked as well and the best is returned; ``optimum`` and
    ``gap`` say how far the greedy search was from it.
    Fragmentation and reach score every candidate at once (cut points from the block–cut tree,
    or one depth-first search on a network of at most :data:`SMALL_SEARCH` ties; coverage
    counts), so each greedy or swap step is near-linear in the size of the network.

    Parameters
    ----------
    k : int
        How many records in the set.
    measure : str
        One of :data:`KPP_MEASURES`.
    kinds : iterable of str, optional
        Kinds of record that may be chosen (default every kind: partners, partnerships, boards).
    steps : int
        For ``reach``: how many steps count as reached (1 or 2 in practice).
    starts : int, optional
        How many of the best records alone to start a greedy search from (default 10; 3 for
        ``distance``, whose every step is an all-pairs search per candidate).
    seed, restarts : int
        How many random starting sets to improve by swaps, and their seed (same seed, same
        answer).
    exact_limit : int
        Check every set when there are at most this many.
    max_candidates : int, optional
        For the two distance measures only: above this many candidates, only the most-tied
        ``max_candidates`` records are considered (default 50 for ``distance``, each costing an
        all-pairs search of its part; 150 for ``distance_reach``, one search each).

    Returns
    -------
    KeyPlayers

    Examples
    --------
    A path a - b - c - d - e falls into two pairs without c:

    >>> M = nx.MultiDiGraph()
    >>> M.add_nodes_from("abcde", kind="organisation")
    >>> for u, v in ["ab", "bc", "cd", "de"]:
    ...     _ = M.add_edge(u, v, kind="works_with")
    >>> r = key_players(M, k=1)
    >>> r.ids, round(r.value, 4), r.optimum == r.value
    (('c',), 0.6667, True)
    """
    if k < 1:
        raise LcpGraphError(f"k must be at least 1, not {k}")
    if measure not in KPP_MEASURES:
        raise LcpGraphError(f"there is no key-player measure '{measure}'{did_you_mean(measure, KPP_MEASURES)}")
    if starts is None:
        starts = 3 if measure == "distance" else 10  # each start of the distance search costs all-pairs searches
    if max_candidates is None:
        max_candidates = 50 if measure == "distance" else 150
    # the catalogue's three key-player tables ask the same question: answer it once per graph
    key = (
        k,
        measure,
        tuple(sorted(kinds)) if kinds else None,
        steps,
        seed,
        starts,
        restarts,
        exact_limit,
        max_candidates,
    )
    cache = _context(G).__dict__.setdefault("_key_players", {})
    if key not in cache:
        cache[key] = _key_players(G, k, measure, key[2], steps, seed, starts, restarts, exact_limit, max_candidates)
    return cache[key]


def _key_players(
    G: nx.MultiDiGraph,
    k: int,
    measure: str,
    kinds: tuple[str, ...] | None,
    steps: int,
    seed: int,
    starts: int,
    restarts: int,
    exact_limit: int,
    max_candidates: int,
) -> KeyPlayers:
    d = derived(G)
    g, ids = d.full_igraph
    limit = max_candidates if measure in ("distance", "distance_reach") else None
    cand = _candidates(G, g, ids, kinds, limit)
    k = min(k, len(cand))
    obj = _objective(g, cand, measure, steps, d.full_ends)
    baseline = obj.value([])
    if k == 0:
        return KeyPlayers(measure, 0, steps, (), baseline, baseline, baseline, baseline, 0, "no candidates")
    best, best_val = _swap(obj, _greedy(obj, k))
    # Swaps stop at a local best; start again from the next-best first picks (deterministic)
    # and from a few random sets (seeded): on Leeds the best three are not the greedy's first.
    alone = obj.values_once([])
    firsts = [int(v) for v in np.argsort(-alone, kind="stable")[:starts] if np.isfinite(alone[v])]
    rng = np.random.default_rng(seed)
    begins = [_greedy_from(obj, [v], k) for v in firsts[1:]]
    begins += [sorted(rng.choice(cand, size=k, replace=False).tolist()) for _ in range(restarts)]
    for start in begins:
        S, val = _swap(obj, start)
        if val > best_val + _EPS:
            best, best_val = S, val
    greedy_val = best_val
    n_sets = math.comb(len(cand), k)
    optimum: float | None = None
    checked = 0
    method = f"greedy search with swaps from {len(begins) + 1} starting sets (seed {seed})"
    if n_sets <= (exact_limit // 100 if measure in ("distance", "distance_reach") else exact_limit):
        ex, ex_val, checked = _exact(obj, k)
        optimum = ex_val
        method = f"every set of {k} from {len(cand):,} candidates checked ({n_sets:,} sets)"
        if ex_val > best_val + _EPS:
            best, best_val = ex, ex_val
    best = sorted(best, key=lambda v: (-alone[v], ids[v]))  # the most valuable alone first
    return KeyPlayers(
        measure, k, steps, tuple(ids[v] for v in best), best_val, baseline, greedy_val, optimum, checked, method
    )


def kpp_value(G: nx.MultiDiGraph, ids: Iterable[str], measure: str = "fragmentation", steps: int = 2) -> float:
    """The key-player measure of one given set of records (see :func:`key_players`).

    >>> M = nx.MultiDiGraph()
    >>> M.add_nodes_from("abcde", kind="organisation")
    >>> for u, v in ["ab", "bc", "cd", "de"]:
    ...     _ = M.add_edge(u, v, kind="works_with")
    >>> round(kpp_value(M, ["b"]), 4), round(kpp_value(M, ["b"], "distance"), 4), kpp_value(M, ["c"], "reach", 1)
    (0.5, 0.5833, 0.6)
    """
    d = derived(G)
    g, _ = d.full_igraph
    S = sorted(d.index[n] for n in ids)
    cand = np.asarray(S if measure in ("reach", "distance_reach") else [], dtype=np.int64)
    return _objective(g, cand, measure, steps, d.full_ends).value(S)


def _cut_off_alone(g, v: int) -> list[int]:
    """Vertices that lose every route to the largest remaining piece of ``v``'s part if ``v`` goes."""
    part = sorted(g.subcomponent(v))
    rest = [x for x in part if x != v]
    if not rest:
        return []
    h = g.induced_subgraph(rest)
    memb = _membership(h)
    big = int(np.argmax(np.bincount(memb)))  # the lowest-numbered of equally large pieces
    return [rest[i] for i in np.flatnonzero(memb != big).tolist()]


def _cut_off_by(g, S: Sequence[int]) -> list[int]:
    """Records of the main part (the largest) that lose every route to its largest remaining piece without ``S``."""
    if g.vcount() == 0:
        return []
    memb = _membership(g)
    main = set(np.flatnonzero(memb == int(np.argmax(np.bincount(memb)))).tolist()) - set(S)
    keep = sorted(main)
    if not keep:
        return []
    h = g.induced_subgraph(keep)
    m = _membership(h)
    big = int(np.argmax(np.bincount(m)))
    return [keep[i] for i in np.flatnonzero(m != big).tolist()]


def _steps_words(steps: int) -> str:
    return {1: "one step", 2: "two steps", 3: "three steps"}.get(steps, f"{steps} steps")


def _set_sentence(G: nx.MultiDiGraph, r: KeyPlayers) -> str:
    names = _and([name_of(G, n) for n in r.ids])
    n = G.number_of_nodes()
    if r.measure == "fragmentation":
        d = derived(G)
        g, ids = d.full_igraph
        cut = sorted(name_of(G, ids[x]) for x in _cut_off_by(g, [d.index[n] for n in r.ids]))
        return (
            f"If {names} were lost together, {_pct(r.value)} of pairs of records could no longer reach each other "
            f"(now {_pct(r.baseline)}): {_plural(len(cut), 'record')} would lose every route to the main network"
            + (f" ({_listed(cut)})." if cut else ".")
        )
    if r.measure == "distance":
        return (
            f"If {names} were lost together, routes between records would get longer or break: distance-weighted "
            f"fragmentation would rise from {r.baseline:.2f} to {r.value:.2f} (1 = nobody can reach anybody)."
        )
    if r.measure == "reach":
        reached = round(r.value * n)
        return (
            f"Briefing {names} reaches {reached:,} of the {n:,} records ({_pct(r.value)}) within "
            f"{_steps_words(r.steps)}."
        )
    return (
        f"Briefing {names} reaches the network with a distance-weighted reach of {r.value:.2f} (1 = everyone one "
        "step away)."
    )


def _method_sentence(r: KeyPlayers) -> str:
    if r.optimum is None:
        return f"Found by a {r.method}; there were too many possible sets to check them all."
    checked = f"All {r.sets_checked:,} possible sets of {r.k} were checked"
    if r.gap is not None and r.gap > 1e-9:
        return f"{checked}; the quicker greedy search came {r.gap:.3f} short of this best set."
    return f"{checked}; the greedy search found the best set too."


def key_player_sets(
    G: nx.MultiDiGraph,
    k: int = 3,
    *,
    measures: Sequence[str] = ("fragmentation", "reach"),
    results: Mapping[str, KeyPlayers] | None = None,
    **options,
) -> pd.DataFrame:
    """One row per key-player problem: the set, its value, and how it was found.

    Parameters
    ----------
    k : int
        How many records in each set.
    measures : sequence of str
        Which of :data:`KPP_MEASURES` to solve.
    results : mapping, optional
        Results of :func:`key_players` already computed, by measure.
    **options
        Passed to :func:`key_players` (``kinds``, ``steps``, ``seed``, ``starts``, ``restarts``,
        ``exact_limit``, ``max_candidates``).

    Returns
    -------
    pandas.DataFrame
        Columns ``problem`` (``cannot lose`` or ``brief first``), ``measure``, ``k``, ``ids``
        and ``names`` (``"; "``-joined, in the order chosen), ``value``, ``baseline`` (the
        measure with nobody lost or briefed), ``greedy_value`` (what the greedy search
        found), ``optimum`` (the best over every set, NaN when there were too many to
        check), ``gap`` (``optimum - greedy_value``, NaN likewise), ``method``, ``in_words``;
        one row per measure, in the order given.

    Examples
    --------
    >>> M = nx.MultiDiGraph()
    >>> M.add_nodes_from("abcde", kind="organisation")
    >>> for u, v in ["ab", "bc", "cd", "de"]:
    ...     _ = M.add_edge(u, v, kind="works_with")
    >>> key_player_sets(M, 1)[["problem", "ids", "value", "gap"]].values.tolist()
    [['cannot lose', 'c', 0.6666666666666667, 0.0], ['brief first', 'c', 1.0, 0.0]]
    """
    rows = []
    for m in measures:
        r = (results or {}).get(m) or key_players(G, k, m, **options)
        rows.append(
            (
                KPP_MEASURES[m][0],
                m,
                r.k,
                "; ".join(r.ids),
                "; ".join(name_of(G, n) for n in r.ids),
                r.value,
                r.baseline,
                r.greedy_value,
                np.nan if r.optimum is None else r.optimum,
                np.nan if r.gap is None else r.gap,
                r.method,
                _set_sentence(G, r) + " " + _method_sentence(r),
            )
        )
    cols = [
        "problem",
        "measure",
        "k",
        "ids",
        "names",
        "value",
        "baseline",
        "greedy_value",
        "optimum",
        "gap",
        "method",
        "in_words",
    ]
    return frame(
        rows, cols, {"k": "int64", **dict.fromkeys(("value", "baseline", "greedy_value", "optimum", "gap"), "float64")}
    )


def cannot_lose(
    G: nx.MultiDiGraph, k: int = 3, measure: str = "fragmentation", *, result: KeyPlayers | None = None, **options
) -> pd.DataFrame:
    """The ``k`` records whose loss together would fragment the network most (KPP-Neg).

    See :func:`key_players` for the measures and the search; ``**options`` go to it.

    Returns
    -------
    pandas.DataFrame
        Columns ``rank`` (1 = the most damaging loss alone), ``id``, ``name``, ``kind``,
        ``sector``, ``loss_alone`` (the measure if only this record were lost), ``cut_off``
        (records that would lose every route to the rest if it alone were lost),
        ``cut_off_names`` (the first few), ``cut_off_with_set`` (records of the main network
        cut off only because it goes as well as the others), ``why`` (a sentence); one row per
        member of the set.

    Examples
    --------
    >>> M = nx.MultiDiGraph()
    >>> M.add_nodes_from("abcde", kind="organisation")
    >>> for u, v in ["ab", "bc", "cd", "de"]:
    ...     _ = M.add_edge(u, v, kind="works_with")
    >>> cannot_lose(M, 1)[["id", "cut_off", "cut_off_names"]].values.tolist()
    [['c', 2, 'd; e']]
    """
    if measure not in ("fragmentation", "distance"):
        raise LcpGraphError(f"'{measure}' measures reach: use brief_first, or fragmentation or distance here")
    r = result or key_players(G, k, measure, **options)
    d = derived(G)
    g, ids = d.full_igraph
    sec = sector_of(G)
    rows = []
    S = [d.index[n] for n in r.ids]
    together = set(_cut_off_by(g, S))
    for rank, n in enumerate(r.ids, 1):
        v = d.index[n]
        alone = kpp_value(G, [n], measure)
        cut = _cut_off_alone(g, v)
        cut_names = sorted(name_of(G, ids[x]) for x in cut)
        # what goes only because it goes too: cut off by the whole set, not by the others alone
        extra = sorted(name_of(G, ids[x]) for x in together - set(_cut_off_by(g, [x for x in S if x != v])) if x != v)
        if cut:
            why = f"Losing {name_of(G, n)} alone would cut {_plural(len(cut), 'record')} off ({_listed(cut_names)})"
        else:
            why = f"Losing {name_of(G, n)} alone would cut nobody off"
        if len(S) > 1 and extra:
            why += f"; lost with the others, it takes {_plural(len(extra), 'more record')} with it ({_listed(extra)})."
        elif len(S) > 1:
            why += "; it matters through the longer routes the others' loss would leave." if not cut else "."
        else:
            why += "."
        rows.append(
            (
                rank,
                n,
                name_of(G, n),
                d.kind[n],
                sec.get(n, ""),
                alone,
                len(cut),
                "; ".join(cut_names[:8]),
                len(extra),
                why,
            )
        )
    cols = ["rank", "id", "name", "kind", "sector", "loss_alone", "cut_off", "cut_off_names", "cut_off_with_set", "why"]
    return frame(
        rows, cols, {"rank": "int64", "loss_alone": "float64", "cut_off": "int64", "cut_off_with_set": "int64"}
    )


def brief_first(
    G: nx.MultiDiGraph,
    k: int = 3,
    measure: str = "reach",
    *,
    steps: int = 2,
    result: KeyPlayers | None = None,
    **options,
) -> pd.DataFrame:
    """The ``k`` records that together reach most of the network (KPP-Pos): who to brief first.

    See :func:`key_players` for the measures and the search; ``**options`` go to it.

    Returns
    -------
    pandas.DataFrame
        Columns ``rank`` (1 = reaches most alone), ``id``, ``name``, ``kind``, ``sector``,
        ``reach_alone`` (records within ``steps`` of it, itself included), ``adds`` (of those,
        records no one ranked above it reaches), ``why`` (a sentence); one row per member.

    Examples
    --------
    >>> M = nx.MultiDiGraph()
    >>> M.add_nodes_from("abcde", kind="organisation")
    >>> for u, v in ["ab", "bc", "cd", "de"]:
    ...     _ = M.add_edge(u, v, kind="works_with")
    >>> brief_first(M, 1)[["id", "reach_alone"]].values.tolist()
    [['c', 5]]
    """
    if measure not in ("reach", "distance_reach"):
        raise LcpGraphError(f"'{measure}' measures fragmentation: use cannot_lose, or reach or distance_reach here")
    r = result or key_players(G, k, measure, steps=steps, **options)
    d = derived(G)
    g, _ = d.full_igraph
    sec = sector_of(G)
    rows = []
    seen: set[int] = set()
    for rank, n in enumerate(r.ids, 1):
        ball = set(g.neighborhood(d.index[n], order=r.steps))
        new = ball - seen
        seen |= ball
        why = f"{name_of(G, n)} reaches {_plural(len(ball), 'record')} within {_steps_words(r.steps)}"
        why += "." if rank == 1 else f", {len(new):,} of them not reached by those above."
        rows.append((rank, n, name_of(G, n), d.kind[n], sec.get(n, ""), len(ball), len(new), why))
    cols = ["rank", "id", "name", "kind", "sector", "reach_alone", "adds", "why"]
    return frame(rows, cols, {"rank": "int64", "reach_alone": "int64", "adds": "int64"})


# --------------------------------------------------------------------------------------
# what every suggestion needs to know about a graph, computed once per graph

#: Words that say nothing about where a body works: left out when areas are matched.
_AREA_STOPWORDS = frozenset({"the", "of", "and", "in", "at", "for", "on", "to", "a", "an", "local", "area", "areas"})
_AREA_SPLIT = re.compile(r"\s*(?:[,;/&+()]|\band\b)\s*", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(str(text).lower()))


class _Context:
    """The views, sectors, parts, areas and services every suggestion reads, for one graph."""

    def __init__(self, G: nx.MultiDiGraph) -> None:
        from lcpgraph.analysis.duplication import normalise_service
        from lcpgraph.analysis.gaps import organisation_sector

        self.G = G
        self.place = place_of(G)
        d = self.d = derived(G)
        self.kind = d.kind
        self.sector = sector_of(G)
        self.own = organisation_sector(G)
        self.units = units(G)
        self.unit_set = set(self.units)
        self.members = d.members
        self.seats = seats(G)
        self.holders: dict[str, set[str]] = defaultdict(set)  # forum -> partners with a seat in it
        for n, fs in self.seats.items():
            if d.kind.get(n) in PARTNER_KINDS:
                for f in fs:
                    self.holders[f].add(n)
        g, ids = d.full_igraph
        memb = _membership(g) if len(ids) else np.zeros(0, dtype=np.int64)
        self.part = dict(zip(ids, memb.tolist(), strict=True))
        self.part_size = np.bincount(memb) if len(ids) else np.zeros(0, dtype=np.int64)
        boards = [d.index[n] for n, k in d.kind.items() if k == schema.BOARD]
        self.part_has_board = set(memb[boards].tolist()) if boards else set()
        self.n = len(ids)
        # words that name the place or the units themselves say nothing about an area
        generic = set(_AREA_STOPWORDS) | _words(self.place.name)
        for w in (
            self.place.unit_singular,
            self.place.unit_short,
            self.place.unit_plural,
            self.place.unit_short_plural,
        ):
            generic |= _words(w)
        self.generic = frozenset(generic)
        self.services = {
            n: frozenset(s for s in (normalise_service(str(x)) for x in (G.nodes[n].get("services") or ())) if s)
            for n, k in d.kind.items()
            if k in (schema.ORGANISATION, schema.PARTNERSHIP)
        }
        self._contacts: dict[str, frozenset[str]] = {}
        self._unit_services: dict[str, dict[str, list[str]]] = {}
        self._sector_counts: dict[str, dict[str, int]] = {}
        self.unit_count = {p: len(us) for p, us in units_of(G).items()}

    # --- areas

    def phrases(self, n: str) -> list[tuple[str, frozenset[str]]]:
        """The place names in a record's ``area``, each with its significant words."""
        cache = self.__dict__.setdefault("_phrases", {})
        if n not in cache:
            out = []
            for ph in _AREA_SPLIT.split(str(self.G.nodes[n].get("area", "") or "")):
                w = _words(ph) - self.generic
                if w:
                    out.append((ph.strip(), w))
            cache[n] = out
        return cache[n]

    def covers(self, forum: str) -> frozenset[str]:
        """Significant words of a forum's name, area and other names (what area it covers)."""
        cache = self.__dict__.setdefault("_covers", {})
        if forum not in cache:
            nd = self.G.nodes[forum]
            text = " ".join(str(nd.get(a, "") or "") for a in ("name", "area", "alt_names"))
            cache[forum] = _words(text) - self.generic
        return cache[forum]

    # --- indices, so that a need is matched against the few records that could fit, not all

    @cached_property
    def forum_by_word(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for f, k in self.kind.items():
            if k == schema.PARTNERSHIP:
                for w in self.covers(f):
                    out[w].add(f)
        return out

    @cached_property
    def forum_by_service(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for f, k in self.kind.items():
            if k == schema.PARTNERSHIP:
                for sv in self.unit_services(f):
                    out[sv].add(f)
        return out

    @cached_property
    def org_by_word(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for q, k in self.kind.items():
            if k in PARTNER_KINDS:
                for _, ws in self.phrases(q):
                    for w in ws:
                        out[w].add(q)
        return out

    @cached_property
    def org_by_service(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for q, k in self.kind.items():
            if k == schema.ORGANISATION:
                for sv in self.services.get(q, ()):
                    out[sv].add(q)
        return out

    @cached_property
    def part_sizes(self) -> list[int]:
        """:attr:`part_size` as Python ints, for :func:`_gains_of_parts`."""
        return self.part_size.tolist()

    @cached_property
    def wide_by_service(self) -> dict[str, set[str]]:
        """service -> organisations offering it that work across the whole place."""
        return {sv: qs & self.wide for sv, qs in self.org_by_service.items()}

    @cached_property
    def org_by_service_part(self) -> dict[tuple[str, int], set[str]]:
        """(service, part of the network) -> organisations there offering it."""
        out: dict[tuple[str, int], set[str]] = defaultdict(set)
        for sv, qs in self.org_by_service.items():
            for q in qs:
                out[(sv, self.part.get(q, -1))].add(q)
        return out

    @cached_property
    def wide(self) -> frozenset[str]:
        """Records that work across the whole place (or wider: regional, national)."""
        wider = set(schema.SCOPES[: schema.SCOPES.index("placewide") + 1]) | {self.place.place_scope}
        return frozenset(n for n in self.kind if str(self.G.nodes[n].get("scope", "") or "") in wider)

    def lacking(self, sector: str) -> list[str]:
        """The local units with no member of ``sector``."""
        cache = self.__dict__.setdefault("_lacking", {})
        if sector not in cache:
            cache[sector] = [u for u in self.units if not self.sector_counts(u).get(sector)]
        return cache[sector]

    def free(self, sector: str) -> list[str]:
        """Partners of ``sector`` who may be invited anywhere: place-wide ones first, least stretched first."""
        cache = self.__dict__.setdefault("_free", {})
        if sector not in cache:
            found = [q for q, k in self.kind.items() if k in PARTNER_KINDS and self.sector.get(q) == sector]
            found = [q for q in found if _located(self, q)]
            cache[sector] = sorted(
                found, key=lambda q: (not _wide(self, q), self.unit_count.get(q, 0), name_of(self.G, q), q)
            )
        return cache[sector]

    def area_match(self, a: str, b: str) -> str:
        """The place ``a`` works in that ``b`` covers or works in too ("" when none)."""
        if self.kind.get(b) in schema.FORUM_KINDS:
            cover = self.covers(b)
            return next((ph for ph, w in self.phrases(a) if w <= cover), "")
        theirs = self.phrases(b)
        for ph, w in self.phrases(a):
            if any(w <= w2 or w2 <= w for _, w2 in theirs):
                return ph
        return ""

    # --- who knows whom

    def contacts(self, n: str) -> frozenset[str]:
        """Partners ``n`` already meets: a seat in the same forum, or a direct tie of any kind."""
        if n not in self._contacts:
            out: set[str] = set()
            for f in self.seats.get(n, ()):
                out |= self.holders.get(f, set())
            # its neighbours in the simple graph of current ties, without building that graph
            out |= {x for x in self.neighbours.get(n, ()) if self.kind.get(x) in PARTNER_KINDS}
            out.discard(n)
            self._contacts[n] = frozenset(out)
        return self._contacts[n]

    def tied(self, a: str, b: str) -> bool:
        """Any current relationship between ``a`` and ``b``, either way."""
        return b in self.neighbours.get(a, ())

    @cached_property
    def neighbours(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for u, v, _ in self.d.edges:
            out[u].add(v)
            out[v].add(u)
        return out

    @cached_property
    def names(self) -> dict[str, str]:
        """record -> :func:`lcpgraph.views.name_of`, read once: suggestions look names up by the hundred thousand."""
        return {n: str(nd.get("name", n)) for n, nd in self.G.nodes(data=True)}

    def org_sectors(self, f: str) -> set[str]:
        """The sectors of the organisations that are members of ``f``."""
        cache = self.__dict__.setdefault("_org_sectors", {})
        if f not in cache:
            sector, kind = self.sector, self.kind
            cache[f] = {sector.get(m) for m in self.member_set(f) if kind.get(m) == schema.ORGANISATION}
        return cache[f]

    def member_set(self, f: str) -> frozenset[str]:
        cache = self.__dict__.setdefault("_member_sets", {})
        if f not in cache:
            cache[f] = frozenset(self.members.get(f, ()))
        return cache[f]

    # --- units

    def unit_services(self, u: str) -> dict[str, list[str]]:
        """service -> members of ``u`` offering it (plus the forum's own ``services``)."""
        if u not in self._unit_services:
            out: dict[str, list[str]] = defaultdict(list)
            for m in self.members.get(u, ()):
                for s in self.services.get(m, ()):
                    out[s].append(m)
            for s in self.services.get(u, ()):
                out[s].append(u)
            self._unit_services[u] = dict(out)
        return self._unit_services[u]

    def sector_counts(self, u: str) -> dict[str, int]:
        """sector -> members of ``u`` of that sector (by :func:`lcpgraph.views.sector_of`)."""
        if u not in self._sector_counts:
            c: dict[str, int] = defaultdict(int)
            for m in self.members.get(u, ()):
                if self.sector.get(m):
                    c[self.sector[m]] += 1
            self._sector_counts[u] = dict(c)
        return self._sector_counts[u]

    def label(self, n: str) -> str:
        """``HATCH LCP`` for a local unit, else the record's name."""
        cache = self.__dict__.setdefault("_labels", {})
        if n not in cache:
            cache[n] = _unit_label(self.G, n, self.place, self.unit_set) if n in self.unit_set else name_of(self.G, n)
        return cache[n]

    def vocabulary_order(self, sectors: Iterable[str]) -> list[str]:
        vocab = list(self.G.graph.get("sectors", schema.SECTORS))
        pos = {s: i for i, s in enumerate(vocab)}
        return sorted(set(sectors), key=lambda s: (pos.get(s, len(pos)), s))


_CONTEXTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _context(G: nx.MultiDiGraph) -> _Context:
    """One :class:`_Context` per derived view of ``G`` (built again when the graph changes)."""
    d = derived(G)
    ctx = _CONTEXTS.get(d)
    if ctx is None:
        ctx = _CONTEXTS[d] = _Context(G)
    return ctx


# --------------------------------------------------------------------------------------
# introductions

#: Points an introduction scores for each reason, highest first. A partner-to-partner
#: introduction needs a shared area or service; a partner-to-forum one an area, a service, a
#: missing sector or a go-between.
INTRODUCTION_POINTS: dict[str, int] = {
    "area": 3,  # works in an area the other covers or works in
    "sector_gap": 3,  # brings an expected sector the local unit has no partner from
    "service": 2,  # each service in common (at most two count)
    "board": 2,  # gives a partner its first route to a board
    "joins": 2,  # joins two parts of the network that had no route between them
    "via": 1,  # someone already works with both and could make the introduction
    "new_sector": 1,  # each sector the partner would meet for the first time (at most three count)
    "place_wide": 1,  # the partner works across the whole place, so can join any unit
    "sector_hub": 1,  # a place-wide partner of the same sector, in the most units: it can bring the other in
    "stretched": -2,  # the partner already sits in more local units than the place says one can attend
}

_INTRO_COLUMNS = [
    "for_id",
    "for_name",
    "need",
    "priority",
    "introduce_id",
    "introduce_name",
    "introduce_kind",
    "via_id",
    "via_name",
    "shared",
    "joins",
    "fragmentation_drop",
    "board_route",
    "new_sectors",
    "score",
    "why",
]


def _broker(ctx: _Context, side_a: Iterable[str], side_b: Iterable[str], sector: str = "") -> str:
    """A go-between on both sides ("" when none): one of ``sector`` first, then the one who
    meets fewest others (a partner who sits everywhere is everybody's go-between, and nobody's)."""
    both = (side_a if isinstance(side_a, (set, frozenset)) else set(side_a)) & (
        side_b if isinstance(side_b, (set, frozenset)) else set(side_b)
    )
    if not both:
        return ""
    names = ctx.names
    return min(both, key=lambda x: (ctx.sector.get(x) != sector, len(ctx.contacts(x)), names[x], x))


def _wide(ctx: _Context, p: str) -> bool:
    """Whether ``p`` works across the whole place (or wider: regional, national)."""
    return p in ctx.wide


def _located(ctx: _Context, p: str) -> bool:
    """Whether ``p`` may be introduced to forums outside its area.

    Yes when it works place-wide, or when nothing says where it works: no ``area`` and no
    local unit yet. A local partner already in a unit works there ("is your work focused
    around a geographical community?").
    """
    return _wide(ctx, p) or not (ctx.phrases(p) or ctx.unit_count.get(p, 0))


def _sectors_words(sectors: Sequence[str]) -> str:
    """'housing partners', 'primary care and housing partners', 'partners from 5 sectors'."""
    if len(sectors) <= 3:
        return f"{_and(list(sectors))} partners"
    return f"partners from {len(sectors)} sectors ({_listed(list(sectors))})"


def _gains_of_parts(ctx: _Context, alike: dict, pa: int | None, pb: int | None) -> tuple[int, float, bool]:
    """Joining a record of part ``pa`` to one of part ``pb``: records the first newly reaches, the fall in
    fragmentation, a new route to a board for the first. All it depends on are the parts, so each pair
    of parts is worked out once per call of :func:`introductions` (kept in ``alike``)."""
    if pa is None or pb is None or pa == pb:
        return 0, 0.0, False
    kept = alike.setdefault(("gains",), {})
    key = (pa, pb)
    if key not in kept:
        sizes = ctx.part_sizes
        sa, sb = sizes[pa], sizes[pb]
        n = ctx.n
        drop = 2.0 * sa * sb / (n * (n - 1)) if n > 1 else 0.0
        kept[key] = (sb, drop, pa not in ctx.part_has_board and pb in ctx.part_has_board)
    return kept[key]


def _met(ctx: _Context, p: str) -> set[str]:
    own = ctx.own.get(p) or ctx.sector.get(p, "")
    return {ctx.sector[x] for x in ctx.contacts(p) if ctx.sector.get(x)} | ({own} if own else set())


def _sector_hubs(ctx: _Context, sector: str, limit: int = 5) -> list[str]:
    """The place-wide organisations of ``sector`` in the most local units, at most ``limit`` (over-stretched last).

    Those who can bring a partner of their own sector in; kept short so that a sector of
    thousands costs a few comparisons per partner, not thousands.
    """
    if not sector:
        return []
    cache = ctx.__dict__.setdefault("_hubs", {})
    if sector not in cache:
        wide = [
            q
            for q, k in ctx.kind.items()
            if k == schema.ORGANISATION and ctx.own.get(q) == sector and _wide(ctx, q) and ctx.unit_count.get(q, 0) > 0
        ]
        limit_units = ctx.place.max_units_per_partner
        cache[sector] = sorted(
            wide, key=lambda q: (ctx.unit_count[q] > limit_units, -ctx.unit_count[q], name_of(ctx.G, q), q)
        )[:limit]
    return cache[sector]


#: The most candidate forums, and organisations, weighed for one partner's introductions.
CANDIDATES = 60


def _forum_facts(ctx: _Context, alike: dict, f: str) -> tuple:
    """What scoring needs of a forum, whoever the partner, read once per call of :func:`introductions`:
    members, services offered, whether a local unit, sector counts, its organisations' sectors,
    label, part of the network."""
    facts = alike.setdefault(("forum facts",), {})
    if f not in facts:
        facts[f] = (
            ctx.member_set(f),
            ctx.unit_services(f),
            f in ctx.unit_set,
            ctx.sector_counts(f),
            ctx.org_sectors(f),
            ctx.label(f),
            ctx.part.get(f),
        )
    return facts[f]


def _forum_likely(ctx: _Context, pserv: frozenset[str], psec: str, expected: tuple[str, ...], alike: dict):
    """The order in which forums are weighed for a partner: most services in common, then a sector the unit lacks."""
    facts = alike.setdefault(("forum facts",), {})

    def likely(f: str) -> tuple:
        _, offered, is_unit, counts, _, label, _ = facts.get(f) or _forum_facts(ctx, alike, f)
        gap = is_unit and psec in expected and not counts.get(psec)
        return (-len(pserv & offered.keys()), -gap, label, f)

    return likely


def _org_likely(ctx: _Context, pserv: frozenset[str]):
    """The order in which organisations are weighed for a partner: most services in common, then by name."""
    names, services = ctx.names, ctx.services
    empty: frozenset[str] = frozenset()
    return lambda q: (-len(pserv & services.get(q, empty)), names[q], q)


def _top_of(alike: dict, what: tuple, found: set[str], pserv: frozenset[str], by) -> tuple[bool, Iterable[str]]:
    """``(True, found)`` when small enough to keep whole, else ``(False, its first CANDIDATES + 1 by by)``, kept in ``alike``."""
    if len(found) <= CANDIDATES + 1:
        return True, found
    key = ("top", pserv, *what)
    if key not in alike:
        alike[key] = heapq.nsmallest(CANDIDATES + 1, found, key=by)
    return False, alike[key]


def _partner_options(
    ctx: _Context, p: str, expected: tuple[str, ...], top: int, alike: dict | None = None
) -> list[dict]:
    """The ``top`` introductions worth making for partner ``p``: to forums and to other organisations.

    Every candidate is scored first; only those kept get their go-between and sentence (at
    10,000 records a need can have hundreds of candidates). ``alike`` holds, for one call of
    :func:`introductions`, the likeliest candidates found through services and missing sectors,
    by what decides them (the partner's services, sector, whether it may go anywhere, its part
    of the network): partners alike share them instead of each sorting thousands of forums.
    """
    pts, place = INTRODUCTION_POINTS, ctx.place
    alike = {} if alike is None else alike
    names, kind, unit_set = ctx.names, ctx.kind, ctx.unit_set
    psec = ctx.own.get(p) or ctx.sector.get(p, "")
    mine = ctx.contacts(p)
    met = _met(ctx, p)
    pserv = ctx.services.get(p, frozenset())
    anywhere = _located(ctx, p)
    phrases = ctx.phrases(p)
    tied_to = ctx.neighbours.get(p, ())
    gap_here = bool(psec and psec in expected)
    forums: set[str] = set()
    for _, words in phrases:  # forums covering its area
        forums |= set.intersection(*(ctx.forum_by_word.get(w, set()) for w in words))
    likely = _forum_likely(ctx, pserv, psec, expected, alike)
    if anywhere:  # a local partner is introduced to the forums of its own area only
        key = ("forums", pserv, psec)
        if key not in alike:
            found: set[str] = set()
            for sv in pserv:  # forums whose members offer its services
                found |= ctx.forum_by_service.get(sv, set())
            if psec in expected:  # units with no partner of its sector
                found |= set(ctx.lacking(psec))
            # the likeliest CANDIDATES of these are all that can survive the cut below
            alike[key] = found if len(found) <= CANDIDATES else set(heapq.nsmallest(CANDIDATES, found, key=likely))
        forums |= alike[key]
    if len(forums) > CANDIDATES:
        # A region offers thousands of forums to a partner that could go anywhere: weigh only
        # the likeliest (most services in common, then a sector the unit lacks), so the cost per
        # partner stays bounded and the whole table grows with the region, not its square.
        forums = set(heapq.nsmallest(CANDIDATES, forums, key=likely))
    # (score, name, id, what it is): scored cheaply; the details come for the kept few only
    pa = ctx.part.get(p)
    gains = _gains_of_parts
    p_area, p_service, p_gap, p_board = pts["area"], pts["service"], pts["sector_gap"], pts["board"]
    p_joins, p_new, p_via = pts["joins"], pts["new_sector"], pts["via"]
    forum_facts: dict[str, tuple] = alike.setdefault(("forum facts",), {})
    scored: list[tuple] = []
    for f in forums:
        facts = forum_facts.get(f) or _forum_facts(ctx, alike, f)
        ms, offered, is_unit, counts, org_sectors, label, pf = facts
        if p in ms or f in tied_to:
            continue  # never suggest a tie that exists
        area = ctx.area_match(p, f) if phrases else ""
        shared = sorted(sv for sv in pserv if sv in offered)
        gap = bool(is_unit and gap_here and not counts.get(psec))
        if not (area or shared or gap):
            continue
        # a go-between: someone who meets both, else a member of the partner's own sector
        via = not mine.isdisjoint(ms) or bool(psec and psec in org_sectors)
        joins, drop, board = (0, 0.0, False) if pa is None or pf is None or pa == pf else gains(ctx, alike, pa, pf)
        new = len(counts.keys() - met)
        score = (
            p_area * bool(area)
            + p_service * min(len(shared), 2)
            + p_gap * gap
            + p_board * board
            + p_joins * bool(joins)
            + p_new * min(new, 3)
            + p_via * via
        )
        # sorted as they stand: best score, then name, then id (unique, so nothing after it is compared)
        scored.append((-score, label, f, True, area, shared, gap, joins, drop, board))
    # organisations sharing an area or a service: found through an index, not by trying all
    # a peer elsewhere is worth meeting only if it can come to the partner: it works in the same
    # area, place-wide, or in the same part of the network (the same city, in a multi-place dataset)
    pool: set[str] = set()
    for _, w in phrases:
        for x in w:
            pool |= ctx.org_by_word.get(x, set())
    pool = {q for q in pool if kind.get(q) == schema.ORGANISATION}
    part = ctx.part.get(p, -1)
    by = _org_likely(ctx, pserv)
    key = ("orgs", pserv, anywhere, None if anywhere else part)
    if key not in alike:
        # The organisations offering its services, and their likeliest CANDIDATES + 1 (one more
        # than the cut keeps, as the partner itself may be among them). Each service's own set is
        # cut first and kept for every partner with the same services (the top of a union is the
        # top of the tops), so a region's thousand parts do not each sort the place-wide ones.
        tops: list[tuple[bool, Iterable[str]]] = []
        for sv in pserv:
            if anywhere:
                tops.append(_top_of(alike, ("service", sv), ctx.org_by_service.get(sv, set()), pserv, by))
            else:
                tops.append(
                    _top_of(alike, ("part", sv, part), ctx.org_by_service_part.get((sv, part), set()), pserv, by)
                )
                tops.append(_top_of(alike, ("wide", sv), ctx.wide_by_service.get(sv, set()), pserv, by))
        found = set().union(*(t for _, t in tops))  # organisations only: org_by_service holds no other kind
        complete = all(c for c, _ in tops)
        if complete and len(found) <= CANDIDATES + 1:
            alike[key] = (True, found)
        else:
            alike[key] = (False, heapq.nsmallest(CANDIDATES + 1, found, key=by))
    complete, found = alike[key]
    if not complete and not pool:  # nothing of its own area to merge: the shared order holds
        pool = set(found[:CANDIDATES]) if p not in found else set([q for q in found if q != p][:CANDIDATES])
    else:
        pool.update(found)
        pool.discard(p)
        if len(pool) > CANDIDATES or not complete:  # the same bound for organisations (see above)
            pool = set(heapq.nsmallest(CANDIDATES, pool, key=by))
    peers = set(_sector_hubs(ctx, psec)) - {p}
    pool |= peers
    stretch = place.max_units_per_partner
    empty: frozenset[str] = frozenset()
    p_hub, p_stretched = pts["sector_hub"], pts["stretched"]
    org_facts: dict[str, tuple] = alike.setdefault(("org facts",), {})
    for q in pool:
        if q in mine or q in tied_to:
            continue  # they already meet, or already work together
        facts = org_facts.get(q)
        if facts is None:  # what scoring needs of an organisation, whoever the partner: read once per call
            qsec = ctx.own.get(q, "")
            facts = org_facts[q] = (
                ctx.services.get(q, empty),
                ctx.contacts(q),
                qsec,
                ctx.unit_count.get(q, 0) > stretch,
                ctx.part.get(q),
                names[q],
            )
        qserv, contacts, qsec, stretched, pq, name = facts
        area = ctx.area_match(p, q) if phrases else ""
        shared = sorted(pserv & qserv)
        hub = q in peers
        if not (area or shared or hub):
            continue
        joins, drop, board = (0, 0.0, False) if pa is None or pq is None or pa == pq else gains(ctx, alike, pa, pq)
        new = 1 if qsec and qsec not in met else 0
        via = not mine.isdisjoint(contacts)
        score = (
            p_area * bool(area)
            + p_service * min(len(shared), 2)
            + p_hub * hub
            + p_board * board
            + p_joins * bool(joins)
            + p_new * new
            + p_via * via
            + p_stretched * stretched
        )
        scored.append((-score, name, q, False, area, shared, hub, joins, drop, board))
    out = []
    for minus, name, t, forum, area, shared, flag, joins, drop, board in sorted(scored)[:top]:
        score = -minus
        if forum:
            via = _broker(ctx, mine, ctx.member_set(t), psec)
            via_how = "common"
            if not via and psec:
                same = {
                    m for m in ctx.member_set(t) if ctx.sector.get(m) == psec and ctx.kind.get(m) == schema.ORGANISATION
                }
                via = _broker(ctx, same, same, psec)
                via_how = "same sector"
            new = ctx.vocabulary_order(set(ctx.sector_counts(t)) - met)
            say = dict(area=area, services=shared, gap=flag, new=new, via_how=via_how)
            what = place.unit if t in unit_set else "partnership"
        else:
            qsec = ctx.own.get(t, "")
            new = [qsec] if qsec and qsec not in met else []
            via = _broker(ctx, mine, ctx.contacts(t), psec)
            stretched = ctx.unit_count.get(t, 0) > stretch
            say = dict(area=area, services=shared, hub=flag, new=new, stretched=stretched)
            what = ctx.kind[t]
        o = dict(
            introduce_id=t,
            introduce_name=name,
            introduce_kind=what,
            via_id=via,
            shared="; ".join(([area] if area else []) + shared),
            joins=joins,
            fragmentation_drop=drop,
            board_route=board,
            new_sectors="; ".join(new),
            score=score,
            _say=say,
        )
        out.append(_say_partner(ctx, p, psec, o))
    return out


def _say_partner(ctx: _Context, p: str, psec: str, o: dict) -> dict:
    """The sentence of one introduction for partner ``p`` (and the introducer's name)."""
    G, place = ctx.G, ctx.place
    P, T, t = name_of(G, p), o["introduce_name"], o["introduce_id"]
    say = o.pop("_say")
    via = o["via_id"]
    why = []
    if ctx.kind.get(t) == schema.PARTNERSHIP:
        if say["area"]:
            why.append(f"it works in {say['area']}, which {T} covers")
        if say["services"]:
            why.append(f"members of {T} already offer {_and(say['services'])}")
        if say["gap"]:
            why.append(f"{T} has no {psec} partner yet")
        if o["board_route"]:
            line = " through its reporting line" if t in ctx.d.reaches_board else ""
            why.append(f"it would give {P} a route to a board{line}")
        if o["joins"]:
            why.append(f"it would connect {P} to {_plural(o['joins'], 'record')} it cannot reach now")
        if say["new"]:
            why.append(f"{P} would meet {_sectors_words(say['new'])} for the first time")
        if via and say["via_how"] == "common":
            why.append(f"{name_of(G, via)} already works with both and could make the introduction")
        elif via:
            why.append(f"{name_of(G, via)} ({psec}) already sits in {T} and could make the introduction")
    else:
        if say["area"]:
            why.append(f"both work in {say['area']}")
        if say["services"]:
            why.append(f"both offer {_and(say['services'])}")
        if say["hub"]:
            n_units = ctx.unit_count.get(t, 0)
            why.append(
                f"{T} is {psec} too and works {place.place_scope}"
                + ("" if say["stretched"] else f", in {_plural(n_units, place.unit, place.units)}")
            )
        if o["board_route"]:
            why.append(f"it would give {P} a route to a board")
        if o["joins"]:
            why.append(f"it would connect {P} to {_plural(o['joins'], 'record')} it cannot reach now")
        if say["new"]:
            why.append(f"{P} would meet a {say['new'][0]} partner for the first time")
        if via:
            why.append(f"{name_of(G, via)} already works with both and could make the introduction")
        if say["stretched"]:
            why.append(
                f"but {T} already sits in {ctx.unit_count[t]} {place.units}, more than the "
                f"{place.max_units_per_partner} one partner can attend, so may have little time"
            )
    o["via_name"] = name_of(G, via) if via else ""
    o["why"] = f"Introduce {P} to {T}: " + "; ".join(why) + "."
    return o


def _unit_options(
    ctx: _Context, u: str, sector: str, near: set[str], top: int, limit: int = 30, alike: dict | None = None
) -> list[dict]:
    """The ``top`` partners of ``sector`` to invite to local unit ``u``, which has none.

    ``alike`` holds, for one call of :func:`introductions`, the partners near ``u`` by sector:
    a unit missing several sectors gathers them once. Candidates are scored first; only the
    kept few get their go-between and sentence.
    """
    pts, place = INTRODUCTION_POINTS, ctx.place
    alike = {} if alike is None else alike
    T = ctx.label(u)
    members = ctx.member_set(u)
    tied_to = ctx.neighbours.get(u, ())

    names, stretch = ctx.names, place.max_units_per_partner
    part, unit_count = ctx.part, ctx.unit_count
    # what scoring needs of a partner, whatever the unit: read once per call
    who: dict[str, tuple] = alike.setdefault(("who",), {})

    def about(q: str) -> tuple:
        who[q] = (
            bool(ctx.phrases(q)),
            ctx.contacts(q),
            part.get(q),
            q in ctx.wide,
            unit_count.get(q, 0) > stretch,
            names[q],
        )
        return who[q]

    key = ("near", u)
    if key not in alike:
        by_sector: dict[str, set[str]] = defaultdict(set)
        for q in near:
            by_sector[ctx.sector.get(q)].add(q)
        for w in ctx.covers(u):
            for q in ctx.org_by_word.get(w, ()):
                if ctx.area_match(q, u):
                    by_sector[ctx.sector.get(q)].add(q)
        alike[key] = by_sector
    # (partner, the area it shares with u, or None: not looked at yet): not a member or tied
    # already; a local partner already in another unit works there, so needs u's area
    pool: list[tuple[str, str | None]] = []
    for q in sorted(alike[key].get(sector, ())):
        if q in members or q in tied_to:
            continue
        where = ctx.area_match(q, u) if (who.get(q) or about(q))[0] else ""
        if where or _located(ctx, q):
            pool.append((q, where))
            if len(pool) == CANDIDATES:
                break
    p_area, p_via, p_board, p_joins = pts["area"], pts["via"], pts["board"], pts["joins"]
    p_wide, p_stretched, p_gap = pts["place_wide"], pts["stretched"], pts["sector_gap"]
    pu = part.get(u)
    gains = _gains_of_parts
    scored = []
    ranked_already = False
    if not pool:
        # nobody near: the partners of the sector free to go anywhere, place-wide and least stretched
        # first; only the first few hundred are looked at, so a region's unit costs what a city's does
        key = ("free", sector, limit)
        if key not in alike:
            first = list(itertools.islice(ctx.free(sector), 10 * CANDIDATES))[: max(limit, 0)]
            facts = [who.get(q) or about(q) for q in first]
            alike[key] = (
                first,
                set(first),
                set().union(*(c for _, c, *_ in facts)),  # everyone they meet
                any(has_area for has_area, *_ in facts),
                {},
            )
        first, first_set, met_by_them, any_area, ranked = alike[key]
        if (
            not any_area
            and members.isdisjoint(first_set)
            and (not tied_to or tied_to.isdisjoint(first_set))
            and members.isdisjoint(met_by_them)
        ):
            # The usual case: the first of them are all invited, none works in an area and none
            # meets a member (no go-between), so their order depends on the unit's part alone
            # (what joining it gains): ranked once per part of the network.
            if pu not in ranked:
                rows = []
                for q in first:
                    _, _, pq, wide, stretched, name = who[q]
                    joins, drop, board = gains(ctx, alike, pq, pu)
                    score = p_gap + p_board * board + p_joins * bool(joins) + p_wide * wide + p_stretched * stretched
                    rows.append((-score, name, q, "", joins, drop, board, wide, stretched))
                ranked[pu] = sorted(rows)
            pool = [(q, "") for q in first]
            ranked_already = True
            scored = ranked[pu][: max(top, 0)]
        else:
            for q in itertools.islice(ctx.free(sector), 10 * CANDIDATES):
                if len(pool) >= limit:
                    break
                if q not in members and q not in tied_to:  # free partners may go anywhere: no area needed
                    pool.append((q, None))
    for q, area in () if ranked_already else pool:
        has_area, contacts, pq, wide, stretched, name = who.get(q) or about(q)
        if area is None:
            area = ctx.area_match(q, u) if has_area else ""  # no area, no match
        via = not contacts.isdisjoint(members)
        joins, drop, board = (0, 0.0, False) if pq is None or pu is None or pq == pu else gains(ctx, alike, pq, pu)
        score = (
            p_gap
            + p_area * bool(area)
            + p_via * via
            + p_board * board
            + p_joins * bool(joins)
            + p_wide * wide
            + p_stretched * stretched
        )
        # sorted as they stand: best score, then name, then id (unique, so nothing after it is compared)
        scored.append((-score, name, q, area, joins, drop, board, wide, stretched))
    out = []
    for minus, Q, q, area, joins, drop, board, wide, stretched in sorted(scored)[
        : max(top, 0) if ranked_already else top
    ]:
        score = -minus
        via = _broker(ctx, ctx.contacts(q), members, sector)
        why = [f"{T} has no {sector} partner"]
        if area:
            why.append(f"{Q} works in {area}, which {T} covers")
        if wide:
            why.append(f"{Q} works {place.place_scope}")
        if via:
            why.append(f"{names[via]} sits in {T} and already works with {Q}")
        if board:
            why.append(f"it would give {Q} a route to a board")
        if joins:
            why.append(f"it would connect {Q} to {_plural(joins, 'record')} it cannot reach now")
        if stretched:
            why.append(
                f"but {Q} already sits in {ctx.unit_count[q]} {place.units}, more than the "
                f"{place.max_units_per_partner} one partner can attend"
            )
        out.append(
            dict(
                introduce_id=q,
                introduce_name=Q,
                introduce_kind=ctx.kind[q],
                via_id=via,
                shared=area,
                joins=joins,
                fragmentation_drop=drop,
                board_route=board,
                new_sectors=sector,
                score=score,
                via_name=names[via] if via else "",
                why=f"Invite {Q} to {T}: " + "; ".join(why) + ".",
            )
        )
    if not pool:
        out.append(
            dict(
                introduce_id="",
                introduce_name="",
                introduce_kind="",
                via_id="",
                via_name="",
                shared="",
                joins=0,
                fragmentation_drop=0.0,
                board_route=False,
                new_sectors=sector,
                score=0,
                why=f"{T} has no {sector} partner, and no {sector} partner recorded works {place.place_scope} or in "
                "its area: one needs finding first.",
            )
        )
    return out


def introductions(
    G: nx.MultiDiGraph,
    sectors: Iterable[str] | None = None,
    *,
    all_sectors: bool = False,
    expected: Iterable[str] | None = None,
    top: int = 3,
) -> pd.DataFrame:
    """The introductions that would help most: for partners on the edge, and for units missing a sector.

    Two kinds of need are served:

    * each isolated or peripheral partner of the focus sectors (:func:`~lcpgraph.analysis.gaps.
      isolated_partners`, :func:`~lcpgraph.analysis.gaps.peripheral_partners`) gets up to
      ``top`` introductions: to a partnership that covers its area, whose members offer its
      services, or (for a local unit) that has no partner of its sector; to an organisation
      that works in the same area or offers the same service; or to one of its sector's
      place-wide partners in the most units. Where a local partner works is its ``area``, else
      the units it is in: it is introduced to the forums of that area only, and to peers that
      work in it, work place-wide or are in its part of the network;
    * each local unit missing an expected sector (:func:`~lcpgraph.analysis.gaps.missing_sectors`)
      gets up to ``top`` organisations of that sector to invite: those near it (a member
      already meets them, or they work in its area), else the place-wide ones least stretched.

    Each option scores the :data:`INTRODUCTION_POINTS` of its reasons: what the two share,
    what it gains (a first route to a board, parts of the network joined, sectors meeting for
    the first time) and who could make the introduction (a partner who already meets both
    sides, else a member of the unit from the partner's own sector). A tie that exists is
    never suggested: not to a forum the partner is a member of or tied to, nor to a partner it
    has a relationship with or already shares a forum with.

    Parameters
    ----------
    sectors : iterable of str, optional
        Whose isolation to serve; default the place's focus sectors.
    all_sectors : bool
        Serve isolated and peripheral partners of every sector.
    expected : iterable of str, optional
        The expected partner mix for the units; default the place's.
    top : int
        Introductions per need.

    Returns
    -------
    pandas.DataFrame
        Columns ``for_id``, ``for_name`` (the partner or unit helped), ``need`` (why it is
        listed), ``priority`` (1 = the best introduction for that need), ``introduce_id``,
        ``introduce_name``, ``introduce_kind``, ``via_id``, ``via_name`` (who could make the
        introduction, "" when nobody), ``shared`` (areas and services in common), ``joins``
        (records the partner or unit could newly reach), ``fragmentation_drop`` (fall in the
        share of pairs that cannot reach each other), ``board_route`` (a first route to a board),
        ``new_sectors``, ``score`` (points), ``why`` (a sentence). Isolated partners first, then
        peripheral ones, then units; by name; then by priority.

    Examples
    --------
    A charity with no ties, working in the area a local partnership covers:

    >>> M = nx.MultiDiGraph()
    >>> M.add_node("c", kind="organisation", name="Holbeck Garden", sector="third sector", area="Holbeck")
    >>> M.add_node("u", kind="partnership", type="lcp", name="Holbeck and Beeston")
    >>> M.add_node("b", kind="board", name="Board")
    >>> _ = M.add_edge("u", "b", kind="reports_to")
    >>> introductions(M, expected=["third sector"])[["for_name", "introduce_name", "score"]].values.tolist()[0]
    ['Holbeck Garden', 'Holbeck and Beeston local partnership', 10]
    """
    from lcpgraph.analysis.gaps import _isolated_rows, _missing_rows, _peripheral_rows

    ctx = _context(G)
    place = ctx.place
    focus = None if all_sectors else tuple(sectors or place.focus_sectors)
    mix = tuple(expected or place.expected_sectors)
    needs: list[tuple[int, str, str]] = []
    # the gaps tables' rows, not their frames: only the ids and reasons are read
    for pid, *_ in _isolated_rows(G, focus):
        needs.append((0, pid, "isolated: no recorded ties"))
    for pid, *_, reason in _peripheral_rows(G, focus):  # reason: the table's last column
        needs.append((1, pid, f"on the edge: {reason}"))
    # Tuples in the order of the columns (a frame builds faster from them than from dicts), one
    # list per group: isolated partners, partners on the edge, units; each sorted, then joined.
    groups: tuple[list[tuple], ...] = ([], [], [])
    option_columns = _INTRO_COLUMNS[4:]
    alike: dict = {}  # candidates shared by partners alike, for this call only (see _partner_options)
    for group, p, need in needs:
        for i, o in enumerate(_partner_options(ctx, p, mix, top, alike), 1):
            groups[group].append((p, name_of(G, p), need, i, *[o[c] for c in option_columns]))
    near_cache: dict[str, set[str]] = {}
    for u, _, missing, missing_sectors in _missing_rows(G, mix):
        if not missing:
            continue
        if u not in near_cache:
            near: set[str] = set()
            for m in ctx.members.get(u, ()):
                near |= ctx.contacts(m)
            near_cache[u] = near
        for s in missing_sectors.split("; "):
            for i, o in enumerate(_unit_options(ctx, u, s, near_cache[u], top, alike=alike), 1):
                groups[2].append((u, ctx.label(u), f"no {s} partner", i, *[o[c] for c in option_columns]))
    rows: list[tuple] = []
    for found in groups:
        # by for_name, for_id, need, priority: stable sorts from the last key to the first, as a
        # key tuple per row would be (on a region) tens of thousands of objects for the collector
        for column in (3, 2, 0, 1):
            found.sort(key=itemgetter(column))
        rows += found
    return frame(
        rows,
        _INTRO_COLUMNS,
        {
            "priority": "int64",
            "joins": "int64",
            "fragmentation_drop": "float64",
            "board_route": "bool",
            "score": "int64",
        },
    )


# --------------------------------------------------------------------------------------
# which local unit to join

#: How much each criterion counts when local units are ranked for a partner (each criterion
#: is a number from 0 to 1; ``burden`` is taken away). Change them with ``weights=`` or the
#: command line's ``--weight NAME=VALUE``.
JOIN_WEIGHTS: dict[str, float] = {
    "sector": 3.0,  # need: the unit lacks the partner's sector (1 with none, 1/2 with one other, …)
    "fit": 2.0,  # fit: the unit covers the partner's area, or its members offer the partner's services
    "population": 1.0,  # need: the unit's population, as a share of the largest unit's
    "need": 2.0,  # need: the unit's need figures (deprivation, frailty…), 0 least to 1 most needy
    "burden": 1.0,  # cost: joining adds a meeting to a partner already stretched (0 where it is a member)
    "only_link": 2.0,  # keep: the partner is the unit's only member of its sector
}

_LOW_IS_NEEDY = re.compile(r"decile|rank|quintile", re.IGNORECASE)


def need_columns(G: nx.MultiDiGraph) -> dict[str, str]:
    """The numeric columns of the local units that measure need, each with the way need points.

    Every numeric attribute any local unit has, except ``population`` (a criterion of its own).
    A column whose name says ``decile``, ``quintile`` or ``rank`` is ``"low"`` (decile 1 is
    the most deprived); every other is ``"high"`` (more frail people, more spend: more need).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("u", kind="partnership", type="lcp", population=9, frailty_population=3, deprivation_decile=2)
    >>> need_columns(G)
    {'deprivation_decile': 'low', 'frailty_population': 'high'}
    """
    cols: set[str] = set()
    for u in units(G):
        for key, v in G.nodes[u].items():
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and key != "population":
                cols.add(key)
    return {c: ("low" if _LOW_IS_NEEDY.search(c) else "high") for c in sorted(cols)}


def find_partner(G: nx.MultiDiGraph, name: str, kinds: tuple[str, ...] = PARTNER_KINDS) -> str:
    """The id of the record called ``name`` (its id, its name or one of its ``alt_names``, any case).

    Raises
    ------
    NotFoundError
        When nothing matches, naming the closest names; or when two records share the name.
    """
    d = derived(G)
    if name in d.kind and d.kind[name] in kinds:
        return name
    want = name.strip().casefold()
    hits = []
    for n, k in d.kind.items():
        if k not in kinds:
            continue
        names = [name_of(G, n)] + [a.strip() for a in re.split(r";", str(G.nodes[n].get("alt_names", "") or ""))]
        if any(x.casefold() == want for x in names if x):
            hits.append(n)
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise NotFoundError(f"'{name}' names {len(hits)} records ({', '.join(sorted(hits))}): give the id instead")
    choices = sorted(name_of(G, n) for n, k in d.kind.items() if k in kinds)
    close = closest(name, choices, n=3, cutoff=0.5)
    hint = f"; closest: {', '.join(close)}" if close else ""
    raise NotFoundError(f"no partner called '{name}'{hint}")


_JOIN_COLUMNS = [
    "rank",
    "unit",
    "name",
    "score",
    "member",
    "sector",
    "fit",
    "population",
    "need",
    "burden",
    "only_link",
    "reasons",
]


def _ordinal(i: int) -> str:
    return f"{i}{'th' if 11 <= i % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(i % 10, 'th')}"


def _number(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() or abs(v) >= 1000 else f"{v:,.1f}"


class _UnitFigures:
    """The local units' figures, as arrays in the order of :func:`lcpgraph.views.units`."""

    def __init__(self, ctx: _Context, need: Mapping[str, str]) -> None:
        G = ctx.G
        self.units = ctx.units
        self.index = {u: i for i, u in enumerate(self.units)}
        U = len(self.units)

        def column(key: str) -> np.ndarray:
            out = np.full(U, np.nan)
            for i, u in enumerate(self.units):
                v = G.nodes[u].get(key)
                if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
                    out[i] = float(v)
            return out

        self.pop_raw = column("population")
        top = np.nanmax(self.pop_raw) if np.isfinite(self.pop_raw).any() else np.nan
        self.population = np.nan_to_num(self.pop_raw / top) if top and np.isfinite(top) else np.zeros(U)
        self.need_raw: dict[str, np.ndarray] = {}
        self.need_norm: dict[str, np.ndarray] = {}
        for c, way in need.items():
            raw = column(c)
            self.need_raw[c] = raw
            ok = np.isfinite(raw)
            norm = np.full(U, np.nan)
            if ok.any():
                lo, hi = np.nanmin(raw), np.nanmax(raw)
                norm[ok] = 0.5 if hi == lo else (raw[ok] - lo) / (hi - lo)
                if way == "low":
                    norm[ok] = 1.0 - norm[ok]
            self.need_norm[c] = norm
        if self.need_norm:
            stack = np.vstack(list(self.need_norm.values()))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # a unit with no figures is 0, on purpose
                self.need = np.nan_to_num(np.nanmean(stack, axis=0))
        else:
            self.need = np.zeros(U)
        self.has_need = (
            np.vstack([np.isfinite(v) for v in self.need_raw.values()]).any(axis=0)
            if self.need_raw
            else np.zeros(U, dtype=bool)
        )
        self.sector_counts = {}
        for i, u in enumerate(self.units):
            for s, k in ctx.sector_counts(u).items():
                self.sector_counts.setdefault(s, np.zeros(U, dtype=np.int64))[i] = k
        self.offered = {}
        for i, u in enumerate(self.units):
            for s, who in ctx.unit_services(u).items():
                self.offered.setdefault(s, np.zeros(U, dtype=np.int64))[i] = len(who)
        self.covers = [ctx.covers(u) for u in self.units]


def _figures(ctx: _Context, need: Mapping[str, str]) -> _UnitFigures:
    key = ("figures", tuple(sorted(need.items())))
    cache = ctx.__dict__.setdefault("_figures", {})
    if key not in cache:
        cache[key] = _UnitFigures(ctx, need)
    return cache[key]


def _check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    w = dict(JOIN_WEIGHTS)
    for k, v in (weights or {}).items():
        if k not in JOIN_WEIGHTS:
            raise LcpGraphError(
                f"there is no criterion '{k}'{did_you_mean(k, JOIN_WEIGHTS)}; the criteria are: {', '.join(JOIN_WEIGHTS)}"
            )
        if not math.isfinite(float(v)):
            raise LcpGraphError(f"the weight of '{k}' must be a number, not {v}")
        w[k] = float(v)
    return w


def _check_need(G: nx.MultiDiGraph, need: Mapping[str, str] | Iterable[str] | None) -> dict[str, str]:
    found = need_columns(G)
    if need is None:
        return found
    spec = dict(need) if isinstance(need, Mapping) else {c: found.get(c, "high") for c in need}
    numeric = set(found) | {"population"}
    for c, way in spec.items():
        if c not in numeric:
            raise LcpGraphError(
                f"no local unit has a number in column '{c}'{did_you_mean(c, numeric)}"
                + (f"; the need columns are: {', '.join(found)}" if found else "")
            )
        if way not in ("high", "low"):
            raise LcpGraphError(f"need column '{c}': say 'high' or 'low' (which way is needier), not '{way}'")
    return spec


_JOIN_TYPES = {
    "rank": "int64",
    "score": "float64",
    "member": "bool",
    "sector": "float64",
    "fit": "float64",
    "population": "float64",
    "need": "float64",
    "burden": "float64",
    "only_link": "bool",
}


def _rank_units(
    ctx: _Context, p: str, w: Mapping[str, float], need: Mapping[str, str], top: int | None = None
) -> pd.DataFrame:
    return frame(_rank_rows(ctx, p, w, need, top), _JOIN_COLUMNS, _JOIN_TYPES)


def _rank_rows(
    ctx: _Context, p: str, w: Mapping[str, float], need: Mapping[str, str], top: int | None = None
) -> list[tuple]:
    """:func:`join_units`' rows for partner ``p``, in :data:`_JOIN_COLUMNS` order, best first."""
    G, place = ctx.G, ctx.place
    F = _figures(ctx, need)
    U = len(F.units)
    P = name_of(G, p)
    psec = ctx.sector.get(p, "")
    member = np.zeros(U, dtype=bool)
    for u in ctx.d.units_of.get(p, []):
        member[F.index[u]] = True
    counts = F.sector_counts.get(psec, np.zeros(U, dtype=np.int64)) if psec else np.zeros(U, dtype=np.int64)
    others = counts - member.astype(np.int64) if psec else counts
    sector = 1.0 / (1.0 + others) if psec else np.zeros(U)
    pserv = sorted(ctx.services.get(p, frozenset()))
    served = np.zeros((len(pserv), U), dtype=bool)
    mine = member.astype(np.int64)
    for j, s in enumerate(pserv):
        served[j] = (F.offered.get(s, np.zeros(U, dtype=np.int64)) - mine) > 0
    share = served.mean(axis=0) if pserv else np.zeros(U)
    phrases = ctx.phrases(p)
    area = [next((ph for ph, words in phrases if words <= F.covers[i]), "") for i in range(U)]
    fit = np.maximum(share, np.array([1.0 if a else 0.0 for a in area]))
    seats_now = len(ctx.seats.get(p, ()))
    stretch = min(1.0, seats_now / max(1, place.max_units_per_partner))
    burden = np.where(member, 0.0, stretch)
    only = member & (others == 0) & bool(psec)
    parts = {
        "sector": w["sector"] * sector,
        "fit": w["fit"] * fit,
        "population": w["population"] * F.population,
        "need": w["need"] * F.need,
        "burden": -w["burden"] * burden,
        "only_link": w["only_link"] * only,
    }
    score = sum(parts.values())
    names = [name_of(G, u) for u in F.units]
    order = sorted(range(U), key=lambda i: (-round(float(score[i]), 9), names[i], F.units[i]))
    if top is not None:
        order = order[:top]
    n_pop = int(np.isfinite(F.pop_raw).sum())
    rows = []
    for rank, i in enumerate(order, 1):
        u = F.units[i]
        said: list[tuple[float, str]] = []
        if psec and w["sector"] and others[i] == 0 and not member[i]:
            said.append((parts["sector"][i], f"no {psec} partner yet"))
        elif psec and w["sector"] and not member[i]:
            said.append((parts["sector"][i], f"{_plural(int(others[i]), psec + ' partner')} already"))
        if w["fit"] and fit[i] > 0:
            bits = []
            if area[i]:
                bits.append(f"it covers {area[i]}, where {P} works")
            got = [s for j, s in enumerate(pserv) if served[j, i]]
            if got:
                bits.append(f"its members already work on {_and(got)}")
            said.append((parts["fit"][i], "; ".join(bits)))
        if w["population"] and np.isfinite(F.pop_raw[i]):
            biggest = " (the largest)" if F.population[i] == 1.0 and n_pop > 1 else ""
            said.append((parts["population"][i], f"population {_number(F.pop_raw[i])}{biggest}"))
        if w["need"] and F.has_need[i]:
            bits = []
            for c, raw in F.need_raw.items():
                if not np.isfinite(raw[i]):
                    continue
                norm = F.need_norm[c]
                known = np.flatnonzero(np.isfinite(norm))
                pos = 1 + int((norm[known] > norm[i] + 1e-12).sum())
                word, other = ("lowest", "highest") if need[c] == "low" else ("highest", "lowest")
                if pos == 1:
                    where = f"the {word}"
                elif pos == len(known):
                    where = f"the {other}"
                else:
                    where = f"{_ordinal(pos)} {word}"
                label = c.replace("_", " ")
                bits.append((-norm[i], c, f"{label} {_number(raw[i])} ({where} of {len(known)} recorded)"))
            bits.sort()
            said.append((parts["need"][i], "; ".join(b[2] for b in bits[:2])))
        if w["only_link"] and only[i]:
            said.append((parts["only_link"][i], f"{P} is its only {psec} partner: leaving would lose the sector"))
        if w["burden"] and burden[i] > 0:
            said.append(
                (
                    parts["burden"][i],
                    f"joining would add a meeting to the {_plural(seats_now, 'forum')} {P} already sits in",
                )
            )
        said = [x for x in said if x[1]]
        said.sort(key=lambda x: -x[0])
        text = "; ".join(t for _, t in said)
        if member[i]:
            text = f"already a member; {text}" if text else "already a member"
        if w["need"] and F.need_raw and not F.has_need[i]:
            text += ("; " if text else "") + "no need figures recorded"
        rows.append(
            (
                rank,
                u,
                names[i],
                float(score[i]),
                bool(member[i]),
                float(sector[i]),
                float(fit[i]),
                float(F.population[i]),
                float(F.need[i]),
                float(burden[i]),
                bool(only[i]),
                text[:1].upper() + text[1:] + ("." if text else ""),
            )
        )
    return rows


def join_units(
    G: nx.MultiDiGraph,
    partner: str,
    *,
    weights: Mapping[str, float] | None = None,
    need: Mapping[str, str] | Iterable[str] | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """The local units ranked for one partner: which to join, or keep, first.

    "Is your work focused around a geographical community? Does it connect with the priorities
    of an LCP? Can you contribute?" Each unit scores, with :data:`JOIN_WEIGHTS`:

    * ``sector`` (need): ``1 / (1 + others)``, ``others`` being its members of the partner's
      sector other than the partner (1 when it has none);
    * ``fit``: 1 when the unit's name or area covers the partner's area, else the share of the
      partner's services its other members already offer;
    * ``population`` (need): its population over the largest unit's (0 when not recorded);
    * ``need``: the mean over the need columns (:func:`need_columns`) it has figures for of
      each figure scaled 0 (least needy unit) to 1 (neediest); 0 when it has none;
    * ``burden`` (taken away): for a unit it is not in, how stretched the partner is, its seats
      (:func:`lcpgraph.views.seats`) over the place's ``max_units_per_partner``, at most 1;
    * ``only_link`` (keep): 1 when the partner is a member and the unit's only one of its sector.

    Parameters
    ----------
    partner : str
        Its id, name or another name (``alt_names``), any case.
    weights : mapping, optional
        Criteria whose weight to change, e.g. ``{"need": 0}``.
    need : mapping or iterable of str, optional
        Need columns (default all: :func:`need_columns`), or column -> ``"high"``/``"low"``.
    top : int, optional
        Keep the best ``top``.

    Returns
    -------
    pandas.DataFrame
        Columns ``rank``, ``unit``, ``name``, ``score``, ``member`` (already one), then the
        criteria ``sector``, ``fit``, ``population``, ``need``, ``burden`` (0–1 each) and
        ``only_link`` (bool), and ``reasons`` (a sentence, the strongest reason first).
        Sorted by score (highest first), then name.

    Raises
    ------
    NotFoundError
        When no partner has that name.

    Examples
    --------
    >>> M = nx.MultiDiGraph()
    >>> M.add_node("age", kind="organisation", name="Age UK", sector="third sector", scope="citywide")
    >>> M.add_node("a", kind="partnership", type="lcp", name="A", population=100)
    >>> M.add_node("b", kind="partnership", type="lcp", name="B", population=50)
    >>> join_units(M, "Age UK")[["rank", "name", "reasons"]].values.tolist()
    [[1, 'A', 'No third sector partner yet; population 100 (the largest).'], [2, 'B', 'No third sector partner yet; population 50.']]
    """
    ctx = _context(G)
    p = find_partner(G, partner)
    return _rank_units(ctx, p, _check_weights(weights), _check_need(G, need), top)


def unit_choices(
    G: nx.MultiDiGraph,
    sectors: Iterable[str] | None = None,
    *,
    all_sectors: bool = False,
    top: int = 3,
    weights: Mapping[str, float] | None = None,
    need: Mapping[str, str] | Iterable[str] | None = None,
) -> pd.DataFrame:
    """The best ``top`` local units for every place-wide organisation of the focus sectors.

    "(For Citywide Third Sector) I struggle to know which Local Care Partnership to
    prioritise." Place-wide means the organisation's ``scope`` is the place profile's
    ``place_scope``; the ranking is :func:`join_units`'s.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``name`` (the partner), ``sector``, ``rank``, ``unit``, ``unit_name``,
        ``score``, ``member``, ``reasons``; by partner name, then rank.

    Examples
    --------
    >>> M = nx.MultiDiGraph()
    >>> M.add_node("age", kind="organisation", name="Age UK", sector="third sector", scope="citywide")
    >>> M.add_node("a", kind="partnership", type="lcp", name="A")
    >>> unit_choices(M)[["name", "rank", "unit_name"]].values.tolist()
    [['Age UK', 1, 'A']]
    """
    ctx = _context(G)
    focus = None if all_sectors else {schema.normalise_term(s) for s in (sectors or ctx.place.focus_sectors)}
    w, spec = _check_weights(weights), _check_need(G, need)
    rows = []
    for p in sorted(n for n, k in ctx.kind.items() if k == schema.ORGANISATION):
        if G.nodes[p].get("scope") != ctx.place.place_scope:
            continue
        if focus is not None and schema.normalise_term(ctx.own.get(p, "")) not in focus:
            continue
        P, psec = name_of(G, p), ctx.own.get(p, "")
        for rank, u, U, score, member, *_, reasons in _rank_rows(ctx, p, w, spec, top):
            rows.append((p, P, psec, rank, u, U, score, member, reasons))
    cols = ["id", "name", "sector", "rank", "unit", "unit_name", "score", "member", "reasons"]
    if not rows:
        return pd.DataFrame(
            {
                c: pd.Series(dtype=t)
                for c, t in zip(
                    cols, ["str", "str", "str", "int64", "str", "str", "float64", "bool", "str"], strict=True
                )
            }
        )
    rows.sort(key=lambda r: (r[1], r[0], r[3]))  # by partner name, id, then rank
    return frame(rows, cols, {"rank": "int64", "score": "float64", "member": "bool"})


# --------------------------------------------------------------------------------------
# less duplication


def meet_together(G: nx.MultiDiGraph, min_jaccard: float = 0.5, min_shared: int = 2) -> pd.DataFrame:
    """Forums with much the same members, which could meet together.

    The pairs are :func:`~lcpgraph.analysis.duplication.overlapping_forums`'s (seats in both,
    Jaccard index at least ``min_jaccard``), each with who sits in both and a sentence.

    Returns
    -------
    pandas.DataFrame
        Columns ``forum_a``, ``name_a``, ``forum_b``, ``name_b``, ``shared``, ``jaccard``,
        ``shared_names`` (the first eight, by name), ``why``; in the order of
        ``overlapping_forums`` (most alike first).

    Examples
    --------
    >>> M = nx.MultiDiGraph()
    >>> M.add_node("f", kind="partnership", name="F"); M.add_node("g", kind="board", name="G")
    >>> for m in "abc":
    ...     M.add_node(m, kind="organisation", name=m.upper())
    ...     _ = M.add_edge(m, "f", kind="member_of"); _ = M.add_edge(m, "g", kind="member_of")
    >>> meet_together(M)["why"].tolist()
    ['F and G have the same 3 members: they could meet together, or hold one meeting for the business they share.']
    """
    from lcpgraph.analysis.duplication import _overlap_rows

    ctx = _context(G)
    sat: dict[str, set[str]] = defaultdict(set)
    for n, fs in ctx.seats.items():
        for f in fs:
            sat[f].add(n)
    up = ctx.d.upward
    rows = []
    # overlapping_forums' rows, not its frame
    for a, _, b, _, shared, jaccard, members_a, members_b in _overlap_rows(G, min_jaccard, min_shared):
        A, B = ctx.label(a), ctx.label(b)
        both = sorted(name_of(G, x) for x in sat[a] & sat[b])
        union = int(members_a + members_b - shared)
        if shared == union:
            said = f"{A} and {B} have the same {shared} members"
        else:
            said = f"{A} and {B} share {shared} of their {union} members ({_pct(jaccard)})"
        if up.has_edge(a, b) or up.has_edge(b, a):
            lo, hi = (A, B) if up.has_edge(a, b) else (B, A)
            why = f"{said}, and {lo} reports to {hi}: its report could be taken in one joint meeting."
        else:
            why = f"{said}: they could meet together, or hold one meeting for the business they share."
        rows.append((a, name_of(G, a), b, name_of(G, b), int(shared), float(jaccard), "; ".join(both[:8]), why))
    cols = ["forum_a", "name_a", "forum_b", "name_b", "shared", "jaccard", "shared_names", "why"]
    return frame(rows, cols, {"shared": "int64", "jaccard": "float64"})


def covered_seats(G: nx.MultiDiGraph, min_forums: int = 3) -> pd.DataFrame:
    """Seats of busy partners that a colleague already covers: the same organisation, or the same sector.

    For each partner with a seat in at least ``min_forums`` forums (:func:`~lcpgraph.analysis.
    duplication.meeting_burden`), each forum it sits in (and does not chair) where someone else
    with a seat is of the same organisation (its employer, its staff, a colleague with the same
    employer) or, failing that, of the same sector (:func:`lcpgraph.views.sector_of`).

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``name``, ``sector``, ``forums`` (seats it has), ``forum``,
        ``forum_name``, ``how`` (``same organisation`` or ``same sector``), ``covered_by``
        (their names), ``why``; by forums (most first), name, ``how``, forum name.

    Examples
    --------
    >>> M = nx.MultiDiGraph()
    >>> for f in "fgh":
    ...     M.add_node(f, kind="partnership", name=f.upper())
    >>> M.add_node("m", kind="organisation", name="Mind", sector="third sector")
    >>> M.add_node("c", kind="organisation", name="Carers", sector="third sector")
    >>> for f in "fgh":
    ...     _ = M.add_edge("m", f, kind="member_of")
    >>> _ = M.add_edge("c", "f", kind="member_of")
    >>> covered_seats(M)[["name", "forum_name", "how", "covered_by"]].values.tolist()
    [['Mind', 'F', 'same sector', 'Carers']]
    """
    from lcpgraph.analysis.duplication import _burden_rows

    ctx = _context(G)
    employers: dict[str, set[str]] = defaultdict(set)
    chaired: set[tuple[str, str]] = set()
    for u, v, e in ctx.d.edges:
        role = schema.role_of(e.get("kind", ""))
        if role == schema.EMPLOYMENT:
            employers[u].add(v)
        if e.get("kind") == "chairs":
            chaired.add((u, v))

    def same_organisation(p: str, x: str) -> bool:
        return x in employers[p] or p in employers[x] or bool(employers[p] & employers[x])

    rows = []
    for p, _, _, _, n_forums, _, _ in _burden_rows(G, min_forums):  # meeting_burden's rows, not its frame
        psec = ctx.sector.get(p, "")
        for f in ctx.seats.get(p, ()):
            if (p, f) in chaired:
                continue  # a chair's seat is not one to give up
            others = sorted(ctx.holders.get(f, set()) - {p})
            org = [x for x in others if same_organisation(p, x)]
            sec = [x for x in others if psec and ctx.sector.get(x) == psec and x not in org]
            who, how = (org, "same organisation") if org else (sec, "same sector")
            if not who:
                continue
            names = sorted(name_of(G, x) for x in who)
            F = ctx.label(f)
            P = name_of(G, p)
            what = "from the same organisation" if org else f"also {psec}"
            to = "them" if len(names) > 1 else (names[0] if ctx.kind.get(who[0]) == schema.PERSON else "it")
            why = (
                f"In {F}, {_listed(names)}, {what}, {'has a seat' if len(names) == 1 else 'have seats'} too: with "
                f"{n_forums} forums to attend, {P} could leave this seat to {to}."
            )
            rows.append((p, P, psec, int(n_forums), f, name_of(G, f), how, "; ".join(names), why))
    rows.sort(key=lambda r: (-r[3], r[1], r[0], r[6], r[5], r[4]))  # most forums, name, id, how, forum name, forum
    cols = ["id", "name", "sector", "forums", "forum", "forum_name", "how", "covered_by", "why"]
    return frame(rows, cols, {"forums": "int64"})


# --------------------------------------------------------------------------------------
# the report's "What to do next" and the map's "for this partner"

#: The catalogue tables the recommendations are made of, in the order the report reads them.
RECOMMEND_TABLES: tuple[str, ...] = (
    "key_player_sets",
    "cannot_lose",
    "brief_first",
    "introductions",
    "unit_choices",
    "meet_together",
    "covered_seats",
)


def _tables(G: nx.MultiDiGraph, tables: Mapping[str, pd.DataFrame] | None) -> dict[str, pd.DataFrame]:
    """The recommendation tables: those given, the rest made by the catalogue."""
    from lcpgraph import catalogue

    have = dict(tables or {})
    missing = [k for k in RECOMMEND_TABLES if k not in have]
    if missing:
        have.update(catalogue.run(G, missing))
    return have


def _html_table(df: pd.DataFrame, key: str, columns: list[str], place: Place, limit: int | None = None) -> str:
    """An escaped HTML table with the catalogue's headers (the report's markup: numbers right-aligned)."""
    from lcpgraph.catalogue import TABLES

    if df.empty:
        return '<p class="muted">None found.</p>'
    t = TABLES.get(key)
    head = "".join(f"<th>{escape(t.header(c, place) if t else c)}</th>" for c in columns)
    body = []
    for r in (df.head(limit) if limit else df).to_dict("records"):
        cells = []
        for c in columns:
            v = r[c]
            if isinstance(v, bool):
                cells.append(f"<td>{'yes' if v else 'no'}</td>")
            elif isinstance(v, (int, np.integer)):
                cells.append(f'<td class="num">{int(v):,}</td>')
            elif isinstance(v, (float, np.floating)):
                cells.append(f'<td class="num">{float(v):.2f}</td>' if v == v else '<td class="num">–</td>')
            else:
                cells.append(f"<td>{escape(str(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    more = ""
    if limit and len(df) > limit:
        more = f'<p class="muted">Showing {limit} of {len(df)}; the full list is in tables/{escape(key)}.csv.</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"


def _sub(title: str, why: str, content: str) -> str:
    return f'<h3>{escape(title)}</h3><p class="why">{escape(why)}</p>{content}'


def report_section(G: nx.MultiDiGraph, tables: Mapping[str, pd.DataFrame] | None = None) -> str:
    """The report's "What to do next": an HTML fragment (no scripts; every text escaped).

    Sub-sections, each an ``<h3>``, a ``<p class="why">`` and a ``<table>`` like the rest of
    the report: who the network cannot lose, who to brief first, introductions to make, which
    local unit each place-wide partner of the focus sectors should prioritise, forums that
    could meet together and seats a colleague covers.

    Parameters
    ----------
    tables : mapping, optional
        The catalogue's tables already made (the report's ``catalogue.run`` result); any of
        :data:`RECOMMEND_TABLES` missing is made here.

    Examples
    --------
    >>> M = nx.MultiDiGraph()
    >>> M.add_nodes_from("ab", kind="organisation")
    >>> _ = M.add_edge("a", "b", kind="works_with")
    >>> report_section(M).startswith("<h3>")
    True
    """
    from lcpgraph.catalogue import TABLES

    t = _tables(G, tables)
    place = place_of(G)
    sets = t["key_player_sets"].set_index("problem")["in_words"].to_dict() if len(t["key_player_sets"]) else {}

    def entry(key: str, why: str, columns: list[str], df: pd.DataFrame | None = None, limit: int | None = None) -> str:
        return _sub(
            TABLES[key].title_for(place), why, _html_table(t[key] if df is None else df, key, columns, place, limit)
        )

    intro = t["introductions"]
    first = intro[intro["priority"] == 1] if len(intro) else intro
    return "".join(
        [
            entry(
                "cannot_lose",
                sets.get("cannot lose", TABLES["cannot_lose"].sentence_for(place)),
                ["name", "kind", "sector", "why"],
            ),
            entry(
                "brief_first",
                sets.get("brief first", TABLES["brief_first"].sentence_for(place)),
                ["name", "kind", "sector", "why"],
            ),
            entry(
                "introductions",
                TABLES["introductions"].sentence_for(place)
                + f" The best introduction for each need is shown ({len(first)} of {len(intro)} suggestions).",
                ["for_name", "need", "introduce_name", "why"],
                df=first,
                limit=25,
            ),
            entry(
                "unit_choices",
                TABLES["unit_choices"].sentence_for(place),
                ["name", "rank", "unit_name", "reasons"],
                limit=30,
            ),
            entry(
                "meet_together",
                TABLES["meet_together"].sentence_for(place),
                ["name_a", "name_b", "shared", "why"],
                limit=15,
            ),
            entry(
                "covered_seats",
                TABLES["covered_seats"].sentence_for(place),
                ["name", "forum_name", "covered_by", "why"],
                limit=15,
            ),
        ]
    )


_ADVICE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _columns(df: pd.DataFrame, *names: str):
    """The rows of ``df``'s columns ``names`` as tuples of plain Python values."""
    return zip(*(df[c].tolist() for c in names), strict=True)


def _advice(G: nx.MultiDiGraph, t: Mapping[str, pd.DataFrame]) -> dict[str, list[str]]:
    """record id -> the sentences about it, from the recommendation tables."""
    place = place_of(G)
    out: dict[str, list[str]] = defaultdict(list)
    sets = t["key_player_sets"]
    for key, problem, lead in (
        (
            "cannot_lose",
            "cannot lose",
            "The network can least afford to lose {name}: it is one of the {k} records whose loss together would split it most.",
        ),
        (
            "brief_first",
            "brief first",
            "Brief {name} first: it is one of the {k} records that together reach most of the network.",
        ),
    ):
        k = int(sets.loc[sets["problem"] == problem, "k"].iloc[0]) if (sets["problem"] == problem).any() else 0
        for rid, name, why in _columns(t[key], "id", "name", "why"):
            out[rid].append(lead.format(name=name, k=k) + " " + why)
    intro = t["introductions"]
    rows = list(_columns(intro, "priority", "for_id", "introduce_id", "why"))
    for priority, for_id, _, why in rows:
        if priority <= 3:
            out[for_id].append(why)
    for priority, _, introduce_id, why in rows:
        if priority == 1 and introduce_id:
            if len([s for s in out[introduce_id] if s.startswith(("Introduce", "Invite"))]) < 3:
                out[introduce_id].append(why)
    # Each partner's units, best first (ranks are distinct within a partner).
    choices = sorted(_columns(t["unit_choices"], "id", "rank", "unit_name", "name", "reasons"), key=lambda r: r[:2])
    for pid, rank, unit_name, name, reasons in choices:
        reasons = reasons[:1].lower() + reasons[1:] if reasons else ""
        if rank == 1:
            out[pid].append(f"Of the {place.units}, {unit_name} suits {name} best: {reasons}")
        else:
            out[pid].append(f"Then {unit_name}: {reasons}")
    covered: dict[str, list[str]] = defaultdict(list)
    for rid, why in _columns(t["covered_seats"], "id", "why"):
        covered[rid].append(why)
    for n, said in covered.items():  # a panel, not a list: three, then how many more
        out[n] += said[:3] + ([f"The same holds in {_plural(len(said) - 3, 'more forum')}."] if len(said) > 3 else [])
    together: dict[str, list[str]] = defaultdict(list)
    for a, b, why in _columns(t["meet_together"], "forum_a", "forum_b", "why"):
        together[a].append(why)
        together[b].append(why)
    for n, said in together.items():
        out[n] += said[:3]
    return dict(out)


def for_partner(G: nx.MultiDiGraph, node_id: str, tables: Mapping[str, pd.DataFrame] | None = None) -> list[str]:
    """Plain sentences about one record, for the map's "for this partner" panel.

    Whether it is a key player, the introductions that would help it (or that it could
    help with), the local units it should prioritise (place-wide organisations of the focus
    sectors: :func:`unit_choices`), seats a colleague covers, and (for a forum) another forum
    it could meet with. Computed once per graph (and tables object) and kept, so asking for
    every record of a map costs one pass over the tables.

    Parameters
    ----------
    node_id : str
        The record's id.
    tables : mapping, optional
        The catalogue's tables already made (e.g. the report's).

    Returns
    -------
    list of str
        Sentences, most important first; empty when there is nothing to say.

    Examples
    --------
    >>> M = nx.MultiDiGraph()
    >>> M.add_nodes_from("abc", kind="organisation")
    >>> _ = M.add_edge("a", "b", kind="works_with"); _ = M.add_edge("b", "c", kind="works_with")
    >>> for_partner(M, "b")[0].split(":")[0]
    'The network can least afford to lose b'
    """
    d = derived(G)
    kept = _ADVICE.setdefault(d, {})
    # one set of sentences per graph and per tables object (the report's), so a map of every
    # record costs one pass over the tables
    key = None if tables is None else id(tables)
    if key not in kept or (tables is not None and kept[key][0] is not tables):
        kept[key] = (tables, _advice(G, _tables(G, tables)))
    return list(kept[key][1].get(node_id, []))
