"""``unspin batch``: a corpus analysed in shards into Parquet files, resumable at any moment.

The input records are read in a fixed order, repeats of an article (same text, same id) are
dropped, and record i goes to shard i // shard_size: the same arguments always give the same
shards. Each shard is written whole (``output.write_part``). A run started again with the same
arguments reads the inputs again, passes over the shards already written and analyses the rest;
the store keeps each article's analysis once (keyed by its id) and each error once, so a run
killed at any moment, even with SIGKILL, and restarted ends with every article exactly once.

``_batch.json`` in the output folder records the arguments; another run with different inputs,
shard size or analysers refuses that folder instead of mixing two batches.
"""

from __future__ import annotations

import json
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from unspin.analyse.pipeline import Pipeline
from unspin.batch.output import done_parts, row_of, write_part
from unspin.batch.runner import BatchItem, iter_batch, pipeline_signature
from unspin.errors import UnspinError
from unspin.store.db import Store
from unspin.types import Article, ItemFailure

MANIFEST = "_batch.json"
DEFAULT_SHARD_SIZE = 500


class BatchOutputError(UnspinError, RuntimeError):
    """The output folder holds another batch (or cannot be used)."""


@dataclass(frozen=True)
class BatchPlan:
    """What decides the shards and their contents; stored as ``_batch.json``."""

    inputs: list[str]
    shard_size: int
    signature: str
    max_bytes: int | None = None
    outlet: str | None = None  # how outlets were set (repr of the options), so a change is noticed


@dataclass
class Shard:
    index: int
    records: list[Article | ItemFailure]


@dataclass
class BatchTotals:
    counts: Counter[str] = field(default_factory=Counter)  # analysed, not_analysed, failed, duplicate
    parts_written: int = 0
    parts_done_before: int = 0


def open_output(out: Path, plan: BatchPlan) -> set[int]:
    """Prepare the output folder for ``plan``; the indices of shards already written."""
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / MANIFEST
    wanted = asdict(plan)
    if manifest.exists():
        try:
            found = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BatchOutputError(f"{manifest} is not readable ({exc}); use another --out") from None
        changed = [k for k in wanted if found.get(k) != wanted[k]]
        if changed:
            raise BatchOutputError(
                f"{out} holds a batch run with other {', '.join(changed)}; give the same arguments to "
                f"finish it, or use another --out")
    else:
        aside = manifest.with_suffix(".tmp")
        aside.write_text(json.dumps(wanted, indent=1), encoding="utf-8")
        aside.replace(manifest)
    for stale in out.glob(".part-*.tmp"):  # a part a killed run was writing
        stale.unlink(missing_ok=True)
    return done_parts(out)


def make_shards(records: Iterable[Article | ItemFailure], shard_size: int,
                counts: Counter[str] | None = None) -> Iterator[Shard]:
    """Cut the records into shards of ``shard_size``, dropping repeats of an article already read
    (counted as ``duplicate``); unreadable inputs stay, each one row."""
    seen: set[str] = set()
    batch: list[Article | ItemFailure] = []
    index = 0
    for record in records:
        if isinstance(record, Article):
            if record.id in seen:
                if counts is not None:
                    counts["duplicate"] += 1
                continue
            seen.add(record.id)
        batch.append(record)
        if len(batch) == shard_size:
            yield Shard(index, batch)
            index, batch = index + 1, []
    if batch:
        yield Shard(index, batch)


def run_local(
    shards: Iterable[Shard],
    done: set[int],
    out: Path,
    *,
    pipeline: Pipeline,
    store: Store | None,
    workers: int = 1,
    on_item: Callable[[BatchItem], None] | None = None,
    totals: BatchTotals | None = None,
) -> BatchTotals:
    """Analyse the shards not yet written, in this process or ``workers`` local processes, and
    write each as its last article is done."""
    totals = totals if totals is not None else BatchTotals()
    signature = pipeline_signature(pipeline)
    pending: deque[tuple[Shard, Article | ItemFailure]] = deque()

    def records() -> Iterator[Article | ItemFailure]:
        for shard in shards:
            if shard.index in done:
                totals.parts_done_before += 1
                continue
            for record in shard.records:
                pending.append((shard, record))
                yield record

    rows: dict[int, list[dict[str, Any]]] = {}
    # One item per record, in input order (also with worker processes): pair them up again.
    for item in iter_batch((), articles=records(), pipeline=pipeline, store=store, workers=workers):
        shard, record = pending.popleft()
        shard_rows = rows.setdefault(shard.index, [])
        shard_rows.append(row_of(record, item, signature))
        totals.counts[item.outcome] += 1
        if on_item is not None:
            on_item(item)
        if len(shard_rows) == len(shard.records):
            write_part(out, shard.index, rows.pop(shard.index))
            totals.parts_written += 1
    return totals
