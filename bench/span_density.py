"""How many technique highlights hard news gets: spans and labels per 1,000 words, at the
labelling threshold and at display levels, on PolNeAR's training articles (US hard news from
seven publishers; the detectors were not trained on them). Writes bench/results/span_density.json.

    .venv/bin/python bench/span_density.py [--articles 120] [--bundle DIR]

"Highlights" counts what views show by default: one per label at or over the level (the
component's rule, `analyse/models/component.py`).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).parents[1]
POLNEAR = ROOT / ".." / "shared" / "data" / "polnear-attribution" / "train" / "text"
OUT = ROOT / "bench" / "results" / "span_density.json"
LEVELS = (0.0, 0.3, 0.4, 0.45, 0.5, 0.6, 0.7)


def main(argv: list[str] | None = None) -> dict:
    from unspin.analyse.models.detectors import DETECTORS_DIR, Detectors
    from unspin.analyse.models.labels import DISPLAY_TECHNIQUE, TECHNIQUES

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=120)
    ap.add_argument("--bundle", type=Path, default=DETECTORS_DIR)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    det = Detectors(args.bundle)
    files = sorted(POLNEAR.glob("*.txt"))
    random.Random(7).shuffle(files)  # a fixed sample across the publishers
    files = files[: args.articles]
    words, span_conf, label_conf = 0, [], []
    for f in files:
        lines = [ln for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
        words += sum(len(ln.split()) for ln in lines)
        pred = det.predict(lines[0], lines[1:])
        for p in ([pred.title] if pred.title else []) + pred.paragraphs:
            label_conf += [float(p.probs[TECHNIQUES.index(lab)]) for lab in p.labels]
            span_conf += [float(p.probs[TECHNIQUES.index(s.technique)]) for s in p.spans]
    spans, labels = np.array(span_conf), np.array(label_conf)
    per_k = 1000.0 / max(words, 1)
    report = {
        "bundle": det.model_id, "articles": len(files), "words": words,
        "labelling_threshold": round(det.tech_thr, 4), "display_level": DISPLAY_TECHNIQUE,
        "levels": [{"level": lv, "spans_per_1000_words": round(per_k * float((spans >= lv).sum()), 2),
                    "highlights_per_1000_words": round(per_k * float((labels >= lv).sum()), 2)} for lv in LEVELS],
        "at_threshold": {"spans_per_1000_words": round(per_k * len(spans), 2),
                         "labels_per_1000_words": round(per_k * len(labels), 2)},
        "at_display_level": round(per_k * float((labels >= DISPLAY_TECHNIQUE).sum()), 2),
        "measured": time.strftime("%Y-%m-%d"),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({k: report[k] for k in ("bundle", "at_threshold", "at_display_level")}))
    return report


if __name__ == "__main__":
    main()
