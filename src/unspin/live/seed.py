"""First start: analyse the bundled examples so a fresh ``unspin serve`` has a story to show."""

from __future__ import annotations

from pathlib import Path

import unspin
from unspin.app.stories import arrival_order
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
    articles = [item for item in read_inputs([str(folder)])
                if isinstance(item, Article) and Path(item.source).stem.lower() not in _NOT_ARTICLES]
    # In the order a batch groups them in, so that the seeded stories are report's stories.
    return [ingestor.ingest(a).article_id for a in arrival_order(articles, lambda a: a.published)]
