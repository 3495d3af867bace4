"""Are the highlighted technique spans the words a trained annotator marks? Measured on BABE.

    .venv/bin/python bench/babe_spans.py [--limit N] [--file final_labels_SG2.csv]

BABE (../shared/data/babe-media-bias, read at bench time; AGPL-3.0, measurement only) gives
sentences from 11 US outlets with the words that make them biased marked by experts. Each
sentence is analysed as a one-paragraph article by the default pipeline (the trained detectors
and the lexicon as a user gets them), and the Loaded_Language and Name_Calling,Labeling spans are
compared with the marked words, word by word (lower-cased word tokens): precision is the share
of the words inside our spans that the experts marked; recall the share of the marked words that
fall inside our spans. Two levels: what views highlight by default (at or above the display
level) and every span the detectors keep (``below_display`` included). Also: how often a
sentence labelled biased, and one labelled not biased, gets such a span; by outlet lean.
Writes bench/results/babe_spans.json.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import re
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BABE = ROOT / ".." / "shared" / "data" / "babe-media-bias"
LABELS = ("Loaded_Language", "Name_Calling,Labeling")
WORD = re.compile(r"[\w'\u2019-]+")


def read(path: Path, limit: int) -> list[dict]:
    with path.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    out = []
    for r in rows:
        try:
            marked = [str(w).lower() for w in ast.literal_eval(r["biased_words"] or "[]")]
        except (ValueError, SyntaxError):
            marked = []
        out.append({"text": r["text"], "biased": r["label_bias"] == "Biased", "lean": r["type"], "marked": marked})
    return out[::max(1, len(out) // limit)][:limit] if limit else out


def words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group().lower()) for m in WORD.finditer(text)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--file", default="final_labels_SG2.csv")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    from unspin.analyse.pipeline import Pipeline, default_component_names
    from unspin.clean import clean_article
    from unspin.read.text import read_text

    rows = read(BABE / args.file, args.limit)
    pipe = Pipeline([n for n in default_component_names() if n not in ("narratives", "roles")]).initialize()
    counts: dict[str, Counter[str]] = {lvl: Counter() for lvl in ("shown", "all")}
    flagged: dict[str, Counter[tuple[str, str]]] = {lvl: Counter() for lvl in ("shown", "all")}
    sentences: Counter[tuple[str, str]] = Counter()  # (biased or not, the outlet's lean)
    t0 = time.time()
    for i, row in enumerate(rows):
        # Headline-less: a blank first line keeps the sentence in the body, as one paragraph.
        doc = pipe(clean_article(read_text("\n\n" + row["text"] + "\n", f"babe:{i}")))
        text = doc.article.original
        toks = words(text)
        gold = {k for k, (_, _, w) in enumerate(toks) if w in row["marked"]}
        key = ("biased" if row["biased"] else "not biased", row["lean"])
        sentences[key] += 1
        for lvl in ("shown", "all"):
            spans = [(f.start, f.end) for f in doc.of_kind("technique")
                     if f.label in LABELS and f.start is not None and f.end is not None
                     and f.attrs.get("level") != "paragraph" and (lvl == "all" or not f.attrs.get("below_display"))]
            pred = {k for k, (s, e, _) in enumerate(toks) if any(a <= s and e <= b for a, b in spans)}
            counts[lvl].update(tp=len(pred & gold), pred=len(pred), gold=len(gold), spans=len(spans),
                               words=len(toks))
            if spans:
                flagged[lvl][key] += 1
        if (i + 1) % 500 == 0:
            print(i + 1, f"{time.time() - t0:.0f} s", flush=True)
    out: dict = {"file": args.file, "sentences": len(rows), "labels": list(LABELS), "seconds": round(time.time() - t0, 1),
                 "levels": {}}
    for lvl, c in counts.items():
        p = c["tp"] / c["pred"] if c["pred"] else 0.0
        r = c["tp"] / c["gold"] if c["gold"] else 0.0
        rate = {f"{b} / {lean}": round(flagged[lvl][(b, lean)] / n, 3) for (b, lean), n in sorted(sentences.items())}
        biased = sum(n for (b, _), n in sentences.items() if b == "biased")
        out["levels"][lvl] = {
            "word_precision": round(p, 4), "word_recall": round(r, 4),
            "word_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "spans": c["spans"], "spans_per_1000_words": round(1000 * c["spans"] / max(1, c["words"]), 2),
            "sentences_flagged_biased": round(sum(v for (b, _), v in flagged[lvl].items() if b == "biased") / max(1, biased), 3),
            "sentences_flagged_not_biased": round(sum(v for (b, _), v in flagged[lvl].items() if b != "biased")
                                                  / max(1, len(rows) - biased), 3),
            "flagged_by_label_and_lean": rate}
        print(lvl, json.dumps({k: v for k, v in out["levels"][lvl].items() if k != "flagged_by_label_and_lean"}))
    dest = ROOT / "bench" / "results" / "babe_spans.json"
    dest.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print("wrote", dest)


if __name__ == "__main__":
    main()
