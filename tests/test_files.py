"""Safe writing: atomic files, report folders that never swallow someone else's files, formula-safe
text, deterministic workbooks, bounded Windows-safe file names."""

import errno
import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lcpgraph.exceptions import LcpGraphError
from lcpgraph.files import (
    REPORT_MARKER,
    append_row,
    csv_text,
    file_slug,
    report_folder,
    spreadsheet_frame,
    spreadsheet_text,
    write_bytes,
    write_text,
    written_by_lcpgraph,
    xlsx_bytes,
)

from .conftest import FIXTURES

# --- single files -----------------------------------------------------------------------------


def test_write_replaces_its_own_file_but_not_someone_elses(tmp_path):
    page = tmp_path / "map.html"
    write_text(page, '<meta name="generator" content="lcpgraph">v1')
    write_text(page, '<meta name="generator" content="lcpgraph">v2')  # our own: replaced
    assert page.read_text().endswith("v2")
    notes = tmp_path / "notes.docx"
    notes.write_bytes(b"PK\x03\x04 someone's document")
    with pytest.raises(LcpGraphError, match=r"was not written by lcpgraph.*--force"):
        write_text(notes, "x")
    assert notes.read_bytes().startswith(b"PK")  # untouched
    write_text(notes, "x", overwrite=True)
    assert notes.read_text() == "x"


def test_a_csv_is_ours_when_its_header_is_the_table_we_write(tmp_path):
    out = tmp_path / "t.csv"
    write_text(out, "id,name\na,b\n", same_head=b"id,name")
    write_text(out, "id,name\nc,d\n", same_head=b"id,name")
    assert out.read_text() == "id,name\nc,d\n"
    out.write_text("budget,2024\n")  # the user's own spreadsheet
    with pytest.raises(LcpGraphError, match="not written by lcpgraph"):
        write_text(out, "id,name\n", same_head=b"id,name")


def test_no_temporary_file_is_left_when_a_write_fails(tmp_path, monkeypatch):
    target = tmp_path / "out.html"
    write_text(target, '<meta name="generator" content="lcpgraph">old')

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(LcpGraphError, match=r"out.html: cannot write: the disk is full"):
        write_text(target, '<meta name="generator" content="lcpgraph">new')
    assert target.read_text().endswith("old")
    assert [p.name for p in tmp_path.iterdir()] == ["out.html"]


@pytest.mark.parametrize(
    "err,words",
    [(errno.EROFS, "read-only"), (errno.EACCES, "permission denied"), (errno.ENAMETOOLONG, "too long")],
)
def test_file_system_refusals_are_one_line_naming_the_path(tmp_path, monkeypatch, err, words):
    import tempfile

    def refuse(*args, **kwargs):
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(LcpGraphError, match=words) as info:
        write_text(tmp_path / "x.html", "x")
    assert str(tmp_path / "x.html") in str(info.value) and "\n" not in str(info.value)


def test_a_folder_or_broken_link_where_a_file_should_go(tmp_path):
    (tmp_path / "d.html").mkdir()
    with pytest.raises(LcpGraphError, match="is a folder"):
        write_text(tmp_path / "d.html", "x")
    (tmp_path / "link.html").symlink_to(tmp_path / "nowhere")
    with pytest.raises(LcpGraphError, match="broken symbolic link"):
        write_text(tmp_path / "link.html", "x")


def test_a_kill_mid_save_leaves_the_old_file_or_the_new_one(tmp_path):
    # A child writes a 20 MB page over and over; we kill it at random moments. The target is
    # always a whole page (old or new), never a piece of one.
    target = tmp_path / "map.html"
    script = (
        "import sys; from lcpgraph.files import write_text\n"
        'head = \'<meta name="generator" content="lcpgraph">\'\n'
        "i = 0\n"
        "while True:\n"
        "    i += 1; write_text(sys.argv[1], head + str(i % 10) * 20_000_000 + 'END')\n"
    )
    for delay in (0.05, 0.2, 0.4, 0.7, 1.1):
        proc = subprocess.Popen([sys.executable, "-c", script, str(target)])
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if target.exists():
            data = target.read_bytes()
            assert data.endswith(b"END") and len(data) == len(data[:80].split(b">")[0]) + 1 + 20_000_000 + 3
    for p in tmp_path.glob(".map.html.*.tmp"):  # a killed writer may leave its temporary file,
        assert p.name.startswith(".")  # but only under a hidden name beside the target


# --- report folders ---------------------------------------------------------------------------


def test_report_refuses_a_folder_it_did_not_write_and_touches_nothing(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "organisations.csv").write_text("id,name\n")
    (data / "notes.docx").write_bytes(b"mine")
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    with (
        pytest.raises(LcpGraphError, match="is not empty and is not a report written by lcpgraph"),
        report_folder(data),
    ):
        raise AssertionError("the body must not run")
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_report_replaces_an_empty_folder_and_its_own_report(tmp_path):
    target = tmp_path / "r"
    target.mkdir()
    with report_folder(target) as stage:
        (stage / "index.html").write_text("one")
    assert (target / REPORT_MARKER).is_file() and (target / "index.html").read_text() == "one"
    with report_folder(target) as stage:
        (stage / "index.html").write_text("two")
    assert (target / "index.html").read_text() == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".r.lock", "r"]


def test_failure_leaves_the_previous_report(tmp_path):
    target = tmp_path / "r"
    with report_folder(target) as stage:
        (stage / "index.html").write_text("previous")
    with pytest.raises(RuntimeError), report_folder(target) as stage:
        (stage / "index.html").write_text("half")
        raise RuntimeError("analysis failed")
    assert (target / "index.html").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".r.lock", "r"]


def test_stale_staging_folders_of_killed_runs_are_cleaned_up(tmp_path):
    target = tmp_path / "r"
    stale = tmp_path / ".r.abc123.tmp"
    stale.mkdir()
    (stale / REPORT_MARKER).write_text("x")
    (stale / "people.csv").write_text("names of people")
    unrelated = tmp_path / ".r.notes.tmp"  # not ours (no marker): left alone
    unrelated.mkdir()
    with report_folder(target) as stage:
        (stage / "index.html").write_text("new")
    assert not stale.exists() and unrelated.exists()


def test_an_old_report_stranded_by_a_kill_between_renames_is_restored(tmp_path):
    old = tmp_path / ".r.abc.old"
    old.mkdir()
    (old / REPORT_MARKER).write_text("x")
    (old / "index.html").write_text("old report")
    with pytest.raises(RuntimeError), report_folder(tmp_path / "r"):
        raise RuntimeError("this run fails too")
    assert (tmp_path / "r" / "index.html").read_text() == "old report"


def test_two_runs_into_one_folder_cannot_interleave(tmp_path):
    target = tmp_path / "r"
    with report_folder(target), pytest.raises(LcpGraphError, match="another lcpgraph run is writing"):
        with report_folder(target):
            pass


def test_cli_report_into_the_data_folder_or_dot_exits_2_and_deletes_nothing(tmp_path, monkeypatch):
    import shutil

    from click.testing import CliRunner

    from lcpgraph.cli import main

    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "tiny", data)
    (data / "notes.docx").write_bytes(b"mine")
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    r = CliRunner().invoke(main, ["report", str(data), "-o", str(data)])
    assert r.exit_code == 2 and "is not a report written by lcpgraph" in r.output and "Traceback" not in r.output
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before
    monkeypatch.chdir(data)
    r = CliRunner().invoke(main, ["report", ".", "-o", "."])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_a_kill_during_the_report_leaves_the_old_report_or_the_new_one(tmp_path):
    site = tmp_path / "site"
    cmd = [sys.executable, "-m", "lcpgraph", "report", str(FIXTURES / "tiny"), "-o", str(site), "-q"]
    subprocess.run(cmd, check=True)
    good = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    for delay in (0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.2, 2.6):
        proc = subprocess.Popen(cmd)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == good
    subprocess.run(cmd, check=True)  # the next run cleans up what the killed ones left
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


# --- spreadsheets -----------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x","click")', "+SUM(A1:A2)", "-2+3", "@cmd", "\t=1+1", "\r=1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_text_is_quoted_for_spreadsheets(text):
    assert spreadsheet_text(text) == "'" + text


def test_csv_text_neutralises_every_text_cell_but_not_numbers():
    df = pd.DataFrame({"name": ["=1+1", "Age UK"], "n": [-2, 3], "x": [-1.5, 2.0]})
    assert csv_text(df) == "name,n,x\n'=1+1,-2,-1.5\nAge UK,3,2.0\n"


def test_formula_text_in_a_category_column_is_neutralised_too():
    df = pd.DataFrame({"kind": pd.Categorical(["=cmd|' /C calc'!A0", "board", None]), "n": [1, 2, 3]})
    assert csv_text(df) == "kind,n\n'=cmd|' /C calc'!A0,1\nboard,2\n,3\n"
    plain = pd.DataFrame({"kind": pd.Categorical(["board", "lcp"])})
    assert str(spreadsheet_frame(plain)["kind"].dtype) == "category"  # nothing to change, nothing changed


def _pandas_csv(df: pd.DataFrame) -> str:
    """What csv_text must give: formula-safe cells through pandas' own writer."""
    return spreadsheet_frame(df).to_csv(index=False, lineterminator="\n")


# Columns that have tripped CSV writers: repr-style floats, missing values of every kind,
# quoting, line breaks, formula text, and the types csv_text leaves to pandas.
AWKWARD_COLUMNS = {
    "floats": [0.1 + 0.2, 1e-7, 1e16, 1e15, -0.0, 1 / 3, 5e-324, 1.7976931348623157e308],
    "round_floats": [2.0, 1e22, 1e-4, 123456.0, 0.0, -1.0, 1e21, 9007199254740993.0],
    "floats_nan_inf": [float("nan"), float("inf"), -float("inf"), 123456789.123456789, 0.5, 100.0, 1e-5, 3.0],
    "float32": np.array([0.1, 1e-7, np.nan, 3.25, 16777217, 1e30, -2.5, 0.0], dtype="float32"),
    "ints": [0, -1, 2**62, -(2**63), 7, 10**15, 3, 42],
    "uint64": np.array([0, 2**64 - 1, 5, 6, 7, 8, 9, 10], dtype="uint64"),
    "int8": np.array([0, -128, 127, 1, 2, 3, 4, 5], dtype="int8"),
    "bools": [True, False, True, True, False, False, True, False],
    "nullable_bools": pd.array([True, None, False, True, None, False, True, False], dtype="boolean"),
    "nullable_ints": pd.array([1, None, -3, 2**40, 0, 5, None, 7], dtype="Int64"),
    "nullable_floats": pd.array([0.1, None, 1e-7, 2.0, 0.3, None, 5.5, 1.0], dtype="Float64"),
    "text": ["plain", 'say "hi"', "a,b", "two\nlines", "cr\rhere", "", " padded ", "naïve – ünïcode ☃"],
    "formulas": ["=1+1", "+SUM(A1)", "-2", "@cmd", "\t=x", "\r=y", "＝full", "fine"],
    "str_missing": pd.array(["=a", None, "b", "", None, "c,d", '"q"', "-"], dtype="str"),
    "string_na": pd.array(["=a", None, "b", "", pd.NA, "x\ny", "e", "@"], dtype="string"),
    "object_mixed": ["=a", None, float("nan"), pd.NA, 3, 2.5, True, "x"],
    "object_numpy": [np.float64(0.1 + 0.2), np.int64(5), np.bool_(True), pd.NaT, None, "+1", b"bytes", (1, 2)],
    "object_nested": [["=a", 1], {"k": "v"}, 1e-7, -0.0, "", "—", "=", "'"],
    "dates": pd.to_datetime(
        ["2026-11-30", None, "2020-02-29", "1999-12-31", None, "2001-01-01", "2002-02-02", "2003-03-03"]
    ),
    "category": pd.Categorical(["=a", "b", None, "b", "=a", "c", "c", "b"]),
}


@pytest.mark.parametrize("name", sorted(AWKWARD_COLUMNS))
def test_csv_text_is_what_pandas_writes_for_every_kind_of_column(name):
    df = pd.DataFrame({name: AWKWARD_COLUMNS[name], "n": range(8)})
    assert csv_text(df) == _pandas_csv(df)
    assert csv_text(df.iloc[:0]) == _pandas_csv(df.iloc[:0])  # header only
    assert csv_text(df[[name]]) == _pandas_csv(df[[name]])  # one column: an empty cell is written ""


def test_csv_text_is_what_pandas_writes_for_awkward_frames():
    every = pd.DataFrame(AWKWARD_COLUMNS)
    for df in (
        every,
        every.drop(columns=["dates", "category"]),  # the columns csv_text writes itself
        every.iloc[::-1],  # an index that is not 0..n
        pd.DataFrame(),
        pd.DataFrame(index=range(3)),
        pd.DataFrame({"": ["", None]}),
        pd.DataFrame({"=bad name": [1], 3: ["x"], None: [2.5]}),
        pd.DataFrame([[1, 2]], columns=pd.MultiIndex.from_tuples([("a", "b"), ("a", "=c")])),
    ):
        assert csv_text(df) == _pandas_csv(df)


def test_csv_text_writes_every_float_as_pandas_does():
    # Random bit patterns cover every exponent, subnormals, NaN payloads and infinities.
    bits = np.random.default_rng(7).integers(0, 2**64, size=20_000, dtype="uint64")
    df = pd.DataFrame({"x": bits.view("float64"), "y": bits[::-1].view("float64")})
    assert csv_text(df) == _pandas_csv(df)


_CELLS = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.sampled_from(["=", "+1", "-", "@", "\t", "\r", ",", '"', "\n", "'", "＝", " "]).map(lambda c: c + "x"),
    st.floats(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.booleans(),
    st.just(pd.NA),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_CELLS, min_size=3, max_size=3), max_size=6), st.data())
def test_csv_text_matches_pandas_on_generated_frames(rows, data):
    # pandas picks each column's type from its cells (floats, ints, text, object, ...); the
    # same cells are also tried as a text column and as nullable columns.
    df = pd.DataFrame(rows, columns=["a", "=b", "c"])
    assert csv_text(df) == _pandas_csv(df)
    for dtype in ("str", "string", "object"):
        as_text = df.map(lambda v: v if v is None or v is pd.NA or isinstance(v, str) else str(v)).astype(dtype)
        assert csv_text(as_text) == _pandas_csv(as_text)
    floats = data.draw(st.lists(st.floats(), min_size=len(rows), max_size=len(rows)))
    nums = pd.DataFrame(
        {"f": floats, "b": pd.array([r[0] if isinstance(r[0], bool) else None for r in rows], "boolean")}
    )
    assert csv_text(nums) == _pandas_csv(nums)


def test_xlsx_cells_are_text_not_formulas_and_bytes_are_the_same_every_time():
    from openpyxl import Workbook, load_workbook

    def make():
        wb = Workbook()
        append_row(wb.active, ['=HYPERLINK("http://x","y")', 3, "plain"])
        return xlsx_bytes(wb)

    first = make()
    time.sleep(1.1)  # a time stamp would differ by now
    assert make() == first
    ws = load_workbook(io.BytesIO(first)).active
    assert ws["A1"].data_type == "s" and ws["A1"].value.startswith("'=")
    assert ws["B1"].value == 3
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert b"<dc:creator>lcpgraph</dc:creator>" in z.read("docProps/core.xml")


def test_workbooks_lcpgraph_wrote_are_recognised(tmp_path):
    from openpyxl import Workbook

    p = tmp_path / "k.xlsx"
    write_bytes(p, xlsx_bytes(Workbook()))
    assert written_by_lcpgraph(p)
    other = tmp_path / "o.xlsx"
    Workbook().save(other)
    assert not written_by_lcpgraph(other)


# --- file names -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["CON", "nul", "Com1", "LPT9", "aux"])
def test_windows_reserved_names_never_become_file_names(name):
    assert file_slug(name).split(".")[0] not in {"con", "nul", "com1", "lpt9", "aux"}


def test_long_names_are_bounded_and_stay_distinct():
    a, b = "Partnership " * 30 + "North", "Partnership " * 30 + "South"
    sa, sb = file_slug(a), file_slug(b)
    assert len(sa) <= 60 and len(sb) <= 60 and sa != sb


def test_same_slug_twice_gets_a_suffix():
    used: set[str] = set()
    assert [file_slug(n, used) for n in ("HATCH", "Hatch", "hatch!")] == ["hatch", "hatch-2", "hatch-3"]


def test_slugs_of_leeds_names():
    names = ["Beeston & Middleton", "Bramley, Wortley & Middleton", "LS25/26", "HATCH", "York Road"]
    assert [file_slug(n) for n in names] == [
        "beeston-and-middleton",
        "bramley-wortley-and-middleton",
        "ls25-26",
        "hatch",
        "york-road",
    ]


def test_path_helpers_are_not_fooled_by_dots(tmp_path):
    assert not written_by_lcpgraph(tmp_path / "missing.html")
    for text in ("..", ".", "/", "../../etc"):
        slug = file_slug(text)
        assert slug not in (".", "..") and "/" not in slug and Path(slug).name == slug


def test_write_bytes_takes_the_content_in_pieces(tmp_path):
    out = write_bytes(tmp_path / "page.html", (p for p in [b"<html>", b"", b"\xc3\xa9</html>"]))
    assert out.read_bytes() == b"<html>\xc3\xa9</html>"


def test_pieces_that_fail_halfway_leave_nothing(tmp_path):
    def pieces():
        yield b"half a page"
        raise RuntimeError("the map could not be drawn")

    with pytest.raises(RuntimeError):
        write_bytes(tmp_path / "page.html", pieces())
    assert list(tmp_path.iterdir()) == []
