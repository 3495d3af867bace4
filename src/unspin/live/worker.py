"""The background worker: analyses submitted from the web app or the API run here, one at a
time, in a thread with a queue, never inside a request. Each job is a row in ``live_jobs``
(status, stage, progress) that the pages poll; queued jobs survive a restart."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from unspin.app.stories import arrival_order
from unspin.live.fetch import FetchError, FetchPolicy, fetch, make_client
from unspin.live.ingest import Ingestor
from unspin.live.inputs import articles_from_bytes
from unspin.live.state import Job, LiveState
from unspin.read.errors import ReadFailure
from unspin.store.db import Store
from unspin.types import Article, ItemFailure

log = logging.getLogger(__name__)


class Worker:
    """``submit_articles`` / ``submit_url`` queue a job and return it at once; ``start`` runs
    the thread. ``ingestor_factory`` is called in the worker thread (spaCy loads there)."""

    def __init__(
        self,
        store: Store,
        state: LiveState,
        policy: FetchPolicy,
        ingestor_factory: Callable[[], Ingestor] | None = None,
    ) -> None:
        self.store = store
        self.state = state
        self.policy = policy
        self._factory = ingestor_factory or (lambda: Ingestor(store))
        self._ingestor: Ingestor | None = None
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    # -- submitting ------------------------------------------------------------------------------
    def submit_articles(self, articles: list[Article], label: str) -> Job:
        payload = {"articles": [a.model_dump(mode="json") for a in articles]}
        return self._enqueue(self.state.create_job("articles", label, payload))

    def submit_url(self, url: str, outlet: str | None = None) -> Job:
        return self._enqueue(self.state.create_job("url", url, {"url": url, "outlet": outlet}))

    def _enqueue(self, job: Job) -> Job:
        self._queue.put(job.id)
        return job

    # -- running ---------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        for job in self.state.unfinished_jobs():  # left over from a previous run
            self._queue.put(job.id)
        self._thread = threading.Thread(target=self._loop, name="unspin-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        if self._thread is None:
            return
        self._queue.put(None)
        self._thread.join(timeout)
        self._thread = None

    def _loop(self) -> None:
        while True:
            job_id = self._queue.get()
            if job_id is None:
                return
            job = self.state.job(job_id)
            if job is None or job.finished:
                continue
            self.run_job(job)

    def run_job(self, job: Job) -> None:
        """Run one job to the end, recording progress; every failure ends as status ``failed``
        with a reason, never as a dead worker."""
        try:
            self.state.update_job(job.id, status="running", stage="reading", progress=0.05)
            # Grouped in the order a batch groups them in (oldest first), whatever order they came in.
            articles = arrival_order(self._articles_of(job), lambda a: a.published)
            if self._ingestor is None:
                self.state.update_job(job.id, stage="loading models", progress=0.08)
                self._ingestor = self._factory()
            article_ids, story_ids, errors = [], [], []
            share = 1.0 / max(1, len(articles))
            for n, article in enumerate(articles):

                def on_stage(stage: str, progress: float, n: int = n) -> None:
                    label = stage if len(articles) == 1 else f"{stage} ({n + 1}/{len(articles)})"
                    self.state.update_job(job.id, stage=label, progress=min(0.99, 0.1 + 0.9 * share * (n + progress)))

                try:
                    result = self._ingestor.ingest(article, on_stage)
                except Exception as exc:  # one bad article must not sink the rest of the job
                    log.exception("analysis failed for %s", article.source)
                    errors.append(f"{article.source}: {exc}")
                    self.store.record_error(ItemFailure(source=article.source, reason=str(exc), stage="analyse"))
                    continue
                article_ids.append(result.article_id)
                if result.story_id and result.story_id not in story_ids:
                    story_ids.append(result.story_id)
            status = "done" if article_ids else "failed"
            self.state.update_job(
                job.id, status=status, stage=status, progress=1.0, error="; ".join(errors)[:2000],
                article_ids=article_ids, story_ids=story_ids,
            )
        except (FetchError, ReadFailure) as exc:
            self.state.update_job(job.id, status="failed", stage="failed", progress=1.0, error=exc.reason)
        except Exception as exc:
            log.exception("job %s failed", job.id)
            self.state.update_job(job.id, status="failed", stage="failed", progress=1.0, error=f"internal error: {exc}")

    def _articles_of(self, job: Job) -> list[Article]:
        if job.kind == "articles":
            return [Article.model_validate(a) for a in job.payload["articles"]]
        url = job.payload["url"]
        self.state.update_job(job.id, stage="fetching", progress=0.05)
        with make_client(self.policy) as client:
            page = fetch(url, self.policy, client=client, accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
        articles = articles_from_bytes(
            page.content, source=page.final_url, content_type=page.content_type,
            outlet=job.payload.get("outlet"), max_bytes=self.policy.max_bytes,
        )
        for a in articles:
            if not a.url:
                a.url = page.final_url
        return articles
