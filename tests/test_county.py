"""Another place: every command on the invented county gives the right, non-zero answers, in its words.

tests/fixtures/county/README.md works the memberships out by hand; the figures below follow from it.
"""

import json

import pytest
from click.testing import CliRunner

from lcpgraph.cli import main

from .conftest import FIXTURES

COUNTY = str(FIXTURES / "county")


def _json(args):
    r = CliRunner().invoke(main, [args[0], COUNTY, *args[1:], "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def test_summary_counts_each_localitys_members():
    data = _json(["summary"])
    rows = {r["name"]: r["members"] for r in data["partners_per_lcp"]}
    assert rows == {"East Shire": 5, "Market Harborough": 6, "North Shire": 6}


def test_gaps_in_the_countys_words():
    r = CliRunner().invoke(main, ["gaps", COUNTY], env={"COLUMNS": "100"})
    assert r.exit_code == 0
    assert "Sectors missing from each locality" in r.output and "LCP" not in r.output
    data = _json(["gaps"])
    assert [x["name"] for x in data["isolated_partners"]] == ["Lonely Lane Charity"]
    assert {x["name"]: x["missing_sectors"] for x in data["missing_sectors"]} == {
        "East Shire": "housing",
        "North Shire": "housing",
        "Market Harborough": "",
    }
    assert data["unreported_lcps"] == [] and data["empty_boards"] == []


def test_centrality_ranks_the_places_hubs():
    rows = _json(["centrality", "--top", "3"])
    # The localities join their sub-localities to the boards: the three go-betweens of the place.
    assert [r["name"] for r in rows] == ["North Shire", "Market Harborough", "East Shire"]
    rows = _json(["centrality", "--kind", "organisation", "--top", "1"])
    # Among partners, Shire Adult Social Care sits in all three localities, the HWB and the place board.
    assert rows[0]["name"] == "Shire Adult Social Care" and rows[0]["betweenness"] > 0


def test_brokerage_finds_the_cross_sector_broker():
    rows = _json(["brokerage", "--top", "1"])
    assert rows[0]["name"] == "Shire Adult Social Care" and rows[0]["liaison"] > 0


def test_duplicates_do_not_flag_a_locality_and_its_sub_locality():
    data = _json(["duplicates"])
    assert data["duplicate_records"] == []  # Market Harborough locality and sub-locality: parent and child
    assert any(r["forums"] >= 3 for r in data["meeting_burden"])


def test_communities_score_every_partner_with_one_locality():
    (row,) = _json(["communities", "--agreement"])
    # 14 organisations; Shire Mind, Social Care and Community Health are in 3, 3 and 0
    # localities and Lonely Lane in none: 10 have exactly one official locality.
    assert (row["organisations"], row["scored"], row["units"]) == (14, 10, 3)
    assert row["adjusted_rand_index"] > 0.3 and "locality" in row["in_words"]


@pytest.mark.parametrize("view", [["--view", "governance"], ["--unit", "North Shire"], ["--partner", "Shire Mind"]])
def test_maps_of_the_county(tmp_path, view):
    r = CliRunner().invoke(main, ["map", COUNTY, *view, "-o", str(tmp_path / "m.html")])
    assert r.exit_code == 0, r.output
    html = (tmp_path / "m.html").read_text()
    assert "LCP" not in html.split("<script>")[0]  # the page's own words come from the place


def test_the_county_report(tmp_path):
    r = CliRunner().invoke(main, ["report", COUNTY, "-o", str(tmp_path / "r"), "-q"])
    assert r.exit_code == 0, r.output
    index = (tmp_path / "r" / "index.html").read_text()
    assert "<h1>Shire (an invented county): partnership network report</h1>" in index
    page = (tmp_path / "r" / "units" / "north-shire.html").read_text()
    assert "Locality · 6 members." in page
    assert "Northtown Surgery" in page and "Hillbury Surgery" in page  # members through their sub-locality
    assert "Shire Integrated Care Board" in page.split("Reporting line")[1]
