"""Component ``dates``: absolute and relative date expressions, resolved to ISO values.

Absolute: "March 15, 2022", "15 March 2022", "2022-03-15", "December 2014", "in 2014" (a bare
year only after a preposition, so "2014 troops" is not a date; the span is the year itself).
Relative: "yesterday", "on Tuesday", "last week", "earlier this month", "three days ago" ...,
resolved against ``article.published`` when it is known (``attrs["anchor"]``), else ``value`` is
null. Values are ISO 8601 at the precision the text gives: "2022-03-15", "2022-03", "2022",
"2022-W11" (a week); ``attrs["precision"]`` names it. Plain regular expressions and
``datetime`` arithmetic: no parser library is needed for these forms, and it stays fast.

A weekday without "last"/"next" ("on Tuesday") resolves to the latest such day on or before the
publication date, the usual news sense; that guess is why weekday findings have lower confidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from unspin.analyse.pipeline import register
from unspin.types import Analysis, Finding

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "several": None, "few": None}  # fmt: skip

# Month names are matched capitalised only ("May 9" yes, "may 2022" no: "may" is a verb).
_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|"
    r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_UNIT = r"(?P<unit>day|week|month|year)s?"


@dataclass(frozen=True)
class _Value:
    value: str | None
    precision: str


def _iso_week(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_num(text: str) -> int:
    return _MONTHS[text.rstrip(".").lower()]


def _full(m: re.Match, anchor: date | None) -> _Value:
    d = _safe_date(int(m["year"]), _month_num(m["month"]), int(m["day"]))
    return _Value(d.isoformat() if d else None, "day")


def _iso(m: re.Match, anchor: date | None) -> _Value:
    d = _safe_date(int(m["year"]), int(m["mon"]), int(m["day"]))
    return _Value(d.isoformat() if d else None, "day")


def _month_year(m: re.Match, anchor: date | None) -> _Value:
    return _Value(f"{int(m['year']):04d}-{_month_num(m['month']):02d}", "month")


def _year(m: re.Match, anchor: date | None) -> _Value:
    return _Value(m["year"], "year")


def _day_month(m: re.Match, anchor: date | None) -> _Value:
    """ "March 15" with no year: the publication year, or the year before when that would put
    the date more than two months after publication."""
    if anchor is None:
        return _Value(None, "day")
    month, day = _month_num(m["month"]), int(m["day"])
    d = _safe_date(anchor.year, month, day)
    if d is not None and d > anchor + timedelta(days=60):
        d = _safe_date(anchor.year - 1, month, day)
    return _Value(d.isoformat() if d else None, "day")


_DAY_WORDS = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1, "last night": -1,
              "this morning": 0, "this afternoon": 0, "this evening": 0, "earlier today": 0}  # fmt: skip


def _day_word(m: re.Match, anchor: date | None) -> _Value:
    if anchor is None:
        return _Value(None, "day")
    key = " ".join(m.group(0).lower().split())
    return _Value((anchor + timedelta(days=_DAY_WORDS[key])).isoformat(), "day")


def _weekday(m: re.Match, anchor: date | None) -> _Value:
    if anchor is None:
        return _Value(None, "day")
    target = _WEEKDAYS.index(m["weekday"].lower())
    qualifier = (m["qual"] or "").lower()
    back = (anchor.weekday() - target) % 7
    if qualifier == "next":
        d = anchor + timedelta(days=(target - anchor.weekday()) % 7 or 7)
    elif qualifier == "last":
        d = anchor - timedelta(days=back or 7)
    elif qualifier == "this":
        d = anchor + timedelta(days=target - anchor.weekday())
    else:
        d = anchor - timedelta(days=back)
    return _Value(d.isoformat(), "day")


def _shift_months(d: date, months: int) -> tuple[int, int]:
    total = d.year * 12 + (d.month - 1) + months
    return total // 12, total % 12 + 1


def _period(unit: str, anchor: date, offset: int) -> _Value:
    if unit == "week":
        return _Value(_iso_week(anchor + timedelta(weeks=offset)), "week")
    if unit == "month":
        y, mo = _shift_months(anchor, offset)
        return _Value(f"{y:04d}-{mo:02d}", "month")
    if unit == "year":
        return _Value(f"{anchor.year + offset:04d}", "year")
    return _Value((anchor + timedelta(days=offset)).isoformat(), "day")


def _relative_period(m: re.Match, anchor: date | None) -> _Value:
    unit = m["unit"].lower()
    if anchor is None:
        return _Value(None, unit)
    offset = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1, "following": 1}
    return _period(unit, anchor, offset[m["rel"].lower()])


def _weekend(m: re.Match, anchor: date | None) -> _Value:
    if anchor is None:
        return _Value(None, "day")
    rel = (m["rel"] or "").lower()
    saturday = anchor - timedelta(days=(anchor.weekday() - 5) % 7)  # latest Saturday on/before
    if rel in ("next", "coming") or rel == "this" and anchor.weekday() < 5:
        saturday += timedelta(days=7)
    return _Value(saturday.isoformat(), "day")


def _ago(m: re.Match, anchor: date | None) -> _Value:
    unit = m["unit"].lower()
    raw = m["n"].lower()
    n = int(raw) if raw.isdigit() else _NUMBERS.get(raw)
    if anchor is None or n is None:
        return _Value(None, unit)
    if unit == "day":
        return _period("day", anchor, -n)
    if unit == "week":
        return _period("week", anchor, -n)
    if unit == "month":
        return _period("month", anchor, -n)
    return _period("year", anchor, -n)


@dataclass(frozen=True)
class _Rule:
    id: str
    label: str  # absolute | relative
    regex: re.Pattern[str]
    resolve: Callable[[re.Match, date | None], _Value]
    confidence: float
    span_group: str | None = None  # report only this group's span ("in 2014" -> "2014")


def _rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + pattern + r"(?![\w-])", flags)


# Earlier rules win overlaps of equal length; longer matches always win.
_RULES = [
    _Rule("date-iso", "absolute", _rx(r"(?P<year>\d{4})-(?P<mon>[01]\d)-(?P<day>[0-3]\d)"), _iso, 0.95),
    _Rule("date-month-day-year", "absolute", _rx(rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}"), _full, 0.95),
    _Rule("date-day-month-year", "absolute", _rx(rf"{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}"), _full, 0.95),
    _Rule("date-month-year", "absolute", _rx(rf"{_MONTH},?\s+{_YEAR}"), _month_year, 0.9),
    _Rule("date-month-day", "absolute", _rx(rf"{_MONTH}\s+{_DAY}"), _day_month, 0.85),
    _Rule("date-day-month", "absolute", _rx(rf"{_DAY}\s+(?:of\s+)?{_MONTH}"), _day_month, 0.85),
    _Rule(
        "date-year",
        "absolute",
        re.compile(
            r"\b(?:in|since|until|till|by|from|during|before|after|of|through|throughout|early|late|mid)"
            r"[\s-]+(?:the\s+(?:year\s+)?)?" + _YEAR + r"(?![\w-])",
            re.IGNORECASE,
        ),
        _year,
        0.85,
        span_group="year",
    ),
    _Rule(
        "date-day-word",
        "relative",
        _rx(
            r"(?:yesterday|today|tonight|tomorrow|last\s+night|this\s+(?:morning|afternoon|evening)|earlier\s+today)",
            re.IGNORECASE,
        ),
        _day_word,
        0.85,
    ),
    _Rule(
        "date-weekday",
        "relative",
        _rx(
            rf"(?:(?P<qual>[Ll]ast|[Nn]ext|[Tt]his)\s+)?{_WEEKDAY}(?:\s+(?:morning|afternoon|evening|night))?"
        ),
        _weekday,
        0.7,
    ),
    _Rule(
        "date-weekend",
        "relative",
        _rx(r"(?:(?P<rel>last|this|next|coming|the)\s+)weekend", re.IGNORECASE),
        _weekend,
        0.7,
    ),
    _Rule(
        "date-relative-period",
        "relative",
        _rx(
            r"(?:(?:earlier|later)\s+)?(?P<rel>last|past|previous|this|next|coming|following)\s+(?P<unit>week|month|year)",
            re.IGNORECASE,
        ),
        _relative_period,
        0.8,
    ),
    _Rule(
        "date-ago",
        "relative",
        _rx(
            rf"(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|few)\s+{_UNIT}\s+ago",
            re.IGNORECASE,
        ),
        _ago,
        0.8,
    ),
]


def find_dates(text: str, published: date | None, start: int = 0, end: int | None = None) -> list[Finding]:
    """Date findings in ``text[start:end]`` (offsets into ``text``), resolved against ``published``."""
    end = len(text) if end is None else end
    hits: list[tuple[int, int, int, _Rule, re.Match]] = []
    for order, rule in enumerate(_RULES):
        for m in rule.regex.finditer(text, start, end):
            hits.append((m.start(), -(m.end() - m.start()), order, rule, m))
    hits.sort(key=lambda h: (h[0], h[1], h[2]))
    findings: list[Finding] = []
    last_end = -1
    for s, _, _, rule, m in hits:
        if s < last_end:
            continue
        f_start, f_end = m.span(rule.span_group) if rule.span_group else m.span()
        val = rule.resolve(m, published)
        anchor = published.isoformat() if published is not None and rule.label == "relative" else None
        if rule.id in ("date-month-day", "date-day-month") and published is not None:
            anchor = published.isoformat()  # the year came from the publication date
        how = f"resolved to {val.value}" if val.value else "not resolved (publication date unknown)"
        findings.append(
            Finding(
                kind="date",
                label=rule.label,
                start=f_start,
                end=f_end,
                text=text[f_start:f_end],
                confidence=rule.confidence,
                source=f"rule:{rule.id}",
                explanation=f"{rule.label.capitalize()} date expression, {how}.",
                attrs={"value": val.value, "anchor": anchor, "precision": val.precision},
            )
        )
        last_end = m.end()
    return findings


@register("dates")
class Dates:
    name = "dates"
    version = "1.0"
    requires: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ("date",)

    def __call__(self, doc: Analysis) -> Analysis:
        article = doc.article
        published = article.published.date() if article.published else None
        for para in article.paragraphs:
            doc.findings.extend(find_dates(article.original, published, para.start, para.end))
        return doc
