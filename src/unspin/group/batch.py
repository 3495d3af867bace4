"""Batch story grouping: every pair of a batch compared at once, then average-linkage clustering.

``StoryGrouper`` (stories.py) is incremental: each article joins the best story so far or starts
one, which suits a live feed and needs dates to keep one long topic apart. A batch (``report``,
``stories`` on a corpus) can do better: all articles are known, so

1. near-duplicates are linked first (``dedupe``), as in the incremental grouper;
2. each pair of the remaining articles gets a probability of being one story, a logistic curve
   over a weighted sum of three cosines:
   - *meaning*: the sentence vectors of headline and opening;
   - *who and where*: the IDF-weighted sets of named entities (IDF over the batch, so the
     entities the whole corpus shares count for little);
   - *event-specific words*: TF-IDF vectors of content words and adjacent word pairs, where a rare
     phrase two articles share weighs far more than the topic's vocabulary;
   plus, where both are dated within the window, the evidence of time;
3. two dated articles further apart than the window are never one story;
4. average linkage: two groups merge while the mean probability over all their cross pairs is at
   least the threshold. Unlike joining the best match one at a time, a chain of pairwise
   look-alikes does not pull a whole topic into one story.

The weights, the curve and the threshold were fitted on labelled sets, one of real events from
seven publishers (docs/grouping.md). Scores taken relative to the batch's background (its median
pair, or each article's nearest neighbours) were tried as a threshold that adapts to the corpus
and did not help there, so they are not used.

Each member's ``similarity`` is its mean P(same story) with the other members: a stated confidence
that it belongs (1.0 for a story of one). The pair matrices are n x n, so batches above
``GroupConfig.batch_max_articles`` are left to the incremental grouper (``app/stories.group_stories``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from spacy.lang.en.stop_words import STOP_WORDS

from unspin.group.dedupe import DedupeConfig, NearDuplicates
from unspin.group.stories import (
    GroupConfig,
    _entity_keys,
    _first_words,
    _naive,
    _story_id,
    _text,
    _vector_text,
)
from unspin.group.text import stem, words
from unspin.group.vectors import TextVectors, Vectorizer
from unspin.types import Analysis, Story, StoryMember


@dataclass(frozen=True)
class PairModel:
    """P(same story) of a pair: a logistic curve over a weighted sum of the three cosines.

    The weights and the curve are fitted on the tune halves of the labelled sets by
    ``python -m training.grouping.fit_batch`` (figures in docs/grouping.md)."""

    meaning: float
    entities: float
    words: float
    slope: float
    offset: float
    dated_near: float  # added to the logit where both articles are dated within the window
    threshold: float  # the merge level chosen with these weights (BatchConfig.threshold overrides)

    def probability(self, scores: PairScores) -> np.ndarray:
        s = self.meaning * scores.meaning + self.entities * scores.entities + self.words * scores.words
        z = self.slope * s + self.offset + self.dated_near * scores.near
        return 1.0 / (1.0 + np.exp(-z))


# Fitted by ``python -m training.grouping.fit_batch`` (bench/results/grouping_batch.json) on the
# tune parts of the labelled sets; the thresholds are low because same-story pairs are rare, so
# P(same story) of a true pair is often well under one half.
ENCODER_MODEL = PairModel(meaning=0.6, entities=0.2, words=0.2, slope=19.09, offset=-10.862,
                          dated_near=2.486, threshold=0.15)
HASHING_MODEL = PairModel(meaning=0.5, entities=0.3, words=0.2, slope=22.327, offset=-8.498,
                          dated_near=2.614, threshold=0.2)


@dataclass(frozen=True)
class BatchConfig:
    threshold: float | None = None  # mean P(same story) at which two groups merge; None: the model's
    window_days: float = 3.0
    encoder: PairModel = ENCODER_MODEL
    hashing: PairModel = HASHING_MODEL
    dedupe: DedupeConfig = field(default_factory=DedupeConfig)

    @classmethod
    def from_group(cls, group: GroupConfig) -> BatchConfig:
        """The batch settings a ``GroupConfig`` implies (its window, near-duplicates, threshold)."""
        base = cls(window_days=group.window / timedelta(days=1), dedupe=group.dedupe)
        return base if group.batch_threshold is None else replace(base, threshold=group.batch_threshold)


@dataclass
class PairScores:
    """The n x n evidence matrices for ``heads`` (articles that are not near-duplicates)."""

    meaning: np.ndarray
    entities: np.ndarray
    words: np.ndarray
    apart: np.ndarray  # bool: two dated articles further apart than the window
    near: np.ndarray  # bool: two dated articles within the window


class Features:
    """What P(same story) needs of every article, with corpus-wide IDF: unit sentence vectors,
    weighted entity and word rows, and the day of publication (NaN when undated)."""

    def __init__(self, heads: Sequence[Analysis], vectors: Vectorizer, window_days: float, with_words: bool):
        self.window = window_days
        self.vecs = vectors([_vector_text(a, vectors.kind) for a in heads]).astype(np.float32)
        self.ents = _weighted([set(_entity_keys(a)) for a in heads])
        self.words = _weighted([_word_features(_text(a)) for a in heads], sublinear=True) if with_words else None
        self.days = np.array([_naive(a.article.published).timestamp() / 86400.0 if a.article.published else np.nan
                              for a in heads])

    def __len__(self) -> int:
        return len(self.days)

    def block(self, rows: np.ndarray, cols: np.ndarray) -> PairScores:
        """Dense scores of every (row, col) pair."""
        meaning = np.clip(self.vecs[rows] @ self.vecs[cols].T, -1.0, 1.0)
        ents = (self.ents[rows] @ self.ents[cols].T).toarray().astype(np.float32)
        words = ((self.words[rows] @ self.words[cols].T).toarray().astype(np.float32)
                 if self.words is not None else np.zeros_like(meaning))
        gap = np.abs(self.days[rows][:, None] - self.days[cols][None, :])
        with np.errstate(invalid="ignore"):
            return PairScores(meaning, ents, words, gap > self.window, gap <= self.window)

    def pairs(self, i: np.ndarray, j: np.ndarray) -> PairScores:
        """Scores of the pairs (i[k], j[k])."""
        meaning = np.clip(np.einsum("ij,ij->i", self.vecs[i], self.vecs[j]), -1.0, 1.0)
        ents = np.asarray(self.ents[i].multiply(self.ents[j]).sum(axis=1), dtype=np.float32).ravel()
        words = (np.asarray(self.words[i].multiply(self.words[j]).sum(axis=1), dtype=np.float32).ravel()
                 if self.words is not None else np.zeros_like(meaning))
        gap = np.abs(self.days[i] - self.days[j])
        with np.errstate(invalid="ignore"):
            return PairScores(meaning, ents, words, gap > self.window, gap <= self.window)


def pair_scores(analyses: Sequence[Analysis], vectors: Vectorizer, window_days: float = 3.0,
                with_words: bool = True) -> PairScores:
    """Every pair of ``analyses``, n x n. ``with_words=False`` skips the word-overlap matrix
    (zeros) where the model gives it no weight."""
    every = np.arange(len(analyses))
    return Features(analyses, vectors, window_days, with_words).block(every, every)


def _word_features(text: str) -> Counter:
    """Stemmed content words and pairs of adjacent content words (a phrase two reports share)."""
    stems = [stem(w) for w in words(text) if len(w) > 2 and w not in STOP_WORDS]
    out = Counter(stems)
    out.update(f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False))
    return out


def _weighted(bags: Sequence[set | Counter], sublinear: bool = False) -> sparse.csr_matrix:
    """L2-normalised rows of IDF weights (times 1 + log tf with ``sublinear``), IDF over the batch.
    A feature in one article only is never shared, so its column is dropped after the row's norm
    has counted it (without it, two articles sharing one word would look identical)."""
    df: Counter = Counter()
    for bag in bags:
        df.update(set(bag))
    n = len(bags)
    vocab = {k: i for i, k in enumerate(k for k, c in df.items() if c >= 2)}
    rows, cols, vals = [], [], []
    for r, bag in enumerate(bags):
        kept, total = [], 0.0
        for k in bag:
            tf = 1.0 + math.log(bag[k]) if sublinear and isinstance(bag, Counter) else 1.0
            w = tf * (math.log((1 + n) / (1 + df[k])) + 1.0)
            total += w * w
            if k in vocab:
                kept.append((vocab[k], w))
        norm = math.sqrt(total) or 1.0
        for c, w in kept:
            rows.append(r)
            cols.append(c)
            vals.append(w / norm)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(n, max(1, len(vocab))), dtype=np.float32)


def cluster(prob: np.ndarray, threshold: float) -> np.ndarray:
    """Average-linkage labels (0-based) for a symmetric matrix of P(same story)."""
    n = prob.shape[0]
    if n == 1:
        return np.zeros(1, dtype=int)
    dist = 1.0 - prob.astype(np.float64)
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    return fcluster(tree, t=1.0 - threshold, criterion="distance") - 1


def member_confidence(prob: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Each article's mean probability with the other members of its cluster; 1.0 alone."""
    same = labels[:, None] == labels[None, :]
    np.fill_diagonal(same, False)
    count = same.sum(axis=1)
    total = np.where(same, prob, 0.0).sum(axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), 1.0)


class BatchGrouper:
    """``group(analyses) -> list[Story]``; ``clusters()`` maps article id -> story id afterwards."""

    def __init__(self, config: BatchConfig | None = None, vectors: Vectorizer | None = None) -> None:
        self.config = config or BatchConfig()
        self.vectors = vectors or TextVectors()
        self._story_of: dict[str, str] = {}

    @property
    def model(self) -> PairModel:
        return self.config.hashing if self.vectors.kind == "hashing" else self.config.encoder

    @property
    def threshold(self) -> float:
        return self.model.threshold if self.config.threshold is None else self.config.threshold

    def probabilities(self, heads: Sequence[Analysis]) -> np.ndarray:
        model = self.model
        scores = pair_scores(heads, self.vectors, self.config.window_days, with_words=model.words != 0)
        prob = model.probability(scores)
        prob[scores.apart] = 0.0
        np.fill_diagonal(prob, 1.0)
        return prob

    def cluster_heads(self, heads: Sequence[Analysis]) -> tuple[np.ndarray, np.ndarray]:
        """Story label of each head (0-based) and its mean P(same story) with the other members
        of its story (1.0 alone): every pair at once, n x n."""
        prob = self.probabilities(heads)
        labels = cluster(prob, self.threshold)
        return labels, member_confidence(prob, labels)

    def group(self, analyses: Sequence[Analysis]) -> list[Story]:
        cfg = self.config
        dupes = NearDuplicates(cfg.dedupe)
        heads: list[Analysis] = []
        links: dict[str, tuple[str, StoryMember]] = {}  # copy id -> (head id, its member record)
        root: dict[str, str] = {}
        for a in analyses:
            aid = a.article.id
            if aid in root:
                continue
            dup = dupes.add(aid, _text(a))
            if dup is not None and dup.of in root:
                root[aid] = root[dup.of]
                links[aid] = (root[aid], StoryMember(article_id=aid, relation=dup.relation, of=dup.of,
                                                     similarity=dup.similarity))
            else:
                root[aid] = aid
                heads.append(a)
        labels, confidence = self.cluster_heads(heads) if heads else (np.zeros(0, dtype=int), np.zeros(0))
        by_label: dict[int, list[int]] = {}
        for i, lab in enumerate(labels):
            by_label.setdefault(int(lab), []).append(i)
        stories: dict[str, Story] = {}
        for idx in sorted(by_label.values(), key=lambda ix: ix[0]):
            first = heads[idx[0]]
            story = Story(id=_story_id(first.article.id),
                          title=first.article.title_text or _first_words(_text(first)))
            for i in idx:
                story.members.append(StoryMember(article_id=heads[i].article.id,
                                                 similarity=round(float(confidence[i]), 3)))
                self._story_of[heads[i].article.id] = story.id
            stories[story.id] = story
        for aid, (head, member) in links.items():
            sid = self._story_of[head]
            stories[sid].members.append(member)
            self._story_of[aid] = sid
        by_id = {a.article.id: a for a in analyses}
        out = []
        for s in stories.values():
            dates = [_naive(published) for m in s.members
                     if (published := by_id[m.article_id].article.published) is not None]
            out.append(s.model_copy(update={"first_seen": min(dates) if dates else None,
                                            "last_seen": max(dates) if dates else None}))
        return out

    def clusters(self) -> dict[str, str]:
        return dict(self._story_of)
