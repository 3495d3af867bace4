"""Plain-text articles: an optional title line (see ``title.find_title``), then the body."""

from __future__ import annotations

from unspin.read.ids import article_id
from unspin.read.outlets import dateline_outlet
from unspin.read.title import find_title
from unspin.types import Article, Span


def read_text(text: str, source: str, *, outlet: str | None = None) -> Article:
    """Build an Article from decoded text; ``text`` becomes ``Article.original`` unchanged."""
    found = find_title(text)
    title = Span(start=found[0], end=found[1], text=text[found[0] : found[1]]) if found else None
    # A wire dateline names the outlet ("WASHINGTON (Reuters) -"); else the caller's default.
    name = dateline_outlet(text)
    how = "dateline" if name else ("given" if outlet else None)
    meta = {"outlet_from": how} if how else {}
    return Article(id=article_id(text), original=text, source=source, format="text", title=title,
                   outlet=name or outlet, meta=meta)
