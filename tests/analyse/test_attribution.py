"""attribution component: information attributed to other media outlets."""

import pytest
from _articles import analyse

from unspin.analyse.attribution import load_media

ATTR = ["nlp", "attribution"]


def attributions(text):
    doc = analyse(text, ATTR)
    original = doc.article.original
    for f in doc.findings:
        assert f.kind == "attribution"
        assert original[f.start : f.end] == f.text
        assert f.source.startswith("rule:attribution-") and f.explanation
        assert f.attrs["media"] == f.label
    return doc.findings


@pytest.mark.parametrize(
    ("sentence", "phrase", "media", "pattern"),
    [
        (
            "The bridge was hit twice overnight, The Sun reported.",
            "The Sun reported",
            "The Sun",
            "media_verb",
        ),
        (
            "Two ships left the port, according to Daily Mail.",
            "according to Daily Mail",
            "Daily Mail",
            "according_to",
        ),
        ("The mayor told RT that the water supply was restored.", "told RT", "RT", "told"),
        ("CNN reported that the convoy had turned back.", "CNN reported", "CNN", "media_verb"),
        (
            "Prices rose again in March, reports the Guardian.",
            "reports the Guardian",
            "The Guardian",
            "verb_media",
        ),
        (
            "In an interview with BBC, the general described the retreat.",
            "In an interview with BBC",
            "BBC",
            "interview",
        ),
        ("Reuters said the talks would resume on Friday.", "Reuters said", "Reuters", "media_verb"),
        ("The figures were first published by TASS on Monday.", "published by TASS", "TASS", "reported_by"),
        (
            "Casualties were higher than announced, citing Ukrinform.",
            "citing Ukrinform",
            "Ukrinform",
            "citing",
        ),
    ],
)
def test_patterns(sentence, phrase, media, pattern):
    (f,) = attributions(sentence)
    assert f.text == phrase
    assert f.label == media
    assert f.attrs["pattern"] == pattern
    assert f.confidence >= 0.8


def test_as_per_with_via_chain():
    (f,) = attributions("It is not clear whether the offer stands, as per Newsweek via MSN.")
    assert f.text == "as per Newsweek via MSN"
    assert f.label == "Newsweek"
    assert f.attrs["via"] == ["MSN"]
    assert f.attrs["pattern"] == "as_per"


def test_a_person_speaking_is_not_a_media_attribution():
    assert attributions("Oksana Bilyk said the shelters were full. She told reporters more would open.") == []


def test_outlet_as_subject_of_reported_clause_is_not_attribution():
    # "said CNN was wrong": CNN is what was talked about, not the source
    assert attributions("The spokesman said CNN was wrong about the numbers.") == []


def test_name_inside_a_person_name_is_skipped():
    assert attributions("Actor Michael J. Fox said he would donate to the appeal.") == []


def test_unlisted_outlet_next_to_pattern_gets_lower_confidence():
    (f,) = attributions("The governor told the Odesa Evening Herald that the port was calm.")
    assert f.label == "Odesa Evening Herald"
    assert f.attrs["listed"] is False
    assert f.confidence < 0.8


def test_outlet_without_reporting_pattern_is_not_attribution():
    assert attributions("Reuters has an office in the capital and so does the BBC.") == []


def test_an_article_naming_its_own_outlet_cites_nobody():
    from _articles import make_article

    from unspin.analyse.attribution import names_own_outlet
    from unspin.analyse.pipeline import Pipeline

    text = '"Nobody expected a deal," Sollen told the Herald. The talks ended, the Daily Mail reported.'
    article = make_article(text).model_copy(update={"outlet": "The Orsund Herald"})
    doc = Pipeline(ATTR)(article)
    assert [f.attrs["media"] for f in doc.of_kind("attribution")] == ["Daily Mail"]
    assert names_own_outlet("Herald", "The Orsund Herald") and names_own_outlet("Mail", "Daily Mail")
    assert names_own_outlet("The Sun", "The Sun")
    assert not names_own_outlet("The New York Times", "Times") and not names_own_outlet("Herald", None)
    assert not names_own_outlet("Washington Post", "Kyiv Post")


def test_media_list_is_versioned_and_covers_agencies():
    version, by_alias, _ = load_media()
    assert version.startswith("media.toml@")
    for name in (
        "TASS",
        "RIA Novosti",
        "Interfax",
        "Ukrinform",
        "Kyiv Independent",
        "Reuters",
        "AP",
        "AFP",
        "Sputnik",
        "NYT",
        "Washington Post",
    ):
        assert name in by_alias, name
