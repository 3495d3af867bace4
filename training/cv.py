"""Cross-validation folds by article and threshold choice, shared by every training script."""

from __future__ import annotations

import numpy as np

from unspin.analyse.models.heads import platt_scaled


def article_folds(ids: list[str], k: int = 5, seed: int = 13) -> dict[str, int]:
    """Assign each article id to one of ``k`` folds (seeded shuffle; stable across scripts)."""
    order = sorted(ids)
    rng = np.random.default_rng(seed)
    perm = rng.permutation(len(order))
    return {order[i]: int(rank % k) for rank, i in enumerate(perm)}


def range_folds(ids: list[str], k: int = 5) -> dict[str, int]:
    """Assign each article id to one of ``k`` contiguous id ranges of near-equal size.

    The SemEval-2023 ids come in series that follow where and when the articles were
    collected (111111xxx, 69x-79x million, 8329xxxxx, 999xxxxxx), so a range holds out
    neighbouring sources and periods together: the folds then ask what a model does on news it
    has not seen, which is what random folds over one corpus overstate.
    """
    order = sorted(ids, key=lambda i: (len(i), i))  # numeric order for digit strings
    return {a: min(k - 1, rank * k // len(order)) for rank, a in enumerate(order)}


GROUPINGS = ("random", "ranges")


def folds_for(ids: list[str], grouping: str = "random", k: int = 5, seed: int = 13) -> dict[str, int]:
    """The split every training script shares: ``random`` (seeded, by article) or ``ranges``."""
    if grouping == "ranges":
        return range_folds(ids, k)
    if grouping == "random":
        return article_folds(ids, k, seed)
    raise ValueError(f"unknown grouping {grouping!r}; one of {', '.join(GROUPINGS)}")


def best_threshold(y: np.ndarray, p: np.ndarray, grid: np.ndarray | None = None, default: float = 0.5) -> float:
    """Threshold on probabilities ``p`` maximising F1 for binary ``y`` (``default`` if no positives)."""
    if y.sum() == 0:
        return default
    grid = np.linspace(0.05, 0.95, 19) if grid is None else grid
    best, best_f = default, -1.0
    for t in grid:
        pred = p >= t
        tp = float((pred & (y == 1)).sum())
        f = 2 * tp / max(float(pred.sum() + y.sum()), 1.0)
        if f > best_f + 1e-9:
            best, best_f = float(t), f
    return best


def per_label_thresholds(Y: np.ndarray, P: np.ndarray, min_pos: int = 5, default: float = 0.5) -> np.ndarray:
    """One threshold per column; labels with fewer than ``min_pos`` positives keep ``default``
    (too few examples to tune on without overfitting)."""
    return np.array([
        best_threshold(Y[:, j], P[:, j], default=default) if Y[:, j].sum() >= min_pos else default
        for j in range(Y.shape[1])
    ])


def cross_fitted_thresholds(Y: np.ndarray, P: np.ndarray, groups: np.ndarray, **kw) -> np.ndarray:
    """Per-row thresholds where the rows of fold g use thresholds tuned on the other folds only,
    so a score computed with them is not tuned on its own test rows."""
    T = np.zeros_like(P)
    for g in np.unique(groups):
        rows = groups == g
        T[rows] = per_label_thresholds(Y[~rows], P[~rows], **kw)
    return T


def best_global_threshold(Y: np.ndarray, P: np.ndarray, grid: np.ndarray | None = None) -> float:
    """One threshold for every label, maximising micro-F1 over all (row, label) pairs.
    Per-label thresholds overfit the rare labels; one shared cut is far more stable."""
    grid = np.linspace(0.05, 0.95, 91) if grid is None else grid
    pos = float(Y.sum())
    scores = [2 * float(((P >= t) & (Y == 1)).sum()) / max(float((P >= t).sum()) + pos, 1.0) for t in grid]
    return float(grid[int(np.argmax(scores))])


def cross_fitted_global(Y: np.ndarray, P: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Per-row threshold (broadcast over labels) tuned on the other folds only."""
    T = np.zeros_like(P)
    for g in np.unique(groups):
        rows = groups == g
        T[rows] = best_global_threshold(Y[~rows], P[~rows])
    return T


def platt_per_label(Z: np.ndarray, Y: np.ndarray, C: float = 1.0) -> np.ndarray:
    """(scale, bias) per column so that ``sigmoid(scale * z + bias)`` is calibrated on ``Y``.
    Class-weighted heads overstate their rare labels; a single shared threshold then cuts them
    badly, while a threshold searched per label overfits. Labels with no positives (or all
    positives) keep their logits unchanged."""
    from sklearn.linear_model import LogisticRegression

    cal = np.tile(np.array([1.0, 0.0], np.float32), (Y.shape[1], 1))
    for j in range(Y.shape[1]):
        if 0 < Y[:, j].sum() < len(Y):
            lr = LogisticRegression(C=C, max_iter=1000).fit(Z[:, j : j + 1], Y[:, j])
            cal[j] = lr.coef_[0, 0], lr.intercept_[0]
    return cal


def nested_platt(Z: np.ndarray, inner: dict[int, np.ndarray], Y: np.ndarray, groups: np.ndarray,
                 C: float = 1.0) -> np.ndarray:
    """Calibrated out-of-fold logits: the rows of fold g are calibrated by a Platt fit on the
    other folds' own out-of-fold logits (``inner[g]``, from heads that never saw fold g), so
    neither the head nor its calibration has seen the rows it scores."""
    out = np.zeros_like(Z)
    for g in np.unique(groups):
        rows = groups == g
        cal = platt_per_label(inner[int(g)], Y[~rows], C)
        out[rows] = platt_scaled(Z[rows], cal)
    return out
