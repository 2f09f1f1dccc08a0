"""The survey workbooks: written deterministically, filled in, collected, scored; damage is located."""

import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import lcpgraph
from lcpgraph.cli import main
from lcpgraph.exceptions import LcpGraphError, ValidationError
from lcpgraph.survey.instrument import (
    ANSWERS_SHEET,
    COMBINED_SHEET,
    FIRST_ROW,
    META_SHEET,
    collect,
    merge_ratings,
    write_workbooks,
)
from lcpgraph.survey.questions import INTENSITIES, ITEMS, SCALE
from lcpgraph.survey.ratings import read_ratings

from .test_survey_ratings import tiny_folder

MILLBROOK = Path(__file__).parent.parent / "data" / "examples" / "millbrook"


def _data(tmp_path) -> Path:
    """A copy of the invented Millbrook example without its ratings."""
    dest = tmp_path / "millbrook"
    shutil.copytree(MILLBROOK, dest)
    (dest / "ratings.csv").unlink()
    return dest


def _answer(path: Path, answers: dict[str, list], day="15/03/2026") -> None:
    """Fill a respondent's workbook as openpyxl (and so Excel) would: partner id -> answer cells C..L."""
    wb = load_workbook(path)
    ws = wb[ANSWERS_SHEET]
    ws["B3"] = day
    for row in range(FIRST_ROW, ws.max_row + 1):
        pid = ws.cell(row=row, column=13).value
        for j, v in enumerate(answers.get(pid, []), start=3):
            ws.cell(row=row, column=j, value=v)
    wb.save(path)


def test_one_workbook_per_partner_plus_a_combined_one_same_bytes_every_time(tmp_path):
    G = lcpgraph.load(_data(tmp_path))
    first = write_workbooks(G, tmp_path / "one", unit="North Millbrook", wave="2026")
    again = write_workbooks(G, tmp_path / "two", unit="lcp-mb-north", wave="2026")
    assert [p.name for p in first] == [p.name for p in again]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    # the 8 organisation members of North Millbrook, named by file_slug, and the combined workbook first
    assert [p.name for p in first] == [
        "all-partners.xlsx",
        "brookside-housing-association.xlsx",
        "millbrook-adult-social-care.xlsx",
        "millbrook-carers-centre.xlsx",
        "millbrook-community-health.xlsx",
        "millbrook-public-health.xlsx",
        "north-millbrook-food-bank.xlsx",
        "northgate-surgery.xlsx",
        "riverside-medical-practice.xlsx",
    ]
    other = write_workbooks(G, tmp_path / "three", unit="North Millbrook", wave="2027")
    assert other[1].read_bytes() != first[1].read_bytes()  # the wave is in the workbook


def test_a_workbook_has_the_questions_drop_downs_and_locked_names(tmp_path):
    G = lcpgraph.load(_data(tmp_path))
    path = write_workbooks(G, tmp_path / "s", unit="North Millbrook", wave="2026")[7]
    wb = load_workbook(path)
    assert wb.sheetnames == ["Instructions", ANSWERS_SHEET, "lists", META_SHEET]
    assert wb["lists"].sheet_state == "hidden" and wb[META_SHEET].sheet_state == "veryHidden"
    text = " ".join(str(c.value) for row in wb["Instructions"].iter_rows() for c in row if c.value)
    for name, meaning in INTENSITIES:
        assert name in text and meaning in text
    for item in ITEMS:
        assert item.question in text
    for words in SCALE:
        assert words in text
    ws = wb[ANSWERS_SHEET]
    assert ws["B4"].value == "Northgate Surgery" and ws["B2"].value == "2026"
    partners = [ws.cell(row=r, column=1).value for r in range(FIRST_ROW, ws.max_row + 1)]
    assert len(partners) == 7 and "Northgate Surgery" not in partners  # never rates itself
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    last = FIRST_ROW + 6
    assert lists[f"C{FIRST_ROW}:C{last}"] == "=lists!$A$2:$A$3"  # yes / no
    assert lists[f"E{FIRST_ROW}:E{last}"] == "=lists!$C$2:$C$5"  # the four levels
    assert all(lists[f"{c}{FIRST_ROW}:{c}{last}"] == "=lists!$D$2:$D$5" for c in "FGHIJK")  # 1-4 scale
    assert [c.value for c in wb["lists"]["D"]][1:] == [
        "1 not at all",
        "2 a small amount",
        "3 a fair amount",
        "4 a great deal",
    ]
    assert ws.protection.sheet
    assert ws.cell(row=FIRST_ROW, column=1).protection.locked and not ws.cell(row=FIRST_ROW, column=3).protection.locked


def test_template_fill_collect_score_round_trip(tmp_path):
    data = _data(tmp_path)
    runner = CliRunner()
    r = runner.invoke(
        main,
        ["survey", "template", str(data), "--unit", "North Millbrook", "--wave", "2026", "-o", str(tmp_path / "out")],
    )
    assert r.exit_code == 0, r.output
    returned = tmp_path / "returned"
    returned.mkdir()
    for name in ("northgate-surgery.xlsx", "north-millbrook-food-bank.xlsx"):
        shutil.copy(tmp_path / "out" / name, returned / name)
    _answer(
        returned / "northgate-surgery.xlsx",
        {
            "org-mb-food-bank": [
                "yes",
                "monthly",
                "cooperation",
                "3 a fair amount",
                "4 a great deal",
                4,
                2,
                2,
                1,
                "warm",
            ],
            "org-mb-riverside": ["yes", "weekly or more", "integration", 4, 4, 4, 3, 3, 3],
            "org-mb-housing": ["no"],
            # four partners left unanswered: missing
        },
    )
    _answer(
        returned / "north-millbrook-food-bank.xlsx",
        {"org-mb-north-surgery": ["yes", "monthly", "coordination", 2, 2, 2, 4, 4, 4], "org-mb-carers": ["no"]},
        day="2026-03-20",
    )
    (returned / "~$northgate-surgery.xlsx").write_bytes(b"Excel's lock file")
    (returned / "notes.txt").write_text("not a workbook")
    r = runner.invoke(main, ["survey", "collect", str(returned), "-o", str(data / "ratings.csv"), "--data", str(data)])
    assert r.exit_code == 0, r.output
    assert "Wave 2026: 2 of 8 partners replied (25%)." in r.output
    assert "Not replied: Brookside Housing Association; Millbrook Adult Social Care" in r.output
    assert "Northgate Surgery (4)" in r.output  # left 4 partners unanswered
    G = lcpgraph.load(data)
    ratings = read_ratings(G)
    # every partner on each respondent's list has a row: 5 answered, 9 asked and not answered (blank)
    assert len(ratings) == 14 and ratings["works_with"].notna().sum() == 5
    row = ratings[(ratings["respondent"] == "org-mb-north-surgery") & (ratings["partner"] == "org-mb-food-bank")].iloc[
        0
    ]
    assert (row["intensity"], row["reliability"], row["mission"], row["resources"], row["note"]) == (2, 3, 4, 1, "warm")
    assert row["date"] == "2026-03-15" and row["wave"] == "2026" and row["frequency"] == "monthly"
    assert set(ratings[ratings["respondent"] == "org-mb-food-bank"]["date"]) == {"2026-03-20"}
    r = runner.invoke(main, ["survey", "scores", str(data), "--unit", "North Millbrook"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "2 of the 8 partners surveyed replied (25%) in wave 2026." in r.output
    assert "below 70%" in r.output and "between" in r.output  # the sensitivity range is said
    r = runner.invoke(main, ["survey", "scores", str(data), "--show", "organisations", "--format", "csv"])
    assert r.exit_code == 0, r.output
    orgs = pd.read_csv(io.StringIO(r.output)).set_index("id")
    # the food bank is rated by Northgate only: trust (3 + 4 + 4) / 3, value (2 + 2 + 1) / 3
    assert orgs.loc["org-mb-food-bank", ["trust", "trust_raters", "value", "value_raters"]].tolist() == [
        3.67,
        1,
        1.67,
        1,
    ]
    assert orgs.loc["org-mb-north-surgery", "trust"] == 2.0 and bool(orgs.loc["org-mb-north-surgery", "responded"])
    assert not orgs.loc["org-mb-carers", "responded"]


def _survey(tmp_path, wave="2026") -> tuple[Path, list[Path]]:
    G = lcpgraph.load(tiny_folder(tmp_path / "data"))
    out = tmp_path / f"s{wave}"
    return out, write_workbooks(G, out, wave=wave)


def _problem(folder: Path):
    with pytest.raises(ValidationError) as err:
        collect(folder)
    return err.value.problems


def test_collected_answers_and_who_has_not_replied(tmp_path):
    out, _ = _survey(tmp_path)
    _answer(out / "ash.xlsx", {"b": ["yes", "", "coordination", 4, 4, 4, 3, 3, 3], "c": ["no"], "d": ["no"]})
    _answer(out / "birch.xlsx", {"a": ["yes", "monthly"]})  # Birch answers about Ash only
    got = collect(out)
    assert [(r["respondent"], r["partner"], r["works_with"], r["intensity"]) for r in got.rows] == [
        ("a", "b", "yes", "coordination"),
        ("a", "c", "no", None),
        ("a", "d", "no", None),
        ("b", "a", "yes", None),
        ("b", "c", None, None),  # on Birch's list, not answered: a blank row
        ("b", "d", None, None),
    ]
    assert got.rows[0]["source"] == "partner survey workbook ash.xlsx" and got.rows[0]["date"] == "2026-03-15"
    assert got.not_replied("2026") == [("c", "Cedar"), ("d", "Dee")]
    assert got.unanswered == {("2026", "b"): 2}


def test_the_combined_workbook_collects_too(tmp_path):
    out, _ = _survey(tmp_path)
    wb = load_workbook(out / "all-partners.xlsx")
    ws = wb[COMBINED_SHEET]
    for row in range(FIRST_ROW, ws.max_row + 1):
        r, p = ws.cell(row=row, column=15).value, ws.cell(row=row, column=16).value
        if r == "d":  # Dee answered on paper
            ws.cell(row=row, column=4, value="01/04/2026")
            ws.cell(row=row, column=5, value="yes" if p == "a" else "no")
    wb.save(out / "all-partners.xlsx")
    got = collect(out)
    assert [(r["respondent"], r["partner"], r["works_with"], r["date"]) for r in got.rows] == [
        ("d", "a", "yes", "2026-04-01"),
        ("d", "b", "no", "2026-04-01"),
        ("d", "c", "no", "2026-04-01"),
    ]
    assert [n for n, _ in got.not_replied("2026")] == ["a", "b", "c"]
    # the same answers in the respondent's own workbook too: located in both places
    _answer(out / "dee.xlsx", {"a": ["yes"]})
    problems = _problem(out)
    assert any(p.path.startswith("dee.xlsx") and "all-partners.xlsx" in p.message for p in problems), problems


@pytest.mark.parametrize(
    "damage,where,row,column,fragment",
    [
        ("bad_value", "ash.xlsx, sheet 'Your answers'", FIRST_ROW, "Reliable", "off the scale"),
        ("bad_level", "ash.xlsx, sheet 'Your answers'", FIRST_ROW, "How closely?", "is not one of"),
        ("no_with_ratings", "ash.xlsx, sheet 'Your answers'", FIRST_ROW, "Reliable", "works_with is 'no'"),
        ("bad_date", "ash.xlsx, sheet 'Your answers'", 3, "Date you answered", "is not a date"),
        ("changed_id", "ash.xlsx, sheet 'Your answers'", FIRST_ROW, "Partner id", "not one of the partners"),
        ("deleted_row", "ash.xlsx, sheet 'Your answers'", None, None, "is missing"),
        ("moved_column", "ash.xlsx, sheet 'Your answers'", 6, "C", "the header should be"),
        ("renamed_sheet", "ash.xlsx", None, None, "has no sheet 'Your answers'"),
        ("meta_changed", "ash.xlsx", None, None, "hidden details were changed"),
        ("meta_gone", "ash.xlsx", None, None, "not a survey workbook"),
        ("not_a_workbook", "ash.xlsx", None, None, "cannot be read as an Excel workbook"),
        ("truncated", "ash.xlsx", None, None, "cannot be read"),
    ],
)
def test_damaged_or_tampered_workbooks_are_located_never_a_traceback(tmp_path, damage, where, row, column, fragment):
    out, _ = _survey(tmp_path)
    path = out / "ash.xlsx"
    _answer(path, {"b": ["yes", "", "cooperation", 3]})
    wb = load_workbook(path)
    ws = wb[ANSWERS_SHEET]
    if damage == "bad_value":
        ws["F8"] = 5
    elif damage == "bad_level":
        ws["E8"] = "merged"
    elif damage == "no_with_ratings":
        ws["C8"] = "no"
        ws["E8"] = None
    elif damage == "bad_date":
        ws["B3"] = "next Tuesday"
    elif damage == "changed_id":
        ws["M8"] = "zz"
    elif damage == "deleted_row":
        ws.delete_rows(FIRST_ROW + 2)
    elif damage == "moved_column":
        ws.insert_cols(3)
    elif damage == "renamed_sheet":
        ws.title = "Answers"
    elif damage == "meta_changed":
        wb[META_SHEET]["B5"] = "2027"  # the wave
    elif damage == "meta_gone":
        del wb[META_SHEET]
    wb.save(path)
    if damage == "not_a_workbook":
        path.write_bytes(b"this is not a zip file")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:2000])
    problems = _problem(out)
    assert any(p.path == where and p.row == row and p.column == column and fragment in p.message for p in problems), (
        problems
    )
    r = CliRunner().invoke(main, ["survey", "collect", str(out), "-o", str(tmp_path / "ratings.csv")])
    assert r.exit_code == 2 and "Traceback" not in r.output and fragment in r.output
    assert not (tmp_path / "ratings.csv").exists()


def test_template_never_overwrites_files_it_did_not_write_nor_answers(tmp_path):
    G = lcpgraph.load(tiny_folder(tmp_path / "data"))
    out = tmp_path / "s"
    out.mkdir()
    (out / "birch.xlsx").write_bytes(b"someone else's file")
    with pytest.raises(LcpGraphError, match=r"birch\.xlsx: already exists and was not written by lcpgraph"):
        write_workbooks(G, out, wave="2026")
    assert sorted(p.name for p in out.iterdir()) == ["birch.xlsx"]  # nothing written
    (out / "birch.xlsx").unlink()
    write_workbooks(G, out, wave="2026")
    write_workbooks(G, out, wave="2026")  # untouched workbooks: replaced
    _answer(out / "cedar.xlsx", {"a": ["yes"]})
    with pytest.raises(LcpGraphError, match=r"cedar\.xlsx: has answers in it"):
        write_workbooks(G, out, wave="2027")
    assert collect(out).rows[0]["respondent"] == "c"  # still there
    write_workbooks(G, out, wave="2027", overwrite=True)
    assert collect(out).rows == []


def test_collect_keeps_other_waves_and_replaces_a_wave_only_with_force(tmp_path):
    out, _ = _survey(tmp_path, wave="2026")
    _answer(out / "ash.xlsx", {"b": ["yes"]})
    ratings = tmp_path / "data" / "ratings.csv"
    ratings.write_text("respondent,partner,wave,works_with,source\nb,a,2025,yes,paper form\n", encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(main, ["survey", "collect", str(out), "-o", str(ratings)])
    assert r.exit_code == 0, r.output
    df = read_ratings(lcpgraph.load(tmp_path / "data"))
    # the 2025 row is kept; Ash's three 2026 rows (one answered, two asked and not answered) are added
    assert sorted(zip(df["wave"], df["respondent"], df["partner"], strict=True)) == [
        ("2025", "b", "a"),
        ("2026", "a", "b"),
        ("2026", "a", "c"),
        ("2026", "a", "d"),
    ]
    r = runner.invoke(main, ["survey", "collect", str(out), "-o", str(ratings)])
    assert r.exit_code == 2 and "already has 3 answers for wave 2026" in r.output
    r = runner.invoke(main, ["survey", "collect", str(out), "-o", str(ratings), "--force"])
    assert r.exit_code == 0 and len(read_ratings(lcpgraph.load(tmp_path / "data"))) == 4
    other = tmp_path / "other.csv"
    other.write_text("name,phone\nJo,123\n", encoding="utf-8")
    r = runner.invoke(main, ["survey", "collect", str(out), "-o", str(other)])
    assert r.exit_code == 2 and "not a ratings file" in r.output
    assert other.read_text(encoding="utf-8") == "name,phone\nJo,123\n"


def test_merge_ratings_keeps_rows_of_other_waves():
    kept = merge_ratings("respondent,partner,wave,works_with,source\na,b,1,no,x\n", [{"wave": "2", "respondent": "a"}])
    assert [r["wave"] for r in kept] == ["1", "2"]


def test_scores_without_ratings_is_a_clear_error(tmp_path):
    r = CliRunner().invoke(main, ["survey", "scores", str(tiny_folder(tmp_path / "d"))])
    assert r.exit_code == 2 and "has no survey answers" in r.output and "Traceback" not in r.output


def test_a_unit_of_one_organisation_is_refused(tmp_path):
    G = lcpgraph.load(tiny_folder(tmp_path / "d"))
    G.remove_edges_from([("b", "lcp-north"), ("c", "lcp-north")])
    lcpgraph.views.forget(G)
    with pytest.raises(LcpGraphError, match="at least two"):
        write_workbooks(G, tmp_path / "s", unit="North")
