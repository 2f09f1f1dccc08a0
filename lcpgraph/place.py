"""The place profile: what a place calls its local units, the partner mix it expects, its levels.

Leeds's words ("Local Care Partnership", "LCP", "citywide", its eleven partner types) are in
``data/leeds/place.csv``, not in the code. A dataset without a ``place.csv`` (or a ``place``
sheet) gets neutral words: "local partnership", the default partner mix, every board level.

The profile is a key/value table::

    key,value,source
    name,Leeds,seed 000
    unit_singular,Local Care Partnership,seed 000
    unit_short,LCP,seed 000
    unit_types,lcp,seed 000

The loader validates it (:mod:`lcpgraph.load`) and stores the result on the graph; analyses
and renderers read it with :func:`place_of`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import networkx as nx

from lcpgraph import schema

__all__ = ["PLACE_KEYS", "Place", "place_of"]


@dataclass(frozen=True)
class Place:
    """A place's profile. Every field has a neutral default.

    Examples
    --------
    >>> p = Place(unit_singular="Integrated Locality Team")
    >>> p.unit, p.units, p.unit_title
    ('Integrated Locality Team', 'Integrated Locality Teams', 'Integrated Locality Team')
    >>> Place().units
    'local partnerships'
    """

    #: The place's name: the title of the report ("Leeds").
    name: str = ""
    #: What one local unit is called in full ("Local Care Partnership").
    unit_singular: str = "local partnership"
    #: … and several ("Local Care Partnerships"); default: the singular with an "s".
    unit_plural: str = ""
    #: The short form used in headings and tables ("LCP"); default: the full name.
    unit_short: str = ""
    #: … and its plural ("LCPs").
    unit_short_plural: str = ""
    #: Which partnership types are the local units.
    unit_types: tuple[str, ...] = schema.DEFAULT_UNIT_TYPES
    #: The partner mix every local unit is expected to have.
    expected_sectors: tuple[str, ...] = schema.DEFAULT_EXPECTED_SECTORS
    #: The sectors whose isolation matters most (the isolation lists, gap rings, defaults).
    focus_sectors: tuple[str, ...] = schema.DEFAULT_FOCUS_SECTORS
    #: The place's governance levels, top first.
    levels: tuple[str, ...] = schema.BOARD_LEVELS
    #: The scope value that means "works across the whole place".
    place_scope: str = "citywide"
    #: A place-wide partner in more local units than this is over-stretched.
    max_units_per_partner: int = 5
    #: Where each key's value came from (provenance), by key.
    sources: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def unit(self) -> str:
        """The short name of one local unit, as used in sentences ("LCP", "local partnership")."""
        return self.unit_short or self.unit_singular

    @property
    def units(self) -> str:
        """The short plural ("LCPs", "local partnerships")."""
        if self.unit_short:
            return self.unit_short_plural or self.unit_short + "s"
        return self.unit_plural or self.unit_singular + "s"

    @property
    def unit_title(self) -> str:
        """The short name with a capital first letter, for headings ("LCP", "Local partnership")."""
        return self.unit[:1].upper() + self.unit[1:]

    @property
    def units_title(self) -> str:
        """The short plural with a capital first letter ("LCPs", "Local partnerships")."""
        return self.units[:1].upper() + self.units[1:]

    @property
    def focus(self) -> str:
        """The focus sectors in words ("third sector", "third sector and housing")."""
        s = list(self.focus_sectors)
        return s[0] if len(s) == 1 else ", ".join(s[:-1]) + " and " + s[-1]

    def words(self) -> dict[str, str]:
        """The words to put into a catalogue title or sentence (``{unit}``, ``{units}``, …)."""
        return {
            "unit": self.unit,
            "units": self.units,
            "Unit": self.unit_title,
            "Units": self.units_title,
            "unit_full": self.unit_singular,
            "focus": self.focus,
            "Focus": self.focus[:1].upper() + self.focus[1:],
            "place": self.name or "the place",
            "place_scope": self.place_scope,
            "Place_scope": self.place_scope[:1].upper() + self.place_scope[1:],
            "max_units": str(self.max_units_per_partner),
        }


#: The keys a ``place.csv`` may hold, with the type of each value.
PLACE_KEYS: dict[str, str] = {
    f.name: ("int" if f.type in ("int",) else "list" if "tuple" in str(f.type) else "text")
    for f in fields(Place)
    if f.name != "sources"
}


def place_of(G: nx.Graph) -> Place:
    """The place profile a graph was loaded with (a neutral one when it has none).

    >>> place_of(nx.Graph()).unit
    'local partnership'
    """
    p = G.graph.get("place")
    return p if isinstance(p, Place) else Place()
