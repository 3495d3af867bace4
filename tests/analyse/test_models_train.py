"""A tiny detector bundle trains end to end on 20 SemEval articles, loads, predicts and evaluates."""

import json
import sys
import time

import numpy as np
import pytest
from _paths import ROOT

DATA = ROOT / ".." / "shared" / "data" / "semeval2023-task3-en" / "train"

pytestmark = pytest.mark.skipif(not DATA.exists(), reason="../shared SemEval data not present")
pytest.importorskip("sklearn", reason="the tiny build needs scikit-learn (in the test extra)")
sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="module")
def tiny_bundle(tmp_path_factory):
    from training import build_detectors

    out = tmp_path_factory.mktemp("bundle")
    build_detectors.CACHE = out / "cache"  # no cached out-of-fold scores from earlier runs
    t0 = time.perf_counter()
    report = build_detectors.main(["--out", str(out), "--data", str(DATA), "--limit-articles", "20", "--folds", "2"])
    return out, report, time.perf_counter() - t0


def test_trains_under_a_minute_and_writes_bundle(tiny_bundle):
    out, report, seconds = tiny_bundle
    assert seconds < 60
    for name in ("heads.npz", "cv.json", "manifest.json", "common_words.txt"):
        assert (out / name).exists()
    tech = report["techniques"]
    assert tech["articles"] == 20
    assert 0.0 <= tech["shipped"]["micro_f1"] <= 1.0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["network"] is None and not (out / "model.onnx").exists()
    with np.load(out / "heads.npz") as z:
        assert z["ng_Wq"].dtype == np.int8  # shipped quantised


def test_tiny_bundle_predicts_and_evaluates(tiny_bundle, tmp_path):
    from unspin.analyse.models.detectors import Detectors
    from unspin.analyse.models.evaluate import evaluate
    from unspin.analyse.models.semeval_io import read_technique_labels

    out, _, _ = tiny_bundle
    det = Detectors(out)
    pred = det.predict("A title", ["First paragraph about the war.", "Second paragraph, shorter."])
    assert len(pred.paragraphs) == 2 and pred.title is not None
    assert pred.genre in ("reporting", "opinion", "satire")
    assert pred.genre_probs.sum() == pytest.approx(1.0, abs=1e-5)

    gold = read_technique_labels(DATA / "train-labels-subtask-3.txt")
    ids = sorted(gold)[:5]
    labels = tmp_path / "labels.txt"
    labels.write_text("".join(f"{i}\t{no}\t{','.join(gold[i][no])}\n" for i in ids for no in sorted(gold[i])))
    preds = tmp_path / "pred.txt"
    res = evaluate("techniques", DATA / "train-articles-subtask-3", labels, preds, det)
    assert res.articles == 5 and 0.0 <= res.score <= 1.0
    rows = [ln.split("\t") for ln in preds.read_text().splitlines()]
    # one row per labelled paragraph, in the task's format: ID, line number, labels
    assert {(r[0], int(r[1])) for r in rows} == {(i, no) for i in ids for no in gold[i]}
    assert all(len(r) == 3 for r in rows)


def test_training_features_match_the_runtime(tiny_bundle):
    """The n-gram head the runtime loads scores a text as the training matrices did."""
    from training import ngram
    from unspin.analyse.models import textfeats
    from unspin.analyse.models.detectors import Detectors
    from unspin.analyse.models.names import masked_words

    det = Detectors(tiny_bundle[0])
    det.load()
    text = "The warmongering Kremlin said on Tuesday that NATO lies, again and again."
    runtime = det.ngram.logits([textfeats.ngram_counts(masked_words(text, det.common))])
    X = ngram.hashed_matrix(ngram.count_rows([[text]], det.common), det.ngram.idf)
    W = det.ngram.Wq.astype(np.float32) * det.ngram.scale
    assert np.allclose(runtime, X @ W + det.ngram.b, atol=1e-5)


def test_platt_per_label_calibrates_an_overconfident_column():
    """A column whose logits say 90 % where 1 in 10 is positive is pulled down; a column with no
    positives keeps its logits."""
    from training.cv import platt_per_label

    rng = np.random.default_rng(0)
    z = np.full(400, 2.2)  # sigmoid 0.9
    y = (rng.random(400) < 0.1).astype(int)
    z[y == 1] += 1.0  # still informative: positives score higher
    Z = np.stack([z, z], 1)
    Y = np.stack([y, np.zeros_like(y)], 1)
    cal = platt_per_label(Z, Y, C=100.0)
    p = 1 / (1 + np.exp(-(Z[:, 0] * cal[0, 0] + cal[0, 1])))
    assert abs(p.mean() - y.mean()) < 0.01  # calibrated on average
    assert cal[0, 0] > 0  # the ordering is kept
    assert cal[1].tolist() == [1.0, 0.0]


def test_nested_platt_never_fits_on_the_rows_it_scores():
    """Fold 0's calibration comes from the inner logits of the other folds only: changing fold
    0's labels leaves fold 0's calibrated logits unchanged."""
    from training.cv import nested_platt

    rng = np.random.default_rng(1)
    groups = np.repeat([0, 1], 50)
    Z = rng.normal(size=(100, 1))
    Y = (Z + rng.normal(size=(100, 1)) > 0).astype(int)
    inner = {0: Z[groups != 0] * 0.5, 1: Z[groups != 1] * 0.5}
    a = nested_platt(Z, inner, Y, groups)
    Y2 = Y.copy()
    Y2[groups == 0] = 1 - Y2[groups == 0]
    b = nested_platt(Z, inner, Y2, groups)
    assert np.allclose(a[groups == 0], b[groups == 0])
    assert not np.allclose(a[groups == 1], b[groups == 1])


def test_tiny_bundle_frames_are_platt_scaled(tiny_bundle):
    """The runtime's frame probabilities are the article head's logits through the bundle's
    per-frame scaling, and the frames listed are those at or over the shared threshold."""
    from collections import Counter

    from unspin.analyse.models import textfeats
    from unspin.analyse.models.detectors import Detectors
    from unspin.analyse.models.heads import sigmoid
    from unspin.analyse.models.labels import FRAMES
    from unspin.analyse.models.names import masked_words

    out = tiny_bundle[0]
    with np.load(out / "heads.npz") as z:
        cal = z["frame_cal"]
    assert cal.shape == (len(FRAMES), 2)
    det = Detectors(out)
    units = ["Sanctions hit the economy", "The court ruled that the law broke the constitution."]
    pred = det.predict(units[0], units[1:])
    det.load()
    article = Counter()
    for u in units:
        article.update(textfeats.ngram_counts(masked_words(u, det.common)))
    want = sigmoid(det.frame_head.logits([article])[0] * cal[:, 0] + cal[:, 1])
    assert np.allclose(pred.frame_probs, want, atol=1e-5)
    assert pred.frames == [f for f, p in zip(FRAMES, want, strict=False) if p >= det.frame_thr]


def test_blend_refits_from_packed_heldout_logits_and_keeps_the_shipped_network(tmp_path):
    """``--network FILE``: held-out logits packed with the code refit the blend without the fold
    checkpoints; the bundle then carries the network already shipped."""
    from training import build_detectors
    from training.examples import corpus_common_words
    from unspin.analyse.models.detectors import DETECTORS_DIR
    from unspin.analyse.models.semeval_io import load_subtask3

    if not (DETECTORS_DIR / "model.onnx").exists():
        pytest.skip("no shipped network")
    docs = load_subtask3(DATA, with_spans=False)[:20]
    rows = build_detectors.technique_rows(docs, corpus_common_words(docs))
    rng = np.random.default_rng(0)
    for k in (0, 1):  # two "fold runs": informative logits, as a network's would be
        fold = tmp_path / "run" / f"fold{k}"
        fold.mkdir(parents=True)
        mine = np.arange(len(rows.keys)) % 2 == k
        P = 1 / (1 + np.exp(-(3 * rows.Y[mine] - 1.5 + rng.normal(0, 1, rows.Y[mine].shape))))
        np.savez(fold / "heldout-e2.npz", P=P, doc=np.array([d for d, _ in np.array(rows.keys, object)[mine]]),
                 line=np.array([n for _, n in np.array(rows.keys, object)[mine]]))
    packed = tmp_path / "heldout.npz"
    build_detectors.pack_heldout(tmp_path / "run", 2, packed)
    from_file = build_detectors.network_oof(packed, rows, 2)
    from_runs = build_detectors.network_oof(tmp_path / "run", rows, 2)
    assert not np.isnan(from_file).any() and np.allclose(from_file, from_runs, atol=1e-5)
    with pytest.raises(SystemExit, match="epoch 2"):
        build_detectors.network_oof(packed, rows, 3)

    build_detectors.CACHE = tmp_path / "cache"
    out = tmp_path / "bundle"
    build_detectors.main(["--out", str(out), "--data", str(DATA), "--limit-articles", "20", "--folds", "2",
                          "--network", str(packed), "--epochs", "2"])
    manifest = json.loads((out / "manifest.json").read_text())
    shipped = json.loads((DETECTORS_DIR / "manifest.json").read_text())
    assert manifest["network"] == "model.onnx" and manifest["network_stages"] == shipped["network_stages"]
    assert (out / "model.onnx").read_bytes() == (DETECTORS_DIR / "model.onnx").read_bytes()
    with np.load(out / "heads.npz") as z:
        assert z["tech_blend"][:, 1].min() > 0  # the blend leans on the informative logits


def test_the_kept_heldout_logits_cover_every_training_paragraph():
    """``training/network_heldout.npz``: one held-out network logit per label for every
    paragraph of the training split, from the epoch whose network ships."""
    from training.build_detectors import HELDOUT, network_oof, technique_rows
    from training.examples import corpus_common_words
    from training.finetune import EPOCHS
    from unspin.analyse.models.labels import TECHNIQUES
    from unspin.analyse.models.semeval_io import load_subtask3

    docs = load_subtask3(DATA, with_spans=False)
    rows = technique_rows(docs, corpus_common_words(docs))
    N = network_oof(HELDOUT, rows, EPOCHS)
    assert N is not None and N.shape == (len(rows.keys), len(TECHNIQUES)) and np.isfinite(N).all()
    # informative: the labelled pairs get higher logits than the rest
    assert N[rows.Y == 1].mean() > N[rows.Y == 0].mean() + 1.0


def test_range_folds_hold_out_contiguous_id_ranges():
    """Grouped folds: each fold is one run of ids in numeric order (so a series of articles
    collected together is held out together), sizes differ by at most one, and ids of unequal
    length sort as numbers."""
    from training.cv import folds_for, range_folds

    ids = [str(i) for i in (999000133, 111111112, 731063195, 111111117, 832908730, 700662577, 788273361,
                            999001297, 694356862, 761546223, 99)]
    folds = range_folds(ids, 3)
    order = sorted(ids, key=int)
    seq = [folds[i] for i in order]
    assert seq == sorted(seq) and set(seq) == {0, 1, 2}
    sizes = [seq.count(k) for k in range(3)]
    assert max(sizes) - min(sizes) <= 1
    assert folds["99"] == 0 and folds["999001297"] == 2
    assert folds_for(ids, "ranges", 3) == folds
    assert folds_for(ids, "random", 3, 13) != folds
    with pytest.raises(ValueError, match="unknown grouping"):
        folds_for(ids, "by-moon", 3)


def test_scores_report_each_group_with_its_label_rates():
    """The worst group and each group's predicted against gold label rate are in every score:
    a model that under-predicts on one group of sources shows it there, not in the mean."""
    from training.scoring import score_multilabel

    rng = np.random.default_rng(3)
    n = 200
    groups = np.repeat([0, 1], n // 2)
    Y = (rng.random((n, 3)) < 0.3).astype(int)
    P = np.where(Y == 1, 0.8, 0.2) + rng.normal(0, 0.05, Y.shape)
    P[groups == 1] -= 0.45  # group 1: the same signal, shifted under the threshold
    sc = score_multilabel([(str(i), 0) for i in range(n)], Y, P, groups, ["a", "b", "c"])
    g0, g1 = sc["per_group"]
    assert g0["rows"] == g1["rows"] == n // 2
    assert g1["predicted_per_row"] < 0.7 * g1["gold_per_row"]  # the shift shows as a rate
    assert sc["worst_group_micro_f1"] == min(g0["micro_f1"], g1["micro_f1"]) < sc["micro_f1"]


def test_satire_is_said_only_when_sure_the_same_in_training_and_at_run_time():
    """Under the bundle's satire minimum, satire gives way to the better other genre; the
    training script's decision rule and the runtime's agree."""
    from unspin.analyse.models.detectors import ArticlePrediction
    from unspin.analyse.models.detectors import genre_choices as genre_decisions
    from unspin.analyse.models.labels import GENRES

    P = np.array([[0.30, 0.15, 0.55], [0.10, 0.20, 0.70], [0.50, 0.40, 0.10], [0.20, 0.35, 0.45]])
    want = ["reporting", "satire", "reporting", "opinion"]
    assert [GENRES[i] for i in genre_decisions(P, 0.6)] == want
    assert [ArticlePrediction(None, [], np.zeros(14), [], {}, p, satire_min=0.6).genre for p in P] == want
    assert ArticlePrediction(None, [], np.zeros(14), [], {}, P[0]).genre == "satire"  # old bundles: argmax


def test_polnear_reporting_rows_hold_whole_publishers_out():
    """The extra reporting articles (PolNeAR's training split) are read with their publisher,
    which is their fold: a publisher is never both trained on and scored."""
    from training.build_detectors import POLNEAR_TEXT, polnear_articles

    if not POLNEAR_TEXT.is_dir():
        pytest.skip("../shared PolNeAR data not present")
    arts = polnear_articles()
    assert len(arts) == 840 and all(lines for _, lines in arts)
    assert {p for p, _ in arts} == {"breitbart", "huff-post", "nyt", "politico", "usa-today", "wash-post",
                                    "west-journal"}
    assert "/dev/" not in str(POLNEAR_TEXT) and POLNEAR_TEXT.name == "text" and POLNEAR_TEXT.parent.name == "train"


def test_the_kept_grouped_heldout_logits_and_the_shipped_network_match():
    """``training/network_heldout_ranges.npz``: the id-range fold networks' held-out logits
    (epoch 3), one per label for every paragraph of the groups they cover; the shipped network
    is one of those fold networks, named in the manifest."""
    from training.build_detectors import network_oof, technique_rows
    from training.cv import range_folds
    from training.examples import corpus_common_words
    from unspin.analyse.models.detectors import DETECTORS_DIR
    from unspin.analyse.models.labels import TECHNIQUES
    from unspin.analyse.models.semeval_io import load_subtask3

    packed = ROOT / "training" / "network_heldout_ranges.npz"
    docs = load_subtask3(DATA, with_spans=False)
    rows = technique_rows(docs, corpus_common_words(docs))
    N = network_oof(packed, rows, 3)
    assert N is not None and N.shape == (len(rows.keys), len(TECHNIQUES))
    folds = range_folds([d.id for d in docs])
    covered = ~np.isnan(N).any(1)
    groups = {folds[k[0]] for k, c in zip(rows.keys, covered, strict=False) if c}
    assert all(covered[i] == (folds[k[0]] in groups) for i, k in enumerate(rows.keys))  # whole groups
    manifest = json.loads((DETECTORS_DIR / "manifest.json").read_text())
    assert manifest["network_trained_without_group"] in groups and manifest["network_stages"] == [3]
