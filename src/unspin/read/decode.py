"""Bytes -> text, refusing what is not an article.

Offsets everywhere refer to the string this module returns: the decoded text without a byte
order mark and with every line break (``\\r\\n``, ``\\r``) turned into ``\\n``. That string is
``Article.original``.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from unspin.read.errors import ReadFailure

DEFAULT_MAX_BYTES = 20_000_000

# Well-known file signatures, so the error can say what the file is instead of "binary".
_MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx/.epub, which are ZIP files)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"PAR1", "a Parquet file"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
]

BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]

# Control bytes that plain text does not contain (tab, newline, form feed, CR are fine).
_CONTROL = set(range(0x00, 0x09)) | {0x0B} | set(range(0x0E, 0x20)) | {0x7F}
_MAX_CONTROL_RATIO = 0.05


def size_error(size: int, max_bytes: int, source: str = "input") -> ReadFailure:
    return ReadFailure(
        f"{source} is {size / 1e6:.1f} MB ({size:,} bytes), above the {max_bytes:,}-byte limit; "
        f"raise the limit with max_bytes=... (CLI: --max-bytes) if this is really one input"
    )


def read_bytes(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file, refusing it before reading when it is larger than ``max_bytes``."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise size_error(size, max_bytes, str(path))
        return path.read_bytes()
    except OSError as exc:
        raise ReadFailure(f"cannot read {path}: {exc.strerror or exc}") from exc


def sniff_binary(data: bytes) -> str | None:
    """Return what kind of binary file ``data`` is, or None if it may be text."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    head = data[:8192]
    if b"\x00" in head:
        return "a binary file (it contains NUL bytes)"
    controls = sum(1 for b in head if b in _CONTROL)
    if head and controls / len(head) > _MAX_CONTROL_RATIO:
        return f"a binary file ({controls / len(head):.0%} control characters)"
    return None


def decode_bytes(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, source: str = "input") -> str:
    """Decode an article file to text (see the module doc for what offsets refer to)."""
    if len(data) > max_bytes:
        raise size_error(len(data), max_bytes, source)
    if not data.strip():
        raise ReadFailure(f"{source} is empty" if not data else f"{source} holds only whitespace")
    text = _decode_with_bom(data)
    if text is None:
        what = sniff_binary(data)
        if what:
            raise ReadFailure(f"{source} is {what}, not a text article")
        text = _decode_without_bom(data, source)
    text = normalise_newlines(text)
    if not text.strip():
        raise ReadFailure(f"{source} holds only whitespace")
    return text


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_with_bom(data: bytes) -> str | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError:
                return None
    return None


def _decode_without_bom(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Mostly-ASCII text that is not UTF-8 is nearly always Windows-1252 (a superset of Latin-1's
    # printable range); detectors guess badly on the few high bytes of a short article.
    ascii_share = 1 - len(data.translate(None, bytes(range(0x80)))) / len(data)
    if ascii_share >= 0.9:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes  # imported lazily: only legacy encodings need it

    best = from_bytes(data).best()
    if best is None:
        raise ReadFailure(f"{source} is not UTF-8 and its text encoding could not be recognised")
    return str(best)
