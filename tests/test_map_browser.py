"""The map in a real browser (Debian's Chromium via Playwright), with the network blocked."""

import shutil
from pathlib import Path

import pytest

import lcpgraph
from lcpgraph.render.map import render_map

from .conftest import FIXTURES

CHROMIUM = "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (apt-get install -y chromium)"
)
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def open_offline(browser, path: Path):
    page = browser.new_page(viewport={"width": 1300, "height": 850})
    seen = {"remote": [], "errors": [], "dialogs": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))

    def route(r):
        if r.request.url.startswith(("file:", "data:", "blob:")):
            return r.continue_()
        seen["remote"].append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_function("window.lcpMap !== undefined", timeout=15000)
    page.wait_for_timeout(800)
    return page, seen


def test_map_draws_and_search_focuses_a_node(browser, tmp_path):
    path = render_map(lcpgraph.load(), tmp_path / "leeds.html")
    page, seen = open_offline(browser, path)
    assert seen == {"remote": [], "errors": [], "dialogs": []}
    # The canvas has something drawn on it: count non-white pixels.
    inked = page.evaluate("""() => {
        const c = document.querySelector('#network canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 240 || d[i+1] < 240 || d[i+2] < 240) n++;
        return n; }""")
    assert inked > 2000
    before = page.evaluate("window.lcpMap.network.getViewPosition()")
    page.fill("#search", "Forum Central")
    page.press("#search", "Enter")
    page.wait_for_timeout(300)
    assert page.evaluate("window.lcpMap.network.getSelectedNodes()") == ["org-forum-central"]
    after = page.evaluate("window.lcpMap.network.getViewPosition()")
    assert after != before
    assert "Found: Forum Central" in page.inner_text("#status")
    page.screenshot(path=str(tmp_path / "leeds.png"))
    assert (tmp_path / "leeds.png").stat().st_size > 10_000


def test_filters_and_gap_toggle(browser, tmp_path):
    path = render_map(lcpgraph.load(FIXTURES / "tiny"), tmp_path / "tiny.html")
    page, seen = open_offline(browser, path)
    assert page.inner_text("#status") == "8 shown"
    page.check("#gaps-only")
    assert page.inner_text("#status") == "1 shown"  # only Lonely Charity
    page.uncheck("#gaps-only")
    page.select_option("#filter-sector", "third sector")
    assert page.inner_text("#status") == "2 shown"
    assert seen["errors"] == []


def test_hostile_name_runs_nothing(browser, tmp_path):
    shutil.copytree(FIXTURES / "tiny", tmp_path / "d")
    p = tmp_path / "d" / "organisations.csv"
    p.write_text(p.read_text().replace("Lonely Charity", "<img src=x onerror=alert(1)>"))
    path = render_map(lcpgraph.load(tmp_path / "d"), tmp_path / "x.html")
    page, seen = open_offline(browser, path)
    page.fill("#search", "<img src=x")
    page.press("#search", "Enter")
    page.wait_for_timeout(300)
    assert seen["dialogs"] == [] and seen["remote"] == [] and seen["errors"] == []
    assert page.evaluate("window.lcpMap.network.getSelectedNodes()") == ["org-lonely"]
