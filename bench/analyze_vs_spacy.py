"""The speed target of the speed issue: ``unspin analyze`` with every analyser and model against
a bare spaCy ``en_core_web_sm`` pass over the same articles. Prints the ratio and both times
and writes ``bench/results/analyze_vs_spacy.json``. Needs ../shared beside the checkout.

    .venv/bin/python bench/analyze_vs_spacy.py [--articles 60] [--runs 2] [--no-single] [--fast]

Both run as fresh processes, timed from start to exit (so both include loading their models),
alternating: spaCy, analyze, spaCy, analyze, ... The bare pass loads the same spaCy package
unspin uses and parses each article's text whole with ``nlp.pipe``; ``analyze`` reads, cleans,
analyses everything and stores nothing (``--no-store``), with its default number of worker
processes. ``analyze -w 1`` (one process) is timed beside them for reference unless
``--no-single``, and ``analyze`` with the fast detectors (no network) with ``--fast``. Peak memory is sampled over each process tree: RSS, and PSS, which counts
the pages worker processes share (their models) once.

Run it with the interpreter of the installation to measure: the test environment of this
repository also holds the ``train`` extra, whose torch spaCy's thinc imports when it is there
(about 1 s and 100 MB more for every process that imports spaCy, both sides alike).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_scale import PeakMemory  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / ".." / "shared" / "data" / "semeval2023-task3-en" / "train" / "train-articles-subtask-3"
OUT = ROOT / "bench" / "results" / "analyze_vs_spacy.json"
BARE = """
import sys
from pathlib import Path
import spacy
from unspin.analyse.nlp import SPACY_MODEL
nlp = spacy.load(SPACY_MODEL)
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
print(sum(len(doc) for doc in nlp.pipe(texts, batch_size=8)))
"""


def timed(cmd: list[str], env: dict[str, str] | None = None) -> dict:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=None if env is None else os.environ | env)
    memory = PeakMemory(proc.pid)
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[:4]} failed:\n{err[-2000:]}")
    return {"seconds": round(seconds, 2), **memory.stop()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=60)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--no-single", action="store_true", help="do not also time analyze in one process")
    ap.add_argument("--fast", action="store_true", help="also time analyze with the fast detectors (no network)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for path in sorted(ARTICLES.glob("*.txt"))[: args.articles]:
            shutil.copy(path, folder / path.name)
        spacy_cmd = [sys.executable, "-c", BARE, str(folder)]
        analyze_cmd = [sys.executable, "-m", "unspin", "analyze", str(folder), "--no-store", "-q"]
        runs: dict[str, list[dict]] = {"spacy": [], "analyze": []}
        if not args.no_single:
            runs["analyze_w1"] = []
        if args.fast:
            runs["analyze_fast"] = []
        for _ in range(args.runs):
            runs["spacy"].append(timed(spacy_cmd))
            runs["analyze"].append(timed(analyze_cmd))
            if not args.no_single:
                runs["analyze_w1"].append(timed([*analyze_cmd, "--workers", "1"]))
            if args.fast:
                runs["analyze_fast"].append(timed(analyze_cmd, {"UNSPIN_DETECTORS": "fast"}))
    mean = {k: sum(r["seconds"] for r in v) / len(v) for k, v in runs.items()}
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "articles": args.articles,
        "python": sys.executable,
        "cores": os.cpu_count(),
        "ratio": round(mean["analyze"] / mean["spacy"], 3),
        **({"ratio_one_process": round(mean["analyze_w1"] / mean["spacy"], 3)} if "analyze_w1" in mean else {}),
        **({"ratio_fast_detectors": round(mean["analyze_fast"] / mean["spacy"], 3)} if "analyze_fast" in mean else {}),
        "mean_seconds": {k: round(v, 2) for k, v in mean.items()},
        "analyze_articles_per_second": round(args.articles / mean["analyze"], 2),
        "runs": runs,
    }
    OUT.write_text(json.dumps(result, indent=1) + "\n")
    single = f", one process {mean['analyze_w1']:.1f} s" if "analyze_w1" in mean else ""
    single += f", fast detectors {mean['analyze_fast']:.1f} s" if "analyze_fast" in mean else ""
    print(f"ratio {result['ratio']} (analyze {mean['analyze']:.1f} s{single}, bare spaCy {mean['spacy']:.1f} s, "
          f"{args.articles} articles, {args.runs} runs each, alternating)")


if __name__ == "__main__":
    main()
