"""The backends behind ``iter_batch``: one contract, the same items wherever the work runs.

Each backend is run over the same folder (five articles and one empty file) and must give what
``InProcess`` gives: the same outcomes, in input order, with the same findings, stored alike.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import _parallel_components  # noqa: F401 - registers test_where here and in worker processes
import pytest

from unspin.analyse.pipeline import Pipeline
from unspin.batch.backends import Backend, InProcess, analyse_article, backend_for
from unspin.batch.parallel import LocalProcesses
from unspin.batch.runner import iter_batch
from unspin.store.db import Store
from unspin.types import Article

TEXT = """{city} opens a night market

{city} officials said on Friday that the market would stay open until {n} o'clock from May.

"It is what traders asked for," said deputy mayor Ana {city}.
"""
CITIES = ("Aarhus", "Bergen", "Cork", "Dover", "Esbjerg")
PIPELINE = ["lexicon", "dates", "test_where"]


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for n, city in enumerate(CITIES):
        (folder / f"{n}-{city.lower()}.txt").write_text(TEXT.format(city=city, n=8 + n), encoding="utf-8")
    (folder / "2b-empty.txt").write_bytes(b"")
    return folder


def _view(items) -> list[tuple]:
    return [
        (Path(i.source).name, i.outcome, i.stored,
         [(f.kind, f.label, f.start, f.end) for f in i.analysis.findings if f.label != "test-pid"]
         if i.analysis is not None else None)
        for i in items
    ]


class Threads(Backend):
    """A backend written against the contract alone: a thread pool that counts how many of its
    articles are unfinished at once."""

    name = "threads"
    in_flight = 2

    def open(self, pipeline, signature):
        super().open(pipeline, signature)
        self.executor = ThreadPoolExecutor(2)
        self.opened, self.closed, self.unfinished, self.most = True, False, 0, 0
        self.lock = threading.Lock()

    def submit(self, article: Article) -> Future:
        with self.lock:
            self.unfinished += 1
            self.most = max(self.most, self.unfinished)
        future = self.executor.submit(analyse_article, article, self.pipeline)
        future.add_done_callback(lambda _: self._done())
        return future

    def _done(self):
        with self.lock:
            self.unfinished -= 1

    def close(self):
        self.executor.shutdown()
        self.closed = True


def _dask_backend():
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    from unspin.batch.dask_engine import DaskBackend

    # Threads in this process: the workers see the test components registered here.
    cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None)
    return DaskBackend(cluster=cluster.scheduler_address), cluster


@pytest.mark.parametrize("kind", ["processes", "threads", "dask"])
def test_every_backend_gives_what_in_process_gives(kind, tmp_path):
    folder = _folder(tmp_path)
    pipeline = Pipeline(PIPELINE)
    with Store(tmp_path / "here.sqlite") as store:
        expected = _view(iter_batch([str(folder)], pipeline=pipeline, store=store, backend=InProcess()))
    assert [o for _, o, _, _ in expected] == ["analysed"] * 3 + ["failed"] + ["analysed"] * 2
    cluster = None
    if kind == "processes":
        backend: Backend = LocalProcesses(2)
    elif kind == "threads":
        backend = Threads()
    else:
        backend, cluster = _dask_backend()
    try:
        with Store(tmp_path / "there.sqlite") as store:
            got = list(iter_batch([str(folder)], pipeline=pipeline, store=store, backend=backend))
            assert store.counts()["analyses"] == 5 and store.counts()["errors"] == 1
        if cluster is not None:  # the articles were tasks on the cluster
            assert "analyse_one" in cluster.scheduler.task_prefixes
    finally:
        if cluster is not None:
            cluster.close()
    assert _view(got) == expected
    if kind == "threads":
        assert backend.closed and backend.most <= Threads.in_flight
    if kind == "processes":
        pids = {f.attrs["pid"] for i in got if i.analysis for f in i.analysis.findings if f.label == "test-pid"}
        assert pids and os.getpid() not in pids  # the work ran in the workers


def test_a_resumed_batch_opens_no_backend(tmp_path):
    folder = _folder(tmp_path)
    pipeline = Pipeline(PIPELINE)

    class Refuses(Backend):
        def open(self, pipeline, signature):
            raise AssertionError("opened for a batch with nothing to analyse")

    with Store(tmp_path / "x.sqlite") as store:
        list(iter_batch([str(folder)], pipeline=pipeline, store=store))
        again = list(iter_batch([str(folder)], pipeline=pipeline, store=store, backend=Refuses()))
    assert [i.outcome for i in again] == ["skipped"] * 3 + ["failed"] + ["skipped"] * 2


def test_a_result_that_fails_fails_only_its_article(tmp_path):
    """A backend whose future raises (an article it could not send, a lost worker) costs that
    article, named with the reason, and the batch goes on."""
    folder = _folder(tmp_path)

    class LosesBergen(InProcess):
        def submit(self, article):
            if "Bergen" in article.original:
                lost: Future = Future()
                lost.set_exception(ConnectionError("worker lost"))
                return lost
            return super().submit(article)

    items = list(iter_batch([str(folder)], pipeline=Pipeline(PIPELINE), backend=LosesBergen()))
    assert [i.outcome for i in items] == ["analysed", "failed", "analysed", "failed", "analysed", "analysed"]
    assert items[1].error.stage == "analyse" and items[1].error.reason == "ConnectionError: worker lost"


def test_workers_choose_the_backend():
    assert isinstance(backend_for(1), InProcess)
    assert isinstance(backend_for(3), LocalProcesses) and backend_for(3).in_flight == 9
    with pytest.raises(ValueError, match="at least 1"):
        backend_for(0)
