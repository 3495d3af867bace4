"""Reported speech from the attribution tagger: each Content span it marks outside quote marks,
with the Cue and Source it belongs to, becomes a ``reported_speech`` finding.

The tagger marks spans; this module pairs them. A Content goes with the nearest Cue in its own
sentence (else the one just before it in the paragraph), and the Cue with the nearest Source in
that sentence; failing a tagged Source, the Cue's grammatical subject is the speaker. The speaker
words are then resolved to a name as every quote's are (``speakers.speaker_for_token``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from spacy.tokens import Doc, Span, Token

from unspin.analyse.quote_marks import QuotePiece
from unspin.analyse.speakers import Mention, Speaker, speaker_for_token, subject_of
from unspin.analyse.speech_tagger import SpeechTagger, TaggedSpan, quoted_mask, spans_of
from unspin.types import Article, Finding

MIN_CONTENT_WORDS = 1  # PolNeAR's contents can be one word ("slams Trump"): 0.689 -> 0.714 recall, F1 up
SOURCE = "model:speech-tagger@1"  # the number changes with the shipped weights
_SPEAKER_POS = ("PROPN", "PRON", "NOUN")


class QuoteState(Protocol):
    """What the quotes component knows of an article (``quotes._ArticleQuotes``)."""

    article: Article
    texts: list[str]
    docs: tuple[Doc, ...]
    pieces: list[list[QuotePiece]]
    mentions: list[Mention]
    speakers: list[Mention]

    def abs(self, para: int, local: int) -> int: ...

    def speaker_attrs(self, sp: Speaker, cue: tuple[int, int, int] | None = None) -> dict: ...


def _sentence_ids(doc: Doc) -> np.ndarray:
    ids = np.zeros(len(doc), dtype=np.int64)
    for n, sent in enumerate(doc.sents):
        ids[sent.start : sent.end] = n
    return ids


def _gap(a: TaggedSpan, b: TaggedSpan) -> int:
    """Tokens between two spans (0 when they touch or overlap)."""
    return max(0, b.start - a.end, a.start - b.end)


def _nearest(target: TaggedSpan, spans: list[TaggedSpan], sentences: set[int], sent: np.ndarray) -> TaggedSpan | None:
    near = [s for s in spans if int(sent[s.start]) in sentences]
    return min(near, key=lambda s: _gap(target, s), default=None)


def _cue_for(content: TaggedSpan, cues: list[TaggedSpan], sent: np.ndarray) -> TaggedSpan | None:
    own = {int(sent[content.start]), int(sent[content.end - 1])}
    cue = _nearest(content, cues, own, sent)
    if cue is None:  # "The plan, he said, ...": else the last Cue before the Content in the paragraph
        cue = max((c for c in cues if c.end <= content.start), key=lambda c: c.end, default=None)
        if cue is not None and int(sent[content.start]) - int(sent[cue.start]) > 1:
            cue = None
    return cue


def _head(doc: Doc, span: TaggedSpan) -> Token:
    """The span's syntactic head: its token whose head lies outside it, preferring a name."""
    toks = list(doc[span.start : span.end])
    outside = [t for t in toks if not (span.start <= t.head.i < span.end) or t.head is t]
    pool = [t for t in outside if t.pos_ in _SPEAKER_POS] or [t for t in toks if t.pos_ in _SPEAKER_POS] or toks
    return pool[0]


def _speaker_token(doc: Doc, cue: TaggedSpan | None, sources: list[TaggedSpan], sent: np.ndarray,
                   content: TaggedSpan) -> Token | None:
    anchor = cue or content
    source = _nearest(anchor, sources, {int(sent[anchor.start])}, sent)
    if source is not None:
        return _head(doc, source)
    if cue is not None:
        verb = _head(doc, cue)
        return subject_of(verb)
    return None


@dataclass
class TaggedParagraph:
    """One paragraph as the tagger saw it."""

    mask: np.ndarray  # tokens inside quote marks
    marginals: np.ndarray  # each token's label probability
    spans: list[TaggedSpan]
    sentences: np.ndarray  # each token's sentence number

    def of_kind(self, kind: str) -> list[TaggedSpan]:
        return [s for s in self.spans if s.kind == kind]


def tag_paragraphs(state: QuoteState, tagger: SpeechTagger) -> list[TaggedParagraph]:
    masks = [quoted_mask(doc, state.pieces[k], state.texts[k]) for k, doc in enumerate(state.docs)]
    tagged = tagger.tag_many(list(state.docs), masks)
    return [TaggedParagraph(mask, marginals, spans_of(labels), _sentence_ids(doc))
            for doc, mask, (labels, marginals) in zip(state.docs, masks, tagged, strict=True)]


def _speaker(state: QuoteState, k: int, para: TaggedParagraph, content: TaggedSpan
             ) -> tuple[Speaker, TaggedSpan | None]:
    doc = state.docs[k]
    cue = _cue_for(content, para.of_kind("CUE"), para.sentences)
    cue_text = doc[cue.start : cue.end].text if cue is not None else None
    tok = _speaker_token(doc, cue, para.of_kind("SRC"), para.sentences, content)
    if tok is None or para.mask[tok.i]:
        return Speaker(None, None, None, None, "none", 0.3, cue_text), cue
    return speaker_for_token(tok, k, state.mentions, state.speakers, cue_text), cue


def _cue_tuple(doc: Doc, k: int, cue: TaggedSpan | None) -> tuple[int, int, int] | None:
    return None if cue is None else (k, doc[cue.start].idx, _end(doc[cue.start : cue.end]))


def tagged_reported_speech(state: QuoteState, tagger: SpeechTagger, paragraphs: list[TaggedParagraph]
                           ) -> list[Finding]:
    findings: list[Finding] = []
    original = state.article.original
    for k, (doc, para) in enumerate(zip(state.docs, paragraphs, strict=True)):
        for content in para.of_kind("CON"):
            if para.mask[content.start : content.end].mean() > 0.5:
                continue  # a direct quote: the quote rules report it with its marks
            while content.end - content.start > 1 and doc[content.start].dep_ == "mark":
                content = TaggedSpan(content.kind, content.start + 1, content.end)  # "that", "whether"
            words = [t for t in doc[content.start : content.end] if not t.is_punct]
            if len(words) < MIN_CONTENT_WORDS:
                continue
            sp, cue = _speaker(state, k, para, content)
            start, end = _trimmed(original, state.abs(k, doc[content.start].idx),
                                  state.abs(k, _end(doc[content.start : content.end])))
            if end <= start:
                continue
            score = float(para.marginals[content.start : content.end].mean())
            who = sp.name or "an unnamed source"
            how = f'"{sp.verb}"' if sp.verb else "no reporting words found"
            findings.append(Finding(
                kind="reported_speech", label="indirect", start=start, end=end, text=original[start:end],
                confidence=round(min(tagger.confidence(score, cue is not None, sp.name is not None), 0.95), 3),
                source=SOURCE,
                explanation=f"What {who} is reported to say or hold ({how}), marked by the attribution tagger.",
                attrs=state.speaker_attrs(sp, _cue_tuple(doc, k, cue)) | {"tagger_score": round(score, 3)},
            ))
    return findings


def quote_speaker(state: QuoteState, paragraphs: list[TaggedParagraph], k: int, piece: QuotePiece
                  ) -> tuple[Speaker, tuple[int, int, int] | None] | None:
    """For a quote the rules found no speaker for: the Source the tagger pairs with the Content
    over the quote's words (and its Cue), when it names one."""
    doc, para, text = state.docs[k], paragraphs[k], state.texts[k]
    if len(doc) == 0:
        return None
    inside = np.flatnonzero(quoted_mask(doc, [piece], text))
    if len(inside) == 0:
        return None
    lo, hi = int(inside[0]), int(inside[-1]) + 1
    overlapping = [c for c in para.of_kind("CON") if c.start < hi and c.end > lo]
    if not overlapping:
        return None
    content = max(overlapping, key=lambda c: min(c.end, hi) - max(c.start, lo))
    sp, cue = _speaker(state, k, para, content)
    if sp.name is None:
        return None
    return sp, _cue_tuple(doc, k, cue)


def _end(span: Span) -> int:
    last = span[-1]
    return last.idx + len(last)


def _trimmed(original: str, start: int, end: int) -> tuple[int, int]:
    """Without the punctuation and spaces at the edges."""
    while start < end and (original[start].isspace() or original[start] in ",;:"):
        start += 1
    while end > start and (original[end - 1].isspace() or original[end - 1] in ",;:."):
        end -= 1
    return start, end
