"""Train the shipped entity-role model (src/unspin/analyse/roles.py) and measure it.

    .venv/bin/python -m training.roles.train [--out DIR] [--limit N]

Data: SemEval-2025 Task 10 English training mentions (subtask 1: 686 mentions in 202 documents,
each with a main role and one or two fine roles). Features: ``roles.mention_features``, the
shipped sentence encoder's vectors of each mention's window with the name replaced by "someone"
(computed once, cached under ~/.cache/unspin/roles). Heads: multinomial logistic regression for the
main role and for the (first) fine role, on features standardised over all mentions (no labels).

Validation as the world will test it: leave one collection batch out (5 groups: CC 1/2, UA
0/1/3). The regularisation is chosen on those folds; on their held-out outputs, a temperature per
head and the share of the main role's probability from which a second fine role is said. The
shipped heads are the mean of the grouped fold heads (the same standardised columns), the ensemble
the calibration was chosen on. Reported beside: random folds, per domain and per group, and the
references (always the majority main role with its most frequent fine role). Writes roles.npz,
labels.json, cv.json and MODEL_CARD.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from collections import Counter
from pathlib import Path

import numpy as np

from training.roles.data import MentionRow, load
from unspin.analyse.roles import (
    FINE_ROLES,
    MAIN_ROLES,
    PARENT,
    ROLES_DIR,
    WINDOW_WORDS,
    decide,
    mention_features,
)

VERSION = "1"
C_GRID = (0.003, 0.01, 0.03)
SHIFTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5)
SEED = 13
# Tried on the same grouped folds and not shipped (figures in the model card).
NOT_SHIPPED = {
    "MiniLM fine-tuned end to end on the masked windows (the neutral word's tokens and the window pooled, "
    "class-weighted main head, 4 epochs, lr 4e-5, batch 16; about 20 minutes for the five folds on 2 cores)": {
        "best epoch (3), no shift": {"main_accuracy": 0.5787, "main_macro_f1": 0.4094, "exact_match": 0.1327},
        "best epoch (3), shifted towards Antagonist by 1.0": {"main_accuracy": 0.6968, "main_macro_f1": 0.3504,
                                                              "exact_match": 0.1254},
        "why not": "lower macro-F1 and exact match than the frozen encoder with linear heads, and a second "
                   "network to ship and run"},
    "frozen features, other readings of the mention (PyTorch fp32 encoder, unbalanced logistic regression, C 1)": {
        "the sentence around the mention, name hidden, sentence vector": {"main_accuracy": 0.6924, "exact_match": 0.157},
        "the mention's own tokens with the name kept": {"main_accuracy": 0.6487, "exact_match": 0.181},
        "the persuasion network's token vectors and technique outputs": {"main_accuracy": 0.6778, "exact_match": 0.163},
        "why not": "no better on the main role; keeping the name learns who is talked about, not what is said"},
}
CACHE = Path.home() / ".cache" / "unspin" / "roles"


def features(rows: list[MentionRow], texts: dict[str, str]) -> np.ndarray:
    """Every mention's features, cached by the mentions and the encoder's weights."""
    from unspin.analyse.models.encoder import EMBED_DIR

    h = hashlib.sha256()
    h.update((EMBED_DIR / "model.onnx").read_bytes())
    h.update(json.dumps([[r.doc, r.start, r.end] for r in rows]).encode())
    h.update(f"{WINDOW_WORDS}".encode())
    path = CACHE / f"features-{h.hexdigest()[:16]}.npy"
    if path.exists():
        return np.load(path)
    by_doc: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_doc.setdefault(r.doc, []).append(i)
    x = np.zeros((len(rows), 768), dtype=np.float32)
    for doc, idx in by_doc.items():
        x[idx] = mention_features(texts[doc], [(rows[i].start, rows[i].end) for i in idx])
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, x)
    return x


def fit_heads(x: np.ndarray, main: np.ndarray, fine: np.ndarray, n_fine: int, c: float):
    """(main_w, main_b, fine_w, fine_b) with a column per label; a label absent from this fold's
    training part gets a bias that keeps it from being said."""
    from sklearn.linear_model import LogisticRegression

    out = []
    # The main head is class-balanced (else it says Antagonist, 70 % of the data, for nearly
    # every mention); the shift back towards the majority is chosen on the held-out outputs.
    for y, n, weight in ((main, len(MAIN_ROLES), "balanced"), (fine, n_fine, None)):
        m = LogisticRegression(C=c, max_iter=3000, class_weight=weight).fit(x, y)
        w = np.zeros((x.shape[1], n), dtype=np.float32)
        b = np.full(n, -10.0, dtype=np.float32)
        if len(m.classes_) == 2:  # softmax over (0, z) is the binary model's sigmoid
            w[:, m.classes_[1]], b[m.classes_[1]], b[m.classes_[0]] = m.coef_[0], m.intercept_[0], 0.0
        else:
            for i, cls in enumerate(m.classes_):
                w[:, cls], b[cls] = m.coef_[i], m.intercept_[i]
        out += [w, b]
    return tuple(out)


def out_of_fold(x, main, fine, n_fine, folds, c):
    zm, zf, heads = np.zeros((len(x), len(MAIN_ROLES))), np.zeros((len(x), n_fine)), []
    for held in folds:
        train = np.setdiff1d(np.arange(len(x)), held)
        h = fit_heads(x[train], main[train], fine[train], n_fine, c)
        heads.append(h)
        zm[held], zf[held] = x[held] @ h[0] + h[1], x[held] @ h[2] + h[3]
    return zm, zf, tuple(np.mean([h[i] for h in heads], axis=0) for i in range(4))


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def temperature(z: np.ndarray, y: np.ndarray) -> float:
    """The logit scale with the least held-out log loss."""
    grid = np.exp(np.linspace(np.log(0.05), np.log(5.0), 80))
    loss = [-np.log(softmax(t * z)[np.arange(len(y)), y] + 1e-12).mean() for t in grid]
    return float(grid[int(np.argmin(loss))])


def decide_all(meta: dict, pm: np.ndarray, pf: np.ndarray) -> list[tuple[str, tuple[str, ...]]]:
    out = []
    for i in range(len(pm)):
        pred = decide(meta, pm[i], pf[i])
        out.append((pred.main, tuple(f for f, _ in pred.fine)))
    return out


def scores(rows: list[MentionRow], preds, idx) -> dict:
    from sklearn.metrics import f1_score

    idx = list(idx)
    gold_main = Counter(rows[i].main for i in idx)
    pred_main = Counter(preds[i][0] for i in idx)
    return {"mentions": len(idx),
            "exact_match": round(float(np.mean([set(preds[i][1]) == set(rows[i].fine) for i in idx])), 4),
            "main_accuracy": round(float(np.mean([preds[i][0] == rows[i].main for i in idx])), 4),
            "main_macro_f1": round(float(f1_score([rows[i].main for i in idx], [preds[i][0] for i in idx],
                                                  labels=list(MAIN_ROLES), average="macro", zero_division=0)), 4),
            "main_rates": {m: {"predicted": round(pred_main[m] / len(idx), 3), "gold": round(gold_main[m] / len(idx), 3)}
                           for m in MAIN_ROLES}}


def main_quality(pred: np.ndarray, gold: np.ndarray) -> float:
    """What the main role's decision is chosen by: the mean of accuracy (the task's figure) and
    macro-F1 (so that a model saying the majority role for everything does not win)."""
    from sklearn.metrics import f1_score

    return float((np.mean(pred == gold) + f1_score(gold, pred, average="macro")) / 2)


def calibrated(zm, zf, main, fine, rows, fine_labels):
    """The shift towards the majority main role, the temperatures and the second-fine share,
    fitted on held-out outputs; the decisions."""
    major = np.bincount(main, minlength=len(MAIN_ROLES)).argmax()
    shift = max(SHIFTS, key=lambda d: (main_quality((zm + d * np.eye(len(MAIN_ROLES))[major]).argmax(1), main), -abs(d)))
    zm = zm + shift * np.eye(len(MAIN_ROLES))[major]
    tm, tf = temperature(zm, main), temperature(zf, fine)
    pm, pf = softmax(tm * zm), softmax(tf * zf)
    meta = {"main": list(MAIN_ROLES), "fine": fine_labels, "calibration": {"main": tm, "fine": tf},
            "majority_shift": [int(major), shift]}
    best = None
    for share in (0.3, 0.35, 0.4, 0.45, 0.5, 1.01):
        meta["second_fine"] = share
        preds = decide_all(meta, pm, pf)
        em = float(np.mean([set(p[1]) == set(r.fine) for p, r in zip(preds, rows, strict=True)]))
        if best is None or em > best[0] + 1e-9:
            best = (em, share)
    meta["second_fine"] = best[1]
    return meta, decide_all(meta, pm, pf), pm


def ece(p: np.ndarray, right: np.ndarray, bins: int = 10) -> float:
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        sel = (p > a) & (p <= b)
        if sel.any():
            total += sel.mean() * abs(p[sel].mean() - right[sel].mean())
    return round(float(total), 4)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROLES_DIR)
    ap.add_argument("--limit", type=int, default=0, help="N mentions only, spread over the batches (smoke tests)")
    args = ap.parse_args(argv)
    t0 = time.time()
    rows, texts = load()
    if args.limit:
        rows = rows[:: max(1, len(rows) // args.limit)][: args.limit]
    fine_labels = [f for m in MAIN_ROLES for f in FINE_ROLES[m] if any(f in r.fine for r in rows)]
    x_raw = features(rows, texts)
    mean, scale = x_raw.mean(axis=0), x_raw.std(axis=0) + 1e-6
    x = (x_raw - mean) / scale
    main = np.array([MAIN_ROLES.index(r.main) for r in rows])
    fine = np.array([fine_labels.index(r.fine[0]) for r in rows])
    groups = sorted({r.group for r in rows})
    grouped = [np.array([i for i, r in enumerate(rows) if r.group == g]) for g in groups]
    order = list(range(len(rows)))
    random.Random(SEED).shuffle(order)
    randomly = [np.array(sorted(order[k::5])) for k in range(5)]
    report: dict = {"data": "SemEval-2025 Task 10 English training mentions (subtask 1)", "mentions": len(rows),
                    "documents": len({r.doc for r in rows}), "groups": groups, "window_words": WINDOW_WORDS,
                    "not_shipped": NOT_SHIPPED}
    choice = {}
    for c in C_GRID:  # chosen on the grouped folds only
        zm, zf, _ = out_of_fold(x, main, fine, len(fine_labels), grouped, c)
        _, preds, _ = calibrated(zm, zf, main, fine, rows, fine_labels)
        choice[c] = scores(rows, preds, range(len(rows)))
        print("C", c, json.dumps({k: choice[c][k] for k in ("exact_match", "main_accuracy", "main_macro_f1")}), flush=True)
    c_best = max(C_GRID, key=lambda c: (choice[c]["main_accuracy"] + choice[c]["main_macro_f1"], -c))
    report["c_grid"] = {str(c): {k: s[k] for k in ("exact_match", "main_accuracy", "main_macro_f1")}
                        for c, s in choice.items()}
    report["c"] = c_best
    for name, folds in (("grouped", grouped), ("random", randomly)):
        zm, zf, mean_heads = out_of_fold(x, main, fine, len(fine_labels), folds, c_best)
        meta, preds, pm = calibrated(zm, zf, main, fine, rows, fine_labels)
        top = pm.max(axis=1)
        entry = {"calibration": meta["calibration"], "second_fine": meta["second_fine"],
                 "majority_shift": meta["majority_shift"],
                 "all": scores(rows, preds, range(len(rows))),
                 "main_ece": ece(top, np.array([p[0] == r.main for p, r in zip(preds, rows, strict=True)], float)),
                 "by_domain": {d: scores(rows, preds, [i for i, r in enumerate(rows) if r.domain == d]) for d in ("UA", "CC")},
                 "by_group": {g: scores(rows, preds, idx) for g, idx in zip(groups, grouped, strict=True)}}
        report[name] = entry
        if name == "grouped":
            chosen, shipped = meta, mean_heads
        print(name, json.dumps(entry["all"]), flush=True)
    from sklearn.metrics import f1_score

    majority = Counter(r.main for r in rows).most_common(1)[0][0]
    top_fine = Counter(r.fine[0] for r in rows if r.main == majority).most_common(1)[0][0]
    report["references"] = {"always_majority": {
        "main": majority, "fine": top_fine,
        "main_accuracy": round(float(np.mean([r.main == majority for r in rows])), 4),
        "exact_match": round(float(np.mean([set(r.fine) == {top_fine} for r in rows])), 4),
        "main_macro_f1": round(float(f1_score([r.main for r in rows], [majority] * len(rows), labels=list(MAIN_ROLES),
                                              average="macro", zero_division=0)), 4)}}
    assert all(PARENT[f] == MAIN_ROLES[m] for m, f in zip(main, [fine_labels[k] for k in fine], strict=True))
    mw, mb, fw, fb = shipped
    major, shift = chosen["majority_shift"]
    mb = mb.copy()
    mb[major] += shift  # the shift is part of the shipped bias: run time applies no rule of its own
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out / "roles.npz", mean=mean.astype(np.float32), scale=scale.astype(np.float32),
                        main_w=mw.astype(np.float16), main_b=mb.astype(np.float16),
                        fine_w=fw.astype(np.float16), fine_b=fb.astype(np.float16))
    (args.out / "labels.json").write_text(json.dumps({"version": VERSION, **chosen}, indent=1) + "\n", encoding="utf-8")
    report["seconds"] = round(time.time() - t0, 1)
    (args.out / "cv.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    from training.roles.card import write_card

    write_card(args.out, report)
    print("wrote", args.out, f"({report['seconds']} s)")


if __name__ == "__main__":
    main()
