"""MODEL_CARD.md of the narrative model, from the cv.json that training writes."""

from __future__ import annotations

from pathlib import Path


def _row(name: str, s: dict) -> str:
    return (f"| {name} | {s['documents']} | {s['coarse_samples_f1']:.3f} | {s['fine_samples_f1']:.3f} | "
            f"{s['domain_accuracy']:.3f} |")


def write_card(out: Path, report: dict) -> None:
    g, r, ref = report["grouped"], report["random"], report["references"]["always_other"]
    rows = [_row("all (grouped folds)", g["all"]), _row("war documents", g["by_domain"]["UA"]),
            _row("climate documents", g["by_domain"]["CC"]),
            *[_row(f"held-out batch {k}", v) for k, v in g["by_group"].items()],
            _row("all (random folds, for comparison only)", r["all"])]
    scale = report.get("embedding_scale", 0.5)
    approach = ("TF-IDF of words and word pairs (8,000, computed at run time without scikit-learn), "
                "nothing else: no encoder pass, so the whole analysis stays as fast"
                if not scale else
                "TF-IDF of words and word pairs (8,000, computed at run time without scikit-learn) beside the "
                "shipped MiniLM encoder's vector of headline and opening")
    variants = "".join(
        f"\n- {name}: grouped samples-F1 {v['grouped']['coarse_samples_f1']:.3f} coarse, "
        f"{v['grouped']['fine_samples_f1']:.3f} fine (random folds {v['random']['coarse_samples_f1']:.3f} / "
        f"{v['random']['fine_samples_f1']:.3f}); cost: {v['cost']}."
        for name, v in report.get("variants", {}).items())
    floor = g["thresholds"]["coarse_floor"]
    floor = ", and the likeliest one from " + str(floor) if floor <= 1 else " (none is forced)"
    coarse_verdict = ("reached here" if g["all"]["coarse_samples_f1"] >= 0.55 else
                      f"not reached here ({g['all']['coarse_samples_f1']:.3f})")
    fine_verdict = ("reached on these folds" if g["all"]["fine_samples_f1"] >= 0.43 else
                    f"not reached here ({g['all']['fine_samples_f1']:.3f})")
    text = f"""# Narratives (SemEval-2025 Task 10 taxonomy), model card

## What it does
For an English news article: whether it is about the war in Ukraine, climate change or neither;
for the first two, which of the task's narratives it tells (21 coarse labels with "Other", 90+
sub-narratives), each with a calibrated probability and the paragraphs whose words raise it
most. Component `narratives` of the analyse stage (`src/unspin/analyse/narratives.py`).

## Data and terms
- SemEval-2025 Task 10, English training split: {report['documents']} documents with narrative and
  sub-narrative labels (`../shared/data/semeval2025-task10-en/`), distributed by the organisers for
  research; no redistribution. The development and test splits were never read.
- {report['neither_topic_articles']} PolNeAR training articles (2016 US election; research use) as
  articles on neither topic, for the domain head only.
- The weights are derived from these data and carry their terms: research use.

## Approach
{approach}; one class-balanced logistic regression per label and a 3-way domain head (war,
climate, neither; an article neither topic reaches 0.5 for is neither); one logistic calibration
per level fitted on held-out predictions. The TF-IDF columns are fitted once on all texts (no
labels), so the shipped heads are the mean of the six fold models' heads: their ensemble, the very
model whose held-out outputs the calibration and thresholds were chosen on. Decision rule
(`narratives.decide`): the domain's labels only; every narrative at
{g['thresholds']['coarse_threshold']}{floor}; "Other" when none; sub-narratives at
{g['thresholds']['fine_threshold']}, else "<narrative>: Other".
Names are not masked: the labels name the sides, so who is talked about tells them apart.
Weights: float16, about 2 MB. Speed: {report.get('speed', 'not measured')}.

## Validation that keeps sources apart
Leave one collection batch out ({', '.join(report['groups'])}: the domain and the first digit
of the document number, standing for sources and periods); the calibration and thresholds are
chosen on the held-out predictions of all folds (so the figures are a little optimistic for the
thresholds, not for the weights; the TF-IDF vocabulary saw every text, without labels). Metric: samples-F1 as the task's scorer computes it.

| held out | documents | coarse samples-F1 | fine samples-F1 | domain accuracy |
|---|---|---|---|---|
{chr(10).join(rows)}

References: always "Other" gives {ref['coarse_samples_f1']:.3f} coarse and {ref['fine_samples_f1']:.3f} fine.
Tried and not shipped:{variants or " nothing else."}
Targets of the issue (on the held-out evaluation): 0.55 coarse, {coarse_verdict}; 0.43 fine, {fine_verdict}.

## Failure modes
- Narratives are learnt from about 400 documents; the rarer ones (under 10 documents) are seldom
  said. Vocabulary of one batch's sources (outlets' own phrases) can stand in for a narrative.
- An article on another war or on energy policy may be taken for one of the two topics.
- The words of an argument weigh more than who is blamed in it: swapping the actors of a text that
  discredits the West (NATO, Washington, Brussels for the Kremlin, Moscow) lowers that label's
  probability (0.78 to 0.57 on the test's text) but does not remove it (tests/analyse/test_narratives.py).
- The evidence paragraphs come from the word part of the model only.
- The label names are the task's taxonomy (needed to answer in its format), kept in labels.json.
- Evaluated on the training split's batches only; the held-out evaluation will differ.
"""
    (out / "MODEL_CARD.md").write_text(text, encoding="utf-8")
