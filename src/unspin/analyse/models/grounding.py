"""Place a model's paragraph label on the words the loaded-wording lexicon found there.

The token head sometimes backs *Loaded_Language* with a weak stretch ("exceptional") while the
lexicon has matched "warmongering" in the same paragraph. When the model labels a paragraph
with a technique the lexicon's category describes, each such lexicon match in it is a span of
that technique too: the label stays the model's decision, the lexicon entry says where.
*Name_Calling-Labeling* spans take in the actor the word is applied to ("warmongering Vladimir
Putin"), as the lexicon recorded it."""

from __future__ import annotations

from dataclasses import dataclass

from unspin.types import Finding, Span

# Lexicon categories whose words are loaded language in the SemEval-2023 sense.
LOADED_CATEGORIES = frozenset({"loaded", "dehumanising", "delegitimising"})
TARGET_WINDOW = 60  # how far before or after the word the lexicon looks for its target


@dataclass(frozen=True)
class LocatedSpan:
    start: int  # offsets into the article's original text
    end: int
    term: Finding  # the lexicon finding that located it


def _with_target(original: str, unit: Span, term: Finding) -> tuple[int, int] | None:
    """The word and the actor it is applied to, when the lexicon recorded one next to it."""
    target = term.attrs.get("target")
    if not target or term.start is None or term.end is None:
        return None
    after = original.find(target, term.end, min(unit.end, term.end + TARGET_WINDOW))
    if after >= 0 and not original[term.end:after].strip(" '’s"):
        return term.start, after + len(target)
    before = original.rfind(target, max(unit.start, term.start - TARGET_WINDOW), term.start)
    if before >= 0:
        return before, term.end
    return None


def lexicon_spans(original: str, unit: Span, technique: str, terms: list[Finding]) -> list[LocatedSpan]:
    """Spans for ``technique`` in ``unit`` located by the lexicon's ``terms`` (findings of kind
    ``term``), in text order; none for techniques the lexicon does not describe."""
    if technique not in ("Loaded_Language", "Name_Calling-Labeling"):
        return []
    out = []
    for t in terms:
        if t.start is None or t.end is None or not (unit.start <= t.start and t.end <= unit.end):
            continue
        if t.attrs.get("category") not in LOADED_CATEGORIES:
            continue
        if technique == "Name_Calling-Labeling":
            bounds = _with_target(original, unit, t)
            if bounds:
                out.append(LocatedSpan(*bounds, t))
        else:
            out.append(LocatedSpan(t.start, t.end, t))
    return sorted(out, key=lambda s: (s.start, s.end))
