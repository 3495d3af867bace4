"""``unspin watch`` against a real loopback feed server and a real store (SQLite; PostgreSQL too
where a test takes ``db_url``): new items are fetched, extracted, analysed and grouped; ETags are
honoured; restarts skip seen items; errors back off; XXE payloads are refused; private links are
not fetched."""

from __future__ import annotations

import pytest
from test_web_support import (
    HARBOUR_TABLOID,
    HARBOUR_WIRE,
    ORCHARD_WIRE,
    FeedSite,
    LoopbackServer,
    Reply,
    rss,
    shared_pipeline,
    split_title,
)

from unspin.live.fetch import FetchPolicy
from unspin.live.ingest import Ingestor
from unspin.live.state import LiveState
from unspin.live.watch import Watcher, feed_items
from unspin.read.errors import ReadFailure
from unspin.store.db import Store

POLICY = FetchPolicy(allow_hosts=("127.0.0.1",), timeout=5.0)


@pytest.fixture()
def site():
    with LoopbackServer() as server:
        yield FeedSite(server)


def _watcher(store: Store, feeds: list[str], every: float = 60.0) -> Watcher:
    return Watcher(feeds, Ingestor(store, pipeline=shared_pipeline()), LiveState(store.engine), POLICY, every=every)


def test_new_items_are_ingested_and_grouped(db_url, site):
    store = Store(db_url)
    site.publish("ferry-strike", HARBOUR_WIRE, "Nordwire", "Mon, 03 Mar 2025 09:00:00 GMT")
    site.publish("frost", ORCHARD_WIRE, "Nordwire", "Tue, 04 Mar 2025 09:00:00 GMT")
    result = _watcher(store, [site.url]).poll(site.url)
    assert result.status == "changed" and result.new_items == 2 and not result.errors
    stored = {a.article.title_text: a for a in store.iter_analyses()}
    assert set(stored) == {split_title(HARBOUR_WIRE)[0], split_title(ORCHARD_WIRE)[0]}
    ferry = stored[split_title(HARBOUR_WIRE)[0]]
    assert ferry.article.outlet == "Nordwire" and ferry.article.url == site.server.url("/news/ferry-strike")
    assert "Vellmar Seafarers Union" in ferry.article.original and "Copyright" not in ferry.article.original
    for f in ferry.findings:  # evidence: every span indexes the stored original
        if f.start is not None:
            assert ferry.article.original[f.start : f.end] == f.text

    # The tabloid rewrite of the same event joins the ferry story; the frost story stays apart.
    site.publish("docks-chaos", HARBOUR_TABLOID, "Daily Clarion", "Mon, 03 Mar 2025 12:00:00 GMT")
    result = _watcher(store, [site.url]).poll(site.url)
    assert result.new_items == 1 and len(result.ingested) == 1
    by_story = {r.article_id: r.story_id for r in result.ingested}
    tabloid_story = store.get_story(next(iter(by_story.values())))
    assert ferry.article.id in tabloid_story.article_ids
    frost_id = stored[split_title(ORCHARD_WIRE)[0]].article.id
    assert frost_id not in tabloid_story.article_ids


def test_conditional_get_and_restart_skip_seen_items(db_url, site):
    store = Store(db_url)
    site.publish("ferry-strike", HARBOUR_WIRE, "Nordwire", "Mon, 03 Mar 2025 09:00:00 GMT")
    first = _watcher(store, [site.url])
    assert first.poll(site.url).new_items == 1
    assert first.poll(site.url).status == "not_modified"
    assert site.server.hits[-1][1].get("if-none-match") == '"v1"'

    # The server forgets its ETag (e.g. a redeploy): the feed is read again, but nothing is re-ingested,
    # even by a new watcher process on the same database.
    site.version += 1
    restarted = _watcher(Store(db_url), [site.url])
    again = restarted.poll(site.url)
    assert again.status == "changed" and again.new_items == 0
    assert store.counts()["analyses"] == 1


def test_errors_back_off_and_recover(tmp_path, site):
    store = Store(tmp_path / "live.sqlite")
    missing = site.server.url("/no-such-feed.xml")
    watcher = _watcher(store, [missing], every=10.0)
    state = LiveState(store.engine)
    assert watcher.delay_after(state.feed(missing)) == 10.0
    for expected in (20.0, 40.0, 80.0):
        result = watcher.poll(missing)
        assert result.status == "error" and "HTTP 404" in result.errors[0]
        assert watcher.delay_after(state.feed(missing)) == expected
    watcher.max_backoff = 50.0
    assert watcher.delay_after(state.feed(missing)) == 50.0
    site.server.routes["/no-such-feed.xml"] = lambda h: Reply(200, rss([]))
    assert watcher.poll(missing).status == "changed"
    assert state.feed(missing).failures == 0


def test_page_fetch_failure_falls_back_to_feed_text_and_private_links_are_not_fetched(tmp_path, site):
    store = Store(tmp_path / "live.sqlite")
    # A link to a private address: refused by the fetcher, so the feed's own text is used.
    site.publish("ferry", HARBOUR_WIRE, "Nordwire", "Mon, 03 Mar 2025 09:00:00 GMT",
                 with_page=False, link="http://10.9.8.7/news/ferry")
    result = _watcher(store, [site.url]).poll(site.url)
    assert len(result.ingested) == 1
    analysis = store.get_analysis(result.ingested[0].article_id)
    assert analysis.article.format == "feed" and "private" in analysis.article.meta["page_error"]


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>x</title><item><guid>1</guid><title>&xxe;</title>
<description>&xxe;</description></item></channel></rss>"""


def test_xxe_feed_is_refused(tmp_path, site):
    with pytest.raises(ReadFailure, match="entities"):
        feed_items(XXE, "evil")
    site.server.routes["/evil.xml"] = lambda h: Reply(200, XXE, {"Content-Type": "application/rss+xml"})
    store = Store(tmp_path / "live.sqlite")
    result = _watcher(store, [site.server.url("/evil.xml")]).poll(site.server.url("/evil.xml"))
    assert result.status == "error" and "entities" in result.errors[0]
    assert store.counts()["articles"] == 0


def test_feedparser_itself_never_resolves_external_entities():
    # Even without our up-front refusal, the parser must not read the file the entity names.
    import feedparser

    parsed = feedparser.parse(XXE)
    text = " ".join(str(e.get("title", "")) + str(e.get("summary", "")) for e in parsed.entries)
    assert "root:" not in text


def test_items_come_oldest_first_then_undated_with_stable_ids():
    """In the order a batch groups articles in (``app.stories.arrival_order``): dated items
    oldest first, undated ones after them."""
    data = rss([
        {"id": "b", "title": "Second", "link": "http://x/b", "date": "Tue, 04 Mar 2025 09:00:00 GMT"},
        {"id": "a", "title": "First", "link": "http://x/a", "date": "Mon, 03 Mar 2025 09:00:00 GMT"},
        {"id": "", "title": "No id", "link": "http://x/c"},
    ])
    items = feed_items(data, "t")
    assert [i.title for i in items] == ["First", "Second", "No id"]
    assert items[2].id == "http://x/c"  # no guid: the link identifies the item


def test_watch_once_says_so_and_prints_each_failure_once(tmp_path, site):
    """`unspin watch --once` as a user runs it: it says it polls once (not "every 300 s, Ctrl-C
    to stop"), prints each failure once (not again as a log warning) and sums up."""
    from typer.testing import CliRunner

    from unspin.cli import app

    site.publish("ferry-strike", HARBOUR_WIRE, "Nordwire", "Mon, 03 Mar 2025 09:00:00 GMT")
    missing = site.server.url("/no-such-feed.xml")
    result = CliRunner().invoke(app, ["watch", "--once", "--allow-host", "127.0.0.1", "--db",
                                      str(tmp_path / "w.sqlite"), site.url, missing])
    assert result.exit_code == 1  # a feed failed
    err = result.stderr
    assert "Polling 2 feed(s) once." in err and "Ctrl-C" not in err
    failures = [line for line in err.splitlines() if "no-such-feed.xml" in line]
    assert len(failures) == 1 and failures[0].startswith("! ") and "HTTP 404" in failures[0]
    assert "Done: 2 feed(s) polled, 1 new article(s), 1 failure(s)." in err
    assert "+ " + site.url in result.stdout
