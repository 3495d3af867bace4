"""Corpora: JSONL, CSV and Parquet, one article per row.

Columns: ``text`` (required), ``title``, ``url``, ``author``, ``outlet``, ``published``; any
other column goes to ``Article.meta``. Corpora from scrapers and news APIs name these differently, so each
field also answers to common aliases (``COLUMN_ALIASES``: ``body``/``content``/``maintext`` for
the text, ``headline``, ``link``, ``source``/``publisher``, ``date``/``publishedAt``...), matched
without regard to case, ``_`` or ``-``; the first alias present wins. A ``source`` that is an
object (NewsAPI's ``{"id": ..., "name": ...}``) gives its ``name``; one that is a web address is
the article's URL, and the outlet comes from its domain.

``Article.original`` is ``title + "\\n\\n" + text`` when a title is
given (the title Span then covers the first line), else ``text``. A bad row becomes a
``ItemFailure`` whose source is ``<file>#<n>`` (n = 1-based line for JSONL, 1-based data row for
CSV and Parquet) and the other rows go on; a file without a ``text`` column fails as a whole.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any, cast

from unspin.read.declared import clean_byline, from_section, from_url, record_declared
from unspin.read.decode import DEFAULT_MAX_BYTES, decode_bytes
from unspin.read.errors import ReadFailure
from unspin.read.ids import article_id
from unspin.read.meta import parse_date
from unspin.read.outlets import resolve
from unspin.types import Article, ItemFailure, SourceFormat, Span

# Each field's accepted column names, in the order they are tried (see the module docstring).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "maintext", "full_text", "article_text", "article", "story"),
    "title": ("title", "headline", "heading"),
    "url": ("url", "link", "article_url", "source_url"),
    "author": ("author", "authors", "byline", "creator"),
    "outlet": ("outlet", "source", "publisher", "source_name", "site_name", "site", "publication",
               "newspaper", "media", "domain"),
    "published": ("published", "date", "published_at", "publish_date", "date_published", "pubdate",
                  "datetime", "timestamp"),
}
# Columns (kept in ``meta``) whose value may declare the genre: "Opinion", "Satire".
SECTION_COLUMNS = ("section", "category", "genre", "articletype", "desk")
ArticleOrError = Article | ItemFailure


def _norm(column: str) -> str:
    return re.sub(r"[_\-\s]", "", column.lower())


def resolve_columns(columns: Iterable[str]) -> Mapping[str, str]:
    """Which of ``columns`` holds each field (field -> column name as written), by alias order."""
    return _resolve(tuple(str(c) for c in columns))


@lru_cache(maxsize=256)
def _resolve(columns: tuple[str, ...]) -> Mapping[str, str]:
    # Memoised: every row of a CSV or Parquet file (and of most JSONL files) has the same columns.
    by_norm: dict[str, str] = {}
    for c in columns:
        by_norm.setdefault(_norm(c), c)
    found = {}
    for field, aliases in COLUMN_ALIASES.items():
        hit = next((by_norm[_norm(a)] for a in aliases if _norm(a) in by_norm), None)
        if hit is not None:
            found[field] = hit
    return MappingProxyType(found)  # shared between calls: read-only


def read_jsonl(data: bytes, source: str, *, outlet: str | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[ArticleOrError]:
    text = decode_bytes(data, max_bytes=max_bytes, source=source)
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        row_source = f"{source}#{lineno}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ItemFailure(source=row_source, reason=f"malformed JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(row, dict):
            yield ItemFailure(source=row_source, reason=f"expected a JSON object, got {type(row).__name__}")
            continue
        yield row_or_error(row, row_source, "jsonl", outlet)


def read_csv(data: bytes, source: str, *, outlet: str | None = None,
             max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[ArticleOrError]:
    text = decode_bytes(data, max_bytes=max_bytes, source=source)
    # Articles are long: lift the csv module's 128 KB field limit up to the file size limit.
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes))
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey="extra_fields")
    try:
        require_text_column(reader.fieldnames or [], source)
    except csv.Error as exc:
        raise ReadFailure(f"{source} is not readable CSV: {exc}") from exc
    return _rows(_csv_rows(reader, source), source, "csv", outlet)


def _csv_rows(reader: csv.DictReader, source: str) -> Iterator[dict[str, Any]]:
    try:
        yield from reader
    except csv.Error as exc:  # the rows before stay read; the rest of the file is one error
        raise ReadFailure(f"{source}: CSV error near line {reader.line_num}: {exc}") from exc


def read_parquet(data: bytes, source: str, *, outlet: str | None = None) -> Iterator[ArticleOrError]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises ArrowInvalid / OSError for damaged files
        raise ReadFailure(f"{source} is not a readable Parquet file: {exc}") from exc
    require_text_column(table.column_names, source)
    return _rows(table.to_pylist(), source, "parquet", outlet)


def require_text_column(columns: Iterable[str], source: str) -> None:
    columns = list(columns)
    if "text" not in resolve_columns(columns):
        found = ", ".join(repr(c) for c in columns) or "none"
        accepted = ", ".join(repr(a) for a in COLUMN_ALIASES["text"])
        raise ReadFailure(f"{source} has no 'text' column (columns found: {found}); the article text "
                          f"must be in a column named one of {accepted}")


def _rows(rows: Iterable[Mapping[str, Any]], source: str, fmt: str, outlet: str | None) -> Iterator[ArticleOrError]:
    for n, row in enumerate(rows, start=1):
        yield row_or_error(row, f"{source}#{n}", fmt, outlet)


def row_or_error(row: Mapping[str, Any], source: str, fmt: str, outlet: str | None) -> ArticleOrError:
    try:
        return article_from_row(row, source, fmt, outlet=outlet)
    except ReadFailure as exc:
        return ItemFailure(source=source, reason=exc.reason)


def article_from_row(row: Mapping[str, Any], source: str, fmt: str, *, outlet: str | None = None) -> Article:
    cols = resolve_columns(row.keys())

    def get(field: str) -> Any:
        return _clean_value(row.get(cols[field])) if field in cols else None

    body = get("text")
    if not isinstance(body, str) or not body.strip():
        raise ReadFailure("row has no text" if body is None or body == "" else
                          f"row's text is {'blank' if isinstance(body, str) else type(body).__name__}, not article text")
    body = body.replace("\r\n", "\n").replace("\r", "\n")  # same newline rule as files (see decode)
    title = get("title")
    title = re.sub(r"\s+", " ", str(title)).strip() if title is not None else ""
    if title:
        original = f"{title}\n\n{body}"
        title_span = Span(start=0, end=len(title), text=title)
    else:
        original, title_span = body, None
    url = get("url")
    url = str(url).strip() if url else None
    raw_date = get("published")
    published = parse_date(raw_date)
    used = set(cols.values())
    meta = {str(k): _jsonable(v) for k, v in row.items() if k not in used and _clean_value(v) is not None}
    if raw_date is not None and published is None:
        meta["published_raw"] = str(raw_date)  # kept so nothing the user gave is lost
    author = get("author")
    if isinstance(author, list):  # "authors": ["A. Name", "B. Name"]
        author = ", ".join(str(a) for a in author if a)
    author, by_byline = clean_byline(str(author) if author else None)
    section = next((meta[k] for k in meta if _norm(k) in SECTION_COLUMNS and isinstance(meta[k], str)), None)
    record_declared(meta, from_section(section, "section column"), from_url(url), by_byline)
    row_outlet = get("outlet")
    if isinstance(row_outlet, Mapping):  # NewsAPI: "source": {"id": "bbc-news", "name": "BBC News"}
        row_outlet = _clean_value(row_outlet.get("name"))
    if isinstance(row_outlet, str) and re.match(r"https?://", row_outlet.strip(), re.IGNORECASE):
        url = url or row_outlet.strip()  # a "source" column holding the page's address
        row_outlet = None
    name, how = resolve(str(row_outlet) if row_outlet else None, url, outlet)
    if how:
        meta["outlet_from"] = how
    return Article(
        id=article_id(original),
        original=original,
        source=source,
        format=cast(SourceFormat, fmt),
        title=title_span,
        url=url,
        author=author,
        outlet=name,
        published=published,
        meta=meta,
    )


def _clean_value(value: Any) -> Any:
    """Missing cells arrive as None, "" (CSV) or NaN (Parquet floats): all mean "absent"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str) and not value.strip():
        return None if value == "" else value
    return value


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return str(value)
