"""A token tagger for attributions: who (Source), the reporting words (Cue), and what was said
(Content), in the BIO scheme over one paragraph's tokens.

Rules on the parse find reported speech after speech verbs; news attributes far more than that
("criticized the plan", "polls show", "in a statement"). This linear-chain CRF, trained on
PolNeAR's training split (``training/attribution``), learns those from the parse itself.

Features are computed for every token at once from spaCy's attribute arrays: each is a 64-bit
hash of a template and the values it combines (spaCy's own string hashes), so the model is a
sorted array of feature hashes and a weight row for each. Decoding is Viterbi over the learned
transitions. Nothing here needs the training libraries.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, LEMMA, LOWER, POS, SENT_START, SHAPE, TAG
from spacy.strings import get_string_id
from spacy.tokens import Doc

from unspin.analyse.quote_marks import QuotePiece

LABELS = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON")
KINDS = ("SRC", "CUE", "CON")
WEIGHTS = Path(__file__).resolve().parent / "models" / "weights" / "speech" / "tagger.npz"

_ATTRS = [LOWER, LEMMA, TAG, POS, DEP, ENT_TYPE, ENT_IOB, SHAPE, HEAD, SENT_START]
_K1, _K2, _K3 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9)
_MASK = (1 << 64) - 1
_ANCESTOR_DEPTH = 6
# Which kinds of dependents a token has: a verb with a subject and a clausal complement is how a
# reporting clause looks, whatever the verb.
_CHILD_DEPS = ("nsubj", "nsubjpass", "ccomp", "xcomp", "dobj", "prep", "pobj", "agent", "advcl", "punct", "mark")
_NO_WORD = np.uint64(0x5EED)  # stands for "no token there" (before the first, after the last)


def _mix(template: int, *values: np.ndarray) -> np.ndarray:
    h = np.full(values[0].shape, np.uint64(((template + 1) * int(_K3)) & _MASK), dtype=np.uint64)
    for n, v in enumerate(values):
        h ^= (v + np.uint64(n + 1)) * (_K1 if n % 2 == 0 else _K2)
        h = (h << np.uint64(13)) | (h >> np.uint64(51))
    return h


def _shift(a: np.ndarray, by: int, para: np.ndarray) -> np.ndarray:
    """``a`` moved ``by`` places (positive: the value of the token ``by`` to the left), never
    across a paragraph's edge."""
    out = np.full_like(a, _NO_WORD)
    if by > 0:
        out[by:] = np.where(para[by:] == para[:-by], a[:-by], _NO_WORD)
    else:
        out[:by] = np.where(para[:by] == para[-by:], a[-by:], _NO_WORD)
    return out


def _symbol(text: str) -> np.uint64:
    """The value spaCy's attribute arrays hold for a label (a symbol id or a string hash)."""
    return np.uint64(get_string_id(text))


def _child_flags(dep: np.ndarray, heads: np.ndarray) -> np.ndarray:
    flags = np.zeros(len(dep), dtype=np.uint64)
    for bit, name in enumerate(_CHILD_DEPS):
        children = np.flatnonzero(dep == _symbol(name))
        children = children[heads[children] != children]
        np.bitwise_or.at(flags, heads[children], np.uint64(1 << bit))
    return flags


def token_features(docs: Sequence[Doc], quoted: Sequence[np.ndarray | None] | None = None) -> np.ndarray:
    """One row per token of all ``docs`` (paragraphs, in order) of uint64 feature hashes, a
    fixed number of templates. ``quoted`` marks, per doc, the tokens inside quote marks.
    Computed over all the docs at once: per-paragraph numpy calls would cost more than the
    arithmetic."""
    docs = list(docs)
    quoted = quoted if quoted is not None else [None] * len(docs)
    sizes = [len(d) for d in docs]
    n = sum(sizes)
    if n == 0:
        return np.zeros((0, N_TEMPLATES), dtype=np.uint64)
    arr = np.concatenate([d.to_array(_ATTRS) for d in docs if len(d)])
    lower, lemma, tag, pos, dep, ent, iob, shape = (arr[:, j] for j in range(8))
    index = np.arange(n, dtype=np.int64)
    heads = index + arr[:, 8].view(np.int64)  # relative offsets stay within each doc
    sent_start = (arr[:, 9].view(np.int64) == 1).astype(np.uint64)
    para = np.repeat(np.arange(len(docs)), sizes)
    sent_start[np.cumsum([0, *sizes[:-1]])[np.array(sizes) > 0]] = 1
    q = np.concatenate([np.zeros(k, dtype=np.uint64) if m is None else m.astype(np.uint64)
                        for k, m in zip(sizes, quoted, strict=True)])
    flags = _child_flags(dep, heads)
    h_lemma, h_tag, h_dep = lemma[heads], tag[heads], dep[heads]
    grand = heads[heads]
    side = np.sign(heads - index).astype(np.int64).view(np.uint64) + np.uint64(2)

    def shift(a: np.ndarray, by: int) -> np.ndarray:
        return _shift(a, by, para)

    cols = [
        _mix(0, np.zeros(n, dtype=np.uint64)),  # bias
        _mix(1, lower), _mix(2, lemma), _mix(3, tag), _mix(4, dep), _mix(5, ent, iob), _mix(6, shape),
        _mix(7, shift(lower, 1)), _mix(8, shift(lower, -1)), _mix(9, shift(lower, 2)), _mix(10, shift(lower, -2)),
        _mix(11, shift(tag, 1), tag), _mix(12, tag, shift(tag, -1)), _mix(13, shift(lemma, 1), lemma),
        _mix(14, h_lemma), _mix(15, h_tag), _mix(16, h_dep), _mix(17, dep, h_lemma), _mix(18, dep, h_dep),
        _mix(19, side, dep), _mix(20, lemma[grand]), _mix(21, h_dep, lemma[grand]),
        _mix(22, lemma, flags), _mix(23, pos, flags), _mix(24, q), _mix(25, q, tag), _mix(26, sent_start, tag),
        _mix(27, q, shift(q, 1), shift(q, -1)),
    ]
    # The bag of "inside the D-subtree of L" for the first ancestors: what clause a token sits in,
    # and as what, whichever verb governs it.
    child, anc = index, heads
    nearest_verb = np.full(n, _NO_WORD, dtype=np.uint64)
    found = np.zeros(n, dtype=bool)
    verb = _symbol("VERB")
    for _ in range(_ANCESTOR_DEPTH):
        root = anc == child
        cols.append(np.where(root, _NO_WORD, _mix(28, lemma[anc], dep[child])))
        is_verb = (pos[anc] == verb) & ~found & ~root
        nearest_verb[is_verb] = _mix(29, lemma[anc[is_verb]], dep[child[is_verb]],
                                     (anc[is_verb] > index[is_verb]).astype(np.uint64))
        found |= is_verb
        child, anc = anc, heads[anc]
    cols.append(nearest_verb)
    return np.stack(cols, axis=1)


N_TEMPLATES = 28 + _ANCESTOR_DEPTH + 1


def quoted_mask(doc: Doc, pieces: list[QuotePiece], text: str) -> np.ndarray:
    """True for the tokens that start inside quote marks (the marks included)."""
    starts = doc.to_array(IDX).astype(np.int64) if len(doc) else np.zeros(0, dtype=np.int64)
    mask = np.zeros(len(doc), dtype=bool)
    for piece in pieces:
        mask |= (starts >= piece.open) & (starts < piece.outer_end(text))
    return mask


TENSOR_WIDTH = 96  # en_core_web_sm's tok2vec width


def token_tensors(docs: Sequence[Doc]) -> np.ndarray:
    """spaCy's contextual vectors of every token of ``docs`` (zeros for a doc parsed without
    them, so the sparse features still decide)."""
    parts = [d.tensor.astype(np.float32) if d.tensor.shape == (len(d), TENSOR_WIDTH)
             else np.zeros((len(d), TENSOR_WIDTH), np.float32) for d in docs]
    return np.concatenate(parts) if parts else np.zeros((0, TENSOR_WIDTH), np.float32)


@dataclass
class TaggedSpan:
    kind: str  # SRC, CUE or CON
    start: int  # token indices in the paragraph doc, end exclusive
    end: int


def spans_of(labels: np.ndarray) -> list[TaggedSpan]:
    """The B/I runs of a label sequence (indices into ``LABELS``)."""
    spans: list[TaggedSpan] = []
    current: TaggedSpan | None = None
    for i, lab in enumerate(labels.tolist()):
        name = LABELS[lab]
        if name == "O":
            current = None
            continue
        prefix, kind = name.split("-")
        if prefix == "B" or current is None or current.kind != kind:
            current = TaggedSpan(kind, i, i + 1)
            spans.append(current)
        else:
            current.end = i + 1
    return spans


def _allowed() -> np.ndarray:
    """Transitions the BIO scheme permits: I-X only after B-X or I-X."""
    ok = np.ones((len(LABELS), len(LABELS)), dtype=bool)
    for j, name in enumerate(LABELS):
        if name.startswith("I-"):
            kind = name[2:]
            ok[:, j] = [prev in (f"B-{kind}", f"I-{kind}") for prev in LABELS]
    return ok


class SpeechTagger:
    """The trained tagger: ``features`` (sorted uint64), ``weights`` (features x labels),
    ``transitions`` (labels x labels), ``start`` (labels)."""

    def __init__(self, features: np.ndarray, weights: np.ndarray, transitions: np.ndarray, start: np.ndarray,
                 calibration: np.ndarray | None = None, dense: np.ndarray | None = None,
                 dense_mean: np.ndarray | None = None, dense_std: np.ndarray | None = None):
        self.calibration = calibration
        order = np.argsort(features)
        self.features = features[order]
        self.weights = np.vstack([weights[order].astype(np.float32), np.zeros((1, weights.shape[1]), np.float32)])
        self.transitions = np.where(_allowed(), transitions, -1e4).astype(np.float32)
        self.start = np.where([not n.startswith("I-") for n in LABELS], start, -1e4).astype(np.float32)
        # weights on spaCy's contextual token vectors (doc.tensor), standardised first
        self.dense = None if dense is None else dense.astype(np.float32)
        self.dense_mean, self.dense_std = dense_mean, dense_std

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> SpeechTagger:
        with np.load(path) as data:
            def opt(key: str) -> np.ndarray | None:
                return data[key] if key in data else None

            return cls(data["features"], data["weights"], data["transitions"], data["start"], opt("calibration"),
                       opt("dense"), opt("dense_mean"), opt("dense_std"))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        extra: dict[str, Any] = {} if self.calibration is None else {"calibration": self.calibration}
        if self.dense is not None:
            extra |= {"dense": self.dense.astype(np.float16), "dense_mean": self.dense_mean,
                      "dense_std": self.dense_std}
        np.savez_compressed(path, features=self.features, weights=self.weights[:-1].astype(np.float16),
                            transitions=self.transitions, start=self.start, **extra)

    def confidence(self, marginal: float, has_cue: bool, has_speaker: bool) -> float:
        """How likely a Content span is an attribution, from the tagger's mean marginal over its
        tokens and whether a Cue and a speaker were found. Platt-scaled on held-out articles
        (``training/attribution/calibrate.py``): the raw marginals are overconfident."""
        if self.calibration is None:
            return marginal * (1.0 if has_cue else 0.7) * (1.0 if has_speaker else 0.85)
        m = min(max(marginal, 1e-4), 1 - 1e-4)
        w = self.calibration
        z = w[0] * np.log(m / (1 - m)) + w[1] * has_cue + w[2] * has_speaker + w[3]
        return float(1.0 / (1.0 + np.exp(-z)))

    def scores(self, feats: np.ndarray, tensors: np.ndarray | None = None) -> np.ndarray:
        idx = np.searchsorted(self.features, feats)
        idx = np.minimum(idx, len(self.features) - 1)
        missing = self.features[idx] != feats
        idx[missing] = len(self.features)  # the zero row
        out = self.weights[idx].sum(axis=1)
        if self.dense is not None and tensors is not None:
            out += ((tensors - self.dense_mean) / self.dense_std) @ self.dense
        return out

    def decode(self, emissions: list[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Viterbi labels and, for each token, the marginal probability of its label, for several
        sequences at once (padded side by side: the Python loop runs over the longest one's
        tokens, not over all of them)."""
        lens = np.array([len(e) for e in emissions])
        if len(emissions) == 0 or lens.max() == 0:
            return [(np.zeros(n, dtype=np.int64), np.zeros(n)) for n in lens]
        P, L, K = len(emissions), int(lens.max()), len(LABELS)
        E = np.zeros((P, L, K), dtype=np.float64)
        for p, e in enumerate(emissions):
            E[p, : len(e)] = e
        paths = self._viterbi(E, lens)
        marg = self._marginals(E, lens)
        chosen = np.take_along_axis(marg, paths[:, :, None], axis=2)[:, :, 0]
        return [(paths[p, : lens[p]], chosen[p, : lens[p]]) for p in range(P)]

    def _viterbi(self, E: np.ndarray, lens: np.ndarray) -> np.ndarray:
        P, L, K = E.shape
        keep = np.broadcast_to(np.arange(K), (P, K))
        back = np.zeros((P, L, K), dtype=np.int64)
        score = self.start + E[:, 0]
        for i in range(1, L):
            cand = score[:, :, None] + self.transitions
            best = cand.argmax(axis=1)
            new = np.take_along_axis(cand, best[:, None, :], axis=1)[:, 0] + E[:, i]
            active = (i < lens)[:, None]
            score = np.where(active, new, score)
            back[:, i] = np.where(active, best, keep)
        path = np.zeros((P, L), dtype=np.int64)
        path[:, -1] = score.argmax(axis=1)
        for i in range(L - 1, 0, -1):
            path[:, i - 1] = np.take_along_axis(back[:, i], path[:, i : i + 1], axis=1)[:, 0]
        return path

    def _marginals(self, E: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """Forward-backward with scaling, in probabilities."""
        P, L, K = E.shape
        X = np.exp(E - E.max(axis=2, keepdims=True))
        M = np.exp(self.transitions.astype(np.float64))
        alpha, beta, scale = np.zeros((P, L, K)), np.ones((P, L, K)), np.ones((P, L))
        a = np.exp(self.start.astype(np.float64)) * X[:, 0]
        scale[:, 0] = a.sum(axis=1)
        alpha[:, 0] = a / scale[:, 0, None]
        for i in range(1, L):
            a = (alpha[:, i - 1] @ M) * X[:, i]
            scale[:, i] = a.sum(axis=1)
            alpha[:, i] = a / scale[:, i, None]
        for i in range(L - 2, -1, -1):
            b = (X[:, i + 1] * beta[:, i + 1]) @ M.T / scale[:, i + 1, None]
            beta[:, i] = np.where((i + 1 < lens)[:, None], b, 1.0)
        marg = alpha * beta
        return marg / np.maximum(marg.sum(axis=2, keepdims=True), 1e-300)

    def tag_many(self, docs: Sequence[Doc], masks: Sequence[np.ndarray | None]
                 ) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each doc: its labels (indices into LABELS) and each label's marginal probability."""
        scores = self.scores(token_features(docs, masks), token_tensors(docs) if self.dense is not None else None)
        bounds = np.cumsum([0] + [len(d) for d in docs])
        return self.decode([scores[a:b] for a, b in itertools.pairwise(bounds)])

    def tag(self, doc: Doc, quoted: np.ndarray | None = None) -> np.ndarray:
        return self.tag_many([doc], [quoted])[0][0]


@lru_cache(maxsize=1)
def load_tagger() -> SpeechTagger | None:
    """The shipped tagger, loaded once; None when its weights are not installed."""
    return SpeechTagger.load(WEIGHTS) if WEIGHTS.exists() else None
