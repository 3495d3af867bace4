"""Document features for the narrative heads: the shipped MiniLM sentence encoder (the same int8
model the grouping and comparison use, so nothing new loads at run time) over an article's
passages, pooled. Cached under ~/.cache/unspin/narratives (git-ignored, rebuilt when missing)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

CACHE = Path.home() / ".cache" / "unspin" / "narratives"


def passages(text: str, size: int = 700, limit: int = 12) -> list[str]:
    """The title and the body cut into passages of about ``size`` characters on paragraph
    breaks, at most ``limit`` of them (the opening carries most of an article's telling)."""
    paras = [p.strip() for p in text.split("\n") if p.strip()]
    if not paras:
        return [" "]
    out, cur = [paras[0][:size]], ""
    for p in paras[1:]:
        if cur and len(cur) + len(p) > size:
            out.append(cur)
            cur = ""
        cur = f"{cur} {p}".strip()
        if len(out) >= limit:
            break
    if cur and len(out) < limit:
        out.append(cur[: size * 2])
    return out[:limit]


def passage_vectors(texts: list[str], size: int = 700, limit: int = 12) -> list[np.ndarray]:
    """Per text, its passages' vectors (n_passages x 384)."""
    from unspin.analyse.models.encoder import get_encoder

    enc = get_encoder()
    CACHE.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha1(("|".join(texts) + f"{size}:{limit}").encode()).hexdigest()[:16]
    path = CACHE / f"passages-{key}.npz"
    if path.exists():
        with np.load(path) as z:
            return [z[f"d{i}"] for i in range(len(texts))]
    out = [enc.embed(passages(t, size, limit)) for t in texts]
    np.savez(path, **{f"d{i}": v for i, v in enumerate(out)})
    return out


def pool(vectors: list[np.ndarray]) -> np.ndarray:
    """Mean and max of the passages, side by side (768 numbers a document)."""
    return np.stack([np.concatenate([v.mean(axis=0), v.max(axis=0)]) for v in vectors]).astype(np.float32)
