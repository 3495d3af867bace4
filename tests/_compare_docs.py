"""Hand-built ``Analysis`` objects for compare tests: findings in the conventions of
docs/architecture.md, each span located by searching its text in the article's original."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from unspin.types import Analysis, Article, Entity, Finding, Paragraph, Span


def span_of(original: str, text: str, nth: int = 0) -> tuple[int, int]:
    pos = -1
    for _ in range(nth + 1):
        pos = original.index(text, pos + 1)
    return pos, pos + len(text)


def make_analysis(
    text: str,
    *,
    outlet: str | None = None,
    titled: bool = False,
    published: datetime | None = None,
    quotes: list[tuple[str, str | None]] = (),
    reported: list[tuple[str, str | None]] = (),
    terms: list[tuple[str, dict[str, Any]]] = (),
    entities: list[tuple[str, str]] = (),
    attributions: list[tuple[str, str, list[str]]] = (),
    dates: list[tuple[str, str]] = (),
    techniques: list[str] = (),
) -> Analysis:
    """``titled``: the first line is the headline. Every other non-blank line is a paragraph."""
    aid = hashlib.sha256(text.encode()).hexdigest()[:16]
    lines = text.split("\n")
    title = None
    paragraphs: list[Paragraph] = []
    pos = 0
    for no, line in enumerate(lines, start=1):
        if line.strip():
            if titled and title is None:
                title = Span(start=pos, end=pos + len(line), text=line)
            else:
                paragraphs.append(Paragraph(start=pos, end=pos + len(line), text=line, index=len(paragraphs), line=no))
        pos += len(line) + 1
    art = Article(id=aid, original=text, outlet=outlet, title=title, paragraphs=paragraphs, published=published)

    def finding(kind: str, label: str, needle: str, **attrs: Any) -> Finding:
        s, e = span_of(text, needle)
        return Finding(kind=kind, label=label, start=s, end=e, text=needle, confidence=0.9,
                       source=f"rule:test-{kind}", article_id=aid, attrs=attrs)

    fs = [finding("quote", "direct", q, speaker=sp) for q, sp in quotes]
    fs += [finding("reported_speech", "indirect", q, speaker=sp) for q, sp in reported]
    fs += [finding("term", attrs.get("id", t.lower()), t, **attrs) for t, attrs in terms]
    fs += [finding("attribution", media, phrase, media=media, via=via) for phrase, media, via in attributions]
    fs += [finding("date", "absolute", d, value=v) for d, v in dates]
    fs += [Finding(kind="technique", label=t, confidence=0.8, source="model:test@0", article_id=aid) for t in techniques]
    ents = [Entity(start=s, end=s + len(t), text=t, label=lab) for t, lab in entities for s in _all(text, t)]
    return Analysis(article=art, findings=fs, entities=ents)


def _all(text: str, needle: str) -> list[int]:
    out, pos = [], text.find(needle)
    while pos >= 0:
        out.append(pos)
        pos = text.find(needle, pos + 1)
    return out
