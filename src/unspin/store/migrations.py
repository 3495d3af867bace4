"""Schema migrations for the store, one step per version bump.

``Store`` calls ``migrate(conn, found, wanted)`` inside a transaction when it opens a database
written with an older ``STORE_SCHEMA_VERSION``. ``metadata.create_all`` already adds new tables;
steps here alter existing ones (add a column, backfill, ...). Version 1 is the first schema.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

# version reached -> step that brings a database from version-1 to it
STEPS: dict[int, Callable[[Connection], None]] = {}


def migrate(conn: Connection, found: int, wanted: int) -> None:
    for version in range(found + 1, wanted + 1):
        step = STEPS.get(version)
        if step is None:
            raise RuntimeError(f"no migration to store schema {version}")
        step(conn)
