"""dates component: absolute and relative dates, resolved against the publication date."""

from datetime import UTC, datetime

import pytest
from _articles import analyse

from unspin.analyse.dates import find_dates

PUBLISHED = datetime(2022, 3, 17, 9, 30, tzinfo=UTC)  # a Thursday


def dates(text, published=None):
    doc = analyse(text, ["dates"], published=published)
    original = doc.article.original
    for f in doc.findings:
        assert f.kind == "date" and original[f.start : f.end] == f.text
        assert f.source.startswith("rule:date-")
    return [(f.text, f.label, f.attrs["value"]) for f in doc.findings]


@pytest.mark.parametrize(
    ("text", "found", "value"),
    [
        ("The summit opened on March 15, 2022 in London.", "March 15, 2022", "2022-03-15"),
        ("The summit opened on 15 March 2022 in London.", "15 March 2022", "2022-03-15"),
        ("The summit opened on 2022-03-15 in London.", "2022-03-15", "2022-03-15"),
        ("In December 2014, parliament changed the law.", "December 2014", "2014-12"),
        ("The peninsula was annexed in 2014 by Russia.", "2014", "2014"),
        ("Talks began on the 3rd of Sept. 2021, officials said.", "3rd of Sept. 2021", "2021-09-03"),
    ],
)
def test_absolute(text, found, value):
    assert dates(text) == [(found, "absolute", value)]
    assert dates(text, PUBLISHED) == [(found, "absolute", value)]


def test_numbers_that_are_not_dates():
    assert dates("About 2014 troops and 300 vehicles crossed; they may return.") == []
    assert dates("Protesters vowed to march on the capital.") == []


def test_relative_unresolved_without_publication_date():
    found = dates("On Tuesday the envoy left; last week he met rebels, and yesterday he called home.")
    assert found == [
        ("Tuesday", "relative", None),
        ("last week", "relative", None),
        ("yesterday", "relative", None),
    ]


@pytest.mark.parametrize(
    ("text", "found", "value"),
    [
        ("The envoy left on Tuesday.", "Tuesday", "2022-03-15"),
        ("The envoy left on Thursday morning.", "Thursday morning", "2022-03-17"),
        ("The envoy left last Friday.", "last Friday", "2022-03-11"),
        ("The envoy will leave next Monday.", "next Monday", "2022-03-21"),
        ("The envoy left yesterday.", "yesterday", "2022-03-16"),
        ("The envoy leaves tomorrow.", "tomorrow", "2022-03-18"),
        ("The envoy left last week.", "last week", "2022-W10"),
        ("The envoy leaves next week.", "next week", "2022-W12"),
        ("The envoy left earlier this month.", "earlier this month", "2022-03"),
        ("The envoy left last year.", "last year", "2021"),
        ("The envoy left three days ago.", "three days ago", "2022-03-14"),
        ("The envoy left over the weekend.", "the weekend", "2022-03-12"),
    ],
)
def test_relative_resolved(text, found, value):
    assert dates(text, PUBLISHED) == [(found, "relative", value)]


def test_anchor_and_precision_recorded():
    doc = analyse("The envoy left last week and returned on March 2.", ["dates"], published=PUBLISHED)
    week, day = doc.findings
    assert week.attrs["anchor"] == "2022-03-17" and week.attrs["precision"] == "week"
    # a month and day without a year take the publication's year
    assert (
        day.text == "March 2" and day.attrs["value"] == "2022-03-02" and day.attrs["anchor"] == "2022-03-17"
    )


def test_day_month_late_in_year_goes_to_previous_year():
    found = find_dates("It began on December 30.", datetime(2023, 1, 4).date())
    assert [f.attrs["value"] for f in found] == ["2022-12-30"]


def test_invalid_calendar_date_has_null_value():
    (f,) = find_dates("The file was dated February 30, 2022.", None)
    assert f.text == "February 30, 2022" and f.attrs["value"] is None
