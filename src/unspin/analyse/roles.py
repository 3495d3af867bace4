"""The ``roles`` analyse component: the part an article gives its main named entities, in the
SemEval-2025 Task 10 taxonomy: Protagonist, Antagonist or Innocent, with a fine role under it
(Guardian, Instigator, Victim, ...), and the mentions that support it.

The model (``models/weights/roles``, trained by ``unspin models train roles``, see its
MODEL_CARD.md) reads each mention in its context with the name itself replaced by a neutral word
("someone"), so the role comes from what the text says of the entity, not from who it is: the
shipped sentence encoder's vectors of the neutral word's tokens and of the whole window, then
linear heads calibrated on held-out collection batches. An entity's role in the article is read
from its first mention (the mean over more, when ``MENTIONS_READ`` allows them).

Roles are given only in articles on the taxonomy's topics (the war in Ukraine, climate change):
the model learnt them there, and the ``narratives`` component says which topic an article is on.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from unspin.analyse.models.onnx_runtime import WEIGHTS_DIR
from unspin.analyse.pipeline import register
from unspin.types import Analysis, Entity, Finding

ROLES_DIR = WEIGHTS_DIR / "roles"
MAIN_ROLES = ("Protagonist", "Antagonist", "Innocent")
FINE_ROLES: dict[str, tuple[str, ...]] = {
    "Protagonist": ("Guardian", "Martyr", "Peacemaker", "Rebel", "Underdog", "Virtuous"),
    "Antagonist": ("Instigator", "Conspirator", "Tyrant", "Foreign Adversary", "Traitor", "Spy", "Saboteur",
                   "Corrupt", "Incompetent", "Terrorist", "Deceiver", "Bigot"),
    "Innocent": ("Forgotten", "Exploited", "Victim", "Scapegoat"),
}
PARENT = {fine: main for main, fines in FINE_ROLES.items() for fine in fines}
MASK = "someone"  # what the name becomes: a word that says nothing of whom it stands for
# Words read on each side of a mention: 20 scored as well as 40 on the grouped folds (12 lower),
# at 5 ms of CPU a mention instead of 8.
WINDOW_WORDS = 20
FEATURE_DIM = 768  # the neutral word's tokens, then the whole window (384 each)


def masked_window(text: str, start: int, end: int, words: int = WINDOW_WORDS) -> tuple[str, int, int]:
    """The words around ``text[start:end]`` with the mention replaced by ``MASK``; the mask's
    offsets in the window."""
    left = " ".join(text[max(0, start - 12 * words) : start].split()[-words:])
    right = " ".join(text[end : end + 12 * words].split()[:words])
    head = f"{left} " if left else ""
    window = head + MASK + (f" {right}" if right else "")
    return window, len(head), len(head) + len(MASK)


def mention_features(text: str, spans: list[tuple[int, int]], states=None) -> np.ndarray:
    """(len(spans), FEATURE_DIM): for each mention, the mean vector of the mask's tokens beside the
    mean vector of its whole window. ``states`` maps a text to (token vectors, offsets); by default
    the shipped sentence encoder's."""
    if states is None:
        states = role_encoder().token_states
    out = np.zeros((len(spans), FEATURE_DIM), dtype=np.float32)
    for i, (start, end) in enumerate(spans):
        window, ms, me = masked_window(text, start, end)
        vecs, offsets = states(window)
        inside = [k for k, (a, b) in enumerate(offsets) if b > a and a >= ms and b <= me]
        out[i, :384] = vecs[inside].mean(axis=0) if inside else vecs[0]
        out[i, 384:] = vecs.mean(axis=0)
    return out


@dataclass
class RolePrediction:
    main: str
    main_confidence: float
    fine: list[tuple[str, float]] = field(default_factory=list)  # under ``main``, likeliest first
    main_probabilities: dict[str, float] = field(default_factory=dict)


class RoleModel:
    """Loads lazily, once (thread-safe); ``available`` says whether the weights are shipped."""

    def __init__(self, weights_dir: Path = ROLES_DIR) -> None:
        self.weights_dir = Path(weights_dir)
        self._lock = threading.Lock()
        self._w: dict | None = None

    @property
    def available(self) -> bool:
        return (self.weights_dir / "roles.npz").exists() and (self.weights_dir / "labels.json").exists()

    @property
    def model_id(self) -> str:
        return f"roles@{self._weights()['meta']['version']}"

    @property
    def main_labels(self) -> list[str]:
        """The main roles in the order of the model's outputs."""
        return list(self._weights()["meta"]["main"])

    def _weights(self) -> dict:
        with self._lock:
            if self._w is None:
                meta = json.loads((self.weights_dir / "labels.json").read_text(encoding="utf-8"))
                with np.load(self.weights_dir / "roles.npz") as z:
                    arrays = {k: z[k].astype(np.float32) for k in z.files}
                self._w = {"meta": meta, **arrays}
            return self._w

    def probabilities(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated (main, fine) probabilities for rows of mention features."""
        w = self._weights()
        z = (x - w["mean"]) / w["scale"]
        cal = w["meta"]["calibration"]
        return (_softmax(cal["main"] * (z @ w["main_w"] + w["main_b"])),
                _softmax(cal["fine"] * (z @ w["fine_w"] + w["fine_b"])))

    def predict(self, pm: np.ndarray, pf: np.ndarray) -> RolePrediction:
        return decide(self._weights()["meta"], pm, pf)

    def label_mentions(self, text: str, spans: list[tuple[int, int]]):
        """Each mention's roles on its own (what the task scores), as ``roles_eval.RoleLabel``."""
        from unspin.analyse.roles_eval import RoleLabel

        if not spans:
            return []
        pm, pf = self.probabilities(mention_features(text, spans))
        out = []
        for i in range(len(spans)):
            pred = self.predict(pm[i], pf[i])
            out.append(RoleLabel(pred.main, tuple(f for f, _ in pred.fine)))
        return out


def decide(meta: dict, pm: np.ndarray, pf: np.ndarray) -> RolePrediction:
    """One mention's (or an entity's averaged) probabilities -> its roles, by the rule the
    thresholds were chosen with: the likeliest main role; under it, the likeliest fine role, and a
    second one when it holds at least ``second_fine`` of the main role's probability."""
    k = int(np.argmax(pm))
    main = meta["main"][k]
    kids = sorted(((float(pf[j]), f) for j, f in enumerate(meta["fine"]) if PARENT.get(f) == main), reverse=True)
    total = sum(p for p, _ in kids) or 1.0
    fine = [(f, round(p / total * float(pm[k]), 4)) for p, f in kids[:2]]
    if len(fine) > 1 and kids[1][0] / total < meta["second_fine"]:
        fine = fine[:1]
    return RolePrediction(main, round(float(pm[k]), 4), fine,
                          {m: round(float(p), 4) for m, p in zip(meta["main"], pm, strict=True)})


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


# -- which entities an article is about ------------------------------------------------------------
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
MAX_ENTITIES = 4  # the article's main entities: those named most often
MIN_MENTIONS = 2  # named once (and not in the headline): not a main entity
# Mentions of an entity the model reads (the first: in the headline or the lede, where the part is
# usually cast). Measured on 30 war and climate articles (bench/roles_speed.py): reading two of
# each of 3 entities cost the whole analysis 16-27 % of its CPU time; one of each of 4, 10-11 %
# (about 22 ms an article). Articles on neither topic cost nothing (no role is read).
MENTIONS_READ = 1
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.I)
_POSSESSIVE = re.compile(r"['\u2019]s?$")


@dataclass
class EntityMentions:
    name: str  # the fullest form the article uses
    label: str  # spaCy's entity label of that form
    spans: list[tuple[int, int, str]] = field(default_factory=list)


def _name_key(text: str) -> str:
    """A name without a leading article or a possessive, lower-cased: "the EU's" -> "eu"."""
    return _POSSESSIVE.sub("", _LEADING.sub("", text.strip())).lower()


def _plays_a_part(ent: Entity) -> bool:
    """People, countries, organisations, and groups named as groups ("Ukrainians", "Democrats"),
    not a nationality used as an adjective ("Ukrainian forces": the forces play the part)."""
    if ent.label == "NORP":
        return ent.text.rstrip().endswith("s")
    return ent.label in ENTITY_LABELS


def main_entities(entities: list[Entity], title_end: int | None = None,
                  limit: int = MAX_ENTITIES) -> list[EntityMentions]:
    """The people, countries, organisations and groups the article names most, mentions of one
    entity gathered: "Vladimir Putin" and a later "Putin" are one (a surname joins the full name
    it ends), "the EU" and "EU" are one. An entity named in the headline counts once more."""
    found: dict[str, EntityMentions] = {}
    for ent in sorted((e for e in entities if _plays_a_part(e)), key=lambda e: e.start):
        key = _name_key(ent.text)
        if not key:
            continue
        home = found.get(key)
        if home is None and ent.label == "PERSON" and " " not in key:
            home = next((m for k, m in found.items() if m.label == "PERSON" and k.endswith(" " + key)), None)
        if home is None:
            home = found[key] = EntityMentions(_POSSESSIVE.sub("", ent.text.strip()), ent.label)
        elif len(ent.text) > len(home.name) and ent.label == home.label and ent.text.lower().endswith(home.name.lower()):
            home.name = _POSSESSIVE.sub("", ent.text.strip())
        home.spans.append((ent.start, ent.end, ent.text))
    scored = []
    for m in {id(m): m for m in found.values()}.values():
        in_title = title_end is not None and any(s < title_end for s, _, _ in m.spans)
        weight = len(m.spans) + (1 if in_title else 0)
        if weight >= MIN_MENTIONS:
            scored.append((-weight, m.spans[0][0], m))
    return [m for _, _, m in sorted(scored, key=lambda t: t[:2])[:limit]]


MIN_WORDS = 40  # as for narratives: too little text to say who plays what part
# Under this calibrated probability a role is kept but not shown by default (views' switch shows
# all): on held-out collection batches, main roles said at 0.6 or more (366 of 686 mentions) were
# right 76 % of the time, against 70 % for all (training/roles, grouped folds).
DISPLAY_LEVEL = 0.6


class RolesComponent:
    """Adds ``role`` findings: one per main entity of an article on the war in Ukraine or on
    climate change, spanning its first supporting mention, with the fine role(s), the
    probability of each main role and every mention that supports it."""

    name = "roles"
    requires: tuple[str, ...] = ("entities",)
    reads: tuple[str, ...] = ("narrative",)
    assigns: tuple[str, ...] = ("role",)

    def __init__(self, model: RoleModel | None = None) -> None:
        self.model = model or get_roles()
        if not self.model.available:
            from unspin.analyse.models.onnx_runtime import WeightsMissing

            raise WeightsMissing(f"analyse component 'roles' needs its weights in {self.model.weights_dir}, "
                                 "which this installation lacks, or leave 'roles' out of [analyse] components")
        self.version = self.model.model_id.split("@", 1)[1]
        self.source = f"model:{self.model.model_id}"

    @staticmethod
    def available() -> bool:
        return RoleModel().available

    def load(self) -> None:
        # Its own weights only: the encoder session loads on first use, in the process that uses it.
        self.model._weights()

    def __call__(self, doc: Analysis) -> Analysis:
        if not self._on_topic(doc):
            return doc
        art = doc.article
        if sum(len(sp.text.split()) for sp in art.body_spans()) < MIN_WORDS:
            return doc
        title_end = art.title.end if art.title is not None else None
        entities = main_entities(doc.entities, title_end)
        doc.findings.extend(self.findings(art.original, entities))
        return doc

    @staticmethod
    def _on_topic(doc: Analysis) -> bool:
        """On the war or the climate, as the narratives component said; without that component
        (a pipeline that leaves it out), every article is read."""
        domains = [f.attrs.get("domain") for f in doc.findings if f.kind == "narrative"]
        return not domains or any(d in ("UA", "CC") for d in domains)

    def findings(self, original: str, entities: list[EntityMentions]) -> list[Finding]:
        out = []
        for ent in entities:
            read = ent.spans[:MENTIONS_READ]
            pm, pf = self.model.probabilities(mention_features(original, [(s, e) for s, e, _ in read]))
            pred = self.model.predict(pm.mean(axis=0), pf.mean(axis=0))
            k = self.model.main_labels.index(pred.main)
            support = [(s, e, t) for (s, e, t), row in zip(read, pm, strict=True) if int(np.argmax(row)) == k] or read[:1]
            s0, e0, t0 = support[0]
            fine = ", ".join(f for f, _ in pred.fine)
            out.append(Finding(
                kind="role", label=pred.main, start=s0, end=e0, text=t0, confidence=pred.main_confidence,
                source=self.source,
                explanation=f"The article casts {ent.name} as {pred.main.lower()}"
                            + (f" ({fine})" if fine else "")
                            + f", calibrated probability {pred.main_confidence:.2f}, read from "
                            f"{len(read)} of its {len(ent.spans)} mention(s) with the name itself hidden.",
                attrs={"entity": ent.name, "entity_label": ent.label,
                       "fine": [{"label": f, "confidence": p} for f, p in pred.fine],
                       "main_probabilities": pred.main_probabilities,
                       "mentions": [[s, e] for s, e, _ in support], "mentions_read": len(read),
                       "mentions_total": len(ent.spans),
                       **({"below_display": True} if pred.main_confidence < DISPLAY_LEVEL else {})},
            ))
        return out


@lru_cache(maxsize=1)
def role_encoder():
    """The shipped sentence encoder's weights in a session of one thread: a mention's window is
    short, and a second thread spent more CPU than it saved (12.7 against 7.7 ms of CPU a window,
    for 9.4 against 7.7 ms of wall time), CPU the other worker process needs. About 25 MB."""
    from unspin.analyse.models.encoder import Encoder

    return Encoder(threads=1, memo_size=0)


@lru_cache(maxsize=1)
def get_roles() -> RoleModel:
    """The process-wide model (loads its weights on first use)."""
    return RoleModel()


register("roles")(RolesComponent)
