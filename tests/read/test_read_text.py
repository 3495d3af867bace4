"""Plain-text articles with and without a title line."""


import pytest
from _paths import ROOT, TESTS

from unspin.read import read_path
from unspin.read.text import read_text
from unspin.read.title import find_title

DATA = TESTS / "data" / "read"


def test_titled_file_gets_title_span():
    (article,) = list(read_path(DATA / "titled.txt"))
    assert article.format == "text"
    assert article.title.text == "Council Delays Vote On Harbour Car Park"
    assert article.original[article.title.start : article.title.end] == article.title.text
    assert article.title.start == 0


def test_untitled_file_gets_no_title():
    (article,) = list(read_path(DATA / "untitled.txt"))
    assert article.title is None
    assert article.original.startswith("The harbour council postponed")


def test_same_file_read_twice_has_same_id():
    first = next(iter(read_path(DATA / "titled.txt")))
    second = next(iter(read_path(DATA / "titled.txt")))
    assert first.id == second.id


@pytest.mark.parametrize(
    "text, title",
    [
        ("Ferry Fares To Rise In July\n\nThe operator said fares would rise by four percent.", "Ferry Fares To Rise In July"),
        ("Why the harbour plan matters?\n\nThe plan covers the next decade.", "Why the harbour plan matters?"),
        ("Mayor: 'we will not close the pool'\n\nThe mayor spoke after a protest.", "Mayor: 'we will not close the pool'"),
        ("Bus Drivers Vote For Strike Action\nDrivers at the depot voted by a large margin on Friday.", "Bus Drivers Vote For Strike Action"),
        ("\n\nStorm closes coastal road\n\nThe road will stay shut until Monday.", "Storm closes coastal road"),
    ],
)
def test_title_layouts(text, title):
    found = find_title(text)
    assert found is not None and text[found[0] : found[1]] == title


@pytest.mark.parametrize(
    "text",
    [
        # a long first line ending in a full stop is body
        "The harbour council postponed a vote on the new car park on Monday after residents asked for more time to study the plans in detail.\n\nCouncillors meet again soon.",
        # several sentences on the first line
        "The vote was postponed. Residents asked for more time to study the drawings and the survey.\n\nMore follows.",
        # sentence-case prose ending in a stop, directly followed by more body
        "The council said on Monday that the car park vote would wait.\nCouncillors will meet again in three weeks.",
        # a quotation on its own line
        "\u201cWe need more time to read the plans,\u201d said one resident.\n\nThe council agreed.",
        # a byline
        "By Elin Sandvik\n\nThe council postponed the vote.",
        # a date stamp
        "May 6, 2024\n\nThe council postponed the vote.",
        # a single line
        "Just one line of text without any body after it",
    ],
)
def test_body_first_layouts_have_no_title(text):
    assert find_title(text) is None


def test_read_text_keeps_original_unchanged_and_outlet_option():
    text = "  Lighthouse Keeper Retires\n\nAfter forty years, the keeper handed over the keys.\n"
    article = read_text(text, "x.txt", outlet="Valley Gazette")
    assert article.original == text
    assert article.title.text == "Lighthouse Keeper Retires" and article.title.start == 2
    assert article.outlet == "Valley Gazette"


@pytest.mark.skipif(
    not (ROOT / ".." / "shared" / "data" / "semeval2023-task3-en").is_dir(),
    reason="../shared/data is not beside the checkout",
)
def test_semeval_titles_found_and_headless_bodies_mostly_untitled():
    base = ROOT / ".." / "shared" / "data" / "semeval2023-task3-en" / "train" / "train-articles-subtask-3"
    files = sorted(base.glob("*.txt"))
    titled = untitled_ok = headless = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        titled += find_title(text) is not None
        body = text.split("\n", 2)[2] if text.count("\n") >= 2 else ""
        if body.strip():
            headless += 1
            untitled_ok += find_title(body) is None
    assert titled / len(files) >= 0.98
    assert untitled_ok / headless >= 0.75  # many SemEval bodies open with a subtitle line
