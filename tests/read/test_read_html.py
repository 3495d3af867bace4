"""Saved HTML pages through trafilatura: text, title, metadata; broken pages never crash."""

from datetime import UTC, datetime

import pytest
from _paths import TESTS

from unspin.read import read_path
from unspin.read.errors import ReadFailure
from unspin.read.html import read_html
from unspin.types import Article, ItemFailure

DATA = TESTS / "data" / "read"


@pytest.fixture(scope="module")
def page() -> Article:
    (article,) = list(read_path(DATA / "article_meta.html", outlet="ignored because the page names itself"))
    return article


def test_metadata(page):
    assert page.format == "html"
    assert page.outlet == "Coastline Courier"  # og:site_name
    assert page.url == "https://www.coastline-courier.example/news/2024/ferry-timetable"  # rel=canonical
    assert page.published == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)  # article:published_time
    assert page.author == "Mara Lindqvist"


def test_original_is_title_blank_line_body(page):
    assert page.title.text == "Harbour council approves new ferry timetable"
    assert page.original[page.title.start : page.title.end] == page.title.text
    assert page.original.startswith(page.title.text + "\n\n")
    assert "adds two early crossings on weekdays" in page.original
    assert "reviewed after twelve months" in page.original


def test_scripts_styles_and_navigation_are_not_kept(page):
    for fragment in ("document.write", "should never appear", "font-family", "Sport", "All rights reserved"):
        assert fragment not in page.original


def test_outlet_falls_back_to_url_host_then_option():
    html = """<html><head><link rel="canonical" href="https://www.riverside-post.example/a/1"></head><body><article>
    <h1>Riverside market moves indoors</h1><p>The weekly market will move into the old tram depot for the winter months,
    traders were told at a meeting on Wednesday evening, after two seasons of storm damage to the stalls.</p>
    <p>The depot has room for sixty stalls and a small café, and the council will charge the same rent as outdoors.</p>
    </article></body></html>"""
    assert read_html(html, "page.html", outlet="Fallback").outlet == "riverside-post.example"
    no_url = html.replace('<link rel="canonical" href="https://www.riverside-post.example/a/1">', "")
    assert read_html(no_url, "page.html", outlet="Fallback").outlet == "Fallback"


def test_malformed_html_still_extracts_text():
    (article,) = list(read_path(DATA / "malformed.html"))
    assert isinstance(article, Article)
    assert "Night trains will run on the valley line again" in article.original
    assert "tracker.invalid" not in article.original


def test_page_without_article_text_is_a_clear_error():
    (error,) = list(read_path(DATA / "no_text.html"))
    assert isinstance(error, ItemFailure)
    assert error.reason == "no article text found in HTML"
    assert error.source.endswith("no_text.html") and error.stage == "read"


@pytest.mark.parametrize(
    "markup",
    [
        "<",
        "<html><body></body></html>",
        "<<<<>>>>",
        "<p>" * 2000,
        "<html><head><title>Unclosed title swallows the page<body><p>" + "Words in a paragraph. " * 30,
        "<html><body><table><tr><td><p>Cell text " * 50,
    ],
)
def test_garbage_markup_never_crashes(markup):
    try:
        article = read_html(markup, "bad.html")
    except ReadFailure as exc:
        assert "no article text found in HTML" in str(exc)
    else:
        assert article.original.strip()


@pytest.mark.parametrize("depth", [300, 2_000, 20_000])
def test_a_page_nested_past_the_parser_limit_still_gives_its_text(depth):
    paragraphs = ("<p>The harbour council voted on Thursday to raise ferry fees by a tenth from next spring.</p>"
                  "<script>var decoy = '<p>script text is not article text</p>';</script>"
                  "<p>Members argued for hours about the plan, which the ferry operators oppose.</p>")
    html = ("<html><head><title>Fees rise at the harbour</title></head><body><nav><a href='/'>Home</a></nav>"
            + "<div><span>" * (depth // 2) + f"<article><h1>Fees rise at the harbour</h1>{paragraphs}</article>"
            + "</span></div>" * (depth // 2) + "</body></html>")
    article = read_html(html, "deep.html")
    lines = article.original.split("\n")
    assert "The harbour council voted on Thursday to raise ferry fees by a tenth from next spring." in lines
    assert "Members argued for hours about the plan, which the ferry operators oppose." in lines
    assert "script text" not in article.original


def test_a_deep_page_without_text_says_how_deep_it_is():
    html = "<html><body>" + "<div>" * 400 + "<a href='/'>Home</a>" + "</div>" * 400 + "</body></html>"
    with pytest.raises(ReadFailure, match=r"nest 40\d levels deep"):
        read_html(html, "deep-empty.html")
