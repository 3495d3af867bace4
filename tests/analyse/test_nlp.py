"""nlp component: spaCy sentences and entities with exact offsets into Article.original."""

from _articles import analyse, make_article

from unspin.analyse.nlp import load_spacy
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


def test_the_parse_travels_on_the_analysis_once_and_is_never_serialised(monkeypatch):
    from unspin.analyse import nlp as nlp_module
    from unspin.analyse.pipeline import Pipeline

    calls = []
    real = nlp_module.parse_paragraphs
    monkeypatch.setattr(nlp_module, "parse_paragraphs", lambda a: calls.append(a.id) or real(a))
    doc = Pipeline(["nlp", "quotes", "attribution", "lexicon", "claims"])(make_article(TEXT))
    assert len(calls) == 1  # parsed by nlp, read by quotes, attribution and claims
    assert doc._parses is None  # dropped when the pipeline is done
    assert "_parses" not in doc.model_dump_json()


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
