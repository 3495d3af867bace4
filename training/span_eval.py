"""How well the token head places spans, by cross-validation; chooses the token threshold.

For each fold, that fold's fine-tuned network (``training.finetune``, fp32) reads its held-out
paragraphs. For every gold (paragraph, technique) pair the spans the runtime would draw
(``spans.token_runs`` at a threshold, else ``spans.best_window``, as ``Detectors._spans``) are
compared with the gold spans of that technique in that paragraph, character by character:

- precision: share of highlighted characters inside a gold span of the technique;
- recall: share of gold-span characters highlighted;
- ``hit``: share of pairs where at least one drawn span overlaps a gold span.

The label is given (gold), so this measures placement alone; paragraph labels are scored in
``cv.json``. The threshold is chosen for F0.5 (precision weighted twice as much as recall: a
highlight is evidence a reader checks, and a wrong one costs more than a short one); each
fold's threshold is chosen on the other folds (cross-fitted), and the one chosen on all folds
is ``TOKEN_THRESHOLD`` in ``build_detectors`` (``tok_thr``). Writes ``bench/results/span_cv.json``.

    .venv/bin/python -m training.span_eval --runs /work/ckpt/ftm
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from training.runs import Split, load_split, runs_parser

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "results" / "span_cv.json"
METRIC = "f0.5"
GRID = tuple(round(t, 2) for t in np.arange(0.1, 0.81, 0.05))


@dataclass
class Pair:
    """One gold (paragraph, technique) pair with the network's token scores for the technique."""

    fold: int
    text: str
    gold: list[tuple[int, int]]  # gold spans, offsets into the paragraph
    probs: np.ndarray
    offsets: list[tuple[int, int]]
    in_text: list[bool]
    names: list[bool]


def draw(pair: Pair, threshold: float) -> list[tuple[int, int]]:
    """The spans the runtime draws for this pair's label (``Detectors._spans``)."""
    from unspin.analyse.models.spans import best_window, token_runs

    runs = token_runs(pair.probs, pair.offsets, pair.in_text, pair.text, threshold, names=pair.names)
    if not runs:
        win = best_window(pair.probs, pair.offsets, pair.in_text, pair.text, names=pair.names)
        runs = [win] if win else []
    return [(a, b) for a, b, _ in runs]


def _chars(spans: list[tuple[int, int]]) -> set[int]:
    return {i for a, b in spans for i in range(a, b)}


def score(pairs: list[Pair], threshold: float) -> dict:
    inter = pred = gold = hits = 0
    for p in pairs:
        drawn, g = _chars(draw(p, threshold)), _chars(p.gold)
        inter += len(drawn & g)
        pred += len(drawn)
        gold += len(g)
        hits += bool(drawn & g)
    prec, rec = inter / max(pred, 1), inter / max(gold, 1)
    return {"threshold": threshold, "precision": round(prec, 4), "recall": round(rec, 4),
            "f1": round(2 * prec * rec / max(prec + rec, 1e-9), 4),
            "f0.5": round(1.25 * prec * rec / max(0.25 * prec + rec, 1e-9), 4),
            "hit": round(hits / max(len(pairs), 1), 4), "pairs": len(pairs)}


def fold_pairs(run: Path, k: int, split: Split, max_length: int, epoch: int) -> list[Pair]:
    import torch

    from training.finetune import build_model
    from unspin.analyse.models.heads import sigmoid
    from unspin.analyse.models.labels import TECHNIQUES
    from unspin.analyse.models.names import PLACEHOLDER
    from unspin.analyse.models.paragraph_inputs import encode_paragraph

    model = build_model(len(TECHNIQUES))
    model.load_state_dict(torch.load(run / f"fold{k}" / f"model-e{epoch}.pt", weights_only=True))
    model.eval()
    tokenizer, common = split.tokenizer, split.common
    name_id = tokenizer.token_to_id(PLACEHOLDER)
    out: list[Pair] = []
    with torch.no_grad():
        for d in split.heldout(k):
            for line in d.lines:
                labels = [t for t in d.techniques.get(line.no, []) if t in TECHNIQUES]
                if not labels:
                    continue
                enc = encode_paragraph(tokenizer, line.text, "" if line.no == 1 else d.title, max_length, common)
                ids = torch.tensor([enc.ids])
                _, tok_logits, _ = model(ids, torch.ones_like(ids), torch.tensor([enc.type_ids]))
                probs = sigmoid(tok_logits[0].numpy())
                in_text = [s == 0 for s in enc.sequence_ids]
                names = [i == name_id for i in enc.ids]
                for t in labels:
                    gold = [(max(s, line.start) - line.start, min(e, line.end) - line.start)
                            for tt, s, e in d.spans if tt == t and s < line.end and e > line.start]
                    if gold:
                        j = TECHNIQUES.index(t)
                        out.append(Pair(k, line.text, gold, probs[:, j], enc.offsets, in_text, names))
    return out


def main(argv: list[str] | None = None) -> dict:
    import torch

    ap = runs_parser(__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    torch.set_num_threads(2)
    split = load_split(args.data, args.grouping)
    pairs: list[Pair] = []
    for k in args.folds:
        pairs += fold_pairs(args.runs, k, split, args.max_length, args.epoch)
        print(f"fold {k}: {sum(p.fold == k for p in pairs)} pairs", flush=True)
    grid = [score(pairs, t) for t in GRID]
    # Cross-fitted: each fold scored at the threshold that is best on the other folds.
    chosen = {}
    for k in args.folds:
        rest = [p for p in pairs if p.fold != k]
        chosen[k] = max(GRID, key=lambda t: score(rest, t)[METRIC]) if rest else 0.5
    per_fold = {k: score([p for p in pairs if p.fold == k], chosen[k]) for k in args.folds}
    inter_total = {key: 0.0 for key in ("precision", "recall", "f1", "f0.5", "hit")}
    n = sum(v["pairs"] for v in per_fold.values())
    for v in per_fold.values():
        for key in inter_total:
            inter_total[key] += v[key] * v["pairs"] / max(n, 1)
    best = max(grid, key=lambda r: r[METRIC])
    report = {
        "what": "token-head span placement given the gold label, character overlap with the gold spans",
        "chosen_by": METRIC,
        "grouping": args.grouping,
        "pairs": len(pairs),
        "grid": grid,
        "cross_fitted": {"thresholds": chosen, **{k: round(v, 4) for k, v in inter_total.items()}},
        "at_0.5": score(pairs, 0.5),
        "chosen_threshold": best["threshold"],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({k: report[k] for k in ("pairs", "cross_fitted", "at_0.5", "chosen_threshold")}, indent=1))
    return report


if __name__ == "__main__":
    main()
