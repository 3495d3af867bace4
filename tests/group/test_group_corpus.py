"""Corpus-scale grouping gives the batch grouper's stories: exactly on dated articles (the time
partition loses no pair that could join), and with undated ones as far as the nearest neighbours
reach; also when its blocks are cut small and a large group must be split."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from _compare_docs import make_analysis

from unspin.group import corpus
from unspin.group.batch import BatchGrouper
from unspin.group.corpus import CorpusConfig, CorpusGrouper
from unspin.group.evaluate import pairwise
from unspin.group.vectors import TextVectors

T0 = datetime(2024, 3, 1, 8, 0)
PLACES = ["Tarsk", "Veld", "Korrin", "Aldmouth", "Spire", "Ostra", "Brannock", "Lisle", "Quarry Bay", "Fenwick"]
PEOPLE = ["Lena Brill", "Otto Saar", "Pavel Orn", "Mira Test", "Jonas Hale", "Ada Vries", "Tomas Lund", "Ines Roa"]
TOPICS = {
    "rail": "train drivers strike over pay at the central station and commuters wait for trains",
    "budget": "parliament votes on the budget and the finance minister defends spending on the dam",
    "flood": "river floods homes after heavy rain and rescue teams evacuate families from the valley",
    "court": "the court hears the case and the judge delays a ruling on the contract dispute",
}


def _corpus(n_events: int, dated: bool, seed: int = 5):
    """Events on four topics: reports of one event share its place, people, figures and rare
    words; events of one topic share the topic's words."""
    rng = random.Random(seed)
    docs, gold = [], {}
    for e in range(n_events):
        topic, words = rng.choice(list(TOPICS.items()))
        place, person = rng.choice(PLACES), rng.choice(PEOPLE)
        rare = " ".join(f"w{e}x{k}" for k in range(6))
        day = T0 + timedelta(days=rng.randrange(90))
        for r in range(rng.randint(1, 5)):
            picked = " ".join(rng.sample(rare.split(), 4))
            text = (f"{place} {topic} news: {person} said {rng.randint(10, 99)} people were affected.\n"
                    f"In {place}, {words} ({picked}).\n"
                    f"{person} spoke on day {e} report {r} {rng.random():.6f}.")
            when = day + timedelta(hours=rng.randrange(30)) if dated else None
            a = make_analysis(text, published=when, entities=[(place, "GPE"), (person, "PERSON")])
            docs.append(a)
            gold[a.article.id] = e
    return docs, gold


def _labels(grouper, docs) -> dict[str, str]:
    grouper.group(docs)
    return grouper.clusters()


@pytest.mark.parametrize("dated", [True, False])
def test_same_stories_as_the_batch_grouper(dated: bool) -> None:
    docs, gold = _corpus(70, dated)
    vectors = TextVectors(prefer_encoder=False)
    batch = BatchGrouper(vectors=vectors)
    whole = _labels(batch, docs)
    grouper = CorpusGrouper(vectors=vectors, corpus=CorpusConfig(neighbours=16))
    parts = _labels(grouper, docs)
    agreement = pairwise(whole, parts)
    if dated:
        assert agreement.f1 == 1.0
        # the time partition scored far fewer pairs than all of them
        assert grouper.stats.candidate_pairs < len(docs) * (len(docs) - 1) / 2 / 3
    else:
        assert agreement.f1 >= 0.95, agreement
    assert pairwise(gold, parts).f1 >= pairwise(gold, whole).f1 - 0.05
    # each member's stated confidence is the batch grouper's
    conf = {m.article_id: m.similarity for s in grouper.group(docs) for m in s.members}
    assert conf == {m.article_id: m.similarity for s in batch.group(docs) for m in s.members} or not dated


def test_small_blocks_give_the_same_stories(monkeypatch) -> None:
    docs, _ = _corpus(40, dated=True, seed=9)
    vectors = TextVectors(prefer_encoder=False)
    expected = _labels(CorpusGrouper(vectors=vectors), docs)
    monkeypatch.setattr(corpus, "BLOCK_CELLS", 50)  # many small blocks of rows
    assert pairwise(expected, _labels(CorpusGrouper(vectors=vectors), docs)).f1 == 1.0


def test_a_group_too_large_is_split_not_dropped() -> None:
    docs, _ = _corpus(40, dated=False, seed=3)
    grouper = CorpusGrouper(vectors=TextVectors(prefer_encoder=False),
                            corpus=CorpusConfig(neighbours=16, max_component=3))
    stories = grouper.group(docs)
    assert grouper.stats.groups_split >= 1
    # every article in exactly one story; pairs too alike to part stay together
    assert sorted(m.article_id for s in stories for m in s.members) == sorted(a.article.id for a in docs)
    whole = _labels(CorpusGrouper(vectors=TextVectors(prefer_encoder=False), corpus=CorpusConfig(neighbours=16)), docs)
    # mostly parts of the unsplit stories (average linkage over a part may join what it would not)
    assert pairwise(whole, grouper.clusters()).precision >= 0.9
