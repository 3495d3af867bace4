"""``unspin models train|eval|info``: reproduce and evaluate the shipped detectors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from unspin.cli.app import app

models_app = typer.Typer(help="Train and evaluate the trained detectors (techniques, frames, genre, narratives).",
                         no_args_is_help=True)
app.add_typer(models_app, name="models")

REPO = Path(__file__).resolve().parents[3]


def _training():
    """The training code lives in the repo's ``training/`` folder (not installed with the package)
    and needs the ``train`` extra (torch, scikit-learn)."""
    if not (REPO / "training" / "__init__.py").exists():
        raise typer.BadParameter(f"training code not found at {REPO / 'training'}: run from a source checkout")
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise typer.BadParameter("training needs the train extra: pip install -e '.[train]'") from None


@models_app.command("train")
def train(
    task: Annotated[str, typer.Argument(
        help="techniques | frames | genre | all: the shared detector bundle; network: the fine-tuned "
             "MiniLM (hours on 2 cores, resumable); encoder: the sentence encoder; narratives: the "
             "SemEval-2025 narrative model (minutes); roles: the entity-role model (a minute)")],
    data: Annotated[Path | None, typer.Option(help="SemEval-2023 Task 3 train folder (default ../shared/...)")] = None,
    out: Annotated[Path | None, typer.Option(help="Where to write the weights (default: the shipped folder)")] = None,
    network: Annotated[Path | None, typer.Option(
        help="A `models train network` run folder: export its network into the bundle and blend it "
             "with the n-gram stacker. Without it the bundle has n-gram heads only")] = None,
    runs: Annotated[Path | None, typer.Option(
        help="network: where checkpoints go (outside the repo); default ~/.cache/unspin/network")] = None,
    epochs: Annotated[int | None, typer.Option(
        help="network: epochs of one plain run per fold; default the shipped schedule (3 epochs, then a "
             "4th, 5th and 6th, each with the learning rate restarted). all: which epoch's network to "
             "blend (default 6)")] = None,
    limit_articles: Annotated[int, typer.Option(help="Train on the first N articles only (smoke tests)")] = 0,
    folds: Annotated[int, typer.Option(help="Cross-validation folds")] = 5,
    grouping: Annotated[str, typer.Option(
        help="How folds are made: ranges (contiguous article-id ranges: sources and periods held out "
             "together; every choice is made on these) or random (articles)")] = "ranges",
    ship_fold: Annotated[int | None, typer.Option(
        help="all: ship this fold's network (trained without that group; the blend and threshold were "
             "fitted on its held-out outputs) instead of RUNS/all")] = None,
    seed: Annotated[int, typer.Option()] = 13,
) -> None:
    """Reproduce a shipped model from the data (fixed seeds).

    Techniques, frames and genre live in one bundle, so each of them rebuilds the whole bundle:
    `unspin models train all` (n-gram heads, minutes), or first `unspin models train network`
    (fine-tunes MiniLM per fold and on all articles; checkpoints, resumable), then
    `unspin models train all --network RUNS`."""
    _training()
    if task == "narratives":
        from training.narratives import train as narratives_train

        narratives_train.main((["--out", str(out)] if out else [])
                              + (["--limit", str(limit_articles)] if limit_articles else []))
        return
    if task == "roles":
        from training.roles import train as roles_train

        roles_train.main((["--out", str(out)] if out else [])
                         + (["--limit", str(limit_articles)] if limit_articles else []))
        return
    if task == "encoder":
        from training import export_encoder

        export_encoder.main([] if out is None else ["--out", str(out)])
        return
    if task == "network":
        from training import finetune_cv

        runs = runs or Path.home() / ".cache" / "unspin" / "network"
        argv = ["--base", str(runs), "--folds", str(folds), "--grouping", grouping]
        argv += ["--epochs", str(epochs)] if epochs else []
        argv += ["--data", str(data)] if data else []
        argv += ["--limit-articles", str(limit_articles)] if limit_articles else []
        finetune_cv.main(argv)
        return
    if task not in ("techniques", "frames", "genre", "all"):
        raise typer.BadParameter(f"unknown task {task!r}: techniques, frames, genre, all, network, encoder, narratives or roles")
    from training import build_detectors

    argv = ["--folds", str(folds), "--seed", str(seed), "--grouping", grouping]
    argv += ["--ship-fold", str(ship_fold)] if ship_fold is not None else []
    argv += ["--epochs", str(epochs)] if epochs else []
    argv += ["--out", str(out)] if out else []
    argv += ["--data", str(data)] if data else []
    argv += ["--network", str(network)] if network else []
    argv += ["--limit-articles", str(limit_articles)] if limit_articles else []
    build_detectors.main(argv)
    from unspin.analyse.models.detectors import DETECTORS_DIR

    Console().print(f"wrote detector bundle to {out or DETECTORS_DIR}")


@models_app.command("eval")
def eval_cmd(
    task: Annotated[str, typer.Argument(
        help="genre (subtask 1) | frames (subtask 2) | techniques (subtask 3) | quotes (PolNeAR attributions) "
             "| narratives (SemEval-2025 Task 10 subtask 2) | roles (its subtask 1: entity roles)")],
    articles: Annotated[Path, typer.Option(exists=True, file_okay=False,
                                           help="Folder of article files (<ID>.txt; quotes: NAME.txt)")],
    labels: Annotated[Path, typer.Option(exists=True, help="Gold labels in the task's format (file or folder; "
                                                           "quotes: a folder of PolNeAR .ann files)")],
    out: Annotated[Path | None, typer.Option(help="Predictions file (default predictions-<task>.txt); "
                                                  "quotes: where to write the scores as JSON")] = None,
    weights: Annotated[Path | None, typer.Option(help="Detector bundle folder (default: shipped)")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the scores as JSON")] = False,
) -> None:
    """Print the official metric and write predictions in the task's file format.

    quotes: direct-quote recall and precision, speaker accuracy, reported-speech recall and cue
    accuracy against PolNeAR-format gold attributions, overall and per publisher (docs/quotes.md):

      unspin models eval quotes --articles polnear/train/text --labels polnear/train/attributions
    """
    if task == "quotes":
        _eval_quotes(articles, labels, out, json_out)
        return
    if task == "narratives":
        _eval_narratives(articles, labels, out, weights, json_out)
        return
    if task == "roles":
        _eval_roles(articles, labels, out, weights, json_out)
        return
    from unspin.analyse.models.evaluate import detectors_for, evaluate, task_name

    try:
        name = task_name(task)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    out = out or Path(f"predictions-{name}.txt")
    detectors = detectors_for(name, weights)
    res = evaluate(name, articles, labels, out, detectors)
    if json_out:
        typer.echo(json.dumps({"task": res.task, res.metric: res.score, **res.extra, "articles": res.articles,
                               "missing": res.missing, "seconds": round(res.seconds, 2),
                               "predictions": str(out)}, indent=2))
        return
    con = Console()
    con.print(f"[bold]{res.task}[/]: {res.metric} = [bold]{res.score:.4f}[/] on {res.articles} articles"
              + (f" (macro-F1 {res.extra['macro_f1']:.4f})" if "macro_f1" in res.extra else ""))
    if res.extra.get("per_label_f1"):
        table = Table("technique", "F1")
        for lab, f in sorted(res.extra["per_label_f1"].items(), key=lambda kv: -kv[1]):
            table.add_row(lab, f"{f:.3f}")
        con.print(table)
    _written(con, res.missing, out, res.seconds, "article(s)")


def _eval_narratives(articles: Path, labels: Path, out: Path | None, weights: Path | None, json_out: bool) -> None:
    from unspin.analyse.narratives import NarrativeModel, get_narratives
    from unspin.analyse.narratives_eval import evaluate_narratives

    model = _model_for("narratives", labels, "file<TAB>narratives<TAB>sub-narratives",
                       lambda: NarrativeModel(weights) if weights else get_narratives())
    out = out or Path("predictions-narratives.txt")
    res = evaluate_narratives(articles, labels, out, model)
    if json_out:
        typer.echo(json.dumps({"task": "narratives", **res.as_dict(), "predictions": str(out)}, indent=2))
        return
    con = Console()
    con.print(f"[bold]narratives[/]: samples-F1 coarse [bold]{res.coarse_samples_f1:.4f}[/], fine "
              f"[bold]{res.fine_samples_f1:.4f}[/] on {res.documents} documents")
    _written(con, res.missing, out, res.seconds)


def _model_for(task: str, labels: Path, shape: str, build):
    """The model an evaluation of ``task`` runs, or a clear error: labels in one file, weights there."""
    if labels.is_dir():
        raise typer.BadParameter(f"{task}: --labels is one file ({shape})")
    model = build()
    if not model.available:
        raise typer.BadParameter(f"no {task} weights in {model.weights_dir}")
    return model


def _written(con: Console, missing: list[str], out: Path, seconds: float, what: str = "document(s)") -> None:
    if missing:
        con.print(f"[yellow]{len(missing)} labelled {what} have no article file[/]")
    con.print(f"predictions written to {out} ({seconds:.1f} s)")


def _eval_roles(articles: Path, labels: Path, out: Path | None, weights: Path | None, json_out: bool) -> None:
    from unspin.analyse.roles import RoleModel, get_roles
    from unspin.analyse.roles_eval import evaluate_roles

    model = _model_for("roles", labels, "file<TAB>entity<TAB>start<TAB>end[<TAB>main<TAB>fine...]",
                       lambda: RoleModel(weights) if weights else get_roles())
    out = out or Path("predictions-roles.txt")
    try:
        res = evaluate_roles(articles, labels, out, model)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    if json_out:
        typer.echo(json.dumps({"task": "roles", **res.as_dict(), "predictions": str(out)}, indent=2))
        return
    con = Console()
    con.print(f"[bold]roles[/]: fine-role exact match [bold]{res.exact_match:.4f}[/], main-role accuracy "
              f"[bold]{res.main_accuracy:.4f}[/] on {res.mentions} mentions (fine roles micro-F1 {res.fine_f1:.4f})")
    table = Table("gold main role", "mentions", "main role right")
    for role, row in res.per_main.items():
        table.add_row(role, str(row["gold"]), f"{row['accuracy']:.3f}")
    con.print(table)
    _written(con, res.missing, out, res.seconds)


def _eval_quotes(articles: Path, labels: Path, out: Path | None, json_out: bool) -> None:
    from unspin.analyse.quotes_eval import evaluate_quotes

    res = evaluate_quotes(articles, labels)
    scores = res.as_dict()
    if out is not None:
        out.write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
    if json_out:
        typer.echo(json.dumps(scores, indent=2))
        return
    if not res.overall.articles:
        raise typer.BadParameter(f"no article in {articles} has a .ann file in {labels}")
    columns = [("direct_quote_recall", "quote R"), ("direct_quote_precision", "quote P"),
               ("speaker_accuracy_strict", "speaker"), ("speaker_accuracy_by_name", "speaker (name)"),
               ("no_speaker", "no speaker"), ("reported_speech_recall", "reported R"), ("cue_accuracy", "cue")]
    table = Table("publisher", "articles", *[label for _, label in columns], title="Quotes against gold attributions")
    rows = [*scores["by_publisher"].items(), ("all", scores["overall"])]
    for name, row in rows:
        table.add_row(name, str(row["articles"]),
                      *["–" if row[key] is None else f"{row[key]:.3f}" for key, _ in columns])
    con = Console()
    con.print(table)
    con.print(f"quote stage alone: {scores['quote_stage_articles_per_second']} articles/s; "
              f"{scores['seconds']} s in all" + (f"; written to {out}" if out else ""))
    for error in scores["errors"]:
        con.print(f"[yellow]{escape(error)}[/]")


@models_app.command("info")
def info(
    weights: Annotated[Path | None, typer.Option(help="Detector bundle folder (default: shipped)")] = None,
) -> None:
    """What the shipped detectors are and how well they scored in cross-validation."""
    from unspin.analyse.models.detectors import Detectors

    det = Detectors(weights) if weights else Detectors()
    con = Console()
    if not det.available:
        con.print(f"no detector bundle at {det.weights_dir}")
        raise typer.Exit(1)
    m = det.manifest
    con.print(f"[bold]{det.model_id}[/] in {det.weights_dir}")
    con.print(f"network: {m.get('network') or 'none (n-gram heads only)'}; trained on {m.get('training_data', '?')}")
    cv_path = det.weights_dir / "cv.json"
    if cv_path.exists():
        cv = json.loads(cv_path.read_text())
        table = Table("task", "approach", "metric", "score")
        for name, res in cv["techniques"].items():
            if isinstance(res, dict) and "micro_f1" in res:
                table.add_row("techniques", name, "micro-F1", f"{res['micro_f1']:.4f}")
        for name, res in cv["frames"].items():
            if isinstance(res, dict) and "micro_f1" in res:
                table.add_row("frames", name, "micro-F1", f"{res['micro_f1']:.4f}")
        for name, res in cv["genre"].items():
            if isinstance(res, dict) and "macro_f1_balanced" in res:
                table.add_row("genre", name, "macro-F1 (balanced)", f"{res['macro_f1_balanced']:.4f}")
        con.print(table)
    card = det.weights_dir / "MODEL_CARD.md"
    if card.exists():
        con.print(f"model card: {card}")
