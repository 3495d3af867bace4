"""Component ``claims``: check-worthy statements, the sentences a fact-checker could verify.

A sentence is a claim when it carries at least one cue:
- a *figure*: a count, share, sum or quantity ("12 people", "40 percent", "$2 billion"); dates
  and times alone are not figures;
- a *comparison* or record: "more than", "the largest", "for the first time", "a record";
- a *cause*: "because of", "due to", "led to", "caused";
- an *event*: a named actor did something at a stated time or place ("Russian forces shelled a
  hospital in Mariupol on Wednesday"): a past-tense verb that is not a reporting verb, whose
  subject holds a named person, organisation, country or group, with a date, time or place
  elsewhere in the sentence. "Who did what, when or where" is what a fact-checker verifies first.
Questions and prescriptions in the writer's voice ("should", "must") are not claims.

Each finding is the whole sentence; ``attrs["cues"]`` holds the words that make it check-worthy
(with offsets), and ``attrs["voice"]`` who asserts it: ``writer``, ``quote`` or ``reported``
(with ``attrs["speaker"]``). The rules read spaCy's entities and tags and a few word lists, none
naming an actor, so the same sentence about either side gets the same finding.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Token

from unspin.analyse.nlp import paragraph_parses
from unspin.analyse.pipeline import register
from unspin.analyse.speakers import REPORTING_VERBS, SUBJECT_DEPS
from unspin.types import Analysis, Finding, Sentence

SOURCE = "rule:claims"
FIGURE_LABELS = frozenset({"PERCENT", "MONEY", "QUANTITY", "CARDINAL"})
# Small numbers spelled out ("two men", "these three") tell a story rather than state a figure;
# digits ("2 men") and larger amounts ("dozens", "a million") are figures.
NOT_FIGURES = frozenset({"a", "an", "once", "one", "two", "three", "four", "five", "six", "seven", "eight",
                         "nine", "both", "single", "couple", "a couple"})
COMPARISON = re.compile(
    r"\b(?:(?:more|fewer|less|higher|lower|greater|larger|bigger|smaller)\s+than"
    r"|for the first time|(?:an?\s+)?(?:all-time\s+)?record(?:-breaking)?(?:\s+(?:high|low|number|level))?"
    r"|(?:the\s+)?(?:highest|lowest|largest|biggest|smallest|deadliest|worst|fastest|slowest)"
    r"(?:\s+since)?)\b",
    re.IGNORECASE,
)
CAUSE = re.compile(
    r"\b(?:because(?:\s+of)?|due\s+to|as\s+a\s+result\s+of|caused|causing|led\s+to|leading\s+to"
    r"|resulted\s+in|triggered)\b",
    re.IGNORECASE,
)
PRESCRIPTION = re.compile(r"\b(?:should|must|ought\s+to|needs?\s+to|has\s+to|have\s+to)\b", re.IGNORECASE)
MIN_WORDS = 5
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
SETTING_LABELS = frozenset({"DATE", "TIME", "GPE", "LOC", "FAC"})
_EVENT_DEPS = frozenset({"ROOT", "ccomp", "conj"})
_HYPOTHETICAL = frozenset({"if", "whether", "unless"})
# Verbs of having, being, knowing or wanting describe a state, not something that happened.
_STATES = frozenset({"have", "be", "know", "seem", "appear", "remain", "want", "need", "like", "love", "hate",
                     "believe", "think", "feel", "own", "hope", "wish", "mean", "understand"})
# A figure holds a digit or one of these words (the tagger also calls odd words CARDINAL).
NUMBER_WORDS = frozenset({
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
    "hundreds", "thousand", "thousands", "million", "millions", "billion", "billions", "trillion",
    "trillions", "dozen", "dozens", "half", "quarter", "third", "percent", "cent",
})


@dataclass(frozen=True)
class Cue:
    kind: str  # figure | comparison | cause | event
    start: int
    end: int
    text: str


def by_sentence(sentences: Sequence[Sentence], items: Iterable[Any]) -> list[list[Any]]:
    """Items with ``start``/``end`` offsets grouped by the sentences they overlap, each group in
    the items' order: every sentence then reads only its own (an article may hold 100,000)."""
    starts = [s.start for s in sentences]
    groups: list[list[Any]] = [[] for _ in sentences]
    for it in items:
        if it.start is None or it.end is None:
            continue
        i = max(bisect_right(starts, it.start) - 1, 0)
        while i < len(sentences) and sentences[i].start < it.end:
            if sentences[i].end > it.start:
                groups[i].append(it)
            i += 1
    return groups


def figure_cues(doc: Analysis, sent: Sentence, entities: Sequence[Any]) -> list[Cue]:
    """Numeric entities inside the sentence (spaCy's PERCENT, MONEY, QUANTITY, CARDINAL), of
    ``entities``, the ones overlapping it."""
    out = []
    for e in entities:
        if e.label in FIGURE_LABELS and sent.start <= e.start and e.end <= sent.end:
            if e.label == "CARDINAL" and (e.text.strip().lower() in NOT_FIGURES or doc.article.original[e.end : e.end + 1] == "-"):
                continue  # a small spelled-out number, or part of a compound ("two-tier")
            if not (re.search(r"\d", e.text) or NUMBER_WORDS & set(re.findall(r"[a-z]+", e.text.lower()))):
                continue
            out.append(Cue("figure", e.start, e.end, e.text))
    return out


def pattern_cues(kind: str, pattern: re.Pattern[str], original: str, sent: Sentence) -> list[Cue]:
    return [Cue(kind, m.start(), m.end(), m.group(0)) for m in pattern.finditer(original, sent.start, sent.end)]


def _past_action(tok: Token) -> bool:
    """A past-tense main verb of action ("shelled", "were deployed", "has launched"), not a
    reporting verb (what someone said is the quote's or the reported speech's claim) nor a state
    ("had the authority")."""
    lemma = tok.lemma_.lower()
    if tok.pos_ != "VERB" or tok.dep_ not in _EVENT_DEPS or lemma in REPORTING_VERBS or lemma in _STATES:
        return False
    if any(c.tag_ == "MD" or (c.dep_ == "mark" and c.lower_ in _HYPOTHETICAL) for c in tok.children):
        return False  # "could be trusted", "whether it was agreed": not something that happened
    if tok.tag_ == "VBD":
        return True
    return tok.tag_ == "VBN" and any(c.dep_ in ("aux", "auxpass") and c.lemma_ in ("have", "be") for c in tok.children)


def event_cues(doc: Analysis, sent: Sentence, tokens: Sequence[tuple[int, Token]],
               entities: Sequence[Any]) -> list[Cue]:
    """Actor and action (from the subject's first word to the verb), then the time or place.
    ``tokens``: the sentence's (offset, token) pairs; ``entities``: those overlapping it."""
    original = doc.article.original
    ents = [e for e in entities if sent.start <= e.start and e.end <= sent.end]
    for start, tok in tokens:
        if not _past_action(tok):
            continue
        subj = next((c for c in tok.children if c.dep_ in SUBJECT_DEPS), None)
        if subj is None:
            continue
        s0 = start + subj.left_edge.idx - tok.idx
        s1 = start + subj.right_edge.idx + len(subj.right_edge) - tok.idx
        if s0 >= start or not any(e.label in ACTOR_LABELS and s0 <= e.start and e.end <= s1 for e in ents):
            continue
        settings = [e for e in ents if e.label in SETTING_LABELS and not (s0 <= e.start < s1)]
        # A date says more than a place: "in 2008" before "Ukraine".
        setting = min(settings, key=lambda e: e.label not in ("DATE", "TIME"), default=None)
        if setting is None:
            continue
        end = start + len(tok)
        return [Cue("event", s0, end, original[s0:end]), Cue("event", setting.start, setting.end, setting.text)]
    return []


def _scheduled(cue: Cue, tags: dict[int, tuple[str, str]], original: str) -> bool:
    """ "due to speak" is a schedule, not a cause: "due to" before a bare verb (tag VB)."""
    if cue.text.lower().split() != ["due", "to"]:
        return False
    nxt = cue.end
    while nxt < len(original) and original[nxt].isspace():
        nxt += 1
    return tags.get(nxt, ("", ""))[0] == "VB"


def _voice(sent: Sentence, cues: list[Cue], speech: Sequence[Finding]) -> tuple[str, str | None]:
    """Who asserts the cues: the speaker of a quote or reported speech (of ``speech``, those
    overlapping the sentence) holding them all, else the writer."""
    for f in speech:
        if f.start is None or f.end is None:
            continue
        if all(f.start <= c.start and c.end <= f.end for c in cues) or (
            f.kind == "reported_speech" and f.start <= sent.start < f.end
        ):
            return ("quote" if f.kind == "quote" else "reported"), f.attrs.get("speaker")
    return "writer", None


def _explain(cues: list[Cue], voice: str, speaker: str | None) -> str:
    what = {"figure": "a figure", "comparison": "a comparison or record", "cause": "a cause",
            "event": "an event with its time or place"}
    parts = []
    for kind in ("figure", "comparison", "cause", "event"):
        words = [c.text for c in cues if c.kind == kind]
        if words:
            parts.append(f"{what[kind]} ({', '.join(dict.fromkeys(words))})")
    who = {"writer": "in the writer's own voice",
           "quote": f"in a quote from {speaker}" if speaker else "in a quote",
           "reported": f"as reported speech of {speaker}" if speaker else "as reported speech"}[voice]
    return f"A check-worthy statement, {who}: it gives " + " and ".join(parts) + "."


@register("claims")
class Claims:
    name = "claims"
    version = "1.1"
    requires: tuple[str, ...] = ("sentences",)
    reads: tuple[str, ...] = ("parse", "entities", "quote", "reported_speech")  # who asserts a claim
    assigns: tuple[str, ...] = ("claim",)

    def __call__(self, doc: Analysis) -> Analysis:
        original = doc.article.original
        tokens = _tokens(doc)
        offsets = [start for start, _ in tokens]
        tags = {start: (tok.tag_, tok.text) for start, tok in tokens}
        tagged = [Cue("comparison", start, start + len(word), word) for start, (tag, word) in tags.items()
                  if tag == "JJS" and word.lower().endswith("est") and word.lower() not in _SUPERLATIVE_SKIP]
        sentences = doc.sentences
        ents, superlatives = by_sentence(sentences, doc.entities), by_sentence(sentences, tagged)
        speech = by_sentence(sentences, doc.of_kind("quote", "reported_speech"))
        for i, sent in enumerate(sentences):
            text = original[sent.start : sent.end]
            if text.rstrip().endswith("?") or len(text.split()) < MIN_WORDS:
                continue
            causes = [c for c in pattern_cues("cause", CAUSE, original, sent) if not _scheduled(c, tags, original)]
            cues = figure_cues(doc, sent, ents[i]) + pattern_cues("comparison", COMPARISON, original, sent) + causes
            cues += [c for c in superlatives[i] if sent.start <= c.start and c.end <= sent.end
                     and not any(c.start < o.end and o.start < c.end for o in cues)]
            if not cues:  # an event alone; a figure already says more
                own = tokens[bisect_left(offsets, sent.start) : bisect_left(offsets, sent.end)]
                cues = event_cues(doc, sent, own, ents[i])
            if not cues:
                continue
            cues.sort(key=lambda c: c.start)
            voice, speaker = _voice(sent, cues, speech[i])
            if voice == "writer" and PRESCRIPTION.search(text):
                continue  # what someone ought to do is an opinion, not a checkable fact
            kinds = list(dict.fromkeys(c.kind for c in cues))
            doc.findings.append(Finding(
                kind="claim", label=kinds[0], start=sent.start, end=sent.end, text=text,
                confidence=round(min(0.5 + 0.1 * len(kinds) + (0.1 if "figure" in kinds else 0.0), 0.8), 2),
                source=SOURCE, explanation=_explain(cues, voice, speaker),
                attrs={"cues": [{"kind": c.kind, "start": c.start, "end": c.end, "text": c.text} for c in cues],
                       "kinds": kinds, "voice": voice, "speaker": speaker},
            ))
        return doc


# Superlatives (tag JJS, "-est") that rank rather than judge; "best"/"latest" and the like do not.
_SUPERLATIVE_SKIP = frozenset({"best", "latest", "last", "least", "next", "honest", "modest", "interest"})


def _tokens(doc: Analysis) -> list[tuple[int, Token]]:
    """(offset in ``original``, spaCy token) for every token of the body, in order."""
    return [(para.start + tok.idx, tok)
            for para, parsed in zip(doc.article.paragraphs, paragraph_parses(doc), strict=True)
            for tok in parsed]
