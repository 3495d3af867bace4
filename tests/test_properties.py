"""Property-based tests (hypothesis): every reader, fed bytes shaped like its format or not at
all, either gives articles whose spans point at their own text or refuses with a reason; it
never raises anything else. Cleaning never yields a span outside the original or at other text,
and the offsets map sends every stretch of cleaned text back to the same characters.

Example counts are kept small enough for CI; a longer run: ``HYPOTHESIS_PROFILE=long pytest
tests/test_properties.py`` (and the coverage-guided fuzzer: ``scripts/fuzz_readers.py``)."""

from __future__ import annotations

import json
import os

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from unspin.clean import clean_article  # noqa: E402
from unspin.clean.offsets import OffsetMap  # noqa: E402
from unspin.read.dispatch import read_bytes_as, sniff_format  # noqa: E402
from unspin.read.errors import ReadFailure  # noqa: E402
from unspin.types import Article, ItemFailure, Span  # noqa: E402

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", max_examples=2_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

FORMATS = ("text", "html", "feed", "jsonl", "csv", "parquet")

# Text with the characters that break readers: controls, bidi overrides, surrogate-free
# astral characters, quotes, markup, CRs and NULs.
NASTY = st.sampled_from(["\x00", "\r", "\r\n", "\u202e", "\u2066", "\ufeff", "\x1b[31m", "<", "&", "&amp;",
                         "]]>", "<!--", "\u00a0", "\u2028", "🙂", "\"", "'", "\t", "\n\n", "Ω"])
WORDS = st.sampled_from(["The", "council", "voted", "on", "Monday", "to", "raise", "fees", "said", "a",
                         "spokesperson", "for", "the", "harbour", "authority", "Kyiv", "2024", "41%"])
TEXT = st.lists(st.one_of(WORDS, NASTY, st.text(max_size=8)), max_size=80).map(" ".join)


def _check_article(article: Article) -> None:
    original = article.original
    if article.title is not None:
        assert original[article.title.start:article.title.end] == article.title.text
    cleaned = clean_article(article)
    assert cleaned.original == original  # cleaning never edits the text
    for paragraph in cleaned.paragraphs:
        assert 0 <= paragraph.start <= paragraph.end <= len(original)
        assert original[paragraph.start:paragraph.end] == paragraph.text
    for finding in cleaned.removed:
        assert finding.start is not None and finding.end is not None
        assert 0 <= finding.start <= finding.end <= len(original)
        assert original[finding.start:finding.end] == finding.text
    if cleaned.title is not None:
        assert original[cleaned.title.start:cleaned.title.end] == cleaned.title.text


def _read_all(fmt: str, data: bytes) -> None:
    try:
        results = list(read_bytes_as(fmt, data, f"prop.{fmt}", max_bytes=1_000_000))
    except ReadFailure as exc:
        assert exc.reason  # a refusal says why
        return
    for result in results:
        if isinstance(result, ItemFailure):
            assert result.reason
        else:
            assert isinstance(result, Article)
            _check_article(result)


@pytest.mark.parametrize("fmt", FORMATS)
@given(data=st.binary(max_size=3_000))
def test_any_bytes_are_read_or_refused_with_a_reason(fmt, data):
    _read_all(fmt, data)


@given(data=st.binary(max_size=2_000))
def test_sniffing_never_fails(data):
    assert sniff_format(data) in FORMATS


@given(title=TEXT, paragraphs=st.lists(TEXT, max_size=6), encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_text_files(title, paragraphs, encoding):
    text = title + "\n\n" + "\n\n".join(paragraphs)
    _read_all("text", text.encode(encoding, errors="replace"))


TAGS = st.sampled_from(["div", "p", "span", "article", "section", "b", "i", "a", "h1", "h2", "li", "ul",
                        "script", "style", "nav", "footer", "figure", "figcaption", "table", "td", "br"])


@st.composite
def html_pages(draw):
    """Pages of random, often broken, nesting around text that is sometimes article-like."""
    parts = ["<html><head><title>", draw(TEXT), "</title>"]
    if draw(st.booleans()):
        parts.append(f'<meta property="og:site_name" content="{draw(TEXT)}">')
    parts.append("</head><body>")
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(TAGS)
        choice = draw(st.integers(0, 3))
        if choice == 0:
            parts.append(f"<{tag}>")
        elif choice == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(f"<{tag}>{draw(TEXT)}</{tag}>")
    parts.append("</body></html>")
    return "".join(parts)


@given(page=html_pages(), depth=st.sampled_from([0, 0, 0, 300]))
def test_html_pages(page, depth):
    if depth:
        page = page.replace("<body>", "<body>" + "<div>" * depth, 1)
    _read_all("html", page.encode("utf-8", errors="surrogatepass"))


@st.composite
def feeds(draw):
    from xml.sax.saxutils import escape

    items = []
    for n in range(draw(st.integers(0, 5))):
        title = escape(draw(TEXT).replace("\x00", ""))
        body = draw(TEXT).replace("]]>", "")
        items.append(f"<item><guid>{n}</guid><title>{title}</title>"
                     f"<description><![CDATA[{body}]]></description></item>")
    declaration = draw(st.sampled_from(["", '<?xml version="1.0" encoding="utf-8"?>',
                                        '<!DOCTYPE rss [<!ENTITY a "b">]>']))
    return f"{declaration}<rss version=\"2.0\"><channel><title>T</title>{''.join(items)}</channel></rss>"


@given(feed=feeds())
def test_feeds(feed):
    _read_all("feed", feed.encode("utf-8", errors="surrogatepass"))


RECORD = st.fixed_dictionaries({}, optional={
    "text": st.one_of(TEXT, st.integers(), st.none(), st.lists(WORDS, max_size=3)),
    "title": st.one_of(TEXT, st.none(), st.integers()),
    "outlet": st.one_of(TEXT, st.none()),
    "published": st.one_of(st.sampled_from(["2024-03-01", "yesterday", "", "9999-99-99", "1700000000"]),
                           st.integers(), st.none()),
    "url": st.one_of(st.sampled_from(["https://example.org/a", "javascript:alert(1)", ""]), st.none()),
})


@given(records=st.lists(RECORD, max_size=6), broken=st.booleans())
def test_jsonl_corpora(records, broken):
    lines = [json.dumps(r) for r in records]
    if broken:
        lines.insert(len(lines) // 2, '{"text": "unterminated')
    _read_all("jsonl", "\n".join(lines).encode())


@given(records=st.lists(RECORD, max_size=6))
def test_csv_corpora(records):
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["text", "title", "outlet", "published", "url"])
    writer.writeheader()
    for r in records:
        writer.writerow({k: ("" if v is None else str(v)) for k, v in r.items()})
    _read_all("csv", out.getvalue().encode())


@st.composite
def pieces_of(draw):
    """An original text and increasing, non-overlapping pieces of it (as cleaning keeps them)."""
    original = draw(st.text(min_size=0, max_size=200))
    cuts = sorted(draw(st.lists(st.integers(0, len(original)), max_size=10)))
    pieces = [Span(start=a, end=b, text=original[a:b]) for a, b in zip(cuts[::2], cuts[1::2], strict=False)]
    return original, pieces


@given(case=pieces_of(), data=st.data())
def test_offsets_map_every_stretch_back_to_the_same_characters(case, data):
    original, pieces = case
    mapping = OffsetMap(pieces)
    cleaned = mapping.text
    start = data.draw(st.integers(0, len(cleaned)))
    end = data.draw(st.integers(start, len(cleaned)))
    orig_start, orig_end = mapping.span_to_original(start, end)
    assert 0 <= orig_start <= orig_end <= len(original)
    # Inside one piece the stretch is the very same characters.
    for piece, clean_start in zip(pieces, mapping._clean_starts, strict=True):
        if clean_start <= start <= end <= clean_start + len(piece.text):
            assert original[orig_start:orig_end] == cleaned[start:end]
    # Every character of the stretch that is not a separator is in the mapped original stretch.
    kept = "".join(ch for ch in cleaned[start:end] if ch != "\n")
    assert all(ch in original[orig_start:orig_end] for ch in kept)
    with pytest.raises(ValueError):
        mapping.to_original(len(cleaned) + 1)
