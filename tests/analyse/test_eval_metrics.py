"""The evaluator's metrics against cases computed by hand, and the SemEval file readers."""

import pytest
from _paths import ROOT

from unspin.analyse.models import metrics
from unspin.analyse.models.semeval_io import read_articles, read_technique_labels, split_lines


def test_micro_f1_paragraph_pairs_by_hand():
    gold = {("a", 1): {"Doubt"}, ("a", 3): {"Loaded_Language", "Name_Calling-Labeling"}, ("b", 1): set()}
    pred = {("a", 1): {"Doubt", "Slogans"}, ("a", 3): {"Loaded_Language"}, ("b", 1): {"Repetition"}}
    # pairs: gold 3; pred 4; tp 2 (Doubt, Loaded) -> P = 2/4, R = 2/3, F1 = 2*2/(4+3) = 4/7
    assert metrics.micro_f1(gold, pred) == pytest.approx(4 / 7)


def test_missing_prediction_counts_as_empty_and_extra_items_ignored():
    gold = {"x": {"Economic"}, "y": {"Political", "Morality"}}
    pred = {"x": {"Economic"}, "z": {"Political"}}  # y missing; z is not in gold
    # tp 1, fp 0, fn 2 -> F1 = 2/(2+0+2) = 0.5
    assert metrics.micro_f1(gold, pred) == pytest.approx(0.5)


def test_macro_f1_multilabel_by_hand():
    gold = {1: {"A"}, 2: {"A", "B"}, 3: {"B"}}
    pred = {1: {"A"}, 2: {"B"}, 3: {"A"}}
    # A: gold {1,2}, pred {1,3}: tp1 fp1 fn1 -> 0.5 ; B: gold {2,3}, pred {2}: tp1 fp0 fn1 -> 2/3
    assert metrics.per_label_f1(gold, pred) == {"A": pytest.approx(0.5), "B": pytest.approx(2 / 3)}
    assert metrics.macro_f1_multilabel(gold, pred) == pytest.approx((0.5 + 2 / 3) / 2)


def test_macro_f1_single_label_genre_by_hand():
    gold = {"1": "opinion", "2": "opinion", "3": "reporting", "4": "satire"}
    pred = {"1": "opinion", "2": "reporting", "3": "reporting", "4": "opinion"}
    # opinion: tp1 fp1 fn1 -> .5 ; reporting: tp1 fp1 fn0 -> 2/3 ; satire: tp0 fn1 -> 0
    assert metrics.macro_f1_single(gold, pred) == pytest.approx((0.5 + 2 / 3 + 0) / 3)


def test_perfect_and_empty():
    gold = {1: {"A"}, 2: {"B"}}
    assert metrics.micro_f1(gold, gold) == 1.0
    assert metrics.micro_f1(gold, {}) == 0.0
    assert metrics.micro_f1({1: set()}, {1: set()}) == 0.0


def test_split_lines_numbers_count_empty_lines():
    text = "Title here\n\nFirst para.\n\n\nSecond para.\n"
    lines = split_lines(text)
    assert [(ln.no, ln.text) for ln in lines] == [(1, "Title here"), (3, "First para."), (6, "Second para.")]
    assert all(text[ln.start : ln.end] == ln.text for ln in lines)


def test_readers_fix_the_label_typo(tmp_path):
    (tmp_path / "article42.txt").write_text("T\n\nBody one.\n", encoding="utf-8")
    labels = tmp_path / "labels.txt"
    labels.write_text("42\t1\t\n42\t3\tAppeal_to_Fear-Prejudi-čce,Doubt\n", encoding="utf-8")
    assert list(read_articles(tmp_path)) == ["42"]
    assert read_technique_labels(labels) == {"42": {1: [], 3: ["Appeal_to_Fear-Prejudice", "Doubt"]}}


def test_span_placement_scores_by_hand():
    """``training.span_eval.score``: character overlap of the drawn spans with the gold ones."""
    import sys

    import numpy as np

    sys.path.insert(0, str(ROOT))
    from training.span_eval import Pair, score

    text = "a brutal and barbaric regime"
    words = [(0, 1), (2, 8), (9, 12), (13, 21), (22, 28)]
    flags = [True] * 5
    # token scores: "brutal" 0.9, "barbaric" 0.3 -> at 0.5 only "brutal" (6 chars) is drawn
    hot = Pair(0, text, [(2, 21)], np.array([0.0, 0.9, 0.0, 0.3, 0.0]), words, flags, [False] * 5)
    # gold "regime" but the head marks "a": the fallback never reaches it -> no overlap
    miss = Pair(1, text, [(22, 28)], np.array([0.8, 0.0, 0.0, 0.0, 0.0]), words, flags, [False] * 5)
    s = score([hot, miss], 0.5)
    # drawn 6 + 1 = 7 chars, 6 inside gold; gold 19 + 6 = 25 chars -> P 6/7, R 6/25; overlap in 1 of 2 pairs
    assert s["precision"] == pytest.approx(6 / 7, abs=1e-4)
    assert s["recall"] == pytest.approx(6 / 25, abs=1e-4)
    assert s["f1"] == pytest.approx(2 * (6 / 7) * (6 / 25) / (6 / 7 + 6 / 25), abs=1e-4)
    assert s["hit"] == 0.5 and s["pairs"] == 2
    # at 0.25 "brutal and barbaric" joins over the cold "and": all 19 gold chars of the first pair
    assert score([hot], 0.25)["recall"] == pytest.approx(1.0)
