"""nlp component: spaCy sentences and entities with exact offsets into Article.original."""

from _articles import analyse, make_article

from unspin.analyse.nlp import load_spacy, parse_paragraphs
from unspin.analyse.pipeline import registered

TEXT = (
    "Talks resumed in Istanbul on Monday. Delegations met for three hours.\n"
    "\n"
    "   Olena Marchenko, a negotiator, left early.   \n"
    "The United Nations welcomed the meeting."
)


def test_registered():
    assert "nlp" in registered()


def test_spacy_loaded_once():
    assert load_spacy() is load_spacy()


def test_sentences_have_exact_offsets_and_paragraph_index():
    doc = analyse(TEXT, ["nlp"])
    original = doc.article.original
    assert [s.text for s in doc.sentences] == [
        "Talks resumed in Istanbul on Monday.",
        "Delegations met for three hours.",
        "Olena Marchenko, a negotiator, left early.",
        "The United Nations welcomed the meeting.",
    ]
    assert [s.paragraph for s in doc.sentences] == [0, 0, 1, 2]
    for s in doc.sentences:
        assert original[s.start : s.end] == s.text


def test_entities_have_exact_offsets_and_labels():
    doc = analyse(TEXT, ["nlp"])
    original = doc.article.original
    for e in doc.entities:
        assert original[e.start : e.end] == e.text
    found = {(e.text, e.label) for e in doc.entities}
    assert ("Istanbul", "GPE") in found
    assert ("Olena Marchenko", "PERSON") in found
    assert any("United Nations" in text and label == "ORG" for text, label in found)
    marchenko = next(e for e in doc.entities if e.text == "Olena Marchenko")
    assert marchenko.start == original.index("Olena Marchenko")


def test_parse_is_cached_per_article_text():
    article = make_article(TEXT)
    assert parse_paragraphs(article) is parse_paragraphs(make_article(TEXT))


def test_article_without_paragraphs_gives_nothing():
    from unspin.analyse.pipeline import Pipeline
    from unspin.types import Article

    doc = Pipeline(["nlp"])(Article(id="x", original="Some text that was never cleaned."))
    assert doc.sentences == [] and doc.entities == []
    assert len(doc.components) == 1 and doc.components[0].startswith("nlp@")


def test_long_text_is_parsed_in_pieces_with_exact_offsets():
    from unspin.analyse.nlp import parse_text, split_long_text

    text = "Mariana Kos met the envoy in Lviv on Monday. " * 6 + "Talks ended late."
    pieces = split_long_text(text, 60)
    assert "".join(pieces) == text and len(pieces) > 3
    assert all(len(p) <= 60 for p in pieces)
    parsed = parse_text(text, chunk_chars=60)
    assert parsed.text == text
    for ent in parsed.ents:
        assert text[ent.start_char : ent.end_char] == ent.text
    assert sum(1 for e in parsed.ents if e.text == "Mariana Kos") == 6
