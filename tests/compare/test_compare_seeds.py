"""Acceptance check on the two motivating articles in ../shared/seeds (read at test time only):
read -> clean -> analyse -> compare must show the findings the seeds are known for."""

from __future__ import annotations

from functools import lru_cache

import pytest
from _paths import ROOT

from unspin.types import Comparison

SEEDS = ROOT / ".." / "shared" / "seeds"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present beside the checkout")


@lru_cache(maxsize=1)
def seed_comparison() -> tuple[Comparison, dict[str, str]]:
    from unspin.analyse.pipeline import Pipeline
    from unspin.clean import clean_article
    from unspin.compare import compare
    from unspin.read import read_inputs

    articles = [clean_article(a) for a in read_inputs(sorted(SEEDS.glob("*.txt")))]
    pipeline = Pipeline()
    analyses = [pipeline(a) for a in articles]
    titled = next(a.article.id for a in analyses if a.article.title is not None)
    untitled = next(a.article.id for a in analyses if a.article.title is None)
    c = compare(analyses)
    originals = {a.article.id: a.article.original for a in analyses}
    for f in c.findings:  # every finding points at its exact evidence
        assert originals[f.article_id][f.start : f.end] == f.text
    return c, {"titled": titled, "untitled": untitled}


def test_shared_zelensky_quote_with_speaker() -> None:
    c, _ = seed_comparison()
    shared = [f for f in c.of_kind("fidelity") if f.label in ("identical", "trimmed") and "cooled" in f.text]
    assert len(shared) == 2
    assert all("Zelensky" in (f.attrs["speaker"] or "") for f in shared)


def test_nato_wording_is_an_altered_rendering() -> None:
    c, ids = seed_comparison()
    altered = [f for f in c.of_kind("fidelity") if f.label == "altered"]
    quote_side = [f for f in altered if f.article_id == ids["untitled"] and "member of NATO" in f.text]
    assert quote_side, altered
    f = quote_side[0]
    assert "never join NATO" in f.attrs["other_text"] and f.attrs["other_kind"] == "reported_speech"
    assert any("never" in ch for ch in f.attrs["changes"]) and any("modality" in ch for ch in f.attrs["changes"])


def test_titled_seed_headline_flagged_against_its_body() -> None:
    c, ids = seed_comparison()
    heads = [f for f in c.of_kind("headline") if f.article_id == ids["titled"] and f.attrs["part"] == "headline"]
    assert heads and "Admits" in heads[0].text and "Never" in heads[0].text
    assert not [f for f in c.of_kind("headline") if f.article_id == ids["untitled"]]


def test_attribution_chain() -> None:
    c, ids = seed_comparison()
    g = c.attribution_graph
    label = {n["id"]: n["label"] for n in g["nodes"]}
    edges = {(label[e["source"]], label[e["target"]], e["relation"]) for e in g["edges"]}
    me = label[f"article:{ids['titled']}"]
    assert (me, "MSN", "cites_via") in edges and ("MSN", "Newsweek", "carries") in edges
    assert (me, "Daily Mail", "cites") in edges and (me, "The Sun", "cites") in edges


def test_only_here_claims_of_each() -> None:
    c, ids = seed_comparison()
    only = [f for f in c.of_kind("only_here") if f.label == "sentence"]
    untitled = [f.text for f in only if f.article_id == ids["untitled"]]
    titled = [f.text for f in only if f.article_id == ids["titled"]]
    assert any(t.startswith("In 2014") for t in untitled)
    assert any("Biden" in t and "summit" in t for t in titled)


def test_kiev_kyiv_contrast_and_summaries() -> None:
    c, ids = seed_comparison()
    pairs = {(f.text, f.attrs["other_text"]) for f in c.of_kind("contrast")}
    assert ("Kiev", "Kyiv") in pairs and ("Kyiv", "Kiev") in pairs
    assert "Newsweek" in c.per_article[ids["titled"]].attributions
