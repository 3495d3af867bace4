"""Corpus files read a chunk at a time: the same articles as reading the bytes whole, memory that
does not grow with the file, and the size limit on each row's article instead of the file."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from _paths import TESTS

from unspin.read import read_path
from unspin.read.dispatch import read_bytes_as
from unspin.types import Article, ItemFailure

DATA = TESTS / "data" / "read"
BODY = ("The regional council voted on Tuesday to extend the ferry timetable through the winter, "
        "after operators said demand had held up. ") * 8


def _rows(n: int) -> list[dict]:
    return [{"title": f"Ferry timetable extended, part {i}", "text": f"{BODY}Row {i}.",
             "outlet": ["Harbour Post", "Coast Daily"][i % 2], "published": f"2025-03-{1 + i % 28:02d}",
             "section": "News"} for i in range(n)]


def _write(path: Path, rows: list[dict]) -> Path:
    if path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    elif path.suffix == ".csv":
        pa_csv.write_csv(pa.Table.from_pylist(rows), path)
    else:
        pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=500)
    return path


def _dumps(records) -> list[dict]:
    return [r.model_dump() for r in records]


@pytest.mark.parametrize("name", ["corpus.jsonl", "corpus.csv"])
def test_streamed_rows_equal_rows_read_whole(name):
    path = DATA / name
    whole = list(read_bytes_as(path.suffix[1:], path.read_bytes(), str(path)))
    streamed = list(read_path(path))
    assert _dumps(streamed) == _dumps(whole)
    assert any(isinstance(r, ItemFailure) for r in streamed) and any(isinstance(r, Article) for r in streamed)


def test_streamed_parquet_equals_parquet_read_whole(tmp_path):
    path = _write(tmp_path / "c.parquet", _rows(1200))  # several batches and row groups
    whole = list(read_bytes_as("parquet", path.read_bytes(), str(path)))
    streamed = list(read_path(path))
    assert len(streamed) == 1200 and _dumps(streamed) == _dumps(whole)
    assert streamed[-1].source.endswith("c.parquet#1200")


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_size_limit_applies_to_each_article_not_the_corpus(tmp_path, suffix):
    rows = _rows(300)
    rows[7]["text"] = "A very long wire. " * 2000  # about 36 KB
    path = _write(tmp_path / f"big{suffix}", rows)
    assert path.stat().st_size > 20_000  # the corpus is over the limit; only one of its articles is
    records = list(read_path(path, max_bytes=20_000))
    errors = [r for r in records if isinstance(r, ItemFailure)]
    assert len(records) == 300
    assert [e.source.rsplit("#", 1)[1] for e in errors] == ["8"]
    assert "above the 20,000-byte limit" in errors[0].reason


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_memory_stays_flat_whatever_the_corpus_size(tmp_path, suffix):
    rows = _rows(12_000)
    path = _write(tmp_path / f"large{suffix}", rows)
    size = sum(len(r["text"]) for r in rows)  # what the articles weigh whole (Parquet compresses them)
    assert size > 12_000_000
    del rows
    tracemalloc.start()
    try:
        count = sum(1 for record in read_path(path) if isinstance(record, Article))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 12_000
    assert peak < 8_000_000, f"peak {peak / 1e6:.1f} MB for {size / 1e6:.0f} MB of articles"


def test_legacy_and_bom_encodings_are_decoded(tmp_path):
    csv_path = tmp_path / "latin.csv"
    csv_path.write_bytes('title,text\nCaf\xe9 closes,"The caf\xe9 on the quay closed after 40 years."\n'
                         .encode("cp1252"))
    jsonl_path = tmp_path / "wide.jsonl"
    jsonl_path.write_bytes(json.dumps({"text": "Zürich votes — again."}, ensure_ascii=False).encode("utf-16"))
    (cafe,) = read_path(csv_path)
    (zurich,) = read_path(jsonl_path)
    assert cafe.title.text == "Café closes" and "café on the quay" in cafe.original
    assert zurich.original == "Zürich votes — again."


def test_a_binary_file_named_as_a_corpus_is_one_clear_error(tmp_path):
    path = tmp_path / "photo.jsonl"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    (error,) = read_path(path)
    assert isinstance(error, ItemFailure) and "a PNG image, not a text corpus" in error.reason
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    (error,) = read_path(empty)
    assert "is empty" in error.reason
