"""Keep story membership up to date as articles arrive one by one.

The grouping itself is ``unspin.group.stories.StoryGrouper`` (incremental). Several processes
may add articles to one database (``serve``'s worker and ``unspin watch``), so before each add
the tracker feeds its grouper the stored analyses it has not seen yet, oldest first; grouping
is incremental, so that is cheap after the first call.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from unspin.store import tables as t
from unspin.store.db import Store, as_utc
from unspin.types import Analysis, Story, StoryMember

if TYPE_CHECKING:
    from unspin.group.stories import StoryGrouper

log = logging.getLogger(__name__)


class StoryTracker:
    def __init__(self, store: Store, group_config=None) -> None:
        self.store = store
        self.group_config = group_config  # a GroupConfig; None: its defaults
        self._grouper: StoryGrouper | None = None
        self._known: set[str] = set()
        self._lock = threading.Lock()

    @property
    def grouper(self) -> StoryGrouper:
        """The grouper, made on first use (it loads the sentence encoder)."""
        if self._grouper is None:
            self._grouper = self._new_grouper()
        return self._grouper

    def _new_grouper(self) -> StoryGrouper:
        from unspin.group.stories import StoryGrouper

        return StoryGrouper(self.group_config)

    def add(self, analysis: Analysis) -> Story | None:
        """Place ``analysis`` (already stored) in a story, save the story and return it."""
        with self._lock:
            self._catch_up(exclude=analysis.article.id)
            if analysis.article.id in self._known:
                return self._story_of(analysis.article.id)
            story_id = self.grouper.add(analysis)
            self._known.add(analysis.article.id)
            story = self._story_record(story_id, analysis)
            self.store.save_story(story)
            return story

    def _catch_up(self, exclude: str) -> None:
        with self.store.engine.connect() as conn:
            ids = [
                r.article_id
                for r in conn.execute(select(t.analyses.c.article_id).order_by(t.analyses.c.created))
                if r.article_id not in self._known and r.article_id != exclude
            ]
        if not ids:
            return
        stored = {a.article.id: a for a in self.store.iter_analyses(ids=ids)}
        for article_id in ids:  # oldest first, the order they were first grouped in
            if article_id in stored:
                self.grouper.add(stored[article_id])
                self._known.add(article_id)

    def _story_of(self, article_id: str) -> Story | None:
        with self.store.engine.connect() as conn:
            row = conn.execute(
                select(t.story_members.c.story_id).where(t.story_members.c.article_id == article_id)
            ).first()
        return self.store.get_story(row.story_id) if row else None

    def _story_record(self, story_id: str, analysis: Analysis) -> Story:
        """The grouper's story (members with copy/rewrite relations), dated by publication
        only (an undated story stays undated); ``updated`` is now, so it tops the list."""
        story = next((s for s in self.grouper.stories() if s.id == story_id), None)
        if story is None:  # the grouper always knows a story it just returned; be safe anyway
            story = Story(id=story_id, title=analysis.article.title_text,
                          members=[StoryMember(article_id=analysis.article.id)])
        stored = self.store.get_story(story_id)
        firsts = [d for d in (as_utc(story.first_seen), as_utc(stored.first_seen) if stored else None) if d]
        lasts = [d for d in (as_utc(story.last_seen), as_utc(stored.last_seen) if stored else None) if d]
        story.first_seen = min(firsts) if firsts else None
        story.last_seen = max(lasts) if lasts else None
        story.updated = datetime.now(UTC)
        return story


