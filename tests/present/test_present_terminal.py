"""Terminal views: the evidence is on screen, and narrow terminals do not break the layout."""

from __future__ import annotations

from datetime import UTC

import pytest
from _store_samples import BODY_A, BODY_B, make_analysis, make_article, make_comparison
from rich.console import Console

from unspin.present.terminal import (
    KIND_STYLES,
    _highlighted_paragraphs,
    print_analysis,
    print_comparison,
    print_error,
    print_summary,
)
from unspin.types import Analysis, ItemFailure


def _render(fn, *args, width: int = 100, **kwargs) -> str:
    console = Console(width=width, record=True, force_terminal=False, color_system=None)
    fn(*args, console, **kwargs)
    return console.export_text()


@pytest.fixture
def pair() -> tuple[Analysis, Analysis]:
    a = make_analysis(make_article(BODY_A, boilerplate="Tags: river, talks"))
    b = make_analysis(make_article(BODY_B, outlet="Tabloid"))
    return a, b


def test_analysis_view_shows_header_body_findings_quotes_and_removed(pair):
    a, _ = pair
    text = _render(print_analysis, a)
    assert "Talks stall at the river" in text and a.article.id in text
    assert "We will not sign any agreement that splits the valley" in text
    assert "Teodor Vasko" in text  # quote speaker
    assert "according to the Herald" in text  # attribution
    assert "model:genre@0.1" in text  # finding source
    assert "removed as boilerplate: 1 stretches" in text and "clean.tags" in text


def test_body_highlights_the_finding_spans(pair):
    _, b = pair
    paragraphs = _highlighted_paragraphs(b)
    styled = {(p.plain[s.start : s.end], str(s.style)) for p in paragraphs for s in p.spans}
    assert ("regime", KIND_STYLES["term"]) in styled
    assert ("junta", KIND_STYLES["term"]) in styled
    quote = b.of_kind("quote")[0].text
    assert (quote, KIND_STYLES["quote"]) in styled


def test_headline_comes_first_in_bold_with_its_findings_highlighted():
    from unspin.types import Finding

    art = make_article(BODY_A, title="Warmongers stall the river talks")
    a = make_analysis(art)
    start = art.original.index("Warmongers")
    a.findings.append(Finding(kind="term", label="warmonger", start=start, end=start + 10, text="Warmongers",
                              confidence=0.9, source="lexicon:loaded@1.1", explanation="loaded"))
    head, *body = _highlighted_paragraphs(a)
    assert head.plain == "Warmongers stall the river talks" and str(head.style) == "bold"
    assert [(head.plain[s.start : s.end], str(s.style)) for s in head.spans] == [("Warmongers", KIND_STYLES["term"])]
    assert [p.plain for p in body] == [p.text for p in art.paragraphs]
    assert _render(print_analysis, a).count("Warmongers stall the river talks") == 2  # panel title and body


def test_not_analysed_article_shows_the_reason(pair):
    a, _ = pair
    skipped = a.model_copy(
        update={"status": "not_analysed", "status_reason": "language 'de' is not analysed"}
    )
    assert "not analysed: language 'de'" in _render(print_analysis, skipped)
    assert "not analysed: language 'de'" in _render(print_summary, skipped)


def test_summary_is_short(pair):
    a, _ = pair
    lines = [line for line in _render(print_summary, a).splitlines() if line.strip()]
    assert len(lines) == 2
    assert "Test Wire" in lines[0] and "1 quote" in lines[1]


def test_error_is_one_line():
    text = _render(
        print_error, ItemFailure(source="bad/file.bin", reason="binary content", stage="read"), width=200
    )
    assert text.strip() == "✗ bad/file.bin: binary content"
    text = _render(print_error, ItemFailure(source="x.txt", reason="boom", stage="clean"), width=200)
    assert "[clean stage]" in text


def test_comparison_view_sections(pair):
    a, b = pair
    skipped = make_analysis(make_article("Ein Artikel auf Deutsch.", outlet="Zeitung"))
    skipped = skipped.model_copy(
        update={"status": "not_analysed", "status_reason": "language 'de' is not analysed"}
    )
    text = _render(
        print_comparison,
        make_comparison(a, b),
        [a, b, skipped],
        errors=[ItemFailure(source="x.bin", reason="binary content")],
        width=180,
    )
    for heading in (
        "Quotes in more than one article",
        "Wording that differs",
        "Only in one article",
        "Names only one article mentions",
        "Attributions to other media",
        "Not analysed",
    ):
        assert heading in text
    assert "'will not' became" in text and "'may never'" in text
    # A fidelity pair (A->B and B->A) is shown once.
    assert text.count("altered") == 1
    assert "Zeitung: language 'de' is not analysed" in text
    assert "x.bin: binary content" in text


@pytest.mark.parametrize("width", [100, 60, 30])
def test_comparison_fits_the_terminal_width(pair, width):
    a, b = pair
    text = _render(print_comparison, make_comparison(a, b), [a, b], width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    # Narrow terminals stack the rows instead of squeezing table columns to one letter.
    assert "may never" in text.replace("\n", " ")


def test_error_line_does_not_repeat_the_source():
    text = _render(print_error, ItemFailure(source="a/empty.txt", reason="a/empty.txt is empty"), width=200)
    assert text.strip() == "✗ a/empty.txt is empty"


def test_brackets_in_article_text_are_not_markup(pair):
    a, _ = pair
    art = a.article.model_copy(update={"outlet": "[bold]Wire[/bold]", "source": "[x].txt"})
    text = _render(print_analysis, a.model_copy(update={"article": art}), width=200)
    assert "[bold]Wire[/bold]" in text and "[x].txt" in text


def test_comparison_panels_say_who_uses_each_term_and_what_cleaning_removed():
    from _compare_docs import make_analysis as doc
    from _compare_docs import span_of

    from unspin.compare import CompareConfig, compare
    from unspin.types import Finding

    wire_text = (
        'The regime closed the border on Monday, officials said.\n'
        '"The junta must go," opposition leader Mira Holm said.\n'
        'Observers called the vote a "referendum" on the government.\n'
        'Tags: border, vote'
    )
    wire = doc(
        wire_text, outlet="Wire",
        quotes=[("The junta must go,", "Mira Holm")],
        terms=[
            ("regime", {"id": "regime", "neutral": "government"}),
            ("junta", {"id": "junta", "neutral": "government", "in_quote": True, "speaker": "Mira Holm"}),
        ],
    )
    s, e = span_of(wire_text, "referendum")
    scare = Finding(kind="scare_quote", label="scare", start=s, end=e, text="referendum", confidence=0.5,
                    source="rule:scare-quote", article_id=wire.article.id, attrs={"speaker": None})
    s, e = span_of(wire_text, "Tags: border, vote")
    tags = Finding(kind="boilerplate", label="tags-inline", start=s, end=e, text="Tags: border, vote",
                   confidence=0.9, source="rule:clean/tags-inline")
    article = wire.article.model_copy(update={"removed": [tags], "paragraphs": wire.article.paragraphs[:3]})
    wire = wire.model_copy(update={"article": article, "findings": [*wire.findings, scare]})
    other = doc("The government closed the border on Monday, officials said.", outlet="Other")
    c = compare([wire, other], config=CompareConfig(use_encoder=False))
    # a scare quote is the writer's distance, not a quote of anyone that only this article carries
    assert not [f for f in c.of_kind("only_here") if f.label == "quote" and f.text == "referendum"]
    assert c.per_article[wire.article.id].quotes == 1
    assert c.per_article[wire.article.id].scare_quotes == ["referendum"]
    text = " ".join(_render(print_comparison, c, [wire, other], width=120).split())
    assert "own words: regime" in text and "quoting Mira Holm: junta" in text
    assert "scare quotes “referendum”" in text
    assert "removed 1 boilerplate stretch, 18 characters: tags-inline" in text


def test_an_only_here_claim_is_marked(pair):
    a, b = pair
    comparison = make_comparison(a, b)
    plain = _render(print_comparison, comparison, [a, b], width=180)
    assert "[claim:" not in plain
    (only,) = [f for f in comparison.findings if f.kind == "only_here"]
    only.attrs["claim"] = ["figure", "cause"]
    marked = _render(print_comparison, comparison, [a, b], width=180)
    assert f"{only.text}  [claim: figure, cause]" in marked


def test_wording_lists_a_word_once_whatever_its_case():
    from unspin.present.terminal import _wording_by_voice
    from unspin.types import TermUse

    terms = [TermUse(text="Militant union", label="militant"), TermUse(text="militant union", label="militant"),
             TermUse(text="agitator", label="agitator"),
             TermUse(text="Agitator", label="agitator", in_quote=True, speaker="Tomas Lind")]
    text = _wording_by_voice(terms).plain
    assert text == "own words: Militant union, agitator\nquoting Tomas Lind: Agitator"


def test_comparison_shows_each_articles_most_confident_techniques_with_their_words(pair):
    from unspin.types import Finding

    a, b = pair
    o = b.article.original
    para = next(p for p in b.article.paragraphs if "junta" in p.text)

    def technique(label: str, conf: float, words: list[str]) -> Finding:
        spans = [[o.index(w), o.index(w) + len(w)] for w in words]
        return Finding(kind="technique", label=label, start=para.start, end=para.end, text=para.text,
                       confidence=conf, source="model:test@1", attrs={"level": "paragraph", "spans": spans})

    ranked = [technique(f"Technique_{i}", 0.9 - i / 10, ["junta"]) for i in range(4)]
    named = technique("Name_Calling-Labeling", 0.95, ["splits", "junta"])
    b = b.model_copy(update={"findings": [*b.findings, *ranked, named]})
    text = _render(print_comparison, make_comparison(a, b), [a, b], width=140)
    assert "Persuasion techniques, most confident per article" in text
    row = next(line for line in text.splitlines() if "Name_Calling-Labeling" in line)
    assert "splits · junta" in row and "0.95" in row
    # the words' context, from the paragraph; then the next most confident; the rest is cut
    assert "the junta looked on." in text
    assert "Technique_0" in text and "Technique_1" in text and "Technique_2" not in text
    # a technique's second instance comes after every other technique's best one
    again = technique("Name_Calling-Labeling", 0.93, ["junta"])
    b = b.model_copy(update={"findings": [*b.findings, again]})
    rows = [line for line in _render(print_comparison, make_comparison(a, b), [a, b], width=140).splitlines()
            if "Name_Calling-Labeling" in line or "Technique_" in line]
    assert sum("Name_Calling-Labeling" in r for r in rows) == 1 and any("Technique_1" in r for r in rows)


def test_a_page_label_is_told_apart_from_the_models_genre(pair):
    from unspin.types import Finding

    a, _ = pair
    a.findings += [
        Finding(kind="genre", label="opinion", confidence=0.95, source="rule:page-declared",
                explanation="The publisher labels this article opinion (article:section = Opinion).",
                attrs={"evidence": "article:section = Opinion", "declared": True}),
        Finding(kind="genre", label="satire", confidence=0.55, source="model:detectors@8",
                explanation="The model reads the article as satire.",
                attrs={"probs": {"reporting": 0.05, "opinion": 0.40, "satire": 0.55},
                       "runner_up": {"label": "opinion", "probability": 0.40}}),
    ]
    out = _render(print_analysis, a, width=120)
    line = next(ln for ln in out.splitlines() if "genre:" in ln)
    # the page's label reads as such; the model's close call shows what it nearly was
    assert "genre: opinion (the page's own label)," in line and "satire (0.55; opinion 0.40)" in line


def test_the_reference_rendering_of_a_quote_is_the_earliest_else_the_fullest(pair):
    from datetime import datetime

    a, b = pair
    qa, qb = a.of_kind("quote")[0].text, b.of_kind("quote")[0].text

    def reference_row() -> str:
        # compare picks the reference (``quote_groups``); the view only shows it
        out = _render(print_comparison, make_comparison(a, b), [a, b], width=160)
        return next(line for line in out.splitlines() if "(reference)" in line)

    a.article.published, b.article.published = None, None  # undated: the fuller rendering leads
    fuller = a if len(qa) > len(qb) else b
    assert fuller.article.label in reference_row()
    later, earlier = (a, b) if fuller is a else (b, a)  # now date the shorter one first
    earlier.article.published = datetime(2024, 3, 4, 8, tzinfo=UTC)
    later.article.published = datetime(2024, 3, 4, 12, tzinfo=UTC)
    row = reference_row()
    assert earlier.article.label in row and later.article.label not in row


def test_a_quote_carried_twice_shows_the_verb_each_article_introduced_it_with():
    from _articles import analyse

    from unspin.compare import CompareConfig, compare

    wire = analyse('"The companies left us no choice," negotiator Vera Holm told reporters.', ["nlp", "quotes"])
    tabloid = analyse('Firebrand Vera Holm ranted: "The companies left us no choice."', ["nlp", "quotes"])
    wire.article.outlet, tabloid.article.outlet = "Wire", "Tabloid"
    comparison = compare([wire, tabloid], config=CompareConfig(use_encoder=False))
    verbs = {(f.article_id, f.attrs["verb"], f.attrs["other_verb"]) for f in comparison.of_kind("fidelity")}
    assert verbs == {(wire.article.id, "told", "ranted"), (tabloid.article.id, "ranted", "told")}
    out = _render(print_comparison, comparison, [wire, tabloid], width=160)
    section = out[out.index("Quotes in more than one article"):]
    assert "(told)" in section and "(ranted)" in section


def test_a_mixed_genre_shows_the_two_it_is_between(pair):
    from unspin.types import Finding

    a, _ = pair
    a.findings = [f for f in a.findings if f.kind != "genre"]
    a.findings += [Finding(kind="genre", label="mixed", confidence=0.51, source="model:detectors@8",
                           explanation="The model cannot tell the genre with confidence.",
                           attrs={"probs": {"reporting": 0.51, "opinion": 0.46, "satire": 0.03}, "leaning": "reporting"})]
    line = next(ln for ln in _render(print_analysis, a, width=120).splitlines() if "genre:" in ln)
    assert "genre: mixed (reporting 0.51, opinion 0.46)" in line
