"""Parse PolNeAR's training articles once, as the product parses them, and cache the result.

Writes ``DIR/docs.spacy`` (every paragraph's parse, in order), ``DIR/tensors.npy`` (spaCy's
contextual token vectors, ``doc.tensor``, of every token in the same order, float16: a DocBin
does not keep them) and ``DIR/index.json`` (per article: name, publisher, date, the
paragraphs' start offsets).
Only the training split is read; its dates decide the folds later (``folds.py``).

    python -m training.attribution.prepare --out ~/.cache/unspin/attribution
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from spacy.tokens import DocBin

from unspin.analyse.nlp import parse_paragraphs
from unspin.analyse.polnear import read_gold
from unspin.clean import clean_article
from unspin.read.text import read_text

POLNEAR_TRAIN = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "polnear-attribution" / "train"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", type=Path, default=POLNEAR_TRAIN)
    ap.add_argument("--out", type=Path, default=Path.home() / ".cache" / "unspin" / "attribution")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    bin_ = DocBin(attrs=["ORTH", "LEMMA", "POS", "TAG", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START",
                         "MORPH", "SPACY"])
    index, tensors = [], []
    started = time.perf_counter()
    for n, (path, gold) in enumerate(read_gold(args.train / "text", args.train / "attributions")):
        text = path.read_text(encoding="utf-8")
        article = clean_article(read_text(text, str(path)))
        docs = parse_paragraphs(article)
        for d in docs:
            bin_.add(d)
            tensors.append(d.tensor.astype(np.float16) if len(d) else np.zeros((0, 96), np.float16))
        index.append({
            "name": gold.name, "publisher": gold.publisher, "date": gold.name.split("_")[1],
            "starts": [p.start for p in article.paragraphs], "original_matches": article.original == text,
        })
        if n % 100 == 0:
            print(n, round(time.perf_counter() - started), flush=True)
    bin_.to_disk(args.out / "docs.spacy")
    np.save(args.out / "tensors.npy", np.concatenate(tensors))
    (args.out / "index.json").write_text(json.dumps(index))
    print("articles", len(index), "seconds", round(time.perf_counter() - started))


if __name__ == "__main__":
    main()
