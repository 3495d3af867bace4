"""Reading a ``models train network`` runs folder back (``fold<k>/model-e<N>.pt``): the command
line every per-fold check shares and the article split those networks were trained with."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from training.finetune import EPOCHS


def runs_parser(description: str) -> argparse.ArgumentParser:
    from unspin.analyse.models.semeval_io import TRAIN

    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--runs", type=Path, required=True, help="a `models train network` folder (fold<k>/...)")
    ap.add_argument("--folds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    ap.add_argument("--epoch", type=int, default=EPOCHS)
    ap.add_argument("--max-length", type=int, default=160)
    ap.add_argument("--data", type=Path, default=TRAIN)
    ap.add_argument("--grouping", default="ranges", help="the split the runs were trained with (random | ranges)")
    return ap


@dataclass
class Split:
    """The subtask-3 articles, the common-word list, each article's fold (as ``training.finetune``
    split them: ``--grouping``) and the network's tokenizer."""

    docs: list
    common: frozenset[str]
    folds: dict[str, int]
    tokenizer: Any  # tokenizers.Tokenizer

    def heldout(self, k: int) -> list:
        return [d for d in self.docs if self.folds[d.id] == k]


def load_split(data: Path, grouping: str = "ranges") -> Split:
    from tokenizers import Tokenizer

    from training.cv import folds_for
    from training.examples import corpus_common_words
    from unspin.analyse.models.encoder import EMBED_DIR
    from unspin.analyse.models.semeval_io import load_subtask3

    docs = load_subtask3(data)
    return Split(docs, corpus_common_words(docs), folds_for([d.id for d in docs], grouping, 5, 13),
                 Tokenizer.from_file(str(EMBED_DIR / "tokenizer.json")))
