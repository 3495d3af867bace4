"""clean_article: paragraphs with SemEval line numbers, titles, hard-wrapped text, readers' output."""


from _paths import TESTS

from unspin.clean import clean_article
from unspin.read import read_path
from unspin.read.ids import article_id
from unspin.types import Article, Span

DATA = TESTS / "data" / "read"


def make_article(text: str, **fields) -> Article:
    return Article(id=article_id(text), original=text, source="test.txt", **fields)


def test_paragraph_lines_count_empty_lines_like_semeval():
    text = "Quarry Expansion Approved\n\nFirst paragraph of the body.\n\n\nSecond paragraph.\nThird paragraph.\n"
    article = clean_article(make_article(text))
    assert article.title.text == "Quarry Expansion Approved"
    assert [(p.index, p.line, p.text) for p in article.paragraphs] == [
        (0, 3, "First paragraph of the body."),
        (1, 6, "Second paragraph."),
        (2, 7, "Third paragraph."),
    ]
    assert article.body == "First paragraph of the body.\n\nSecond paragraph.\n\nThird paragraph."


def test_untitled_text_starts_paragraphs_at_line_one():
    (raw,) = list(read_path(DATA / "untitled.txt"))
    article = clean_article(raw)
    assert article.title is None
    assert [p.line for p in article.paragraphs] == [1, 2, 3]


def test_reader_title_is_kept_and_not_redetected():
    text = "body first line, no title here\n\nSecond line of the body."
    article = clean_article(make_article(text, title=Span(start=0, end=30, text=text[:30])))
    assert article.title.end == 30 and [p.line for p in article.paragraphs] == [3]


def test_hard_wrapped_blocks_become_one_paragraph_each():
    text = (
        "Quarry Expansion Approved\n\n"
        "The county planning board approved the quarry\n"
        "expansion on Thursday after a four-hour hearing\n"
        "that drew more than two hundred residents.\n\n"
        "Opponents said they would consider an appeal\n"
        "to the regional court within the month.\n"
    )
    article = clean_article(make_article(text))
    assert [p.line for p in article.paragraphs] == [3, 7]
    first = article.paragraphs[0]
    assert first.text.startswith("The county planning") and first.text.endswith("two hundred residents.")
    assert text[first.start : first.end] == first.text and first.text.count("\n") == 2


def test_short_lines_that_each_end_a_sentence_stay_paragraphs():
    # What a page whose paragraphs were split by <br><br> reads as: short lines, no blank between.
    text = (
        "Council approves new bus lanes\n\n"
        "The city council approved three new bus lanes on Monday after a long debate.\n"
        "Councillor Amir Shah said the lanes would cut journey times by ten minutes.\n"
        "Opponents said the plan would hurt shops on the high street.\n"
        "Work is expected to begin in the spring.\n"
    )
    article = clean_article(make_article(text))
    assert [p.line for p in article.paragraphs] == [3, 4, 5, 6]
    # Nor when one of them does not end a sentence (a heading, a lost full stop).
    text = text.replace("ten minutes.", "ten minutes")
    assert [p.line for p in clean_article(make_article(text)).paragraphs] == [3, 4, 5, 6]


def test_clean_is_idempotent_and_original_untouched():
    (raw,) = list(read_path(DATA / "article_meta.html"))
    once = clean_article(raw)
    twice = clean_article(once)
    assert once.original == raw.original and once.id == raw.id
    assert once.paragraphs == twice.paragraphs and once.removed == twice.removed
    assert [f.label for f in once.removed] == ["repeated-title"]
    assert once.language == "en" and once.meta["language_confidence"] > 0.9


def test_every_reader_output_cleans_with_exact_offsets():
    for path in sorted(DATA.iterdir()):
        for item in read_path(path):
            if not isinstance(item, Article):
                continue
            article = clean_article(item)
            assert article.paragraphs, path
            for span in [*article.paragraphs, *article.removed]:
                assert article.original[span.start : span.end] == span.text
            if article.title:
                assert all(p.start >= article.title.end for p in article.paragraphs)


def test_article_with_only_boilerplate_has_no_paragraphs():
    article = clean_article(make_article("Advertisement\n\nShare this:\n"))
    assert article.paragraphs == [] and {f.label for f in article.removed} >= {"advertisement"}
