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
    "CONTAINMENT",
    "DEFAULT_EXPECTED_SECTORS",
    "DEFAULT_FOCUS_SECTORS",
    "DEFAULT_UNIT_TYPES",
    "DERIVED_STYLE",
    "DIRECT",
    "EMPLOYMENT",
    "EXAMPLE_SOURCE",
    "FOOTPRINT",
    "FORUM_KINDS",
    "FUNDING",
    "MEMBERSHIP",
    "MEMBER_ROLES",
    "NODE_KINDS",
    "ORGANISATION",
    "ORG_ID_PREFIXES",
    "PARTNERSHIP",
    "PARTNERSHIP_TYPES",
    "PERSON",
    "PRESENCE",
    "RELATIONSHIP_KINDS",
    "REPORTING",
    "RESERVED_COLUMNS",
    "ROLES",
    "SCOPES",
    "SECTORS",
    "TABLES",
    "TABLE_KIND",
    "TEMPLATE_HELP_COLUMNS",
    "UPWARD_ROLES",
    "Column",
    "RelationshipKind",
    "Style",
    "kinds_with_role",
    "normalise_term",
    "role_of",
]

ORGANISATION = "organisation"
PARTNERSHIP = "partnership"
BOARD = "board"
PERSON = "person"

#: The four kinds of node. ``person`` is optional: many maps have none.
NODE_KINDS: tuple[str, ...] = (ORGANISATION, PARTNERSHIP, BOARD, PERSON)

#: Node kinds that people and organisations sit *in* (meetings, in the interviews' words).
FORUM_KINDS: tuple[str, ...] = (PARTNERSHIP, BOARD)

#: The partner mix a local partnership is expected to have when the place says nothing else
#: (its ``place.csv`` may name its own): the partner types seed 000 lists for an LCP, less the
#: Leeds-only "LCP development team".
DEFAULT_EXPECTED_SECTORS: tuple[str, ...] = (
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
)

#: The default sector vocabulary: the partner types above plus those the seeds show are
#: needed (community and mental health trusts, commissioners, universities, citizen
#: engagement bodies, the council as a whole, regional and national bodies). A dataset can
#: add its own with a ``sectors.csv`` (one column, ``sector``); Leeds adds its "LCP
#: development team" that way.
SECTORS: tuple[str, ...] = DEFAULT_EXPECTED_SECTORS + (
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

#: The sectors whose isolation matters most when the place says nothing else.
DEFAULT_FOCUS_SECTORS: tuple[str, ...] = ("third sector",)

#: Where an organisation works, widest first. A place's profile says which of these means
#: "the whole place" (``citywide`` in a city, ``countywide`` in a county).
SCOPES: tuple[str, ...] = (
    "national",
    "regional",
    "system",
    "countywide",
    "citywide",
    "placewide",
    "district",
    "local",
    "neighbourhood",
)

#: Groupings of partners. The place's profile says which of these are its *local units* (the
#: partnerships every page and count is organised by); with no profile, the types
#: :data:`DEFAULT_UNIT_TYPES`. ``lcp`` is Leeds's Local Care Partnership.
PARTNERSHIP_TYPES: tuple[str, ...] = (
    "local partnership",
    "lcp",
    "locality",
    "sub-locality",
    "place partnership",
    "pcn",
    "neighbourhood team",
    "community committee",
    "network",
    "forum",
    "programme",
    "other",
)

#: The partnership types that are local units when a dataset has no place profile.
DEFAULT_UNIT_TYPES: tuple[str, ...] = ("local partnership", "lcp", "locality")

#: Where a governance board sits, from the top down (a place's profile may name its own
#: subset and order).
BOARD_LEVELS: tuple[str, ...] = (
    "national",
    "regional",
    "system",
    "county",
    "place",
    "city",
    "district",
    "locality",
    "local",
    "neighbourhood",
)

#: Prefixes of org-id.guide identifiers we recognise: charity, company, NHS ODS code.
ORG_ID_PREFIXES: tuple[str, ...] = ("GB-CHC-", "GB-COH-", "GB-NHS-", "GB-SC-", "GB-LAE-", "GB-EDU-")


#: What a relationship *means*, whatever its kind is called. Views, analyses, the map and the
#: report ask the role, never a list of kind names.
MEMBERSHIP = "membership"  # sits in a partnership or on a board (member, chair)
PRESENCE = "presence"  # takes part without a seat of its own: supports it, shares a post with it
REPORTING = "reporting"  # a reporting line up to a board
CONTAINMENT = "containment"  # is part of a parent body (a sub-locality of a locality)
DIRECT = "direct"  # a working tie between partners: a joint bid, a referral pathway
FUNDING = "funding"  # funds or commissions
FOOTPRINT = "footprint"  # covers the same area as
EMPLOYMENT = "employment"  # a person works for an organisation

ROLES: tuple[str, ...] = (MEMBERSHIP, PRESENCE, REPORTING, CONTAINMENT, DIRECT, FUNDING, FOOTPRINT, EMPLOYMENT)

#: Roles that make a partner a member of a partnership or board (see
#: :func:`lcpgraph.views.members` for the whole rule, nesting included).
MEMBER_ROLES: tuple[str, ...] = (MEMBERSHIP, PRESENCE)

#: Roles followed upwards from a partnership to the boards above it.
UPWARD_ROLES: tuple[str, ...] = (REPORTING, CONTAINMENT)


@dataclass(frozen=True)
class Style:
    """How the map draws a relationship: line colour, dash pattern (``()`` solid), arrow, width."""

    color: str
    dashes: tuple[int, ...] = ()
    arrow: bool = False
    width: float = 1.0


@dataclass(frozen=True)
class RelationshipKind:
    """One kind of relationship: what it means (its ``role``), what it may join, how it is drawn.

    ``directed`` is False for symmetric ties (``works_with``, ``aligned_with``,
    ``shares_role``): the loader stores them in the direction written, and analyses treat
    them as two-way.
    """

    name: str
    description: str
    from_kinds: tuple[str, ...]
    to_kinds: tuple[str, ...]
    role: str
    style: Style
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
            MEMBERSHIP,
            Style("#9e9e9e"),
        ),
        RelationshipKind(
            "chairs",
            "chairs a partnership or board",
            (PERSON, ORGANISATION),
            FORUM_KINDS,
            MEMBERSHIP,
            Style("#6a3d9a", arrow=True, width=3),
        ),
        RelationshipKind(
            "reports_to",
            "a reporting line up to a board",
            FORUM_KINDS,
            (BOARD,),
            REPORTING,
            Style("#111111", arrow=True, width=3),
        ),
        RelationshipKind(
            "supports",
            "supports or hosts (e.g. a development team, a network that hosts a forum)",
            (ORGANISATION, PERSON),
            _NOT_PERSON,
            PRESENCE,
            Style("#0072B2", (6, 4), arrow=True, width=1.5),
        ),
        RelationshipKind(
            "funds",
            "funds or commissions",
            (ORGANISATION, BOARD),
            _NOT_PERSON,
            FUNDING,
            Style("#009E73", arrow=True, width=2),
        ),
        RelationshipKind(
            "shares_role",
            "shares a post (e.g. a care coordinator) with",
            (ORGANISATION, PARTNERSHIP, PERSON),
            (ORGANISATION, PARTNERSHIP),
            PRESENCE,
            Style("#CC79A7", (2, 3), width=2),
            directed=False,
        ),
        RelationshipKind(
            "aligned_with",
            "shares a footprint with",
            (PARTNERSHIP,),
            (PARTNERSHIP,),
            FOOTPRINT,
            Style("#56B4E9", (10, 6), width=2),
            directed=False,
        ),
        RelationshipKind(
            "part_of",
            "is part of a parent body",
            _NOT_PERSON,
            _NOT_PERSON,
            CONTAINMENT,
            Style("#444444", (4, 4), arrow=True, width=1.5),
        ),
        RelationshipKind(
            "works_with",
            "a direct tie: a joint bid, a referral pathway, a contract",
            (ORGANISATION,),
            (ORGANISATION,),
            DIRECT,
            Style("#D55E00", width=2),
            directed=False,
        ),
        RelationshipKind(
            "employed_by",
            "a person works for an organisation",
            (PERSON,),
            (ORGANISATION,),
            EMPLOYMENT,
            Style("#bdbdbd", (1, 3), arrow=True),
        ),
    )
}

#: Style of a relationship the map draws that is not one of the kinds above (a derived tie).
DERIVED_STYLE = Style("#9e9e9e", (3, 3))


def role_of(kind: str) -> str | None:
    """The role of a relationship kind, or None for a kind lcpgraph does not define.

    >>> role_of("chairs"), role_of("part_of"), role_of("shares_members")
    ('membership', 'containment', None)
    """
    k = RELATIONSHIP_KINDS.get(kind)
    return k.role if k else None


def kinds_with_role(*roles: str) -> tuple[str, ...]:
    """The relationship kinds whose role is one of ``roles``, in declaration order.

    >>> kinds_with_role(REPORTING, CONTAINMENT)
    ('reports_to', 'part_of')
    """
    return tuple(k for k, spec in RELATIONSHIP_KINDS.items() if spec.role in roles)


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
    #: For numbers: the smallest value allowed, and whether that value itself is allowed.
    minimum: float | None = None
    minimum_allowed: bool = True


def _head(id_example: str, name_example: str) -> tuple[Column, ...]:
    return (
        Column("id", True, "id", "Stable unique id, unique across all tables; relationships use it", id_example),
        Column("name", True, "text", "Display name; two records may share a name (ids decide)", name_example),
    )


_SOURCE = Column(
    "source",
    True,
    "text",
    "Where this row came from: a document, a website, or 'illustrative' for an invented example",
    "seed 000 (Intro to LCPs), Third Sector Networks",
)

#: Input tables: file stem -> columns in documented order. Any other column is kept as a
#: node (or edge) attribute, as a number when every value in it is numeric.
TABLES: dict[str, tuple[Column, ...]] = {
    "organisations": _head("org-forum-central", "Forum Central")
    + (
        Column("sector", True, "choice", "Sector, from the vocabulary (or sectors.csv)", "third sector", SECTORS),
        Column(
            "scope",
            False,
            "choice",
            "How far it works: the whole place (e.g. citywide), one locality (local), a region… (default local)",
            "citywide",
            SCOPES,
        ),
        Column("area", False, "text", "Area or footprint served", "Harehills"),
        Column("services", False, "list", "What it offers, semicolon-separated", "befriending; social prescribing"),
        Column("identifiers", False, "list", "org-ids, semicolon-separated: GB-CHC-, GB-COH-, GB-NHS-", "GB-NHS-RR8"),
        _SOURCE,
    ),
    "partnerships": _head("lcp-hatch", "HATCH")
    + (
        Column("type", True, "choice", "Kind of grouping", "lcp", PARTNERSHIP_TYPES),
        Column("area", False, "text", "Footprint", "Chapeltown, Harehills, Richmond Hill & Burmantofts"),
        Column("population", False, "number", "People living in the footprint", "45000", minimum=0),
        _SOURCE,
    ),
    "boards": _head("board-hwb", "Leeds Health and Wellbeing Board")
    + (
        Column(
            "level",
            False,
            "choice",
            "Where it sits: national, regional, system, county, place, city, local…",
            "city",
            BOARD_LEVELS,
        ),
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
        Column(
            "weight",
            False,
            "number",
            "How strong the tie is, e.g. meetings a year (default 1; more than 0)",
            "1",
            minimum=0,
            minimum_allowed=False,
        ),
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

#: Attribute names lcpgraph sets itself: a column of this name in a record table would be
#: mistaken for them, so it is refused (rename the column).
RESERVED_COLUMNS: dict[str, tuple[str, ...]] = {
    "organisations": ("kind",),
    "partnerships": ("kind",),
    "boards": ("kind",),
    "people": ("kind",),
    "relationships": ("key",),
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
