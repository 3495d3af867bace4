"""``unspin models eval roles``: entity roles against gold labels in SemEval-2025 Task 10
subtask 1's format. The mentions to label are the first four columns of the labels file
(``file<TAB>entity<TAB>start<TAB>end``, end inclusive); the rest of a line is the gold main role
and its fine roles. Predictions are written in the same format
(``...<TAB>main<TAB>fine1<TAB>fine2``) and scored as the task's scorer does: the exact-match ratio
of the fine-role sets (its main metric) and the accuracy of the main role, with micro precision,
recall and F1 over fine roles beside them."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class Mention:
    doc: str  # the article's file name, as the labels name it
    entity: str
    start: int  # character offsets into the file's text; end exclusive here
    end: int


@dataclass(frozen=True)
class RoleLabel:
    main: str
    fine: tuple[str, ...]


class RolePredictor(Protocol):
    def label_mentions(self, text: str, spans: list[tuple[int, int]]) -> list[RoleLabel]: ...


@dataclass
class RoleScores:
    mentions: int
    exact_match: float  # fine-role sets equal
    main_accuracy: float
    fine_precision: float
    fine_recall: float
    fine_f1: float
    per_main: dict[str, dict[str, float]] = field(default_factory=dict)  # gold main role -> counts, accuracy
    missing: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {"mentions": self.mentions, "exact_match": round(self.exact_match, 4),
                "main_accuracy": round(self.main_accuracy, 4), "fine_precision": round(self.fine_precision, 4),
                "fine_recall": round(self.fine_recall, 4), "fine_f1": round(self.fine_f1, 4),
                "per_main": self.per_main, "missing": self.missing, "seconds": round(self.seconds, 2)}


def read_labels(path: Path) -> list[tuple[Mention, RoleLabel | None]]:
    """Every mention of the file in order, with its gold label when the line has one.

    Raises ``ValueError`` naming the line when its offsets are not numbers."""
    out: list[tuple[Mention, RoleLabel | None]] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < 4:
            raise ValueError(f"{path}:{n}: expected file, entity, start, end (tab-separated), got {len(cols)} column(s)")
        try:
            start, end = int(cols[2]), int(cols[3]) + 1
        except ValueError:
            raise ValueError(f"{path}:{n}: start and end must be whole numbers, got {cols[2]!r} and {cols[3]!r}") from None
        label = RoleLabel(cols[4], tuple(c for c in cols[5:] if c)) if len(cols) > 4 and cols[4] else None
        out.append((Mention(cols[0], cols[1], start, end), label))
    return out


def prediction_line(m: Mention, label: RoleLabel) -> str:
    return "\t".join([m.doc, m.entity, str(m.start), str(m.end - 1), label.main, *label.fine])


def score(gold: list[RoleLabel], pred: list[RoleLabel]) -> RoleScores:
    """The task's figures over aligned gold and predicted labels."""
    n = len(gold)
    exact = sum(set(g.fine) == set(p.fine) for g, p in zip(gold, pred, strict=True))
    main = sum(g.main == p.main for g, p in zip(gold, pred, strict=True))
    tp = sum(len(set(g.fine) & set(p.fine)) for g, p in zip(gold, pred, strict=True))
    n_pred = sum(len(set(p.fine)) for p in pred)
    n_gold = sum(len(set(g.fine)) for g in gold)
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / n_gold if n_gold else 0.0
    per: dict[str, dict[str, float]] = {}
    for g, p in zip(gold, pred, strict=True):
        row = per.setdefault(g.main, {"gold": 0, "right": 0})
        row["gold"] += 1
        row["right"] += g.main == p.main
    for row in per.values():
        row["accuracy"] = round(row["right"] / row["gold"], 4)
    return RoleScores(n, exact / n if n else 0.0, main / n if n else 0.0, prec, rec,
                      2 * prec * rec / (prec + rec) if prec + rec else 0.0, dict(sorted(per.items())))


def evaluate_roles(articles: Path, labels: Path, out: Path, model: RolePredictor) -> RoleScores:
    """Label every mention of ``labels`` with ``model``, write the predictions to ``out`` and score
    those that have gold labels. Mentions whose article is missing are listed, not scored."""
    t = time.perf_counter()
    rows = read_labels(labels)
    by_doc: dict[str, list[int]] = {}
    for i, (m, _) in enumerate(rows):
        by_doc.setdefault(m.doc, []).append(i)
    predicted: dict[int, RoleLabel] = {}
    missing = []
    for doc, idx in by_doc.items():
        path = articles / doc
        if not path.is_file():
            missing.append(doc)
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        labels_here = model.label_mentions(text, [(rows[i][0].start, rows[i][0].end) for i in idx])
        predicted.update(zip(idx, labels_here, strict=True))
    lines = [prediction_line(rows[i][0], lab) for i, lab in sorted(predicted.items())]
    out.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
    scored = [(g, predicted[i]) for i, (_, g) in enumerate(rows) if g is not None and i in predicted]
    res = score([g for g, _ in scored], [p for _, p in scored])
    res.missing = sorted(missing)
    res.seconds = time.perf_counter() - t
    return res
