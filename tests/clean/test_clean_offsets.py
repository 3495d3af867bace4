"""OffsetMap: offsets in the cleaned body map back to exact offsets in the original."""

import re

import pytest

from unspin.clean import clean_article, cleaned_text
from unspin.read.ids import article_id
from unspin.types import Article

TEXT = (
    "Night Ferry Returns\n\n"
    "The night ferry returns in May (Photo: Port Office) after a two-year pause.\n\n"
    "Advertisement\n\n"
    "Tickets cost twelve pounds, the operator said.\n"
)


@pytest.fixture(scope="module")
def article() -> Article:
    return clean_article(Article(id=article_id(TEXT), original=TEXT, source="t.txt"))


def test_cleaned_text_equals_article_body(article):
    text, mapping = cleaned_text(article.paragraphs)
    assert text == article.body == mapping.text


def test_every_word_round_trips(article):
    text, mapping = cleaned_text(article.paragraphs)
    words = list(re.finditer(r"\w+", text))
    assert len(words) > 15
    for w in words:
        start, end = mapping.span_to_original(w.start(), w.end())
        assert TEXT[start:end] == w.group()
    for i, ch in enumerate(text):
        if text[i : i + 2] != "\n\n" and text[i - 1 : i + 1] != "\n\n":
            assert TEXT[mapping.to_original(i)] == ch


def test_span_across_a_removed_stretch_covers_it_in_the_original(article):
    text, mapping = cleaned_text(article.paragraphs)
    start = text.index("returns in May")
    end = text.index("two-year") + len("two-year")
    o_start, o_end = mapping.span_to_original(start, end)
    assert TEXT[o_start:o_end] == "returns in May (Photo: Port Office) after a two-year"


def test_span_ending_on_a_separator_stops_at_the_paragraph_end(article):
    text, mapping = cleaned_text(article.paragraphs)
    first_end = len(article.paragraphs[0].text)
    o_start, o_end = mapping.span_to_original(0, first_end + 1)
    assert o_end == article.paragraphs[0].end


def test_out_of_range_offsets_are_refused(article):
    _, mapping = cleaned_text(article.paragraphs)
    with pytest.raises(ValueError):
        mapping.to_original(len(mapping.text) + 1)
    with pytest.raises(ValueError):
        mapping.span_to_original(5, 2)


def test_empty_map():
    text, mapping = cleaned_text([])
    assert text == "" and mapping.to_original(0) == 0
