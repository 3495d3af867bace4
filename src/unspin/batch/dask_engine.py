"""``unspin batch --engine dask``: shards analysed on a Dask cluster (docs/scale.md says why Dask).

Each worker builds the analysis pipeline once, when it joins (a ``WorkerPlugin``; workers that
join later or are restarted get it too), and opens the database once. A task analyses one whole
shard and sends its rows back; this process writes the Parquet part, so the output folder need
not be shared with the workers. At most two shards per worker are in flight, so neither the
scheduler nor this process holds much of the corpus.

``DaskBackend`` is the same cluster behind the runner's backend contract (``batch/backends.py``):
one task per article, for the commands that analyse articles as they go.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from unspin.analyse.pipeline import Pipeline
from unspin.batch.backends import Backend, analyse_article
from unspin.batch.output import row_of, write_part
from unspin.batch.runner import iter_batch, pipeline_signature
from unspin.batch.sharded import BatchTotals, Shard
from unspin.types import Analysis, Article, ItemFailure

if TYPE_CHECKING:
    from unspin.store.db import Store

PLUGIN_NAME = "unspin-pipeline"
SHARDS_PER_WORKER = 2
IN_FLIGHT_PER_WORKER = 3  # DaskBackend: articles queued per worker, as local processes do


def _plugin_class():
    from distributed import WorkerPlugin

    class PipelinePlugin(WorkerPlugin):
        """Builds the pipeline (and opens the store) once in each worker."""

        name = PLUGIN_NAME

        def __init__(self, spec: Any, signature: str, db: str | None) -> None:
            self.spec, self.signature, self.db = spec, signature, db
            self.pipeline: Pipeline | None = None
            self.store: Store | None = None

        def setup(self, worker: Any) -> None:
            import importlib

            names, configs, modules = self.spec
            for module in modules:
                importlib.import_module(module)
            pipeline = Pipeline(names, **configs)
            if pipeline_signature(pipeline) != self.signature:
                raise RuntimeError("this worker's analysers differ from the client's (another unspin "
                                   "version or UNSPIN_DETECTORS?); install the same on every worker")
            self.pipeline = pipeline
            if self.db is not None:
                from unspin.store.db import Store

                self.store = Store(self.db)

        def teardown(self, worker: Any) -> None:
            if self.store is not None:
                self.store.close()

    return PipelinePlugin


def analyse_shard(index: int, records: list[Article | ItemFailure]) -> tuple[int, list[dict[str, Any]], Counter]:
    """Runs on a worker: one shard's rows, in record order, and its outcome counts."""
    from distributed import get_worker

    plugin: Any = get_worker().plugins[PLUGIN_NAME]  # a PipelinePlugin, whose class is made lazily
    signature = pipeline_signature(plugin.pipeline)
    rows: list[dict[str, Any]] = []
    counts: Counter[str] = Counter()
    items = iter_batch((), articles=records, pipeline=plugin.pipeline, store=plugin.store)
    for record, item in zip(records, items, strict=True):
        rows.append(row_of(record, item, signature))
        counts[item.outcome] += 1
    return index, rows, counts


def _analyse_one(article: Article) -> Analysis | ItemFailure:
    """Runs on a worker: one article through its pipeline (``DaskBackend``)."""
    from distributed import get_worker

    plugin: Any = get_worker().plugins[PLUGIN_NAME]
    return analyse_article(article, plugin.pipeline)


class DaskBackend(Backend):
    """Articles analysed one task each on a Dask cluster: the one at ``cluster`` (a scheduler
    address), else a local one of ``workers`` processes. The results come back here, where the
    runner stores them in input order, so the workers need no database and no shared folder.
    For a corpus to Parquet, ``run_dask`` sends whole shards instead (fewer, larger tasks)."""

    name = "dask"

    def __init__(self, workers: int = 1, cluster: str | None = None) -> None:
        self.workers, self.cluster = workers, cluster
        self.client: Any = None
        self.local: Any = None

    def open(self, pipeline: Pipeline, signature: str) -> None:
        super().open(pipeline, signature)
        self.client, self.local = _connect(self.cluster, self.workers)
        self.client.register_plugin(_plugin_class()(pipeline.spec, signature, None), name=PLUGIN_NAME)
        self.in_flight = IN_FLIGHT_PER_WORKER * max(1, len(self.client.scheduler_info()["workers"]))

    def submit(self, article: Article) -> Any:
        return self.client.submit(_analyse_one, article, pure=False)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        if self.local is not None:
            self.local.close()
        self.client = self.local = None


def _connect(cluster: str | None, workers: int) -> tuple[Any, Any]:
    """A client of the cluster at ``cluster``, else of a new local one (returned too, to close)."""
    from distributed import Client, LocalCluster

    local = None
    if cluster is None:
        # One thread per worker: spaCy and ONNX are not shared between threads, and processes use
        # the cores. Dask sets OMP/MKL/OpenBLAS threads to 1 and MALLOC_TRIM_THRESHOLD_ in workers.
        local = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                             dashboard_address=None)
    return Client(local if local is not None else cluster), local


def run_dask(
    shards: Iterable[Shard],
    done: set[int],
    out: Path,
    *,
    pipeline: Pipeline,
    db: str | None,
    workers: int = 1,
    cluster: str | None = None,
    on_rows: Callable[[int], None] | None = None,
    totals: BatchTotals | None = None,
) -> BatchTotals:
    """Analyse the shards not yet written on a cluster: the one at ``cluster`` (a scheduler
    address), else a local one of ``workers`` processes with one thread each."""
    from distributed import as_completed

    totals = totals if totals is not None else BatchTotals()
    client, local = _connect(cluster, workers)
    try:
        client.register_plugin(_plugin_class()(pipeline.spec, pipeline_signature(pipeline), db),
                               name=PLUGIN_NAME)
        limit = SHARDS_PER_WORKER * max(1, len(client.scheduler_info()["workers"]))
        pending = as_completed()

        def finish_one() -> None:
            index, rows, counts = next(pending).result()
            write_part(out, index, rows)
            totals.parts_written += 1
            totals.counts.update(counts)
            if on_rows is not None:
                on_rows(len(rows))

        for shard in shards:
            if shard.index in done:
                totals.parts_done_before += 1
                continue
            pending.add(client.submit(analyse_shard, shard.index, shard.records, pure=False))
            while pending.count() >= limit:
                finish_one()
        while pending.count():
            finish_one()
    finally:
        client.close()
        if local is not None:
            local.close()
    return totals
