"""Does int8 quantisation cost the network accuracy? The cross-validation scores come from each
fold's network in fp32 (PyTorch, at the end of training); the shipped network runs as int8 ONNX.

For each fold: export that fold's checkpoint the way the shipped one is exported
(``training.export_network``), run the int8 model on the fold's held-out paragraphs, and compare
micro-F1 with the fp32 held-out outputs, at the fp32 model's best threshold and at its own.
Writes ``bench/results/network_int8.json``; the model card reports it.

    .venv/bin/python -m training.check_int8 --runs /work/ckpt/ftm [--folds 0 1 2 3 4]
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np

from training.runs import Split, load_split, runs_parser

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "results" / "network_int8.json"
THRESHOLDS = np.round(np.arange(0.10, 0.90, 0.02), 2)


def micro_f1(P: np.ndarray, Y: np.ndarray, t: float) -> float:
    pred = P >= t
    tp = float((pred & (Y == 1)).sum())
    return 2 * tp / max(float(pred.sum() + Y.sum()), 1.0)


def best_threshold(P: np.ndarray, Y: np.ndarray) -> float:
    return float(max(THRESHOLDS, key=lambda t: micro_f1(P, Y, t)))


def check_fold(run: Path, k: int, split: Split, max_length: int, epoch: int) -> dict:
    import onnxruntime as ort

    from training.examples import doc_examples
    from training.export_network import export
    from unspin.analyse.models.heads import sigmoid

    held = [e for d in split.heldout(k) for e in doc_examples(d, split.tokenizer, max_length, split.common)]
    with np.load(run / f"fold{k}" / f"heldout-e{epoch}.npz") as z:
        P, Y, doc, line = z["P"], z["Y"], list(z["doc"]), list(z["line"])
    if [e.doc_id for e in held] != doc or [e.line_no for e in held] != line:
        raise SystemExit(f"fold {k}: the held-out rows do not match the examples rebuilt here")
    with tempfile.TemporaryDirectory() as tmp:
        onnx = Path(tmp) / "int8.onnx"
        export(run / f"fold{k}" / f"model-e{epoch}.pt", onnx)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 2
        sess = ort.InferenceSession(str(onnx), opts, providers=["CPUExecutionProvider"])
        logits = []
        for e in held:
            ids = np.asarray([e.ids], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": np.ones_like(ids),
                    "token_type_ids": np.asarray([e.type_ids], dtype=np.int64)}
            logits.append(sess.run(["para_logits"], feed)[0][0])
    Q = sigmoid(np.asarray(logits, dtype=np.float64))
    t32, t8 = best_threshold(P, Y), best_threshold(Q, Y)
    clip = np.clip(P, 1e-6, 1 - 1e-6)
    return {
        "fold": k,
        "paragraphs": len(held),
        "fp32": {"threshold": t32, "micro_f1": round(micro_f1(P, Y, t32), 4)},
        "int8_at_fp32_threshold": round(micro_f1(Q, Y, t32), 4),
        "int8_own_best": {"threshold": t8, "micro_f1": round(micro_f1(Q, Y, t8), 4)},
        "mean_abs_logit_difference": round(float(np.abs(np.log(clip / (1 - clip)) - np.log(Q / (1 - Q))).mean()), 4),
    }


def main(argv: list[str] | None = None) -> dict:
    args = runs_parser(__doc__.split("\n")[0]).parse_args(argv)
    split = load_split(args.data, args.grouping)
    rows = []
    for k in args.folds:
        rows.append(check_fold(args.runs, k, split, args.max_length, args.epoch))
        print(json.dumps(rows[-1]), flush=True)
    n = sum(r["paragraphs"] for r in rows)
    report = {
        "what": "fine-tuned network alone, per fold: fp32 held-out outputs vs the same checkpoint exported to int8 ONNX",
        "grouping": args.grouping,
        "folds": rows,
        "paragraph_weighted": {
            "fp32": round(sum(r["fp32"]["micro_f1"] * r["paragraphs"] for r in rows) / n, 4),
            "int8_at_fp32_threshold": round(sum(r["int8_at_fp32_threshold"] * r["paragraphs"] for r in rows) / n, 4),
        },
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n")
    print("wrote", OUT)
    return report


if __name__ == "__main__":
    main()
