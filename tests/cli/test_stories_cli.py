"""``unspin stories`` table: columns, order, and article text never read as Rich markup."""

from __future__ import annotations

import re

import pytest
from _report_docs import single_fixture, story_fixture
from rich.console import Console

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
    line = re.sub(r"[│\s]+", " ", row)
    assert "altered quote of Ana Petrova: Daily Courier “" in line and "” vs Harbor Ledger “" in line
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
    from unspin.compare.divergence import top_divergence

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
    line = top_divergence(findings, names)
    assert line.startswith("altered quote of Ana Petrova: ")
    for f in findings:
        if f.kind == "fidelity":
            assert f"{names[f.article_id]} \u201c{f.text[:20]}" in line


# -- grouping knobs on the command line and in the config file ---------------------------------------

STORM = [
    "Storm Hilda brought winds of 140 km/h to the coast of Brevia overnight, cutting power to 80,000 homes. "
    "Fallen trees blocked the coastal railway between Porton and Selby.",
    "Brevia's coast was battered by Storm Hilda. Around 80,000 homes lost power and the railway from "
    "Porton to Selby was blocked by trees, the energy company said.",
]


def _storm_corpus(tmp_path, days_apart: int):
    import json

    path = tmp_path / "storm.jsonl"
    rows = [
        {"text": STORM[0], "outlet": "Brevia Post", "published": "2024-03-04T09:00:00"},
        {"text": STORM[1], "outlet": "Coast Daily", "published": f"2024-03-{4 + days_apart:02d}T09:00:00"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def _story_sizes(tmp_path, monkeypatch, *args: str) -> list[int]:
    from typer.testing import CliRunner

    from unspin.cli import app

    monkeypatch.setenv("UNSPIN_CONFIG", str(tmp_path / "config.toml"))
    result = CliRunner().invoke(app, ["stories", "--no-store", "--no-compare", "-q", *args])
    assert result.exit_code == 0, result.output
    rows = [line.split("│") for line in result.stdout.splitlines()]
    return sorted(int(cells[2]) for cells in rows if len(cells) > 2 and cells[1].strip().startswith("story:"))


def test_window_option_and_config_section_split_or_join_a_story(tmp_path, monkeypatch):
    corpus = str(_storm_corpus(tmp_path, days_apart=2))
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    assert _story_sizes(tmp_path, monkeypatch, corpus) == [2]  # default window: 3 days
    assert _story_sizes(tmp_path, monkeypatch, corpus, "--window", "1d") == [1, 1]
    (tmp_path / "config.toml").write_text('[group]\nwindow = "36h"\n', encoding="utf-8")
    assert _story_sizes(tmp_path, monkeypatch, corpus) == [1, 1]
    assert _story_sizes(tmp_path, monkeypatch, corpus, "--window", "5d") == [2]  # the option wins
    # --join-threshold sets the threshold of whichever method groups: batch (the default here) or incremental
    assert _story_sizes(tmp_path, monkeypatch, corpus, "--window", "5d", "--join-threshold", "1") == [1, 1]
    assert _story_sizes(tmp_path, monkeypatch, corpus, "--window", "5d", "--grouping", "incremental",
                        "--join-threshold", "0.99") == [1, 1]
    assert _story_sizes(tmp_path, monkeypatch, corpus, "--window", "5d", "--grouping", "incremental") == [2]


def test_bad_window_is_a_usage_error(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from unspin.cli import app

    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("UNSPIN_CONFIG", str(tmp_path / "config.toml"))
    result = CliRunner().invoke(app, ["stories", "--no-store", "--window", "soon", "x.txt"])
    assert result.exit_code == 2
    assert "not a duration" in result.output


def test_group_section_of_the_config_file(tmp_path):
    from datetime import timedelta

    from unspin.config import ConfigError, load_config

    path = tmp_path / "c.toml"
    path.write_text('[group]\nwindow = "7d"\njoin_threshold = 0.6\n', encoding="utf-8")
    cfg = load_config(path, env={}).group.group_config()
    assert cfg.window == timedelta(days=7) and cfg.join_threshold == 0.6
    assert cfg.join_threshold_hashing == 0.30  # untouched knobs keep their defaults
    path.write_text("[group]\njoin_threshold = 1.5\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(path, env={})


def test_a_story_with_many_outlets_lists_the_first_few():
    from unspin.cli.stories import MAX_OUTLETS_SHOWN, _outlet_list

    names = [f"Outlet {i}" for i in range(MAX_OUTLETS_SHOWN + 3)]
    assert _outlet_list(names) == ", ".join(names[:MAX_OUTLETS_SHOWN]) + " and 3 more"
    assert _outlet_list(["A", "B", "A"]) == "A, B"


def test_articles_stored_by_analyze_are_grouped_when_stories_are_listed(tmp_path, monkeypatch, new_db):
    from typer.testing import CliRunner

    from unspin.cli import app

    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("UNSPIN_CONFIG", str(tmp_path / "config.toml"))
    db = new_db()
    corpus = str(_storm_corpus(tmp_path, days_apart=1))
    runner = CliRunner()
    assert runner.invoke(app, ["analyze", corpus, "--db", db, "-q"]).exit_code == 0
    first = runner.invoke(app, ["stories", "--db", db, "--no-compare"])
    assert first.exit_code == 0, first.output
    assert "grouped the 2 stored articles into 1 story" in first.stderr

    def sizes(out: str) -> list[int]:
        rows = [line.split("│") for line in out.splitlines()]
        return [int(cells[2]) for cells in rows if len(cells) > 2 and cells[1].strip().startswith("story:")]

    assert sizes(first.stdout) == [2]
    again = runner.invoke(app, ["stories", "--db", db, "--no-compare"])  # now stored: listed, not regrouped
    assert "grouped" not in again.stderr and sizes(again.stdout) == [2]
    empty = runner.invoke(app, ["stories", "--db", new_db()])
    assert "no stored articles to group" in empty.stderr


def test_a_large_undated_batch_gets_a_note_to_give_dates():
    from datetime import datetime

    from _compare_docs import make_analysis

    from unspin.app.stories import UNDATED_CORPUS, undated_hint
    from unspin.group.stories import GroupConfig

    undated = [make_analysis(f"Report number {i} on the storm.") for i in range(UNDATED_CORPUS)]
    dated = [make_analysis(f"Dated report {i}.", published=datetime(2024, 3, 4)) for i in range(UNDATED_CORPUS)]
    hint = undated_hint(undated, GroupConfig())
    assert hint and f"{UNDATED_CORPUS} of {UNDATED_CORPUS} articles have no publication date" in hint
    assert "0.7" not in hint and "threshold" not in hint  # advice the evaluation did not support is gone
    assert undated_hint(undated[:10], GroupConfig()) is None  # a handful: grouping them loosely is the point
    assert undated_hint(undated + dated + dated, GroupConfig()) is None  # mostly dated
    assert "every pair" in hint
    over = undated_hint(undated, GroupConfig(batch_max_articles=10))
    assert over and "nearest articles" in over
    assert "one at a time" in undated_hint(undated, GroupConfig(method="incremental"))
