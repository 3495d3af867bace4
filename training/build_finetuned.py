"""Build the shipped ``finetuned`` detector bundle from a fine-tuning run.

    .venv/bin/python -m training.build_finetuned --ckpt /work/ckpt/unspin/ft --epoch 3 [--train]

1. (``--train``) fine-tune (``training.finetune``, fold 0 held out, resumable);
2. export the multi-task network to ONNX (para logits, token logits, pooled vector), int8;
3. score the held-out fold with the int8 model: Platt calibration + per-label thresholds for the
   technique head, cross-fitted over two halves of the held-out articles for an honest score;
4. frames + genre linear heads on the int8 model's paragraph vectors, 5-fold CV by article;
5. write ``model.onnx``, ``tokenizer.json``, ``heads.npz``, ``cv.json``, ``manifest.json``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from training.cv import article_folds, per_label_thresholds
from training.linear import platt
from training.train_heads import multi_hot, score_multilabel, train_article_heads
from unspin.analyse.models.detectors import DETECTORS_DIR, Detectors
from unspin.analyse.models.encoder import EMBED_DIR
from unspin.analyse.models.labels import TECHNIQUES
from unspin.analyse.models.semeval_io import TRAIN, load_article_task, load_subtask3

VERSION = "2"


def export(state_path: Path, onnx_path: Path) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from training.finetune import build_model

    model = build_model(len(TECHNIQUES))
    model.load_state_dict(torch.load(state_path, weights_only=True))
    model.eval()
    dummy = torch.ones(1, 12, dtype=torch.long)
    axes = {0: "batch", 1: "seq"}
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        with torch.no_grad():
            torch.onnx.export(
                model, (dummy, dummy, torch.zeros_like(dummy)), str(fp32),
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["para_logits", "tok_logits", "pooled"],
                dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                              "para_logits": {0: "batch"}, "tok_logits": axes, "pooled": {0: "batch"}},
                opset_version=17, dynamo=False)
        quantize_dynamic(str(fp32), str(onnx_path), weight_type=QuantType.QInt8, per_channel=True)


class _Raw(Detectors):
    """The bundle's network with identity calibration: raw logits and pooled vectors."""

    def raw(self, text: str, context: str):
        para_logits, _, pooled, _ = self._run_finetuned(text, context)
        return para_logits, pooled


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ckpt", type=Path, default=Path("/work/ckpt/unspin/ft"))
    ap.add_argument("--epoch", type=int, default=1)
    ap.add_argument("--out", type=Path, default=DETECTORS_DIR)
    ap.add_argument("--data", type=Path, default=TRAIN)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--limit-articles", type=int, default=0)
    ap.add_argument("--max-length", type=int, default=144)
    ap.add_argument("--train", action="store_true", help="run the fine-tuning first (resumable)")
    args = ap.parse_args(argv)
    t0 = time.time()
    if args.train:
        from training import finetune

        finetune.main(["--out", str(args.ckpt), "--epochs", str(args.epoch), "--data", str(args.data),
                       "--seed", str(args.seed), "--folds", str(args.folds), "--resume",
                       "--max-length", str(args.max_length)]
                      + (["--limit-articles", str(args.limit_articles)] if args.limit_articles else []))
    args.out.mkdir(parents=True, exist_ok=True)
    export(args.ckpt / f"model-e{args.epoch}.pt", args.out / "model.onnx")
    shutil.copy2(EMBED_DIR / "tokenizer.json", args.out / "tokenizer.json")
    manifest = {"name": "detectors-minilm-mtl", "version": VERSION, "kind": "finetuned",
                "max_length": args.max_length, "heldout_fold": 0, "epochs": args.epoch}
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    # Identity calibration so the raw pass works before heads.npz exists.
    k = len(TECHNIQUES)
    np.savez(args.out / "heads.npz", tech_cal_a=np.ones(k, np.float32), tech_cal_b=np.zeros(k, np.float32),
             tech_thr=np.full(k, 0.5, np.float32), frame_cal_a=np.ones(14, np.float32),
             frame_cal_b=np.zeros(14, np.float32), frame_thr=np.full(14, 0.5, np.float32),
             genre_W=np.zeros((768, 3), np.float32), genre_b=np.zeros(3, np.float32))
    net = _Raw(args.out)
    net.load()

    cache: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}

    def run(text: str, context: str):
        if (text, context) not in cache:
            cache[(text, context)] = net.raw(text, context)
        return cache[(text, context)]

    # Techniques: held-out fold of the fine-tuning split, scored by the int8 network.
    docs3 = load_subtask3(args.data, with_spans=False)
    if args.limit_articles:
        docs3 = docs3[: args.limit_articles]
    fold = article_folds([d.id for d in docs3], args.folds, args.seed)
    held = [d for d in docs3 if fold[d.id] == 0]
    Z, Y, keys = [], [], []
    for d in held:
        for ln in d.lines:
            Z.append(run(ln.text, "" if ln.no == 1 else d.title)[0])
            Y.append(multi_hot([d.techniques.get(ln.no, [])], TECHNIQUES)[0])
            keys.append((d.id, ln.no))
    Z, Y = np.stack(Z), np.stack(Y)
    half = article_folds([d.id for d in held], 2, args.seed)
    groups = np.array([half[k[0]] for k in keys])
    # Cross-fitted: calibrate + threshold on one half, score the other.
    P = np.zeros_like(Z)
    for g in (0, 1):
        rows = groups == g
        a, c = platt(Z[~rows], Y[~rows])
        P[rows] = 1 / (1 + np.exp(-(Z[rows] * a + c)))
    tech_report = score_multilabel(keys, Y, P, groups, TECHNIQUES)
    tech_report.update(paragraphs=len(keys), articles=len(held),
                       note="fine-tuned on folds 1-4, scored on held-out fold 0 (1 of 5 folds); "
                            "calibration and thresholds cross-fitted over two halves of fold 0")
    a, c = platt(Z, Y)
    Pall = 1 / (1 + np.exp(-(Z * a + c)))
    thr = per_label_thresholds(Y, Pall, min_pos=5)

    # Frames and genre on the int8 network's paragraph vectors.
    def embed(texts: list[str]) -> np.ndarray:
        return np.stack([run(t, "")[1] for t in texts])

    docs12 = load_article_task(args.data)
    if args.limit_articles:
        docs12 = docs12[: args.limit_articles]
    art_arrays, frames, genre = train_article_heads(docs12, _context_embed(docs12, run), args.seed,
                                                    args.folds, False, "finetuned_encoder_linear")
    del embed
    arrays = {**art_arrays, "tech_cal_a": a, "tech_cal_b": c, "tech_thr": thr.astype(np.float32),
              "tok_thr": np.array(0.5, np.float32)}
    np.savez(args.out / "heads.npz", **arrays)
    report = {"folds": args.folds, "seed": args.seed, "techniques": {"finetuned_multitask": tech_report},
              "frames": frames, "genre": genre, "build_seconds": round(time.time() - t0, 1)}
    (args.out / "cv.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({"techniques": {k: tech_report[k] for k in ("micro_f1", "macro_f1")},
                      "frames": {k: v["micro_f1"] for k, v in frames.items()},
                      "genre": {k: v["macro_f1_balanced"] for k, v in genre.items()}}, indent=1))
    return report


def _context_embed(docs, run):
    """Paragraph vectors as the runtime computes them: body lines carry the title as context."""
    ctx = {}
    for d in docs:
        for ln in d.lines:
            ctx.setdefault(ln.text, "" if ln.no == 1 else d.title)

    def embed(texts: list[str]) -> np.ndarray:
        return np.stack([run(t, ctx.get(t, ""))[1] for t in texts])

    return embed


if __name__ == "__main__":
    main()
