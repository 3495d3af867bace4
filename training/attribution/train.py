"""Train the attribution tagger (``unspin.analyse.speech_tagger``) on PolNeAR's training split.

Needs ``prepare.py``'s cache. The articles are cut by date: *tune* (2015-11 to 2016-06) is
trained on, *held-out* (2016-07 to 2016-09) scores it, so a choice made here is checked on
later months than it was fitted on. ``--all`` then fits on the whole training split for
shipping. Scores are token F1 per kind and, for the Content spans, the evaluator's span rule
(a match shares at least half of the shorter span), split into direct quotes and the rest.

    python -m training.attribution.train --out /tmp/tagger.npz [--c1 0.05 --c2 0.01] [--all]

``--leave-out PUBLISHER`` keeps one publisher out of the fit and scores only its held-out
months: the figure for an outlet the tagger has never read.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from spacy.tokens import DocBin

from training.attribution.prepare import POLNEAR_TRAIN
from unspin.analyse.nlp import load_spacy
from unspin.analyse.polnear import GoldAttribution, read_gold
from unspin.analyse.quote_marks import find_quote_pieces
from unspin.analyse.quotes_eval import matches
from unspin.analyse.speech_tagger import (
    LABELS,
    TENSOR_WIDTH,
    SpeechTagger,
    quoted_mask,
    spans_of,
    token_features,
    token_tensors,
)

CACHE = Path.home() / ".cache" / "unspin" / "attribution"
HELD_OUT_FROM = "2016-07"
_PAINT_ORDER = (("CON", "content"), ("SRC", "source"), ("CUE", "cue"))  # later kinds win a token


def load_cache(cache: Path) -> list[dict]:
    """Each article: its index entry, paragraph docs with their text, and gold attributions.
    The docs get back their contextual vectors (``doc.tensor``) when the cache has them."""
    index = json.loads((cache / "index.json").read_text())
    docs = list(DocBin().from_disk(cache / "docs.spacy").get_docs(load_spacy().vocab))
    if (cache / "tensors.npy").exists():
        tensors, at_tok = np.load(cache / "tensors.npy"), 0
        for d in docs:
            d.tensor = tensors[at_tok : at_tok + len(d)].astype(np.float32)
            at_tok += len(d)
        assert at_tok == len(tensors)
    gold = {g.name: (p, g) for p, g in read_gold(POLNEAR_TRAIN / "text", POLNEAR_TRAIN / "attributions")}
    out, at = [], 0
    for entry in index:
        n = len(entry["starts"])
        path, g = gold[entry["name"]]
        out.append(entry | {"docs": docs[at : at + n], "text": path.read_text(encoding="utf-8"),
                            "gold": g.attributions})
        at += n
    assert at == len(docs)
    return out


def gold_labels(doc, start: int, attributions: list[GoldAttribution]) -> np.ndarray:
    """BIO labels (indices into LABELS) for one paragraph doc whose text starts at ``start``."""
    n = len(doc)
    tok_start = np.array([start + t.idx for t in doc])
    tok_end = tok_start + np.array([len(t) for t in doc])
    kinds = np.array(["O"] * n, dtype=object)
    first = np.zeros(n, dtype=bool)
    for kind, attr in _PAINT_ORDER:
        for a in attributions:
            span = getattr(a, attr)
            if span is None:
                continue
            for piece in span.pieces:
                hit = np.flatnonzero((tok_start < piece.end) & (tok_end > piece.start))
                inside = [int(i) for i in hit if not doc[int(i)].is_space]
                if inside:
                    kinds[inside] = kind
                    first[inside] = False
                    first[inside[0]] = True
    labels = np.zeros(n, dtype=np.int64)
    for i in range(n):
        if kinds[i] == "O":
            continue
        begins = first[i] or i == 0 or kinds[i - 1] != kinds[i]
        labels[i] = LABELS.index(("B-" if begins else "I-") + kinds[i])
    return labels


def _masks(article: dict) -> list[np.ndarray]:
    text = article["text"]
    out = []
    for doc, start in zip(article["docs"], article["starts"], strict=True):
        para = text[start : start + len(doc.text)]
        out.append(quoted_mask(doc, find_quote_pieces(para), para))
    return out


def article_rows(article: dict, dense: bool):
    """(features, tensors or None, labels) for each paragraph of an article."""
    feats = token_features(article["docs"], _masks(article))
    tensors = token_tensors(article["docs"]) if dense else None
    at = 0
    for doc, start in zip(article["docs"], article["starts"], strict=True):
        if len(doc):
            t = None if tensors is None else tensors[at : at + len(doc)]
            yield feats[at : at + len(doc)], t, gold_labels(doc, start, article["gold"])
        at += len(doc)


def _items(feats: np.ndarray, tensors: np.ndarray | None, mean, std) -> list:
    if tensors is None:
        return [[format(int(h), "x") for h in row] for row in feats]
    z = (tensors - mean) / std
    out = []
    for row, zrow in zip(feats, z, strict=True):
        item: dict[str, float] = {}
        for h in row:  # a hash two templates share counts twice, as the lookup at run time sums it
            key = format(int(h), "x")
            item[key] = item.get(key, 0.0) + 1.0
        item.update({f"t{j}": float(v) for j, v in enumerate(zrow)})
        out.append(item)
    return out


def fit(articles: list[dict], c1: float, c2: float, iterations: int, model_path: Path, dense: bool = False
        ) -> SpeechTagger:
    import pycrfsuite

    mean = std = None
    if dense:
        every = np.concatenate([token_tensors(a["docs"]) for a in articles])
        mean, std = every.mean(axis=0), every.std(axis=0) + 1e-6
    trainer = pycrfsuite.Trainer(verbose=False)
    for article in articles:
        for feats, tensors, labels in article_rows(article, dense):
            trainer.append(_items(feats, tensors, mean, std), [LABELS[i] for i in labels])
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True})
    trainer.train(str(model_path))
    info = pycrfsuite.Tagger()
    info.open(str(model_path))
    state = info.info().state_features
    dense_w = np.zeros((TENSOR_WIDTH, len(LABELS)), dtype=np.float32)
    names = sorted({attr for attr, _ in state if not attr.startswith("t")})
    row = {a: i for i, a in enumerate(names)}
    weights = np.zeros((len(names), len(LABELS)), dtype=np.float32)
    for (attr, label), w in state.items():
        if attr.startswith("t"):
            dense_w[int(attr[1:]), LABELS.index(label)] = w
        else:
            weights[row[attr], LABELS.index(label)] = w
    transitions = np.zeros((len(LABELS), len(LABELS)), dtype=np.float32)
    for (a, b), w in info.info().transitions.items():
        transitions[LABELS.index(a), LABELS.index(b)] = w
    features = np.array([int(a, 16) for a in names], dtype=np.uint64)
    return SpeechTagger(features, weights, transitions, np.zeros(len(LABELS), dtype=np.float32),
                        dense=dense_w if dense else None, dense_mean=mean, dense_std=std)


def score(tagger: SpeechTagger, articles: list[dict]) -> dict:
    kinds = {k: [0, 0, 0] for k in ("SRC", "CUE", "CON")}  # true positives, predicted, gold tokens
    span = {"indirect": [0, 0, 0, 0], "direct": [0, 0, 0, 0]}  # gold found, gold, predicted right, predicted
    for article in articles:
        predicted: list[tuple[int, int, bool]] = []
        masks = _masks(article)
        tagged = tagger.tag_many(article["docs"], masks)
        for doc, start, mask, (labels, _) in zip(article["docs"], article["starts"], masks, tagged, strict=True):
            if len(doc) == 0:
                continue
            gold = gold_labels(doc, start, article["gold"])
            for k in kinds:
                p = np.isin(labels, [LABELS.index(f"B-{k}"), LABELS.index(f"I-{k}")])
                g = np.isin(gold, [LABELS.index(f"B-{k}"), LABELS.index(f"I-{k}")])
                kinds[k][0] += int((p & g).sum())
                kinds[k][1] += int(p.sum())
                kinds[k][2] += int(g.sum())
            for s in spans_of(labels):
                if s.kind == "CON":
                    a, b = start + doc[s.start].idx, start + doc[s.end - 1].idx + len(doc[s.end - 1])
                    predicted.append((a, b, bool(mask[s.start:s.end].mean() > 0.5)))
        for direct, key in ((False, "indirect"), (True, "direct")):
            gold_spans = [a.content for a in article["gold"] if a.direct == direct]
            mine = [(a, b) for a, b, q in predicted if q == direct]
            span[key][0] += sum(any(matches(g, *m) for m in mine) for g in gold_spans)
            span[key][1] += len(gold_spans)
            span[key][2] += sum(any(matches(g, *m) for g in gold_spans) for m in mine)
            span[key][3] += len(mine)
    out = {}
    for k, (tp, n_pred, n_gold) in kinds.items():
        prec, rec = tp / max(n_pred, 1), tp / max(n_gold, 1)
        out[f"token_f1_{k}"] = round(2 * prec * rec / max(prec + rec, 1e-9), 3)
    for key, (found, n_gold, right, n_pred) in span.items():
        out[f"{key}_recall"] = round(found / max(n_gold, 1), 3)
        out[f"{key}_precision"] = round(right / max(n_pred, 1), 3)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iterations", type=int, default=150)
    ap.add_argument("--dense", action="store_true", help="add spaCy's contextual token vectors (doc.tensor)")
    ap.add_argument("--all", action="store_true", help="fit on the whole training split (for shipping)")
    ap.add_argument("--leave-out", default=None, metavar="PUBLISHER",
                    help="fit on the tune months without this publisher; score its held-out months only")
    args = ap.parse_args()
    articles = load_cache(args.cache)
    tune = [a for a in articles if a["date"] < HELD_OUT_FROM]
    held = [a for a in articles if a["date"] >= HELD_OUT_FROM]
    if args.leave_out:
        tune = [a for a in tune if a["publisher"] != args.leave_out]
        held = [a for a in held if a["publisher"] == args.leave_out]
    started = time.perf_counter()
    tagger = fit(articles if args.all else tune, args.c1, args.c2, args.iterations, args.out.with_suffix(".crfsuite"),
                 args.dense)
    report = {"c1": args.c1, "c2": args.c2, "iterations": args.iterations, "fit_on": "all" if args.all else "tune", "dense": args.dense,
              "left_out": args.leave_out,
              "features": len(tagger.features), "fit_seconds": round(time.perf_counter() - started)}
    if not args.all:
        t0 = time.perf_counter()
        report["held_out"] = score(tagger, held)
        report["held_out_articles_per_s"] = round(len(held) / (time.perf_counter() - t0), 1)
    print(json.dumps(report, indent=1), flush=True)
    tagger.save(args.out)
    args.out.with_suffix(".json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
