"""Hand-made analyses and a comparison for the report tests (no models, no grouping needed).

Two short articles written for these tests tell one story; every finding's span is located in
the article's own text, so ``original[start:end] == text`` holds as in the real pipeline.
``hostile=True`` puts markup into the outlet name, title, body, quote speaker and labels.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from unspin.compare.divergence import top_divergence
from unspin.compare.labels import unique_labels
from unspin.compare.quote_groups import quote_groups
from unspin.types import Analysis, Article, Comparison, Finding, Paragraph, Span, Story, StoryMember

HOSTILE_SCRIPT = "<script>window.__pwned=1;alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=window.__pwned=2;alert(2)>"
HOSTILE_ATTR = '"><svg onload=window.__pwned=3;alert(3)>'


def build_article(
    title: str,
    paragraphs: list[str],
    *,
    outlet: str,
    published: datetime,
    url: str | None = None,
    boilerplate: str | None = None,
) -> Article:
    """Title line, blank line, one line per paragraph (the SemEval layout); ``boilerplate`` is a
    last line that cleaning removed (recorded in ``removed``, not a paragraph)."""
    original = title + "\n\n" + "\n".join(paragraphs)
    paras, pos = [], len(title) + 2
    for i, text in enumerate(paragraphs):
        paras.append(Paragraph(start=pos, end=pos + len(text), text=text, index=i, line=i + 3))
        pos += len(text) + 1
    removed = []
    if boilerplate:
        original += "\n" + boilerplate
        removed.append(
            Finding(
                kind="boilerplate",
                label="tag_list",
                start=pos,
                end=pos + len(boilerplate),
                text=boilerplate,
                confidence=0.9,
                source="rule:clean/tag-list",
                explanation="A list of tags, not article text.",
            )
        )
    return Article(
        id=hashlib.sha256(original.encode()).hexdigest()[:16],
        original=original,
        source=f"{outlet}.txt",
        title=Span(start=0, end=len(title), text=title),
        outlet=outlet,
        url=url,
        published=published,
        language="en",
        paragraphs=paras,
        removed=removed,
    )


def at(
    article: Article, needle: str, kind: str, label: str, source: str, explanation: str, **attrs
) -> Finding:
    """A finding on the first occurrence of ``needle`` in the article's original text."""
    start = article.original.index(needle)
    return Finding(
        kind=kind,
        label=label,
        start=start,
        end=start + len(needle),
        text=needle,
        confidence=0.8,
        source=source,
        explanation=explanation,
        article_id=article.id,
        attrs=attrs,
    )


def story_fixture(hostile: bool = False) -> tuple[Comparison, list[Analysis]]:
    outlet_a = "Harbor Ledger" + (HOSTILE_SCRIPT if hostile else "")
    outlet_b = "Daily Courier"
    speaker = "Ana Petrova" + (HOSTILE_IMG if hostile else "")
    title_a = "Minister admits the port will never reopen" + (HOSTILE_ATTR if hostile else "")
    body_a = [
        "The harbour minister Ana Petrova said the port would never reopen, according to the Daily Courier.",
        '"The port will never reopen," Petrova told reporters on Monday.'
        + (f" {HOSTILE_SCRIPT} {HOSTILE_IMG}" if hostile else ""),
        "Critics called the decision a reckless betrayal of the fishing towns.",
        "The port was first closed in 2014 after a storm damaged the pier.",
    ]
    title_b = "Port stays closed for now, minister says"
    body_b = [
        "Harbour minister Ana Petrova said on Monday the port would stay closed while engineers inspect the pier.",
        '"The port is closed for now and we will review it in May," Petrova said.',
        "A review meeting with the fishing cooperatives is planned for 12 May.",
    ]
    a = build_article(
        title_a,
        body_a,
        outlet=outlet_a,
        published=datetime(2024, 3, 4, 9, tzinfo=UTC),
        url="https://ledger.example/port",
    )
    b = build_article(
        title_b,
        body_b,
        outlet=outlet_b,
        published=datetime(2024, 3, 4, 11, tzinfo=UTC),
        boilerplate="Tags: harbour, fishing" + (HOSTILE_IMG if hostile else ""),
    )

    quote_a = "The port will never reopen,"
    quote_b = "The port is closed for now and we will review it in May,"
    fa = [
        at(
            a,
            quote_a,
            "quote",
            "direct",
            "rule:quote-verb",
            "Direct quote attributed by the verb 'told'.",
            speaker=speaker,
            verb="told",
            resolved_by="verb",
        ),
        at(
            a,
            "according to the Daily Courier",
            "attribution",
            "Daily Courier",
            "rule:attribution-according-to",
            "The article attributes this to another medium.",
            media="Daily Courier",
            via=[],
            pattern="according to",
        ),
        at(
            a,
            "reckless betrayal",
            "technique",
            "Loaded_Language" + (HOSTILE_IMG if hostile else ""),
            "model:techniques@0.1.0",
            "Emotionally charged words stand in for an argument.",
        ),
        at(
            a,
            "reckless",
            "term",
            "reckless",
            "lexicon:loaded.toml@1",
            "A loaded adjective.",
            category="loaded",
            neutral=None,
            side=None,
            in_quote=False,
            speaker=None,
        ),
        Finding(
            kind="frame",
            label="Economic",
            confidence=0.7,
            source="model:frames@0.1.0",
            explanation="Costs to the fishing towns frame the story." + (HOSTILE_ATTR if hostile else ""),
            article_id=a.id,
        ),
    ]
    fb = [
        at(
            b,
            quote_b,
            "quote",
            "direct",
            "rule:quote-verb",
            "Direct quote attributed by the verb 'said'.",
            speaker="Ana Petrova",
            verb="said",
            resolved_by="verb",
        ),
        Finding(
            kind="frame",
            label="Policy",
            confidence=0.6,
            source="model:frames@0.1.0",
            explanation="The story is framed around the review process.",
            article_id=b.id,
        ),
    ]
    analyses = [
        Analysis(article=a, sentences=[], findings=fa, components=["test@0"]),
        Analysis(article=b, sentences=[], findings=fb, components=["test@0"]),
    ]
    story = Story(
        id="story-port-1" + (HOSTILE_ATTR if hostile else ""),
        title="Port closure",
        members=[StoryMember(article_id=a.id), StoryMember(article_id=b.id)],
        first_seen=a.published,
        last_seen=b.published,
    )
    qa, qb = a.original.index(quote_a), b.original.index(quote_b)
    cmp_findings = [
        Finding(
            kind="fidelity",
            label="altered",
            start=qa,
            end=qa + len(quote_a),
            text=quote_a,
            confidence=0.9,
            source="rule:quote-fidelity",
            article_id=a.id,
            explanation="The quote changes 'is closed for now' into 'will never reopen' (modality changed).",
            attrs={
                "speaker": speaker,
                "verb": "admitted",
                "other_verb": "said",
                "other_article_id": b.id,
                "other_start": qb,
                "other_end": qb + len(quote_b),
                "other_text": quote_b,
            },
        ),
        at(
            a,
            "The port was first closed in 2014 after a storm damaged the pier.",
            "only_here",
            "sentence",
            "rule:only-here",
            "No other outlet in this story carries this sentence.",
        ),
        at(
            b,
            "A review meeting with the fishing cooperatives is planned for 12 May.",
            "only_here",
            "sentence",
            "rule:only-here",
            "No other outlet in this story carries this sentence.",
        ),
        at(
            a,
            "Minister admits the port will never reopen",
            "headline",
            "absolute",
            "rule:headline-absolute",
            "The headline says 'never' and 'admits' but the body's quotes do not support it.",
        ),
    ]
    comparison = Comparison(
        story=story,
        findings=cmp_findings,
        per_article={a.id: {"entities_only_here": ["Fishing Board" + (HOSTILE_IMG if hostile else "")]}},
        quote_groups=quote_groups(cmp_findings[:1], {a.id: a.published, b.id: b.published}),
        labels=unique_labels(analyses),
        top_divergence=top_divergence(cmp_findings, unique_labels(analyses)),
    )
    return comparison, analyses


def single_fixture() -> Analysis:
    art = build_article(
        "Library extends opening hours",
        ["The city library will open until 9 pm on weekdays from April, the council said."],
        outlet="Town Crier",
        published=datetime(2024, 3, 1, tzinfo=UTC),
    )
    return Analysis(article=art, components=["test@0"])
