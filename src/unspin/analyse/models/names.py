"""Hide who is being talked about, so the trained detectors judge *how* it is said.

Even-handedness by construction: before the n-gram heads and the network see a text, names of
people, places, governments and organisations are replaced by one placeholder. "The warmongering
Kremlin" and "the warmongering White House" then reach the models as the same input, and a
model cannot learn that one side's name predicts a technique.

A name is a capitalised word that is not at the start of a sentence, or one whose lower-case
form the common-word list (built from the training corpus, shipped with the bundle) does not
know, plus all-capital acronyms. Political labels that are themselves the loaded wording
(*Nazi*, *fascist*, *Hitler*) stay visible: they are applied to every side alike.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import numpy as np

PLACEHOLDER = "[MASK]"  # a single special token of the network's vocabulary
_TOKEN = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*", re.UNICODE)
_BREAK = re.compile(r"[.!?:;\"“”«»\n]")
_JOIN = re.compile(r"^[ \t]*(?:-|'s|’s)?[ \t]*$")  # what may sit between two words of one name
ALWAYS_NAMES = frozenset({"US", "USA", "UK", "EU", "UN", "U.S."})
FUNCTION_WORDS = frozenset(
    "a an the this that these those and or but if as at by for from in into of on to with "
    "he she it they we you i his her its their our your my there here when while after before "
    "mr mrs ms dr".split()
)
LOADED_PROPER = frozenset(
    "nazi nazis neo-nazi neo-nazis nazism fascist fascists fascism hitler stalin gestapo "
    "communist communists marxist marxists satan satanic god jihadist jihadists islamist "
    "islamists antifa maga woke".split()
)


def common_words(texts: Iterable[str], min_count: int = 2) -> frozenset[str]:
    """Words seen in lower case at least ``min_count`` times: the ones that are not names."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w for w in _TOKEN.findall(text) if w.islower())
    return frozenset(w for w, n in counts.items() if n >= min_count)


def name_runs(text: str, common: frozenset[str]) -> list[tuple[int, int]]:
    """Character runs [start, end) of ``text`` that are names (adjacent name words joined)."""
    tokens = list(_TOKEN.finditer(text))
    if not tokens:
        return []
    capitalised = [m.group()[0].isupper() for m in tokens]
    # Title-case headlines capitalise every word: there only unknown words count as names.
    content = [c for m, c in zip(tokens, capitalised, strict=False) if m.group().lower() not in FUNCTION_WORDS]
    title_case = len(content) >= 4 and sum(content) >= 0.85 * len(content)
    flags: list[bool | None] = []
    for k, m in enumerate(tokens):
        w = m.group()
        low = w.lower()
        if w in ALWAYS_NAMES:
            flags.append(True)
        elif not capitalised[k] or low in FUNCTION_WORDS or low in LOADED_PROPER or w == "I":
            flags.append(False)
        elif w.isupper() and len(w) > 1:
            flags.append(low not in common)
        else:
            initial = k == 0 or bool(_BREAK.search(text[tokens[k - 1].end() : m.start()]))
            if low not in common:
                flags.append(True)
            elif initial or title_case:
                flags.append(None)  # a common word capitalised by position: a name only inside one
            else:
                flags.append(True)
    for k in range(len(flags) - 1, -1, -1):
        if flags[k] is None:
            nxt = k + 1 < len(flags) and flags[k + 1] is True and _adjacent(text, tokens[k], tokens[k + 1])
            flags[k] = nxt and not title_case
    runs: list[tuple[int, int]] = []
    for k, m in enumerate(tokens):
        if not flags[k]:
            continue
        if runs and flags[k - 1] and _adjacent(text, tokens[k - 1], m):
            runs[-1] = (runs[-1][0], m.end())
        else:
            runs.append((m.start(), m.end()))
    return runs


def _adjacent(text: str, a: re.Match, b: re.Match) -> bool:
    return bool(_JOIN.match(text[a.end() : b.start()]))


def mask(text: str, common: frozenset[str]) -> tuple[str, np.ndarray, np.ndarray]:
    """``text`` with every name run replaced by ``PLACEHOLDER``, and for each character of the
    masked text the [start, end) it covers in ``text`` (so offsets map back to the original)."""
    runs = name_runs(text, common)
    parts: list[str] = []
    starts: list[np.ndarray] = []
    ends: list[np.ndarray] = []
    pos = 0
    for a, b in runs + [(len(text), len(text))]:
        keep = np.arange(pos, a)
        parts.append(text[pos:a])
        starts.append(keep)
        ends.append(keep + 1)
        if b > a:
            parts.append(PLACEHOLDER)
            starts.append(np.full(len(PLACEHOLDER), a))
            ends.append(np.full(len(PLACEHOLDER), b))
        pos = b
    return "".join(parts), np.concatenate(starts).astype(np.int64), np.concatenate(ends).astype(np.int64)


def masked_words(text: str, common: frozenset[str]) -> str:
    """The text as the n-gram heads read it: names replaced by the placeholder."""
    return mask(text, common)[0]
