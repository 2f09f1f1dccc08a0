"""One meaning per concept: membership, reporting lines, local units and current ties.

The loaded graph is a multigraph of typed relationships. Every analysis, the map and the report
ask the questions below of it, and nothing else decides them:

* which relationships are **current** (:func:`current_edges`): a tie whose ``end`` is before
  the graph's ``as_of`` day (today unless :func:`at` says otherwise), or whose ``start`` is
  after it, is left out;
* who is a **member** of a partnership or board (:func:`members`, :func:`memberships`): see
  :func:`members` for the rule;
* who **sits** in which forum (:func:`seats`): the direct seats only, for meeting burden and
  overlapping forums (a practice in a sub-locality sits in the sub-locality's meetings, not the
  locality's);
* the **local units** (:func:`units`): the partnerships of the types the place profile names;
* **reporting lines** (:func:`reporting_lines`, :func:`reporting_chain`): reporting and
  containment ties followed upwards;
* three simpler graphs: :func:`simple_graph` (every record, every current tie as one
  undirected weighted edge), :func:`organisation_projection` (organisations tied by the forums
  they sit in together and their direct ties); :class:`Derived` also holds both as igraph
  graphs (``full_igraph``, ``projection_igraph``) for the compiled measures.

Everything is computed once per graph and kept (see :func:`derived`): a report asks for the
members of every unit many times, and the answer is the same object each time.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections import defaultdict
from functools import cached_property

import networkx as nx
import numpy as np

from lcpgraph import schema
from lcpgraph.place import place_of

__all__ = [
    "Derived",
    "at",
    "current_edges",
    "derived",
    "forget",
    "is_current",
    "members",
    "memberships",
    "name_of",
    "nodes_of_kind",
    "organisation_projection",
    "partners",
    "reaches_board",
    "reporting_chain",
    "reporting_lines",
    "seats",
    "sector_of",
    "simple_graph",
    "sub_units",
    "units",
    "units_of",
]

PARTNER_KINDS: tuple[str, ...] = (schema.ORGANISATION, schema.PERSON)


def nodes_of_kind(G: nx.Graph, *kinds: str) -> list[str]:
    """Node ids whose ``kind`` is one of ``kinds``, sorted.

    >>> G = nx.Graph(); G.add_node("b", kind="board"); G.add_node("a", kind="organisation")
    >>> nodes_of_kind(G, "organisation", "board")
    ['a', 'b']
    """
    return sorted(n for n, k in G.nodes(data="kind") if k in kinds)


def name_of(G: nx.Graph, n: str) -> str:
    """The display name of record ``n`` (its id when it has none)."""
    return str(G.nodes[n].get("name", n))


# --------------------------------------------------------------------------------------
# time


def _day(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def as_of(G: nx.Graph) -> dt.date:
    """The day a graph's ties are read on: ``G.graph["as_of"]``, or today."""
    return _day(G.graph.get("as_of")) or dt.date.today()


def is_current(data: dict, day: dt.date) -> bool:
    """True when a relationship with these attributes holds on ``day``.

    A tie holds from its ``start`` (if any) to its ``end`` (if any), both days included.

    >>> d = dt.date(2024, 1, 1)
    >>> is_current({}, d), is_current({"end": "2023-03-31"}, d), is_current({"start": "2025-01-01"}, d)
    (True, False, False)
    """
    start, end = _day(data.get("start")), _day(data.get("end"))
    return (start is None or start <= day) and (end is None or end >= day)


def at(G: nx.MultiDiGraph, day: str | dt.date) -> nx.MultiDiGraph:
    """A view of ``G`` whose analyses read the ties that held on ``day`` (``--as-of``).

    The view shares the nodes and relationships with ``G`` (nothing is copied); only its
    graph attributes are its own, so ``G`` keeps its own day.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["a", "b"], kind="organisation")
    >>> _ = G.add_edge("a", "b", kind="works_with", start="2020-01-01", end="2021-12-31")
    >>> len(current_edges(at(G, "2021-06-01"))), len(current_edges(at(G, "2023-01-01")))
    (1, 0)
    """
    view = nx.subgraph_view(G)
    view.graph = dict(G.graph)
    view.graph["as_of"] = _day(day).isoformat()
    return view


def current_edges(G: nx.MultiDiGraph) -> list[tuple[str, str, dict]]:
    """The relationships that hold on the graph's day, as ``(from, to, attributes)``.

    This is the one place that decides which ties count: every analysis reads its edges here.
    """
    return derived(G).edges


# --------------------------------------------------------------------------------------
# the cache of derived structures


class Derived:
    """Everything lcpgraph derives from one graph, computed on first use and kept.

    Build it with :func:`derived`, which caches one per graph (and builds it again when the
    graph's size or day changes). Attributes are plain dicts and lists of sorted ids.
    """

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self._G = weakref.ref(G)
        self.day = as_of(G)
        self.place = place_of(G)
        self.kind: dict[str, str] = dict(G.nodes(data="kind", default=""))
        day = self.day
        self.edges: list[tuple[str, str, dict]] = [(u, v, d) for u, v, d in G.edges(data=True) if is_current(d, day)]
        self.ended = G.number_of_edges() - len(self.edges)

    @property
    def G(self) -> nx.MultiDiGraph:
        G = self._G()
        if G is None:  # pragma: no cover - the graph owns the cache
            raise RuntimeError("the graph these views came from is gone")
        return G

    # --- membership

    @cached_property
    def seats(self) -> dict[str, list[str]]:
        """node -> forums it holds a seat in directly (membership or presence role)."""
        kind = self.kind
        forums = set(schema.FORUM_KINDS)
        out: dict[str, set[str]] = defaultdict(set)
        for u, v, d in self.edges:
            spec = schema.RELATIONSHIP_KINDS.get(d.get("kind", ""))
            if spec is None or spec.role not in schema.MEMBER_ROLES:
                continue
            if kind.get(v) in forums:
                out[u].add(v)
            elif not spec.directed and kind.get(u) in forums:
                out[v].add(u)  # a two-way tie written forum-first (shares_role)
        return {n: sorted(fs) for n, fs in sorted(out.items())}

    @cached_property
    def contains(self) -> dict[str, list[str]]:
        """forum -> forums that are part of it (containment role), sorted."""
        forums = set(schema.FORUM_KINDS)
        out: dict[str, set[str]] = defaultdict(set)
        for u, v, d in self.edges:
            if schema.role_of(d.get("kind", "")) == schema.CONTAINMENT:
                if self.kind.get(u) in forums and self.kind.get(v) in forums:
                    out[v].add(u)
        return {n: sorted(cs) for n, cs in sorted(out.items())}

    def _within(self, forum: str) -> list[str]:
        """``forum`` and every forum part of it, however deep (cycle-safe), sorted."""
        seen = {forum}
        stack = [forum]
        while stack:
            for c in self.contains.get(stack.pop(), ()):
                if c not in seen:
                    seen.add(c)
                    stack.append(c)
        return sorted(seen)

    @cached_property
    def members(self) -> dict[str, list[str]]:
        """forum -> its partner members by the membership rule (every forum appears)."""
        partners = set(PARTNER_KINDS)
        direct: dict[str, set[str]] = defaultdict(set)
        for n, fs in self.seats.items():
            if self.kind.get(n) in partners:
                for f in fs:
                    direct[f].add(n)
        out = {}
        for f in sorted(n for n, k in self.kind.items() if k in schema.FORUM_KINDS):
            ms: set[str] = set()
            for g in self._within(f):
                ms |= direct.get(g, set())
            out[f] = sorted(ms)
        return out

    @cached_property
    def memberships(self) -> dict[str, list[str]]:
        """partner -> forums it is a member of by the rule (every partner appears)."""
        out: dict[str, list[str]] = {n: [] for n in sorted(self.kind) if self.kind[n] in PARTNER_KINDS}
        for f, ms in self.members.items():
            for m in ms:
                out[m].append(f)
        return out

    @cached_property
    def sub_units(self) -> dict[str, list[str]]:
        """forum -> forums inside it: part of it, or sitting in it as a member (every forum appears)."""
        out: dict[str, set[str]] = {f: set() for f in self.members}
        for f, cs in self.contains.items():
            out[f].update(cs)
        for n, fs in self.seats.items():
            if self.kind.get(n) in schema.FORUM_KINDS:
                for f in fs:
                    out[f].add(n)
        return {f: sorted(cs) for f, cs in out.items()}

    @cached_property
    def units(self) -> list[str]:
        types = set(self.place.unit_types)
        G = self.G
        return sorted(n for n, k in self.kind.items() if k == schema.PARTNERSHIP and G.nodes[n].get("type") in types)

    @cached_property
    def units_of(self) -> dict[str, list[str]]:
        unit_set = set(self.units)
        return {p: [f for f in fs if f in unit_set] for p, fs in self.memberships.items()}

    # --- reporting lines

    @cached_property
    def upward(self) -> nx.DiGraph:
        """forum -> forum, one edge per reporting or containment line (current ties)."""
        up = nx.DiGraph()
        up.add_nodes_from(sorted(n for n, k in self.kind.items() if k in schema.FORUM_KINDS))
        for u, v, d in self.edges:
            if schema.role_of(d.get("kind", "")) in schema.UPWARD_ROLES and u in up and v in up:
                up.add_edge(u, v)
        return up

    @cached_property
    def reaches_board(self) -> set[str]:
        """Forums with a reporting line (however long) up to some board."""
        boards = {n for n, k in self.kind.items() if k == schema.BOARD}
        rev = self.upward.reverse(copy=False)
        out: set[str] = set()
        for b in boards:
            out |= {n for n in nx.descendants(rev, b)}
        return out

    # --- degrees and sectors

    @cached_property
    def degree(self) -> dict[str, int]:
        """Current relationships per record, in either direction."""
        deg = dict.fromkeys(self.kind, 0)
        for u, v, _ in self.edges:
            deg[u] += 1
            deg[v] += 1
        return deg

    @cached_property
    def sector(self) -> dict[str, str]:
        """Each record's sector; a person with none takes their employer's (when it is one sector)."""
        G = self.G
        out = {n: str(G.nodes[n].get("sector", "") or "") for n in self.kind}
        employers: dict[str, set[str]] = defaultdict(set)
        for u, v, d in self.edges:
            if schema.role_of(d.get("kind", "")) == schema.EMPLOYMENT and out.get(v):
                employers[u].add(out[v])
        for p, secs in employers.items():
            if not out.get(p) and len(secs) == 1:
                out[p] = next(iter(secs))
        return out

    # --- the simple graphs

    @cached_property
    def simple(self) -> nx.Graph:
        G = self.G
        H = nx.Graph()
        H.graph.update(G.graph)
        H.add_nodes_from(G.nodes(data=True))
        kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
        weights: dict[tuple[str, str], float] = defaultdict(float)
        for u, v, d in self.edges:
            pair = (u, v) if u <= v else (v, u)
            kinds[pair].add(d.get("kind", ""))
            weights[pair] += float(d.get("weight", 1.0))
        for pair in sorted(kinds):
            H.add_edge(*pair, weight=weights[pair], kinds=tuple(sorted(kinds[pair])))
        return H

    @cached_property
    def ids(self) -> list[str]:
        """Every record id, sorted: vertex ``i`` of the igraph graphs is ``ids[i]``."""
        return sorted(self.kind)

    @cached_property
    def index(self) -> dict[str, int]:
        return {n: i for i, n in enumerate(self.ids)}

    @cached_property
    def full_igraph(self):
        """``(g, ids)``: :func:`simple_graph` as an igraph graph, built straight from the ties.

        Edge attributes ``weight`` (sum of the relationships' weights) and ``kinds`` (sorted
        tuple of their kinds); vertex ``i`` is ``ids[i]``. Built once per graph, so no analysis
        converts networkx to igraph again.
        """
        import igraph as ig

        ids, index = self.ids, self.index
        n = len(ids)
        if not self.edges:
            self.__dict__["_full_ends"] = np.zeros((0, 2), dtype=np.int64)
            return ig.Graph(n=n), ids
        a = np.fromiter((index[u] for u, _, _ in self.edges), dtype=np.int64, count=len(self.edges))
        b = np.fromiter((index[v] for _, v, _ in self.edges), dtype=np.int64, count=len(self.edges))
        w = np.fromiter((float(d.get("weight", 1.0)) for _, _, d in self.edges), dtype=float, count=len(self.edges))
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        code = lo * n + hi
        pairs, inverse = np.unique(code, return_inverse=True)
        weights = np.bincount(inverse, weights=w, minlength=len(pairs))
        kinds: list[set[str]] = [set() for _ in range(len(pairs))]
        for j, (_, _, d) in zip(inverse.tolist(), self.edges, strict=True):
            kinds[j].add(d.get("kind", ""))
        ends = np.column_stack([pairs // n, pairs % n])
        self.__dict__["_full_ends"] = ends
        g = ig.Graph(n=n, edges=ends.tolist(), directed=False)
        g.es["weight"] = weights.tolist()
        g.es["kinds"] = [tuple(sorted(k)) for k in kinds]
        return g, ids

    @property
    def full_ends(self) -> np.ndarray:
        """The two vertices of each edge of :attr:`full_igraph`, in its edge order, smaller first."""
        self.full_igraph  # noqa: B018 (builds both)
        return self.__dict__["_full_ends"]

    def projection_arrays(self, include_people: bool = False, exclude: frozenset[str] = frozenset()):
        """The organisation projection as arrays: ``(ids, i, j, shared, direct)`` with i < j.

        ``exclude`` names forums whose shared seats do not count (the units themselves, to ask
        how partners cluster through everything else).
        """
        key = ("arrays", include_people, exclude)
        if key not in self.__dict__:
            self.__dict__[key] = _project(self, include_people, exclude)
        return self.__dict__[key]

    def projection_igraph(self, include_people: bool = False, exclude: frozenset[str] = frozenset()):
        """``(g, ids)``: the organisation projection in igraph, edge attributes ``weight``,
        ``shared_forums``, ``direct_ties``; vertex ``i`` is ``ids[i]``."""
        key = ("igraph", include_people, exclude)
        if key not in self.__dict__:
            import igraph as ig

            ids, i, j, shared, direct = self.projection_arrays(include_people, exclude)
            g = ig.Graph(n=len(ids), edges=np.column_stack([i, j]).tolist(), directed=False)
            g.es["shared_forums"] = shared.tolist()
            g.es["direct_ties"] = direct.tolist()
            g.es["weight"] = (shared + direct).astype(float).tolist()
            self.__dict__[key] = (g, ids)
        return self.__dict__[key]

    @cached_property
    def organisation_labels(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(ids, names, sectors, codes)`` of the organisation projection's vertices, in its order.

        Object arrays of the ids, of each organisation's ``name`` attribute (its id when it has
        none) and of its own ``sector`` ("" when none), and ``int64`` sector codes numbered in
        order of first appearance. Read from the records once per graph (brokerage labels
        every organisation on every call). Shared: do not change them.
        """
        ids = self.projection_arrays()[0]
        node = self.G._node  # the attribute dicts, without a view lookup per organisation
        attrs = [node[v] for v in ids]
        sectors = [str(a.get("sector", "") or "") for a in attrs]
        seen: dict[str, int] = {}
        codes = np.array([seen.setdefault(s, len(seen)) for s in sectors], dtype=np.int64)
        names = [a.get("name", v) for a, v in zip(attrs, ids, strict=True)]
        return np.array(ids, dtype=object), np.array(names, dtype=object), np.array(sectors, dtype=object), codes

    def projection(self, include_people: bool = False, exclude: frozenset[str] = frozenset()) -> nx.Graph:
        key = ("networkx", include_people, exclude)
        if key not in self.__dict__:
            G = self.G
            ids, i, j, shared, direct = self.projection_arrays(include_people, exclude)
            P = nx.Graph()
            P.graph.update(G.graph)
            P.add_nodes_from((n, G.nodes[n]) for n in ids)
            P.add_edges_from(
                (ids[a], ids[b], {"shared_forums": s, "direct_ties": t, "weight": float(s + t)})
                for a, b, s, t in zip(i.tolist(), j.tolist(), shared.tolist(), direct.tolist(), strict=True)
            )
            self.__dict__[key] = P
        return self.__dict__[key]


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def derived(G: nx.MultiDiGraph) -> Derived:
    """The derived structures of ``G``, computed once and kept while ``G`` lives.

    The cache is keyed by the graph object and checked, in constant time, against its number
    of records, its day and its place; analyses call this freely. After adding or removing
    relationships of a graph in place (records keep the count honest), call :func:`forget`.
    """
    sig = (G.number_of_nodes(), G.graph.get("as_of"), id(G.graph.get("place")))
    hit = _CACHE.get(G)
    if hit is not None and hit[0] == sig:
        return hit[1]
    d = Derived(G)
    _CACHE[G] = (sig, d)
    return d


def forget(G: nx.MultiDiGraph) -> None:
    """Drop what :func:`derived` keeps for ``G`` (after changing it in place)."""
    _CACHE.pop(G, None)


# --------------------------------------------------------------------------------------
# the public questions


def units(G: nx.MultiDiGraph) -> list[str]:
    """Ids of the local units: partnerships of the types the place profile names, sorted.

    With no profile the types are :data:`lcpgraph.schema.DEFAULT_UNIT_TYPES`.
    """
    return derived(G).units


def partners(G: nx.MultiDiGraph) -> list[str]:
    """Ids of the partners: organisations and people, sorted."""
    return nodes_of_kind(G, *PARTNER_KINDS)


def members(G: nx.MultiDiGraph, forum: str | None = None) -> list[str] | dict[str, list[str]]:
    """The partners who are members of a partnership or board (of every one, without ``forum``).

    **The membership rule.** A partner (an organisation or a person) is a member of a
    partnership or board when, by a current relationship, it

    * sits in it: ``member_of`` or ``chairs`` (role *membership*);
    * takes part in it without a seat of its own: ``supports`` it (a development team, a host)
      or ``shares_role`` with it (a shared care coordinator) (role *presence*); or
    * is a member of a partnership or board that is ``part_of`` it, however deep (a practice
      in a sub-locality is a member of the locality; role *containment*).

    A person counts as a member in their own right; their employer does not become one
    through them. Partnerships that sit in or are part of a forum are its
    :func:`sub_units`, not its members.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["loc", "sub"], kind="partnership")
    >>> G.add_nodes_from(["gp", "team"], kind="organisation")
    >>> for u, v, k in [("gp", "sub", "member_of"), ("sub", "loc", "part_of"), ("team", "loc", "supports")]:
    ...     _ = G.add_edge(u, v, kind=k)
    >>> members(G, "loc"), members(G, "sub")
    (['gp', 'team'], ['gp'])
    """
    m = derived(G).members
    return m if forum is None else m.get(forum, [])


def memberships(G: nx.MultiDiGraph) -> dict[str, list[str]]:
    """partner -> the partnerships and boards it is a member of (by :func:`members`'s rule)."""
    return derived(G).memberships


def units_of(G: nx.MultiDiGraph) -> dict[str, list[str]]:
    """partner -> the local units it is a member of."""
    return derived(G).units_of


def seats(G: nx.MultiDiGraph) -> dict[str, list[str]]:
    """node -> the forums it holds a seat in directly (membership or presence, no nesting).

    Every kind of record appears only when it has a seat; partnerships that sit on a board
    have seats too.
    """
    return derived(G).seats


def sub_units(G: nx.MultiDiGraph) -> dict[str, list[str]]:
    """forum -> the partnerships and boards inside it (part of it, or sitting in it)."""
    return derived(G).sub_units


def reporting_lines(G: nx.MultiDiGraph) -> nx.DiGraph:
    """Forums joined by their reporting and containment lines, pointing upwards."""
    return derived(G).upward


def reporting_chain(G: nx.MultiDiGraph, forum: str) -> list[tuple[str, str]]:
    """The lines above ``forum``, breadth first: ``(from, to)`` pairs up to the top.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("lcp", kind="partnership"); G.add_nodes_from(["prog", "hwb"], kind="board")
    >>> _ = G.add_edge("lcp", "prog", kind="reports_to"); _ = G.add_edge("prog", "hwb", kind="reports_to")
    >>> reporting_chain(G, "lcp")
    [('lcp', 'prog'), ('prog', 'hwb')]
    """
    up = derived(G).upward
    if forum not in up:
        return []
    out, seen, frontier = [], {forum}, [forum]
    while frontier:
        n = frontier.pop(0)
        for v in sorted(up.successors(n)):
            out.append((n, v))
            if v not in seen:
                seen.add(v)
                frontier.append(v)
    return out


def reaches_board(G: nx.MultiDiGraph, forum: str) -> bool:
    """True when ``forum`` has a reporting line, however long, up to a board."""
    return forum in derived(G).reaches_board


def sector_of(G: nx.MultiDiGraph) -> dict[str, str]:
    """Each record's sector ("" when none); a person with none takes their employer's sector."""
    return derived(G).sector


def simple_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """The current ties as a simple undirected graph.

    Each pair of connected nodes gets one edge whose ``weight`` is the sum of its
    relationships' weights and whose ``kinds`` is the sorted tuple of their kinds. Node
    attributes are kept; isolated nodes too. The result is shared: do not change it.

    >>> M = nx.MultiDiGraph()
    >>> M.add_edge("a", "b", kind="member_of", weight=1.0)
    0
    >>> M.add_edge("b", "a", kind="chairs", weight=2.0)
    0
    >>> H = simple_graph(M)
    >>> H["a"]["b"]["weight"], H["a"]["b"]["kinds"]
    (3.0, ('chairs', 'member_of'))
    """
    return derived(G).simple


def organisation_projection(G: nx.MultiDiGraph, *, include_people: bool = False) -> nx.Graph:
    """Organisations joined by the forums they sit in together and their direct ties.

    Edge attributes: ``shared_forums`` (how many partnerships/boards both hold a seat in, see
    :func:`seats`), ``direct_ties`` (how many current relationships of any kind join the two
    directly) and ``weight`` = their sum. Every organisation is a node, tied or not. The pairs
    are made in numpy (see :meth:`Derived.projection_arrays`), so a forum of *m* members costs
    O(m²) only in its own pairs. The result is shared: do not change it.

    Parameters
    ----------
    include_people : bool
        Also project people (role holders) alongside organisations.

    Examples
    --------
    Two charities in one LCP, one of them also on a board with a trust:

    >>> M = nx.MultiDiGraph()
    >>> for n, k in [("a", "organisation"), ("b", "organisation"), ("t", "organisation"),
    ...              ("lcp", "partnership"), ("hwb", "board")]:
    ...     M.add_node(n, kind=k)
    >>> for u, v in [("a", "lcp"), ("b", "lcp"), ("b", "hwb"), ("t", "hwb")]:
    ...     _ = M.add_edge(u, v, kind="member_of")
    >>> P = organisation_projection(M)
    >>> sorted(P.edges(data="weight"))
    [('a', 'b', 1.0), ('b', 't', 1.0)]
    """
    return derived(G).projection(include_people)


#: Above this many tied pairs the organisation projection is refused with a clear message
#: (about 1.5 GB of memory by the time it is a graph): a forum of tens of thousands of members
#: ties every pair of them.
MAX_PROJECTED_PAIRS = 20_000_000


def _partner_arrays(d: Derived, include_people: bool):
    """``(ids, forums, seat, tie)``: partners sorted, forums sorted, and as ``int64`` arrays of
    index pairs their seats (partner, forum) and their direct ties (partner, partner). Cached."""
    key = ("partner arrays", include_people)
    if key not in d.__dict__:
        kinds = (schema.ORGANISATION, schema.PERSON) if include_people else (schema.ORGANISATION,)
        ids = sorted(n for n, k in d.kind.items() if k in kinds)
        index = {n: i for i, n in enumerate(ids)}
        forums = sorted(n for n, k in d.kind.items() if k in schema.FORUM_KINDS)
        findex = {f: j for j, f in enumerate(forums)}
        seat = [
            (i, findex[f]) for n, fs in d.seats.items() if (i := index.get(n)) is not None for f in fs if f in findex
        ]
        tie = [
            (iu, iv)
            for u, v, _ in d.edges
            if (iu := index.get(u)) is not None and (iv := index.get(v)) is not None and iu != iv
        ]
        d.__dict__[key] = (
            ids,
            forums,
            np.array(seat, dtype=np.int64).reshape(-1, 2),
            np.array(tie, dtype=np.int64).reshape(-1, 2),
        )
    return d.__dict__[key]


def projection_pairs(G: nx.MultiDiGraph, include_people: bool = False) -> int:
    """An upper bound on the pairs the organisation projection would tie (cheap to compute)."""
    _, forums, seat, tie = _partner_arrays(derived(G), include_people)
    sizes = np.bincount(seat[:, 1], minlength=len(forums)).astype(np.int64)
    return int((sizes * (sizes - 1) // 2).sum()) + len(tie)


def pairs_in_runs(sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of positions ``(p, q)``, ``p < q``, that fall in the same group.

    The groups are consecutive runs of positions: the first ``sizes[0]`` positions, then the
    next ``sizes[1]``, and so on. Pairs come ordered by ``p``, then ``q``.

    >>> p, q = pairs_in_runs(np.array([3, 1, 2]))
    >>> p.tolist(), q.tolist()
    ([0, 0, 1, 4], [1, 2, 2, 5])
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    ends = np.cumsum(sizes)
    after = np.repeat(ends, sizes) - np.arange(int(ends[-1]) if len(ends) else 0) - 1  # partners after p
    p = np.repeat(np.arange(len(after)), after)
    starts = np.cumsum(after) - after  # where p's pairs begin in the output
    q = p + 1 + np.arange(len(p)) - np.repeat(starts, after)
    return p, q


def _pairs_within_groups(group: np.ndarray, member: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair ``(a, b)``, ``a < b``, of members that share a group, once per group shared.

    ``group`` and ``member`` are parallel arrays of memberships (one row per seat); a member
    listed twice in one group counts once. The pairs are generated in numpy without a Python
    loop: after sorting by (group, member), each group is a run of positions and
    :func:`pairs_in_runs` pairs the positions within each run.

    >>> a, b = _pairs_within_groups(np.array([0, 0, 0, 1, 1]), np.array([3, 1, 2, 1, 3]))
    >>> sorted(zip(a.tolist(), b.tolist()))
    [(1, 2), (1, 3), (1, 3), (2, 3)]
    """
    if not len(group):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    # Distinct (group, member) seats sorted by group then member: as one code per seat, sorted
    # and masked (np.unique over rows takes fourteen times as long).
    group, member = np.asarray(group, dtype=np.int64), np.asarray(member, dtype=np.int64)
    span = int(member.max()) + 1
    code = np.sort(group * span + member)
    code = code[np.concatenate([[True], code[1:] != code[:-1]])]
    g, m = code // span, code % span
    sizes = np.diff(np.r_[np.flatnonzero(np.r_[True, g[1:] != g[:-1]]), len(g)])
    p, q = pairs_in_runs(sizes)
    return m[p], m[q]


def _project(d: Derived, include_people: bool, exclude: frozenset[str] = frozenset()):
    """Arrays of the organisation projection: pairs sharing seats (numpy) plus direct ties."""
    from lcpgraph.exceptions import LcpGraphError

    G = d.G
    pairs_bound = projection_pairs(G, include_people)
    if pairs_bound > MAX_PROJECTED_PAIRS:
        biggest = max(d.members, key=lambda f: len(d.members[f]), default="")
        raise LcpGraphError(
            f"the organisation projection would tie up to {pairs_bound:,} pairs of partners (the largest forum, "
            f"'{name_of(G, biggest)}', has {len(d.members.get(biggest, [])):,} members), more than the "
            f"{MAX_PROJECTED_PAIRS:,} lcpgraph can hold in memory; analyses of who works with whom are not "
            "meaningful for forums that large: split them into the groups that actually meet"
        )
    ids, forums, seat, tie = _partner_arrays(d, include_people)
    if exclude:
        seat = seat[~np.isin(seat[:, 1], [j for j, f in enumerate(forums) if f in exclude])]
    sa, sb = _pairs_within_groups(seat[:, 1], seat[:, 0])
    n = max(len(ids), 1)
    s_codes, s_counts = np.unique(sa * n + sb, return_counts=True)
    d_codes, d_counts = np.unique(tie.min(axis=1) * n + tie.max(axis=1), return_counts=True)
    codes = np.union1d(s_codes, d_codes)
    shared = np.zeros(len(codes), dtype=np.int64)
    direct = np.zeros(len(codes), dtype=np.int64)
    shared[np.searchsorted(codes, s_codes)] = s_counts
    direct[np.searchsorted(codes, d_codes)] = d_counts
    i_arr, j_arr = codes // n, codes % n
    return ids, i_arr, j_arr, shared, direct
