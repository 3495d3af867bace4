"""Hashed n-gram logistic-regression heads: out-of-fold logits for stacking and the shipped fit.

Features come from ``unspin.analyse.models.textfeats`` (the runtime's own code), so a shipped
head scores a text exactly as it was trained. Weights ship as int8 with a scale per label.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from unspin.analyse.models import textfeats
from unspin.analyse.models.heads import quantise_columns
from unspin.analyse.models.names import masked_words

NO_POSITIVES = -10.0  # the bias of a label never seen in training: never predicted
TOL = 1e-3  # looser than the default 1e-4: about half the L-BFGS steps on these problems


def hashed_matrix(masked_texts: list[str], idf: np.ndarray) -> sparse.csr_matrix:
    """Rows of ``textfeats.hashed_ngrams`` for texts already masked (``masked``): together the
    same numbers as the runtime's ``textfeats.ngram_row``."""
    rows = [textfeats.hashed_ngrams(t, idf) for t in masked_texts]
    indptr = np.cumsum([0] + [len(r[0]) for r in rows])
    idx = np.concatenate([r[0] for r in rows]) if rows else np.zeros(0, np.int64)
    val = np.concatenate([r[1] for r in rows]) if rows else np.zeros(0, np.float32)
    return sparse.csr_matrix((val, idx, indptr), shape=(len(masked_texts), textfeats.BUCKETS))


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
            lr = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", tol=TOL).fit(Xu, Y[:, j])
            W[used, j], b[j] = lr.coef_[0], lr.intercept_[0]
    return W, b


def masked(texts: list[str], common: frozenset[str]) -> list[str]:
    return [masked_words(t, common) for t in texts]


def oof_logits(texts: list[str], Y: np.ndarray, groups: np.ndarray, C: float, common: frozenset[str]) -> np.ndarray:
    """Logits of rows in fold g from a head (idf included) fitted on the other folds."""
    texts = masked(texts, common)  # once here; the matrices below then see no names
    Z = np.zeros(Y.shape, np.float32)
    for g in np.unique(groups):
        train = groups != g
        idf = textfeats.fit_idf([t for t, r in zip(texts, train) if r])
        W, b = _fit(hashed_matrix([t for t, r in zip(texts, train) if r], idf), Y[train], C)
        Z[~train] = hashed_matrix([t for t, r in zip(texts, train) if not r], idf) @ W + b
    return Z


def fit_head(texts: list[str], Y: np.ndarray, C: float, prefix: str, common: frozenset[str]) -> dict[str, np.ndarray]:
    """The shippable head on all rows, as the arrays ``heads.NgramHead`` reads."""
    texts = masked(texts, common)
    idf = textfeats.fit_idf(texts)
    W, b = _fit(hashed_matrix(texts, idf), Y, C)
    Wq, scale = quantise_columns(W)
    return {f"{prefix}_idf": idf.astype(np.float16), f"{prefix}_Wq": Wq, f"{prefix}_scale": scale, f"{prefix}_b": b}
