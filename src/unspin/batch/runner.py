"""Run read -> clean -> analyse -> store over many inputs; a bad input never stops the batch.

Each input that fails becomes a ``ItemFailure`` naming the input, the stage (``read``, ``clean``,
``analyse``, ``store``) and the reason; it is recorded in the store and the batch goes on.
Articles already stored with the same pipeline signature are not analysed again (resume).
The pipeline is built once per batch; its heavy resources load on the first article.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from unspin.analyse.pipeline import Pipeline
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


def describe_error(exc: BaseException) -> str:
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _clean(article: Article) -> Article:
    from unspin.clean import clean_article  # imported here: the clean stage is optional for store-only use

    return clean_article(article)


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
) -> Iterator[BatchItem]:
    """Yield one ``BatchItem`` per article read (or input that failed), as each is done, in
    input order.

    ``articles`` replaces reading ``inputs`` (already read records, e.g. from a feed poller).
    ``limit`` stops after that many articles (failed inputs do not count).
    ``workers`` > 1 cleans and analyses that many articles at a time in worker processes
    (``parallel.analyse_in_processes``); reading and the store stay in this process.
    """
    from unspin.read import read_inputs

    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if articles is None:
        read_kwargs: dict[str, Any] = {"outlet": outlet} | ({"max_bytes": max_bytes} if max_bytes is not None else {})
        articles = read_inputs(list(inputs), **read_kwargs)
    pipeline = pipeline if pipeline is not None else Pipeline()
    signature = pipeline_signature(pipeline)
    records = _limited(articles, limit)
    if workers > 1:
        from unspin.batch.parallel import analyse_in_processes

        yield from analyse_in_processes(records, pipeline, signature, store, workers)
        return
    for record in records:
        if isinstance(record, ItemFailure):
            yield failed_item(record, store)
            continue
        yield stored_item(record, signature, store) or finish_item(
            record, analyse_article(record, pipeline), signature, store
        )


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


def source_of(article: Article) -> str:
    return article.source or article.id


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


def analyse_article(article: Article, pipeline: Pipeline) -> Analysis | ItemFailure:
    """Clean and analyse one article; a failure is a ``ItemFailure`` naming the stage."""
    try:
        article = _clean(article)
    except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
        return ItemFailure(source=source_of(article), stage="clean", reason=describe_error(exc))
    try:
        return pipeline(article)
    except Exception as exc:  # noqa: BLE001
        return ItemFailure(source=source_of(article), stage="analyse", reason=describe_error(exc))


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
