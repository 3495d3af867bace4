"""Corpus-scale story grouping (``unspin.group.corpus``): how closely it gives the batch grouper's
stories, and its cost from 1k to 100k articles. Writes ``bench/results/grouping_corpus.json``
(each part adds its figures). Needs ../shared beside the checkout.

    .venv/bin/python bench/grouping_corpus.py agreement        # labelled sets, batch vs corpus
    .venv/bin/python bench/grouping_corpus.py cost --sizes 1000 10000 100000

**Agreement**: the test parts of the labelled grouping sets (training/grouping: SemEval halves,
copies and rewrites; real PolNeAR events; both mixed), dated and undated, grouped by the batch
grouper and by the corpus grouper with the same model and threshold; pairwise F1 of one against
the other (1.0: the same stories), and of each against the gold stories.

**Cost**: corpora resampled from the SemEval training articles as in bench/grouping_cost.py
(paragraphs kept 60-90 %, words dropped, entities kept), dates uniform over a year; encoder
vectors are each base article's MiniLM vector plus noise (embedding is linear and measured there).
Each size runs in a fresh process: CPU seconds of ``CorpusGrouper.group`` and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
OUT = ROOT / "bench" / "results" / "grouping_corpus.json"


def save(part: str, figures) -> None:
    results = json.loads(OUT.read_text()) if OUT.exists() else {}
    results[part] = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "figures": figures}
    OUT.write_text(json.dumps(results, indent=1) + "\n")


def agreement() -> list[dict]:
    from training.grouping.evaluate import CachedVectors, scores
    from training.grouping.fit_batch import sets
    from unspin.group.batch import BatchGrouper
    from unspin.group.corpus import CorpusGrouper
    from unspin.group.evaluate import pairwise
    from unspin.group.vectors import TextVectors

    rows = []
    for prefer_encoder in (True, False):
        vectors = CachedVectors(TextVectors(prefer_encoder=prefer_encoder))
        for dated in (False, True):
            for name, items in sets(dated).items():
                test = [i for i in items if i.split == "test"]
                docs = [i.analysis for i in test]
                batch, corpus = BatchGrouper(vectors=vectors), CorpusGrouper(vectors=vectors)
                t = time.process_time()
                batch.group(docs)
                t_batch = time.process_time() - t
                t = time.process_time()
                corpus.group(docs)
                t_corpus = time.process_time() - t
                row = {"vectors": vectors.kind, "set": name, "dated": dated, "articles": len(docs),
                       "corpus_vs_batch_pairwise": pairwise(batch.clusters(), corpus.clusters()).as_dict(),
                       "batch_vs_gold_pairwise_f1": scores(test, batch.clusters())["pairwise"]["f1"],
                       "corpus_vs_gold_pairwise_f1": scores(test, corpus.clusters())["pairwise"]["f1"],
                       "candidate_pairs": corpus.stats.candidate_pairs, "all_pairs": len(docs) * (len(docs) - 1) // 2,
                       "cpu_seconds": {"batch": round(t_batch, 2), "corpus": round(t_corpus, 2)}}
                rows.append(row)
                print(json.dumps(row), flush=True)
        vectors.save()
    return rows


def cost_one(n: int, dated: bool, distinct: bool = False) -> dict:
    import grouping_cost as gc
    from grouping_batch_cost import synthesised  # resampled articles, each base's vector plus noise

    from unspin.group.corpus import CorpusGrouper

    gc.SPAN_DAYS = 365
    if distinct:  # heavier resampling: few near-duplicates, so nearly every article is scored
        gc.KEEP, gc.WORD_DROP = gc.DISTINCT_KEEP, gc.DISTINCT_WORD_DROP
    docs, vectors = synthesised(n, dated)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    grouper = CorpusGrouper(vectors=vectors)
    cpu, wall = time.process_time(), time.perf_counter()
    stories = grouper.group(docs)
    return {"articles": n, "dated": dated, "distinct": distinct, "cpu_seconds": round(time.process_time() - cpu, 2),
            "wall_seconds": round(time.perf_counter() - wall, 2), "stories": len(stories),
            "largest_story": max(len(s.members) for s in stories),
            **{("heads" if k == "articles" else k): v for k, v in grouper.stats.__dict__.items()},  # heads: not copies
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "peak_rss_mib_before_grouping": round(rss_before, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("part", choices=["agreement", "cost", "one"])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--undated-up-to", type=int, default=10000, help="undated runs only up to this size")
    ap.add_argument("--dated", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--distinct", action="store_true", help="heavier resampling: few near-duplicates")
    args = ap.parse_args()
    if args.part == "agreement":
        save("agreement", agreement())
    elif args.part == "one":  # internal: one size in this fresh process
        print(json.dumps(cost_one(args.sizes[0], bool(args.dated), args.distinct)))
    else:
        rows = []
        for n in args.sizes:
            for dated in (True, False):
                if not dated and n > args.undated_up_to:
                    continue
                proc = subprocess.run([sys.executable, __file__, "one", "--sizes", str(n), "--dated", str(int(dated)),
                                       *(["--distinct"] if args.distinct else [])],
                                      stdout=subprocess.PIPE, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
                if proc.returncode != 0:
                    raise SystemExit(f"size {n} failed")
                rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
                print(json.dumps(rows[-1]), flush=True)
                save("cost_distinct" if args.distinct else "cost", rows)


if __name__ == "__main__":
    main()
