"""Hand-built articles, analyses and comparisons for the store/present/CLI tests.

Offsets are computed from the text (never typed in), so ``original[start:end] == text`` holds.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import create_engine, text

from unspin.compare.divergence import top_divergence
from unspin.compare.labels import unique_labels
from unspin.compare.quote_groups import quote_groups
from unspin.types import (
    Analysis,
    Article,
    Comparison,
    Entity,
    Finding,
    Paragraph,
    Sentence,
    Span,
    Story,
    StoryMember,
)


def _span(original: str, text: str, after: int = 0) -> tuple[int, int]:
    start = original.index(text, after)
    return start, start + len(text)


def make_article(
    body: str,
    *,
    title: str = "Talks stall at the river",
    outlet: str | None = "Test Wire",
    source: str = "test.txt",
    boilerplate: str | None = None,
) -> Article:
    original = f"{title}\n\n{body}" + (f"\n\n{boilerplate}" if boilerplate else "")
    ts, te = _span(original, title)
    paragraphs = []
    pos = te
    for i, para in enumerate(p for p in body.split("\n\n") if p.strip()):
        s, e = _span(original, para, pos)
        paragraphs.append(Paragraph(start=s, end=e, text=para, index=i, line=original.count("\n", 0, s) + 1))
        pos = e
    removed = []
    if boilerplate:
        s, e = _span(original, boilerplate, pos)
        removed.append(
            Finding(
                kind="boilerplate",
                label="tag_list",
                start=s,
                end=e,
                text=boilerplate,
                confidence=0.9,
                source="rule:clean.tags",
                explanation="A list of tags.",
            )
        )
    return Article(
        id=hashlib.sha256(original.encode()).hexdigest()[:16],
        original=original,
        source=source,
        title=Span(start=ts, end=te, text=title),
        outlet=outlet,
        language="en",
        paragraphs=paragraphs,
        removed=removed,
    )


def make_analysis(article: Article, components: tuple[str, ...] = ("nlp@1", "quotes@1")) -> Analysis:
    o = article.original
    findings: list[Finding] = []
    sentences = []
    for p in article.paragraphs:
        s, e = p.start, p.end
        sentences.append(Sentence(start=s, end=e, text=o[s:e], paragraph=p.index))
    entities = []
    if "Vasko" in o:
        s, e = _span(o, "Vasko")
        entities.append(Entity(start=s, end=e, text="Vasko", label="PERSON"))
    q_open = o.find("\u201c")
    if q_open >= 0:
        q_close = o.index("\u201d", q_open)
        s, e = q_open + 1, q_close
        attrs = {
            "speaker": "Teodor Vasko",
            "speaker_start": None,
            "speaker_end": None,
            "verb": "said",
            "resolved_by": "verb",
        }
        if "Vasko" in o:
            attrs["speaker_start"], attrs["speaker_end"] = _span(o, "Vasko")
        findings.append(
            Finding(
                kind="quote",
                label="direct",
                start=s,
                end=e,
                text=o[s:e],
                confidence=0.9,
                source="rule:quotes.verb",
                explanation="A direct quote with its speaker.",
                article_id=article.id,
                attrs=attrs,
            )
        )
    for word, entry in (("regime", "regime"), ("junta", "junta")):
        if word in o:
            s, e = _span(o, word)
            findings.append(
                Finding(
                    kind="term",
                    label=entry,
                    start=s,
                    end=e,
                    text=word,
                    confidence=0.8,
                    source="lexicon:loaded.toml@1",
                    explanation=f"'{word}' is a loaded label.",
                    article_id=article.id,
                    attrs={"category": "loaded", "neutral": "government"},
                )
            )
    if "according to" in o:
        s, e = _span(o, "according to the Herald")
        findings.append(
            Finding(
                kind="attribution",
                label="the Herald",
                start=s,
                end=e,
                text=o[s:e],
                confidence=0.85,
                source="rule:attribution.according_to",
                explanation="The article credits another outlet.",
                article_id=article.id,
                attrs={"media": "the Herald", "via": [], "pattern": "according to"},
            )
        )
    findings.append(
        Finding(
            kind="genre",
            label="reporting",
            confidence=0.7,
            source="model:genre@0.1",
            explanation="Reads as news reporting.",
            article_id=article.id,
        )
    )
    return Analysis(
        article=article,
        sentences=sentences,
        entities=entities,
        findings=findings,
        components=list(components),
    )


BODY_A = (
    "The talks ended without a deal on Tuesday, according to the Herald.\n\n"
    "\u201cWe will not sign any agreement that splits the valley,\u201d Vasko said."
)
BODY_B = (
    "The regime walked out of the talks.\n\n"
    "\u201cWe may never sign any agreement that splits the valley,\u201d Vasko said, as the junta looked on."
)


def make_comparison(a: Analysis, b: Analysis) -> Comparison:
    """Shaped like ``unspin.compare.compare`` output: fidelity findings in both directions,
    ``only_here`` sentences, ``contrast`` with its concept, per-article summaries."""
    qa, qb = a.of_kind("quote")[0], b.of_kind("quote")[0]
    oa = a.article.original
    s, e = _span(oa, "The talks ended without a deal on Tuesday")
    ta = b.of_kind("term")[0]
    story = Story(
        id="story-1",
        title="Talks stall at the river",
        members=[StoryMember(article_id=a.article.id), StoryMember(article_id=b.article.id)],
    )

    def fidelity(this: Finding, other: Finding, this_a: Analysis, other_a: Analysis) -> Finding:
        return Finding(
            kind="fidelity",
            label="altered",
            start=this.start,
            end=this.end,
            text=this.text,
            confidence=0.8,
            source="rule:compare/quote-fidelity",
            article_id=this_a.article.id,
            explanation="The other article renders these words differently.",
            attrs={
                "speaker": "Teodor Vasko",
                "other_article_id": other_a.article.id,
                "other_text": other.text,
                "other_start": other.start,
                "other_end": other.end,
                "changes": ["'will not' became 'may never'"],
            },
        )

    findings = [
        fidelity(qb, qa, b, a),
        fidelity(qa, qb, a, b),
        Finding(
            kind="only_here",
            label="sentence",
            start=s,
            end=e,
            text=oa[s:e],
            confidence=0.75,
            source="rule:compare/align",
            explanation="No other article carries this sentence.",
            article_id=a.article.id,
        ),
        Finding(
            kind="contrast",
            label="government",
            start=ta.start,
            end=ta.end,
            text=ta.text,
            confidence=0.8,
            source="rule:compare/contrast",
            explanation="One says 'regime', the other 'government'.",
            article_id=b.article.id,
            attrs={"concept": "government", "other_article_id": a.article.id},
        ),
    ]
    per_article = {
        a.article.id: {
            "quotes": 1,
            "quotes_only_here": 0,
            "entities_only_here": ["the Herald"],
            "attributions": ["the Herald"],
            "terms": [],
        },
        b.article.id: {
            "quotes": 1,
            "quotes_only_here": 0,
            "entities_only_here": [],
            "terms": [{"text": "regime", "label": "regime"}, {"text": "junta", "label": "junta"}],
        },
    }
    groups = quote_groups(findings[:2], {x.article.id: x.article.published for x in (a, b)})
    labels = unique_labels([a, b])
    return Comparison(story=story, findings=findings, per_article=per_article, quote_groups=groups, labels=labels,
                      top_divergence=top_divergence(findings, labels))


def count_rows(db, table: str) -> int:
    """Rows in ``table`` of a store given as ``--db`` takes it (path or URL), read afresh."""
    from unspin.store.db import resolve_url

    engine = create_engine(resolve_url(db))
    try:
        with engine.connect() as conn:
            return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    finally:
        engine.dispose()
