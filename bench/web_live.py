"""Web/live benchmark: (1) latency from a feed update to the article being visible in the app,
(2) requests/s for a story page under a bounded loopback load test.

Everything runs on 127.0.0.1: a local news site (feed + pages), ``unspin watch --every 1s`` and
``unspin serve`` as real processes on one SQLite file, then a fixed number of requests from a
fixed number of client threads. Writes bench/results/web_live.json.

    .venv/bin/python bench/web_live.py [--items 5] [--requests 400] [--threads 4]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the loopback news site used by the tests

from test_web_support import (  # noqa: E402
    HARBOUR_TABLOID,
    HARBOUR_WIRE,
    ORCHARD_WIRE,
    FeedSite,
    LoopbackServer,
    free_port,
    run_all,
    wait_until,
)

VARIANTS = [HARBOUR_WIRE, HARBOUR_TABLOID, ORCHARD_WIRE]


def _item_text(n: int) -> str:
    """Distinct articles (distinct ids) from the three test texts: a numbered title line."""
    base = VARIANTS[n % len(VARIANTS)]
    title, _, body = base.partition("\n\n")
    return f"{title} (update {n})\n\n{body}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=5)
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--threads", type=int, default=4)
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="unspin-bench-"))
    (tmp / "none.toml").write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNSPIN_")}
    env.update(UNSPIN_CONFIG=str(tmp / "none.toml"), HOME=str(tmp))
    db = tmp / "bench.sqlite"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    procs = []
    with LoopbackServer() as server:
        site = FeedSite(server)
        site.publish("seed", _item_text(0), "Nordwire", "Mon, 03 Mar 2025 09:00:00 GMT")
        procs.append(subprocess.Popen([sys.executable, "-m", "unspin", "serve", "--db", str(db), "--port", str(port)],
                                      env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        procs.append(subprocess.Popen([sys.executable, "-m", "unspin", "watch", site.url, "--every", "1s",
                                       "--allow-host", "127.0.0.1", "--db", str(db)],
                                      env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        try:
            def visible(title: str):
                stories = httpx.get(f"{base}/api/v1/stories", params={"q": title, "limit": 5}, timeout=5).json()
                return any(a["title"] == title for s in stories for a in s["articles"])

            assert wait_until(lambda: visible(_item_text(0).split("\n")[0]), 120), "the first item never appeared"
            latencies = []
            for n in range(1, args.items + 1):
                text = _item_text(n)
                start = time.monotonic()
                site.publish(f"item-{n}", text, ["Nordwire", "Daily Clarion", "Harbour Post"][n % 3],
                             "Mon, 03 Mar 2025 10:00:00 GMT")
                assert wait_until(lambda text=text: visible(text.split("\n")[0]), 60, step=0.05), f"item {n} never appeared"
                latencies.append(time.monotonic() - start)

            story_id = httpx.get(f"{base}/api/v1/stories", params={"q": "Vellmar"}, timeout=5).json()[0]["id"]
            url = f"{base}/stories/{story_id}"
            httpx.get(url, timeout=30).raise_for_status()  # warm the comparison cache
            per_thread = args.requests // args.threads
            errors, times = [], []
            lock = threading.Lock()

            def hammer():
                with httpx.Client(timeout=30) as client:
                    for _ in range(per_thread):
                        t0 = time.monotonic()
                        r = client.get(url)
                        dt = time.monotonic() - t0
                        with lock:
                            times.append(dt)
                            if r.status_code != 200:
                                errors.append(r.status_code)

            threads = [threading.Thread(target=hammer) for _ in range(args.threads)]
            wall = run_all(threads)
            page_bytes = len(httpx.get(url, timeout=30).content)
        finally:
            for p in procs:
                p.terminate()
                p.wait(10)

    times.sort()
    result = {
        "benchmark": "web_live",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "feed_to_visible_seconds": {
            "items": len(latencies), "poll_interval_s": 1.0,
            "median": round(statistics.median(latencies), 3), "max": round(max(latencies), 3),
            "all": [round(x, 3) for x in latencies],
        },
        "story_page_load": {
            "requests": len(times), "threads": args.threads, "errors": len(errors),
            "requests_per_second": round(len(times) / wall, 1),
            "latency_ms": {"p50": round(times[len(times) // 2] * 1000, 1),
                           "p95": round(times[int(len(times) * 0.95) - 1] * 1000, 1)},
            "page_bytes": page_bytes, "server": "uvicorn, 1 process", "client": "httpx threads, same machine",
        },
    }
    out = ROOT / "bench" / "results" / "web_live.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
