"""Fine-tune the network once per fold and once on every article (resumable, fixed seeds).

    .venv/bin/python -m training.finetune_cv --base /work/ckpt/unspin/network --epochs 3

``<base>/fold<k>/`` holds fold k's run (articles of fold k held out), with its held-out
paragraph logits ``heldout-e<N>.npz``: ``build_detectors`` fits the blend of the network and
the n-gram stacker on them and scores it. ``<base>/all/model-e<N>.pt`` is the shipped network.
Finished runs are skipped, interrupted ones resume from their last checkpoint.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from training.finetune import EPOCHS


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", type=Path, required=True)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--final-epochs", type=int, default=EPOCHS, help="0: no run on all articles")
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit-articles", type=int, default=0)
    args = ap.parse_args(argv)

    from training import finetune

    extra = ["--threads", str(args.threads), "--folds", str(args.folds), "--resume"]
    extra += ["--data", str(args.data)] if args.data else []
    extra += ["--limit-articles", str(args.limit_articles)] if args.limit_articles else []
    runs = [(f"fold{f}", f, args.epochs) for f in range(args.folds)]
    if args.final_epochs:
        runs.append(("all", -1, args.final_epochs))
    for name, fold, epochs in runs:
        if not (args.base / name / f"model-e{epochs}.pt").exists():
            finetune.main(["--out", str(args.base / name), "--fold", str(fold), "--epochs", str(epochs), *extra])


if __name__ == "__main__":
    main()
