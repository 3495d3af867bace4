"""Group stage: metrics on hand-computed cases, near-duplicates, incremental story grouping."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from _compare_docs import make_analysis

from unspin.group.dedupe import NearDuplicates
from unspin.group.evaluate import bcubed, pairwise
from unspin.group.stories import GroupConfig, StoryGrouper
from unspin.group.text import tokens, words
from unspin.group.vectors import TextVectors

# -- metrics -------------------------------------------------------------------------------------


def test_pairwise_and_bcubed_on_a_hand_computed_case() -> None:
    gold = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
    pred = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "z"}
    # gold pairs: ab ac bc de = 4; predicted pairs: ab cd = 2; right: ab = 1
    p = pairwise(gold, pred)
    assert (p.precision, p.recall) == (0.5, 0.25) and p.f1 == pytest.approx(1 / 3)
    # B-cubed precision: a,b 2/2; c 1/2; d 1/2; e 1/1 -> 4/5. Recall: a,b 2/3; c 1/3; d 1/2; e 1/2 -> 8/15
    b = bcubed(gold, pred)
    assert b.precision == pytest.approx(0.8) and b.recall == pytest.approx(8 / 15)
    assert b.f1 == pytest.approx(2 * 0.8 * (8 / 15) / (0.8 + 8 / 15))


def test_metrics_perfect_singletons_and_mismatch() -> None:
    gold = {"a": 1, "b": 2}
    assert pairwise(gold, {"a": 5, "b": 6}).f1 == 1.0
    assert bcubed(gold, {"a": 5, "b": 5}).precision == 0.5
    with pytest.raises(ValueError):
        pairwise(gold, {"a": 1})


# -- words ---------------------------------------------------------------------------------------


def test_fast_words_match_token_norms() -> None:
    text = (
        "It’s O’Neill's view: Kyiv won't sign, can't wait and CANNOT join; they'd said "
        "3,000.5% of rock'n'roll isn't ’tis. Ukraine’s forces"
    )
    assert words(text) == [t.norm for t in tokens(text)]
    assert words("We cannot go") == ["we", "can", "not", "go"]


# -- near-duplicates -------------------------------------------------------------------------------

BRIDGE = (
    "The northern bridge in Lindau will stay closed until the spring, the city council said on Monday. "
    "Engineers found twelve cracks in the main span during a routine inspection last week. "
    "Mayor Tom Reed said repairs would cost about four million euros and take several months. "
    "Ferries will carry commuters across the lake while the work goes on, the council added. "
    "Local shop owners said the closure had already cut their trade by a third."
)


def test_copy_rewrite_and_unrelated() -> None:
    nd = NearDuplicates()
    assert nd.add("orig", BRIDGE) is None
    copy = nd.add("copy", BRIDGE + " This article first appeared in the Lindau Courier.")
    assert copy is not None and copy.relation == "copy_of" and copy.of == "orig"
    rewrite = (
        BRIDGE.replace("will stay closed", "is to remain shut")
        .replace("Engineers found", "Inspectors discovered")
        .replace("Local shop owners said the closure had already cut their trade by a third.", "")
    )
    dup = nd.add("rewrite", rewrite)
    assert dup is not None and dup.relation == "rewrite_of" and dup.of == "orig"
    other = "A new art museum opened in Lindau on Saturday with a show of paintings by local artists."
    assert nd.add("other", other) is None


# -- stories ---------------------------------------------------------------------------------------

T0 = datetime(2024, 3, 4, 9, 0)

STORIES = {
    "bridge": [
        BRIDGE,
        "Lindau's northern bridge stays shut until spring after inspectors found cracks in its main span. "
        "Mayor Tom Reed put the repair bill at four million euros. Commuters must take ferries across the lake.",
        "Cracks close Lindau bridge: the city council has shut the northern bridge for months of repairs. "
        "Mayor Tom Reed said ferries would run for commuters. Shop owners fear lost trade.",
    ],
    "election": [
        "Voters in Marova elected Elena Vask as president on Sunday, giving her 54 percent of the vote. "
        "Vask promised to fight corruption and to raise pensions. Her rival Ivo Denk conceded defeat.",
        "Elena Vask won Marova's presidential election with a clear majority. Ivo Denk accepted the result "
        "and congratulated Vask, who campaigned on pensions and corruption.",
    ],
    "storm": [
        "Storm Hilda brought winds of 140 km/h to the coast of Brevia overnight, cutting power to 80,000 homes. "
        "Fallen trees blocked the coastal railway between Porton and Selby.",
        "Brevia's coast was battered by Storm Hilda. Around 80,000 homes lost power and the railway from "
        "Porton to Selby was blocked by trees, the energy company said.",
    ],
}


def _docs(offset_hours: int = 0):
    out = []
    for i, (story, texts) in enumerate(STORIES.items()):
        for j, t in enumerate(texts):
            out.append((story, make_analysis(t, published=T0 + timedelta(hours=offset_hours + 5 * i + j))))
    return out


@pytest.mark.parametrize("prefer_encoder", [False, True])
def test_incremental_grouping_one_by_one(prefer_encoder: bool) -> None:
    g = StoryGrouper(vectors=TextVectors(prefer_encoder=prefer_encoder))
    docs = _docs()
    got = {d.article.id: g.add(d) for _, d in docs}
    gold = {d.article.id: story for story, d in docs}
    assert pairwise(gold, got).f1 == 1.0
    assert len(g.stories()) == 3
    # A new unrelated article starts a new story; adding an article twice changes nothing.
    new = make_analysis(
        "The Lindau art museum opened a show of paintings by young artists on Saturday.", published=T0
    )
    sid = g.add(new)
    assert sid not in set(got.values()) and len(g.stories()) == 4
    assert g.add(docs[0][1]) == got[docs[0][1].article.id]


def test_order_does_not_change_the_stories() -> None:
    docs = _docs()
    forward = StoryGrouper(vectors=TextVectors(prefer_encoder=False))
    backward = StoryGrouper(vectors=TextVectors(prefer_encoder=False))
    a = {d.article.id: forward.add(d) for _, d in docs}
    b = {d.article.id: backward.add(d) for _, d in reversed(docs)}
    assert pairwise(a, b).f1 == 1.0


def test_copies_are_linked_not_counted_as_coverage() -> None:
    g = StoryGrouper(vectors=TextVectors(prefer_encoder=False))
    orig = make_analysis(BRIDGE, published=T0)
    copy = make_analysis(BRIDGE + " Reporting by the Lindau Courier.", published=T0 + timedelta(hours=2))
    sid = g.add(orig)
    assert g.add(copy) == sid
    (story,) = g.stories()
    rel = {m.article_id: (m.relation, m.of) for m in story.members}
    assert rel[copy.article.id] == ("copy_of", orig.article.id)
    assert rel[orig.article.id] == ("member", None)


def test_an_outlet_naming_itself_is_not_a_story_entity() -> None:
    from unspin.group.stories import _entity_keys

    text = "Governor Elena Varga raised rates again, small firms told The Clarion."
    named = make_analysis(text, outlet="The Clarion",
                          entities=[("Elena Varga", "PERSON"), ("The Clarion", "ORG")])
    assert _entity_keys(named) == ["varga"]
    # Without an analyse stage the capitalised words stand in, the outlet's own left out too.
    bare = make_analysis(text, outlet="The Clarion")
    bare.entities = []
    assert "clarion" not in _entity_keys(bare) and "varga" in _entity_keys(bare)
    # Another outlet's name is a story entity like any other.
    other = make_analysis(text, outlet="Daily Ledger", entities=[("The Clarion", "ORG")])
    assert _entity_keys(other) == ["clarion"]


def test_time_window_separates_same_topic_far_apart() -> None:
    g = StoryGrouper(GroupConfig(window=timedelta(days=2)), vectors=TextVectors(prefer_encoder=False))
    texts = STORIES["storm"]
    a = g.add(make_analysis(texts[0], published=T0))
    b = g.add(make_analysis(texts[1], published=T0 + timedelta(days=30)))
    assert a != b


def test_an_undated_article_joins_a_dated_story_and_vice_versa() -> None:
    texts = STORIES["storm"]
    g = StoryGrouper(vectors=TextVectors(prefer_encoder=False))
    a = g.add(make_analysis(texts[0], published=T0))
    assert g.add(make_analysis(texts[1], published=None)) == a  # no date: no time evidence against
    h = StoryGrouper(vectors=TextVectors(prefer_encoder=False))
    b = h.add(make_analysis(texts[0], published=None))
    assert h.add(make_analysis(texts[1], published=T0)) == b
    # once the story has a date, a dated article far from it is kept apart
    later = "Storm Hilda: Brevia's energy company says 80,000 homes on the coast near Porton lost power."
    assert h.add(make_analysis(later, published=T0 + timedelta(days=40))) != b
    assert g.add(make_analysis(later, published=T0 + timedelta(hours=3))) == a


def test_an_undated_threshold_applies_only_without_dates() -> None:
    # A large undated corpus needs a stricter threshold (time cannot vouch for a match there);
    # when set, it decides wherever the article or the story has no date.
    texts = STORIES["storm"]
    cfg = GroupConfig(join_threshold_hashing=0.3, join_threshold_hashing_undated=0.95)
    dated = StoryGrouper(cfg, vectors=TextVectors(prefer_encoder=False))
    assert dated.add(make_analysis(texts[0], published=T0)) == dated.add(make_analysis(texts[1], published=T0))
    undated = StoryGrouper(cfg, vectors=TextVectors(prefer_encoder=False))
    assert undated.add(make_analysis(texts[0], published=None)) != undated.add(make_analysis(texts[1], published=T0))
    unset = StoryGrouper(GroupConfig(join_threshold_hashing=0.3), vectors=TextVectors(prefer_encoder=False))
    assert unset.add(make_analysis(texts[0], published=None)) == unset.add(make_analysis(texts[1], published=None))
    assert GroupConfig().threshold("encoder", dated=False) == GroupConfig().join_threshold
    assert GroupConfig(join_threshold_undated=0.7).threshold("encoder", dated=False) == 0.7
    assert GroupConfig(join_threshold_undated=0.7).threshold("encoder", dated=True) == GroupConfig().join_threshold


def test_numbers_written_as_words_read_as_one_value() -> None:
    from unspin.group.text import numbers

    def values(text: str) -> list[tuple[float, str]]:
        return [(n.value, n.unit) for n in numbers(text)]

    # "Forty-one" is 41 (not 40 and then "one"), so it agrees with a wire's "41 people"
    assert values("Forty-one people are dead.") == values("At least 41 people have died.") == [(41.0, "people")]
    assert values("twenty two tanks, seventeen trucks") == [(22.0, "tank"), (17.0, "truck")]
    assert values("sixty-five thousand people and 3.5 million euros") == [(65000.0, "people"), (3.5e6, "euro")]
