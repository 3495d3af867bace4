"""Schema migrations for the store, one step per version bump.

``Store`` calls ``migrate(conn, found, wanted)`` inside a transaction when it opens a database
written with an older ``STORE_SCHEMA_VERSION``. ``metadata.create_all`` already adds new tables;
steps here alter existing ones (add a column, backfill, ...). Version 1 is the first schema.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, text


def _story_arrival_apart(conn: Connection) -> None:
    """2: stories get ``updated`` (arrival); ``first_seen``/``last_seen`` become the members'
    publication span only. Version 1 dated an undated story by its arrival, which made a story
    of March 2025 span "2025-03-12 – 2026-12-04"."""
    conn.execute(text("ALTER TABLE stories ADD COLUMN updated TIMESTAMP WITH TIME ZONE"
                      if conn.dialect.name == "postgresql" else "ALTER TABLE stories ADD COLUMN updated DATETIME"))
    conn.execute(text("UPDATE stories SET updated = last_seen"))
    span = ("(SELECT {fn}(a.published) FROM story_members m JOIN articles a ON a.id = m.article_id "
            "WHERE m.story_id = stories.id)")
    conn.execute(text(f"UPDATE stories SET first_seen = {span.format(fn='min')}, last_seen = {span.format(fn='max')}"))


# version reached -> step that brings a database from version-1 to it
STEPS: dict[int, Callable[[Connection], None]] = {2: _story_arrival_apart}


def migrate(conn: Connection, found: int, wanted: int) -> None:
    for version in range(found + 1, wanted + 1):
        step = STEPS.get(version)
        if step is None:
            raise RuntimeError(f"no migration to store schema {version}")
        step(conn)
