"""lexicon component: contested and loaded wording, versioned lists, even-handedness."""

import pytest
from _articles import analyse

from unspin.analyse.lexicon import CATEGORIES, LexiconError, expand_braces, load_lexicon

TERMS = ["nlp", "quotes", "lexicon"]


def terms(text):
    doc = analyse(text, TERMS)
    original = doc.article.original
    found = doc.of_kind("term")
    for f in found:
        assert original[f.start : f.end] == f.text
        assert f.source.startswith("lexicon:") and "@" in f.source
        assert f.source == "lexicon:" + f.attrs["lexicon"]
        assert 0.0 <= f.confidence <= 1.0 and f.explanation
    return found


def signature(findings):
    return sorted((f.label, f.attrs["category"], f.attrs["side"]) for f in findings)


@pytest.mark.parametrize(
    ("sentence", "label", "category"),
    [
        ("Shelling resumed near Kharkov overnight.", "kharkov", "contested-name"),
        ("Troops moved toward Lugansk at dawn.", "lugansk", "contested-name"),
        ("The special military operation entered its third week.", "special-military-operation", "euphemism"),
        ("Columns advanced to liberate the town from its defenders.", "liberation", "euphemism"),
        ("Commentators praised the heroic defenders of the city.", "heroic", "loaded"),
        ("Soldiers mocked the orcs retreating across the river.", "orcs", "dehumanising"),
        ("The channel blamed the collective West for the shortages.", "collective-west", "conspiratorial"),
        ("The host accused critics of Russophobia.", "russophobia", "conspiratorial"),
        ("Both governments spoke of genocide in the region.", "genocide", "contested-claim"),
        ("Officials of the self-proclaimed republic held a vote.", "self-proclaimed", "delegitimising"),
        ("Crimea voted to rejoin Russia in a disputed poll.", "reunification", "euphemism"),
        ("Fat-cat executives awarded themselves another rise.", "fat-cat", "loaded"),
        ("The greedy landlords raised the rent again.", "greed", "loaded"),
        ("Ministers accused the report's authors of scaremongering.", "scaremongering", "loaded"),
        ("The firm's spin doctor denied everything.", "spin-doctor", "loaded"),
        ("A militant union shut the depot.", "agitator", "loaded"),
        ("The minister handed contracts to his cronies.", "stooge", "loaded"),
        ("Protesters called the senator a traitor.", "traitor", "loaded"),
        ("Only a lunatic would sign that deal.", "lunatic", "loaded"),
        ("The tyrant silenced the press.", "tyrant", "loaded"),
        ("It was a shameful decision by the council.", "disgraceful", "loaded"),
        ("Workers rejected the paltry offer.", "paltry", "loaded"),
        ("The union's demand amounts to blackmail.", "blackmail", "loaded"),
        ("The paper railed against benefit scroungers.", "scrounger", "dehumanising"),
        ("The leaflet warned of a migrant invasion.", "migrant-invasion", "dehumanising"),
        ("The column blamed the woke mob for the cancelled talk.", "woke", "loaded"),
        ("The out-of-touch elite ignored the vote.", "elites", "loaded"),
        ("An angry mob gathered outside parliament.", "mob", "loaded"),
        ("The blogger blamed the deep state for the leak.", "deep-state", "conspiratorial"),
        ("The channel called the shelling a false flag.", "false-flag", "contested-claim"),
        ("Posts called the outbreak a plandemic.", "plandemic", "conspiratorial"),
        ("Ivory-tower economists at the bank raised rates again.", "ivory-tower", "loaded"),
        ("Faceless technocrats set the rules.", "faceless-officials", "loaded"),
        ("The bank must stop this madness.", "madness", "loaded"),
        ("Out-of-touch bankers hammer families again.", "out-of-touch", "loaded"),
        ("A reckless cabal of advisers ran the ministry.", "cabal", "conspiratorial"),
        ("The bunglers at the ministry want a medal.", "bungler", "loaded"),
        ("The rollout was a fiasco from the start.", "fiasco", "loaded"),
        ("The minister's arrogance cost the town dearly.", "arrogant", "loaded"),
        ("Spineless councillors waved the plan through.", "coward", "loaded"),
        ("The senator's hypocrisy is breathtaking.", "hypocrite", "loaded"),
    ],
)
def test_each_category(sentence, label, category):
    found = terms(sentence)
    assert [(f.label, f.attrs["category"]) for f in found] == [(label, category)]
    assert found[0].attrs["neutral"]


def test_inflections_match():
    found = terms(
        "Warmongers and warmongering pundits met; the warmonger spoke of denazification and to de-Nazify."
    )
    assert [f.label for f in found] == [
        "warmonger",
        "warmonger",
        "warmonger",
        "denazification",
        "denazification",
    ]


def test_longest_match_wins_overlaps():
    found = terms("The post-coup government faced neo-Nazi marches in Kyiv after 2014.")
    assert [f.text for f in found] == ["post-coup", "neo-Nazi"]


def test_fixed_names_are_not_findings():
    assert terms("The menu offered chicken Kiev and the Kiev Post reviewed it.") == []
    (f,) = terms("Delegates flew to Kiev on Monday.")
    assert f.label == "kiev" and f.attrs["neutral"] == "Kyiv"


def test_context_words_gate_ambiguous_entries():
    assert terms("The coup in the small kingdom failed within hours.") == []
    (f,) = terms("In 2014 a coup in Kyiv ousted the president, the channel said.")
    assert f.label == "coup"


def test_neutral_wire_sentence_gets_no_term():
    sentence = (
        "Russia annexed Crimea in 2014. On Tuesday, Ukrainian forces recaptured two villages near Kharkiv, "
        "the defence ministry in Kyiv said, and Russian officials in Moscow said talks would continue."
    )
    assert terms(sentence) == []


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("The warmongering Kremlin rejected the offer.", "The warmongering White House rejected the offer."),
        ("Analysts called the Kyiv regime unstable.", "Analysts called the Moscow regime unstable."),
        (
            "The puppet government in Kyiv signed the deal.",
            "The puppet government in Moscow signed the deal.",
        ),
        ("Critics dismissed the Kremlin propaganda.", "Critics dismissed the Ukrainian propaganda."),
        ("He called Russia a terrorist state.", "He called Ukraine a terrorist state."),
        ("The brutal Russian assault continued.", "The brutal Ukrainian assault continued."),
        ("Putin's bloodthirsty war machine sent hordes into the meat grinder.",
         "Zelensky's bloodthirsty war machine sent hordes into the meat grinder."),
        ("Zombified Russians cheered the Kremlin's war hysteria.",
         "Zombified Ukrainians cheered Kyiv's war hysteria."),
        ("Greedy bosses at Nordline refused to talk.", "Greedy union leaders at Nordline refused to talk."),
        ("The Labour spin doctor denied it.", "The Conservative spin doctor denied it."),
        ("Fat-cat bankers in London cashed in.", "Fat-cat bankers in Moscow cashed in."),
        ("The Kremlin's cronies got the contracts.", "The White House's cronies got the contracts."),
        ("The tyrant in Minsk jailed critics.", "The tyrant in Washington jailed critics."),
        ("Kyiv staged a false flag, the channel said.", "Moscow staged a false flag, the channel said."),
        ("A left-wing mob blocked the road.", "A right-wing mob blocked the road."),
        ("Faceless eurocrats in Brussels cooked up the rule.", "Faceless bureaucrats in London cooked up the rule."),
        ("A cabal of Kremlin insiders wrote the plan.", "A cabal of White House insiders wrote the plan."),
        ("The arrogant bunglers in the Kremlin botched the flood response.",
         "The arrogant bunglers in the White House botched the flood response."),
        ("Kyiv's spineless hypocrites blamed everyone else.", "Moscow's spineless hypocrites blamed everyone else."),
        ("The union's chief ranted on air after the reckless strike held the port to ransom.",
         "The company's chief ranted on air after the reckless lockout held the port to ransom."),
    ],
)
def test_actor_swap_gives_same_findings(left, right):
    a, b = terms(left), terms(right)
    assert a, left
    assert signature(a) == signature(b)
    assert [f.confidence for f in a] == [f.confidence for f in b]


def test_actor_swap_records_the_target():
    (a,) = terms("The warmongering Kremlin rejected the offer.")
    (b,) = terms("The warmongering White House rejected the offer.")
    assert a.attrs["target"] == "Kremlin" and b.attrs["target"] == "White House"


def test_regime_target_and_extra_spelling_finding():
    found = terms("Analysts called the Kiev regime unstable.")
    assert sorted(f.label for f in found) == ["kiev", "regime"]
    regime = next(f for f in found if f.label == "regime")
    assert regime.attrs["target"] == "Kiev" and regime.attrs["side"] == "any"
    assert regime.confidence < 0.7  # context-dependent entry


def test_term_inside_quote_is_attributed_to_speaker():
    text = '"The Kiev regime will fall," Sergei Volkov said on state television.'
    found = terms(text)
    assert {f.label for f in found} == {"kiev", "regime"}
    for f in found:
        assert f.attrs["in_quote"] is True
        assert f.attrs["speaker"] == "Sergei Volkov"


def test_term_outside_quote_is_the_writers():
    (f,) = terms('The warmongering general arrived, and "we will talk," Dmytro Koval said.')
    assert f.attrs["in_quote"] is False and f.attrs["speaker"] is None


def test_term_in_scare_quotes_is_marked():
    (f,) = terms("The 'denazification' went on all evening on the state channel.")
    assert f.attrs.get("scare_quoted") is True and f.attrs["in_quote"] is False


def test_a_term_someone_repeats_in_quote_marks_is_theirs():
    # "repeating" reports the channel's own word: a quotation of the channel, not the writer's distance
    (f,) = terms("The state channel kept repeating 'denazification' all evening.")
    assert f.attrs["in_quote"] is True and f.attrs["speaker"] == "The state channel"


def test_required_entries_exist_with_both_sides_covered():
    lex = load_lexicon()
    ids = {e.id for e in lex.entries}
    for needed in (
        "kiev",
        "kharkov",
        "odessa",
        "lugansk",
        "special-military-operation",
        "coup",
        "regime",
        "warmonger",
        "denazification",
        "neo-nazi",
        "reunification",
        "liberation",
        "puppet",
        "terrorist-state",
        "orcs",
        "rashists",
        "khokhol",
        "nazi",
        "genocide",
        "butcher",
        "thug",
        "mouthpiece",
        "propaganda",
        "heroic",
        "courageous",
        "brutal",
        "illegal-invasion",
        "anglo-saxons",
        "collective-west",
        "russophobia",
        "eastward-expansion",
        "civil-war",
        "self-proclaimed",
        "bloodthirsty",
        "war-machine",
        "meat-grinder",
        "horde",
        "vatnik",
        "banderite",
    ):
        assert needed in ids, needed
    sides = {e.side for e in lex.entries}
    assert sides == {"pro-Kremlin", "pro-Ukraine", "any"}
    assert {e.category for e in lex.entries} <= CATEGORIES
    assert all("@" in f for f in lex.files)


def test_brace_expansion():
    assert expand_braces("warmonger{,s,ing}") == ["warmonger", "warmongers", "warmongering"]
    assert expand_braces("demilitari{z,s}e") == ["demilitarize", "demilitarise"]


def test_malformed_lexicon_is_a_clear_error(tmp_path):
    (tmp_path / "bad.toml").write_text(
        'version = "0.1"\n[[entry]]\nid = "x"\npatterns = ["x"]\ncategory = "spicy"\nneutral = "y"\n'
        'side = "any"\nnote = "n"\n'
    )
    with pytest.raises(LexiconError, match="unknown category 'spicy'"):
        load_lexicon(str(tmp_path))


def test_custom_lexicon_directory(tmp_path):
    (tmp_path / "mine.toml").write_text(
        'version = "7"\n[[entry]]\nid = "juggernaut"\npatterns = ["juggernaut{,s}"]\ncategory = "loaded"\n'
        'neutral = "large force"\nside = "any"\nnote = "test entry"\nconfidence = 0.4\n'
    )
    from _articles import make_article

    from unspin.analyse.pipeline import Pipeline

    doc = Pipeline(["lexicon"], lexicon={"directory": str(tmp_path)})(make_article("Two juggernauts met."))
    (f,) = doc.of_kind("term")
    assert f.source == "lexicon:mine@7" and f.text == "juggernauts" and f.confidence == 0.4


SWAP = {
    "Russia": "Ukraine",
    "Russian": "Ukrainian",
    "Kremlin": "Kyiv government",
    "Putin": "Zelensky",
    "Moscow": "Kyiv",
}
SWAP_SENTENCES = [
    "Putin's regime answered with more warmongering threats.",
    "The Kremlin mouthpiece called the ceasefire a trick.",
    "Russian propagandists praised the courageous pilots.",
    "A Moscow thug ordered the barbaric shelling of the square.",
    "Commentators called Putin a butcher and a puppet of hardliners.",
    "Moscow was accused of running a terrorist state.",
]


def _swap(sentence: str) -> str:
    import re

    names = sorted(SWAP, key=len, reverse=True)
    return re.sub(r"\b(" + "|".join(names) + r")\b", lambda m: SWAP[m.group(1)], sentence)


@pytest.mark.parametrize("sentence", SWAP_SENTENCES)
def test_swapping_russia_and_ukraine_keeps_findings(sentence):
    swapped = _swap(sentence)
    assert swapped != sentence and "Ukrainen" not in swapped
    a, b = terms(sentence), terms(swapped)
    assert a
    assert signature(a) == signature(b)


def test_dehumanising_entries_cover_both_sides():
    sides = {e.side for e in load_lexicon().entries if e.category == "dehumanising"}
    assert {"pro-Kremlin", "pro-Ukraine"} <= sides



def _headline_terms(headline):
    from unspin.analyse.pipeline import Pipeline
    from unspin.clean import clean_article
    from unspin.read.text import read_text

    art = clean_article(read_text(f"{headline}\n\nOfficials gave no figures on Tuesday.\n", "wire.txt"))
    assert art.title is not None and art.title.text == headline
    return art, Pipeline(TERMS)(art).of_kind("term")


def test_headline_wording_is_found_like_body_wording():
    """The headline is read and cleaned as a title, not a paragraph: its words count too, alike
    for either side."""
    signatures = []
    for headline, _actor in (("Kremlin thugs shell the Kiev regime's suburbs", "Kremlin"),
                            ("Kyiv thugs shell the Moscow regime's suburbs", "Kyiv")):
        art, found = _headline_terms(headline)
        assert all(art.title.start <= f.start and f.end <= art.title.end for f in found)  # body is neutral
        thug = next(f for f in found if f.label == "thug")
        assert art.original[thug.start : thug.end] == "thugs" and thug.attrs["in_quote"] is False
        assert {f.label for f in found} >= {"thug", "regime"}
        signatures.append(sorted((f.label, f.attrs["category"]) for f in found if f.label != "kiev"))
    assert signatures[0] == signatures[1]


def test_general_entries_are_side_neutral():
    """Wording outside the war is spin whoever uses it: every general entry is side 'any'."""
    general = [e for e in load_lexicon().entries if e.lexicon.startswith("general@")]
    assert len(general) >= 15 and all(e.side == "any" for e in general)


def test_general_entries_leave_neutral_lookalikes_alone():
    sentences = [
        "Militants attacked a checkpoint, the army said.",
        "He was charged with blackmail and released on bail.",
        "Police warned of reckless driving on the coast road.",
        "Snowflakes fell over the city as she woke up early.",
        "The union's members voted to strike over pay.",
        "An angry crowd gathered outside the court.",
        "The company offered a 4.5 percent rise over two years.",
        "Hardline members of the coalition rejected the budget.",
        "Patriot air defence systems were deployed near the border.",
        "He was found not guilty by reason of insanity.",
        "Fans packed the arena for March Madness.",
        "A circus clown handed out balloons at the fair.",
        "Officials said the delay was caused by a flooded depot.",
        "The minister defended the response at a news conference.",
        "The kidnappers held the engineer for ransom in the hills.",
        "The union's general secretary told members the offer was final.",
    ]
    assert terms(" ".join(sentences)) == []
