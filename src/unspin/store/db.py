"""The store: articles, analyses, findings, errors and stories in one SQL database.

SQLite file in the user's data folder by default (``UNSPIN_DB`` or ``--db`` override it; a plain
path means a SQLite file, anything with ``://`` is a SQLAlchemy URL such as
``postgresql+psycopg://user@host/unspin``). Articles are keyed by content hash, so reading the
same article twice stores it once; an analysis is replaced only when the pipeline that made it
changed (its *signature*). Each article is written in its own transaction: a failure later in a
batch never loses what was already stored.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from sqlalchemy import (
    Connection,
    Engine,
    MetaData,
    Table,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url

from unspin.errors import UnspinError
from unspin.store import tables as t
from unspin.types import Analysis, Article, Finding, ItemFailure, Story, StoryMember

ENV_VAR = "UNSPIN_DB"


class StoreVersionError(UnspinError, RuntimeError):
    """The database was written by a newer unspin than this one."""


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("unspin")) / "unspin.sqlite"


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """``--db`` value -> SQLAlchemy URL. None: ``$UNSPIN_DB``, else the user data folder file."""
    value = os.fspath(db) if db is not None else os.environ.get(ENV_VAR) or str(default_db_path())
    if "://" in value:
        return value
    if value == ":memory:":
        return "sqlite://"
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def signature_of(components: Iterable[str]) -> str:
    """Pipeline signature: the ``name@version`` of each component, in order."""
    return ",".join(components)


def _now() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """A time read from the store, with its zone: SQLite hands stored UTC times back without one."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL: readers (the web app) never block the writer; foreign keys are off by default in SQLite.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=10000")
    # Switching a fresh file to WAL needs it to itself, and SQLite answers "locked" at once rather
    # than wait when another process is opening the same file: try again for a few seconds.
    for attempt in range(20):
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or attempt == 19:
                raise
            time.sleep(min(0.05 * (attempt + 1), 0.5))
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


# Any fixed number: the key of PostgreSQL's transaction-level advisory lock for schema changes.
_SCHEMA_LOCK = 0x756E7370696E  # "unspin"


@contextmanager
def write_transaction(engine: Engine, *, schema: bool = False) -> Iterator[Connection]:
    """A transaction for a writer among others. On SQLite it holds the write lock from its first
    statement (BEGIN IMMEDIATE): a default transaction that read before writing fails with "locked"
    or a duplicate key when another process wrote in between, instead of waiting its turn.

    ``schema``: set up tables alone (a PostgreSQL advisory lock; SQLite's write lock already is
    one). Processes opening one fresh database together (``unspin serve`` and ``unspin watch``,
    batch workers) then create it one after the other instead of colliding on the catalogue."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif schema and engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
        try:
            yield conn
            conn.commit()
        except BaseException:
            conn.rollback()
            raise


def schema_transaction(engine: Engine) -> AbstractContextManager[Connection]:
    return write_transaction(engine, schema=True)


def insert_if_new(conn: Connection, table: Table, values: dict[str, Any]) -> bool:
    """INSERT that leaves an existing row with the same primary key alone, without an error even
    when another writer inserts it at the same moment. True when this call inserted the row."""
    dialect_insert = {"postgresql": pg_insert, "sqlite": sqlite_insert}.get(conn.dialect.name)
    if dialect_insert is None:  # another database: check first (racy, but correct alone)
        key = [table.c[c.name] == values[c.name] for c in table.primary_key]
        if conn.execute(select(*table.primary_key).where(*key)).first() is not None:
            return False
        conn.execute(insert(table).values(**values))
        return True
    statement = dialect_insert(table).values(**values).on_conflict_do_nothing()  # type: ignore[attr-defined]
    return conn.execute(statement).rowcount == 1


def create_tables(metadata: MetaData, engine: Engine) -> None:
    with schema_transaction(engine) as conn:
        metadata.create_all(conn)


class Store:
    """SQL store for everything unspin produces. Use as a context manager or call ``close()``."""

    def __init__(self, url: str | os.PathLike[str] | None = None) -> None:
        self.url = resolve_url(url)
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(self.url)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._open_schema()

    # -- lifecycle -----------------------------------------------------------------------------
    def _open_schema(self) -> None:
        from unspin.store.migrations import migrate

        with schema_transaction(self.engine) as conn:
            t.metadata.create_all(conn)
            row = conn.execute(
                select(t.store_meta.c.value).where(t.store_meta.c.key == "schema_version")
            ).first()
            if row is None:
                conn.execute(
                    insert(t.store_meta).values(key="schema_version", value=str(t.STORE_SCHEMA_VERSION))
                )
                return
            found = int(row.value)
            if found > t.STORE_SCHEMA_VERSION:
                raise StoreVersionError(
                    f"database {self.url} has store schema {found}, newer than this unspin "
                    f"({t.STORE_SCHEMA_VERSION}); upgrade unspin or use another --db"
                )
            if found < t.STORE_SCHEMA_VERSION:
                migrate(conn, found, t.STORE_SCHEMA_VERSION)
                conn.execute(
                    update(t.store_meta)
                    .where(t.store_meta.c.key == "schema_version")
                    .values(value=str(t.STORE_SCHEMA_VERSION))
                )

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    select(t.store_meta.c.value).where(t.store_meta.c.key == "schema_version")
                ).scalar_one()
            )

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({make_url(self.url).render_as_string(hide_password=True)!r})"

    # -- articles and analyses -------------------------------------------------------------------
    def _insert_article_if_new(self, conn: Connection, art: Article) -> bool:
        """Store the article unless it is there, then hold its row until the transaction ends:
        writers of one article (batch workers, ``watch``, the web app) take turns."""
        new = insert_if_new(conn, t.articles, {
            "id": art.id, "source": art.source, "format": art.format, "outlet": art.outlet,
            "url": art.url, "title": art.title_text or None, "published": art.published,
            "language": art.language, "original": art.original, "meta": art.meta, "first_seen": _now(),
        })
        conn.execute(select(t.articles.c.id).where(t.articles.c.id == art.id).with_for_update())
        return new

    def save_analysis(self, analysis: Analysis, signature: str | None = None) -> bool:
        """Store the article (once) and its analysis, in one transaction.

        Returns True when something was written (new article or a different pipeline signature),
        False when this article was already analysed by the same pipeline (nothing changes).
        """
        sig = signature if signature is not None else signature_of(analysis.components)
        art = analysis.article
        with write_transaction(self.engine) as conn:
            self._insert_article_if_new(conn, art)
            row = conn.execute(
                select(t.analyses.c.signature).where(t.analyses.c.article_id == art.id)
            ).first()
            if row is not None and row.signature == sig:
                return False
            values = {
                "signature": sig,
                "status": analysis.status,
                "status_reason": analysis.status_reason,
                # The original text is stored once, in ``articles``.
                "analysis": analysis.model_dump(mode="json", exclude={"article": {"original"}}),
                "created": _now(),
            }
            if row is None:
                conn.execute(insert(t.analyses).values(article_id=art.id, **values))
            else:
                conn.execute(update(t.analyses).where(t.analyses.c.article_id == art.id).values(**values))
                conn.execute(delete(t.findings).where(t.findings.c.article_id == art.id))
            rows = [_finding_row(art.id, f) for f in [*art.removed, *analysis.findings]]
            if rows:
                conn.execute(insert(t.findings), rows)
        return True

    def has_analysis(self, article_id: str, signature: str | None = None) -> bool:
        """Is this article analysed (by the pipeline with ``signature``, when given)?"""
        q = select(t.analyses.c.signature).where(t.analyses.c.article_id == article_id)
        with self.engine.connect() as conn:
            row = conn.execute(q).first()
        return row is not None and (signature is None or row.signature == signature)

    def get_analysis(self, article_id: str) -> Analysis | None:
        q = (
            select(t.analyses.c.analysis, t.articles.c.original)
            .join(t.articles, t.articles.c.id == t.analyses.c.article_id)
            .where(t.analyses.c.article_id == article_id)
        )
        with self.engine.connect() as conn:
            row = conn.execute(q).first()
        return _analysis_from_row(row.analysis, row.original) if row else None

    def iter_analyses(
        self,
        *,
        status: str | None = None,
        ids: Iterable[str] | None = None,
        limit: int | None = None,
        batch_size: int = 200,
    ) -> Iterator[Analysis]:
        """Stored analyses, oldest first; filter by status or article ids."""
        q = (
            select(t.analyses.c.analysis, t.articles.c.original)
            .join(t.articles, t.articles.c.id == t.analyses.c.article_id)
            .order_by(t.analyses.c.created, t.analyses.c.article_id)
        )
        if status is not None:
            q = q.where(t.analyses.c.status == status)
        if ids is not None:
            q = q.where(t.analyses.c.article_id.in_(list(ids)))
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=batch_size).execute(q):
                yield _analysis_from_row(row.analysis, row.original)

    def get_article(self, article_id: str) -> Article | None:
        """The article as stored with its latest analysis (cleaned), else as first read."""
        analysis = self.get_analysis(article_id)
        if analysis is not None:
            return analysis.article
        with self.engine.connect() as conn:
            row = conn.execute(select(t.articles).where(t.articles.c.id == article_id)).first()
        if row is None:
            return None
        return Article(
            id=row.id,
            original=row.original,
            source=row.source,
            format=row.format,
            outlet=row.outlet,
            url=row.url,
            published=row.published,
            language=row.language,
            meta=row.meta or {},
        )

    def find_findings(
        self,
        *,
        kind: str | None = None,
        label: str | None = None,
        article_id: str | None = None,
        limit: int | None = None,
    ) -> list[Finding]:
        """Findings across articles, e.g. every ``term`` with label ``kiev``."""
        q = select(t.findings).order_by(t.findings.c.id)
        if kind is not None:
            q = q.where(t.findings.c.kind == kind)
        if label is not None:
            q = q.where(t.findings.c.label == label)
        if article_id is not None:
            q = q.where(t.findings.c.article_id == article_id)
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [
                Finding(
                    kind=r.kind,
                    label=r.label,
                    start=r.start,
                    end=r.end,
                    text=r.text,
                    confidence=r.confidence,
                    source=r.source,
                    explanation=r.explanation,
                    article_id=r.article_id,
                    attrs=r.attrs or {},
                )
                for r in conn.execute(q)
            ]

    # -- errors --------------------------------------------------------------------------------
    def record_error(self, error: ItemFailure) -> bool:
        """Record why an input failed, once: the same failure again (a rerun, a resumed batch) adds
        nothing. True when it was new."""
        same = (t.errors.c.source == error.source, t.errors.c.stage == error.stage,
                t.errors.c.reason == error.reason)
        with write_transaction(self.engine) as conn:
            if conn.dialect.name == "postgresql":  # two writers recording one failure take turns
                conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                             {"key": f"unspin-error|{error.source}"})
            if conn.execute(select(t.errors.c.id).where(*same).limit(1)).first() is not None:
                return False
            conn.execute(insert(t.errors).values(source=error.source, stage=error.stage,
                                                 reason=error.reason, at=_now()))
        return True

    def list_errors(self, limit: int | None = None) -> list[ItemFailure]:
        q = select(t.errors).order_by(t.errors.c.id.desc() if limit else t.errors.c.id)
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            rows = list(conn.execute(q))
        if limit is not None:
            rows.reverse()  # the latest ``limit`` errors, oldest first
        return [ItemFailure(source=r.source, stage=r.stage, reason=r.reason) for r in rows]

    # -- stories -------------------------------------------------------------------------------
    def save_story(self, story: Story) -> None:
        """Insert or replace a story and its members; ``story.updated`` is set to now if unset."""
        story.updated = story.updated or _now()
        with write_transaction(self.engine) as conn:
            values = {"title": story.title, "first_seen": story.first_seen, "last_seen": story.last_seen,
                      "updated": story.updated}
            if not insert_if_new(conn, t.stories, {"id": story.id, **values}):
                # held until commit, so two writers of one story replace its members in turn
                conn.execute(update(t.stories).where(t.stories.c.id == story.id).values(**values))
                conn.execute(delete(t.story_members).where(t.story_members.c.story_id == story.id))
            if story.members:
                conn.execute(
                    insert(t.story_members),
                    [{"story_id": story.id, **m.model_dump()} for m in story.members],
                )

    def get_story(self, story_id: str) -> Story | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.stories).where(t.stories.c.id == story_id)).first()
            if row is None:
                return None
            return self._story_from_row(conn, row)

    def story_version(self, story_id: str) -> tuple | None:
        """What a story's rendering depends on, in one cheap query: the story row, its members and
        when each member was last analysed. None when there is no such story. Two equal versions
        render the same page, so a cache can be keyed on it."""
        q = (
            select(t.stories.c.title, t.stories.c.first_seen, t.stories.c.last_seen,
                   t.story_members.c.article_id, t.story_members.c.relation, t.story_members.c.of,
                   t.analyses.c.signature, t.analyses.c.created)
            .select_from(t.stories)
            .outerjoin(t.story_members, t.story_members.c.story_id == t.stories.c.id)
            .outerjoin(t.analyses, t.analyses.c.article_id == t.story_members.c.article_id)
            .where(t.stories.c.id == story_id)
            .order_by(t.story_members.c.article_id)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        return (story_id, *(tuple(r) for r in rows)) if rows else None

    def list_stories(self, limit: int | None = None) -> list[Story]:
        """Stories, most recently updated first."""
        q = select(t.stories).order_by(t.stories.c.updated.desc().nulls_last(), t.stories.c.id)
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [self._story_from_row(conn, row) for row in conn.execute(q).all()]

    @staticmethod
    def _story_from_row(conn: Connection, row: Any) -> Story:
        members = conn.execute(
            select(t.story_members)
            .where(t.story_members.c.story_id == row.id)
            .order_by(t.story_members.c.article_id)
        )
        return Story(
            id=row.id,
            title=row.title,
            first_seen=row.first_seen,
            last_seen=row.last_seen,
            updated=as_utc(row.updated),
            members=[
                StoryMember(article_id=m.article_id, relation=m.relation, of=m.of, similarity=m.similarity)
                for m in members
            ],
        )

    # -- overview ------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Rows per table, plus analyses by status."""
        out: dict[str, int] = {}
        with self.engine.connect() as conn:
            for name, table in (
                ("articles", t.articles),
                ("analyses", t.analyses),
                ("findings", t.findings),
                ("errors", t.errors),
                ("stories", t.stories),
            ):
                out[name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
            for status, n in conn.execute(
                select(t.analyses.c.status, func.count()).group_by(t.analyses.c.status)
            ):
                out[status] = n
        return out


def _finding_row(article_id: str, f: Finding) -> dict[str, Any]:
    return {"article_id": article_id, **f.model_dump(exclude={"article_id"})}


def _analysis_from_row(payload: dict[str, Any], original: str) -> Analysis:
    data = dict(payload)
    data["article"] = {**data["article"], "original": original}
    return Analysis.model_validate(data)
