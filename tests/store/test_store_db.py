"""The store on a real SQLite file and a real PostgreSQL database (``db_url`` runs a test on each):
idempotence, re-analysis, errors, stories, durability, migrations, concurrent writers."""

from __future__ import annotations

import sqlite3
import traceback

import pytest
from _store_samples import BODY_A, BODY_B, count_rows, make_analysis, make_article
from sqlalchemy.exc import IntegrityError

from unspin.store.db import Store, StoreVersionError, resolve_url, signature_of
from unspin.types import ItemFailure, Story, StoryMember


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "store.sqlite"


def test_resolve_url_plain_path_env_and_full_url(tmp_path, monkeypatch):
    assert resolve_url(tmp_path / "x.sqlite") == f"sqlite:///{(tmp_path / 'x.sqlite').resolve()}"
    assert resolve_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("UNSPIN_DB", str(tmp_path / "env.sqlite"))
    assert resolve_url(None).endswith("env.sqlite")
    monkeypatch.delenv("UNSPIN_DB")
    assert resolve_url(None).endswith("unspin.sqlite")


def test_same_article_twice_is_stored_once(db_url):
    analysis = make_analysis(make_article(BODY_A, boilerplate="Tags: river, talks"))
    with Store(db_url) as store:
        assert store.save_analysis(analysis) is True
        assert store.save_analysis(analysis) is False
        counts = store.counts()
    assert counts["articles"] == 1 and counts["analyses"] == 1
    # Findings table holds the analysis findings plus the removed boilerplate, once.
    assert count_rows(db_url, "findings") == len(analysis.findings) + 1
    assert count_rows(db_url, "articles") == 1


def test_round_trip_keeps_offsets_and_original(db_url):
    analysis = make_analysis(make_article(BODY_A))
    with Store(db_url) as store:
        store.save_analysis(analysis)
    with Store(db_url) as reopened:  # a fresh connection reads what was committed
        back = reopened.get_analysis(analysis.article.id)
    assert back == analysis
    for f in back.findings:
        if f.start is not None:
            assert back.article.original[f.start : f.end] == f.text


def test_new_pipeline_signature_replaces_analysis(db_url):
    article = make_article(BODY_B)
    old = make_analysis(article, components=("nlp@1",))
    new = make_analysis(article, components=("nlp@1", "quotes@2"))
    new.findings = new.findings[:1]
    with Store(db_url) as store:
        store.save_analysis(old)
        assert store.has_analysis(article.id, signature_of(old.components))
        assert store.save_analysis(new) is True
        assert store.has_analysis(article.id, signature_of(new.components))
        assert not store.has_analysis(article.id, signature_of(old.components))
        assert store.get_analysis(article.id).components == new.components
        assert len(store.find_findings(article_id=article.id)) == 1
        assert store.counts()["analyses"] == 1


def test_find_findings_by_kind_and_label(db_url):
    a = make_analysis(make_article(BODY_A))
    b = make_analysis(make_article(BODY_B, outlet="Other"))
    with Store(db_url) as store:
        store.save_analysis(a)
        store.save_analysis(b)
        quotes = store.find_findings(kind="quote")
        regime = store.find_findings(kind="term", label="regime")
    assert {f.article_id for f in quotes} == {a.article.id, b.article.id}
    assert [f.text for f in regime] == ["regime"]
    assert regime[0].article_id == b.article.id


def test_failure_mid_batch_keeps_committed_rows(db_url):
    good = [make_analysis(make_article(BODY_A, title=f"Story {i}")) for i in range(3)]
    bad = make_analysis(make_article(BODY_B))
    # A NULL label violates the findings table constraint, so this article's insert fails.
    bad.findings[0].__dict__["label"] = None
    store = Store(db_url)
    for a in good[:2]:
        store.save_analysis(a)
    with pytest.raises(IntegrityError):
        store.save_analysis(bad)
    store.save_analysis(good[2])
    store.close()
    # The failed article rolled back completely (no article without analysis); the rest is there.
    assert count_rows(db_url, "articles") == 3
    assert count_rows(db_url, "analyses") == 3
    with Store(db_url) as store:
        assert store.get_analysis(bad.article.id) is None
        assert {a.article.id for a in store.iter_analyses()} == {a.article.id for a in good}


def test_errors_and_stories(db_url):
    with Store(db_url) as store:
        store.record_error(ItemFailure(source="a.bin", reason="binary file", stage="read"))
        store.record_error(ItemFailure(source="b.txt", reason="empty", stage="clean"))
        # the same failure again (a rerun, a resumed batch) is not a second row
        assert store.record_error(ItemFailure(source="b.txt", reason="empty", stage="clean")) is False
        assert [e.source for e in store.list_errors()] == ["a.bin", "b.txt"]
        assert [e.source for e in store.list_errors(limit=1)] == ["b.txt"]
        story = Story(
            id="s1", title="Talks", members=[StoryMember(article_id="x"), StoryMember(article_id="y")]
        )
        store.save_story(story)
        story.members.append(StoryMember(article_id="z", relation="copy_of", of="x", similarity=0.97))
        store.save_story(story)
        assert store.get_story("s1") == story
        assert [s.id for s in store.list_stories()] == ["s1"]
        assert store.get_story("nope") is None
        assert store.counts()["errors"] == 2


def test_sqlite_pragmas_and_schema_version(db_path):
    with Store(db_path) as store:
        assert store.schema_version() == 2
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE unspin_meta SET value='99' WHERE key='schema_version'")
    with pytest.raises(StoreVersionError, match="newer"):
        Store(db_path)


def test_schema_1_stories_get_their_arrival_apart_from_publication(db_url):
    """Version 1 dated undated stories by arrival. Opening such a file moves that time to
    ``updated`` and leaves first_seen/last_seen the members' publication span, None if undated."""
    from datetime import UTC, datetime

    dated = make_analysis(make_article(BODY_A))
    dated.article.published = datetime(2025, 3, 12, 9, 0, tzinfo=UTC)
    undated = make_analysis(make_article(BODY_B, source="b.txt"))
    arrival = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
    with Store(db_url) as store:
        store.save_analysis(dated)
        store.save_analysis(undated)
        for sid, members in (("mixed", [dated, undated]), ("bare", [undated])):
            store.save_story(Story(id=sid, members=[StoryMember(article_id=a.article.id) for a in members],
                                   first_seen=arrival, last_seen=arrival))
    _as_version_1(db_url)
    with Store(db_url) as store:
        assert store.schema_version() == 2
        mixed, bare = store.get_story("mixed"), store.get_story("bare")
    assert mixed.first_seen.replace(tzinfo=UTC) == mixed.last_seen.replace(tzinfo=UTC) == dated.article.published
    assert bare.first_seen is None and bare.last_seen is None
    assert mixed.updated == bare.updated == arrival


def _as_version_1(db: str) -> None:
    """Turn a store back into what version 1 wrote: no ``stories.updated``, schema version 1."""
    from sqlalchemy import create_engine, text

    engine = create_engine(resolve_url(db))
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE stories DROP COLUMN updated"))
        conn.execute(text("UPDATE unspin_meta SET value='1' WHERE key='schema_version'"))
    engine.dispose()


def _open_store_and_live_state(path: str, barrier, errors) -> None:
    from unspin.live.state import LiveState

    barrier.wait()
    try:
        with Store(path) as store:
            LiveState(store.engine)
    except Exception as err:  # reported to the parent: the test asserts there are none
        errors.put(f"{type(err).__name__}: {err}\n{traceback.format_exc()[-1500:]}")


def _run_together(target, args_of, n: int) -> None:
    """Run ``target(*args_of(i), barrier, errors)`` in ``n`` forked processes released at once;
    fail with what any of them raised."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    barrier, errors = ctx.Barrier(n), ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args_of(i), barrier, errors)) for i in range(n)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert not found, found
    assert [p.exitcode for p in procs] == [0] * n


def test_processes_opening_one_fresh_store_together_all_succeed(new_db):
    # `unspin serve` and `unspin watch` started side by side on a new database: each creates
    # the tables and writes the schema version; whoever loses the race must carry on.
    for _ in range(3):
        db = new_db()
        _run_together(_open_store_and_live_state, lambda i, db=db: (db,), 6)
        assert count_rows(db, "unspin_meta") == 1


def _write_overlapping(db: str, worker: int, barrier, errors) -> None:
    """One writer of many on one store: every worker saves the same articles (in its own order),
    the same story, and errors and seen feed items of its own."""
    from unspin.live.state import LiveState

    try:
        analyses = [make_analysis(make_article(BODY_A if i % 2 else BODY_B, title=f"Story {i}"))
                    for i in range(8)]
        order = analyses[worker % len(analyses):] + analyses[:worker % len(analyses)]
        with Store(db) as store:
            state = LiveState(store.engine)
            barrier.wait()
            for i, analysis in enumerate(order):
                store.save_analysis(analysis)
                store.save_story(Story(id="shared", members=[StoryMember(article_id=a.article.id)
                                                             for a in analyses[: i + 1]]))
                store.record_error(ItemFailure(source=f"w{worker}-{i}.bin", reason="binary", stage="read"))
                store.record_error(ItemFailure(source="shared.bin", reason="binary", stage="read"))  # all of them
                state.mark_seen("https://feed.test/rss", f"item-{i}", article_id=analysis.article.id,
                                status="analysed")
                state.mark_seen("https://feed.test/rss", f"w{worker}-{i}", article_id=None, status="failed")
    except Exception as err:
        errors.put(f"{worker}: {type(err).__name__}: {err}\n{traceback.format_exc()[-1500:]}")


def test_concurrent_writers_lose_nothing_and_store_nothing_twice(db_url):
    workers = 4
    _run_together(_write_overlapping, lambda i: (db_url, i), workers)
    with Store(db_url) as store:
        counts = store.counts()
        stored = list(store.iter_analyses())
        story = store.get_story("shared")
    assert counts["articles"] == counts["analyses"] == 8
    assert counts["findings"] == sum(len(a.findings) for a in stored)
    assert counts["errors"] == workers * 8 + 1  # the failure every writer recorded is there once
    assert len(story.members) == 8
    assert count_rows(db_url, "live_seen") == 8 + workers * 8


def _record_one_failure(db: str, worker: int, barrier, errors) -> None:
    try:
        with Store(db) as store:
            barrier.wait()
            for i in range(30):
                store.record_error(ItemFailure(source=f"same-{i}.bin", reason="binary file", stage="read"))
    except Exception as err:
        errors.put(f"{worker}: {type(err).__name__}: {err}")


def test_writers_recording_the_same_failures_at_once_store_each_once(db_url):
    _run_together(_record_one_failure, lambda i: (db_url, i), 6)
    assert count_rows(db_url, "errors") == 30
