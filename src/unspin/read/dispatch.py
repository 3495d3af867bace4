"""Route one input's bytes to the reader for its format: by file extension, else by content."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from unspin.read.corpus import read_csv, read_jsonl, read_parquet
from unspin.read.decode import DEFAULT_MAX_BYTES, decode_bytes
from unspin.read.feed import read_feed
from unspin.read.html import read_html
from unspin.read.text import read_text
from unspin.types import Article, ItemFailure

EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
}


def format_for(name: str, data: bytes) -> str:
    """The reader to use: from the file's extension when known, else sniffed from its content."""
    suffix = name[name.rfind(".") :].lower() if "." in name.rsplit("/", 1)[-1] else ""
    return EXTENSIONS.get(suffix) or sniff_format(data)


def sniff_format(data: bytes) -> str:
    """Guess the format of untyped content (stdin, unknown extension). Plain text is the default."""
    if data.startswith(b"PAR1"):
        return "parquet"
    head = data[:4096].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n").lower()
    if head.startswith("<"):
        if any(tag in head for tag in ("<rss", "<feed", "<rdf:rdf")):
            return "feed"
        return "html"
    if head.startswith("{") and _first_line_is_json_object(head):
        return "jsonl"
    if _looks_like_csv_with_text_column(head):
        return "csv"
    return "text"


def read_bytes_as(fmt: str, data: bytes, source: str, *, outlet: str | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | ItemFailure]:
    """Yield the articles in ``data``; raises ReadFailure when the whole input is unreadable."""
    if fmt == "parquet":
        yield from read_parquet(data, source, outlet=outlet)
    elif fmt == "jsonl":
        yield from read_jsonl(data, source, outlet=outlet, max_bytes=max_bytes)
    elif fmt == "csv":
        yield from read_csv(data, source, outlet=outlet, max_bytes=max_bytes)
    elif fmt == "feed":
        decode_bytes(data, max_bytes=max_bytes, source=source)  # same empty/binary/size checks as text
        yield from read_feed(data, source, outlet=outlet)
    elif fmt == "html":
        yield read_html(decode_bytes(data, max_bytes=max_bytes, source=source), source, outlet=outlet)
    else:
        yield read_text(decode_bytes(data, max_bytes=max_bytes, source=source), source, outlet=outlet)


def _first_line_is_json_object(head: str) -> bool:
    line = head.split("\n", 1)[0]
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False


def _looks_like_csv_with_text_column(head: str) -> bool:
    first = head.split("\n", 1)[0]
    if "," not in first and "\t" not in first:
        return False
    try:
        fields = next(csv.reader(io.StringIO(first)), [])
    except csv.Error:  # a lone CR in the line ("new-line character seen in unquoted field")
        return False
    return "text" in (f.strip() for f in fields)
