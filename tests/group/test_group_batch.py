"""Batch story grouping (group/batch.py): every pair at once, average linkage, stated confidence."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from _compare_docs import make_analysis
from test_group import BRIDGE, STORIES
from typer.testing import CliRunner

from unspin.app.stories import group_stories
from unspin.cli import app
from unspin.group.batch import HASHING_MODEL, BatchConfig, BatchGrouper, cluster, pair_scores
from unspin.group.evaluate import pairwise
from unspin.group.stories import GroupConfig
from unspin.group.vectors import TextVectors

T0 = datetime(2024, 3, 4, 9, 0)

# One country's politics, three different events: the topic is shared, the event is not. An
# undated grouper that goes by topic puts all six together.
MAROVA = {
    "mayor": [
        "Voters in Tarsk, Marova's capital, chose Lena Brill as mayor in Sunday's by-election with 48 percent. "
        "Her rival Otto Saar conceded at his campaign office near the river port.",
        "Lena Brill will be Tarsk's next mayor after taking 48 percent in the by-election. Otto Saar "
        "accepted defeat in front of supporters at the river port.",
    ],
    "budget": [
        "Marova's parliament rejected the 2025 budget by 61 votes to 58 on Thursday, after a row over the "
        "cost of the Kessel dam. Finance minister Pavel Orn said he would present a new draft within weeks.",
        "Lawmakers in Marova voted down next year's budget, 61 to 58, over spending on the Kessel dam. "
        "Pavel Orn, the finance minister, promised a revised plan.",
    ],
    "strike": [
        "Train drivers across Marova walked out on Tuesday in a dispute over night-shift pay, stranding "
        "commuters at Tarsk central station. The drivers' union said the strike would last 48 hours.",
        "A 48-hour rail strike halted trains in Marova as drivers demanded higher night-shift pay; crowds "
        "built up at Tarsk central station, the union said.",
    ],
}


def _docs(stories: dict[str, list[str]], dated: bool) -> list[tuple[str, object]]:
    out = []
    for i, (story, texts) in enumerate(stories.items()):
        for j, t in enumerate(texts):
            when = T0 + timedelta(days=20 * i, hours=j) if dated else None
            out.append((story, make_analysis(t, published=when)))
    return out


@pytest.mark.parametrize("prefer_encoder", [False, True])
@pytest.mark.parametrize("dated", [False, True])
def test_batch_grouping_finds_each_event(prefer_encoder: bool, dated: bool) -> None:
    docs = _docs(STORIES, dated) + _docs(MAROVA, dated)
    g = BatchGrouper(vectors=TextVectors(prefer_encoder=prefer_encoder))
    stories = g.group([d for _, d in docs])
    gold = {d.article.id: story for story, d in docs}
    assert pairwise(gold, g.clusters()).f1 == 1.0
    assert len(stories) == 6
    for s in stories:
        assert s.members and all(0.0 <= m.similarity <= 1.0 for m in s.members)
        assert s.title  # the first member's headline or opening words


def test_members_state_how_sure_the_grouping_is() -> None:
    docs = [d for _, d in _docs(STORIES, dated=False)]
    lone = make_analysis("The Lindau art museum opened a show of paintings by young artists on Saturday.")
    stories = BatchGrouper(vectors=TextVectors(prefer_encoder=True)).group([*docs, lone])
    (single,) = [s for s in stories if s.members[0].article_id == lone.article.id]
    assert [m.similarity for m in single.members] == [1.0]  # a story of one: nothing to doubt
    bridge = next(s for s in stories if len(s.members) == 3)
    assert all(m.similarity >= 0.5 for m in bridge.members)  # what the merge threshold vouches for


def test_two_dated_articles_further_apart_than_the_window_are_never_one_story() -> None:
    storm = STORIES["storm"]
    a = make_analysis(storm[0], published=T0)
    b = make_analysis(storm[1], published=T0 + timedelta(days=30))
    g = BatchGrouper(vectors=TextVectors(prefer_encoder=False))
    assert len(g.group([a, b])) == 2
    # undated, the same two are one story; one dated and one undated too
    assert len(BatchGrouper(vectors=TextVectors(prefer_encoder=False)).group(
        [make_analysis(storm[0]), make_analysis(storm[1])])) == 1
    scores = pair_scores([a, b, make_analysis(storm[0] + " Updated.")], TextVectors(prefer_encoder=False))
    assert scores.apart[0, 1] and not scores.apart[0, 2] and not scores.near[0, 2] and scores.near[0, 0]


def test_copies_are_linked_to_the_first_and_join_its_story() -> None:
    orig = make_analysis(BRIDGE, published=T0)
    copy = make_analysis(BRIDGE + " Reporting by the Lindau Courier.", published=T0 + timedelta(hours=2))
    other = make_analysis(STORIES["storm"][0], published=T0)
    g = BatchGrouper(vectors=TextVectors(prefer_encoder=False))
    stories = g.group([orig, copy, other])
    assert len(stories) == 2
    story = next(s for s in stories if len(s.members) == 2)
    rel = {m.article_id: (m.relation, m.of) for m in story.members}
    assert rel == {orig.article.id: ("member", None), copy.article.id: ("copy_of", orig.article.id)}
    assert story.first_seen == T0 and story.last_seen == T0 + timedelta(hours=2)


def test_average_linkage_does_not_chain() -> None:
    # a~b and b~c are likely one story, a~c is not: single linkage would chain all three.
    prob = [[1.0, 0.9, 0.05], [0.9, 1.0, 0.9], [0.05, 0.9, 1.0]]
    import numpy as np

    labels = cluster(np.array(prob), threshold=0.7)
    assert labels[0] == labels[1] and labels[2] != labels[0]
    assert list(cluster(np.array([[1.0]]), 0.5)) == [0]


def test_a_higher_threshold_gives_smaller_stories() -> None:
    docs = [d for _, d in _docs(STORIES, dated=False)]
    vectors = TextVectors(prefer_encoder=True)
    loose = BatchGrouper(BatchConfig(threshold=1e-12), vectors=vectors).group(docs)
    strict = BatchGrouper(BatchConfig(threshold=0.999), vectors=vectors).group(docs)
    assert len(loose) == 1 and len(strict) == len(docs)


def test_pair_model_is_a_probability() -> None:
    docs = [d for _, d in _docs(STORIES, dated=False)]
    p = HASHING_MODEL.probability(pair_scores(docs, TextVectors(prefer_encoder=False)))
    assert ((p > 0) & (p < 1)).all()


def test_group_stories_picks_the_method() -> None:
    docs = [d for _, d in _docs(MAROVA, dated=False)]
    auto = group_stories(docs, GroupConfig())
    assert len(auto) == 3
    assert all(m.similarity < 1.0 for s in auto for m in s.members)  # batch: stated confidence
    incremental = group_stories(docs, GroupConfig(method="incremental"))
    assert incremental[0].members[0].similarity == 1.0  # the incremental grouper's first member
    over_cap = group_stories(docs, GroupConfig(batch_max_articles=3))  # auto above the cap: corpus
    assert [(len(s.members), s.members[0].similarity) for s in over_cap] == [
        (len(s.members), s.members[0].similarity) for s in auto]  # the batch grouper's stories
    assert [len(s.members) for s in group_stories(docs, GroupConfig(method="corpus"))] == [len(s.members) for s in auto]
    with pytest.raises(ValueError, match="grouping method"):
        GroupConfig(method="magic")
    assert BatchConfig.from_group(GroupConfig(window=timedelta(hours=36), batch_threshold=0.7)).window_days == 1.5


def test_cli_grouping_option(tmp_path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for story, texts in MAROVA.items():
        for j, t in enumerate(texts):
            (folder / f"{story}-{j}.txt").write_text(f"{story.title()} in Marova\n\n{t}\n", encoding="utf-8")
    runner = CliRunner()
    bad = runner.invoke(app, ["stories", str(folder), "--no-store", "--grouping", "magic"])
    assert bad.exit_code == 2 and "--grouping" in bad.output
    out = tmp_path / "r.json"
    ok = runner.invoke(app, ["report", str(folder), "--no-store", "--grouping", "batch", "-o", str(out), "-q"])
    assert ok.exit_code == 0, ok.output
    data = json.loads(out.read_text())
    sizes = sorted(len(s["members"]) for s in data["stories"])
    assert sizes == [2, 2, 2]
