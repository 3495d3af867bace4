"""Stage: clean. Mark boilerplate, split body paragraphs, detect language; ``original`` stays intact."""

from __future__ import annotations

import re
from datetime import datetime

from unspin.clean.boilerplate import find_boilerplate, is_boilerplate_line
from unspin.clean.language import detect_language
from unspin.clean.offsets import OffsetMap, cleaned_text
from unspin.clean.rules import load_rules
from unspin.read.meta import parse_date
from unspin.read.title import find_title
from unspin.types import Article, Finding, Span

__all__ = ["OffsetMap", "clean_article", "cleaned_text", "detect_language", "find_boilerplate", "load_rules"]


def clean_article(article: Article) -> Article:
    """A copy of ``article`` with ``title`` (when the reader set none and the text starts with
    one), ``paragraphs``, ``removed`` and ``language`` set. Running it twice gives the same result."""
    rules = load_rules()
    title = article.title
    if title is None:
        found = find_title(article.original)
        if found and not is_boilerplate_line(article.original[found[0] : found[1]], rules):
            title = Span(start=found[0], end=found[1], text=article.original[found[0] : found[1]])
    paragraphs, removed = find_boilerplate(
        article.original, body_start=title.end if title else 0, title=title.text if title else "", rules=rules
    )
    removed = [f.model_copy(update={"article_id": article.id}) for f in removed]
    sample = "\n".join(p.text for p in paragraphs) or (title.text if title else article.original)
    language, confidence = detect_language(sample)
    meta = dict(article.meta) | {"language_confidence": confidence, "clean_rules": f"rules.toml@{rules.version}"}
    update: dict[str, object] = {"title": title, "paragraphs": paragraphs, "removed": removed,
                                 "language": language, "meta": meta}
    if article.published is None:
        stamp = date_from_timestamp(removed)
        if stamp is not None:
            update["published"] = stamp[0]
            meta["published_from"] = stamp[1]
    return article.model_copy(update=update)


_STAMP_KEYWORD = re.compile(r"(first\s+|last\s+)?(published|updated|posted|modified)(\s+(on|at))?\s*:?\s*", re.I)


def date_from_timestamp(removed: list[Finding]) -> tuple[datetime, str] | None:
    """The publication date a removed timestamp line gives, and where it was read (the line's
    character offsets): a 'published' or 'posted' date before an 'updated' one. Only a date with
    a year counts; '2 hours ago' says nothing without knowing when the page was saved."""
    best: tuple[int, datetime, str] | None = None
    for f in removed:
        if f.label != "timestamp":
            continue
        for part in re.split(r"\s*[|·•]\s*", f.text):
            m = _STAMP_KEYWORD.match(part)
            rest = part[m.end() :] if m else part
            if not re.search(r"\b\d{4}\b|\d{4}-\d{2}", rest):
                continue
            when = parse_date(rest.strip(" ,;-–—"))
            if when is None:
                continue
            rank = 1 if m and m.group(2).lower() in ("updated", "modified") else 0
            if best is None or rank < best[0]:
                best = (rank, when, f"rule:clean/timestamp@{f.start}-{f.end}")
    return (best[1], best[2]) if best else None
