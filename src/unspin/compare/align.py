"""Sentence alignment across the articles of a story: which body sentences have a counterpart
in another article (shared) and which appear in one article only (only_here).

Similarity is the larger of two signals: the Dice overlap of content-word stems (lexical, always
available) and the cosine of sentence-encoder vectors (semantic, when the encoder is installed).
Two sentences that both name entities but share none are not counted as the same fact; the
sources they cite (attributions, "according to ...", speakers) do not count as what they name.
Between the "shared" and the "only here" thresholds a sentence gets neither finding: we do not
claim what the evidence does not settle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from unspin.compare.units import Unit
from unspin.group.text import numbers
from unspin.group.vectors import TextVectors
from unspin.types import Finding, LeftOutFact

SOURCE = "rule:compare/align"


@dataclass(frozen=True)
class AlignConfig:
    shared_lexical: float = 0.5
    shared_semantic: float = 0.72
    only_lexical: float = 0.3
    only_semantic: float = 0.6  # same-topic sentences of one story sit around 0.5-0.6 with MiniLM


@dataclass
class Match:
    unit: Unit
    other: Unit | None
    lexical: float
    semantic: float | None
    figure: str | None = None  # a distinctive figure both sentences give ("20 million euros")

    def is_shared(self, cfg: AlignConfig) -> bool:
        if self.other is None or not self.entities_compatible:
            return False
        if self.figure is not None:
            return True  # "Forty-one people are dead" / "At least 41 people have died"
        return self.lexical >= cfg.shared_lexical or (self.semantic or 0.0) >= cfg.shared_semantic

    def is_only_here(self, cfg: AlignConfig) -> bool:
        if self.other is None:
            return True
        if not self.entities_compatible:
            return True  # the closest sentence is about other people or places: a different fact
        if self.figure is not None:
            return False
        return self.lexical < cfg.only_lexical and (self.semantic or 0.0) < cfg.only_semantic

    @property
    def entities_compatible(self) -> bool:
        if self.other is None:
            return False
        a, b = self.unit.entities, self.other.entities
        return not (a and b and not (a & b))

    @property
    def score(self) -> float:
        return max(self.lexical, self.semantic or 0.0)


@dataclass
class Similarity:
    """Every body sentence of a story against every other, as matrices over ``flat`` (the
    sentences of ``ids``' articles, article after article)."""

    ids: list[str]
    flat: list[Unit]
    owner: np.ndarray  # index into ids of each sentence's article
    lexical: np.ndarray
    semantic: np.ndarray | None
    compatible: np.ndarray  # Match.entities_compatible of each pair
    figures: list[dict]
    shares_figure: np.ndarray

    @property
    def score(self) -> np.ndarray:
        return self.lexical if self.semantic is None else np.maximum(self.lexical, self.semantic)

    def shared(self, cfg: AlignConfig) -> np.ndarray:
        """Pairs that ``Match.is_shared`` would call the same fact."""
        close = self.lexical >= cfg.shared_lexical
        if self.semantic is not None:
            close |= self.semantic >= cfg.shared_semantic
        return self.compatible & (self.shares_figure | close)

    def unlike(self, cfg: AlignConfig) -> np.ndarray:
        """Pairs that ``Match.is_only_here`` would call different facts."""
        far = self.lexical < cfg.only_lexical
        if self.semantic is not None:
            far &= self.semantic < cfg.only_semantic
        return ~self.compatible | (~self.shares_figure & far)

    def per_article(self, pairs: np.ndarray, how=np.logical_or) -> np.ndarray:
        """(sentences x articles): ``how``-reduce of ``pairs`` over each article's sentences."""
        counts = [int((self.owner == k).sum()) for k in range(len(self.ids))]
        out = np.zeros((len(self.flat), len(self.ids)), dtype=bool)
        col = 0
        for k, n in enumerate(counts):
            if n:
                out[:, k] = how.reduce(pairs[:, col : col + n], axis=1)
            else:
                out[:, k] = how is np.logical_and  # an article with no sentence lacks (and has) nothing
            col += n
        return out


def similarity(units: dict[str, list[Unit]], vectors: TextVectors | None = None) -> Similarity:
    ids = list(units)
    flat = [u for aid in ids for u in units[aid]]
    sem = None
    if vectors is not None and vectors.kind == "encoder" and flat:
        vecs = vectors([u.text for u in flat])
        sem = np.clip(vecs @ vecs.T, -1.0, 1.0)
    figures = [distinctive_figures(u.text) for u in flat]
    lex = _dice_matrix([u.stems for u in flat])
    score = lex if sem is None else np.maximum(lex, sem)
    return Similarity(
        ids=ids, flat=flat, owner=np.repeat(np.arange(len(ids)), [len(units[aid]) for aid in ids]),
        lexical=lex, semantic=sem, compatible=_compatible_matrix([u.entities for u in flat]), figures=figures,
        shares_figure=(_overlap_matrix([set(f) for f in figures]) > 0) & (score >= FIGURE_MIN_SIMILARITY),
    )


def align(units: dict[str, list[Unit]], vectors: TextVectors | None = None) -> dict[str, list[Match]]:
    """For every sentence of every article, its best counterpart among the other articles."""
    return best_matches(similarity(units, vectors))


def best_matches(sim: Similarity) -> dict[str, list[Match]]:
    """Each sentence's best counterpart in ``_better``'s order (entity-compatible first, then a
    shared figure, then the more similar; the first found wins a tie), for all pairs at once,
    so a 50-article story's 600 sentences take milliseconds, not seconds of pair-by-pair loops."""
    ids, flat = sim.ids, sim.flat
    out: dict[str, list[Match]] = {aid: [] for aid in ids}
    if not flat:
        return out
    # _better's key as one number: compatibility, then a shared figure, then the score (<= 1).
    key = sim.compatible * 4.0 + sim.shares_figure * 2.0 + sim.score
    key[sim.owner[:, None] == sim.owner[None, :]] = -np.inf  # never a sentence of the same article
    for i, u in enumerate(flat):
        j = int(np.argmax(key[i]))
        if key[i, j] <= 0.0:  # no other sentence, or none compatible and alike at all: no counterpart
            out[ids[sim.owner[i]]].append(Match(u, None, 0.0, None))
            continue
        both = sim.figures[i].keys() & sim.figures[j].keys()
        figure = sim.figures[i][min(both)] if sim.shares_figure[i, j] else None
        semantic = None if sim.semantic is None else float(sim.semantic[i, j])
        out[ids[sim.owner[i]]].append(Match(u, flat[j], float(sim.lexical[i, j]), semantic, figure))
    return out


def left_out(sim: Similarity, counted: set[str], cfg: AlignConfig, limit: int = 3) -> dict[str, list[LeftOutFact]]:
    """What each article leaves out that most others carry: sentences of other articles that at
    least half of the other ``counted`` articles (and at least two) have a counterpart of, and of
    which this article has nothing near (``Match.is_only_here``'s test, for every sentence it has).
    ``counted``: the articles that count as coverage (not copies); at most ``limit`` per article,
    the most widely carried first, one sentence per fact. Article id -> [{text, article_id,
    start, end, carried_by, of}]."""
    ids = sim.ids
    if len(counted) < 3 or not sim.flat:
        return {aid: [] for aid in ids}
    shared = sim.shared(cfg)
    carried = sim.per_article(shared)  # sentence i has a counterpart in article k
    missing = sim.per_article(sim.unlike(cfg), np.logical_and)  # article k has nothing near i
    is_counted = np.array([aid in counted for aid in ids], dtype=bool)
    out: dict[str, list[LeftOutFact]] = {}
    for k, aid in enumerate(ids):
        out[aid] = []
        if aid not in counted:
            continue
        pool = int(is_counted.sum()) - 1  # the other articles that count
        candidates = []
        for i in range(len(sim.flat)):
            o = sim.owner[i]
            if o == k or not is_counted[o] or not missing[i, k]:
                continue
            elsewhere = is_counted & carried[i]
            elsewhere[[k, o]] = False
            n = 1 + int(elsewhere.sum())  # its own article and the others that carry it too
            if n >= max(2, -(-pool // 2)):
                candidates.append((n, i))
        chosen: list[tuple[int, int]] = []
        for n, i in sorted(candidates, key=lambda c: (-c[0], c[1])):
            if len(chosen) < limit and not any(shared[i, j] for _, j in chosen):  # one sentence per fact
                chosen.append((n, i))
        out[aid] = [LeftOutFact(text=sim.flat[i].text, article_id=sim.flat[i].article_id, start=sim.flat[i].start,
                                end=sim.flat[i].end, carried_by=n, of=pool) for n, i in chosen]
    return out


def _incidence(sets: list) -> sparse.csr_matrix:
    vocab: dict = {}
    rows, cols = [], []
    for r, items in enumerate(sets):
        for item in items:
            rows.append(r)
            cols.append(vocab.setdefault(item, len(vocab)))
    return sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(sets), max(1, len(vocab))))


def _overlap_matrix(sets: list) -> np.ndarray:
    """How many items each pair of sets shares."""
    m = _incidence(sets)
    return np.asarray((m @ m.T).todense())


def _dice_matrix(sets: list) -> np.ndarray:
    """``dice`` of every pair of sets (0 where either is empty), as one matrix."""
    sizes = np.array([len(s) for s in sets], dtype=np.float64)
    total = sizes[:, None] + sizes[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where((sizes[:, None] > 0) & (sizes[None, :] > 0), 2.0 * _overlap_matrix(sets) / total, 0.0)
    return out


def _compatible_matrix(sets: list) -> np.ndarray:
    """``Match.entities_compatible`` of every pair: not both naming entities with none in common."""
    named = np.array([bool(s) for s in sets], dtype=bool)
    return ~(named[:, None] & named[None, :] & (_overlap_matrix(sets) == 0))


def distinctive_figures(text: str) -> dict[tuple[str, float], str]:
    """Figures that pin a sentence to one fact: a count of something (a unit word or %), at least
    ``FIGURE_MIN_VALUE``, not an ordinal or a length of time. (unit, value) -> as written."""
    out: dict[tuple[str, float], str] = {}
    for n in numbers(text):
        if not n.unit or n.unit.startswith("ordinal:") or n.unit in TIME_UNITS:
            continue
        if n.value >= FIGURE_MIN_VALUE or (n.unit == "%" and n.value != int(n.value)):  # 4.5 % is specific
            m = _NEXT_WORD.match(text, n.end)
            word = m.group(0) if m is not None else ""
            counted = n.unit != "%" and word.strip().lower().startswith(n.unit[:4])
            out.setdefault((n.unit, n.value), n.text + (word if counted else ""))
    return out


# Two sentences of one story that give the same count of the same thing (41 people, 20 million
# euros) report the same fact even when their words differ ("are dead" / "have died"); small
# numbers and spans of time recur by chance, and a little likeness is still asked.
FIGURE_MIN_VALUE = 10
FIGURE_MIN_SIMILARITY = 0.1
TIME_UNITS = frozenset({"second", "minut", "hour", "day", "week", "month", "year", "decad", "century", "centuri"})
_NEXT_WORD = re.compile(r"\s+[^\W\d_][\w'’-]*")


def _better(a: Match, b: Match) -> bool:
    # An entity-compatible counterpart beats an incompatible one; then one giving the same
    # figure; then the more similar.
    ka = (a.entities_compatible, a.figure is not None, a.score)
    kb = (b.entities_compatible, b.figure is not None, b.score)
    return ka > kb


def findings(matches: dict[str, list[Match]], labels: dict[str, str], cfg: AlignConfig) -> list[Finding]:
    out: list[Finding] = []
    for aid, ms in matches.items():
        for m in ms:
            u = m.unit
            if m.is_shared(cfg):
                o = m.other
                assert o is not None
                numbers_agree = _numbers_agree(u.text, o.text)
                out.append(
                    Finding(
                        kind="shared", label="sentence", start=u.start, end=u.end, text=u.text,
                        confidence=round(min(1.0, m.score), 3), source=SOURCE, article_id=aid,
                        explanation=f"{labels[o.article_id]} carries a sentence with the same content"
                                    + (f" (both give {m.figure})." if m.figure else "."),
                        attrs={
                            "other_article_id": o.article_id, "other_start": o.start, "other_end": o.end,
                            "other_text": o.text, "similarity": round(m.score, 3),
                            "lexical": round(m.lexical, 3),
                            "semantic": None if m.semantic is None else round(m.semantic, 3),
                            "entities_agree": m.unit.entities == o.entities,
                            "numbers_agree": numbers_agree,
                            "figure": m.figure,
                        },
                    )
                )
            elif m.is_only_here(cfg):
                closest = (
                    f" (closest: {labels[m.other.article_id]}, similarity {m.score:.2f})" if m.other else ""
                )
                out.append(
                    Finding(
                        kind="only_here", label="sentence", start=u.start, end=u.end, text=u.text,
                        confidence=_only_here_confidence(m, cfg), source=SOURCE, article_id=aid,
                        explanation=f"No other article in this story carries this sentence{closest}.",
                        attrs={
                            "closest_article_id": m.other.article_id if m.other else None,
                            "closest_text": m.other.text if m.other else None,
                            "similarity": round(m.score, 3),
                        },
                    )
                )
    return out


def _numbers_agree(a: str, b: str) -> bool:
    na = {(n.unit, n.value) for n in numbers(a)}
    nb = {(n.unit, n.value) for n in numbers(b)}
    return na == nb



def _only_here_confidence(m: Match, cfg: AlignConfig) -> float:
    """0.5 at the threshold, 1.0 when nothing in the other articles resembles the sentence."""
    if m.other is None:
        return 1.0
    margin = 1.0 - m.lexical / cfg.only_lexical
    if m.semantic is not None:
        margin = min(margin, 1.0 - m.semantic / cfg.only_semantic)
    return round(min(1.0, max(0.5, 0.5 + 0.5 * margin)), 3)
