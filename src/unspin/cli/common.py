"""Shared pieces of the commands: the options, opening the store, expanding inputs, the
application service as the CLI makes it, the progress bar, one-line errors and the closing
summary."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from unspin.analyse.pipeline import Pipeline
from unspin.batch.runner import BatchItem, BatchResult
from unspin.present.terminal import print_error
from unspin.read.outlets import MAPPING_FILE, OutletMap, from_options
from unspin.store.db import Store, StoreVersionError

if TYPE_CHECKING:
    from unspin.app.service import Gathered, Unspin
    from unspin.group.stories import GroupConfig

# Options shared by several commands, declared once so help texts stay the same.
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="PATH|URL",
        help="Database to store results in: a SQLite file path or a SQLAlchemy URL "
        "(postgresql+psycopg://...). Default: $UNSPIN_DB, else unspin.sqlite in your user data folder.",
        show_default=False,
    ),
]
NoStoreOpt = Annotated[bool, typer.Option("--no-store", help="Do not store anything; just print.")]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print machine-readable JSON (see docs/json-schema.md).")
]
OutletOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--outlet", metavar="[PATH=]NAME",
        help="PATH=NAME: the outlet of a file or folder (repeatable; wins over what the page says). "
        "NAME alone: the outlet of inputs that do not say it.",
    ),
]
OutletsFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--outlets", metavar="FILE", exists=True, dir_okay=False,
        help="Outlet names from a TOML file: [paths] glob = name, [hosts] host = name (see docs/outlets.md). "
        "An outlets.toml inside an input folder is read too.",
    ),
]
OutletFoldersOpt = Annotated[
    bool,
    typer.Option("--outlet-folders", help="Name each article's outlet after its folder: corpus/<outlet>/..."),
]
MaxBytesOpt = Annotated[
    int | None,
    typer.Option(
        "--max-bytes", min=1, metavar="N", show_default=False,
        help="Refuse inputs larger than N bytes (in a corpus file: articles larger than N bytes; corpora are read in chunks).",
    ),
]
WindowOpt = Annotated[
    str | None,
    typer.Option(
        "--window",
        metavar="DURATION",
        help="Story grouping: how far apart in time two articles of one story may be, e.g. 36h or 7d. "
        "Default: window in the config file's group section, else 3d.",
        show_default=False,
    ),
]
JoinThresholdOpt = Annotated[
    float | None,
    typer.Option(
        "--join-threshold",
        min=0.01,
        max=1.0,
        metavar="X",
        help="Story grouping: how alike articles must be to share a story (0-1; higher: smaller, "
        "tighter stories). Batch grouping: the mean same-story probability two groups need to merge "
        "(default batch_threshold in the config file's group section, else the fitted 0.15, 0.2 without the sentence encoder); incremental: the score "
        "an article needs to join a story (default join_threshold there, else 0.45).",
        show_default=False,
    ),
]
GroupingOpt = Annotated[
    str | None,
    typer.Option(
        "--grouping",
        metavar="auto|batch|corpus|incremental",
        help="How articles are grouped into stories: batch compares every pair at once (best, "
        "especially without dates; memory grows with the square of the articles); corpus gives the "
        "same stories from candidate pairs (a time partition, nearest neighbours), for corpora of any "
        "size (docs/grouping.md); incremental places them one at a time, oldest first (what live mode "
        "does). auto: batch up to 4,000 articles, corpus above. "
        "Default: method in the config file's group section, else auto.",
        show_default=False,
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no per-article output.")]
WorkersOpt = Annotated[
    int | None,
    typer.Option(
        "--workers",
        "-w",
        min=1,
        max=64,
        metavar="N",
        help="Analyse N articles at a time in worker processes. They share one copy of the models "
        "and each holds about 0.2 GB of its own; on 2 cores, 2 workers analyse a batch about 1.5x "
        "faster than 1. Default: one per core (at most 4) from 8 articles on, else 1.",
        show_default=False,
    ),
]
InputsArg = Annotated[
    list[str],
    typer.Argument(
        metavar="INPUTS...",
        help="Files, folders, glob patterns or - for standard input: .txt, .html, RSS/Atom feeds, "
        ".jsonl/.csv/.parquet corpora (a 'text', 'body' or 'content' column).",
        show_default=False,
    ),
]

# Documentation files that sit beside articles in a folder (examples/README.md) are not articles.
_NOT_ARTICLES = ("readme", "license", "licence", "changelog", "notice")


def stdout_console() -> Console:
    from unspin.present.terminal import SafeConsole

    return SafeConsole(highlight=False, soft_wrap=False)


def stderr_console() -> Console:
    from unspin.present.terminal import SafeConsole

    return SafeConsole(stderr=True, highlight=False)


def outlet_map(outlet: list[str] | None, outlets: Path | None, folders: bool, inputs: list[str],
               err: Console) -> OutletMap:
    """The outlet options as one ``OutletMap``; a bad mapping file is a usage error (exit 2)."""
    try:
        return from_options(outlet or [], outlets, folders, inputs)
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
        raise typer.Exit(2) from exc


def expand_inputs(inputs: list[str]) -> list[str]:
    """Folders become the files under them (sorted, hidden and README/LICENSE files skipped);
    everything else (files, globs, URLs, -) passes through to the reader unchanged."""
    out: list[str] = []
    for item in inputs:
        path = Path(item)
        if item != "-" and path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and not p.stem.lower().startswith(_NOT_ARTICLES)
                and p.name != MAPPING_FILE  # the folder's outlet names, not an article
            )
            out.extend(str(p) for p in files)
            if not files:
                out.append(item)  # let the reader report the empty folder
        else:
            out.append(item)
    return out


# One article per file: the progress bar can show a total for these.
_SINGLE_ARTICLE_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".xhtml"}


def known_total(files: list[str], limit: int | None = None) -> int | None:
    """How many articles ``files`` hold, when each is one article; None when unknown."""
    if not files or any(Path(f).suffix.lower() not in _SINGLE_ARTICLE_SUFFIXES for f in files):
        return None
    return min(len(files), limit) if limit else len(files)


def resolve_workers(workers: int | None, files: list[str], limit: int | None = None, *, start: bool = True) -> int:
    """``--workers`` as given, else as many as suit how many articles ``files`` hold
    (``parallel.auto_workers``). With more than one, the forkserver starts now (``start``), to
    load the models while this process builds its pipeline."""
    from unspin.batch.parallel import auto_workers, start_early
    from unspin.read.estimate import estimate_records

    if workers is None:
        total = known_total(files, limit)
        if total is None:
            total = estimate_records(files)
            total = min(total, limit) if total is not None and limit else total
        workers = auto_workers(total)
    if start:
        start_early(workers)
    return workers


def open_store(db: str | None, no_store: bool) -> Store | None:
    """The store the command writes to, or None with ``--no-store``. A bad ``--db`` is a usage error."""
    if no_store:
        return None
    try:
        return Store(db)
    except StoreVersionError as exc:
        raise typer.BadParameter(str(exc), param_hint="--db") from None
    except Exception as exc:  # noqa: BLE001 - unknown driver, unreachable server, unwritable path
        raise typer.BadParameter(f"cannot open database: {exc}", param_hint="--db") from None


def configured_pipeline(config, command: str) -> Pipeline:
    """The pipeline of a loaded config's ``[analyse]`` (``serve``, ``watch``); a bad setting
    (an unknown component, missing weights) is one line and exit code 2."""
    from unspin.errors import UnspinError

    try:
        return config.analyse.pipeline()
    except (ValueError, UnspinError) as exc:
        typer.echo(f"unspin {command}: [analyse] in the config file: {exc}", err=True)
        raise typer.Exit(2) from None


def build_pipeline(err: Console) -> Pipeline:
    """The analyse pipeline the config file's ``[analyse]`` describes (else the default), built
    once; a broken installation or setting is reported in one line."""
    from unspin.config import ConfigError, load_config

    try:
        return load_config().analyse.pipeline()
    except ConfigError as exc:
        err.print(Text("config file: ", style="bold red").append(str(exc), style="default"))
        raise typer.Exit(2) from None
    except Exception as exc:  # noqa: BLE001 - missing model package, bad component config
        err.print(
            Text("cannot build the analyse pipeline: ", style="bold red").append(str(exc), style="default")
        )
        raise typer.Exit(1) from None


@contextmanager
def batch_progress(enabled: bool, total: int | None = None, label: str = "analysing") -> Iterator[Callable]:
    """A Rich progress bar on stderr while a batch runs; yields ``advance(item)``.

    Shown only when stderr is a terminal (never in pipes, CI logs or tests). ``total`` None
    gives a running count (corpora and feeds hold an unknown number of articles)."""
    err = stderr_console()
    if not (enabled and err.is_terminal):
        yield lambda item: None
        return
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}", style="dim", markup=False),  # a file name is not markup
        console=err,
        transient=True,
    )
    task = progress.add_task(label, total=total, current="")

    def advance(item: BatchItem) -> None:
        progress.update(task, advance=1, current=Path(item.source).name[:40])

    with progress:
        yield advance


def report_error(item: BatchItem, err: Console) -> None:
    if item.error is not None:
        print_error(item.error, err)


def summary_line(result: BatchResult) -> Text:
    c = result.counts
    line = Text()
    line.append(f"{c['analysed']} analysed", style="bold green" if c["analysed"] else "")
    if c["not_analysed"]:
        line.append(f", {c['not_analysed']} not analysed (language)", style="yellow")
    line.append(f", {c['stored']} stored, {c['skipped']} skipped (already stored), ")
    line.append(f"{c['failed']} failed", style="bold red" if c["failed"] else "")
    return line


def exit_code(result: BatchResult) -> int:
    """0 when every input went through, 1 when any failed (2 is left to usage errors)."""
    return 1 if result.counts["failed"] else 0


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def group_config(window: str | None, join_threshold: float | None, method: str | None = None):
    """The ``GroupConfig`` for ``--window``/``--join-threshold``/``--grouping`` over the config
    file's [group]. ``--join-threshold`` sets the threshold of whichever method groups."""
    from unspin.config import ConfigError, load_config, parse_duration
    from unspin.group.stories import METHODS

    try:
        settings = load_config().group
    except ConfigError as exc:
        raise typer.BadParameter(str(exc), param_hint="config file") from None
    if window is not None:
        try:
            settings.window = parse_duration(window)
        except ConfigError as exc:
            raise typer.BadParameter(str(exc), param_hint="--window") from None
    if method is not None:
        if method not in METHODS:
            raise typer.BadParameter(f"{method!r} is not one of {', '.join(METHODS)}", param_hint="--grouping")
        settings.method = method  # type: ignore[assignment]  # one of METHODS, checked above
    if join_threshold is not None:
        settings.join_threshold = join_threshold
        settings.batch_threshold = join_threshold
    return settings.group_config()


def cli_service(store: Store | None, err: Console, files: list[str], *, workers: int | None = None,
                limit: int | None = None, grouping: GroupConfig | None = None) -> Unspin:
    """The application service for a command: its store, the configured pipeline (built when
    first needed; a broken one is reported in one line), ``--workers`` (else as many as suit
    ``files``, the inputs as ``expand_inputs`` gives them) and the grouping."""
    from unspin.app.service import Unspin

    count = resolve_workers(workers, files, limit) if files else 1
    return Unspin(store, make_pipeline=lambda: build_pipeline(err), workers=count, grouping=grouping)


def gather(service: Unspin, files: list[str], *, outlet: OutletMap | None, max_bytes: int | None,
           quiet: bool, err: Console, total: int | None = None) -> Gathered:
    """``service.gather`` of ``files`` (expanded inputs; none: what is stored) with a progress
    bar (out of ``total`` when known) and each failed input's line on the terminal."""
    with batch_progress(not quiet, total) as advance:

        def on_item(item: BatchItem) -> None:
            advance(item)
            report_error(item, err)

        return service.gather(files, outlet=outlet, max_bytes=max_bytes, on_item=on_item)


def note_undated(service: Unspin, analyses: list, err: Console) -> None:
    """What grouping could not use, as a note on the terminal (``Unspin.undated_note``)."""
    hint = service.undated_note(analyses)
    if hint:
        from rich.markup import escape

        err.print(f"[yellow]note:[/] {escape(hint)}", highlight=False)
