"""Language detection: short English, French and German texts; the stated policy for unsure input."""

import pytest

from unspin.clean import clean_article
from unspin.clean.language import LOW_CONFIDENCE_CAP, detect_language
from unspin.read.ids import article_id
from unspin.types import Article


@pytest.mark.parametrize(
    "text, code",
    [
        ("The council voted on Tuesday to adopt a new ferry timetable.", "en"),
        ("Le conseil municipal a voté mardi un nouvel horaire pour les ferries.", "fr"),
        ("Der Stadtrat hat am Dienstag einen neuen Fahrplan für die Fähren beschlossen.", "de"),
        ("El ayuntamiento aprobó el martes un nuevo horario para los transbordadores.", "es"),
        ("Городской совет во вторник утвердил новое расписание паромов.", "ru"),
    ],
)
def test_short_texts(text, code):
    found, confidence = detect_language(text)
    assert found == code and confidence >= 0.5


def test_no_letters_is_undetermined():
    assert detect_language("") == ("und", 0.0)
    assert detect_language("12:45 — 3/4 ... !!!") == ("und", 0.0)


def test_unsure_ascii_text_is_english_with_capped_confidence():
    code, confidence = detect_language("Hello")
    assert code == "en" and confidence <= LOW_CONFIDENCE_CAP


def test_non_english_article_is_marked_for_the_pipeline():
    text = "Neue Fähre für die Insel\n\nDie neue Fähre soll ab Mai zwischen dem Hafen und der Insel verkehren, teilte die Gemeinde mit."
    article = clean_article(Article(id=article_id(text), original=text, source="de.txt"))
    assert article.language == "de" and article.meta["language_confidence"] > 0.9
    assert article.paragraphs  # read and stored all the same
