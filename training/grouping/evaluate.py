"""Evaluate story grouping and near-duplicate links on the constructed set (build_eval_set.py).

    .venv/bin/python -m training.grouping.evaluate            # writes bench/results/grouping_eval.json

For each vector kind (encoder, hashing) and with/without dates: sweep the join threshold of that
kind (``join_threshold`` or ``join_threshold_hashing``) on the tune half, then report pairwise and
B-cubed precision/recall/F1 on the test half with the best threshold (by B-cubed F1 on tune), and
with the shipped default. Near-duplicate links are scored on the test half, both as directed links
and as pairs (see ``dedupe_scores``). The vectors are cached on disk (``CachedVectors``).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from training.grouping.build_eval_set import Item, build
from unspin.group.evaluate import bcubed, pairwise
from unspin.group.stories import GroupConfig, StoryGrouper
from unspin.group.vectors import TextVectors

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "results" / "grouping_eval.json"
RUNS = ROOT / "training" / "runs"
THRESHOLDS = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7]


class CachedVectors:
    """Vectors computed once per text across the threshold sweep, and kept on disk between runs
    (``training/runs/grouping_vectors_<kind>.npz``, git-ignored, keyed by a hash of the text) so
    that a rerun or an experiment does not embed the same texts with the encoder again."""

    def __init__(self, inner: TextVectors, disk: bool = True) -> None:
        self.inner, self.kind = inner, inner.kind
        self._cache: dict[str, np.ndarray] = {}
        self._path = RUNS / f"grouping_vectors_{self.kind}.npz" if disk else None
        self._stored: dict[str, np.ndarray] = {}
        if self._path is not None and self._path.exists():
            with np.load(self._path) as z:
                self._stored = {k: z[k] for k in z.files}
        self._dirty = False

    @property
    def source(self) -> str:
        return self.inner.source

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        todo = []
        for t in texts:
            if t in self._cache:
                continue
            key = hashlib.sha1(t.encode()).hexdigest()
            if key in self._stored:
                self._cache[t] = self._stored[key]
            else:
                todo.append(t)
        if todo:
            for t, v in zip(todo, self.inner(todo), strict=True):
                self._cache[t] = v
                self._stored[hashlib.sha1(t.encode()).hexdigest()] = v
            self._dirty = True
        return np.stack([self._cache[t] for t in texts])

    def save(self) -> None:
        if self._path is not None and self._dirty:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(self._path, **self._stored)  # type: ignore[arg-type]  # numpy's stub types **kwds as bool
            self._dirty = False


def run(items: list[Item], cfg: GroupConfig, vectors) -> tuple[dict, dict, StoryGrouper, float]:
    g = StoryGrouper(cfg, vectors=vectors)
    t = time.process_time()  # CPU time: wall time on a shared machine mostly measures waiting
    for it in items:
        g.add(it.analysis)
    secs = time.process_time() - t
    gold = {it.analysis.article.id: it.gold for it in items}
    return gold, g.clusters(), g, secs


def with_threshold(kind: str, th: float) -> GroupConfig:
    """The default config with the join thresholds (dated and undated) of vectors of ``kind`` set to ``th``."""
    field = "join_threshold_hashing" if kind == "hashing" else "join_threshold"
    return replace(GroupConfig(), **{field: th, f"{field}_undated": th})  # type: ignore[arg-type]  # two float fields


def scores(items: list[Item], pred: dict) -> dict:
    gold = {it.analysis.article.id: it.gold for it in items}
    sub = {k: pred[k] for k in gold}
    return {"pairwise": pairwise(gold, sub).as_dict(), "bcubed": bcubed(gold, sub).as_dict()}


def dedupe_scores(items: list[Item], g: StoryGrouper) -> dict:
    links: dict[str, tuple[str | None, str]] = {}
    for s in g.stories():
        for m in s.members:
            if m.relation != "member":
                links[m.article_id] = (m.of, m.relation)
    expected = {it.analysis.article.id: (it.dup_of, it.dup_relation) for it in items if it.dup_of}
    tp = sum(1 for k, v in expected.items() if links.get(k, (None,))[0] == v[0])
    exact = sum(1 for k, v in expected.items() if links.get(k) == v)
    p = tp / len(links) if links else 1.0
    r = tp / len(expected) if expected else 1.0
    # A link points at whichever of the two arrived first; arrival here is shuffled, so a copy
    # often arrives before its original and the original is linked to it. As pairs (either way):
    want: dict[frozenset[str | None], str | None] = {frozenset((k, of)): rel for k, (of, rel) in expected.items()}
    got = {frozenset((k, of)): rel for k, (of, rel) in links.items()}
    hit = [pair for pair in got if pair in want]
    return {"links_expected": len(expected), "links_found": len(links),
            "directed": {"precision": round(p, 4), "recall": round(r, 4),
                         "relation_exact": round(exact / len(expected), 4) if expected else None},
            "pairs": {"precision": round(len(hit) / len(got), 4) if got else 1.0,
                      "recall": round(len(hit) / len(want), 4) if want else 1.0,
                      "relation_exact": round(sum(got[x] == want[x] for x in hit) / len(want), 4) if want else None}}


def main() -> None:
    report: dict = {
        "labels": "constructed, see training/grouping/build_eval_set.py and docs/grouping.md",
        "protocol": "threshold swept on the tune half (stories alternate tune/test), scores on the test half; "
                    "arrival order shuffled; 'dated' runs give each article a publication time, 'undated' none",
        "set": {}, "runs": [],
    }
    for dated in (True, False):
        items = build(dated=dated)
        tune = [i for i in items if i.split == "tune"]
        test = [i for i in items if i.split == "test"]
        report["set"] = {
            "items": len(items), "stories": len({i.gold for i in items}),
            "kinds": {k: sum(1 for i in items if i.kind == k) for k in sorted({i.kind for i in items})},
            "tune_items": len(tune), "test_items": len(test),
        }
        for prefer_encoder in (True, False):
            vectors = CachedVectors(TextVectors(prefer_encoder=prefer_encoder))
            default = GroupConfig().threshold(vectors.kind, dated)
            sweep, sweep_pairwise = {}, {}
            for th in THRESHOLDS:
                _, pred, _, _ = run(tune, with_threshold(vectors.kind, th), vectors)
                sc = scores(tune, pred)
                sweep[th], sweep_pairwise[th] = sc["bcubed"]["f1"], sc["pairwise"]["f1"]
            best = max(sweep, key=lambda t: (sweep[t], -abs(t - default)))
            for label, th in (("tuned", best), ("default", default)):
                _, pred, g, secs = run(test, with_threshold(vectors.kind, th), vectors)
                entry = {"dated": dated, "vectors": vectors.kind, "vectors_source": vectors.source, "threshold": th, "chosen_by": label,
                         "test": scores(test, pred), "stories_predicted": len(g.stories()),
                         "cpu_seconds_grouping": round(secs, 2), "dedupe": dedupe_scores(test, g)}
                report["runs"].append(entry)
                print(json.dumps(entry))
            report["runs"][-1]["tune_sweep_bcubed_f1"] = sweep
            report["runs"][-1]["tune_sweep_pairwise_f1"] = sweep_pairwise
            vectors.save()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=1))
    print("wrote", OUT)


if __name__ == "__main__":
    main()
