"""Stage: clean. Mark boilerplate, split body paragraphs, detect language; ``original`` stays intact."""

from __future__ import annotations

from unspin.clean.boilerplate import find_boilerplate, is_boilerplate_line
from unspin.clean.language import detect_language
from unspin.clean.offsets import OffsetMap, cleaned_text
from unspin.clean.rules import load_rules
from unspin.read.title import find_title
from unspin.types import Article, Span

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
    return article.model_copy(
        update={"title": title, "paragraphs": paragraphs, "removed": removed, "language": language, "meta": meta}
    )
