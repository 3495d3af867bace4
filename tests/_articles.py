"""Build ``Article`` objects straight from text for analyse tests (no read/clean needed).

Every non-blank line becomes a ``Paragraph`` whose offsets point into ``original``.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from unspin.types import Analysis, Article, Paragraph


def make_article(text: str, *, published: datetime | None = None, article_id: str | None = None) -> Article:
    paragraphs: list[Paragraph] = []
    pos = 0
    for line_no, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped:
            start = pos + (len(line) - len(line.lstrip()))
            paragraphs.append(
                Paragraph(
                    start=start, end=start + len(stripped), text=stripped, index=len(paragraphs), line=line_no
                )
            )
        pos += len(line) + 1
    aid = article_id or hashlib.sha256(text.encode()).hexdigest()[:16]
    return Article(id=aid, original=text, paragraphs=paragraphs, published=published)


def make_doc(text: str, *, published: datetime | None = None) -> Analysis:
    return Analysis(article=make_article(text, published=published))


def analyse(text: str, components: list[str], *, published: datetime | None = None) -> Analysis:
    """Run the named analyse components over ``text`` (spaCy itself is loaded once per process)."""
    from unspin.analyse.pipeline import Pipeline

    return Pipeline(components)(make_article(text, published=published))
