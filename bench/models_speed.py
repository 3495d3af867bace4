"""Speed of the shipped detectors with all heads: articles/s, paragraphs/s, load time, peak memory.

    .venv/bin/python bench/models_speed.py [--articles N] [--weights DIR]

Both modes: ``full`` (network + n-gram stacker) and ``fast`` (``UNSPIN_DETECTORS=fast``: no
network). Reads SemEval-2023 training articles from ../shared at bench time (title = line 1,
paragraphs = the other non-empty lines): the first N, and the first N of the issue's typical
size (13-19 lines, 450-750 words). Each figure is the median of 3 runs over the set, articles
overlapped as ``models eval`` runs them. Writes bench/results/models_speed.json."""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure(docs, weights: Path | None, fast: bool, repeats: int = 3) -> dict:
    from unspin.analyse.models.detectors import Detectors
    from unspin.analyse.models.evaluate import predict_doc, predict_docs

    t0 = time.perf_counter()
    det = Detectors(weights, fast=fast) if weights else Detectors(fast=fast)
    det.load()
    load_s = time.perf_counter() - t0
    predict_doc(docs[0], det)  # warm-up
    read = []
    if det.session is not None:  # count the units the network reads (the rest skip it: the gate)
        run = det._run
        def counted(text, ctx):
            read.append(1)
            return run(text, ctx)

        det._run = counted  # type: ignore[method-assign]  # counts, then runs as before
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _pred in predict_docs(docs, det):
            pass
        runs.append(time.perf_counter() - t0)
    secs = sorted(runs)[len(runs) // 2]  # the median run: this machine's speed drifts by 10 %
    paragraphs = sum(len(d.lines) for d in docs)
    return {
        "model": det.model_id,
        "articles_per_s": round(len(docs) / secs, 2),
        "paragraphs_per_s": round(paragraphs / secs, 1),
        "runs_s": [round(r, 2) for r in runs],
        "network_read_share": round(len(read) / (paragraphs * repeats), 3),
        "load_s": round(load_s, 3),
        "loadavg": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=80)
    ap.add_argument("--weights", type=Path, default=None, help="detector bundle (default: shipped)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "models_speed.json")
    args = ap.parse_args()
    from unspin.analyse.models.semeval_io import TRAIN, read_articles

    every = list(read_articles(TRAIN / "train-articles-subtask-3").values())
    docs = every[: args.articles]
    # The typical article (600 words, 15 paragraphs), from the same training articles.
    typical = [d for d in every if 13 <= len(d.lines) <= 19 and 450 <= len(d.text.split()) <= 750][: args.articles]

    def described(ds):
        return {"articles": len(ds), "paragraphs": sum(len(d.lines) for d in ds),
                "words_per_article": round(sum(len(d.text.split()) for d in ds) / len(ds))}

    result = {
        **described(docs),
        "full": measure(docs, args.weights, fast=False),
        "fast": measure(docs, args.weights, fast=True),
        "typical": {**described(typical), "full": measure(typical, args.weights, fast=False)},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "threads": 2,
        "cpus": os.cpu_count(),
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
