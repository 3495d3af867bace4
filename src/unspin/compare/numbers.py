"""Numbers and dates that disagree across outlets, within sentences that report the same fact.

Only aligned sentence pairs (see ``align``) are compared, and a number is set against a number
that counts the same thing (the word after it: "20 people" vs "25 people"), or, when each shared
sentence has exactly one number, against that one. Pairs between "shared" and "only here" are
compared on counted things alone. A value only one side gives is an omission, not a
disagreement. Dates come from the analyse stage's ``date`` findings (their resolved ``value``).
"""

from __future__ import annotations

from unspin.compare.align import AlignConfig, Match
from unspin.group.text import Number, numbers
from unspin.types import Analysis, Finding

SOURCE = "rule:compare/number-disagreement"


def _fmt(v: float) -> str:
    return str(int(v)) if v == int(v) else f"{v:g}"


def number_findings(
    matches: dict[str, list[Match]], analyses: dict[str, Analysis], labels: dict[str, str], cfg: AlignConfig
) -> list[Finding]:
    out: list[Finding] = []
    for aid, ms in matches.items():
        for m in ms:
            if m.other is None or m.is_only_here(cfg):  # incompatible entities are only-here too
                continue
            # A pair between "shared" and "only here" ("Two of the seven board members voted for a
            # cut" / "Three of the seven board members wanted a cut") is compared only where both
            # count the same named thing.
            shared = m.is_shared(cfg)
            u, o = m.unit, m.other
            for na, nb in _disagreeing(numbers(u.text), numbers(o.text), lenient=shared):
                out.append(
                    Finding(
                        kind="number", label="number", start=u.start + na.start, end=u.start + na.end,
                        text=na.text, confidence=round(0.6 + 0.3 * min(1.0, m.score), 3), source=SOURCE,
                        article_id=aid,
                        explanation=(
                            f"This article gives {na.text} where "
                            f"{labels[o.article_id]} gives {nb.text} in a sentence reporting the same fact."
                        ),
                        attrs={"value": na.value, "other_value": nb.value, "unit": na.unit,
                               "other_article_id": o.article_id, "other_start": o.start + nb.start,
                               "other_end": o.start + nb.end, "other_text": nb.text,
                               "sentence": u.text, "other_sentence": o.text},
                    )
                )
            out.extend(_date_disagreements(m, analyses, labels))
    return out


def _disagreeing(a: list[Number], b: list[Number], lenient: bool = True) -> list[tuple[Number, Number]]:
    """``lenient``: one number on each side is compared even without a unit word in common."""
    if lenient and len(a) == 1 and len(b) == 1:
        x, y = a[0], b[0]
        same_kind = x.unit == y.unit or not x.unit or not y.unit
        return [(x, y)] if same_kind and x.value != y.value and not _is_year_vs_count(x, y) else []
    # Per counted thing, the values one sentence gives and the other does not. A value only one
    # side gives is an omission ("5.1%, down from 5.6%" / "fell to 5.1%"); a disagreement needs a
    # value on each side that the other lacks.
    pairs = []
    for x in a:
        if not x.unit:
            continue
        same_unit = [y for y in b if y.unit == x.unit]
        if any(y.value == x.value for y in same_unit):
            continue
        theirs_only = [y for y in same_unit if all(z.value != y.value for z in a if z.unit == x.unit)]
        if theirs_only:
            pairs.append((x, theirs_only[0]))
    return pairs


def _is_year_vs_count(x: Number, y: Number) -> bool:
    # "in 2014" vs "20 days" share no unit word; a year against a small count is not a disagreement.
    years = [1800 <= n.value <= 2100 and n.value == int(n.value) for n in (x, y)]
    return years[0] != years[1]


def _date_disagreements(m: Match, analyses: dict[str, Analysis], labels: dict[str, str]) -> list[Finding]:
    u, o = m.unit, m.other
    assert o is not None
    mine = _dates_in(analyses[u.article_id], u.start, u.end)
    theirs = _dates_in(analyses[o.article_id], o.start, o.end)
    if len(mine) != 1 or len(theirs) != 1:
        return []  # several dates in a sentence: no safe way to pair them
    (fa,), (fb,) = mine, theirs
    if fa.attrs.get("value") == fb.attrs.get("value"):
        return []
    return [
        Finding(
            kind="number", label="date", start=fa.start, end=fa.end, text=fa.text,
            confidence=round(0.55 + 0.3 * min(1.0, m.score), 3), source=SOURCE, article_id=u.article_id,
            explanation=(
                f"This article dates the fact {fa.attrs.get('value')} where {labels[o.article_id]} "
                f"dates it {fb.attrs.get('value')}."
            ),
            attrs={"value": fa.attrs.get("value"), "other_value": fb.attrs.get("value"),
                   "other_article_id": o.article_id, "other_start": fb.start, "other_end": fb.end,
                   "other_text": fb.text},
        )
    ]


def _dates_in(analysis: Analysis, start: int, end: int) -> list[Finding]:
    return [
        f for f in analysis.of_kind("date")
        if f.start is not None and f.end is not None and start <= f.start and f.end <= end and f.attrs.get("value")
    ]
