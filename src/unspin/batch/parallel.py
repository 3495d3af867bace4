"""The ``LocalProcesses`` backend (``--workers N``): articles cleaned and analysed in worker
processes; the runner reads and stores in the calling process (``batch/backends.py``).

spaCy keeps one core busy, so on two cores two processes analyse a batch nearly twice as fast
as one. Workers are forked from a forkserver that has loaded the models once (``preload``), so
they share them instead of each loading its own; where there is no forkserver (Windows) each
worker is spawned and loads its models on its first article. Each worker builds the pipeline
once (from ``Pipeline.spec``). A worker that dies (out of memory, a crash in native code) fails
only the article it was working on: the pool restarts and the runner has the articles in flight
analysed again one at a time, so the culprit is named and the rest are kept. Workers that cannot start at all
leave the batch to this process.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from unspin.analyse.pipeline import Pipeline
from unspin.batch.backends import Backend, analyse_article, describe_error, source_of
from unspin.batch.runner import pipeline_signature
from unspin.types import Analysis, Article, ItemFailure

log = logging.getLogger(__name__)

Spec = tuple[list[str], dict[str, dict], list[str]]  # Pipeline.spec

# Articles queued per worker beyond the one it is working on: keeps every worker busy without
# holding a large part of the corpus in memory.
QUEUED_PER_WORKER = 2
# Workers by default: from this many articles on (fewer: the forkserver's start outweighs the
# gain), and at most this many processes (each holds some 200 MB of its own beside the shared models).
MIN_ARTICLES_FOR_WORKERS = 8
ARTICLES_PER_WORKER = 4
MAX_AUTO_WORKERS = 4
# Seconds a new worker may take to import unspin and build its pipeline.
STARTUP_TIMEOUT = 180.0

# The pipeline of this worker process (set by ``_start_worker``; unused in the parent).
_worker_pipeline: Pipeline | None = None


def _exit_with_parent() -> None:
    """A worker whose parent is gone (killed, even with SIGKILL) would wait for work forever,
    holding its models in memory: end it as soon as the parent's process handle closes."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=watch, name="unspin-parent-watch", daemon=True).start()


def _start_worker(spec: Spec, signature: str) -> None:
    global _worker_pipeline
    _exit_with_parent()
    names, configs, modules = spec
    for module in modules:
        importlib.import_module(module)
    pipeline = Pipeline(names, **configs)
    if pipeline_signature(pipeline) != signature:  # e.g. another UNSPIN_DETECTORS in the worker
        raise RuntimeError("the worker's pipeline differs from the parent's")
    _worker_pipeline = pipeline


def _started() -> bool:
    return _worker_pipeline is not None


def worker_context() -> multiprocessing.context.BaseContext:
    """Never plain fork: the parent may hold threads (ONNX, SQLite, a web server) that fork
    would copy mid-state. A forkserver is a fresh process of its own that loads the models once
    (``unspin.batch.preload``) and forks each worker from that clean state."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["unspin.batch.preload"])
    return context


def start_early(workers: int) -> None:
    """Start the forkserver now, when ``workers`` > 1: it loads the models while this process
    builds its own pipeline and reads the first inputs, instead of after."""
    if workers > 1 and worker_context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        try:
            forkserver.ensure_running()
        except Exception:  # noqa: BLE001 - the pool tries again, and falls back to this process
            log.warning("could not start the forkserver early", exc_info=True)


def auto_workers(articles: int | None) -> int:
    """How many worker processes analyse ``articles`` articles by default: one per usable core,
    at most ``MAX_AUTO_WORKERS``; none (this process) for a few articles or an unknown number,
    where starting workers costs more than it saves."""
    if articles is None or articles < MIN_ARTICLES_FOR_WORKERS:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, MAX_AUTO_WORKERS, articles // ARTICLES_PER_WORKER))


def _analyse_in_worker(article: Article) -> Analysis | ItemFailure:
    assert _worker_pipeline is not None, "worker not started"
    return analyse_article(article, _worker_pipeline)


class _Pool:
    """The worker processes, restarted after a crash; this process's own pipeline when they
    cannot start."""

    def __init__(self, pipeline: Pipeline, signature: str, workers: int) -> None:
        self.pipeline, self.signature, self.workers = pipeline, signature, workers
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor | None:
        executor = ProcessPoolExecutor(
            max_workers=self.workers, mp_context=worker_context(),
            initializer=_start_worker, initargs=(self.pipeline.spec, self.signature),
        )
        try:
            executor.submit(_started).result(timeout=STARTUP_TIMEOUT)
            return executor
        except Exception as exc:  # noqa: BLE001 - any failure to start means: work here instead
            executor.shutdown(wait=False, cancel_futures=True)
            log.warning("worker processes could not start (%s); analysing in this process", describe_error(exc))
            return None

    def submit(self, article: Article) -> Future:
        if self.executor is None:
            done: Future = Future()
            done.set_result(analyse_article(article, self.pipeline))
            return done
        return self.executor.submit(_analyse_in_worker, article)

    def restart(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = self._start()

    def alone(self, article: Article) -> Analysis | ItemFailure:
        """Analyse one article with nothing else in flight, so a crash is its own."""
        try:
            return self.submit(article).result()
        except BrokenProcessPool:
            self.restart()
            return ItemFailure(
                source=source_of(article), stage="analyse",
                reason="the worker process died while analysing this article (out of memory or a crash)",
            )

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)


class LocalProcesses(Backend):
    """The backend of ``--workers N``: N worker processes on this machine, started when the
    first article needs them, restarted when one dies."""

    name = "local-processes"

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.in_flight = workers * (1 + QUEUED_PER_WORKER)
        self.pool: _Pool | None = None

    def open(self, pipeline: Pipeline, signature: str) -> None:
        super().open(pipeline, signature)
        self.pool = _Pool(pipeline, signature, self.workers)

    def submit(self, article: Article) -> Future:
        assert self.pool is not None, "open() first"
        return self.pool.submit(article)

    def broke(self, exc: BaseException) -> bool:
        if isinstance(exc, BrokenProcessPool) and self.pool is not None:
            self.pool.restart()  # the runner redoes the unfinished articles one at a time
            return True
        return False

    def alone(self, article: Article) -> Analysis | ItemFailure:
        assert self.pool is not None, "open() first"
        return self.pool.alone(article)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None
