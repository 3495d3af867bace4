"""Inputs the coverage-guided fuzzer (scripts/fuzz_readers.py) or the property tests found to
crash a reader, reduced to what matters. Each must now be read or refused with a reason."""

from __future__ import annotations

import pytest

from unspin.read.dispatch import read_bytes_as
from unspin.read.errors import ReadFailure
from unspin.read.htmltext import html_to_text
from unspin.types import Article

ARTICLE = ("<p>The harbour council voted on Thursday to raise ferry fees by a tenth from next spring, "
           "officials said after a long debate.</p>")


@pytest.mark.parametrize("declaration", ["<![OCTYPE html>", "<![foo[bar]]>", "<![ if !IE ]>", "<![", "<![x"])
def test_an_unknown_marked_section_is_a_bogus_comment(declaration):
    # Python 3.11's html.parser raised AssertionError ("unknown status keyword") on these.
    page = f"{declaration}<html><head><title>Fees rise</title></head><body><article>{ARTICLE}</article></body></html>"
    (article,) = read_bytes_as("html", page.encode(), "found-by-fuzzing.html")
    assert isinstance(article, Article) and "raise ferry fees" in article.original
    assert "Fees" in html_to_text(f"<b>Fees</b>{declaration} rise")


def test_an_unknown_marked_section_in_a_feed_entry():
    feed = ("<rss version='2.0'><channel><title>T</title><item><title>Fees rise</title><description>"
            "&lt;![OCTYPE x&gt;&lt;p&gt;The council voted on fees.&lt;/p&gt;</description></item></channel></rss>")
    try:
        results = list(read_bytes_as("feed", feed.encode(), "fuzz.xml"))
    except ReadFailure as exc:  # pragma: no cover - a refusal would also be acceptable
        assert exc.reason
        return
    assert "The council voted on fees." in results[0].original


@pytest.mark.parametrize("data", [b"\x00\r,", b"title,text\rmore,words\n", b"a,\r\"b\n"])
def test_sniffing_a_line_with_a_lone_carriage_return(data):
    # csv.reader raised "new-line character seen in unquoted field" out of sniff_format.
    from unspin.read.dispatch import sniff_format

    assert sniff_format(data) in ("text", "csv")


def test_a_feed_whose_encoding_declaration_is_not_text():
    # feedparser raised UnicodeDecodeError on bytes 0xFF inside encoding="...".
    feed = (b'<?xml version="1.0" encoding="u\xff\xff\xff\xfftf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            b"<title>T</title><entry><title>Fees rise</title><summary>The council voted.</summary></entry></feed>")
    try:
        results = list(read_bytes_as("feed", feed, "fuzz.xml"))
    except ReadFailure as exc:
        assert "not a readable RSS/Atom feed" in exc.reason or "refused" in exc.reason
        return
    assert all(isinstance(r, Article) for r in results)


@pytest.mark.parametrize("url", ["http://[broken", "https://[::1/x", "http://]odd[/"])
def test_a_url_that_is_not_one_names_no_outlet(url):
    # urlsplit raised "Invalid IPv6 URL" out of the HTML and feed readers.
    from xml.sax.saxutils import quoteattr

    page = (f"<html><head><title>Fees rise</title><link rel=canonical href={quoteattr(url)}></head>"
            f"<body><article>{ARTICLE}</article></body></html>")
    (article,) = read_bytes_as("html", page.encode(), "bad-url.html")
    assert article.outlet is None
    feed = (f"<rss version='2.0'><channel><title>T</title><item><title>Fees rise</title>"
            f"<link>{url}</link><description>The council voted on harbour fees on Thursday.</description>"
            f"</item></channel></rss>")
    (entry,) = read_bytes_as("feed", feed.encode(), "bad-url.xml", outlet="Given")
    assert isinstance(entry, Article) and entry.outlet in ("T", "Given")
