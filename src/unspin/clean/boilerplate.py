"""Apply the boilerplate rules to an article's body: kept paragraphs and removed stretches.

The body is everything after the title. Paragraphs are lines: every non-empty line is one
paragraph (SemEval's convention; ``Paragraph.line`` is its 1-based line number in
``original``, empty lines counted). One exception keeps hard-wrapped text readable: when blank
lines separate blocks and most lines run on into the next one, as in text wrapped at a fixed
width, each block of consecutive lines is one paragraph (its ``line`` is the block's first line).
Every kept paragraph and every removal is an exact slice of ``original``; surrounding
whitespace is never part of a span.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from unspin.clean.rules import Rule, RuleSet, load_rules
from unspin.types import Finding, Paragraph

_HAS_WORD_CHAR = re.compile(r"\w")


@dataclass
class _Line:
    number: int  # 1-based line number in original
    start: int  # trimmed extent in original
    end: int
    pieces: list[tuple[int, int]] = field(default_factory=list)  # kept stretches

    @property
    def blank(self) -> bool:
        return self.start == self.end


def split_body_lines(original: str, body_start: int = 0) -> list[_Line]:
    """The lines of ``original`` from ``body_start`` on, trimmed, with 1-based line numbers."""
    lines: list[_Line] = []
    number = original.count("\n", 0, body_start) + 1
    position = body_start
    while position <= len(original):
        newline = original.find("\n", position)
        raw_end = len(original) if newline < 0 else newline
        start, end = _trim(original, position, raw_end)
        line = _Line(number, start, end)
        if not line.blank:
            line.pieces.append((start, end))
        lines.append(line)
        if newline < 0:
            break
        position, number = newline + 1, number + 1
    return lines


def find_boilerplate(original: str, *, body_start: int = 0, title: str = "",
                     rules: RuleSet | None = None) -> tuple[list[Paragraph], list[Finding]]:
    """Return (kept paragraphs, removed stretches as ``boilerplate`` findings) for the body."""
    rules = rules or load_rules()
    lines = split_body_lines(original, body_start)
    removed: list[Finding] = []
    removed += _repeated_title(original, lines, title, rules.of_scope("repeated-title"))
    removed += _whole_lines(original, lines, rules.of_scope("trailing-block", "whole-line"))
    removed += _inside_lines(original, lines, rules.of_scope("inside-line"))
    paragraphs = _paragraphs(original, lines)
    return paragraphs, sorted(removed, key=lambda f: f.start or 0)


def is_boilerplate_line(text: str, rules: RuleSet | None = None) -> bool:
    """Whether a whole-line rule recognises ``text`` on its own (used to refuse such a title)."""
    text = text.strip()
    rules = rules or load_rules()
    return any(_fits(r, text) and r.fullmatch(text) for r in rules.of_scope("whole-line", "trailing-block"))


def _repeated_title(original: str, lines: list[_Line], title: str, rules: list[Rule]) -> list[Finding]:
    first = next((line for line in lines if not line.blank), None)
    if not rules or first is None or not title.strip():
        return []
    if _normalised(original[first.start : first.end]) != _normalised(title):
        return []
    first.pieces.clear()
    return [_finding(original, rules[0], first.start, first.end, [first.number])]


def _whole_lines(original: str, lines: list[_Line], rules: list[Rule]) -> list[Finding]:
    found: list[Finding] = []
    for i, line in enumerate(lines):
        if not line.pieces:
            continue
        text = original[line.start : line.end]
        for rule in rules:
            if not _fits(rule, text) or not rule.fullmatch(text):
                continue
            block = _trailing_block(original, lines, i, rule) if rule.scope == "trailing-block" else (
                _with_followers(original, lines, i, rule, rules))
            if block is None:
                continue
            for member in block:
                member.pieces.clear()
            found.append(_finding(original, rule, block[0].start, block[-1].end, [m.number for m in block]))
            break
    return found


def _trailing_block(original: str, lines: list[_Line], i: int, rule: Rule) -> list[_Line] | None:
    """The anchor line and everything after it, if every later line is widget text."""
    block = [lines[i]] + [line for line in lines[i + 1 :] if not line.blank]
    if all(rule.then and rule.then.fullmatch(original[m.start : m.end]) for m in block[1:]):
        return block
    return None


def _with_followers(original: str, lines: list[_Line], i: int, rule: Rule, rules: list[Rule]) -> list[_Line]:
    """The matched line plus directly following lines (no blank line between) matching ``then``;
    a line that another rule recognises on its own is left for that rule, to keep its label."""
    block = [lines[i]]
    if rule.then is None:
        return block
    for line in lines[i + 1 :]:
        if line.blank or not line.pieces or len(block) - 1 >= (rule.then_max or 1):
            break
        text = original[line.start : line.end]
        if not rule.then.fullmatch(text):
            break
        if any(other is not rule and _fits(other, text) and other.fullmatch(text) for other in rules):
            break
        block.append(line)
    return block


def _inside_lines(original: str, lines: list[_Line], rules: list[Rule]) -> list[Finding]:
    found: list[Finding] = []
    for rule in rules:
        for line in lines:
            new_pieces: list[tuple[int, int]] = []
            for start, end in line.pieces:
                cursor = start
                for match in rule.pattern.finditer(original, start, end) if rule.pattern else ():
                    m_start, m_end = _trim(original, match.start(), match.end())
                    if m_start == m_end:
                        continue
                    found.append(_finding(original, rule, m_start, m_end, [line.number]))
                    new_pieces.append((cursor, m_start))
                    cursor = m_end
                new_pieces.append((cursor, end))
            line.pieces = [p for p in (_trim(original, s, e) for s, e in new_pieces) if p[0] < p[1]]
    return found


def _paragraphs(original: str, lines: list[_Line]) -> list[Paragraph]:
    stretches: list[tuple[int, int, int]] = []  # (start, end, line number)
    for line in lines:
        for start, end in line.pieces:
            if _HAS_WORD_CHAR.search(original, start, end):  # drop leftover punctuation
                stretches.append((start, end, line.number))
    if _hard_wrapped(original, lines):
        stretches = _join_wrapped(original, lines, stretches)
    return [
        Paragraph(start=s, end=e, text=original[s:e], index=i, line=n) for i, (s, e, n) in enumerate(stretches)
    ]


def _hard_wrapped(original: str, lines: list[_Line]) -> bool:
    """Blocks separated by blank lines whose lines mostly run on into the next one, all short,
    and break mid-sentence: short lines that each end a sentence are paragraphs of their own
    (a page whose paragraphs were split by <br>), not one paragraph wrapped at a fixed width."""
    filled = [i for i, line in enumerate(lines) if not line.blank]
    # At least two blocks: blank lines before or after the only block do not separate any.
    if len(filled) < 4 or not any(b - a > 1 for a, b in zip(filled, filled[1:], strict=False)):
        return False
    run_on = [i for i in filled if i + 1 < len(lines) and not lines[i + 1].blank]
    lengths = sorted(lines[i].end - lines[i].start for i in filled)
    ended = sum(1 for i in run_on if _SENTENCE_END.search(original, lines[i].start, lines[i].end))
    return (len(run_on) / len(filled) >= 0.5 and lengths[int(0.9 * (len(lengths) - 1))] <= 100
            and ended <= 0.3 * len(run_on))


_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


def _join_wrapped(original: str, lines: list[_Line], stretches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Merge stretches on consecutive lines when only a line break lies between them."""
    joined: list[tuple[int, int, int]] = []
    for start, end, number in stretches:
        if joined:
            prev_start, prev_end, prev_number = joined[-1]
            between = original[prev_end:start]
            if between.strip() == "" and between.count("\n") == 1:
                joined[-1] = (prev_start, end, prev_number)
                continue
        joined.append((start, end, number))
    return joined


def _finding(original: str, rule: Rule, start: int, end: int, line_numbers: list[int]) -> Finding:
    return Finding(
        kind="boilerplate",
        label=rule.id,
        start=start,
        end=end,
        text=original[start:end],
        confidence=rule.confidence,
        source=rule.source,
        explanation=rule.description,
        attrs={"scope": rule.scope, "lines": line_numbers},
    )


def _fits(rule: Rule, text: str) -> bool:
    return rule.max_words is None or len(text.split()) <= rule.max_words


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold().split())
