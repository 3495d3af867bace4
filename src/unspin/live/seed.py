"""First start: analyse the bundled examples so a fresh ``unspin serve`` has a story to show."""

from __future__ import annotations

from pathlib import Path

import unspin
from unspin.live.ingest import Ingestor
from unspin.read import read_inputs
from unspin.store.db import Store
from unspin.types import Article

_NOT_ARTICLES = ("readme", "license", "licence")


def find_examples(explicit: str | Path | None = None) -> Path | None:
    """The examples folder: the one given, else beside the source tree, else ./examples."""
    candidates = [Path(explicit)] if explicit else [Path(unspin.__file__).resolve().parents[2] / "examples",
                                                    Path.cwd() / "examples"]
    return next((c for c in candidates if c.is_dir()), None)


def store_is_empty(store: Store) -> bool:
    return store.counts().get("analyses", 0) == 0


def seed_examples(store: Store, ingestor: Ingestor, folder: Path) -> list[str]:
    """Ingest every article in ``folder`` (not its README); returns the article ids."""
    ids = []
    for item in read_inputs([str(folder)]):
        if not isinstance(item, Article):
            continue
        if Path(item.source).stem.lower() in _NOT_ARTICLES:
            continue
        ids.append(ingestor.ingest(item).article_id)
    return ids
