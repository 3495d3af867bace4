"""SemEval-2025 Task 10 (English) subtask 1 training mentions, read in place from ../shared (never
copied): each annotated mention of an entity with its main role and fine roles. Groups for
cross-validation are the narratives' collection batches (training.narratives.data.group_of),
with a batch of fewer than 20 mentions joined to the largest batch of its domain."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from training.narratives.data import DOCS, TASK, group_of

LABELS = TASK / "train" / "subtask-1-annotations.txt"
MIN_GROUP = 20


@dataclass
class MentionRow:
    doc: str
    entity: str
    start: int  # end exclusive (the file's end is inclusive)
    end: int
    main: str
    fine: tuple[str, ...]
    group: str
    domain: str  # "CC" | "UA"


def load() -> tuple[list[MentionRow], dict[str, str]]:
    """The mentions and the text of every document they are in."""
    if not LABELS.exists():
        raise SystemExit(f"SemEval-2025 task 10 not found at {TASK} (needs ../shared beside the checkout)")
    rows, texts = [], {}
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        cols = [c.strip() for c in line.split("\t")]
        doc = cols[0]
        if doc not in texts:
            texts[doc] = (DOCS / doc).read_text(encoding="utf-8")
        rows.append(MentionRow(doc, cols[1], int(cols[2]), int(cols[3]) + 1, cols[4], tuple(c for c in cols[5:] if c),
                               group_of(doc), "CC" if "_CC_" in doc else "UA"))
    sizes = Counter(r.group for r in rows)
    for r in rows:
        if sizes[r.group] < MIN_GROUP:
            r.group = max((g for g in sizes if g[:2] == r.domain and sizes[g] >= MIN_GROUP), key=lambda g: sizes[g])
    return rows, texts
