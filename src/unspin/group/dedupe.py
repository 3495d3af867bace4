"""Near-duplicates: syndicated copies and light rewrites, found with MinHash LSH (datasketch).

Each article becomes the set of its word 3-shingles; MinHash estimates the Jaccard similarity
of two such sets, and LSH finds the candidates above a threshold without comparing every pair.
A copy (estimated Jaccard >= ``copy``) and a rewrite (>= ``rewrite``) are linked to the earlier
article, so they are not counted as independent coverage of a story.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import lru_cache

from datasketch import MinHash, MinHashLSH

from unspin.group.text import words
from unspin.types import Relation


@dataclass(frozen=True)
class DedupeConfig:
    copy: float = 0.8
    rewrite: float = 0.35
    shingle: int = 3
    num_perm: int = 128


@dataclass(frozen=True)
class Duplicate:
    of: str  # the earlier article this one copies
    relation: Relation  # "copy_of" | "rewrite_of"
    similarity: float  # estimated Jaccard of word 3-shingles


def _hash32(b: bytes) -> int:
    # crc32 is stable across processes (Python's hash() is salted) and fast in C.
    return zlib.crc32(b)


def shingles(text: str, size: int = 3) -> set[bytes]:
    ws = words(text)
    if len(ws) < size:
        return {" ".join(ws).encode()} if ws else set()
    return {" ".join(ws[i : i + size]).encode() for i in range(len(ws) - size + 1)}


@lru_cache(maxsize=4)
def _empty(num_perm: int) -> MinHash:
    return MinHash(num_perm=num_perm, hashfunc=_hash32)


def signature(text: str, cfg: DedupeConfig = DedupeConfig()) -> MinHash:
    # A copy of an empty MinHash shares its permutation parameters instead of drawing them
    # again for every article (same seed, so the same signature).
    m = _empty(cfg.num_perm).copy()
    sh = shingles(text, cfg.shingle)
    if sh:
        m.update_batch(list(sh))
    return m


class NearDuplicates:
    """Incremental index: ``check(id, text)`` says what an article duplicates (if anything),
    ``add`` stores it so later articles can be matched against it."""

    def __init__(self, config: DedupeConfig | None = None) -> None:
        self.config = config or DedupeConfig()
        # LSH is tuned for the rewrite threshold; every candidate is then verified.
        self._lsh = MinHashLSH(threshold=self.config.rewrite, num_perm=self.config.num_perm)
        self._sigs: dict[str, MinHash] = {}
        self._order: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._sigs)

    def check(self, text: str, sig: MinHash | None = None) -> Duplicate | None:
        sig = sig if sig is not None else signature(text, self.config)
        if len(self._sigs) == 0 or sig.is_empty():
            return None
        best: tuple[float, int, str] | None = None
        for key in self._lsh.query(sig):
            sim = sig.jaccard(self._sigs[key])
            cand = (sim, -self._order[key], key)  # most similar, then earliest
            if sim >= self.config.rewrite and (best is None or cand > best):
                best = cand
        if best is None:
            return None
        sim, _, key = best
        return Duplicate(key, "copy_of" if sim >= self.config.copy else "rewrite_of", round(sim, 3))

    def add(self, article_id: str, text: str, sig: MinHash | None = None) -> Duplicate | None:
        """Check, then index the article (unless the same id is already there)."""
        sig = sig if sig is not None else signature(text, self.config)
        dup = self.check(text, sig)
        if article_id not in self._sigs and not sig.is_empty():
            self._sigs[article_id] = sig
            self._order[article_id] = len(self._order)
            self._lsh.insert(article_id, sig)
        return dup

