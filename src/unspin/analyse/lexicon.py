"""Component ``lexicon``: loaded and contested wording from curated, versioned word lists.

The lists live in ``analyse/lexicon/*.toml`` (one theme per file, each with a ``version``).
An entry has an ``id`` (the finding's label), ``patterns``, a ``category``, the ``neutral``
wording, the ``side`` that typically uses it (``pro-Kremlin`` | ``pro-Ukraine`` -- which covers
pro-Western wording -- | ``any``), a ``note`` and a ``confidence``; optionally ``exclude``
(fixed names that are not findings, e.g. "Chicken Kiev"), ``context`` (words one of which must
be in the same sentence) and ``target`` (record the actor the word is applied to).

Pattern syntax: case-insensitive, whole words; ``{a,b}`` expands ("warmonger{,s,ing}"); a space
matches any run of spaces or hyphens and a hyphen matches a hyphen, a space or nothing
("de-nazify" matches "denazify", "de-Nazify"). Overlapping matches keep the longest
("neo-Nazi", not "Nazi"; "post-coup", not "coup").

A term inside a direct quote is the quoted speaker's word, not the outlet's: the finding gets
``in_quote=True`` and the quote's ``speaker`` (so ``quotes`` must run first). Inside a scare
quote it gets ``scare_quoted=True``: the writer put distance between themselves and the word.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from unspin.analyse.pipeline import register
from unspin.analyse.quote_marks import covering_quote
from unspin.errors import UnspinError
from unspin.types import Analysis, Finding

CATEGORIES = frozenset(
    {
        "contested-name",
        "euphemism",
        "loaded",
        "dehumanising",
        "conspiratorial",
        "contested-claim",
        "delegitimising",
    }
)
SIDES = frozenset({"pro-Kremlin", "pro-Ukraine", "any"})
_REQUIRED = ("id", "patterns", "category", "neutral", "side", "note")
_BRACES = re.compile(r"\{([^{}]*)\}")
_NAME = r"[A-Z][\w-]*"
_TARGET_BEFORE = re.compile(rf"((?:{_NAME} ){{0,2}}{_NAME})(?:['’]s)? $")
_TARGET_AFTER = re.compile(rf" (?:(?:of|in|from) (?:the )?)?({_NAME}(?: {_NAME}){{0,2}})")
_NOT_ACTORS = frozenset(
    {"The", "A", "An", "This", "That", "In", "On", "As", "But", "And", "If", "When", "While"}
)


class LexiconError(UnspinError, ValueError):
    """A lexicon file is malformed (missing field, unknown category or side, bad pattern)."""


def expand_braces(pattern: str) -> list[str]:
    m = _BRACES.search(pattern)
    if not m:
        return [pattern]
    head, tail = pattern[: m.start()], pattern[m.end() :]
    return [v for alt in m.group(1).split(",") for v in expand_braces(head + alt + tail)]


def pattern_regex(phrase: str) -> str:
    parts = []
    for word in phrase.split():
        parts.append(r"[\s-]?".join(re.escape(piece) for piece in word.split("-")))
    return r"[\s-]+".join(parts)


def _phrases_regex(phrases: list[str]) -> re.Pattern[str] | None:
    variants = sorted({v for p in phrases for v in expand_braces(p)}, key=len, reverse=True)
    if not variants:
        return None
    return re.compile(
        r"(?<!\w)(?:" + "|".join(pattern_regex(v) for v in variants) + r")(?!\w)", re.IGNORECASE
    )


@dataclass(frozen=True)
class Entry:
    id: str
    category: str
    neutral: str
    side: str
    note: str
    confidence: float
    regex: re.Pattern[str]
    exclude: re.Pattern[str] | None
    context: re.Pattern[str] | None
    target: bool
    lexicon: str  # "file@version"


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[Entry, ...]
    files: tuple[str, ...]  # "file@version" of each loaded file


def _entry(row: dict, lexicon: str, where: str) -> Entry:
    missing = [k for k in _REQUIRED if k not in row]
    if missing:
        raise LexiconError(f"{where}: entry {row.get('id', '?')!r} lacks {', '.join(missing)}")
    if row["category"] not in CATEGORIES:
        raise LexiconError(f"{where}: entry {row['id']!r} has unknown category {row['category']!r}")
    if row["side"] not in SIDES:
        raise LexiconError(f"{where}: entry {row['id']!r} has unknown side {row['side']!r}")
    regex = _phrases_regex(list(row["patterns"]))
    if regex is None:
        raise LexiconError(f"{where}: entry {row['id']!r} has no patterns")
    confidence = float(row.get("confidence", 0.9))
    if not 0.0 <= confidence <= 1.0:
        raise LexiconError(f"{where}: entry {row['id']!r} confidence {confidence} is outside [0, 1]")
    context = None
    if row.get("context"):
        context = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(c) for c in row["context"]) + r")(?!\w)", re.IGNORECASE
        )
    return Entry(
        id=row["id"],
        category=row["category"],
        neutral=row["neutral"],
        side=row["side"],
        note=row["note"],
        confidence=confidence,
        regex=regex,
        exclude=_phrases_regex(list(row.get("exclude", []))),
        context=context,
        target=bool(row.get("target", False)),
        lexicon=lexicon,
    )


def _load_files(files: list[Traversable | Path]) -> Lexicon:
    entries: list[Entry] = []
    names: list[str] = []
    seen: dict[str, str] = {}
    for f in sorted(files, key=lambda f: f.name):
        try:
            data = tomllib.loads(f.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise LexiconError(f"{f.name}: not valid TOML ({exc})") from None
        if "version" not in data:
            raise LexiconError(f"{f.name}: no 'version' field")
        lexicon = f"{f.name.removesuffix('.toml')}@{data['version']}"
        names.append(lexicon)
        for row in data.get("entry", []):
            entry = _entry(row, lexicon, f.name)
            if entry.id in seen:
                raise LexiconError(f"{f.name}: entry id {entry.id!r} already defined in {seen[entry.id]}")
            seen[entry.id] = f.name
            entries.append(entry)
    return Lexicon(tuple(entries), tuple(names))


@lru_cache(maxsize=4)
def load_lexicon(directory: str | None = None) -> Lexicon:
    """All ``*.toml`` lexicon files in ``directory`` (default: the packaged ``analyse/lexicon``)."""
    root: Traversable | Path = (
        Path(directory) if directory else resources.files("unspin.analyse").joinpath("lexicon")
    )
    files = [f for f in root.iterdir() if f.name.endswith(".toml")]
    if not files:
        raise LexiconError(f"no lexicon files in {root}")
    return _load_files(files)


@dataclass
class _Match:
    entry: Entry
    start: int
    end: int


def _sentence_bounds(doc: Analysis, start: int, end: int, region: tuple[int, int]) -> tuple[int, int]:
    """The sentence holding ``start:end``, else its ``region`` (a paragraph or the headline)."""
    for s in doc.sentences:
        if s.start <= start and end <= s.end:
            return s.start, s.end
    return region


def _regions(doc: Analysis) -> list[tuple[int, int]]:
    """Headline and body paragraphs: a headline's loaded word is the outlet's own choice too."""
    art = doc.article
    head = [(art.title.start, art.title.end)] if art.title is not None and art.title.end > art.title.start else []
    body = [(p.start, p.end) for p in art.paragraphs]
    # Some readers keep the headline as the first paragraph; scan that stretch once.
    return head + [b for b in body if not any(h[0] < b[1] and b[0] < h[1] for h in head)]


def _target(original: str, para_start: int, para_end: int, m: _Match) -> str | None:
    """The actor a symmetric word is applied to: a capitalised name right before it
    ("the Kremlin regime", "Putin's propaganda") or right after it ("warmongering Vladimir Putin",
    "the regime in Kyiv")."""
    before = _TARGET_BEFORE.search(original, max(para_start, m.start - 60), m.start)
    if before:
        words = [w for w in before.group(1).split() if w not in _NOT_ACTORS]
        if words:
            return " ".join(words)
    after = _TARGET_AFTER.match(original, m.end, para_end)
    if after:
        words = [w for w in after.group(1).split() if w not in _NOT_ACTORS]
        if words:
            return " ".join(words)
    return None


def find_terms(lexicon: Lexicon, text: str, start: int = 0, end: int | None = None) -> list[_Match]:
    """Non-overlapping lexicon matches in ``text[start:end]``; the longest wins an overlap."""
    end = len(text) if end is None else end
    found: list[_Match] = []
    for entry in lexicon.entries:
        excluded = (
            [(x.start(), x.end()) for x in entry.exclude.finditer(text, start, end)] if entry.exclude else []
        )
        for m in entry.regex.finditer(text, start, end):
            if any(a <= m.start() and m.end() <= b for a, b in excluded):
                continue
            found.append(_Match(entry, m.start(), m.end()))
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    kept: list[_Match] = []
    for hit in found:
        if kept and hit.start < kept[-1].end:
            if hit.end - hit.start > kept[-1].end - kept[-1].start:
                kept[-1] = hit
            continue
        kept.append(hit)
    return kept


def _explain(text: str, entry: Entry, speaker: str | None, in_quote: bool) -> str:
    who = "used by any side" if entry.side == "any" else f"typical of {entry.side} usage"
    voice = (
        f", in a quote from {speaker}"
        if in_quote and speaker
        else (", inside a quotation" if in_quote else "")
    )
    return f"'{text}' is {entry.category} wording ({who}{voice}); neutral: {entry.neutral}."


@register("lexicon")
class LexiconTerms:
    name = "lexicon"
    requires: tuple[str, ...] = ()
    reads: tuple[str, ...] = ("sentences", "quote", "scare_quote")  # a word inside a quote is the speaker's
    assigns: tuple[str, ...] = ("term",)

    def __init__(self, directory: str | None = None) -> None:
        self.lexicon = load_lexicon(directory)
        self.version = "1.2+" + ",".join(self.lexicon.files)  # 1.2: scare quotes are their own kind

    def __call__(self, doc: Analysis) -> Analysis:
        original = doc.article.original
        quotes = doc.of_kind("quote", "scare_quote")
        for r_start, r_end in _regions(doc):
            for m in find_terms(self.lexicon, original, r_start, r_end):
                entry = m.entry
                if entry.context is not None:
                    s_start, s_end = _sentence_bounds(doc, m.start, m.end, (r_start, r_end))
                    if not entry.context.search(original, s_start, s_end):
                        continue
                quote = covering_quote(quotes, m.start, m.end)
                direct = quote is not None and quote.kind == "quote"
                speaker = quote.attrs.get("speaker") if quote is not None and direct else None
                attrs = {
                    "category": entry.category,
                    "neutral": entry.neutral,
                    "side": entry.side,
                    "in_quote": direct,
                    "speaker": speaker,
                    "lexicon": entry.lexicon,
                    "note": entry.note,
                }
                if quote is not None and quote.kind == "scare_quote":
                    attrs["scare_quoted"] = True
                if entry.target:
                    attrs["target"] = _target(original, r_start, r_end, m)
                text = original[m.start : m.end]
                doc.findings.append(
                    Finding(
                        kind="term",
                        label=entry.id,
                        start=m.start,
                        end=m.end,
                        text=text,
                        confidence=entry.confidence,
                        source=f"lexicon:{entry.lexicon}",
                        explanation=_explain(text, entry, speaker, direct),
                        attrs=attrs,
                    )
                )
        return doc
