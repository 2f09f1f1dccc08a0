"""The survey's questions, their answer scales and the columns of ``ratings.csv``, declared once.

The workbooks (:mod:`lcpgraph.survey.instrument`), the validation of ``ratings.csv``
(:mod:`lcpgraph.survey.ratings`) and the scores (:mod:`lcpgraph.survey.scores`) all read the
wording and the scales from here, so the sheet a partner fills in and the formulas that score
it cannot drift apart.

Each partner answers, about every other partner on the list:

* **do you work with them?** yes or no;
* **how often?** one of :data:`FREQUENCIES`;
* **intensity**: the closest of four levels, awareness < cooperation < coordination <
  integration (:data:`INTENSITIES`, each defined in words);
* three **trust** items (reliability, support of the shared aims, openness to discussion) and
  three **value** items (influence, involvement, resources), each on the 1–4 scale
  :data:`SCALE` (1 not at all … 4 a great deal);
* a free-text note.

>>> parse_scale("3 a fair amount"), parse_scale("A great deal"), parse_scale(2.0)
(3, 4, 2)
>>> parse_intensity("Coordination"), parse_yes_no("Y")
(3, True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lcpgraph.schema import normalise_term

__all__ = [
    "COLUMNS",
    "FREQUENCIES",
    "HELP_COLUMNS",
    "INTENSITIES",
    "ITEMS",
    "REQUIRED",
    "SCALE",
    "SCALE_MAX",
    "TRUST_ITEMS",
    "VALUE_ITEMS",
    "Item",
    "parse_frequency",
    "parse_intensity",
    "parse_scale",
    "parse_yes_no",
    "scale_label",
]

#: The answers of the 1–4 scale, in words (PARTNER's wording).
SCALE: tuple[str, ...] = ("not at all", "a small amount", "a fair amount", "a great deal")
SCALE_MAX = len(SCALE)


@dataclass(frozen=True)
class Item:
    """One rated question: its column in ``ratings.csv``, its short header, its question."""

    name: str
    group: str  # "trust" or "value"
    header: str
    question: str


ITEMS: tuple[Item, ...] = (
    Item(
        "reliability",
        "trust",
        "Reliable",
        "How reliable is this partner? Do they do what they say they will, when they say they will?",
    ),
    Item(
        "mission",
        "trust",
        "Supports the shared aims",
        "How far does this partner support the partnership's shared aims (its mission)?",
    ),
    Item(
        "openness",
        "trust",
        "Open to discussion",
        "How open is this partner to discussion: willing to listen, talk things through and hear other views?",
    ),
    Item(
        "influence",
        "value",
        "Influence",
        "How much power and influence does this partner have to get things done for the partnership?",
    ),
    Item(
        "involvement",
        "value",
        "Involvement",
        "How involved is this partner in the partnership's work?",
    ),
    Item(
        "resources",
        "value",
        "Resources",
        "How much does this partner contribute resources: money, staff time, information, premises, contacts?",
    ),
)

TRUST_ITEMS: tuple[str, ...] = tuple(i.name for i in ITEMS if i.group == "trust")
VALUE_ITEMS: tuple[str, ...] = tuple(i.name for i in ITEMS if i.group == "value")

#: The four levels of working together, lowest first, each with its definition as the
#: workbook prints it. A tie's level is its position here (1 awareness … 4 integration).
INTENSITIES: tuple[tuple[str, str], ...] = (
    (
        "awareness",
        "We know what they do and who to contact, and pass on information now and then, but we do not "
        "work on anything together.",
    ),
    (
        "cooperation",
        "We help each other informally: we share information, go to the same meetings and refer people "
        "to each other, each keeping our own aims, plans and money.",
    ),
    (
        "coordination",
        "We plan or time our work together on purpose so that it fits: joint plans, agreed referral "
        "pathways, services arranged around each other.",
    ),
    (
        "integration",
        "We act as one for some of our work: shared staff, a pooled budget, or a jointly run service or "
        "team, with decisions made together.",
    ),
)
INTENSITY_NAMES: tuple[str, ...] = tuple(n for n, _ in INTENSITIES)

#: How often the two work together, least often first.
FREQUENCIES: tuple[str, ...] = ("less than quarterly", "quarterly", "monthly", "weekly or more")

#: The columns of ``ratings.csv`` in the order lcpgraph writes them, with what each holds.
COLUMNS: dict[str, str] = {
    "respondent": "Id of the organisation that answered (from organisations.csv)",
    "partner": "Id of the organisation it answered about",
    "wave": "The survey round, e.g. 2025 or baseline (blank: the year of the date)",
    "date": "The day the answers were given, YYYY-MM-DD or DD/MM/YYYY (optional)",
    "works_with": "Do they work together? yes or no",
    "frequency": "How often: " + ", ".join(FREQUENCIES),
    "intensity": "How closely: " + ", ".join(INTENSITY_NAMES) + " (or 1–4)",
    **{i.name: f"{i.header} ({i.group}), 1–4: {i.question}" for i in ITEMS},
    "note": "Free text (never shown in tables, maps or reports)",
    "source": "Where the row came from: the returned workbook, a paper form, or 'illustrative'",
}

#: Columns every ``ratings.csv`` must have.
REQUIRED: tuple[str, ...] = ("respondent", "partner", "source")

#: Columns written to help a person read the file (the names of the ids); loading ignores them.
HELP_COLUMNS: tuple[str, ...] = ("respondent_name", "partner_name")

_LEADING_NUMBER = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)(?:\s*(?:[-–:.)]\s*|\s+)(.*))?$")


def scale_label(value: int) -> str:
    """The 1–4 answer as the drop-down shows it.

    >>> scale_label(1)
    '1 not at all'
    """
    return f"{value} {SCALE[value - 1]}"


def _number_or_words(raw: object, words: tuple[str, ...]) -> int | None:
    """1..len(words) from a number (``3``, ``"3"``, ``"3 - a fair amount"``) or the words alone."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return int(raw) if float(raw).is_integer() and 1 <= raw <= len(words) else None
    text = str(raw).strip()
    m = _LEADING_NUMBER.match(text)
    if m:
        number = float(m.group(1))
        if not number.is_integer() or not 1 <= number <= len(words):
            return None
        rest = normalise_term(m.group(2) or "")
        # "3 a great deal" names two different answers: refuse rather than guess.
        if rest and rest != normalise_term(words[int(number) - 1]):
            return None
        return int(number)
    norm = normalise_term(text)
    for i, w in enumerate(words, start=1):
        if norm == normalise_term(w):
            return i
    return None


def parse_scale(raw: object) -> int | None:
    """A 1–4 rating from a number or the scale's words; None when it is neither.

    >>> [parse_scale(v) for v in ("4", "4 a great deal", "a small amount", "5", "2.5", "0", "3 not at all")]
    [4, 4, 2, None, None, None, None]
    """
    return _number_or_words(raw, SCALE)


_INTENSITY_ALIASES = {
    "aware": 1,
    "cooperative": 2,
    "cooperating": 2,
    "co operation": 2,
    "co operative": 2,
    "coordinated": 3,
    "coordinating": 3,
    "co ordination": 3,
    "co ordinated": 3,
    "integrated": 4,
}


def parse_intensity(raw: object) -> int | None:
    """The level 1–4 from its name (or a close form: "co-ordinated") or its number.

    >>> [parse_intensity(v) for v in ("awareness", "Co-operation", "3", "4 integration", "merged")]
    [1, 2, 3, 4, None]
    """
    value = _number_or_words(raw, INTENSITY_NAMES)
    if value is None and isinstance(raw, str):
        value = _INTENSITY_ALIASES.get(normalise_term(raw))
    return value


def parse_frequency(raw: object) -> str | None:
    """The frequency as written in :data:`FREQUENCIES`, matched ignoring case and spacing.

    >>> parse_frequency("Weekly or More"), parse_frequency("fortnightly")
    ('weekly or more', None)
    """
    norm = normalise_term(str(raw))
    for f in FREQUENCIES:
        if norm == normalise_term(f):
            return f
    return None


def parse_yes_no(raw: object) -> bool | None:
    """True for yes, False for no (also y/n, true/false, 1/0); None for anything else.

    >>> parse_yes_no("Yes"), parse_yes_no("FALSE"), parse_yes_no("maybe")
    (True, False, None)
    """
    if isinstance(raw, bool):
        return raw
    norm = normalise_term(str(raw))
    if norm in ("yes", "y", "true", "1"):
        return True
    if norm in ("no", "n", "false", "0"):
        return False
    return None
