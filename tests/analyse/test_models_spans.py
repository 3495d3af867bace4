"""Token scores to character spans: whole words, hyphenated compounds, joined runs."""

from __future__ import annotations

import numpy as np

from unspin.analyse.models.spans import best_window, sentence_spans, token_runs


def _tokens(text: str, pieces: list[str]) -> list[tuple[int, int]]:
    """Offsets of ``pieces`` found left to right in ``text`` (a stand-in for a tokenizer)."""
    out, pos = [], 0
    for p in pieces:
        start = text.index(p, pos)
        out.append((start, start + len(p)))
        pos = start + len(p)
    return out


def test_a_hot_word_piece_grows_to_the_whole_hyphenated_word():
    text = "They demand a no-fly zone and want to de-Nazify the country's army."
    pieces = ["They", "demand", "a", "no", "-", "fly", "zone", "and", "want", "to", "de", "-", "Naz", "ify",
              "the", "country", "'", "s", "army", "."]
    offsets = _tokens(text, pieces)
    probs = np.zeros(len(pieces))
    probs[pieces.index("fly")] = 0.9
    probs[pieces.index("Naz")] = 0.8
    spans = token_runs(probs, offsets, [True] * len(pieces), text, threshold=0.5)
    assert [text[a:b] for a, b, _ in spans] == ["no-fly", "de-Nazify"]


def test_dashes_between_words_and_quotes_are_not_joined():
    text = "Peace - if it comes - will be 'fragile'."
    pieces = ["Peace", "-", "if", "it", "comes", "-", "will", "be", "'", "fragile", "'", "."]
    offsets = _tokens(text, pieces)
    probs = np.zeros(len(pieces))
    probs[pieces.index("fragile")] = 0.9
    (span,) = token_runs(probs, offsets, [True] * len(pieces), text, threshold=0.5)
    assert text[span[0] : span[1]] == "fragile"
    probs[:] = 0
    probs[0] = 0.9
    (span,) = token_runs(probs, offsets, [True] * len(pieces), text, threshold=0.5)
    assert text[span[0] : span[1]] == "Peace"


def test_runs_join_over_one_cold_token_and_best_window_backs_a_label():
    text = "the brutal and barbaric regime"
    pieces = text.split()
    offsets = _tokens(text, pieces)
    probs = np.array([0.1, 0.9, 0.3, 0.8, 0.2])
    ((a, b, conf),) = token_runs(probs, offsets, [True] * 5, text, threshold=0.5)
    assert text[a:b] == "brutal and barbaric" and conf == np.mean([0.9, 0.3, 0.8])
    a, b, _ = best_window(np.array([0.1, 0.2, 0.05, 0.3, 0.16]), offsets, [True] * 5, text)
    # the strongest token (0.3) grows to neighbours scoring at least half of it: 0.16, not 0.05
    assert text[a:b] == "barbaric regime"


def test_a_run_of_names_alone_is_no_span_but_a_name_joins_its_epithet():
    text = "Yesterday the warmongering Vladimir Putin met with Joe Biden in Geneva."
    pieces = ["Yesterday", "the", "warm", "ong", "ering", "Vladimir Putin", "met", "with", "Joe Biden", "in", "Geneva", "."]
    offsets = _tokens(text, pieces)
    names = [p in ("Vladimir Putin", "Joe Biden", "Geneva") for p in pieces]
    probs = np.zeros(len(pieces))
    for p in ("warm", "ong", "ering", "Vladimir Putin", "Joe Biden"):
        probs[pieces.index(p)] = 0.8
    spans = token_runs(probs, offsets, [True] * len(pieces), text, threshold=0.5, names=names)
    assert [text[a:b] for a, b, _ in spans] == ["warmongering Vladimir Putin"]
    # without the name flags the lone name would be a span of its own
    assert len(token_runs(probs, offsets, [True] * len(pieces), text, threshold=0.5)) == 2
    # the fallback never centres on a name
    probs = np.array([0.0, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.4, 0.0])
    a, b, _ = best_window(probs, offsets, [True] * len(pieces), text, names=names)
    assert text[a:b] == "the"


def test_sentence_spans_keep_closing_quotes_with_their_sentence():
    text = 'He said: "We will not go." Then he left. "Never," she added.'
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        'He said: "We will not go."',
        "Then he left.",
        '"Never," she added.',
    ]
