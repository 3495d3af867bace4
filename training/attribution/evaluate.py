"""Score the quotes component end to end on PolNeAR training articles, from the cached parse.

The same counts as ``unspin models eval quotes`` (``quotes_eval.score_article``), but each
article's parse comes from ``prepare.py``'s cache, so several ways of finding reported speech
are compared on one parse in seconds:

- ``rules``: the parse rules alone (the tagger switched off);
- ``tagger+rules``: the shipped combination (the tagger's spans, then the rules' others);
- ``tagger``: the tagger's spans alone.

    python -m training.attribution.evaluate --tagger /tmp/tagger.npz --split held-out
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from training.attribution.train import CACHE, HELD_OUT_FROM, load_cache
from unspin.analyse import quotes as quotes_module
from unspin.analyse import speech_tagger
from unspin.analyse.attribution import Attribution
from unspin.analyse.polnear import GoldArticle
from unspin.analyse.quotes import Quotes
from unspin.analyse.quotes_eval import Counts, _best, _speaker_right, matches, score_article
from unspin.clean import clean_article
from unspin.read.text import read_text
from unspin.types import Analysis

VARIANTS = ("rules", "tagger+rules", "tagger")


def _use(variant: str, tagger_path: Path) -> None:
    speech_tagger.load_tagger.cache_clear()
    speech_tagger.WEIGHTS = tagger_path if variant != "rules" else Path("/nonexistent")
    if variant == "tagger":
        quotes_module.Quotes._reported_speech = lambda self, state: []  # type: ignore[method-assign]


def analyse(articles: list[dict]):
    """Each article with its analysis (quotes and attribution on the cached parse) and the
    seconds the quotes component took."""
    quotes, attribution = Quotes(), Attribution()
    for art in articles:
        doc = Analysis(article=clean_article(read_text(art["text"], art["name"] + ".txt")))
        doc._parses = tuple(art["docs"])
        t0 = time.perf_counter()
        doc = quotes(doc)
        seconds = time.perf_counter() - t0
        yield art, attribution(doc), seconds


def run(articles: list[dict]) -> tuple[Counts, dict[str, Counts], float, list[tuple[str, float, bool]],
                                       dict[str, list[int]]]:
    """Counts overall and per publisher, the quote stage's seconds, each reported-speech
    finding as (source, confidence, whether it matches a gold attribution), and per source of a
    direct quote's finding [speakers right, speakers judged] (quotes matched to a gold attribution
    with a source): how often each way of naming a speaker is right."""
    overall, seconds = Counts(), 0.0
    by_pub: dict[str, Counts] = defaultdict(Counts)
    judged: list[tuple[str, float, bool]] = []
    speakers: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for art, doc, took in analyse(articles):
        seconds += took
        counts = score_article(GoldArticle(art["name"], art["publisher"], art["gold"]), doc)
        overall.add(counts)
        by_pub[art["publisher"]].add(counts)
        indirect = [a.content for a in art["gold"] if not a.direct]
        judged += [(f.source, f.confidence, any(matches(g, f.start, f.end) for g in indirect))
                   for f in doc.findings if f.kind == "reported_speech"]
        quotes = [f for f in doc.findings if f.kind == "quote" and f.start is not None]
        for gold in art["gold"]:
            found = _best(gold, quotes) if gold.direct and gold.source is not None else None
            if found is not None and gold.source is not None:
                speakers[found.source][0] += _speaker_right(found, gold.source)[0]
                speakers[found.source][1] += 1
    return overall, by_pub, seconds, judged, dict(speakers)


def reliability(judged: list[tuple[str, float, bool]], bins: int = 5) -> dict:
    """Per finding source: how often findings in each confidence band are right, and the
    expected calibration error (the band-size-weighted gap between confidence and that rate)."""
    out = {}
    for source in sorted({s for s, _, _ in judged}):
        rows = [(c, r) for s, c, r in judged if s == source]
        table, gap = [], 0.0
        for b in range(bins):
            lo, hi = b / bins, (b + 1) / bins
            band = [(c, r) for c, r in rows if lo <= c < hi or (b == bins - 1 and c == 1.0)]
            if band:
                mean_c = sum(c for c, _ in band) / len(band)
                rate = sum(r for _, r in band) / len(band)
                gap += len(band) * abs(mean_c - rate)
                table.append({"band": f"{lo:.1f}-{hi:.1f}", "n": len(band), "confidence": round(mean_c, 3),
                              "right": round(rate, 3)})
        out[source] = {"n": len(rows), "precision": round(sum(r for _, r in rows) / len(rows), 3),
                       "ece": round(gap / len(rows), 3), "bands": table}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tagger", type=Path, default=speech_tagger.WEIGHTS)
    ap.add_argument("--split", choices=("tune", "held-out", "all"), default="held-out")
    ap.add_argument("--variant", choices=VARIANTS, default="tagger+rules")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    articles = load_cache(CACHE)
    if args.split != "all":
        articles = [a for a in articles if (a["date"] >= HELD_OUT_FROM) == (args.split == "held-out")]
    _use(args.variant, args.tagger)
    speech_tagger.load_tagger()
    overall, by_pub, seconds, judged, speakers = run(articles)
    report = {"split": args.split, "variant": args.variant, "articles": len(articles),
              "quote_stage_articles_per_s": round(len(articles) / seconds, 1),
              "overall": overall.scores(), "reliability": reliability(judged),
              "quote_speakers_by_source": {s: {"right": r, "judged": n, "rate": round(r / n, 3) if n else None}
                                           for s, (r, n) in sorted(speakers.items())}, "by_publisher": {p: c.scores() for p, c in sorted(by_pub.items())}}
    text = json.dumps(report, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
