"""The quotes evaluator on hand-written PolNeAR-format files: the brat reader, the matching rule
(half of the shorter span), speaker and cue scoring computed by hand, and the CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from unspin.analyse.polnear import read_ann, read_gold
from unspin.analyse.quotes_eval import evaluate_quotes, score_article
from unspin.types import Analysis, Article, Finding

TEXT = (
    "Mayor defends harbour plan\n\n"
    "The mayor of Tessby, Anna Lind, defended the plan on Monday. "
    "\u201cWe will not raise fees this year,\u201d Lind said at a briefing.\n\n"
    "She added that the council would review the budget in spring.\n"
)


def _span(text: str, part: str, after: int = 0) -> tuple[int, int]:
    start = TEXT.index(part, after)
    return start, start + len(part)


def _ann() -> str:
    q = _span(TEXT, "\u201cWe will not raise fees this year,\u201d")
    src = _span(TEXT, "Lind", q[1])
    cue = _span(TEXT, "said", q[1])
    r_src = _span(TEXT, "She")
    r_cue = _span(TEXT, "added")
    r_content = _span(TEXT, "that the council would review the budget in spring")
    lines = [
        f"T1\tSource {src[0]} {src[1]}\tLind", f"T2\tCue {cue[0]} {cue[1]}\tsaid",
        f"T3\tContent {q[0]} {q[1]}\t{TEXT[q[0]:q[1]]}", f"T4\tAttribution {cue[0]} {cue[1]}\tsaid",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        f"T5\tSource {r_src[0]} {r_src[1]}\tShe", f"T6\tCue {r_cue[0]} {r_cue[1]}\tadded",
        # a discontinuous Content: two pieces
        f"T7\tContent {r_content[0]} {r_content[0] + 16};{r_content[0] + 17} {r_content[1]}\t{TEXT[r_content[0]:r_content[1]]}",
        f"T8\tAttribution {r_cue[0]} {r_cue[1]}\tadded",
        "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5",
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture()
def corpus(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "ann").mkdir()
    (tmp_path / "text" / "gazette_2016-01-04_mayor-plan.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "ann" / "gazette_2016-01-04_mayor-plan_ab12.ann").write_text(_ann(), encoding="utf-8")
    (tmp_path / "ann" / "gazette_2016-01-04_mayor-plan_zz99.ann").write_text("", encoding="utf-8")  # 2nd annotator
    return tmp_path


def test_reader_links_source_cue_and_content(corpus):
    (quote, reported) = read_ann(corpus / "ann" / "gazette_2016-01-04_mayor-plan_ab12.ann")
    assert quote.direct and quote.source.text == "Lind" and quote.cue.text == "said"
    assert not reported.direct and len(reported.content.pieces) == 2 and reported.source.text == "She"
    ((path, gold),) = read_gold(corpus / "text", corpus / "ann")
    assert gold.publisher == "gazette" and len(gold.attributions) == 2  # the first annotator's file


def _finding(kind: str, part: str, **attrs) -> Finding:
    start, end = _span(TEXT, part)
    return Finding(kind=kind, label=kind, start=start, end=end, text=part, confidence=0.9, source="test",
                   attrs=attrs)


def test_scores_by_hand(corpus):
    ((_, gold),) = read_gold(corpus / "text", corpus / "ann")
    lind = _span(TEXT, "Lind", TEXT.index("\u201d"))
    analysis = Analysis(article=Article(id="x", original=TEXT), findings=[
        # the words inside the marks: more than half of the shorter span -> a match
        _finding("quote", "We will not raise fees this year", speaker="Anna Lind",
                 speaker_start=lind[0], speaker_end=lind[1], verb="said"),
        _finding("quote", "Mayor defends", speaker=None),  # a title line is no quote: a false positive
        _finding("reported_speech", "the council would review the budget", speaker="Anna Lind", verb="added"),
    ])
    counts = score_article(gold, analysis)
    assert (counts.gold_quotes, counts.gold_quotes_found) == (1, 1)
    assert (counts.predicted_quotes, counts.predicted_quotes_right) == (2, 1)
    assert (counts.speaker_total, counts.speaker_strict, counts.speaker_by_name) == (1, 1, 1)
    assert (counts.gold_reported, counts.gold_reported_found) == (1, 1)
    assert (counts.cue_total, counts.cue_right) == (2, 2)
    scores = counts.scores()
    assert scores["direct_quote_precision"] == 0.5 and scores["direct_quote_recall"] == 1.0

    # The speaker named by the resolved name only, pointing elsewhere: right by name, not strictly.
    analysis.findings[0].attrs.update(speaker_start=TEXT.index("Anna"), speaker_end=TEXT.index("Anna") + 9)
    counts = score_article(gold, analysis)
    assert (counts.speaker_strict, counts.speaker_by_name) == (0, 1)
    # A quote with no speaker at all.
    analysis.findings[0].attrs.update(speaker=None, speaker_start=None, speaker_end=None)
    assert score_article(gold, analysis).speaker_missing == 1


def test_the_real_pipeline_and_the_cli(corpus):
    from unspin.cli import app

    result = evaluate_quotes(corpus / "text", corpus / "ann")
    scores = result.as_dict()
    assert scores["overall"]["articles"] == 1 and scores["overall"]["direct_quote_recall"] == 1.0
    assert scores["overall"]["speaker_accuracy_by_name"] == 1.0  # "Lind said" after the quote

    out = corpus / "scores.json"
    run = CliRunner().invoke(app, ["models", "eval", "quotes", "--articles", str(corpus / "text"),
                                   "--labels", str(corpus / "ann"), "--out", str(out)], env={"COLUMNS": "200"})
    assert run.exit_code == 0, run.output
    assert "gazette" in run.output and "quote stage alone" in run.output
    assert json.loads(out.read_text())["by_publisher"]["gazette"]["gold_quotes"] == 1
