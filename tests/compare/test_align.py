"""Sentence alignment across articles (lexical signal; the encoder is tested in test_compare)."""

from __future__ import annotations

from _compare_docs import make_analysis
from _paths import ROOT

from unspin.compare.align import AlignConfig, align, findings
from unspin.compare.units import body_units
from unspin.types import Finding


def _units(*docs):
    return {d.article.id: body_units(d) for d in docs}


def test_reworded_sentence_is_shared_and_unrelated_is_only_here() -> None:
    a = make_analysis("Heavy rain flooded the old town of Brno on Sunday. The zoo opened a new penguin house.")
    b = make_analysis("On Sunday heavy rain flooded Brno's old town, officials said.")
    ms = align(_units(a, b))
    cfg = AlignConfig()
    first, second = ms[a.article.id]
    assert first.is_shared(cfg) and first.other.text.startswith("On Sunday")
    assert second.is_only_here(cfg) and not second.is_shared(cfg)
    fs = findings(ms, {a.article.id: "A", b.article.id: "B"}, cfg)
    assert [(f.kind, f.article_id) for f in fs] == [
        ("shared", a.article.id), ("only_here", a.article.id), ("shared", b.article.id),
    ]


def test_same_words_about_different_entities_are_not_the_same_fact() -> None:
    a = make_analysis("Police in Lyon arrested two men after the bank robbery.", entities=[("Lyon", "GPE")])
    b = make_analysis("Police in Porto arrested two men after the bank robbery.", entities=[("Porto", "GPE")])
    (m,) = align(_units(a, b))[a.article.id]
    assert m.lexical > 0.8
    assert not m.is_shared(AlignConfig()) and m.is_only_here(AlignConfig())


def test_one_fact_from_two_different_sources_is_still_one_fact() -> None:
    """The source a sentence cites ("according to X", a speaker) is not what the fact is about."""
    a = make_analysis("Police in Lyon arrested two men after the bank robbery, according to Radio Lumen.",
                      entities=[("Lyon", "GPE"), ("Radio Lumen", "ORG")])
    b = make_analysis("Police in Lyon arrested two men after the bank robbery, Mayor Anna Berg said.",
                      entities=[("Lyon", "GPE"), ("Anna Berg", "PERSON")],
                      reported=[("Police in Lyon arrested two men after the bank robbery", "Anna Berg")])
    b.findings[0].attrs.update(speaker_start=b.article.original.index("Anna"),
                               speaker_end=b.article.original.index("Anna") + len("Anna Berg"))
    units = _units(a, b)
    assert [u.entities for u in units[a.article.id]] == [frozenset({"lyon"})]
    assert [u.entities for u in units[b.article.id]] == [frozenset({"lyon"})]
    (m,) = align(units)[a.article.id]
    assert m.is_shared(AlignConfig())
    c = make_analysis("Police in Porto arrested two men after the bank robbery, according to Radio Lumen.",
                      entities=[("Porto", "GPE"), ("Radio Lumen", "ORG")])
    (other,) = align(_units(a, c))[a.article.id]
    assert not other.is_shared(AlignConfig())  # the same source does not make Lyon and Porto one fact


def test_headline_and_removed_boilerplate_are_not_body_sentences() -> None:
    text = "Flood Hits Brno\nHeavy rain flooded the old town on Sunday.\nPhoto by a staff photographer for the paper."
    doc = make_analysis(text, titled=True)
    cap_start = text.index("Photo")
    doc.article.removed.append(
        Finding(kind="boilerplate", label="caption", start=cap_start, end=len(text), text=text[cap_start:],
                confidence=0.9, source="rule:test")
    )
    assert [u.text for u in body_units(doc)] == ["Heavy rain flooded the old town on Sunday."]


def test_a_single_article_has_no_counterpart_findings() -> None:
    a = make_analysis("Heavy rain flooded the old town on Sunday.")
    ms = align(_units(a))
    assert ms[a.article.id][0].other is None


def test_the_same_count_of_the_same_thing_is_one_fact_in_other_words() -> None:
    a = make_analysis("Forty-one people are dead, and the ministry wants a medal for it.")
    b = make_analysis("At least 41 people have died in the floods, the emergency agency said.")
    c = make_analysis("Officials said 41 new buses would enter service in the spring.")
    ms = align(_units(a, b))
    (m,) = ms[a.article.id]
    assert m.figure == "Forty-one people" and m.is_shared(AlignConfig()) and not m.is_only_here(AlignConfig())
    (f,) = [f for f in findings(ms, {a.article.id: "A", b.article.id: "B"}, AlignConfig()) if f.article_id == a.article.id]
    assert f.kind == "shared" and "both give Forty-one people" in f.explanation
    # the same number counting something else is no anchor; nor is a small number or a span of time
    (other,) = align(_units(a, c))[a.article.id]
    assert other.figure is None
    from unspin.compare.align import distinctive_figures

    assert distinctive_figures("Three people died over 20 days in 2022.") == {}
    assert distinctive_figures("Prices rose 4.5% and 12,000 jobs went.") == {("%", 4.5): "4.5%", ("job", 12000.0): "12,000 jobs"}


def _pair_by_pair(units, vectors=None):
    """The definition ``align`` computes with matrices: every sentence against every sentence of
    the other articles, keeping the first strictly better by ``_better``."""
    from unspin.compare.align import FIGURE_MIN_SIMILARITY, Match, _better, distinctive_figures
    from unspin.group.text import dice

    flat = [u for us in units.values() for u in us]
    vecs = vectors([u.text for u in flat]) if vectors is not None else None
    pos = {id(u): i for i, u in enumerate(flat)}
    out = {}
    for aid, us in units.items():
        others = [o for bid, os in units.items() if bid != aid for o in os]
        out[aid] = []
        for u in us:
            best = Match(u, None, 0.0, None)
            for o in others:
                lex = dice(u.stems, o.stems)
                sem = float(vecs[pos[id(u)]] @ vecs[pos[id(o)]]) if vecs is not None else None
                fu, fo = distinctive_figures(u.text), distinctive_figures(o.text)
                both = fu.keys() & fo.keys()
                fig = fu[min(both)] if both and max(lex, sem or 0.0) >= FIGURE_MIN_SIMILARITY else None
                cand = Match(u, o, lex, sem, fig)
                if _better(cand, best):
                    best = cand
            out[aid].append(best)
    return out


def test_matrix_alignment_picks_what_pair_by_pair_would() -> None:
    """On the bundled examples (one event, four outlets) with and without the encoder."""

    import pytest

    from unspin.group.vectors import TextVectors

    root = ROOT / "examples"
    docs = [make_analysis(p.read_text(encoding="utf-8"), titled=True) for p in sorted(root.glob("0[123]-*.txt"))]
    docs.append(make_analysis("Nothing in common here at all, said nobody in particular today."))
    units = _units(*docs)
    for vectors in (None, TextVectors(prefer_encoder=True)):
        got, want = align(units, vectors), _pair_by_pair(units, vectors)
        assert sum(len(v) for v in got.values()) > 20
        for aid in units:
            for g, w in zip(got[aid], want[aid], strict=True):
                assert (g.other.text if g.other else None) == (w.other.text if w.other else None)
                assert g.lexical == pytest.approx(w.lexical) and g.figure == w.figure
                assert (g.semantic is None) == (w.semantic is None)
                if g.semantic is not None:
                    assert g.semantic == pytest.approx(w.semantic, abs=1e-5)
    assert align({}) == {} and align({"x": []}) == {"x": []}
