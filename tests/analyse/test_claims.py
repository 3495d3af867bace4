"""claims component: check-worthy statements (figures, comparisons, causes, events) and who asserts them."""

from __future__ import annotations

import pytest
from _articles import analyse

CLAIMS = ["nlp", "quotes", "claims"]


def claims(text: str):
    doc = analyse(text, CLAIMS)
    found = doc.of_kind("claim")
    for f in found:
        assert text[f.start : f.end] == f.text and f.source == "rule:claims"
        assert 0.0 < f.confidence <= 0.8 and f.explanation.startswith("A check-worthy statement")
        for cue in f.attrs["cues"]:  # the evidence: words inside the sentence
            assert f.start <= cue["start"] < cue["end"] <= f.end and text[cue["start"] : cue["end"]] == cue["text"]
    return found


@pytest.mark.parametrize(
    ("sentence", "kinds", "voice"),
    [
        ("The authorities recorded 2,000 cases in the capital last year.", ["figure"], "writer"),
        ("Unemployment rose to 7.5 percent in March, the statistics office said.", ["figure"], "reported"),
        ("It was the deadliest attack on the city in a decade.", ["comparison"], "writer"),
        ("Grain exports fell more than expected this spring.", ["comparison"], "writer"),
        ("Prices rose because of the new tariffs on imported steel.", ["cause"], "writer"),
        ('"We shot down 300 drones this month," said General Ivan Sirko.', ["figure"], "quote"),
        ("NATO troops were deployed to Estonia last month.", ["event"], "writer"),
        ("Russian forces shelled a hospital in Mariupol on Wednesday, regional officials said.", ["event"], "reported"),
    ],
)
def test_each_cue_kind_and_voice(sentence, kinds, voice):
    (f,) = claims(sentence)
    assert f.attrs["kinds"] == kinds and f.label == kinds[0] and f.attrs["voice"] == voice
    if voice == "quote":
        assert f.attrs["speaker"] == "Ivan Sirko"


@pytest.mark.parametrize(
    "sentence",
    [
        "The talks resumed on Monday in Istanbul after a short break.",  # a date is not a figure
        "Two men walked into the ministry building this morning.",  # a small spelled-out number
        "The delegates are due to arrive in Geneva next week.",  # a schedule, not a cause
        "Will the ministry publish 20 new reports this year?",  # a question
        "Western leaders must send 500 more tanks to the front now.",  # a prescription
        "He called it the best deal for everyone involved.",  # praise, not a ranking
        "Talks between Kyiv and Moscow could be resumed in Istanbul next week.",  # a possibility
        "The minister said on Monday in Paris that talks would go on.",  # saying is not the event
        "In 1962 the Soviets had the legal authority to act in Cuba.",  # a state, not an action
    ],
)
def test_sentences_that_are_not_claims(sentence):
    assert claims(sentence) == []


def test_actor_swap_gives_the_same_claims():
    left = claims("Russian forces lost more than 40 percent of their tanks because of drone strikes.")
    right = claims("Ukrainian forces lost more than 40 percent of their tanks because of drone strikes.")
    sig = [(f.label, f.attrs["kinds"], f.confidence, [c["text"] for c in f.attrs["cues"]]) for f in left]
    assert sig and sig == [(f.label, f.attrs["kinds"], f.confidence, [c["text"] for c in f.attrs["cues"]]) for f in right]
    assert sig[0][1] == ["figure", "comparison", "cause"] and sig[0][2] == 0.8


def test_claims_run_in_the_default_pipeline():
    from unspin.analyse.pipeline import default_component_names

    names = default_component_names()
    assert names.index("claims") > names.index("quotes")  # it reads who is speaking


def test_an_event_is_backed_by_actor_action_and_when():
    (f,) = claims("In 2014, the Kenyan parliament formally abandoned the old charter.")
    assert [c["text"] for c in f.attrs["cues"]] == ["2014", "the Kenyan parliament formally abandoned"]
    assert "an event with its time or place" in f.explanation and f.confidence == 0.6


def test_actor_swap_gives_the_same_event_claims():
    def sig(sentence):
        return [(f.label, f.confidence, len(f.attrs["cues"])) for f in claims(sentence)]

    left = sig("Russian troops crossed the border near Kharkiv on Thursday.")
    assert left == [("event", 0.6, 2)]
    assert left == sig("Ukrainian troops crossed the border near Belgorod on Thursday.")


def test_items_are_grouped_by_the_sentences_they_overlap():
    from unspin.analyse.claims import by_sentence
    from unspin.types import Sentence, Span

    sents = [Sentence(start=s, end=e, text="x" * (e - s), paragraph=0) for s, e in ((0, 10), (11, 20), (21, 30))]
    inside, across, outside = Span(start=12, end=15, text="abc"), Span(start=8, end=25, text="x" * 17), Span(
        start=31, end=33, text="ab")
    assert by_sentence(sents, [inside, across, outside]) == [[across], [inside, across], [across]]
