"""Excel workbooks: a template filled in by hand loads; errors name the sheet, row and column."""

import datetime as dt

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

import lcpgraph
from lcpgraph import schema
from lcpgraph.cli import main
from lcpgraph.exceptions import LcpGraphError, ValidationError
from lcpgraph.workbook import write_template


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


def test_unknown_sheet_and_not_a_workbook(tmp_path):
    wb = Workbook()
    wb.active.title = "organisatons"
    wb.save(tmp_path / "w.xlsx")
    with pytest.raises(
        ValidationError, match=r"sheet 'organisatons' is not a known table; did you mean 'organisations'"
    ):
        lcpgraph.load(tmp_path / "w.xlsx")
    (tmp_path / "fake.xlsx").write_text("not a zip")
    with pytest.raises(LcpGraphError, match="cannot be read as an Excel workbook"):
        lcpgraph.load(tmp_path / "fake.xlsx")
    r = CliRunner().invoke(main, ["validate", str(tmp_path / "fake.xlsx")])
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_cli_template(tmp_path):
    r = CliRunner().invoke(main, ["template", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 0 and (tmp_path / "x.xlsx").exists()
    r = CliRunner().invoke(main, ["template", str(tmp_path / "x.csv")])
    assert r.exit_code == 2
