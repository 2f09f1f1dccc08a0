"""The table catalogue: every table lcpgraph produces, declared once.

Each :class:`Table` names the function that makes it and its arguments, a title and one
plain-language sentence (in the place's own words: ``{unit}``, ``{units}``, ``{focus}``), and a
description of every column. The command line's ``--show`` choices and headings, the report's
sections, the CSV file names and the JSON keys all come from here, so adding an analysis is one
function plus one entry in :data:`TABLES`.

>>> from lcpgraph.place import Place
>>> TABLES["unreported_lcps"].title_for(Place(unit_short="LCP"))
'LCPs with no reporting line to a board'
>>> TABLES["unreported_lcps"].title_for(Place())
'Local partnerships with no reporting line to a board'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from lcpgraph.exceptions import LcpGraphError, did_you_mean
from lcpgraph.place import Place, place_of

__all__ = ["GROUPS", "TABLES", "Field", "Settings", "Table", "explain", "run", "tables_in"]


@dataclass(frozen=True)
class Field:
    """One column of a table: its header in words, what it means, and how to read it."""

    name: str
    label: str
    description: str
    #: How it is computed and what to do about a high or low value (for ``lcpgraph explain``).
    explain: str = ""


@dataclass(frozen=True)
class Settings:
    """The options analyses take; ``None`` means the place profile's value."""

    sectors: tuple[str, ...] | None = None  # whose isolation to list; None: the focus sectors
    all_sectors: bool = False
    expected: tuple[str, ...] | None = None
    max_units: int | None = None
    threshold: float = 90.0
    min_jaccard: float = 0.5
    min_forums: int = 3
    seed: int = 0
    resolution: float = 1.0
    method: str = "leiden"
    exclude_unit_ties: bool = False
    #: Leave out the tables made on the organisation projection (for forums too big to project).
    without_projection: bool = False

    def focus(self, G: nx.Graph) -> tuple[str, ...] | None:
        """The sectors whose partners the isolation lists show (None = every sector)."""
        if self.all_sectors:
            return None
        return self.sectors or place_of(G).focus_sectors


Compute = Callable[[nx.MultiDiGraph, Settings, Callable[[str], pd.DataFrame]], pd.DataFrame]


@dataclass(frozen=True)
class Table:
    """One table: how it is made, what it is called, what it means, what its columns are."""

    key: str  # CSV file stem and JSON key
    group: str  # the command that shows it
    show: str  # its --show name within the group
    title: str
    sentence: str
    compute: Compute = field(repr=False, compare=False)
    columns: tuple[Field, ...] = ()
    #: Describes columns not listed (one per sector, say); ``{name}`` is the column's name.
    other_columns: Field | None = None
    #: The columns a person reading at a terminal needs (csv and json keep them all).
    brief: tuple[str, ...] | None = None
    #: Made on the organisation projection (which a forum of tens of thousands cannot have).
    projection: bool = False
    #: Shown by its command's ``--show all`` (a matrix other tables summarise is not).
    in_all: bool = True
    #: Reshapes a wide table for reading at a terminal (a sector matrix as a list, say).
    reading: Callable[[pd.DataFrame, nx.Graph], pd.DataFrame] | None = field(default=None, repr=False, compare=False)

    def for_reading(self, df: pd.DataFrame, G: nx.Graph) -> pd.DataFrame:
        """The table as a person reads it at a terminal: reshaped, and only the brief columns."""
        if self.reading is not None and not df.empty:
            df = self.reading(df, G)
        if self.brief:
            df = df[[c for c in self.brief if c in df.columns]]
        return df

    def title_for(self, place: Place, settings: Settings | None = None) -> str:
        return _fill(self.title, place, settings)

    def sentence_for(self, place: Place, settings: Settings | None = None) -> str:
        return _fill(self.sentence, place, settings)

    def header(self, column: str, place: Place) -> str:
        """The column's header in words, in the place's vocabulary (its own name if undescribed)."""
        f = self.field(column)
        return f.label.format(**place.words()) if f else column

    def field(self, column: str) -> Field | None:
        for f in self.columns:
            if f.name == column:
                return f
        if self.other_columns is not None:
            o = self.other_columns
            return Field(column, column, o.description.format(name=column), o.explain.format(name=column))
        return None


def _fill(text: str, place: Place, settings: Settings | None) -> str:
    words = place.words()
    if settings is not None and settings.all_sectors:
        words["focus"] = words["Focus"] = "all"
    elif settings is not None and settings.sectors:
        s = list(settings.sectors)
        words["focus"] = s[0] if len(s) == 1 else ", ".join(s[:-1]) + " and " + s[-1]
        words["Focus"] = words["focus"][:1].upper() + words["focus"][1:]
    out = text.format(**words)
    return out[:1].upper() + out[1:]


# --------------------------------------------------------------------------------------
# the columns shared by many tables

_ID = Field("id", "Id", "The record's id in the data (what relationships.csv refers to).")
_NAME = Field("name", "Name", "The record's name.")
_KIND = Field("kind", "Kind", "organisation, partnership, board or person.")
_SECTOR = Field("sector", "Sector", "The sector the record belongs to.")
_UNIT = Field("unit", "{Unit} id", "The {unit}'s id in the data.")
_UNIT_NAME = Field("name", "{Unit}", "The {unit}'s name.")
_SOURCE = Field("source", "Source", "Where the record came from: a document, a website, or 'illustrative'.")


def _a(module: str, name: str):
    """A function of an analysis module, imported when first called (keeps start-up fast)."""

    def call(*args, **kwargs):
        from importlib import import_module

        return getattr(import_module(module), name)(*args, **kwargs)

    call.__name__ = name
    return call


_gaps = "lcpgraph.analysis.gaps"
_dup = "lcpgraph.analysis.duplication"
_com = "lcpgraph.analysis.communities"

_CENTRALITY_COLUMNS = (
    _ID,
    _NAME,
    _KIND,
    _SECTOR,
    Field(
        "degree",
        "Ties",
        "How many others it is tied to directly.",
        "Counted on the network's current ties. A high number is a well-connected record; a low one may be new or "
        "overlooked.",
    ),
    Field(
        "weighted_degree",
        "Tie strength",
        "Its ties added up by their strength (meetings a year, forums shared).",
        "The sum of the weights of its ties. Higher means more (or stronger) contact.",
    ),
    Field(
        "betweenness",
        "Go-between score",
        "Share of the shortest routes between everyone else that pass through it (0 to 1).",
        "Betweenness centrality: for every pair of records, the share of the shortest paths between them that go "
        "through this one, averaged and scaled to 0–1. A high score marks a connector the network relies on: if it "
        "left, others would be further apart. Consider sharing its load, or building a second route.",
    ),
    Field(
        "closeness",
        "Reach",
        "How few steps it takes to reach everyone else (0 to 1; higher is closer).",
        "Closeness centrality (Wasserman–Faust, so a record in a small fragment scores low): the share of the "
        "network it can reach times the inverse of its average distance. Low reach means news takes long to get "
        "there.",
    ),
    Field(
        "eigenvector",
        "Well-connected contacts",
        "High when its contacts are themselves well connected (0 to 1, per connected part).",
        "Eigenvector centrality within each connected part, scaled by the part's share of the network. High: close "
        "to the influential; low: on the edge.",
    ),
    Field(
        "pagerank",
        "Influence",
        "PageRank: how much of the network's attention flows to it (adds up to 1 over all records).",
        "Weighted PageRank, damping 0.85. Like 'well-connected contacts', but a tie from a record with few ties "
        "counts for more.",
    ),
    Field("rank", "Rank", "Its place when sorted by the chosen measure (1 = highest)."),
    Field("rank_in_sector", "Rank in sector", "Its place within its own sector (1 = highest)."),
)

_ROLES = (
    Field(
        "coordinator",
        "Links within its own sector",
        "Pairs of its contacts, all of its own sector, who are not tied to each other.",
        "Gould–Fernandez 'coordinator' brokerage: open triads a–b–c where all three share a sector.",
    ),
    Field(
        "itinerant",
        "Links two of another sector",
        "Pairs of contacts of one other sector whom only it joins.",
        "Gould–Fernandez 'itinerant' (consultant) brokerage: a and c share a sector, b is from another.",
    ),
    Field(
        "boundary_spanner",
        "Links its sector to another",
        "Pairs of contacts, one of its own sector and one of another, whom only it joins.",
        "Gould–Fernandez 'gatekeeper' and 'representative' brokerage together (the projection has no direction).",
    ),
    Field(
        "liaison",
        "Links sectors that would not otherwise meet",
        "Pairs of contacts from two other, different sectors whom only it joins.",
        "Gould–Fernandez 'liaison' brokerage: a, b and c all from different sectors — the purest cross-sector "
        "broker. A high count is a partner whose absence would leave sectors apart.",
    ),
)


def _sectors_in_words(df: pd.DataFrame, G: nx.Graph) -> pd.DataFrame:
    """Coverage for reading: each unit's members, and its sectors as "primary care 3, …"."""
    sectors = [c for c in df.columns if c not in ("unit", "name", "members")]
    rows = []
    for r in df.to_dict("records"):
        present = ", ".join(f"{s} {r[s]}" for s in sectors if r[s])
        gaps = ", ".join(s for s in sectors if not r[s])
        rows.append((r["unit"], r["name"], r["members"], present, gaps))
    return pd.DataFrame(rows, columns=["unit", "name", "members", "by_sector", "none_from"])


def _matrix_as_pairs(df: pd.DataFrame, G: nx.Graph) -> pd.DataFrame:
    """The sector contact matrix for reading: one row per pair of sectors in contact."""
    sectors = list(df["sector"])
    m = df.set_index("sector")
    rows = [(a, b, int(m.loc[a, b])) for i, a in enumerate(sectors) for b in sectors[i:] if m.loc[a, b]]
    return pd.DataFrame(rows, columns=["sector_a", "sector_b", "pairs"])


def _unit_names(df: pd.DataFrame, G: nx.Graph) -> pd.DataFrame:
    """Communities for reading: the units by name, not id."""
    out = df.copy()
    for col in ("unit", "community_unit"):
        out[col] = [str(G.nodes[u].get("name", u)) if isinstance(u, str) and u in G else "" for u in out[col]]
    return out.rename(columns={"unit": "unit_name", "community_unit": "community_unit_name"})


def _coverage_other() -> Field:
    return Field("{name}", "{name}", "Members of the sector '{name}' in this unit (0 is a gap).")


TABLES: dict[str, Table] = {
    t.key: t
    for t in (
        Table(
            "summary_counts",
            "summary",
            "counts",
            "Records by kind and sector",
            "How many organisations, partnerships, boards and people the data holds, by sector.",
            lambda G, s, get: _a("lcpgraph.summary", "counts_by_kind_and_sector")(G),
            (_KIND, _SECTOR, Field("count", "Records", "How many records of this kind and sector.")),
        ),
        Table(
            "partners_per_lcp",
            "summary",
            "units",
            "Members of each {unit}",
            "Each {unit}'s members by the membership rule: those who sit in it, support it or share a post "
            "with it, and the members of partnerships inside it.",
            lambda G, s, get: _a("lcpgraph.summary", "partners_per_unit")(G),
            (
                _UNIT,
                _UNIT_NAME,
                Field("members", "Members", "Organisations and people who are members."),
                Field("organisations", "Organisations", "Member organisations."),
                Field("people", "People", "Members who are people (role holders)."),
                Field("sectors", "Sectors", "How many different sectors its members come from."),
            ),
        ),
        Table(
            "centrality",
            "centrality",
            "full",
            "Who holds the network together",
            "Every record ranked by how much the network's routes pass through it: a high go-between score marks "
            "the partners, partnerships and boards that connect parts that would otherwise be apart.",
            lambda G, s, get: _a("lcpgraph.analysis.centrality", "centrality")(G),
            _CENTRALITY_COLUMNS,
            brief=("name", "kind", "sector", "degree", "betweenness", "closeness", "pagerank", "rank"),
        ),
        Table(
            "centrality_organisations",
            "centrality",
            "organisations",
            "Which partners link other partners",
            "Organisations only, tied when they sit in the same forum or work together directly.",
            lambda G, s, get: _a("lcpgraph.analysis.centrality", "centrality")(G, graph="organisations"),
            _CENTRALITY_COLUMNS,
            brief=("name", "sector", "degree", "betweenness", "closeness", "pagerank", "rank"),
            projection=True,
        ),
        Table(
            "brokerage",
            "brokerage",
            "brokerage",
            "Brokers between sectors",
            "Partners who join organisations that have no tie of their own, counted by the sectors they join; "
            "a low constraint means their contacts do not otherwise meet: the partners a partnership would miss "
            "most.",
            lambda G, s, get: _a("lcpgraph.analysis.brokerage", "brokerage")(G),
            (
                _ID,
                _NAME,
                _SECTOR,
                Field("contacts", "Contacts", "Organisations it is tied to (a shared forum or a direct tie)."),
                *_ROLES,
                Field(
                    "cross_sector",
                    "Links across sectors",
                    "All the pairs it joins across a sector line (the last three columns added up).",
                ),
                Field(
                    "constraint",
                    "Hemmed in (0–1)",
                    "How much its contacts are tied to each other (Burt's constraint): low means it bridges groups "
                    "that do not otherwise meet.",
                    "Burt's constraint, weighted by forums shared: the sum over contacts j of (p_ij + Σ_q p_iq p_qj)², "
                    "p being the share of its ties going to each contact. Low constraint: a broker; high: inside one "
                    "close group.",
                ),
                Field(
                    "effective_size",
                    "Contacts who do not know each other",
                    "Its contacts less the overlap among them (Burt's effective size).",
                    "Borgatti's unweighted form: contacts − 2 × ties among them ÷ contacts. Close to 'contacts' "
                    "means each contact opens a different door.",
                ),
            ),
            brief=("name", "sector", "contacts", "liaison", "cross_sector", "constraint"),
            projection=True,
        ),
        Table(
            "isolated_partners",
            "gaps",
            "isolated",
            "Isolated {focus} partners",
            "{Focus} organisations (and their staff) with no recorded relationship at all: known to the list, "
            "but to nobody in it. Introduce them, or check the data.",
            lambda G, s, get: _a(_gaps, "isolated_partners")(G, s.focus(G)),
            (
                _ID,
                _NAME,
                _KIND,
                Field("sector", "Sector", "Its organisation's sector (a person's is their employer's)."),
                Field("scope", "Works across", "How far it works: the whole place, one locality…"),
                _SOURCE,
            ),
            brief=("name", "sector", "scope", "source"),
        ),
        Table(
            "peripheral_partners",
            "gaps",
            "peripheral",
            "Peripheral {focus} partners",
            "In one forum only, in none, or with no route to any governance board: easy to overlook and the "
            "first to drop out when they 'can't always be present'.",
            lambda G, s, get: _a(_gaps, "peripheral_partners")(G, s.focus(G)),
            (
                _ID,
                _NAME,
                _KIND,
                Field("sector", "Sector", "Its organisation's sector (a person's is their employer's)."),
                Field("forums", "Forums", "Partnerships and boards it is a member of."),
                Field("forum_names", "Member of", "Their names."),
                Field("reaches_board", "Route to a board", "Whether any chain of ties leads from it to a board."),
                Field("reason", "Why it is on the edge", "one forum only, no forum, or no path to a board."),
            ),
            brief=("name", "sector", "forum_names", "reason"),
        ),
        Table(
            "sector_coverage",
            "gaps",
            "coverage",
            "Which sectors each {unit} has",
            "Members of each expected partner type in each {unit}; a 0 is a gap: no partner of that type.",
            lambda G, s, get: _a(_gaps, "sector_coverage")(G, s.expected),
            (
                _UNIT,
                _UNIT_NAME,
                Field("members", "Members", "All its members, of any sector."),
                Field("by_sector", "Members by sector", "Its members of each sector (at a terminal)."),
                Field("none_from", "None from", "The sectors it has no member from (at a terminal)."),
            ),
            _coverage_other(),
            reading=_sectors_in_words,
            in_all=False,
        ),
        Table(
            "missing_sectors",
            "gaps",
            "missing",
            "Sectors missing from each {unit}",
            "The expected partner types each {unit} has nobody from, against the place's expected mix.",
            lambda G, s, get: _a(_gaps, "missing_sectors")(G, s.expected),
            (
                _UNIT,
                _UNIT_NAME,
                Field("missing", "Missing", "How many expected sectors it has no member from."),
                Field("missing_sectors", "Missing sectors", "Which ones."),
            ),
            brief=("name", "missing", "missing_sectors"),
        ),
        Table(
            "unreported_lcps",
            "gaps",
            "unreported",
            "{Units} with no reporting line to a board",
            "{Units} with no chain of reporting lines up to any board: nobody above them hears what they do.",
            lambda G, s, get: _a(_gaps, "unreported_units")(G),
            (_UNIT, _UNIT_NAME, _SOURCE),
        ),
        Table(
            "empty_boards",
            "gaps",
            "empty-boards",
            "Boards with no recorded members",
            "Boards nobody is recorded as sitting on, and with no partnership inside them.",
            lambda G, s, get: _a(_gaps, "empty_boards")(G),
            (
                Field("board", "Board id", "The board's id in the data."),
                Field("name", "Board", "The board's name."),
                Field("level", "Level", "Where it sits (national, regional, city…)."),
                Field("reporting_in", "Lines in", "Partnerships and boards with a line up to it."),
            ),
        ),
        Table(
            "single_points_of_failure",
            "gaps",
            "cut-points",
            "Single points of failure",
            "Partners or people whose departure would cut others off from everyone else: a relationship that "
            "hangs on one organisation. Build a second link.",
            lambda G, s, get: _a(_gaps, "single_points_of_failure")(G),
            (
                _ID,
                _NAME,
                _KIND,
                _SECTOR,
                Field(
                    "cut_off",
                    "Would cut off",
                    "Records that would lose every route to the rest if it left.",
                    "An articulation point of the network of current ties: removing it splits its part of the "
                    "network; everyone outside the largest remaining piece is counted.",
                ),
                Field("pieces", "Pieces", "Into how many parts its part of the network would fall."),
                Field("cut_off_names", "Who", "The first few of those cut off, by name."),
            ),
            brief=("name", "kind", "cut_off", "cut_off_names"),
        ),
        Table(
            "critical_ties",
            "gaps",
            "bridges",
            "Critical ties",
            "Memberships and working ties whose loss would cut two or more records off (a partner's only tie, "
            "and reporting lines, are left out).",
            lambda G, s, get: _a(_gaps, "critical_ties")(G),
            (
                Field("a", "Id", "One end's id."),
                Field("name_a", "Between", "One end of the tie."),
                Field("b", "And id", "The other end's id."),
                Field("name_b", "And", "The other end of the tie."),
                Field("kinds", "Tie", "The kinds of relationship that make the tie."),
                Field(
                    "cut_off", "Would cut off", "Records on the smaller side, who would lose every route to the rest."
                ),
                Field("cut_off_names", "Who", "The first few of them, by name."),
            ),
            brief=("name_a", "name_b", "kinds", "cut_off", "cut_off_names"),
        ),
        Table(
            "sector_contacts",
            "gaps",
            "contacts",
            "Contacts between sectors",
            "How many pairs of organisations of two sectors share a forum or work together directly.",
            lambda G, s, get: _a(_gaps, "sector_contact_matrix")(G),
            (
                _SECTOR,
                Field("sector_a", "Sector", "One sector (at a terminal)."),
                Field("sector_b", "Meets", "A sector some of whose organisations it meets (at a terminal)."),
                Field("pairs", "Pairs in contact", "Pairs of organisations of the two sectors in contact."),
            ),
            Field("{name}", "{name}", "Pairs in contact between this row's sector and '{name}'."),
            reading=_matrix_as_pairs,
            projection=True,
            in_all=False,
        ),
        Table(
            "sectors_that_never_meet",
            "gaps",
            "never-meet",
            "Sectors that never meet",
            "Pairs of sectors with no shared forum and no direct tie between any of their organisations.",
            lambda G, s, get: _a(_gaps, "sectors_that_never_meet")(G, contacts=get("sector_contacts")),
            (
                Field("sector_a", "Sector", "One sector."),
                Field("sector_b", "Never meets", "A sector none of whose organisations it meets."),
                Field("organisations_a", "Organisations in the first", "How many organisations the first has."),
                Field("organisations_b", "Organisations in the second", "How many organisations the second has."),
            ),
            projection=True,
        ),
        Table(
            "citywide_reach",
            "gaps",
            "place-wide",
            "{Place_scope} organisations and the {units}",
            "'I struggle to know which {unit} to prioritise': {place_scope} organisations in no {unit}, or in more "
            "than {max_units}.",
            lambda G, s, get: _a(_gaps, "place_wide_reach")(G, s.max_units),
            (
                _ID,
                _NAME,
                _SECTOR,
                Field("units", "{Units}", "How many {units} it is a member of."),
                Field("unit_names", "Which", "Their names."),
                Field("flag", "Flag", "in none, or over-stretched."),
            ),
            brief=("name", "sector", "units", "flag"),
        ),
        Table(
            "partners_in_no_unit",
            "gaps",
            "no-unit",
            "Partners in no {unit}",
            "Organisations with ties to the network that are a member of no {unit}: is there one they belong in?",
            lambda G, s, get: _a(_gaps, "partners_in_no_unit")(G),
            (
                _ID,
                _NAME,
                _SECTOR,
                Field("scope", "Works across", "How far it works."),
                Field("forums", "Forums", "Partnerships and boards it is a member of."),
            ),
            brief=("name", "sector", "scope", "forums"),
        ),
        Table(
            "duplicate_records",
            "duplicates",
            "records",
            "Probable duplicate records",
            "Records whose names are alike after tidying (case, punctuation, 'MC' for 'Medical Centre'…) or that "
            "share an identifier. For review: nothing is merged.",
            lambda G, s, get: _a(_dup, "duplicate_records")(G, threshold=s.threshold),
            (
                _KIND,
                Field("id_a", "Id", "The first record's id."),
                Field("name_a", "Record", "The first record's name."),
                Field("id_b", "And id", "The second record's id."),
                Field("name_b", "And record", "The second record's name."),
                Field("score", "Score", "100 when an identifier is shared, else the name similarity."),
                Field("name_similarity", "Names alike (%)", "How alike the names are after tidying, in percent."),
                Field("shared_identifiers", "Shared identifiers", "Identifiers (org-ids) both carry."),
                Field("reason", "Why", "Why the pair is listed, in words."),
            ),
            brief=("name_a", "name_b", "reason"),
        ),
        Table(
            "overlapping_forums",
            "duplicates",
            "forums",
            "Forums with the same members",
            "Pairs of partnerships or boards whose members overlap most (shared ÷ all): parallel meetings with "
            "the same people. Could they meet together?",
            lambda G, s, get: _a(_dup, "overlapping_forums")(G, min_jaccard=s.min_jaccard),
            (
                Field("forum_a", "Id", "The first forum's id."),
                Field("name_a", "Forum", "The first forum."),
                Field("forum_b", "And id", "The second forum's id."),
                Field("name_b", "And forum", "The second forum."),
                Field("shared", "Shared members", "Members with a seat in both."),
                Field(
                    "jaccard",
                    "Overlap (0–1)",
                    "Shared members ÷ all the members of either (1 = the same people).",
                    "The Jaccard index of the two member sets.",
                ),
                Field("members_a", "Members of the first", "Seats in the first forum."),
                Field("members_b", "Members of the second", "Seats in the second forum."),
            ),
            brief=("name_a", "name_b", "shared", "jaccard"),
        ),
        Table(
            "meeting_burden",
            "duplicates",
            "burden",
            "Meeting burden",
            "Partners and people with a seat in the most forums: the time the interviews say partners lack.",
            lambda G, s, get: _a(_dup, "meeting_burden")(G, min_forums=s.min_forums),
            (
                _ID,
                _NAME,
                _KIND,
                _SECTOR,
                Field("forums", "Forums", "Partnerships and boards it has a seat in."),
                Field("chairs", "Chairs", "How many of those it chairs."),
                Field("forum_names", "Which", "Their names."),
            ),
            brief=("name", "sector", "forums", "chairs"),
        ),
        Table(
            "duplicated_functions",
            "duplicates",
            "services",
            "The same service twice in one {unit}",
            "Two or more partners offering the same kind of service in one {unit}: duplication, or a choice for "
            "people.",
            lambda G, s, get: _a(_dup, "duplicated_functions")(G),
            (
                _UNIT,
                Field("unit_name", "{Unit}", "The {unit}'s name."),
                Field("service", "Service", "The service (tidied: case and spacing ignored)."),
                Field("organisations", "Partners offering it", "How many member organisations offer it."),
                Field("names", "Who", "Their names."),
                Field("ids", "Ids", "Their ids."),
            ),
            brief=("unit_name", "service", "names"),
        ),
        Table(
            "communities",
            "communities",
            "partners",
            "Groups found from the ties, beside the {units}",
            "Groups of partners who work most with each other, found from the ties alone, set beside the {unit} "
            "each officially belongs to.",
            lambda G, s, get: _a(_com, "communities")(
                G, s.seed, s.resolution, method=s.method, exclude_unit_ties=s.exclude_unit_ties
            ),
            (
                _ID,
                _NAME,
                _SECTOR,
                Field("community", "Group", "The group found (1 = the largest)."),
                Field("community_size", "Group size", "Partners in the group."),
                Field(
                    "unit", "Official {unit} id", "Its official {unit} (its only one, or the one it works with most)."
                ),
                Field("community_unit", "Group's {unit} id", "The {unit} most of the group belong to."),
                Field(
                    "unit_name", "Official {unit}", "Its official {unit} (its only one, or the one it works with most)."
                ),
                Field("community_unit_name", "Group's {unit}", "The {unit} most of the group belong to."),
                Field("agrees", "Same", "Whether its group's {unit} is its own."),
                Field("in_units", "{Units}", "How many {units} it is a member of."),
            ),
            brief=("name", "sector", "community", "unit_name", "community_unit_name", "agrees"),
            reading=_unit_names,
            projection=True,
        ),
        Table(
            "community_agreement",
            "communities",
            "agreement",
            "How far the groups match the {units}",
            "One number for how closely the groups found from the ties follow the {units}, said in words.",
            lambda G, s, get: _a(_com, "community_agreement")(
                G,
                s.seed,
                s.resolution,
                method=s.method,
                exclude_unit_ties=s.exclude_unit_ties,
                table=get("communities"),
            ),
            (
                Field("organisations", "Organisations", "All organisations."),
                Field("scored", "Compared", "Those with an official {unit}."),
                Field("communities", "Groups", "Groups found among them."),
                Field("units", "{Units}", "{Units} among them."),
                Field("agreeing", "Same", "Organisations whose group's {unit} is their own."),
                Field(
                    "adjusted_rand_index",
                    "Agreement (ARI)",
                    "1: the groups are exactly the {units}; about 0: no more alike than chance.",
                    "The adjusted Rand index (Hubert and Arabie) of the two groupings, from igraph.",
                ),
                Field(
                    "normalised_mutual_information",
                    "Shared information (NMI)",
                    "1: knowing the group tells you the {unit}; 0: it tells you nothing.",
                    "Normalised mutual information (Danon et al.), from igraph.",
                ),
                Field("in_words", "In words", "The agreement said in a sentence."),
            ),
            brief=("scored", "communities", "units", "adjusted_rand_index", "normalised_mutual_information"),
            projection=True,
        ),
    )
}

#: The command that shows each group of tables, in the order the report reads them.
GROUPS: tuple[str, ...] = ("summary", "centrality", "brokerage", "gaps", "duplicates", "communities")


def tables_in(group: str) -> list[Table]:
    """The catalogue's tables of one group, in declaration order."""
    return [t for t in TABLES.values() if t.group == group]


def run(
    G: nx.MultiDiGraph,
    keys: Iterable[str] | None = None,
    settings: Settings | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, pd.DataFrame]:
    """Make the named tables (all when ``keys`` is None), each once, in catalogue order.

    A table that needs another (``sectors_that_never_meet`` reads ``sector_contacts``) gets
    the one already made, so nothing is computed twice.

    Raises
    ------
    LcpGraphError
        For a key the catalogue does not have.
    """
    settings = settings or Settings()
    wanted = list(TABLES) if keys is None else list(keys)
    for k in wanted:
        if k not in TABLES:
            raise LcpGraphError(f"there is no table '{k}'{did_you_mean(k, TABLES)}")
    projected = [k for k in wanted if TABLES[k].projection]
    if projected:
        from lcpgraph import views

        pairs = views.projection_pairs(G)
        if settings.without_projection:
            wanted = [k for k in wanted if not TABLES[k].projection]
        elif pairs > views.MAX_PROJECTED_PAIRS:
            # Found before any work is done, not as an allocation error half-way through.
            raise LcpGraphError(
                f"this network's forums are too big for the analyses of who works with whom: tying every pair "
                f"of members would make {pairs:,} ties (the most lcpgraph holds is {views.MAX_PROJECTED_PAIRS:,}). "
                "Split the largest forums into the groups that actually meet, or leave those analyses out with "
                "--without-projection (" + ", ".join(TABLES[k].title_for(place_of(G)).lower() for k in projected) + ")"
            )
    out: dict[str, pd.DataFrame] = {}

    def get(key: str) -> pd.DataFrame:
        if key not in out:
            out[key] = TABLES[key].compute(G, settings, get)
        return out[key]

    for i, k in enumerate(wanted, 1):
        if progress:
            progress(TABLES[k].title_for(place_of(G), settings), i, len(wanted))
        get(k)
    return {k: out[k] for k in wanted}


def explain(term: str, place: Place | None = None) -> list[tuple[str, str, Field]]:
    """Every column called ``term`` (by name or header words): ``(table key, table title, field)``."""
    place = place or Place()
    want = term.strip().lower().replace("-", "_").replace(" ", "_")
    out = []
    for t in TABLES.values():
        for f in t.columns:
            label = f.label.format(**place.words()).lower().replace("-", "_").replace(" ", "_")
            if want in (f.name, label):
                out.append((t.key, t.title_for(place), f))
    return out


# The partner survey's tables (lcpgraph.survey), registered last: that module reads Field and Table from here.
from lcpgraph.survey.tables import SURVEY_TABLES as _SURVEY  # noqa: E402

TABLES.update({t.key: t for t in _SURVEY})

# --------------------------------------------------------------------------------------
# recommendations (lcpgraph.analysis.recommend): one block, added after the groups above

_rec = "lcpgraph.analysis.recommend"
_WHY = Field("why", "Why", "The reason, in a sentence to read out.")
_PLAYER = (
    Field("rank", "Order", "1 = the one that matters most alone."),
    _ID,
    _NAME,
    _KIND,
    _SECTOR,
)
for _t in (
    Table(
        "key_player_sets",
        "recommend",
        "sets",
        "Key players: who the network cannot lose, who to brief first",
        "The few records that matter most as a set (Borgatti's key-player problems): whose loss together would "
        "split the network most, and who together reach most of it within two steps.",
        lambda G, s, get: _a(_rec, "key_player_sets")(G, seed=s.seed),
        (
            Field("problem", "Problem", "cannot lose (fragmentation) or brief first (reach)."),
            Field("measure", "Measure", "fragmentation, distance, reach or distance_reach."),
            Field("k", "Set size", "How many records in the set."),
            Field("ids", "Ids", "Their ids, in the order chosen."),
            Field("names", "Who", "Their names."),
            Field(
                "value",
                "Score",
                "The measure for this set (0 to 1).",
                "Fragmentation: the share of pairs of records that could not reach each other without the set. "
                "Reach: the share of records within two steps of someone in the set. Higher is a stronger set.",
            ),
            Field("baseline", "Now", "The measure with nobody lost or briefed."),
            Field("greedy_value", "Quick search", "What the greedy search with swaps found."),
            Field(
                "optimum",
                "Best possible",
                "The best over every possible set, when there were few enough to check (blank otherwise).",
            ),
            Field("gap", "Short of best", "How far the quick search fell short of the best possible (0 = found it)."),
            Field("method", "How found", "Every set checked, or the greedy search with its starting sets and seed."),
            Field("in_words", "In words", "The finding in a sentence."),
        ),
        brief=("problem", "names", "value", "baseline", "optimum", "gap", "method"),
    ),
    Table(
        "cannot_lose",
        "recommend",
        "cannot-lose",
        "Who the network cannot lose",
        "The records whose loss together would split the network most: keep them, and build second routes around them.",
        lambda G, s, get: _a(_rec, "cannot_lose")(G, seed=s.seed),
        (
            *_PLAYER,
            Field(
                "loss_alone", "Split if lost alone", "Share of pairs that could not reach each other without it alone."
            ),
            Field(
                "cut_off", "Would cut off alone", "Records that would lose every route to the rest if it alone left."
            ),
            Field("cut_off_names", "Who", "The first few of them, by name."),
            Field(
                "cut_off_with_set",
                "Cut off with the others",
                "Records of the main network cut off only because it goes as well as the others in the set.",
            ),
            _WHY,
        ),
        brief=("rank", "name", "kind", "cut_off", "why"),
    ),
    Table(
        "brief_first",
        "recommend",
        "brief-first",
        "Who to brief first",
        "The records that together reach most of the network within two steps: brief them and the news spreads.",
        lambda G, s, get: _a(_rec, "brief_first")(G, seed=s.seed),
        (
            *_PLAYER,
            Field("reach_alone", "Reaches", "Records within two steps of it (itself included)."),
            Field("adds", "Of them new", "Of those, records no one above it in the list reaches."),
            _WHY,
        ),
        brief=("rank", "name", "kind", "reach_alone", "why"),
    ),
    Table(
        "introductions",
        "recommend",
        "introductions",
        "Introductions to make",
        "For {focus} partners on the edge, and for {units} missing an expected sector: who to introduce to whom, "
        "who could make the introduction, and what it would gain.",
        lambda G, s, get: _a(_rec, "introductions")(G, s.sectors, all_sectors=s.all_sectors, expected=s.expected),
        (
            Field("for_id", "For id", "The id of the partner or {unit} helped."),
            Field("for_name", "For", "The partner or {unit} helped."),
            Field("need", "Need", "Why it is listed: isolated, on the edge, or a sector missing."),
            Field("priority", "Priority", "1 = the best introduction for that need."),
            Field("introduce_id", "Introduce id", "The id of the partner or forum to introduce."),
            Field("introduce_name", "Introduce to", "The partner or forum to introduce."),
            Field("introduce_kind", "Which is a", "{unit}, partnership, organisation or person."),
            Field("via_id", "Via id", "The id of who could make the introduction."),
            Field("via_name", "Via", "Who already works with both sides (or sits in the forum and shares the sector)."),
            Field("shared", "In common", "Areas and services the two have in common."),
            Field("joins", "Newly in reach", "Records it could reach that it cannot reach now."),
            Field(
                "fragmentation_drop",
                "Less split by",
                "How much the share of pairs that cannot reach each other would fall.",
            ),
            Field("board_route", "Route to a board", "Whether it gives a partner its first route to a board."),
            Field("new_sectors", "Sectors newly met", "Sectors the partner would meet for the first time."),
            Field(
                "score",
                "Points",
                "Points for the reasons (area, missing sector, services, route to a board…).",
                "The sum of lcpgraph.analysis.recommend.INTRODUCTION_POINTS for each reason that applies.",
            ),
            _WHY,
        ),
        brief=("for_name", "need", "priority", "introduce_name", "why"),
    ),
    Table(
        "unit_choices",
        "recommend",
        "units",
        "Which {unit} each {place_scope} {focus} partner should prioritise",
        "'I struggle to know which {unit} to prioritise': the {units} ranked for each {place_scope} partner by the "
        "sector they lack, fit, population, need figures and the partner's own meeting load; the best three each.",
        lambda G, s, get: _a(_rec, "unit_choices")(G, s.sectors, all_sectors=s.all_sectors),
        (
            _ID,
            _NAME,
            _SECTOR,
            Field("rank", "Rank", "1 = the {unit} to prioritise first."),
            _UNIT,
            Field("unit_name", "{Unit}", "The {unit}'s name."),
            Field(
                "score",
                "Score",
                "The weighted sum of the criteria.",
                "sector×3 + fit×2 + population×1 + need×2 − burden×1 + only link×2 by default (see "
                "lcpgraph.analysis.recommend.JOIN_WEIGHTS; lcpgraph recommend units --weight changes them).",
            ),
            Field("member", "Member already", "Whether it is a member already (keep, rather than join)."),
            Field("reasons", "Why", "The reasons, strongest first."),
        ),
        brief=("name", "rank", "unit_name", "member", "reasons"),
    ),
    Table(
        "meet_together",
        "recommend",
        "meet-together",
        "Forums that could meet together",
        "Partnerships and boards with much the same members: one meeting could do for both, or take the other's "
        "report.",
        lambda G, s, get: _a(_rec, "meet_together")(G, min_jaccard=s.min_jaccard),
        (
            Field("forum_a", "Id", "The first forum's id."),
            Field("name_a", "Forum", "The first forum."),
            Field("forum_b", "And id", "The second forum's id."),
            Field("name_b", "And forum", "The second forum."),
            Field("shared", "Shared members", "Members with a seat in both."),
            Field(
                "jaccard",
                "Overlap (0–1)",
                "Shared members ÷ all the members of either (1 = the same people).",
                "The Jaccard index of the two sets of seats. From 0.5, half the people in the two rooms are the same: "
                "one meeting could take the business they share.",
            ),
            Field("shared_names", "Who", "The first few of them."),
            _WHY,
        ),
        brief=("name_a", "name_b", "shared", "why"),
    ),
    Table(
        "covered_seats",
        "recommend",
        "covered-seats",
        "Seats a colleague already covers",
        "Partners with seats in many forums, where someone from the same organisation or sector also sits: one "
        "could attend for both.",
        lambda G, s, get: _a(_rec, "covered_seats")(G, min_forums=s.min_forums),
        (
            _ID,
            _NAME,
            _SECTOR,
            Field("forums", "Forums", "Forums it has a seat in."),
            Field("forum", "Forum id", "The forum's id."),
            Field("forum_name", "In", "The forum where its seat is covered."),
            Field("how", "Covered how", "same organisation, or same sector."),
            Field("covered_by", "By", "Who else sits there."),
            _WHY,
        ),
        brief=("name", "forum_name", "how", "why"),
    ),
):
    TABLES[_t.key] = _t
GROUPS = (*GROUPS, "recommend")


def _needs_partner(G, s, get):
    raise LcpGraphError("this table ranks the units for one partner: use lcpgraph.analysis.recommend.join_units")


#: How ``lcpgraph recommend units --for NAME`` shows one partner's ranking (not made by :func:`run`).
JOIN_UNITS = Table(
    "join_units",
    "recommend",
    "for",
    "The {units} ranked for one partner",
    "Each {unit} by need (the sector it lacks, population, need figures), fit (area and services) and the "
    "partner's own meeting load; the reasons say why.",
    _needs_partner,
    (
        Field("rank", "Rank", "1 = the {unit} to prioritise first."),
        _UNIT,
        _UNIT_NAME,
        Field("score", "Score", "The weighted sum of the criteria."),
        Field("member", "Member already", "Whether it is a member already."),
        Field("sector", "Sector missing (0–1)", "1 when it has no partner of this partner's sector; 1/2 with one…"),
        Field("fit", "Fit (0–1)", "1 when it covers the partner's area; else the share of its services members offer."),
        Field("population", "Population (0–1)", "Its population over the largest {unit}'s."),
        Field("need", "Need (0–1)", "Its need figures scaled from least (0) to most (1) needy."),
        Field("burden", "Extra meeting (0–1)", "How stretched the partner is, where it is not a member yet."),
        Field("only_link", "Only link", "Whether the partner is its only member of its sector."),
        Field("reasons", "Why", "The reasons, strongest first."),
    ),
    brief=("rank", "name", "score", "member", "reasons"),
)
