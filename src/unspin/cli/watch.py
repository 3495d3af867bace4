"""``unspin watch``: follow RSS/Atom feeds and analyse every new item as it is published."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated

import typer

from unspin.cli.app import app


@app.command()
def watch(
    feeds: Annotated[list[str] | None, typer.Argument(metavar="FEED_URL...", show_default=False,
                                                      help="RSS/Atom feed URLs (added to the config file's feeds).")] = None,
    every: Annotated[str | None, typer.Option("--every", metavar="DURATION",
                                              help="Poll interval per feed, e.g. 30s, 5m (default 5m or the config's).")] = None,
    db: Annotated[str | None, typer.Option("--db", metavar="PATH|URL", show_default=False,
                                           help="Database (SQLite path or SQLAlchemy URL); default as for the CLI.")] = None,
    config: Annotated[Path | None, typer.Option("--config", metavar="FILE", show_default=False,
                                                help="TOML config file (see docs/web.md).")] = None,
    allow_host: Annotated[list[str] | None, typer.Option("--allow-host", metavar="HOST|CIDR",
                                                         help="Fetch from this private/loopback host anyway (repeatable).")] = None,
    once: Annotated[bool, typer.Option("--once", help="Poll every feed once, then exit.")] = False,
) -> None:
    """Poll feeds, fetch each new item's page, analyse it and add it to its story.

    Conditional requests (ETag / Last-Modified), back-off on errors, and items already seen are
    skipped across restarts (the state lives in the database). Private and loopback addresses are
    refused unless allowed with --allow-host.

    Examples:

      unspin watch https://example.org/world/rss --every 2m

      unspin watch --once --db news.sqlite https://example.org/rss https://example.com/atom.xml
    """
    from unspin.app.service import Unspin
    from unspin.cli.common import configured_pipeline
    from unspin.config import ConfigError, load_config, parse_duration
    from unspin.live.fetch import FetchPolicy
    from unspin.live.state import LiveState
    from unspin.live.watch import PollResult, Watcher
    from unspin.store.db import Store

    try:
        cfg = load_config(config)
        if every:
            cfg.watch.every = parse_duration(every)
    except ConfigError as exc:
        typer.echo(f"unspin watch: {exc}", err=True)
        raise typer.Exit(2) from None
    urls = list(dict.fromkeys([*(feeds or []), *cfg.watch.feeds]))
    if not urls:
        typer.echo("unspin watch: give at least one FEED_URL (or [watch] feeds in the config file)", err=True)
        raise typer.Exit(2)
    cfg.fetch.allow_hosts = [*cfg.fetch.allow_hosts, *(allow_host or [])]
    store = Store(db or cfg.db)
    failures = articles = 0

    def report(result: PollResult) -> None:
        nonlocal failures, articles
        articles += len(result.ingested)
        for item in result.ingested:
            typer.echo(f"+ {result.feed_url}: article {item.article_id[:12]} -> story {(item.story_id or '-')[:12]}")
        for error in result.errors:
            failures += 1
            typer.echo(f"! {result.feed_url}: {error}", err=True)

    ingestor = Unspin(store, pipeline=configured_pipeline(cfg, "watch"),
               grouping=cfg.group.group_config()).ingestor()
    watcher = Watcher(urls, ingestor, LiveState(store.engine), FetchPolicy.from_config(cfg.fetch),
                      every=cfg.watch.every, max_backoff=cfg.watch.max_backoff, on_result=report)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    if once:
        typer.echo(f"Polling {len(urls)} feed(s) once.", err=True)
    else:
        typer.echo(f"Watching {len(urls)} feed(s) every {cfg.watch.every:g} s (Ctrl-C to stop).", err=True)
    watcher.run(stop, rounds=1 if once else None)
    store.close()
    if once:
        typer.echo(f"Done: {len(urls)} feed(s) polled, {articles} new article(s), {failures} failure(s).", err=True)
    if once and failures:
        raise typer.Exit(1)
