"""The command line: help on every command, exit codes, and messages for bad input."""

import click
import pytest
from click.testing import CliRunner

import lcpgraph
from lcpgraph.cli import main

from .conftest import FIXTURES, dataset


def _commands(group: click.Group, prefix=()):
    for name, cmd in sorted(group.commands.items()):
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*prefix, name))


@pytest.mark.parametrize("path,cmd", list(_commands(main)), ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
def test_every_command_has_help_ending_in_an_example(path, cmd):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert cmd.help and "Example" in cmd.help, f"lcpgraph {' '.join(path)} --help needs an example"
    assert "Example" in result.output


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert lcpgraph.__version__ in result.output


def test_validate_good_data_exits_0():
    result = CliRunner().invoke(main, ["validate", str(FIXTURES / "tiny")])
    assert result.exit_code == 0, result.output
    assert "is valid: 8 records and 8 relationships" in result.output


def test_validate_bundled_data_by_default():
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert "OK:" in result.output


@pytest.mark.parametrize(
    "fixture,fragment",
    [
        ("missing_column", "organisations.csv, row 1, column 'sector': required column 'sector' is missing"),
        ("empty_file", "boards.csv: is empty"),
        ("duplicate_ids", "boards.csv, row 3, column 'id': id 'org-gp' is already used"),
        ("unknown_reference", "relationships.csv, row 10, column 'from': 'org-charty' is not the id"),
        ("kind_not_allowed", "relationships.csv, row 10, column 'kind': 'reports_to' cannot join a board"),
        ("unknown_sector", "did you mean 'third sector'?"),
        ("unknown_kind", "relationships.csv, row 10, column 'kind': kind 'membr_of' is not known"),
        ("self_loop", "relationships.csv, row 10, column 'to': relationship from 'org-gp' to itself"),
        ("end_before_start", "relationships.csv, row 10, column 'end': end 2021-01-31 is before start"),
        ("bad_population", "partnerships.csv, row 3, column 'population': population 'about 50k' is not a number"),
        ("blank_name", "boards.csv, row 3, column 'name': name is blank"),
        ("not_utf8", "CSV UTF-8"),
    ],
)
def test_bad_input_exits_2_with_located_message_and_no_traceback(fixture, fragment):
    result = CliRunner().invoke(main, ["validate", str(dataset(fixture))])
    assert result.exit_code == 2
    assert fragment in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_missing_folder_exits_2():
    result = CliRunner().invoke(main, ["summary", str(FIXTURES / "does-not-exist")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_summary_counts_and_partners_per_lcp():
    result = CliRunner().invoke(main, ["summary", str(FIXTURES / "tiny")], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    # tiny/: 4 organisations (2 third sector), North LCP has Hill Surgery + Care Charity + a chair
    assert "tiny: 8 records, 8 relationships" in result.output
    lines = result.output.splitlines()
    assert any(line.split() == ["organisation", "third", "sector", "2"] for line in lines)
    assert any(line.split()[:6] == ["North", "LCP", "3", "2", "1", "2"] for line in lines)
    assert "Members of each local partnership" in result.output  # tiny/ has no place.csv: neutral words


def test_summary_csv_to_file(tmp_path):
    out = tmp_path / "s.csv"
    result = CliRunner().invoke(main, ["summary", str(FIXTURES / "tiny"), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert text.splitlines()[0].startswith("table,kind,sector,count")
    assert "partners_per_lcp" in text


def test_encoding_option():
    result = CliRunner().invoke(main, ["validate", str(dataset("not_utf8")), "--encoding", "cp1252"])
    assert result.exit_code == 0, result.output


# --------------------------------------------------------------------------------------
# the installed command (lcpgraph.cli.run): the same results, ended without the teardown


def _python(*args: str, code: str | None = None):
    import subprocess
    import sys

    cmd = [sys.executable, *(["-c", code] if code else ["-m", "lcpgraph", *args])]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_the_command_writes_all_its_output_and_exit_codes():
    ran = _python("centrality", str(FIXTURES / "tiny"), "--format", "csv")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == CliRunner().invoke(main, ["centrality", str(FIXTURES / "tiny"), "--format", "csv"]).output
    bad = _python("validate", str(FIXTURES / "unknown_sector"))
    assert bad.returncode == 2 and "sector" in bad.stderr and bad.stdout == ""
    usage = _python("summary", "--no-such-option")
    assert usage.returncode == 2 and "No such option" in usage.stderr


def test_exit_runs_the_exit_handlers_and_keeps_the_status():
    said = _python(
        code="import atexit; atexit.register(print, 'handler ran')\n"
        "print('before', end=' ')\n"
        "from lcpgraph.cli import _exit_now; _exit_now(3)"
    )
    assert said.returncode == 3 and said.stdout == "before handler ran\n"
    message = _python(code="from lcpgraph.cli import _exit_now; _exit_now('stopped: no data')")
    assert message.returncode == 1 and message.stderr == "stopped: no data\n"


def test_exit_waits_for_a_thread_still_at_work():
    ran = _python(
        code="import threading, time\n"
        "threading.Thread(target=lambda: (time.sleep(0.3), print('thread done', flush=True))).start()\n"
        "from lcpgraph.cli import _exit_now; _exit_now(0)"
    )
    assert ran.returncode == 0 and ran.stdout == "thread done\n"


def test_a_profiler_still_gets_its_report(tmp_path):
    # python -m cProfile writes its file when the program returns: the command must return.
    import subprocess
    import sys

    out = tmp_path / "cli.prof"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "lcpgraph", "--version"]
    ran = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0 and "lcpgraph, version" in ran.stdout
    assert out.stat().st_size > 0
