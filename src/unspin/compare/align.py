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

from unspin.compare.units import Unit
from unspin.group.text import dice, numbers
from unspin.group.vectors import TextVectors
from unspin.types import Finding

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


def align(units: dict[str, list[Unit]], vectors: TextVectors | None = None) -> dict[str, list[Match]]:
    """For every sentence of every article, its best counterpart among the other articles."""
    ids = list(units)
    flat = [u for aid in ids for u in units[aid]]
    sem = None
    if vectors is not None and vectors.kind == "encoder" and flat:
        vecs = vectors([u.text for u in flat])
        sem = vecs @ vecs.T
    pos = {id(u): i for i, u in enumerate(flat)}
    figures = {id(u): distinctive_figures(u.text) for u in flat}
    out: dict[str, list[Match]] = {}
    for aid in ids:
        others = [u for bid in ids if bid != aid for u in units[bid]]
        matches = []
        for u in units[aid]:
            best: Match = Match(u, None, 0.0, None)
            for o in others:
                lex = dice(u.stems, o.stems)
                s = float(sem[pos[id(u)], pos[id(o)]]) if sem is not None else None
                both = figures[id(u)].keys() & figures[id(o)].keys()
                figure = figures[id(u)][min(both)] if both and max(lex, s or 0.0) >= FIGURE_MIN_SIMILARITY else None
                cand = Match(u, o, lex, s, figure)
                if _better(cand, best):
                    best = cand
            matches.append(best)
        out[aid] = matches
    return out


def distinctive_figures(text: str) -> dict[tuple[str, float], str]:
    """Figures that pin a sentence to one fact: a count of something (a unit word or %), at least
    ``FIGURE_MIN_VALUE``, not an ordinal or a length of time. (unit, value) -> as written."""
    out: dict[tuple[str, float], str] = {}
    for n in numbers(text):
        if not n.unit or n.unit.startswith("ordinal:") or n.unit in TIME_UNITS:
            continue
        if n.value >= FIGURE_MIN_VALUE or (n.unit == "%" and n.value != int(n.value)):  # 4.5 % is specific
            m = _NEXT_WORD.match(text, n.end)
            counted = m is not None and n.unit != "%" and m.group(0).strip().lower().startswith(n.unit[:4])
            out.setdefault((n.unit, n.value), n.text + (m.group(0) if counted else ""))
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
