"""One short, unique name per article of a story: what every explanation and view of a
comparison calls it. Numbered in a fixed order (date, then id), so the same articles get the same
names whatever order they came in."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import PurePath

from unspin.types import Analysis, Article

_NEVER = datetime.max.replace(tzinfo=UTC)


_ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".md")


def short_label(article: Article) -> str:
    """The outlet, else the file name of the source without an article file's extension (a full
    path is noise in a chart or column, and a file name says which article; its extension does not)."""
    if article.outlet:
        return article.outlet
    if article.source and "://" not in article.source:
        name = PurePath(article.source).name or article.source
        return name.rsplit(".", 1)[0] if name.lower().endswith(_ARTICLE_SUFFIXES) else name
    return article.label


def article_order(article: Article) -> tuple:
    """Sort key: the earliest published first, undated last, then by id."""
    published = article.published
    if published is not None and published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return (published or _NEVER, article.id)


def unique_labels(analyses: Iterable[Analysis]) -> dict[str, str]:
    """Article id -> its short label; articles of one outlet become "Outlet (1)", "Outlet (2)",
    earliest first."""
    arts = sorted({a.article.id: a.article for a in analyses}.values(), key=article_order)
    counts = Counter(short_label(a) for a in arts)
    seen: Counter[str] = Counter()
    names: dict[str, str] = {}
    for art in arts:
        base = short_label(art)
        if counts[base] > 1:
            seen[base] += 1
            names[art.id] = f"{base} ({seen[base]})"
        else:
            names[art.id] = base
    return names
