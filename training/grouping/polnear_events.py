"""Real multi-outlet events: PolNeAR train articles (2016 US election, 7 publishers) grouped by
story, as a second labelled set beside the constructed one (build_eval_set.py).

How the labels in ``polnear_events.json`` were made (``python -m training.grouping.polnear_events
--candidates`` prints the candidate list again):
1. candidate pairs: two train articles published within 3 days of each other whose title and
   opening (1,200 characters) have a MiniLM cosine of at least 0.5 (929 pairs);
2. a project engineer read the titles of the closest pairs and grouped those that report one
   event (a primary's result, a debate, a remark and the answers to it); 32 groups, 70 articles;
3. an article in no candidate pair is its own story (nothing similar was published near it);
   an article in a candidate pair that was not judged one event is left out (undecided).
The result is hard without dates: every article is on the same campaign, so topic alone joins
the wrong ones. Only the train compartment is read (dev and test are kept for evaluation).
Split by period, as the world would test it: tune = published before April 2016, test = after.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
from datetime import date, datetime, time
from pathlib import Path

from training.grouping.build_eval_set import Item
from training.grouping.corpus import ROOT, _ner_cache, build_analysis

POLNEAR = ROOT / ".." / "shared" / "data" / "polnear-attribution"
LABELS = Path(__file__).with_name("polnear_events.json")
CANDIDATE_DAYS = 3
CANDIDATE_COSINE = 0.5
SPLIT_DATE = date(2016, 4, 1)


def _rows() -> list[dict]:
    meta = POLNEAR / "metadata.tsv"
    if not meta.exists():
        raise SystemExit(f"PolNeAR not found at {POLNEAR} (needs ../shared beside the checkout)")
    with meta.open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh, delimiter="\t") if r["compartment"] == "train"]


def _read(name: str) -> tuple[str, list[str]]:
    text = (POLNEAR / "train" / "text" / f"{name}.txt").read_text(encoding="utf-8")
    lines = [ln.strip() for ln in text.split("\n")]
    title = next((ln for ln in lines if ln), "")
    body = [ln for ln in lines[lines.index(title) + 1:] if ln]
    return title, body


def candidates(rows: list[dict] | None = None) -> list[tuple[float, str, str]]:
    """(cosine, file a, file b) for the pairs a person was asked to judge."""
    from unspin.analyse.models.encoder import get_encoder

    rows = rows or _rows()
    texts = [(POLNEAR / "train" / "text" / f"{r['filename']}.txt").read_text(encoding="utf-8")[:1200] for r in rows]
    vecs = get_encoder().embed(texts)
    sims = vecs @ vecs.T
    days = [date.fromisoformat(r["publication_date"]) for r in rows]
    out = [(float(sims[i, j]), rows[i]["filename"], rows[j]["filename"])
           for i, j in itertools.combinations(range(len(rows)), 2)
           if abs((days[i] - days[j]).days) <= CANDIDATE_DAYS and sims[i, j] >= CANDIDATE_COSINE]
    return sorted(out, reverse=True)


def build(dated: bool = True, candidate_pairs: list[tuple[float, str, str]] | None = None) -> list[Item]:
    rows = {r["filename"]: r for r in _rows()}
    groups: dict[str, list[str]] = json.loads(LABELS.read_text())["groups"]
    gold = {f: f"event:{g}" for g, files in groups.items() for f in files}
    pairs = candidate_pairs if candidate_pairs is not None else _cached_candidates()
    paired = {f for _, a, b in pairs for f in (a, b)}
    chosen = [f for f in sorted(rows) if f in gold or f not in paired]
    texts = {f: _read(f) for f in chosen}
    ner = _ner_cache([(f, *texts[f]) for f in chosen])
    items = []
    for f in chosen:
        title, body = texts[f]
        day = date.fromisoformat(rows[f]["publication_date"])
        published = datetime.combine(day, time(12)) if dated else None
        an = build_analysis(f"polnear:{f}", title, body, [ner.get(p, []) for p in body], published,
                            title_ents=ner.get(title, []))
        items.append(Item(an, gold.get(f, f"single:{f}"), "event" if f in gold else "distractor",
                          "tune" if day < SPLIT_DATE else "test"))
    return items


def _cached_candidates() -> list[tuple[float, str, str]]:
    path = ROOT / "training" / "runs" / "polnear_candidates.json"
    if path.exists():
        return [tuple(x) for x in json.loads(path.read_text())]
    pairs = candidates()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(pairs))
    return pairs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--candidates", action="store_true", help="print the candidate pairs with their titles")
    args = ap.parse_args()
    if args.candidates:
        rows = {r["filename"]: r for r in _rows()}
        for cos, a, b in _cached_candidates():
            print(f"{cos:.2f} | {rows[a]['publisher']}: {rows[a]['title'][:80]} || {rows[b]['publisher']}: {rows[b]['title'][:80]}")
        return
    items = build()
    print(len(items), "articles,", len({i.gold for i in items}), "stories,",
          sum(i.kind == "event" for i in items), "in labelled events")


if __name__ == "__main__":
    main()
