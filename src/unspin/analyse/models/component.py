"""The ``models`` analyse component: trained detectors -> technique, frame and genre findings.

Always registered; the default pipeline runs it only when the shipped weights are present
(``available``), and building it without them fails with what is missing (``WeightsMissing``)."""

from __future__ import annotations

import re

from unspin.analyse.models.detectors import (
    DETECTORS_DIR,
    ArticlePrediction,
    Detectors,
    ParagraphPrediction,
    get_detectors,
)
from unspin.analyse.models.grounding import lexicon_spans
from unspin.analyse.models.labels import (
    CLOSE_GENRE,
    CONFIDENT_GENRE,
    DISPLAY_TECHNIQUE,
    FRAMES,
    GENRES,
    GLOSS,
    TECHNIQUES,
    human,
)
from unspin.analyse.models.onnx_runtime import WeightsMissing
from unspin.analyse.pipeline import register
from unspin.analyse.quote_marks import covering_quote
from unspin.types import Analysis, Article, Finding, Span


def mark_quoted(techniques: list[Finding], quotes: list[Finding]) -> None:
    """A technique span inside a direct quote is the speaker's rhetoric, not the outlet's:
    it carries ``in_quote`` and the ``speaker`` (summaries and charts count it apart)."""
    for f in techniques:
        if f.kind != "technique" or f.attrs.get("level") != "span" or f.start is None or f.end is None:
            continue
        quote = covering_quote(quotes, f.start, f.end)
        if quote is not None:
            f.attrs["in_quote"] = True
            f.attrs["speaker"] = quote.attrs.get("speaker")


class ModelsComponent:
    name = "models"
    requires: tuple[str, ...] = ()
    reads: tuple[str, ...] = ("quote",)  # a technique inside a quote is the speaker's
    assigns: tuple[str, ...] = ("technique", "frame", "genre")

    def __init__(self, detectors: Detectors | None = None, min_confidence: float = 0.0,
                 mode: str | None = None) -> None:
        """``mode``: ``full`` or ``fast`` (no network); None: ``UNSPIN_DETECTORS``, else full."""
        self.detectors = detectors or get_detectors(mode)
        if not self.detectors.available:
            raise WeightsMissing(f"analyse component 'models' needs the detectors' weights in {self.detectors.weights_dir}, "
                                 "which this installation lacks (they ship in the package; rebuild them with "
                                 "`unspin models train`), or leave 'models' out of [analyse] components")
        # The fast mode is another pipeline: stored analyses are redone when the mode changes, and
        # when what the component makes of the predictions changes (FINDINGS_REVISION).
        self.version = (self.detectors.model_id.split("@", 1)[1] + ("-fast" if self.detectors.fast else "")
                        + f".{FINDINGS_REVISION}")
        self.source = f"model:{self.detectors.model_id}"
        self.min_confidence = min_confidence
        if min_confidence:  # fewer findings: another pipeline, whose analyses are stored apart
            self.version += f"-min{min_confidence:g}"

    @staticmethod
    def available() -> bool:
        """Whether the shipped weights are there (the default pipeline runs it only then)."""
        return Detectors(DETECTORS_DIR).available

    def load(self) -> None:
        self.detectors.load()

    def __call__(self, doc: Analysis) -> Analysis:
        art = doc.article
        units = art.body_spans()
        title = art.title.text if art.title else ""
        if not units and not title:
            return doc
        pred = self.detectors.predict(title, [u.text for u in units])
        terms = [f for f in doc.findings if f.kind == "term"]
        found = self.findings(art, units, pred, terms)
        mark_quoted(found, doc.of_kind("quote"))
        doc.findings.extend(found)
        return doc

    def findings(self, art: Article, units: list[Span], pred: ArticlePrediction,
                 terms: list[Finding] | None = None) -> list[Finding]:
        """Findings from one article's predictions; ``terms`` (the lexicon's findings, when it
        ran first) can place a paragraph's label on the words they matched (``grounding``)."""
        out: list[Finding] = []
        scored: list[tuple[Span, ParagraphPrediction, int | str]] = [
            (u, p, i) for i, (u, p) in enumerate(zip(units, pred.paragraphs, strict=False))]
        if pred.title is not None and art.title is not None:
            t = art.title
            scored.insert(0, (Span(start=t.start, end=t.end, text=art.original[t.start : t.end]), pred.title, "title"))
        for unit, para, index in scored:
            for lab in para.labels:
                conf = float(para.probs[TECH_INDEX[lab]])
                if conf >= self.min_confidence:
                    out += self._technique(art, unit, para, index, lab, conf, terms or [])
        if sum(len(u.text.split()) for u in units) < MIN_WORDS_FOR_ARTICLE_LABELS:
            return out  # too little text to say how an article frames a story or what genre it is
        out += self._frames(art, units, pred)
        out.append(self._genre(pred))
        return out

    def _technique(self, art: Article, unit: Span, para: ParagraphPrediction, index: int | str, lab: str,
                   conf: float, terms: list[Finding]) -> list[Finding]:
        """One technique label of a paragraph (or the title): its spans, then the paragraph."""
        where = f"paragraph {index + 1}" if isinstance(index, int) else "the title"
        out: list[Finding] = []
        # The label's calibrated probability decides whether views show it by default.
        display: dict[str, float | bool] = {"label_confidence": round(conf, 4)}
        if conf < DISPLAY_TECHNIQUE:
            display["below_display"] = True
        located = lexicon_spans(art.original, unit, lab, terms)
        backing = [s for s in para.spans if s.technique == lab]
        if located:  # the lexicon's words beat the token head's weak fallback stretch
            backing = [s for s in backing if s.origin == "tokens"]
        # One highlight per label by default: the lexicon's words when it placed the label,
        # else the token head's strongest stretch; the others are kept, shown on request.
        strongest = None if located else max(backing, key=lambda s: s.confidence, default=None)
        spans: list[tuple[int, int]] = []
        for s in backing:
            a, b = unit.start + s.start, unit.start + s.end
            spans.append((a, b))
            extra = {} if s is strongest else {"below_display": True, "weaker_span": True}
            out.append(Finding(
                kind="technique", label=lab, start=a, end=b, text=art.original[a:b],
                confidence=round(min(max(s.confidence, 0.0), 1.0), 4), source=self.source,
                explanation=f"The model marks this wording as {human(lab)} ({GLOSS[lab]}) in {where}.",
                attrs={"level": "span", "paragraph": index, **display, **extra},
            ))
        for loc in located:
            if any(a < loc.end and loc.start < b for a, b in spans):
                continue  # the token head already marks these words
            spans.append((loc.start, loc.end))
            entry = loc.term.attrs.get("lexicon", loc.term.source)
            out.append(Finding(
                kind="technique", label=lab, start=loc.start, end=loc.end,
                text=art.original[loc.start : loc.end],
                confidence=round(min(conf, loc.term.confidence), 4), source=self.source,
                explanation=f"The model finds {human(lab)} ({GLOSS[lab]}) in {where}; the lexicon "
                            f"entry '{loc.term.label}' ({entry}) places it on these words.",
                attrs={"level": "span", "paragraph": index, **display,
                       "located_by": f"lexicon:{entry}#{loc.term.label}"},
            ))
        out.append(Finding(
            kind="technique", label=lab, start=unit.start, end=unit.end, text=unit.text,
            confidence=round(conf, 4), source=self.source,
            explanation=f"The model finds {human(lab)} ({GLOSS[lab]}) in {where} "
                        f"(calibrated probability {conf:.2f}).",
            attrs={"level": "paragraph", "paragraph": index, "spans": [list(x) for x in sorted(spans)],
                   **display},
        ))
        return out

    def _frames(self, art: Article, units: list[Span], pred: ArticlePrediction) -> list[Finding]:
        """One finding per frame the article uses, with its supporting paragraphs and cue words."""
        cues = self.detectors.prediction_cues(pred)
        out = []
        for f in pred.frames:
            conf = float(pred.frame_probs[FRAME_INDEX[f]])
            support = pred.frame_support.get(f, [])
            placed = _place_cues(art, units, [i for i, _ in support], cues.get(f, []))
            words = ", ".join(c["word"] for c in placed)
            out.append(Finding(
                kind="frame", label=f, confidence=round(conf, 4), source=self.source,
                explanation=f"The article frames the story in terms of {human(f)} ({GLOSS[f]}) "
                            f"(strongest in paragraph(s) {', '.join(str(i + 1) for i, _ in support) or '-'}"
                            + (f"; the words that raise it most: {words}" if words else "") + ").",
                attrs={"paragraphs": [i for i, _ in support], "scores": [s for _, s in support],
                       "spans": [[units[i].start, units[i].end] for i, _ in support], "cues": placed},
            ))
        return out

    def _genre(self, pred: ArticlePrediction) -> Finding:
        """The genre, "mixed" when the model is unsure; a close call names the runner-up."""
        g = pred.genre  # an unsure satire has given way to the better other genre
        probs_of = dict(zip(GENRES, pred.genre_probs.tolist(), strict=False))
        top = probs_of[g]
        second, runner_up = max((p, name) for name, p in probs_of.items() if name != g)
        # A close call says so: a reader should know "satire 0.55" was nearly "opinion".
        close = f"; {runner_up} is next at {second:.2f}" if second >= CLOSE_GENRE else ""
        probs = {name: round(float(p), 4) for name, p in zip(GENRES, pred.genre_probs, strict=False)}
        if top < CONFIDENT_GENRE:
            return Finding(
                kind="genre", label="mixed", confidence=round(top, 4), source=self.source,
                explanation=f"The model cannot tell the genre with confidence: it leans to {g} ({top:.2f}), "
                            f"then {runner_up} ({second:.2f}).",
                attrs={"probs": probs, "leaning": g},
            )
        return Finding(
            kind="genre", label=g, confidence=round(top, 4), source=self.source,
            explanation=f"The model reads the article as {g}{close} (genre priors as its model card gives them, "
                        "not the training split's 88 % opinion).",
            # the close call decided here, once: views show the runner-up without re-deciding
            attrs={"probs": probs, **({"runner_up": {"label": runner_up, "probability": round(second, 4)}}
                                      if close else {})},
        )


def _place_cues(art: Article, units: list[Span], support: list[int], cues: list[tuple[str, float]]) -> list[dict]:
    """Each cue word at its first place in the body, looking in the frame's supporting paragraphs
    first: ``{"word", "share", "start", "end"}`` (offsets into ``original``). A word the body does
    not contain as written (it came from the title) is placed in the title."""
    order = [units[i] for i in support if i < len(units)] + units
    if art.title is not None:
        order.append(Span(start=art.title.start, end=art.title.end, text=art.original[art.title.start : art.title.end]))
    out = []
    for word, share in cues:
        pattern = re.compile(r"(?<![^\W_])" + re.escape(word).replace("'", "['’]") + r"(?![^\W_])", re.IGNORECASE)
        for u in order:
            m = pattern.search(u.text)
            if m:
                a, b = u.start + m.start(), u.start + m.end()
                out.append({"word": art.original[a:b], "share": share, "start": a, "end": b})
                break
    return out


# 2: frame findings carry the words that raise them (``cues``); 3: a close genre call names the runner-up
# 6: technique findings carry label_confidence and, under DISPLAY_TECHNIQUE, below_display
# 7: a close genre call carries its ``runner_up`` (label, probability)
FINDINGS_REVISION = 7  # 5: genre below CONFIDENT_GENRE is "mixed"; 4: in_quote technique spans
TECH_INDEX = {t: i for i, t in enumerate(TECHNIQUES)}
MIN_WORDS_FOR_ARTICLE_LABELS = 40  # body words below which no frame or genre is claimed
FRAME_INDEX = {f: i for i, f in enumerate(FRAMES)}

register("models")(ModelsComponent)
