"""A page's own genre label (opinion section, satire type, byline) read from HTML, corpora and
feeds, and reported by the ``declared`` component beside the model's reading."""

import json

import pytest
from _articles import make_article

from unspin.analyse.pipeline import Pipeline
from unspin.read.corpus import read_jsonl
from unspin.read.declared import clean_byline, from_section, from_url
from unspin.read.feed import read_feed
from unspin.read.html import read_html

BODY = " ".join(["The council met on Monday and approved the budget after a short debate."] * 3)


def page(head: str = "", byline: str = "", url: str = "") -> str:
    canonical = f'<link rel="canonical" href="{url}">' if url else ""
    return (
        f"<html><head><title>Budget passes</title>{canonical}{head}</head><body><article>"
        f"<h1>Budget passes</h1><p class='byline'>{byline}</p><p>{BODY}</p></article></body></html>"
    )


@pytest.mark.parametrize(
    ("author", "name", "genre"),
    [
        ("Opinion by Marek Dunst", "Marek Dunst", "opinion"),
        ("Comment: Ann Lee", "Ann Lee", "opinion"),
        ("By Ann Lee", "Ann Lee", None),
        ("Ann Lee", "Ann Lee", None),
        ("Opinionated Joe", "Opinionated Joe", None),  # a word that starts alike is not a label
        ("", None, None),
    ],
)
def test_byline_labels_are_split_from_the_name(author, name, genre):
    got, declared = clean_byline(author)
    assert got == name
    assert (declared.genre if declared else None) == genre


def test_sections_and_urls():
    assert from_section("Opinion", "article:section").genre == "opinion"
    assert from_section("Satire", "x").genre == "satire"
    assert from_section("News", "x") is None and from_section("World", "x") is None
    assert from_url("https://paper.example/commentisfree/2026/apr/10/valleys").genre == "opinion"
    assert from_url("https://paper.example/world/2026/opinion-poll-shows-lead") is None  # slug, not a section
    assert from_url("not a url") is None


def test_html_section_meta_schema_type_and_url():
    opinion = read_html(page('<meta property="article:section" content="Opinion">'), "a.html")
    assert opinion.meta["declared_genre"] == {"genre": "opinion", "evidence": "article:section = Opinion"}
    satire_ld = json.dumps({"@context": "https://schema.org", "@type": ["SatiricalArticle"], "headline": "x"})
    satire = read_html(page(f'<script type="application/ld+json">{satire_ld}</script>'), "b.html")
    assert satire.meta["declared_genre"]["genre"] == "satire"
    by_url = read_html(page(url="https://paper.example/opinion/2026/budget-passes"), "c.html")
    assert by_url.meta["declared_genre"]["genre"] == "opinion"
    plain = read_html(page('<meta property="article:section" content="Politics">'), "d.html")
    assert "declared_genre" not in plain.meta


def test_corpus_section_column_and_byline():
    rows = [
        {"text": BODY, "title": "Budget passes", "section": "Opinion"},
        {"text": BODY, "title": "Budget passes again", "byline": "Opinion by Ann Lee"},
        {"text": BODY, "title": "Budget passes once more", "section": "Business"},
    ]
    data = "\n".join(json.dumps(r) for r in rows).encode()
    a, b, c = list(read_jsonl(data, "c.jsonl"))
    assert a.meta["declared_genre"]["genre"] == "opinion" and a.meta["section"] == "Opinion"
    assert b.author == "Ann Lee" and b.meta["declared_genre"]["evidence"] == "byline 'Opinion by Ann Lee'"
    assert "declared_genre" not in c.meta


def test_feed_category():
    feed = (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Voice</title>"
        f"<item><title>Valleys</title><category>Opinion</category><description>{BODY}</description></item>"
        f"<item><title>Budget</title><category>Politics</category><description>{BODY}</description></item>"
        "</channel></rss>"
    ).encode()
    first, second = list(read_feed(feed, "f.xml"))
    assert first.meta["declared_genre"]["genre"] == "opinion"
    assert "declared_genre" not in second.meta


def test_component_reports_the_label_with_its_evidence():
    art = make_article("Budget passes\n\n" + BODY)
    assert Pipeline(["declared"])(art).of_kind("genre") == []
    art.meta["declared_genre"] = {"genre": "opinion", "evidence": "article:section = Opinion"}
    (g,) = Pipeline(["declared"])(art).of_kind("genre")
    assert (g.label, g.source) == ("opinion", "rule:page-declared")
    assert "article:section = Opinion" in g.explanation and g.attrs["declared"] is True
    art.meta["declared_genre"] = {"genre": "news", "evidence": "?"}  # not a genre of the taxonomy
    assert Pipeline(["declared"])(art).of_kind("genre") == []


def test_json_ld_article_section():
    ld = json.dumps({"@type": "NewsArticle", "articleSection": ["Opinion", "Politics"]})
    art = read_html(page(f'<script type="application/ld+json">{ld}</script>'), "e.html")
    assert art.meta["declared_genre"] == {"genre": "opinion", "evidence": "schema.org articleSection = Opinion"}


def test_hostile_json_ld_is_read_in_bounded_time():
    import time

    from unspin.read.declared import from_schema

    hostile = '"@type": [' * 20_000 + '"articleSection": "' * 10_000
    start = time.perf_counter()
    assert from_schema(hostile) is None
    assert time.perf_counter() - start < 1.0
