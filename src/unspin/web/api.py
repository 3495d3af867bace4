"""REST API under ``/api/v1``: submit articles (token), follow jobs, read analyses, stories and
comparisons. FastAPI publishes the OpenAPI schema at ``/api/v1/openapi.json``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field, model_validator

from unspin.live.fetch import FetchError, check_url
from unspin.live.inputs import article_from_html, article_from_text, articles_from_bytes
from unspin.live.state import Job
from unspin.read.errors import ReadFailure
from unspin.types import Analysis, Comparison, Story
from unspin.web import queries
from unspin.web.auth import require_read, require_write
from unspin.web.limits import echo
from unspin.web.services import Services, services

router = APIRouter(prefix="/api/v1", tags=["api"])
read_router = APIRouter(prefix="/api/v1", tags=["api"], dependencies=[Depends(require_read)])


class ArticleIn(BaseModel):
    """One article to analyse: exactly one of ``text``, ``html`` or ``url``."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(default=None, description="Plain text; a first line that looks like a headline is the title")
    html: str | None = Field(default=None, description="A saved HTML page; the article is extracted from it")
    url: str | None = Field(default=None, description="An http(s) page to fetch and extract (public hosts only)")
    title: str = Field(default="", max_length=1000, description="Title for plain text, when not its first line")
    outlet: str | None = Field(default=None, max_length=256)

    @model_validator(mode="after")
    def _exactly_one(self) -> ArticleIn:
        given = [k for k in ("text", "html", "url") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError("give exactly one of text, html or url")
        return self


class JobOut(BaseModel):
    id: str
    kind: str
    label: str
    status: str = Field(description="queued | running | done | failed")
    stage: str
    progress: float
    error: str
    article_ids: list[str]
    story_ids: list[str]
    created: datetime
    updated: datetime
    links: dict[str, str]

    @classmethod
    def of(cls, job: Job) -> JobOut:
        data = {k: getattr(job, k) for k in cls.model_fields if k != "links"}
        return cls(**data, links={"self": f"/api/v1/jobs/{job.id}", "page": f"/jobs/{job.id}"})


class ArticleSummaryOut(BaseModel):
    id: str
    title: str
    outlet: str | None
    url: str | None
    published: datetime | None
    relation: str


class StorySummaryOut(BaseModel):
    id: str
    title: str
    first_seen: datetime | None = Field(description="earliest publication date of its articles; null: undated")
    last_seen: datetime | None = Field(description="latest publication date of its articles; null: undated")
    updated: datetime | None = Field(description="when an article of it last arrived (not a publication date)")
    outlets: list[str]
    articles: list[ArticleSummaryOut]
    techniques: list[tuple[str, int]]
    frames: list[tuple[str, int]]


class OutletOut(BaseModel):
    name: str
    articles: int


def _story_summary(s: queries.StorySummary) -> StorySummaryOut:
    return StorySummaryOut(
        id=s.id, title=s.title, first_seen=s.first_seen, last_seen=s.last_seen, updated=s.updated, outlets=s.outlets,
        articles=[ArticleSummaryOut(**vars(a)) for a in s.articles], techniques=s.techniques, frames=s.frames,
    )


def _require_json(request: Request) -> None:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        raise HTTPException(
            415, f"send the article as JSON (Content-Type: application/json), not {media or 'no content type'}; "
            "files go to /api/v1/articles/file as multipart/form-data",
        )


def _require_multipart(request: Request) -> None:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "multipart/form-data":
        raise HTTPException(415, f"upload the file as multipart/form-data, not {media or 'no content type'}")


@router.post("/articles", status_code=202, response_model=JobOut,
             dependencies=[Depends(require_write), Depends(_require_json)],
             responses={401: {}, 403: {}, 413: {}, 415: {}, 422: {}})
def submit_article(body: ArticleIn, svc: Services = Depends(services)) -> JobOut:
    """Queue one article for analysis; poll the returned job until ``status`` is ``done``."""
    return JobOut.of(submit(svc, body))


def submit(svc: Services, body: ArticleIn) -> Job:
    """Validate now (so bad input is a 4xx, not a failed job), analyse later in the worker."""
    try:
        if body.url:
            check_url(body.url, svc.policy)
            return svc.worker.submit_url(body.url, outlet=body.outlet)
        if body.html:
            article = article_from_html(body.html, source="api:html", outlet=body.outlet)
        else:
            article = article_from_text(body.text or "", source="api:text", title=body.title, outlet=body.outlet)
    except (ReadFailure, FetchError) as exc:
        raise HTTPException(422, exc.reason) from None
    return svc.worker.submit_articles([article], label=article.title_text or article.original[:80])


@router.post("/articles/file", status_code=202, response_model=JobOut,
             dependencies=[Depends(require_write), Depends(_require_multipart)],
             responses={401: {}, 403: {}, 413: {}, 415: {}, 422: {}})
def submit_file(
    file: Annotated[UploadFile, File(description="Text, HTML, RSS/Atom, JSONL, CSV or Parquet")],
    outlet: Annotated[str | None, Form()] = None,
    svc: Services = Depends(services),
) -> JobOut:
    """Queue the article(s) in an uploaded file for analysis."""
    return JobOut.of(submit_bytes(svc, file.file.read(), file.filename or "upload", outlet))


def submit_bytes(svc: Services, data: bytes, filename: str, outlet: str | None) -> Job:
    try:
        articles = articles_from_bytes(data, source=f"upload:{filename}", filename=filename,
                                       outlet=outlet or None, max_bytes=svc.config.web.max_body_bytes)
    except ReadFailure as exc:
        raise HTTPException(422, exc.reason) from None
    return svc.worker.submit_articles(articles, label=filename)


@read_router.get("/jobs/{job_id}", response_model=JobOut, responses={404: {}})
def get_job(job_id: str, svc: Services = Depends(services)) -> JobOut:
    job = svc.state.job(job_id)
    if job is None:
        raise HTTPException(404, f"no job {echo(job_id)}")
    return JobOut.of(job)


@read_router.get("/articles/{article_id}", response_model=Analysis, responses={404: {}})
def get_analysis(article_id: str, svc: Services = Depends(services)) -> Analysis:
    """The article with everything found in it; every finding's span indexes ``article.original``."""
    analysis = svc.store.get_analysis(article_id)
    if analysis is None:
        raise HTTPException(404, f"no analysed article {echo(article_id)}")
    return analysis


@read_router.get("/stories", response_model=list[StorySummaryOut])
def list_stories(
    svc: Services = Depends(services),
    outlet: str | None = None,
    since: datetime | None = Query(None, description="stories updated at or after (ISO 8601)"),
    until: datetime | None = Query(None, description="stories that began at or before (ISO 8601)"),
    technique: str | None = None,
    frame: str | None = None,
    q: str | None = Query(None, max_length=200, description="words in a title or article text"),
    limit: int = Query(50, ge=1, le=queries.MAX_PAGE),
    offset: int = Query(0, ge=0),
) -> list[StorySummaryOut]:
    """Stories, most recently updated first."""
    filters = queries.StoryFilters(outlet, since, until, technique, frame, q)
    return [_story_summary(s) for s in queries.list_stories(svc.store, filters, limit=limit, offset=offset)]


@read_router.get("/stories/{story_id}", response_model=Story, responses={404: {}})
def get_story(story_id: str, svc: Services = Depends(services)) -> Story:
    story = svc.store.get_story(story_id)
    if story is None:
        raise HTTPException(404, f"no story {echo(story_id)}")
    return story


@read_router.get("/stories/{story_id}/comparison", response_model=Comparison, responses={404: {}})
def get_comparison(story_id: str, svc: Services = Depends(services)) -> Comparison:
    """How the story's articles differ; each finding names its article and span."""
    found = svc.story_with_analyses(story_id)
    if found is None:
        raise HTTPException(404, f"no story {echo(story_id)}")
    return svc.comparisons.comparison(*found)


@read_router.get("/outlets", response_model=list[OutletOut])
def list_outlets(svc: Services = Depends(services)) -> list[OutletOut]:
    return [OutletOut(name=n, articles=c) for n, c in queries.list_outlets(svc.store)]


@router.get("/health")
def health(svc: Services = Depends(services)) -> dict[str, object]:
    return {"status": "ok", "counts": svc.store.counts()}
