"""The survey in the report and on the map, and the invented Millbrook example it is shown with."""

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import lcpgraph
from lcpgraph.cli import main
from lcpgraph.exceptions import ValidationError
from lcpgraph.survey import render, scores
from lcpgraph.survey.example import EXAMPLE_SOURCE, ratings_csv, synthetic_ratings, tiny_example
from lcpgraph.survey.ratings import read_ratings

MILLBROOK = Path(__file__).parent.parent / "data" / "examples" / "millbrook"


def test_edge_styles_width_by_intensity_colour_by_trust():
    G, r = tiny_example()
    styles = render.edge_styles(G, r)
    # either: ab ac bc bd are tied (cd unknown, ad no)
    assert sorted(styles) == [("a", "b"), ("a", "c"), ("b", "c"), ("b", "d")]
    # ab: levels 3 and 2 -> coordination (the higher); trust 4 and 3 -> 3.5: the top band
    assert styles[("a", "b")]["width"] == render.EDGE_WIDTHS[3] and styles[("a", "b")]["color"] == "#5e3c99"
    # ac: integration; trust 2 and 2 -> 2.0: the second band
    assert styles[("a", "c")]["width"] == render.EDGE_WIDTHS[4] and styles[("a", "c")]["color"] == "#fdb863"
    assert "Ash – Cedar: integration; trust 2.0 of 4 (2 ratings)" in styles[("a", "c")]["title"]
    # both: only ab and ac are confirmed
    assert sorted(render.edge_styles(G, r, rule="both")) == [("a", "b"), ("a", "c")]
    del G.graph["ratings_table"]
    assert render.edge_styles(G) == {}
    assert len(render.edge_legend()) == len(render.TRUST_COLOURS) + 1 + 4


def test_report_section_is_escaped_and_says_the_rule():
    G, r = tiny_example(waves=2)
    G.nodes["a"]["name"] = '<script>alert("x")</script> & Co'
    html = render.report_section(G, r)
    assert "<script" not in html and "&lt;script&gt;" in html and "&amp; Co" in html
    assert "How partners rate their relationships" in html
    assert "either: a pair works together when either side says so" in html
    assert "4 of the 4 partners surveyed replied (100%) in wave 2." in html
    assert "What changed since the last wave" in html
    for title in ("Who replied", "Which findings survive the missing answers", "How partners rate each other"):
        assert title in html
    del G.graph["ratings_table"]
    assert render.report_section(G) == ""


def test_unit_section_and_findings_for_a_unit():
    G, r = tiny_example()
    html = render.unit_section(G, r, "lcp-north")
    assert html.startswith('<div id="survey">') and "3 of the 3 partners surveyed replied (100%)" in html
    assert "Dee" not in html  # not in the unit
    G.add_node("lcp-empty", kind="partnership", type="local partnership", name="Empty")
    lcpgraph.views.forget(G)
    assert render.unit_section(G, r, "lcp-empty") == ""


def test_findings_say_the_range_or_that_it_holds():
    G, r = tiny_example()
    said = render.findings(G, r)
    # density: 80% by either, 50% by both, 75% by respondent: a 30-point range
    assert said[2] == (
        "80% of pairs of partners work together, but it depends on the missing answers: between 50% and 80% "
        "under the three rules."
    )
    # trust 62.5% (either), 68.75% (both): within 10 points; halves round up
    assert said[3].startswith("Partners trust each other at 63% of the top of the scale; this holds")
    assert render.findings(G, r, rule="both")[2].startswith("50% of pairs of partners work together")


# --------------------------------------------------------------------------------------
# the invented Millbrook example


def test_the_example_is_invented_every_row_says_so_and_it_can_be_made_again():
    for f in sorted(MILLBROOK.glob("*.csv")):
        rows = pd.read_csv(f, dtype=str, keep_default_na=False)
        assert (rows["source"] == EXAMPLE_SOURCE).all(), f.name
    G = lcpgraph.load(MILLBROOK)
    assert all(n.startswith(("org-mb-", "lcp-mb-")) for n in G)
    text = (MILLBROOK / "ratings.csv").read_text(encoding="utf-8")
    assert ratings_csv(synthetic_ratings(G)) == text  # the seed makes the same file


def test_the_example_has_non_respondents_and_a_non_trivial_sensitivity_range():
    G = lcpgraph.load(MILLBROOK)
    ratings = read_ratings(G)
    rates = scores.response_rates(G, ratings)
    overall = rates[rates["scope"] == "network"].set_index("wave")
    assert overall["surveyed"].tolist() == [12, 12]
    assert overall["responded"].tolist() == [8, 9]  # four did not reply in 2024, three in 2025
    assert bool(overall.loc["2024", "low"]) and not bool(overall.loc["2025", "low"])
    sens = scores.sensitivity(G, ratings, wave="2025")
    density = sens[(sens["scope"] == "network") & (sens["measure"] == "density_pct")].iloc[0]
    assert density["spread"] > scores.FIRM_SPREAD and density["verdict"] == "depends on the missing answers"


def test_example_figures_in_the_readme_text_are_what_the_code_makes():
    docs = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    r = CliRunner().invoke(main, ["survey", "scores", str(MILLBROOK), "--wave", "2025"], env={"COLUMNS": "160"})
    assert r.exit_code == 0, r.output
    for sentence in r.output.split("\n\n", 1)[0].splitlines():
        assert sentence in docs, sentence


def test_a_ratings_sheet_in_a_workbook_dataset_is_validated_and_located(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    sheets = {
        "organisations": [
            ["id", "name", "sector", "source"],
            ["a", "Ash", "third sector", "x"],
            ["b", "Birch", "housing", "x"],
        ],
        "partnerships": [["id", "name", "type", "source"], ["p", "North", "lcp", "x"]],
        "relationships": [["from", "to", "kind", "source"], ["a", "p", "member_of", "x"]],
        "ratings": [
            ["respondent", "partner", "wave", "works_with", "reliability", "source"],
            ["a", "b", 2025, True, 3, "x"],  # Excel's TRUE and numbers are read as yes and 3
            ["b", "a", 2025, "yes", 7, "x"],
        ],
    }
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(tmp_path / "data.xlsx")
    with pytest.raises(ValidationError) as err:
        lcpgraph.load(tmp_path / "data.xlsx")  # loading checks the ratings like every other sheet
    assert [(p.path, p.row, p.column) for p in err.value.problems] == [("data.xlsx, sheet 'ratings'", 3, "reliability")]
    wb["ratings"].delete_rows(3)  # without the bad row
    wb.save(tmp_path / "data.xlsx")
    G = lcpgraph.load(tmp_path / "data.xlsx")
    assert read_ratings(G)[["respondent", "partner", "reliability"]].values.tolist() == [["a", "b", 3]]
    assert read_ratings(G)["works_with"].tolist() == [True]
