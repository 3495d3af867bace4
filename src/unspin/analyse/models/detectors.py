"""Run the shipped detectors on one article: paragraph techniques + spans, frames, genre.

One encoder pass per paragraph feeds every head. Two kinds of shipped bundle (``manifest.json``):
- ``finetuned``: ``model.onnx`` (fine-tuned MiniLM, int8) outputs paragraph technique logits,
  token technique logits (-> spans) and the pooled paragraph vector;
- ``frozen``: the shared ``minilm-embed`` encoder + linear technique head; spans are the sentence
  of the paragraph that the head scores highest.
Frames and genre are linear heads (``heads.npz``) over ``[mean body vector, title vector]``.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from unspin.analyse.models.encoder import Encoder
from unspin.analyse.models.heads import Head, SoftmaxHead, sigmoid
from unspin.analyse.models.labels import FRAMES, GENRES, TECHNIQUES
from unspin.analyse.models.onnx_runtime import WEIGHTS_DIR, load_session, load_tokenizer, require
from unspin.analyse.models.paragraph_inputs import encode_paragraph
from unspin.analyse.models.spans import best_window, sentence_spans, token_runs

DETECTORS_DIR = WEIGHTS_DIR / "detectors"
FRAME_SUPPORT = 3  # paragraphs reported as support for each frame


@dataclass
class SpanHit:
    technique: str
    start: int  # offsets into the paragraph text
    end: int
    confidence: float


@dataclass
class ParagraphPrediction:
    probs: np.ndarray  # (23,) calibrated technique probabilities
    labels: list[str]  # techniques at or above their threshold
    spans: list[SpanHit] = field(default_factory=list)


@dataclass
class ArticlePrediction:
    title: ParagraphPrediction | None
    paragraphs: list[ParagraphPrediction]
    frame_probs: np.ndarray  # (14,)
    frames: list[str]
    frame_support: dict[str, list[tuple[int, float]]]  # frame -> [(paragraph index, score)]
    genre_probs: np.ndarray  # (3,)

    @property
    def genre(self) -> str:
        return GENRES[int(np.argmax(self.genre_probs))]


class Detectors:
    """Lazy loader + predictor for the shipped detector bundle."""

    def __init__(self, weights_dir: Path = DETECTORS_DIR, threads: int = 2) -> None:
        self.weights_dir = Path(weights_dir)
        self.threads = threads
        self._lock = threading.Lock()
        self._loaded = False

    @property
    def available(self) -> bool:
        return (self.weights_dir / "manifest.json").exists() and (self.weights_dir / "heads.npz").exists()

    @property
    def model_id(self) -> str:
        m = self.manifest
        return f"{m['name']}@{m['version']}"

    @property
    def manifest(self) -> dict:
        return json.loads(require(self.weights_dir / "manifest.json", "detector").read_text())

    def load(self) -> None:
        with self._lock:
            if self._loaded:
                return
            self.meta = self.manifest
            arrays = dict(np.load(require(self.weights_dir / "heads.npz", "detector heads")))
            self.tech = Head(arrays, "tech")
            self.frame = Head(arrays, "frame")
            self.genre = SoftmaxHead(arrays, "genre")
            self.tok_thr = float(arrays.get("tok_thr", np.array(0.5)))
            if self.meta["kind"] == "finetuned":
                self.session = load_session(require(self.weights_dir / "model.onnx", "detector"), self.threads)
                self.tokenizer = load_tokenizer(
                    require(self.weights_dir / "tokenizer.json", "detector tokenizer"), self.meta["max_length"])
            else:
                self.encoder = Encoder(WEIGHTS_DIR / self.meta["encoder"], self.meta["max_length"], self.threads)
            self._loaded = True

    # -- one pass per paragraph ----------------------------------------------------------------
    def _run_finetuned(self, text: str, context: str):
        enc = encode_paragraph(self.tokenizer, text, context, self.meta["max_length"])
        feed = {
            "input_ids": np.asarray([enc.ids], dtype=np.int64),
            "attention_mask": np.asarray([enc.attention_mask], dtype=np.int64),
            "token_type_ids": np.asarray([enc.type_ids], dtype=np.int64),
        }
        para_logits, tok_logits, pooled = self.session.run(["para_logits", "tok_logits", "pooled"], feed)
        return para_logits[0], sigmoid(tok_logits[0]), pooled[0], enc

    def _paragraph_finetuned(self, text: str, context: str) -> tuple[ParagraphPrediction, np.ndarray]:
        para_logits, tok_probs, pooled, enc = self._run_finetuned(text, context)
        probs = self.tech.calibrate(para_logits)
        labels = [TECHNIQUES[j] for j in np.flatnonzero(probs >= self.tech.thr)]
        in_text = [s == 0 for s in enc.sequence_ids]
        spans: list[SpanHit] = []
        for lab in labels:
            j = TECHNIQUES.index(lab)
            runs = token_runs(tok_probs[:, j], enc.offsets, in_text, text, self.tok_thr)
            if not runs:  # back the paragraph label with its strongest stretch
                win = best_window(tok_probs[:, j], enc.offsets, in_text, text)
                runs = [win] if win else []
            spans += [SpanHit(lab, a, b, min(conf, float(probs[j]))) for a, b, conf in runs]
        return ParagraphPrediction(probs, labels, spans), pooled

    def _paragraphs_frozen(self, title: str, texts: list[str]) -> tuple[list[ParagraphPrediction], np.ndarray, np.ndarray | None]:
        vecs = self.encoder.embed(([title] if title else []) + texts)
        title_vec = vecs[0] if title else np.zeros(vecs.shape[1], np.float32)
        body = vecs[1:] if title else vecs
        preds = []
        for i, text in enumerate(([title] if title else []) + texts):
            v = vecs[i]
            ctx = np.zeros_like(title_vec) if (title and i == 0) else title_vec
            probs = self.tech.probs(np.concatenate([v, ctx])[None])[0]
            labels = [TECHNIQUES[j] for j in np.flatnonzero(probs >= self.tech.thr)]
            preds.append(ParagraphPrediction(probs, labels, self._sentence_spans(text, labels, probs, ctx)))
        return preds, body, (title_vec if title else None)

    def _sentence_spans(self, text: str, labels: list[str], probs: np.ndarray, ctx: np.ndarray) -> list[SpanHit]:
        """Frozen kind: the highest-scoring sentence of the paragraph backs each label."""
        if not labels:
            return []
        sents = sentence_spans(text)
        if len(sents) <= 1:
            a, b = sents[0] if sents else (0, len(text))
            return [SpanHit(lab, a, b, float(probs[TECHNIQUES.index(lab)])) for lab in labels]
        vecs = self.encoder.embed([text[a:b] for a, b in sents])
        sp = self.tech.probs(np.concatenate([vecs, np.repeat(ctx[None], len(vecs), 0)], axis=1))
        out = []
        for lab in labels:
            j = TECHNIQUES.index(lab)
            k = int(np.argmax(sp[:, j]))
            out.append(SpanHit(lab, sents[k][0], sents[k][1], float(min(sp[k, j], probs[j]))))
        return out

    # -- article -------------------------------------------------------------------------------
    def predict(self, title: str, paragraphs: list[str]) -> ArticlePrediction:
        self.load()
        title = title.strip()
        if self.meta["kind"] == "finetuned":
            title_pred, title_vec = (self._paragraph_finetuned(title, "") if title else (None, None))
            results = [self._paragraph_finetuned(p, title) for p in paragraphs]
            preds = [r[0] for r in results]
            body = np.stack([r[1] for r in results]) if results else np.zeros((0, 384), np.float32)
        else:
            all_preds, body, title_vec = self._paragraphs_frozen(title, paragraphs)
            title_pred, preds = (all_preds[0], all_preds[1:]) if title else (None, all_preds)
        dim = body.shape[1] if len(body) else 384
        tvec = title_vec if title_vec is not None else np.zeros(dim, np.float32)
        article_x = np.concatenate([body.mean(0) if len(body) else np.zeros(dim, np.float32), tvec])[None]
        frame_probs = self.frame.probs(article_x)[0]
        frames = [FRAMES[j] for j in np.flatnonzero(frame_probs >= self.frame.thr)]
        support: dict[str, list[tuple[int, float]]] = {}
        if len(body):
            # Which paragraphs carry a frame: the frame head applied to each paragraph alone.
            per_par = self.frame.probs(np.concatenate([body, np.repeat(tvec[None], len(body), 0)], axis=1))
            for f in frames:
                j = FRAMES.index(f)
                top = np.argsort(-per_par[:, j])[:FRAME_SUPPORT]
                support[f] = [(int(i), round(float(per_par[i, j]), 4)) for i in top]
        genre_probs = self.genre.probs(article_x)[0]
        return ArticlePrediction(title_pred, preds, frame_probs, frames, support, genre_probs)


@lru_cache(maxsize=1)
def get_detectors() -> Detectors:
    return Detectors()
