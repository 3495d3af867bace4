"""``unspin models eval narratives``: the shipped narrative model against gold labels in the
task's format (``file<TAB>narr1;narr2<TAB>sub1;sub2``), scored as SemEval-2025 Task 10's scorer
does: samples-F1 (per document F1 of the label sets, zero when nothing is right, averaged) over
the coarse and over the fine labels. Writes the predictions in the same format."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from unspin.analyse.narratives import OTHER, NarrativeModel, get_narratives


@dataclass
class NarrativeScores:
    documents: int
    coarse_samples_f1: float
    fine_samples_f1: float
    missing: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {"documents": self.documents, "coarse_samples_f1": round(self.coarse_samples_f1, 4),
                "fine_samples_f1": round(self.fine_samples_f1, 4), "missing": self.missing,
                "seconds": round(self.seconds, 2)}


def read_labels(path: Path) -> dict[str, tuple[set[str], set[str]]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        doc, narr, sub = (line.split("\t") + ["", ""])[:3]
        out[doc.strip()] = ({x.strip() for x in narr.split(";") if x.strip()} or {OTHER},
                            {x.strip() for x in sub.split(";") if x.strip()} or {OTHER})
    return out


def samples_f1(gold: list[set[str]], pred: list[set[str]]) -> float:
    scores = []
    for g, p in zip(gold, pred, strict=True):
        tp = len(g & p)
        scores.append(0.0 if tp == 0 else 2 * tp / (len(g) + len(p)))
    return sum(scores) / len(scores) if scores else 0.0


def predict_labels(model: NarrativeModel, text: str) -> tuple[list[str], list[str]]:
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    title, paragraphs = (lines[0], lines[1:]) if lines else ("", [])
    pred = model.predict(title, paragraphs)
    coarse = [lab for lab, _ in pred.coarse] or [OTHER]  # neither topic: the task's "Other"
    fine = [f for subs in pred.fine.values() for f, _ in subs] or [OTHER]
    return coarse, fine


def evaluate_narratives(articles: Path, labels: Path, out: Path, model: NarrativeModel | None = None) -> NarrativeScores:
    model = model or get_narratives()
    gold = read_labels(labels)
    t = time.perf_counter()
    rows, g_c, g_f, p_c, p_f, missing = [], [], [], [], [], []
    for doc, (gc, gf) in sorted(gold.items()):
        path = articles / doc
        if not path.exists():
            missing.append(doc)
            continue
        coarse, fine = predict_labels(model, path.read_text(encoding="utf-8", errors="replace"))
        rows.append(f"{doc}\t{';'.join(coarse)}\t{';'.join(fine)}")
        g_c.append(gc)
        g_f.append(gf)
        p_c.append(set(coarse))
        p_f.append(set(fine))
    out.write_text("\n".join(rows) + ("\n" if rows else ""), encoding="utf-8")
    return NarrativeScores(len(rows), samples_f1(g_c, p_c), samples_f1(g_f, p_f), missing, time.perf_counter() - t)
