"""Cheap paragraph features that need no network: hashed n-grams, repetition, surface cues.

Shared by training (which builds sparse matrices from them) and the runtime (which takes dot
products with shipped weights), so both see exactly the same numbers. Pure Python + numpy.

- ``unit_counts``: names masked (``names.py``), then word 1-2 grams and in-word character 3-5 grams, hashed (CRC-32) into
  ``BUCKETS`` columns; a stable hash needs no vocabulary file and is the same on every machine.
- ``repetition_features``: how much of a paragraph recurs elsewhere in its article (the
  Repetition technique is a property of the article, not of one paragraph).
- ``surface_features``: length, position, punctuation, capitals, quotes, first/second person.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from unspin.analyse.models.names import masked_words

BUCKETS = 1 << 18
_WORD = re.compile(r"\[MASK\]|[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_NAME = "[mask]"  # a masked name (``names.PLACEHOLDER``) as ``words`` returns it
STOP_WORDS = frozenset(
    "a an the and or but if of to in on at by for with from as is are was were be been being it its "
    "this that these those he she they we you i his her their our your my me him them us not no so "
    "than then there here what which who whom whose when where why how all any some such can could "
    "will would should may might must do does did has have had having into over under about after "
    "before also just more most very said says say".split()
)


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def _bucket(token: str) -> int:
    return zlib.crc32(token.encode("utf-8")) % BUCKETS


@lru_cache(maxsize=1 << 17)
def _word_buckets(w: str) -> tuple[int, ...]:
    """A word's unigram bucket and its character 3-5 gram buckets (memoised: words repeat)."""
    out = [_bucket("w:" + w)]
    if w != _NAME:
        padded = f"<{w}>"
        out += [_bucket("c:" + padded[k : k + n]) for n in (3, 4, 5) for k in range(len(padded) - n + 1)]
    return tuple(out)


def ngram_counts(text: str) -> Counter[int]:
    """Bucketed counts of word unigrams, bigrams and character 3-5 grams inside words."""
    ws = words(text)
    buckets = [b for w in ws for b in _word_buckets(w)]
    buckets += [_bucket(f"b:{a} {b}") for a, b in zip(ws, ws[1:], strict=False)]
    return Counter(buckets)


def bucket_owners(texts: Sequence[str]) -> dict[int, set[str]]:
    """For each bucket ``ngram_counts`` fills from ``texts``, the words that produce it (both
    words for a bigram; a masked name owns nothing): how a head's weights are traced back to
    words. Each distinct word and word pair is hashed once, however often it recurs."""
    owners: dict[int, set[str]] = {}
    seen: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for text in texts:
        ws = words(text)
        seen.update(ws)
        pairs.update(zip(ws, ws[1:], strict=False))
    seen.discard(_NAME)
    for w in seen:
        for bucket in _word_buckets(w):
            owners.setdefault(bucket, set()).add(w)
    for a, b in pairs:
        named = {x for x in (a, b) if x != _NAME}
        if named:
            owners.setdefault(_bucket(f"b:{a} {b}"), set()).update(named)
    return owners


def weigh(counts: Counter[int], idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sublinear-tf x idf, L2-normalised: (column indices, values) of one sparse row."""
    if not counts:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    idx = np.fromiter(counts.keys(), np.int64, len(counts))
    tf = 1.0 + np.log(np.fromiter(counts.values(), np.float64, len(counts)))
    val = tf * idf[idx]
    norm = math.sqrt(float((val * val).sum())) or 1.0
    return idx, (val / norm).astype(np.float32)


def hashed_ngrams(text: str, idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return weigh(ngram_counts(text), idf)


def unit_counts(units: Sequence[str], common: frozenset[str]) -> Counter[int]:
    """What the n-gram heads read from one row (a paragraph, or an article's paragraphs): the
    n-gram counts of each unit with names masked, summed."""
    total: Counter[int] = Counter()
    for u in units:
        total.update(ngram_counts(masked_words(u, common)))
    return total


def fit_idf(rows: Sequence[Counter[int]]) -> np.ndarray:
    """Smoothed idf per bucket (as scikit-learn computes it) over rows of counts, rounded to
    float16 precision: the bundle stores it so, and training must see the same numbers."""
    df = np.zeros(BUCKETS, np.float64)
    for counts in rows:
        df[np.fromiter(counts.keys(), np.int64, len(counts))] += 1
    n = len(rows)
    return (np.log((1 + n) / (1 + df)) + 1.0).astype(np.float16).astype(np.float32)


# -- repetition ----------------------------------------------------------------------------------
def _content(ws: list[str]) -> list[str]:
    return [w for w in ws if w not in STOP_WORDS and len(w) > 2 and w != _NAME]


def _shingles(ws: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(ws[i : i + n]) for i in range(len(ws) - n + 1)}


REPETITION_NAMES = [
    "rep_max_tri_overlap",  # largest share of this paragraph's word 3-grams found in one other
    "rep_other_paras_sharing_tri",  # how many other paragraphs share a word 3-gram with it (log)
    "rep_content_words_recurring",  # share of its content words that occur in >= 2 other paragraphs
    "rep_title_overlap",  # share of the title's content words it repeats
    "rep_inside",  # a content word or 2-gram repeated inside the paragraph itself
    "rep_immediate",  # an immediately doubled word ("very, very")
]


def repetition_features(title: str, paragraphs: Sequence[str]) -> np.ndarray:
    """(len(paragraphs), 6) features of how each paragraph repeats the rest of its article."""
    toks = [words(p) for p in paragraphs]
    tris = [_shingles(t, 3) for t in toks]
    contents = [set(_content(t)) for t in toks]
    doc_freq: Counter[str] = Counter(w for c in contents for w in c)
    title_words = set(_content(words(title)))
    out = np.zeros((len(paragraphs), len(REPETITION_NAMES)), np.float32)
    for i, t in enumerate(toks):
        best, sharing = 0.0, 0
        if tris[i]:
            for j, other in enumerate(tris):
                if j != i and other:
                    common = len(tris[i] & other)
                    if common:
                        sharing += 1
                        best = max(best, common / len(tris[i]))
        recurring = [w for w in contents[i] if doc_freq[w] >= 3]
        c = _content(t)
        inside = Counter(c)
        bigrams = Counter(zip(c, c[1:], strict=False))
        out[i] = (
            best,
            math.log1p(sharing),
            len(recurring) / max(len(contents[i]), 1),
            len(title_words & contents[i]) / max(len(title_words), 1),
            float(any(v >= 2 for v in inside.values()) or any(v >= 2 for v in bigrams.values())),
            float(any(a == b for a, b in zip(t, t[1:], strict=False))),
        )
    return out


# -- surface cues --------------------------------------------------------------------------------
SURFACE_NAMES = [
    "log_chars",
    "relative_position",
    "is_title",
    "exclamations",
    "questions",
    "quote_marks",
    "all_caps_words",
    "first_second_person",
    "log_paragraphs_in_article",
]
_QUOTES = re.compile(r"[\"“”«»]")
_PERSON = frozenset("i we us our ours me my you your yours".split())


def surface_features(text: str, index: int, count: int, is_title: bool) -> np.ndarray:
    ws = _WORD.findall(text)
    lower = [w.lower() for w in ws]
    return np.array(
        [
            math.log1p(len(text)),
            index / max(count - 1, 1),
            float(is_title),
            min(text.count("!"), 3),
            min(text.count("?"), 3),
            min(len(_QUOTES.findall(text)), 6) / 2,
            min(sum(1 for w in ws if len(w) > 2 and w.isupper()), 3),
            sum(1 for w in lower if w in _PERSON) / max(len(ws), 1) * 10,
            math.log1p(count),
        ],
        np.float32,
    )


# -- genre cues ----------------------------------------------------------------------------------
STYLE_NAMES = [
    "paragraphs_with_reporting_verb",
    "quote_marks_per_paragraph",
    "first_second_person_per_100_words",
    "questions_per_paragraph",
    "exclamations_per_paragraph",
    "log_words_per_paragraph",
    "log_paragraphs",
    "technique_prob_mean",
    "technique_prob_max_mean",
    "techniques_per_paragraph",
]
_REPORTING = re.compile(r"\b(said|says|told|according to|reported|stated|announced|added|noted)\b", re.I)
_PERSON_CASED = re.compile(r"\b(I|we|us|our|my|me|you|your)\b")


def style_features(paragraphs: Sequence[str], technique_probs: np.ndarray) -> np.ndarray:
    """Article-level cues that separate wire reporting, opinion and satire: how much is
    attributed speech, how personal and rhetorical the voice is, how dense the techniques are.
    ``technique_probs`` (n, 23) are the n-gram head's probabilities for the title and paragraphs."""
    paras = list(paragraphs) or [""]
    n = len(paras)
    text = " ".join(paras)
    n_words = max(len(text.split()), 1)
    P = technique_probs if len(technique_probs) else np.zeros((1, 1), np.float32)
    return np.array(
        [
            sum(bool(_REPORTING.search(p)) for p in paras) / n,
            len(_QUOTES.findall(text)) / n,
            len(_PERSON_CASED.findall(text)) / n_words * 100,
            text.count("?") / n,
            text.count("!") / n,
            math.log1p(n_words / n),
            math.log1p(n),
            float(P.mean()),
            float(P.max(1).mean()),
            float((P > 0.5).sum(1).mean()),
        ],
        np.float32,
    )
