"""Stable article ids: the same text read twice, anywhere, gets the same id."""

from __future__ import annotations

import hashlib


def article_id(original: str) -> str:
    """First 16 hex digits of the SHA-256 of ``original`` (UTF-8).

    ``original`` is already newline-normalised by ``decode``; surrounding whitespace is
    ignored so a file saved with or without a final newline keeps its id.
    """
    return hashlib.sha256(original.strip().encode("utf-8")).hexdigest()[:16]
