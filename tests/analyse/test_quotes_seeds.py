"""The motivating example: the two seed articles in ../shared/seeds (read at test time only)."""


import pytest
from _articles import analyse
from _paths import ROOT

SEEDS = ROOT / ".." / "shared" / "seeds"
UNTITLED = SEEDS / "000_7435df880b25124c.txt"
TITLED = SEEDS / "003_4d55ba579f66e629.txt"
ALL = ["nlp", "quotes", "attribution", "lexicon", "dates"]

pytestmark = pytest.mark.skipif(
    not (UNTITLED.exists() and TITLED.exists()), reason="../shared/seeds not present"
)


def check_evidence(doc):
    original = doc.article.original
    for f in doc.findings:
        assert f.start is not None and original[f.start : f.end] == f.text
        assert 0.0 <= f.confidence <= 1.0 and f.source and f.explanation


def test_untitled_seed_quote_speaker_and_terms():
    doc = analyse(UNTITLED.read_text(encoding="utf-8"), ALL)
    check_evidence(doc)
    nato_quote = [
        q
        for q in doc.of_kind("quote")
        if q.text.startswith("It's clear that Ukraine is not a member of NATO")
    ]
    assert len(nato_quote) == 1
    assert nato_quote[0].attrs["speaker"] == "Volodymyr Zelensky"
    labels = {f.label for f in doc.of_kind("term")}
    assert {"kiev", "coup", "reunification"} <= labels
    coup_texts = {f.text for f in doc.of_kind("term") if f.label == "coup"}
    assert {"coup", "post-coup"} <= coup_texts


def test_titled_seed_attributions_and_terms():
    doc = analyse(TITLED.read_text(encoding="utf-8"), ALL)
    check_evidence(doc)
    media = {f.label: f for f in doc.of_kind("attribution")}
    assert {"The Sun", "Daily Mail", "Newsweek"} <= set(media)
    assert media["Newsweek"].attrs["via"] == ["MSN"]
    labels = {f.label for f in doc.of_kind("term")}
    assert {"warmonger", "special-military-operation"} <= labels


def test_quoted_wording_in_the_titled_seed_is_the_speakers():
    doc = analyse(TITLED.read_text(encoding="utf-8"), ALL)
    (quote,) = [q for q in doc.of_kind("quote") if q.text == "demilitarize and de-Nazify"]
    assert quote.attrs["speaker"] == "Vladimir Putin"
    quoted_terms = [t for t in doc.of_kind("term") if quote.start <= t.start and t.end <= quote.end]
    assert quoted_terms and all(t.attrs["in_quote"] and t.attrs["speaker"] == "Vladimir Putin" for t in quoted_terms)
    # Zelensky's own words are his in this seed too
    assert any(q.attrs["speaker"] == "Volodymyr Zelensky" and "true friends" in q.text for q in doc.of_kind("quote"))
