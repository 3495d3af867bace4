"""Speed of the shipped detectors with all heads: articles/s, paragraphs/s, load time, peak memory.

    .venv/bin/python bench/models_speed.py [--articles N]

Reads SemEval-2023 training articles from ../shared at bench time (title = line 1, paragraphs =
other non-empty lines) and writes bench/results/models_speed.json."""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=60)
    ap.add_argument("--weights", type=Path, default=None, help="detector bundle (default: shipped)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "models_speed.json")
    args = ap.parse_args()
    from unspin.analyse.models.detectors import Detectors
    from unspin.analyse.models.evaluate import predict_doc
    from unspin.analyse.models.semeval_io import TRAIN, read_articles

    docs = list(read_articles(TRAIN / "train-articles-subtask-3").values())[: args.articles]
    t0 = time.perf_counter()
    det = Detectors(args.weights) if args.weights else Detectors()
    det.load()
    load_s = time.perf_counter() - t0
    predict_doc(docs[0], det)  # warm-up
    paragraphs = sum(len(d.lines) for d in docs)
    t0 = time.perf_counter()
    for d in docs:
        predict_doc(d, det)
    secs = time.perf_counter() - t0
    words = sum(len(d.text.split()) for d in docs)
    result = {
        "model": det.model_id,
        "articles": len(docs),
        "paragraphs": paragraphs,
        "words_per_article": round(words / len(docs)),
        "articles_per_s": len(docs) / secs,
        "paragraphs_per_s": paragraphs / secs,
        "load_s": load_s,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "threads": det.threads,
        "loadavg": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
