"""Story grouping at corpus scale: the batch grouper's stories without its n x n matrices.

``BatchGrouper`` compares every pair of a batch, which stops at a few thousand articles. This
grouper gives the same stories in two phases whose memory grows with the corpus, not its square:

1. **Candidate pairs, per partition.** Near-duplicates are linked first, as in the batch grouper.
   Dated articles are partitioned by time, in buckets one window wide; a bucket is compared with
   itself and the next one, since two dated articles further apart than the window are never one
   story. An undated article is compared with its ``neighbours`` nearest articles by sentence
   vector. Each candidate pair gets P(same story) from the batch grouper's model, with the entity
   and word weights (IDF) of the whole corpus, so it is the very probability the batch grouper
   gives that pair. Pairs under the threshold are dropped.
2. **Merge.** The kept pairs link articles into connected groups, and each group is clustered by
   average linkage over all its pairs, exactly as the batch grouper does.

Why this is exact where the candidates are complete: average linkage joins two clusters only when
the mean probability over their cross pairs reaches the threshold, so at least one cross pair
does; every final story is therefore connected by pairs at or above the threshold, lies inside
one group of phase 2, and is found by clustering that group alone. With dated articles the
candidates are complete by construction; undated articles rely on their nearest neighbours (the
one approximation; ``tests/group/test_group_corpus.py`` and bench/grouping_corpus.py measure it). A group
larger than ``max_component`` is split by raising the cut for its pairs until its parts fit: the
other approximation, reported in ``CorpusGrouper.stats``.

Each block of phase 1 depends only on its articles and the corpus-wide document frequencies, so
the blocks can be spread over workers; here they run one after the other in bounded memory.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from unspin.group.batch import (
    BatchConfig,
    BatchGrouper,
    Features,
    PairModel,
    PairScores,
    cluster,
    member_confidence,
)
from unspin.group.vectors import Vectorizer
from unspin.types import Analysis

# Cells per dense block of phase 1 (each of the few float32 matrices of a block stays under 80 MB).
BLOCK_CELLS = 20_000_000
# Pairs scored at once from sparse rows: each pair copies both articles' word rows (hundreds of
# entries each), so this bounds that copy to some 200 MB.
PAIRS_PER_CHUNK = 20_000


@dataclass(frozen=True)
class CorpusConfig:
    neighbours: int = 64  # candidates of an undated article, by sentence-vector cosine
    max_component: int = 8000  # largest group clustered whole (its pairs are dense: n^2 floats)


@dataclass
class CorpusStats:
    articles: int = 0
    candidate_pairs: int = 0
    kept_pairs: int = 0
    groups: int = 0
    largest_group: int = 0
    groups_split: int = 0  # groups above max_component, split by a higher cut


def probability(model: PairModel, scores: PairScores) -> np.ndarray:
    prob = model.probability(scores)
    prob[scores.apart] = 0.0
    return prob


class CorpusGrouper(BatchGrouper):
    """``BatchGrouper`` whose clustering step runs in the two phases above."""

    def __init__(self, config: BatchConfig | None = None, vectors: Vectorizer | None = None,
                 corpus: CorpusConfig | None = None) -> None:
        super().__init__(config, vectors)
        self.corpus = corpus or CorpusConfig()
        self.stats = CorpusStats()

    def cluster_heads(self, heads: Sequence[Analysis]) -> tuple[np.ndarray, np.ndarray]:
        model, threshold = self.model, self.threshold
        feats = Features(heads, self.vectors, self.config.window_days, with_words=model.words != 0)
        n = len(feats)
        self.stats = CorpusStats(articles=n)
        i_kept, j_kept, p_kept = [], [], []
        for i, j, p, candidates in self._candidates(feats, model):
            self.stats.candidate_pairs += candidates
            keep = p >= threshold
            i_kept.append(i[keep])
            j_kept.append(j[keep])
            p_kept.append(p[keep])
        i = np.concatenate(i_kept) if i_kept else np.zeros(0, dtype=np.int64)
        j = np.concatenate(j_kept) if j_kept else np.zeros(0, dtype=np.int64)
        p = np.concatenate(p_kept) if p_kept else np.zeros(0, dtype=np.float32)
        self.stats.kept_pairs = len(p)
        labels = np.empty(n, dtype=np.int64)
        confidence = np.ones(n)
        next_label = 0
        for members in self._groups(n, i, j, p, threshold):
            if len(members) == 1:
                labels[members] = next_label
                next_label += 1
                continue
            prob = probability(model, feats.block(members, members))
            np.fill_diagonal(prob, 1.0)
            local = cluster(prob, threshold)
            labels[members] = local + next_label
            confidence[members] = member_confidence(prob, local)
            next_label += int(local.max()) + 1
        return _first_seen_order(labels), confidence

    # -- phase 1 -------------------------------------------------------------------------------
    def _candidates(self, feats: Features, model: PairModel) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, int]]:
        """(i, j, P, count) per block: its pairs that may be kept (each once, i < j) and how many
        candidate pairs it scored."""
        dated = np.flatnonzero(~np.isnan(feats.days))
        undated = np.flatnonzero(np.isnan(feats.days))
        yield from self._dated_blocks(feats, model, dated)
        if len(undated):
            yield from self._neighbour_pairs(feats, model, undated)

    def _dated_blocks(self, feats: Features, model: PairModel, dated: np.ndarray):
        if not len(dated):
            return
        order = dated[np.argsort(feats.days[dated], kind="stable")]
        bucket = np.floor(feats.days[order] / feats.window).astype(np.int64)
        starts = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1]])
        ends = np.r_[starts[1:], len(order)]
        for k, (s, e) in enumerate(zip(starts, ends, strict=True)):
            rows = order[s:e]
            # this bucket and the next one, when it is the adjacent window
            nxt = ends[k + 1] if k + 1 < len(starts) and bucket[starts[k + 1]] == bucket[s] + 1 else e
            cols = order[s:nxt]
            next_bucket = np.arange(len(cols)) >= e - s
            step = max(1, BLOCK_CELLS // max(1, len(cols)))
            for r in range(0, len(rows), step):
                part = rows[r:r + step]
                scores = feats.block(part, cols)
                prob = probability(model, scores)
                # a pair inside the bucket appears twice in the block, one across buckets once
                once = (part[:, None] < cols[None, :]) | next_bucket[None, :]
                ri, ci = np.nonzero(once & (prob >= self.threshold))
                a, b = part[ri], cols[ci]
                yield np.minimum(a, b), np.maximum(a, b), prob[ri, ci], int((once & scores.near).sum())

    def _neighbour_pairs(self, feats: Features, model: PairModel, undated: np.ndarray):
        n = len(feats)
        k = min(self.corpus.neighbours, n - 1)
        if k <= 0:
            return
        step = max(1, BLOCK_CELLS // n)
        keys = []
        for r in range(0, len(undated), step):
            part = undated[r:r + step]
            sims = feats.vecs[part] @ feats.vecs.T
            sims[np.arange(len(part)), part] = -np.inf  # not itself
            nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            a, b = np.repeat(part, k), nearest.ravel()
            keys.append(np.minimum(a, b) * n + np.maximum(a, b))
        # a pair found from both sides (two undated neighbours) is scored once
        unique = np.unique(np.concatenate(keys))
        step = PAIRS_PER_CHUNK
        for r in range(0, len(unique), step):
            lo, hi = np.divmod(unique[r:r + step], n)
            prob = probability(model, feats.pairs(lo, hi))
            keep = prob >= self.threshold
            yield lo[keep], hi[keep], prob[keep], len(prob)

    # -- phase 2 -------------------------------------------------------------------------------
    def _groups(self, n: int, i: np.ndarray, j: np.ndarray, p: np.ndarray, cut: float) -> Iterator[np.ndarray]:
        """Connected groups of the pairs at or above ``cut``; a group too large for a dense
        matrix is split by a higher cut."""
        graph = sparse.coo_matrix((np.ones(len(i), dtype=np.int8), (i, j)), shape=(n, n))
        count, comp = connected_components(graph, directed=False)
        order = np.argsort(comp, kind="stable")
        bounds = np.r_[0, np.flatnonzero(np.diff(comp[order])) + 1, n]
        for s, e in zip(bounds[:-1], bounds[1:], strict=True):
            members = np.sort(order[s:e])
            self.stats.groups += 1
            self.stats.largest_group = max(self.stats.largest_group, len(members))
            if len(members) <= self.corpus.max_component or cut >= 0.99:
                yield members
                continue
            self.stats.groups_split += 1
            inside = np.isin(i, members) & np.isin(j, members)
            local = {int(m): x for x, m in enumerate(members)}
            li = np.array([local[int(v)] for v in i[inside]], dtype=np.int64)
            lj = np.array([local[int(v)] for v in j[inside]], dtype=np.int64)
            higher = cut + (1.0 - cut) / 4
            keep = p[inside] >= higher
            for part in self._groups(len(members), li[keep], lj[keep], p[inside][keep], higher):
                yield members[part]


def _first_seen_order(labels: np.ndarray) -> np.ndarray:
    """Renumber labels in order of first appearance (as the batch grouper's ``fcluster`` order
    does not matter for stories, this only makes runs comparable)."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty_like(first)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inverse]

