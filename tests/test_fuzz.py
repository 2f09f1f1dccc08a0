"""Fuzzing from a valid dataset: mutate cells, columns, rows, encodings and workbooks, and the
loader, the command line and the writers only ever give a located error or a right answer.

The mutations start from ``tests/fixtures/tiny`` (and the county), so most examples get past
decoding and headers to the row checks and the graph build: the seeded sweep below asserts it.
"""

import random
import shutil
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lcpgraph
from lcpgraph import schema
from lcpgraph.cli import main
from lcpgraph.exceptions import ValidationError
from lcpgraph.files import file_slug, spreadsheet_text
from lcpgraph.load import RawTable, build_graph, read_csv_folder
from lcpgraph.render.map import _json_for_script, fill_template

from .conftest import FIXTURES

BASE = read_csv_folder(FIXTURES / "tiny")

# Values a person (or a spreadsheet) might put in a cell.
NASTY = [
    "",
    " ",
    "x",
    "org-gp",
    "org-charity",
    "lcp-north",
    "board-hwb",
    "person-chair",
    "third sector",
    "Thrid sector",
    "member_of",
    "chairs",
    "reports_to",
    "lcp",
    "citywide",
    "2021-01-01",
    "31/12/2020",
    "2020-02-30",
    "12",
    "-5",
    "1e400",
    "9" * 40,
    "NaN",
    "inf",
    "=1+1",
    "\t=cmd",
    "a\x00b",
    "a\x0bb",
    "\x1b[31m",
    "org\u200bgp",
    "org\u00a0gp",
    "e\u0301",
    "{{DATA}}",
    "<script>alert(1)</script>",
    "GB-NHS-RR8",
    "RR8; GB-CHC-1",
    ";;",
    '"',
    "a,b",
]


def _mutate(rng: random.Random, tables: dict[str, RawTable]) -> dict[str, RawTable]:
    """One random edit of a copy of ``tables``: a cell, a header, a row or a whole column."""
    out = {k: RawTable(t.name, t.where, list(t.header), [(r, list(c)) for r, c in t.rows]) for k, t in tables.items()}
    name = rng.choice(sorted(out))
    t = out[name]
    what = rng.random()
    if what < 0.55 and t.rows:  # a cell
        i = rng.randrange(len(t.rows))
        row, cells = t.rows[i]
        j = rng.randrange(max(len(cells), 1))
        value = rng.choice(NASTY) if rng.random() < 0.7 else "".join(chr(rng.randrange(1, 0x3000)) for _ in range(5))
        if j < len(cells):
            cells[j] = value
    elif what < 0.65:  # a header cell
        j = rng.randrange(len(t.header))
        t.header[j] = rng.choice(
            ["", "Name", "kind", "key", "id", "extra", "sector", "node_for_adding", t.header[j].upper()]
        )
    elif what < 0.75 and t.rows:  # a row repeated
        t.rows.append((len(t.rows) + 2, list(rng.choice(t.rows)[1])))
    elif what < 0.82 and t.rows:  # a row cut short or made long
        i = rng.randrange(len(t.rows))
        row, cells = t.rows[i]
        t.rows[i] = (row, cells[: rng.randrange(len(cells) + 1)] if rng.random() < 0.5 else [*cells, "extra"])
    elif what < 0.9:  # a column dropped
        j = rng.randrange(len(t.header))
        t.header.pop(j)
        t.rows = [(r, [c for k, c in enumerate(cells) if k != j]) for r, cells in t.rows]
    else:  # a table dropped
        if name not in schema.REQUIRED_TABLES or rng.random() < 0.3:
            out.pop(name)
    return out


def _check(tables):
    """Build, and return 'graph' / 'rows' / 'file' by how far it got; every problem is located."""
    try:
        G = build_graph(tables, where="fuzz")
    except ValidationError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.path
            if p.row is not None:
                assert p.column, p  # a row is involved: its column is named
        return "rows" if any(p.row is not None and p.row > 1 for p in exc.problems) else "file"
    assert isinstance(G, nx.MultiDiGraph)
    for _, d in G.nodes(data=True):
        assert d["kind"] in schema.NODE_KINDS  # no column overwrote lcpgraph's own attributes
    return "graph"


def test_seeded_sweep_reaches_row_checks_and_graph_building():
    rng = random.Random(20261130)
    outcomes = {"graph": 0, "rows": 0, "file": 0}
    for _ in range(600):
        tables = BASE
        for _ in range(rng.randint(1, 3)):
            tables = _mutate(rng, tables)
        outcomes[_check(tables)] += 1
    # Most mutated datasets get past the headers to the rows or all the way to a graph.
    assert outcomes["graph"] + outcomes["rows"] >= 0.8 * 600, outcomes
    assert outcomes["graph"] >= 60 and outcomes["rows"] >= 200, outcomes  # seen: 92 graphs, 419 row problems, 89 file


@st.composite
def _edits(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    rng = random.Random(seed)
    tables = BASE
    for _ in range(draw(st.integers(1, 4))):
        tables = _mutate(rng, tables)
    # and one cell of any text hypothesis likes
    name = draw(st.sampled_from(sorted(tables)))
    t = tables[name]
    if t.rows:
        i = draw(st.integers(0, len(t.rows) - 1))
        j = draw(st.integers(0, max(len(t.rows[i][1]) - 1, 0)))
        if t.rows[i][1]:
            t.rows[i][1][j] = draw(st.text(max_size=12))
    return tables


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_edits())
def test_mutated_tables_give_a_graph_or_located_problems(tables):
    _check(tables)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(["organisations", "relationships", "partnerships"]),
    st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]),
    st.integers(0, 200),
    st.binary(min_size=1, max_size=4),
)
def test_encodings_and_stray_bytes_are_located(tmp_path_factory, table, encoding, where, junk):
    d = tmp_path_factory.mktemp("enc")
    shutil.copytree(FIXTURES / "tiny", d, dirs_exist_ok=True)
    p = d / f"{table}.csv"
    text = p.read_text(encoding="utf-8").replace("Care Charity", "Café Charité")
    data = text.encode(encoding, errors="replace")
    k = min(where, len(data))
    p.write_bytes(data[:k] + junk + data[k:])
    try:
        lcpgraph.load(d)
    except ValidationError as exc:
        for prob in exc.problems:
            assert prob.path
            if prob.row is not None:
                assert prob.column, prob


def test_workbooks_mutated_like_csv_give_a_graph_or_located_problems(tmp_path):
    from openpyxl import Workbook

    rng = random.Random(7)
    outcomes = {"graph": 0, "rows": 0, "file": 0}
    for k in range(40):
        tables = BASE
        for _ in range(rng.randint(1, 3)):
            tables = _mutate(rng, tables)
        from openpyxl.utils.exceptions import IllegalCharacterError

        wb = Workbook()
        wb.remove(wb.active)
        path = tmp_path / f"w{k}.xlsx"
        try:
            for name, t in tables.items():
                ws = wb.create_sheet(name)
                ws.append(t.header)
                for _, cells in t.rows:
                    ws.append([c if not (c and c[0] == "=") else "'" + c for c in cells])
            wb.save(path)
        except IllegalCharacterError:  # openpyxl cannot even write control characters
            continue
        try:
            lcpgraph.load(path)
            outcomes["graph"] += 1
        except ValidationError as exc:
            for prob in exc.problems:
                if prob.row is not None:
                    assert prob.column, prob
            outcomes["rows" if any(p.row for p in exc.problems) else "file"] += 1
    assert outcomes["graph"] + outcomes["rows"] >= 25, outcomes


@pytest.mark.parametrize("seed", range(12))
def test_cli_on_mutated_folders_exits_0_or_2_without_a_traceback(tmp_path, seed):
    rng = random.Random(seed)
    tables = BASE
    for _ in range(2):
        tables = _mutate(rng, tables)
    d = tmp_path / "d"
    d.mkdir()
    import csv

    for name, t in tables.items():
        with open(d / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(t.header)
            w.writerows(cells for _, cells in t.rows)
    for args in (["validate"], ["gaps", "--format", "json"], ["report", "-o", str(tmp_path / "r"), "-q", "--no-maps"]):
        r = CliRunner().invoke(main, [args[0], str(d), *args[1:]])
        assert r.exit_code in (0, 2), (args, r.output, r.exception)
        assert "Traceback" not in r.output


# --- the writers ------------------------------------------------------------------------------


@given(st.text())
def test_spreadsheet_text_never_starts_with_a_formula_character(text):
    out = spreadsheet_text(text)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert out.endswith(text)


@given(st.text())
def test_file_slugs_are_always_safe(text):
    slug = file_slug(text)
    assert 1 <= len(slug) <= 60
    assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert slug.split(".")[0] not in ("con", "nul", "prn", "aux")


@given(st.dictionaries(st.sampled_from(["A", "B", "C"]), st.text(), min_size=3, max_size=3))
def test_templates_are_filled_in_one_pass(values):
    out = fill_template("{{A}}|{{B}}|{{C}}", values)
    assert out == f"{values['A']}|{values['B']}|{values['C']}"


@given(st.recursive(st.text() | st.integers(), lambda c: st.lists(c) | st.dictionaries(st.text(), c), max_leaves=10))
def test_json_in_a_script_element_cannot_close_it(value):
    import json

    text = _json_for_script(value)
    assert "</" not in text and "<!--" not in text
    assert json.loads(text) == value


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_written_text_reads_back_the_same(text):
    import tempfile

    from lcpgraph.files import write_text

    p = Path(tempfile.mkdtemp()) / "t.txt"
    write_text(p, text)
    assert p.read_bytes() == text.encode("utf-8")  # no line-end translation, no BOM
