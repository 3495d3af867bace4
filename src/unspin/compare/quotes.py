"""Quote fidelity: the same speaker's words as each outlet renders them, aligned word by word.

A direct quote is compared with the same speaker's direct quotes and reported speech in the
other articles, one sentence-like segment at a time. Each aligned pair gets a label:

- ``identical``: the same words (case, punctuation and contractions aside);
- ``trimmed``: one is a contiguous stretch of the other (nothing else changed);
- a short partial quote is compared with the stretch of the longer one it matches best, so
  "further tightening is needed" against "... we judge that further tightening is warranted"
  reads as one word replaced, not as a different quote;
- ``paraphrased``: other words, same polarity, modality, absolutes and numbers;
- ``altered``: negation, modality, an absolute ("never", "all"), a number or a day or month
  ("by Friday" / "by Monday") differs, or one side has content words inside the stretch that
  the other lacks (words added or cut mid-sentence).

Reported speech shifts tense ("will" -> "would"); that back-shift alone is not an alteration.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from unspin.compare.units import Speech, same_speaker
from unspin.group.text import (
    ABSOLUTES,
    MODALS,
    NEGATORS,
    WHEN_WORDS,
    content_stems,
    dice,
    is_content,
    numbers,
    segments,
    tokens,
)
from unspin.group.vectors import TextVectors
from unspin.types import Finding

SOURCE = "rule:compare/quote-fidelity"
_BACKSHIFT = {"would": "will", "could": "can", "might": "may", "should": "shall"}


@dataclass(frozen=True)
class FidelityConfig:
    min_lexical: float = 0.5  # content-stem Dice for two segments to be the same words
    min_semantic: float = 0.7  # or encoder cosine
    unknown_speaker_lexical: float = 0.8  # a quote without speaker matches only near-verbatim


@dataclass
class Rendering:
    label: str  # identical | trimmed | paraphrased | altered
    ops: list[dict]
    changes: list[str]


def classify(a: str, b: str, a_kind: str = "quote", b_kind: str = "quote") -> Rendering:
    """How ``b`` renders ``a``. The label is symmetric; ``ops`` read from ``a`` to ``b``."""
    reported = "reported_speech" in (a_kind, b_kind)
    wa, wb = _words(a, reported), _words(b, reported)
    ops = _ops(wa, wb)
    if wa == wb:
        return Rendering("identical", ops, [])
    if _contiguous(wa, wb) or _contiguous(wb, wa):
        return Rendering("trimmed", ops, [])
    partial = None if _subsequence(wa, wb) or _subsequence(wb, wa) else _partial(wa, wb)
    if partial is not None:
        return _classify_partial(wa, wb, partial, ops)
    changes = _meaning_changes(wa, wb)
    if changes:
        return Rendering("altered", ops, changes)
    if _subsequence(wa, wb) or _subsequence(wb, wa):
        shorter, longer = (wa, wb) if len(wa) < len(wb) else (wb, wa)
        extra = _extra_words(shorter, longer)
        if any(is_content(w) for w in extra.split()):
            # "we want peace" / "we want a just peace": one side has words that change the claim
            return Rendering("altered", ops, [f"words added or cut: {extra}"])
        return Rendering("trimmed", ops, [f"words cut: {extra}"])
    return Rendering("paraphrased", ops, [])


# A partial quote: the shorter side has at least this many words, is at most this share of the
# longer one's length, and matches one stretch of it at least this well (difflib ratio).
PARTIAL_MIN_WORDS, PARTIAL_MAX_SHARE, PARTIAL_MIN_RATIO = 3, 0.7, 0.6
PARTIAL_MAX_WORDS = 120  # longer segments (a run-on "sentence" of a whole page) are not searched


def _partial(a: list[str], b: list[str]) -> tuple[int, int, float] | None:
    """Where in the longer of ``a``/``b`` the shorter one sits (start, end, ratio), when it is a
    partial quote of it; None otherwise."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    n = len(short)
    if n < PARTIAL_MIN_WORDS or n > PARTIAL_MAX_SHARE * len(long) or len(long) > PARTIAL_MAX_WORDS:
        return None
    best, best_key = (0, n, 0.0), (0.0, 0)
    for i in range(len(long) - n + 1):
        window = long[i : i + n]
        # Ties go to the stretch whose words line up position by position ("further tightening
        # is warranted" over "that further tightening is" for "further tightening is needed").
        key = (difflib.SequenceMatcher(None, short, window, autojunk=False).ratio(),
               sum(x == y for x, y in zip(short, window, strict=False)))
        if key > best_key:
            best, best_key = (i, i + n, key[0]), key
    return best if best[2] >= PARTIAL_MIN_RATIO else None


def _classify_partial(a: list[str], b: list[str], where: tuple[int, int, float], ops: list[dict]) -> Rendering:
    """A partial quote judged against the stretch it matches, not the whole longer quote
    (whose other sentences would otherwise count as changes)."""
    i, j, _ = where
    # Read from a to b, whichever of them is the longer one.
    wa, wb = (a[i:j], b) if len(a) > len(b) else (a, b[i:j])
    changes = _meaning_changes(wa, wb)
    if changes:
        return Rendering("altered", ops, changes)
    swapped = [f"{op['a']} -> {op['b']}" for op in _ops(wa, wb) if op["op"] == "replace"]
    return Rendering("paraphrased", ops, [f"words replaced: {'; '.join(swapped)}"] if swapped else [])


def _words(text: str, reported: bool) -> list[str]:
    ws = [t.norm for t in tokens(text)]
    if reported:
        if ws and ws[0] == "that":  # "said that ..." when the span includes the complementiser
            ws = ws[1:]
        ws = [_BACKSHIFT.get(w, w) for w in ws]
    return ws


def _ops(a: list[str], b: list[str]) -> list[dict]:
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [
        {"op": tag, "a": " ".join(a[i1:i2]), "b": " ".join(b[j1:j2])}
        for tag, i1, i2, j1, j2 in sm.get_opcodes()
        if tag != "equal"
    ]


def _meaning_changes(a: list[str], b: list[str]) -> list[str]:
    changes = []
    neg_a = sum(w in NEGATORS for w in a) % 2
    neg_b = sum(w in NEGATORS for w in b) % 2
    if neg_a != neg_b:
        changes.append(f"negation: {_show(a, NEGATORS)} -> {_show(b, NEGATORS)}")
    if {w for w in a if w in MODALS} != {w for w in b if w in MODALS}:
        changes.append(f"modality: {_show(a, MODALS)} -> {_show(b, MODALS)}")
    if {w for w in a if w in ABSOLUTES} != {w for w in b if w in ABSOLUTES}:
        changes.append(f"absolute: {_show(a, ABSOLUTES)} -> {_show(b, ABSOLUTES)}")
    da, db = [w for w in a if w in WHEN_WORDS], [w for w in b if w in WHEN_WORDS]
    if da and db and sorted(da) != sorted(db):
        changes.append(f"day or month: {' '.join(da)} -> {' '.join(db)}")
    na = sorted(n.value for n in numbers(" ".join(a)))
    nb = sorted(n.value for n in numbers(" ".join(b)))
    if na and nb and na != nb:
        changes.append(f"number: {', '.join(map(_num, na))} -> {', '.join(map(_num, nb))}")
    return changes


def _show(ws: list[str], cls: frozenset[str]) -> str:
    found = [w for w in ws if w in cls]
    return " ".join(found) if found else "(none)"


def _num(v: float) -> str:
    return str(int(v)) if v == int(v) else str(v)


def _contiguous(short: list[str], long: list[str]) -> bool:
    n = len(short)
    return 0 < n <= len(long) and any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return bool(short) and all(w in it for w in short)


def _extra_words(short: list[str], long: list[str]) -> str:
    sm = difflib.SequenceMatcher(None, short, long, autojunk=False)
    return " ... ".join(" ".join(long[j1:j2]) for tag, _, _, j1, j2 in sm.get_opcodes() if tag == "insert")


@dataclass
class _Segment:
    speech: Speech
    start: int  # offsets into the article's original
    end: int
    text: str


def _segments(sp: Speech) -> list[_Segment]:
    return [_Segment(sp, sp.start + s, sp.start + e, sp.text[s:e]) for s, e in segments(sp.text)]


@dataclass
class _Pair:
    a: _Segment
    b: _Segment
    score: float
    speaker: str | None


def fidelity(
    by_article: dict[str, list[Speech]],
    labels: dict[str, str],
    vectors: TextVectors | None = None,
    cfg: FidelityConfig = FidelityConfig(),
) -> tuple[list[Finding], set[int]]:
    """Fidelity findings (one per side of each aligned pair) and the ids of the quote findings
    that found a counterpart (so the caller can list quotes only one article has)."""
    ids = list(by_article)
    segs = {aid: [s for sp in by_article[aid] for s in _segments(sp)] for aid in ids}
    cos = _cosines(vectors, [s.text for aid in ids for s in segs[aid]])
    index = {id(s): i for i, s in enumerate(s for aid in ids for s in segs[aid])}
    findings: list[Finding] = []
    matched: set[int] = set()
    for i, aid in enumerate(ids):
        for bid in ids[i + 1 :]:
            pairs = []
            for sa in segs[aid]:
                for sb in segs[bid]:
                    pair = _pair(sa, sb, cos, index, cfg)
                    if pair is not None:
                        pairs.append(pair)
            for pair in _one_to_one(pairs):
                matched.update({id(pair.a.speech.finding), id(pair.b.speech.finding)})
                findings.extend(_findings(pair, labels))
    return findings, matched


def _cosines(vectors: TextVectors | None, texts: Sequence[str]):
    if vectors is None or vectors.kind != "encoder" or not texts:
        return None
    v = vectors(list(texts))
    return v @ v.T


def _pair(sa: _Segment, sb: _Segment, cos, index, cfg: FidelityConfig) -> _Pair | None:
    ka, kb = sa.speech.kind, sb.speech.kind
    if ka != "quote" and kb != "quote":
        return None  # two paraphrases say nothing about what was actually said
    stems_a, stems_b = content_stems(sa.text), content_stems(sb.text)
    shared = stems_a & stems_b
    lex = dice(stems_a, stems_b)
    sem = float(cos[index[id(sa)], index[id(sb)]]) if cos is not None else 0.0
    wa, wb = _words(sa.text, False), _words(sb.text, False)
    verbatim = _contiguous(wa, wb) or _contiguous(wb, wa)
    if not shared and not verbatim:
        return None
    partial = None
    if same_speaker(sa.speech.speaker_key, sb.speech.speaker_key):
        speaker = sa.speech.speaker
        ok = verbatim or lex >= cfg.min_lexical or sem >= cfg.min_semantic
        if not ok and shared:  # the window search is the slow test: only when the others fail
            partial = _partial(wa, wb)
            ok = partial is not None
    elif sa.speech.speaker_key is None or sb.speech.speaker_key is None:
        speaker = sa.speech.speaker or sb.speech.speaker
        ok = (verbatim and len(min(wa, wb, key=len)) >= 4) or lex >= cfg.unknown_speaker_lexical
    else:
        return None
    if not ok:
        return None
    # A partial match ranks below a verbatim one when a segment could pair with either.
    return _Pair(sa, sb, max(lex, sem, 1.0 if verbatim else 0.0, 0.8 * partial[2] if partial else 0.0), speaker)


def _one_to_one(pairs: list[_Pair]) -> list[_Pair]:
    used: set[int] = set()
    out = []
    for p in sorted(pairs, key=lambda p: -p.score):
        if id(p.a) in used or id(p.b) in used:
            continue
        used.update({id(p.a), id(p.b)})
        out.append(p)
    return out


_EXPLAIN = {
    "identical": "{other} quotes {speaker} with the same words.",
    "trimmed": "{other} quotes a shorter or longer stretch of the same words of {speaker}.",
    "paraphrased": "{other} renders these words of {speaker} in other words with the same meaning{what}.",
    "altered": "{other} renders these words of {speaker} differently ({what}).",
}
_CONFIDENCE = {"identical": 0.95, "trimmed": 0.9, "paraphrased": 0.6, "altered": 0.75}


def _findings(pair: _Pair, labels: dict[str, str]) -> list[Finding]:
    out = []
    for this, other in ((pair.a, pair.b), (pair.b, pair.a)):
        r = classify(this.text, other.text, this.speech.kind, other.speech.kind)
        what = "; ".join(r.changes) or "wording"
        if r.label == "paraphrased":
            what = f" ({what})" if r.changes else ""
        speaker = pair.speaker or "the same speaker"
        out.append(
            Finding(
                kind="fidelity", label=r.label, start=this.start, end=this.end, text=this.text,
                confidence=round(_CONFIDENCE[r.label] * (0.7 + 0.3 * min(1.0, pair.score)), 3),
                source=SOURCE, article_id=this.speech.article_id,
                explanation=_EXPLAIN[r.label].format(
                    other=labels[other.speech.article_id], speaker=speaker, what=what
                ),
                attrs={
                    "speaker": pair.speaker,
                    # how each outlet introduced the words ("told" here, "ranted" there)
                    "verb": this.speech.finding.attrs.get("verb"),
                    "other_verb": other.speech.finding.attrs.get("verb"),
                    "this_kind": this.speech.kind,
                    "other_kind": other.speech.kind,
                    "other_article_id": other.speech.article_id,
                    "other_start": other.start,
                    "other_end": other.end,
                    "other_text": other.text,
                    "ops": r.ops,
                    "changes": r.changes,
                    "similarity": round(pair.score, 3),
                },
            )
        )
    return out

