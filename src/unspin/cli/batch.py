"""``unspin batch``: analyse a large corpus in shards into Parquet files; resumable."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from unspin.batch.output import status_counts
from unspin.batch.runner import BatchItem, pipeline_signature
from unspin.batch.sharded import (
    DEFAULT_SHARD_SIZE,
    BatchOutputError,
    BatchPlan,
    BatchTotals,
    make_shards,
    open_output,
    run_local,
)
from unspin.cli.app import app
from unspin.cli.common import (
    InputsArg,
    MaxBytesOpt,
    OutletFoldersOpt,
    OutletOpt,
    OutletsFileOpt,
    QuietOpt,
    WorkersOpt,
    build_pipeline,
    expand_inputs,
    open_store,
    outlet_map,
    report_error,
    resolve_workers,
    stderr_console,
)
from unspin.read import read_inputs
from unspin.read.estimate import estimate_records
from unspin.store.db import resolve_url


@app.command()
def batch(
    inputs: InputsArg,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", metavar="DIR", file_okay=False,
                     help="Folder for the results: part-NNNNNN.parquet, one row per article (docs/scale.md)."),
    ],
    db: Annotated[
        str | None,
        typer.Option("--db", metavar="PATH|URL", show_default=False,
                     help="Also store every analysis in this database, as analyze does: a SQLite file "
                     "or postgresql+psycopg://... Default: no database."),
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", metavar="local|dask",
                          help="Where shards are analysed: local (this process, or --workers processes), or "
                          "dask (a Dask cluster: --cluster ADDRESS, else a local one of --workers processes; "
                          "needs the dask extra). Same rows either way.")
    ] = "local",
    cluster: Annotated[
        str | None, typer.Option("--cluster", metavar="ADDRESS", show_default=False,
                                 help="With --engine dask: the scheduler of a running cluster, e.g. "
                                 "tcp://10.0.0.5:8786 (every worker needs unspin installed; docs/scale.md).")
    ] = None,
    workers: WorkersOpt = None,
    shard_size: Annotated[
        int, typer.Option("--shard-size", min=1, metavar="N",
                          help="Articles per Parquet part. A restarted run redoes at most the unfinished parts.")
    ] = DEFAULT_SHARD_SIZE,
    outlet: OutletOpt = None,
    outlets: OutletsFileOpt = None,
    outlet_folders: OutletFoldersOpt = False,
    max_bytes: MaxBytesOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Analyse a corpus of any size into Parquet files, in shards; stop it any time and start it again.

    Inputs are read a chunk at a time (JSONL, CSV and Parquet corpora, files, folders, globs), in a fixed order; repeats of an article are dropped. Every N articles (--shard-size) become one part file, written whole or not at all. Run the same command again after a crash or a kill: finished parts are kept, the rest is done, and every article ends up exactly once in the output (and in --db).

    Each row: article_id, source, status (analysed, not_analysed, failed) with stage and reason, the article's metadata, and its findings as a nested list. Exit code 1 if any input failed.

    [bold]Examples[/bold]

      unspin batch corpus.jsonl --out results/

      unspin batch "dumps/*.parquet" --out results/ --workers 2 --db results.sqlite

      python -c "import pyarrow.parquet as pq; print(pq.read_table('results/').num_rows)"
    """
    err = stderr_console()
    if engine not in ("local", "dask"):
        raise typer.BadParameter(f"unknown engine {engine!r}; choose local or dask", param_hint="--engine")
    if cluster is not None and engine != "dask":
        raise typer.BadParameter("--cluster needs --engine dask", param_hint="--cluster")
    if engine == "dask":
        _require_dask()
    if "-" in inputs:
        raise typer.BadParameter("batch reads its inputs again to resume, which standard input cannot give; "
                                 "save it to a file first", param_hint="INPUTS")
    files = expand_inputs(inputs)
    workers = resolve_workers(workers, files, start=engine == "local")
    rules = outlet_map(outlet, outlets, outlet_folders, inputs, err)
    pipeline = build_pipeline(err)
    plan = BatchPlan(inputs=[str(Path(f).resolve()) for f in files], shard_size=shard_size,
                     signature=pipeline_signature(pipeline), max_bytes=max_bytes,
                     outlet=repr((outlet, str(outlets) if outlets else None, outlet_folders)))
    try:
        done = open_output(out, plan)
    except (BatchOutputError, OSError) as exc:
        raise typer.BadParameter(str(exc), param_hint="--out") from None
    # With Dask the workers write to the database; here it is only checked that it opens.
    store = open_store(db, no_store=db is None)
    if engine == "dask" and store is not None:
        store.close()
        store = None
    totals = BatchTotals()
    read_kwargs: dict[str, Any] = {"outlet": rules} | ({"max_bytes": max_bytes} if max_bytes is not None else {})
    shards = make_shards(read_inputs(files, **read_kwargs), shard_size, totals.counts)
    try:
        with _progress(not quiet, estimate_records(files)) as advance:
            if engine == "dask":
                from unspin.batch.dask_engine import run_dask

                run_dask(shards, done, out, pipeline=pipeline, db=resolve_url(db) if db else None,
                         workers=workers, cluster=cluster, on_rows=advance, totals=totals)
            else:
                def on_item(item: BatchItem) -> None:
                    advance()
                    report_error(item, err)

                run_local(shards, done, out, pipeline=pipeline, store=store, workers=workers,
                          on_item=on_item, totals=totals)
    finally:
        if store is not None:
            store.close()
    c = totals.counts
    err.print(f"this run: {c['analysed']} analysed, {c['not_analysed']} not analysed (language), "
              f"{c['skipped']} already stored, {c['duplicate']} repeats dropped, {c['failed']} failed; "
              f"{totals.parts_written} parts written, {totals.parts_done_before} done before",
              highlight=False, markup=False, soft_wrap=True)
    whole = status_counts(out)
    err.print(f"{out}: {sum(whole.values())} rows: " + ", ".join(f"{n} {s}" for s, n in sorted(whole.items())),
              highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(1 if whole.get("failed") else 0)


def _require_dask() -> None:
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise typer.BadParameter("--engine dask needs Dask: pip install 'unspin[dask]'", param_hint="--engine") from None


@contextmanager
def _progress(enabled: bool, total: int | None) -> Iterator:
    """Articles done, articles per second and time left, on stderr when it is a terminal."""
    err = stderr_console()
    if not (enabled and err.is_terminal):
        yield lambda n=1: None
        return
    progress = Progress(TextColumn("[bold]analysing"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[rate]}"),
                        TimeRemainingColumn(), console=err, transient=True)
    task = progress.add_task("batch", total=total, rate="")

    def advance(n: int = 1) -> None:
        progress.advance(task, n)
        speed = progress.tasks[0].speed
        if speed:
            progress.update(task, rate=f"{speed:.1f} articles/s")

    with progress:
        yield advance
