"""The application layer's steps after analysis (``app.service.Unspin`` calls them): group
analysed articles into stories, compare each story's articles, and say what grouping could not
use. Live mode (``watch``, the web app) places articles one at a time instead
(``live/stories.py``), in the same order (``arrival_order``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from unspin.types import Analysis, Comparison, Story

if TYPE_CHECKING:
    from unspin.group.stories import GroupConfig

T = TypeVar("T")


def arrival_order(items: Iterable[T], published: Callable[[T], datetime | None]) -> list[T]:
    """``items`` in the order articles are grouped in, in a batch and live alike: dated ones
    oldest first, then undated ones in the order given (a naive date is taken as UTC)."""

    def key(indexed: tuple[int, T]) -> tuple[int, float, int]:
        i, item = indexed
        when = published(item)
        if when is None:
            return (1, 0.0, i)
        return (0, (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp(), i)

    return [item for _, item in sorted(enumerate(items), key=key)]


def _published(analysis: Analysis) -> datetime | None:
    return analysis.article.published


def group_stories(analyses: Iterable[Analysis], config: GroupConfig | None = None) -> list[Story]:
    """Group analysed articles into stories. Up to ``batch_max_articles`` articles every pair is
    compared at once (``group.batch``); above, the same stories come in two phases whose cost
    grows with the corpus (``group.corpus``); "incremental" places them oldest first, as live mode
    does. Articles that were not analysed are left out."""
    from unspin.group.stories import GroupConfig, StoryGrouper  # the group stage loads its encoder lazily

    config = config or GroupConfig()
    usable = arrival_order((a for a in analyses if a.status == "analysed"), _published)
    if config.uses_batch(len(usable)):
        from unspin.group.batch import BatchConfig, BatchGrouper

        return BatchGrouper(BatchConfig.from_group(config)).group(usable)
    if config.uses_corpus(len(usable)):
        from unspin.group.batch import BatchConfig
        from unspin.group.corpus import CorpusGrouper

        return CorpusGrouper(BatchConfig.from_group(config)).group(usable)
    grouper = StoryGrouper(config)
    for a in usable:
        grouper.add(a)
    return grouper.stories()


# An undated batch at least this big, most of it undated, gets a note: without dates, articles
# on one wider topic join more often across events (docs/grouping.md has the figures).
UNDATED_CORPUS = 50


def undated_hint(analyses: Iterable[Analysis], config: GroupConfig | None) -> str | None:
    """A note for a large, mostly undated batch: what grouping could and could not use."""
    from unspin.group.stories import GroupConfig

    config = config or GroupConfig()
    usable = [a for a in analyses if a.status == "analysed"]
    undated = sum(1 for a in usable if a.article.published is None)
    if undated < UNDATED_CORPUS or undated * 2 < len(usable):
        return None
    n = len(usable)
    how = ("every pair of articles was compared on what they say" if config.uses_batch(n) else
           "each article was compared with its nearest articles on what they say" if config.uses_corpus(n) else
           "the articles were grouped one at a time")
    # No stricter threshold is advised: an independent evaluation found 0.7 worse than the default.
    return (f"{undated} of {len(usable)} articles have no publication date, so {how}, without time to "
            "tell one event from the next on the same topic. Give dates where you have them (a "
            "'published' column, the pages' own metadata) and check big stories by hand.")


def compare_stories(
    stories: Iterable[Story], analyses: Iterable[Analysis], *, singles: bool = False
) -> list[Comparison]:
    """One ``Comparison`` per story with two or more analysed articles; with ``singles``, also
    per one-article story (its headline checked against its own body)."""
    from unspin.compare import compare

    by_id = {a.article.id: a for a in analyses}
    out = []
    for story in stories:
        members = [by_id[i] for i in story.article_ids if i in by_id]
        if len(members) > 1 or (singles and members):
            out.append(compare(members, story))
    return out
