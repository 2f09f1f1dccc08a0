"""Excel workbooks: every problem a workbook can hide is a located error, or is read right.

The template tests are at the end. Bad workbooks are built in each test (see tests/workbooks.py).
"""

from __future__ import annotations

import datetime as dt
import os
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
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    cases["truncated"] = (tmp_path / "cut.xlsx", "zip is damaged")
    (tmp_path / "folder.xlsx").mkdir()
    cases["a folder"] = (tmp_path / "folder.xlsx", "is a folder, not an Excel workbook file")
    os.symlink(tmp_path / "nowhere.xlsx", tmp_path / "broken.xlsx")
    cases["broken link"] = (tmp_path / "broken.xlsx", "is a broken symbolic link")
    bad_xml = tmp_path / "badxml.xlsx"
    bad_xml.write_bytes(data)
    rewrite_sheet(bad_xml, "boards", lambda x: x[: len(x) // 2])
    cases["broken XML"] = (bad_xml, "it is damaged")
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
    cases["bad cell name"] = (bad_ref, "a cell is named 'A-2'")
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


def _fill(path):
    wb = load_workbook(path)
    wb["organisations"].append(
        ["org-a", "Care Charity", "Third Sector", "citywide", "", "befriending", "", "list 2024"]
    )
    wb["organisations"].append(["org-b", "Hill Surgery", "primary care", "local", "", "", "GB-NHS-B86001", "list 2024"])
    wb["partnerships"].append(["lcp-n", "North LCP", "lcp", "", 45000, "list 2024"])
    wb["boards"].append(["board-h", "Health and Wellbeing Board", "city", "", "list 2024"])
    wb["relationships"].append(["org-a", "lcp-n", "member_of", None, dt.datetime(2021, 4, 1), None, "", "list 2024"])
    wb["relationships"].append(["org-b", "lcp-n", "member_of", 2, None, None, "", "list 2024"])
    wb["relationships"].append(["lcp-n", "board-h", "reports_to", None, None, None, "", "list 2024"])
    wb.save(path)


def test_template_filled_in_by_hand_loads(tmp_path):
    path = write_template(tmp_path / "t.xlsx")
    _fill(path)
    G = lcpgraph.load(path)
    assert G.number_of_nodes() == 4 and G.number_of_edges() == 3
    assert G.nodes["org-a"]["sector"] == "third sector"
    assert G.nodes["lcp-n"]["population"] == 45000.0
    assert G.edges["org-a", "lcp-n", 0]["start"] == "2021-04-01"  # an Excel date cell
    assert G.edges["org-b", "lcp-n", 1]["weight"] == 2.0
    r = CliRunner().invoke(main, ["validate", str(path)])
    assert r.exit_code == 0 and "4 records and 3 relationships" in r.output


def test_template_has_headers_instructions_and_drop_downs(tmp_path):
    wb = load_workbook(write_template(tmp_path / "t.xlsx"))
    assert wb.sheetnames[0] == "Instructions"
    for table, cols in schema.TABLES.items():
        assert [c.value for c in wb[table][1]] == [c.name for c in cols]
    assert wb["lists"].sheet_state == "hidden"
    formulas = {dv.formula1 for dv in wb["organisations"].data_validations.dataValidation}
    sectors_col = [c.value for c in wb["lists"]["A"]][1:]
    assert sectors_col == list(schema.SECTORS)
    assert any("lists!$A$2" in f for f in formulas)
    kinds = {dv.formula1 for dv in wb["relationships"].data_validations.dataValidation}
    assert any("lists!$E$2" in f for f in kinds)


def test_errors_name_sheet_row_and_column(tmp_path):
    path = write_template(tmp_path / "bad.xlsx")
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
