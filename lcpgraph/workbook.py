"""Excel workbooks: the same tables as sheets of one ``.xlsx``, and a template to fill in.

An LCP development team keeps its lists in a workbook. :func:`read_workbook` turns each sheet
into the same raw table a CSV file gives, so validation (and every error message, which then
names the sheet) is shared with :mod:`lcpgraph.load`. :func:`write_template` writes a workbook
to fill in: one sheet per table with an example row, drop-down lists, a prompt on every
column, and an Instructions sheet that walks through it.

Reading is a streamed pass over the sheet XML (``zipfile`` and ``iterparse``), not openpyxl:
openpyxl's read-only mode trusts the size a sheet claims (a stale one drops rows; a huge one
pads every row to it), cannot tell a formula with no saved result from an empty cell, and
does not see merged cells. Here memory follows the cells that hold something, and everything
a workbook can hide (Excel errors, unsaved formulas, merged cells, control characters, a value
far outside the table) is a problem located by workbook, sheet, row and column.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError, iterparse
from xml.parsers.expat import ExpatError, ParserCreate

from lcpgraph import schema
from lcpgraph.exceptions import LcpGraphError, Problem, ValidationError
from lcpgraph.raw import KNOWN_TABLES, RawTable

__all__ = [
    "HELP_SHEETS",
    "IGNORED_SHEETS",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_PART_BYTES",
    "MAX_PROBLEMS_PER_SHEET",
    "MAX_STRINGS_BYTES",
    "read_workbook",
    "write_template",
]

#: Sheets that hold help, not data: skipped without a notice. ``lists`` and ``lookup`` are the
#: template's own hidden sheets.
HELP_SHEETS: tuple[str, ...] = ("instructions", "lists", "lookup")
#: Former name of :data:`HELP_SHEETS`.
IGNORED_SHEETS = HELP_SHEETS

#: Columns a table may use. A value further right is a located error (a stray value typed far
#: away, or a cell at XFD1048576), never a reason to pad every row to it.
MAX_COLUMNS = 200
#: Excel's own limits: a cell reference beyond them means the file is damaged.
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
#: Filled cells read from one workbook (ten times a 100,000-record dataset): past this the
#: workbook is refused rather than read until memory runs out.
MAX_CELLS = 10_000_000
#: The largest uncompressed sheet part read (the XML is streamed; this bounds the time).
MAX_PART_BYTES = 1 << 30
#: The largest uncompressed shared-strings or styles part (held in memory while reading).
MAX_STRINGS_BYTES = 256 << 20
#: Problems listed per sheet; the rest are counted in one closing line.
MAX_PROBLEMS_PER_SHEET = 100

# C0 controls but tab, line feed and carriage return, and DEL: invalid in XML (so in every
# export), invisible on screen, and usually pasted in from another program.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# OOXML writes characters XML cannot hold as _xHHHH_ (and a literal "_x" as _x005F_x).
_ESCAPE_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_REF_RE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EXCEL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA")
# A sheet named this close to a table name is taken for a typo (an error), not an extra sheet.
_TYPO_CUTOFF = 0.8


def _cell_text(value: object) -> str:
    """The text of a cell value as the loader sees it.

    >>> _cell_text(45000.0), _cell_text(True), _cell_text(dt.datetime(2021, 4, 1))
    ('45000', 'TRUE', '2021-04-01')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 45000 as 45000.0
    return str(value)


def _unescape(text: str) -> str:
    if "_x" not in text:
        return text
    return _ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _column_letter(n: int) -> str:
    """``1 -> 'A'``, ``28 -> 'AB'``, ``16384 -> 'XFD'``."""
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _ref(col: int, row: int) -> str:
    return f"{_column_letter(col)}{row}"


def _parse_range(ref: str) -> tuple[int, int, int, int] | None:
    """``"B4:C6" -> (min_col, min_row, max_col, max_row)``; None when it is not a cell range."""
    parts = ref.split(":")
    if not 1 <= len(parts) <= 2:
        return None
    ends = [_REF_RE.match(p.strip()) for p in parts]
    if not all(ends):
        return None
    cols = [_column_number(m.group(1)) for m in ends]
    rows = [int(m.group(2)) for m in ends]
    return min(cols), min(rows), max(cols), max(rows)


class _Damaged(Exception):
    """The workbook's structure is broken: becomes one LcpGraphError naming the file."""


# --------------------------------------------------------------------------------------
# the package: which parts hold the sheets, strings and styles


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _open_part(zf: zipfile.ZipFile, name: str, limit: int) -> IO[bytes]:
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise _Damaged(f"it has no part '{name}'") from None
    if info.file_size > limit:
        raise _Damaged(
            f"its part '{name}' is {info.file_size / 2**20:,.0f} MB uncompressed; lcpgraph reads parts of up to "
            f"{limit / 2**20:,.0f} MB (delete unused rows and columns, or split the workbook)"
        )
    f = zf.open(name)
    head = f.peek(2048)[:2048] if hasattr(f, "peek") else b""
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        f.close()
        raise _Damaged(f"its part '{name}' declares a document type, which Excel never writes")
    return f


def _relationships(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """The relationships of ``part``: id -> (type, target part name)."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    if rels not in zf.NameToInfo:
        return {}
    out = {}
    with _open_part(zf, rels, MAX_STRINGS_BYTES) as f:
        for _, el in iterparse(f):
            if _local(el.tag) != "Relationship" or el.get("TargetMode") == "External":
                continue
            target = el.get("Target") or ""
            if target.startswith("/"):
                name = target.lstrip("/")
            else:
                name = posixpath.normpath(posixpath.join(folder, target))
            out[el.get("Id") or ""] = (el.get("Type") or "", name)
    return out


@dataclass
class _SheetEntry:
    title: str
    kind: str  # "worksheet", "chartsheet", "dialogsheet", "macrosheet", …
    part: str | None
    hidden: bool


@dataclass
class _Book:
    sheets: list[_SheetEntry]
    strings_part: str | None
    styles_part: str | None
    date1904: bool


def _book(zf: zipfile.ZipFile) -> _Book:
    top = _relationships(zf, "")
    wb_part = next((t for typ, t in top.values() if typ.endswith("/officeDocument")), "xl/workbook.xml")
    if wb_part not in zf.NameToInfo:
        raise _Damaged(f"it is a zip file but holds no workbook ('{wb_part}' is missing)")
    rels = _relationships(zf, wb_part)
    sheets: list[_SheetEntry] = []
    date1904 = False
    with _open_part(zf, wb_part, MAX_STRINGS_BYTES) as f:
        for _, el in iterparse(f):
            tag = _local(el.tag)
            if tag == "workbookPr":
                date1904 = (el.get("date1904") or "").lower() in ("1", "true")
            elif tag == "sheet":
                rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), "")
                typ, target = rels.get(rid, ("", None))
                kind = typ.rsplit("/", 1)[-1] if typ else "missing"
                state = el.get("state") or "visible"
                sheets.append(_SheetEntry(el.get("name") or "", kind, target, state != "visible"))
    strings = next((t for typ, t in rels.values() if typ.endswith("/sharedStrings")), None)
    styles = next((t for typ, t in rels.values() if typ.endswith("/styles")), None)
    return _Book(sheets, strings, styles, date1904)


def _text_of(el: Element, t_tag: str, r_tag: str) -> str:
    """The text of a shared or inline string: its plain part and rich-text runs, not phonetics."""
    parts = []
    for child in el:
        if child.tag == t_tag:
            parts.append(child.text or "")
        elif child.tag == r_tag:
            for sub in child:
                if sub.tag == t_tag:
                    parts.append(sub.text or "")
    return _unescape("".join(parts))


def _read_strings(zf: zipfile.ZipFile, part: str) -> list[str]:
    strings: list[str] = []
    with _open_part(zf, part, MAX_STRINGS_BYTES) as f:
        root = None
        ns = ""
        for event, el in iterparse(f, events=("start", "end")):
            if root is None:
                root = el
                ns = el.tag[: el.tag.index("}") + 1] if el.tag.startswith("{") else ""
                continue
            if event == "end" and el.tag == ns + "si":
                strings.append(_text_of(el, ns + "t", ns + "r"))
                root.clear()  # keep memory to one string at a time, not the whole tree
    return strings


@dataclass
class _Styles:
    dates: set[int] = field(default_factory=set)
    durations: set[int] = field(default_factory=set)


def _read_styles(zf: zipfile.ZipFile, part: str | None) -> _Styles:
    """Which cell styles (``s=``) show a number as a date or a duration, decided as openpyxl does."""
    from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format

    styles = _Styles()
    if part is None or part not in zf.NameToInfo:
        return styles
    custom: dict[int, str] = {}
    xf_formats: list[int] = []
    in_cell_xfs = False
    with _open_part(zf, part, MAX_STRINGS_BYTES) as f:
        for event, el in iterparse(f, events=("start", "end")):
            tag = _local(el.tag)
            if tag == "cellXfs":
                in_cell_xfs = event == "start"
            elif event == "end" and tag == "numFmt":
                try:
                    custom[int(el.get("numFmtId") or "")] = el.get("formatCode") or ""
                except ValueError:
                    pass
            elif event == "end" and tag == "xf" and in_cell_xfs:
                try:
                    xf_formats.append(int(el.get("numFmtId") or 0))
                except ValueError:
                    xf_formats.append(0)
    for i, fmt_id in enumerate(xf_formats):
        fmt = custom[fmt_id] if fmt_id in custom else builtin_format_code(fmt_id)
        if is_date_format(fmt):
            styles.dates.add(i)
        if is_timedelta_format(fmt):
            styles.durations.add(i)
    return styles


# --------------------------------------------------------------------------------------
# one sheet


class _Problems:
    """A sheet's problems, capped at :data:`MAX_PROBLEMS_PER_SHEET` (the rest are counted)."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.items: list[Problem] = []
        self.more = 0

    def add(self, row: int | None, column: str | None, message: str) -> None:
        if len(self.items) < MAX_PROBLEMS_PER_SHEET:
            self.items.append(Problem(self.where, row, column, message))
        else:
            self.more += 1

    def all(self) -> list[Problem]:
        if self.more:
            return [
                *self.items,
                Problem(self.where, None, None, f"… and {self.more:,} more problems like these on this sheet"),
            ]
        return self.items


@dataclass
class _Budget:
    """Filled cells read so far in the whole workbook."""

    cells: int = 0


# The sheet elements the reader acts on, by their full name (OOXML transitional and strict,
# or no namespace), so the parser's callbacks do one dictionary look-up per element.
_SHEET_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main}",
    "http://purl.oclc.org/ooxml/spreadsheetml/main}",
    "",
)
_TAGS = {ns + t: t for ns in _SHEET_NAMESPACES for t in ("c", "v", "f", "is", "t", "rPh", "row", "mergeCell")}


class _SheetReader:
    """Stream one worksheet's XML into a :class:`RawTable`, collecting located problems.

    An expat parser with callbacks: no element tree is built, so memory holds one cell at a
    time plus the rows that have values, whatever size the sheet claims or pads to.
    """

    def __init__(
        self, table: str, where: str, strings: _LazyStrings, styles: _Styles, epoch: dt.datetime, budget: _Budget
    ) -> None:
        self.table = table
        self.where = where
        self.strings = strings
        self.styles = styles
        self.epoch = epoch
        self.budget = budget
        self.problems = _Problems(where)
        self.header: list[str] = []
        self.header_names: list[str] = []
        self.help_columns: set[int] = set()  # 1-based
        self.rows: list[tuple[int, list[str]]] = []
        # parser state
        self.row = 0
        self.last_row = 0
        self.last_col = 0
        self.cells: list[str] = []
        self.cell: dict[str, str] = {}
        self.value: str | None = None
        self.formula = False
        self.inline: list[str] | None = None
        self.text: list[str] | None = None  # character data being collected (a <v> or inline <t>)
        self.phonetic = 0
        self.columns: dict[str, int] = {}

    def column_name(self, col: int) -> str:
        """The header name of column ``col`` for a problem's location, or ``(column N)``."""
        if col <= len(self.header_names) and self.header_names[col - 1]:
            return self.header_names[col - 1]
        return f"(column {col})"

    # -- parsing

    def read(self, f: IO[bytes]) -> None:
        parser = ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._chars
        parser.ParseFile(f)

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        tag = _TAGS.get(name)
        if tag is None:
            return
        if tag == "c":
            self.cell = attrs
            self.value = None
            self.formula = False
            self.inline = None
        elif tag == "v":
            self.text = []
        elif tag == "f":
            self.formula = True
        elif tag == "is":
            self.inline = []
        elif tag == "t" and self.inline is not None and not self.phonetic:
            self.text = []
        elif tag == "rPh":
            self.phonetic += 1
        elif tag == "row":
            self._start_row(attrs.get("r"))
        elif tag == "mergeCell":
            self._merge(attrs.get("ref") or "")

    def _end(self, name: str) -> None:
        tag = _TAGS.get(name)
        if tag is None:
            return
        if tag == "c":
            self._cell()
        elif tag == "v":
            self.value = "".join(self.text or ())
            self.text = None
        elif tag == "t" and self.text is not None and self.inline is not None:
            self.inline.append("".join(self.text))
            self.text = None
        elif tag == "rPh":
            self.phonetic -= 1
        elif tag == "row":
            self._end_row()

    def _chars(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    # -- rows and cells

    def _start_row(self, r: str | None) -> None:
        if r is None:
            n = self.last_row + 1
        else:
            try:
                n = int(r)
            except ValueError:
                raise _Damaged(f"{self.where}: a row is numbered '{r}'") from None
            if not 1 <= n <= EXCEL_MAX_ROWS:
                raise _Damaged(f"{self.where}: a row is numbered {n:,}; Excel's rows are 1 to {EXCEL_MAX_ROWS:,}")
            if n <= self.last_row:
                self.problems.add(
                    n, None, f"row {n} comes after row {self.last_row} in the file; open and save it in Excel"
                )
        self.row = n
        self.last_row = max(n, self.last_row)
        self.last_col = 0
        self.cells = []

    def _column(self, ref: str) -> int:
        letters = ref.rstrip("0123456789")
        col = self.columns.get(letters)
        if col is None:
            if not letters or not letters.isascii() or not letters.isalpha() or len(letters) > 3:
                raise _Damaged(f"{self.where}: a cell is named '{ref}'")
            col = _column_number(letters)
            if col > EXCEL_MAX_COLUMNS:
                raise _Damaged(f"{self.where}: a cell is named '{ref}'; Excel's last column is XFD")
            if len(self.columns) < 1024:
                self.columns[letters] = col
        return col

    def _cell(self) -> None:
        attrs = self.cell
        ref = attrs.get("r")
        col = self._column(ref) if ref else self.last_col + 1
        self.last_col = col
        if self.value is None and self.inline is None and not self.formula:
            return  # an empty (perhaps formatted) cell
        row = self.row
        if row > 1 and col in self.help_columns:
            return  # the template's look-up formulas: help for the reader, not data
        text = self._text(attrs.get("t") or "n", attrs.get("s"), row, col)
        if not text:
            return
        self.budget.cells += 1
        if self.budget.cells > MAX_CELLS:
            raise LcpGraphError(
                f"{self.where}, row {row}: the workbook holds more than {MAX_CELLS:,} filled cells; "
                "lcpgraph reads workbooks up to that size (split it, or use CSV files)"
            )
        if col > MAX_COLUMNS:
            self.problems.add(
                row,
                None,
                f"cell {_ref(col, row)} holds a value far to the right of the table (column {col:,}); lcpgraph "
                f"reads the first {MAX_COLUMNS} columns of a sheet. Delete it, or move it into the table",
            )
            return
        bad = _CONTROL_RE.search(text)
        if bad:
            self.problems.add(
                row,
                self.column_name(col),
                f"cell {_ref(col, row)} holds an invisible control character (U+{ord(bad.group()):04X}), which "
                "breaks saving to other formats; retype the cell (it was probably pasted from another program)",
            )
            return
        cells = self.cells
        if col <= len(cells):
            self.problems.add(
                row,
                self.column_name(col),
                f"cell {_ref(col, row)} appears twice in the file; open and save it in Excel",
            )
            return
        if col > len(cells) + 1:
            cells.extend([""] * (col - 1 - len(cells)))
        cells.append(text)

    def _text(self, t: str, style: str | None, row: int, col: int) -> str:
        """The cell's text; '' (with a problem recorded) for a value that cannot be trusted."""
        v = self.value
        if t == "e":
            self.problems.add(
                row,
                self.column_name(col),
                f"cell {_ref(col, row)} holds the Excel error {(v or '').strip() or '#VALUE!'}; "
                "fix the formula or type the value",
            )
            return ""
        if self.formula and (v is None or (v == "" and t != "str")):
            self.problems.add(
                row,
                self.column_name(col),
                f"cell {_ref(col, row)} holds a formula with no saved result; open the workbook in Excel and "
                "save it, or type the value",
            )
            return ""
        try:
            if t == "s":
                return self.strings[int(v)] if v else ""
            if t == "n":
                return self._number(v.strip(), style, row, col) if v else ""
            if t == "inlineStr":
                return _unescape("".join(self.inline or ()))
            if t == "str":
                return _unescape(v or "")
            if t == "b":
                return ("TRUE" if int(v) else "FALSE") if v else ""
            if t == "d":
                from openpyxl.utils.datetime import from_ISO8601

                return _cell_text(from_ISO8601(v.strip())) if v else ""
        except (ValueError, IndexError, OverflowError):
            self.problems.add(
                row,
                self.column_name(col),
                f"cell {_ref(col, row)} holds a value the file cannot hold ({v!r}); retype it",
            )
            return ""
        self.problems.add(
            row, self.column_name(col), f"cell {_ref(col, row)} has an unknown cell type '{t}'; retype it"
        )
        return ""

    def _number(self, v: str, style: str | None, row: int, col: int) -> str:
        # as openpyxl: a decimal point or an exponent makes a float, anything else an int
        number: float | int = float(v) if ("." in v or "e" in v or "E" in v) else int(v)
        s = int(style) if style else 0
        if s in self.styles.dates:
            from openpyxl.utils.datetime import from_excel

            try:
                return _cell_text(from_excel(number, self.epoch, timedelta=s in self.styles.durations))
            except (OverflowError, ValueError):
                self.problems.add(
                    row,
                    self.column_name(col),
                    f"cell {_ref(col, row)} is formatted as a date but holds {v}, which is no date; retype it",
                )
                return ""
        return _cell_text(number)

    def _end_row(self) -> None:
        cells, row = self.cells, self.row
        while cells and not cells[-1]:
            cells.pop()
        if row == 1:
            self.header = cells
            self.header_names = [h.strip().lower() for h in cells]
            helpers = schema.TEMPLATE_HELP_COLUMNS.get(self.table, ())
            self.help_columns = {i + 1 for i, h in enumerate(self.header_names) if h in helpers}
        elif any(c.strip() for c in cells):
            self.rows.append((row, cells))  # wholly blank rows carry nothing: not kept
        self.cells = []

    # -- merged cells (written after the rows, so every data row is known by then)

    def _merge(self, ref: str) -> None:
        bounds = _parse_range(ref)
        if bounds is None:
            return
        min_col, min_row, max_col, max_row = bounds
        data_cols = [c for c in range(min_col, min(max_col, len(self.header)) + 1) if c not in self.help_columns]
        if not data_cols or not self._touches_data(min_row, max_row):
            return  # a merge beside the table, or over blank rows only: nothing is hidden
        how = "fill each row" if max_row > min_row else "fill each cell"
        self.problems.add(
            min_row, self.column_name(data_cols[0]), f"cells {ref.upper()} are merged; unmerge them and {how}"
        )

    def _touches_data(self, min_row: int, max_row: int) -> bool:
        if min_row <= 1 <= max_row and self.header:
            return True
        i = bisect.bisect_left(self.rows, min_row, key=lambda r: r[0])
        return i < len(self.rows) and self.rows[i][0] <= max_row

    def raw_table(self) -> RawTable | None:
        """The table read, or None (with a problem) when it has no header row."""
        if not any(h.strip() for h in self.header):
            if self.rows:
                self.problems.add(1, None, "row 1 is blank: the first row must name the columns (id, name, …)")
            else:
                self.problems.add(None, None, "is empty: expected a header row naming the columns")
            return None
        return RawTable(self.table, self.where, self.header, self.rows)


class _LazyStrings:
    """The shared strings, read the first time a sheet needs one."""

    def __init__(self, zf: zipfile.ZipFile, part: str | None) -> None:
        self.zf = zf
        self.part = part
        self.values: list[str] | None = None

    def __getitem__(self, i: int) -> str:
        if self.values is None:
            self.values = _read_strings(self.zf, self.part) if self.part and self.part in self.zf.NameToInfo else []
        if i < 0:
            raise IndexError(i)
        return self.values[i]


# --------------------------------------------------------------------------------------
# the workbook


def _sheet_table(title: str) -> str:
    return title.strip().lower()


def _check_file(p: Path) -> None:
    """Refuse, with one clear message, a path that cannot be an ``.xlsx`` file."""
    if p.is_symlink() and not p.exists():
        raise LcpGraphError(f"{p}: is a broken symbolic link (it points to something that is not there)")
    try:
        if not p.exists():
            raise LcpGraphError(f"{p}: no such file")
        if p.is_dir():
            raise LcpGraphError(f"{p}: is a folder, not an Excel workbook file")
        with open(p, "rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise LcpGraphError(f"{p}: cannot be read: {exc.strerror or exc}") from None
    if not head:
        raise LcpGraphError(f"{p}: cannot be read as an Excel workbook (.xlsx): the file is empty")
    if head == _OLE_MAGIC:
        raise LcpGraphError(
            f"{p}: cannot be read as an Excel workbook (.xlsx): it is password-protected (encrypted), or an old "
            "Excel 97-2003 (.xls) file. Remove the password (File > Info > Protect Workbook) or save it as an "
            "'Excel Workbook (.xlsx)'"
        )
    if not head.startswith(b"PK"):
        raise LcpGraphError(
            f"{p}: cannot be read as an Excel workbook (.xlsx): it is not a zip file (was a CSV or another file "
            "renamed to .xlsx?)"
        )


def read_workbook(path: str | Path, notices: list[str] | None = None) -> dict[str, RawTable]:
    """Read every data sheet of an ``.xlsx`` workbook into :class:`~lcpgraph.raw.RawTable` objects.

    Sheet names match table names ignoring case and surrounding spaces (``Organisations`` is
    ``organisations``). Row 1 is the header; each table row is ``(row number, cell texts)``,
    with dates as ISO text, whole numbers without ``.0`` and booleans as ``TRUE``/``FALSE``.

    Sheets are decided like this:

    * a table name (see :data:`~lcpgraph.raw.KNOWN_TABLES`): read;
    * :data:`HELP_SHEETS` (``Instructions``, and the template's hidden ``lists`` and
      ``lookup``): skipped;
    * a name within a typo of a table name (``organisation``, ``Relationship``): an error
      with "did you mean", because a typo must not silently drop data;
    * two sheets that are one table (``Boards`` and ``boards ``): an error naming both;
    * any other sheet (``README``, ``Notes``, ``_people``): skipped, and a notice saying so
      is appended to ``notices``. Start a sheet's name with ``_`` to set a copy of a table
      aside on purpose.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` (or ``.xlsm``) file.
    notices : list of str, optional
        Receives one plain-language line per sheet skipped that is not help.

    Returns
    -------
    dict of str to RawTable
        Keyed by table name.

    Raises
    ------
    ValidationError
        Listing every problem found, each located by workbook, sheet, row and column: Excel
        errors (``#REF!``…), formulas with no saved result, merged cells over the table,
        control characters, values far outside the table, unknown or doubled sheets.
    LcpGraphError
        When the file is not a readable workbook (not a zip, encrypted, damaged, a folder, a
        broken link) or is larger than lcpgraph reads (:data:`MAX_CELLS`, :data:`MAX_PART_BYTES`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from openpyxl import Workbook
    >>> wb = Workbook(); wb.active.title = "Boards"; wb.create_sheet("Notes")
    <Worksheet "Notes">
    >>> wb["Boards"].append(["id", "name", "source"]); wb["Boards"].append(["b1", "Board", 45000.0])
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "w.xlsx"; wb.save(p)
    >>> seen = []; read_workbook(p, notices=seen)["boards"].rows
    [(2, ['b1', 'Board', '45000'])]
    >>> seen[0][:35]
    "skipped sheet 'Notes': not a table "
    """
    p = Path(path)
    _check_file(p)
    try:
        with zipfile.ZipFile(p) as zf:
            return _read_book(zf, p, notices)
    except (LcpGraphError, ValidationError):
        raise
    except _Damaged as exc:
        raise LcpGraphError(f"{p}: cannot be read as an Excel workbook (.xlsx): {exc}") from None
    except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
        raise LcpGraphError(f"{p}: cannot be read as an Excel workbook (.xlsx): {exc}") from None
    except (ParseError, ExpatError) as exc:
        raise LcpGraphError(f"{p}: cannot be read as an Excel workbook (.xlsx): it is damaged ({exc})") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise LcpGraphError(f"{p}: cannot be read as an Excel workbook (.xlsx): the zip is damaged ({exc})") from None
    except (OSError, ValueError, KeyError) as exc:
        raise LcpGraphError(f"{p}: cannot be read as an Excel workbook (.xlsx): {exc}") from None


def _read_book(zf: zipfile.ZipFile, p: Path, notices: list[str] | None) -> dict[str, RawTable]:
    book = _book(zf)
    problems: list[Problem] = []
    known = ", ".join(KNOWN_TABLES)
    by_table: dict[str, list[_SheetEntry]] = {}
    for sheet in book.sheets:
        name = _sheet_table(sheet.title)
        where = f"{p.name}, sheet '{sheet.title}'"
        if name in HELP_SHEETS:
            continue
        if name in KNOWN_TABLES:
            by_table.setdefault(name, []).append(sheet)
            continue
        close = None if name.startswith("_") else difflib.get_close_matches(name, KNOWN_TABLES, 1, _TYPO_CUTOFF)
        if close:
            problems.append(
                Problem(
                    where,
                    None,
                    None,
                    f"sheet '{sheet.title}' is not a known table; did you mean '{close[0]}'? Rename the sheet to "
                    f"'{close[0]}' to read it, or start its name with '_' if it is not data",
                )
            )
        elif notices is not None:
            what = "not a table lcpgraph reads" if sheet.kind == "worksheet" else f"a {sheet.kind}, not a table"
            notices.append(f"skipped sheet '{sheet.title}': {what} (known: {known})")

    strings = _LazyStrings(zf, book.strings_part)
    styles: _Styles | None = None
    budget = _Budget()
    epoch = dt.datetime(1904, 1, 1) if book.date1904 else dt.datetime(1899, 12, 30)
    tables: dict[str, RawTable] = {}
    for name, sheets in by_table.items():
        if len(sheets) > 1:
            titles = " and ".join(f"'{s.title}'" for s in sheets)
            problems.append(
                Problem(p.name, None, None, f"sheets {titles} are both the table '{name}'; keep one of them")
            )
            continue
        sheet = sheets[0]
        where = f"{p.name}, sheet '{sheet.title}'"
        if sheet.kind != "worksheet" or sheet.part is None:
            problems.append(Problem(where, None, None, f"is a {sheet.kind}, not a table of rows and columns"))
            continue
        if sheet.part not in zf.NameToInfo:
            raise _Damaged(f"sheet '{sheet.title}' has no content (its part '{sheet.part}' is missing)")
        if styles is None:
            styles = _read_styles(zf, book.styles_part)
        reader = _SheetReader(name, where, strings, styles, epoch, budget)
        with _open_part(zf, sheet.part, MAX_PART_BYTES) as f:
            reader.read(f)
        table = reader.raw_table()
        problems += reader.problems.all()
        if table is not None:
            tables[name] = table
    if problems:
        raise ValidationError(problems)
    return tables


_VOCABULARIES = {
    "sector": schema.SECTORS,
    "scope": schema.SCOPES,
    "type": schema.PARTNERSHIP_TYPES,
    "level": schema.BOARD_LEVELS,
    "kind": tuple(schema.RELATIONSHIP_KINDS),
}


def write_template(path: str | Path, rows: int = 2000) -> Path:
    """Write an empty workbook to fill in: one sheet per table, instructions, drop-down lists.

    Parameters
    ----------
    path : str or Path
        Where to write the ``.xlsx``.
    rows : int
        How many rows get the drop-down lists.

    Returns
    -------
    Path
        ``path``.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    info = wb.active
    info.title = "Instructions"
    info.append(["How to fill in this workbook"])
    info["A1"].font = Font(bold=True, size=14)
    info.append(
        [
            "Fill in one row per record on each sheet. Ids must be unique across all sheets; relationships "
            "refer to them. Every row needs a source: a document, a public source, or 'illustrative'. "
            "Check it with: lcpgraph validate THIS-FILE.xlsx"
        ]
    )
    info.append([])
    info.append(["sheet", "column", "required", "type", "allowed values", "meaning", "example"])
    for cell in info[4]:
        cell.font = Font(bold=True)
    for table, cols in schema.TABLES.items():
        for c in cols:
            allowed = ", ".join(_VOCABULARIES[c.name]) if c.name in _VOCABULARIES else ""
            info.append([table, c.name, "yes" if c.required else "no", c.type, allowed, c.description, c.example])
    for col, width in zip("ABCDEFG", (16, 14, 10, 10, 60, 60, 30), strict=True):
        info.column_dimensions[col].width = width

    lists = wb.create_sheet("lists")
    ranges = {}
    for j, (name, values) in enumerate(_VOCABULARIES.items(), start=1):
        letter = chr(ord("A") + j - 1)
        lists.cell(row=1, column=j, value=name)
        for i, v in enumerate(values, start=2):
            lists.cell(row=i, column=j, value=v)
        ranges[name] = f"lists!${letter}$2:${letter}${len(values) + 1}"
    lists.sheet_state = "hidden"

    for table, cols in schema.TABLES.items():
        ws = wb.create_sheet(table)
        ws.append([c.name for c in cols])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for j, c in enumerate(cols, start=1):
            letter = chr(ord("A") + j - 1)
            ws.column_dimensions[letter].width = max(12, len(c.name) + 4, min(40, len(c.example) + 4))
            if c.name in ranges:
                dv = DataValidation(
                    type="list",
                    formula1=f"={ranges[c.name]}",
                    allow_blank=not c.required,
                    showErrorMessage=True,
                    errorTitle=f"Unknown {c.name}",
                    error=f"Choose a {c.name} from the list (see the Instructions sheet).",
                )
                dv.add(f"{letter}2:{letter}{rows + 1}")
                ws.add_data_validation(dv)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
