"""Turn SemEval docs into tokenised paragraph examples (shared by training and ONNX inference).

The runtime (``unspin.analyse.models.detectors``) builds its inputs with ``encode_paragraph``
from the same module it imports, so training and inference tokenise identically."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from unspin.analyse.models.labels import TECHNIQUES
from unspin.analyse.models.names import common_words
from unspin.analyse.models.paragraph_inputs import encode_paragraph
from unspin.analyse.models.semeval_io import Doc

T_INDEX = {t: i for i, t in enumerate(TECHNIQUES)}


@dataclass
class Example:
    doc_id: str
    line_no: int
    ids: list[int]
    type_ids: list[int]
    para_y: np.ndarray  # (23,)
    tok_y: np.ndarray  # (len(ids), 23); rows outside the paragraph are -1 (ignored)


def doc_examples(doc: Doc, tokenizer, max_length: int, common: frozenset[str]) -> list[Example]:
    out: list[Example] = []
    title = doc.title
    for line in doc.lines:
        context = "" if line.no == 1 else title
        enc = encode_paragraph(tokenizer, line.text, context, max_length, common)
        para_y = np.zeros(len(TECHNIQUES), dtype=np.float32)
        for t in doc.techniques.get(line.no, []):
            if t in T_INDEX:
                para_y[T_INDEX[t]] = 1.0
        tok_y = np.full((len(enc.ids), len(TECHNIQUES)), -1.0, dtype=np.float32)
        spans = [(T_INDEX[t], s - line.start, e - line.start) for t, s, e in doc.spans
                 if t in T_INDEX and s < line.end and e > line.start]
        for k, (seq, (a, b)) in enumerate(zip(enc.sequence_ids, enc.offsets, strict=False)):
            if seq != 0 or b <= a:
                continue
            tok_y[k] = 0.0
            for j, s, e in spans:
                if a < e and b > s:
                    tok_y[k, j] = 1.0
        out.append(Example(doc.id, line.no, list(enc.ids), list(enc.type_ids), para_y, tok_y))
    return out


def corpus_common_words(docs: list[Doc]) -> frozenset[str]:
    """The common-word list that decides what is a name (``names.common_words``) from the
    training articles; the bundle ships the same list (``build_detectors``)."""
    return common_words(ln.text for d in docs for ln in d.lines)
