"""What the routes share: config, store, live state, the worker and a comparison cache.
Built once per app by ``create_app`` and kept on ``app.state.services`` (no module globals)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from fastapi import Request

from unspin.config import Config
from unspin.live.fetch import FetchPolicy
from unspin.live.state import LiveState
from unspin.live.worker import Worker
from unspin.store.db import Store
from unspin.types import Analysis, Comparison, Story
from unspin.web.sessions import Sessions


class LruCache:
    """A bounded, thread-safe map that forgets the least recently used entry first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[tuple, threading.Lock] = {}  # keys being computed, one lock each

    def get(self, key: tuple):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: tuple, value) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get_or_compute(self, key: tuple, compute):
        """The cached value, else ``compute()``, run once however many requests ask at the same
        time: the others wait for it instead of each computing it (a busy story's page would
        otherwise be compared once per concurrent reader)."""
        found = self.get(key)
        if found is not None:
            return found
        with self._lock:
            key_lock = self._computing.setdefault(key, threading.Lock())
        try:
            with key_lock:
                found = self.get(key)
                if found is None:
                    found = compute()
                    self.put(key, found)
                return found
        finally:
            with self._lock:
                if self._computing.get(key) is key_lock and not key_lock.locked():
                    del self._computing[key]


class ComparisonCache(LruCache):
    """Comparing a story is the costly part of its page; the result only changes when the
    story's members or their analyses change, so it is cached under exactly that key."""

    def __init__(self, size: int = 64) -> None:
        super().__init__(size)

    def comparison(self, story: Story, analyses: list[Analysis]) -> Comparison:
        from unspin.compare import compare

        key = (story.id, tuple(sorted((a.article.id, ",".join(a.components)) for a in analyses)))
        return self.get_or_compute(key, lambda: compare(analyses, story=story))


class PageCache(LruCache):
    """Rendered pages under the version of what they show (``Store.story_version``): a story page
    costs a template render of every highlighted span; an unchanged story is served as it was."""

    def __init__(self, size: int = 128) -> None:
        super().__init__(size)


@dataclass
class Services:
    config: Config
    store: Store
    state: LiveState
    worker: Worker
    policy: FetchPolicy
    sessions: Sessions
    comparisons: ComparisonCache = field(default_factory=ComparisonCache)
    pages: PageCache = field(default_factory=PageCache)

    def story_with_analyses(self, story_id: str) -> tuple[Story, list[Analysis]] | None:
        story = self.store.get_story(story_id)
        if story is None:
            return None
        analyses = list(self.store.iter_analyses(ids=story.article_ids))
        return story, analyses


def services(request: Request) -> Services:
    return request.app.state.services
