"""Paragraph and article feature vectors from a paragraph encoder (frozen or fine-tuned).

An article's feature is ``[mean of its body paragraph vectors, its title vector]`` (768 dims);
a paragraph's feature for the technique head is ``[paragraph vector, title vector]``.
The runtime (``unspin.analyse.models.detectors``) builds the same vectors."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

from unspin.analyse.models.semeval_io import Doc

Embed = Callable[[list[str]], np.ndarray]


def cached_embed(embed: Embed, cache: Path | None) -> Embed:
    """Wrap ``embed`` with an on-disk cache keyed by text hash (training reruns are cheap)."""
    store: dict[str, np.ndarray] = {}
    if cache and cache.exists():
        z = np.load(cache)
        store = dict(zip(z["keys"].tolist(), z["vecs"]))

    def run(texts: list[str]) -> np.ndarray:
        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
        todo = sorted({k: t for k, t in zip(keys, texts) if k not in store}.items())
        if todo:
            vecs = embed([t for _, t in todo])
            store.update({k: v for (k, _), v in zip(todo, vecs)})
            if cache:
                cache.parent.mkdir(parents=True, exist_ok=True)
                np.savez(cache, keys=np.array(list(store)), vecs=np.stack(list(store.values())))
        return np.stack([store[k] for k in keys]) if keys else np.zeros((0, 384), np.float32)

    return run


def paragraph_matrix(docs: list[Doc], embed: Embed) -> tuple[np.ndarray, list[tuple[str, int]]]:
    """Rows ``[line vector, title vector]`` for every line of every doc, with (doc id, line no)."""
    texts = [ln.text for d in docs for ln in d.lines]
    vecs = embed(texts)
    rows, keys, i = [], [], 0
    for d in docs:
        block = vecs[i : i + len(d.lines)]
        i += len(d.lines)
        title = block[0] if d.lines and d.lines[0].no == 1 else np.zeros(block.shape[1], np.float32)
        for ln, v in zip(d.lines, block):
            ctx = np.zeros_like(title) if ln.no == 1 else title
            rows.append(np.concatenate([v, ctx]))
            keys.append((d.id, ln.no))
    return np.stack(rows).astype(np.float32), keys


def article_vector(title_vec: np.ndarray | None, body_vecs: np.ndarray, dim: int = 384) -> np.ndarray:
    body = body_vecs.mean(0) if len(body_vecs) else np.zeros(dim, np.float32)
    title = title_vec if title_vec is not None else np.zeros(dim, np.float32)
    return np.concatenate([body, title]).astype(np.float32)


def article_matrix(docs: list[Doc], embed: Embed) -> np.ndarray:
    texts = [ln.text for d in docs for ln in d.lines]
    vecs = embed(texts)
    rows, i = [], 0
    for d in docs:
        block = vecs[i : i + len(d.lines)]
        i += len(d.lines)
        has_title = bool(d.lines) and d.lines[0].no == 1
        rows.append(article_vector(block[0] if has_title else None, block[1:] if has_title else block))
    return np.stack(rows)
