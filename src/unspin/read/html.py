"""Saved HTML pages, through trafilatura (main text + metadata).

``Article.original`` is the page title, a blank line, then the extracted body text (one
paragraph per line, as trafilatura writes it), so every offset points into text a reader can
see. Scripts are never run: trafilatura and lxml only parse the markup, and the extracted
text does not include script or style content.
"""

from __future__ import annotations

import re

from unspin.read.declared import clean_byline, from_schema, from_section, from_url, record_declared
from unspin.read.errors import ReadFailure
from unspin.read.flatten import LIBXML_DEPTH, flatten, nesting_depth
from unspin.read.htmlparse import TolerantHTMLParser
from unspin.read.ids import article_id
from unspin.read.meta import parse_date
from unspin.read.outlets import resolve
from unspin.types import Article, Span

# Fewer words than this is navigation or a stub ("Home"), not an article.
MIN_BODY_WORDS = 8


def read_html(html: str, source: str, *, outlet: str | None = None) -> Article:
    import trafilatura  # heavy import, only when an HTML page is read

    doc = _extract(trafilatura, html)
    body = _body(doc)
    if len(body.split()) < MIN_BODY_WORDS:
        # libxml2 gives up past ~255 levels and the text is lost: unwrap the deep part and retry.
        depth = nesting_depth(html)
        if depth <= LIBXML_DEPTH:
            raise ReadFailure("no article text found in HTML")
        doc = _extract(trafilatura, flatten(html))
        body = _body(doc)
        if len(body.split()) < MIN_BODY_WORDS:
            raise ReadFailure(f"no article text found in HTML (its elements nest {depth} levels deep, "
                              f"past the {LIBXML_DEPTH} a parser reads, and none was found after unwrapping them)")
    head = _head_metadata(html)
    title = _one_line(getattr(doc, "title", None) or head.get("title") or "")
    if title:
        original = f"{title}\n\n{body}"
        title_span = Span(start=0, end=len(title), text=title)
    else:
        original, title_span = body, None
    url = head.get("canonical") or getattr(doc, "url", None)
    author, by_byline = clean_byline(getattr(doc, "author", None) or head.get("author"))
    meta = {k: v for k, v in {"description": getattr(doc, "description", None)}.items() if v}
    record_declared(
        meta, from_schema(head.get("json_ld", "")), from_section(head.get("section"), "article:section"), from_url(url),
        by_byline,
    )
    name, how = resolve(head.get("site_name") or getattr(doc, "sitename", None), url, outlet)
    if how:
        meta["outlet_from"] = how
    return Article(
        id=article_id(original),
        original=original,
        source=source,
        format="html",
        title=title_span,
        url=url,
        outlet=name,
        author=author,
        published=parse_date(head.get("published") or getattr(doc, "date", None)),
        meta=meta,
    )


def _extract(trafilatura, html: str):
    try:
        return trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_images=False, include_links=False
        )
    except Exception as exc:  # trafilatura raises assorted parser errors on broken markup
        raise ReadFailure(f"no article text found in HTML (the page could not be parsed: {exc})") from exc


def _body(doc) -> str:
    return (getattr(doc, "text", None) or "").strip() if doc is not None else ""


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _HeadMetadata(TolerantHTMLParser):
    """Collects <meta>, <link rel=canonical> and JSON-LD wherever they stand; tolerant of broken
    markup. JSON-LD is kept as text (capped) for ``declared.from_schema``, never evaluated."""

    JSON_LD_CAP = 200_000

    WANTED = {
        "og:site_name": "site_name",
        "article:published_time": "published",
        "og:title": "title",
        "author": "author",
        "article:author": "author",
        "article:section": "section",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}
        self._in_json_ld = False
        self._json_ld: list[str] = []
        self._json_ld_size = 0

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_json_ld = False

    def close(self) -> None:
        super().close()
        if self._json_ld:
            self.found["json_ld"] = "".join(self._json_ld)[: self.JSON_LD_CAP]

    def handle_data(self, data: str) -> None:
        if self._in_json_ld and self._json_ld_size < self.JSON_LD_CAP:
            self._json_ld.append(data)
            self._json_ld_size += len(data)

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = {k.lower(): (v or "").strip() for k, v in attrs}
        if tag == "meta":
            key = (attributes.get("property") or attributes.get("name") or "").lower()
            field = self.WANTED.get(key)
            if field and attributes.get("content"):
                self.found.setdefault(field, attributes["content"])
        elif tag == "script":
            self._in_json_ld = attributes.get("type", "").lower() == "application/ld+json"
        elif tag == "link" and "canonical" in attributes.get("rel", "").lower().split() and attributes.get("href"):
            self.found.setdefault("canonical", attributes["href"])


def _head_metadata(html: str) -> dict[str, str]:
    """The few <meta>/<link> fields we read ourselves: trafilatura keeps only the day of
    ``article:published_time`` and may prefer other URLs over ``rel=canonical``."""
    parser = _HeadMetadata()
    parser.feed(html)
    parser.close()
    return parser.found
