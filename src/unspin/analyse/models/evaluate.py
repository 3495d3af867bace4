"""Evaluate the shipped detectors on any SemEval-2023 Task 3 style folder (official metrics).

    evaluate("techniques", articles_dir, labels_file, out_file)

Tasks: ``genre`` (subtask 1, macro-F1), ``frames`` (subtask 2, micro-F1), ``techniques``
(subtask 3, micro-F1 over (article, paragraph, technique) pairs, plus macro-F1). Predictions are
written in the task's file format: ``ID<TAB>label(s)`` per article, ``ID<TAB>paragraph<TAB>labels``
per paragraph (paragraph = 1-based line number counting empty lines; line 1 is the title)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from unspin.analyse.models import metrics
from unspin.analyse.models.detectors import DETECTORS_DIR, ArticlePrediction, Detectors, get_detectors
from unspin.analyse.models.semeval_io import (
    Doc,
    Line,
    read_articles,
    read_frame_labels,
    read_genre_labels,
    read_technique_labels,
)

TASKS = {"1": "genre", "subtask1": "genre", "genre": "genre",
         "2": "frames", "subtask2": "frames", "frames": "frames",
         "3": "techniques", "subtask3": "techniques", "techniques": "techniques"}


def task_name(task: str) -> str:
    key = task.lower().replace("-", "").replace("_", "")
    if key not in TASKS:
        raise ValueError(f"unknown task {task!r}: use genre (1), frames (2) or techniques (3)")
    return TASKS[key]


@dataclass
class EvalResult:
    task: str
    metric: str
    score: float
    extra: dict
    articles: int
    missing: list[str]  # gold ids with no article file
    seconds: float


def _split(doc: Doc) -> tuple[str, list[Line]]:
    """A SemEval article file as (title, body lines): line 1 is the title, other lines paragraphs."""
    has_title = bool(doc.lines) and doc.lines[0].no == 1
    return (doc.lines[0].text if has_title else ""), (doc.lines[1:] if has_title else doc.lines)


def predict_doc(doc: Doc, detectors: Detectors) -> tuple[ArticlePrediction, list[int]]:
    """Run the detectors on one SemEval article file; also gives its body lines' numbers."""
    title, body = _split(doc)
    return detectors.predict(title, [ln.text for ln in body]), [ln.no for ln in body]


def predict_docs(docs: list[Doc], detectors: Detectors) -> Iterator[tuple[ArticlePrediction, list[int]]]:
    """``predict_doc`` over many files, overlapped (``Detectors.predict_many``)."""
    split = [_split(d) for d in docs]
    preds = detectors.predict_many((title, [ln.text for ln in body]) for title, body in split)
    for pred, (_, body) in zip(preds, split, strict=False):
        yield pred, [ln.no for ln in body]


def detectors_for(task: str, weights: Path | None = None) -> Detectors:
    """The detectors an evaluation of ``task`` needs. Frames and genre never read the network:
    without it they are the same and about 5x faster."""
    if task_name(task) == "techniques":
        return Detectors(weights) if weights else get_detectors()
    return Detectors(weights or DETECTORS_DIR, fast=True)


def evaluate(task: str, articles: Path, labels: Path, out: Path | None = None,
             detectors: Detectors | None = None) -> EvalResult:
    task = task_name(task)
    detectors = detectors or detectors_for(task)
    docs = read_articles(Path(articles))
    if not docs:
        raise FileNotFoundError(f"no article*.txt files in {articles}")
    reader: Callable[[Path], Mapping[str, Any]]  # each task's own label shape
    if task == "genre":
        reader = read_genre_labels
    elif task == "frames":
        reader = read_frame_labels
    else:
        reader = read_technique_labels
    gold: dict[str, Any] = dict(reader(labels))
    ids = [i for i in sorted(gold) if i in docs]
    missing = [i for i in sorted(gold) if i not in docs]
    t0 = time.perf_counter()
    lines: list[str] = []
    pred_genre: dict[str, str] = {}
    pred_sets: dict = {}
    for doc_id, (pred, body_lines) in zip(ids, predict_docs([docs[i] for i in ids], detectors), strict=False):
        if task == "genre":
            pred_genre[doc_id] = pred.genre
            lines.append(f"{doc_id}\t{pred.genre}")
        elif task == "frames":
            pred_sets[doc_id] = set(pred.frames)
            lines.append(f"{doc_id}\t{','.join(pred.frames)}")
        else:
            per_line = {}
            if pred.title is not None:
                per_line[1] = pred.title.labels
            per_line.update({no: p.labels for no, p in zip(body_lines, pred.paragraphs, strict=False)})
            for no in sorted(per_line):
                pred_sets[(doc_id, no)] = set(per_line[no])
                lines.append(f"{doc_id}\t{no}\t{','.join(per_line[no])}")
    seconds = time.perf_counter() - t0
    if out is not None:
        Path(out).write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
    if task == "genre":
        genres: dict[str, str] = {i: gold[i] for i in ids}
        return EvalResult(task, "macro_f1", metrics.macro_f1_single(genres, pred_genre), {}, len(ids), missing,
                          seconds)
    if task == "frames":
        frames: dict[str, set[str]] = {i: set(gold[i]) for i in ids}
        return EvalResult(task, "micro_f1", metrics.micro_f1(frames, pred_sets),
                          {"macro_f1": metrics.macro_f1_multilabel(frames, pred_sets)}, len(ids), missing, seconds)
    techniques: dict[Any, dict[int, list[str]]] = {i: gold[i] for i in ids}
    g = {(i, no): set(labs) for i in ids for no, labs in techniques[i].items()}
    return EvalResult(task, "micro_f1", metrics.micro_f1(g, pred_sets),
                      {"macro_f1": metrics.macro_f1_multilabel(g, pred_sets),
                       "per_label_f1": metrics.per_label_f1(g, pred_sets)}, len(ids), missing, seconds)
