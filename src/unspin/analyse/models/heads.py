"""Numpy versions of the linear heads trained in ``training/linear.py`` (no scikit-learn at run time)."""

from __future__ import annotations

import numpy as np


def platt_scaled(logits: np.ndarray, cal: np.ndarray) -> np.ndarray:
    """Logits through a per-column Platt scaling ``cal`` ((n_labels, 2): scale, bias)."""
    return logits * cal[:, 0] + cal[:, 1]


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class Head:
    """Multi-label linear head: ``calibrated = sigmoid(a * (X @ W + b) + c)``, decision ``>= thr``."""

    def __init__(self, arrays, prefix: str) -> None:
        self.W = arrays.get(f"{prefix}_W")
        self.b = arrays.get(f"{prefix}_b")
        self.a = arrays[f"{prefix}_cal_a"]
        self.c = arrays[f"{prefix}_cal_b"]
        self.thr = arrays[f"{prefix}_thr"]

    def logits(self, X: np.ndarray) -> np.ndarray:
        return X @ self.W + self.b

    def calibrate(self, logits: np.ndarray) -> np.ndarray:
        return sigmoid(logits * self.a + self.c)

    def probs(self, X: np.ndarray) -> np.ndarray:
        return self.calibrate(self.logits(X))


class SoftmaxHead:
    def __init__(self, arrays, prefix: str) -> None:
        self.W = arrays[f"{prefix}_W"]
        self.b = arrays[f"{prefix}_b"]

    def probs(self, X: np.ndarray) -> np.ndarray:
        return softmax(X @ self.W + self.b)


def quantise_columns(W: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """float (d, k) -> int8 (d, k) and a per-column scale; ``q * scale`` restores ``W`` to within
    half a step. Keeps the hashed-n-gram heads at a quarter of their float size."""
    scale = np.maximum(np.abs(W).max(axis=0), 1e-12) / 127.0
    return np.round(W / scale).astype(np.int8), scale.astype(np.float32)


class NgramHead:
    """Linear head over hashed n-gram counts of name-masked text (``textfeats.unit_counts``):
    arrays ``<p>_idf`` (float16), ``<p>_Wq`` (int8, BUCKETS x k), ``<p>_scale`` (k,), ``<p>_b`` (k,)."""

    def __init__(self, arrays, prefix: str) -> None:
        self.idf = arrays[f"{prefix}_idf"].astype(np.float32)
        self.Wq = arrays[f"{prefix}_Wq"]
        self.scale = arrays[f"{prefix}_scale"]
        self.b = arrays[f"{prefix}_b"]

    def logits(self, rows: list) -> np.ndarray:
        """One logit vector per row of counts (``collections.Counter`` of buckets)."""
        from unspin.analyse.models.textfeats import weigh

        out = np.zeros((len(rows), len(self.b)), np.float32)
        for i, counts in enumerate(rows):
            idx, val = weigh(counts, self.idf)
            if len(idx):
                out[i] = (val @ self.Wq[idx].astype(np.float32)) * self.scale
        return out + self.b
