"""Train the linear heads on paragraph vectors and estimate them by 5-fold CV by article.

Heads: techniques (paragraph, 23 one-vs-rest; only for the frozen-encoder model), frames
(article, 14 one-vs-rest), genre (article, 3-class, balanced class weights). Also scores the
TF-IDF + logistic regression comparison with the same folds. Writes ``heads.npz`` and ``cv.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from unspin.analyse.models import metrics
from training.cv import article_folds, cross_fitted_thresholds
from training.features import Embed, article_matrix, paragraph_matrix
from training.linear import head_arrays
from unspin.analyse.models.semeval_io import Doc
from unspin.analyse.models.labels import FRAMES, GENRES, TECHNIQUES


def multi_hot(label_lists: list[list[str]], names: list[str]) -> np.ndarray:
    idx = {n: i for i, n in enumerate(names)}
    Y = np.zeros((len(label_lists), len(names)), dtype=np.int64)
    for r, labs in enumerate(label_lists):
        for lab in labs:
            if lab in idx:
                Y[r, idx[lab]] = 1
    return Y


def pairs(keys, Y: np.ndarray, names: list[str]) -> dict:
    return {k: {names[j] for j in np.flatnonzero(row)} for k, row in zip(keys, Y)}


def score_multilabel(keys, Y, P, groups, names, min_pos: int = 5) -> dict:
    """Micro/macro-F1 of out-of-fold probabilities with cross-fitted per-label thresholds."""
    T = cross_fitted_thresholds(Y, P, groups, min_pos=min_pos)
    pred = (P >= T).astype(np.int64)
    gold, guess = pairs(keys, Y, names), pairs(keys, pred, names)
    seen = [n for j, n in enumerate(names) if Y[:, j].sum() > 0]
    return {
        "micro_f1": metrics.micro_f1(gold, guess),
        "macro_f1": metrics.macro_f1_multilabel(gold, guess, seen),
        "per_label_f1": {n: round(v, 4) for n, v in metrics.per_label_f1(gold, guess, seen).items()},
        "support": {n: int(Y[:, j].sum()) for j, n in enumerate(names) if Y[:, j].sum() > 0},
    }


def genre_scores(y: np.ndarray, pred: np.ndarray) -> dict:
    """Macro-F1 as measured, and as it would be on a genre-balanced set (each class weighted
    1/its count), since the training split is 88 % opinion and the held-out split is not."""
    gold = {i: GENRES[v] for i, v in enumerate(y)}
    guess = {i: GENRES[v] for i, v in enumerate(pred)}
    w = np.array([1.0 / max((y == c).sum(), 1) for c in y])
    bal = []
    for c in range(len(GENRES)):
        tp = w[(pred == c) & (y == c)].sum()
        fp = w[(pred == c) & (y != c)].sum()
        fn = w[(pred != c) & (y == c)].sum()
        bal.append(2 * tp / max(2 * tp + fp + fn, 1e-9))
    return {"macro_f1": metrics.macro_f1_single(gold, guess), "macro_f1_balanced": float(np.mean(bal)),
            "per_class_f1_balanced": dict(zip(GENRES, map(float, bal)))}


def oof_genre(X: np.ndarray, y: np.ndarray, groups: np.ndarray, C: float) -> np.ndarray:
    P = np.zeros((len(y), len(GENRES)))
    for g in np.unique(groups):
        rows = groups == g
        lr = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(X[~rows], y[~rows])
        P[np.ix_(rows, lr.classes_)] = lr.predict_proba(X[rows])
    return P


def tfidf_comparison(texts: list[str], Y: np.ndarray, groups: np.ndarray, names, keys) -> dict:
    from sklearn.feature_extraction.text import TfidfVectorizer

    P = np.zeros(Y.shape)
    for g in np.unique(groups):
        rows = groups == g
        vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=50000)
        Xtr = vec.fit_transform([t for t, r in zip(texts, rows) if not r])
        Xte = vec.transform([t for t, r in zip(texts, rows) if r])
        for j in range(Y.shape[1]):
            if 0 < Y[~rows, j].sum() < (~rows).sum():
                lr = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
                P[rows, j] = lr.fit(Xtr, Y[~rows, j]).predict_proba(Xte)[:, 1]
    return score_multilabel(keys, Y, P, groups, names)


def train_techniques(docs3: list[Doc], embed: Embed, seed: int, folds: int, compare: bool) -> tuple[dict, dict]:
    X, keys = paragraph_matrix(docs3, embed)
    labels = {(d.id, ln.no): d.techniques.get(ln.no, []) for d in docs3 for ln in d.lines}
    Y = multi_hot([labels[k] for k in keys], TECHNIQUES)
    fold = article_folds([d.id for d in docs3], folds, seed)
    groups = np.array([fold[k[0]] for k in keys])
    arrays, P = head_arrays(X, Y, groups, "tech", C=1.0)
    report = {"frozen_encoder_linear": score_multilabel(keys, Y, P, groups, TECHNIQUES)}
    if compare:
        texts = [ln.text for d in docs3 for ln in d.lines]
        report["tfidf_linear"] = tfidf_comparison(texts, Y, groups, TECHNIQUES, keys)
    report["paragraphs"], report["articles"] = len(keys), len(docs3)
    return arrays, report


def train_article_heads(docs: list[Doc], embed: Embed, seed: int, folds: int, compare: bool,
                        label: str) -> tuple[dict, dict, dict]:
    X = article_matrix(docs, embed)
    fold = article_folds([d.id for d in docs], folds, seed)
    groups = np.array([fold[d.id] for d in docs])
    keys = [d.id for d in docs]
    # Frames
    Yf = multi_hot([d.frames or [] for d in docs], FRAMES)
    frame_arrays, Pf = head_arrays(X, Yf, groups, "frame", C=1.0)
    frames = {label: score_multilabel(keys, Yf, Pf, groups, FRAMES)}
    # Genre: balanced class weights so the 88 % opinion prior is not learned as is.
    y = np.array([GENRES.index(d.genre) for d in docs])
    C = 1.0
    Pg = oof_genre(X, y, groups, C)
    genre = {label: genre_scores(y, Pg.argmax(1))}
    lr = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(X, y)
    Wg = np.zeros((X.shape[1], len(GENRES)), np.float32)
    bg = np.full(len(GENRES), -30.0, np.float32)
    Wg[:, lr.classes_], bg[lr.classes_] = lr.coef_.T, lr.intercept_
    arrays = {**frame_arrays, "genre_W": Wg, "genre_b": bg}
    if compare:
        texts = [d.text for d in docs]
        frames["tfidf_linear"] = tfidf_comparison(texts, Yf, groups, FRAMES, keys)
        from sklearn.feature_extraction.text import TfidfVectorizer

        Pt = np.zeros((len(y), len(GENRES)))
        for g in np.unique(groups):
            rows = groups == g
            vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
            Xtr = vec.fit_transform([t for t, r in zip(texts, rows) if not r])
            m = LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced").fit(Xtr, y[~rows])
            Pt[np.ix_(rows, m.classes_)] = m.predict_proba(vec.transform([t for t, r in zip(texts, rows) if r]))
        genre["tfidf_linear"] = genre_scores(y, Pt.argmax(1))
    return arrays, frames, genre


def write(out: Path, arrays: dict, report: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    np.savez(out / "heads.npz", **arrays)
    (out / "cv.json").write_text(json.dumps(report, indent=2) + "\n")
