"""End to end, as a user sees it: a loopback news site publishes items over time, ``unspin
watch`` and ``unspin serve`` run as real processes on one SQLite file, and a headless Chromium
(Playwright, the system browser; see scripts/test-deps.sh) drives the pages. Screenshots are
kept in the test's tmp dir and copied to artifacts/ (git-ignored)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from _paths import CHROMIUM, CHROMIUM_ARGS, ROOT
from test_web_support import (
    HARBOUR_TABLOID,
    HARBOUR_WIRE,
    ORCHARD_WIRE,
    FeedSite,
    LoopbackServer,
    free_port,
    wait_until,
)

ARTIFACTS = ROOT / "artifacts" / "e2e"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (run scripts/test-deps.sh as root)"),
]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNSPIN_")}
    env.update(UNSPIN_CONFIG=str(tmp_path / "none.toml"), UNSPIN_API_TOKEN="e2e-token",
               HOME=str(tmp_path), PYTHONUNBUFFERED="1")
    (tmp_path / "none.toml").write_text("")
    return env


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "unspin", *args], env=env, stdout=log.open("w"),
                            stderr=subprocess.STDOUT)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def _story_of(base: str, words: str) -> dict | None:
    stories = httpx.get(f"{base}/api/v1/stories", params={"q": words}, timeout=5).json()
    return stories[0] if stories else None


def test_live_feed_to_browser(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    db = tmp_path / "live.sqlite"
    env = _env(tmp_path)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with LoopbackServer() as server:
        site = FeedSite(server)
        site.publish("ferry-strike", HARBOUR_WIRE, "Nordwire", "Mon, 03 Mar 2025 09:00:00 GMT")
        site.publish("frost", ORCHARD_WIRE, "Nordwire", "Tue, 04 Mar 2025 09:00:00 GMT")
        serve = _start(["serve", "--db", str(db), "--port", str(port)], env, tmp_path / "serve.log")
        watch = _start(["watch", site.url, "--every", "1s", "--allow-host", "127.0.0.1", "--db", str(db)],
                       env, tmp_path / "watch.log")
        try:
            # A fresh install opens with the bundled examples analysed, and the first feed items arrive.
            assert wait_until(lambda: httpx.get(f"{base}/api/v1/stories", timeout=5).json(), 90), \
                (tmp_path / "serve.log").read_text()
            assert wait_until(lambda: _story_of(base, "Vellmar"), 60), (tmp_path / "watch.log").read_text()
            # The site publishes a new item on the same event; measure until the app shows it.
            published = time.monotonic()
            site.publish("docks-chaos", HARBOUR_TABLOID, "Daily Clarion", "Mon, 03 Mar 2025 12:00:00 GMT")
            story = wait_until(
                lambda: (s := _story_of(base, "Vellmar")) and any(a["outlet"] == "Daily Clarion" for a in s["articles"]) and s,
                30, step=0.05)
            latency = time.monotonic() - published
            assert story, (tmp_path / "watch.log").read_text()
            assert latency < 10, f"new item took {latency:.1f} s to appear"
            tabloid = next(a for a in story["articles"] if a["outlet"] == "Daily Clarion")

            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.set_default_timeout(15_000)

                # The new item is listed in its story on the front page.
                page.goto(base + "/")
                item = page.locator(f'li.story-item[data-story-id="{story["id"]}"]')
                expect(item).to_contain_text("Daily Clarion")
                expect(item).to_contain_text("Nordwire")
                assert page.locator("li.story-item").count() >= 3  # ferry, frost, examples
                page.screenshot(path=str(shots / "1-stories.png"), full_page=True)

                # The filter works: one outlet's stories only.
                page.select_option("select[name=outlet]", "Daily Clarion")
                page.click("form#filters button[type=submit]")
                expect(page.locator("li.story-item")).to_have_count(1)
                expect(page.locator("li.story-item")).to_contain_text("Vellmar")
                page.fill("input[name=q]", "Dallen")
                page.select_option("select[name=outlet]", "")
                page.click("form#filters button[type=submit]")
                expect(page.locator("li.story-item")).to_have_count(1)
                expect(page.locator("li.story-item")).to_contain_text("Dallen")
                page.screenshot(path=str(shots / "2-filtered.png"), full_page=True)

                # The story page shows both outlets side by side with highlights.
                page.goto(f"{base}/stories/{story['id']}")
                expect(page.locator("article.outlet")).to_have_count(2)
                clarion = page.locator(f'article.outlet[data-article-id="{tabloid["id"]}"]')
                expect(clarion.locator("mark.hl").first).to_be_visible()
                page.screenshot(path=str(shots / "3-story.png"), full_page=True)

                # The article page draws its highlights; focusing one shows its explanation.
                page.goto(f"{base}/articles/{tabloid['id']}")
                marks = page.locator("article.outlet mark.hl")
                assert marks.count() >= 2
                marks.first.focus()
                expect(marks.first.locator(".tip")).to_be_visible()
                expect(page.locator("#findings tbody tr").first).to_be_visible()
                page.screenshot(path=str(shots / "4-article.png"), full_page=False)
                browser.close()
        finally:
            _stop(watch)
            _stop(serve)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for shot in shots.iterdir():
        shutil.copy(shot, ARTIFACTS / shot.name)
    (ARTIFACTS / "latency.txt").write_text(f"feed update to visible in the app: {latency:.2f} s\n")
