"""What the live side remembers between runs, in the same database as the store (own tables):

- ``live_feeds``: per feed URL, the ETag / Last-Modified to send next time and the error count
  that drives back-off;
- ``live_seen``: feed items already handled (so a restart never ingests an item twice);
- ``live_jobs``: analyses submitted from the web app or the API, with their progress.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    select,
    update,
)

from unspin.store.db import create_tables, insert_if_new, write_transaction

metadata = MetaData()

live_feeds = Table(
    "live_feeds",
    metadata,
    Column("url", String(2048), primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("failures", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("last_checked", DateTime(timezone=True)),
    Column("last_changed", DateTime(timezone=True)),
)

live_seen = Table(
    "live_seen",
    metadata,
    Column("feed_url", String(2048), primary_key=True),
    Column("item_id", String(2048), primary_key=True),
    Column("article_id", String(64)),  # None when the item could not be read
    Column("status", String(16), nullable=False),  # ingested | failed
    Column("reason", Text, nullable=False, default=""),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

live_jobs = Table(
    "live_jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(16), nullable=False),  # text | file | url
    Column("label", Text, nullable=False, default=""),  # what the user submitted, short
    Column("payload", JSON, nullable=False),
    Column("status", String(16), nullable=False),  # queued | running | done | failed
    Column("stage", String(32), nullable=False, default=""),
    Column("progress", Float, nullable=False, default=0.0),
    Column("error", Text, nullable=False, default=""),
    Column("article_ids", JSON, nullable=False, default=list),
    Column("story_ids", JSON, nullable=False, default=list),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("updated", DateTime(timezone=True), nullable=False),
)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class FeedState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    last_error: str | None = None


@dataclass
class Job:
    id: str
    kind: str
    label: str
    payload: dict[str, Any]
    status: str
    stage: str
    progress: float
    error: str
    article_ids: list[str]
    story_ids: list[str]
    created: datetime
    updated: datetime

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")


class LiveState:
    """Feed, seen-item and job records on ``engine`` (the store's engine)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        create_tables(metadata, engine)

    # -- feeds ---------------------------------------------------------------------------------
    def feed(self, url: str) -> FeedState:
        with self.engine.connect() as conn:
            row = conn.execute(select(live_feeds).where(live_feeds.c.url == url)).first()
        if row is None:
            return FeedState(url=url)
        return FeedState(url, row.etag, row.last_modified, row.failures, row.last_error)

    def save_feed(self, state: FeedState, *, changed: bool = False) -> None:
        values: dict[str, Any] = dict(
            etag=state.etag,
            last_modified=state.last_modified,
            failures=state.failures,
            last_error=state.last_error,
            last_checked=_now(),
        )
        if changed:
            values["last_changed"] = values["last_checked"]
        with write_transaction(self.engine) as conn:
            if not insert_if_new(conn, live_feeds, {"url": state.url, **values}):
                conn.execute(update(live_feeds).where(live_feeds.c.url == state.url).values(**values))

    # -- seen items ----------------------------------------------------------------------------
    def seen(self, feed_url: str, item_ids: list[str]) -> set[str]:
        if not item_ids:
            return set()
        q = select(live_seen.c.item_id).where(live_seen.c.feed_url == feed_url, live_seen.c.item_id.in_(item_ids))
        with self.engine.connect() as conn:
            return {r.item_id for r in conn.execute(q)}

    def mark_seen(self, feed_url: str, item_id: str, *, article_id: str | None, status: str, reason: str = "") -> None:
        # another watcher on the same database may have got there first: its record stays
        with self.engine.begin() as conn:
            insert_if_new(conn, live_seen, dict(feed_url=feed_url, item_id=item_id, article_id=article_id,
                                                status=status, reason=reason, seen_at=_now()))

    # -- jobs ----------------------------------------------------------------------------------
    def create_job(self, kind: str, label: str, payload: dict[str, Any]) -> Job:
        now = _now()
        job_id = uuid.uuid4().hex
        with self.engine.begin() as conn:
            conn.execute(
                insert(live_jobs).values(
                    id=job_id, kind=kind, label=label[:300], payload=payload, status="queued", stage="queued",
                    progress=0.0, error="", article_ids=[], story_ids=[], created=now, updated=now,
                )
            )
        job = self.job(job_id)
        assert job is not None
        return job

    def job(self, job_id: str) -> Job | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(live_jobs).where(live_jobs.c.id == job_id)).first()
        return _job(row) if row else None

    def update_job(self, job_id: str, **values: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(live_jobs).where(live_jobs.c.id == job_id).values(updated=_now(), **values))

    def unfinished_jobs(self) -> list[Job]:
        q = select(live_jobs).where(live_jobs.c.status.in_(["queued", "running"])).order_by(live_jobs.c.created)
        with self.engine.connect() as conn:
            return [_job(r) for r in conn.execute(q)]

    def recent_jobs(self, limit: int = 20) -> list[Job]:
        q = select(live_jobs).order_by(live_jobs.c.created.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [_job(r) for r in conn.execute(q)]


def _job(row: Any) -> Job:
    return Job(
        id=row.id, kind=row.kind, label=row.label, payload=row.payload, status=row.status, stage=row.stage,
        progress=row.progress, error=row.error, article_ids=list(row.article_ids or []),
        story_ids=list(row.story_ids or []), created=row.created, updated=row.updated,
    )
