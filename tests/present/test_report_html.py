"""The HTML report: structure, self-containment, escaping of hostile article text, highlights."""

from __future__ import annotations

import re
from datetime import UTC

import lxml.html
import pytest
from _report_docs import HOSTILE_ATTR, HOSTILE_IMG, HOSTILE_SCRIPT, single_fixture, story_fixture
from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader

from unspin.present.html import CSP, build_story_context, render_report, report_css, templates_dir
from unspin.present.html.highlight import segments, span_checks
from unspin.types import Finding


def _render(hostile: bool = False) -> tuple[str, lxml.html.HtmlElement]:
    comparison, analyses = story_fixture(hostile=hostile)
    html = render_report([comparison], analyses + [single_fixture()])
    return html, lxml.html.document_fromstring(html)


@pytest.fixture(scope="module")
def plain() -> tuple[str, lxml.html.HtmlElement]:
    return _render()


@pytest.fixture(scope="module")
def hostile() -> tuple[str, lxml.html.HtmlElement]:
    return _render(hostile=True)


def test_story_index_links_to_each_story_section(plain):
    _, doc = plain
    links = doc.xpath('//table[@class="index"]//a/@href')
    sections = doc.xpath('//section[@class="story"]/@id')
    assert len(sections) == 1
    assert links == ["#" + sections[0]]
    assert doc.xpath('//section[@class="story"]/@data-story-id') == ["story-port-1"]


def test_outlets_side_by_side_with_titles_and_paragraphs(plain):
    _, doc = plain
    columns = doc.xpath('//div[@class="side-by-side"]/article[@class="outlet"]')
    assert [c.xpath('string(.//div[@class="outlet-name"])') for c in columns] == [
        "Harbor Ledger",
        "Daily Courier",
    ]
    first, second = columns
    assert first.xpath('string(.//h3[@class="headline"])').startswith(
        "Minister admits the port will never reopen"
    )
    assert len(first.xpath('.//div[@class="body"]/p')) == 4
    assert len(second.xpath('.//div[@class="body"]/p')) == 3
    # The title is the column heading, not repeated as a paragraph.
    assert "Minister admits" not in first.xpath('string(.//div[@class="body"])')


def test_quote_fidelity_table_shows_class_and_word_diff(plain):
    _, doc = plain
    rows = doc.xpath('//table[@class="fidelity"]/tbody/tr')
    assert len(rows) == 1
    cells = rows[0].xpath("./td")
    assert cells[0].text_content().strip() == "Ana Petrova"
    assert cells[1].text_content().strip() == "altered"
    deleted = " ".join(rows[0].xpath('.//span[@class="diff-delete"]/text()'))
    inserted = " ".join(rows[0].xpath('.//span[@class="diff-insert"]/text()'))
    assert "never reopen" in deleted  # Harbor Ledger's words ...
    assert "is closed for now" in inserted  # ... as Daily Courier renders them
    # each rendering with the verb that introduced it
    assert rows[0].xpath('.//span[contains(@class, "fid-verb")]/text()') == ["(admitted)", "(said)"]


def test_only_here_lists_per_outlet(plain):
    _, doc = plain
    blocks = doc.xpath('//div[@class="only-here-outlet"]')
    assert len(blocks) == 2
    assert "first closed in 2014" in blocks[0].text_content()
    assert "planned for 12 May" in blocks[1].text_content()
    assert "2014" not in blocks[1].text_content()
    assert "Names only here: Fishing Board" in blocks[0].text_content()


def test_attribution_graph_draws_outlet_to_cited_medium(plain):
    _, doc = plain
    svg = doc.xpath('//div[@class="graph"]/svg')
    assert len(svg) == 1
    labels = [t.text for t in svg[0].iter("text")]
    assert "Harbor Ledger" in labels and "Daily Courier" in labels
    assert len(svg[0].xpath('.//path[contains(@class, "edge")]')) == 1
    item = doc.xpath('string(//ul[@class="attribution-list"]/li)')
    assert "Harbor Ledger" in item and "Daily Courier" in item and "according to the Daily Courier" in item


def test_headline_flag_and_boilerplate_collapsed(plain):
    _, doc = plain
    flags = doc.xpath('//div[contains(@class, "headline-flag")]')
    assert len(flags) == 1 and "never" in flags[0].text_content()
    removed = doc.xpath('//details[@class="removed"]')
    assert len(removed) == 1 and "open" not in removed[0].attrib  # collapsed by default
    assert "Tags: harbour, fishing" in removed[0].text_content()


def test_charts_are_inline_svg(plain):
    _, doc = plain
    story_charts = doc.xpath('//section[@class="story"]//div[@class="charts"]/svg')
    assert [c.get("aria-label") for c in story_charts] == [
        "Persuasion techniques per outlet",
        "Frames per outlet: how likely each article uses each",
        "Loaded and contested wording per outlet",
    ]
    corpus = doc.xpath('//h2[@id="charts"]/following-sibling::div[@class="charts"][1]/svg')
    assert len(corpus) == 4
    # Frames: one bar per outlet that has a frame finding (Economic, Policy).
    assert len(story_charts[1].xpath(".//rect[@height]")) >= 2


def test_single_articles_listed_apart(plain):
    _, doc = plain
    assert "Library extends opening hours" in doc.xpath('string(//table[@class="singles"])')


def test_self_contained_no_script_no_external_resources(plain):
    html, doc = plain
    assert doc.xpath("//script") == []
    assert doc.xpath("//link") == []
    assert doc.xpath("//*[@src]") == []
    assert doc.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content') == [CSP]
    assert "default-src 'none'" in CSP and "script-src" not in CSP
    for el in doc.xpath("//*[@href]"):
        href = el.get("href")
        # Only in-page anchors and the article's own link (navigation on click, never fetched).
        assert el.tag == "a" and (href.startswith("#") or href == "https://ledger.example/port"), href
    css = report_css()
    assert "url(" not in css and "@import" not in css
    assert not re.search(
        r"(src|href)\s*=\s*[\"']?(https?:)?//", html.replace('href="https://ledger.example/port"', "")
    )


def test_hostile_markup_is_escaped_everywhere(hostile):
    html, doc = hostile
    assert doc.xpath("//script") == []
    assert doc.xpath("//img") == []
    assert doc.xpath("//*[@onerror or @onload]") == []
    assert doc.xpath("//svg[@onload]") == []
    for el in doc.iter():
        if isinstance(el.tag, str):
            assert not any(a.lower().startswith("on") for a in el.attrib), (el.tag, el.attrib)
    for raw in (HOSTILE_SCRIPT, HOSTILE_IMG, HOSTILE_ATTR):
        assert raw not in html
    text = doc.text_content()
    # The hostile strings are shown as text: outlet name, title, body, speaker, labels, boilerplate.
    assert HOSTILE_SCRIPT in doc.xpath('string(//article[@class="outlet"][1]//div[@class="outlet-name"])')
    assert HOSTILE_ATTR in doc.xpath('string(//article[@class="outlet"][1]//h3[@class="headline"])')
    assert HOSTILE_IMG in doc.xpath('string(//table[@class="fidelity"]//td[1])')
    assert text.count(HOSTILE_SCRIPT) >= 3
    assert "&lt;script&gt;" in html


def test_hostile_text_inside_attributes_stays_inside(hostile):
    _, doc = hostile
    # The hostile technique label sits whole inside a badge's/cell's title value, adding no attribute.
    titles = doc.xpath("//@title")
    assert any(HOSTILE_ATTR in t for t in titles)
    assert doc.xpath('//section[@class="story"]/@data-story-id') == ["story-port-1" + HOSTILE_ATTR]
    for el in doc.xpath("//*[@title]"):
        assert set(el.attrib) <= {"title", "class", "id", "href", "tabindex", "data-kinds", "role"}


def test_highlights_carry_tooltip_with_evidence(plain):
    _, doc = plain
    marks = doc.xpath('//mark[contains(@class, "p-technique")]')
    assert marks, "the technique finding is highlighted"
    tip = marks[0].xpath('.//span[@class="tip"]')[0].text_content()
    assert "Loaded_Language" in tip and "80%" in tip and "model:techniques@0.1.0" in tip
    assert "Emotionally charged words" in tip
    # Overlap: "reckless" is both a term and part of the technique span.
    reckless = [m for m in doc.xpath("//mark") if m.text == "reckless"][0]
    assert "k-term" in reckless.get("class") and "k-technique" in reckless.get("class")
    assert reckless.get("tabindex") == "0"


def test_segments_split_at_every_boundary_and_keep_text():
    text = "The quick brown fox jumps."

    def f(s, e, kind="term"):
        return Finding(kind=kind, label="x", start=s, end=e, text=text[s:e], confidence=0.5, source="rule:t")

    a, b = f(4, 15, "technique"), f(10, 19)
    segs = segments(text, 0, len(text), [a, b])
    assert "".join(s.text for s in segs) == text
    assert [(s.text, [x.kind for x in s.findings]) for s in segs] == [
        ("The ", []),
        ("quick ", ["technique"]),
        ("brown", ["technique", "term"]),
        (" fox", ["term"]),
        (" jumps.", []),
    ]
    # Clipped to a window (a paragraph): offsets stay absolute.
    inner = segments(text, 10, 19, [a])
    assert [(s.start, s.text) for s in inner] == [(10, "brown"), (15, " fox")]


def test_span_check_rejects_wrong_offsets():
    text = "Kyiv and Kiev."
    good = Finding(kind="term", label="kiev", start=9, end=13, text="Kiev", confidence=1, source="rule:t")
    bad = good.model_copy(update={"start": 8, "end": 12})
    out = good.model_copy(update={"start": 9, "end": 99})
    assert span_checks(text, good) and not span_checks(text, bad) and not span_checks(text, out)


def test_finding_with_wrong_span_is_listed_not_drawn():
    comparison, analyses = story_fixture()
    art = analyses[1].article
    analyses[1].findings.append(
        Finding(
            kind="term",
            label="ghost",
            start=0,
            end=4,
            text="Nope",
            confidence=0.5,
            source="rule:t",
            article_id=art.id,
        )
    )
    doc = lxml.html.document_fromstring(render_report([comparison], analyses))
    unplaced = doc.xpath('//details[@class="unplaced"]')
    assert len(unplaced) == 1 and "ghost" in unplaced[0].text_content()
    assert not [m for m in doc.xpath("//mark") if "ghost" in m.text_content()]


def test_story_partial_renders_inside_another_layout():
    """The web app includes the same partial in its own page, with its own environment."""
    comparison, analyses = story_fixture(hostile=True)
    env = Environment(
        loader=ChoiceLoader(
            [
                DictLoader({"page.html": "<main>{% include 'partials/story.html.j2' %}</main>"}),
                FileSystemLoader(str(templates_dir())),
            ]
        ),
        autoescape=True,
    )
    html = env.get_template("page.html").render(story=build_story_context(comparison, analyses))
    doc = lxml.html.document_fromstring(html)
    assert len(doc.xpath('//main/section[@class="story"]')) == 1
    assert doc.xpath("//script") == [] and doc.xpath("//img") == []
    assert len(doc.xpath('//table[@class="fidelity"]/tbody/tr')) == 1


def test_paragraph_level_technique_is_a_badge_not_a_highlight():
    comparison, analyses = story_fixture()
    art = analyses[0].article
    para = art.paragraphs[2]
    analyses[0].findings.append(
        Finding(kind="technique", label="Appeal_to_Fear", start=para.start, end=para.end, text=para.text,
                confidence=0.66, source="model:techniques@0.1.0", article_id=art.id,
                explanation="The paragraph warns of harm to push a conclusion.", attrs={"level": "paragraph"})
    )
    doc = lxml.html.document_fromstring(render_report([comparison], analyses))
    p = doc.xpath(f'//article[@data-article-id="{art.id}"]//p[@data-paragraph="2"]')[0]
    badges = p.xpath('.//span[@class="badge"]')
    assert [b.text_content() for b in badges] == ["Appeal_to_Fear 66%"]
    assert "warns of harm" in badges[0].get("title")
    assert not [m for m in doc.xpath("//mark") if "Appeal_to_Fear" in m.text_content()]


def test_an_article_in_no_story_is_shown_in_full_with_its_own_headline_check():
    from datetime import UTC, datetime

    from _report_docs import build_article

    from unspin.compare import compare
    from unspin.present.markdown import render_markdown
    from unspin.types import Analysis

    art = build_article("Thugs shut the library early", ["The city library will close at 6 pm, the council said."],
                        outlet="Town Crier", published=datetime(2024, 3, 1, tzinfo=UTC))
    start = art.original.index("Thugs")
    term = Finding(kind="term", label="thug", start=start, end=start + 5, text="Thugs", confidence=0.85,
                   source="lexicon:loaded@1.1", explanation="loaded", article_id=art.id,
                   attrs={"category": "loaded", "in_quote": False})
    analysis = Analysis(article=art, findings=[term], components=["test@0"])
    own = compare([analysis])  # a one-article story: its headline against its own body
    assert [f.label for f in own.of_kind("headline")] == ["headline:loaded"]

    doc = lxml.html.document_fromstring(render_report([own], [analysis]))
    (shown,) = doc.xpath('//details[@class="single"]//article[@data-article-id=$id]', id=art.id)
    headline = shown.xpath('string(.//h3[@class="headline"]//mark)')
    assert headline.startswith("Thugs") and "term: thug" in headline  # highlighted, with its evidence
    assert "close at 6 pm" in shown.xpath('string(.//div[@class="body"])')
    assert "judging words ('Thugs')" in shown.xpath('string(.//div[contains(@class, "headline-flag")])')
    assert doc.xpath('//table[@class="singles"]//a/@href') == ["#" + shown.get("id")]
    assert not doc.xpath('//section[@class="story"]')  # no story of its own

    md = render_markdown([own], [analysis])
    assert "Headline: **Thugs**" in md and "close at 6 pm" in md


def test_an_only_here_claim_is_marked_in_html_and_markdown():
    from unspin.present.markdown import render_markdown

    comparison, analyses = story_fixture()
    only = next(f for f in comparison.findings if f.kind == "only_here" and f.label == "sentence")
    only.attrs["claim"] = ["figure"]
    doc = lxml.html.document_fromstring(render_report([comparison], analyses))
    (mark,) = doc.xpath('//div[@class="only-here"]//span[@class="claim-mark"]')
    assert mark.text == "claim: figure" and only.text in mark.getparent().text_content()
    assert "_(claim: figure)_" in render_markdown([comparison], analyses)


def test_a_page_label_badge_says_so_instead_of_a_percentage():
    comparison, analyses = story_fixture()
    art = analyses[0].article
    analyses[0].findings.append(
        Finding(kind="genre", label="opinion", confidence=0.95, source="rule:page-declared", article_id=art.id,
                explanation="The publisher labels this article opinion (URL section /opinion/).",
                attrs={"evidence": "URL section /opinion/", "declared": True})
    )
    doc = lxml.html.document_fromstring(render_report([comparison], analyses))
    badges = doc.xpath(f'//article[@data-article-id="{art.id}"]//span[@class="badge"]')
    page = [b for b in badges if "rule:page-declared" in b.get("title")]
    assert [b.text_content() for b in page] == ["opinion (page label)"]
    assert "URL section /opinion/" in page[0].get("title")


def test_a_quote_pair_is_shown_from_its_reference_rendering():
    """The row reads from the reference rendering (compare's ``quote_groups``) to the other, so
    its changes say what the other outlet did, whichever direction the findings come in."""
    from datetime import datetime

    from unspin.compare.quote_groups import quote_groups
    from unspin.present.html.context import _fidelity_rows
    from unspin.types import Comparison, Story

    wire, tab = "may ease later this year if prices hold", "will ease this year"

    def finding(this_id, this_text, other_id, other_text, change):
        return Finding(kind="fidelity", label="altered", start=0, end=len(this_text), text=this_text,
                       confidence=0.7, source="rule:compare/quote-fidelity", article_id=this_id,
                       explanation="renders differently", attrs={"speaker": "Lena Ortiz", "other_article_id": other_id,
                       "other_start": 0, "other_end": len(other_text), "other_text": other_text,
                       "changes": [change]})

    pair = [finding("t", tab, "w", wire, "modality: will -> may"), finding("w", wire, "t", tab, "modality: may -> will")]
    names = {"t": "Tabloid", "w": "Wire"}

    def rows(published):
        return _fidelity_rows(Comparison(story=Story(id="s"), findings=pair, quote_groups=quote_groups(pair, published)),
                              names)

    # undated: the fuller rendering (the wire's) is the reference, and the change reads from it
    (row,) = rows({})
    assert (row["outlet"], row["other_outlet"], row["changes"]) == ("Wire", "Tabloid", ["modality: may -> will"])
    assert [d["op"] for d in row["diff"]][:2] == ["delete", "insert"]  # "may" out, "will" in
    # dated: the earlier one is the reference, however short
    early, late = datetime(2024, 5, 6, 8, tzinfo=UTC), datetime(2024, 5, 6, 20, tzinfo=UTC)
    (row,) = rows({"t": early, "w": late})
    assert (row["outlet"], row["changes"]) == ("Tabloid", ["modality: will -> may"])
