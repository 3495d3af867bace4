"""Faults injected where they hurt: the database full or locked in the middle of a batch, the
server killed (kill -9) during a background analysis, a feed server that stalls mid-body. In
each, no stored article is lost or duplicated, and the work resumes or fails saying why."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

import httpx
import pytest
from sqlalchemy import event, func, select
from test_web_support import (
    HARBOUR_TABLOID,
    HARBOUR_WIRE,
    ORCHARD_WIRE,
    FeedSite,
    LoopbackServer,
    Reply,
    shared_pipeline,
)

from unspin.batch.runner import analyse_inputs
from unspin.live.fetch import FetchError, FetchPolicy, fetch
from unspin.live.ingest import Ingestor
from unspin.live.state import LiveState
from unspin.live.watch import Watcher
from unspin.store import tables
from unspin.store.db import Store


def _corpus(folder, n: int = 6) -> list[str]:
    """``n`` distinct short articles as text files (each a different council and figure)."""
    paths = []
    for i in range(n):
        path = folder / f"article-{i}.txt"
        path.write_text(
            f"Council {i} raises harbour fees\n\nThe council of Town{i} voted on Thursday to raise harbour fees "
            f"by {i + 3} percent from next spring, officials said. Ferry operators said the rise of {i + 3} "
            f"percent would cost them {i + 10},000 euros a year.\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def _rows(store: Store, table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _ids(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return [row[0] for row in conn.execute(select(tables.articles.c.id))]


class _FailWrites:
    """From the first write of the article after the ``after``-th on, every write the store
    makes fails with a real SQLite error, as a full disk or a lock held by another process does."""

    def __init__(self, after: int, message: str) -> None:
        self.after, self.message = after, message
        self.tripped = False

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        write = statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        if write and not self.tripped and "INTO ARTICLES" in statement.upper():
            self.tripped = conn.exec_driver_sql("SELECT count(*) FROM articles").scalar_one() >= self.after
        if write and self.tripped:
            raise sqlite3.OperationalError(self.message)


@pytest.mark.parametrize("message", ["database or disk is full", "database is locked"])
def test_a_store_that_fails_mid_batch_loses_nothing_and_the_rerun_finishes(tmp_path, message):
    store = Store(tmp_path / "batch.sqlite")
    inputs = _corpus(tmp_path)
    fault = _FailWrites(after=3, message=message)
    event.listen(store.engine, "before_cursor_execute", fault)
    first = analyse_inputs(inputs, pipeline=shared_pipeline(), store=store)
    # The batch went on to the end; each article it could not store says why.
    assert first.counts["stored"] == 3 and len(first.errors) == 3
    assert all(e.stage == "store" and message in e.reason for e in first.errors)
    assert len(_ids(store)) == 3  # what was stored before the fault is intact
    event.remove(store.engine, "before_cursor_execute", fault)

    second = analyse_inputs(inputs, pipeline=shared_pipeline(), store=store)
    assert second.ok and second.counts["stored"] == 3 and second.counts["skipped"] == 3
    ids = _ids(store)
    assert len(ids) == len(set(ids)) == 6  # every article exactly once
    assert _rows(store, tables.analyses) == 6


def test_a_real_lock_held_mid_batch_is_waited_out(tmp_path):
    db = tmp_path / "locked.sqlite"
    store = Store(db)
    inputs = _corpus(tmp_path, 4)
    analyse_inputs(inputs[:1], pipeline=shared_pipeline(), store=store)
    released = threading.Event()

    def hold_lock() -> None:  # another process's writer: an exclusive lock for 1.5 s
        conn = sqlite3.connect(db, timeout=30)
        conn.execute("BEGIN EXCLUSIVE")
        time.sleep(1.5)
        conn.rollback()
        conn.close()
        released.set()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    time.sleep(0.2)
    result = analyse_inputs(inputs, pipeline=shared_pipeline(), store=store)
    holder.join()
    assert released.is_set() and result.ok, [e.reason for e in result.errors]
    ids = _ids(store)
    assert len(ids) == len(set(ids)) == 4


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(db, port: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "unspin", "serve", "--db", str(db), "--port", str(port), "--no-seed"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


def _wait_up(base: str, deadline: float = 90) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError("the server did not come up")


@pytest.mark.slow
def test_server_killed_during_a_background_analysis_resumes_the_job(tmp_path):
    db = tmp_path / "web.sqlite"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "UNSPIN_API_TOKEN": "tok", "UNSPIN_CONFIG": str(tmp_path / "none.toml")}
    env.pop("UNSPIN_DB", None)
    (tmp_path / "none.toml").write_text("seed_examples = false\n")
    corpus = tmp_path / "corpus.jsonl"
    import json

    texts = [HARBOUR_WIRE, HARBOUR_TABLOID, ORCHARD_WIRE] + [open(p).read() for p in _corpus(tmp_path, 9)]
    corpus.write_text("\n".join(json.dumps({"text": t, "outlet": f"Outlet {i}"}) for i, t in enumerate(texts)))
    auth = {"Authorization": "Bearer tok"}

    server = _serve(db, port, env)
    try:
        _wait_up(base)
        files = {"file": ("corpus.jsonl", corpus.read_bytes(), "application/x-ndjson")}
        job = httpx.post(f"{base}/api/v1/articles/file", files=files, headers=auth, timeout=30).json()
        # Kill it hard once the analysis is under way, before it is done.
        end = time.monotonic() + 60
        while time.monotonic() < end:
            state = httpx.get(f"{base}/api/v1/jobs/{job['id']}", timeout=5).json()
            if state["status"] == "running" and state["progress"] > 0.35:  # a few articles in
                break
            time.sleep(0.02)
        assert state["status"] == "running" and state["progress"] < 1, state
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    stored_before = Store(db).counts()["articles"]
    assert 0 < stored_before < len(texts)

    server = _serve(db, port, env)
    try:
        _wait_up(base)
        end = time.monotonic() + 120
        while time.monotonic() < end:
            state = httpx.get(f"{base}/api/v1/jobs/{job['id']}", timeout=5).json()
            if state["status"] in ("done", "failed"):
                break
            time.sleep(0.3)
        assert state["status"] == "done", state
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    store = Store(db)
    ids = _ids(store)
    assert len(ids) == len(set(ids)) == len(texts)  # nothing lost, nothing twice
    assert sorted(state["article_ids"]) == sorted(ids)


def test_a_feed_server_that_stalls_mid_body_is_cut_off_and_retried(tmp_path):
    with LoopbackServer() as server:
        site = FeedSite(server)
        site.publish("ferry-strike", HARBOUR_WIRE, "Nordwire", "Mon, 03 Mar 2025 09:00:00 GMT")
        healthy = server.routes["/feed.xml"]

        def stalling(handler) -> Reply:
            reply = healthy(handler)
            return Reply(reply.status, reply.body, reply.headers, stall_after=len(reply.body) // 2, stall=5.0)

        server.routes["/feed.xml"] = stalling
        policy = FetchPolicy(allow_hosts=("127.0.0.1",), timeout=1.0)
        started = time.monotonic()
        with pytest.raises(FetchError, match="did not answer within 1 s"):
            fetch(site.url, policy)
        assert time.monotonic() - started < 3.0  # the whole fetch is bounded, not each read

        store = Store(tmp_path / "live.sqlite")
        watcher = Watcher([site.url], Ingestor(store, pipeline=shared_pipeline()), LiveState(store.engine), policy)
        stalled = watcher.poll(site.url)
        assert stalled.status == "error" and store.counts()["articles"] == 0
        assert watcher.delay_after(watcher.state.feed(site.url)) > watcher.every  # backs off

        server.routes["/feed.xml"] = healthy  # the server recovers
        recovered = watcher.poll(site.url)
        assert recovered.status == "changed" and recovered.new_items == 1 and not recovered.errors
        again = watcher.poll(site.url)
        assert again.new_items == 0 and store.counts()["articles"] == 1  # once, not twice
