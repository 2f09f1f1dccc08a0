"""Test helpers: build workbooks, good and bad, with openpyxl or by writing their XML.

Bad workbooks are made here rather than committed as binary files, so each test shows what is
wrong with its file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook

from lcpgraph import schema

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """Write ``sheets`` (title -> rows of values) as an ``.xlsx`` with openpyxl."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def minimal_tables() -> dict[str, list[list[object]]]:
    """A small valid dataset: two organisations, a partnership, a board, three relationships."""
    return {
        "organisations": [
            ["id", "name", "sector", "source"],
            ["org-a", "Care Charity", "third sector", "list 2024"],
            ["org-b", "Hill Surgery", "primary care", "list 2024"],
        ],
        "partnerships": [["id", "name", "type", "source"], ["lcp-n", "North LCP", "lcp", "list 2024"]],
        "boards": [["id", "name", "source"], ["board-h", "Health Board", "list 2024"]],
        "relationships": [
            ["from", "to", "kind", "source"],
            ["org-a", "lcp-n", "member_of", "list 2024"],
            ["org-b", "lcp-n", "member_of", "list 2024"],
            ["lcp-n", "board-h", "reports_to", "list 2024"],
        ],
    }


def csv_folder_as_workbook(folder: Path, path: Path) -> Path:
    """Write every CSV table of ``folder`` as a sheet, numbers as numbers and dates as dates.

    Typed cells (not text) exercise the reader's number and date handling, so the workbook
    must load to exactly the graph the folder does.
    """
    wb = Workbook()
    wb.remove(wb.active)
    for f in sorted(folder.glob("*.csv")):
        with f.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        types = {c.name: c.type for c in schema.TABLES.get(f.stem, ())}
        ws = wb.create_sheet(f.stem)
        ws.append(rows[0])
        for r in rows[1:]:
            out: list[object] = []
            for h, v in zip(rows[0], r, strict=False):
                if v and types.get(h) == "number":
                    out.append(float(v) if "." in v else int(v))
                elif v and types.get(h) == "date":
                    out.append(dt.date.fromisoformat(v))
                else:
                    out.append(v)
            ws.append(out)
    wb.save(path)
    return path


def sheet_part(path: Path, title: str) -> str:
    """The zip member holding the sheet ``title`` of an openpyxl-written workbook."""
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet name="{re.escape(escape(title))}"[^>]*r:id="(\w+)"', book).group(1)
    target = re.search(rf'Target="([^"]+)" Id="{rid}"', rels).group(1)
    return target.lstrip("/")


def rewrite_part(path: Path, part: str, change: Callable[[str], str]) -> None:
    """Replace the text of one zip member of ``path`` by ``change(text)``; the rest is copied."""
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                data = change(data.decode("utf-8")).encode("utf-8")
            dst.writestr(info.filename, data)
    path.write_bytes(buf.getvalue())


def rewrite_sheet(path: Path, title: str, change: Callable[[str], str]) -> None:
    """Replace the XML of the sheet ``title`` by ``change(xml)``."""
    rewrite_part(path, sheet_part(path, title), change)


def inline_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def row_xml(row: int, values: Iterable[str]) -> str:
    from openpyxl.utils import get_column_letter

    cells = "".join(inline_cell(f"{get_column_letter(j)}{row}", v) for j, v in enumerate(values, start=1) if v)
    return f'<row r="{row}">{cells}</row>'


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}</Types>"
)


def streamed_workbook(
    path: Path,
    sheets: dict[str, Callable[[], Iterable[str]]],
    *,
    dimension: str | None = None,
    shared_strings: list[str] | None = None,
    date_style: bool = False,
    date1904: bool = False,
) -> Path:
    """Write a workbook whose sheet XML comes from generators, streamed into the zip.

    ``sheets`` maps a title to a function yielding the ``sheetData`` content (row elements)
    piece by piece, so a sheet of a million rows never sits in the test's memory either.
    ``dimension`` is the size each sheet claims; ``shared_strings`` the inner XML of each
    ``<si>`` of a shared-string table (as Excel writes text); ``date_style`` adds a cell style 1
    showing numbers as dates; ``date1904`` puts the workbook on the Mac calendar.
    """
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        z.writestr("[Content_Types].xml", _CONTENT_TYPES.format(sheets=overrides))
        z.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        entries = "".join(
            f'<sheet name="{escape(t)}" sheetId="{i}" r:id="rId{i}"/>' for i, t in enumerate(sheets, start=1)
        )
        pr = '<workbookPr date1904="1"/>' if date1904 else ""
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{pr}<sheets>{entries}</sheets></workbook>',
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        if shared_strings is not None:
            rels += f'<Relationship Id="rIdS" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
            items = "".join(f"<si>{s}</si>" for s in shared_strings)
            z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN_NS}">{items}</sst>')
        if date_style:
            rels += f'<Relationship Id="rIdY" Type="{REL_NS}/styles" Target="styles.xml"/>'
            z.writestr(
                "xl/styles.xml",
                f'<styleSheet xmlns="{MAIN_NS}"><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
                '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>',
            )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>',
        )
        for i, rows in enumerate(sheets.values(), start=1):
            with z.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as f:
                dim = f'<dimension ref="{dimension}"/>' if dimension else ""
                f.write(f'<worksheet xmlns="{MAIN_NS}">{dim}<sheetData>'.encode())
                chunk: list[str] = []
                for piece in rows():
                    chunk.append(piece)
                    if len(chunk) >= 10_000:
                        f.write("".join(chunk).encode())
                        chunk = []
                f.write(("".join(chunk) + "</sheetData></worksheet>").encode())
    return path
