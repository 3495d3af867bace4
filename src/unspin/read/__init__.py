"""Stage: read. Turn files, pages, feeds and corpora into ``Article`` records.

``read_inputs`` never stops on a bad input: each failure becomes a ``ItemFailure`` naming the
input and the reason, and the next input is read.
"""

from __future__ import annotations

import glob
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from unspin.read.decode import DEFAULT_MAX_BYTES, read_bytes, size_error
from unspin.read.dispatch import format_for, read_bytes_as, sniff_format
from unspin.read.errors import ReadFailure
from unspin.read.outlets import MAPPING_FILE, OutletMap
from unspin.read.stream import STREAMED, stream_corpus
from unspin.types import Article, ItemFailure

__all__ = ["DEFAULT_MAX_BYTES", "ReadFailure", "read_inputs", "read_path", "read_stream"]

STDIN = "-"
_GLOB_CHARS = set("*?[")


def read_inputs(inputs: Iterable[str], *, outlet: str | OutletMap | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | ItemFailure]:
    """Read every input: files, directories (recursively, sorted, hidden files skipped),
    glob patterns, and ``-`` for standard input (format sniffed from the content).

    ``outlet`` is a default outlet name, or an ``OutletMap`` of what the user said about
    outlets (``read.outlets``)."""
    for item in inputs:
        if item == STDIN:
            yield from read_stream(sys.stdin.buffer, "<stdin>", outlet=outlet, max_bytes=max_bytes)
            continue
        paths = _expand(item)
        if isinstance(paths, ItemFailure):
            yield paths
            continue
        for path in paths:
            yield from read_path(path, outlet=outlet, max_bytes=max_bytes)


def read_path(path: str | Path, *, outlet: str | OutletMap | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | ItemFailure]:
    """Read one file (which may hold one article or, for corpora and feeds, many)."""
    rules = _rules(outlet)
    for record in _read_path(Path(path), rules.default, max_bytes):
        yield rules.settle(record, path) if isinstance(record, Article) else record


def _rules(outlet: str | OutletMap | None) -> OutletMap:
    return outlet if isinstance(outlet, OutletMap) else OutletMap(default=outlet)


def _read_path(path: Path, outlet: str | None, max_bytes: int) -> Iterator[Article | ItemFailure]:
    source = str(path)
    if not path.exists():
        yield ItemFailure(source=source, reason="no such file or directory")
        return
    if not path.is_file():
        yield ItemFailure(source=source, reason="not a regular file")
        return
    try:
        fmt = _streamed_format(path)
        if fmt is not None:  # a corpus: read in chunks, the size limit per row
            yield from stream_corpus(path, fmt, outlet=outlet, max_bytes=max_bytes)
            return
        data = read_bytes(path, max_bytes=max_bytes)
        yield from read_bytes_as(format_for(path.name, data), data, source, outlet=outlet, max_bytes=max_bytes)
    except ReadFailure as exc:
        yield ItemFailure(source=source, reason=exc.reason)
    except Exception as exc:  # a parser bug must cost one input, not the whole batch
        yield ItemFailure(source=source, reason=f"unexpected error while reading: {type(exc).__name__}: {exc}")


def _streamed_format(path: Path) -> str | None:
    """The corpus format of a file read in chunks (by extension, else from its first 4 KB)."""
    with path.open("rb") as f:
        fmt = format_for(path.name, f.read(4096))
    return fmt if fmt in STREAMED else None


def read_stream(stream: BinaryIO, source: str, *, outlet: str | OutletMap | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | ItemFailure]:
    """Read a byte stream (standard input); its format is sniffed from the content."""
    rules = _rules(outlet)
    for record in _read_stream(stream, source, rules.default, max_bytes):
        yield rules.settle(record) if isinstance(record, Article) else record


def _read_stream(stream: BinaryIO, source: str, outlet: str | None, max_bytes: int) -> Iterator[Article | ItemFailure]:
    try:
        data = stream.read(max_bytes + 1)  # one byte more tells us the limit was passed
        if len(data) > max_bytes:
            raise size_error(len(data), max_bytes, source)
        yield from read_bytes_as(sniff_format(data), data, source, outlet=outlet, max_bytes=max_bytes)
    except ReadFailure as exc:
        yield ItemFailure(source=source, reason=exc.reason)
    except Exception as exc:  # as in read_path: one bad input, not a failed batch
        yield ItemFailure(source=source, reason=f"unexpected error while reading: {type(exc).__name__}: {exc}")


def _expand(item: str) -> list[Path] | ItemFailure:
    path = Path(item)
    if path.is_dir():
        return _files_under(path)
    if path.exists() or not (_GLOB_CHARS & set(item)):
        return [path]  # a missing plain path is reported by read_path
    matches = sorted(Path(m) for m in glob.glob(item, recursive=True))
    if not matches:
        return ItemFailure(source=item, reason="no files match this pattern")
    files: list[Path] = []
    for match in matches:
        files.extend(_files_under(match) if match.is_dir() else [match])
    return files


def _files_under(directory: Path) -> list[Path]:
    return sorted(
        p for p in directory.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(directory).parts)
        and p.name != MAPPING_FILE
    )
