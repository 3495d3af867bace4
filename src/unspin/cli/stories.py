"""``unspin stories``: the stories in the database (or in the given inputs) as a terminal table."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from unspin.app.service import Gathered
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
    stdout_console,
    summary_line,
)
from unspin.present.html.context import outlet_names
from unspin.types import Analysis, Comparison, Story


def _span(story: Story) -> str:
    first, last = story.first_seen, story.last_seen
    if first is None:
        return "undated"
    a = first.strftime("%Y-%m-%d %H:%M")
    if last is None or last == first:
        return a
    b = last.strftime("%H:%M") if last.date() == first.date() else last.strftime("%Y-%m-%d %H:%M")
    return f"{a} \u2013 {b}"


MAX_OUTLETS_SHOWN = 6


def _outlet_list(names: list[str]) -> str:
    """The outlets of a story, the first few only when there are many (a big story would
    otherwise fill the screen with one cell)."""
    distinct = list(dict.fromkeys(names))
    if len(distinct) <= MAX_OUTLETS_SHOWN:
        return ", ".join(distinct)
    return ", ".join(distinct[:MAX_OUTLETS_SHOWN]) + f" and {len(distinct) - MAX_OUTLETS_SHOWN} more"


def stories_table(stories: list[Story], analyses: list[Analysis], comparisons: list[Comparison]) -> Table:
    """Rich table: id, size, time span, outlets, title with the top divergence; biggest first."""
    by_id = {a.article.id: a for a in analyses}
    by_story = {c.story.id: c for c in comparisons}
    table = Table(title="Stories", show_lines=True, expand=False)
    table.add_column("id", style="dim", no_wrap=True)
    table.add_column("size", justify="right", no_wrap=True)
    table.add_column("time span")
    table.add_column("outlets", overflow="fold", ratio=1)
    table.add_column("story / top divergence", overflow="fold", ratio=3)
    for story in sorted(stories, key=lambda s: (-len(s.members), s.title)):
        members = [by_id[i] for i in story.article_ids if i in by_id]
        comparison = by_story.get(story.id)
        names = comparison.labels if comparison is not None and comparison.labels else outlet_names(members)
        copies = sum(1 for m in story.members if m.relation != "member")
        size = str(len(story.members)) + (f"\n({copies} cop{'y' if copies == 1 else 'ies'})" if copies else "")
        divergence = comparison.top_divergence if comparison is not None else ""
        # Text objects are never parsed as Rich markup: "[b]" in a title stays as written.
        cell = Text(story.title or "\u2014", style="bold")
        if divergence:
            cell.append("\n\u21b3 " + divergence, style="yellow")
        table.add_row(
            Text(story.id),
            size,
            _span(story),
            Text(_outlet_list([names[a.article.id] for a in members]) or "\u2014"),
            cell,
        )
    return table


@app.command()
def stories(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="INPUTS",
            help="Articles to group (as for analyze). None: the stories already in the database.",
            show_default=False,
        ),
    ] = None,
    db: DbOpt = None,
    no_store: NoStoreOpt = False,
    outlet: OutletOpt = None,
    outlets: OutletsFileOpt = None,
    outlet_folders: OutletFoldersOpt = False,
    max_bytes: MaxBytesOpt = None,
    window: WindowOpt = None,
    join_threshold: JoinThresholdOpt = None,
    grouping_method: GroupingOpt = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, metavar="N", help="Show the N largest stories.")
    ] = 50,
    min_size: Annotated[
        int, typer.Option("--min-size", min=1, metavar="N", help="Only stories with at least N articles.")
    ] = 1,
    no_compare: Annotated[
        bool, typer.Option("--no-compare", help="Skip the comparisons (no top divergence; faster).")
    ] = False,
    quiet: QuietOpt = False,
    workers: WorkersOpt = None,
) -> None:
    """List stories: size, outlets, time span and how the outlets differ most.

    With INPUTS, the articles are analysed (and stored), grouped into stories and each story compared. Without, the stories already in the database are listed (compared from their stored analyses); a database that holds analysed articles but no stories yet (filled by unspin analyze) has them grouped first.

    [bold]Examples[/bold]

      unspin stories examples/ ../more-articles/

      unspin stories --db results.sqlite --min-size 2
    """
    out, err = stdout_console(), stderr_console()
    grouping = group_config(window, join_threshold, grouping_method)
    store = open_store(db, no_store)
    try:
        files = expand_inputs(inputs) if inputs else []
        service = cli_service(store, err, files, workers=workers, grouping=grouping)
        grouped_now = bool(inputs)
        if inputs:
            got = gather(service, files, outlet=outlet_map(outlet, outlets, outlet_folders, inputs, err),
                         max_bytes=max_bytes, quiet=quiet, err=err)
            found = service.group(got.analyses) if got.analyses else []
        else:
            got = Gathered()
            found, got.analyses = service.stored_stories()
            grouped_now = bool(got.analyses)  # stored by `unspin analyze`, not grouped until now
        if grouped_now:
            note_undated(service, got.analyses, err)
        if grouped_now and not inputs:
            err.print(f"grouped the {len(got.analyses)} stored articles into {len(found)} "
                      f"{'story' if len(found) == 1 else 'stories'}")
        found = sorted((s for s in found if len(s.members) >= min_size), key=lambda s: -len(s.members))[
            :limit
        ]
        if not got.analyses:  # stored stories: only the listed ones' analyses
            got.analyses = service.analyses_of(found)
        comparisons = [] if no_compare else service.compare(found, got.analyses)
    finally:
        if store is not None:
            store.close()
    if not found:
        err.print(
            "no stories" + ("" if inputs else " in the database, and no stored articles to group (run unspin analyze, "
                            "unspin report or unspin stories INPUTS)")
        )
    else:
        out.print(stories_table(found, got.analyses, comparisons))
    if inputs:
        err.print(summary_line(got.result))
        raise typer.Exit(exit_code(got.result))
