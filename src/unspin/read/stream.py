"""Corpus files on disk (JSONL, CSV, Parquet) read a chunk at a time, so memory stays flat
whatever the file's size: a 1 GB corpus is never held whole.

Rows become articles exactly as ``read.corpus`` makes them from bytes in memory (same columns,
aliases, per-row errors, ``<file>#<n>`` sources). The size limit applies to each row's article,
not to the file. Parquet comes in record batches (pyarrow); CSV through the standard library's
parser over a decoded stream; JSONL line by line with ``json.loads``, so that one malformed line
is one error and the rows around it are kept (pyarrow's JSON reader fails a whole block, and
infers one schema that a later row may break).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from unspin.read.corpus import ArticleOrError, require_text_column, row_or_error
from unspin.read.decode import BOMS, size_error, sniff_binary
from unspin.read.errors import ReadFailure
from unspin.types import Article, ItemFailure

STREAMED = ("jsonl", "csv", "parquet")
# Enough of the start of a file to recognise its encoding.
_HEAD = 1 << 20
# Rows per Parquet record batch.
PARQUET_BATCH_ROWS = 256


def stream_corpus(path: Path, fmt: str, *, outlet: str | None, max_bytes: int) -> Iterator[ArticleOrError]:
    """The rows of a corpus file, each an ``Article`` or a ``ItemFailure``; raises ``ReadFailure``
    when the file as a whole cannot be read (no text column, not the format it claims)."""
    source = str(path)
    if fmt == "parquet":
        rows = _parquet_rows(path, source)
    else:
        handle = _open_text(path, source)
        rows = _jsonl_rows(handle, source) if fmt == "jsonl" else _csv_rows(handle, source, max_bytes)
    for n, row in rows:
        if isinstance(row, ItemFailure):
            yield row
            continue
        record = row_or_error(row, f"{source}#{n}", fmt, outlet)
        if isinstance(record, Article) and len(record.original) > max_bytes:
            reason = size_error(len(record.original.encode("utf-8")), max_bytes, "this row's article").reason
            record = ItemFailure(source=record.source, reason=reason)
        yield record


def _open_text(path: Path, source: str) -> IO[str]:
    """The file as text in the encoding its first megabyte shows (a BOM, UTF-8, Windows-1252 for
    mostly-ASCII text, else charset-normalizer's guess), refusing binary files."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise ReadFailure(f"cannot read {path}: {exc.strerror or exc}") from exc
    head = raw.peek(_HEAD)[:_HEAD] if isinstance(raw, io.BufferedReader) else b""
    if not head.strip():
        raw.close()
        raise ReadFailure(f"{source} is empty" if not head else f"{source} holds only whitespace")
    encoding = _encoding_of(head, source)
    if encoding is None:
        what = sniff_binary(head)
        raw.close()
        raise ReadFailure(f"{source} is {what}, not a text corpus")
    # newline="": the csv module reads line ends inside quoted cells itself; JSON lines strip them.
    return io.TextIOWrapper(raw, encoding=encoding, newline="")


def _encoding_of(head: bytes, source: str) -> str | None:
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return "utf-8-sig" if encoding == "utf-8-sig" else encoding
    if sniff_binary(head):
        return None
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)  # a character cut at the end is fine
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if 1 - len(head.translate(None, bytes(range(0x80)))) / len(head) >= 0.9:
        return "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    if best is None:
        raise ReadFailure(f"{source} is not UTF-8 and its text encoding could not be recognised")
    return best.encoding


def _jsonl_rows(handle: IO[str], source: str) -> Iterator[tuple[int, dict[str, Any] | ItemFailure]]:
    with handle:
        lineno = 0
        try:
            for lineno, line in enumerate(handle, start=1):
                line = line.rstrip("\r\n")  # as split whole: an error's column counts on this line
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield lineno, ItemFailure(source=f"{source}#{lineno}",
                                            reason=f"malformed JSON: {exc.msg} at column {exc.colno}")
                    continue
                if not isinstance(row, dict):
                    yield lineno, ItemFailure(source=f"{source}#{lineno}",
                                            reason=f"expected a JSON object, got {type(row).__name__}")
                    continue
                yield lineno, row
        except UnicodeDecodeError as exc:  # the lines before stay read
            raise ReadFailure(f"{source}: undecodable bytes after line {lineno} ({exc.reason})") from exc


def _csv_rows(handle: IO[str], source: str, max_bytes: int) -> Iterator[tuple[int, dict[str, Any] | ItemFailure]]:
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes))  # articles are longer than 128 KB
    with handle:
        reader = csv.DictReader(handle, restkey="extra_fields")
        try:
            require_text_column(reader.fieldnames or [], source)
            yield from enumerate(reader, start=1)
        except csv.Error as exc:  # the rows before stay read; the rest of the file is one error
            raise ReadFailure(f"{source}: CSV error near line {reader.line_num}: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise ReadFailure(f"{source}: undecodable bytes near line {reader.line_num} ({exc.reason})") from exc


def _parquet_rows(path: Path, source: str) -> Iterator[tuple[int, dict[str, Any] | ItemFailure]]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid / OSError for damaged files
        raise ReadFailure(f"{source} is not a readable Parquet file: {exc}") from exc
    with parquet:
        require_text_column(parquet.schema_arrow.names, source)
        n = 0
        try:
            for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS):
                for row in batch.to_pylist():
                    n += 1
                    yield n, row
        except (OSError, ValueError) as exc:  # a damaged row group (ArrowInvalid is a ValueError): the rows before stay read
            raise ReadFailure(f"{source}: damaged Parquet data after row {n}: {exc}") from exc
