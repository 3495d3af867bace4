"""``unspin report``: read -> clean -> analyse -> group into stories -> compare -> one report file.

The steps are the application service's (``unspin.app.service.Unspin``); this module holds the
options, the progress on the terminal and the output.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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
    cli_service,
    exit_code,
    expand_inputs,
    gather,
    group_config,
    note_undated,
    open_store,
    outlet_map,
    stderr_console,
    summary_line,
)
from unspin.present.formats import FORMATS, format_for


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
        files = expand_inputs(inputs) if inputs else []
        service = cli_service(store, err, files, workers=workers, grouping=grouping)
        got = gather(service, files, outlet=outlet_map(outlet, outlets, outlet_folders, inputs or [], err),
                     max_bytes=max_bytes, quiet=quiet, err=err)
        if not got.analyses and not got.errors:
            err.print("[bold red]nothing to report:[/] no inputs given and no articles stored")
            raise typer.Exit(1)
        stories = service.group(got.analyses)
        note_undated(service, got.analyses, err)
        comparisons = service.compare(stories, got.analyses, singles=True)
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
