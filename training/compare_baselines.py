"""The approaches the shipped detectors were chosen against, scored with the same folds.

    .venv/bin/python -m training.compare_baselines [--out DIR]   # writes DIR/baselines.json

Per task: word TF-IDF (1-2 grams) + logistic regression, and frozen MiniLM sentence embeddings
(``minilm-embed``) + logistic regression; for frames also the shipped head averaged with a
frozen-MiniLM head over name-masked text (``BLEND_ROW``). Folds by article (5, seed 13) and thresholds chosen
as for the shipped models (one shared threshold, cross-fitted), so the numbers compare with
``cv.json``. The shipped approaches (hashed n-grams + stacker + fine-tuned network; style cues
for genre) are scored by ``build_detectors``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from training.cv import GROUPINGS, folds_for
from training.scoring import genre_scores, multi_hot, score_multilabel
from unspin.analyse.models.detectors import DETECTORS_DIR
from unspin.analyse.models.encoder import Encoder
from unspin.analyse.models.labels import FRAMES, GENRES, TECHNIQUES
from unspin.analyse.models.semeval_io import TRAIN, load_article_task, load_subtask3


def _tfidf(train: list[str], test: list[str]):
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=100_000)
    return vec.fit_transform(train), vec.transform(test)


def _fold_inputs(texts: list[str] | None, X: np.ndarray | None, tr: np.ndarray):
    """Train and test inputs of one fold: TF-IDF fitted on the training rows, or given vectors."""
    if texts is not None:
        return _tfidf([t for t, r in zip(texts, tr, strict=False) if r], [t for t, r in zip(texts, tr, strict=False) if not r])
    assert X is not None, "texts or vectors"
    return X[tr], X[~tr]


def oof_multilabel(texts: list[str] | None, X: np.ndarray | None, Y: np.ndarray, groups: np.ndarray, C: float):
    """Out-of-fold probabilities, one balanced logistic regression per label."""
    P = np.zeros(Y.shape)
    for g in np.unique(groups):
        tr = groups != g
        Xtr, Xte = _fold_inputs(texts, X, tr)
        for j in range(Y.shape[1]):
            if 0 < Y[tr, j].sum() < tr.sum():
                lr = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(Xtr, Y[tr, j])
                P[~tr, j] = lr.predict_proba(Xte)[:, 1]
    return P


def oof_genre(texts: list[str] | None, X: np.ndarray | None, y: np.ndarray, groups: np.ndarray, C: float):
    P = np.zeros((len(y), len(GENRES)))
    for g in np.unique(groups):
        tr = groups != g
        Xtr, Xte = _fold_inputs(texts, X, tr)
        lr = LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(Xtr, y[tr])
        P[np.ix_(~tr, lr.classes_)] = lr.predict_proba(Xte)
    return P


# The shipped frames head averaged with a frozen-MiniLM head over the same name-masked text.
BLEND_ROW = "ngram_calibrated+frozen_minilm_masked"
C_EMBED_FRAME = 0.01


def _dense_oof_logits(X: np.ndarray, Y: np.ndarray, groups: np.ndarray, C: float) -> np.ndarray:
    out = np.full(Y.shape, -10.0)
    for g in np.unique(groups):
        tr = groups != g
        for j in range(Y.shape[1]):
            if 0 < Y[tr, j].sum() < tr.sum():
                lr = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(X[tr], Y[tr, j])
                out[~tr, j] = lr.decision_function(X[~tr])
    return out


def frames_blend(encoder: Encoder, docs3, docs12, data: Path, grouping: str = "random") -> dict:
    """Half the shipped (calibrated n-gram) frame probabilities, half a frozen-MiniLM head's over
    the mean of the article's name-masked paragraphs, Platt-scaled the same nested way."""
    from training.build_detectors import cache_key, frame_oof
    from training.cv import nested_platt
    from training.examples import corpus_common_words
    from unspin.analyse.models.heads import sigmoid
    from unspin.analyse.models.names import masked_words

    common = corpus_common_words(docs3)
    oof = frame_oof(docs12, 13, 5, cache_key(data, len(docs3), 5, 13, grouping), common, grouping)
    X = np.stack([encoder.embed([masked_words(ln.text, common) for ln in d.lines[1:] or d.lines]).mean(0)
                  for d in oof.docs])
    X = (X - X.mean(0)) / (X.std(0) + 1e-6)
    Z = _dense_oof_logits(X, oof.Y, oof.groups, C_EMBED_FRAME)
    inner = {}
    for g in np.unique(oof.groups):
        tr = np.flatnonzero(oof.groups != g)
        inner[int(g)] = _dense_oof_logits(X[tr], oof.Y[tr], np.arange(len(tr)) % 4, C_EMBED_FRAME)
    P = 0.5 * oof.P + 0.5 * sigmoid(nested_platt(Z, inner, oof.Y, oof.groups, 100.0))
    return score_multilabel([d.id for d in oof.docs], oof.Y, P, oof.groups, FRAMES)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DETECTORS_DIR)
    ap.add_argument("--data", type=Path, default=TRAIN)
    ap.add_argument("--limit-articles", type=int, default=0)
    ap.add_argument("--grouping", choices=GROUPINGS, default="ranges", help="the folds (as build_detectors)")
    args = ap.parse_args(argv)
    t0 = time.time()
    encoder = Encoder()
    report: dict = {"grouping": args.grouping, "techniques": {}, "frames": {}, "genre": {}}

    docs3 = load_subtask3(args.data, with_spans=False)
    docs12 = load_article_task(args.data)
    if args.limit_articles:
        docs3, docs12 = docs3[: args.limit_articles], docs12[: args.limit_articles]
    keys = [(d.id, ln.no) for d in docs3 for ln in d.lines]
    texts = [ln.text for d in docs3 for ln in d.lines]
    Y = multi_hot([d.techniques.get(ln.no, []) for d in docs3 for ln in d.lines], TECHNIQUES)
    fold = folds_for([d.id for d in docs3], args.grouping, 5, 13)
    groups = np.array([fold[k[0]] for k in keys])
    E = encoder.embed(texts)
    for name, P in (("word_tfidf_lr", oof_multilabel(texts, None, Y, groups, 4.0)),
                    ("frozen_minilm_lr", oof_multilabel(None, E, Y, groups, 1.0))):
        report["techniques"][name] = score_multilabel(keys, Y, P, groups, TECHNIQUES)

    art_vec = {}
    for d in docs12:
        v = encoder.embed([ln.text for ln in d.lines])
        art_vec[d.id] = np.concatenate([v[1:].mean(0) if len(v) > 1 else v[0], v[0]])
    fdocs = [d for d in docs12 if d.frames is not None]
    Yf = multi_hot([d.frames or [] for d in fdocs], FRAMES)
    ff = folds_for([d.id for d in fdocs], args.grouping, 5, 13)
    gf = np.array([ff[d.id] for d in fdocs])
    ftexts = [d.text for d in fdocs]
    Ef = np.stack([art_vec[d.id] for d in fdocs])
    for name, P in (("word_tfidf_lr", oof_multilabel(ftexts, None, Yf, gf, 4.0)),
                    ("frozen_minilm_lr", oof_multilabel(None, Ef, Yf, gf, 0.3))):
        report["frames"][name] = score_multilabel([d.id for d in fdocs], Yf, P, gf, FRAMES)
    report["frames"][BLEND_ROW] = frames_blend(encoder, docs3, docs12, args.data, args.grouping)

    gdocs = [d for d in docs12 if d.genre in GENRES]
    y = np.array([GENRES.index(d.genre or "") for d in gdocs])  # docs with a genre only (above)
    fg = folds_for([d.id for d in gdocs], args.grouping, 5, 13)
    gg = np.array([fg[d.id] for d in gdocs])
    Eg = np.stack([art_vec[d.id] for d in gdocs])
    for name, P in (("word_tfidf_lr", oof_genre([d.text for d in gdocs], None, y, gg, 4.0)),
                    ("frozen_minilm_lr", oof_genre(None, Eg, y, gg, 1.0))):
        report["genre"][name] = genre_scores(y, P.argmax(1))
    report["seconds"] = round(time.time() - t0, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "baselines.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({t: {k: v.get("micro_f1", v.get("macro_f1_balanced")) for k, v in r.items()}
                      for t, r in report.items() if isinstance(r, dict)}, indent=1))
    return report


if __name__ == "__main__":
    main()
