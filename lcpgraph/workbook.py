"""Excel workbooks: the same tables as sheets of one ``.xlsx``, and a template to fill in.

An LCP development team keeps its lists in a workbook. ``read_workbook`` turns each sheet
into the same raw table a CSV file gives, so validation (and every error message, which then
names the sheet) is shared with :mod:`lcpgraph.load`. ``write_template`` writes an empty
workbook with the headers, an instructions sheet and drop-down lists for every column with a
fixed vocabulary.
"""

from __future__ import annotations

import datetime as dt
import difflib
import zipfile
from pathlib import Path

from lcpgraph import schema
from lcpgraph.exceptions import LcpGraphError, Problem, ValidationError
from lcpgraph.raw import SECTORS_TABLE, RawTable

__all__ = ["IGNORED_SHEETS", "read_workbook", "write_template"]

#: Sheets that hold help, not data.
IGNORED_SHEETS = ("instructions", "lists", "readme")


def _cell_text(value: object) -> str:
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


def read_workbook(path: str | Path) -> dict[str, RawTable]:
    """Read every data sheet of an ``.xlsx`` workbook into :class:`~lcpgraph.load.RawTable` objects.

    Sheet names match table names case-insensitively (``Organisations`` is
    ``organisations``). Sheets named like :data:`IGNORED_SHEETS`, or starting with ``_``, are
    skipped; any other unknown sheet is reported with the closest table name.

    Raises
    ------
    ValidationError
        For unknown sheets (naming the workbook and sheet).
    LcpGraphError
        When the file is not an Excel workbook.
    """
    from openpyxl import load_workbook

    p = Path(path)
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise LcpGraphError(f"{p}: cannot be read as an Excel workbook (.xlsx): {exc}") from None
    known = [*schema.TABLES, SECTORS_TABLE]
    tables: dict[str, RawTable] = {}
    problems: list[Problem] = []
    try:
        for ws in wb.worksheets:
            name = ws.title.strip().lower()
            where = f"{p.name}, sheet '{ws.title}'"
            if name in IGNORED_SHEETS or name.startswith("_"):
                continue
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                problems.append(
                    Problem(
                        where,
                        None,
                        None,
                        f"sheet '{ws.title}' is not a known table{hint} Expected sheets: {', '.join(known)}",
                    )
                )
                continue
            rows = [[_cell_text(c) for c in row] for row in ws.iter_rows(values_only=True)]
            while rows and not any(c.strip() for c in rows[-1]):
                rows.pop()
            if not rows or not any(c.strip() for c in rows[0]):
                problems.append(Problem(where, None, None, "is empty: expected a header row naming the columns"))
                continue
            header = rows[0]
            while header and not header[-1].strip():
                header = header[:-1]
            tables[name] = RawTable(name, where, header, [(i + 2, r) for i, r in enumerate(rows[1:])])
    finally:
        wb.close()
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
