"""One contract, checked over every registered analyse component (as scikit-learn checks every
estimator): each runs after the components it reads from, on ordinary text, an empty body and
unicode edge cases, and every finding it adds is evidence: exact offsets into the original, a
confidence in [0, 1], a source naming what produced it, an explanation; and it gives the same
findings twice. A component registered later (narratives, roles) is checked without a new test."""

from __future__ import annotations

import re

import pytest

from unspin.analyse import pipeline as pipeline_module
from unspin.analyse.pipeline import (
    RECORD_PARTS,
    Pipeline,
    PipelineOrderError,
    default_component_names,
    registered,
)
from unspin.clean import clean_article
from unspin.kinds import KINDS
from unspin.read.text import read_text

ORDINARY = """Ministers clash over river bridge as talks stall

ORSUND, March 11 (Nordline News) - Karvenia's foreign minister Teodor Vasko said on Tuesday
that his government "will not sign any agreement that leaves our farmers cut off", after six
hours of talks on the Doran river bridge ended without a deal.

The corrupt, warmongering regime in Velmarsk is lying again, the Daily Clarion wrote, while the
Orsund Herald reported that a second round was planned for 14 May.

About 1,200 trucks crossed the bridge each week before it was closed, customs figures show.
"""
UNICODE = """Talks on the bridge \u2014 \u00abno deal\u00bb, says Bellun \U0001F309

Bellun said: \u201cWe came in good faith\u201d. Caf\u00e9 owners in Z\u00fcrich and \u05d9\u05e8\u05d5\u05e9\u05dc\u05d9\u05dd
watched, and the word co\u0301operation (with a combining accent) and a zero\u200bwidth space,
a right-to-left mark \u200f and a soft\u00adhyphen all stayed in the text.

\u0645\u0641\u0627\u0648\u0636\u0627\u062a \u062c\u062f\u064a\u062f\u0629 mixed with English: the minister spoke for ten minutes.
"""
EMPTY_BODY = "A headline with nothing under it\n"
TEXTS = {"ordinary": ORDINARY, "unicode": UNICODE, "empty body": EMPTY_BODY, "one word": "Bridge"}
SOURCE = re.compile(r"^(rule|lexicon|model):\S+$")
# nlp adds sentences and entities, not findings; declared needs a page that labels itself; roles
# are given only on the war in Ukraine or climate change (tests/analyse/test_roles.py checks them there).
NOTHING_ON_ORDINARY = {"nlp", "declared", "roles"}


def shipped_components() -> list[str]:
    """Every component unspin registers (other tests register throwaway ones of their own)."""
    return [n for n in registered() if pipeline_module._REGISTRY[n].__module__.startswith("unspin.")]


def _prefix_to(name: str) -> list[str]:
    """The default pipeline up to and including ``name``: the components it reads from run first."""
    names = default_component_names()
    return names[: names.index(name) + 1] if name in names else [name]


@pytest.fixture(scope="module")
def pipelines():
    return {name: Pipeline(_prefix_to(name)) for name in shipped_components()}


def test_every_default_component_is_registered():
    assert set(default_component_names()) <= set(registered())


@pytest.mark.parametrize("name", shipped_components())
@pytest.mark.parametrize("kind", sorted(TEXTS))
def test_component_contract(pipelines, name, kind):
    article = clean_article(read_text(TEXTS[kind], f"conformance:{kind}"))
    pipeline = pipelines[name]
    before = Pipeline(pipeline.spec[0][:-1])(article.model_copy(deep=True)) if len(pipeline.spec[0]) > 1 else None
    doc = pipeline(article.model_copy(deep=True))
    assert doc.components[-1].startswith(f"{name}@")
    assert doc.article.original == TEXTS[kind]  # no component edits the text it reads
    original = doc.article.original
    earlier = {(f.kind, f.start, f.end, f.label) for f in (before.findings if before else [])}
    mine = [f for f in doc.findings if (f.kind, f.start, f.end, f.label) not in earlier]
    if kind == "ordinary" and name not in NOTHING_ON_ORDINARY:
        assert mine, f"{name} found nothing in the ordinary article: the checks below would be empty"
    declared = set(getattr(pipeline.components[-1], "assigns", ()))
    assert {f.kind for f in mine} <= declared, f"{name} adds kinds it does not declare in assigns"
    for f in mine:
        assert 0.0 <= f.confidence <= 1.0, f
        assert SOURCE.match(f.source), f.source
        assert f.explanation.strip(), f
        assert f.article_id == article.id
        if f.start is not None:
            assert f.end is not None and 0 <= f.start <= f.end <= len(original), f
            assert original[f.start : f.end] == f.text, (f.kind, f.label, f.text)
    for s in doc.sentences + doc.entities:
        assert original[s.start : s.end] == s.text
    again = pipeline(article.model_copy(deep=True))
    assert [f.model_dump() for f in again.findings] == [f.model_dump() for f in doc.findings]  # deterministic


@pytest.mark.parametrize("name", shipped_components())
def test_component_declares_what_it_needs_and_gives(name):
    comp = pipeline_module.build_component(name)
    parts = set(RECORD_PARTS) | set(KINDS)
    for field in ("requires", "reads", "assigns"):
        value = getattr(comp, field, ())
        assert isinstance(value, tuple) and set(value) <= parts, (name, field, value)
    assert comp.assigns, f"{name} gives nothing"


def test_a_pipeline_in_the_wrong_order_is_refused_with_what_to_do():
    with pytest.raises(PipelineOrderError, match="'quotes' reads 'parse', which nlp gives after it; put nlp before it"):
        Pipeline(["quotes", "nlp"])
    with pytest.raises(PipelineOrderError, match="'lexicon' reads 'quote', which quotes gives after it"):
        Pipeline(["nlp", "lexicon", "quotes"])
    with pytest.raises(PipelineOrderError, match="'claims' needs 'sentences'"):
        Pipeline(["claims"])
    assert Pipeline(["lexicon"]).components[0].name == "lexicon"  # what it reads is absent, not late: fine
    Pipeline()  # the default order passes its own check
