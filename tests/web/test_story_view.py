"""A big story's view: copies folded under their original, at most four articles side by side
(the reader's choice, else the most different), the rest listed and paginated; in the context,
over a real server, and in headless Chromium (a screenshot is kept in artifacts/)."""

from __future__ import annotations

import random
import re
import shutil
import threading
from pathlib import Path

import httpx
import pytest
from _compare_docs import make_analysis
from _paths import CHROMIUM, CHROMIUM_ARGS, ROOT
from test_web_support import AppServer

from unspin.compare import compare
from unspin.config import Config, WebConfig
from unspin.present.html import context as view
from unspin.present.html.context import build_story_context, most_different
from unspin.store.db import Store
from unspin.types import Story, StoryMember
from unspin.web.app import create_app

FACTS = [
    "The ferry Nordlys ran aground near the port of Skarvik early on Tuesday.",
    "All 212 passengers were taken ashore by lifeboats, the coast guard said.",
    "Divers found a gash of about four metres in the hull below the waterline.",
    "The operator, Fjordline Cargo, said the captain had followed the usual route.",
    "Fuel leaked from one tank, and a boom was laid around the ship by noon.",
    "Fishermen in Skarvik said the channel markers had been dark for a week.",
    "The transport minister ordered an inquiry into the buoys along the coast.",
    "Salvage crews hope to tow the vessel off the rocks at high tide on Thursday.",
    "Three passengers were treated in hospital for mild hypothermia.",
    "Local hotels opened their doors to stranded travellers for the night.",
]
ODD = ("Opinion: the grounding shows how years of cuts left the coast guard with too few boats, "
       "too few divers and no helicopter north of Tromsvik, and nobody in the capital seems to care.")


def _articles(n: int = 9, copies: int = 2):
    rng = random.Random(3)
    docs = []
    for i in range(n):
        facts = rng.sample(FACTS, k=4)
        body = " ".join(facts) if i != 5 else ODD  # one article unlike the others
        docs.append(make_analysis(f"Ferry aground off Skarvik, report {i}\n{body}\nFiled by desk {i}.",
                                  titled=True, outlet=f"Outlet {i}"))
    members = [StoryMember(article_id=d.article.id) for d in docs]
    for k in range(copies):
        orig = docs[k]
        copy = make_analysis(orig.article.original + f"\nRepublished by partner {k}.", titled=True,
                             outlet=f"Partner {k}")
        docs.append(copy)
        members.append(StoryMember(article_id=copy.article.id, relation="copy_of", of=orig.article.id,
                                   similarity=0.93))
    story = Story(id="story:big-view", title="Ferry aground", members=members)
    return story, docs


@pytest.fixture(scope="module")
def big():
    story, docs = _articles()
    return story, docs, compare(docs, story=story)


def test_copies_fold_under_their_original_and_four_are_shown(big):
    story, docs, comparison = big
    ctx = build_story_context(comparison, docs)
    assert ctx["size"] == 11 and ctx["heads"] == 9 and ctx["folded"] == 2
    assert len(ctx["articles"]) == 4 and ctx["others_total"] == 5 and not ctx["chosen"]
    shown = {a["id"] for a in ctx["articles"]}
    listed = {o["id"] for o in ctx["others"]}
    assert not shown & listed and len(shown | listed) == 9
    # the copies are no column of their own: each is named under the article it copies
    folded = {c["outlet"]: a["outlet"] for a in ctx["articles"] + [o["column"] for o in ctx["others"]]
              for c in a["copies"]}
    assert folded == {"Partner 0": "Outlet 0", "Partner 1": "Outlet 1"}
    assert docs[5].article.id in shown  # the one unlike the others is among the most different
    assert ctx["articles"][0]["id"] == docs[0].article.id  # the story's first report leads
    assert all("column" in o for o in ctx["others"])  # the report keeps them, folded
    # each column carries its outlet's colour in the story's charts
    assert [a["colour"] for a in ctx["articles"]] == [0, 1, 2, 3]


def test_the_readers_choice_and_pages(big, monkeypatch):
    story, docs, comparison = big
    want = [docs[8].article.id, docs[3].article.id, "no-such-id", docs[9].article.id]  # 9: a copy
    ctx = build_story_context(comparison, docs, shown=want, others_in_full=False)
    assert [a["id"] for a in ctx["articles"]] == [docs[3].article.id, docs[8].article.id]  # story order
    assert ctx["chosen"] and ctx["shown_ids"] == [docs[3].article.id, docs[8].article.id]
    assert ctx["shown_outlets"] == ["Outlet 3", "Outlet 8"]
    assert all("column" not in o for o in ctx["others"])
    monkeypatch.setattr(view, "OTHERS_PER_PAGE", 3)
    first = build_story_context(comparison, docs, page=1, others_in_full=False)
    last = build_story_context(comparison, docs, page=99, others_in_full=False)
    assert first["pages"] == 2 and len(first["others"]) == 3
    assert last["page"] == 2 and len(last["others"]) == 2
    assert not {o["id"] for o in first["others"]} & {o["id"] for o in last["others"]}
    everything = build_story_context(comparison, docs, columns=None)
    assert len(everything["articles"]) == 9 and everything["others_total"] == 0


def test_most_different_is_greedy_and_small_stories_show_all():
    same = "The council approved the new budget for schools and roads on Monday evening."
    docs = [make_analysis(f"{same} Filed {i}.") for i in range(4)]
    docs.append(make_analysis("A comet was seen over the northern lakes by amateur astronomers."))
    ids = most_different(docs, 2)
    assert ids == [docs[0].article.id, docs[4].article.id]
    assert most_different(docs[:3], 4) == [d.article.id for d in docs[:3]]


def _stored_app(db: Path, story: Story, docs, **app_options):
    """A store holding the story and its analyses, and the app over it (no worker)."""
    store = Store(str(db))
    for d in docs:
        store.save_analysis(d)
    store.save_story(story)
    config = Config(db=str(db), seed_examples=False, web=WebConfig(api_token="t"))
    return store, create_app(config, store=store, start_worker=False, **app_options)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    story, docs = _articles(n=9, copies=2)
    _, app = _stored_app(tmp_path_factory.mktemp("view") / "view.sqlite", story, docs)
    with AppServer(app) as server, httpx.Client(base_url=server.base, timeout=60) as client:
        yield server, client, story, docs


def _columns(html: str) -> list[str]:
    side = html.split('class="side-by-side"', 1)[1].split("</div>\n\n", 1)[0]
    return re.findall(r'<article class="outlet" id="[^"]+" data-article-id="([^"]+)"', side)


def test_story_page_shows_four_lists_the_rest_and_takes_a_choice(site):
    _, client, story, docs = site
    page = client.get(f"/stories/{story.id}")
    assert page.status_code == 200
    assert len(_columns(page.text)) == 4
    assert "2 copies and rewrites folded" in page.text and "+1 copy" in page.text
    assert page.text.count('name="show"') == 9  # the four shown (ticked) and the five others
    chosen = client.get(f"/stories/{story.id}", params=[("show", docs[7].article.id), ("show", docs[2].article.id)])
    assert sorted(_columns(chosen.text)) == sorted([docs[2].article.id, docs[7].article.id])
    assert "your choice" in chosen.text
    assert client.get(f"/stories/{story.id}", params={"page": 0}).status_code == 422
    assert client.get(f"/stories/{story.id}", params={"page": 50}).status_code == 200


ARTIFACTS = ROOT / "artifacts"


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (scripts/test-deps.sh)")
def test_choosing_articles_in_a_browser(site, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (test extra)")
    server, _, story, docs = site
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{server.base}/stories/{story.id}")
        assert page.locator(".side-by-side > article.outlet").count() == 4
        assert page.locator("table.per-outlet").is_visible()  # every outlet's line, copies folded
        assert page.locator("table.per-outlet tbody tr").count() == 9
        ticked = [b.get_attribute("value") for b in page.locator('form.choose input[name="show"]:checked').all()]
        assert len(ticked) == 4
        for value in ticked:
            page.uncheck(f'form.choose input[value="{value}"]')
        page.check(f'form.choose input[value="{docs[6].article.id}"]')
        page.check(f'form.choose input[value="{docs[1].article.id}"]')
        page.click("form.choose button[type=submit]")
        page.wait_for_load_state("load")
        cols = page.locator(".side-by-side > article.outlet")
        assert cols.count() == 2
        assert {cols.nth(i).get_attribute("data-article-id") for i in range(2)} == {docs[1].article.id,
                                                                                   docs[6].article.id}
        assert page.locator(".side-by-side .copies").first.is_visible()  # Outlet 1's copy, folded
        shot = tmp_path / "story-choose.png"
        page.screenshot(path=str(shot), full_page=False)
        browser.close()
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(shot, ARTIFACTS / "story-choose.png")


def test_a_story_is_compared_before_its_first_reader(tmp_path, monkeypatch):
    """The app compares the most recent stories in the background when it starts (and a story
    again whenever an article joins it): the page then needs no comparison of its own."""
    import unspin.compare

    story, docs = _articles(n=6, copies=1)
    store, app = _stored_app(tmp_path / "warm.sqlite", story, docs)
    with AppServer(app) as server, httpx.Client(base_url=server.base, timeout=60) as client:
        assert app.state.services.warmer.wait_idle(60)
        monkeypatch.setattr(unspin.compare, "compare", lambda *a, **k: pytest.fail("compared while reading"))
        page = client.get(f"/stories/{story.id}")
        assert page.status_code == 200 and len(_columns(page.text)) == 4
        monkeypatch.undo()

        # The story changes (an article leaves it) while the warmer is slow: readers get the page
        # they had at once, marked stale, and the new one when the comparison is done.
        warmer, gate = app.state.services.warmer, threading.Event()
        real = warmer._warm
        warmer._warm = lambda sid: (gate.wait(20), real(sid))
        store.save_story(story.model_copy(update={"members": story.members[1:]}))
        warmer.notify(story.id)
        stale = client.get(f"/stories/{story.id}")
        assert stale.headers.get("x-unspin-stale") and stale.text == page.text
        gate.set()
        assert warmer.wait_idle(60)
        fresh = client.get(f"/stories/{story.id}")
        assert "x-unspin-stale" not in fresh.headers and docs[0].article.id not in fresh.text


def test_the_warmer_runs_each_story_once_and_survives_failures():
    import threading

    from unspin.web.services import StoryWarmer

    seen, gate = [], threading.Event()

    def warm(story_id: str) -> None:
        gate.wait(5)
        seen.append(story_id)
        if story_id == "bad":
            raise RuntimeError("cannot compare")

    warmer = StoryWarmer(warm)
    for sid in ("a", "bad", "b", "a", "b", None, ""):
        warmer.notify(sid)
    gate.set()
    assert warmer.wait_idle(10)
    # "a" runs at once; notified again while it runs, it is queued once more (its story changed)
    assert seen in (["a", "bad", "b"], ["a", "bad", "b", "a"])
    warmer.notify("c")
    assert warmer.wait_idle(10) and seen[-1] == "c"
    warmer.stop()
    warmer.notify("d")
    assert "d" not in seen


def test_the_story_list_shows_each_storys_top_divergence(tmp_path):
    story, docs = _articles(n=4, copies=0)
    _, app = _stored_app(tmp_path / "list.sqlite", story, docs, warm_on_start=0)
    with AppServer(app) as server, httpx.Client(base_url=server.base, timeout=60) as client:
        first = client.get("/").text  # not compared yet: says so, and asks for it in the background
        assert "Being compared" in first and "Top divergence" not in first
        assert app.state.services.warmer.wait_idle(60)
        item = client.get("/").text.split('class="story-item"', 1)[1]
    from html import escape

    want = compare(docs, story=story).top_divergence
    assert want and f"Top divergence: {escape(want)}" in item
