"""The report site: its files, plain content, byte-identical output, atomic writing, and the
committed Leeds report staying in step with the code."""

import filecmp
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import lcpgraph
from lcpgraph.cli import main
from lcpgraph.render import report as report_module
from lcpgraph.render.report import build_report

from .conftest import FIXTURES, dataset

REPO_REPORTS = Path(__file__).resolve().parent.parent / "reports"


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory):
    return build_report(lcpgraph.load(FIXTURES / "tiny"), tmp_path_factory.mktemp("r") / "site")


def test_site_has_every_part(tiny_site):
    files = _files(tiny_site)
    for f in [
        "index.html",
        "units/north-lcp.html",
        "units/south-lcp.html",
        "maps/network.html",
        "maps/governance.html",
        "maps/unit-north-lcp.html",
        "maps/unit-south-lcp.html",
        ".lcpgraph-report",
        "tables/centrality.csv",
        "tables/isolated_partners.csv",
        "tables/duplicate_records.csv",
        "tables/communities.csv",
        "tables/sector_coverage.csv",
    ]:
        assert f in files, f


def test_index_says_what_matters_in_plain_language(tiny_site):
    html = (tiny_site / "index.html").read_text()
    # tiny/: Lonely Charity is the isolated third-sector partner; South LCP has no reporting line.
    iso = html.split("Isolated third sector partners")[1].split("<h3>")[0]
    assert "Lonely Charity" in iso
    # tiny/ has no place.csv: the units are called what any place would call them
    assert "South LCP" in html.split("Local partnerships with no reporting line")[1].split("<h3>")[0]
    assert "LCP" not in html.replace("North LCP", "").replace("South LCP", "")
    for section in (
        "Who connects to whom",
        "Gaps",
        "Duplication",
        "Groups and official local partnerships",
        "Maps and local partnership pages",
    ):
        assert f"<h2>{section}</h2>" in html
    assert html.count('<p class="why">') >= 15  # every section and table says what it means
    assert "<svg" in html and 'class="heat"' in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)


def test_unit_page(tiny_site):
    html = (tiny_site / "units" / "north-lcp.html").read_text()
    assert "<h1>North LCP</h1>" in html
    assert "3 members" in html  # Hill Surgery, Care Charity and the chair
    assert "Hill Surgery" in html and "Care Charity" in html
    assert "Health and Wellbeing Board" in html.split("Reporting line")[1]
    assert "South LCP" in html.split("Partners shared with other local partnerships")[1]  # Care Charity is in both
    assert "population" in html and "40,000" in html
    assert 'src="../maps/unit-north-lcp.html"' in html


def test_same_data_same_bytes(tiny_site, tmp_path):
    again = build_report(lcpgraph.load(FIXTURES / "tiny"), tmp_path / "again")
    assert _files(again) == _files(tiny_site)
    _match, mismatch, errors = filecmp.cmpfiles(tiny_site, again, _files(tiny_site), shallow=False)
    assert mismatch == [] and errors == []


def test_failure_leaves_previous_report_intact(tmp_path, monkeypatch):
    site = build_report(lcpgraph.load(FIXTURES / "tiny"), tmp_path / "site", maps=False)
    before = {f: (site / f).read_bytes() for f in _files(site)}

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(report_module, "_index", broken)
    with pytest.raises(RuntimeError):
        build_report(lcpgraph.load(FIXTURES / "tiny"), site, maps=False)
    assert {f: (site / f).read_bytes() for f in _files(site)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]  # no staging folder left


def test_cli_bad_input_writes_nothing(tmp_path):
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["report", str(dataset("self_loop")), "-o", str(out)])
    assert r.exit_code == 2 and "to itself" in r.output
    assert not out.exists()


def test_cli_progress_fits_the_job(tmp_path):
    args = ["report", str(FIXTURES / "tiny"), "--no-maps", "-o"]
    r = CliRunner().invoke(main, [*args, str(tmp_path / "a")])  # piped: no progress, just the result
    assert r.exit_code == 0, r.output
    assert r.output.strip().splitlines() == [f"wrote {tmp_path / 'a'}/index.html"]
    r = CliRunner().invoke(main, [*args, str(tmp_path / "b"), "--verbose"])
    assert re.search(r"\[3/\d+\] Who holds the network together", r.output) and "writing pages" in r.output
    r = CliRunner().invoke(main, [*args, str(tmp_path / "c"), "-q"])
    assert r.exit_code == 0 and r.output == ""


def test_progress_is_one_updating_line_on_a_terminal(monkeypatch, capsys):
    import sys

    from lcpgraph.cli import Progress

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    p = Progress(delay=0)
    p("[1/3] first step")
    p("[2/3] second")
    p.done()
    err = capsys.readouterr().err
    assert err == "\r[1/3] first step\r[2/3] second    \r" + " " * 12 + "\r"  # rewritten in place, then cleared
    quick = Progress(delay=60)  # a quick job shows nothing
    quick("[1/3] first step")
    quick.done()
    assert capsys.readouterr().err == ""


#: The day the committed Leeds report is made for. A report says which ties are current on
#: which day; left to the clock, the committed copy would go stale every midnight.
COMMITTED_AS_OF = "2026-11-30"


def test_committed_leeds_report_is_what_the_code_makes(tmp_path):
    """reports/ is made with `lcpgraph report --as-of 2026-11-30 -q -o reports`; if this fails, run that and commit."""
    fresh = build_report(lcpgraph.load(as_of=COMMITTED_AS_OF), tmp_path / "reports")
    assert _files(fresh) == _files(REPO_REPORTS)
    _match, mismatch, errors = filecmp.cmpfiles(REPO_REPORTS, fresh, _files(fresh), shallow=False)
    assert mismatch == [] and errors == [], (
        f"run `lcpgraph report --as-of {COMMITTED_AS_OF} -q -o reports` and commit reports/"
    )


def test_a_regions_index_chart_shows_the_largest_units_and_says_so(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import synth

    synth.write(synth.generate(5, 2), tmp_path / "d")  # 5 places of 15 units: 75 units
    G = lcpgraph.load(tmp_path / "d")
    html = (build_report(G, tmp_path / "r", maps=False) / "index.html").read_text()
    chart = html.split('id="units"')[1].split("</svg>")[0]
    assert chart.count('class="val"') == report_module.CHART_UNITS == 60
    assert "Showing the 60 LCPs with most members of 75" in html
    assert "Showing the 60 LCPs with most gaps of 75" in html  # the coverage heat table too
    assert len(list((tmp_path / "r" / "units").iterdir())) == 75  # every unit still has its page


def test_the_report_does_not_import_scipy(tmp_path):
    # lcpgraph does not depend on scipy (only its tests do): the whole report, every table and
    # map included, must run without it. It also costs a report ~0.2 s to import.
    import subprocess
    import sys

    code = (
        "import sys, lcpgraph; from lcpgraph.render.report import build_report; "
        f"build_report(lcpgraph.load(), {str(tmp_path / 'r')!r}); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _old_rows_table(rows, headers, empty="None."):
    """How unit pages drew their tables before: through a DataFrame and its records."""
    import pandas as pd

    df = pd.DataFrame(rows, columns=list(headers))
    if df.empty:
        return f'<p class="muted">{empty}</p>'
    head = "".join(f"<th>{h}</th>" for h in headers.values())
    body = "".join(
        "<tr>" + "".join(report_module._cell(r[c]) for c in headers) + "</tr>" for r in df.to_dict("records")
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [("third sector", "Age UK <Leeds>", "organisation", "")],
        [("a", "x", "person", "src"), ("b", "y", "organisation", None)],  # a blank among text
        [("a", "x", "person", 3), ("b", "y", "organisation", 2.5)],  # ints among floats
        [("a", "x", "person", 3), ("b", "y", "organisation", 4)],
        [("a", "x", "person", True), ("b", "y", "organisation", "text")],
        [("a", "x", "person", float("nan")), ("b", "y", "organisation", None)],
    ],
)
def test_unit_page_tables_read_their_cells_as_a_dataframe_did(rows):
    headers = {"sector": "Sector", "name": "Partner", "kind": "Kind", "source": "Source"}
    assert report_module._rows_table(rows, headers) == _old_rows_table(rows, headers)
