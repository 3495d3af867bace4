"""Find quotations by their quote marks, in plain text (no parsing).

Double quotes (straight ``"`` and curly, plus „ « ») pair up left to right; so do two apostrophes
written for one double mark (``''We will,'' she said``: how some news archives render quotes).
Single quotes count as a
quotation only where the marks cannot be apostrophes: the opener follows a space/bracket/dash
and precedes a letter, the closer follows a non-space and precedes a space or punctuation,
so "Ukraine's" and "don't" never open or close anything.

A news quote that runs over several paragraphs opens each paragraph with a mark and closes only
on the last; ``join_paragraph_quotes`` chains those pieces into one quotation.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from unspin.types import Finding, located

DOUBLE_OPEN_ONLY = "“„«"
DOUBLE_CLOSE_ONLY = "”»"
DOUBLE_MARKS = '"' + DOUBLE_OPEN_ONLY + DOUBLE_CLOSE_ONLY
SINGLE_OPEN = "'‘"
SINGLE_CLOSE = "'’"
_BEFORE_OPEN = " \t([{—–-/\u00a0"
_AFTER_CLOSE = ' \t,.;:!?)]}—–-\u00a0"”'
MAX_SINGLE_QUOTE_CHARS = 400


@dataclass(frozen=True)
class QuotePiece:
    """A quoted stretch inside one paragraph: ``open`` is the index of the opening mark,
    ``close`` the index of the closing mark, or ``None`` when the quote runs on past the
    paragraph's end. ``mark`` is "double" or "single"; ``width`` is how many characters each
    mark takes (2 for ``''``)."""

    open: int
    close: int | None
    mark: str
    width: int = 1

    @property
    def inner_start(self) -> int:
        return self.open + self.width

    def inner_end(self, text: str) -> int:
        return self.close if self.close is not None else len(text)

    def outer_end(self, text: str) -> int:
        return self.close + self.width if self.close is not None else len(text)

    @property
    def after_close(self) -> int | None:
        """The index just past the closing mark, or None when the quote runs on."""
        return self.close + self.width if self.close is not None else None


_DOUBLE_MARK = re.compile("''|[" + re.escape(DOUBLE_MARKS) + "]")


def _double_marks(text: str):
    """(index, mark character, width) of each double mark; ``''`` counts as one straight mark."""
    for m in _DOUBLE_MARK.finditer(text):
        mark = m.group()
        yield (m.start(), '"', 2) if mark == "''" else (m.start(), mark, 1)


def find_double_quotes(text: str) -> list[QuotePiece]:
    pieces: list[QuotePiece] = []
    opened: tuple[int, int] | None = None  # (index, width) of the mark waiting for its closer
    for i, ch, width in _double_marks(text):
        if opened is None:
            if ch in DOUBLE_CLOSE_ONLY:
                continue  # a stray closer with no opener: nothing to pair
            opened = (i, width)
        elif ch in DOUBLE_OPEN_ONLY:
            opened = (i, width)  # an unclosed opener followed by a new one: keep the newer
        else:
            pieces.append(QuotePiece(opened[0], i, "double", width))
            opened = None
    if opened is not None and opened[0] + opened[1] < len(text):
        pieces.append(QuotePiece(opened[0], None, "double", opened[1]))
    return pieces


def _is_single_open(text: str, i: int) -> bool:
    before_ok = i == 0 or text[i - 1] in _BEFORE_OPEN or text[i - 1] in '“"'
    return before_ok and i + 1 < len(text) and (text[i + 1].isalnum() or text[i + 1] == "[")


def _is_single_close(text: str, j: int) -> bool:
    after_ok = j + 1 == len(text) or text[j + 1] in _AFTER_CLOSE
    return after_ok and j > 0 and not text[j - 1].isspace()


_SINGLE_MARK = re.compile("[" + re.escape(SINGLE_OPEN + SINGLE_CLOSE) + "]")
_ANY_DOUBLE = re.compile("[" + re.escape(DOUBLE_MARKS) + "]")


def find_single_quotes(text: str, taken: list[QuotePiece]) -> list[QuotePiece]:
    """Single-quoted stretches outside the double-quoted ones (quotes inside quotes stay part of
    the outer quotation). Only the positions of marks are visited, not every character."""
    blocked = [(p.open, p.outer_end(text)) for p in taken]

    def free(i: int) -> bool:
        return not any(a <= i < b for a, b in blocked)

    marks = [m.start() for m in _SINGLE_MARK.finditer(text)]
    doubles = [m.start() for m in _ANY_DOUBLE.finditer(text)]
    pieces: list[QuotePiece] = []
    after = -1  # marks up to here belong to a piece already found
    for n, i in enumerate(marks):
        if i <= after or text[i] not in SINGLE_OPEN or not free(i) or not _is_single_open(text, i):
            continue
        # the closer must come before the next double mark, the next quoted stretch, and the cap
        stop = min(len(text), i + MAX_SINGLE_QUOTE_CHARS)
        nxt = bisect_right(doubles, i + 1)
        if nxt < len(doubles):
            stop = min(stop, doubles[nxt])
        stop = min([stop, *(a for a, _ in blocked if a >= i + 2)])
        for j in marks[n + 1 :]:
            if j >= stop:
                break
            if j >= i + 2 and text[j] in SINGLE_CLOSE and _is_single_close(text, j):
                pieces.append(QuotePiece(i, j, "single"))
                after = j
                break
    return pieces


def find_quote_pieces(text: str) -> list[QuotePiece]:
    doubles = find_double_quotes(text)
    return sorted(doubles + find_single_quotes(text, doubles), key=lambda p: p.open)


def starts_with_open_mark(text: str) -> bool:
    return bool(text) and (text[0] in DOUBLE_OPEN_ONLY or text[0] == '"' or text.startswith("''"))


def join_paragraph_quotes(
    paragraph_texts: list[str], per_para: list[list[QuotePiece]] | None = None
) -> list[list[tuple[int, QuotePiece]]]:
    """All quotations of an article as lists of ``(paragraph_position, piece)``; a quotation
    left open at a paragraph's end continues when the next paragraph opens with a mark.
    ``per_para``: each paragraph's pieces when the caller has found them already."""
    if per_para is None:
        per_para = [find_quote_pieces(t) for t in paragraph_texts]
    quotes: list[list[tuple[int, QuotePiece]]] = []
    carry: list[tuple[int, QuotePiece]] | None = None
    for k, pieces in enumerate(per_para):
        for n, piece in enumerate(pieces):
            if carry is not None and n == 0 and piece.open == 0 and piece.mark == "double":
                carry.append((k, piece))
                if piece.close is None:
                    continue
                quotes.append(carry)
                carry = None
                continue
            if carry is not None:
                carry = None  # the open quote was not continued: an unbalanced mark, dropped
            if piece.close is None:
                if piece.mark == "double" and n == len(pieces) - 1:
                    carry = [(k, piece)]
                continue
            quotes.append([(k, piece)])
        if carry is not None and carry[-1][0] != k:
            carry = None
        if carry is not None and (
            k + 1 >= len(per_para) or not starts_with_open_mark(paragraph_texts[k + 1])
        ):
            carry = None
    return quotes


def covering_quote(quotes: list[Finding], start: int, end: int) -> Finding | None:
    """The quote finding (direct or scare) whose span holds ``start:end``, if any."""
    return next((q for q, s, e in located(quotes) if s <= start and end <= e), None)
