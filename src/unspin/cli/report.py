"""``unspin report``: read -> clean -> analyse -> group into stories -> compare -> one report file.

Grouping and comparing are the application layer's (``unspin.app.stories``); ``gather`` (analyse
with a progress bar and per-item errors on the terminal) is here, shared with ``unspin stories``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from unspin.app.stories import compare_stories, group_stories, undated_hint
from unspin.batch.runner import BatchResult, add_to_result, iter_batch
from unspin.cli.app import app
from unspin.cli.common import (
    DbOpt,
    GroupingOpt,
    JoinThresholdOpt,
    MaxBytesOpt,
    NoStoreOpt,
    OutletFoldersOpt,
    OutletOpt,
    OutletsFileOpt,
    QuietOpt,
    WindowOpt,
    WorkersOpt,
    batch_progress,
    build_pipeline,
    exit_code,
    expand_inputs,
    group_config,
    open_store,
    outlet_map,
    report_error,
    resolve_workers,
    stderr_console,
    summary_line,
)
from unspin.present.formats import FORMATS, format_for
from unspin.read.outlets import OutletMap
from unspin.store.db import Store
from unspin.types import Analysis, ItemFailure

if TYPE_CHECKING:
    from unspin.group.stories import GroupConfig



@dataclass
class Gathered:
    """The analyses a command works on (one per article id, input order) and what failed."""

    analyses: list[Analysis] = field(default_factory=list)
    errors: list[ItemFailure] = field(default_factory=list)
    result: BatchResult = field(default_factory=BatchResult)


def gather(
    inputs: list[str],
    store: Store | None,
    *,
    outlet: str | OutletMap | None,
    max_bytes: int | None,
    quiet: bool,
    err: Console,
    workers: int | None = None,
) -> Gathered:
    """Analyse ``inputs`` (stored ones are loaded, not re-analysed); with no inputs, every
    analysis already in the store."""
    out = Gathered()
    if not inputs:
        if store is not None:
            out.analyses = list(store.iter_analyses())
        return out
    files = expand_inputs(inputs)
    workers = resolve_workers(workers, files)
    pipeline = build_pipeline(err)
    with batch_progress(not quiet) as advance:
        for item in iter_batch(
            files, pipeline=pipeline, store=store, outlet=outlet, max_bytes=max_bytes,
            workers=workers,
        ):
            add_to_result(out.result, item)
            advance(item)
            report_error(item, err)
    unique = {a.article.id: a for a in out.result.analyses}  # the same text given twice counts once
    out.analyses = list(unique.values())
    out.errors = list(out.result.errors)
    return out


def note_undated(analyses: Iterable[Analysis], config: GroupConfig | None, err: Console) -> None:
    hint = undated_hint(analyses, config)
    if hint:
        from rich.markup import escape

        err.print(f"[yellow]note:[/] {escape(hint)}", highlight=False)


def _check_format(value: str | None) -> str | None:
    if value is not None and value not in FORMATS:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(FORMATS)}")
    return value


@app.command()
def report(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="INPUTS",
            help="Files, folders, globs or - (as for analyze). None: every article in the database.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Where to write the report; - for standard output."
        ),
    ] = "report.html",
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            callback=_check_format,
            help="; ".join(f"{f.name}: {f.description}" for f in FORMATS.values())
            + ". Default: from the --output suffix, else html.",
            show_default=False,
        ),
    ] = None,
    charts: Annotated[
        Path | None,
        typer.Option(
            "--charts",
            metavar="DIR",
            help="Also write corpus charts (SVG) into DIR: techniques, "
            "frames and wording by outlet, story timeline.",
            show_default=False,
        ),
    ] = None,
    title: Annotated[str, typer.Option("--title", help="Report title.")] = "unspin report",
    db: DbOpt = None,
    no_store: NoStoreOpt = False,
    outlet: OutletOpt = None,
    outlets: OutletsFileOpt = None,
    outlet_folders: OutletFoldersOpt = False,
    max_bytes: MaxBytesOpt = None,
    window: WindowOpt = None,
    join_threshold: JoinThresholdOpt = None,
    grouping_method: GroupingOpt = None,
    quiet: QuietOpt = False,
    workers: WorkersOpt = None,
) -> None:
    """Group articles into stories and write a report of how each outlet tells each story.

    Articles are read, cleaned, analysed (and stored), grouped into stories, and each story's articles are compared: shared and only-here claims, quote fidelity, headline vs body, who cites whom, contrasting wording, techniques and frames per outlet.

    The HTML report is one self-contained file: no script, no network at view time, article text always escaped. Hover a highlight to see what produced it. Exit code 1 if any input failed (the report is still written), 2 for usage errors.

    [bold]Examples[/bold]

      unspin report examples/ -o report.html

      unspin report "news/*.html" -o report.md

      unspin report corpus.jsonl -o report.html --charts charts/

      unspin report --db results.sqlite -o report.html   # everything already stored
    """
    err = stderr_console()
    fmt_used = format_for(output, fmt)
    grouping = group_config(window, join_threshold, grouping_method)
    store = open_store(db, no_store)
    try:
        got = gather(inputs or [], store, outlet=outlet_map(outlet, outlets, outlet_folders, inputs or [], err), max_bytes=max_bytes, quiet=quiet, err=err, workers=workers)
        if not got.analyses and not got.errors:
            err.print("[bold red]nothing to report:[/] no inputs given and no articles stored")
            raise typer.Exit(1)
        stories = group_stories(got.analyses, grouping)
        note_undated(got.analyses, grouping, err)
        comparisons = compare_stories(stories, got.analyses, singles=True)
        if store is not None:
            for story in stories:
                store.save_story(story)
    finally:
        if store is not None:
            store.close()

    text = fmt_used.render(comparisons, got.analyses, got.errors, title)
    if output == "-":
        typer.echo(text, nl=False)
    else:
        Path(output).write_text(text, encoding="utf-8")
    if charts is not None:
        from unspin.present.charts import write_corpus_charts

        for path in write_corpus_charts(got.analyses, stories, charts):
            if not quiet:
                err.print(f"chart: {path}")
    multi = sum(1 for s in stories if len(s.members) > 1)
    if not quiet:
        where = "standard output" if output == "-" else output
        err.print(
            f"{len(got.analyses)} articles, {len(stories)} stories ({multi} with more than one article) -> {where}"
        )
    if inputs:
        err.print(summary_line(got.result))
    raise typer.Exit(exit_code(got.result) if inputs else 0)
