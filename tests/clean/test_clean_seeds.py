"""The two motivating seed articles in ../shared/seeds (read at test time, never copied)."""


import pytest
from _paths import ROOT

from unspin.clean import clean_article
from unspin.read import read_inputs

SEEDS = ROOT / ".." / "shared" / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")


@pytest.fixture(scope="module")
def seeds():
    articles = [clean_article(a) for a in read_inputs([str(SEEDS)])]
    assert len(articles) == 2
    titled = [a for a in articles if a.title]
    untitled = [a for a in articles if not a.title]
    assert len(titled) == 1 and len(untitled) == 1
    return titled[0], untitled[0]


def test_titled_seed_gets_its_first_line_as_title(seeds):
    titled, _ = seeds
    first_line = titled.original.split("\n", 1)[0]
    assert titled.title.text == first_line and titled.title.start == 0


def test_untitled_seed_keeps_every_line_as_body(seeds):
    _, untitled = seeds
    lines = [line for line in untitled.original.split("\n") if line.strip()]
    assert [p.text for p in untitled.paragraphs] == lines
    assert untitled.removed == []


def test_titled_seed_boilerplate_removed_and_body_kept(seeds):
    titled, _ = seeds
    removed = {f.label: f.text for f in titled.removed}
    assert set(removed) == {"repeated-title", "caption-with-credit", "embed-marker", "tags-heading", "analytics-widget"}
    assert "Getty Images" in removed["caption-with-credit"]
    assert removed["embed-marker"] == "@YouTube"
    assert removed["tags-heading"].startswith("Tags\n")
    assert removed["analytics-widget"] == "Real Time Analytics"
    kept = [p.text for p in titled.paragraphs]
    # Every line that reads as prose (many words, ends with a full stop) is kept, untouched.
    lines = titled.original.split("\n")
    prose = [line for line in lines[1:] if len(line.split()) >= 15 and line.rstrip().endswith(".") and "Photo by" not in line]
    assert len(prose) >= 12 and all(line in kept for line in prose)
    for span in [*titled.paragraphs, *titled.removed]:
        assert titled.original[span.start : span.end] == span.text
    assert titled.language == "en"
