"""compare() end to end on hand-built analyses (findings in the documented conventions)."""

from __future__ import annotations

import pytest
from _compare_docs import make_analysis

from unspin.compare import CompareConfig, compare
from unspin.types import Comparison

PLANET = """Minister Anna Berg has said the northern bridge will not reopen this year.
"The bridge is not safe for traffic. We must repair it first," Berg told reporters in Kiev on Monday.
Engineers found 12 cracks in the main span, according to the city council.
In 1998, the bridge was rebuilt after a flood destroyed the old one."""

STAR = """Berg Admits Bridge Will Never Reopen
Anna Berg has declared that the northern bridge will never reopen.
Engineers found 15 cracks in the main span, the city council said, as reported by the Herald via Yahoo News.
"We must repair it first," Berg said in Kyiv, adding that traffic would move to the ferry.
Next month the council will vote on a new budget for roads."""


def planet(**kw):
    return make_analysis(
        PLANET, outlet="Daily Planet",
        quotes=[("The bridge is not safe for traffic. We must repair it first,", "Minister Anna Berg")],
        reported=[("the northern bridge will not reopen this year", "Anna Berg")],
        entities=[("Anna Berg", "PERSON"), ("Berg", "PERSON"), ("Kiev", "GPE")],
        terms=[("Kiev", {"id": "kiev", "neutral": "Kyiv", "category": "place-name"})],
        techniques=["Loaded_Language"], **kw,
    )


def star(**kw):
    return make_analysis(
        STAR, outlet="Evening Star", titled=True,
        quotes=[("We must repair it first,", "Berg")],
        reported=[("the northern bridge will never reopen", "Anna Berg")],
        entities=[("Anna Berg", "PERSON"), ("Berg", "PERSON"), ("Kyiv", "GPE"), ("Herald", "ORG")],
        attributions=[("as reported by the Herald via Yahoo News", "the Herald", ["Yahoo News"])], **kw,
    )


def _assert_spans_exact(c: Comparison, docs) -> None:
    originals = {d.article.id: d.article.original for d in docs}
    for f in c.findings:
        assert f.article_id in originals
        assert originals[f.article_id][f.start : f.end] == f.text, f
        assert 0.0 <= f.confidence <= 1.0 and f.source.startswith("rule:compare/") and f.explanation
        if "other_article_id" in f.attrs and "other_start" in f.attrs:
            o = originals[f.attrs["other_article_id"]]
            assert o[f.attrs["other_start"] : f.attrs["other_end"]] == f.attrs["other_text"]


def test_compare_finds_shared_quote_with_speaker_and_only_here_sentences() -> None:
    docs = [planet(), star()]
    c = compare(docs, config=CompareConfig(use_encoder=False))
    _assert_spans_exact(c, docs)
    p, s = (d.article.id for d in docs)
    fid = c.of_kind("fidelity")
    assert {(f.article_id, f.label, f.text) for f in fid} == {
        (p, "identical", "We must repair it first,"),
        (s, "identical", "We must repair it first,"),
    }
    assert all(f.attrs["speaker"] for f in fid)
    only = {(f.article_id, f.text) for f in c.of_kind("only_here") if f.label == "sentence"}
    assert (p, "In 1998, the bridge was rebuilt after a flood destroyed the old one.") in only
    assert (s, "Next month the council will vote on a new budget for roads.") in only
    shared = {f.article_id: f for f in c.of_kind("shared") if "cracks" in f.text}
    assert set(shared) == {p, s} and shared[p].attrs["numbers_agree"] is False


def test_numbers_that_disagree_are_flagged_on_both_sides() -> None:
    docs = [planet(), star()]
    c = compare(docs, config=CompareConfig(use_encoder=False))
    nums = {(f.article_id, f.text, f.attrs["other_text"]) for f in c.of_kind("number")}
    p, s = (d.article.id for d in docs)
    assert nums == {(p, "12", "15"), (s, "15", "12")}


def test_wording_contrast_kiev_kyiv_both_sides() -> None:
    docs = [planet(), star()]
    c = compare(docs, config=CompareConfig(use_encoder=False))
    contrasts = {(f.article_id, f.text, f.attrs["other_text"]) for f in c.of_kind("contrast")}
    p, s = (d.article.id for d in docs)
    assert contrasts == {(p, "Kiev", "Kyiv"), (s, "Kyiv", "Kiev")}
    assert c.per_article[p].terms[0].text == "Kiev"


def test_two_forms_of_one_loaded_entry_are_no_contrast() -> None:
    puppet = {"id": "puppet", "neutral": "ally", "category": "loaded"}
    a = make_analysis("The puppet government in Rusk refused to talk on Monday.", outlet="A",
                      terms=[("puppet government", puppet)])
    b = make_analysis("The puppet envoy of the junta refused to talk on Monday.", outlet="B",
                      terms=[("puppet", puppet)])
    neutral = make_analysis("The ally of the government refused to talk on Monday.", outlet="C")
    c = compare([a, b, neutral], config=CompareConfig(use_encoder=False))
    pairs = {(f.text, f.attrs["other_text"]) for f in c.of_kind("contrast")}
    assert ("puppet government", "puppet") not in pairs and ("puppet", "puppet government") not in pairs
    assert ("puppet", "ally") in pairs and ("ally", "puppet government") in pairs


def test_headline_flags_absolute_and_concession_the_body_lacks() -> None:
    docs = [planet(), star()]
    c = compare(docs, config=CompareConfig(use_encoder=False))
    s = docs[1].article.id
    labels = {(f.article_id, f.label) for f in c.of_kind("headline")}
    assert (s, "headline:absolute") in labels and (s, "headline:concession") in labels
    # the lede repeats the headline's absolute: one finding, the headline's, that notes the lede
    assert (s, "lede:absolute") not in labels
    (absolute,) = [f for f in c.of_kind("headline") if f.article_id == s and f.label == "headline:absolute"]
    assert absolute.attrs["lede_too"]
    assert not any(a == docs[0].article.id for a, _ in labels)


def test_attribution_chain_and_per_article_summary() -> None:
    docs = [planet(), star()]
    c = compare(docs, config=CompareConfig(use_encoder=False))
    g = c.attribution_graph
    labels = {n["id"]: n["label"] for n in g["nodes"]}
    path = [(labels[e["source"]], labels[e["target"]], e["relation"]) for e in g["edges"]]
    assert path == [("Evening Star", "Yahoo News", "cites_via"), ("Yahoo News", "the Herald", "carries")]
    for e in g["edges"]:
        assert STAR[e["start"] : e["end"]] == e["text"]
    p, s = (d.article.id for d in docs)
    assert c.per_article[s].attributions == ["Yahoo News", "the Herald"]
    assert c.per_article[p].techniques == {"Loaded_Language": 1}
    assert "Herald" in c.per_article[s].entities_only_here
    assert c.per_article[p].counts["fidelity"] == 1


def test_quote_only_one_article_has() -> None:
    a = make_analysis(
        'Berg said the ferry will run all winter.\n"Nobody will be stranded on the island," Berg said.',
        outlet="A", quotes=[("Nobody will be stranded on the island,", "Berg")],
    )
    b = make_analysis("Berg said the ferry will run all winter, the council confirmed.", outlet="B")
    c = compare([a, b], config=CompareConfig(use_encoder=False))
    only = [f for f in c.of_kind("only_here") if f.label == "quote"]
    assert [(f.article_id, f.text) for f in only] == [(a.article.id, "Nobody will be stranded on the island,")]
    assert c.per_article[a.article.id].quotes_only_here == 1


def test_altered_quote_against_reported_speech_of_same_speaker_only() -> None:
    text_a = '"Our country is not a member of the union," Premier Lund said on Friday.'
    text_b = "Premier Lund declared that the country will never join the union, officials said."
    text_c = "Mayor Holm declared that the country will never join the union, officials said."
    a = make_analysis(text_a, outlet="A", quotes=[("Our country is not a member of the union,", "Premier Lund")])
    b = make_analysis(text_b, outlet="B", reported=[("the country will never join the union", "Premier Lund")])
    cc = make_analysis(text_c, outlet="C", reported=[("the country will never join the union", "Mayor Holm")])
    c = compare([a, b], config=CompareConfig(use_encoder=False))
    fid = c.of_kind("fidelity")
    assert {f.label for f in fid} == {"altered"} and len(fid) == 2
    f = next(f for f in fid if f.article_id == a.article.id)
    assert f.attrs["other_kind"] == "reported_speech" and f.attrs["speaker"] == "Premier Lund"
    assert any("never" in ch for ch in f.attrs["changes"]) and any("will" in ch for ch in f.attrs["changes"])
    # Another speaker's words are not a rendering of Lund's quote.
    assert compare([a, cc], config=CompareConfig(use_encoder=False)).of_kind("fidelity") == []


def test_partial_quote_with_a_word_replaced_is_paired() -> None:
    # Outlet B quotes four words of the governor's sentence and changes one of them.
    text_a = '"Price pressures remain broad and we judge that further tightening is warranted," Governor Sand said.'
    text_b = 'Governor Sand declared that "further tightening is needed" on Thursday.'
    a = make_analysis(text_a, outlet="A", quotes=[
        ("Price pressures remain broad and we judge that further tightening is warranted,", "Governor Sand")])
    b = make_analysis(text_b, outlet="B", quotes=[("further tightening is needed", "Governor Sand")])
    c = compare([a, b], config=CompareConfig(use_encoder=False))
    fid = c.of_kind("fidelity")
    assert len(fid) == 2 and {f.label for f in fid} == {"paraphrased"}
    f = next(f for f in fid if f.article_id == b.article.id)
    assert f.attrs["changes"] == ["words replaced: needed -> warranted"]
    assert "needed -> warranted" in f.explanation
    assert not [f for f in c.of_kind("only_here") if f.label == "quote"]


def test_actor_swapped_articles_get_mirrored_findings() -> None:
    def pair(actor: str):
        a = make_analysis(
            f'"We will never accept these borders," the {actor} spokesman said.\nTalks resume on Monday.',
            outlet="A", quotes=[("We will never accept these borders,", f"{actor} spokesman")],
        )
        b = make_analysis(
            f"The {actor} spokesman said they would not accept the borders.\nTalks resume on Monday.",
            outlet="B", reported=[("they would not accept the borders", f"{actor} spokesman")],
        )
        c = compare([a, b], config=CompareConfig(use_encoder=False))
        return sorted((f.kind, f.label, f.text.replace(actor, "X")) for f in c.findings)

    assert pair("Kremlin") == pair("White House")


def test_not_analysed_article_is_listed_but_not_compared() -> None:
    a = planet()
    other = make_analysis("Le pont du nord restera ferm\u00e9 cette ann\u00e9e.", outlet="Le Soir")
    other.status, other.status_reason = "not_analysed", "language 'fr' is not analysed (English only)"
    c = compare([a, other, a], config=CompareConfig(use_encoder=False))
    assert list(c.per_article) == [a.article.id, other.article.id]
    assert c.per_article[other.article.id].status == "not_analysed"
    assert all(f.article_id == a.article.id for f in c.findings)
    assert not c.of_kind("shared", "only_here", "fidelity")


def test_with_sentence_encoder_paraphrase_is_shared() -> None:
    from unspin.group.vectors import TextVectors

    vectors = TextVectors()
    if vectors.kind != "encoder":
        pytest.skip("sentence encoder weights not installed")
    a = make_analysis("Police arrested two men after the robbery.", outlet="A")
    b = make_analysis("Two suspects were detained by officers following the robbery.", outlet="B")
    lexical_only = compare([a, b], config=CompareConfig(use_encoder=False))
    with_encoder = compare([a, b], vectors=vectors)
    assert not lexical_only.of_kind("shared")  # few shared words: lexical overlap alone misses it
    shared = with_encoder.of_kind("shared")
    assert {f.article_id for f in shared} == {a.article.id, b.article.id}
    assert all(f.attrs["semantic"] >= CompareConfig().align.shared_semantic for f in shared)


def test_names_only_here_know_contested_spellings_and_skip_the_own_outlet() -> None:
    kiev = {"id": "kiev", "neutral": "Kyiv", "category": "contested-name"}
    a = make_analysis(
        "Talks in Kiev ended on Monday, Mayor Lund told the Herald.", outlet="The Valley Herald",
        terms=[("Kiev", kiev)], entities=[("Kiev", "GPE"), ("Lund", "PERSON"), ("Herald", "ORG")],
    )
    b = make_analysis(
        "Talks in Kyiv ended on Monday, said Anna Berg.", outlet="Wire",
        entities=[("Kyiv", "GPE"), ("Anna Berg", "PERSON")],
    )
    c = compare([a, b], config=CompareConfig(use_encoder=False))
    assert c.per_article[a.article.id].entities_only_here == ["Lund"]
    assert c.per_article[b.article.id].entities_only_here == ["Anna Berg"]


def test_a_subheading_taken_for_a_name_is_not_a_name_only_here() -> None:
    a = make_analysis(
        "Mayor Lund opened the bridge on Monday.\nBridge Costs May Rise Again\nLund said tolls would stay.",
        outlet="A", entities=[("Lund", "PERSON"), ("Bridge Costs May Rise Again", "ORG")],
    )
    b = make_analysis("The bridge opened on Monday, said Anna Berg.", outlet="B", entities=[("Anna Berg", "PERSON")])
    c = compare([a, b], config=CompareConfig(use_encoder=False))
    assert c.per_article[a.article.id].entities_only_here == ["Lund"]


def test_a_portfolio_cut_off_a_job_title_is_not_a_name_only_here() -> None:
    a = make_analysis(
        "Interior Minister Tomas Brecht and the UN Secretary-General spoke on Monday.", outlet="A",
        entities=[("Interior", "ORG"), ("Tomas Brecht", "PERSON"), ("UN", "ORG")],
    )
    b = make_analysis("The talks opened on Monday, said Anna Berg.", outlet="B", entities=[("Anna Berg", "PERSON")])
    c = compare([a, b], config=CompareConfig(use_encoder=False))
    assert c.per_article[a.article.id].entities_only_here == ["Tomas Brecht", "UN"]


def test_a_person_the_tagger_calls_an_organisation_elsewhere_is_still_shared() -> None:
    a = make_analysis("The talks failed, negotiator Marieke de Vries said.", outlet="A",
                      entities=[("Marieke de Vries", "PERSON")])
    b = make_analysis("Marieke de Vries, the negotiator, told Anna Berg the talks failed.", outlet="B",
                      entities=[("Marieke de Vries", "ORG"), ("Anna Berg", "PERSON")])
    c = compare([a, b], config=CompareConfig(use_encoder=False))
    assert c.per_article[a.article.id].entities_only_here == []
    assert c.per_article[b.article.id].entities_only_here == ["Anna Berg"]


def test_a_name_only_here_is_shown_without_its_possessive() -> None:
    a = make_analysis(
        "Mayor Lund's plan passed on Monday, Mayor Lund said.", outlet="A",
        entities=[("Mayor Lund's", "PERSON"), ("Lund", "PERSON")],
    )
    b = make_analysis("The plan passed on Monday, said Anna Berg.", outlet="B", entities=[("Anna Berg", "PERSON")])
    c = compare([a, b], config=CompareConfig(use_encoder=False))
    assert c.per_article[a.article.id].entities_only_here == ["Mayor Lund"]


def test_an_only_here_sentence_that_is_a_claim_says_so() -> None:
    from unspin.types import Finding

    a = make_analysis(
        "The ferry strike began on Monday in Lund.\nOfficials said 40 crossings were cancelled by noon.",
        outlet="A", entities=[("Lund", "GPE")],
    )
    b = make_analysis("The ferry strike began on Monday in Lund.", outlet="B", entities=[("Lund", "GPE")])
    original = a.article.original
    start = original.index("Officials")
    figure = original.index("40 crossings")
    a.findings.append(Finding(
        kind="claim", label="figure", start=start, end=len(original), text=original[start:],
        confidence=0.7, source="rule:claims", article_id=a.article.id,
        attrs={"kinds": ["figure"], "cues": [{"kind": "figure", "start": figure, "end": figure + 12,
                                               "text": "40 crossings"}]},
    ))
    # a one-word quote in that sentence is only here too, but it holds no figure: it is no claim
    word = original.index("cancelled")
    a.findings.append(Finding(
        kind="quote", label="direct", start=word, end=word + 9, text="cancelled", confidence=0.6,
        source="rule:quote-partial", article_id=a.article.id, attrs={"speaker": "Officials"},
    ))
    c = compare([a, b], config=CompareConfig(use_encoder=False))
    only = [f for f in c.of_kind("only_here") if f.article_id == a.article.id]
    assert sorted((f.text, f.attrs.get("claim")) for f in only) == [
        ("Officials said 40 crossings were cancelled by noon.", ["figure"]), ("cancelled", None),
    ]
    only.sort(key=lambda f: -len(f.text))
    assert only[0].explanation.endswith("It is a check-worthy claim (figure).")
    assert all("claim" not in f.attrs for f in c.of_kind("shared"))


def test_a_value_only_one_side_gives_is_an_omission_not_a_disagreement() -> None:
    a = make_analysis("Annual inflation was 5.1% in April, down from 5.6% in March, the office said.", outlet="Wire")
    b = make_analysis("Annual inflation fell to 5.1% in April, official figures show.", outlet="Tabloid")
    c = compare([a, b], config=CompareConfig(use_encoder=False))
    assert c.of_kind("number") == []


def test_counts_of_the_same_thing_disagree_even_in_a_looser_pair() -> None:
    # not close enough to be "shared", too close to be "only here": the board's vote still differs
    a = make_analysis("Two of the seven board members voted for a cut of a quarter point, the minutes showed.",
                      outlet="Wire")
    b = make_analysis("Three of the seven board members wanted lower rates, the paper understands.", outlet="Tabloid")
    c = compare([a, b], config=CompareConfig(use_encoder=False))
    got = {(f.article_id, f.text, f.attrs["other_text"]) for f in c.of_kind("number")}
    assert got == {(a.article.id, "Two", "Three"), (b.article.id, "Three", "Two")}
    assert not c.of_kind("shared")


def test_a_speaker_named_with_whose_phrase_keys_like_the_bare_role() -> None:
    from unspin.compare.units import speaker_key

    assert speaker_key("the Russian ambassador to Mexico") == speaker_key("the Russian ambassador") == "ambassador"
    assert speaker_key("Volodymyr Zelensky") == "zelensky"


def test_quote_groups_put_the_reference_first_and_say_what_each_rendering_is_compared_with():
    from datetime import UTC, datetime

    from unspin.compare.quote_groups import quote_groups
    from unspin.types import Finding

    texts = {"a": "We will not sign any deal that cuts off our farmers", "b": "We may never sign any deal",
             "c": "never sign any deal"}

    def link(this, other, label, changes=()):
        return Finding(kind="fidelity", label=label, start=0, end=len(texts[this]), text=texts[this], confidence=0.8,
                       source="rule:test", article_id=this,
                       attrs={"speaker": "Vera Holm", "other_article_id": other, "other_start": 0,
                              "other_end": len(texts[other]), "other_text": texts[other], "changes": list(changes)})

    # a-b and b-c matched, both ways; a-c never directly
    found = [link("a", "b", "altered", ["modality: will -> may"]), link("b", "a", "altered", ["modality: may -> will"]),
             link("b", "c", "trimmed"), link("c", "b", "trimmed")]
    (group,) = quote_groups(found, {"a": datetime(2024, 1, 1, tzinfo=UTC), "b": None, "c": None})
    assert group.speaker == "Vera Holm"
    assert [r.article_id for r in group.renderings] == ["a", "b", "c"]  # dated first, then the fullest
    ref, b, c = group.renderings
    assert ref.verdict is None and ref.diff == []
    assert (b.verdict, b.changes, b.compared_with) == ("altered", ["modality: will -> may"], "a")
    assert [(d.op, d.text) for d in b.diff][:3] == [("equal", "We"), ("delete", "will not"), ("insert", "may never")]
    assert (c.verdict, c.compared_with) == ("trimmed", "b")  # against the rendering it was matched with


def test_the_same_articles_in_another_order_give_the_same_names_and_top_divergence():
    """The report reads its inputs in the order given, the web app in the store's: both must name
    the articles, and the story's top divergence, alike."""
    from _articles import analyse

    from unspin.compare import CompareConfig, compare

    texts = [
        ('"The companies left us no choice," negotiator Vera Holm told reporters on Monday.', "Wire"),
        ('Vera Holm said: "The companies left us no choice at all."', "Wire"),
        ('Firebrand Vera Holm ranted: "The companies will never give us a choice."', "Tabloid"),
    ]
    docs = []
    for text, outlet in texts:
        doc = analyse(text, ["nlp", "quotes"])
        doc.article.outlet = outlet
        docs.append(doc)
    cfg = CompareConfig(use_encoder=False)
    one, two = compare(docs, config=cfg), compare(list(reversed(docs)), config=cfg)
    assert one.labels == two.labels
    assert sorted(one.labels.values()) == ["Tabloid", "Wire (1)", "Wire (2)"]
    assert one.top_divergence and one.top_divergence == two.top_divergence
    assert [[r.article_id for r in g.renderings] for g in one.quote_groups] == \
        [[r.article_id for r in g.renderings] for g in two.quote_groups]
