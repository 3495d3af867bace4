"""``unspin batch`` at corpus scale: time and peak memory per size, 1 and 2 workers, a run killed
mid-way and restarted, and reading a 1 GB JSONL. Writes ``bench/results/batch_scale.json`` (each
stage adds its figures, so stages can run in separate sessions). Needs ../shared beside the
checkout; the corpora go to /tmp and are deleted after.

Corpora resample the SemEval-2023 task 3 training articles: each synthetic article keeps 70-100 %
of a base article's paragraphs (in order), and gets one of 24 outlets and a date spread over 2022.

    .venv/bin/python bench/batch_scale.py run --size 1000 --workers 1 2
    .venv/bin/python bench/batch_scale.py kill --size 10000 --workers 2 --kill-at 0.4
    .venv/bin/python bench/batch_scale.py read --gigabytes 1
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BASES = ROOT / ".." / "shared" / "data" / "semeval2023-task3-en" / "train" / "train-articles-subtask-3"
RESULTS = ROOT / "bench" / "results" / "batch_scale.json"
OUTLETS = [f"Outlet {chr(65 + i)}" for i in range(24)]


def write_corpus(path: Path, n: int, seed: int = 11) -> int:
    """``n`` resampled articles as JSONL; returns the file size."""
    rng = random.Random(seed)
    bases = []
    for f in sorted(BASES.glob("*.txt")):
        lines = [p.strip() for p in f.read_text(encoding="utf-8").split("\n") if p.strip()]
        if len(lines) >= 3:
            bases.append((lines[0], lines[1:]))
    start = datetime(2022, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            title, paras = bases[rng.randrange(len(bases))]
            keep = [p for p in paras if rng.random() < rng.uniform(0.7, 1.0)] or paras[:1]
            row = {"id": i, "title": title, "text": "\n\n".join(keep), "outlet": rng.choice(OUTLETS),
                   "published": (start + timedelta(minutes=rng.randrange(365 * 24 * 60))).isoformat()}
            out.write(json.dumps(row) + "\n")
    return path.stat().st_size


class PeakMemory:
    """Largest RSS of any one process, and of all together, in a process tree (sampled). Where
    processes share pages (workers forked from one that loaded the models), the sum of RSS counts
    them once per process; the sum of PSS (Linux) counts each page once, split among its sharers."""

    def __init__(self, pid: int, every: float = 0.25) -> None:
        self.pid, self.every = pid, every
        self.per_process = self.total = self.pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                root = psutil.Process(self.pid)
                procs = [root, *root.children(recursive=True)]
                rss, pss = [], []
                for p in procs:
                    try:
                        info = p.memory_full_info() if hasattr(psutil.Process, "memory_full_info") else p.memory_info()
                        rss.append(info.rss)
                        pss.append(getattr(info, "pss", info.rss))
                    except psutil.Error:
                        pass
                self.per_process = max(self.per_process, max(rss, default=0))
                self.total = max(self.total, sum(rss))
                self.pss = max(self.pss, sum(pss))
            except psutil.Error:
                pass
            self._stop.wait(self.every)

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        return {"peak_rss_mib_largest_process": round(self.per_process / 2**20, 1),
                "peak_rss_mib_all_processes": round(self.total / 2**20, 1),
                "peak_pss_mib_all_processes": round(self.pss / 2**20, 1)}


def batch_cmd(corpus: Path, out: Path, workers: int, db: Path | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "unspin", "batch", str(corpus), "--out", str(out), "--workers", str(workers), "-q"]
    return cmd + (["--db", str(db)] if db else [])


def timed(cmd: list[str], kill_when=None) -> dict:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    memory = PeakMemory(proc.pid)
    killed = False
    while proc.poll() is None:
        if kill_when is not None and kill_when():
            for child in psutil.Process(proc.pid).children(recursive=True):
                child.kill()
            proc.kill()
            killed = True
            break
        time.sleep(0.5)
    stderr = proc.communicate()[1]
    return {"seconds": round(time.perf_counter() - start, 1), "exit_code": proc.returncode, "killed": killed,
            **memory.stop(), "summary": stderr.strip().splitlines()[-2:]}


def save(stage: str, figures: dict) -> None:
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[stage] = {"when": datetime.now(UTC).isoformat(timespec="seconds"), **figures}
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")
    print(json.dumps({stage: results[stage]}, indent=1))


def cmd_run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        size = write_corpus(corpus, args.size)
        for workers in args.workers:
            out = Path(tmp) / f"out{workers}"
            run = timed(batch_cmd(corpus, out, workers))
            run["articles_per_second"] = round(args.size / run["seconds"], 2)
            save(f"run_{args.size}_workers{workers}", {"articles": args.size, "corpus_mib": round(size / 2**20, 1),
                                                        "workers": workers, **run})
            shutil.rmtree(out)


def cmd_kill(args: argparse.Namespace) -> None:
    """Kill a run (SIGKILL, its workers too) when ``--kill-at`` of the parts exist, restart it,
    then check every article of the corpus is in the output and the database exactly once."""
    import pyarrow.parquet as pq

    from unspin.read import read_inputs
    from unspin.types import Article

    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        corpus, out, db = Path(tmp) / "corpus.jsonl", Path(tmp) / "out", Path(tmp) / "batch.sqlite"
        write_corpus(corpus, args.size)
        parts = -(-args.size // 500)
        target = max(1, int(parts * args.kill_at))
        first = timed(batch_cmd(corpus, out, args.workers, db),
                      kill_when=lambda: len(list(out.glob("part-*.parquet"))) >= target)
        parts_at_kill = len(list(out.glob("part-*.parquet")))
        second = timed(batch_cmd(corpus, out, args.workers, db))
        expected = {r.id for r in read_inputs([str(corpus)]) if isinstance(r, Article)}
        ids = pq.read_table(out, columns=["article_id"]).column("article_id").to_pylist()
        import sqlite3

        with sqlite3.connect(db) as conn:
            stored = [r[0] for r in conn.execute("SELECT article_id FROM analyses")]
        save(f"kill_{args.size}_workers{args.workers}", {
            "articles": args.size, "parts": parts, "parts_at_kill": parts_at_kill, "first_run": first,
            "restarted_run": second, "distinct_articles_in_corpus": len(expected),
            "parquet_rows": len(ids), "parquet_distinct": len(set(ids)), "parquet_equals_corpus": set(ids) == expected,
            "db_analyses": len(stored), "db_equals_corpus": set(stored) == expected and len(stored) == len(set(stored)),
        })


def cmd_read(args: argparse.Namespace) -> None:
    """Peak RSS while reading a large JSONL whole (every row made an Article), in a fresh process;
    then of ``unspin batch`` on it for ``--batch-seconds`` (models loaded, shards analysed)."""
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        corpus = Path(tmp) / "big.jsonl"
        n = int(args.gigabytes * 2**30 / 4800)  # about 4,800 bytes a row
        size = write_corpus(corpus, n)
        code = ("import sys; from unspin.read import read_inputs; from unspin.types import Article; "
                "print(sum(isinstance(r, Article) for r in read_inputs([sys.argv[1]])))")
        run = timed([sys.executable, "-c", code, str(corpus)])
        save("read_jsonl", {"corpus_mib": round(size / 2**20, 1), "rows": n, **run})
        if args.batch_seconds:
            out = Path(tmp) / "out"
            began = time.monotonic()
            batch = timed(batch_cmd(corpus, out, 1), kill_when=lambda: time.monotonic() - began > args.batch_seconds)
            save("batch_on_big_jsonl", {"corpus_mib": round(size / 2**20, 1), "rows": n, "ran_seconds": args.batch_seconds,
                                        "parts_written": len(list(out.glob("part-*.parquet"))), **batch})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="stage", required=True)
    run = sub.add_parser("run")
    run.add_argument("--size", type=int, default=1000)
    run.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    kill = sub.add_parser("kill")
    kill.add_argument("--size", type=int, default=10000)
    kill.add_argument("--workers", type=int, default=2)
    kill.add_argument("--kill-at", type=float, default=0.4)
    read = sub.add_parser("read")
    read.add_argument("--gigabytes", type=float, default=1.0)
    read.add_argument("--batch-seconds", type=float, default=300, help="then run unspin batch on it this long (0: no)")
    args = ap.parse_args()
    {"run": cmd_run, "kill": cmd_kill, "read": cmd_read}[args.stage](args)


if __name__ == "__main__":
    main()
