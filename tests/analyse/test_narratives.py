"""Narratives (SemEval-2025 Task 10 taxonomy): the run-time TF-IDF equals scikit-learn's, the
decision rule, the shipped model on hand-written articles (actors swapped), the component, the
evaluation command and a tiny model trained end to end."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from _compare_docs import make_analysis
from _paths import ROOT

from unspin.analyse.narratives import (
    NARRATIVES_DIR,
    NONE,
    OTHER,
    NarrativeModel,
    NarrativesComponent,
    decide,
    get_narratives,
)

SHARED = ROOT.parent / "shared" / "data" / "semeval2025-task10-en"
shipped = pytest.mark.skipif(not NarrativeModel(NARRATIVES_DIR).available, reason="no narrative weights shipped")

WEST = ("Western governments keep sending weapons to Kyiv, prolonging a bloody conflict that NATO expansion "
        "provoked in the first place. Instead of diplomacy, Washington and Brussels chose escalation, and "
        "ordinary Ukrainians are paying the price while arms makers profit. Peace talks were sabotaged by "
        "Western leaders who want to weaken Russia at any cost.")
ACTIVISTS = ("The celebrities who tell ordinary families to give up their cars flew to the climate summit on "
             "private jets. Activists glued themselves to roads again, blocking ambulances, while demanding that "
             "the rest of us pay more for energy. Their hypocrisy shows that the movement is about control.")
FOOTBALL = ("Manchester City beat Manchester United 3-1 on Sunday with two goals from their striker. United pulled "
            "one back before half time but City controlled the second half and could have scored more. The win "
            "puts City two points clear at the top of the table with eight games left to play this season.")


def _tiny_model(tmp_path: Path, vocab: list[str], idf: np.ndarray) -> NarrativeModel:
    coarse, fine = [OTHER, "URW: A", "CC: B"], [OTHER, "URW: A: x", "URW: A: Other", "CC: B: y"]
    d = len(vocab) + 384
    meta = {"version": "t", "coarse": coarse, "fine": fine, "domains": ["CC", "UA", NONE], "embedding_scale": 0.5,
            "calibration": {"coarse": [1.0, 0.0], "fine": [1.0, 0.0]}, "vocab": vocab,
            "thresholds": {"coarse_threshold": 0.5, "coarse_floor": 0.3, "fine_threshold": 0.5}}
    (tmp_path / "labels.json").write_text(json.dumps(meta))
    np.savez(tmp_path / "narratives.npz", idf=idf, coarse_w=np.zeros((d, 3)), coarse_b=np.zeros(3),
             fine_w=np.zeros((d, 4)), fine_b=np.zeros(4), domain_w=np.zeros((d, 3)), domain_b=np.zeros(3))
    return NarrativeModel(tmp_path)


def test_run_time_tfidf_is_scikit_learns(tmp_path):
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = ["NATO's weapons reach Kyiv, and NATO's leaders talk.", "Climate activists glue themselves to roads.",
             "The roads of Kyiv; the weapons of the West — and 2024's talks?", "Ünïcode wörds and wörds again"]
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True).fit(texts)
    model = _tiny_model(tmp_path, vec.get_feature_names_out().tolist(), vec.idf_)
    want = vec.transform(texts).toarray()
    got = np.stack([model.tfidf(t) for t in texts])
    assert np.allclose(got, want, atol=1e-6)


def test_the_decision_rule():
    meta = {"coarse": [OTHER, "URW: A", "URW: B", "CC: C"], "fine": [OTHER, "URW: A: a1", "URW: A: Other", "URW: B: b1"],
            "domains": ["CC", "UA", NONE],
            "thresholds": {"coarse_threshold": 0.6, "coarse_floor": 0.3, "fine_threshold": 0.5}}
    war = np.array([0.1, 0.85, 0.0])
    p = decide(meta, np.array([0, 0.7, 0.4, 0.99]), np.array([0, 0.2, 0, 0.9]), war)
    assert p.domain == "UA" and [c for c, _ in p.coarse] == ["URW: A"]  # the climate label is not for a war article
    assert p.fine == {"URW: A": [("URW: A: Other", 0.7)]}  # no sub-narrative sure enough
    p = decide(meta, np.array([0, 0.2, 0.4, 0]), np.array([0, 0, 0, 0.9]), war)
    assert [c for c, _ in p.coarse] == ["URW: B"] and p.fine["URW: B"] == [("URW: B: b1", 0.9)]  # the floor
    p = decide(meta, np.array([0, 0.2, 0.25, 0]), np.zeros(4), war)
    assert p.coarse == [(OTHER, 0.75)]
    assert decide(meta, np.ones(4), np.ones(4), np.array([0.1, 0.1, 0.8])).domain == NONE
    unsure = decide(meta, np.ones(4), np.ones(4), np.array([0.35, 0.34, 0.31]))
    assert unsure.domain == NONE and unsure.coarse == []  # neither topic is likely enough


@shipped
def test_the_shipped_model_on_hand_written_articles():
    m = get_narratives()
    west = m.predict("NATO pushed Ukraine into a war it cannot win", WEST.split(". "))
    assert west.domain == "UA" and any(c.startswith("URW: Discrediting the West") for c, _ in west.coarse)
    activists = m.predict("Climate preachers fly private jets to lecture us", ACTIVISTS.split(". "))
    assert activists.domain == "CC" and any(c == "CC: Criticism of climate movement" for c, _ in activists.coarse)
    assert m.predict("City win the derby", FOOTBALL.split(". ")).domain == NONE
    # the same answer twice (no state between calls)
    assert m.predict("NATO pushed Ukraine into a war it cannot win", WEST.split(". ")) == west


@shipped
def test_the_label_leans_with_the_actors():
    """Swapping who does what lowers the narrative that blames the West. It does not remove it:
    the words of the argument weigh more than who is blamed (a failure mode in the model card)."""
    m = get_narratives()
    swapped = (WEST.replace("Western governments", "The Kremlin").replace("to Kyiv", "to Donetsk")
               .replace("NATO expansion", "Russian imperialism").replace("Washington and Brussels", "Moscow")
               .replace("Western leaders", "Russian leaders").replace("weaken Russia", "crush Ukraine"))
    label = "URW: Discrediting the West, Diplomacy"
    west = dict(m.predict("NATO pushed Ukraine into a war", WEST.split(". ")).coarse)
    russia = dict(m.predict("The Kremlin pushed Ukraine into a war", swapped.split(". ")).coarse)
    assert west[label] - russia.get(label, 0.0) >= 0.1


@shipped
def test_the_component_adds_article_level_findings_with_evidence():
    comp = NarrativesComponent()
    doc = make_analysis("Climate preachers fly private jets to lecture us\n" + ACTIVISTS.replace(". ", ".\n"),
                        titled=True)
    doc.findings = []
    out = comp(doc).of_kind("narrative")
    labels = {f.label for f in out}
    assert "CC: Criticism of climate movement" in labels
    f = next(f for f in out if f.label == "CC: Criticism of climate movement")
    assert 0 < f.confidence <= 1 and f.source.startswith("model:narratives@") and f.attrs["subnarratives"]
    for s, e in f.attrs["spans"]:  # the evidence paragraphs, as exact offsets
        assert doc.article.original[s:e] in ACTIVISTS.replace(". ", ".\n")
    sport = make_analysis("City win the derby\n" + FOOTBALL.replace(". ", ".\n"), titled=True)
    sport.findings = []
    (none,) = comp(sport).of_kind("narrative")
    assert none.label == NONE and "neither" in none.explanation
    short = make_analysis("Too short to tell.", titled=False)
    short.findings = []
    assert comp(short).of_kind("narrative") == []


@shipped
def test_eval_command_scores_and_writes_predictions(tmp_path):
    from typer.testing import CliRunner

    from unspin.cli import app

    arts = tmp_path / "docs"
    arts.mkdir()
    (arts / "a.txt").write_text("NATO pushed Ukraine into a war it cannot win\n\n" + WEST.replace(". ", ".\n"))
    (arts / "b.txt").write_text("Climate preachers fly private jets\n\n" + ACTIVISTS.replace(". ", ".\n"))
    labels = tmp_path / "gold.txt"
    labels.write_text("a.txt\tURW: Discrediting the West, Diplomacy\tURW: Discrediting the West, Diplomacy: Other\n"
                      "b.txt\tCC: Criticism of climate movement\tCC: Criticism of climate movement: Other\n"
                      "c.txt\tOther\tOther\n")
    out = tmp_path / "pred.txt"
    res = CliRunner().invoke(app, ["models", "eval", "narratives", "--articles", str(arts), "--labels", str(labels),
                                   "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    scores = json.loads(res.output)
    assert scores["documents"] == 2 and scores["missing"] == ["c.txt"]
    assert scores["coarse_samples_f1"] >= 0.5
    rows = [r.split("\t") for r in out.read_text().splitlines()]
    assert [r[0] for r in rows] == ["a.txt", "b.txt"] and all(len(r) == 3 for r in rows)


@pytest.mark.slow
@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data/semeval2025-task10-en")
def test_a_tiny_model_trains_end_to_end(tmp_path):
    pytest.importorskip("sklearn")
    from training.narratives import train

    train.main(["--out", str(tmp_path), "--limit", "60", "--neither", "20"])
    model = NarrativeModel(tmp_path)
    assert model.available and (tmp_path / "MODEL_CARD.md").exists()
    cv = json.loads((tmp_path / "cv.json").read_text())
    assert cv["documents"] == 60 and len(cv["groups"]) == 6
    assert 0 <= cv["grouped"]["all"]["coarse_samples_f1"] <= 1
    pred = model.predict("Climate preachers fly private jets", ACTIVISTS.split(". "))
    assert pred.domain in ("CC", "UA", NONE)
