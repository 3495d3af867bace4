"""Split article text into highlight segments at finding offsets.

Highlights are never made by inserting markup into article text: the text is cut at every span
boundary into plain-text segments, each carrying the findings that cover it. Templates then
render each segment's text through Jinja2's autoescape, so no markup from an article survives.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from unspin.kinds import highlighted
from unspin.types import Finding, located

# Kinds drawn inside the article text; the others are article-level or listed elsewhere.
HIGHLIGHT_KINDS = highlighted()


@dataclass
class Segment:
    """A stretch ``text`` of the original starting at ``start``; ``findings`` cover all of it."""

    start: int
    text: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def kinds(self) -> list[str]:
        return sorted({f.kind for f in self.findings})

    @property
    def low(self) -> bool:
        """Every finding here is under its display level: drawn only when the reader asks for all."""
        return bool(self.findings) and all(f.attrs.get("below_display") for f in self.findings)

    @property
    def primary(self) -> str:
        return self.findings[0].kind if self.findings else ""

    @property
    def tips(self) -> list[dict[str, Any]]:
        return [finding_view(f) for f in self.findings]


def finding_view(f: Finding) -> dict[str, Any]:
    """The fields a tooltip or list item shows for one finding."""
    return {
        "kind": f.kind,
        "label": f.label,
        "text": f.text,
        "confidence": f.confidence,
        "confidence_pct": f"{round(f.confidence * 100)}%",
        "source": f.source,
        "explanation": f.explanation,
        "start": f.start,
        "end": f.end,
        "attrs": f.attrs,
    }


def span_checks(original: str, finding: Finding) -> bool:
    """True when the finding's span is inside the text and its ``text`` matches it exactly
    (a finding that fails this is listed, not drawn: a wrong highlight is worse than none)."""
    if finding.start is None or finding.end is None:
        return False
    if not 0 <= finding.start < finding.end <= len(original):
        return False
    return not finding.text or original[finding.start : finding.end] == finding.text


def segments(original: str, start: int, end: int, findings: Iterable[Finding]) -> list[Segment]:
    """Cut ``original[start:end]`` into segments at every boundary of the findings that overlap
    it (clipped to the window). Overlapping findings give a segment that lists all of them."""
    inside = [(f, s, e) for f, s, e in located(findings) if s < end and e > start]
    cuts = {start, end}
    for _, s, e in inside:
        cuts.add(max(s, start))
        cuts.add(min(e, end))
    points = sorted(cuts)
    out: list[Segment] = []
    for a, b in zip(points, points[1:], strict=False):
        if a == b:
            continue
        covering = [f for f, s, e in inside if s <= a and e >= b]
        covering.sort(
            key=lambda f: (HIGHLIGHT_KINDS.index(f.kind) if f.kind in HIGHLIGHT_KINDS else 99, f.start or 0)
        )
        out.append(Segment(start=a, text=original[a:b], findings=covering))
    return out
