"""Word-level helpers shared by grouping and the comparers: tokens with offsets, content stems, and the small
closed word classes (negators, modals, absolutes) whose change alters what a sentence claims.

The word classes are closed grammatical sets, not a persuasion lexicon: they decide whether two
renderings of the same words say the same thing, so they stay here rather than in a data file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

_WORD = re.compile(r"[A-Za-z0-9]+(?:[’'][A-Za-z]+)*|\d+(?:[.,]\d+)*%?")

NEGATORS = frozenset({"not", "no", "never", "nobody", "none", "nothing", "neither", "nor", "nowhere"})
MODALS = frozenset({"will", "would", "may", "might", "can", "could", "must", "should", "shall", "ought"})
HEDGES = frozenset({"may", "might", "could", "perhaps", "possibly", "maybe", "likely", "probably"})
ABSOLUTES = frozenset(
    {"never", "always", "all", "every", "everyone", "everything", "nobody", "nothing", "none",
     "forever", "entirely", "completely", "totally", "absolutely", "ever"}
)
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
MONTHS = frozenset("january february march april may june july august september october november december".split())
# Days and months that say when, in quotes: "may" is far more often the modal, "march" the verb.
WHEN_WORDS = (WEEKDAYS | MONTHS) - {"may", "march"}
# Contractions expanded before comparing, so "won't" and "will not" are the same words.
_CONTRACTIONS = {
    "won't": ["will", "not"], "can't": ["can", "not"], "cannot": ["can", "not"], "shan't": ["shall", "not"],
    "it's": ["it", "is"], "that's": ["that", "is"], "there's": ["there", "is"], "what's": ["what", "is"],
    "let's": ["let", "us"], "i'm": ["i", "am"],
}
_SUFFIX_CONTRACTIONS = (("n't", ["not"]), ("'re", ["are"]), ("'ve", ["have"]), ("'ll", ["will"]), ("'d", ["would"]))


@dataclass(frozen=True)
class Token:
    norm: str  # lower-cased, contraction-expanded word
    start: int  # offset of the written word it came from (relative to the text given)
    end: int


def tokens(text: str) -> list[Token]:
    """Words of ``text`` (lower-cased, contractions expanded) with the offsets of the written word."""
    out: list[Token] = []
    for m in _WORD.finditer(text):
        word = m.group().lower().replace("’", "'")
        for norm in _expand(word):
            out.append(Token(norm, m.start(), m.end()))
    return out


def _expand(word: str) -> list[str]:
    if word in _CONTRACTIONS:
        return _CONTRACTIONS[word]
    for suffix, repl in _SUFFIX_CONTRACTIONS:
        if word.endswith(suffix) and len(word) > len(suffix):
            return [word[: -len(suffix)], *repl]
    if word.endswith("'s"):  # possessive: "Ukraine's" compares as "ukraine"
        return [word[:-2]]
    return [word]


def words(text: str) -> list[str]:
    """The ``norm`` of each of ``tokens(text)``, without building the tokens (grouping calls
    this on whole articles several times per article, so it is kept cheap)."""
    out: list[str] = []
    for w in _WORD.findall(text):
        w = w.lower()
        # Only words with an apostrophe, and "cannot", are ever expanded.
        if "'" in w or "’" in w or w == "cannot":
            out.extend(_expand(w.replace("’", "'")))
        else:
            out.append(w)
    return out


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A deliberately crude suffix strip: enough to match "joins/joined/joining" or
    "guarantees/guarantee" when comparing two renderings, without loading a lemmatizer."""
    for suffix in ("ings", "ing", "edly", "ed", "ies", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix == "ies":
                return base + "y"
            if suffix in ("ing", "ed") and len(base) >= 4 and base[-1] == base[-2]:
                base = base[:-1]  # "stopped" -> "stop"
            return base
    return word


def is_content(word: str) -> bool:
    return word not in STOP_WORDS and word not in NEGATORS and word not in MODALS and not word.isdigit()


def content_stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words(text) if is_content(w) and len(w) > 1)


def dice(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


_UNIT_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_NUMBER_WORDS = {
    **_UNIT_WORDS, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "dozen": 12,
}
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# Word numbers: "forty-one" / "forty one" is one number (41), not 40 and 1.
_WORD_NUMBER = (
    r"\b(?:(" + "|".join(_TENS) + r")[-\s](" + "|".join(_UNIT_WORDS) + r")|(" + "|".join(
        sorted(_NUMBER_WORDS, key=len, reverse=True)) + r"))(?:\s+(thousand|million|billion|trillion))?\b"
)
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(%|st|nd|rd|th)?(?:\s+(thousand|million|billion|trillion))?(?!\w)"
    r"|" + _WORD_NUMBER,
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Number:
    value: float
    unit: str  # the next content word ("people", "days") or "%"; "" when none
    start: int
    end: int
    text: str


def numbers(text: str) -> list[Number]:
    """Numbers written in digits or as small number words, each with the word it counts."""
    out: list[Number] = []
    for m in _NUMBER.finditer(text):
        if m.group(1):
            value = float(m.group(1).replace(",", ""))
            if m.group(3):
                value *= _SCALES[m.group(3).lower()]
            suffix = (m.group(2) or "").lower()
        else:
            if m.group(4):
                value = float(_NUMBER_WORDS[m.group(4).lower()] + _UNIT_WORDS[m.group(5).lower()])
            else:
                value = float(_NUMBER_WORDS[m.group(6).lower()])
            if m.group(7):
                value *= _SCALES[m.group(7).lower()]
            suffix = ""
        unit = "%" if suffix == "%" else _next_content_word(text, m.end())
        if suffix in ("st", "nd", "rd", "th"):
            unit = "ordinal:" + unit
        out.append(Number(value, unit, m.start(), m.end(), m.group()))
    return out


def _next_content_word(text: str, pos: int) -> str:
    window = re.split(r"[,.;:!?()]", text[pos : pos + 40], maxsplit=1)[0]
    for w in words(window)[:3]:
        if is_content(w):
            return stem(w)
    return ""


def segments(text: str) -> list[tuple[int, int]]:
    """Sentence-like pieces of a quote (start, end offsets into ``text``), split at . ! ? ;"""
    out: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"[.!?;]+[\"'”’]*(?=\s+|$)", text):
        out.append((start, m.end()))
        start = m.end()
    out.append((start, len(text)))
    spans = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s and _WORD.search(text[s:e]):
            spans.append((s, e))
    return spans


def entity_key(text: str, label: str) -> str:
    """'the Kremlin' -> 'kremlin'; 'President Volodymyr Zelensky' -> 'zelensky' (people by surname,
    so the full and the short form of a name count as one entity)."""
    ws = [w for w in words(text) if w not in ("the",)]
    if not ws:
        return text.strip().lower()
    if label == "PERSON":
        return ws[-1]
    return " ".join(ws)
