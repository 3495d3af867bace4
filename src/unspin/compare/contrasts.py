"""Wording contrasts: the same thing named differently across the articles of a story
("Kiev" in one, "Kyiv" in another; "special military operation" against "invasion").

Built on the lexicon's ``term`` findings: terms that share a ``neutral`` form (or, without one, a
lexicon entry) name the same thing. An article that writes the neutral form itself counts too,
so one article's loaded term is set beside another's plain wording. Two forms of one lexicon
entry ("puppet government" / "puppet") are the same wording, not a contrast.
"""

from __future__ import annotations

import re

from unspin.types import Analysis, Finding

SOURCE = "rule:compare/wording-contrast"


def _concept(f: Finding) -> str:
    return str(f.attrs.get("neutral") or f.label).strip().lower()


def _wording(text: str) -> str:
    return " ".join(text.lower().split())


def _usages(analysis: Analysis) -> dict[str, list[tuple[int, int, str, Finding | None]]]:
    """concept -> [(start, end, text, term finding or None for a neutral-form usage)]."""
    out: dict[str, list[tuple[int, int, str, Finding | None]]] = {}
    for f in analysis.of_kind("term"):
        if f.start is None or f.end is None:
            continue
        out.setdefault(_concept(f), []).append((f.start, f.end, f.text, f))
    return out


def _same_entry(a: Finding | None, b: Finding | None) -> bool:
    """Two articles using one lexicon entry in different forms ("puppet government", "puppet")
    share the wording; that is no contrast."""
    return a is not None and b is not None and a.label == b.label


def _neutral_usage(analysis: Analysis, neutral: str, taken: list[tuple[int, int]]) -> tuple[int, int, str] | None:
    """First place the article writes the neutral form outside any term finding."""
    text = analysis.article.original
    for m in re.finditer(r"(?<!\w)" + re.escape(neutral) + r"(?!\w)", text, flags=re.IGNORECASE):
        if all(m.end() <= s or m.start() >= e for s, e in taken):
            return m.start(), m.end(), m.group()
    return None


def contrast_findings(analyses: list[Analysis], labels: dict[str, str]) -> list[Finding]:
    usages = {a.article.id: _usages(a) for a in analyses}
    concepts: dict[str, str] = {}  # concept -> its neutral form as the lexicon writes it
    for a in analyses:
        for f in a.of_kind("term"):
            if f.attrs.get("neutral"):
                concepts.setdefault(_concept(f), str(f.attrs["neutral"]))
            else:
                concepts.setdefault(_concept(f), "")
    # Each article's first wording of each concept (a term, or the neutral form itself).
    first: dict[str, dict[str, tuple[int, int, str, Finding | None]]] = {}
    for a in analyses:
        aid = a.article.id
        mine = {c: min(us, key=lambda u: u[0]) for c, us in usages[aid].items()}
        taken = [(u[0], u[1]) for us in usages[aid].values() for u in us]
        for concept, neutral in concepts.items():
            if concept not in mine and neutral:
                hit = _neutral_usage(a, neutral, taken)
                if hit is not None:
                    mine[concept] = (*hit, None)
        first[aid] = mine
    out: list[Finding] = []
    ids = [a.article.id for a in analyses]
    for aid in ids:
        for concept, (start, end, text, term) in first[aid].items():
            others = [
                (bid, first[bid][concept]) for bid in ids
                if bid != aid and concept in first[bid] and _wording(first[bid][concept][2]) != _wording(text)
                and not _same_entry(term, first[bid][concept][3])
            ]
            if not others:
                continue
            for bid, (os_, oe, otext, oterm) in others:
                out.append(
                    Finding(
                        kind="contrast", label=concept, start=start, end=end, text=text,
                        confidence=0.9 if term is not None and oterm is not None else 0.8,
                        source=SOURCE, article_id=aid,
                        explanation=f"This article writes \u201c{text}\u201d where {labels[bid]} writes \u201c{otext}\u201d.",
                        attrs={
                            "concept": concept,
                            "this_wording": text,
                            "this_term": term.label if term is not None else None,
                            "category": term.attrs.get("category") if term is not None else None,
                            "side": term.attrs.get("side") if term is not None else None,
                            "in_quote": bool(term.attrs.get("in_quote")) if term is not None else False,
                            "other_article_id": bid, "other_start": os_, "other_end": oe, "other_text": otext,
                            "other_term": oterm.label if oterm is not None else None,
                        },
                    )
                )
    return out
