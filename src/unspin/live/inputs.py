"""Turn what a user or a feed hands us (pasted text, an uploaded file, fetched bytes) into
``Article`` records, with a clear reason when it is not an article."""

from __future__ import annotations

from unspin.read.decode import decode_bytes
from unspin.read.dispatch import format_for, read_bytes_as, sniff_format
from unspin.read.errors import ReadFailure
from unspin.read.html import read_html
from unspin.read.text import read_text
from unspin.types import Article, ItemFailure

# An HTML page whose extracted text is shorter than this is a menu, a login page or an error
# page, not an article; analysing it would only produce noise.
MIN_HTML_WORDS = 30

_CONTENT_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/json": "jsonl",
    "application/x-ndjson": "jsonl",
    "text/csv": "csv",
}


def article_from_text(text: str, *, source: str, title: str = "", outlet: str | None = None) -> Article:
    """Pasted text; a separate title becomes the first line, as in a text file."""
    body = text.replace("\r\n", "\n").strip("\n")
    if not body.strip():
        raise ReadFailure("the text is empty")
    title = " ".join(title.split())
    original = f"{title}\n\n{body}" if title else body
    return read_text(original, source, outlet=outlet or None)


def article_from_html(html: str, *, source: str, outlet: str | None = None) -> Article:
    article = read_html(html, source, outlet=outlet)
    words = len(article.original.split())
    if words < MIN_HTML_WORDS:
        raise ReadFailure(
            f"the page holds no article: only {words} words of text were found (at least {MIN_HTML_WORDS} needed)"
        )
    return article


def articles_from_bytes(
    data: bytes,
    *,
    source: str,
    filename: str | None = None,
    content_type: str | None = None,
    outlet: str | None = None,
    max_bytes: int = 5_000_000,
) -> list[Article]:
    """Every article in ``data`` (a file may hold a corpus). The format comes from the file name,
    else the content type, else the content. Raises ``ReadFailure`` when none can be read."""
    if filename:
        fmt = format_for(filename, data)
    else:
        fmt = _CONTENT_TYPES.get((content_type or "").lower()) or sniff_format(data)
        if fmt == "text" and (content_type or "").endswith("xml"):
            fmt = "feed"
    if fmt == "html":
        return [article_from_html(decode_bytes(data, max_bytes=max_bytes, source=source), source=source, outlet=outlet)]
    found = list(read_bytes_as(fmt, data, source, outlet=outlet, max_bytes=max_bytes))
    articles = [a for a in found if isinstance(a, Article)]
    if not articles:
        reasons = "; ".join(e.reason for e in found if isinstance(e, ItemFailure))[:500]
        raise ReadFailure(f"no article could be read from {source}" + (f": {reasons}" if reasons else ""))
    return articles
