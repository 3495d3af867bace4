"""``unspin report``: read -> clean -> analyse -> group into stories -> compare -> one report file.

The grouping and comparing steps are plain functions here (``group_stories``,
``compare_stories``, ``gather``) because ``unspin stories`` runs the same steps to list stories.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.console import Console

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
    stderr_console,
    summary_line,
)
from unspin.read.outlets import OutletMap
from unspin.store.db import Store
from unspin.types import Analysis, Comparison, ItemFailure, Story

if TYPE_CHECKING:
    from unspin.group.stories import GroupConfig

Format = Literal["html", "md", "json"]
_SUFFIX_FORMAT = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".json": "json"}


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
    workers: int = 1,
) -> Gathered:
    """Analyse ``inputs`` (stored ones are loaded, not re-analysed); with no inputs, every
    analysis already in the store."""
    out = Gathered()
    if not inputs:
        if store is not None:
            out.analyses = list(store.iter_analyses())
        return out
    pipeline = build_pipeline(err)
    with batch_progress(not quiet) as advance:
        for item in iter_batch(
            expand_inputs(inputs), pipeline=pipeline, store=store, outlet=outlet, max_bytes=max_bytes,
            workers=workers,
        ):
            add_to_result(out.result, item)
            advance(item)
            report_error(item, err)
    unique = {a.article.id: a for a in out.result.analyses}  # the same text given twice counts once
    out.analyses = list(unique.values())
    out.errors = list(out.result.errors)
    return out


def _arrival_key(indexed: tuple[int, Analysis]) -> tuple[int, datetime | float, int]:
    i, a = indexed
    published = a.article.published
    if published is None:
        return (1, 0.0, i)  # undated articles after dated ones, in input order
    return (0, published.timestamp() if published.tzinfo else published.replace(tzinfo=None).timestamp(), i)


def group_stories(analyses: Iterable[Analysis], config: GroupConfig | None = None) -> list[Story]:
    """Group analysed articles into stories. Up to ``batch_max_articles`` articles every pair is
    compared at once (``group.batch``); above, the same stories come in two phases whose cost
    grows with the corpus (``group.corpus``); "incremental" places them oldest first, as live mode
    does. Articles that were not analysed are left out."""
    from unspin.group.stories import GroupConfig, StoryGrouper  # the group stage loads its encoder lazily

    config = config or GroupConfig()
    usable = [a for _, a in sorted(enumerate(a for a in analyses if a.status == "analysed"), key=_arrival_key)]
    if config.uses_batch(len(usable)):
        from unspin.group.batch import BatchConfig, BatchGrouper

        return BatchGrouper(BatchConfig.from_group(config)).group(usable)
    if config.uses_corpus(len(usable)):
        from unspin.group.batch import BatchConfig
        from unspin.group.corpus import CorpusGrouper

        return CorpusGrouper(BatchConfig.from_group(config)).group(usable)
    grouper = StoryGrouper(config)
    for a in usable:
        grouper.add(a)
    return grouper.stories()


# An undated batch at least this big, most of it undated, gets a note: without dates, articles
# on one wider topic join more often across events (docs/grouping.md has the figures).
UNDATED_CORPUS = 50


def undated_hint(analyses: Iterable[Analysis], config: GroupConfig | None) -> str | None:
    """A note for a large, mostly undated batch: what grouping could and could not use."""
    from unspin.group.stories import GroupConfig

    config = config or GroupConfig()
    usable = [a for a in analyses if a.status == "analysed"]
    undated = sum(1 for a in usable if a.article.published is None)
    if undated < UNDATED_CORPUS or undated * 2 < len(usable):
        return None
    n = len(usable)
    how = ("every pair of articles was compared on what they say" if config.uses_batch(n) else
           "each article was compared with its nearest articles on what they say" if config.uses_corpus(n) else
           "the articles were grouped one at a time")
    # No stricter threshold is advised: an independent evaluation found 0.7 worse than the default.
    return (f"{undated} of {len(usable)} articles have no publication date, so {how}, without time to "
            "tell one event from the next on the same topic. Give dates where you have them (a "
            "'published' column, the pages' own metadata) and check big stories by hand.")


def note_undated(analyses: Iterable[Analysis], config: GroupConfig | None, err: Console) -> None:
    hint = undated_hint(analyses, config)
    if hint:
        from rich.markup import escape

        err.print(f"[yellow]note:[/] {escape(hint)}", highlight=False)


def compare_stories(
    stories: Iterable[Story], analyses: Iterable[Analysis], *, singles: bool = False
) -> list[Comparison]:
    """One ``Comparison`` per story with two or more analysed articles; with ``singles``, also
    per one-article story (its headline checked against its own body)."""
    from unspin.compare import compare

    by_id = {a.article.id: a for a in analyses}
    out = []
    for story in stories:
        members = [by_id[i] for i in story.article_ids if i in by_id]
        if len(members) > 1 or (singles and members):
            out.append(compare(members, story))
    return out


def _format_for(output: str, fmt: Format | None) -> Format:
    if fmt is not None:
        return fmt
    return _SUFFIX_FORMAT.get(Path(output).suffix.lower(), "html")  # type: ignore[return-value]


def render(
    fmt: Format, comparisons: list[Comparison], analyses: list[Analysis], errors: list[ItemFailure], title: str
) -> str:
    if fmt == "md":
        from unspin.present.markdown import render_markdown

        return render_markdown(comparisons, analyses, errors, title=title)
    if fmt == "json":
        from unspin.present.jsonout import comparison_to_json, dumps
        from unspin.types import SCHEMA_VERSION

        by_id = {a.article.id: a for a in analyses}
        doc = {
            "schema_version": SCHEMA_VERSION,
            "comparisons": [
                comparison_to_json(c, members)
                for c in comparisons
                # Stories of two or more articles: the document compares outlets.
                if len(members := [by_id[i] for i in c.story.article_ids if i in by_id]) > 1
            ],
            "errors": [e.model_dump(mode="json") for e in errors],
        }
        return dumps(doc, indent=2) + "\n"
    from unspin.present.html import render_report

    return render_report(comparisons, analyses, errors, title=title)


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
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="html (one self-contained file), md (Markdown) or json "
            "(the comparisons). Default: from the --output suffix, else html.",
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
    workers: WorkersOpt = 1,
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
    fmt_used = _format_for(output, fmt)
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

    text = render(fmt_used, comparisons, got.analyses, got.errors, title)
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
