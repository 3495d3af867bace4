"""The bundled examples: short, our own words, read and cleaned as intended."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _paths import ROOT

from unspin.clean import clean_article
from unspin.cli.common import expand_inputs
from unspin.read import read_inputs
from unspin.types import Article

EXAMPLES = ROOT / "examples"
SHARED = ROOT / ".." / "shared"
QUOTE = "will not sign any agreement that leaves our farmers cut off from their own fields"


def _articles() -> dict[str, Article]:
    out = {}
    for record in read_inputs(expand_inputs([str(EXAMPLES)])):
        assert isinstance(record, Article), record
        out[Path(record.source).name] = clean_article(record)
    return out


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    return _articles()


def test_four_articles_and_the_readme_is_not_one(articles):
    assert sorted(articles) == [
        "01-nordline-wire.txt",
        "02-tesslan-state-agency.txt",
        "03-daily-clarion-tabloid.txt",
        "04-orsund-herald.html",
    ]
    assert (EXAMPLES / "README.md").exists()


def test_articles_are_short(articles):
    for name, art in articles.items():
        words = len(art.body.split())
        assert 150 <= words <= 350, (name, words)


def test_the_shared_quote_is_rendered_differently(articles):
    wire, state = articles["01-nordline-wire.txt"].original, articles["02-tesslan-state-agency.txt"].original
    tabloid, herald = (
        articles["03-daily-clarion-tabloid.txt"].original,
        articles["04-orsund-herald.html"].original,
    )
    assert f"We {QUOTE}" in wire and f"We {QUOTE}" in herald
    assert QUOTE.replace("will not", "may never") in tabloid  # modal altered
    assert '"will not sign any agreement"' in state and QUOTE not in state  # trimmed


def test_html_page_metadata(articles):
    page = articles["04-orsund-herald.html"]
    assert page.outlet == "The Orsund Herald"
    assert page.url == "https://www.orsund-herald.example/region/2025/03/12/doran-bridge-talks"
    assert page.published is not None and page.published.date().isoformat() == "2025-03-12"
    assert "Read more" not in page.body and "All rights reserved" not in page.body


def test_tabloid_boilerplate_is_marked_not_deleted(articles):
    tabloid = articles["03-daily-clarion-tabloid.txt"]
    removed = " ".join(f.text for f in tabloid.removed)
    for scrap in ("Getty Images", "Tags:", "Share this article", "Real Time Analytics"):
        assert scrap in removed, scrap
        assert scrap not in tabloid.body
    assert "may never sign" in tabloid.body
    assert tabloid.original.count("BRIDGE BULLIES") == 2  # the original text is never rewritten
    for f in tabloid.removed:
        assert tabloid.original[f.start : f.end] == f.text


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _shingles(words: list[str], n: int = 12) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_examples_share_no_twelve_word_run_with_the_shared_data():
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the checkout")
    ours = set()
    for path in EXAMPLES.iterdir():
        ours |= _shingles(_words(path.read_text(encoding="utf-8")))
    corpus = [
        *(SHARED / "seeds").glob("*.txt"),
        *(SHARED / "data" / "semeval2023-task3-en" / "train" / "train-articles-subtask-3").glob("*.txt"),
    ]
    if not corpus:
        pytest.skip("no shared articles found")
    for path in corpus:
        words = _words(path.read_text(encoding="utf-8", errors="replace"))
        overlap = ours & _shingles(words)
        assert not overlap, (path.name, sorted(overlap)[:1])
