"""Fit the tagger's confidence (Platt scaling) on the held-out months and write it into the
tagger's weights file.

Each reported-speech finding of the tagger on the held-out articles gives the tagger's mean
marginal over the span, whether a Cue and a speaker were found, and whether it matches a gold
attribution. A logistic regression on (logit of the marginal, cue, speaker) maps those to a
probability of being right. The calibration error printed is cross-fitted (fitted on one half
of the articles, measured on the other, both ways), so it is not measured on what it was fit on.

    python -m training.attribution.calibrate --tagger /tmp/tagger.npz
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from training.attribution import evaluate
from training.attribution.train import CACHE, HELD_OUT_FROM, load_cache
from unspin.analyse import speech_tagger
from unspin.analyse.quotes_eval import matches
from unspin.analyse.speech_tagger import SpeechTagger
from unspin.analyse.tagged_speech import SOURCE


def rows(articles: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per tagger finding: features, whether right, and the article's number (for the halves)."""
    X, y, group = [], [], []
    for n, (art, doc, _) in enumerate(evaluate.analyse(articles)):
        indirect = [a.content for a in art["gold"] if not a.direct]
        for f in doc.findings:
            if f.source != SOURCE:
                continue
            m = min(max(f.attrs["tagger_score"], 1e-4), 1 - 1e-4)
            X.append([np.log(m / (1 - m)), f.attrs["cue_start"] is not None, f.attrs["speaker"] is not None])
            y.append(any(matches(g, f.start, f.end) for g in indirect))
            group.append(n)
    return np.array(X, dtype=float), np.array(y, dtype=bool), np.array(group)


def ece(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    band = np.minimum((p * bins).astype(int), bins - 1)
    return float(sum(abs(p[band == b].mean() - y[band == b].mean()) * (band == b).sum()
                     for b in range(bins) if (band == b).any()) / len(p))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tagger", type=Path, required=True)
    args = ap.parse_args()
    articles = [a for a in load_cache(CACHE) if a["date"] >= HELD_OUT_FROM]
    evaluate._use("tagger+rules", args.tagger)
    X, y, group = rows(articles)
    raw = 1 / (1 + np.exp(-X[:, 0]))
    halves = group % 2
    crossed = np.zeros(len(y))
    for h in (0, 1):
        model = LogisticRegression().fit(X[halves != h], y[halves != h])
        crossed[halves == h] = model.predict_proba(X[halves == h])[:, 1]
    model = LogisticRegression().fit(X, y)
    coef = np.array([*model.coef_[0], model.intercept_[0]], dtype=np.float32)
    tagger = SpeechTagger.load(args.tagger)
    tagger.calibration = coef
    tagger.save(args.tagger)
    report = {"findings": len(y), "right": round(float(y.mean()), 3), "ece_raw_marginal": round(ece(raw, y), 3),
              "ece_calibrated_cross_fitted": round(ece(crossed, y), 3), "coefficients": coef.round(4).tolist()}
    print(json.dumps(report, indent=1))
    args.tagger.with_suffix(".calibration.json").write_text(json.dumps(report, indent=1))
    speech_tagger.load_tagger.cache_clear()


if __name__ == "__main__":
    main()
