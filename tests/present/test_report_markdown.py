"""The Markdown report: the same stories, escaped so that a Markdown renderer shows article text
as text (rendered here with markdown-it-py, which passes raw HTML through like most renderers)."""

from __future__ import annotations

import lxml.html
from _report_docs import HOSTILE_ATTR, HOSTILE_IMG, HOSTILE_SCRIPT, single_fixture, story_fixture
from markdown_it import MarkdownIt

from unspin.present.markdown import md_text, render_markdown


def _to_html(md: str) -> lxml.html.HtmlElement:
    renderer = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return lxml.html.document_fromstring("<div>" + renderer.render(md) + "</div>")


def test_markdown_has_index_story_fidelity_and_only_here():
    comparison, analyses = story_fixture()
    md = render_markdown([comparison], analyses + [single_fixture()])
    doc = _to_html(md)
    headings = [h.text_content() for h in doc.xpath("//h2|//h3")]
    assert headings[:5] == ["Stories", "Port closure", "Per outlet", "Harbor Ledger", "Daily Courier"]
    assert "Quote fidelity" in headings and "Only here" in headings and "Who cites whom" in headings
    assert "Articles without a matching story" in headings
    fidelity = doc.xpath('//h3[text()="Quote fidelity"]/following-sibling::table[1]//tbody/tr')
    assert len(fidelity) == 1
    row = fidelity[0]
    assert "altered" in row.text_content()
    assert "never reopen," in " ".join(row.xpath(".//s/text()"))
    assert "is closed for now" in " ".join(row.xpath(".//strong/text()"))
    assert row.xpath(".//em/text()") == ["(admitted)", "(said)"]  # how each outlet introduced it
    # Highlights: bold text followed by the number of the finding listed under the article.
    assert "reckless" in doc.xpath("//blockquote//strong/text()")
    assert "Harbor Ledger → Daily Courier (cites)" in md


def test_markdown_escapes_hostile_text():
    comparison, analyses = story_fixture(hostile=True)
    md = render_markdown([comparison], analyses)
    for raw in (HOSTILE_SCRIPT, HOSTILE_IMG, HOSTILE_ATTR):
        assert raw not in md
    doc = _to_html(md)
    assert doc.xpath("//script") == [] and doc.xpath("//img") == [] and doc.xpath("//svg") == []
    assert doc.xpath("//*[@onerror or @onload]") == []
    assert HOSTILE_SCRIPT in doc.text_content()  # shown as text


def test_md_text_neutralises_markdown_syntax():
    doc = _to_html(md_text("# not a heading *not em* [not](a link) | pipe `code`"))
    assert doc.xpath("//h1|//em|//a|//code") == []
    assert "# not a heading *not em* [not](a link) | pipe `code`" in doc.text_content()
    assert _to_html(md_text("1. not a list")).xpath("//ol") == []
    assert _to_html(md_text("- not a list")).xpath("//ul") == []
