"""Linear heads with scikit-learn, exported as plain numpy arrays for the runtime.

A head is ``W`` (d, k), ``b`` (k,), per-label Platt calibration ``cal_a``, ``cal_b`` (k,) fitted on
out-of-fold scores, and decision thresholds on the calibrated probability."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression

from training.cv import per_label_thresholds


def fit_ovr(X: np.ndarray, Y: np.ndarray, C: float = 1.0, class_weight=None) -> tuple[np.ndarray, np.ndarray]:
    """One logistic regression per label; labels with no positives get a large negative bias."""
    d, k = X.shape[1], Y.shape[1]
    W, b = np.zeros((d, k), dtype=np.float32), np.full(k, -8.0, dtype=np.float32)
    for j in range(k):
        if 0 < Y[:, j].sum() < len(Y):
            lr = LogisticRegression(C=C, max_iter=2000, class_weight=class_weight).fit(X, Y[:, j])
            W[:, j], b[j] = lr.coef_[0], lr.intercept_[0]
    return W, b


def logits(X: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    return X @ W + b


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def oof_logits(X: np.ndarray, Y: np.ndarray, groups: np.ndarray, **fit_kw) -> np.ndarray:
    """Out-of-fold logits: rows of fold g scored by a head trained on the other folds."""
    Z = np.zeros(Y.shape, dtype=np.float32)
    for g in np.unique(groups):
        rows = groups == g
        W, b = fit_ovr(X[~rows], Y[~rows], **fit_kw)
        Z[rows] = logits(X[rows], W, b)
    return Z


def platt(Z: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-label (a, b) so that sigmoid(a*z + b) is calibrated on out-of-fold logits."""
    k = Y.shape[1]
    a, c = np.ones(k, dtype=np.float32), np.zeros(k, dtype=np.float32)
    for j in range(k):
        if 3 <= Y[:, j].sum() < len(Y) - 3:
            lr = LogisticRegression(C=100.0, max_iter=1000).fit(Z[:, [j]], Y[:, j])
            a[j], c[j] = lr.coef_[0, 0], lr.intercept_[0]
    return a, c


def calibrated(Z: np.ndarray, a: np.ndarray, c: np.ndarray) -> np.ndarray:
    return sigmoid(Z * a + c)


def head_arrays(X, Y, groups, prefix: str, min_pos: int = 5, **fit_kw) -> tuple[dict, np.ndarray]:
    """Fit a shippable head on all rows; calibration and thresholds come from out-of-fold scores.
    Returns the arrays (names prefixed) and the out-of-fold calibrated probabilities."""
    Z = oof_logits(X, Y, groups, **fit_kw)
    a, c = platt(Z, Y)
    P = calibrated(Z, a, c)
    thr = per_label_thresholds(Y, P, min_pos=min_pos)
    W, b = fit_ovr(X, Y, **fit_kw)
    arrays = {f"{prefix}_W": W, f"{prefix}_b": b, f"{prefix}_cal_a": a, f"{prefix}_cal_b": c,
              f"{prefix}_thr": thr.astype(np.float32)}
    return arrays, P
