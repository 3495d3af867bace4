"""``unspin serve``: the web app and REST API (FastAPI under uvicorn)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

import typer

from unspin.cli.app import app


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 for every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    db: Annotated[str | None, typer.Option("--db", metavar="PATH|URL", show_default=False,
                                           help="Database (SQLite path or SQLAlchemy URL); default as for the CLI.")] = None,
    config: Annotated[Path | None, typer.Option("--config", metavar="FILE", show_default=False,
                                                help="TOML config file (see docs/web.md).")] = None,
    seed: Annotated[bool, typer.Option("--seed/--no-seed",
                                       help="Analyse the bundled examples when the database is empty.")] = True,
    watch: Annotated[list[str] | None, typer.Option("--watch", metavar="FEED_URL",
                                                    help="Also watch this feed (repeatable; adds to the config's feeds).")] = None,
    every: Annotated[str | None, typer.Option("--every", metavar="DURATION", help="Feed poll interval, e.g. 60s.")] = None,
) -> None:
    """Serve the web app and the REST API.

    Examples:

      unspin serve                       # http://127.0.0.1:8000, the CLI's database

      UNSPIN_API_TOKEN=s3cret unspin serve --port 8080 --db news.sqlite

      unspin serve --watch https://example.org/rss --every 2m
    """
    import uvicorn

    from unspin.app.service import Unspin
    from unspin.cli.common import configured_pipeline
    from unspin.config import ConfigError, load_config, parse_duration
    from unspin.live.fetch import FetchPolicy
    from unspin.live.seed import find_examples, seed_examples, store_is_empty
    from unspin.live.state import LiveState
    from unspin.live.watch import Watcher
    from unspin.store.db import Store
    from unspin.web.app import create_app

    try:
        cfg = load_config(config)
        if db:
            cfg.db = db
        if every:
            cfg.watch.every = parse_duration(every)
    except ConfigError as exc:
        typer.echo(f"unspin serve: {exc}", err=True)
        raise typer.Exit(2) from None
    cfg.watch.feeds = list(dict.fromkeys([*cfg.watch.feeds, *(watch or [])]))

    store = Store(cfg.db)
    ingestor = Unspin(store, pipeline=configured_pipeline(cfg, "serve"),
               grouping=cfg.group.group_config()).ingestor()
    if seed and cfg.seed_examples and store_is_empty(store):
        folder = find_examples()
        if folder is not None:
            typer.echo(f"First start: analysing the bundled examples in {folder} ...", err=True)
            seed_examples(store, ingestor, folder)
    if not cfg.web.api_token:
        typer.echo("No API token configured (UNSPIN_API_TOKEN): API writes are disabled; the pages work.", err=True)

    stop = threading.Event()
    if cfg.watch.feeds:
        policy = FetchPolicy.from_config(cfg.fetch)
        watcher = Watcher(cfg.watch.feeds, ingestor, LiveState(store.engine), policy,
                          every=cfg.watch.every, max_backoff=cfg.watch.max_backoff)
        threading.Thread(target=watcher.run, args=(stop,), name="unspin-watch", daemon=True).start()
        typer.echo(f"Watching {len(cfg.watch.feeds)} feed(s) every {cfg.watch.every:g} s.", err=True)

    if host in ("0.0.0.0", "::"):
        typer.echo("Listening on every interface: add the names clients use to reach this server to "
                   "web.server_names (UNSPIN_SERVER_NAMES); other Host headers get 400.", err=True)
    web = create_app(cfg, store=store, ingestor=ingestor, served_on=host)
    try:
        uvicorn.run(web, host=host, port=port, log_level="warning")
    finally:
        stop.set()
