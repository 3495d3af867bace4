"""Where articles are cleaned and analysed: the backends behind ``runner.iter_batch``.

One contract for all of them, so that a command does not care where the work runs:
``open(pipeline, signature)`` once, before the first article; ``submit(article)`` returns a
future of ``Analysis | ItemFailure``; ``close()`` at the end. The runner keeps the results in
input order, and reading, the skip check and the store stay in the calling process.

- ``InProcess``: here, one article at a time (the default for a few articles);
- ``parallel.LocalProcesses``: worker processes on this machine (``--workers N``);
- ``dask_engine.DaskBackend``: the workers of a Dask cluster, local or remote.

A new backend is a subclass with ``submit`` (and ``open``/``close`` for its resources); the
runner's ``iter_batch(..., backend=...)`` drives it, and ``tests/batch/test_backends.py`` checks
that it gives what ``InProcess`` gives.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Protocol

from unspin.analyse.pipeline import Pipeline
from unspin.types import Analysis, Article, ItemFailure


class Pending(Protocol):
    """What ``submit`` returns: ``concurrent.futures.Future`` and Dask's futures both fit."""

    def done(self) -> bool: ...

    def result(self, timeout: float | None = None) -> Analysis | ItemFailure: ...


def describe_error(exc: BaseException) -> str:
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def source_of(article: Article) -> str:
    return article.source or article.id


def analyse_article(article: Article, pipeline: Pipeline) -> Analysis | ItemFailure:
    """Clean and analyse one article; a failure is an ``ItemFailure`` naming the stage. What
    every backend runs for each article, wherever it runs."""
    from unspin.clean import clean_article  # imported here: store-only use needs no clean stage

    try:
        article = clean_article(article)
    except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
        return ItemFailure(source=source_of(article), stage="clean", reason=describe_error(exc))
    try:
        return pipeline(article)
    except Exception as exc:  # noqa: BLE001
        return ItemFailure(source=source_of(article), stage="analyse", reason=describe_error(exc))


class Backend:
    """Runs ``analyse_article`` over the articles the runner submits.

    ``in_flight``: how many submitted articles the runner keeps unfinished at once (enough to
    keep every worker busy, few enough not to hold much of a corpus in memory)."""

    name = "backend"
    in_flight = 1

    def open(self, pipeline: Pipeline, signature: str) -> None:
        """Called once, before the first article (a batch whose articles are all stored
        already opens nothing)."""
        self.pipeline = pipeline

    def submit(self, article: Article) -> Pending:
        raise NotImplementedError

    def broke(self, exc: BaseException) -> bool:
        """Whether ``exc``, raised by a result, means every unfinished article was lost with it
        (a process pool that broke); the runner then calls ``alone`` for each of them."""
        return False

    def alone(self, article: Article) -> Analysis | ItemFailure:
        """Analyse one article with nothing else in flight, so a crash is its own."""
        return self.submit(article).result()

    def close(self) -> None:
        """Called once at the end of the run, also when it stops early."""


class InProcess(Backend):
    """This process, one article at a time: no start-up cost, one core."""

    name = "in-process"

    def submit(self, article: Article) -> Pending:
        done: Future[Analysis | ItemFailure] = Future()
        done.set_result(analyse_article(article, self.pipeline))
        return done


def backend_for(workers: int) -> Backend:
    """The backend ``--workers N`` asks for: this process for 1, local processes above."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if workers == 1:
        return InProcess()
    from unspin.batch.parallel import LocalProcesses

    return LocalProcesses(workers)
