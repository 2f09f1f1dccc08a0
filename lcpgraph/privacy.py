"""The privacy filter: one place that takes people's names and ids out of a graph.

``--hide-people`` on any command applies :func:`hide_people` to the loaded graph before any
analysis or output, so every table, map, report page and export is made from data in which
people are known only by their role. Nothing downstream has to remember to hide them.
"""

from __future__ import annotations

import re

import networkx as nx

from lcpgraph import schema

__all__ = ["hide_people"]

#: Person attributes kept (all say what the role is, not who holds it).
_KEPT = ("kind", "role", "sector")


def hide_people(G: nx.MultiDiGraph, people: list[str] | None = None) -> nx.MultiDiGraph:
    """A copy of ``G`` in which every person is known by their role only.

    Each person's id becomes ``person-1``, ``person-2``… (in id order; pass ``people``, the ids
    of every person in two snapshots, to number both alike) and their name their
    role (or "person"); their other attributes (source, notes, anything the data added) are
    dropped. Any text anywhere else in the graph that mentions a person's name or id (a
    relationship's note, another record's attribute) has it replaced by the role too.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("p-jo", kind="person", name="Jo Bloggs", role="Chair", source="minutes")
    >>> G.add_node("o", kind="organisation", name="Trust")
    >>> _ = G.add_edge("p-jo", "o", kind="employed_by", note="Jo Bloggs since 2020")
    >>> H = hide_people(G)
    >>> sorted(H.nodes(data="name")), list(H.edges(data="note"))
    ([('o', 'Trust'), ('person-1', 'Chair')], [('person-1', 'o', 'Chair since 2020')])
    """
    here = sorted(n for n, k in G.nodes(data="kind") if k == schema.PERSON)
    if not here:
        return G
    numbered = sorted(set(people or ()) | set(here))
    alias = {p: f"person-{i}" for i, p in enumerate(numbered, start=1) if p in G}
    people = here
    role = {p: str(G.nodes[p].get("role") or "person") for p in people}
    # Longest first, so "Jo Bloggs-Smith" is replaced before "Jo Bloggs".
    words: dict[str, str] = {}
    for p in people:
        for text in (str(G.nodes[p].get("name", "")), p):
            if text.strip():
                words[text] = role[p]
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    # Whole words only: a person "Jo" must not change "Jordan".
    pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")

    def scrub(value: object) -> object:
        if isinstance(value, str):
            return pattern.sub(lambda m: words[m.group()], value)
        if isinstance(value, tuple):
            return tuple(scrub(v) for v in value)
        return value

    H = nx.MultiDiGraph()
    H.graph.update({k: scrub(v) for k, v in G.graph.items()})
    H.graph["people_hidden"] = True
    for n, d in G.nodes(data=True):
        if n in alias:
            attrs = {k: d[k] for k in _KEPT if k in d}
            attrs["name"] = role[n]
            attrs["role"] = role[n]
            attrs["source"] = "(hidden)"
            H.add_node(alias[n])
            H.nodes[alias[n]].update(attrs)
        else:
            H.add_node(n)
            H.nodes[n].update({k: scrub(v) for k, v in d.items()})
    for u, v, k, d in G.edges(keys=True, data=True):
        a, b = alias.get(u, u), alias.get(v, v)
        H.add_edge(a, b, key=k)
        H.edges[a, b, k].update({key: scrub(val) for key, val in d.items()})
    return H
