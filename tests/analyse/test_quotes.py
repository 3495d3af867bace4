"""quotes component: direct quotes and their speakers, scare quotes, reported speech."""

import pytest
from _articles import analyse

from unspin.analyse.quote_marks import find_quote_pieces, join_paragraph_quotes

QUOTES = ["nlp", "quotes"]


def direct(doc):
    return [f for f in doc.of_kind("quote") if f.label == "direct"]


def check_offsets(doc):
    original = doc.article.original
    for f in doc.findings:
        assert original[f.start : f.end] == f.text
        assert 0.0 <= f.confidence <= 1.0
        assert f.source.startswith(("rule:", "model:speech-tagger")) and f.explanation
        if f.attrs.get("speaker_start") is not None:
            assert f.attrs["speaker_start"] < f.attrs["speaker_end"]


# --- quote marks (no parsing) -------------------------------------------------------------


def test_apostrophes_are_not_quotes():
    assert find_quote_pieces("Ukraine's army didn't stop; the soldiers' rations ran out.") == []


def test_single_quotes_are_found_outside_words():
    text = "Officials called it a 'decisive moment' for Europe's security."
    (piece,) = find_quote_pieces(text)
    assert text[piece.inner_start : piece.close] == "decisive moment"
    assert piece.mark == "single"


def test_single_quotes_inside_double_quotes_stay_inside():
    text = "\"We heard about 'open doors' for years,\" she said."
    pieces = find_quote_pieces(text)
    assert len(pieces) == 1 and pieces[0].mark == "double"


def test_paragraph_quotes_are_joined_only_when_continued():
    paras = [
        '"First part of the statement.',
        '"Second part, and the end," he said.',
        '"Unclosed here.',
        "No mark.",
    ]
    quotes = join_paragraph_quotes(paras)
    assert [[k for k, _ in q] for q in quotes] == [[0, 1]]


# --- speakers ----------------------------------------------------------------------------


def test_verb_after_quote_with_straight_quotes():
    doc = analyse('"The convoy will arrive before dawn," Marta Kowalczyk said on Monday.', QUOTES)
    (q,) = direct(doc)
    assert q.text == "The convoy will arrive before dawn"
    assert q.attrs["speaker"] == "Marta Kowalczyk" and q.attrs["resolved_by"] == "verb"
    assert q.attrs["verb"] == "said"
    original = doc.article.original
    assert original[q.attrs["speaker_start"] : q.attrs["speaker_end"]] == "Marta Kowalczyk"
    assert q.confidence >= 0.8
    check_offsets(doc)


def test_inverted_verb_with_curly_quotes():
    doc = analyse("“Nobody wants a long war,” said Henrik Lund, a Danish diplomat.", QUOTES)
    (q,) = direct(doc)
    assert q.text == "Nobody wants a long war"
    assert q.attrs["speaker"] == "Henrik Lund"
    check_offsets(doc)


def test_verb_before_quote():
    doc = analyse('Gareth Pryce told reporters: "The bridge is open again."', QUOTES)
    (q,) = direct(doc)
    assert q.text == "The bridge is open again."
    assert q.attrs["speaker"] == "Gareth Pryce" and q.attrs["verb"] == "told"


def test_verb_whose_clause_holds_the_quote_beats_a_nearer_one():
    # "called" is nearer the closing mark, but it belongs to another clause and is a demand
    # ("called for"): the quote is what "said" reports, and its subject speaks
    doc = analyse(
        'Opposition leader Irina Vass said on Tuesday that the first convoys had left "three days too late"'
        " and called for an inquiry into the agency's planning.",
        QUOTES,
    )
    (q,) = direct(doc)
    assert q.text == "three days too late"
    assert q.attrs["speaker"] == "Irina Vass" and q.attrs["verb"] == "said"


def test_a_quote_inside_the_subjects_phrase_names_rather_than_reports():
    doc = analyse('Biden, also known as the "big guy" in the emails, is saying nothing about the fires.', QUOTES)
    (q,) = doc.of_kind("scare_quote")
    assert q.text == "big guy" and q.attrs["speaker"] is None and not doc.of_kind("quote")


def test_relative_pronoun_speaker_is_the_noun_it_stands_for():
    doc = analyse('Greta Lind, who called the plan "a betrayal", said she would march.', QUOTES)
    (q,) = direct(doc)
    assert q.attrs["speaker"] == "Greta Lind" and q.attrs["verb"] == "called"


def test_one_of_a_group_is_named_with_its_group():
    doc = analyse('The plan needs "smaller volumes from many sources", according to one of the officials.', QUOTES)
    (q,) = direct(doc)
    assert q.attrs["speaker"] == "one of the officials"


def test_a_common_noun_speaker_keeps_the_phrase_that_says_whose():
    doc = analyse('A spokesman for the ministry said the bridge was "safe for traffic".', QUOTES)
    (q,) = direct(doc)
    assert q.attrs["speaker"] == "A spokesman for the ministry"


def test_a_name_apposed_inside_a_long_title_is_the_speaker():
    doc = analyse(
        'The plan is "a provocation", Moscow\'s deputy representative to the UN, Dmitry Polyansky, claimed on Tuesday.',
        QUOTES,
    )
    (q,) = direct(doc)
    assert q.attrs["speaker"] == "Dmitry Polyansky"


def test_a_naming_verb_gives_the_quoted_name_to_its_subject():
    # "insist" is nearer the quote, but the name is what "dubbed" reports
    doc = analyse('Critics have dubbed the scheme "Operation Chaos", while officials insist it is working.', QUOTES)
    (q,) = direct(doc)
    assert (q.text, q.attrs["speaker"], q.attrs["verb"]) == ("Operation Chaos", "Critics", "dubbed")


def test_a_pronoun_in_what_a_speaker_says_stands_for_that_speaker():
    doc = analyse('The dockers\' union said it had rejected the offer and called the deal "an insult".', QUOTES)
    (q,) = direct(doc)
    assert (q.attrs["speaker"], q.attrs["verb"]) == ("The dockers' union", "called")


def test_called_for_does_not_introduce_a_quote():
    doc = analyse('The drivers called for "a fair deal now" outside the depot.', QUOTES)
    (q,) = doc.of_kind("quote")
    # no rule reads "called for" as naming what follows; the attribution tagger, trained on
    # PolNeAR where "called for" is a cue, may give the demand to the drivers
    assert q.attrs["verb"] != "called"
    if q.attrs["speaker"] is not None:
        assert (q.source, q.attrs["verb"]) == ("model:speech-tagger@1", "called for")


def test_multi_sentence_quote():
    doc = analyse('"We counted the trucks. There were forty. None came back," Amira Haddad wrote.', QUOTES)
    (q,) = direct(doc)
    assert q.text == "We counted the trucks. There were forty. None came back"
    assert q.attrs["speaker"] == "Amira Haddad" and q.attrs["verb"] == "wrote"


def test_multi_paragraph_quote_is_one_finding():
    text = (
        "Minister Pavlo Hrytsenko spoke after the vote.\n"
        '"We have waited for this decision for a long time. It changes the budget.\n'
        '"It also changes what we can promise the regions," Hrytsenko said.'
    )
    doc = analyse(text, QUOTES)
    (q,) = direct(doc)
    assert q.text.startswith("We have waited") and q.text.endswith("promise the regions")
    assert len(q.attrs["parts"]) == 2
    assert q.attrs["quoted"] == (
        "We have waited for this decision for a long time. It changes the budget. "
        "It also changes what we can promise the regions"
    )
    assert q.attrs["speaker"] == "Pavlo Hrytsenko"
    check_offsets(doc)


def test_surname_resolves_to_full_name():
    text = 'Chancellor Ingrid Solberg opened the summit.\n"Our support will not end," Solberg said.'
    (q,) = direct(analyse(text, QUOTES))
    assert q.attrs["speaker"] == "Ingrid Solberg"


def test_pronoun_speaker_resolves_to_last_person():
    text = 'Tomas Berg arrived in the capital late on Sunday.\n"The roads are damaged," he said.'
    (q,) = direct(analyse(text, QUOTES))
    assert q.attrs["speaker"] == "Tomas Berg"
    assert q.attrs["resolved_by"] == "pronoun"
    assert q.confidence < 0.9


def test_role_noun_speaker_resolves_to_title_holder():
    text = (
        "President Joe Biden met European leaders.\n"
        "Ukrainian President Volodymyr Zelensky addressed parliament by video.\n"
        '"We will rebuild every school," the Ukrainian president said.'
    )
    (q,) = direct(analyse(text, QUOTES))
    assert q.attrs["speaker"] == "Volodymyr Zelensky"
    assert q.attrs["resolved_by"] == "title"


def test_according_to():
    text = 'The grain deal needs "new inspection rules at every port," according to Leila Nasser.'
    (q,) = direct(analyse(text, QUOTES))
    assert q.attrs["speaker"] == "Leila Nasser"
    assert q.attrs["verb"] == "according to"
    assert q.source == "rule:quote-according-to"


def test_unattributed_quote_has_no_speaker():
    text = 'The sign at the border read "all crossings are closed until further notice" for days.'
    (q,) = direct(analyse(text, QUOTES))
    assert q.attrs["speaker"] is None and q.attrs["resolved_by"] == "none"
    assert q.confidence < 0.5


def test_scare_quote_is_labelled_separately():
    doc = analyse(
        "The ministry described the shelling as a 'technical incident' on state television.", QUOTES
    )
    quotes = doc.of_kind("quote")
    assert len(quotes) == 1
    # "described" is a speech verb here, so the two words are the ministry's words
    assert quotes[0].label == "direct"
    doc = analyse("Markets reacted to the 'peace dividend' within hours.", QUOTES)
    assert doc.of_kind("quote") == []  # nobody's words: not a quote
    (scare,) = doc.of_kind("scare_quote")
    assert scare.label == "scare" and scare.attrs["speaker"] is None
    assert scare.confidence <= 0.5


def test_so_called_is_not_a_reporting_verb():
    # "so-called" distances the writer from the words; it does not report anyone's speech
    for text in (
        'The so-called "foreign minister" of the regime, Teodor Vasko, left early.',
        'Critics mocked the so called "reforms" of the council.',
    ):
        doc = analyse(text, QUOTES)
        (q,) = doc.of_kind("scare_quote")
        assert q.label == "scare" and q.attrs["verb"] is None and not doc.of_kind("quote"), text
    # the scare-quoted words are the subject of "told": they name the speaker, the next quote is speech
    doc = analyse(
        'The so-called "foreign minister" of the regime, Teodor Vasko, told journalists that his side'
        ' "will not sign any agreement", repeating the old line.',
        QUOTES,
    )
    (scare,), (speech,) = doc.of_kind("scare_quote"), doc.of_kind("quote")
    assert scare.text == "foreign minister" and scare.label == "scare"
    assert speech.label == "direct" and speech.attrs["speaker"] == "Teodor Vasko"
    doc = analyse('The mayor called the plan "reckless".', QUOTES)
    (q,) = doc.of_kind("quote")
    assert q.label == "direct" and q.attrs["verb"] == "called"


def test_reported_speech():
    text = "Defence Minister Anna Keller said that the new brigades would be ready by spring."
    doc = analyse(text, QUOTES)
    (r,) = doc.of_kind("reported_speech")
    assert r.label == "indirect"
    assert r.text == "the new brigades would be ready by spring"
    assert r.attrs["speaker"] == "Anna Keller" and r.attrs["verb"] == "said"
    assert direct(doc) == []
    check_offsets(doc)


def test_reported_speech_without_that_and_with_title_speaker():
    text = (
        "Prime Minister Elena Rossi visited the front.\n"
        "The prime minister claimed the offensive would fail within weeks."
    )
    doc = analyse(text, QUOTES)
    (r,) = doc.of_kind("reported_speech")
    assert r.text == "the offensive would fail within weeks"
    assert r.attrs["speaker"] == "Elena Rossi"


def test_direct_quote_is_not_also_reported_speech():
    doc = analyse('"The shelling stopped at noon," Ivan Petrenko said.', QUOTES)
    assert doc.of_kind("reported_speech") == []
    assert len(direct(doc)) == 1


def test_quote_opening_a_complement_is_not_also_reported_speech():
    # The parse hangs the writer's aside after the quote on "declared"; only the quote is hers.
    text = ('Governor Ilse Brandt smugly declared that "further cuts are needed" – as if families '
            "had anything left to give.")
    doc = analyse(text, QUOTES)
    assert [q.text for q in direct(doc)] == ["further cuts are needed"]
    assert doc.of_kind("reported_speech") == []


def test_unattributed_quote_continues_previous_speaker():
    text = (
        '"The water is back in most districts," Mayor Ruslan Tkachuk said on Friday. "Heating will take longer."\n'
        '"We ask everyone to stay patient through the winter."\n'
        "Repairs were slowed by new strikes.\n"
        '"Nobody has told us anything," one resident complained.'
    )
    doc = analyse(text, QUOTES)
    first, second, third, fourth = direct(doc)
    assert first.attrs["speaker"] == "Ruslan Tkachuk" and first.source == "rule:quote-verb"
    for q in (second, third):
        assert q.attrs["speaker"] == "Ruslan Tkachuk"
        assert q.source == "rule:quote-continued" and q.confidence <= 0.6
    assert fourth.attrs["speaker"] == "one resident"


# --- two apostrophes for one double mark (how some news archives render quotes) -------------


def test_doubled_apostrophes_are_a_quote_mark():
    text = "''We will finish the bridge by May,'' the engineer Maja Holm told the council. The players' 'fund' grew."
    pieces = find_quote_pieces(text)
    assert [(p.mark, text[p.inner_start : p.inner_end(text)]) for p in pieces] == [
        ("double", "We will finish the bridge by May,"), ("single", "fund")]
    assert pieces[0].outer_end(text) == text.index(" the engineer")


def test_a_doubled_apostrophe_quote_gets_its_speaker_and_runs_over_paragraphs():
    doc = analyse(
        "Bridge work resumes\n\n"
        "''We will finish the bridge by May,'' the engineer Maja Holm told the council on Monday.\n\n"
        "''The steel has arrived at last. The crews are ready.\n\n"
        "''Nobody wants another winter of delays,'' Holm said.\n",
        QUOTES,
    )
    check_offsets(doc)
    first, rest = direct(doc)
    assert first.text == "We will finish the bridge by May" and first.attrs["speaker"] == "Maja Holm"
    assert rest.text.startswith("The steel has arrived") and rest.text.endswith("another winter of delays")
    assert rest.attrs["speaker"] == "Maja Holm" and len(rest.attrs["parts"]) == 2


# --- the speaker fields: the words as written, the name they resolve to, the reporting words --


def test_speaker_fields_keep_the_words_as_written():
    text = (
        "Port talks stall\n\n"
        "Harbour director Lena Marsh met the unions on Monday. \u201cWe are not there yet,\u201d Ms. Marsh said.\n\n"
        "\u201cThe offer stands until Friday,\u201d she told reporters, pointing out that the deadline was firm.\n"
    )
    doc = analyse(text, QUOTES)
    check_offsets(doc)
    original = doc.article.original
    first, second = direct(doc)

    def words(f, field):
        return original[f.attrs[f"{field}_start"] : f.attrs[f"{field}_end"]]

    assert words(first, "speaker") == "Ms. Marsh" and first.attrs["speaker"] == "Lena Marsh"
    assert words(first, "cue") == "said"
    assert words(second, "speaker") == "she" and second.attrs["speaker"] == "Lena Marsh"
    assert words(second, "speaker_ref").endswith("Marsh")  # the mention "she" stands for
    assert second.attrs["speaker_ref_start"] < second.attrs["speaker_start"]
    assert words(second, "cue") == "told" and second.attrs["resolved_by"] == "pronoun"
    (reported,) = doc.of_kind("reported_speech")
    assert words(reported, "cue") == "pointing out" and reported.attrs["speaker"] == "Lena Marsh"


# --- quoted wording belongs to its speaker, in summaries and charts ---------------------------


def test_techniques_and_terms_inside_a_quote_count_for_the_speaker_not_the_outlet():
    from unspin.analyse.models.component import mark_quoted
    from unspin.present.charts import counts_by_outlet
    from unspin.types import Finding

    doc = analyse(
        "Harbour row\n\n"
        "The minister, Ida Berg, said the strikers were \u201cgreedy saboteurs wrecking the port\u201d. "
        "Greedy bosses, the union replied, had caused the crisis.\n",
        ["nlp", "quotes", "lexicon"],
    )
    original = doc.article.original
    (quote,) = doc.of_kind("quote")
    inside = original.index("greedy saboteurs")
    outside = original.index("Greedy bosses")
    spans = [Finding(kind="technique", label="Name_Calling-Labeling", start=a, end=a + 6, text=original[a : a + 6],
                     confidence=0.8, source="model:test", attrs={"level": "span"}) for a in (inside, outside)]
    mark_quoted(spans, doc.of_kind("quote"))
    assert spans[0].attrs["in_quote"] and spans[0].attrs["speaker"] == "Ida Berg" == quote.attrs["speaker"]
    assert "in_quote" not in spans[1].attrs
    doc.findings.extend(spans)
    doc.article.outlet = "Gazette"
    # only the outlet's own use is charted
    assert counts_by_outlet([doc], "technique") == {"Name_Calling-Labeling": {"Gazette": 1}}


# --- titles and slogans in quote marks are names, not speech ----------------------------------


def test_titles_and_slogans_are_told_apart_from_speech():
    doc = analyse(
        "Campaign trail\n\n"
        "Mayor Ana Ruiz said on Channel 9's \u201cMorning Round\u201d that the plan was \u201ca disaster waiting "
        "to happen.\u201d Her team ran the \u201cFix Our Bridges\u201d campaign all spring and she wrote the book "
        "\u201cSteel and Water\u201d last year.\n\n"
        "\u201cWe will rebuild every bridge,\u201d Ruiz told the crowd.\n",
        QUOTES,
    )
    check_offsets(doc)
    titles = {f.text for f in doc.of_kind("title")}
    assert titles == {"Morning Round", "Fix Our Bridges", "Steel and Water"}
    quotes = {f.text: f.attrs["speaker"] for f in doc.of_kind("quote")}
    assert quotes == {"a disaster waiting to happen.": "Ana Ruiz", "We will rebuild every bridge": "Ana Ruiz"}


def test_markup_attributes_are_not_quotes():
    doc = analyse('Posts\n\n<post author="jdoe" time="1454346000">The bridge is closed again today.</post>\n', QUOTES)
    assert not doc.of_kind("quote") and not doc.of_kind("scare_quote")


# --- compare pairs renderings by the resolved speaker -----------------------------------------


def test_the_same_person_quoted_under_different_names_is_one_speaker_across_outlets():
    from unspin.compare import CompareConfig, compare

    wire = analyse(
        "Port deal signed\n\n"
        "Harbour director Lena Marsh signed the deal on Monday. \u201cThe port will reopen on Friday,\u201d "
        "Ms. Marsh said.\n",
        ["nlp", "quotes"],
    )
    tabloid = analyse(
        "PORT CHAOS ENDS\n\n"
        "Lena Marsh, the harbour boss, finally gave in. She told reporters: \u201cThe port will reopen "
        "on Friday.\u201d\n",
        ["nlp", "quotes"],
    )
    wire.article.outlet, tabloid.article.outlet = "Nordwire", "Daily Clarion"
    (a,), (b,) = wire.of_kind("quote"), tabloid.of_kind("quote")
    assert a.attrs["speaker"] == b.attrs["speaker"] == "Lena Marsh"  # "Ms. Marsh" and "She": one person
    c = compare([wire, tabloid], config=CompareConfig(use_encoder=False))
    pairs = c.of_kind("fidelity")
    assert pairs and all(f.attrs["speaker"] == "Lena Marsh" for f in pairs)
    assert {f.label for f in pairs} == {"identical"}
    assert not [f for f in c.of_kind("only_here") if f.label == "quote"]


# --- reported speech: stated beliefs, intentions and "according to" ---------------------------


def test_reported_beliefs_intentions_and_according_to():
    doc = analyse(
        "Council race\n\n"
        "Councillor Mia Strand hopes to keep her seat in the spring vote. She believes the ferry plan will "
        "fail. Turnout will be low this year, according to two election officials.\n",
        QUOTES,
    )
    check_offsets(doc)
    found = {f.text: (f.attrs["speaker"], f.source) for f in doc.of_kind("reported_speech")}
    assert found["to keep her seat in the spring vote"][0] == "Mia Strand"
    assert found["the ferry plan will fail"][0] == "Mia Strand"
    assert found["Turnout will be low this year"] == ("two election officials", "rule:reported-according-to")


@pytest.mark.parametrize(("text", "speaker", "written"), [
    # a participle on a statement the speaker issued
    ('Mr. Hale, who was accused of fraud, issued a statement on Tuesday saying, "I do not accept the verdict."',
     "Hale", "Mr. Hale"),
    # a participle after a preposition of the speaker's verb
    ('The mayor continued by saying, "We will appeal this decision because the count was flawed."',
     "The mayor", "The mayor"),
    # an infinitive on a verb the parser hung on the subject
    ('The former governor, who signed the budget, interjected to say: "They have both been inconsistent."',
     "The former governor", "The former governor"),
    ('Mitt Lane, the former nominee, tweeted in response: "One side kills reporters; ours does not."',
     "Mitt Lane", "Mitt Lane"),
])
def test_speakers_of_participles_and_infinitives(text: str, speaker: str, written: str) -> None:
    doc = analyse("Story\n\n" + text, QUOTES)
    (q,) = direct(doc)
    original = doc.article.original
    assert q.attrs["speaker"] == speaker
    assert original[q.attrs["speaker_start"]:q.attrs["speaker_end"]] == written


@pytest.mark.parametrize(("text", "speakers"), [
    # the parser made the participle the subject of the quote's first verb
    ("Band member Pim shared the plan on social media on Friday, writing \u201cFeels great to help a man I "
     "believe in.\u201d", ["Pim"]),
    # a name the tagger took for a verb
    ("Trump subsequently defended the remark, calling the reporter \u201ca very dishonest person who wants "
     "attention.\u201d", ["Trump"]),
    # words quoted inside what someone reports are that person's, not the reported clause's subject's
    ("Mayor Lena Dahl said on Monday that the council was \u201cout of touch\u201d while the budget chief is "
     "\u201ca fantasist.\u201d", ["Lena Dahl", "Lena Dahl"]),
    # a paragraph ending in a colon introduces the quote filling the next, whatever its verb
    ("President Lena Holm released the following statement:\n\n\u201cWe offer our condolences to the family "
     "and friends of the governor. He was a fighter.\u201d", ["Lena Holm"]),
    ("The audit ran to forty pages. Here is its summary:\n\n\u201cCosts rose by a tenth.\u201d", [None]),
    # whoever is asked or told is spoken to: the speaker is the one asking ("by ..."), else unknown
    ("Senator Ruth Okafor was asked by host Bill Marsh, \u201cAre you ready to lead the party?\u201d", ["Bill Marsh"]),
    ("In an interview on Friday, the mayor was asked, \u201cWhat is the most dangerous place you have been to?\u201d",
     [None]),
])
def test_speakers_the_parse_hides(text: str, speakers: list[str | None]) -> None:
    doc = analyse("Story\n\n" + text, QUOTES)
    check_offsets(doc)
    assert [q.attrs["speaker"] for q in direct(doc)] == speakers


def test_it_said_keeps_the_pronoun_as_written_and_leaves_the_name_open():
    doc = analyse('Policy\n\nThe campaign backtracked on Friday. In cases of hardship, it said, "the family is '
                  'the victim."', QUOTES)
    (q,) = direct(doc)
    original = doc.article.original
    assert original[q.attrs["speaker_start"]:q.attrs["speaker_end"]] == "it"
    assert q.attrs["speaker"] is None and q.source == "rule:quote-unresolved"
    assert q.confidence <= 0.3


def test_a_verb_in_the_next_sentence_with_its_own_content_does_not_take_the_quote():
    text = ('Iowa\n\nSarah Dunn runs the campaign in the state. "We feel fine about it," she said. '
            '"We feel good about the counties we are visiting." She noted a planned rally on Saturday.')
    doc = analyse(text, QUOTES)
    first, second = direct(doc)
    original = doc.article.original
    # the second quote continues the first one's speaker; "She noted a rally" reports the rally
    assert second.source == "rule:quote-continued"
    assert second.attrs["speaker"] == first.attrs["speaker"] == "Sarah Dunn"
    assert original[second.attrs["speaker_start"]:second.attrs["speaker_end"]] == "she"


def test_a_bare_verb_after_a_closed_quote_still_takes_it():
    doc = analyse('Talks\n\n"We are ready." Olena Marchuk told reporters on Monday.', QUOTES)
    (q,) = direct(doc)
    assert (q.attrs["speaker"], q.attrs["verb"]) == ("Olena Marchuk", "told")


def test_first_person_and_indefinite_speakers():
    doc = analyse('Court\n\n"Okay," I said, trying again. "I was seventeen when I came here."', QUOTES)
    first, second = direct(doc)
    original = doc.article.original
    assert original[first.attrs["speaker_start"]:first.attrs["speaker_end"]] == "I"
    assert first.attrs["speaker"] is None  # the writer: no name to give
    assert second.source == "rule:quote-continued"
    doc = analyse('Rally\n\nWhen someone in the crowd shouted, "Cruz," the host laughed.', QUOTES)
    (q,) = direct(doc)
    assert q.attrs["speaker"] is not None and q.attrs["speaker"].startswith("someone")


def test_of_two_subjects_the_one_that_names_someone_speaks():
    doc = analyse('Rally\n\nHolding signs, the protesters chanted "Bad for the state, bad for you."', QUOTES)
    (q,) = direct(doc)
    assert (q.attrs["speaker"], q.attrs["verb"]) == ("the protesters", "chanted")
