"""What the routes share: config, store, live state, the worker and a comparison cache.
Built once per app by ``create_app`` and kept on ``app.state.services`` (no module globals)."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import Request

from unspin.config import Config
from unspin.live.fetch import FetchPolicy
from unspin.live.state import LiveState
from unspin.live.worker import Worker
from unspin.store.db import Store
from unspin.types import Analysis, Comparison, Story
from unspin.web.sessions import Sessions

log = logging.getLogger(__name__)


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
    costs a template render of every highlighted span; an unchanged story is served as it was.
    The newest page of each view is also kept apart (``latest``), to be served while a newer
    version of its story is being compared."""

    def __init__(self, size: int = 128) -> None:
        super().__init__(size)
        self._latest: OrderedDict[tuple, str] = OrderedDict()

    def remember_latest(self, view: tuple, page: str) -> None:
        with self._lock:
            self._latest[view] = page
            self._latest.move_to_end(view)
            while len(self._latest) > self.size:
                self._latest.popitem(last=False)

    def latest(self, view: tuple) -> str | None:
        with self._lock:
            return self._latest.get(view)


class StoryWarmer:
    """Compares a story again in a background thread after it changes, so that its next reader
    gets the page without waiting for the comparison (on a 50-article story, over a second of
    embedding). ``notify`` never blocks; a story notified twice before its turn is done once."""

    def __init__(self, warm: Callable[[str], None]) -> None:
        self._warm = warm
        self._pending: OrderedDict[str, None] = OrderedDict()
        self._cond = threading.Condition()
        self._busy = False
        self._current: str | None = None
        self._stopped = False
        self._thread: threading.Thread | None = None

    def is_warming(self, story_id: str) -> bool:
        """True while the story waits for its turn or is being compared."""
        with self._cond:
            return story_id in self._pending or self._current == story_id

    def notify(self, story_id: str | None) -> None:
        if not story_id:
            return
        with self._cond:
            if self._stopped:
                return
            self._pending[story_id] = None
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="unspin-warmer", daemon=True)
                self._thread.start()
            self._cond.notify()

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._stopped:
                    self._busy = False
                    self._cond.notify_all()
                    self._cond.wait()
                if self._stopped:
                    return
                story_id, _ = self._pending.popitem(last=False)
                self._busy, self._current = True, story_id
            try:
                self._warm(story_id)
            except Exception:  # a story that cannot be compared is compared again when read
                log.exception("warming story %s failed", story_id)
            finally:
                with self._cond:
                    self._current = None

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """True once nothing is pending or running (tests and benchmarks)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._pending or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()


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

    warmer: StoryWarmer | None = None
    # story id -> the line that says how its outlets differ most (the story list shows it)
    divergences: LruCache = field(default_factory=lambda: LruCache(4096))

    def warm_story(self, story_id: str) -> None:
        """Compare a story now, into the cache its page reads (the warmer's work)."""
        found = self.story_with_analyses(story_id)
        if found is not None and len(found[1]) > 1:
            self.remember_divergence(self.comparisons.comparison(*found), found[1])

    def remember_divergence(self, comparison: Comparison, analyses: list[Analysis]) -> None:
        self.divergences.put((comparison.story.id,), comparison.top_divergence)

    def divergence(self, story_id: str) -> str | None:
        """The story's top divergence when it has been compared ("" when nothing differs);
        None: not yet (the warmer is asked to compare it, for the next reader)."""
        found = self.divergences.get((story_id,))
        if found is None and self.warmer is not None:
            self.warmer.notify(story_id)
        return found

    def story_with_analyses(self, story_id: str) -> tuple[Story, list[Analysis]] | None:
        story = self.store.get_story(story_id)
        if story is None:
            return None
        analyses = list(self.store.iter_analyses(ids=story.article_ids))
        return story, analyses


def services(request: Request) -> Services:
    return request.app.state.services
