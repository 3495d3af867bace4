"""The ``narratives`` analyse component: which narratives of the SemEval-2025 Task 10 taxonomy an
article tells (war in Ukraine, climate change), with its sub-narratives and the paragraphs that
carry each; "Other" when it is on those topics but tells none of them; nothing (said as such)
when it is on neither topic.

The model (``models/weights/narratives``, trained by ``unspin models train narratives``, see its
MODEL_CARD.md) reads two things of an article, both cheap: TF-IDF of its words and word pairs
(computed here as scikit-learn's ``TfidfVectorizer`` does, so that scikit-learn is not needed at
run time) and the shipped sentence encoder's vector of its headline and opening (the text story
grouping embeds, so the encoder's memo serves both). Linear heads give, per label, a probability
calibrated on held-out batches of the training data; a domain head says whether the article is
about the war, the climate, or neither.

Names are not masked here, unlike the persuasion detectors: the taxonomy's labels name the sides
("Discrediting Ukraine", "Praise of Russia"), so who is talked about is what tells them apart. The
tests swap the actors and check that the label follows them.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from unspin.analyse.models.onnx_runtime import WEIGHTS_DIR
from unspin.analyse.pipeline import register
from unspin.types import Analysis, Finding

NARRATIVES_DIR = WEIGHTS_DIR / "narratives"
OTHER = "Other"
NONE = "none"  # the domain head's third class: neither the war nor the climate
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern
OPENING_CHARS = 1200
# The domain head learnt "neither" from one kind of article (US politics); an article unlike all
# three (sport, business) spreads its probability: below this, it is about neither topic.
MIN_DOMAIN = 0.5
DOMAIN_PREFIX = {"UA": "URW: ", "CC": "CC: "}


def opening(title: str, paragraphs: list[str]) -> str:
    """The headline and the opening of the body: what the encoder reads (as story grouping does)."""
    return (f"{title}\n" + " ".join(paragraphs))[:OPENING_CHARS] if title else " ".join(paragraphs)[:OPENING_CHARS]


def ngrams(text: str) -> Counter:
    """Words of two letters or more, lower-cased, and adjacent pairs: TfidfVectorizer((1, 2))."""
    words = _TOKEN.findall(text.lower())
    out = Counter(words)
    out.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return out


@dataclass
class NarrativePrediction:
    domain: str  # "UA" | "CC" | "none"
    domain_confidence: float
    coarse: list[tuple[str, float]] = field(default_factory=list)  # (label, probability), "Other" alone when none
    fine: dict[str, list[tuple[str, float]]] = field(default_factory=dict)  # coarse label -> its sub-narratives
    evidence: dict[str, list[int]] = field(default_factory=dict)  # coarse label -> paragraph indices


class NarrativeModel:
    """Loads lazily, once (thread-safe); ``available`` says whether the weights are shipped."""

    def __init__(self, weights_dir: Path = NARRATIVES_DIR) -> None:
        self.weights_dir = Path(weights_dir)
        self._lock = threading.Lock()
        self._w: dict | None = None

    @property
    def available(self) -> bool:
        return (self.weights_dir / "narratives.npz").exists() and (self.weights_dir / "labels.json").exists()

    @property
    def model_id(self) -> str:
        return f"narratives@{self._weights()['meta']['version']}"

    def _weights(self) -> dict:
        with self._lock:
            if self._w is None:
                meta = json.loads((self.weights_dir / "labels.json").read_text(encoding="utf-8"))
                with np.load(self.weights_dir / "narratives.npz") as z:
                    arrays = {k: z[k].astype(np.float32) for k in z.files}
                self._w = {"meta": meta, "vocab": {g: i for i, g in enumerate(meta["vocab"])}, **arrays}
            return self._w

    # -- features -----------------------------------------------------------------------------
    def tfidf(self, text: str) -> np.ndarray:
        w = self._weights()
        vocab, idf = w["vocab"], w["idf"]
        row = np.zeros(len(idf), dtype=np.float32)
        for gram, n in ngrams(text).items():
            j = vocab.get(gram)
            if j is not None:
                row[j] = (1.0 + math.log(n)) * idf[j]
        norm = math.sqrt(float((row * row).sum()))  # not np.linalg.norm: no BLAS call (see _dot)
        return row / norm if norm else row

    def features(self, title: str, paragraphs: list[str], vectors=None) -> np.ndarray:
        """TF-IDF of the whole text beside the encoder's vector of the opening (scaled as trained)."""
        w = self._weights()
        text = "\n".join([title, *paragraphs]) if title else "\n".join(paragraphs)
        scale = w["meta"]["embedding_scale"]
        if not scale:  # a model trained on TF-IDF alone: the encoder is not run
            return np.concatenate([self.tfidf(text), np.zeros(w["coarse_w"].shape[0] - len(w["idf"]), np.float32)])
        if vectors is None:
            from unspin.analyse.models.encoder import get_encoder

            vectors = get_encoder().embed
        emb = np.asarray(vectors([opening(title, paragraphs)]), dtype=np.float32)[0]
        return np.concatenate([self.tfidf(text), scale * emb])

    # -- prediction -----------------------------------------------------------------------------
    def probabilities(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Calibrated per-label probabilities (coarse, fine) and the domain distribution."""
        w = self._weights()
        cal = w["meta"]["calibration"]
        pc = _sigmoid(cal["coarse"][0] * (_dot(x, w["coarse_w"]) + w["coarse_b"]) + cal["coarse"][1])
        pf = _sigmoid(cal["fine"][0] * (_dot(x, w["fine_w"]) + w["fine_b"]) + cal["fine"][1])
        z = _dot(x, w["domain_w"]) + w["domain_b"]
        pd = np.exp(z - z.max())
        return pc, pf, pd / pd.sum()

    def predict(self, title: str, paragraphs: list[str], vectors=None) -> NarrativePrediction:
        w = self._weights()
        meta = w["meta"]
        x = self.features(title, paragraphs, vectors)
        pc, pf, pd = self.probabilities(x)
        return decide(meta, pc, pf, pd, evidence=lambda k: self._evidence(paragraphs, k))

    def _evidence(self, paragraphs: list[str], k: int, top: int = 2) -> list[int]:
        """The paragraphs whose own words raise coarse label ``k`` most (TF-IDF part of its head)."""
        w = self._weights()
        head = w["coarse_w"][: len(w["idf"]), k]
        scored = [(float(_dot(self.tfidf(p), head[:, None])[0]), i) for i, p in enumerate(paragraphs) if p.strip()]
        return sorted(i for s, i in sorted(scored, reverse=True)[:top] if s > 0)


def decide(meta: dict, pc: np.ndarray, pf: np.ndarray, pd: np.ndarray, evidence=None) -> NarrativePrediction:
    """The labels from the probabilities, by the rule the thresholds were chosen with: the domain
    first (its labels only; neither topic unless one is at least ``MIN_DOMAIN`` likely); every narrative at ``coarse_threshold``, and the likeliest one from
    ``coarse_floor``; "Other" when none; under each narrative its sub-narratives at
    ``fine_threshold``, else "<narrative>: Other"."""
    domains = meta["domains"]
    d = int(np.argmax(pd))
    if domains[d] != NONE and pd[d] < meta.get("min_domain", MIN_DOMAIN):  # unsure of either topic: neither
        topics = [p for name, p in zip(domains, pd, strict=False) if name != NONE]
        return NarrativePrediction(domain=NONE, domain_confidence=round(1.0 - float(max(topics)), 4))
    out = NarrativePrediction(domain=domains[d], domain_confidence=round(float(pd[d]), 4))
    if domains[d] == NONE:
        return out
    prefix = DOMAIN_PREFIX[domains[d]]
    coarse, fine = meta["coarse"], meta["fine"]
    cand = [(float(pc[k]), k) for k, lab in enumerate(coarse) if lab.startswith(prefix)]
    th = meta["thresholds"]
    chosen = [k for p, k in cand if p >= th["coarse_threshold"]]
    if cand:
        p, k = max(cand)
        if p >= th["coarse_floor"] and k not in chosen:
            chosen.append(k)
    if not chosen:
        out.coarse = [(OTHER, round(1.0 - max((p for p, _ in cand), default=0.0), 4))]
        return out
    for k in sorted(chosen, key=lambda k: -pc[k]):
        label = coarse[k]
        out.coarse.append((label, round(float(pc[k]), 4)))
        kids = [(round(float(pf[j]), 4), f) for j, f in enumerate(fine)
                if f.startswith(label + ": ") and not f.endswith(": Other") and pf[j] >= th["fine_threshold"]]
        out.fine[label] = [(f, p) for p, f in sorted(kids, reverse=True)] or [(f"{label}: {OTHER}", round(float(pc[k]), 4))]
        if evidence is not None:
            out.evidence[label] = evidence(k)
    return out


def _dot(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``x @ w`` over the non-zero entries of ``x`` only (a document uses a few hundred of the
    8,000 features), without BLAS: its threads spin after each call and take a core from the rest
    of the analysis (measured: the whole analysis 24 % slower with ``@`` here)."""
    nz = np.flatnonzero(x)
    return (w[nz] * x[nz, None]).sum(axis=0)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


MIN_WORDS = 40  # as for frames and genre: too little text to say what story an article tells


class NarrativesComponent:
    """Adds ``narrative`` findings (article-level, like frames): one per narrative told, with its
    sub-narratives and the paragraphs that carry it; one ``Other``; or one ``none`` saying the
    article is about neither topic of the taxonomy."""

    name = "narratives"
    requires: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ("narrative",)

    def __init__(self, model: NarrativeModel | None = None) -> None:
        self.model = model or get_narratives()
        if not self.model.available:
            from unspin.analyse.models.onnx_runtime import WeightsMissing

            raise WeightsMissing(f"analyse component 'narratives' needs its weights in {self.model.weights_dir}, "
                                 "which this installation lacks, or leave 'narratives' out of [analyse] components")
        self.version = self.model.model_id.split("@", 1)[1]
        self.source = f"model:{self.model.model_id}"

    @staticmethod
    def available() -> bool:
        """Whether the shipped weights are there (the default pipeline runs it only then)."""
        return NarrativeModel().available

    def load(self) -> None:
        # Its own weights only: the sentence encoder it also reads keeps loading on first use,
        # as its ONNX session has threads of its own that a forked worker would not inherit.
        self.model._weights()

    def __call__(self, doc: Analysis) -> Analysis:
        art = doc.article
        paras = [(sp.start, sp.end, sp.text) for sp in art.body_spans()]
        if sum(len(p.split()) for _, _, p in paras) < MIN_WORDS:
            return doc
        pred = self.model.predict(art.title_text or "", [p for _, _, p in paras])
        doc.findings.extend(self.findings(pred, paras))
        return doc

    def findings(self, pred: NarrativePrediction, paras: list[tuple[int, int, str]]) -> list[Finding]:
        if pred.domain == NONE:
            return [Finding(kind="narrative", label=NONE, confidence=pred.domain_confidence, source=self.source,
                            explanation="The article is about neither the war in Ukraine nor climate change, the two "
                                        f"topics the narrative taxonomy covers (probability {pred.domain_confidence:.2f}); "
                                        "no narrative is claimed.",
                            attrs={"level": "domain", "domain": NONE})]
        topic = "the war in Ukraine" if pred.domain == "UA" else "climate change"
        out = []
        for label, p in pred.coarse:
            if label == OTHER:
                out.append(Finding(kind="narrative", label=OTHER, confidence=p, source=self.source,
                                   explanation=f"The article is about {topic} but tells none of the taxonomy's "
                                               f"narratives (probability {p:.2f} that it tells none).",
                                   attrs={"level": "coarse", "domain": pred.domain, "subnarratives": []}))
                continue
            where = [i for i in pred.evidence.get(label, []) if i < len(paras)]
            subs = pred.fine.get(label, [])
            out.append(Finding(
                kind="narrative", label=label, confidence=p, source=self.source,
                explanation=f"The article tells the narrative \u201c{label}\u201d (calibrated probability {p:.2f})"
                            + (f"; sub-narratives: {', '.join(s.split(': ', 2)[-1] for s, _ in subs)}" if subs else "")
                            + (f"; carried most by paragraph(s) {', '.join(str(i + 1) for i in where)}" if where else "")
                            + ".",
                attrs={"level": "coarse", "domain": pred.domain,
                       "subnarratives": [{"label": s, "confidence": q} for s, q in subs],
                       "paragraphs": where, "spans": [[paras[i][0], paras[i][1]] for i in where]},
            ))
        return out


@lru_cache(maxsize=1)
def get_narratives() -> NarrativeModel:
    """The process-wide model (loads its weights on first use)."""
    return NarrativeModel()


register("narratives")(NarrativesComponent)
