"""Read partnership tables (a folder of CSV files, or a workbook), validate them, build the graph.

Validation collects every problem before failing, so one run tells the user everything to fix.
Every problem names the file (or workbook and sheet), the spreadsheet row and the column.
"""

from __future__ import annotations

import csv
import errno
import functools
import io
import math
import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import networkx as nx

from lcpgraph import schema
from lcpgraph.exceptions import LcpGraphError, Problem, ValidationError, closest, did_you_mean
from lcpgraph.place import PLACE_KEYS, Place
from lcpgraph.raw import KNOWN_TABLES, PLACE_TABLE, RATINGS_TABLE, SECTORS_TABLE, RawTable

__all__ = ["MAX_TABLE_BYTES", "RawTable", "build_graph", "load", "parse_date", "read_csv_folder", "resolve_path"]

_NUMBER_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[+-]?\.\d+$")
_ORG_ID_RE = re.compile(r"^[A-Z]{2}-[A-Z]{2,6}-[A-Za-z0-9./-]+$")
# Characters a text cell may not hold: C0 controls but tab, line feed and carriage return, and
# DEL. They are invalid in XML (GEXF, GraphML, xlsx) and invisible on screen.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

#: The largest table file lcpgraph reads (a bigger one is refused with a clear message, not read
#: until memory runs out).
MAX_TABLE_BYTES = 1 << 30


def resolve_path(path: str | Path | None) -> Path:
    """Return ``path`` as a :class:`~pathlib.Path`, or the bundled Leeds data when it is None."""
    if path is None:
        from lcpgraph.datasets import leeds_path

        return leeds_path()
    return Path(path)


def load(
    path: str | Path | None = None,
    *,
    encoding: str = "utf-8-sig",
    as_of: str | date | None = None,
    keep_going: bool = False,
) -> nx.MultiDiGraph:
    """Load and validate a partnership dataset and return it as a graph.

    Parameters
    ----------
    path : str or Path, optional
        A folder of CSV files (``organisations.csv``, ``partnerships.csv``,
        ``relationships.csv``, and optionally ``boards.csv``, ``people.csv``,
        ``sectors.csv``, ``place.csv``) or an Excel workbook (``.xlsx``) with sheets of the
        same names. Defaults to the bundled Leeds data.
    encoding : str
        Text encoding of CSV files. The default reads UTF-8 with or without the byte-order
        mark that Excel's "CSV UTF-8" adds.
    as_of : str or date, optional
        The day the analyses read the ties on (default: today); see :func:`lcpgraph.views.at`.
    keep_going : bool
        Leave out rows with problems instead of stopping; the problems are then listed in
        ``G.graph["left_out"]`` (a problem with a whole file still stops the load).

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by id with their attributes; one edge per relationship row (ended ones
        too: :func:`lcpgraph.views.current_edges` decides which count). See
        :mod:`lcpgraph.schema` for the attributes. ``G.graph["place"]`` is the place profile
        and ``G.graph["notices"]`` lists what was skipped (a help sheet, say).

    Raises
    ------
    ValidationError
        Listing every problem found, each with its file, row and column.
    LcpGraphError
        When the path does not exist or is not a folder or workbook.

    Examples
    --------
    >>> G = load()  # the bundled Leeds data
    >>> G.nodes["org-forum-central"]["sector"]
    'third sector'
    """
    p = resolve_path(path)
    link = _bad_link(p)
    if link:
        raise LcpGraphError(f"{p}: {link}")
    try:
        exists, is_dir = p.exists(), p.is_dir()
    except OSError as exc:  # a symbolic-link loop, a name too long
        raise LcpGraphError(f"{p}: cannot be read: {exc.strerror or exc}") from None
    if not exists:
        raise LcpGraphError(f"{p}: no such file or folder")
    notices: list[str] = []
    if is_dir:
        tables = read_csv_folder(p, encoding=encoding)
    elif p.suffix.lower() in (".xlsx", ".xlsm"):
        from lcpgraph.workbook import read_workbook

        tables = read_workbook(p, notices=notices)
    else:
        raise LcpGraphError(
            f"{p}: expected a folder of CSV files or an Excel workbook (.xlsx), got a '{p.suffix}' file"
        )
    G = build_graph(tables, where=str(p), notices=notices, keep_going=keep_going)
    G.graph["name"] = p.stem if p.is_file() else p.resolve().name
    G.graph["path"] = str(p)
    if G.graph.get("ratings_table") is not None:
        # Survey ratings refer to the records: checked against them, with the same located errors.
        from lcpgraph.survey.ratings import read_ratings

        read_ratings(G)
    if as_of is not None:
        G.graph["as_of"] = _as_day(as_of).isoformat()
    return G


def _as_day(value: str | date) -> date:
    if isinstance(value, date):
        return value
    d = parse_date(str(value))
    if d is None:
        raise LcpGraphError(f"'{value}' is not a date; give YYYY-MM-DD, e.g. 2024-04-01")
    return d


def _bad_link(p: Path) -> str | None:
    """What is wrong with ``p`` if it is a symbolic link that leads nowhere, else None."""
    if not p.is_symlink():
        return None
    try:
        p.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link that loops back on itself"
        return "is a broken symbolic link (it points to something that is not there)"
    return None


def _describe(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symbolic link that loops back on itself"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read: permission denied"
    return f"cannot be read: {exc.strerror or exc}"


def read_csv_folder(folder: Path, *, encoding: str = "utf-8-sig") -> dict[str, RawTable]:
    """Read every ``*.csv`` in ``folder`` into :class:`RawTable` objects, keyed by table name.

    File names are matched to tables ignoring case (``Boards.CSV`` is ``boards``). Two files
    for one table, a CSV file that is no known table, a file that cannot be read (a broken
    link, a folder named like a table, a file over :data:`MAX_TABLE_BYTES`) and text that is
    not in ``encoding`` are all problems, raised together as one :class:`ValidationError`.
    """
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        raise LcpGraphError(f"{folder}: {_describe(exc)}") from None
    by_table: dict[str, list[Path]] = {}
    for f in entries:
        if f.suffix.lower() != ".csv":
            continue
        name = f.stem.strip().lower()
        if name not in KNOWN_TABLES:
            problems.append(
                Problem(
                    str(f),
                    None,
                    None,
                    f"'{f.name}' is not a known table{did_you_mean(name, KNOWN_TABLES)}"
                    f"; expected one of: {', '.join(k + '.csv' for k in KNOWN_TABLES)}",
                )
            )
            continue
        by_table.setdefault(name, []).append(f)
    for name, files in by_table.items():
        if len(files) > 1:
            problems.append(
                Problem(
                    str(folder),
                    None,
                    None,
                    f"{' and '.join(repr(f.name) for f in files)} are both the table '{name}'; keep one of them",
                )
            )
            continue
        f = files[0]
        where = str(f)
        link = _bad_link(f)
        if link:
            problems.append(Problem(where, None, None, link))
            continue
        try:
            if f.is_dir():
                problems.append(
                    Problem(where, None, None, f"is a folder, not a CSV file; the table '{name}' must be a file")
                )
                continue
            size = f.stat().st_size
            if size > MAX_TABLE_BYTES:
                problems.append(
                    Problem(where, None, None, f"is {size / 2**30:.1f} GB; lcpgraph reads tables of up to 1 GB")
                )
                continue
            data = f.read_bytes()
        except OSError as exc:
            problems.append(Problem(where, None, None, _describe(exc)))
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            problems.append(
                Problem(
                    where,
                    line,
                    _column_at(data, exc.start),
                    f"is not valid {encoding} text (byte {exc.start}); in Excel use "
                    "File > Save As > 'CSV UTF-8 (Comma delimited)', or pass --encoding "
                    "(e.g. cp1252 for older Excel 'CSV' files)",
                )
            )
            continue
        except LookupError:
            raise LcpGraphError(f"unknown text encoding '{encoding}'") from None
        table, table_problems = parse_csv_text(text, name=name, where=where)
        problems += table_problems
        if table is not None:
            tables[name] = table
    if problems:
        raise ValidationError(problems)
    return tables


def _column_at(data: bytes, offset: int) -> str | None:
    """The header name of the column that byte ``offset`` of a CSV file falls in (quotes respected)."""
    header_end = data.find(b"\n")
    first = data[: header_end if header_end >= 0 else len(data)].decode("latin-1").replace("\r", "")
    try:
        header = next(csv.reader([first]), [])
    except csv.Error:
        header = []
    start = data.rfind(b"\n", 0, offset) + 1
    quoted, column = False, 0
    for byte in data[start:offset]:
        if byte == 0x22:  # "
            quoted = not quoted
        elif byte == 0x2C and not quoted:  # ,
            column += 1
    name = header[column].strip().lower() if column < len(header) else ""
    return name or f"(column {column + 1})"


def parse_csv_text(text: str, *, name: str, where: str) -> tuple[RawTable | None, list[Problem]]:
    """Split CSV text into a :class:`RawTable`; a located problem instead when it cannot be parsed."""
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for r in reader:
            records.append(r)
    except csv.Error as exc:
        row = len(records) + 1
        column = None
        detail = str(exc)
        if "field larger than field limit" in detail:
            column, detail = _oversized_cell(text, row, records[0] if records else [])
        return None, [Problem(where, row, column, f"cannot be read as CSV: {detail}")]
    if not records or not any(cell.strip() for cell in records[0]):
        return None, [Problem(where, None, None, "is empty: expected a header row naming the columns")]
    header = records[0]
    rows = [(i + 2, r) for i, r in enumerate(records[1:])]
    return RawTable(name, where, header, rows), []


def _oversized_cell(text: str, row: int, header: list[str]) -> tuple[str | None, str]:
    """Which cell of record ``row`` is over the csv module's field limit, and how long it is."""
    limit = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        for i, r in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if i == row:
                for j, cell in enumerate(r):
                    if len(cell) > limit:
                        col = (
                            header[j].strip().lower() if j < len(header) and header[j].strip() else f"(column {j + 1})"
                        )
                        return col, f"a cell is {len(cell):,} characters long; the most a cell may hold is {limit:,}"
                break
    except csv.Error:
        pass
    finally:
        csv.field_size_limit(limit)
    return None, f"a cell is longer than {limit:,} characters"


# --------------------------------------------------------------------------------------
# validation


def _parse_number(text: str) -> float | None:
    t = text.strip().replace("_", "")
    if not _NUMBER_RE.match(t):
        return None
    value = float(t.replace(",", ""))
    return value if math.isfinite(value) else None


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(text: str) -> date | None:
    """A date written ``YYYY-MM-DD`` (what lcpgraph writes) or ``DD/MM/YYYY`` (what Excel in the UK
    turns it into on saving); None when it is neither.

    >>> parse_date("01/04/2021"), parse_date("2021-02-30")
    (datetime.date(2021, 4, 1), None)
    """
    text = text.strip()
    if _ISO_DAY.fullmatch(text):  # the usual spelling, read without strptime's set-up
        try:
            return date(int(text[:4]), int(text[5:7]), int(text[8:]))
        except ValueError:
            return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    return None


def _invisible(text: str) -> list[str]:
    """Characters in an id that a reader cannot see or tell apart from a space."""
    if text.isascii() and text.isprintable():  # nearly every id: nothing to look for
        return []
    return [
        c
        for c in text
        if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") or (unicodedata.category(c) == "Zs" and c != " ")
    ]


@dataclass
class _Record:
    table: str
    where: str
    row: int
    values: dict[str, str]


def _check_header(table: RawTable, problems: list[Problem]) -> list[str] | None:
    """Normalised header names ('' for a column to ignore), or None when the table cannot be read further."""
    header = [h.strip().lower() for h in table.header]
    ok = True
    seen: dict[str, int] = {}
    reserved = schema.RESERVED_COLUMNS.get(table.name, ())
    spec = schema.TABLES.get(table.name)
    declared = {c.name for c in spec} if spec else set()
    for i, h in enumerate(header):
        if not h:
            continue
        if _CONTROL_RE.search(h):
            problems.append(Problem(table.where, 1, f"(column {i + 1})", "the column name holds a control character"))
            ok = False
            continue
        if h in seen:
            problems.append(
                Problem(table.where, 1, h, f"column '{h}' appears twice (columns {seen[h] + 1} and {i + 1})")
            )
            ok = False
        if h in reserved and h not in declared:
            problems.append(
                Problem(
                    table.where,
                    1,
                    h,
                    f"the column name '{h}' is used by lcpgraph itself (it sets each record's {h}); rename the column",
                )
            )
            ok = False
        seen[h] = i
    for h in schema.TEMPLATE_HELP_COLUMNS.get(table.name, ()):
        if h in seen:
            header[seen[h]] = ""  # the template's look-up help: not data
    if spec is not None:
        known = [c.name for c in spec]
        for c in spec:
            if c.required and c.name not in seen:
                problems.append(
                    Problem(
                        table.where,
                        1,
                        c.name,
                        f"required column '{c.name}' is missing{did_you_mean(c.name, set(header) - set(known))}"
                        f"; the header has: {', '.join(h for h in header if h) or '(nothing)'}",
                    )
                )
                ok = False
    else:
        needed = {SECTORS_TABLE: ("sector",), PLACE_TABLE: ("key", "value")}.get(table.name, ())
        for c in needed:
            if c not in seen:
                problems.append(Problem(table.where, 1, c, f"required column '{c}' is missing"))
                ok = False
    return header if ok else None


def _records(table: RawTable, header: list[str], problems: list[Problem]) -> list[_Record]:
    out = []
    for row, cells in table.rows:
        if not any(c.strip() for c in cells):
            continue  # wholly blank lines (Excel leaves them) carry no data
        if len(cells) > len(header):
            extra = [c for c in cells[len(header) :] if c.strip()]
            if extra:
                first = next(i for i in range(len(header), len(cells)) if cells[i].strip())
                problems.append(
                    Problem(
                        table.where,
                        row,
                        f"(column {first + 1})",
                        f"has {len(cells)} cells but the header has {len(header)} columns "
                        f"(extra value {extra[0]!r}); is there an unquoted comma?",
                    )
                )
                continue
        values = {}
        for i, h in enumerate(header):
            cell = cells[i] if i < len(cells) else ""
            if not h:
                if cell.strip() and i < len(table.header) and not table.header[i].strip():
                    problems.append(
                        Problem(
                            table.where,
                            row,
                            f"(column {i + 1})",
                            f"value {cell.strip()!r} sits under a blank header cell; name the column",
                        )
                    )
                continue
            bad = _CONTROL_RE.search(cell)
            if bad:
                problems.append(
                    Problem(
                        table.where,
                        row,
                        h,
                        f"holds the control character U+{ord(bad.group()):04X}, which cannot be shown or exported; "
                        "delete it (it often comes from copying out of another program)",
                    )
                )
                cell = _CONTROL_RE.sub("", cell)
            values[h] = cell.strip()
        out.append(_Record(table.name, table.where, row, values))
    return out


@functools.lru_cache(maxsize=64)
def _by_norm(choices: tuple[str, ...]) -> dict[str, str]:
    """Normalised term -> canonical term, built once per vocabulary (not once per cell)."""
    return {schema.normalise_term(c): c for c in choices}


def _choice(raw: str, choices: tuple[str, ...]) -> str | None:
    return _by_norm(choices).get(schema.normalise_term(raw))


def _unknown(col: str, raw: str, choices: tuple[str, ...], extend_hint: str = "") -> str:
    by_norm = _by_norm(choices)
    close = closest(schema.normalise_term(raw), list(by_norm))
    hint = f"; did you mean '{by_norm[close[0]]}'?" if close else ""
    return f"{col} '{raw}' is not known{hint} Allowed: {', '.join(choices)}{extend_hint}"


def _check_number(rec: _Record, col: schema.Column, raw: str, problems: list[Problem]) -> None:
    value = _parse_number(raw)
    if value is None:
        too_big = _NUMBER_RE.match(raw.strip().replace("_", "")) is not None
        why = "is too large to be a number" if too_big else "is not a number"
        problems.append(Problem(rec.where, rec.row, col.name, f"{col.name} '{raw}' {why}"))
    elif col.minimum is not None and (value < col.minimum or (value == col.minimum and not col.minimum_allowed)):
        bound = f"at least {col.minimum:g}" if col.minimum_allowed else f"more than {col.minimum:g}"
        problems.append(Problem(rec.where, rec.row, col.name, f"{col.name} {raw} is not allowed; it must be {bound}"))


def _check_cell(rec: _Record, col: schema.Column, sectors: tuple[str, ...], problems: list[Problem]) -> None:
    """Check one cell and store its canonical form back in ``rec.values``."""
    raw = rec.values.get(col.name, "")
    if not raw:
        if col.required:
            problems.append(
                Problem(rec.where, rec.row, col.name, f"{col.name} is blank; expected {col.description.lower()}")
            )
        return
    if col.type in ("id", "ref"):
        # One spelling per id: the same letters typed two ways (a composed é, a decomposed é)
        # must not become two records.
        value = unicodedata.normalize("NFC", raw)
        hidden = _invisible(value)
        if hidden:
            names = ", ".join(sorted({f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}" for c in hidden}))
            problems.append(
                Problem(
                    rec.where,
                    rec.row,
                    col.name,
                    f"{col.name} {raw!r} holds a character you cannot see ({names}); retype the id",
                )
            )
        rec.values[col.name] = value
    elif col.type == "choice":
        choices = sectors if col.name == "sector" else col.choices
        canonical = _choice(raw, choices)
        if canonical is None:
            extra = " (add new sectors in sectors.csv)" if col.name == "sector" else ""
            problems.append(Problem(rec.where, rec.row, col.name, _unknown(col.name, raw, choices, extra)))
        else:
            rec.values[col.name] = canonical
    elif col.type == "number":
        _check_number(rec, col, raw, problems)
    elif col.type == "date":
        if parse_date(raw) is None:
            problems.append(
                Problem(
                    rec.where,
                    rec.row,
                    col.name,
                    f"{col.name} '{raw}' is not a date; expected YYYY-MM-DD (or DD/MM/YYYY)",
                )
            )
    elif col.name == "identifiers":
        for item in _split_list(raw):
            if not _ORG_ID_RE.match(item):
                problems.append(
                    Problem(
                        rec.where,
                        rec.row,
                        col.name,
                        f"identifier '{item}' is not an org-id; expected e.g. GB-NHS-RR8, "
                        "GB-CHC-1234567 or GB-COH-01234567",
                    )
                )
    elif col.name == "source" and schema.normalise_term(raw) == schema.normalise_term(schema.EXAMPLE_SOURCE):
        problems.append(
            Problem(
                rec.where,
                rec.row,
                col.name,
                "this is the template's example row; delete it, or write where the row came from to keep it",
            )
        )


def _unknown_ref(ref: str, node_records: dict, by_name: dict[str, list[str]]) -> str:
    """Why ``ref`` is not an id, and which id the user probably meant (by name or by spelling)."""
    named = by_name.get(" ".join(ref.lower().split()), [])
    if len(named) == 1:
        return f"'{ref}' is the name of {named[0]}, not an id: use the id ('lcpgraph fix-ids' writes a corrected copy)"
    if named:
        return (
            f"'{ref}' is the name of {len(named)} records ({', '.join(sorted(named))}): use the id of the one you mean"
        )
    close_ids = closest(ref, node_records, n=1)
    close_names = closest(ref, [k for k in by_name if k], n=1)
    hints = [f"'{close_ids[0]}'"] if close_ids else []
    if close_names:
        for nid in by_name[close_names[0]]:
            if not close_ids or nid != close_ids[0]:
                hints.append(f"'{nid}' ({node_records[nid].values.get('name', '')})")
    hint = f"; did you mean {' or '.join(hints[:3])}?" if hints else ""
    return f"'{ref}' is not the id of any organisation, partnership, board or person{hint}"


def _split_list(raw: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in raw.split(";") if x.strip())


def _extra_attributes(records: list[_Record], spec: tuple[schema.Column, ...]) -> dict[str, bool]:
    """Extra (undeclared) columns and whether each is wholly numeric."""
    declared = {c.name for c in spec}
    extras: dict[str, bool] = {}
    for rec in records:
        for k, v in rec.values.items():
            if k in declared:
                continue
            numeric = extras.get(k, True)
            if v and _parse_number(v) is None:
                numeric = False
            extras[k] = numeric
    return extras


def _read_place(table: RawTable, header: list[str], sectors: tuple[str, ...], problems: list[Problem]) -> Place | None:
    """The place profile from a ``place`` table of key/value rows; problems located by row."""
    values: dict[str, object] = {}
    sources: dict[str, str] = {}
    seen: dict[str, int] = {}
    vocab = {
        "unit_types": schema.PARTNERSHIP_TYPES,
        "expected_sectors": sectors,
        "focus_sectors": sectors,
        "levels": schema.BOARD_LEVELS,
        "place_scope": schema.SCOPES,
    }
    n_before = len(problems)
    for rec in _records(table, header, problems):
        key = schema.normalise_term(rec.values.get("key", "")).replace(" ", "_")
        raw = rec.values.get("value", "")
        if not key:
            problems.append(
                Problem(rec.where, rec.row, "key", "key is blank; expected one of: " + ", ".join(PLACE_KEYS))
            )
            continue
        if key not in PLACE_KEYS:
            problems.append(
                Problem(
                    rec.where,
                    rec.row,
                    "key",
                    f"key '{rec.values['key']}' is not known{did_you_mean(key, PLACE_KEYS)} Known: {', '.join(PLACE_KEYS)}",
                )
            )
            continue
        if key in seen:
            problems.append(Problem(rec.where, rec.row, "key", f"key '{key}' is already given at row {seen[key]}"))
            continue
        seen[key] = rec.row
        if rec.values.get("source"):
            sources[key] = rec.values["source"]
        if not raw:
            continue  # a blank value keeps the default
        kind = PLACE_KEYS[key]
        if kind == "int":
            number = _parse_number(raw)
            if number is None or number != int(number) or number < 1:
                problems.append(
                    Problem(rec.where, rec.row, "value", f"{key} '{raw}' must be a whole number, 1 or more")
                )
            else:
                values[key] = int(number)
        elif key in vocab:
            items = _split_list(raw) if kind == "list" else (raw,)
            canonical = []
            for item in items:
                c = _choice(item, vocab[key])
                if c is None:
                    problems.append(Problem(rec.where, rec.row, "value", _unknown(key, item, vocab[key])))
                elif c not in canonical:
                    canonical.append(c)
            values[key] = tuple(canonical) if kind == "list" else (canonical[0] if canonical else "")
        else:
            values[key] = raw
    if len(problems) > n_before:
        return None
    return Place(**values, sources=sources)


def build_graph(
    tables: dict[str, RawTable], *, where: str = "", notices: list[str] | None = None, keep_going: bool = False
) -> nx.MultiDiGraph:
    """Validate raw tables and build the graph; raise :class:`ValidationError` listing every problem.

    With ``keep_going``, rows with a problem (and relationships that refer to them) are left
    out instead, and the problems are kept in ``G.graph["left_out"]``; problems with a whole
    table or file still stop the load.

    Examples
    --------
    >>> from lcpgraph.load import RawTable
    >>> t = {
    ...     "organisations": RawTable("organisations", "organisations.csv",
    ...         ["id", "name", "sector", "source"], [(2, ["o1", "Forum", "third sector", "x"])]),
    ...     "partnerships": RawTable("partnerships", "partnerships.csv",
    ...         ["id", "name", "type", "source"], [(2, ["p1", "HATCH", "lcp", "x"])]),
    ...     "relationships": RawTable("relationships", "relationships.csv",
    ...         ["from", "to", "kind", "source"], [(2, ["o1", "p1", "member_of", "x"])]),
    ... }
    >>> G = build_graph(t)
    >>> list(G.edges(keys=True, data="kind"))
    [('o1', 'p1', 0, 'member_of')]
    """
    problems: list[Problem] = []
    for name in schema.REQUIRED_TABLES:
        if name not in tables:
            problems.append(
                Problem(
                    where or ".",
                    None,
                    None,
                    f"the table '{name}' is missing (expected {name}.csv or a sheet named '{name}')",
                )
            )

    headers: dict[str, list[str]] = {}
    for name, table in tables.items():
        if name == RATINGS_TABLE:
            continue  # read by lcpgraph.survey, against the records built here
        h = _check_header(table, problems)
        if h is not None:
            headers[name] = h

    sectors = schema.SECTORS
    if SECTORS_TABLE in headers:
        extra = [
            r.values["sector"]
            for r in _records(tables[SECTORS_TABLE], headers[SECTORS_TABLE], problems)
            if r.values.get("sector")
        ]
        known = {schema.normalise_term(s) for s in sectors}
        sectors = sectors + tuple(
            dict.fromkeys(s.strip().lower() for s in extra if schema.normalise_term(s) not in known)
        )
    place = None
    if PLACE_TABLE in headers:
        place = _read_place(tables[PLACE_TABLE], headers[PLACE_TABLE], sectors, problems)

    # nodes
    node_records: dict[str, _Record] = {}
    node_kind: dict[str, str] = {}
    node_tables = [t for t in schema.TABLE_KIND if t in headers]
    # When a node table could not be read, its ids are unknown: checking references against
    # the rest would bury the one real problem under a cascade of false ones.
    check_refs = all(t in headers for t in schema.TABLE_KIND if t in tables)
    all_node_records: list[tuple[str, list[_Record]]] = []
    for tname in node_tables:
        spec = schema.TABLES[tname]
        records = _records(tables[tname], headers[tname], problems)
        for rec in records:
            for col in spec:
                _check_cell(rec, col, sectors, problems)
            for k, v in rec.values.items():
                if (
                    k not in {c.name for c in spec}
                    and v
                    and _NUMBER_RE.match(v.replace("_", ""))
                    and _parse_number(v) is None
                ):
                    problems.append(Problem(rec.where, rec.row, k, f"{k} '{v}' is too large to be a number"))
            nid = rec.values.get("id", "")
            if not nid:
                continue
            if nid in node_records:
                first = node_records[nid]
                problems.append(
                    Problem(
                        rec.where,
                        rec.row,
                        "id",
                        f"id '{nid}' is already used at {first.where}, row {first.row}; ids must be unique across all tables",
                    )
                )
                continue
            node_records[nid] = rec
            node_kind[nid] = schema.TABLE_KIND[tname]
        all_node_records.append((tname, records))

    # Where an id is expected, people type a name: say which record it names.
    by_name: dict[str, list[str]] = {}
    for nid, rec in node_records.items():
        by_name.setdefault(" ".join(rec.values.get("name", "").lower().split()), []).append(nid)

    # relationships
    rel_records: list[_Record] = []
    if "relationships" in headers:
        spec = schema.TABLES["relationships"]
        seen_pairs: dict[tuple, int] = {}
        for rec in _records(tables["relationships"], headers["relationships"], problems):
            for col in spec:
                _check_cell(rec, col, sectors, problems)
            v = rec.values
            ok = True
            for end in ("from", "to"):
                ref = v.get(end, "")
                if ref and ref not in node_records and check_refs:
                    problems.append(Problem(rec.where, rec.row, end, _unknown_ref(ref, node_records, by_name)))
                    ok = False
                elif not ref or ref not in node_records:
                    ok = False
            kind = schema.RELATIONSHIP_KINDS.get(v.get("kind", ""))
            if ok and v["from"] == v["to"]:
                problems.append(
                    Problem(rec.where, rec.row, "to", f"relationship from '{v['from']}' to itself (a self-loop)")
                )
                ok = False
            if ok and kind is not None:
                fk, tk = node_kind[v["from"]], node_kind[v["to"]]
                allowed = fk in kind.from_kinds and tk in kind.to_kinds
                if not allowed and not kind.directed:
                    allowed = tk in kind.from_kinds and fk in kind.to_kinds
                if not allowed:
                    problems.append(
                        Problem(
                            rec.where,
                            rec.row,
                            "kind",
                            f"'{kind.name}' cannot join a {fk} ('{v['from']}') to a {tk} ('{v['to']}'); "
                            f"it joins {' or '.join(kind.from_kinds)} to {' or '.join(kind.to_kinds)}",
                        )
                    )
                    ok = False
            s = parse_date(v["start"]) if v.get("start") else None
            e = parse_date(v["end"]) if v.get("end") else None
            if s and e and e < s:
                problems.append(Problem(rec.where, rec.row, "end", f"end {v['end']} is before start {v['start']}"))
                ok = False
            if ok and kind is not None:
                a, b = v["from"], v["to"]
                pair = (a, b) if kind.directed else tuple(sorted((a, b)))
                sig = (kind.name, *pair, s, e)
                if sig in seen_pairs:
                    problems.append(
                        Problem(
                            rec.where,
                            rec.row,
                            "from",
                            f"duplicate relationship: '{a}' {kind.name} '{b}' is already at row {seen_pairs[sig]}",
                        )
                    )
                    ok = False
                else:
                    seen_pairs[sig] = rec.row
            if ok:
                rel_records.append(rec)

    problems.sort(key=lambda p: (p.path, p.row or 0, p.column or "", p.message))
    left_out: list[Problem] = []
    if problems:
        if not keep_going or any(p.row is None or p.row <= 1 for p in problems):
            raise ValidationError(problems)
        # Leave out the rows with problems, and the relationships that refer to a record left out.
        bad = {(p.path, p.row) for p in problems}
        gone = {rec.values.get("id") for _, recs in all_node_records for rec in recs if (rec.where, rec.row) in bad}
        gone = {n for n in gone if n and (node_records[n].where, node_records[n].row) in bad}
        all_node_records = [(t, [r for r in recs if (r.where, r.row) not in bad]) for t, recs in all_node_records]
        kept_rels = []
        for rec in rel_records:
            lost = [rec.values[e] for e in ("from", "to") if rec.values[e] in gone]
            if lost:
                first = node_records[lost[0]]
                problems.append(
                    Problem(
                        rec.where,
                        rec.row,
                        "from" if rec.values["from"] in gone else "to",
                        f"left out with '{lost[0]}' ({first.where}, row {first.row}), whose row has a problem",
                    )
                )
            else:
                kept_rels.append(rec)
        rel_records = kept_rels
        left_out = sorted(problems, key=lambda p: (p.path, p.row or 0, p.column or "", p.message))

    G = nx.MultiDiGraph()
    if left_out:
        G.graph["left_out"] = left_out
    G.graph["sectors"] = sectors
    if place is not None:
        G.graph["place"] = place
    G.graph["notices"] = list(notices or [])
    for tname, records in all_node_records:
        spec = schema.TABLES[tname]
        extras = _extra_attributes(records, spec)
        for rec in records:
            nid = rec.values["id"]
            # Attributes are set as a dict, never as keyword arguments: a user's column named
            # like a parameter of add_node must not collide with it.
            G.add_node(nid)
            G.nodes[nid].update(_attributes(rec.values, spec, extras, skip=("id",)))
            G.nodes[nid]["kind"] = schema.TABLE_KIND[tname]
    rel_spec = schema.TABLES["relationships"]
    rel_extras = _extra_attributes(rel_records, rel_spec)
    for i, rec in enumerate(rel_records):
        attrs = _attributes(rec.values, rel_spec, rel_extras, skip=("from", "to"))
        attrs.setdefault("weight", 1.0)
        G.add_edge(rec.values["from"], rec.values["to"], key=i)
        G.edges[rec.values["from"], rec.values["to"], i].update(attrs)
    if RATINGS_TABLE in tables:
        G.graph["ratings_table"] = tables[RATINGS_TABLE]
    return G


def _attributes(
    values: dict[str, str], spec: tuple[schema.Column, ...], extras: dict[str, bool], skip: tuple[str, ...]
) -> dict[str, object]:
    types = {c.name: c.type for c in spec}
    out: dict[str, object] = {}
    for k, v in values.items():
        if not v or k in skip:
            continue
        t = types.get(k)
        if t == "number" or (t is None and extras.get(k)):
            out[k] = _parse_number(v)
        elif t == "date":
            out[k] = parse_date(v).isoformat()
        elif t == "list":
            out[k] = _split_list(v)
        else:
            out[k] = v
    return out
