"""Turn token or sentence scores into character spans inside a paragraph."""

from __future__ import annotations

import re

import numpy as np

# A light sentence splitter for paragraph text: end punctuation (+ closing quote/bracket), space,
# then something that can start a sentence. Good enough to localise a technique in a paragraph.
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _SENT_END.finditer(text):
        end = m.start()
        while end < len(text) and text[end] in "\"'”’)]":
            end += 1
        if text[start:end].strip():
            out.append((start, end))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text.rstrip())))
    return out


_JOINERS = "-\u2010\u2011'\u2019"  # inside a word: de-Nazify, no-fly, Kremlin's


def _in_word(text: str, i: int) -> bool:
    """``text[i]`` belongs to a word: a letter or digit, or a hyphen/apostrophe between two."""
    c = text[i]
    if c.isalnum():
        return True
    return c in _JOINERS and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()


def _word_bounds(text: str, a: int, b: int) -> tuple[int, int]:
    """Grow [a, b) to whole words (word pieces may cut a word, and a highlight that stops at a
    hyphen reads as a different word: "fly" for "no-fly") and trim spaces."""
    while a > 0 and _in_word(text, a - 1):
        a -= 1
    while b < len(text) and _in_word(text, b):
        b += 1
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def token_runs(probs: np.ndarray, offsets: list[tuple[int, int]], in_text: list[bool], text: str,
               threshold: float, max_gap: int = 1, names: list[bool] | None = None) -> list[tuple[int, int, float]]:
    """Runs of paragraph tokens with ``probs >= threshold`` -> (start, end, mean prob) in ``text``.
    Runs split by at most ``max_gap`` low tokens are joined (a span rarely breaks mid-phrase).
    A run made only of masked names (``names``) is dropped: a name is who a technique is
    about ("warmongering Vladimir Putin"), never the technique alone."""
    idx = [k for k, ok in enumerate(in_text) if ok and offsets[k][1] > offsets[k][0]]
    hot = [k for k in idx if probs[k] >= threshold]
    runs: list[list[int]] = []
    pos = {k: n for n, k in enumerate(idx)}
    for k in hot:
        if runs and pos[k] - pos[runs[-1][-1]] <= max_gap + 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    out = []
    for run in runs:
        if names is not None and all(names[k] for k in run):
            continue
        a, b = _word_bounds(text, offsets[run[0]][0], offsets[run[-1]][1])
        if b > a:
            members = [k for k in idx if pos[run[0]] <= pos[k] <= pos[run[-1]]]
            out.append((a, b, float(np.mean(probs[members]))))
    return out


def best_window(probs: np.ndarray, offsets: list[tuple[int, int]], in_text: list[bool], text: str,
                ratio: float = 0.5, names: list[bool] | None = None) -> tuple[int, int, float] | None:
    """The strongest token (not a masked name) grown to its neighbours scoring at least ``ratio``
    of it: a span that backs a paragraph label when no run passes the threshold."""
    idx = [k for k, ok in enumerate(in_text) if ok and offsets[k][1] > offsets[k][0]]
    if not idx:
        return None
    seeds = [k for k in idx if names is None or not names[k]] or idx
    best = max(seeds, key=lambda k: probs[k])
    floor = probs[best] * ratio
    n = idx.index(best)
    lo = hi = n
    while lo > 0 and probs[idx[lo - 1]] >= floor:
        lo -= 1
    while hi < len(idx) - 1 and probs[idx[hi + 1]] >= floor:
        hi += 1
    a, b = _word_bounds(text, offsets[idx[lo]][0], offsets[idx[hi]][1])
    return (a, b, float(np.mean(probs[idx[lo : hi + 1]]))) if b > a else None
