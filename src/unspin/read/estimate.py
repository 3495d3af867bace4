"""How many articles some inputs hold, roughly and cheaply, for a progress bar's time left:
Parquet row counts from the file footer, one per line of JSONL and CSV (a CSV cell spanning lines
makes it an overestimate), one per other file. None when a feed, standard input or a missing
path makes it unknowable."""

from __future__ import annotations

import glob
from pathlib import Path

from unspin.read.dispatch import EXTENSIONS

_CHUNK = 1 << 20


def estimate_records(inputs: list[str]) -> int | None:
    total = 0
    for item in inputs:
        paths = [Path(p) for p in sorted(glob.glob(item, recursive=True))] if set(item) & set("*?[") else [Path(item)]
        for path in paths:
            n = _records_in(path)
            if n is None:
                return None
            total += n
    return total


def _records_in(path: Path) -> int | None:
    if not path.is_file():
        return None
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            return pq.ParquetFile(path).metadata.num_rows
        except Exception:  # noqa: BLE001 - a damaged file is one error when read, one record here
            return 1
    if fmt in ("jsonl", "csv"):
        lines, last = 0, b"\n"
        with path.open("rb") as f:
            while chunk := f.read(_CHUNK):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
        lines += last != b"\n"  # a last line without its line break
        return max(lines - (fmt == "csv"), 0)
    if fmt == "feed":
        return None
    return 1
