"""The application service: one object for gather -> analyse -> group -> compare, used by the
commands, the web app and live mode alike."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from unspin.analyse.pipeline import Pipeline
from unspin.app.service import Unspin
from unspin.app.stories import arrival_order
from unspin.batch.backends import InProcess
from unspin.group.stories import GroupConfig
from unspin.live.seed import seed_examples
from unspin.store.db import Store

FERRY = ("Bergen ferry crews strike over night shifts",
         "Ferry crews in Bergen walked out on {day} over new night shifts, the Norwegian Seafarers' Union said. "
         "The union said talks with the operator Fjordline had failed. \"We will not sail until the rota is "
         "withdrawn,\" union leader Kari Holm said.")
MUSEUM = ("Cork opens its new maritime museum",
          "Cork's maritime museum opened its doors on {day} after six years of building work. Mayor Dan "
          "Boyle said the museum would draw visitors to the harbour. Tickets cost twelve euro.")


@lru_cache(maxsize=1)
def _pipeline() -> Pipeline:
    return Pipeline(["nlp", "quotes"])


def _corpus(tmp_path: Path) -> Path:
    """Five articles on two events, newest first: the order they are given in is not the
    order they happened in."""
    start = datetime(2026, 3, 2, 8, tzinfo=UTC)
    rows = []
    for n, (outlet, (title, body), hours) in enumerate([
        ("Harbour Times", FERRY, 30), ("Cork Echo", MUSEUM, 20), ("Nordic Wire", FERRY, 4),
        ("Irish Wire", MUSEUM, 2), ("Vest Avis", FERRY, 0),
    ]):
        day = (start + timedelta(hours=hours)).strftime("%A")
        rows.append({"title": f"{title} ({outlet})", "text": body.format(day=day) + f" Report {n}.",
                     "outlet": outlet, "published": (start + timedelta(hours=hours)).isoformat()})
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "news.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return folder


def _members(stories) -> set[frozenset[str]]:
    return {frozenset(s.article_ids) for s in stories}


def test_a_batch_and_live_mode_group_the_same_articles_the_same_way(tmp_path):
    """``report --grouping incremental`` and ``serve`` given the same articles (here, seeded
    with them) place them in the same order, so they make the same stories."""
    folder = _corpus(tmp_path)
    grouping = GroupConfig(method="incremental")
    with Store(tmp_path / "batch.sqlite") as store:
        batch = Unspin(store, pipeline=_pipeline(), grouping=grouping)
        got = batch.gather([str(folder)])
        stories = batch.group(got.analyses)
        assert _members(store.list_stories()) == _members(stories)  # stored as grouped
    with Store(tmp_path / "live.sqlite") as store:
        live = Unspin(store, pipeline=_pipeline(), grouping=grouping)
        ingested = seed_examples(store, live.ingestor(), folder)
        live_stories = store.list_stories()
    by_date = [a.article.id for a in sorted(got.analyses, key=lambda a: a.article.published)]
    assert ingested == by_date  # oldest first, not in the file's order
    assert _members(live_stories) == _members(stories)
    assert len(got.analyses) == 5 and sorted(len(m) for m in _members(stories)) == [2, 3]


def test_the_service_runs_a_batch_end_to_end_and_resumes(tmp_path):
    folder = _corpus(tmp_path)
    submitted = []

    class Counting(InProcess):
        def submit(self, article):
            submitted.append(article.id)
            return super().submit(article)

    with Store(tmp_path / "x.sqlite") as store:
        service = Unspin(store, pipeline=_pipeline(), backend=Counting)
        first = service.gather([str(folder)], on_item=lambda item: None)
        assert first.result.counts["analysed"] == 5 and len(submitted) == 5
        again = service.gather([str(folder)])
        assert again.result.counts["skipped"] == 5 and len(submitted) == 5  # nothing analysed twice
        stories = service.group(again.analyses)
        comparisons = service.compare(stories, again.analyses)
        assert sorted(len(c.labels) for c in comparisons) == [2, 3]
        assert all(c.story.id in {s.id for s in stories} for c in comparisons)
        singles = service.compare(stories, again.analyses, singles=True)
        assert len(singles) == len(stories)
        one = service.compare_articles(again.analyses[:2])
        assert one.story.id in {s.id for s in store.list_stories()}
        # With no inputs, what is stored.
        assert {a.article.id for a in service.gather([]).analyses} == {a.article.id for a in first.analyses}


def test_stored_analyses_without_stories_are_grouped_once(tmp_path):
    folder = _corpus(tmp_path)
    with Store(tmp_path / "x.sqlite") as store:
        Unspin(store, pipeline=_pipeline()).gather([str(folder)])  # what `unspin analyze` leaves
        service = Unspin(store, pipeline=_pipeline())
        found, analyses = service.stored_stories()
        assert len(analyses) == 5 and sorted(len(s.members) for s in found) == [2, 3]
        listed, none = service.stored_stories()  # now stored: listed, not grouped again
        assert none == [] and _members(listed) == _members(found)
        assert {a.article.id for a in service.analyses_of(listed[:1])} == set(listed[0].article_ids)
    assert Unspin().stored_stories() == ([], [])


def test_the_pipeline_is_built_once_and_only_when_needed(tmp_path):
    built = []

    def make():
        built.append(1)
        return _pipeline()

    with Store(tmp_path / "x.sqlite") as store:
        service = Unspin(store, make_pipeline=make)
        service.gather([])  # the store only: nothing to analyse
        assert built == []
        service.gather([str(_corpus(tmp_path))])
        assert service.ingestor().pipeline is service.pipeline  # live mode shares it
        assert built == [1]


def test_arrival_order_is_oldest_first_then_undated_in_the_given_order():
    east = timezone(timedelta(hours=3))
    items = [
        ("undated-1", None),
        ("noon-utc", datetime(2026, 1, 5, 12, tzinfo=UTC)),
        ("naive-11", datetime(2026, 1, 5, 11)),  # naive: taken as UTC
        ("undated-2", None),
        ("east-13", datetime(2026, 1, 5, 13, tzinfo=east)),  # 10:00 UTC
    ]
    assert [name for name, _ in arrival_order(items, lambda i: i[1])] == [
        "east-13", "naive-11", "noon-utc", "undated-1", "undated-2"]
