"""Excel workbooks: every problem a workbook can hide is a located error, or is read right.

The template tests are at the end. Bad workbooks are built in each test (see tests/workbooks.py).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import lcpgraph
from lcpgraph import schema
from lcpgraph import workbook as wbmod
from lcpgraph.cli import main
from lcpgraph.exceptions import LcpGraphError, ValidationError
from lcpgraph.workbook import read_workbook, write_template
from tests.workbooks import (
    csv_folder_as_workbook,
    inline_cell,
    minimal_tables,
    rewrite_part,
    rewrite_sheet,
    row_xml,
    sheet_part,
    streamed_workbook,
    workbook,
)

LEEDS = Path(__file__).resolve().parent.parent / "data" / "leeds"
REPO = Path(__file__).resolve().parent.parent


def _problems(excinfo) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def _graphs_equal(A, B) -> None:
    assert dict(A.nodes(data=True)) == dict(B.nodes(data=True))
    assert list(A.edges(keys=True, data=True)) == list(B.edges(keys=True, data=True))


# --------------------------------------------------------------------------------------
# a normal workbook reads exactly as the CSV files do


def test_leeds_as_a_workbook_loads_exactly_as_the_folder(tmp_path):
    xlsx = csv_folder_as_workbook(LEEDS, tmp_path / "leeds.xlsx")
    A, B = lcpgraph.load(xlsx), lcpgraph.load(LEEDS)
    assert A.number_of_edges() == B.number_of_edges() > 300
    _graphs_equal(A, B)


def test_cell_values_become_the_text_the_loader_expects(tmp_path):
    rows = [
        ["id", "name", "when", "count", "ratio", "flag", "stamp"],
        ["a", "Alpha", dt.date(2021, 4, 1), 45000.0, 0.25, True, dt.datetime(2021, 4, 1, 10, 30)],
        ["b", "Beta", None, 7, -1.5, False, None],
    ]
    path = workbook(tmp_path / "v.xlsx", {"boards": rows})
    table = read_workbook(path)["boards"]
    assert table.header == rows[0]
    assert table.rows == [
        (2, ["a", "Alpha", "2021-04-01", "45000", "0.25", "TRUE", "2021-04-01 10:30:00"]),
        (3, ["b", "Beta", "", "7", "-1.5", "FALSE"]),
    ]


def test_shared_strings_rich_text_escapes_and_the_1904_calendar(tmp_path):
    # What Excel writes (openpyxl writes inline strings): a shared-string table with a rich-text
    # run, a phonetic guide that is not text, and _xHHHH_ escapes; a workbook on the Mac calendar.
    strings = [
        "<t>id</t>",
        "<t>name</t>",
        "<t>when</t>",
        "<r><t>Care </t></r><r><rPr><b/></rPr><t>Charity</t></r><rPh sb='0' eb='1'><t>ケア</t></rPh>",
        "<t>a_x005F_x0041_b</t>",  # a literal "_x0041_" kept as typed
        "<t>tab_x0009_kept</t>",
    ]
    path = streamed_workbook(
        tmp_path / "s.xlsx",
        {
            "boards": lambda: [
                '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>',
                '<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="s"><v>3</v></c><c r="C2" s="1"><v>1</v></c></row>',
                '<row r="3"><c r="A3" t="s"><v>5</v></c><c r="B3" t="str"><f>B2</f><v>Care Charity</v></c></row>',
            ]
        },
        shared_strings=strings,
        date_style=True,
        date1904=True,
    )
    table = read_workbook(path)["boards"]
    assert table.header == ["id", "name", "when"]
    assert table.rows == [(2, ["a_x0041_b", "Care Charity", "1904-01-02"]), (3, ["tab\tkept", "Care Charity"])]


# --------------------------------------------------------------------------------------
# 1. a stale stored size


def test_a_stale_sheet_size_does_not_drop_rows(tmp_path):
    xlsx = csv_folder_as_workbook(LEEDS, tmp_path / "leeds.xlsx")
    rewrite_sheet(
        xlsx,
        "relationships",
        lambda x: x.replace(
            x[x.index("<dimension") : x.index("/>", x.index("<dimension")) + 2], '<dimension ref="A1:H3"/>'
        ),
    )
    with zipfile.ZipFile(xlsx) as z:
        assert '<dimension ref="A1:H3"/>' in z.read(sheet_part(xlsx, "relationships")).decode()
    A = lcpgraph.load(xlsx)
    assert A.number_of_edges() == lcpgraph.load(LEEDS).number_of_edges()
    _graphs_equal(A, lcpgraph.load(LEEDS))


# --------------------------------------------------------------------------------------
# 2. Excel error cells


@pytest.mark.parametrize("error", ["#REF!", "#N/A", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"])
def test_excel_error_cells_are_located_errors(tmp_path, error):
    tables = minimal_tables()
    tables["organisations"][2][2] = error  # openpyxl stores these as error cells (t="e")
    path = workbook(tmp_path / "e.xlsx", tables)
    with pytest.raises(ValidationError) as exc:
        read_workbook(path)
    assert _problems(exc) == [
        f"e.xlsx, sheet 'organisations', row 3, column 'sector': cell C3 holds the Excel error {error}; "
        "fix the formula or type the value"
    ]


def test_a_formula_that_computed_an_error_is_a_located_error(tmp_path):
    path = workbook(tmp_path / "e.xlsx", minimal_tables())
    rewrite_sheet(
        path,
        "partnerships",
        lambda x: x.replace(inline_cell("C2", "lcp").replace(' xml:space="preserve"', ""), ""),
    )
    rewrite_sheet(
        path,
        "partnerships",
        lambda x: x.replace("</row></sheetData>", '<c r="E2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row></sheetData>'),
    )
    with pytest.raises(ValidationError, match=r"row 2, column '\(column 5\)': cell E2 holds the Excel error #DIV/0!"):
        read_workbook(path)


# --------------------------------------------------------------------------------------
# 3. formulas


def test_a_formula_with_no_saved_result_is_a_located_error(tmp_path):
    tables = minimal_tables()
    tables["organisations"][1][1] = '=UPPER("care charity")'  # openpyxl saves no result
    path = workbook(tmp_path / "f.xlsx", tables)
    with pytest.raises(ValidationError) as exc:
        read_workbook(path)
    assert _problems(exc) == [
        "f.xlsx, sheet 'organisations', row 2, column 'name': cell B2 holds a formula with no saved result; "
        "open the workbook in Excel and save it, or type the value"
    ]


def test_a_formula_with_a_saved_result_reads_as_that_result(tmp_path):
    tables = minimal_tables()
    tables["organisations"][1][1] = '=UPPER("care charity")'
    tables["partnerships"][0].append("population")
    tables["partnerships"][1].append("=2*21000")
    path = workbook(tmp_path / "f.xlsx", tables)
    # what Excel writes on saving: the formula and its result (text results have t="str")
    rewrite_sheet(
        path,
        "organisations",
        lambda x: x.replace("<v />", "<v>CARE CHARITY</v>").replace('<c r="B2">', '<c r="B2" t="str">'),
    )
    rewrite_sheet(path, "partnerships", lambda x: x.replace("<v />", "<v>42000</v>"))
    tables = read_workbook(path)
    assert tables["organisations"].rows[0] == (2, ["org-a", "CARE CHARITY", "third sector", "list 2024"])
    assert tables["partnerships"].rows[0] == (2, ["lcp-n", "North LCP", "lcp", "list 2024", "42000"])


def test_a_formula_whose_saved_result_is_empty_text_reads_as_empty(tmp_path):
    tables = minimal_tables()
    tables["organisations"][0].append("area")
    tables["organisations"][1].append('=IF(1,"","x")')
    path = workbook(tmp_path / "f.xlsx", tables)
    rewrite_sheet(
        path, "organisations", lambda x: x.replace('<c r="E2">', '<c r="E2" t="str">').replace("<v />", "<v></v>")
    )
    assert read_workbook(path)["organisations"].rows[0] == (2, ["org-a", "Care Charity", "third sector", "list 2024"])


def test_the_templates_help_columns_are_ignored_whatever_they_hold(tmp_path):
    tables = minimal_tables()
    rel = tables["relationships"]
    rel[0] += ["from_name", "to_name"]
    rel[1] += ["=VLOOKUP(A2,x,2,0)", "#N/A"]  # no saved result; an error
    rel[2] += ["Hill\x7fSurgery", None]
    path = workbook(tmp_path / "h.xlsx", tables)
    table = read_workbook(path)["relationships"]
    assert table.header == ["from", "to", "kind", "source", "from_name", "to_name"]
    assert [cells for _, cells in table.rows] == [r[:4] for r in rel[1:]]


# --------------------------------------------------------------------------------------
# 4. merged cells


def test_merged_cells_over_data_rows_are_a_located_error(tmp_path):
    tables = minimal_tables()
    tables["organisations"] += [[f"org-{i}", None, "third sector", "list"] for i in "cdef"]
    tables["organisations"][3][1] = "Shared Name"
    path = tmp_path / "m.xlsx"
    workbook(path, tables)
    wb = load_workbook(path)
    wb["organisations"].merge_cells("B4:B6")
    wb["organisations"].merge_cells("K20:M22")  # beside the table, over nothing: harmless
    wb["relationships"].merge_cells("C2:D2")
    wb.save(path)
    with pytest.raises(ValidationError) as exc:
        read_workbook(path)
    assert _problems(exc) == [
        "m.xlsx, sheet 'organisations', row 4, column 'name': cells B4:B6 are merged; unmerge them and fill each row",
        "m.xlsx, sheet 'relationships', row 2, column 'kind': cells C2:D2 are merged; unmerge them and fill each cell",
    ]


# --------------------------------------------------------------------------------------
# 5. huge sheets: bounded memory, a far cell is a located error

_PEAK = """
import resource, sys
sys.path.insert(0, {repo!r})
from lcpgraph import schema
from lcpgraph.workbook import read_workbook, write_template
from lcpgraph.exceptions import ValidationError
try:
    out = read_workbook(sys.argv[1])
    print("rows", [r for r, _ in out["boards"].rows])
except ValidationError as exc:
    print("problems", *exc.problems, sep="\\n")
print("peak", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _read_in_child(path: Path) -> tuple[str, int]:
    """Read a workbook in a fresh Python; return its output and its peak memory in MB."""
    script = _PEAK.format(repo=str(REPO))
    out = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True).stdout
    peak_kb = int(out.rsplit("peak ", 1)[1])
    return out, peak_kb // 1024


@pytest.fixture(scope="module")
def baseline_mb(tmp_path_factory):
    small = streamed_workbook(
        tmp_path_factory.mktemp("small") / "small.xlsx",
        {"boards": lambda: [row_xml(1, ["id", "name", "source"]), row_xml(2, ["b1", "Board", "x"])]},
    )
    return _read_in_child(small)[1]


@pytest.mark.skipif(sys.platform != "linux", reason="peak memory read the Linux way")
def test_a_value_at_xfd1048576_is_a_located_error_in_bounded_memory(tmp_path, baseline_mb):
    path = streamed_workbook(
        tmp_path / "far.xlsx",
        {
            "boards": lambda: [
                row_xml(1, ["id", "name", "source"]),
                row_xml(2, ["b1", "Board", "x"]),
                '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>stray</t></is></c></row>',
            ]
        },
        dimension="A1:XFD1048576",  # what Excel stores once that cell is used
    )
    out, peak = _read_in_child(path)
    assert (
        "far.xlsx, sheet 'boards', row 1048576: cell XFD1048576 holds a value far to the right of the table "
        "(column 16,384); lcpgraph reads the first 200 columns of a sheet. Delete it, or move it into the table"
    ) in out
    assert peak - baseline_mb < 200, f"reading took {peak - baseline_mb} MB"


@pytest.mark.skipif(sys.platform != "linux", reason="peak memory read the Linux way")
def test_a_million_formatted_rows_are_streamed_not_padded(tmp_path, baseline_mb):
    def rows():
        yield row_xml(1, ["id", "name", "source"])
        yield row_xml(2, ["b1", "Board", "x"])
        for r in range(3, 1_048_577):  # formatted but empty, as a whole-sheet format leaves them
            yield f'<row r="{r}"><c r="A{r}" s="0"/><c r="XFD{r}" s="0"/></row>'

    path = streamed_workbook(tmp_path / "million.xlsx", {"boards": rows}, dimension="A1:XFD1048576")
    out, peak = _read_in_child(path)
    assert "rows [2]" in out
    assert peak - baseline_mb < 200, f"reading took {peak - baseline_mb} MB"


def test_values_beyond_the_column_limit_are_located_and_blank_cells_there_are_not(tmp_path):
    path = streamed_workbook(
        tmp_path / "w.xlsx",
        {
            "boards": lambda: [
                row_xml(1, ["id", "name", "source"]),
                '<row r="2">'
                + inline_cell("A2", "b1")
                + inline_cell("B2", "Board")
                + inline_cell("C2", "x")
                + '<c r="GR2" t="inlineStr"><is><t>ok: column 200</t></is></c><c r="ZZ2" s="3"/></row>',
                '<row r="3">' + inline_cell("A3", "b2") + inline_cell("GS3", "column 201") + "</row>",
            ]
        },
    )
    with pytest.raises(ValidationError) as exc:
        read_workbook(path)
    assert _problems(exc) == [
        "w.xlsx, sheet 'boards', row 3: cell GS3 holds a value far to the right of the table (column 201); "
        "lcpgraph reads the first 200 columns of a sheet. Delete it, or move it into the table"
    ]


def test_limits_on_filled_cells_part_size_and_problems_listed(tmp_path, monkeypatch):
    path = workbook(tmp_path / "w.xlsx", minimal_tables())
    monkeypatch.setattr(wbmod, "MAX_CELLS", 10)
    with pytest.raises(LcpGraphError, match=r"holds more than 10 filled cells"):
        read_workbook(path)
    monkeypatch.undo()
    monkeypatch.setattr(wbmod, "MAX_PART_BYTES", 100)
    with pytest.raises(
        LcpGraphError,
        match=r"w.xlsx: cannot be read as an Excel workbook \(.xlsx\): its part 'xl/worksheets/sheet\d.xml' is 0 MB uncompressed",
    ):
        read_workbook(path)
    monkeypatch.undo()
    tables = minimal_tables()
    tables["organisations"] += [[f"o{i}", "#REF!", "third sector", "x"] for i in range(5)]
    monkeypatch.setattr(wbmod, "MAX_PROBLEMS_PER_SHEET", 3)
    with pytest.raises(ValidationError) as exc:
        read_workbook(workbook(tmp_path / "p.xlsx", tables))
    assert len(exc.value.problems) == 4
    assert (
        str(exc.value.problems[-1]) == "p.xlsx, sheet 'organisations': … and 2 more problems like these on this sheet"
    )


# --------------------------------------------------------------------------------------
# 6. sheet names


def test_sheet_names_ignore_case_and_surrounding_spaces(tmp_path):
    tables = {f"  {k.title()} ": v for k, v in minimal_tables().items()}
    G = lcpgraph.load(workbook(tmp_path / "w.xlsx", tables))
    assert G.number_of_nodes() == 4 and G.number_of_edges() == 3


def test_two_sheets_for_one_table_is_an_error_naming_both(tmp_path):
    tables = minimal_tables()
    tables["Boards"] = tables.pop("boards")
    tables["boards "] = [["id", "name", "source"], ["board-x", "Other", "x"]]
    with pytest.raises(ValidationError) as exc:
        read_workbook(workbook(tmp_path / "w.xlsx", tables))
    assert _problems(exc) == ["w.xlsx: sheets 'Boards' and 'boards ' are both the table 'boards'; keep one of them"]


@pytest.mark.parametrize(
    ("title", "table"),
    [
        ("organisation", "organisations"),
        ("Relationship", "relationships"),
        ("organisatons", "organisations"),
        ("Organizations", "organisations"),
        ("board", "boards"),
    ],
)
def test_a_sheet_named_close_to_a_table_is_an_error_not_dropped_data(tmp_path, title, table):
    tables = minimal_tables()
    tables[title] = tables.pop(table) if title.lower() != table else tables[table]
    with pytest.raises(ValidationError) as exc:
        read_workbook(workbook(tmp_path / "w.xlsx", tables))
    assert _problems(exc) == [
        f"w.xlsx, sheet '{title}': sheet '{title}' is not a known table; did you mean '{table}'? Rename the sheet "
        f"to '{table}' to read it, or start its name with '_' if it is not data"
    ]


def test_other_sheets_are_skipped_with_a_notice_and_help_sheets_silently(tmp_path):
    tables = minimal_tables()
    for title in ("README", "Notes", "_people", "Instructions", "lists", "lookup"):
        tables[title] = [["anything"], ["at all"]]
    path = workbook(tmp_path / "w.xlsx", tables)
    notices: list[str] = []
    assert set(read_workbook(path, notices=notices)) == {"organisations", "partnerships", "boards", "relationships"}
    known = "organisations, partnerships, boards, people, relationships, sectors, place, ratings"
    assert notices == [
        f"skipped sheet '{t}': not a table lcpgraph reads (known: {known})" for t in ("README", "Notes", "_people")
    ]
    assert set(read_workbook(path)) == set(read_workbook(path, notices=[]))  # notices are optional


def test_an_empty_sheet_and_a_blank_header_row_are_located(tmp_path):
    tables = minimal_tables()
    tables["boards"] = []
    tables["partnerships"] = [[None], *tables["partnerships"][1:]]
    with pytest.raises(ValidationError) as exc:
        read_workbook(workbook(tmp_path / "w.xlsx", tables))
    assert _problems(exc) == [
        "w.xlsx, sheet 'partnerships', row 1: row 1 is blank: the first row must name the columns (id, name, …)",
        "w.xlsx, sheet 'boards': is empty: expected a header row naming the columns",
    ]


# --------------------------------------------------------------------------------------
# 7. control characters


def test_control_characters_are_located_errors(tmp_path):
    tables = minimal_tables()
    tables["organisations"][1][1] = "Care\x7fCharity"  # DEL: openpyxl writes it
    tables["boards"][1][1] = "Health\nBoard"  # a line break is text, not an error
    path = workbook(tmp_path / "c.xlsx", tables)
    # BEL cannot be in XML at all: Excel writes it escaped, as _x0007_
    rewrite_sheet(path, "partnerships", lambda x: x.replace(">North LCP<", ">North_x0007_LCP<"))
    with pytest.raises(ValidationError) as exc:
        read_workbook(path)
    assert _problems(exc) == [
        "c.xlsx, sheet 'organisations', row 2, column 'name': cell B2 holds an invisible control character (U+007F), "
        "which breaks saving to other formats; retype the cell (it was probably pasted from another program)",
        "c.xlsx, sheet 'partnerships', row 2, column 'name': cell B2 holds an invisible control character (U+0007), "
        "which breaks saving to other formats; retype the cell (it was probably pasted from another program)",
    ]


# --------------------------------------------------------------------------------------
# 8. damaged and hostile files


def _damaged(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    good = workbook(tmp_path / "good.xlsx", minimal_tables())
    cases: dict[str, tuple[Path, str]] = {}
    (tmp_path / "text.xlsx").write_text("id,name\n")
    cases["not a zip"] = (tmp_path / "text.xlsx", "it is not a zip file")
    (tmp_path / "empty.xlsx").write_bytes(b"")
    cases["empty"] = (tmp_path / "empty.xlsx", "the file is empty")
    with zipfile.ZipFile(tmp_path / "nowb.xlsx", "w") as z:
        z.writestr("hello.txt", "hi")
    cases["no workbook.xml"] = (tmp_path / "nowb.xlsx", "it is a zip file but holds no workbook")
    # Excel saves a password-protected workbook as an OLE compound file, as it does .xls files
    (tmp_path / "locked.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    cases["encrypted"] = (tmp_path / "locked.xlsx", "it is password-protected")
    data = good.read_bytes()
    # a zip whose parts are encrypted (the flag bit 0 of each central-directory entry)
    flagged = bytearray(data)
    at = flagged.find(b"PK\x01\x02")
    while at != -1:
        flagged[at + 8] |= 1
        at = flagged.find(b"PK\x01\x02", at + 4)
    (tmp_path / "zipcrypt.xlsx").write_bytes(bytes(flagged))
    cases["encrypted zip"] = (tmp_path / "zipcrypt.xlsx", "encrypted")
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    cases["truncated"] = (tmp_path / "cut.xlsx", "zip is damaged")
    (tmp_path / "folder.xlsx").mkdir()
    cases["a folder"] = (tmp_path / "folder.xlsx", "is a folder, not an Excel workbook file")
    os.symlink(tmp_path / "nowhere.xlsx", tmp_path / "broken.xlsx")
    cases["broken link"] = (tmp_path / "broken.xlsx", "is a broken symbolic link")
    bad_xml = tmp_path / "badxml.xlsx"
    bad_xml.write_bytes(data)
    rewrite_sheet(bad_xml, "boards", lambda x: x[: len(x) // 2])
    cases["broken XML"] = (bad_xml, "sheet 'boards' is damaged")
    no_part = tmp_path / "nopart.xlsx"
    no_part.write_bytes(data)
    rewrite_part(
        no_part, "xl/_rels/workbook.xml.rels", lambda x: x.replace("worksheets/sheet3.xml", "worksheets/gone.xml")
    )
    cases["missing sheet"] = (no_part, "sheet 'boards' has no content")
    entity = tmp_path / "entity.xlsx"
    entity.write_bytes(data)
    rewrite_sheet(entity, "boards", lambda x: '<!DOCTYPE w [<!ENTITY a "aaaa">]>' + x)
    cases["DTD"] = (entity, "declares a document type")
    bad_ref = tmp_path / "badref.xlsx"
    bad_ref.write_bytes(data)
    rewrite_sheet(bad_ref, "boards", lambda x: x.replace('r="A2"', 'r="A-2"'))
    cases["bad cell name"] = (bad_ref, "(.xlsx): sheet 'boards': a cell is named 'A-2'")
    return cases


def test_damaged_and_hostile_files_are_one_error_naming_the_path(tmp_path):
    for what, (path, message) in _damaged(tmp_path).items():
        with pytest.raises(LcpGraphError) as exc:
            read_workbook(path)
        assert not isinstance(exc.value, ValidationError), what
        assert str(exc.value).startswith(f"{path}: "), what
        assert message in str(exc.value), (what, str(exc.value))


def test_damaged_files_never_print_a_traceback(tmp_path):
    for what, (path, _) in _damaged(tmp_path).items():
        r = CliRunner().invoke(main, ["validate", str(path)])
        assert r.exit_code == 2, (what, r.output)
        assert "Traceback" not in r.output and str(path.name) in r.output, what


# --------------------------------------------------------------------------------------
# the template

ROWS = 2000  # write_template's default
DATA_SHEETS = [*schema.TABLES, "place"]
JARGON = ("node", "provenance", "vocabulary", "iso", ".csv", "table", "--")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return write_template(tmp_path_factory.mktemp("template") / "t.xlsx")


@pytest.fixture(scope="module")
def small_template(tmp_path_factory) -> Path:
    """A template with fewer rows prepared: quicker to fill in with openpyxl."""
    return write_template(tmp_path_factory.mktemp("template") / "small.xlsx", rows=50)


def _example_count(wb) -> int:
    return sum(
        1 for t in schema.TABLES for row in wb[t].iter_rows(min_row=2, values_only=True) if schema.EXAMPLE_SOURCE in row
    )


def _fill(path: Path, *, keep_examples: bool = False) -> None:
    """Fill the template as a person would in Excel (but with openpyxl, which saves no formula results).

    The example rows are cleared (or, with ``keep_examples``, given a real source); clearing
    rather than deleting keeps each row's look-up formulas beside it, as Excel would.
    """
    wb = load_workbook(path)
    for table, cols in schema.TABLES.items():
        ws = wb[table]
        for r in range(2, ws.max_row + 1):
            if ws.cell(r, len(cols)).value == schema.EXAMPLE_SOURCE:
                for j in range(1, len(cols) + 1):
                    ws.cell(r, j).value = (
                        "illustrative"
                        if keep_examples and j == len(cols)
                        else (ws.cell(r, j).value if keep_examples else None)
                    )
    orgs = wb["organisations"]
    orgs.append(["org-a", "Care Charity", "Third Sector", "citywide", "", "befriending", "", "list 2024"])
    orgs.append(["org-b", "Hill Surgery", "primary care", "local", "", "", "GB-NHS-B86001", "list 2024"])
    wb["partnerships"].append(["lcp-n", "North LCP", "lcp", "", 45000, "list 2024"])
    wb["boards"].append(["board-h", "Health and Wellbeing Board", "city", "", "list 2024"])
    rel = wb["relationships"]
    rows = [
        ["org-a", "lcp-n", "member_of", None, dt.datetime(2021, 4, 1), None, "", "list 2024"],
        ["org-b", "lcp-n", "member_of", 2, None, None, "", "list 2024"],
        ["lcp-n", "board-h", "reports_to", None, None, None, "", "list 2024"],
    ]
    first = 5 if keep_examples else 2  # rows whose look-up formulas (columns I and J) stay in place
    for i, row in enumerate(rows, start=first):
        for j, v in enumerate(row, start=1):
            rel.cell(i, j).value = v
    wb.save(path)


def test_template_is_the_same_bytes_every_time(tmp_path, template):
    again = write_template(tmp_path / "again.xlsx")
    assert again.read_bytes() == template.read_bytes()
    small = [write_template(tmp_path / f"s{i}.xlsx", rows=10).read_bytes() for i in (1, 2)]
    assert small[0] == small[1] != template.read_bytes()


def test_template_sheets_and_headers(template):
    wb = load_workbook(template)
    assert wb.sheetnames == ["Instructions", *schema.TABLES, "place", "lists", "lookup"]
    for table, cols in schema.TABLES.items():
        help_cols = list(schema.TEMPLATE_HELP_COLUMNS.get(table, ()))
        assert [c.value for c in wb[table][1]] == [c.name for c in cols] + help_cols
    assert [c.value for c in wb["place"][1]] == ["key", "value", "meaning"]
    assert {s.title for s in wb.worksheets if s.sheet_state == "hidden"} == {"lists", "lookup"}


def test_template_example_rows_are_marked_and_refused_until_changed(template):
    wb = load_workbook(template)
    for table in schema.TABLES:
        ws = wb[table]
        examples = [
            row for row in ws.iter_rows(min_row=2) if row[len(schema.TABLES[table]) - 1].value == schema.EXAMPLE_SOURCE
        ]
        assert examples, table
        for row in examples:
            assert all(c.font.i and c.font.color.rgb.endswith("808080") for c in row[: len(schema.TABLES[table])])
    with pytest.raises(ValidationError) as exc:
        lcpgraph.load(template)
    assert len(exc.value.problems) == _example_count(wb) == 7
    assert {(p.column, p.message) for p in exc.value.problems} == {
        ("source", "this is the template's example row; delete it, or write where the row came from to keep it")
    }


def _validations(ws, cell: str) -> list:
    return [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]


def test_every_column_has_a_plain_prompt(template):
    wb = load_workbook(template)
    for sheet in DATA_SHEETS:
        ws = wb[sheet]
        last = ROWS + 1 if sheet != "place" else ws.max_row
        for head in ws[1]:
            letter = head.column_letter
            found = _validations(ws, f"{letter}2")
            assert len(found) == 1 and f"{letter}{last}" in found[0].sqref, (sheet, head.value)
            dv = found[0]
            assert dv.showInputMessage and dv.prompt and dv.promptTitle.startswith(head.value), (sheet, head.value)
            assert len(dv.prompt) <= 255 and len(dv.promptTitle) <= 32
            assert not any(word in dv.prompt.lower() for word in JARGON), (sheet, head.value, dv.prompt)
            assert dv.prompt.endswith("."), dv.prompt
    source = _validations(wb["organisations"], "H2")[0]
    assert source.prompt == "Where this row came from: a document, a website, or 'illustrative' for invented examples."


def test_fixed_values_have_drop_downs_of_exactly_the_schemas_values(template):
    wb = load_workbook(template)
    lists = wb["lists"]
    checked = 0
    for table, cols in schema.TABLES.items():
        for j, c in enumerate(cols, start=1):
            if not c.choices:
                continue
            (dv,) = _validations(wb[table], f"{wb[table].cell(1, j).column_letter}2")
            assert dv.type == "list" and dv.formula1.startswith("lists!$")
            rng = dv.formula1.split("!")[1].replace("$", "")
            values = [cell.value for row in lists[rng] for cell in row]
            expected = list(schema.SECTORS) if c.name == "sector" else list(c.choices)
            assert values == expected, (table, c.name)
            checked += 1
    assert checked == 7  # three sectors, scope, type, level, kind


def test_from_and_to_choose_among_the_ids_and_show_the_names(template):
    wb = load_workbook(template)
    rel, lookup = wb["relationships"], wb["lookup"]
    for letter in "AB":
        (dv,) = _validations(rel, f"{letter}2")
        assert dv.type == "list" and dv.formula1 == f"OFFSET(lookup!$E$2,0,0,MAX(1,lookup!$C${4 * ROWS + 2}),1)"
    # the look-up gathers every id and name row of the four record sheets, in order
    assert lookup["A3"].value == '=TRIM(organisations!$A2&"")'
    assert lookup["B3"].value == '=TRIM(organisations!$B2&"")'
    assert lookup[f"A{3 + ROWS}"].value == '=TRIM(partnerships!$A2&"")'
    assert lookup[f"B{2 + 4 * ROWS}"].value == f'=TRIM(people!$B{ROWS + 1}&"")'
    assert lookup[f"E{4 * ROWS}"].value.startswith(f'=IF({4 * ROWS - 1}>$C${4 * ROWS + 2},"",INDEX(')
    header = [c.value for c in rel[1]]
    for name, ref in (("from_name", "A"), ("to_name", "B")):
        col = header.index(name) + 1
        for row in (2, ROWS + 1):
            f = rel.cell(row, col).value
            assert f.startswith(f'=IF(TRIM({ref}{row})="",""') and "lookup!$B$3" in f and f"MATCH(TRIM({ref}{row})" in f
        assert rel.cell(ROWS + 2, col).value is None


def test_only_the_lookups_are_formulas(template):
    wb = load_workbook(template)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert ws.title == "lookup" or (ws.title == "relationships" and cell.column_letter in "IJ"), cell


def test_template_text_is_written_formula_safe(tmp_path, monkeypatch):
    example = dict(wbmod._EXAMPLES["organisations"][0], name='=HYPERLINK("http://x","click")')
    monkeypatch.setitem(wbmod._EXAMPLES, "organisations", [example])
    wb = load_workbook(write_template(tmp_path / "t.xlsx", rows=5))
    cell = wb["organisations"]["B2"]
    assert cell.data_type == "s" and cell.value == '\'=HYPERLINK("http://x","click")'


def test_instructions_walk_through_with_an_example_and_list_every_column(template):
    wb = load_workbook(template)
    text = [r[0] for r in wb["Instructions"].iter_rows(values_only=True) if r and r[0]]
    joined = "\n".join(text)
    assert "lcpgraph validate FILE.xlsx" in joined
    assert "where this row came from: a document, a website, or 'illustrative' for invented examples" in joined
    assert schema.EXAMPLE_SOURCE in joined and "Example Community Trust" in joined
    steps = [line for line in text if line[:2] in {f"{i}." for i in range(1, 10)}]
    assert len(steps) == 8
    reference = {(r[0], r[1]) for r in wb["Instructions"].iter_rows(values_only=True) if r[0] in schema.TABLES}
    expected = {(t, c.name) for t, cols in schema.TABLES.items() for c in cols}
    expected |= {(t, h) for t, hs in schema.TEMPLATE_HELP_COLUMNS.items() for h in hs}
    assert reference == expected
    kinds = {r[0] for r in wb["Instructions"].iter_rows(values_only=True)} & set(schema.RELATIONSHIP_KINDS)
    assert kinds == set(schema.RELATIONSHIP_KINDS)


def test_place_sheet_lists_every_key_with_its_default(template):
    from lcpgraph.place import PLACE_KEYS, Place

    wb = load_workbook(template)
    rows = list(wb["place"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == list(PLACE_KEYS)
    assert all(r[1] is None for r in rows)
    meaning = {r[0]: r[2] for r in rows}
    d = Place()
    assert meaning["place_scope"].endswith(f"Default: {d.place_scope}.")
    assert meaning["max_units_per_partner"].endswith(f"Default: {d.max_units_per_partner}.")
    assert meaning["focus_sectors"].endswith(f"Default: {'; '.join(d.focus_sectors)}.")
    assert meaning["unit_types"].endswith(f"Default: {'; '.join(d.unit_types)}.")
    assert all(m and "See the lcpgraph documentation" not in m for m in meaning.values())


def test_template_filled_in_by_hand_loads(tmp_path, small_template):
    path = tmp_path / "t.xlsx"
    path.write_bytes(small_template.read_bytes())
    _fill(path)
    wb = load_workbook(path)
    keys = {row[0].value: row[1] for row in wb["place"].iter_rows(min_row=2)}
    keys["name"].value, keys["unit_short"].value = "Testshire", "ILT"
    wb.save(path)
    G = lcpgraph.load(path)
    assert G.number_of_nodes() == 4 and G.number_of_edges() == 3
    assert G.nodes["org-a"]["sector"] == "third sector"
    assert G.nodes["lcp-n"]["population"] == 45000.0
    assert G.edges["org-a", "lcp-n", 0]["start"] == "2021-04-01"  # an Excel date cell
    assert G.edges["org-b", "lcp-n", 1]["weight"] == 2.0
    assert "from_name" not in G.edges["org-a", "lcp-n", 0]
    assert G.graph["place"].name == "Testshire" and G.graph["place"].unit_short == "ILT"
    r = CliRunner().invoke(main, ["validate", str(path)])
    assert r.exit_code == 0 and "4 records and 3 relationships" in r.output, r.output


def test_template_examples_given_a_source_load_too(tmp_path, small_template):
    path = tmp_path / "t.xlsx"
    path.write_bytes(small_template.read_bytes())
    _fill(path, keep_examples=True)
    G = lcpgraph.load(path)
    assert G.number_of_nodes() == 8 and G.number_of_edges() == 6
    assert G.has_edge("person-example-chair", "lcp-example")


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_the_lookups_compute_in_a_spreadsheet_program(tmp_path):
    # LibreOffice opens the filled template, calculates every formula and saves it, as Excel would.
    path = write_template(tmp_path / "t.xlsx", rows=30)
    _fill(path)
    wb = load_workbook(path)
    wb["people"]["A3"], wb["people"]["B3"], wb["people"]["C3"], wb["people"]["E3"] = (
        "person-y",
        "Y Person",
        "Chair",
        "x",
    )
    for j, v in enumerate(["person-y", "board-h", "chairs", None, None, None, None, "x"], start=1):
        wb["relationships"].cell(6, j).value = v
    wb["relationships"]["A20"] = "nobody"
    wb.save(path)
    out = tmp_path / "out"
    subprocess.run(
        ["soffice", "--headless", "--calc", "--convert-to", "xlsx", "--outdir", str(out), str(path)],
        check=True,
        capture_output=True,
        timeout=240,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    saved = out / "t.xlsx"
    values = load_workbook(saved, data_only=True)
    rel = values["relationships"]
    names = [(r[8], r[9]) for r in rel.iter_rows(min_row=2, max_row=7, values_only=True)]
    assert names == [
        ("Care Charity", "North LCP"),
        ("Hill Surgery", "North LCP"),
        ("North LCP", "Health and Wellbeing Board"),
        (None, None),
        ("Y Person", "Health and Wellbeing Board"),
        (None, None),
    ]
    assert rel["I20"].value == "(not on the other sheets yet)"
    ids = [values["lookup"][f"E{i}"].value for i in range(2, 9)]
    assert ids == ["org-a", "org-b", "lcp-n", "board-h", "person-y", None, None]
    # lcpgraph reads the file as the spreadsheet program saved it: the look-ups' results are
    # ignored, the one unfinished row is the only problem
    notices: list[str] = []
    rel_table = read_workbook(saved, notices=notices)["relationships"]
    assert notices == []
    assert rel_table.rows[0] == (2, ["org-a", "lcp-n", "member_of", "", "2021-04-01", "", "", "list 2024"])
    with pytest.raises(ValidationError) as exc:
        lcpgraph.load(saved)
    assert {(p.row, p.column) for p in exc.value.problems} == {(20, "from"), (20, "to"), (20, "kind"), (20, "source")}


def test_template_never_replaces_someones_work(tmp_path):
    path = write_template(tmp_path / "t.xlsx", rows=10)
    write_template(path, rows=10)  # the same template again: nothing is lost
    _fill(path)
    filled = path.read_bytes()
    with pytest.raises(LcpGraphError, match="already exists and is not this template as lcpgraph wrote it"):
        write_template(path, rows=10)
    assert path.read_bytes() == filled
    r = CliRunner().invoke(main, ["template", str(path)])
    assert r.exit_code == 2 and "--force" in r.output and path.read_bytes() == filled
    r = CliRunner().invoke(main, ["template", "--force", str(path)])
    assert r.exit_code == 0 and path.read_bytes() == write_template(tmp_path / "u.xlsx").read_bytes()


def test_errors_name_sheet_row_and_column(tmp_path, small_template):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(small_template.read_bytes())
    _fill(path)
    wb = load_workbook(path)
    wb["organisations"]["C3"] = "Primery care"
    wb.save(path)
    with pytest.raises(
        ValidationError,
        match=r"bad.xlsx, sheet 'organisations', row 3, column 'sector': "
        r"sector 'Primery care' is not known; did you mean 'primary care'\?",
    ):
        lcpgraph.load(path)


def test_cli_template(tmp_path):
    r = CliRunner().invoke(main, ["template", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 0 and (tmp_path / "x.xlsx").exists()
    r = CliRunner().invoke(main, ["template", str(tmp_path / "x.csv")])
    assert r.exit_code == 2
