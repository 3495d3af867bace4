"""``unspin stories`` table: columns, order, and article text never read as Rich markup."""

from __future__ import annotations

from rich.console import Console
from test_report_helpers import single_fixture, story_fixture

from unspin.cli.stories import stories_table
from unspin.types import Story, StoryMember


def _render(table) -> str:
    console = Console(record=True, width=200, color_system=None)
    console.print(table)
    return console.export_text()


def test_table_lists_stories_biggest_first_with_divergence():
    comparison, analyses = story_fixture()
    single = single_fixture()
    lone = Story(id="story-lone", title="Library hours", members=[StoryMember(article_id=single.article.id)])
    text = _render(stories_table([lone, comparison.story], analyses + [single], [comparison]))
    assert text.index("story-port-1") < text.index("story-lone")
    row = text[text.index("story-port-1") : text.index("story-lone")]
    assert "2" in row and "Harbor Ledger, Daily Courier" in row
    assert "2024-03-04 09:00 – 11:00" in row
    # an altered quote is a verdict on a pair: both articles are named, not only one of them
    assert "altered quote of Ana Petrova: Daily Courier vs Harbor Ledger" in " ".join(row.split())
    assert "undated" in text[text.index("story-lone") :]


def test_brackets_in_titles_and_outlets_are_not_markup():
    comparison, analyses = story_fixture()
    analyses[0].article.outlet = "[bold red]Ledger[/bold red]"
    story = comparison.story.model_copy(update={"title": "[link=https://x.example]click[/link]"})
    text = _render(stories_table([story], analyses, []))
    assert "[bold red]Ledger[/bold red]" in text
    assert "[link=https://x.example]click[/link]" in text


def test_copies_are_counted():
    comparison, analyses = story_fixture()
    a, b = comparison.story.members
    story = comparison.story.model_copy(
        update={"members": [a, StoryMember(article_id=b.article_id, relation="copy_of", of=a.article_id, similarity=0.97)]}
    )
    assert "(1 copy)" in _render(stories_table([story], analyses, []))


def test_top_divergence_quotes_both_renderings_of_an_altered_quote():
    from unspin.present.html.summary import top_divergence

    comparison, analyses = story_fixture()
    names = {a.article.id: a.article.outlet for a in analyses}
    by_id = {a.article.id: a for a in analyses}
    findings = []
    for f in comparison.findings:
        if f.kind == "fidelity":
            other = by_id[f.attrs["other_article_id"]].article.original
            text = other[f.attrs["other_start"] : f.attrs["other_end"]]
            f = f.model_copy(update={"attrs": {**f.attrs, "other_text": text}})
        findings.append(f)
    line = top_divergence(comparison.model_copy(update={"findings": findings}), names)
    assert line.startswith("altered quote of Ana Petrova: ")
    for f in findings:
        if f.kind == "fidelity":
            assert f"{names[f.article_id]} \u201c{f.text[:20]}" in line
