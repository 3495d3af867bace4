"""What the comparers look at in one article: its body sentences (with their entities and
content words), its quotes and reported speech (with a speaker key), its headline and lede.

Everything keeps offsets into ``Article.original`` so findings built from it stay checkable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from unspin.group.text import content_stems, entity_key, words
from unspin.types import Analysis, Finding, Sentence

# Entity labels that name who/what a story is about (dates and numbers are compared apart).
NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "EVENT", "FAC", "LAW", "WORK_OF_ART", "PRODUCT"})
_TITLES = frozenset(
    {"president", "prime", "minister", "mr", "mrs", "ms", "dr", "sir", "former", "chancellor", "secretary",
     "general", "spokesman", "spokeswoman", "spokesperson", "foreign", "defence", "defense", "the", "senator",
     "gov", "governor", "king", "queen", "mayor", "leader", "chief", "head", "pope", "ukrainian", "russian", "us", "u.s.", "british", "french"}
)


@dataclass
class Unit:
    """One body sentence of one article."""

    article_id: str
    index: int
    start: int
    end: int
    text: str
    stems: frozenset[str]
    entities: frozenset[str] = field(default_factory=frozenset)


@dataclass
class Speech:
    """A direct quote or a piece of reported speech, with a normalised speaker key."""

    article_id: str
    kind: str  # "quote" | "reported_speech"
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_key: str | None
    finding: Finding


_WHOSE = frozenset({"of", "for", "at", "in", "to"})


def speaker_key(name: str | None) -> str | None:
    if not name:
        return None
    ws = words(name)
    # "the ambassador to Mexico" is keyed as "ambassador", like "the ambassador" elsewhere
    cut = next((i for i, w in enumerate(ws) if i > 0 and w in _WHOSE), len(ws))
    ws = [w for w in ws[:cut] if w not in _TITLES]
    return ws[-1] if ws else None


def same_speaker(a: str | None, b: str | None) -> bool:
    """Surnames match, allowing transliteration variants (Zelensky / Zelenskyy / Zelenskiy)."""
    if not a or not b:
        return False
    return a == b or fuzz.ratio(a, b) >= 85


def _fallback_sentences(analysis: Analysis) -> list[Sentence]:
    """Sentences when the analyse stage gave none: split paragraphs (or the whole text) at
    sentence-final punctuation followed by a capital or a quote mark."""
    art = analysis.article
    blocks = [(p.start, p.text, p.index) for p in art.paragraphs] or [(0, art.original, 0)]
    out: list[Sentence] = []
    for base, text, para in blocks:
        start = 0
        for m in re.finditer(r"[.!?][\"'”’)]*\s+(?=[A-Z\"“‘'(])|\n+", text):
            out.append(_sentence(text, base, start, m.start() + len(m.group().rstrip()), para))
            start = m.end()
        out.append(_sentence(text, base, start, len(text), para))
    return [s for s in out if s.text.strip()]


def _sentence(text: str, base: int, s: int, e: int, para: int) -> Sentence:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return Sentence(start=base + s, end=base + e, text=text[s:e], paragraph=para)


def _outside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return all(end <= s or start >= e for s, e in spans)


def excluded_spans(analysis: Analysis) -> list[tuple[int, int]]:
    """The headline and the text cleaning removed (captions, tag lists): not body claims."""
    art = analysis.article
    spans = [(f.start, f.end) for f in art.removed if f.start is not None and f.end is not None]
    if art.title is not None:
        spans.append((art.title.start, art.title.end))
    return spans


_ACCORDING_TO = re.compile(r"\baccording to\b[^.;:!?\"“”]{0,80}", re.IGNORECASE)


def source_spans(analysis: Analysis) -> list[tuple[int, int]]:
    """Where a sentence names its source rather than its subject: attribution phrases ("according
    to Nordline News", "told the Herald"), "according to ..." up to the clause's end, and the
    speakers of quotes and reported speech. Two outlets citing different sources for one fact
    still state the same fact."""
    out = [(f.start, f.end) for f in analysis.of_kind("attribution") if f.start is not None and f.end is not None]
    out += [(m.start(), m.end()) for m in _ACCORDING_TO.finditer(analysis.article.original)]
    for f in analysis.of_kind("quote", "reported_speech"):
        a, b = f.attrs.get("speaker_start"), f.attrs.get("speaker_end")
        if isinstance(a, int) and isinstance(b, int):
            out.append((a, b))
    return out


def body_units(analysis: Analysis, min_words: int = 4) -> list[Unit]:
    sentences = analysis.sentences or _fallback_sentences(analysis)
    skip = excluded_spans(analysis)
    art = analysis.article
    sources = source_spans(analysis)
    ents = [
        (e.start, e.end, entity_key(e.text, e.label)) for e in analysis.entities
        if e.label in NAMED_LABELS and not any(a <= e.start and e.end <= b for a, b in sources)
    ]
    units: list[Unit] = []
    for s in sentences:
        if not _outside(s.start, s.end, skip) or len(words(s.text)) < min_words:
            continue
        keys = frozenset(k for es, ee, k in ents if es >= s.start and ee <= s.end)
        units.append(Unit(art.id, len(units), s.start, s.end, s.text, content_stems(s.text), keys))
    return units


def speeches(analysis: Analysis) -> list[Speech]:
    out = []
    for f in analysis.of_kind("quote", "reported_speech"):
        if f.start is None or f.end is None or not f.text.strip():
            continue
        speaker = f.attrs.get("speaker")
        out.append(
            Speech(analysis.article.id, f.kind, f.start, f.end, f.text, speaker, speaker_key(speaker), f)
        )
    return out


def named_entities(analysis: Analysis) -> dict[str, str]:
    """Entity key -> the first way the article wrote it. A whole line taken for a name is a
    title-case subheading the tagger misread ("Ukraine May Need Separate Security Guarantees");
    a word the tagger cut off a job title ("Interior" of "Interior Minister Tomas Brecht") is a
    portfolio, not a name."""
    original = analysis.article.original
    lines = {(p.start, p.end) for p in analysis.article.paragraphs}
    out: dict[str, str] = {}
    for e in analysis.entities:
        if e.label in NAMED_LABELS and (e.start, e.end) not in lines and not _portfolio(e.text, original, e.end):
            # The tagger keeps the possessive in the name ("Putin's"); show the name alone.
            out.setdefault(entity_key(e.text, e.label), _POSSESSIVE.sub("", e.text) or e.text)
    return out


_POSSESSIVE = re.compile(r"[’']s?$")
_ROLE_AFTER = re.compile(r"[ \t]+(?:Minister|Secretary|Commissioner)\b")
_PORTFOLIOS = frozenset({
    "interior", "defence", "defense", "foreign", "home", "finance", "health", "justice", "energy", "economy",
    "education", "transport", "environment", "agriculture", "trade", "labour", "culture", "treasury", "emergency",
    "emergencies",
})


def _portfolio(text: str, original: str, end: int) -> bool:
    return text.lower() in _PORTFOLIOS and _ROLE_AFTER.match(original, end) is not None
