"""Decide whether a plain text starts with a title line.

Plain-text articles come in two layouts: a title line, a blank line, then the body (the SemEval
layout), or the body straight away. The first non-empty line is taken as the title when:

1. it is followed by a blank line, or it is short headline-style text (at most 16 words,
   most words capitalised, no closing punctuation) directly followed by more text; and
2. it is not too long for a headline (at most 50 words / 400 characters); and
3. it does not read like a body sentence: it does not end in sentence punctuation while being
   long (over 25 words) or holding several sentences (12+ words ending in a full stop), and it is not sentence-case prose
   ending in a full stop (lowercase words after the first, 14+ words); and
4. it is not a quotation standing alone or a quote with its attribution ('"...," she said.'), a byline ("By ..."), a date/time stamp only, or a
   copyright/photo credit.

Anything else is body, and the article gets no title.
"""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_INNER_SENTENCE = re.compile(r"[a-z0-9\"'”’)][.!?]\s+[\"'“‘(]?[A-Z]")
_OPEN_QUOTES = "\"'“‘«„"
_CLOSE_QUOTES = "\"'”’»“"
_BYLINE = re.compile(r"^(by|von|par|por)\s+\S", re.IGNORECASE)
_MONTHS = r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_DATELINE_ONLY = re.compile(
    rf"^((mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s*)?(({_MONTHS})[a-z]*\.?|[\d\s:/.,\-])+(am|pm|gmt|utc|et|bst|cet)?$",
    re.IGNORECASE,
)
_CREDIT_START = re.compile(r"^(©|\(c\)|copyright\b|photo\b|image\b)", re.IGNORECASE)
# '"We need time," said one resident.': a quote closed by a comma and attributed is body prose.
_ATTRIBUTED_QUOTE = re.compile(r"^[\"'“‘«„].{1,300}?[,!?][\"'”’»“]\s+\w")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")

MAX_TITLE_WORDS = 50
MAX_TITLE_CHARS = 400


def find_title(text: str) -> tuple[int, int] | None:
    """Return (start, end) of the title line in ``text``, or None when the text has no title."""
    start = len(text) - len(text.lstrip())
    line_end = text.find("\n", start)
    if line_end < 0:
        return None  # a single line is body, never a title over nothing
    line = text[start:line_end].rstrip()
    rest = text[line_end + 1 :]
    if not rest.strip():
        return None
    followed_by_blank = rest.split("\n", 1)[0].strip() == ""
    if not followed_by_blank and not _looks_like_headline(line):
        return None
    if not _acceptable_title(line):
        return None
    return start, start + len(line)


def _acceptable_title(line: str) -> bool:
    words = line.split()
    if not words or len(words) > MAX_TITLE_WORDS or len(line) > MAX_TITLE_CHARS:
        return False
    if _BYLINE.match(line) or _DATELINE_ONLY.match(line) or _CREDIT_START.match(line):
        return False
    if _ATTRIBUTED_QUOTE.match(line) and _SENTENCE_END.search(line):
        return False
    if line[0] in _OPEN_QUOTES and line.rstrip(".,;:!? ")[-1:] in _CLOSE_QUOTES:
        if len(words) > 12 or re.search(r"[.!?,][\"'”’»“]*$", line):
            return False  # a quotation standing on its own line is body
    if _SENTENCE_END.search(line):
        if len(words) > 25:
            return False
        ends_with_stop = line.rstrip("\"'”’)]").endswith(".")
        if ends_with_stop and len(words) >= 12 and _INNER_SENTENCE.search(line):
            return False  # several sentences: a body paragraph
        if line.rstrip("\"'”’)]").endswith(".") and len(words) >= 14 and _capitalised_share(line) < 0.4:
            return False  # sentence-case prose ending in a full stop
    return True


def _looks_like_headline(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 16 and not _SENTENCE_END.search(line) and _capitalised_share(line) >= 0.6


def _capitalised_share(line: str) -> float:
    words = _WORD.findall(line)
    if not words:
        return 0.0
    return sum(1 for w in words if w[0].isupper()) / len(words)
