"""The one line that says how a story's outlets differ most ("top divergence"), decided in compare
so that the report, Markdown, ``unspin stories`` and the web app all show the same line."""

from __future__ import annotations

from unspin.compare.quote_groups import FIDELITY_ORDER
from unspin.types import Finding


def findings_of(findings: list[Finding], kind: str) -> list[Finding]:
    return [f for f in findings if f.kind == kind]


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _name(f: Finding, names: dict[str, str]) -> str:
    return names.get(f.article_id or "", (f.article_id or "")[:8])


def top_divergence(findings: list[Finding], names: dict[str, str]) -> str:
    """The one line that says how this story's outlets differ most, evidence first:
    an altered quote, then a headline that overclaims, contrasting terms, disagreeing numbers,
    then how many claims appear in one outlet only. Ties go the same way whatever order the
    articles came in."""
    fidelity = sorted(
        findings_of(findings, "fidelity"),
        key=lambda f: (FIDELITY_ORDER.get(str(f.attrs.get("class") or f.label), 9), -f.confidence,
                       _name(f, names), f.start or 0),
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
    headline = sorted(findings_of(findings, "headline"), key=lambda f: (-f.confidence, _name(f, names)))
    if headline:
        f = headline[0]
        return f"headline claims more than the body in {_name(f, names)}: \u201c{_short(f.text, 60)}\u201d"
    contrasts = findings_of(findings, "contrast")
    if contrasts:
        by_art: dict[str, set[str]] = {}
        for f in contrasts:
            by_art.setdefault(_name(f, names), set()).add(f.text or f.label)
        parts = [f"{' / '.join(sorted(v))} ({k})" for k, v in sorted(by_art.items())]
        return "contrasting terms: " + " vs ".join(parts)[:140]
    numbers = sorted(findings_of(findings, "number"), key=lambda f: (_name(f, names), f.start or 0, f.label))
    if numbers:
        f = numbers[0]
        return f"numbers disagree: {f.label} \u201c{_short(f.text, 40)}\u201d in {_name(f, names)}"
    if fidelity:
        f = fidelity[0]
        label = f.attrs.get("class") or f.label
        return f"{label} quote of {f.attrs.get('speaker') or 'a speaker'} in {_name(f, names)}"
    only = findings_of(findings, "only_here")
    if only:
        per = sorted({_name(f, names) for f in only})
        return f"{len(only)} claims carried by one outlet only ({', '.join(per)})"
    return ""
