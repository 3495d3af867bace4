"""A local RSS/Atom file: one Article per entry, from its title and summary/content.

Fetching feeds over the network is another module's job; this only parses bytes. Feeds that
declare their own XML entities are refused (entity expansion is the classic XML attack);
feedparser itself does not fetch external entities.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

from unspin.read.declared import clean_byline, from_section, from_url, record_declared
from unspin.read.errors import ReadFailure
from unspin.read.htmltext import html_to_text
from unspin.read.ids import article_id
from unspin.read.outlets import resolve
from unspin.read.xmlguard import refuse_dtd
from unspin.types import Article, ItemFailure, Span


def parse_feed(data: bytes, source: str):
    """feedparser's result for ``data``, after the DTD guard. feedparser is lenient but not
    crash-proof (a stray byte in the encoding declaration raised UnicodeDecodeError, found by
    fuzzing), so any error it raises is a refusal of this input, not a crash of the batch."""
    import feedparser

    refuse_dtd(data, source)
    try:
        return feedparser.parse(data)
    except Exception as exc:  # noqa: BLE001 - any parser failure is this input's problem
        raise ReadFailure(f"{source} is not a readable RSS/Atom feed ({type(exc).__name__}: {exc})") from None


def read_feed(data: bytes, source: str, *, outlet: str | None = None) -> Iterator[Article | ItemFailure]:
    parsed = parse_feed(data, source)
    if not parsed.entries:
        why = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        raise ReadFailure(f"{source} is not an RSS/Atom feed with entries{why}")
    feed_title = (parsed.feed.get("title") or "").strip() or None
    for n, entry in enumerate(parsed.entries, start=1):
        entry_source = f"{source}#{n}"
        try:
            yield _entry_article(entry, entry_source, feed_title, outlet)
        except ReadFailure as exc:
            yield ItemFailure(source=entry_source, reason=exc.reason)


def _entry_article(entry, source: str, feed_title: str | None, outlet: str | None) -> Article:
    title = re.sub(r"\s+", " ", html_to_text(entry.get("title", ""))).strip()
    body = _entry_body(entry)
    if not body:
        raise ReadFailure("feed entry has no summary or content (only a link); fetch the page to read it")
    if title:
        original = f"{title}\n\n{body}"
        title_span = Span(start=0, end=len(title), text=title)
    else:
        original, title_span = body, None
    url = entry.get("link") or None
    author, by_byline = clean_byline(entry.get("author") or None)
    meta = _entry_meta(entry, feed_title)
    record_declared(meta, *(from_section(t, "feed category") for t in meta.get("tags", [])), from_url(url), by_byline)
    name, how = resolve(feed_title, url, outlet)
    if how:
        meta["outlet_from"] = how
    return Article(
        id=article_id(original),
        original=original,
        source=source,
        format="feed",
        title=title_span,
        url=url,
        outlet=name,
        author=author,
        published=entry_date(entry),
        meta=meta,
    )


def _entry_meta(entry, feed_title: str | None) -> dict:
    meta: dict = {}
    if entry.get("id"):
        meta["entry_id"] = str(entry["id"])
    tags = [t.get("term") for t in entry.get("tags", []) if t.get("term")]
    if tags:
        meta["tags"] = tags
    if feed_title:
        meta["feed_title"] = feed_title
    return meta


def _entry_body(entry) -> str:
    # Full content when the feed carries it, else the summary; both may hold HTML.
    candidates = [c.get("value", "") for c in entry.get("content", [])] + [entry.get("summary", "")]
    texts = [html_to_text(c) for c in candidates if c]
    return max(texts, key=len, default="")


def entry_date(entry) -> datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            year, month, day, hour, minute, second = value[:6]
            return datetime(year, month, day, hour, minute, second, tzinfo=UTC)  # feedparser normalises to UTC
    return None
