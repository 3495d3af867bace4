"""Map offsets in a cleaned text (kept paragraphs joined) back to ``Article.original``.

The analyse stage may run over ``Article.body`` (paragraph texts joined with a separator);
``OffsetMap`` turns offsets found there into offsets of ``original``, so findings stay checkable.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from unspin.types import Span

BODY_SEPARATOR = "\n\n"  # what ``Article.body`` joins paragraphs with


class OffsetMap:
    """Piecewise map: cleaned text = pieces of original laid end to end with separators."""

    def __init__(self, pieces: Sequence[Span], separator: str = BODY_SEPARATOR) -> None:
        self._clean_starts: list[int] = []
        self._orig_starts: list[int] = []
        self._lengths: list[int] = []
        parts: list[str] = []
        position = 0
        for i, piece in enumerate(pieces):
            if i:
                parts.append(separator)
                position += len(separator)
            self._clean_starts.append(position)
            self._orig_starts.append(piece.start)
            self._lengths.append(piece.end - piece.start)
            parts.append(piece.text)
            position += len(piece.text)
        self.text = "".join(parts)

    def to_original(self, offset: int) -> int:
        """Original offset of the character at ``offset`` in the cleaned text. An offset inside a
        separator (or at the very end) maps to the end of the piece before it, which is right for
        exclusive ``end`` offsets."""
        if not 0 <= offset <= len(self.text):
            raise ValueError(f"offset {offset} is outside the cleaned text (length {len(self.text)})")
        if not self._clean_starts:
            return 0
        i = max(bisect_right(self._clean_starts, offset) - 1, 0)
        within = offset - self._clean_starts[i]
        return self._orig_starts[i] + min(within, self._lengths[i])

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the cleaned stretch [start, end); ``end`` exclusive."""
        if end < start:
            raise ValueError(f"end {end} is before start {start}")
        if start == end:
            s = self.to_original(start)
            return s, s
        # The last character's position + 1; when that character is a separator, the
        # stretch ends where the piece before it ends.
        last = end - 1
        self.to_original(end)  # range check
        i = max(bisect_right(self._clean_starts, last) - 1, 0)
        within = last - self._clean_starts[i]
        orig_end = self._orig_starts[i] + (within + 1 if within < self._lengths[i] else self._lengths[i])
        return self.to_original(start), orig_end


def cleaned_text(pieces: Sequence[Span], separator: str = BODY_SEPARATOR) -> tuple[str, OffsetMap]:
    """The cleaned text (pieces joined by ``separator``) and its map back to the original."""
    mapping = OffsetMap(pieces, separator)
    return mapping.text, mapping
