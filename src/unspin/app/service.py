"""The application service: gather -> analyse -> group -> compare, in one object that every
front end uses (``analyze``, ``compare``, ``report``, ``stories``, ``serve``, ``watch``).

A front end makes one ``Unspin`` with what it was given (a store, how to build the pipeline, how
to group, where to run the analyses) and asks it for what it shows; it keeps only what is its
own (options, progress bars, output). Batches analyse through a backend (``batch/backends.py``);
live mode takes articles one at a time through ``ingestor()``, grouping them in the same order
as a batch does (``app.stories.arrival_order``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from unspin.app.stories import compare_stories, group_stories, undated_hint
from unspin.batch.runner import BatchItem, BatchResult, add_to_result, iter_batch
from unspin.types import Analysis, Article, Comparison, ItemFailure, Story

if TYPE_CHECKING:
    from unspin.analyse.pipeline import Pipeline
    from unspin.batch.backends import Backend
    from unspin.config import AnalyseSettings
    from unspin.group.stories import GroupConfig
    from unspin.live.ingest import Ingestor
    from unspin.read.outlets import OutletMap
    from unspin.store.db import Store


@dataclass
class Gathered:
    """The analyses a command works on (one per article id, input order) and what failed."""

    analyses: list[Analysis] = field(default_factory=list)
    errors: list[ItemFailure] = field(default_factory=list)
    result: BatchResult = field(default_factory=BatchResult)

    @property
    def analysed(self) -> list[Analysis]:
        """Those analysed in full (not those left out for their language)."""
        return [a for a in self.analyses if a.status == "analysed"]


class Unspin:
    """One application: a store (or none), a pipeline built once on first use, a grouping, and
    the backend batches run on.

    ``pipeline``: a built pipeline; else ``make_pipeline()`` (the CLI's reports its own errors);
    else the one ``analyse`` (the config file's ``[analyse]``) describes.
    ``backend``: a function giving a fresh backend for each batch; else ``workers`` local
    processes (``backend_for``)."""

    def __init__(
        self,
        store: Store | None = None,
        *,
        pipeline: Pipeline | None = None,
        make_pipeline: Callable[[], Pipeline] | None = None,
        analyse: AnalyseSettings | None = None,
        grouping: GroupConfig | None = None,
        workers: int = 1,
        backend: Callable[[], Backend] | None = None,
    ) -> None:
        self.store = store
        self.grouping = grouping
        self.workers = workers
        self._backend = backend
        self._analyse = analyse
        self._pipeline = pipeline
        self._make_pipeline = make_pipeline
        self._ingestor: Ingestor | None = None

    # -- analyse ---------------------------------------------------------------------------------
    @property
    def pipeline(self) -> Pipeline:
        """The analyse pipeline, built on first use (it is only needed when something is new)."""
        if self._pipeline is None:
            if self._make_pipeline is not None:
                self._pipeline = self._make_pipeline()
            else:
                from unspin.config import AnalyseSettings

                self._pipeline = (self._analyse or AnalyseSettings()).pipeline()
        return self._pipeline

    def backend(self) -> Backend:
        from unspin.batch.backends import backend_for

        return self._backend() if self._backend is not None else backend_for(self.workers)

    def analyse(
        self,
        inputs: Iterable[str],
        *,
        outlet: str | OutletMap | None = None,
        max_bytes: int | None = None,
        limit: int | None = None,
        articles: Iterable[Article | ItemFailure] | None = None,
    ) -> Iterator[BatchItem]:
        """Read, clean, analyse and store ``inputs`` (or ``articles`` already read): one item per
        article or failed input, in input order, as each is done. Stored articles are loaded,
        not analysed again."""
        return iter_batch(
            inputs, pipeline=self.pipeline, store=self.store, outlet=outlet, max_bytes=max_bytes,
            limit=limit, articles=articles, backend=self.backend(),
        )

    def gather(
        self,
        inputs: list[str],
        *,
        outlet: str | OutletMap | None = None,
        max_bytes: int | None = None,
        on_item: Callable[[BatchItem], None] | None = None,
    ) -> Gathered:
        """Analyse ``inputs`` (``on_item`` sees each item as it is done); with no inputs, every
        analysis already in the store. The same text given twice counts once."""
        out = Gathered()
        if not inputs:
            if self.store is not None:
                out.analyses = list(self.store.iter_analyses())
            return out
        for item in self.analyse(inputs, outlet=outlet, max_bytes=max_bytes):
            add_to_result(out.result, item)
            if on_item is not None:
                on_item(item)
        out.analyses = list({a.article.id: a for a in out.result.analyses}.values())
        out.errors = list(out.result.errors)
        return out

    # -- group -----------------------------------------------------------------------------------
    def group(self, analyses: list[Analysis], *, save: bool = True) -> list[Story]:
        """Group analysed articles into stories (``app.stories.group_stories``) and store them."""
        stories = group_stories(analyses, self.grouping)
        if save and self.store is not None:
            for story in stories:
                self.store.save_story(story)
        return stories

    def undated_note(self, analyses: Iterable[Analysis]) -> str | None:
        """What grouping could not use, for a large, mostly undated batch (else None)."""
        return undated_hint(analyses, self.grouping)

    def stored_stories(self) -> tuple[list[Story], list[Analysis]]:
        """The stories in the store; when it holds analyses but no stories yet (filled by
        ``analyze``), those analyses grouped now and stored, with the analyses."""
        if self.store is None:
            return [], []
        stories = self.store.list_stories()
        if stories:
            return stories, []
        analyses = list(self.store.iter_analyses())
        return (self.group(analyses) if analyses else []), analyses

    def analyses_of(self, stories: Iterable[Story]) -> list[Analysis]:
        """The stored analyses of these stories' articles."""
        if self.store is None:
            return []
        return list(self.store.iter_analyses(ids=[i for s in stories for i in s.article_ids]))

    # -- compare ---------------------------------------------------------------------------------
    def compare(self, stories: Iterable[Story], analyses: Iterable[Analysis], *,
                singles: bool = False) -> list[Comparison]:
        """One comparison per story of two or more analysed articles (with ``singles``, also
        per one-article story: its headline against its own body)."""
        return compare_stories(stories, analyses, singles=singles)

    def compare_articles(self, analyses: list[Analysis], *, save: bool = True) -> Comparison:
        """The given articles compared as one story (``unspin compare``), the story stored."""
        from unspin.compare import compare

        comparison = compare(analyses)
        if save and self.store is not None:
            self.store.save_story(comparison.story)
        return comparison

    # -- live ------------------------------------------------------------------------------------
    def ingestor(self) -> Ingestor:
        """Articles one at a time through clean -> analyse -> store -> story (``serve``, ``watch``),
        with this service's store, pipeline and grouping; made once."""
        if self._ingestor is None:
            from unspin.live.ingest import Ingestor

            if self.store is None:
                raise ValueError("live mode needs a store: its stories live there")
            # The pipeline is built when the first article arrives, in the thread that uses it.
            self._ingestor = Ingestor(self.store, group_config=self.grouping,
                                      make_pipeline=lambda: self.pipeline)
        return self._ingestor
