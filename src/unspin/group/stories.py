"""Incremental story grouping: a new article joins the story it is about, or starts one.

For each article, in arrival order (no re-clustering):

1. Near-duplicates first (``dedupe``): a copy or light rewrite of an earlier article joins that
   article's story as ``copy_of`` / ``rewrite_of`` and does not move the story's centroid.
2. Candidates by blocking: the article's rarest named entities and most distinctive words are
   keys into an inverted index of stories, bucketed by publication day; only stories sharing a
   key within the time window are looked at (at most ``max_candidates``, most keys shared first).
3. Score each candidate: ``vector_weight`` x cosine(article vector, story centroid) +
   ``entity_weight`` x share of the article's entity weight (IDF) the story also names.
   The best candidate at or above the join threshold is joined; otherwise a new story starts.
   Where the article or the candidate story is undated, ``join_threshold_undated`` applies when
   set (a large undated corpus needs a stricter one: time gives no evidence there).
   The hashing fallback vectors give lower cosines than the encoder for the same pair, so they
   have their own threshold, ``join_threshold_hashing`` (how both were set: docs/grouping.md).

Cost per article is bounded by the keys it has and the stories alive in its window, not by how
many articles came before, so the total grows about linearly (see bench/grouping_cost.py).
An article without a publication date carries no time evidence: it may join a dated story (its
candidates come from every day, through a per-key list of the most recent stories), and a dated
article may join a story of undated ones. Only two *dated* things are kept apart by the window.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

from unspin.group.dedupe import DedupeConfig, NearDuplicates
from unspin.group.text import MONTHS, WEEKDAYS, entity_key, stem, words
from unspin.group.vectors import TextVectors, Vectorizer
from unspin.types import Analysis, Story, StoryMember

NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "EVENT", "FAC", "LAW", "WORK_OF_ART", "PRODUCT"})
METHODS = ("auto", "batch", "corpus", "incremental")
UNDATED = -(10**9)
ANY_DAY = -(10**9) - 1  # postings key for "this key, whatever the day" (what undated articles search)


@dataclass(frozen=True)
class GroupConfig:
    window: timedelta = timedelta(days=3)
    join_threshold: float = 0.45  # with encoder vectors
    join_threshold_hashing: float = 0.30  # with the hashing fallback vectors
    # Where the article or the story has no date (None: the thresholds above). A large undated
    # corpus on one topic over-merges at those, yet a stricter threshold does not help: 0.7 gave
    # pairwise F1 0.24 against 0.57 on an independent undated set (docs/grouping.md).
    join_threshold_undated: float | None = None
    join_threshold_hashing_undated: float | None = None
    vector_weight: float = 0.6
    entity_weight: float = 0.4
    entity_prior: float = 2.0  # pseudo-entities of average weight that a story never covers
    block_entities: int = 6  # rarest entity keys used for blocking
    block_terms: int = 6  # most distinctive words used for blocking
    posting_cap: int = 200  # look at the most recent stories of a key only
    max_candidates: int = 50
    dedupe: DedupeConfig = field(default_factory=DedupeConfig)
    # How a batch (``report``, ``stories``) is grouped: "batch" compares every pair at once
    # (group/batch.py; better, quadratic), "corpus" gives batch's stories in two phases that grow
    # with the corpus, not its square (group/corpus.py), "incremental" is this class (what live
    # mode uses), "auto" is batch up to ``batch_max_articles`` articles and corpus above.
    method: str = "auto"
    batch_threshold: float | None = None  # None: BatchConfig's default
    batch_max_articles: int = 4000

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"grouping method must be one of {', '.join(METHODS)}, not {self.method!r}")

    def uses_batch(self, articles: int) -> bool:
        return self.method == "batch" or (self.method == "auto" and articles <= self.batch_max_articles)

    def uses_corpus(self, articles: int) -> bool:
        return self.method == "corpus" or (self.method == "auto" and articles > self.batch_max_articles)

    def threshold(self, vectors_kind: str, dated: bool = True) -> float:
        """The score a candidate needs; ``dated``: both the article and the story have dates."""
        hashing = vectors_kind == "hashing"
        undated = self.join_threshold_hashing_undated if hashing else self.join_threshold_undated
        if not dated and undated is not None:
            return undated
        return self.join_threshold_hashing if hashing else self.join_threshold


@dataclass
class _StoryState:
    id: str
    title: str
    members: list[StoryMember] = field(default_factory=list)
    vec_sum: np.ndarray | None = None
    entities: Counter = field(default_factory=Counter)
    first: datetime | None = None
    last: datetime | None = None
    unit: np.ndarray | None = None  # the centroid, kept up to date by ``add_vector``

    def add_vector(self, vec: np.ndarray) -> None:
        self.vec_sum = vec.copy() if self.vec_sum is None else self.vec_sum + vec
        n = float(np.linalg.norm(self.vec_sum))
        self.unit = self.vec_sum / n if n else self.vec_sum

    def centroid(self) -> np.ndarray:
        assert self.unit is not None
        return self.unit


class StoryGrouper:
    """``add(analysis) -> story id``; ``stories()`` lists them. State lives in the instance."""

    def __init__(self, config: GroupConfig | None = None, vectors: Vectorizer | None = None) -> None:
        self.config = config or GroupConfig()
        self.vectors = vectors or TextVectors()
        self.dupes = NearDuplicates(self.config.dedupe)
        self._stories: dict[str, _StoryState] = {}
        self._story_of: dict[str, str] = {}
        self._postings: dict[tuple[str, int], list[str]] = {}
        self._df: Counter = Counter()
        self._n = 0

    # -- public -----------------------------------------------------------------------------
    def add(self, analysis: Analysis) -> str:
        art = analysis.article
        if art.id in self._story_of:
            return self._story_of[art.id]
        text = _text(analysis)
        dup = self.dupes.add(art.id, text)
        if dup is not None and dup.of in self._story_of:
            sid = self._story_of[dup.of]
            st = self._stories[sid]
            st.members.append(StoryMember(article_id=art.id, relation=dup.relation, of=dup.of,
                                          similarity=dup.similarity))
            self._touch(st, art.published)
            self._story_of[art.id] = sid
            return sid

        ents = _entity_keys(analysis)
        terms = _terms(text)
        self._n += 1
        self._df.update(set(ents) | {"w:" + t for t in terms})
        vec = self.vectors([_vector_text(analysis, self.vectors.kind)])[0]
        day = _day(art.published)
        keys = self._block_keys(ents, terms)

        idfs = {k: self._idf(k) for k in set(ents)}  # the same for every candidate
        best_sid, best_score = None, -1.0
        for sid in self._candidates(keys, day):
            st = self._stories[sid]
            if not self._in_window(st, art.published):
                continue
            score = self._score(vec, idfs, st)
            dated = art.published is not None and st.first is not None
            if score >= self.config.threshold(self.vectors.kind, dated) and score > best_score:
                best_sid, best_score = sid, score
        if best_sid is not None:
            st = self._stories[best_sid]
            st.members.append(StoryMember(article_id=art.id, similarity=round(float(best_score), 3)))
        else:
            st = _StoryState(id=_story_id(art.id), title=art.title_text or _first_words(text))
            st.members.append(StoryMember(article_id=art.id))
            self._stories[st.id] = st
        st.add_vector(vec)
        st.entities.update(set(ents))
        self._touch(st, art.published)
        for key in keys:
            for d in (day, ANY_DAY):
                posting = self._postings.setdefault((key, d), [])
                if not posting or posting[-1] != st.id:
                    posting.append(st.id)
                if d == ANY_DAY and len(posting) > 2 * self.config.posting_cap:
                    del posting[: -self.config.posting_cap]  # only the newest are ever read
        self._story_of[art.id] = st.id
        return st.id

    def story_of(self, article_id: str) -> str | None:
        return self._story_of.get(article_id)

    def stories(self) -> list[Story]:
        return [
            Story(id=s.id, title=s.title, members=list(s.members), first_seen=s.first, last_seen=s.last)
            for s in self._stories.values()
        ]

    def clusters(self) -> dict[str, str]:
        """article id -> story id (what the evaluation compares with the labels)."""
        return dict(self._story_of)

    # -- internals ----------------------------------------------------------------------------
    def _idf(self, key: str) -> float:
        return math.log((1 + self._n) / (1 + self._df[key])) + 1.0

    def _block_keys(self, ents: list[str], terms: Counter) -> list[str]:
        cfg = self.config
        rare_ents = heapq.nsmallest(cfg.block_entities, set(ents), key=lambda k: (self._df[k], k))
        scored = heapq.nsmallest(
            cfg.block_terms, terms, key=lambda t: (-(1 + math.log(terms[t])) * self._idf("w:" + t), t)
        )
        return rare_ents + ["w:" + t for t in scored]

    def _candidates(self, keys: list[str], day: int) -> list[str]:
        cfg = self.config
        span = max(1, math.ceil(cfg.window / timedelta(days=1)))
        days = [ANY_DAY] if day == UNDATED else [*range(day - span, day + span + 1), UNDATED]
        hits: Counter = Counter()
        for key in keys:
            for d in days:
                posting = self._postings.get((key, d))
                if posting:
                    hits.update(set(posting[-cfg.posting_cap :]))
        return [sid for sid, _ in hits.most_common(cfg.max_candidates)]

    def _in_window(self, st: _StoryState, when: datetime | None) -> bool:
        if when is None or st.first is None or st.last is None:
            return True  # no date on one side: time says nothing
        w = self.config.window
        return st.first - w <= _naive(when) <= st.last + w

    def _score(self, vec: np.ndarray, idfs: dict[str, float], st: _StoryState) -> float:
        """``idfs``: the article's entity keys with their IDF weights."""
        cos = float(vec @ st.centroid())
        if idfs:
            total = sum(idfs.values())
            covered = sum(v for k, v in idfs.items() if k in st.entities)
            # The prior keeps one shared place name from counting as full agreement.
            ent = covered / (total + self.config.entity_prior * total / len(idfs))
        else:
            ent = 0.0
        return self.config.vector_weight * cos + self.config.entity_weight * ent

    @staticmethod
    def _touch(st: _StoryState, when: datetime | None) -> None:
        if when is None:
            return
        when = _naive(when)
        st.first = when if st.first is None else min(st.first, when)
        st.last = when if st.last is None else max(st.last, when)


def _naive(d: datetime) -> datetime:
    return d.replace(tzinfo=None) if d.tzinfo else d


def _day(d: datetime | None) -> int:
    return UNDATED if d is None else _naive(d).toordinal()


def _text(analysis: Analysis) -> str:
    art = analysis.article
    body = art.body or art.original
    return f"{art.title_text}\n{body}" if art.title_text and art.title_text not in body[:300] else body


def _vector_text(analysis: Analysis, kind: str) -> str:
    text = _text(analysis)
    # The encoder reads 256 tokens at most: give it the headline and the opening, where a
    # story's who/what/where is; hashing vectors use the whole text.
    return text[:1200] if kind == "encoder" else text


_CAPITALISED = re.compile(r"(?<![.!?\n]\s)(?<![.!?\n])\b[A-Z][a-z]{2,}\b")
_CALENDAR = WEEKDAYS | MONTHS


def _entity_keys(analysis: Analysis) -> list[str]:
    """Named entities as normalised keys; without an analyse stage, capitalised words that do
    not start a sentence stand in for them (one key per word, so "Elena Vask" and "Vask" meet)."""
    # An outlet naming itself ("told The Clarion") says nothing about which story it tells.
    own = {entity_key(analysis.article.outlet, "ORG")} if analysis.article.outlet else set()
    if analysis.entities:
        return [k for k in (entity_key(e.text, e.label) for e in analysis.entities if e.label in NAMED_LABELS)
                if k not in own]
    found = (m.group().lower() for m in _CAPITALISED.finditer(_text(analysis)))
    own_words = {w for k in own for w in k.split()}
    return [w for w in found if w not in STOP_WORDS and w not in _CALENDAR and w not in own_words]


def _terms(text: str) -> Counter:
    return Counter(stem(w) for w in words(text) if len(w) > 2 and w not in STOP_WORDS and not w.isdigit())


def _first_words(text: str, n: int = 12) -> str:
    return " ".join(text.split()[:n])


def _story_id(article_id: str) -> str:
    return "story:" + hashlib.sha1(article_id.encode()).hexdigest()[:12]
