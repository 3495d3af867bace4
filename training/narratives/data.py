"""SemEval-2025 Task 10 (English) training documents and narrative labels, read in place from
../shared (never copied). Groups for cross-validation keep collection batches apart: the domain
and the first digit of the document number (CC 1xx, 2xx, 3xx; UA 0xx, 1xx, 3xx), which stand for
sources and periods; the few "DEV"-named training documents join UA 0."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TASK = ROOT / ".." / "shared" / "data" / "semeval2025-task10-en"
DOCS = TASK / "train" / "raw-documents"
LABELS = TASK / "train" / "subtask-2-annotations.txt"
OTHER = "Other"


@dataclass
class Doc:
    id: str  # file name, as the task's labels name it
    text: str
    narratives: list[str]  # coarse ("URW: Discrediting Ukraine") or ["Other"]
    subnarratives: list[str]  # fine ("URW: Discrediting Ukraine: Ukraine is a puppet of the West") or ["Other"]
    group: str
    domain: str  # "CC" | "UA"


def taxonomy() -> tuple[list[str], list[str]]:
    """(coarse labels, fine labels) of the task, "Other" first in both."""
    coarse = [x.strip() for x in (TASK / "taxonomy" / "subtask2_narratives.txt").read_text(encoding="utf-8").splitlines() if x.strip()]
    fine = [x.strip() for x in (TASK / "taxonomy" / "subtask2_subnarratives.txt").read_text(encoding="utf-8").splitlines() if x.strip()]
    return [OTHER] + [c for c in coarse if c != OTHER], [OTHER] + [f for f in fine if f != OTHER]


def group_of(doc_id: str) -> str:
    m = re.match(r"EN_(CC|UA)_(\d)", doc_id)
    if not m:
        return "UA0"
    return f"{m.group(1)}{m.group(2)}"


def load() -> list[Doc]:
    if not LABELS.exists():
        raise SystemExit(f"SemEval-2025 task 10 not found at {TASK} (needs ../shared beside the checkout)")
    out = []
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        doc_id, narr, sub = (line.split("\t") + ["", ""])[:3]
        text = (DOCS / doc_id).read_text(encoding="utf-8")
        out.append(Doc(doc_id, text, [x.strip() for x in narr.split(";") if x.strip()] or [OTHER],
                       [x.strip() for x in sub.split(";") if x.strip()] or [OTHER], group_of(doc_id),
                       "CC" if "_CC_" in doc_id else "UA"))
    return out
