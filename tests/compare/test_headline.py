"""Headline and lede versus body, on hand-written articles."""

from __future__ import annotations

from _compare_docs import make_analysis

from unspin.compare.headline import headline_findings, markers
from unspin.compare.units import body_units, speeches


def flags(doc) -> set[str]:
    return {f.label for f in headline_findings(doc, body_units(doc), speeches(doc))}


def test_markers() -> None:
    assert markers("Mayor Admits City Will Never Pay") == {
        "absolute": ["never"], "concession": ["admits"], "certainty": ["will"],
    }
    assert "certainty" not in markers("Mayor says city may never pay")  # hedged
    assert markers("Council approves budget for roads") == {}


def test_unsupported_absolute_and_concession_in_headline_are_flagged() -> None:
    text = (
        "Mayor Admits City Will Never Repay The Loan\n"
        "The city faces a difficult year, Mayor Tom Reed said on Monday.\n"
        '"Repaying the loan will take longer than we hoped," Reed said.\n'
        "Reed said the council would discuss the loan in June."
    )
    doc = make_analysis(text, titled=True, quotes=[("Repaying the loan will take longer than we hoped,", "Tom Reed")],
                        entities=[("Mayor Tom Reed", "PERSON"), ("Reed", "PERSON")])
    got = headline_findings(doc, body_units(doc), speeches(doc))
    assert {f.label for f in got} == {"headline:absolute", "headline:concession"}
    for f in got:
        assert text[f.start : f.end] == f.text == "Mayor Admits City Will Never Repay The Loan"


def test_headline_supported_by_a_quote_is_not_flagged() -> None:
    text = (
        "Mayor Says City Will Never Sell The Port\n"
        "The council met on Monday to discuss the budget.\n"
        '"We will never sell the port," Mayor Tom Reed said.\n'
    )
    doc = make_analysis(text, titled=True, quotes=[("We will never sell the port,", "Mayor Tom Reed")],
                        entities=[("Tom Reed", "PERSON")])
    assert flags(doc) == set()


def test_another_speakers_words_do_not_support_the_headline() -> None:
    text = (
        "Reed Admits Port Will Never Be Sold\n"
        "The council met on Monday to discuss the port.\n"
        '"The port will never be sold," said Ana Costa, a rival councillor.\n'
        "Reed acknowledged the port had lost money this year.\n"
    )
    doc = make_analysis(text, titled=True, quotes=[("The port will never be sold,", "Ana Costa")],
                        entities=[("Reed", "PERSON"), ("Ana Costa", "PERSON")])
    # "never" comes only from Costa; "acknowledged" in a sentence about Reed supports "admits".
    assert flags(doc) == {"headline:absolute"}


def test_lede_is_checked_and_neutral_wire_copy_is_not_flagged() -> None:
    wire = make_analysis(
        "Rail Strike Set For Tuesday\n"
        "Train drivers will strike on Tuesday after talks on pay failed, the union said.\n"
        "The union said the strike would last 24 hours.\n",
        titled=True,
    )
    assert flags(wire) == set()
    lede = make_analysis(
        "The union has declared that every train will stop for good, its leader Mia Ross said.\n"
        '"Some services may be cut next week," Ross told reporters about the trains.\n',
        quotes=[("Some services may be cut next week,", "Mia Ross")],
        entities=[("Mia Ross", "PERSON"), ("Ross", "PERSON")],
    )
    assert flags(lede) == {"lede:absolute", "lede:certainty"}


def test_actor_swap_gives_same_headline_flags() -> None:
    def run(actor: str) -> set[str]:
        doc = make_analysis(
            f"{actor} Admits Talks Will Always Fail\n"
            f"Officials in {actor} said on Monday that talks might resume later.\n",
            titled=True,
        )
        return flags(doc)

    assert run("Moscow") == run("Washington") != set()


def test_a_quantifier_in_an_unattributed_lede_is_reporting_not_a_claim() -> None:
    wire = make_analysis(
        "Ferry strike halts crossings\n"
        "Ferry crews stopped work on Monday, halting all crossings to the islands.\n"
        "Freight services ran normally, and talks are planned for Wednesday.\n",
        titled=True,
    )
    assert flags(wire) == set()
    strong = make_analysis(
        "Ferry strike halts crossings\n"
        "Ferry crews will never return to work under the old contract.\n"
        "Talks are planned for Wednesday between the crews and the operator.\n",
        titled=True,
    )
    assert flags(strong) == {"lede:absolute"}
    headline = make_analysis(
        "Strike halts all crossings to the islands\n"
        "Ferry crews stopped work on Monday and two of five crossings to the islands were cancelled.\n",
        titled=True,
    )
    assert flags(headline) == {"headline:absolute"}  # a headline's "all" still has to be borne out


def _loaded_doc(actor: str, body_word: str | None) -> object:
    thugs = {"id": "thug", "category": "loaded", "in_quote": False}
    text = (
        f"{actor} Thugs Shell The Harbour\n"
        f"Shells hit the harbour on Monday, officials said.\n"
        + (f'"These {body_word} will pay," the mayor said.\n' if body_word else "The mayor called for calm.\n")
    )
    terms = [("Thugs", thugs)] + ([(body_word, dict(thugs, in_quote=True))] if body_word else [])
    return make_analysis(text, titled=True, terms=terms)


def test_a_judging_word_only_the_headline_uses_is_flagged_alike_for_either_side() -> None:
    got = [headline_findings(d, body_units(d), speeches(d)) for d in (_loaded_doc("Kremlin", None),
                                                                       _loaded_doc("Kyiv", None))]
    for found in got:
        (f,) = [x for x in found if x.label == "headline:loaded"]
        assert f.attrs["markers"] == ["Thugs"] and f.text.endswith("Thugs Shell The Harbour")
        assert f.attrs["terms"][0]["label"] == "thug" and 0 < f.confidence < 1
    assert [f.explanation for f in got[0]] == [f.explanation for f in got[1]]


def test_a_judging_word_the_body_also_uses_even_in_a_quote_is_not_flagged() -> None:
    assert "headline:loaded" not in flags(_loaded_doc("Kremlin", "thugs"))


def test_a_lede_repeating_the_headline_is_flagged_once() -> None:
    text = (
        "Mayor Admits City Will Never Repay The Loan\n"
        "The mayor admits the city will never repay the loan, officials said on Monday.\n"
        "The council will discuss the budget in June."
    )
    doc = make_analysis(text, titled=True)
    got = headline_findings(doc, body_units(doc), speeches(doc))
    labels = sorted(f.label for f in got)
    assert labels == ["headline:absolute", "headline:concession"]  # not the lede's copies as well
    lede = text.index("The mayor admits")
    assert all(f.attrs["lede_too"][0] == lede and f.explanation.endswith("The lede repeats it.") for f in got)
