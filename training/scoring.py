"""Scores of out-of-fold predictions with the official metrics (shared by every training script)."""

from __future__ import annotations

import numpy as np

from training.cv import cross_fitted_global, cross_fitted_thresholds
from unspin.analyse.models import metrics
from unspin.analyse.models.labels import GENRES


def multi_hot(label_lists: list[list[str]], names: list[str]) -> np.ndarray:
    idx = {n: i for i, n in enumerate(names)}
    Y = np.zeros((len(label_lists), len(names)), dtype=np.int64)
    for r, labs in enumerate(label_lists):
        for lab in labs:
            if lab in idx:
                Y[r, idx[lab]] = 1
    return Y


def pairs(keys, Y: np.ndarray, names: list[str]) -> dict:
    return {k: {names[j] for j in np.flatnonzero(row)} for k, row in zip(keys, Y, strict=False)}


def score_multilabel(keys, Y, P, groups, names, min_pos: int = 5, per_label: bool = False) -> dict:
    """Micro/macro-F1 of out-of-fold probabilities with cross-fitted thresholds (one shared
    threshold by default; ``per_label`` tunes one per label)."""
    T = cross_fitted_thresholds(Y, P, groups, min_pos=min_pos) if per_label else cross_fitted_global(Y, P, groups)
    pred = (P >= T).astype(np.int64)
    gold, guess = pairs(keys, Y, names), pairs(keys, pred, names)
    seen = [n for j, n in enumerate(names) if Y[:, j].sum() > 0]
    groups_report = per_group(keys, Y, pred, groups, names)
    return {
        "micro_f1": metrics.micro_f1(gold, guess),
        "macro_f1": metrics.macro_f1_multilabel(gold, guess, seen),
        "per_label_f1": {n: round(v, 4) for n, v in metrics.per_label_f1(gold, guess, seen).items()},
        "support": {n: int(Y[:, j].sum()) for j, n in enumerate(names) if Y[:, j].sum() > 0},
        "worst_group_micro_f1": min(g["micro_f1"] for g in groups_report),
        "per_group": groups_report,
    }


def per_group(keys, Y: np.ndarray, pred: np.ndarray, groups: np.ndarray, names: list[str]) -> list[dict]:
    """Each held-out group's micro-F1 and its predicted against gold labels per row: on a group
    of unseen sources a model that under- or over-predicts shows it here, not in the mean."""
    out = []
    for g in np.unique(groups):
        rows = np.flatnonzero(groups == g)
        sub = [keys[i] for i in rows]
        out.append({
            "group": int(g), "rows": len(rows),
            "micro_f1": round(metrics.micro_f1(pairs(sub, Y[rows], names), pairs(sub, pred[rows], names)), 4),
            "predicted_per_row": round(float(pred[rows].sum()) / len(rows), 4),
            "gold_per_row": round(float(Y[rows].sum()) / len(rows), 4),
        })
    return out


def genre_scores(y: np.ndarray, pred: np.ndarray) -> dict:
    """Macro-F1 as measured, and as it would be on a genre-balanced set (each class weighted
    1/its count), since the training split is 88 % opinion and the held-out split is not."""
    gold = {str(i): GENRES[v] for i, v in enumerate(y)}
    guess = {str(i): GENRES[v] for i, v in enumerate(pred)}
    w = np.array([1.0 / max((y == c).sum(), 1) for c in y])
    bal = []
    for c in range(len(GENRES)):
        tp = w[(pred == c) & (y == c)].sum()
        fp = w[(pred == c) & (y != c)].sum()
        fn = w[(pred != c) & (y == c)].sum()
        bal.append(2 * tp / max(2 * tp + fp + fn, 1e-9))
    return {"macro_f1": metrics.macro_f1_single(gold, guess), "macro_f1_balanced": float(np.mean(bal)),
            "per_class_f1_balanced": dict(zip(GENRES, map(float, bal), strict=False))}
