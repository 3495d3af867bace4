"""Text vectors for grouping and alignment: the shared sentence encoder when it is installed,
otherwise signed feature hashing of content words (explicit fallback, always available).

Both give L2-normalised float32 rows, so a dot product is a cosine. Vectors from the two kinds
are not comparable: a ``TextVectors`` instance picks one kind once and keeps it.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

from unspin.group.text import stem, words

log = logging.getLogger(__name__)

HASHING_DIMS = 1024


def hashing_vectors(texts: Sequence[str], dims: int = HASHING_DIMS) -> np.ndarray:
    """Signed feature hashing of stemmed content words with sublinear term weights.

    Signed hashing keeps inner products unbiased (collisions cancel on average), so 1,024
    dimensions are enough to tell same-story from other-story articles at a fraction of the
    memory of a vocabulary-sized TF-IDF matrix, and it needs no fitted vocabulary (incremental).
    """
    out = np.zeros((len(texts), dims), dtype=np.float32)
    for row, text in enumerate(texts):
        counts: dict[str, int] = {}
        for w in words(text):
            if len(w) > 1 and w not in STOP_WORDS and not w.isdigit():
                s = stem(w)
                counts[s] = counts.get(s, 0) + 1
        if not counts:
            continue
        hashes = [zlib.crc32(term.encode()) for term in counts]
        cols = np.fromiter((h % dims for h in hashes), dtype=np.int64, count=len(hashes))
        signs = np.fromiter(
            (1.0 if (h >> 16) & 1 else -1.0 for h in hashes), dtype=np.float64, count=len(hashes)
        )
        weights = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
        acc = np.zeros(dims, dtype=np.float64)
        np.add.at(acc, cols, weights * signs)  # colliding terms add up, as before
        out[row] = acc
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return out / norms


def _load_encoder() -> Callable[..., np.ndarray] | None:
    try:
        from unspin.analyse.models.encoder import get_encoder
    except ImportError:
        return None
    encoder = get_encoder()
    return encoder.embed if encoder.available else None  # embed(texts, batch_size=...)


class Vectorizer(Protocol):
    """What the groupers and compare need of their vectors: vectors for texts, what kind they
    are ("encoder" or "hashing": the thresholds differ) and what made them. ``TextVectors`` is
    the product's; benchmarks and evaluations pass stand-ins (cached or synthetic vectors)."""

    kind: str

    @property
    def source(self) -> str: ...

    def __call__(self, texts: Sequence[str]) -> np.ndarray: ...


class TextVectors:
    """``TextVectors()(texts) -> np.ndarray``; ``kind`` says which vectors it makes.

    ``prefer_encoder=False`` forces the hashing fallback (used by benchmarks and by tests that
    must not depend on model weights)."""

    def __init__(self, prefer_encoder: bool = True) -> None:
        self._embed = _load_encoder() if prefer_encoder else None
        self.kind = "encoder" if self._embed is not None else "hashing"

    @property
    def source(self) -> str:
        if self._embed is not None:
            from unspin.analyse.models.encoder import MODEL_ID

            return f"model:{MODEL_ID}"
        return f"rule:hashing-{HASHING_DIMS}"

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, HASHING_DIMS if self._embed is None else 384), dtype=np.float32)
        if self._embed is not None:
            try:
                return np.asarray(self._embed(list(texts)), dtype=np.float32)
            except Exception as exc:  # weights missing or broken: say so and fall back for good
                log.warning("sentence encoder failed (%s); using hashing vectors", exc)
                self._embed = None
                self.kind = "hashing"
        return hashing_vectors(texts)
