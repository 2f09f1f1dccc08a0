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

# The template's help sheets: its instructions, and the hidden sheets feeding its drop-downs.
_INSTRUCTIONS = "Instructions"
_LISTS = "lists"
_LOOKUP = "lookup"

#: Sheets that hold help, not data: skipped without a notice (matched like table names).
HELP_SHEETS: tuple[str, ...] = (_INSTRUCTIONS.lower(), _LISTS, _LOOKUP)
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
        self,
        table: str,
        title: str,
        where: str,
        strings: _LazyStrings,
        styles: _Styles,
        epoch: dt.datetime,
        budget: _Budget,
    ) -> None:
        self.table = table
        self.title = title
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
                raise _Damaged(f"sheet '{self.title}': a row is numbered '{r}'") from None
            if not 1 <= n <= EXCEL_MAX_ROWS:
                raise _Damaged(
                    f"sheet '{self.title}': a row is numbered {n:,}; Excel's rows are 1 to {EXCEL_MAX_ROWS:,}"
                )
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
                raise _Damaged(f"sheet '{self.title}': a cell is named '{ref}'")
            col = _column_number(letters)
            if col > EXCEL_MAX_COLUMNS:
                raise _Damaged(f"sheet '{self.title}': a cell is named '{ref}'; Excel's last column is XFD")
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
        reader = _SheetReader(name, sheet.title, where, strings, styles, epoch, budget)
        with _open_part(zf, sheet.part, MAX_PART_BYTES) as f:
            try:
                reader.read(f)
            except ExpatError as exc:
                raise _Damaged(f"sheet '{sheet.title}' is damaged ({exc})") from None
        table = reader.raw_table()
        problems += reader.problems.all()
        if table is not None:
            tables[name] = table
    if problems:
        raise ValidationError(problems)
    return tables


# --------------------------------------------------------------------------------------
# the template

# The sheets whose ids (and names) the relationships sheet's drop-downs and look-ups offer.
_NODE_TABLES = ("organisations", "partnerships", "boards", "people")

_VOCABULARIES: dict[str, tuple[str, ...]] = {
    "sector": schema.SECTORS,
    "scope": schema.SCOPES,
    "type": schema.PARTNERSHIP_TYPES,
    "level": schema.BOARD_LEVELS,
    "kind": tuple(schema.RELATIONSHIP_KINDS),
}

# Prompts in plain words. The schema's descriptions are written for the code's readers
# ("node", "ISO date", "sectors.csv"); these say the same to the person filling in a sheet.
# A column not listed here is prompted with its schema description.
_PLAIN: dict[str, str] = {
    "id": "A short code for this row that never changes, e.g. {example}. No two rows on any sheet may share "
    "one: the relationships sheet uses it.",
    "name": "The name people know it by, e.g. {example}. Two rows may share a name; the id tells them apart.",
    "sector": "The kind of organisation (or role), e.g. {example}.",
    "scope": "How far it works: the whole place (e.g. citywide), one locality (local), a region… Blank means local.",
    "type": "What kind of grouping it is, e.g. {example}.",
    "level": "Where the board sits, e.g. {example}.",
    "area": "The area it serves or covers, e.g. {example}.",
    "services": "What it offers, separated by ';', e.g. {example}.",
    "identifiers": "Official ids, separated by ';': GB-CHC- and the charity number, GB-COH- and the company "
    "number, or GB-NHS- and the NHS code, e.g. {example}.",
    "population": "How many people live in the area it covers, e.g. {example}.",
    "role": "The person's role, e.g. {example}. Shown instead of the name when names are hidden.",
    "from": "The id of the organisation, partnership, board or person the relationship starts from. Choose "
    "from the list: it holds the ids typed on the other sheets.",
    "to": "The id of the one it points to, e.g. the partnership the organisation is a member of. Choose from the list.",
    "kind": "What the relationship is, e.g. member_of. The Instructions sheet explains every kind.",
    "weight": "How strong the tie is, e.g. meetings a year. More than 0; blank means 1.",
    "start": "The date it began, e.g. {example}.",
    "end": "The date it ended, if it has (on or after the start), e.g. {example}.",
    "note": "Anything worth saying about it, e.g. {example}.",
    "source": "Where this row came from: a document, a website, or 'illustrative' for invented examples.",
    "from_name": "Filled in for you: the name of the one whose id is in 'from'. lcpgraph does not read this column.",
    "to_name": "Filled in for you: the name of the one whose id is in 'to'. lcpgraph does not read this column.",
}

_PLACE_PROMPTS = {
    "key": "What the row sets. Keep these keys as they are.",
    "value": "Your place's value. Leave it blank to keep the default given under 'meaning'.",
    "meaning": "What the key means, and its default. lcpgraph does not read this column.",
}

# The example rows: an invented partnership, its members and its board, connected. Each row
# is valid as it stands, so a user who keeps one and gives it a real source loads it.
_EXAMPLES: dict[str, list[dict[str, object]]] = {
    "organisations": [
        {
            "id": "org-example-community-trust",
            "name": "Example Community Trust",
            "sector": "third sector",
            "scope": "citywide",
            "area": "Example Ward",
            "services": "befriending; social prescribing",
        }
    ],
    "partnerships": [
        {
            "id": "lcp-example",
            "name": "Example Local Care Partnership",
            "type": "local partnership",
            "area": "Example Ward and Example Park",
            "population": 30000,
        }
    ],
    "boards": [
        {
            "id": "board-example-hwb",
            "name": "Example Health and Wellbeing Board",
            "level": "place",
            "sector": "local authority",
        }
    ],
    "people": [
        {"id": "person-example-chair", "name": "Example Partnership Chair", "role": "Chair", "sector": "third sector"}
    ],
    "relationships": [
        {
            "from": "org-example-community-trust",
            "to": "lcp-example",
            "kind": "member_of",
            "start": dt.datetime(2024, 4, 1),
            "note": "an invented example",
        },
        {"from": "lcp-example", "to": "board-example-hwb", "kind": "reports_to"},
        {"from": "person-example-chair", "to": "lcp-example", "kind": "chairs"},
    ],
}

# What each place key means, with its default read from lcpgraph.place.Place so the two agree.
_PLACE_MEANINGS = {
    "name": "The place's name, used as the report's title, e.g. Leeds.",
    "unit_singular": "What one local unit is called in full, e.g. Local Care Partnership. Default: {unit_singular}.",
    "unit_plural": "… and several, e.g. Local Care Partnerships. Default: the singular with an 's'.",
    "unit_short": "The short name used in headings and tables, e.g. LCP. Default: the full name.",
    "unit_short_plural": "… and several, e.g. LCPs. Default: the short name with an 's'.",
    "unit_types": "Which partnership types are the local units, separated by ';', e.g. lcp. Default: {unit_types}.",
    "expected_sectors": "The partner mix every local unit should have, separated by ';'. Default: {expected_sectors}.",
    "focus_sectors": "The sectors whose isolation matters most, separated by ';'. Default: {focus_sectors}.",
    "levels": "The place's governance levels, top first, separated by ';', e.g. national; regional; city; "
    "local. Default: {levels}.",
    "place_scope": "The scope that means 'works across the whole place', e.g. countywide in a county. "
    "Default: {place_scope}.",
    "max_units_per_partner": "A place-wide partner in more local units than this is stretched too thin. "
    "Default: {max_units_per_partner}.",
}


def _prompt(col: schema.Column) -> tuple[str, str]:
    """The input message (title, text) for a column: plain words within Excel's limits."""
    text = _PLAIN.get(col.name, col.description.rstrip(".") + (", e.g. {example}." if col.example else "."))
    text = text.format(example=col.example)
    if col.choices:
        text += " Choose from the list."
    title = f"{col.name} ({'required' if col.required else 'optional'})"
    return title[:32], text[:255]  # Excel's limits for an input message


def _help_column(name: str) -> schema.Column:
    return schema.Column(name, False, "text", _PLAIN[name], "")


def _letter_of(header: list[str], name: str) -> str:
    return _column_letter(header.index(name) + 1)


def write_template(path: str | Path, rows: int = 2000, *, overwrite: bool = False) -> Path:
    """Write a workbook to fill in: instructions, one sheet per table, examples, drop-down lists.

    The workbook has

    * an ``Instructions`` sheet: a step-by-step walk through, a worked example, the
      relationship kinds and a reference of every column;
    * a sheet per table (``organisations``, ``partnerships``, ``boards``, ``people``,
      ``relationships``) with its header, one grey italic example row (three on
      ``relationships``) whose ``source`` is :data:`~lcpgraph.schema.EXAMPLE_SOURCE` (loading
      it is an error until it is deleted or given a real source), an input message on every
      column, and drop-down lists for every column with fixed values;
    * on ``relationships``, drop-down lists of the ids typed on the other sheets for ``from``
      and ``to``, and the help columns ``from_name`` and ``to_name`` whose formulas show the
      name of the chosen id (the loader ignores them);
    * a ``place`` sheet of key/value rows describing the place, values blank (the defaults are
      under ``meaning``);
    * the hidden sheets ``lists`` (the fixed values) and ``lookup`` (the ids and names gathered
      from the four record sheets, feeding the id drop-downs and the name look-ups).

    The same arguments give the same bytes (see :func:`lcpgraph.files.xlsx_bytes`).

    Parameters
    ----------
    path : str or Path
        Where to write the ``.xlsx``.
    rows : int
        How many rows of each sheet get the drop-down lists, prompts and look-ups.
    overwrite : bool
        Replace ``path`` even if it is not a template lcpgraph wrote unchanged since. Without
        it, an existing file is replaced only when it is byte for byte this template, because
        a template someone has filled in still says lcpgraph made it.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    LcpGraphError
        When ``path`` exists and may hold someone's work, or cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = write_template(pathlib.Path(tempfile.mkdtemp()) / "our-lcps.xlsx", rows=20)
    >>> read_workbook(p)["organisations"].rows[0][1][:2]
    ['org-example-community-trust', 'Example Community Trust']
    """
    from lcpgraph.files import write_bytes, xlsx_bytes

    if rows < 1:
        raise ValueError("rows must be 1 or more")
    out = Path(path)
    data = xlsx_bytes(_template(rows))
    if not overwrite and out.is_file():
        try:
            same = out.read_bytes() == data
        except OSError:
            same = False
        if not same:
            raise LcpGraphError(
                f"{out}: already exists and is not this template as lcpgraph wrote it (it may hold your work); "
                "choose another name, or pass --force to replace it"
            )
        overwrite = True  # it is this very template: replacing it loses nothing
    return write_bytes(out, data, overwrite=overwrite)


def _template(rows: int):
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from lcpgraph.files import append_row

    bold = Font(bold=True)
    example_font = Font(italic=True, color="808080")
    help_fill = PatternFill("solid", fgColor="EEEEEE")
    help_font = Font(italic=True, color="606060")
    last = rows + 1  # the last row the lists and look-ups cover

    wb = Workbook()
    info = wb.active
    info.title = _INSTRUCTIONS
    _instructions(info, append_row)

    sheets = {table: wb.create_sheet(table) for table in schema.TABLES}
    place = wb.create_sheet("place")
    lists = wb.create_sheet(_LISTS)
    lookup = wb.create_sheet(_LOOKUP)

    # lists: one column per fixed vocabulary
    ranges: dict[str, str] = {}
    vocab_names = list(_VOCABULARIES)
    append_row(lists, vocab_names)
    depth = max(len(v) for v in _VOCABULARIES.values())
    for i in range(depth):
        append_row(lists, [v[i] if i < len(v) else None for v in _VOCABULARIES.values()])
    for j, name in enumerate(vocab_names, start=1):
        letter = _column_letter(j)
        ranges[name] = f"{_LISTS}!${letter}$2:${letter}${len(_VOCABULARIES[name]) + 1}"
    lists.sheet_state = "hidden"

    # lookup: the four record sheets' ids and names stacked (A, B), a running count of the ids
    # present (C), and the ids packed together at the top (E) for the from/to drop-downs.
    # Plain INDEX/MATCH formulas: they work in every Excel since 2007 and in LibreOffice.
    append_row(lookup, ["id", "name", "ids so far", None, "ids for the drop-down lists"])
    lookup["C2"] = 0
    r = 3
    for table in _NODE_TABLES:
        header = [c.name for c in schema.TABLES[table]]
        id_col, name_col = _letter_of(header, "id"), _letter_of(header, "name")
        for i in range(2, last + 1):
            lookup[f"A{r}"] = f'=TRIM({table}!${id_col}{i}&"")'
            lookup[f"B{r}"] = f'=TRIM({table}!${name_col}{i}&"")'
            lookup[f"C{r}"] = f'=C{r - 1}+IF(A{r}="",0,1)'
            r += 1
    end = r - 1  # the last stacked row; C{end} counts every id
    for k in range(1, end - 1):
        # the k-th id: the row after the last one whose running count is below k
        lookup[f"E{k + 1}"] = f'=IF({k}>$C${end},"",INDEX($A$3:$A${end},MATCH({k - 1},$C$2:$C${end},1)))'
    lookup.sheet_state = "hidden"
    id_list = f"OFFSET({_LOOKUP}!$E$2,0,0,MAX(1,{_LOOKUP}!$C${end}),1)"

    # the record sheets
    for table, ws in sheets.items():
        cols = list(schema.TABLES[table])
        helpers = [_help_column(h) for h in schema.TEMPLATE_HELP_COLUMNS.get(table, ())]
        header = [c.name for c in cols + helpers]
        append_row(ws, header)
        for cell in ws[1]:
            cell.font = bold
        for example in _EXAMPLES[table]:
            append_row(ws, [example.get(c.name, schema.EXAMPLE_SOURCE if c.name == "source" else None) for c in cols])
            for j in range(1, len(header) + 1):
                ws.cell(row=ws._current_row, column=j).font = example_font
        for j, c in enumerate(cols, start=1):
            if c.type == "date":
                for i in range(2, ws._current_row + 1):
                    ws.cell(row=i, column=j).number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
        if helpers:
            for h in helpers:
                letter = _letter_of(header, h.name)
                ref = _letter_of(header, h.name.removesuffix("_name"))
                ws[f"{letter}1"].fill = help_fill
                for i in range(2, last + 1):
                    # the name of the chosen id, looked up among the stacked ids
                    cell = ws[f"{letter}{i}"]
                    cell.value = (
                        f'=IF(TRIM({ref}{i})="","",IFERROR(INDEX({_LOOKUP}!$B$3:$B${end},'
                        f'MATCH(TRIM({ref}{i}),{_LOOKUP}!$A$3:$A${end},0)),"(not on the other sheets yet)"))'
                    )
                    cell.font = help_font
        for j, c in enumerate(cols + helpers, start=1):
            letter = _column_letter(j)
            width = 28 if c in helpers else max(12, len(c.name) + 4, min(40, len(c.example) + 4))
            ws.column_dimensions[letter].width = width
            _validate(ws, c, f"{letter}2:{letter}{last}", ranges, id_list)
    # the place profile
    _place_sheet(place, append_row, bold)
    return wb


def _validate(ws, col: schema.Column, cells: str, ranges: dict[str, str], id_list: str) -> None:
    """Give a column its input message and, where its values are fixed, its drop-down list."""
    from openpyxl.worksheet.datavalidation import DataValidation

    title, prompt = _prompt(col)
    options: dict[str, object] = {
        "allow_blank": True,
        "showInputMessage": True,
        "promptTitle": title,
        "prompt": prompt,
    }
    if col.name in ("from", "to") and col.type == "ref":
        options |= {
            "type": "list",
            "formula1": id_list,
            "showErrorMessage": True,
            "errorStyle": "warning",  # an id may be typed before its row is: warn, do not block
            "errorTitle": "Id not found",
            "error": "That id is not on the organisations, partnerships, boards or people sheets yet. Add it "
            "there, or check the spelling.",
        }
    elif col.name in ranges and col.choices:
        sector = col.name == "sector"
        options |= {
            "type": "list",
            "formula1": ranges[col.name],
            "showErrorMessage": True,
            # a new sector can be added on a 'sectors' sheet: warn rather than block
            "errorStyle": "warning" if sector else "stop",
            "errorTitle": f"Unknown {col.name}",
            "error": (
                "That sector is not in the list. To use a new one, add it on a sheet named 'sectors' (one "
                "column, 'sector'); otherwise choose from the list."
                if sector
                else f"Choose a {col.name} from the list (the Instructions sheet explains each)."
            ),
        }
    elif col.type == "number":
        above = getattr(col, "minimum", None)
        strict = not getattr(col, "minimum_allowed", True)
        if above is not None:
            options |= {
                "type": "decimal",
                "operator": "greaterThan" if strict else "greaterThanOrEqual",
                "formula1": str(int(above) if float(above).is_integer() else above),
                "showErrorMessage": True,
                "errorTitle": f"{col.name}: a number",
                "error": f"Type a number {'more than' if strict else 'of at least'} {above:g}, e.g. {col.example}.",
            }
    dv = DataValidation(**options)
    dv.add(cells)
    ws.add_data_validation(dv)


def _place_sheet(ws, append_row, bold) -> None:
    from lcpgraph.place import PLACE_KEYS, Place

    defaults = Place()
    filled = {k: "; ".join(v) if isinstance(v, tuple) else str(v) for k in PLACE_KEYS for v in [getattr(defaults, k)]}
    append_row(ws, ["key", "value", "meaning"])
    for cell in ws[1]:
        cell.font = bold
    for key in PLACE_KEYS:
        meaning = _PLACE_MEANINGS.get(key, "See the lcpgraph documentation.").format(**filled)
        append_row(ws, [key, None, meaning])
    ws.freeze_panes = "A2"
    for letter, width in zip("ABC", (24, 40, 110), strict=True):
        ws.column_dimensions[letter].width = width
    last = len(PLACE_KEYS) + 1
    for j, name in enumerate(("key", "value", "meaning"), start=1):
        letter = _column_letter(j)
        _validate(
            ws,
            schema.Column(name, name != "meaning", "text", _PLACE_PROMPTS[name], ""),
            f"{letter}2:{letter}{last}",
            {},
            "",
        )


def _instructions(ws, append_row) -> None:
    """The Instructions sheet: steps, a worked example, the kinds of relationship, every column."""
    from openpyxl.styles import Font

    def heading(text: str, size: int = 12) -> None:
        append_row(ws, [text])
        ws.cell(row=ws._current_row, column=1).font = Font(bold=True, size=size)

    org, lcp, board = (_EXAMPLES[t][0] for t in ("organisations", "partnerships", "boards"))
    heading("How to fill in this workbook", 14)
    for line in (
        "This workbook maps a health-and-care partnership: the organisations, the partnerships and boards they "
        "sit on, the people in key roles, and how they are connected. lcpgraph reads it to draw the map and write "
        "the report.",
        "Each sheet holds one row per record. Hover over a column's cells for a note on what to type; columns "
        "with a fixed set of values have a drop-down list.",
    ):
        append_row(ws, [line])
    append_row(ws, [])
    heading("Step by step")
    for line in (
        "1. organisations: one row per organisation. Give each an id (a short code that never changes, e.g. "
        f"{org['id']}), its name and its sector (from the drop-down list).",
        "2. partnerships: one row per partnership, network or forum, e.g. your Local Care Partnership.",
        "3. boards (optional): the boards the partnerships report to, e.g. a Health and Wellbeing Board.",
        "4. people (optional): people in roles that matter, e.g. a chair or a shared care coordinator.",
        "5. relationships: one row per connection. Choose 'from' and 'to' from the drop-down lists (they hold the "
        "ids typed on the other sheets); the grey columns from_name and to_name then show whose ids they are. "
        "'kind' says what the connection is (see the list below).",
        "6. place (optional): your place's name and what its local units are called. Leave a value blank to "
        "keep the default.",
        "7. source, on every row: where this row came from: a document, a website, or 'illustrative' for "
        "invented examples.",
        "8. Check it: run   lcpgraph validate FILE.xlsx   It lists every problem with its sheet, row and "
        "column, or says the workbook is valid.",
    ):
        append_row(ws, [line])
    append_row(ws, [])
    heading("A worked example")
    for line in (
        f"Say {org['name']} is a member of {lcp['name']}, which reports to the {board['name']}. Then:",
        f"   organisations:  {org['id']} | {org['name']} | {org['sector']} | … | source",
        f"   partnerships:   {lcp['id']} | {lcp['name']} | {lcp['type']} | … | source",
        f"   boards:         {board['id']} | {board['name']} | … | source",
        f"   relationships:  from {org['id']}, to {lcp['id']}, kind member_of   ('{org['name']} is a member "
        f"of {lcp['name']}')",
        f"   relationships:  from {lcp['id']}, to {board['id']}, kind reports_to",
        "The sheets start with exactly these rows, in grey italics.",
    ):
        append_row(ws, [line])
    append_row(ws, [])
    heading("The example rows")
    append_row(
        ws,
        [
            "The grey italic rows are examples, not data. Their source says '"
            + schema.EXAMPLE_SOURCE
            + "', and lcpgraph refuses to read a row with that source: delete the example rows when you add "
            "your own (or, to keep one, write where it came from in its source)."
        ],
    )
    append_row(ws, [])
    heading("Kinds of relationship")
    append_row(ws, ["kind", "meaning", "from", "to"])
    for cell in ws[ws._current_row]:
        cell.font = Font(bold=True)
    for k in schema.RELATIONSHIP_KINDS.values():
        append_row(ws, [k.name, k.description, " or ".join(k.from_kinds), " or ".join(k.to_kinds)])
    append_row(ws, [])
    heading("Every column")
    append_row(ws, ["sheet", "column", "required", "type", "allowed values", "meaning", "example"])
    for cell in ws[ws._current_row]:
        cell.font = Font(bold=True)
    for table, cols in schema.TABLES.items():
        for c in cols:
            allowed = ", ".join(_VOCABULARIES[c.name]) if c.name in _VOCABULARIES and c.choices else ""
            append_row(ws, [table, c.name, "yes" if c.required else "no", c.type, allowed, _prompt(c)[1], c.example])
        for h in schema.TEMPLATE_HELP_COLUMNS.get(table, ()):
            append_row(ws, [table, h, "no", "look-up", "", _PLAIN[h], ""])
    for col, width in zip("ABCDEFG", (16, 14, 10, 10, 40, 80, 30), strict=True):
        ws.column_dimensions[col].width = width
