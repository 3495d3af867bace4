"""Baseline detectors: the frozen int8 MiniLM encoder + linear heads for all three tasks.

    .venv/bin/python -m training.train_frozen [--out DIR] [--limit-articles N] [--no-compare]

Writes ``heads.npz``, ``cv.json`` and ``manifest.json`` (kind ``frozen``) into ``--out``
(default: the shipped ``weights/detectors/``)."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from training.features import cached_embed
from unspin.analyse.models.semeval_io import TRAIN, load_article_task, load_subtask3
from training.train_heads import train_article_heads, train_techniques, write
from unspin.analyse.models.detectors import DETECTORS_DIR
from unspin.analyse.models.encoder import Encoder

CACHE = Path("/work/ckpt/unspin/cache")


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=DETECTORS_DIR)
    ap.add_argument("--data", type=Path, default=TRAIN)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--limit-articles", type=int, default=0)
    ap.add_argument("--no-compare", action="store_true", help="skip the TF-IDF comparison")
    ap.add_argument("--cache", type=Path, default=None, help="embedding cache file (.npz)")
    args = ap.parse_args(argv)

    t0 = time.time()
    embed = cached_embed(Encoder().embed, args.cache)
    docs3 = load_subtask3(args.data, with_spans=False)
    docs12 = load_article_task(args.data)
    if args.limit_articles:
        docs3, docs12 = docs3[: args.limit_articles], docs12[: args.limit_articles]
    tech_arrays, tech_report = train_techniques(docs3, embed, args.seed, args.folds, not args.no_compare)
    art_arrays, frames, genre = train_article_heads(docs12, embed, args.seed, args.folds,
                                                    not args.no_compare, "frozen_encoder_linear")
    report = {"folds": args.folds, "seed": args.seed, "techniques": tech_report, "frames": frames,
              "genre": genre, "train_seconds": round(time.time() - t0, 1)}
    write(args.out, {**tech_arrays, **art_arrays}, report)
    manifest = {"name": "detectors-frozen", "version": "1", "kind": "frozen", "encoder": "minilm-embed",
                "max_length": 256, "techniques": "tech", "spans": "sentence"}
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps({k: report[k] for k in ("techniques", "frames", "genre")}, indent=1)[:3000])
    return report


if __name__ == "__main__":
    main()
