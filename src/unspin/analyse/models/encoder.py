"""Sentence encoder shared by the stages: all-MiniLM-L6-v2, int8 ONNX Runtime, 384 dims.

    from unspin.analyse.models.encoder import get_encoder
    vecs = get_encoder().embed(["first sentence", "second"])   # (2, 384), L2-normalised

Weights: ``weights/minilm-embed/`` (see its MODEL_CARD.md). Loads lazily on the first ``embed``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from unspin.analyse.models.onnx_runtime import (
    WEIGHTS_DIR,
    feed_for,
    l2_normalise,
    load_session,
    load_tokenizer,
    mean_pool,
    require,
)

EMBED_DIR = WEIGHTS_DIR / "minilm-embed"
DIM = 384
MODEL_ID = "minilm-embed@1"


class Encoder:
    """Mean-pooled, L2-normalised MiniLM sentence embeddings (same recipe as sentence-transformers)."""

    dim = DIM
    model_id = MODEL_ID

    def __init__(self, weights_dir: Path = EMBED_DIR, max_length: int = 256, threads: int = 2,
                 memo_size: int = 20_000) -> None:
        self.weights_dir = Path(weights_dir)
        self.memo_size = memo_size  # vectors kept by text: 20,000 x 384 floats is about 30 MB
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self._memo_lock = threading.Lock()
        self.max_length = max_length
        self.threads = threads
        self._session: Any = None  # an onnxruntime InferenceSession once loaded
        self._tokenizer: Any = None  # a tokenizers Tokenizer once loaded
        self._lock = threading.Lock()

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            onnx_path = require(self.weights_dir / "model.onnx", "sentence encoder")
            tok_path = require(self.weights_dir / "tokenizer.json", "sentence encoder tokenizer")
            self._tokenizer = load_tokenizer(tok_path, self.max_length)
            self._session = load_session(onnx_path, self.threads)

    @property
    def available(self) -> bool:
        return (self.weights_dir / "model.onnx").exists() and (self.weights_dir / "tokenizer.json").exists()

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Embed ``texts``; returns float32 array (len(texts), 384), rows L2-normalised.

        ``batch_size`` texts are tokenised together; the network runs one text at a time so that
        a vector depends on its text only (see ``onnx_runtime.feed_for``)."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        self._load()
        # A vector depends on its text only, so a text seen before (a sentence several articles
        # of a story share, a story compared again after one more article) is not run again.
        todo = list(dict.fromkeys(t for t in texts if self._memo_get(t) is None))
        for b in range(0, len(todo), batch_size):
            chunk = todo[b : b + batch_size]
            encs = self._tokenizer.encode_batch([t or " " for t in chunk])
            for text, enc in zip(chunk, encs, strict=True):
                feed = feed_for(enc)
                states = self._session.run(["token_embeddings"], feed)[0]
                self._memo_put(text, l2_normalise(mean_pool(states, feed["attention_mask"]))[0])
        for i, t in enumerate(texts):
            vec = self._memo_get(t)
            if vec is None:  # evicted by this very call (more new texts than the memo holds)
                enc = self._tokenizer.encode_batch([t or " "])[0]
                feed = feed_for(enc)
                vec = l2_normalise(mean_pool(self._session.run(["token_embeddings"], feed)[0], feed["attention_mask"]))[0]
            out[i] = vec
        return out

    def token_states(self, text: str) -> tuple[np.ndarray, list[tuple[int, int]]]:
        """The contextual vector of every token of ``text`` (special tokens included) and each
        token's character offsets (``(0, 0)`` for the special ones): for readers that pool a part
        of a text, such as the words of one mention."""
        self._load()
        enc = self._tokenizer.encode(text or " ")
        states = self._session.run(["token_embeddings"], feed_for(enc))[0][0]
        return states, [tuple(o) for o in enc.offsets]

    def _memo_get(self, text: str) -> np.ndarray | None:
        with self._memo_lock:
            vec = self._memo.get(text)
            if vec is not None:
                self._memo.move_to_end(text)
            return vec

    def _memo_put(self, text: str, vec: np.ndarray) -> None:
        with self._memo_lock:
            self._memo[text] = vec
            while len(self._memo) > self.memo_size:
                self._memo.popitem(last=False)


@lru_cache(maxsize=1)
def get_encoder() -> Encoder:
    """The process-wide encoder (loads its weights on first use)."""
    return Encoder()
