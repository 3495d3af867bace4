"""Clustering metrics for story grouping: pairwise precision/recall/F1 and B-cubed.

Both take two mappings item -> cluster label (gold and predicted) over the same items.
Pairwise counts the item pairs put together; B-cubed averages, per item, how much of its
predicted cluster is right (precision) and how much of its gold cluster it found (recall),
so large clusters do not dominate the way they do in pair counts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import asdict, dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)  # article ids (a mapping's key type is invariant)


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in asdict(self).items()}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _check(gold: Mapping, pred: Mapping) -> None:
    if set(gold) != set(pred):
        missing = len(set(gold) ^ set(pred))
        raise ValueError(f"gold and predicted cover different items ({missing} differ)")


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise(gold: Mapping[K, Hashable], pred: Mapping[K, Hashable]) -> Scores:
    """Pairs in the same predicted cluster that are in the same gold cluster, and vice versa.
    With no pairs on a side the score on that side is 1 (nothing claimed, nothing missed)."""
    _check(gold, pred)
    both = Counter((gold[i], pred[i]) for i in gold)
    tp = sum(_pairs(n) for n in both.values())
    pred_pairs = sum(_pairs(n) for n in Counter(pred.values()).values())
    gold_pairs = sum(_pairs(n) for n in Counter(gold.values()).values())
    p = tp / pred_pairs if pred_pairs else 1.0
    r = tp / gold_pairs if gold_pairs else 1.0
    return Scores(p, r, _f1(p, r))


def bcubed(gold: Mapping[K, Hashable], pred: Mapping[K, Hashable]) -> Scores:
    _check(gold, pred)
    if not gold:
        return Scores(1.0, 1.0, 1.0)
    both = Counter((gold[i], pred[i]) for i in gold)
    g_size = Counter(gold.values())
    p_size = Counter(pred.values())
    p = sum(both[(gold[i], pred[i])] / p_size[pred[i]] for i in gold) / len(gold)
    r = sum(both[(gold[i], pred[i])] / g_size[gold[i]] for i in gold) / len(gold)
    return Scores(p, r, _f1(p, r))


def clusters(mapping: Mapping[K, Hashable]) -> list[set]:
    out: dict[Hashable, set] = defaultdict(set)
    for item, label in mapping.items():
        out[label].add(item)
    return list(out.values())
