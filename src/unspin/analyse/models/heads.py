"""Numpy versions of the linear heads trained in ``training/linear.py`` (no scikit-learn at run time)."""

from __future__ import annotations

import numpy as np


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
