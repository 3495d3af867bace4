"""Fine-tune the network once per fold and once on every article (resumable, fixed seeds).

    .venv/bin/python -m training.finetune_cv --base /work/ckpt/unspin/network

``<base>/fold<k>/`` holds fold k's run (articles of fold k held out), with its held-out
paragraph logits ``heldout-e<N>.npz``: ``build_detectors`` fits the blend of the network and
the n-gram stacker on them and scores it. ``<base>/all/model-e<N>.pt`` is the shipped network.
Finished runs are skipped, interrupted ones resume from their last checkpoint.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from training.finetune import STAGES


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", type=Path, required=True)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--grouping", default="random", help="random | ranges (training.cv.folds_for)")
    ap.add_argument("--epochs", type=int, default=None,
                    help="epochs of one plain run (default: the shipped stages, training.finetune.STAGES)")
    ap.add_argument("--final-epochs", type=int, default=None,
                    help="the run on all articles: 0 for none (default: the same as the folds)")
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit-articles", type=int, default=0)
    args = ap.parse_args(argv)

    from training import finetune

    extra = ["--threads", str(args.threads), "--folds", str(args.folds), "--grouping", args.grouping, "--resume"]
    extra += ["--data", str(args.data)] if args.data else []
    extra += ["--limit-articles", str(args.limit_articles)] if args.limit_articles else []
    stages = (args.epochs,) if args.epochs else STAGES
    runs = [(f"fold{f}", f, stages) for f in range(args.folds)]
    if args.final_epochs != 0:
        runs.append(("all", -1, (args.final_epochs,) if args.final_epochs else stages))
    for name, fold, run_stages in runs:
        # Each stage resumes from the last one's checkpoint with the schedule stretched to its
        # own epoch count.
        for epochs in run_stages:
            if not (args.base / name / f"model-e{epochs}.pt").exists():
                finetune.main(["--out", str(args.base / name), "--fold", str(fold), "--epochs", str(epochs), *extra])


if __name__ == "__main__":
    main()
