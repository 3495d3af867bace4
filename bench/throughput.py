"""Throughput of ``unspin analyze`` on the SemEval-2023 task 3 training articles (446 files).

Runs the real command in a subprocess with a fresh temporary database, twice: the first run
reads, cleans, analyses and stores every article; the second finds them all stored (resume) and
skips them. Writes articles/s and peak memory (max RSS of the child process) to
``bench/results/throughput.json``. Not part of the test suite; needs ../shared beside the checkout.

    .venv/bin/python bench/throughput.py [--limit N] [--corpus DIR] [--workers N]

With ``--workers N`` (> 1) the command runs with ``--workers N`` and the figures go to
``bench/results/throughput-workers<N>.json``; peak memory is then the largest single process.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "data" / "semeval2023-task3-en" / "train" / "train-articles-subtask-3"
RESULTS = ROOT / "bench" / "results" / "throughput.json"
SUMMARY = re.compile(r"(\d+) analysed.*?(\d+) stored, (\d+) skipped.*?(\d+) failed")


def _unspin() -> list[str]:
    script = Path(sys.executable).parent / "unspin"
    return [str(script)] if script.exists() else [sys.executable, "-m", "unspin"]


def run_once(corpus: Path, db: Path, limit: int | None, workers: int = 1) -> dict:
    """One ``unspin analyze`` run; wall time, max RSS of the child (peak so far), parsed summary."""
    cmd = [*_unspin(), "analyze", str(corpus), "--db", str(db), "--quiet", "--workers", str(workers)]
    if limit:
        cmd += ["--limit", str(limit)]
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    # ru_maxrss of children is the largest RSS of any waited-for child, in KiB on Linux.
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    match = SUMMARY.search(proc.stderr)
    if match is None:
        raise SystemExit(f"unexpected output (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    analysed, stored, skipped, failed = map(int, match.groups())
    return {
        "exit_code": proc.returncode,
        "seconds": round(elapsed, 2),
        "analysed": analysed,
        "stored": stored,
        "skipped": skipped,
        "failed": failed,
        "articles_per_second": round((analysed + skipped) / elapsed, 2) if elapsed else None,
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "failures": [line for line in proc.stderr.splitlines() if line.startswith("✗")][:20],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--workers", type=int, default=1, help="unspin analyze --workers N")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if args.out is None:
        args.out = RESULTS if args.workers == 1 else RESULTS.with_name(f"throughput-workers{args.workers}.json")
    if not args.corpus.is_dir():
        raise SystemExit(f"corpus not found: {args.corpus} (needs ../shared beside the checkout)")
    files = sorted(p for p in args.corpus.iterdir() if p.is_file())
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite"
        first = run_once(args.corpus, db, args.limit, args.workers)
        second = run_once(args.corpus, db, args.limit, args.workers)
        with sqlite3.connect(db) as conn:
            tables = {
                t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("articles", "analyses", "findings", "errors")
            }
        db_mib = round(sum(p.stat().st_size for p in Path(tmp).iterdir()) / 2**20, 1)
        chars = sum(
            len(p.read_text(encoding="utf-8", errors="replace")) for p in files[: args.limit or len(files)]
        )
    result = {
        "benchmark": "unspin analyze, SemEval-2023 task 3 train articles (subtask 3)",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "inputs": min(len(files), args.limit or len(files)),
        "input_characters": chars,
        "workers": args.workers,
        "first_run": first,
        "resume_run": second,
        "characters_per_second": round(chars / first["seconds"]) if first["seconds"] else None,
        "database": {"rows": tables, "size_mib": db_mib},
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "omp_num_threads": os.environ.get("OMP_NUM_THREADS", "1"),
        },
        "note": "articles_per_second counts analysed + skipped; peak_rss_mib is the largest child RSS so far "
        "(the resume run's figure includes the first run's peak).",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("inputs", "first_run", "resume_run")}, indent=2))


if __name__ == "__main__":
    main()
