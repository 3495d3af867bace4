"""Hashed n-gram logistic-regression heads: out-of-fold logits for stacking and the shipped fit.

Features come from ``unspin.analyse.models.textfeats`` (the runtime's own code), so a shipped
head scores a text exactly as it was trained. Weights ship as int8 with a scale per label.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from unspin.analyse.models import textfeats
from unspin.analyse.models.heads import quantise_columns

NO_POSITIVES = -10.0  # the bias of a label never seen in training: never predicted


def hashed_matrix(rows: list[Counter], idf: np.ndarray) -> sparse.csr_matrix:
    """Rows of ``textfeats.weigh``: the same numbers the runtime's ``NgramHead`` computes."""
    weighed = [textfeats.weigh(c, idf) for c in rows]
    indptr = np.cumsum([0] + [len(r[0]) for r in weighed])
    idx = np.concatenate([r[0] for r in weighed]) if weighed else np.zeros(0, np.int64)
    val = np.concatenate([r[1] for r in weighed]) if weighed else np.zeros(0, np.float32)
    return sparse.csr_matrix((val, idx, indptr), shape=(len(rows), textfeats.BUCKETS))


def _fit(X: sparse.csr_matrix, Y: np.ndarray, C: float) -> tuple[np.ndarray, np.ndarray]:
    W = np.zeros((X.shape[1], Y.shape[1]), np.float32)
    b = np.full(Y.shape[1], NO_POSITIVES, np.float32)
    # Fit on the columns the rows use: L-BFGS pays per parameter on every step, and most of the
    # 2^18 buckets are empty (the weights of unused columns are 0 either way).
    used = np.unique(X.indices)
    Xu = X[:, used]
    for j in range(Y.shape[1]):
        if 0 < Y[:, j].sum() < len(Y):
            # Balanced weights: rare techniques get usable scores; the stacker recalibrates them.
            lr = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(Xu, Y[:, j])
            W[used, j], b[j] = lr.coef_[0], lr.intercept_[0]
    return W, b


def count_rows(rows: list[list[str]], common: frozenset[str]) -> list[Counter]:
    """Each row's units (one paragraph, or an article's lines) as the heads read them."""
    return [textfeats.unit_counts(units, common) for units in rows]


def oof_logits(rows: list[Counter], Y: np.ndarray, groups: np.ndarray, C: float) -> np.ndarray:
    """Logits of rows in fold g from a head (idf included) fitted on the other folds."""
    Z = np.zeros(Y.shape, np.float32)
    for g in np.unique(groups):
        train = groups != g
        idf = textfeats.fit_idf([c for c, r in zip(rows, train, strict=False) if r])
        W, b = _fit(hashed_matrix([c for c, r in zip(rows, train, strict=False) if r], idf), Y[train], C)
        Z[~train] = hashed_matrix([c for c, r in zip(rows, train, strict=False) if not r], idf) @ W + b
    return Z


def fit_head(rows: list[Counter], Y: np.ndarray, C: float, prefix: str) -> dict[str, np.ndarray]:
    """The shippable head on all rows, as the arrays ``heads.NgramHead`` reads."""
    idf = textfeats.fit_idf(rows)
    W, b = _fit(hashed_matrix(rows, idf), Y, C)
    Wq, scale = quantise_columns(W)
    return {f"{prefix}_idf": idf.astype(np.float16), f"{prefix}_Wq": Wq, f"{prefix}_scale": scale, f"{prefix}_b": b}
