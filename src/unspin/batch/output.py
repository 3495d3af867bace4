"""What ``unspin batch`` writes: Parquet files of one row per article (or unreadable input), each
shard written whole or not at all.

The columns are ``ROW_SCHEMA`` (documented in docs/scale.md). ``findings`` is a nested list of
structs with the same fields as the JSON findings; ``attrs`` and ``meta`` are JSON text, since
their keys vary from finding to finding and corpus to corpus.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from unspin.batch.runner import BatchItem
from unspin.types import Article, Finding, ItemFailure

FINDING_TYPE = pa.struct([
    ("kind", pa.string()),
    ("label", pa.string()),
    ("start", pa.int32()),
    ("end", pa.int32()),
    ("text", pa.string()),
    ("confidence", pa.float64()),
    ("source", pa.string()),
    ("explanation", pa.string()),
    ("attrs", pa.string()),  # JSON object
])

ROW_SCHEMA = pa.schema([
    ("article_id", pa.string()),  # null: the input could not be read as an article
    ("source", pa.string()),  # file, or file#row for corpora
    ("status", pa.string()),  # analysed | not_analysed | failed
    ("stage", pa.string()),  # where it failed: read | clean | analyse | store (null otherwise)
    ("reason", pa.string()),  # why it failed, or why it was not analysed
    ("format", pa.string()),
    ("outlet", pa.string()),
    ("title", pa.string()),
    ("url", pa.string()),
    ("author", pa.string()),
    ("published", pa.timestamp("us", tz="UTC")),
    ("language", pa.string()),
    ("meta", pa.string()),  # JSON object: the input's other columns
    ("components", pa.string()),  # name@version of each analyser that ran
    ("findings", pa.list_(FINDING_TYPE)),
])

PART_PREFIX = "part-"


def part_path(out: Path, index: int) -> Path:
    return out / f"{PART_PREFIX}{index:06d}.parquet"


def row_of(record: Article | ItemFailure, item: BatchItem, signature: str) -> dict[str, Any]:
    """One output row for an input record and what became of it."""
    row: dict[str, Any] = dict.fromkeys(ROW_SCHEMA.names)
    row["source"] = item.source
    row["findings"] = []
    if isinstance(record, Article):
        article = item.analysis.article if item.analysis is not None else record
        row.update(article_id=article.id, format=article.format, outlet=article.outlet,
                   title=article.title_text or None, url=article.url, author=article.author,
                   published=article.published, language=article.language,
                   meta=json.dumps(article.meta, ensure_ascii=False, default=str))
    if item.error is not None:
        row.update(status="failed", stage=item.error.stage, reason=item.error.reason)
    elif item.analysis is not None:
        analysis = item.analysis
        row.update(status=analysis.status, reason=analysis.status_reason or None, components=signature,
                   findings=[_finding(f) for f in analysis.findings])
    return row


def _finding(f: Finding) -> dict[str, Any]:
    return {"kind": f.kind, "label": f.label, "start": f.start, "end": f.end, "text": f.text,
            "confidence": f.confidence, "source": f.source, "explanation": f.explanation,
            "attrs": json.dumps(f.attrs, ensure_ascii=False, default=str)}


def write_part(out: Path, index: int, rows: list[dict[str, Any]]) -> Path:
    """Write one shard's rows; the file appears complete or not at all (written aside, synced,
    then renamed), so a run killed at any moment leaves only whole parts."""
    final = part_path(out, index)
    aside = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    table = pa.Table.from_pylist(rows, schema=ROW_SCHEMA)
    pq.write_table(table, aside, compression="zstd")
    with aside.open("rb") as f:
        os.fsync(f.fileno())
    os.replace(aside, final)
    _sync_dir(out)
    return final


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def done_parts(out: Path) -> set[int]:
    """Indices of the shards already written (whole: see ``write_part``)."""
    done = set()
    for path in out.glob(f"{PART_PREFIX}*.parquet"):
        try:
            done.add(int(path.stem[len(PART_PREFIX):]))
        except ValueError:
            continue
    return done


def read_rows(out: Path) -> pa.Table:
    """Every part of a batch output, in shard order."""
    parts = sorted(out.glob(f"{PART_PREFIX}*.parquet"))
    if not parts:
        return ROW_SCHEMA.empty_table()
    return pa.concat_tables([pq.read_table(p, schema=ROW_SCHEMA) for p in parts])


def status_counts(out: Path) -> dict[str, int]:
    """Rows per status over every part written so far (reads one column)."""
    from collections import Counter

    counts: Counter[str] = Counter()
    for path in sorted(out.glob(f"{PART_PREFIX}*.parquet")):
        counts.update(pq.read_table(path, columns=["status"]).column("status").to_pylist())
    return dict(counts)
