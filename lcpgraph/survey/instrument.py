"""The survey workbooks: one per respondent (and one for everyone) out, the answers back in.

:func:`write_workbooks` writes, for a dataset's organisations (or one unit's), an Excel
workbook per respondent listing every other partner with drop-down lists for each question,
plus one combined workbook for entering paper answers; the wording, the four levels of
working together and the 1–4 scale are printed on the sheets. The same roster and wave give the
same bytes. :func:`collect` reads the returned workbooks back into ``ratings.csv`` rows and says
who has not replied. A workbook that cannot be read, is not a survey workbook, or whose
hidden details, ids or headers were changed is reported with its file, sheet, row and column,
never with a traceback.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from lcpgraph import schema, views
from lcpgraph.exceptions import LcpGraphError, Problem, ValidationError
from lcpgraph.raw import RawTable
from lcpgraph.survey.questions import FREQUENCIES, INTENSITIES, INTENSITY_NAMES, ITEMS, SCALE, scale_label

__all__ = [
    "ANSWERS_SHEET",
    "COMBINED_FILE",
    "COMBINED_SHEET",
    "Collected",
    "collect",
    "roster",
    "write_workbooks",
]

#: Sheet names. The hidden sheet holds what lcpgraph needs to read the answers back.
ANSWERS_SHEET = "Your answers"
COMBINED_SHEET = "All answers"
META_SHEET = "_lcpgraph"
LISTS_SHEET = "lists"
#: File name (without .xlsx) of the workbook with every respondent's rows.
COMBINED_FILE = "all-partners"

FORMAT = "lcpgraph partner survey"
VERSION = "1"
HEADER_ROW = 6
QUESTION_ROW = 7
FIRST_ROW = 8

#: The largest workbook collect opens (a returned survey is a few hundred kilobytes).
MAX_WORKBOOK_BYTES = 50 * 2**20


@dataclass(frozen=True)
class _Col:
    key: str  # the ratings column it fills, or a help column
    header: str
    hint: str
    width: float
    answer: bool  # white and editable; otherwise grey and locked


def _answer_columns() -> list[_Col]:
    return [
        _Col("works_with", "Do you work with them?", "yes or no", 13, True),
        _Col("frequency", "How often?", "choose from the list", 15, True),
        _Col(
            "intensity",
            "How closely?",
            "awareness, cooperation, coordination or integration (see Instructions)",
            16,
            True,
        ),
        *(_Col(i.name, i.header, f"{i.question} (1 not at all … 4 a great deal)", 16, True) for i in ITEMS),
        _Col("note", "Note (optional)", "anything you want to add", 30, True),
    ]


def _layout(kind: str) -> list[_Col]:
    if kind == "respondent":
        return [
            _Col("partner_name", "Partner", "", 34, False),
            _Col("sector", "Sector", "", 18, False),
            *_answer_columns(),
            _Col("partner", "Partner id", "do not change", 20, False),
        ]
    return [
        _Col("respondent_name", "Answering for", "", 30, False),
        _Col("partner_name", "Partner", "", 30, False),
        _Col("sector", "Partner's sector", "", 16, False),
        _Col("date", "Date answered", "DD/MM/YYYY", 14, True),
        *_answer_columns(),
        _Col("respondent", "Respondent id", "do not change", 20, False),
        _Col("partner", "Partner id", "do not change", 20, False),
    ]


# --------------------------------------------------------------------------------------
# the roster


def roster(G: nx.MultiDiGraph, unit: str | None = None) -> tuple[list[str], str]:
    """The organisations to survey, sorted by name, and what the survey covers in words.

    Every organisation of the dataset, or, with ``unit`` (a name or id), the organisations that
    are members of that partnership or board by :func:`lcpgraph.views.members`.

    >>> G = nx.MultiDiGraph(); G.add_node("b", kind="organisation", name="Beta")
    >>> G.add_node("a", kind="organisation", name="Alpha"); G.add_node("p", kind="partnership")
    >>> roster(G)
    (['a', 'b'], 'all partners')
    """
    kind = dict(G.nodes(data="kind", default=""))
    if unit is None:
        ids = [n for n, k in kind.items() if k == schema.ORGANISATION]
        scope = "all partners" + (f" in {views.place_of(G).name}" if views.place_of(G).name else "")
    else:
        from lcpgraph.render.map import resolve_node

        place = views.place_of(G)
        u = resolve_node(G, unit, (schema.PARTNERSHIP, schema.BOARD), place.unit)
        ids = [m for m in views.members(G, u) if kind.get(m) == schema.ORGANISATION]
        scope = f"the partners of {views.name_of(G, u)}"
        if u in views.units(G):
            scope += f" ({place.unit})"
    return sorted(ids, key=lambda n: (views.name_of(G, n).lower(), n)), scope


def _check(kind: str, respondent: str, wave: str, scope: str, people: list[tuple[str, str]]) -> str:
    """A fingerprint of the hidden details, so a changed or pasted-over hidden sheet is noticed."""
    text = f"{FORMAT}\n{VERSION}\n{kind}\n{respondent}\n{wave}\n{scope}\n" + "".join(f"{i}\t{n}\n" for i, n in people)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------------------
# writing


def _workbook(
    G: nx.MultiDiGraph,
    ids: list[str],
    kind: str,
    respondent: str | None,
    wave: str,
    scope: str,
    rows: int | None = None,
) -> bytes:
    """One survey workbook's bytes (``kind`` "respondent" or "combined")."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    from lcpgraph.files import append_row, xlsx_bytes

    sector = views.sector_of(G)
    people = [(n, views.name_of(G, n)) for n in ids]
    grey = PatternFill("solid", fgColor="EEEEEE")
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    who = views.name_of(G, respondent) if respondent else ""

    wb = Workbook()
    info = wb.active
    info.title = "Instructions"
    _instructions(info, kind, who, wave, scope, append_row, bold, wrap)

    ws = wb.create_sheet(ANSWERS_SHEET if kind == "respondent" else COMBINED_SHEET)
    cols = _layout(kind)
    title = f"Partner survey: answers from {who}" if kind == "respondent" else "Partner survey: everyone's answers"
    append_row(ws, [title])
    ws["A1"].font = Font(bold=True, size=14)
    append_row(ws, ["Survey round (wave)", wave])
    append_row(ws, ["Date you answered" if kind == "respondent" else "Covers", "" if kind == "respondent" else scope])
    append_row(ws, ["Answering for" if kind == "respondent" else "", who])
    append_row(ws, [])
    append_row(ws, [c.header for c in cols])
    append_row(ws, [c.hint for c in cols])
    for j, c in enumerate(cols, start=1):
        letter = _letter(j)
        ws.column_dimensions[letter].width = c.width
        head = ws.cell(row=HEADER_ROW, column=j)
        head.font = bold
        head.alignment = wrap
        hint = ws.cell(row=QUESTION_ROW, column=j)
        hint.font = Font(italic=True, size=9, color="444444")
        hint.alignment = wrap
    ws.row_dimensions[QUESTION_ROW].height = 75
    if kind == "respondent":
        pairs = [(respondent, p) for p in ids if p != respondent]
    else:
        pairs = [(r, p) for r in ids for p in ids if p != r]
    values = {"respondent_name": lambda r, p: views.name_of(G, r), "partner_name": lambda r, p: views.name_of(G, p)}
    for r, p in pairs:
        row = []
        for c in cols:
            if c.key in values:
                row.append(values[c.key](r, p))
            elif c.key == "sector":
                row.append(sector.get(p, ""))
            elif c.key == "respondent":
                row.append(r)
            elif c.key == "partner":
                row.append(p)
            else:
                row.append(None)
        append_row(ws, row)
    last = FIRST_ROW + len(pairs) - 1
    # Answer cells are white and unlocked; names and ids are grey and locked, so they are not
    # typed over by accident (the protection has no password: it is a guard, not a lock).
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    date_cell = ws["B3"]
    if kind == "respondent":
        date_cell.protection = Protection(locked=False)
        date_cell.number_format = "DD/MM/YYYY"
        date_cell.border = _border()
    for j, c in enumerate(cols, start=1):
        for i in range(FIRST_ROW, last + 1):
            cell = ws.cell(row=i, column=j)
            if c.answer:
                cell.protection = Protection(locked=False)
                cell.border = _border()
                if c.key == "date":
                    cell.number_format = "DD/MM/YYYY"
            else:
                cell.fill = grey
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=3 if kind == "respondent" else 4)

    lists = wb.create_sheet(LISTS_SHEET)
    choices = {
        "works_with": ("yes", "no"),
        "frequency": FREQUENCIES,
        "intensity": INTENSITY_NAMES,
        "scale": tuple(scale_label(k) for k in range(1, len(SCALE) + 1)),
    }
    ranges = {}
    for j, (name, options) in enumerate(choices.items(), start=1):
        letter = _letter(j)
        lists.cell(row=1, column=j, value=name)
        for i, v in enumerate(options, start=2):
            lists.cell(row=i, column=j, value=v)
        ranges[name] = f"{LISTS_SHEET}!${letter}$2:${letter}${len(options) + 1}"
    lists.sheet_state = "hidden"
    if last >= FIRST_ROW:
        for j, c in enumerate(cols, start=1):
            source = "scale" if c.key in {i.name for i in ITEMS} else c.key
            letter = _letter(j)
            if source in ranges:
                dv = DataValidation(
                    type="list",
                    formula1=f"={ranges[source]}",
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="Choose from the list",
                    error="Please choose one of the answers in the list (see the Instructions sheet).",
                )
                dv.add(f"{letter}{FIRST_ROW}:{letter}{last}")
                ws.add_data_validation(dv)
            elif c.key == "date":
                dv = DataValidation(
                    type="date",
                    operator="greaterThan",
                    formula1="36526",  # 1 January 2000
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="Not a date",
                    error="Please type the date as DD/MM/YYYY.",
                )
                dv.add(f"{letter}{FIRST_ROW}:{letter}{last}")
                ws.add_data_validation(dv)
    if kind == "respondent":
        dv = DataValidation(
            type="date",
            operator="greaterThan",
            formula1="36526",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Not a date",
            error="Please type the date as DD/MM/YYYY.",
        )
        dv.add("B3")
        ws.add_data_validation(dv)

    meta = wb.create_sheet(META_SHEET)
    for key, value in (
        ("format", FORMAT),
        ("version", VERSION),
        ("kind", kind),
        ("respondent", respondent or ""),
        ("wave", wave),
        ("scope", scope),
        ("check", _check(kind, respondent or "", wave, scope, people)),
    ):
        append_row(meta, [key, value])
    for n, name in people:
        append_row(meta, ["partner", n, name])
    meta.sheet_state = "veryHidden"  # not offered by Excel's "Unhide": it is for lcpgraph
    wb.active = 0
    return xlsx_bytes(wb)


def _border():
    from openpyxl.styles import Border, Side

    side = Side(style="thin", color="999999")
    return Border(left=side, right=side, top=side, bottom=side)


def _letter(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j)


def _instructions(ws, kind: str, who: str, wave: str, scope: str, append_row, bold, wrap) -> None:
    from openpyxl.styles import Font

    sheet = ANSWERS_SHEET if kind == "respondent" else COMBINED_SHEET
    append_row(ws, ["Partner survey: how we work together"])
    ws["A1"].font = Font(bold=True, size=14)
    if kind == "respondent":
        append_row(ws, [f"For: {who}. Survey round: {wave}. It covers {scope}."])
    else:
        append_row(
            ws,
            [
                f"For entering everyone's answers (from paper forms or a meeting). Survey round: {wave}. It covers {scope}."
            ],
        )
    append_row(ws, [])
    steps = [
        "How to fill it in",
        f"1. Go to the sheet '{sheet}'. There is one row for each partner"
        + (" you are asked about." if kind == "respondent" else ", for each partner answering."),
        "2. Answer for your organisation as a whole, not just for yourself.",
        "3. In each row, start with 'Do you work with them?' and choose yes or no from the drop-down list. "
        "If no, leave the rest of the row blank and go to the next one.",
        "4. If yes, say how often you work together, how closely (the four levels below), and answer the six "
        "questions on the 1 to 4 scale (1 = not at all, 4 = a great deal).",
        "5. If you do not know a partner well enough to answer a question, leave that cell blank. A blank "
        "counts as 'not answered', never as a low score.",
        "6. A note is optional. It is kept with your answers but never shown in tables, maps or reports.",
        (
            "7. Type today's date at the top of the sheet (DD/MM/YYYY), save the file as it is (Excel .xlsx, "
            "same name) and send it back to the person who sent it to you."
            if kind == "respondent"
            else "7. Put the date each partner answered in 'Date answered', save the file as it is and give it to "
            "the person collecting the survey."
        ),
        "Please do not change the grey cells, add or delete rows, or rename the sheets: the answers are read "
        "back from where they are. The grey cells are locked for that reason (there is no password).",
    ]
    for k, line in enumerate(steps):
        append_row(ws, [line])
        if k == 0:
            ws.cell(row=ws.max_row, column=1).font = bold
    append_row(ws, [])
    append_row(ws, ["How closely you work together: choose the highest level that is true"])
    ws.cell(row=ws.max_row, column=1).font = bold
    for k, (name, meaning) in enumerate(INTENSITIES, start=1):
        append_row(ws, [f"{k}. {name}", meaning])
    append_row(ws, [])
    append_row(ws, ["The six questions (each answered 1 to 4)"])
    ws.cell(row=ws.max_row, column=1).font = bold
    for group, title in (("trust", "Trust"), ("value", "Value to the partnership")):
        for item in ITEMS:
            if item.group == group:
                append_row(ws, [f"{title}: {item.header}", item.question])
    append_row(ws, [])
    append_row(ws, ["The 1 to 4 scale"])
    ws.cell(row=ws.max_row, column=1).font = bold
    for k in range(1, len(SCALE) + 1):
        append_row(ws, [str(k), SCALE[k - 1]])
    append_row(ws, [])
    append_row(ws, ["What happens to your answers"])
    ws.cell(row=ws.max_row, column=1).font = bold
    append_row(
        ws,
        [
            "The person running the survey sees your answers. They are combined with everyone else's with lcpgraph: "
            "each partner's trust and value scores are averages over everyone who rated it, and a pair's line on the "
            "map shows the average of what the two said about each other. Partners who do not reply are counted as "
            "'not answered', not as having no partners."
        ],
    )
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 110
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = wrap


def write_workbooks(
    G: nx.MultiDiGraph,
    out_dir: str | Path,
    *,
    unit: str | None = None,
    wave: str | None = None,
    overwrite: bool = False,
) -> list[Path]:
    """Write the survey: one workbook per organisation surveyed, and ``all-partners.xlsx``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A loaded dataset.
    out_dir : str or Path
        The folder to write into (created if needed).
    unit : str, optional
        Survey one partnership's member organisations only (name or id, e.g. ``HATCH``).
    wave : str, optional
        The survey round, written into every workbook (default: this year, e.g. ``2025``).
    overwrite : bool
        Replace files lcpgraph did not write (``--force``).

    Returns
    -------
    list of Path
        The workbooks written: the combined one first, then one per respondent (file names
        from :func:`lcpgraph.files.file_slug` of the organisation's name).

    Raises
    ------
    LcpGraphError
        With fewer than two organisations to survey, or when a file in the way was not written
        by lcpgraph (checked before anything is written).

    Examples
    --------
    >>> import tempfile
    >>> from lcpgraph.survey.example import tiny_example
    >>> G, _ = tiny_example()
    >>> [p.name for p in write_workbooks(G, tempfile.mkdtemp(), wave="2025")]
    ['all-partners.xlsx', 'ash.xlsx', 'birch.xlsx', 'cedar.xlsx', 'dee.xlsx']
    """
    from lcpgraph.files import file_slug, write_bytes, written_by_lcpgraph

    ids, scope = roster(G, unit)
    if len(ids) < 2:
        raise LcpGraphError(
            f"{scope} has {len(ids)} organisation{'s' if len(ids) != 1 else ''}: a survey needs at least two"
        )
    wave = str(wave or dt.date.today().year).strip()
    out = Path(out_dir)
    used = {COMBINED_FILE}
    targets = [(out / f"{COMBINED_FILE}.xlsx", None)]
    targets += [(out / f"{file_slug(views.name_of(G, n), used)}.xlsx", n) for n in ids]
    if not overwrite:
        theirs = [p for p, _ in targets if p.exists() and not written_by_lcpgraph(p)]
        if theirs:
            raise LcpGraphError(
                f"{theirs[0]}: already exists and was not written by lcpgraph"
                + (f" (nor were {len(theirs) - 1} more)" if len(theirs) > 1 else "")
                + "; choose another folder, or pass --force to replace them. Nothing was written."
            )
        # A returned workbook is still lcpgraph's file, but its answers are not: never write over them.
        answered = [p for p, _ in targets if p.exists() and _has_answers(p)]
        if answered:
            raise LcpGraphError(
                f"{answered[0]}: has answers in it"
                + (f" (and so do {len(answered) - 1} more)" if len(answered) > 1 else "")
                + "; write the survey to another folder (keep returned workbooks apart), or pass --force to "
                "replace them. Nothing was written."
            )
    written = []
    for path, n in targets:
        data = _workbook(G, ids, "combined" if n is None else "respondent", n, wave, scope)
        written.append(write_bytes(path, data, overwrite=True))
    return written


def _has_answers(path: Path) -> bool:
    """False only for a survey workbook lcpgraph wrote with nothing typed into it yet.

    Anything else (answers, or a workbook that does not read as an untouched survey: another
    lcpgraph workbook, one with bad answers) might hold someone's work, so it is kept.
    """
    problems: list[Problem] = []
    rows = _read_one(path, None, problems, Collected())
    return bool(rows) or bool(problems)


# --------------------------------------------------------------------------------------
# reading the answers back


@dataclass
class Collected:
    """What :func:`collect` found: ``ratings.csv`` rows and who replied, per wave."""

    rows: list[dict[str, object]] = field(default_factory=list)
    #: wave -> {organisation id: name} of everyone the workbooks of that wave list
    roster: dict[str, dict[str, str]] = field(default_factory=dict)
    #: wave -> ids of those who gave at least one answer
    replied: dict[str, set[str]] = field(default_factory=dict)
    #: (wave, respondent) -> partners it left unanswered
    unanswered: dict[tuple[str, str], int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    #: files in the folder that are not workbooks, or are Excel's lock files
    skipped: list[str] = field(default_factory=list)

    def not_replied(self, wave: str) -> list[tuple[str, str]]:
        """(id, name) of those in the wave's roster with no answer, sorted by name."""
        people = self.roster.get(wave, {})
        silent = [(n, people[n]) for n in people if n not in self.replied.get(wave, set())]
        return sorted(silent, key=lambda x: (x[1].lower(), x[0]))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _norm(text: str) -> str:
    return " ".join(str(text).lower().split())


class _Bad(Exception):
    """One problem that stops a workbook being read further."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _read_meta(wb, where: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    names = {ws.title.lower(): ws for ws in wb.worksheets}
    if META_SHEET.lower() not in names:
        raise _Bad(
            Problem(
                where,
                None,
                None,
                "is not a survey workbook made by 'lcpgraph survey template' (its hidden details are missing); "
                "only the workbooks lcpgraph wrote can be collected",
            )
        )
    meta: dict[str, str] = {}
    people: list[tuple[str, str]] = []
    for row in names[META_SHEET.lower()].iter_rows(values_only=True):
        cells = [_cell_text(c) for c in row[:3]] + ["", "", ""]
        if cells[0] == "partner":
            people.append((cells[1], cells[2]))
        elif cells[0]:
            meta[cells[0]] = cells[1]
    if meta.get("format") != FORMAT or meta.get("kind") not in ("respondent", "combined"):
        raise _Bad(Problem(where, None, None, "its hidden details are not those of an lcpgraph survey workbook"))
    if meta.get("version") != VERSION:
        raise _Bad(
            Problem(
                where,
                None,
                None,
                f"was made by a different version of the survey (version {meta.get('version')!r}, this lcpgraph reads "
                f"{VERSION}); make the survey again with this lcpgraph",
            )
        )
    check = _check(meta["kind"], meta.get("respondent", ""), meta.get("wave", ""), meta.get("scope", ""), people)
    if meta.get("check") != check or not meta.get("wave"):
        raise _Bad(
            Problem(
                where,
                None,
                None,
                "its hidden details were changed after lcpgraph wrote it, so its answers cannot be trusted to be "
                "about the right partners; ask for the answers again in a fresh workbook",
            )
        )
    if meta["kind"] == "respondent" and meta.get("respondent") not in dict(people):
        raise _Bad(Problem(where, None, None, "its respondent is not in its own list of partners"))
    return meta, people


def _read_one(path: Path, G: nx.MultiDiGraph | None, problems: list[Problem], got: Collected) -> list[dict]:
    """The answered rows of one workbook as ratings rows; problems are added, never raised."""
    from openpyxl import load_workbook

    where = path.name
    try:
        size = path.stat().st_size
        if size > MAX_WORKBOOK_BYTES:
            raise _Bad(Problem(where, None, None, f"is {size / 2**20:.0f} MB; a survey workbook is far smaller"))
        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # any failure of a damaged file is one located problem
            raise _Bad(
                Problem(where, None, None, f"cannot be read as an Excel workbook (.xlsx): {type(exc).__name__}: {exc}")
            ) from None
        try:
            return _read_answers(wb, path, G, problems, got)
        finally:
            wb.close()
    except _Bad as bad:
        problems.append(bad.problem)
    except OSError as exc:
        problems.append(Problem(where, None, None, f"cannot be read: {exc.strerror or exc}"))
    except Exception as exc:  # openpyxl raises many kinds on a tampered file
        problems.append(Problem(where, None, None, f"cannot be read: {type(exc).__name__}: {exc}"))
    return []


def _read_answers(wb, path: Path, G, problems: list[Problem], got: Collected) -> list[dict]:
    """The rows of one opened survey workbook; a problem that stops the reading is raised as _Bad."""
    from lcpgraph.survey.ratings import validate_ratings

    where = path.name
    meta, people = _read_meta(wb, where)
    kind, wave = meta["kind"], meta["wave"]
    names = dict(people)
    sheet_name = ANSWERS_SHEET if kind == "respondent" else COMBINED_SHEET
    sheets = {ws.title.lower(): ws for ws in wb.worksheets}
    ws = sheets.get(sheet_name.lower())
    if ws is None:
        raise _Bad(Problem(where, None, None, f"has no sheet '{sheet_name}'; was it renamed or deleted?"))
    where = f"{path.name}, sheet '{ws.title}'"
    cols = _layout(kind)
    rows = list(ws.iter_rows(values_only=True))
    header = [_cell_text(c) for c in (rows[HEADER_ROW - 1] if len(rows) >= HEADER_ROW else ())]
    for j, c in enumerate(cols):
        seen = header[j] if j < len(header) else ""
        if _norm(seen) != _norm(c.header):
            raise _Bad(
                Problem(
                    where,
                    HEADER_ROW,
                    _letter(j + 1),
                    f"the header should be '{c.header}' but is '{seen}'; were columns moved, added or deleted?",
                )
            )
    day = ""
    if kind == "respondent":
        raw_day = rows[2][1] if len(rows) >= 3 and len(rows[2]) > 1 else None
        day = _cell_text(raw_day)
    respondent_col = next((j for j, c in enumerate(cols) if c.key == "respondent"), None)
    partner_col = next(j for j, c in enumerate(cols) if c.key == "partner")
    expected = (
        {(meta["respondent"], p) for p, _ in people if p != meta["respondent"]}
        if kind == "respondent"
        else {(r, p) for r, _ in people for p, _ in people if r != p}
    )
    seen_pairs: dict[tuple[str, str], int] = {}
    table_rows: list[tuple[int, list[str]]] = []
    answer_keys = [c.key for c in cols if c.answer and c.key not in ("date", "note")]
    has_content: set[str] = set()
    for i, row in enumerate(rows[FIRST_ROW - 1 :], start=FIRST_ROW):
        cells = {c.key: _cell_text(row[j] if j < len(row) else None) for j, c in enumerate(cols)}
        if not any(cells.values()):
            continue
        r = meta["respondent"] if respondent_col is None else cells["respondent"]
        p = cells["partner"]
        if (r, p) not in expected:
            bad_col = partner_col if respondent_col is None or (r in names) else respondent_col
            problems.append(
                Problem(
                    where,
                    i,
                    cols[bad_col].header,
                    f"'{cells[cols[bad_col].key]}' is not one of the partners this workbook was made for; the grey id "
                    "cells must not be changed, and rows must not be added",
                )
            )
            continue
        if (r, p) in seen_pairs:
            problems.append(
                Problem(
                    where,
                    i,
                    cols[partner_col].header,
                    f"the row for '{names[p]}' appears twice (also row {seen_pairs[(r, p)]}); delete the copy",
                )
            )
            continue
        seen_pairs[(r, p)] = i
        if any(cells.get(k) for k in answer_keys) or cells.get("note"):
            has_content.add(r)
        values = {k: cells.get(k, "") for k in ("works_with", "frequency", "intensity", "note")}
        values.update({it.name: cells.get(it.name, "") for it in ITEMS})
        values["date"] = cells.get("date", "") if kind == "combined" else day
        table_rows.append(
            (
                i,
                [
                    r,
                    p,
                    wave,
                    values["date"],
                    *(values[k] for k in ("works_with", "frequency", "intensity")),
                    *(values[it.name] for it in ITEMS),
                    values["note"],
                    f"partner survey workbook {path.name}",
                ],
            )
        )
    missing = sorted(expected - set(seen_pairs))
    if missing:
        r, p = missing[0]
        problems.append(
            Problem(
                where,
                None,
                None,
                f"the row for '{names.get(p, p)}'"
                + (f" answered by '{names.get(r, r)}'" if kind == "combined" else "")
                + f" is missing{f' (and {len(missing) - 1} more)' if len(missing) > 1 else ''}; rows must not be "
                "deleted: ask for the answers in a fresh workbook",
            )
        )
        return []
    # A respondent who answered anything gets a row for every partner on its list, answered or
    # blank: the blank rows say who was asked, so the response rate counts the whole roster.
    table_rows = [(i, cells) for i, cells in table_rows if cells[0] in has_content]
    header_names = [
        "respondent",
        "partner",
        "wave",
        "date",
        "works_with",
        "frequency",
        "intensity",
        *(it.name for it in ITEMS),
        "note",
        "source",
    ]
    raw = RawTable("ratings", where, header_names, table_rows)
    check_against = G if G is not None else _roster_graph(people)
    try:
        frame = validate_ratings(raw, check_against)
    except ValidationError as exc:
        labels = {c.key: c.header for c in cols}
        if kind == "respondent":
            labels["date"] = "Date you answered"
        for pr in exc.problems:
            row = pr.row
            column = labels.get(pr.column or "", pr.column)
            if pr.column == "date" and kind == "respondent":
                row = 3
            problems.append(Problem(pr.path, row, column, pr.message))
        return []
    out = []
    for rec in frame.to_dict("records"):
        rec = {k: (None if _missing(v) else v) for k, v in rec.items()}
        r, p = rec["respondent"], rec["partner"]
        out.append(
            {
                "respondent": r,
                "respondent_name": names.get(r, r),
                "partner": p,
                "partner_name": names.get(p, p),
                "wave": rec["wave"],
                "date": rec["date"],
                "works_with": None if rec["works_with"] is None else "yes" if rec["works_with"] else "no",
                "frequency": rec["frequency"],
                "intensity": INTENSITY_NAMES[int(rec["intensity"]) - 1] if rec["intensity"] is not None else None,
                **{it.name: (int(rec[it.name]) if rec[it.name] is not None else None) for it in ITEMS},
                "note": rec["note"],
                "source": rec["source"],
                "_where": where,
                "_row": int(rec["row"]),
            }
        )
    got.roster.setdefault(wave, {}).update(names)
    respondents = [meta["respondent"]] if kind == "respondent" else [r for r, _ in people]
    answered_by: dict[str, int] = defaultdict(int)
    for rec in out:
        answered_by[rec["respondent"]] += rec["works_with"] is not None
    for r in respondents:
        if answered_by[r]:
            got.replied.setdefault(wave, set()).add(r)
            left = len(people) - 1 - answered_by[r]
            if left:
                got.unanswered[(wave, r)] = got.unanswered.get((wave, r), 0) + left
    return out


def _missing(v: object) -> bool:
    try:
        return v is None or v != v  # NaN and pandas' NA are not equal to themselves
    except TypeError:  # pandas.NA refuses to be compared
        return True


def _roster_graph(people: Iterable[tuple[str, str]]) -> nx.MultiDiGraph:
    H = nx.MultiDiGraph()
    for n, name in people:
        H.add_node(n, kind=schema.ORGANISATION, name=name)
    return H


def collect(folder: str | Path, G: nx.MultiDiGraph | None = None) -> Collected:
    """Read every returned survey workbook in ``folder`` into ``ratings.csv`` rows.

    Parameters
    ----------
    folder : str or Path
        The folder of returned workbooks (``.xlsx``; Excel's ``~$`` lock files are skipped).
    G : networkx.MultiDiGraph, optional
        The dataset: when given, every id must still be one of its organisations.

    Returns
    -------
    Collected
        ``rows`` (for :func:`lcpgraph.survey.example.ratings_csv`; a partner left unanswered
        gets no row: it is missing), the roster and who replied per wave, and the partners each
        respondent left unanswered.

    Raises
    ------
    ValidationError
        Listing every problem in every workbook (file, sheet, row, column): unreadable files,
        workbooks lcpgraph did not write or whose hidden details, ids or headers were changed,
        answers off the scale, the same pair answered in two workbooks.

    Examples
    --------
    >>> import tempfile
    >>> from lcpgraph.survey.example import tiny_example
    >>> G, _ = tiny_example()
    >>> folder = tempfile.mkdtemp(); _ = write_workbooks(G, folder, wave="2025")
    >>> got = collect(folder)
    >>> len(got.rows), got.not_replied("2025")[0]
    (0, ('a', 'Ash'))
    """
    src = Path(folder)
    if not src.is_dir():
        raise LcpGraphError(f"{src}: is not a folder; give the folder the returned workbooks are in")
    got = Collected()
    problems: list[Problem] = []
    rows: list[dict] = []
    for path in sorted(src.iterdir()):
        if path.name.startswith(("~$", ".")) or path.suffix.lower() != ".xlsx" or not path.is_file():
            got.skipped.append(path.name)
            continue
        got.files.append(path)
        rows += _read_one(path, G, problems, got)
    first: dict[tuple[str, str, str], dict] = {}
    place: dict[tuple[str, str, str], int] = {}
    kept: list[dict] = []
    for rec in rows:
        key = (rec["respondent"], rec["partner"], rec["wave"])
        if key in first and _blank(rec):
            continue  # a blank row beside an answer (a combined workbook and a returned one): the answer stands
        if key in first and _blank(first[key]):
            kept[place[key]] = rec
            first[key] = rec
        elif key in first:
            other = first[key]
            problems.append(
                Problem(
                    rec["_where"],
                    rec["_row"],
                    "Partner",
                    f"'{rec['respondent_name']}' answered about '{rec['partner_name']}' in wave {key[2]} here and in "
                    f"{other['_where']}, row {other['_row']}; keep one of the two workbooks (or clear one row)",
                )
            )
        else:
            first[key] = rec
            place[key] = len(kept)
            kept.append(rec)
    if problems:
        raise ValidationError(sorted(set(problems), key=lambda p: (p.path, p.row or 0, p.column or "", p.message)))
    got.rows = [{k: v for k, v in r.items() if not k.startswith("_")} for r in kept]
    return got


def _blank(rec: dict) -> bool:
    """A collected row with no answer and no note (the partner was asked, not answered)."""
    keys = ("works_with", "frequency", "intensity", "note", *(it.name for it in ITEMS))
    return all(rec.get(k) is None for k in keys)


def merge_ratings(existing: str, new_rows: list[dict[str, object]], replace: bool = False) -> list[dict[str, object]]:
    """Rows of an existing ``ratings.csv`` text kept beside newly collected rows.

    Rows of waves the new rows do not cover are kept as they are; rows of a wave that is
    collected again are replaced only when ``replace`` (``--force``), else it is an error.

    >>> merge_ratings("respondent,partner,wave,works_with,source\\na,b,2024,no,x\\n",
    ...               [{"respondent": "a", "partner": "b", "wave": "2025", "works_with": "yes", "source": "y"}])[0]["wave"]
    '2024'
    """
    import csv
    import io

    from lcpgraph.survey.questions import COLUMNS, HELP_COLUMNS

    reader = csv.DictReader(io.StringIO(existing.lstrip("\ufeff")))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    known = set(COLUMNS) | set(HELP_COLUMNS)
    if "respondent" not in header or not set(h for h in header if h) <= known:
        raise LcpGraphError(
            "the output file is not a ratings file (its header is not ratings.csv's); choose another name, or pass "
            "--force to replace it"
        )
    waves = {str(r["wave"]) for r in new_rows}
    kept, clash = [], 0
    for rec in reader:
        rec = {(k or "").strip().lower(): (v or "") for k, v in rec.items()}
        if rec.get("wave", "") in waves:
            clash += 1
        else:
            kept.append(rec)
    if clash and not replace:
        raise LcpGraphError(
            f"the output file already has {clash} answer{'s' if clash != 1 else ''} for wave "
            f"{', '.join(sorted(waves))}; pass --force to replace them with the workbooks' answers, or write to "
            "another file"
        )
    return kept + list(new_rows)
