"""Fit and measure batch story grouping (unspin.group.batch) on the two labelled sets.

    .venv/bin/python -m training.grouping.fit_batch     # writes bench/results/grouping_batch.json

Sets: the constructed one (build_eval_set.py: SemEval articles cut in halves, with copies and
rewrites, many years and topics) and real events (polnear_events.py: one election campaign,
seven publishers), and both together ("mixed": topically varied). Each has a tune part and a
test part (constructed: stories alternate; PolNeAR: before / after April 2016).

On the tune parts only: the weights of the three cosines (a small grid, ranked by average
precision of same-story pairs), the logistic curve over the weighted sum (P(same story)), and
the merge threshold (best mean pairwise F1 over the three tune sets, undated and dated). Then every test
part is grouped, dated and undated, by the batch grouper and by the incremental one.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from training.grouping import build_eval_set, polnear_events
from training.grouping.build_eval_set import Item
from training.grouping.evaluate import CachedVectors, run, scores
from unspin.group.batch import BatchConfig, BatchGrouper, PairModel, PairScores, pair_scores
from unspin.group.stories import GroupConfig
from unspin.group.vectors import TextVectors

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "results" / "grouping_batch.json"
THRESHOLDS = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7]
WEIGHTS = [w for w in itertools.product([0.5, 0.6, 0.7, 0.8, 0.9, 1.0], [0.0, 0.1, 0.2, 0.3], [0.0, 0.1, 0.2, 0.3])
           if abs(sum(w) - 1.0) < 1e-9]


def sets(dated: bool) -> dict[str, list[Item]]:
    semeval = build_eval_set.build(dated=dated)
    polnear = polnear_events.build(dated=dated)
    return {"constructed": semeval, "polnear": polnear, "mixed": semeval + polnear}


def _pairs(items: list[Item], scores_: PairScores) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Evidence (meaning, entities, words), dated-within-window flag, same-story label, per pair;
    pairs of dated articles too far apart are dropped (the grouper never joins them)."""
    gold = np.array([i.gold for i in items])
    iu = np.triu_indices(len(items), 1)
    keep = ~scores_.apart[iu]
    x = np.stack([scores_.meaning[iu], scores_.entities[iu], scores_.words[iu]], axis=1)
    return x[keep], scores_.near[iu][keep], (gold[:, None] == gold[None, :])[iu][keep]


def fit_model(tunes: list[dict[str, list[Item]]], vectors) -> tuple[PairModel, dict]:
    """``tunes``: the undated and the dated tune parts."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score

    xs, ns, ys = [], [], []
    for tune in tunes:
        for name in ("constructed", "polnear"):  # "mixed" holds the same pairs and more negatives
            x, near, y = _pairs(tune[name], pair_scores([i.analysis for i in tune[name]], vectors))
            xs.append(x)
            ns.append(near)
            ys.append(y)
    ranked = {w: float(np.mean([average_precision_score(yy, xx @ np.array(w)) for xx, yy in zip(xs, ys, strict=False)]))
              for w in WEIGHTS}
    best = max(ranked, key=lambda w: ranked[w])
    x, near, y = np.concatenate(xs), np.concatenate(ns), np.concatenate(ys)
    feats = np.column_stack([x @ np.array(best), near.astype(float)])
    lr = LogisticRegression(C=100.0, max_iter=1000).fit(feats, y)
    model = PairModel(meaning=best[0], entities=best[1], words=best[2],
                      slope=round(float(lr.coef_[0][0]), 3), offset=round(float(lr.intercept_[0]), 3),
                      dated_near=round(float(lr.coef_[0][1]), 3), threshold=0.5)
    return model, {"weights_average_precision": {str(k): round(v, 4) for k, v in
                                                 sorted(ranked.items(), key=lambda kv: -kv[1])[:8]},
                   "pairs": int(len(y)), "same_story_pairs": int(y.sum())}


def batch_scores(items: list[Item], cfg: BatchConfig, vectors) -> tuple[dict, float, int]:
    g = BatchGrouper(cfg, vectors=vectors)
    t = time.process_time()
    stories = g.group([i.analysis for i in items])
    return scores(items, g.clusters()), time.process_time() - t, len(stories)


def fit_and_measure(vectors, undated: dict, dated: dict) -> dict:
    tunes = [{k: [i for i in v if i.split == "tune"] for k, v in family.items()} for family in (undated, dated)]
    model, fit_info = fit_model(tunes, vectors)
    print(vectors.kind, "pair model", model, flush=True)
    base = BatchConfig(encoder=model, hashing=model)
    sweep = {}
    for th in THRESHOLDS:
        cfg = replace(base, threshold=th)
        sweep[th] = {f"{k} {'dated' if d else 'undated'}": batch_scores(v, cfg, vectors)[0]["pairwise"]["f1"]
                     for d, tune in enumerate(tunes) for k, v in tune.items()}
        print("tune", th, sweep[th], flush=True)
    best = max(sweep, key=lambda t: (np.mean(list(sweep[t].values())), -abs(t - 0.2)))
    model = replace(model, threshold=best)
    cfg = BatchConfig(encoder=model, hashing=model)
    out = {"vectors": vectors.source, "pair_model": model.__dict__, "fit": fit_info, "threshold": best,
           "tune_sweep_pairwise_f1": sweep, "test": []}
    for is_dated, family in ((False, undated), (True, dated)):
        for name, items in family.items():
            test = [i for i in items if i.split == "test"]
            sc, secs, n = batch_scores(test, cfg, vectors)
            _, pred, g, isecs = run(test, GroupConfig(), vectors)
            entry = {"set": name, "dated": is_dated, "articles": len(test), "stories_gold": len({i.gold for i in test}),
                     "batch": {**sc, "stories": n, "cpu_seconds": round(secs, 2)},
                     "incremental": {**scores(test, pred), "stories": len(g.stories()), "cpu_seconds": round(isecs, 2)}}
            out["test"].append(entry)
            print(json.dumps(entry), flush=True)
    return out


def main() -> None:
    undated, dated = sets(False), sets(True)
    report: dict = {
        "protocol": "pair model and threshold chosen on the tune parts (undated and dated); scores on the test "
                    "parts; pairwise and B-cubed F1; constructed = SemEval halves/copies/rewrites, polnear = real "
                    "events of one campaign (split by period), mixed = both in one batch",
        "runs": {},
    }
    for prefer_encoder in (True, False):
        vectors = CachedVectors(TextVectors(prefer_encoder=prefer_encoder))
        report["runs"][vectors.kind] = fit_and_measure(vectors, undated, dated)
        vectors.save()
    OUT.write_text(json.dumps(report, indent=1) + "\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
