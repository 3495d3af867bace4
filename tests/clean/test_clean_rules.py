"""Each boilerplate rule, driven by the example in rules.toml, and hand-written articles."""

import pytest

from unspin.clean import clean_article
from unspin.clean.rules import SCOPES, load_rules
from unspin.read.ids import article_id
from unspin.types import Article

RULES = load_rules().rules
TITLE = "Harbour Council Approves New Ferry Timetable"
BODY_1 = "The harbour council voted on Tuesday to add two early crossings on weekdays."
BODY_2 = "Councillors said the extra sailings would be paid for by a rise in season ticket prices."


def make_article(text: str) -> Article:
    return Article(id=article_id(text), original=text, source="test.txt")


def between_bodies(lines: list[str]) -> Article:
    """The cleaned article of TITLE, BODY_1, ``lines`` and BODY_2, one paragraph each."""
    return clean_article(make_article(f"{TITLE}\n\n" + "\n\n".join([BODY_1, *lines, BODY_2]) + "\n"))


def assert_exact(article: Article) -> None:
    for item in [*article.paragraphs, *article.removed]:
        assert article.original[item.start : item.end] == item.text
        assert item.text == item.text.strip() and item.text
    for f in article.removed:
        assert f.kind == "boilerplate" and 0 <= f.confidence <= 1
        assert f.source == f"rule:clean/{f.label}" and f.explanation and f.article_id == article.id


def test_rules_file_is_complete():
    ids = {r.id for r in RULES}
    assert len(ids) == len(RULES)
    for rule in RULES:
        assert rule.scope in SCOPES and rule.description.endswith(".") and rule.example
        assert rule.scope != "inside-line" or rule.example_kept
        assert rule.scope != "repeated-title" or rule.example_title
    for needed in ("caption-with-credit", "photo-credit", "tags-heading", "tags-inline", "embed-marker",
                   "analytics-widget", "share-prompt", "newsletter-signup", "follow-us", "read-more",
                   "advertisement", "repeated-title", "share-footer"):
        assert needed in ids


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_example_is_removed_with_its_label(rule):
    if rule.scope == "repeated-title":
        text = f"{rule.example_title}\n\n{rule.example}\n{BODY_1}\n{BODY_2}\n"
    elif rule.scope == "trailing-block":
        text = f"{TITLE}\n\n{BODY_1}\n\n{BODY_2}\n\n{rule.example}\n"
    else:
        text = f"{TITLE}\n\n{BODY_1}\n\n{rule.example}\n\n{BODY_2}\n"
    article = clean_article(make_article(text))
    assert_exact(article)
    assert [f.label for f in article.removed] == [rule.id] * len(article.removed) and article.removed
    kept = [p.text for p in article.paragraphs]
    expected_kept = rule.example_kept.split(" | ") if rule.example_kept else []
    if rule.scope == "inside-line":
        assert kept == [BODY_1, *expected_kept, BODY_2]
    else:
        assert kept == [BODY_1, BODY_2]


def test_neutral_article_loses_nothing():
    text = (
        "Ferry Operator Reports Record Passenger Numbers\n\n"
        "The island ferry operator carried more passengers last year than in any year since it began.\n\n"
        "Share prices of the parent company rose slightly after the figures were published on Monday.\n\n"
        "Photographers and tourists crowded the quay for the launch of the new vessel, a spokesperson said.\n\n"
        "Related costs, including fuel, rose by a tenth, the annual report showed.\n\n"
        "Topics discussed at the meeting included timetables, fares and the harbour wall.\n\n"
        "Advertising revenue from the onboard screens covered a small share of the costs.\n"
    )
    article = clean_article(make_article(text))
    assert article.removed == []
    assert len(article.paragraphs) == 6


def test_caption_with_credit_and_broken_residue_on_next_line():
    text = (
        f"{TITLE}\n\n{BODY_1}\n\n"
        "Passengers board the early ferry at the north quay on Monday. (Photo by Tom Berg/Island Images)\n"
        "om Berg\n\n"
        f"{BODY_2}\n"
    )
    article = clean_article(make_article(text))
    assert_exact(article)
    (caption,) = article.removed
    assert caption.label == "caption-with-credit" and caption.text.endswith("Island Images)\nom Berg")
    assert caption.attrs["lines"] == [5, 6]
    assert [p.text for p in article.paragraphs] == [BODY_1, BODY_2]


def test_footer_widgets_and_tags_at_the_end_each_with_own_label():
    text = (
        f"{TITLE}\n\n{BODY_1}\n\n{BODY_2}\n\n"
        "[embedded content]\n\nTags\nFerries, Harbour, Council\nWeb Analytics\n"
    )
    article = clean_article(make_article(text))
    assert_exact(article)
    assert [f.label for f in article.removed] == ["embed-marker", "tags-heading", "analytics-widget"]
    assert [p.text for p in article.paragraphs] == [BODY_1, BODY_2]


def test_trailing_block_needs_every_later_line_to_be_widget_text():
    # "Share" followed by a real paragraph is not a footer; only the lone prompt goes.
    text = f"{TITLE}\n\n{BODY_1}\n\nShare\n\n{BODY_2}\n"
    article = clean_article(make_article(text))
    assert [f.label for f in article.removed] == ["share-prompt"]
    assert [p.text for p in article.paragraphs] == [BODY_1, BODY_2]


def test_repeated_title_ignores_case_spacing_and_quote_style():
    title = "Mayor Says \u2018No Cuts\u2019 To Ferry Services"
    text = f"{title}\n\nmayor says  'no cuts' to ferry services\n{BODY_1}\n"
    article = clean_article(make_article(text))
    assert [f.label for f in article.removed] == ["repeated-title"]
    assert [p.text for p in article.paragraphs] == [BODY_1]


def test_title_is_not_repeated_when_body_differs():
    text = f"{TITLE}\n\nHarbour council approves new ferry timetable for summer\n{BODY_1}\n"
    article = clean_article(make_article(text))
    assert article.removed == []


def test_inside_line_removal_keeps_exact_offsets_for_several_matches():
    line = "Crowds gathered (Photo: Jo Lund) at the quay (Image courtesy of the port) before noon."
    article = clean_article(make_article(f"{TITLE}\n\n{line}\n"))
    assert_exact(article)
    assert [p.text for p in article.paragraphs] == ["Crowds gathered", "at the quay", "before noon."]
    assert all(p.line == 3 for p in article.paragraphs)
    assert [f.text for f in article.removed] == ["(Photo: Jo Lund)", "(Image courtesy of the port)"]


def test_bad_rules_file_is_rejected(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text('version = "x"\n[[rule]]\nid = "a"\ndescription = "d."\nscope = "everywhere"\npattern = "x"\nconfidence = 0.5\n')
    with pytest.raises(ValueError, match="unknown scope"):
        load_rules(path)


def test_actor_swap_gives_the_same_removals():
    def removed(name: str) -> list[tuple[str, str]]:
        text = f"{name} Signs Trade Deal\n\n{name} signed the trade deal on Friday.\n\nFollow us on Telegram\n\nTags: {name}, trade\n"
        return [(f.label, f.text.replace(name, "X")) for f in clean_article(make_article(text)).removed]

    assert removed("Kremlin") == removed("White House") and len(removed("Kremlin")) == 2


def test_byline_and_credit_rules_keep_body_lines_that_look_alike():
    lookalikes = [
        "By Tuesday the talks had failed and both sides went home",
        "By and large, the crossings ran on time",
        "Reporting by the Harbour Gazette showed that fares rose twice.",
        "Passengers filmed the storm and posted it on @YouTube. The council said it saw the clips.",
    ]
    assert between_bodies(lookalikes).removed == []
    text = (
        f"{TITLE}\n\nBy Tom Berg, Harbour Correspondent\n\n{BODY_1}\n\n"
        "Waves over the quay wall, filmed by a passenger @YouTube\n\n"
        f"{BODY_2}\n\n(Reporting by Ana Reyes; Editing by Jan Novak)\n"
    )
    article = clean_article(make_article(text))
    assert_exact(article)
    assert [f.label for f in article.removed] == ["byline", "embed-caption", "wire-credit"]
    assert [p.text for p in article.paragraphs] == [BODY_1, BODY_2]


def test_follow_and_comment_prompts_go_but_body_lines_alike_stay():
    prompts = ["Click here to follow the Pacific Herald on Google News.",
               "Have your say: join the discussion in the comments below.",
               "Leave a comment below and tell us what you think."]
    text = f"{TITLE}\n\n{BODY_1}\n\n" + "\n\n".join(prompts) + f"\n\n{BODY_2}\n"
    article = clean_article(make_article(text))
    assert_exact(article)
    assert [f.label for f in article.removed] == ["follow-us", "comments-prompt", "comments-prompt"]
    lookalikes = [
        "Residents were told to follow the evacuation orders on local radio.",
        "The minister said voters would have their say in a referendum next year.",
        "Union leaders agreed to join the discussion on pay next week.",
    ]
    assert between_bodies(lookalikes).removed == []


def test_timestamp_line_goes_and_dates_the_article():
    text = f"{TITLE}\n\nPublished 3 June 2026 | Updated: 4 June 2026, 10:15 GMT\n\n{BODY_1}\n\n{BODY_2}\n"
    article = clean_article(make_article(text))
    assert_exact(article)
    assert [f.label for f in article.removed] == ["timestamp"]
    assert [p.text for p in article.paragraphs] == [BODY_1, BODY_2]
    # the publication date, not the later update; the evidence is the line's offsets
    assert article.published is not None and article.published.date().isoformat() == "2026-06-03"
    stamp = article.removed[0]
    assert article.meta["published_from"] == f"rule:clean/timestamp@{stamp.start}-{stamp.end}"
    assert clean_article(article).published == article.published  # idempotent


@pytest.mark.parametrize("line", ["Posted 2 hours ago", "Updated: 10:15 GMT", "Published 3 June"])
def test_timestamp_without_a_year_is_removed_but_gives_no_date(line):
    article = clean_article(make_article(f"{TITLE}\n\n{line}\n\n{BODY_1}\n"))
    assert [f.label for f in article.removed] == ["timestamp"]
    assert article.published is None and "published_from" not in article.meta


def test_timestamp_never_overrides_the_readers_date():
    from datetime import datetime

    text = f"{TITLE}\n\nPublished 3 June 2026\n\n{BODY_1}\n"
    given = datetime(2026, 6, 2, 18, 0)
    article = clean_article(make_article(text).model_copy(update={"published": given}))
    assert article.published == given and "published_from" not in article.meta


def test_timestamp_rule_keeps_body_lines_that_look_alike():
    lookalikes = [
        "Updated figures show 40 ships waiting offshore",
        "Published on Monday, the report found 3 errors in the accounts.",
        "Posted guards stood at the gate from 6 am",
        "Updated 5 days ago the report said",
    ]
    article = between_bodies(lookalikes)
    assert article.removed == [] and article.published is None
