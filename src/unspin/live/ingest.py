"""One article at a time through clean -> analyse -> store -> story: what the web worker and
``unspin watch`` do with every new article. Heavy resources (spaCy, models) load once, on the
first article, in the thread that uses them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from unspin.live.stories import StoryTracker
from unspin.store.db import Store
from unspin.types import Analysis, Article

# (stage name, progress in [0, 1]) -> None; stages: cleaning, analysing, storing, grouping.
OnStage = Callable[[str, float], None]


@dataclass
class IngestResult:
    article_id: str
    story_id: str | None
    status: str  # analysed | not_analysed
    new: bool  # False when this article (same text) was already stored by the same pipeline


class Ingestor:
    def __init__(
        self, store: Store, pipeline: Callable[[Article], Analysis] | None = None, group_config=None,
        analyse=None, make_pipeline: Callable[[], Callable[[Article], Analysis]] | None = None,
    ) -> None:
        """``pipeline``: what analyses each article; else ``make_pipeline()``, else the one
        ``analyse`` (the config file's ``AnalyseSettings``) describes, else the default, built on
        the first article."""
        self.store = store
        self._pipeline = pipeline
        self._make_pipeline = make_pipeline
        self._analyse = analyse
        self.stories = StoryTracker(store, group_config)
        # ``serve`` shares one ingestor (one loaded pipeline) between its worker and its watcher.
        self._lock = threading.Lock()
        # Called with the story id each time an article joins a story (the web app's warmer).
        self.on_story: list[Callable[[str], None]] = []

    @property
    def pipeline(self) -> Callable[[Article], Analysis]:
        if self._pipeline is None and self._make_pipeline is not None:
            self._pipeline = self._make_pipeline()
        if self._pipeline is None:
            from unspin.config import AnalyseSettings

            self._pipeline = (self._analyse or AnalyseSettings()).pipeline()
        return self._pipeline

    def ingest(self, article: Article, on_stage: OnStage | None = None) -> IngestResult:
        with self._lock:
            return self._ingest(article, on_stage)

    def _ingest(self, article: Article, on_stage: OnStage | None) -> IngestResult:
        from unspin.clean import clean_article

        report = on_stage or (lambda stage, progress: None)
        report("cleaning", 0.1)
        article = clean_article(article)
        report("analysing", 0.3)
        analysis = self.pipeline(article)
        report("storing", 0.8)
        new = self.store.save_analysis(analysis)
        report("grouping", 0.9)
        story = self.stories.add(analysis)
        if story is not None:
            for listener in self.on_story:
                listener(story.id)
        return IngestResult(article.id, story.id if story else None, analysis.status, new)
