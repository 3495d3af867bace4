"""``unspin compare``: analyse several articles on one story and show how they differ."""

from __future__ import annotations

import typer

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
    cli_service,
    exit_code,
    expand_inputs,
    gather,
    known_total,
    open_store,
    outlet_map,
    stderr_console,
    stdout_console,
    summary_line,
)
from unspin.present.jsonout import comparison_to_json, dumps
from unspin.present.terminal import print_comparison


@app.command()
def compare(
    inputs: InputsArg,
    json_out: JsonOpt = False,
    db: DbOpt = None,
    no_store: NoStoreOpt = False,
    outlet: OutletOpt = None,
    outlets: OutletsFileOpt = None,
    outlet_folders: OutletFoldersOpt = False,
    max_bytes: MaxBytesOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Compare articles on one story: shared and differing quotes, wording, what only one says.

    All inputs are treated as one story. Shows what the articles share, what only one of them says, how each renders the same quote, which words each chooses (Kiev or Kyiv?) and whom they cite.

    Each input is analysed (and stored) first; inputs that fail get one line each and the comparison goes on with the rest. Exit code 1 if any input failed or fewer than two articles could be compared, 2 for usage errors.

    [bold]Examples[/bold]

      unspin compare examples/          # the bundled example articles

      unspin compare wire.txt tabloid.html state.txt

      unspin compare "story/*.html" --json > story.json
    """
    out, err = stdout_console(), stderr_console()
    store = open_store(db, no_store)
    try:
        files = expand_inputs(inputs)
        service = cli_service(store, err, files, workers=1)
        # The same article given twice (two paths, same text) is gathered, and compared, once.
        got = gather(service, files, outlet=outlet_map(outlet, outlets, outlet_folders, inputs, err),
                     max_bytes=max_bytes, quiet=quiet, err=err, total=known_total(files))
        result, analysed = got.result, got.analysed
        if len(analysed) < 2:
            err.print(summary_line(result))
            err.print(
                f"[bold red]cannot compare:[/] {len(analysed)} article(s) analysed, at least 2 are needed"
            )
            raise typer.Exit(1)
        comparison = service.compare_articles(analysed)
    finally:
        if store is not None:
            store.close()
    if json_out:
        typer.echo(dumps(comparison_to_json(comparison, got.analyses, got.errors)))
    else:
        # Failed inputs were already reported on stderr, one line each.
        print_comparison(comparison, got.analyses, out)
    err.print(summary_line(result))
    raise typer.Exit(exit_code(result))
