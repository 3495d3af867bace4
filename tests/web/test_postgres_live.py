"""``unspin serve``, ``unspin watch`` and ``unspin analyze`` as real processes writing to one real
PostgreSQL database at the same time: the web app seeds the bundled examples while ``analyze``
stores the same four files, ``watch`` ingests a loopback feed and the API takes submissions. Nothing
may be lost or stored twice, and every process must stay up."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest
from _paths import ROOT
from _store_samples import count_rows
from test_e2e_live import _env, _start, _stop
from test_web_support import (
    HARBOUR_TABLOID,
    HARBOUR_WIRE,
    ORCHARD_WIRE,
    FeedSite,
    LoopbackServer,
    free_port,
    wait_for_job,
    wait_until,
)

from unspin.store.db import Store

EXAMPLES = ROOT / "examples"

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _stories_with(base: str, words: str) -> list[dict]:
    return httpx.get(f"{base}/api/v1/stories", params={"q": words}, timeout=5).json()


def test_serve_watch_and_analyze_share_one_postgres_database(tmp_path, postgres_url):
    env = _env(tmp_path)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    logs = {name: tmp_path / f"{name}.log" for name in ("serve", "watch")}
    with LoopbackServer() as server:
        site = FeedSite(server)
        site.publish("ferry-strike", HARBOUR_WIRE, "Nordwire", "Mon, 03 Mar 2025 09:00:00 GMT")
        site.publish("frost", ORCHARD_WIRE, "Nordwire", "Tue, 04 Mar 2025 09:00:00 GMT")
        serve = _start(["serve", "--db", postgres_url, "--port", str(port)], env, logs["serve"])
        watch = _start(["watch", site.url, "--every", "1s", "--allow-host", "127.0.0.1", "--db", postgres_url],
                       env, logs["watch"])
        try:
            # While the app seeds the examples, a batch stores the very same files.
            batch = subprocess.run([sys.executable, "-m", "unspin", "analyze", str(EXAMPLES), "--json",
                                    "--db", postgres_url], env=env, capture_output=True, text=True, timeout=240)
            assert batch.returncode == 0, batch.stderr
            example_ids = {json.loads(line)["article"]["id"] for line in batch.stdout.splitlines() if line.strip()}
            assert len(example_ids) == 4

            assert wait_until(lambda: _stories_with(base, "Vellmar"), 90), logs["watch"].read_text()
            with httpx.Client(base_url=base, timeout=30) as api:
                job = api.post("/api/v1/articles", json={"text": HARBOUR_TABLOID, "outlet": "Daily Clarion"},
                               headers={"Authorization": "Bearer e2e-token"})
                assert job.status_code == 202, job.text
                done = wait_for_job(api, job.json()["id"])
                assert done["status"] == "done", done
            site.publish("docks-chaos", HARBOUR_TABLOID, "Daily Clarion", "Mon, 03 Mar 2025 12:00:00 GMT")
            story = wait_until(lambda: next((s for s in _stories_with(base, "Vellmar")
                                             if {"Nordwire", "Daily Clarion"} <= {a["outlet"] for a in s["articles"]}),
                                            None), 60)
            assert story, logs["watch"].read_text()
            assert wait_until(lambda: count_rows(postgres_url, "live_seen") == 3, 60), logs["watch"].read_text()
            assert serve.poll() is None and watch.poll() is None, logs["serve"].read_text()
        finally:
            _stop(watch)
            _stop(serve)

    for name, log in logs.items():
        assert "Traceback" not in log.read_text(), f"{name}: {log.read_text()[-3000:]}"
    with Store(postgres_url) as store:
        counts = store.counts()
        ids = [a.article.id for a in store.iter_analyses()]
    assert example_ids <= set(ids)
    # The four examples, the ferry and frost items, the tabloid text (submitted, then in the feed
    # with a page around it, so possibly a second article); each stored exactly once.
    assert len(ids) == len(set(ids)) == counts["articles"] == counts["analyses"]
    assert 7 <= counts["articles"] <= 8
