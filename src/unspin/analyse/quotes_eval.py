"""Measure quotes, speakers and reported speech against gold attributions (PolNeAR format).

- **Direct quotes**: gold attributions whose Content holds a quotation mark; predicted ``quote``
  findings. A prediction matches a gold Content when they share at least half of the shorter
  of the two (a quote split over two paragraphs matches with each part). Recall: gold quotes
  matched by some prediction; precision: predictions that match some gold quote.
- **Speaker accuracy**, over matched quotes whose gold attribution names a Source: *strict*,
  ``speaker_start/end`` overlaps the gold Source (a pronoun counts when we point at it);
  *by name*, strict or the resolved ``speaker`` shares a name word with a gold Source that is
  not a pronoun. ``no speaker``: the share of those quotes given no speaker at all.
- **Reported speech recall**: the other gold attributions, matched by ``reported_speech``
  findings the same way.
- **Cue accuracy**, over matched quotes and reported speech with a gold Cue: the reporting
  verb we give (``attrs.verb``) is a word of the gold Cue.

Every figure is given overall and per publisher; the quote stage's own speed is timed apart.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from unspin.analyse.polnear import GoldArticle, GoldAttribution, GoldSpan, read_gold
from unspin.types import Analysis, Finding

PRONOUNS = frozenset("he she they it we i you him her them us who his their its our".split())


@dataclass
class Counts:
    articles: int = 0
    gold_quotes: int = 0
    gold_quotes_found: int = 0
    predicted_quotes: int = 0
    predicted_quotes_right: int = 0
    speaker_total: int = 0
    speaker_strict: int = 0
    speaker_by_name: int = 0
    speaker_missing: int = 0
    gold_reported: int = 0
    gold_reported_found: int = 0
    predicted_reported: int = 0
    predicted_reported_right: int = 0
    cue_total: int = 0
    cue_right: int = 0

    def add(self, other: Counts) -> None:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)

    def scores(self) -> dict[str, float | int | None]:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        return {
            "articles": self.articles,
            "direct_quote_recall": ratio(self.gold_quotes_found, self.gold_quotes),
            "direct_quote_precision": ratio(self.predicted_quotes_right, self.predicted_quotes),
            "speaker_accuracy_strict": ratio(self.speaker_strict, self.speaker_total),
            "speaker_accuracy_by_name": ratio(self.speaker_by_name, self.speaker_total),
            "no_speaker": ratio(self.speaker_missing, self.speaker_total),
            "reported_speech_recall": ratio(self.gold_reported_found, self.gold_reported),
            "reported_speech_precision": ratio(self.predicted_reported_right, self.predicted_reported),
            "cue_accuracy": ratio(self.cue_right, self.cue_total),
            "gold_quotes": self.gold_quotes,
            "gold_reported": self.gold_reported,
            "speaker_cases": self.speaker_total,
        }


@dataclass
class QuoteEval:
    overall: Counts = field(default_factory=Counts)
    by_publisher: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    quote_stage_seconds: float = 0.0
    total_seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        articles = self.overall.articles
        return {
            "overall": self.overall.scores(),
            "by_publisher": {p: c.scores() for p, c in sorted(self.by_publisher.items())},
            "quote_stage_articles_per_second": round(articles / self.quote_stage_seconds, 1)
            if self.quote_stage_seconds else None,
            "seconds": round(self.total_seconds, 1),
            "errors": self.errors,
        }


def matches(gold: GoldSpan, start: int | None, end: int | None) -> bool:
    """A prediction matches a gold span when they share at least half of the shorter one."""
    if start is None or end is None:
        return False
    shorter = min(gold.length(), end - start)
    return shorter > 0 and gold.overlap(start, end) * 2 >= shorter


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[\w’'-]+", text)}


def _name_words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"\b[A-Z][\w’'-]+", text)} - {"mr", "mrs", "ms", "dr", "the"}


def _speaker_right(finding: Finding, source: GoldSpan) -> tuple[bool, bool]:
    """(strict, by name) for one matched quote."""
    start, end = finding.attrs.get("speaker_start"), finding.attrs.get("speaker_end")
    strict = start is not None and end is not None and source.overlap(start, end) > 0
    if strict:
        return True, True
    name = finding.attrs.get("speaker") or ""
    gold_words = _words(source.text)
    if not name or gold_words <= PRONOUNS:
        return False, False
    return False, bool(_name_words(name) & _name_words(source.text))


def _cue_right(finding: Finding, cue: GoldSpan) -> bool:
    verb = (finding.attrs.get("verb") or "").lower()
    return bool(verb) and bool(_words(verb) & _words(cue.text))


def score_article(gold: GoldArticle, analysis: Analysis) -> Counts:
    counts = Counts(articles=1)
    quotes = [f for f in analysis.findings if f.kind == "quote" and f.start is not None]
    reported = [f for f in analysis.findings if f.kind == "reported_speech" and f.start is not None]
    direct = [a for a in gold.attributions if a.direct]
    indirect = [a for a in gold.attributions if not a.direct]

    counts.gold_quotes = len(direct)
    counts.predicted_quotes = len(quotes)
    counts.predicted_quotes_right = sum(any(matches(a.content, q.start, q.end) for a in direct) for q in quotes)
    for attribution in direct:
        found = _best(attribution, quotes)
        if found is None:
            continue
        counts.gold_quotes_found += 1
        _score_speaker_and_cue(counts, attribution, found)

    counts.gold_reported = len(indirect)
    counts.predicted_reported = len(reported)
    counts.predicted_reported_right = sum(
        any(matches(a.content, r.start, r.end) for a in indirect) for r in reported)
    for attribution in indirect:
        found = _best(attribution, reported)
        if found is None:
            continue
        counts.gold_reported_found += 1
        if attribution.cue is not None:
            counts.cue_total += 1
            counts.cue_right += _cue_right(found, attribution.cue)
    return counts


def _best(attribution: GoldAttribution, findings: list[Finding]) -> Finding | None:
    candidates = [f for f in findings if matches(attribution.content, f.start, f.end)]
    return max(candidates, key=lambda f: attribution.content.overlap(f.start or 0, f.end or 0), default=None)


def _score_speaker_and_cue(counts: Counts, attribution: GoldAttribution, found: Finding) -> None:
    if attribution.source is not None:
        counts.speaker_total += 1
        if found.attrs.get("speaker") is None and found.attrs.get("speaker_start") is None:
            counts.speaker_missing += 1
        else:
            strict, by_name = _speaker_right(found, attribution.source)
            counts.speaker_strict += strict
            counts.speaker_by_name += by_name
    if attribution.cue is not None:
        counts.cue_total += 1
        counts.cue_right += _cue_right(found, attribution.cue)


def evaluate_quotes(articles: Path, labels: Path, *, limit: int | None = None, names: set[str] | None = None,
                    pipeline=None) -> QuoteEval:
    """Read, clean and analyse (parse, quotes, attribution) each article with gold labels and
    score it. ``names`` keeps only those articles (by file stem)."""
    from unspin.analyse.pipeline import Pipeline
    from unspin.clean import clean_article
    from unspin.read.text import read_text

    pipeline = pipeline or Pipeline(["nlp", "quotes", "attribution"])
    result = QuoteEval()
    started = time.perf_counter()
    pairs = [(p, g) for p, g in read_gold(articles, labels) if names is None or p.stem in names]
    for path, gold in pairs[:limit] if limit else pairs:
        text = path.read_text(encoding="utf-8")
        doc = Analysis(article=clean_article(read_text(text, str(path))))
        try:
            for component in pipeline.components:
                t0 = time.perf_counter()
                doc = component(doc)
                if component.name == "quotes":
                    result.quote_stage_seconds += time.perf_counter() - t0
        except Exception as exc:  # noqa: BLE001 - one article's failure is reported, not fatal
            result.errors.append(f"{path.name}: {type(exc).__name__}: {exc}")
            continue
        counts = score_article(gold, doc)
        result.overall.add(counts)
        result.by_publisher[gold.publisher].add(counts)
    result.total_seconds = time.perf_counter() - started
    return result
