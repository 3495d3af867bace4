"""The FastAPI application: ``create_app(config)`` wires the store, the live state, the
background worker and the routes. ``unspin serve`` runs it under uvicorn."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from unspin import __version__ as unspin_version
from unspin.app.service import Unspin
from unspin.config import Config, load_config
from unspin.live.fetch import FetchPolicy
from unspin.live.ingest import Ingestor
from unspin.live.state import LiveState
from unspin.live.worker import Worker
from unspin.present.html.render import static_dir as report_static_dir
from unspin.store.db import Store
from unspin.web import api, pages
from unspin.web.limits import BodyLimitMiddleware, cap, capped_validation_errors
from unspin.web.render import STATIC, render
from unspin.web.security import SecurityHeadersMiddleware, allowed_hosts
from unspin.web.services import Services, StoryWarmer
from unspin.web.sessions import Sessions

log = logging.getLogger(__name__)


def create_app(
    config: Config | None = None,
    *,
    store: Store | None = None,
    ingestor: Ingestor | None = None,
    start_worker: bool = True,
    served_on: str | None = None,
    warm_on_start: int = 20,
) -> FastAPI:
    """Build the app. ``ingestor`` lets the caller share an already loaded pipeline (``serve``
    seeds the examples with it before the server starts); ``served_on`` is the address it listens
    on, one of the Host names it answers to (with localhost and ``web.server_names``);
    ``warm_on_start``: how many of the most recently updated stories are compared in the
    background when the app starts, so that their first readers do not wait."""
    config = config or load_config()
    store = store or Store(config.db)
    state = LiveState(store.engine)
    policy = FetchPolicy.from_config(config.fetch)
    group = config.group.group_config()
    def make_ingestor() -> Ingestor:  # called in the worker thread, where the models load
        made = Unspin(store, analyse=config.analyse, grouping=group).ingestor()
        made.on_story.append(warmer.notify)
        return made

    worker = Worker(store, state, policy, ingestor_factory=(lambda: ingestor) if ingestor else make_ingestor)
    svc = Services(config=config, store=store, state=state, worker=worker, policy=policy,
                   sessions=Sessions(config.web.api_token))
    # A story that changes is compared again in the background, not by its next reader.
    warmer = svc.warmer = StoryWarmer(svc.warm_story)
    if ingestor is not None:
        ingestor.on_story.append(warmer.notify)  # serve's shared ingestor: its watcher's articles too

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if start_worker:
            worker.start()
        if warm_on_start:
            for story in store.list_stories(limit=warm_on_start):  # the most recently updated
                warmer.notify(story.id)
        try:
            yield
        finally:
            worker.stop()
            warmer.stop()

    app = FastAPI(
        title="unspin",
        version=unspin_version,
        description="How news outlets spin the same story, with evidence: analyses, stories and comparisons.",
        lifespan=lifespan,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # FastAPI's Swagger page loads from a CDN; pages.api_docs draws it here
        redoc_url=None,
    )
    app.state.services = svc
    app.add_middleware(BodyLimitMiddleware, max_bytes=config.web.max_body_bytes)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(served_on, config.web.server_names),
                       www_redirect=False)
    app.add_middleware(SecurityHeadersMiddleware)  # added last: outermost, so even a 400 carries them
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/report-static", StaticFiles(directory=report_static_dir()), name="report-static")
    app.include_router(api.router)
    app.include_router(api.read_router)
    app.include_router(pages.router)
    app.include_router(pages.read_pages)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        # FastAPI's own handler echoes each invalid value whole (a 1.5 MB title, a 1.5 MB reply).
        return JSONResponse({"detail": jsonable_encoder(capped_validation_errors(list(exc.errors())))},
                            status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: HTTPException):
        if isinstance(exc.detail, str):
            exc.detail = cap(exc.detail)
        # The API answers JSON ({"detail": ...}); pages answer a readable HTML page.
        if request.url.path.startswith(("/api/", "/static/", "/report-static/")):
            return await http_exception_handler(request, exc)
        return render(request, "error.html", status_code=exc.status_code, status=exc.status_code, detail=exc.detail)

    return app
