"""Poll RSS/Atom feeds and ingest every new item: fetch its page (safely), extract the article
(trafilatura, via ``unspin.read``), analyse it, store it and add it to its story.

Polite and restart-safe: conditional GETs (ETag / Last-Modified), exponential back-off per feed
after errors, and items already handled are remembered in the database (``live_seen``), so a
restarted watcher never ingests an item twice.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from unspin.app.stories import arrival_order
from unspin.live.fetch import FetchError, FetchPolicy, fetch, make_client
from unspin.live.ingest import Ingestor, IngestResult
from unspin.live.inputs import articles_from_bytes
from unspin.live.state import FeedState, LiveState
from unspin.read.errors import ReadFailure
from unspin.read.feed import entry_date, parse_feed, read_feed
from unspin.types import Article

log = logging.getLogger(__name__)

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


@dataclass
class FeedItem:
    id: str
    link: str | None
    title: str
    published: datetime | None


def feed_items(data: bytes, source: str) -> list[FeedItem]:
    """The items of a feed, oldest first. Feeds declaring XML entities are refused (entity
    expansion attacks); feedparser never fetches external entities or DTDs."""
    parsed = parse_feed(data, source)
    if not parsed.entries and parsed.get("bozo"):
        raise ReadFailure(f"{source} is not a readable RSS/Atom feed ({parsed.get('bozo_exception')})")
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or None
        title = " ".join((entry.get("title") or "").split())
        item_id = entry.get("id") or link or hashlib.sha1(f"{title}\n{entry.get('summary', '')}".encode()).hexdigest()
        items.append(FeedItem(str(item_id), link, title, entry_date(entry)))
    # Feeds list newest first; undated items keep their place relative to each other.
    items.reverse()
    return arrival_order(items, lambda i: i.published)  # the order a batch groups them in


@dataclass
class PollResult:
    feed_url: str
    status: str  # changed | not_modified | error
    new_items: int = 0
    ingested: list[IngestResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Watcher:
    """Watch ``feeds``; ``poll(url)`` once, or ``run()`` until ``stop`` is set."""

    def __init__(
        self,
        feeds: list[str],
        ingestor: Ingestor,
        state: LiveState,
        policy: FetchPolicy,
        *,
        every: float = 300.0,
        max_backoff: float = 3600.0,
        on_result: Callable[[PollResult], None] | None = None,
    ) -> None:
        self.feeds = list(dict.fromkeys(feeds))
        self.ingestor = ingestor
        self.state = state
        self.policy = policy
        self.every = every
        self.max_backoff = max_backoff
        self.on_result = on_result or (lambda result: None)

    def delay_after(self, feed: FeedState) -> float:
        """Seconds until the next poll: ``every``, doubled for each consecutive failure."""
        return min(self.every * 2 ** min(feed.failures, 16), max(self.max_backoff, self.every))

    def run(self, stop: threading.Event | None = None, rounds: int | None = None) -> None:
        stop = stop or threading.Event()
        due = {url: 0.0 for url in self.feeds}
        done = 0
        with make_client(self.policy) as client:
            while not stop.is_set():
                url = min(due, key=lambda u: due[u])
                wait = due[url] - time.monotonic()
                if wait > 0:
                    stop.wait(wait)
                    continue
                self.on_result(self.poll(url, client=client))
                due[url] = time.monotonic() + self.delay_after(self.state.feed(url))
                done += 1
                if rounds is not None and done >= rounds * len(self.feeds):
                    return

    def poll(self, url: str, client=None) -> PollResult:
        feed = self.state.feed(url)
        try:
            page = fetch(url, self.policy, etag=feed.etag, last_modified=feed.last_modified,
                         accept=FEED_ACCEPT, client=client)
            if page.not_modified:
                feed.failures, feed.last_error = 0, None
                self.state.save_feed(feed)
                return PollResult(url, "not_modified")
            items = feed_items(page.content, url)
        except (FetchError, ReadFailure) as exc:
            feed.failures += 1
            feed.last_error = exc.reason
            self.state.save_feed(feed)
            # The result carries the error and the caller reports it: a warning here too would
            # print every failure twice.
            log.info("feed %s: %s (failure %d)", url, exc.reason, feed.failures)
            return PollResult(url, "error", errors=[exc.reason])

        result = PollResult(url, "changed")
        seen = self.state.seen(url, [i.id for i in items])
        fresh = [i for i in items if i.id not in seen]
        result.new_items = len(fresh)
        entries = _entry_articles(page.content, url) if fresh else {}
        for item in fresh:
            try:
                article = self._article_for(item, entries, client)
                ingested = self.ingestor.ingest(article)
            except (FetchError, ReadFailure) as exc:
                self.state.mark_seen(url, item.id, article_id=None, status="failed", reason=exc.reason)
                result.errors.append(f"{item.link or item.id}: {exc.reason}")
                continue
            except Exception as exc:  # an analyser bug on one item must not stop the watch
                log.exception("ingesting %s failed", item.link or item.id)
                result.errors.append(f"{item.link or item.id}: {exc}")
                continue  # not marked seen: retried on the next poll
            self.state.mark_seen(url, item.id, article_id=ingested.article_id, status="ingested")
            result.ingested.append(ingested)
        # Validators are saved last: a crash mid-feed re-reads the feed and skips what is seen.
        feed.etag, feed.last_modified = page.etag, page.last_modified
        feed.failures, feed.last_error = 0, None
        self.state.save_feed(feed, changed=True)
        return result

    def _article_for(self, item: FeedItem, entries: dict[str, Article], client) -> Article:
        """The item's page, extracted; the feed's own text when the page cannot be used."""
        page_error: str | None = None
        if item.link:
            try:
                page = fetch(item.link, self.policy, accept=PAGE_ACCEPT, client=client)
                article = articles_from_bytes(page.content, source=page.final_url, content_type=page.content_type,
                                              max_bytes=self.policy.max_bytes)[0]
                article.url = article.url or page.final_url
                article.published = article.published or item.published
                article.meta = {**article.meta, "feed_item": item.id}
                return article
            except (FetchError, ReadFailure) as exc:
                page_error = exc.reason
        fallback = entries.get(item.id) or (entries.get(item.link) if item.link else None)
        if fallback is not None:
            fallback.meta = {**fallback.meta, "feed_item": item.id, "page_error": page_error or "no link"}
            return fallback
        raise ReadFailure(page_error or "the feed item has no link and no text")


def _entry_articles(data: bytes, source: str) -> dict[str, Article]:
    """Feed entries that carry their own text, by entry id and by link (the page fallback)."""
    out: dict[str, Article] = {}
    try:
        for article in read_feed(data, source):
            if isinstance(article, Article):
                for key in (article.meta.get("entry_id"), article.url):
                    if key:
                        out[key] = article
    except ReadFailure:
        pass
    return out
