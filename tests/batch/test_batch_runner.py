"""The batch runner: read -> clean -> analyse -> store with per-item errors, resume and progress."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from unspin.analyse.pipeline import Pipeline
from unspin.batch.runner import analyse_inputs, iter_batch, pipeline_signature
from unspin.store.db import Store
from unspin.types import Analysis

ARTICLE = """{title}

{city} officials said on Monday that the harbour ferry would run every twenty minutes from next spring.

"We expect about four thousand passengers a day," said transport director {name}.

The plan still needs approval from the regional budget committee.
"""


def _write(folder: Path, name: str, city: str) -> Path:
    path = folder / name
    path.write_text(
        ARTICLE.format(title=f"{city} plans faster ferries", city=city, name=f"Jo {city}son"),
        encoding="utf-8",
    )
    return path


@lru_cache(maxsize=1)
def _pipeline() -> Pipeline:
    # nlp + quotes only: enough real analysis for these tests, and quick.
    return Pipeline(["nlp", "quotes"])


class _Explode:
    """A component that fails on one article, to check that the batch goes on."""

    name, version = "explode", "0"

    def __call__(self, doc: Analysis) -> Analysis:
        if "Bergen" in doc.article.original:
            raise RuntimeError("component crashed on purpose")
        return doc


def test_batch_collects_errors_by_stage_and_stores_the_rest(tmp_path):
    folder = tmp_path / "in"  # the database lives outside the folder being read
    folder.mkdir()
    for city in ("Aarhus", "Bergen", "Cork"):
        _write(folder, f"{city.lower()}.txt", city)
    (folder / "empty.txt").write_bytes(b"")
    pipeline = Pipeline(["nlp", "quotes"])
    pipeline.components.append(_Explode())
    seen = []
    with Store(tmp_path / "x.sqlite") as store:
        result = analyse_inputs(
            [str(folder)],
            pipeline=pipeline,
            store=store,
            on_progress=lambda item, done: seen.append((item.outcome, done)),
        )
        stored = {Path(a.article.source).name for a in store.iter_analyses()}
        recorded = store.list_errors()
    assert result.counts["analysed"] == 2 and result.counts["stored"] == 2 and result.counts["failed"] == 2
    assert {(e.stage, Path(e.source).name) for e in result.errors} == {
        ("analyse", "bergen.txt"),
        ("read", "empty.txt"),
    }
    assert "component crashed on purpose" in next(e.reason for e in result.errors if e.stage == "analyse")
    assert stored == {"aarhus.txt", "cork.txt"}
    assert [e.source for e in recorded] == [e.source for e in result.errors]
    assert [done for _, done in seen] == [1, 2, 3, 4]
    assert not result.ok


def test_resume_skips_what_the_same_pipeline_already_stored(tmp_path):
    paths = [str(_write(tmp_path, f"{c}.txt", c)) for c in ("Oslo", "Porto")]
    with Store(tmp_path / "x.sqlite") as store:
        first = analyse_inputs(paths, pipeline=_pipeline(), store=store)
        second = analyse_inputs(paths, pipeline=_pipeline(), store=store)
        assert first.counts["stored"] == 2
        assert second.counts["skipped"] == 2 and second.counts["analysed"] == 0
        # Skipped items still hand back the stored analysis.
        assert [a.article.id for a in second.analyses] == [a.article.id for a in first.analyses]
        # Another pipeline (different signature) analyses and updates them.
        other = Pipeline(["nlp"])
        assert pipeline_signature(other) != pipeline_signature(_pipeline())
        third = analyse_inputs(paths, pipeline=other, store=store)
        assert third.counts["analysed"] == 2 and third.counts["stored"] == 2
        assert store.counts()["analyses"] == 2


def test_store_failure_mid_batch_keeps_earlier_rows(tmp_path):
    paths = [str(_write(tmp_path, f"{c}.txt", c)) for c in ("Aarhus", "Bergen", "Cork")]

    class FlakyStore(Store):
        def save_analysis(self, analysis, signature=None):
            if "Bergen" in analysis.article.original:
                raise OSError("disk full")
            return super().save_analysis(analysis, signature)

    db = tmp_path / "x.sqlite"
    with FlakyStore(db) as store:
        result = analyse_inputs(paths, pipeline=_pipeline(), store=store)
    assert [(e.stage, Path(e.source).name) for e in result.errors] == [("store", "Bergen.txt")]
    assert "disk full" in result.errors[0].reason
    with Store(db) as reopened:
        assert {Path(a.article.source).name for a in reopened.iter_analyses()} == {"Aarhus.txt", "Cork.txt"}


def test_iter_batch_limit_and_no_store(tmp_path):
    paths = [str(_write(tmp_path, f"{c}.txt", c)) for c in ("Aarhus", "Bergen", "Cork")]
    items = list(iter_batch(paths, pipeline=_pipeline(), limit=2))
    assert [i.outcome for i in items] == ["analysed", "analysed"]
    assert all(not i.stored for i in items)
    quote = items[0].analysis.of_kind("quote")[0]
    assert items[0].analysis.article.original[quote.start : quote.end] == quote.text


def test_not_english_is_stored_as_not_analysed(tmp_path):
    path = tmp_path / "de.txt"
    path.write_text(
        "Neue Fähren für den Hafen\n\nDie Stadt kündigte am Montag an, dass die Fähre ab dem nächsten "
        "Frühjahr alle zwanzig Minuten fahren wird. Der Plan muss noch vom Haushaltsausschuss genehmigt werden.\n",
        encoding="utf-8",
    )
    with Store(tmp_path / "x.sqlite") as store:
        result = analyse_inputs([str(path)], pipeline=_pipeline(), store=store)
        assert result.counts["not_analysed"] == 1 and result.ok
        stored = store.get_analysis(result.analyses[0].article.id)
    assert stored.status == "not_analysed" and "de" in stored.status_reason


@pytest.mark.parametrize("bad", ["", "\x00\x01"])
def test_unreadable_standalone_records_are_errors(tmp_path, bad):
    path = tmp_path / "bad.txt"
    path.write_bytes(bad.encode())
    result = analyse_inputs([str(path)], pipeline=_pipeline())
    assert result.counts["failed"] == 1 and result.errors[0].stage == "read"
