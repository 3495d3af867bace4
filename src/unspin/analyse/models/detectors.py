"""Run the shipped detectors on one article: paragraph techniques + spans, frames, genre.

The bundle (``weights/detectors/``, described by its ``manifest.json``) holds:
- ``model.onnx``: the fine-tuned multi-task MiniLM (int8). One pass per paragraph gives the
  paragraph technique logits, per-token technique scores (-> character spans) and the pooled
  paragraph vector. Optional: a bundle without it (``network: null``) still works, with
  sentence-level spans.
- ``heads.npz``: the hashed n-gram heads (techniques per paragraph, frames per article), the
  technique stacker (``stacking.py``) with its blend and threshold, and the genre head.

Techniques: stacker over the n-gram scores in their article context, blended with the
network's logits, calibrated, cut at one shared threshold. The network only reads the
paragraphs the stacker is not sure are free of techniques (the bundle's ``net_gate``, chosen
by cross-validation; the share that skips it and what that costs are in the model card).
Frames: n-gram head over the article, Platt-scaled per frame. Genre: a small head over style cues
(``textfeats.style_features``).
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from unspin.analyse.models import textfeats
from unspin.analyse.models.heads import NgramHead, platt_scaled, sigmoid, softmax
from unspin.analyse.models.labels import FRAMES, GENRES, TECHNIQUES
from unspin.analyse.models.names import PLACEHOLDER, masked_words
from unspin.analyse.models.onnx_runtime import WEIGHTS_DIR, load_session, load_tokenizer, require
from unspin.analyse.models.paragraph_inputs import encode_paragraph, prepare_context
from unspin.analyse.models.spans import best_window, sentence_spans, token_runs
from unspin.analyse.models.stacking import Stacker, article_context

DETECTORS_DIR = WEIGHTS_DIR / "detectors"
FRAME_SUPPORT = 3  # paragraphs reported as support for each frame
FRAME_CUES = 5  # words reported as the evidence for each frame


def skips_network(stack: np.ndarray, gate: float) -> np.ndarray:
    """Units (rows of stacker logits) whose top probability is under ``gate``: the network does
    not read them. Training chooses the gate with this same rule."""
    return sigmoid(stack).max(axis=1) < gate


@dataclass
class SpanHit:
    technique: str
    start: int  # offsets into the paragraph text
    end: int
    confidence: float
    # "tokens": a run of tokens over the token head's threshold; "strongest": no run passed, the
    # strongest stretch; "sentence": no network, the n-gram head's best sentence.
    origin: str = "tokens"


@dataclass
class ParagraphPrediction:
    probs: np.ndarray  # (23,) calibrated technique probabilities
    labels: list[str]  # techniques at or above the threshold
    spans: list[SpanHit] = field(default_factory=list)


def genre_choices(P: np.ndarray, satire_min: float) -> np.ndarray:
    """Genre index per row of probabilities: the most probable, except that satire under
    ``satire_min`` gives way to the better other genre. Training scores its folds with this too."""
    pred = P.argmax(1)
    s = GENRES.index("satire")
    low = (pred == s) & (P[:, s] < satire_min)
    others = [i for i in range(len(GENRES)) if i != s]
    pred[low] = np.array(others)[P[np.ix_(low, others)].argmax(1)]
    return pred


@dataclass
class ArticlePrediction:
    title: ParagraphPrediction | None
    paragraphs: list[ParagraphPrediction]
    frame_probs: np.ndarray  # (14,)
    frames: list[str]
    frame_support: dict[str, list[tuple[int, float]]]  # frame -> [(paragraph index, score)]
    genre_probs: np.ndarray  # (3,)
    satire_min: float = 0.0  # satire is said only from this probability on (the bundle's)
    # The units (title first) as the heads read them: names masked, and their n-gram counts;
    # kept so that ``prediction_cues`` traces the frames without masking and counting again.
    masked: list[str] = field(default_factory=list, repr=False)
    counts: list[Counter[int]] = field(default_factory=list, repr=False)

    @property
    def genre(self) -> str:
        return GENRES[int(genre_choices(self.genre_probs[None, :], self.satire_min)[0])]


@dataclass
class _Started:
    """An article between ``Detectors._begin`` and ``_finish``: the network may still be running."""

    units: list[str]
    title_first: bool
    stack: np.ndarray | None = None
    network: dict[int, Future] = field(default_factory=dict)
    frame_probs: np.ndarray | None = None
    frames: list[str] = field(default_factory=list)
    support: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    genre_probs: np.ndarray | None = None
    masked: list[str] = field(default_factory=list)
    counts: list[Counter[int]] = field(default_factory=list)


@dataclass
class _Network:
    """The fine-tuned network's outputs for one text."""

    logits: np.ndarray  # (23,)
    token_probs: np.ndarray  # (tokens, 23)
    offsets: list[tuple[int, int]]
    in_text: list[bool]
    names: list[bool]  # the token is a masked name


class Detectors:
    """Lazy loader + predictor for the shipped detector bundle (thread-safe load, then read-only).

    ``fast=True`` leaves the network out: n-gram stacker only, sentence-level spans, several
    times faster (for large corpora), a few points lower (the bundle's ``cv.json``)."""

    def __init__(self, weights_dir: Path = DETECTORS_DIR, threads: int = 2, fast: bool = False) -> None:
        self.weights_dir = Path(weights_dir)
        self.threads = threads
        self.fast = fast
        self._lock = threading.Lock()
        self._loaded = False
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid = 0

    @property
    def available(self) -> bool:
        return (self.weights_dir / "manifest.json").exists() and (self.weights_dir / "heads.npz").exists()

    @property
    def manifest(self) -> dict:
        return json.loads(require(self.weights_dir / "manifest.json", "detector").read_text())

    @property
    def model_id(self) -> str:
        m = self.manifest
        return f"{m['name']}{'-fast' if self.fast and m.get('network') else ''}@{m['version']}"

    def load(self) -> None:
        with self._lock:
            if self._loaded:
                return
            self.meta = self.manifest
            with np.load(require(self.weights_dir / "heads.npz", "detector heads")) as z:
                arrays = {k: z[k] for k in z.files}
            words = require(self.weights_dir / self.meta["common_words"], "common-word list")
            self.common = frozenset(words.read_text(encoding="utf-8").split())
            self.ngram = NgramHead(arrays, "ng")
            self.frame_head = NgramHead(arrays, "fr")
            self.stacker = Stacker(arrays)
            self.blend = arrays["tech_blend"]  # per technique: (stack weight, network weight, bias)
            # Paragraphs whose top stacker probability is under the gate skip the network; their
            # stacker logits are recalibrated by (weight, bias). Bundles before v4 have no gate.
            self.net_gate = float(arrays.get("net_gate", 0.0))
            self.gated_blend = arrays.get("gated_blend", np.array([1.0, 0.0], np.float32))
            self.tech_thr = float(arrays["tech_thr"])
            self.frame_thr = float(arrays["frame_thr"])
            # Per-frame Platt scaling (scale, bias) of the article logits; bundles before v6 have none.
            self.frame_cal = arrays.get("frame_cal", np.tile(np.array([1.0, 0.0], np.float32), (len(FRAMES), 1)))
            self.tok_thr = float(arrays["tok_thr"])
            self.genre_W, self.genre_b = arrays["genre_W"], arrays["genre_b"]
            self.genre_mu, self.genre_sd = arrays["genre_mu"], arrays["genre_sd"]
            self.satire_min = float(arrays.get("genre_satire_min", 0.0))  # bundles before v9: none
            self.session = None
            if self.fast or not self.meta.get("network"):
                self.blend = np.tile(np.array([1.0, 0.0, 0.0], np.float32), (len(TECHNIQUES), 1))
                self.tech_thr = float(arrays.get("tech_thr_fast", arrays["tech_thr"]))
            else:
                # One thread per run and paragraphs run side by side: a batch-1 MiniLM is too small
                # for intra-op threads to pay off, two paragraphs at once use both cores.
                self.session = load_session(require(self.weights_dir / self.meta["network"], "detector"), 1)
                require(self.weights_dir / "tokenizer.json", "detector tokenizer")
                self._local = threading.local()
                self._name_id = self.tokenizer.token_to_id(PLACEHOLDER)
            self._loaded = True

    @property
    def tokenizer(self):
        """This thread's tokenizer: encoding reconfigures truncation, so threads never share one."""
        tok = getattr(self._local, "tokenizer", None)
        if tok is None:
            tok = self._local.tokenizer = load_tokenizer(self.weights_dir / "tokenizer.json", self.meta["max_length"])
        return tok

    # -- the network ---------------------------------------------------------------------------
    def _run(self, text: str, context: str) -> _Network:
        """Encode one unit (``context`` already prepared) and run the network on it: in a pool
        thread, so one unit is tokenised while the other core runs the network."""
        enc = encode_paragraph(self.tokenizer, text, context, self.meta["max_length"], self.common,
                               context_prepared=True)
        feed = {
            "input_ids": np.asarray([enc.ids], dtype=np.int64),
            "attention_mask": np.asarray([enc.attention_mask], dtype=np.int64),
            "token_type_ids": np.asarray([enc.type_ids], dtype=np.int64),
        }
        assert self.session is not None  # only called with the network loaded
        para_logits, tok_logits = self.session.run(["para_logits", "tok_logits"], feed)
        return _Network(para_logits[0], sigmoid(tok_logits[0]), enc.offsets, [s == 0 for s in enc.sequence_ids],
                        [i == self._name_id for i in enc.ids])

    def _start_network(self, units: list[str], title_first: bool, which: list[int]) -> dict[int, Future[_Network]]:
        """Start the network on the units numbered ``which`` (the title is the context of the
        others); the caller does its own work while the runs go on in the pool and collects
        them when needed."""
        if not which:
            return {}
        title = prepare_context(self.tokenizer, units[0], self.common) if title_first else ""
        pool = self._executor()
        return {i: pool.submit(self._run, units[i], "" if (title_first and i == 0) else title) for i in which}

    def _executor(self) -> ThreadPoolExecutor:
        """The network's thread pool, made in the process that uses it: a process forked from one
        that has loaded the detectors (a worker sharing its models) inherits no pool threads.
        The session itself is safe to share: with one intra-op thread it has no threads."""
        if self._pool is None or self._pool_pid != os.getpid():
            self._pool = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="unspin-net")
            self._pool_pid = os.getpid()
        return self._pool

    def network_wanted(self, stack: np.ndarray) -> np.ndarray:
        """Which units the network reads: those the stacker is not sure are free of techniques."""
        if self.session is None:
            return np.zeros(len(stack), bool)
        return ~skips_network(stack, self.net_gate)

    # -- techniques ----------------------------------------------------------------------------
    def stacked_logits(self, masked: list[str], ng: np.ndarray, title_first: bool) -> np.ndarray:
        """The stacker's logits (n, 23) from the n-gram logits of one article's units (the
        title first when ``title_first``) in their article context, and the units' own cues."""
        n = len(masked)
        # Cues are read from the masked text, so a longer or shorter name changes nothing.
        rep = textfeats.repetition_features(masked[0] if title_first else "", masked)
        surf = np.stack([textfeats.surface_features(u, i, n, title_first and i == 0) for i, u in enumerate(masked)])
        return self.stacker.logits([ng], [article_context(ng)], np.hstack([rep, surf]))

    def blend_probs(self, stack: np.ndarray, nets: dict[int, _Network]) -> np.ndarray:
        """Calibrated technique probabilities: the stacker blended with the network's logits
        where the network ran, the recalibrated stacker where the gate skipped it."""
        if self.session is None:  # fast mode or a bundle without network: blend = (1, 0, 0)
            return sigmoid(self.blend[:, 0] * stack + self.blend[:, 2])
        z = self.gated_blend[0] * stack + self.gated_blend[1]
        for i, net in nets.items():
            z[i] = self.blend[:, 0] * stack[i] + self.blend[:, 1] * net.logits + self.blend[:, 2]
        return sigmoid(z)

    def _spans(self, text: str, labels: list[str], probs: np.ndarray, net: _Network | None) -> list[SpanHit]:
        spans: list[SpanHit] = []
        for lab in labels:
            j = TECHNIQUES.index(lab)
            origin = "tokens"
            if net is not None:
                runs = token_runs(net.token_probs[:, j], net.offsets, net.in_text, text, self.tok_thr,
                                  names=net.names)
                if not runs:  # back the paragraph label with its strongest stretch
                    win = best_window(net.token_probs[:, j], net.offsets, net.in_text, text, names=net.names)
                    runs, origin = ([win] if win else []), "strongest"
            else:
                runs, origin = [self._best_sentence(text, j)], "sentence"
            spans += [SpanHit(lab, s, e, min(conf, float(probs[j])), origin) for s, e, conf in runs]
        return spans

    def _best_sentence(self, text: str, j: int) -> tuple[int, int, float]:
        """Without the network: the sentence the n-gram head scores highest for label ``j``."""
        sents = sentence_spans(text) or [(0, len(text))]
        rows = [textfeats.ngram_counts(masked_words(text[s:e], self.common)) for s, e in sents]
        scores = sigmoid(self.ngram.logits(rows)[:, j])
        k = int(np.argmax(scores))
        return sents[k][0], sents[k][1], float(scores[k])

    # -- article -------------------------------------------------------------------------------
    def predict(self, title: str, paragraphs: list[str]) -> ArticlePrediction:
        return self._finish(self._begin(title, paragraphs))

    def predict_many(self, articles: Iterable[tuple[str, list[str]]]) -> Iterator[ArticlePrediction]:
        """``predict`` over many (title, paragraphs), in order. The next article's n-gram work is
        done while the network still reads the previous one, so neither core waits for the other."""
        pending: _Started | None = None
        for title, paragraphs in articles:
            started = self._begin(title, paragraphs)
            if pending is not None:
                yield self._finish(pending)
            pending = started
        if pending is not None:
            yield self._finish(pending)

    def _begin(self, title: str, paragraphs: list[str]) -> _Started:
        """Everything but the network's results: n-gram heads, stacker, frames, genre; the
        network is started on the units the stacker is unsure of."""
        self.load()
        title = title.strip()
        units = ([title] if title else []) + list(paragraphs)
        if not units:
            return _Started(units, False)
        masked = [masked_words(u, self.common) for u in units]
        counts = [textfeats.ngram_counts(m) for m in masked]
        ng = self.ngram.logits(counts)
        stack = self.stacked_logits(masked, ng, bool(title))
        # The stacker decides which units the network reads; frames and genre are worked out
        # while it runs.
        pending = self._start_network(units, bool(title), np.flatnonzero(self.network_wanted(stack)).tolist())
        frame_probs, frames, support = self._frames(counts, bool(title))
        style = textfeats.style_features(masked[1:] if title else masked, sigmoid(ng))
        genre_probs = softmax(((style - self.genre_mu) / self.genre_sd) @ self.genre_W + self.genre_b)
        return _Started(units, bool(title), stack, pending, frame_probs, frames, support, genre_probs, masked, counts)

    def _finish(self, st: _Started) -> ArticlePrediction:
        if not st.units:
            return ArticlePrediction(None, [], np.zeros(len(FRAMES)), [], {}, np.full(len(GENRES), 1 / len(GENRES)))
        assert st.stack is not None and st.frame_probs is not None and st.genre_probs is not None  # set with units
        nets = {i: f.result() for i, f in st.network.items()}
        probs = self.blend_probs(st.stack, nets)
        preds = []
        for i, text in enumerate(st.units):
            labels = [TECHNIQUES[j] for j in np.flatnonzero(probs[i] >= self.tech_thr)]
            preds.append(ParagraphPrediction(probs[i], labels, self._spans(text, labels, probs[i], nets.get(i))))
        title_pred, body_preds = (preds[0], preds[1:]) if st.title_first else (None, preds)
        return ArticlePrediction(title_pred, body_preds, st.frame_probs, st.frames, st.support, st.genre_probs,
                                 self.satire_min, st.masked, st.counts)

    def prediction_cues(self, pred: ArticlePrediction, k: int = FRAME_CUES) -> dict[str, list[tuple[str, float]]]:
        """The words of the article ``pred`` was made from that raise each frame's score most
        (word, share of the logit), traced through the frame head: each bucket's weight x value
        is split among the words that produce it. The evidence a reader can check behind a
        frame; names are masked, so never cues. Reuses the prediction's masked units."""
        frames = pred.frames
        if not frames:
            return {}
        counts: Counter[int] = Counter()
        for unit_counts in pred.counts:
            counts.update(unit_counts)  # what ``unit_counts`` gives the head
        idx, val = textfeats.weigh(counts, self.frame_head.idf)
        if not len(idx):
            return {}
        cols = [FRAMES.index(f) for f in frames]
        contrib = val[:, None] * (self.frame_head.Wq[idx][:, cols].astype(np.float32) * self.frame_head.scale[cols])
        # words x buckets, each bucket's value shared equally by the words that make it
        position = dict(zip(idx.tolist(), range(len(idx)), strict=True))
        vocab: dict[str, int] = {}
        rows, cols_, share = [], [], []
        for b, ws in textfeats.bucket_owners(pred.masked).items():
            j = position.get(b)
            if j is None:
                continue
            for w in ws:
                rows.append(vocab.setdefault(w, len(vocab)))
                cols_.append(j)
                share.append(1.0 / len(ws))
        by_word = np.zeros((len(vocab), len(frames)), np.float64)
        np.add.at(by_word, np.array(rows, np.int64), contrib[np.array(cols_, np.int64)] * np.array(share)[:, None])
        names = list(vocab)
        usable = np.array([len(w) > 2 and w not in textfeats.STOP_WORDS for w in names], bool)
        out: dict[str, list[tuple[str, float]]] = {}
        for c, f in enumerate(frames):
            score = np.where(usable, by_word[:, c], 0.0)
            total = float(score[score > 0].sum()) or 1.0
            top = [i for i in np.argsort(-score, kind="stable")[:k] if score[i] > 0]
            out[f] = [(names[i], round(float(score[i]) / total, 4)) for i in top]
        return out

    def _frames(self, counts: list[Counter[int]], title_first: bool):
        """Frame probabilities of the article, the frames over the threshold, and for each
        frame the paragraphs that carry it most (the article head applied to each alone)."""
        article: Counter[int] = Counter()
        for c in counts:
            article.update(c)
        frame_probs = sigmoid(platt_scaled(self.frame_head.logits([article])[0], self.frame_cal))
        frames = [FRAMES[j] for j in np.flatnonzero(frame_probs >= self.frame_thr)]
        body = counts[1:] if title_first else counts
        support: dict[str, list[tuple[int, float]]] = {}
        if body and frames:
            per_par = sigmoid(self.frame_head.logits(body))
            for f in frames:
                j = FRAMES.index(f)
                top = np.argsort(-per_par[:, j], kind="stable")[:FRAME_SUPPORT]
                support[f] = [(int(i), round(float(per_par[i, j]), 4)) for i in top]
        return frame_probs, frames, support


DETECTOR_MODES = ("full", "fast")


def detector_mode(mode: str | None = None) -> str:
    """``mode`` when given (the config file's ``[analyse] detectors``), else ``UNSPIN_DETECTORS``,
    else ``full``: ``fast`` leaves the network out."""
    chosen = (mode if mode is not None else os.environ.get("UNSPIN_DETECTORS", "full")).strip().lower()
    if chosen not in DETECTOR_MODES:
        source = "the detector mode" if mode is not None else "UNSPIN_DETECTORS"
        raise ValueError(f"{source} must be 'full' or 'fast', not {chosen!r}")
    return chosen


def get_detectors(mode: str | None = None) -> Detectors:
    """The process-wide detectors of a mode (``detector_mode``); each loads on first use."""
    return _detectors(detector_mode(mode))


@lru_cache(maxsize=len(DETECTOR_MODES))
def _detectors(mode: str) -> Detectors:
    return Detectors(fast=mode == "fast")
