"""The report in a real headless browser (system Chromium driven by Playwright): article markup
never runs, nothing is fetched, highlights show their evidence on hover; a screenshot is kept."""

from __future__ import annotations

import shutil

import pytest
from _paths import CHROMIUM, ROOT
from _paths import CHROMIUM_ARGS as ARGS
from _report_docs import HOSTILE_SCRIPT, single_fixture, story_fixture

from unspin.present.html import render_report

ARTIFACTS = ROOT / "artifacts"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (scripts/test-deps.sh)"
    ),
]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (test extra)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def test_hostile_report_runs_no_article_script_and_shows_tooltips(browser, tmp_path):
    comparison, analyses = story_fixture(hostile=True)
    page_file = tmp_path / "report.html"
    page_file.write_text(render_report([comparison], analyses + [single_fixture()]), encoding="utf-8")

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    requests: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page_file.as_uri())
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # give any injected onerror/onload a chance to fire

    assert dialogs == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.scripts.length") == 0
    assert requests == [page_file.as_uri()]  # nothing but the page itself was requested
    # The hostile outlet name is on screen as text.
    assert HOSTILE_SCRIPT in page.locator(".outlet-name").first.inner_text()

    marks = page.locator("mark.hl")
    assert marks.count() >= 5
    # Each kind draws its own look; a headline flag is a wavy underline, not the browser's yellow <mark>.
    headline = page.locator("mark.p-headline").first
    assert headline.evaluate("m => getComputedStyle(m).backgroundColor") == "rgba(0, 0, 0, 0)"
    assert "wavy" in headline.evaluate("m => getComputedStyle(m).textDecorationStyle")
    fidelity = page.locator("mark.p-fidelity").first
    tip = fidelity.locator(".tip")
    assert not tip.is_visible()
    fidelity.hover()
    tip.wait_for(state="visible")
    assert "modality changed" in tip.inner_text()
    assert "rule:quote-fidelity" in tip.inner_text()
    assert "90%" in tip.inner_text()

    shot = tmp_path / "report-hover.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(shot, ARTIFACTS / "report-hover.png")

    # Keyboard users get the same tooltip on focus.
    page.mouse.move(0, 0)
    technique = page.locator("mark.p-technique").first
    technique.focus()
    assert technique.locator(".tip").is_visible()
    page.close()


def test_boilerplate_details_open_on_click(browser, tmp_path):
    comparison, analyses = story_fixture()
    page_file = tmp_path / "report.html"
    page_file.write_text(render_report([comparison], analyses), encoding="utf-8")
    page = browser.new_page()
    page.goto(page_file.as_uri())
    item = page.locator("details.removed li").first
    assert not item.is_visible()
    page.locator("details.removed summary").first.click()
    assert item.is_visible() and "Tags: harbour, fishing" in item.inner_text()
    page.close()


def test_findings_under_the_display_level_show_only_on_request(browser, tmp_path):
    """A technique under the display level reads as plain text (no highlight, no tooltip) until
    the legend's "show all" box is ticked; one above it is highlighted either way."""
    from _report_docs import at

    comparison, analyses = story_fixture()
    a = analyses[0]
    art = a.article
    weak = at(art, "first closed", "technique", "Flag_Waving", "model:x@1", "A weak call.",
              level="span", label_confidence=0.3, below_display=True)
    def apart(f):  # nothing else on the weak finding's words: its highlight is its own
        return f.article_id not in (None, art.id) or f.start is None or not (f.start < weak.end and weak.start < f.end)

    a.findings = [f for f in a.findings if apart(f)] + [weak]
    comparison.findings = [f for f in comparison.findings if apart(f)]
    page_file = tmp_path / "report.html"
    page_file.write_text(render_report([comparison], analyses), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(page_file.as_uri())
    low = page.locator("mark.hl.low").first
    strong = page.locator("mark.hl.p-technique:not(.low)").first
    bg = "el => getComputedStyle(el).backgroundColor"
    plain = "rgba(0, 0, 0, 0)"
    assert low.evaluate(bg) == plain and strong.evaluate(bg) != plain
    low.hover()
    assert not low.locator(".tip").is_visible()
    page.locator("#show-all").first.check()
    assert low.evaluate(bg) != plain
    low.hover()
    assert low.locator(".tip").is_visible() and "Flag_Waving" in low.locator(".tip").inner_text()
    page.screenshot(path=str(ARTIFACTS / "report-show-all.png"))
    page.close()
