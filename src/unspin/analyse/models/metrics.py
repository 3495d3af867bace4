"""The official SemEval-2023 Task 3 metrics, written out so they can be checked by hand.

- subtask 1 (genre): macro-F1 over the classes present in gold or prediction,
- subtask 2 (frames): micro-F1 over (article, frame) pairs,
- subtask 3 (techniques): micro-F1 over (article, paragraph, technique) pairs; macro-F1 over labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def f1(tp: int, fp: int, fn: int) -> float:
    denom = 2 * tp + fp + fn
    return 2 * tp / denom if denom else 0.0


def pair_counts(gold: set, pred: set) -> tuple[int, int, int]:
    return len(gold & pred), len(pred - gold), len(gold - pred)


def micro_f1(gold: Mapping, pred: Mapping) -> float:
    """``gold``/``pred`` map an item key (article id, or (id, paragraph)) to a set of labels.
    Items missing from ``pred`` count as predicted empty."""
    g = {(k, lab) for k, labs in gold.items() for lab in labs}
    p = {(k, lab) for k, labs in pred.items() if k in gold for lab in labs}
    return f1(*pair_counts(g, p))


def macro_f1_multilabel(gold: Mapping, pred: Mapping, labels: Iterable[str] | None = None) -> float:
    """Mean per-label F1 over ``labels`` (default: labels seen in gold or prediction)."""
    per = per_label_f1(gold, pred, labels)
    return sum(per.values()) / len(per) if per else 0.0


def per_label_f1(gold: Mapping, pred: Mapping, labels: Iterable[str] | None = None) -> dict[str, float]:
    if labels is None:
        labels = sorted({lab for labs in gold.values() for lab in labs}
                        | {lab for k, labs in pred.items() if k in gold for lab in labs})
    out = {}
    for lab in labels:
        g = {k for k, labs in gold.items() if lab in labs}
        p = {k for k, labs in pred.items() if k in gold and lab in labs}
        out[lab] = f1(*pair_counts(g, p))
    return out


def macro_f1_single(gold: Mapping[str, str], pred: Mapping[str, str]) -> float:
    """Single-label macro-F1 (subtask 1): per-class F1 averaged over classes seen in gold or prediction."""
    g = {k: {v} for k, v in gold.items()}
    p = {k: {v} for k, v in pred.items() if v}
    return macro_f1_multilabel(g, p)
