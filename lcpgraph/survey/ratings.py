"""Reading and validating ``ratings.csv``: the partner survey's answers, one row per pair and wave.

The loader reads a dataset's ``ratings.csv`` (or ``ratings`` sheet) as a raw table and keeps it
on the graph unchecked (``G.graph["ratings_table"]``); :func:`read_ratings` checks it against
the graph's records and returns a tidy frame, or raises one
:class:`~lcpgraph.exceptions.ValidationError` listing every problem with its file, row and
column: a value off the scale, an id that is no organisation, a respondent rating itself, two
answers for one pair in one wave, a "no" with ratings beside it, a missing source.

A row is one respondent's answers about one partner in one wave. A row whose answers are all
blank says the partner was on the respondent's list and was *not answered*; a partner with no
row is not answered either. Not answered is missing, never "no": the survey workbooks write an
explicit "no". Who was **surveyed** in a wave is everyone who appears in its rows, as respondent
or partner (the workbooks list the whole roster, and ``collect`` writes a row for every partner
on the list of each respondent who answered anything, answered or not).

>>> import networkx as nx
>>> from lcpgraph.raw import RawTable
>>> G = nx.MultiDiGraph(); G.add_nodes_from(["a", "b"], kind="organisation")
>>> G.graph["ratings_table"] = RawTable("ratings", "ratings.csv", ["respondent", "partner", "wave",
...     "works_with", "reliability", "source"], [(2, ["a", "b", "2025", "yes", "3", "x"])])
>>> read_ratings(G)[["respondent", "partner", "wave", "works_with", "reliability"]].to_dict("records")
[{'respondent': 'a', 'partner': 'b', 'wave': '2025', 'works_with': True, 'reliability': 3}]
"""

from __future__ import annotations

import re
import unicodedata
import weakref

import networkx as nx
import pandas as pd

from lcpgraph import schema
from lcpgraph.exceptions import Problem, ValidationError, did_you_mean
from lcpgraph.load import parse_date
from lcpgraph.raw import RawTable
from lcpgraph.survey.questions import (
    COLUMNS,
    FREQUENCIES,
    HELP_COLUMNS,
    INTENSITY_NAMES,
    ITEMS,
    REQUIRED,
    SCALE,
    parse_frequency,
    parse_intensity,
    parse_scale,
    parse_yes_no,
)

__all__ = ["FRAME_COLUMNS", "empty_ratings", "read_ratings", "validate_ratings", "wave_order"]

_ITEM_NAMES = tuple(i.name for i in ITEMS)
_ANSWERS = ("works_with", "frequency", "intensity", *_ITEM_NAMES)

#: The columns of the frame :func:`read_ratings` returns, in order.
FRAME_COLUMNS: tuple[str, ...] = (
    "row",
    "respondent",
    "partner",
    "wave",
    "date",
    "works_with",
    "frequency",
    "intensity",
    *_ITEM_NAMES,
    "note",
    "source",
)

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def empty_ratings() -> pd.DataFrame:
    """A ratings frame with no rows and the columns and types :func:`read_ratings` gives."""
    # Typed once (twenty astype calls): a report asks for it on every unit page.
    global _EMPTY
    if _EMPTY is None:
        _EMPTY = _typed(pd.DataFrame({c: [] for c in FRAME_COLUMNS}))
    return _EMPTY.copy()


_EMPTY: pd.DataFrame | None = None


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["row"] = out["row"].astype("int64")
    out["works_with"] = out["works_with"].astype("boolean")  # missing: not answered
    for c in ("intensity", *_ITEM_NAMES):
        out[c] = out[c].astype("Int64")
    for c in ("respondent", "partner", "wave", "date", "frequency", "note", "source"):
        out[c] = out[c].astype("str")  # pandas' text type; a blank answer is missing (NaN)
    return out


def _natural(label: str) -> tuple:
    """Sort key that puts wave "2" before wave "10"."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in re.split(r"(\d+)", label) if p)


def wave_order(ratings: pd.DataFrame) -> list[str]:
    """The waves of ``ratings``, earliest first.

    When every wave has a date, waves are ordered by their earliest date; otherwise by their
    labels, numbers as numbers ("2" before "10", "2024" before "2025").

    >>> wave_order(pd.DataFrame({"wave": ["10", "2", "2"], "date": [None, None, None]}))
    ['2', '10']
    """
    waves = sorted({str(w) for w in ratings["wave"]}, key=_natural)
    if not waves:
        return []
    dated = ratings[ratings["date"].notna()]
    first = dated.groupby("wave")["date"].min().to_dict() if len(dated) else {}
    if all(w in first for w in waves):
        return sorted(waves, key=lambda w: (first[w], _natural(w)))
    return waves


def validate_ratings(table: RawTable, G: nx.MultiDiGraph) -> pd.DataFrame:
    """Check a raw ratings table against the records of ``G``; the tidy frame, or every problem.

    Parameters
    ----------
    table : RawTable
        The ratings as read (every cell a string; rows numbered as in the spreadsheet).
    G : networkx.MultiDiGraph
        The loaded dataset: respondents and partners must be its organisations.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`FRAME_COLUMNS`: ``row`` (the spreadsheet row), ``respondent``,
        ``partner``, ``wave``, ``date`` (ISO or missing), ``works_with`` (True, False, or missing when
        the row holds no answer; a row with ratings but no answer there is taken as yes), ``frequency`` (words or missing),
        ``intensity`` (1 awareness … 4 integration, or missing), the six items (1–4 or missing),
        ``note``, ``source``; sorted by wave (see :func:`wave_order`), respondent, partner.

    Raises
    ------
    ValidationError
        Listing every problem, each with the file, row and column.
    """
    where = table.where
    problems: list[Problem] = []
    header = [h.strip().lower() for h in table.header]
    known = set(COLUMNS) | set(HELP_COLUMNS)
    seen: dict[str, int] = {}
    usable = True
    for i, h in enumerate(header):
        if not h:
            continue
        if _CONTROL_RE.search(h):
            problems.append(Problem(where, 1, f"(column {i + 1})", "the column name holds a control character"))
            usable = False
        elif h in seen:
            problems.append(Problem(where, 1, h, f"column '{h}' appears twice (columns {seen[h] + 1} and {i + 1})"))
            usable = False
        elif h not in known:
            problems.append(
                Problem(
                    where,
                    1,
                    h,
                    f"'{h}' is not a ratings column{did_you_mean(h, list(COLUMNS))} Known: {', '.join(COLUMNS)}",
                )
            )
            usable = False
        seen.setdefault(h, i)
    for c in REQUIRED:
        if c not in seen:
            problems.append(Problem(where, 1, c, f"required column '{c}' is missing"))
            usable = False
    if not usable:
        raise ValidationError(problems)

    kind = dict(G.nodes(data="kind", default=""))
    orgs = sorted(n for n, k in kind.items() if k == schema.ORGANISATION)
    records: list[dict] = []
    first_row: dict[tuple[str, str, str], int] = {}
    for row, cells in table.rows:
        if not any(str(c).strip() for c in cells):
            continue  # wholly blank lines (Excel leaves them) carry nothing
        extra = [c for c in cells[len(header) :] if str(c).strip()]
        if extra:
            problems.append(
                Problem(
                    where,
                    row,
                    None,
                    f"has {len(cells)} cells but the header has {len(header)} columns (extra value {extra[0]!r}); "
                    "is there an unquoted comma?",
                )
            )
            continue
        v: dict[str, str] = {}
        for i, h in enumerate(header):
            cell = str(cells[i]) if i < len(cells) else ""
            if not h:
                if cell.strip():
                    problems.append(
                        Problem(
                            where,
                            row,
                            f"(column {i + 1})",
                            f"value {cell.strip()!r} sits under a blank header cell; name the column or delete it",
                        )
                    )
                continue
            bad = _CONTROL_RE.search(cell)
            if bad:
                problems.append(
                    Problem(
                        where,
                        row,
                        h,
                        f"holds the control character U+{ord(bad.group()):04X}, which cannot be shown; delete it",
                    )
                )
                cell = _CONTROL_RE.sub("", cell)
            v[h] = cell.strip()
        rec = _check_row(where, row, v, kind, orgs, problems)
        if rec is None:
            continue
        key = (rec["respondent"], rec["partner"], rec["wave"])
        if key in first_row:
            problems.append(
                Problem(
                    where,
                    row,
                    "partner",
                    f"'{key[0]}' already answered about '{key[1]}' in wave '{key[2]}' at row {first_row[key]}: "
                    "keep one answer per pair and wave",
                )
            )
            continue
        first_row[key] = row
        records.append(rec)
    if problems:
        raise ValidationError(sorted(problems, key=lambda p: (p.path, p.row or 0, p.column or "", p.message)))
    if not records:
        return empty_ratings()
    df = pd.DataFrame(records, columns=list(FRAME_COLUMNS))
    order = {w: i for i, w in enumerate(wave_order(df))}
    df = df.sort_values(["wave", "respondent", "partner"], key=lambda s: s.map(order) if s.name == "wave" else s)
    return _typed(df.reset_index(drop=True))


def _check_row(
    where: str, row: int, v: dict[str, str], kind: dict[str, str], orgs: list[str], problems: list[Problem]
) -> dict | None:
    """One row checked and parsed; None (after adding its problems) when it cannot be used."""
    n_before = len(problems)
    rec: dict[str, object] = {"row": row}
    for end in ("respondent", "partner"):
        raw = unicodedata.normalize("NFC", v.get(end, ""))
        rec[end] = raw
        if not raw:
            problems.append(Problem(where, row, end, f"{end} is blank; expected the id of an organisation"))
        elif raw not in kind:
            problems.append(
                Problem(where, row, end, f"'{raw}' is not the id of any organisation{did_you_mean(raw, orgs)}")
            )
        elif kind[raw] != schema.ORGANISATION:
            problems.append(
                Problem(
                    where,
                    row,
                    end,
                    f"'{raw}' is a {kind[raw]}, not an organisation: only organisations answer the survey and are rated",
                )
            )
    if rec["respondent"] and rec["respondent"] == rec["partner"]:
        problems.append(
            Problem(
                where, row, "partner", f"'{rec['partner']}' rates itself; a respondent rates the other partners only"
            )
        )
    day = None
    if v.get("date"):
        day = parse_date(v["date"])
        if day is None:
            problems.append(
                Problem(where, row, "date", f"date '{v['date']}' is not a date; expected YYYY-MM-DD (or DD/MM/YYYY)")
            )
    rec["date"] = day.isoformat() if day else None
    rec["wave"] = v.get("wave", "") or (str(day.year) if day else "")
    if not v.get("wave") and not v.get("date"):
        problems.append(
            Problem(where, row, "wave", "wave is blank and there is no date; give the survey round (e.g. 2025)")
        )

    works = None
    if v.get("works_with"):
        works = parse_yes_no(v["works_with"])
        if works is None:
            problems.append(Problem(where, row, "works_with", f"works_with '{v['works_with']}' must be yes or no"))
    freq = None
    if v.get("frequency"):
        freq = parse_frequency(v["frequency"])
        if freq is None:
            problems.append(
                Problem(
                    where,
                    row,
                    "frequency",
                    f"frequency '{v['frequency']}' is not one of: {', '.join(FREQUENCIES)}"
                    f"{did_you_mean(v['frequency'], FREQUENCIES)}",
                )
            )
    intensity = None
    if v.get("intensity"):
        intensity = parse_intensity(v["intensity"])
        if intensity is None:
            problems.append(
                Problem(
                    where,
                    row,
                    "intensity",
                    f"intensity '{v['intensity']}' is not one of: {', '.join(INTENSITY_NAMES)} (or 1–4)"
                    f"{did_you_mean(v['intensity'], INTENSITY_NAMES)}",
                )
            )
    scores: dict[str, int | None] = {}
    for name in _ITEM_NAMES:
        raw = v.get(name, "")
        scores[name] = None
        if raw:
            scores[name] = parse_scale(raw)
            if scores[name] is None:
                problems.append(
                    Problem(
                        where,
                        row,
                        name,
                        f"{name} '{raw}' is off the scale; give a whole number from 1 ({SCALE[0]}) to 4 ({SCALE[-1]})",
                    )
                )
    answered = [c for c in _ANSWERS if v.get(c)]
    if works is False:
        for c in answered:
            if c != "works_with":
                problems.append(
                    Problem(
                        where,
                        row,
                        c,
                        f"works_with is 'no' but {c} is given; a partner you do not work with is not rated: clear "
                        f"{c}, or change works_with to yes",
                    )
                )
    if not v.get("source"):
        problems.append(Problem(where, row, "source", "source is blank; say where the answers came from"))
    elif schema.normalise_term(v["source"]) == schema.normalise_term(schema.EXAMPLE_SOURCE):
        problems.append(Problem(where, row, "source", "this is the template's example row; delete it"))
    if len(problems) > n_before:
        return None
    rec.update(
        # ratings without the yes imply a tie; a row with no answer at all is "not answered" (None)
        works_with=works if works is not None else (True if answered else None),
        frequency=freq,
        intensity=intensity,
        note=v.get("note") or None,
        source=v["source"],
        **scores,
    )
    return rec


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def read_ratings(G: nx.MultiDiGraph) -> pd.DataFrame:
    """The dataset's survey ratings, validated against its records (empty when it has none).

    Reads ``G.graph["ratings_table"]`` (the loader puts a dataset's ``ratings.csv`` there) and
    checks it with :func:`validate_ratings`. The result is kept for the graph's life, so every
    table of a report reads the file once.

    Raises
    ------
    ValidationError
        Listing every problem in the ratings, each with its file, row and column.

    Examples
    --------
    >>> read_ratings(nx.MultiDiGraph()).empty
    True
    """
    table = G.graph.get("ratings_table")
    if table is None:
        return empty_ratings()
    sig = (id(table), G.number_of_nodes())
    try:
        hit = _CACHE.get(G)
    except TypeError:  # pragma: no cover - a graph that cannot be weakly referenced
        hit = None
    if hit is not None and hit[0] == sig:
        return hit[1]
    df = validate_ratings(table, G)
    try:
        _CACHE[G] = (sig, df)
    except TypeError:  # pragma: no cover
        pass
    return df
