"""Short summaries of a comparison shared by the report, Markdown and ``unspin stories``:
the word diff of two quote renderings and the story's "top divergence" line."""

from __future__ import annotations

import difflib
import re
from datetime import datetime
from typing import Any

from unspin.present.charts import as_utc
from unspin.types import Comparison, Finding

# Most serious first: an altered quote is the headline finding of a comparison.
FIDELITY_ORDER = {"altered": 0, "paraphrased": 1, "trimmed": 2, "identical": 3}

_WORD = re.compile(r"\S+")
_OPS = {
    "equal": "equal",
    "same": "equal",
    "=": "equal",
    " ": "equal",
    "delete": "delete",
    "del": "delete",
    "-": "delete",
    "removed": "delete",
    "insert": "insert",
    "ins": "insert",
    "+": "insert",
    "added": "insert",
}


def _norm(word: str) -> str:
    return re.sub(r"^\W+|\W+$", "", word.lower().replace("\u2019", "'"))


def word_diff(before: str, after: str, given: Any = None) -> list[dict[str, str]]:
    """Word-level diff from ``before`` to ``after`` as ``[{"op": equal|delete|insert, "text"}]``.

    ``given`` (a compare-stage diff: ``[[op, text], ...]`` or ``[{"op", "text"}, ...]``) is used
    when it parses; otherwise words are matched ignoring case and surrounding punctuation."""
    parsed = _parse_given(given)
    if parsed is not None:
        return parsed
    a, b = _WORD.findall(before), _WORD.findall(after)
    matcher = difflib.SequenceMatcher(a=[_norm(w) for w in a], b=[_norm(w) for w in b], autojunk=False)
    out: list[dict[str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append({"op": "equal", "text": " ".join(b[j1:j2])})
            continue
        if tag in ("delete", "replace"):
            out.append({"op": "delete", "text": " ".join(a[i1:i2])})
        if tag in ("insert", "replace"):
            out.append({"op": "insert", "text": " ".join(b[j1:j2])})
    return out


def _parse_given(given: Any) -> list[dict[str, str]] | None:
    if not isinstance(given, list) or not given:
        return None
    out = []
    for item in given:
        if isinstance(item, dict):
            op, text = item.get("op"), item.get("text")
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            op, text = item
        else:
            return None
        if str(op) not in _OPS or not isinstance(text, str):
            return None
        out.append({"op": _OPS[str(op)], "text": text})
    return out


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _name(f: Finding, names: dict[str, str]) -> str:
    return names.get(f.article_id or "", (f.article_id or "")[:8])


def top_divergence(comparison: Comparison, names: dict[str, str] | None = None) -> str:
    """The one line that says how this story's outlets differ most, evidence first:
    an altered quote, then a headline that overclaims, contrasting terms, disagreeing numbers,
    then how many claims appear in one outlet only."""
    names = names or {}
    fidelity = sorted(
        comparison.of_kind("fidelity"),
        key=lambda f: (FIDELITY_ORDER.get(str(f.attrs.get("class") or f.label), 9), -f.confidence),
    )
    if fidelity and FIDELITY_ORDER.get(str(fidelity[0].attrs.get("class") or fidelity[0].label), 9) == 0:
        f = fidelity[0]
        speaker = f.attrs.get("speaker") or "a speaker"
        # The verdict is about a pair: name both articles, or the faithful one reads as the culprit.
        sides = sorted(
            [
                (_name(f, names), f.text),
                (names.get(str(f.attrs.get("other_article_id") or ""), str(f.attrs.get("other_article_id") or "")[:8]),
                 str(f.attrs.get("other_text") or "")),
            ]
        )
        return f"altered quote of {speaker}: " + " vs ".join(
            f"{name} \u201c{_short(text, 45)}\u201d" if text else name for name, text in sides
        )
    headline = sorted(comparison.of_kind("headline"), key=lambda f: -f.confidence)
    if headline:
        f = headline[0]
        return f"headline claims more than the body in {_name(f, names)}: \u201c{_short(f.text, 60)}\u201d"
    contrasts = comparison.of_kind("contrast")
    if contrasts:
        by_art: dict[str, set[str]] = {}
        for f in contrasts:
            by_art.setdefault(_name(f, names), set()).add(f.text or f.label)
        parts = [f"{' / '.join(sorted(v))} ({k})" for k, v in sorted(by_art.items())]
        return "contrasting terms: " + " vs ".join(parts)[:140]
    numbers = comparison.of_kind("number")
    if numbers:
        f = numbers[0]
        return f"numbers disagree: {f.label} \u201c{_short(f.text, 40)}\u201d in {_name(f, names)}"
    if fidelity:
        f = fidelity[0]
        label = f.attrs.get("class") or f.label
        return f"{label} quote of {f.attrs.get('speaker') or 'a speaker'} in {_name(f, names)}"
    only = comparison.of_kind("only_here")
    if only:
        per = sorted({_name(f, names) for f in only})
        return f"{len(only)} claims carried by one outlet only ({', '.join(per)})"
    return ""


def reference_key(published: datetime | None, text: str) -> tuple:
    """Sort key of the renderings of one quote, the reference first: dated ones oldest first,
    then undated ones fullest first (a quote is trimmed as it travels more often than it grows)."""
    if published is None:
        return (1, 0.0, -len(text))
    return (0, as_utc(published).timestamp(), -len(text))
