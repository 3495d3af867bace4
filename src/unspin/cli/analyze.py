"""``unspin analyze``: read, clean, analyse and store articles; print what was found."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from unspin.batch.runner import BatchItem, BatchResult, add_to_result
from unspin.cli.app import app
from unspin.cli.common import (
    DbOpt,
    InputsArg,
    JsonOpt,
    MaxBytesOpt,
    NoStoreOpt,
    OutletFoldersOpt,
    OutletOpt,
    OutletsFileOpt,
    QuietOpt,
    WorkersOpt,
    batch_progress,
    cli_service,
    exit_code,
    expand_inputs,
    known_total,
    open_store,
    outlet_map,
    report_error,
    stderr_console,
    stdout_console,
    summary_line,
)
from unspin.present.jsonout import analysis_to_json, dumps
from unspin.present.terminal import print_analysis, print_summary
from unspin.types import Analysis


class _TerminalOutput:
    """Full view when the batch holds one article, one summary per article otherwise.

    The first analysis is held back until a second arrives (then both print as summaries) or
    the batch ends (then it prints in full), so batches still stream."""

    def __init__(self, console: Console, full: bool | None, show_all: bool = False) -> None:
        self.console, self.full, self.show_all = console, full, show_all
        self.held: Analysis | None = None
        self.count = 0

    def add(self, analysis: Analysis) -> None:
        self.count += 1
        if self.full is not None:
            if self.full:
                print_analysis(analysis, self.console, show_all=self.show_all)
            else:
                print_summary(analysis, self.console)
        elif self.count == 1:
            self.held = analysis
        else:
            if self.held is not None:
                print_summary(self.held, self.console)
                self.held = None
            print_summary(analysis, self.console)

    def finish(self) -> None:
        if self.held is not None:
            print_analysis(self.held, self.console, show_all=self.show_all)


@app.command()
def analyze(
    inputs: InputsArg,
    json_out: JsonOpt = False,
    db: DbOpt = None,
    no_store: NoStoreOpt = False,
    outlet: OutletOpt = None,
    outlets: OutletsFileOpt = None,
    outlet_folders: OutletFoldersOpt = False,
    max_bytes: MaxBytesOpt = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, metavar="N", help="Stop after N articles.")
    ] = None,
    full: Annotated[
        bool | None,
        typer.Option(
            "--full/--brief",
            help="Full view (highlighted body, tables) or one summary per article. "
            "Default: full for a single article, brief for batches.",
            show_default=False,
        ),
    ] = None,
    show_all: Annotated[
        bool,
        typer.Option("--show-all", help="Also show technique findings under the display level (calibrated "
                     "probability below 45%; docs/models.md). JSON always has every finding."),
    ] = False,
    quiet: QuietOpt = False,
    workers: WorkersOpt = None,
) -> None:
    """Analyse articles: techniques, framing, loaded wording, quotes, attributions, dates.

    Each article is read, cleaned (boilerplate marked, never deleted), analysed and stored. One article prints in full with its findings highlighted; a batch prints one summary per article. Already stored articles are not analysed again.

    Every input that fails gets one line saying why, and the batch goes on. Ends with a summary; exit code 1 if any input failed, 2 for usage errors.

    [bold]Examples[/bold]

      unspin analyze article.txt                     # one article, full view

      unspin analyze saved/ --outlet "Daily Post"    # every file in a folder

      unspin analyze corpus.jsonl --json > out.jsonl # one JSON document per line

      unspin analyze page.html --no-store            # print only, store nothing

      unspin analyze "news/*.html" --db results.sqlite

      unspin analyze corpus.parquet -w 1 -q          # big corpus, one process
    """
    out, err = stdout_console(), stderr_console()
    files = expand_inputs(inputs)
    store = open_store(db, no_store)
    view = _TerminalOutput(out, full, show_all)
    result = BatchResult()
    try:
        service = cli_service(store, err, files, workers=workers, limit=limit)
        with batch_progress(not quiet, known_total(files, limit)) as advance:
            items = service.analyse(files, outlet=outlet_map(outlet, outlets, outlet_folders, inputs, err),
                                    max_bytes=max_bytes, limit=limit)
            for item in items:
                add_to_result(result, item, keep_analyses=False)
                advance(item)
                _show(item, json_out, quiet, view, err)
        if not json_out and not quiet:
            view.finish()
    finally:
        if store is not None:
            store.close()
    err.print(summary_line(result))
    raise typer.Exit(exit_code(result))


def _show(item: BatchItem, json_out: bool, quiet: bool, view: _TerminalOutput, err: Console) -> None:
    report_error(item, err)
    if item.error is not None or item.analysis is None:
        return
    if json_out:
        typer.echo(dumps(analysis_to_json(item.analysis)))
    elif not quiet:
        view.add(item.analysis)
