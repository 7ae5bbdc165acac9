"""The analyst report in a real browser: Debian's headless Chromium, driven by Playwright.

Playwright (PyPI) drives /usr/bin/chromium (`executable_path`): it downloads no browser. Every
request the page makes is recorded (and anything but a file: URL is aborted, so nothing leaves
the machine); a report may request only its own file. Console errors, uncaught exceptions and
dialogs (an `alert` from a page's markup) are recorded too.

Chromium missing is a failure, not a skip: CI installs it (.ci/run). Set HOTLINES_SKIP_BROWSER=1
to skip these tests where no browser can be had. Set HOTLINES_REPORT_SCREENSHOT=FILE.png to keep
the screenshot of the fixtures report (docs/report.png is made that way).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from test_report import HOSTILE_BRAND, HOSTILE_TITLE, SEED_BRANDS, SEED_NUMBER, _fake_scores, _score_row, fixture_index, hostile_index, payload

CHROMIUM = Path(os.environ.get("HOTLINES_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1000}


@dataclass
class Visit:
    """One page opened in the browser, and everything it did."""

    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if url.split("#")[0] != self.url.split("#")[0]]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if os.environ.get("HOTLINES_SKIP_BROWSER") == "1":
        pytest.skip("HOTLINES_SKIP_BROWSER=1: the report is not opened in a browser")
    if not CHROMIUM.is_file():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: install Debian's (apt-get install -y chromium; .ci/run does), "
            "or set HOTLINES_SKIP_BROWSER=1 to skip the browser tests"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is missing: pip install -e '.[test]'")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=FLAGS, viewport=VIEWPORT
        )
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
        try:
            yield context
        finally:
            context.close()


def visit(browser: Any, path: Path, fragment: str = "", ready: str | None = "#graph .main-svg") -> Visit:
    page = browser.new_page()
    opened = Visit(page, path.resolve().as_uri() + fragment)
    page.on("request", lambda request: opened.requests.append(request.url))
    page.on("console", lambda message: opened.errors.append(f"console: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: opened.errors.append(f"exception: {error}"))

    def dialog(d: Any) -> None:
        opened.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.goto(opened.url, wait_until="load")
    if ready:
        page.wait_for_selector(ready, state="attached", timeout=20_000)
    return opened


def points(page: Any, selector: str) -> int:
    return int(page.locator(f"{selector} .scatterlayer .point").count())


@pytest.fixture(scope="module")
def fixtures_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from hotlines.report import build_report

    folder = tmp_path_factory.mktemp("browser-fixtures")
    return build_report(fixture_index(folder), folder / "report.html").path


# ---- the fixtures report ------------------------------------------------------------------


def test_the_report_loads_offline_with_no_errors_and_draws_its_graph(browser: Any, fixtures_report: Path) -> None:
    opened = visit(browser, fixtures_report)
    page = opened.page
    page.wait_for_timeout(300)
    assert opened.errors == []
    assert opened.foreign_requests() == [], "the report fetched something"
    assert opened.requests == [opened.url]
    assert page.locator("#graph svg.main-svg").count() >= 1
    assert points(page, "#graph") > 20  # numbers and brands
    assert page.locator("#ranked tbody tr").count() >= 30
    assert page.locator(".dossier:visible").count() == 0 and page.locator("#no-dossier").is_visible()
    page.close()


def test_a_click_on_a_number_opens_its_dossier_with_its_map(browser: Any, fixtures_report: Path, tmp_path: Path) -> None:
    opened = visit(browser, fixtures_report)
    page = opened.page
    link = page.locator("#ranked a", has_text="400 186 5909")
    at = link.get_attribute("data-dossier")
    link.click()
    page.wait_for_selector(f"#map-{at} .main-svg", state="attached", timeout=20_000)
    dossier = page.locator(f"#d-{at}")
    assert dossier.is_visible() and page.locator(".dossier:visible").count() == 1
    assert page.evaluate("location.hash") == f"#d-{at}"
    text = dossier.text_content() or ""
    assert SEED_NUMBER in text and "Brands it claims (3)" in text
    for brand in SEED_BRANDS:
        assert brand in text
    assert points(page, f"#map-{at}") > 300  # provinces and counties
    assert page.locator("#ranked tr.current a").inner_text() == "400 186 5909"
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(500)
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
    if os.environ.get("HOTLINES_REPORT_SCREENSHOT"):
        shutil.copy(shot, os.environ["HOTLINES_REPORT_SCREENSHOT"])
    assert opened.errors == [] and opened.foreign_requests() == []
    page.close()


def test_a_click_on_a_number_in_the_graph_opens_its_dossier(browser: Any, fixtures_report: Path) -> None:
    opened = visit(browser, fixtures_report)
    page = opened.page
    page.locator("#graph").scroll_into_view_if_needed()
    # the numbers' trace is the last one; its first point is the top-ranked number
    point = page.locator("#graph .scatterlayer .trace").last.locator(".point").first
    box = point.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x - 5, y - 5)
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    at = page.evaluate("JSON.parse(document.getElementById('report-data').textContent).graph.nodes.find(n => n.type === 'number').dossier")
    page.wait_for_function(f"location.hash === '#d-{at}'", timeout=10_000)
    assert page.locator(f"#d-{at}").is_visible()
    assert opened.errors == []
    page.close()


def test_the_table_sorts_and_filters_in_the_page(browser: Any, fixtures_report: Path) -> None:
    opened = visit(browser, fixtures_report)
    page = opened.page
    rows = page.locator("#ranked tbody tr:visible")
    total = rows.count()
    page.fill("#filter", "阿拉好太太")
    assert rows.count() == 1 and rows.first.locator("a").inner_text() == "400 186 5909"
    assert page.inner_text("#shown-count") == f"1 of {total} shown"
    page.fill("#filter", "")
    assert rows.count() == total
    header = page.locator("#ranked thead th", has_text="pages")
    header.click()
    pages = [int(v) for v in page.eval_on_selector_all("#ranked tbody tr td:nth-last-child(3)", "cells => cells.map(c => c.dataset.v)")]
    assert pages == sorted(pages, reverse=True) and pages[0] > pages[-1]
    header.click()
    pages = [int(v) for v in page.eval_on_selector_all("#ranked tbody tr td:nth-last-child(3)", "cells => cells.map(c => c.dataset.v)")]
    assert pages == sorted(pages)
    assert opened.errors == []
    page.close()


def test_the_report_of_one_number_opens_on_its_dossier(browser: Any, fixtures_report: Path) -> None:
    from hotlines.report import build_report

    db = fixtures_report.parent / "index.sqlite"
    one = build_report(db, fixtures_report.parent / "one.html", number="400-1865-909").path
    opened = visit(browser, one, ready="#map-0 .main-svg")
    assert opened.page.locator("#d-0").is_visible() and opened.errors == [] and opened.foreign_requests() == []
    opened.page.close()


# ---- escaping and the network -------------------------------------------------------------


def test_markup_from_pages_renders_as_text(browser: Any, tmp_path: Path) -> None:
    from hotlines.report import build_report

    report = build_report(hostile_index(tmp_path), tmp_path / "hostile.html", top=60).path
    at = [n["number"] for n in payload(report.read_text(encoding="utf-8"))["numbers"]].index(SEED_NUMBER)
    opened = visit(browser, report, fragment=f"#d-{at}", ready=f"#map-{at} .main-svg")
    page = opened.page
    page.wait_for_timeout(500)
    assert opened.dialogs == [], "a page's script ran"
    assert opened.errors == [] and opened.foreign_requests() == []
    assert page.evaluate("document.querySelectorAll('script').length") == 3
    assert page.evaluate("document.querySelectorAll('img, [onerror], iframe').length") == 0
    dossier = page.locator(f"#d-{at}").text_content() or ""
    assert dossier.count(HOSTILE_TITLE) >= 2  # the HTML page's <title> and the records' titles, as text
    assert "<img src=x onerror=alert(5)>.html" in dossier  # the file named with markup
    assert "javascript:alert(3)//</script>" in dossier  # a url that is not http(s): text, not a link
    assert "</script><script>alert(4)</script><!--坏" in dossier
    graph_text = page.eval_on_selector_all("#graph text", "nodes => nodes.map(n => n.textContent).join(' ')")
    assert "alert(4)" in graph_text  # the brand label, drawn as text
    assert HOSTILE_BRAND.split("\u2028")[0] in graph_text
    page.close()


def test_the_recorder_sees_a_request_and_nothing_leaves(browser: Any, tmp_path: Path) -> None:
    """The network check above is worth something only if it would catch a fetch."""
    probe = tmp_path / "probe.html"
    probe.write_text('<html><body><img src="https://example.invalid/pixel.png"><p>x</p></body></html>', encoding="utf-8")
    opened = visit(browser, probe, ready=None)
    opened.page.wait_for_timeout(300)
    assert opened.foreign_requests() == ["https://example.invalid/pixel.png"]
    opened.page.close()


def test_a_report_with_verdicts_filters_by_verdict(browser: Any, fixtures_report: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hotlines.report import build_report

    rows = [
        _score_row(SEED_NUMBER, 0.91, "fraud", sorted(SEED_BRANDS), ["posing as 3 discovered brands"]),
        _score_row("+864008300315", 0.7, "fraud", ["华帝", "方太", "老板"], []),
        _score_row("+864006117788", 0.05, "official", ["海尔"], ["the official line of 海尔"]),
    ]
    _fake_scores(monkeypatch, rows, {"fake_service": 9, "official": 1})
    report = build_report(fixtures_report.parent / "index.sqlite", tmp_path / "scored.html").path
    opened = visit(browser, report)
    page = opened.page
    page.select_option("#verdict-filter", "official")
    visible = page.locator("#ranked tbody tr:visible")
    assert visible.count() == 1 and visible.first.locator("a").inner_text() == "400 611 7788"
    visible.first.locator("a").click()
    page.wait_for_function("location.hash === '#d-2'", timeout=10_000)
    assert page.locator("#d-2").is_visible()
    text = page.locator("#d-2").text_content() or ""
    assert "the official line of 海尔" in text and "None of its pages names a region." in text
    assert opened.errors == [] and opened.foreign_requests() == []
    page.close()
