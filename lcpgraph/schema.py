"""The partnership data model: node kinds, sectors, relationship kinds and table columns.

Everything the loader checks, and every vocabulary the analyses and renderers rely on, is
declared here so that a new place's data can be described by reading one module.

The loaded graph is a :class:`networkx.MultiDiGraph`:

* node key: the record's ``id`` (a string, unique across all tables);
* node attributes: ``kind`` (one of :data:`NODE_KINDS`), ``name``, ``source`` and every other
  non-empty column of its row (numbers as ``float``, lists such as ``services`` as tuples);
* edges: one per relationship row, key = the row's position in ``relationships.csv`` (0-based),
  attributes ``kind`` (one of :data:`RELATIONSHIP_KINDS`), ``source`` and the optional
  ``weight`` (float, default 1.0), ``start``, ``end`` (ISO dates) and ``note``;
* graph attributes: ``name`` (the folder or workbook name), ``sectors`` (the vocabulary in use,
  a tuple) and ``path``.

Empty cells are left out of the attributes rather than stored as ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BOARD",
    "BOARD_LEVELS",
    "EXAMPLE_SOURCE",
    "EXPECTED_LCP_SECTORS",
    "FORUM_KINDS",
    "NODE_KINDS",
    "ORGANISATION",
    "ORG_ID_PREFIXES",
    "PARTNERSHIP",
    "PARTNERSHIP_TYPES",
    "PERSON",
    "RELATIONSHIP_KINDS",
    "SCOPES",
    "SECTORS",
    "TABLES",
    "TABLE_KIND",
    "TEMPLATE_HELP_COLUMNS",
    "Column",
    "RelationshipKind",
    "normalise_term",
]

ORGANISATION = "organisation"
PARTNERSHIP = "partnership"
BOARD = "board"
PERSON = "person"

#: The four kinds of node. ``person`` is optional: many maps have none.
NODE_KINDS: tuple[str, ...] = (ORGANISATION, PARTNERSHIP, BOARD, PERSON)

#: Node kinds that people and organisations sit *in* (meetings, in the interviews' words).
FORUM_KINDS: tuple[str, ...] = (PARTNERSHIP, BOARD)

#: The partner types an LCP "may include" (seed 000, "Partners involved in an LCP may
#: include"). The default expected mix for sector coverage.
EXPECTED_LCP_SECTORS: tuple[str, ...] = (
    "primary care",
    "secondary care",
    "public health",
    "social care",
    "third sector",
    "social prescribing",
    "healthwatch",
    "housing",
    "elected members",
    "employment services",
    "lcp development team",
)

#: The default sector vocabulary: the seed's partner types plus those the seeds show are
#: needed (community and mental health trusts, commissioners, universities, citizen
#: engagement bodies, the council as a whole, regional and national bodies). A dataset can
#: add its own with a ``sectors.csv`` (one column, ``sector``).
SECTORS: tuple[str, ...] = EXPECTED_LCP_SECTORS + (
    "community health",
    "mental health",
    "commissioner",
    "local authority",
    "education",
    "citizen voice",
    "pharmacy",
    "community safety",
    "regional body",
    "national body",
)

#: Where an organisation works: the whole city (or place), one locality, a region, a nation.
SCOPES: tuple[str, ...] = ("citywide", "local", "regional", "national")

#: Place-based groupings. ``lcp`` is a Local Care Partnership (or another place's equivalent).
PARTNERSHIP_TYPES: tuple[str, ...] = (
    "lcp",
    "pcn",
    "neighbourhood team",
    "community committee",
    "network",
    "forum",
    "programme",
    "other",
)

#: Where a governance board sits.
BOARD_LEVELS: tuple[str, ...] = ("national", "regional", "city", "local")

#: Prefixes of org-id.guide identifiers we recognise: charity, company, NHS ODS code.
ORG_ID_PREFIXES: tuple[str, ...] = ("GB-CHC-", "GB-COH-", "GB-NHS-", "GB-SC-", "GB-LAE-", "GB-EDU-")


@dataclass(frozen=True)
class RelationshipKind:
    """One kind of relationship and the node kinds it may join.

    ``directed`` is False for symmetric ties (``works_with``, ``aligned_with``,
    ``shares_role``): the loader stores them in the direction written, and analyses treat
    them as two-way.
    """

    name: str
    description: str
    from_kinds: tuple[str, ...]
    to_kinds: tuple[str, ...]
    directed: bool = True


_NOT_PERSON = (ORGANISATION, PARTNERSHIP, BOARD)

#: Every relationship kind, keyed by its name as written in ``relationships.csv``.
RELATIONSHIP_KINDS: dict[str, RelationshipKind] = {
    k.name: k
    for k in (
        RelationshipKind(
            "member_of",
            "sits in a partnership or on a board",
            (ORGANISATION, PERSON, PARTNERSHIP),
            FORUM_KINDS,
        ),
        RelationshipKind("chairs", "chairs a partnership or board", (PERSON, ORGANISATION), FORUM_KINDS),
        RelationshipKind("reports_to", "a reporting line up to a board", FORUM_KINDS, (BOARD,)),
        RelationshipKind(
            "supports",
            "supports or hosts (e.g. a development team, a network that hosts a forum)",
            (ORGANISATION, PERSON),
            _NOT_PERSON,
        ),
        RelationshipKind("funds", "funds or commissions", (ORGANISATION, BOARD), _NOT_PERSON),
        RelationshipKind(
            "shares_role",
            "shares a post (e.g. a care coordinator) with",
            (ORGANISATION, PARTNERSHIP, PERSON),
            (ORGANISATION, PARTNERSHIP),
            directed=False,
        ),
        RelationshipKind(
            "aligned_with",
            "shares a footprint with",
            (PARTNERSHIP,),
            (PARTNERSHIP,),
            directed=False,
        ),
        RelationshipKind("part_of", "is part of a parent body", _NOT_PERSON, _NOT_PERSON),
        RelationshipKind(
            "works_with",
            "a direct tie: a joint bid, a referral pathway, a contract",
            (ORGANISATION,),
            (ORGANISATION,),
            directed=False,
        ),
        RelationshipKind("employed_by", "a person works for an organisation", (PERSON,), (ORGANISATION,)),
    )
}


@dataclass(frozen=True)
class Column:
    """One column of an input table.

    ``type`` is one of ``id``, ``text``, ``number``, ``date``, ``choice``, ``list``
    (semicolon-separated text), ``ref`` (an id in another table).
    """

    name: str
    required: bool
    type: str
    description: str
    example: str
    choices: tuple[str, ...] = ()


def _head(id_example: str, name_example: str) -> tuple[Column, ...]:
    return (
        Column("id", True, "id", "Stable unique id, unique across all tables; relationships use it", id_example),
        Column("name", True, "text", "Display name; two records may share a name (ids decide)", name_example),
    )


_SOURCE = Column(
    "source",
    True,
    "text",
    "Provenance: a seed document, a public source, or 'illustrative'",
    "seed 000 (Intro to LCPs), Third Sector Networks",
)

#: Input tables: file stem -> columns in documented order. Any other column is kept as a
#: node (or edge) attribute, as a number when every value in it is numeric.
TABLES: dict[str, tuple[Column, ...]] = {
    "organisations": _head("org-forum-central", "Forum Central")
    + (
        Column("sector", True, "choice", "Sector, from the vocabulary (or sectors.csv)", "third sector", SECTORS),
        Column("scope", False, "choice", "citywide, local, regional or national (default local)", "citywide", SCOPES),
        Column("area", False, "text", "Area or footprint served", "Harehills"),
        Column("services", False, "list", "What it offers, semicolon-separated", "befriending; social prescribing"),
        Column("identifiers", False, "list", "org-ids, semicolon-separated: GB-CHC-, GB-COH-, GB-NHS-", "GB-NHS-RR8"),
        _SOURCE,
    ),
    "partnerships": _head("lcp-hatch", "HATCH")
    + (
        Column("type", True, "choice", "Kind of grouping", "lcp", PARTNERSHIP_TYPES),
        Column("area", False, "text", "Footprint", "Chapeltown, Harehills, Richmond Hill & Burmantofts"),
        Column("population", False, "number", "People living in the footprint", "45000"),
        _SOURCE,
    ),
    "boards": _head("board-hwb", "Leeds Health and Wellbeing Board")
    + (
        Column("level", False, "choice", "national, regional, city or local", "city", BOARD_LEVELS),
        Column("sector", False, "choice", "Sector, where the board belongs to one", "local authority", SECTORS),
        _SOURCE,
    ),
    "people": _head("person-hatch-care-coordinator", "HATCH care coordinator")
    + (
        Column("role", True, "text", "Role; shown instead of the name with --hide-people", "Care coordinator"),
        Column("sector", False, "choice", "Sector of the role", "primary care", SECTORS),
        _SOURCE,
    ),
    "relationships": (
        Column("from", True, "ref", "Id of the node the relationship starts at", "org-forum-central"),
        Column("to", True, "ref", "Id of the node it points to", "lcp-hatch"),
        Column("kind", True, "choice", "Relationship kind", "member_of", tuple(RELATIONSHIP_KINDS)),
        Column("weight", False, "number", "Strength, e.g. meetings a year (default 1)", "1"),
        Column("start", False, "date", "ISO date the tie began", "2021-04-01"),
        Column("end", False, "date", "ISO date the tie ended (on or after start)", "2023-03-31"),
        Column("note", False, "text", "Free text", "joint bid 2021"),
        _SOURCE,
    ),
}

#: Which node kind each node table holds.
TABLE_KIND: dict[str, str] = {
    "organisations": ORGANISATION,
    "partnerships": PARTNERSHIP,
    "boards": BOARD,
    "people": PERSON,
}

#: Tables that must be present. The others may be missing (no boards, no people).
REQUIRED_TABLES: tuple[str, ...] = ("organisations", "partnerships", "relationships")


#: The ``source`` of the example row the template puts on each sheet. Loading a row with this
#: source is an error: delete the row, or give it a real source to keep it on purpose.
EXAMPLE_SOURCE = "EXAMPLE - delete this row, or write where it came from to keep it"

#: Columns the template adds as a help to the person filling it in (the name of the record an
#: id refers to, looked up by a formula). Loading ignores them.
TEMPLATE_HELP_COLUMNS: dict[str, tuple[str, ...]] = {"relationships": ("from_name", "to_name")}


def normalise_term(value: str) -> str:
    """Normalise a vocabulary term for matching: lower case, single spaces, ``_``/``-`` as spaces.

    >>> normalise_term("  Third_Sector ")
    'third sector'
    >>> normalise_term("Member-Of")
    'member of'
    """
    return " ".join(value.replace("_", " ").replace("-", " ").lower().split())
