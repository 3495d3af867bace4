"""Server-rendered pages: story list, story (side-by-side), article, outlet, submit, job."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from unspin.present.html.context import MAX_COLUMNS
from unspin.web import queries
from unspin.web.api import ArticleIn, submit, submit_bytes
from unspin.web.auth import (
    COOKIE,
    check_form,
    current_session,
    may_submit,
    require_read,
    same_origin,
    set_session_cookie,
    token_ok,
)
from unspin.web.charts import KIND_TITLES, NOT_CHARTED, outlet_charts
from unspin.web.limits import cap, echo
from unspin.web.render import render
from unspin.web.services import Services, services
from unspin.web.sessions import Session
from unspin.web.views import article_view

router = APIRouter(include_in_schema=False)
read_pages = APIRouter(include_in_schema=False, dependencies=[Depends(require_read)])


def _day(value: str | None, end: bool = False) -> datetime | None:
    """``YYYY-MM-DD`` from a date input -> the start (or end) of that day, UTC."""
    if not value:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise HTTPException(400, f"not a date: {echo(value)} (use YYYY-MM-DD)") from None
    return datetime.combine(day, time.max if end else time.min, tzinfo=UTC)


@read_pages.get("/", response_class=HTMLResponse)
def story_list(
    request: Request,
    svc: Services = Depends(services),
    outlet: str = "",
    since: str = "",
    until: str = "",
    technique: str = "",
    frame: str = "",
    q: str = "",
) -> HTMLResponse:
    filters = queries.StoryFilters(outlet or None, _day(since), _day(until, end=True), technique or None,
                                   frame or None, q.strip() or None)
    stories = queries.list_stories(svc.store, filters, limit=100)
    for s in stories:
        if len(s.articles) > 1:
            s.top_divergence = svc.divergence(s.id)
    form = {"outlet": outlet, "since": since, "until": until, "technique": technique, "frame": frame, "q": q}
    return render(request, "stories.html", stories=stories, form=form, facets=queries.facets(svc.store),
                  filtered=filters.active(), newest=max((s.updated for s in stories if s.updated), default=None))


@read_pages.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(
    request: Request,
    story_id: str,
    svc: Services = Depends(services),
    show: Annotated[list[str] | None, Query(max_length=200)] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """A story's articles side by side: at most four (``show``: the reader's choice, else the most
    different), copies folded under their original, the other articles listed ``page`` by page."""
    version = svc.store.story_version(story_id)
    if version is None:
        raise HTTPException(404, f"no story {echo(story_id)}")
    shown = tuple(dict.fromkeys(show or ()))[:MAX_COLUMNS]

    def render_page() -> str:
        from unspin.present.html.context import build_story_context

        found = svc.story_with_analyses(story_id)
        if found is None:  # removed since the version was read
            raise HTTPException(404, f"no story {echo(story_id)}")
        story, analyses = found
        comparison = svc.comparisons.comparison(story, analyses)
        svc.remember_divergence(comparison, analyses)
        report = build_story_context(comparison, analyses, shown=shown, page=page, others_in_full=False)
        report["choose_url"] = "/stories/" + quote(story_id, safe=":")
        return bytes(render(request, "story.html", story=story, analyses=analyses, report=report).body).decode()

    view = ("story", story_id, shown, page)
    key = ("story", version, shown, page)
    if svc.pages.get(key) is None and svc.warmer is not None and svc.warmer.is_warming(story_id):
        stale = svc.pages.latest(view)
        if stale is not None:  # the story changed and is being compared: readers do not wait for it
            return HTMLResponse(stale, headers={"X-Unspin-Stale": "story is being updated"})
    # Rendered once per version of the story and view, however many readers ask at once.
    html = svc.pages.get_or_compute(key, render_page)
    svc.pages.remember_latest(view, html)
    return HTMLResponse(html)


@read_pages.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, svc: Services = Depends(services)) -> HTMLResponse:
    analysis = svc.store.get_analysis(article_id)
    if analysis is None:
        raise HTTPException(404, f"no analysed article {echo(article_id)}")
    return render(request, "article.html", view=article_view(analysis),
                  story_id=queries.story_of_article(svc.store, article_id))


@read_pages.get("/outlets", response_class=HTMLResponse)
def outlets_page(request: Request, svc: Services = Depends(services)) -> HTMLResponse:
    return render(request, "outlets.html", outlets=queries.list_outlets(svc.store))


@read_pages.get("/outlets/{outlet:path}", response_class=HTMLResponse)  # "AP/Reuters" has a page too
def outlet_page(request: Request, outlet: str, svc: Services = Depends(services)) -> HTMLResponse:
    stats = queries.outlet_stats(svc.store, outlet)
    if stats is None:
        raise HTTPException(404, f"no articles from outlet {echo(outlet)}")
    return render(request, "outlet.html", stats=stats, charts=outlet_charts(stats), titles=KIND_TITLES,
                  hidden=NOT_CHARTED)


@read_pages.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str, svc: Services = Depends(services)) -> HTMLResponse:
    job = svc.state.job(job_id)
    if job is None:
        raise HTTPException(404, f"no job {echo(job_id)}")
    found = queries.job_findings(svc.store, job.article_ids) if job.status == "done" else []
    return render(request, "job.html", job=job, found=found)


def _submit_page(request: Request, svc: Services, *, status_code: int = 200, error: str | None = None,
                 session: Session | None = None, form: dict | None = None) -> HTMLResponse:
    """The submit page. A browser without a session gets one (its CSRF token is in the form);
    recent analyses are listed only to those who may submit."""
    session = session or current_session(request, svc)
    cookie = None
    if session is None:
        session, cookie = svc.sessions.new()
    allowed = may_submit(svc, session)
    response = render(request, "submit.html", status_code=status_code, error=error,
                      form=form or {"mode": "text"},
                      jobs=svc.state.recent_jobs(10) if allowed else [], allowed=allowed,
                      csrf=svc.sessions.csrf(session), token_configured=bool(svc.config.web.api_token))
    if cookie:
        set_session_cookie(response, request, cookie)
    return response


@read_pages.get("/submit", response_class=HTMLResponse)
def submit_form(request: Request, svc: Services = Depends(services)) -> HTMLResponse:
    return _submit_page(request, svc)


@read_pages.post("/submit", response_class=HTMLResponse)
def submit_post(
    request: Request,
    svc: Services = Depends(services),
    mode: Annotated[str, Form()] = "text",
    text: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
    outlet: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    file: UploadFile | None = None,
):
    session = check_form(request, svc, csrf)
    if not may_submit(svc, session):
        raise HTTPException(401, "sign in to analyse articles on this server (it has an API token configured)")
    typed = {"mode": mode if mode in ("text", "file", "url") else "text", "text": text, "title": title,
             "url": url, "outlet": outlet}  # shown again after an error, so nothing typed is lost
    try:
        if mode == "file":
            if file is None or not file.filename:
                raise HTTPException(422, "choose a file to upload")
            job = submit_bytes(svc, file.file.read(), file.filename, outlet or None)
        elif mode == "url":
            job = submit(svc, ArticleIn(url=url.strip() or None, outlet=outlet or None))
        else:
            job = submit(svc, ArticleIn(text=text or None, title=title, outlet=outlet or None))
    except HTTPException as exc:
        return _submit_page(request, svc, status_code=exc.status_code, error=exc.detail, session=session, form=typed)
    except ValidationError as exc:  # ArticleIn: nothing given, a bad URL, a field too long
        return _submit_page(request, svc, status_code=422, session=session, form=typed,
                            error=_form_error(exc, mode))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def _form_error(exc: ValidationError, mode: str) -> str:
    """What a person reads: which field, what is wrong (not pydantic's text and its link)."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    msg = str(first.get("msg", "")).removeprefix("Value error, ")
    if not where:  # the model's own check: nothing was given
        return {"url": "Enter the address of a web page to analyse.",
                "file": "Choose a file to upload."}.get(mode, "Paste the text of an article to analyse.")
    return f"{where.capitalize()}: {cap(msg, 200)}"


@router.get("/api/v1/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The API reference, drawn from the app's own OpenAPI schema (nothing from a CDN)."""
    from unspin.web import apidocs

    schema = request.app.openapi()
    model_list = apidocs.models(schema)
    return render(request, "api_docs.html", info=schema["info"], openapi_version=schema["openapi"],
                  openapi_url=request.app.openapi_url, ops=apidocs.operations(schema), models=model_list,
                  model_names={m.name for m in model_list})


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, svc: Services = Depends(services)) -> HTMLResponse:
    session = current_session(request, svc)
    return render(request, "login.html", error=None, signed_in=bool(session and session.signed_in))


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, token: Annotated[str, Form()], svc: Services = Depends(services)):
    same_origin(request)  # no signing a browser in from another site
    if not token_ok(svc, token):
        return render(request, "login.html", status_code=401, error="that token is not valid", signed_in=False)
    _, cookie = svc.sessions.new(signed_in=True)
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(response, request, cookie)
    return response


@router.post("/logout")
def logout(request: Request) -> RedirectResponse:
    same_origin(request)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
