"""Loading and validation: the graph built from a tiny dataset, and every kind of bad input."""

import shutil

import networkx as nx
import pytest

import lcpgraph
from lcpgraph.exceptions import LcpGraphError, ValidationError

from .conftest import FIXTURES, dataset


def test_tiny_graph_has_every_record_and_relationship():
    G = lcpgraph.load(FIXTURES / "tiny")
    assert isinstance(G, nx.MultiDiGraph)
    # 4 organisations + 2 partnerships + 1 board + 1 person, counted from the CSVs by eye
    assert G.number_of_nodes() == 8
    assert G.number_of_edges() == 8
    assert G.nodes["org-charity"] == {
        "kind": "organisation",
        "name": "Care Charity",
        "sector": "third sector",
        "scope": "citywide",
        "services": ("befriending",),
        "identifiers": ("GB-CHC-1234567",),
        "source": "illustrative",
    }
    assert G.nodes["lcp-north"]["population"] == 40000.0
    assert "population" not in G.nodes["lcp-south"]  # blank cells are left out
    assert G.nodes["person-chair"]["kind"] == "person"
    assert G.edges["org-trust", "board-hwb", 4]["weight"] == 2.0
    assert G.edges["org-gp", "lcp-north", 0]["weight"] == 1.0
    assert G.edges["lcp-north", "board-hwb", 6]["start"] == "2021-04-01"
    assert "org-lonely" in G and G.degree("org-lonely") == 0  # isolated, but kept
    assert G.graph["name"] == "tiny"


def test_optional_tables_may_be_missing():
    G = lcpgraph.load(FIXTURES / "no_boards_or_people")
    assert {k for _, k in G.nodes(data="kind")} == {"organisation", "partnership"}


def test_excel_csv_utf8_with_bom_and_crlf_loads_like_plain_utf8():
    G = lcpgraph.load(FIXTURES / "excel_bom")
    assert G.nodes["org-gp"]["name"] == "Hôpital Surgery"
    assert "id" not in G.nodes["org-gp"]  # the BOM did not glue itself to the first header
    assert G.number_of_edges() == lcpgraph.load(FIXTURES / "tiny").number_of_edges()


def test_other_encodings_get_advice_and_can_be_named():
    with pytest.raises(
        ValidationError, match=r"organisations.csv, row 3, column 'name': is not valid utf-8-sig.*CSV UTF-8"
    ):
        lcpgraph.load(dataset("not_utf8"))
    G = lcpgraph.load(dataset("not_utf8"), encoding="cp1252")
    assert G.nodes["org-gp"]["name"] == "Café Surgery"


# Each bad fixture differs from tiny/ in one place; the message names file, row and column.
BAD_INPUTS = [
    ("missing_column", r"organisations.csv, row 1, column 'sector': required column 'sector' is missing"),
    ("empty_file", r"boards.csv: is empty"),
    ("duplicate_ids", r"boards.csv, row 3, column 'id': id 'org-gp' is already used at .*organisations.csv, row 3"),
    (
        "unknown_reference",
        r"relationships.csv, row 10, column 'from': 'org-charty' is not the id .*did you mean 'org-charity'",
    ),
    (
        "kind_not_allowed",
        r"relationships.csv, row 10, column 'kind': 'reports_to' cannot join a board \('board-hwb'\) to a organisation",
    ),
    (
        "unknown_sector",
        r"organisations.csv, row 4, column 'sector': sector 'Thrid sector' is not known; did you mean 'third sector'\?",
    ),
    (
        "unknown_kind",
        r"relationships.csv, row 10, column 'kind': kind 'membr_of' is not known; did you mean 'member_of'\?",
    ),
    ("self_loop", r"relationships.csv, row 10, column 'to': relationship from 'org-gp' to itself"),
    ("end_before_start", r"relationships.csv, row 10, column 'end': end 2021-01-31 is before start 2022-05-01"),
    ("bad_population", r"partnerships.csv, row 3, column 'population': population 'about 50k' is not a number"),
    ("blank_name", r"boards.csv, row 3, column 'name': name is blank"),
    ("unknown_table", r"'organisation.csv' is not a known table; did you mean 'organisations'"),
]


@pytest.mark.parametrize("name,message", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_each_kind_of_bad_input_is_reported_with_file_row_and_column(name, message):
    with pytest.raises(ValidationError, match=message) as info:
        lcpgraph.load(dataset(name))
    assert len(info.value.problems) == 1


def test_every_problem_is_reported_at_once():
    with pytest.raises(ValidationError) as info:
        lcpgraph.load(dataset("many_problems"))
    text = str(info.value)
    assert text.startswith("4 problems found:")
    for fragment in ("column 'name': name is blank", "sector 'Thrid sector'", "to itself", "'nobody' is not the id"):
        assert fragment in text


def test_two_organisations_may_share_a_name(tmp_path):
    shutil.copytree(FIXTURES / "tiny", tmp_path / "d")
    with open(tmp_path / "d" / "organisations.csv", "a") as f:
        f.write("org-gp-2,Hill Surgery,primary care,local,,,illustrative\n")
    G = lcpgraph.load(tmp_path / "d")
    assert G.nodes["org-gp"]["name"] == G.nodes["org-gp-2"]["name"] == "Hill Surgery"


def test_repeated_relationship_row_is_an_error_not_a_double_count(tmp_path):
    shutil.copytree(FIXTURES / "tiny", tmp_path / "d")
    with open(tmp_path / "d" / "relationships.csv", "a") as f:
        f.write("org-charity,org-gp,works_with,,,,,illustrative\n")  # row 9 reversed: same tie
    with pytest.raises(ValidationError, match=r"row 10, column 'from': duplicate relationship.*already at row 9"):
        lcpgraph.load(tmp_path / "d")


def test_sectors_csv_extends_the_vocabulary(tmp_path):
    shutil.copytree(dataset("unknown_sector"), tmp_path / "d")
    (tmp_path / "d" / "sectors.csv").write_text("sector\nThrid sector\n")
    G = lcpgraph.load(tmp_path / "d")
    assert G.nodes["org-lonely"]["sector"] == "thrid sector"
    assert "thrid sector" in G.graph["sectors"]


def test_vocabulary_matching_ignores_case_and_separators(tmp_path):
    shutil.copytree(FIXTURES / "tiny", tmp_path / "d")
    p = tmp_path / "d" / "relationships.csv"
    p.write_text(p.read_text().replace("org-gp,lcp-north,member_of", "org-gp,lcp-north,Member Of"))
    G = lcpgraph.load(tmp_path / "d")
    assert G.edges["org-gp", "lcp-north", 0]["kind"] == "member_of"


def test_uk_dates_from_excel_are_read_as_iso(tmp_path):
    shutil.copytree(FIXTURES / "tiny", tmp_path / "d")
    p = tmp_path / "d" / "relationships.csv"
    p.write_text(p.read_text().replace("2021-04-01", "01/04/2021"))
    assert lcpgraph.load(tmp_path / "d").edges["lcp-north", "board-hwb", 6]["start"] == "2021-04-01"


def test_missing_path_and_wrong_file_type_are_clear(tmp_path):
    with pytest.raises(LcpGraphError, match="no such file or folder"):
        lcpgraph.load(tmp_path / "nope")
    (tmp_path / "x.txt").write_text("hi")
    with pytest.raises(LcpGraphError, match="expected a folder of CSV files or an Excel workbook"):
        lcpgraph.load(tmp_path / "x.txt")


def test_missing_required_table(tmp_path):
    shutil.copytree(FIXTURES / "tiny", tmp_path / "d")
    (tmp_path / "d" / "partnerships.csv").unlink()
    with pytest.raises(ValidationError, match="the table 'partnerships' is missing"):
        lcpgraph.load(tmp_path / "d")


def test_row_with_too_many_cells(tmp_path):
    shutil.copytree(FIXTURES / "tiny", tmp_path / "d")
    with open(tmp_path / "d" / "boards.csv", "a") as f:
        f.write("board-x,Board, with comma,city,illustrative\n")
    with pytest.raises(
        ValidationError, match=r"boards.csv, row 3, column '\(column 5\)': has 5 cells but the header has 4 columns"
    ):
        lcpgraph.load(tmp_path / "d")


def test_bad_identifier(tmp_path):
    shutil.copytree(FIXTURES / "tiny", tmp_path / "d")
    p = tmp_path / "d" / "organisations.csv"
    p.write_text(p.read_text().replace("GB-NHS-RR8", "RR8"))
    with pytest.raises(ValidationError, match=r"row 5, column 'identifiers': identifier 'RR8' is not an org-id"):
        lcpgraph.load(tmp_path / "d")
