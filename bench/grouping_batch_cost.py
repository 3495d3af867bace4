"""Cost of batch story grouping (group/batch.py): CPU seconds and peak memory, 500 to 4,000 articles.

Not part of the test suite; needs ../shared beside the checkout. Writes
``bench/results/grouping_batch_cost.json``.

    .venv/bin/python bench/grouping_batch_cost.py [--sizes 500 1000 2000 4000]

The corpus is the one of ``bench/grouping_cost.py`` (SemEval articles resampled: paragraphs and
words dropped, dates over 30 days) with its ``--distinct`` setting, so that few articles are
near-duplicates and nearly all go through the pair matrices, the expensive path. Vectors are each
base article's MiniLM vector plus noise (embedding is not timed: it costs the same per article
in both groupers). Each size runs in a fresh process, so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import grouping_cost as gc  # noqa: E402  (the corpus builder of the incremental benchmark)

from unspin.group.batch import BatchGrouper  # noqa: E402
from unspin.group.stories import _vector_text  # noqa: E402

OUT = Path(__file__).resolve().parent / "results" / "grouping_batch_cost.json"
SIZES = [500, 1000, 2000, 4000]


class LookupVectors:
    kind = "encoder"
    source = "bench:base-vector+noise"

    def __init__(self) -> None:
        self.table: dict[str, np.ndarray] = {}

    def __call__(self, texts):
        return np.stack([self.table[t] for t in texts])


def synthesised(n: int, dated: bool = True) -> tuple[list, LookupVectors]:
    """``n`` resampled articles (``grouping_cost``'s settings as they are) and their vectors."""
    sources = gc.load_sources()
    bases = gc.Bases(sources)
    base = gc.base_vectors(sources)
    vectors = LookupVectors()
    analyses = []
    for spec in gc.specs(n, len(sources)):
        a = gc.synthesise(spec, bases)
        if not dated:
            a.article.published = None
        v = base[spec.base] + np.asarray(np.random.default_rng(spec.seed).normal(0.0, gc.NOISE, base.shape[1]), np.float32)
        vectors.table[_vector_text(a, "encoder")] = v / np.linalg.norm(v)
        analyses.append(a)
    return analyses, vectors


def one(n: int) -> dict:
    analyses, vectors = synthesised(n)
    analyses.sort(key=lambda a: a.article.published)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t, w = time.process_time(), time.perf_counter()
    stories = BatchGrouper(vectors=vectors).group(analyses)
    return {"articles": n, "cpu_seconds": round(time.process_time() - t, 2),
            "wall_seconds": round(time.perf_counter() - w, 2), "stories": len(stories),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "peak_rss_mib_before_grouping": round(rss_before, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        gc.KEEP, gc.WORD_DROP = gc.DISTINCT_KEEP, gc.DISTINCT_WORD_DROP
        print(json.dumps(one(args.child)))
        return
    rows = []
    for n in args.sizes:
        proc = subprocess.run([sys.executable, __file__, "--child", str(n)], stdout=subprocess.PIPE, text=True,
                              check=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    OUT.write_text(json.dumps({"what": __doc__.split("\n")[0], "rows": rows}, indent=1) + "\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
