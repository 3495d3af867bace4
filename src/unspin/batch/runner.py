"""Run read -> clean -> analyse -> store over many inputs; a bad input never stops the batch.

Each input that fails becomes a ``ItemFailure`` naming the input, the stage (``read``, ``clean``,
``analyse``, ``store``) and the reason; it is recorded in the store and the batch goes on.
Articles already stored with the same pipeline signature are not analysed again (resume).
The pipeline is built once per batch; its heavy resources load on the first article.
"""

from __future__ import annotations

import logging
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from unspin.analyse.pipeline import Pipeline
from unspin.batch.backends import Backend, Pending, backend_for, describe_error, source_of
from unspin.read.outlets import OutletMap
from unspin.store.db import Store, signature_of
from unspin.types import Analysis, Article, ItemFailure

log = logging.getLogger(__name__)

Outcome = Literal["analysed", "not_analysed", "skipped", "failed"]


@dataclass
class BatchItem:
    """What happened to one article (or one input that could not be read)."""

    source: str
    outcome: Outcome
    analysis: Analysis | None = None  # also set for "skipped" (loaded from the store)
    error: ItemFailure | None = None
    stored: bool = False  # written to the store by this run


@dataclass
class BatchResult:
    analyses: list[Analysis] = field(default_factory=list)
    errors: list[ItemFailure] = field(default_factory=list)
    # read, analysed, not_analysed, skipped, stored, failed
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.errors


def pipeline_signature(pipeline: Pipeline) -> str:
    """Which components, at which versions, a pipeline runs; stored with each analysis."""
    return signature_of(f"{c.name}@{c.version}" for c in pipeline.components)


def iter_batch(
    inputs: Iterable[str],
    *,
    pipeline: Pipeline | None = None,
    store: Store | None = None,
    outlet: str | OutletMap | None = None,
    max_bytes: int | None = None,
    limit: int | None = None,
    articles: Iterable[Article | ItemFailure] | None = None,
    workers: int = 1,
    backend: Backend | None = None,
) -> Iterator[BatchItem]:
    """Yield one ``BatchItem`` per article read (or input that failed), as each is done, in
    input order.

    ``articles`` replaces reading ``inputs`` (already read records, e.g. from a feed poller).
    ``limit`` stops after that many articles (failed inputs do not count).
    ``backend`` says where articles are cleaned and analysed (``batch/backends.py``); without
    one, ``workers`` > 1 uses that many local worker processes, else this process. Reading, the
    skip check and the store stay in this process.
    """
    from unspin.read import read_inputs

    backend = backend if backend is not None else backend_for(workers)
    if articles is None:
        read_kwargs: dict[str, Any] = {"outlet": outlet} | ({"max_bytes": max_bytes} if max_bytes is not None else {})
        articles = read_inputs(list(inputs), **read_kwargs)
    pipeline = pipeline if pipeline is not None else Pipeline()
    yield from _run(_limited(articles, limit), pipeline, backend, store)


@dataclass
class _Slot:
    """One input's place in the output order: a finished item, or an article being analysed."""

    item: BatchItem | None = None
    article: Article | None = None
    pending: Pending | None = None


def _run(
    records: Iterable[Article | ItemFailure], pipeline: Pipeline, backend: Backend, store: Store | None
) -> Iterator[BatchItem]:
    """Drive ``backend``: submit the articles not stored yet, keep at most ``backend.in_flight``
    of them unfinished, and give every record's item in input order as soon as it is done."""
    signature = pipeline_signature(pipeline)
    slots: deque[_Slot] = deque()
    opened = False

    def submit(article: Article) -> Pending:
        nonlocal opened
        if not opened:  # on the first article to analyse: a resumed batch starts nothing
            backend.open(pipeline, signature)
            opened = True
        return backend.submit(article)

    def resolve(slot: _Slot) -> BatchItem:
        if slot.item is not None:
            return slot.item
        assert slot.article is not None and slot.pending is not None  # a submitted slot
        try:
            result = slot.pending.result()
        except Exception as exc:  # noqa: BLE001 - e.g. an article that cannot be sent to a worker
            if not backend.broke(exc):
                result = ItemFailure(source=source_of(slot.article), stage="analyse", reason=describe_error(exc))
                return finish_item(slot.article, result, signature, store)
            # Every unfinished article went down with it: redo them one at a time.
            for other in [slot, *slots]:
                if other.item is None and other.article is not None and not _succeeded(other.pending):
                    other.item = finish_item(other.article, backend.alone(other.article), signature, store)
            assert slot.item is not None
            return slot.item
        return finish_item(slot.article, result, signature, store)

    try:
        for record in records:
            if isinstance(record, ItemFailure):
                slots.append(_Slot(item=failed_item(record, store)))
            else:
                done = stored_item(record, signature, store)
                slots.append(_Slot(item=done) if done else _Slot(article=record, pending=submit(record)))
            while sum(s.item is None for s in slots) >= backend.in_flight or (slots and _ready(slots[0])):
                yield resolve(slots.popleft())
        while slots:
            yield resolve(slots.popleft())
    finally:
        if opened:
            backend.close()


def _succeeded(pending: Pending | None) -> bool:
    if pending is None or not pending.done():
        return False
    try:
        pending.result(timeout=0)
    except Exception:  # noqa: BLE001 - any failure: not succeeded
        return False
    return True


def _ready(slot: _Slot) -> bool:
    return slot.item is not None or (slot.pending is not None and slot.pending.done())


def _limited(records: Iterable[Article | ItemFailure], limit: int | None) -> Iterator[Article | ItemFailure]:
    seen = 0
    for record in records:
        if isinstance(record, Article):
            if limit is not None and seen >= limit:
                return
            seen += 1
        yield record


def failed_item(error: ItemFailure, store: Store | None, analysis: Analysis | None = None) -> BatchItem:
    if store is not None:
        try:
            store.record_error(error)
        except Exception:
            log.warning("could not record the error for %s in the store", error.source, exc_info=True)
    return BatchItem(source=error.source, outcome="failed", analysis=analysis, error=error)


def stored_item(article: Article, signature: str, store: Store | None) -> BatchItem | None:
    """The stored analysis when this article was already analysed by the same pipeline."""
    if store is None:
        return None
    try:
        if store.has_analysis(article.id, signature):
            stored = store.get_analysis(article.id)
            if stored is not None:
                return BatchItem(source=source_of(article), outcome="skipped", analysis=stored)
    except Exception as exc:  # noqa: BLE001
        return failed_item(ItemFailure(source=source_of(article), stage="store", reason=describe_error(exc)), None)
    return None


def finish_item(article: Article, result: Analysis | ItemFailure, signature: str, store: Store | None) -> BatchItem:
    """Store an analysis (or record the failure) and say what happened."""
    if isinstance(result, ItemFailure):
        return failed_item(result, store)
    outcome: Outcome = "analysed" if result.status == "analysed" else "not_analysed"
    stored = False
    if store is not None:
        try:
            stored = store.save_analysis(result, signature)
        except Exception as exc:  # noqa: BLE001
            error = ItemFailure(source=source_of(article), stage="store", reason=describe_error(exc))
            return failed_item(error, store, result)
    return BatchItem(source=source_of(article), outcome=outcome, analysis=result, stored=stored)


def analyse_inputs(
    inputs: Iterable[str],
    *,
    pipeline: Pipeline | None = None,
    store: Store | None = None,
    outlet: str | OutletMap | None = None,
    max_bytes: int | None = None,
    limit: int | None = None,
    on_progress: Callable[[BatchItem, int], None] | None = None,
    keep_analyses: bool = True,
    workers: int = 1,
) -> BatchResult:
    """Read, clean, analyse and store every input; collect analyses, errors and counts.

    ``on_progress(item, done)`` is called after each article or failed input.
    ``keep_analyses=False`` keeps memory flat on big corpora (counts and errors only).
    """
    result = BatchResult()
    items = iter_batch(
        inputs, pipeline=pipeline, store=store, outlet=outlet, max_bytes=max_bytes, limit=limit,
        workers=workers,
    )
    for done, item in enumerate(items, start=1):
        add_to_result(result, item, keep_analyses=keep_analyses)
        if on_progress is not None:
            on_progress(item, done)
    return result


def add_to_result(result: BatchResult, item: BatchItem, *, keep_analyses: bool = True) -> None:
    """Fold one item into the running totals (the CLI uses this while it prints)."""
    if item.error is None or item.error.stage != "read":
        result.counts["read"] += 1
    result.counts[item.outcome] += 1
    if item.stored:
        result.counts["stored"] += 1
    if item.error is not None:
        result.errors.append(item.error)
    elif keep_analyses and item.analysis is not None:
        result.analyses.append(item.analysis)
