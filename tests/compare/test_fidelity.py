"""Quote fidelity: hand-written pairs for each rendering class, negation and modality changes."""

from __future__ import annotations

import pytest

from unspin.compare.quotes import classify


@pytest.mark.parametrize(
    ("a", "b", "label"),
    [
        ("We will rebuild every school.", "we will rebuild every school", "identical"),
        ("It's a hard winter.", "It is a hard winter", "identical"),  # contraction expanded
        ("We want peace, and we want it this year.", "We want peace", "trimmed"),
        ("The talks went well. We expect more progress soon.", "We expect more progress soon.", "trimmed"),
        ("We want peace", "We want a fair peace", "altered"),  # a content word added mid-quote
        ("We want peace in our country", "We want peace for our country", "paraphrased"),
        ("The harvest was the largest in years", "The harvest was the biggest in years", "paraphrased"),
    ],
)
def test_direct_quote_pairs(a: str, b: str, label: str) -> None:
    assert classify(a, b).label == label
    assert classify(b, a).label == label  # the label does not depend on which outlet comes first


def test_partial_quote_is_judged_against_the_stretch_it_matches() -> None:
    full = "The talks went well, and we will sign the deal by Friday if nothing changes"
    # The rest of the long quote (its "will", "if") is not a change: only the matched stretch counts.
    r = classify(full, "we will sign the accord by Friday")
    assert r.label == "paraphrased" and r.changes == ["words replaced: deal -> accord"]
    r = classify("we will not sign the deal by Friday", full)
    assert r.label == "altered" and r.changes == ["negation: not -> (none)"]
    # Too little of the short side lines up with any stretch: not a partial quote of it.
    r = classify(full, "the weather went well for us")
    assert not any(c.startswith("words replaced") for c in r.changes)


def test_day_change_is_altered_but_a_modal_may_is_not_a_month() -> None:
    r = classify("We will sign the deal by Friday", "We will sign the deal by Monday")
    assert r.label == "altered" and r.changes == ["day or month: friday -> monday"]
    full = "The talks went well, and we will sign the deal by Friday if nothing changes"
    assert classify(full, "we will sign the accord by Monday").changes == ["day or month: friday -> monday"]
    assert classify("Prices may rise in June", "Prices could rise in June").changes == ["modality: may -> could"]


def test_negation_change_is_altered() -> None:
    r = classify("We will join the alliance", "We will not join the alliance")
    assert r.label == "altered"
    assert any(c.startswith("negation") for c in r.changes)
    assert r.ops == [{"op": "insert", "a": "", "b": "not"}]


def test_modality_and_absolute_change_is_altered() -> None:
    r = classify("Ukraine is not a member of NATO.", "Ukraine will never join NATO", "quote", "reported_speech")
    assert r.label == "altered"
    assert any(c.startswith("modality") and "will" in c for c in r.changes)
    assert any(c.startswith("absolute") and "never" in c for c in r.changes)


def test_hedge_removed_is_altered() -> None:
    r = classify("The plant may close next year", "The plant will close next year")
    assert r.label == "altered" and r.changes == ["modality: may -> will"]


def test_number_change_is_altered() -> None:
    r = classify("Twenty people were hurt", "25 people were hurt")
    assert r.label == "altered" and r.changes[0].startswith("number: 20 -> 25")


def test_reported_speech_backshift_is_not_alteration() -> None:
    # "will" -> "would" and "we" -> "they" are how indirect speech works, not a change of claim.
    r = classify("We will fight until the end", "they would fight until the end", "quote", "reported_speech")
    assert r.label == "paraphrased"
    assert r.changes == []


def test_reported_speech_negation_flip_is_altered() -> None:
    r = classify("We can accept this deal", "that they could not accept the deal", "quote", "reported_speech")
    assert r.label == "altered"
    assert any(c.startswith("negation") for c in r.changes)
