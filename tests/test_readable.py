"""For people who are not analysts: readable tables, explanations, names that find ids, partial results."""

import shutil

import pytest
from click.testing import CliRunner

import lcpgraph
from lcpgraph import catalogue
from lcpgraph.cli import main
from lcpgraph.exceptions import ValidationError
from lcpgraph.fixids import name_fixes, write_fixed
from lcpgraph.place import place_of

from .conftest import FIXTURES, dataset

TABLE_COMMANDS = [["gaps"], ["centrality"], ["brokerage"], ["duplicates"], ["communities"], ["summary"]]


@pytest.mark.parametrize("args", TABLE_COMMANDS, ids=lambda a: a[0])
def test_every_table_command_fits_a_100_column_terminal(args):
    r = CliRunner().invoke(main, args, env={"COLUMNS": "100"})
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert "<NA>" not in r.output and "nan" not in r.output.split()
    assert "..." not in r.output  # nothing is cut off: long cells wrap


def test_gaps_put_names_first_and_no_ids():
    r = CliRunner().invoke(main, ["gaps", "--show", "peripheral"], env={"COLUMNS": "100"})
    head = r.output.splitlines()
    assert head[0] == "Peripheral third sector partners"  # a heading, then one plain sentence
    columns = next(line for line in head if line.startswith("Name"))
    assert columns.split()[:2] == ["Name", "Sector"]
    assert "org-" not in r.output  # ids are for csv and json


def test_numbers_are_rounded_and_shares_are_percentages():
    r = CliRunner().invoke(main, ["centrality", "--top", "3"], env={"COLUMNS": "120"})
    row = next(line for line in r.output.splitlines() if line.startswith("HATCH"))
    assert "%" in row  # the go-between score is a share of routes
    assert not any(len(tok.split(".")[-1]) > 3 for tok in row.split() if tok.replace(".", "").isdigit())


def test_no_header_is_a_bare_technical_term_without_its_explanation():
    G = lcpgraph.load()
    place = place_of(G)
    tables = catalogue.run(G)
    jargon = {
        "betweenness",
        "closeness",
        "eigenvector",
        "pagerank",
        "liaison",
        "coordinator",
        "itinerant",
        "boundary_spanner",
        "constraint",
        "effective_size",
        "jaccard",
        "adjusted_rand_index",
        "normalised_mutual_information",
    }
    for key, df in tables.items():
        t = catalogue.TABLES[key]
        for col in [*df.columns, *t.for_reading(df, G).columns]:
            f = t.field(col)
            assert f is not None and f.description, (key, col)  # every column is described
            header = t.header(col, place)
            assert header.lower() not in jargon and "_" not in header, (key, col, header)
            if col in jargon:
                assert f.explain, (key, col)  # and the measures say how they are computed


def test_explain_says_what_a_measure_means_and_what_to_do():
    r = CliRunner().invoke(main, ["explain", "liaison"])
    assert r.exit_code == 0
    assert "Links sectors that would not otherwise meet" in r.output and "Gould" in r.output
    r = CliRunner().invoke(main, ["explain", "go-between score"])  # the header's words find it too
    assert "shortest" in r.output
    r = CliRunner().invoke(main, ["explain", "betweeness"])
    assert r.exit_code == 2 and "closest: betweenness" in r.output


def _with_names(tmp_path):
    d = tmp_path / "d"
    shutil.copytree(FIXTURES / "tiny", d)
    p = d / "relationships.csv"
    text = p.read_text().replace("org-gp,lcp-north,member_of", "Hill Surgery,north lcp,member_of")
    text = text.replace("lcp-north,board-hwb,reports_to", "North LCP,board-hwb,reports_to")
    p.write_text(text)
    return d


def test_a_name_where_an_id_belongs_gets_the_right_suggestion(tmp_path):
    d = _with_names(tmp_path)
    with pytest.raises(ValidationError) as info:
        lcpgraph.load(d)
    text = str(info.value)
    assert "row 2, column 'from': 'Hill Surgery' is the name of org-gp, not an id: use the id" in text
    assert "row 2, column 'to': 'north lcp' is the name of lcp-north" in text
    assert "row 8, column 'from': 'North LCP' is the name of lcp-north" in text


def test_a_near_miss_lists_close_ids_and_names(tmp_path):
    d = tmp_path / "d"
    shutil.copytree(FIXTURES / "tiny", d)
    p = d / "relationships.csv"
    p.write_text(p.read_text().replace("org-gp,lcp-north,member_of", "Hill Surgey,lcp-north,member_of"))
    with pytest.raises(ValidationError, match=r"'Hill Surgey' is not the id.*did you mean .*'org-gp' \(Hill Surgery\)"):
        lcpgraph.load(d)


def test_fix_ids_writes_a_corrected_copy_and_never_touches_the_original(tmp_path):
    d = _with_names(tmp_path)
    before = (d / "relationships.csv").read_bytes()
    fixes = write_fixed(d, tmp_path / "fixed")
    assert [(f.row, f.column, f.id) for f in fixes] == [
        (2, "from", "org-gp"),
        (2, "to", "lcp-north"),
        (8, "from", "lcp-north"),
    ]
    assert (d / "relationships.csv").read_bytes() == before
    assert lcpgraph.load(tmp_path / "fixed").number_of_edges() == 8
    r = CliRunner().invoke(main, ["fix-ids", str(d), "-o", str(d)])
    assert r.exit_code == 2 and "write the corrected copy somewhere else" in r.output


def test_fix_ids_on_a_workbook(tmp_path):
    from openpyxl import Workbook

    from lcpgraph.load import read_csv_folder

    d = _with_names(tmp_path)
    wb = Workbook()
    wb.remove(wb.active)
    for name, t in read_csv_folder(d).items():
        ws = wb.create_sheet(name)
        ws.append(t.header)
        for _, cells in t.rows:
            ws.append(cells)
    src = tmp_path / "w.xlsx"
    wb.save(src)
    r = CliRunner().invoke(main, ["fix-ids", str(src), "-o", str(tmp_path / "fixed.xlsx")])
    assert r.exit_code == 0, r.output
    assert "3 cells corrected" in r.output
    assert lcpgraph.load(tmp_path / "fixed.xlsx").number_of_edges() == 8


def test_a_name_two_records_share_is_left_for_the_user(tmp_path):
    d = tmp_path / "d"
    shutil.copytree(FIXTURES / "tiny", d)
    with open(d / "organisations.csv", "a") as f:
        f.write("org-gp-2,Hill Surgery,primary care,local,,,illustrative\n")
    p = d / "relationships.csv"
    p.write_text(p.read_text().replace("org-gp,lcp-north,member_of", "Hill Surgery,lcp-north,member_of"))
    (fix,) = name_fixes(d)
    assert fix.id is None and fix.candidates == ("org-gp", "org-gp-2")
    with pytest.raises(ValidationError, match=r"'Hill Surgery' is the name of 2 records \(org-gp, org-gp-2\)"):
        lcpgraph.load(d)


def test_keep_going_runs_on_the_valid_part_and_says_what_it_left_out(tmp_path):
    d = tmp_path / "d"
    shutil.copytree(FIXTURES / "tiny", d)
    p = d / "organisations.csv"
    p.write_text(p.read_text().replace("Hill Surgery,primary care", "Hill Surgery,primry care"))
    G = lcpgraph.load(d, keep_going=True)
    # Hill Surgery's row is left out, and so are its two relationships.
    assert "org-gp" not in G and G.number_of_edges() == 6
    assert [(p.row, p.column) for p in G.graph["left_out"]] == [(3, "sector"), (2, "from"), (9, "from")]
    r = CliRunner().invoke(main, ["gaps", str(d), "--keep-going", "--show", "isolated"])
    assert r.exit_code == 0 and r.output.startswith("Partial results: 3 rows left out (--keep-going), because:")
    r = CliRunner().invoke(main, ["report", str(d), "--keep-going", "-o", str(tmp_path / "r"), "-q", "--no-maps"])
    assert r.exit_code == 0
    html = (tmp_path / "r" / "index.html").read_text()
    assert "(partial)</title>" in html and "Partial report." in html
    # without --keep-going the same data stops every command
    assert CliRunner().invoke(main, ["gaps", str(d)]).exit_code == 2


def test_keep_going_still_stops_for_a_whole_table_that_cannot_be_read(tmp_path):
    d = tmp_path / "d"
    shutil.copytree(dataset("missing_column"), d)
    with pytest.raises(ValidationError, match="required column 'sector' is missing"):
        lcpgraph.load(d, keep_going=True)
