"""Article text is untrusted: before any view shows it, characters that would act on the
reader's screen instead of being read are made visible or removed.

- Bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder what follows
  them ("gpj.exe" shown as "exe.jpg"); each is shown as a marker naming it, e.g. ``⟦RLO⟧``.
- C0 and C1 control characters (but tab and newline) are shown as their control pictures
  (``␇``) or as ``⟦U+0085⟧``.
- ANSI escape sequences (colours, cursor moves, window titles, hyperlinks) are removed: in a
  terminal they would act; elsewhere they are noise.

Stored text and every offset stay as read; only what is displayed changes.
"""

from __future__ import annotations

import re

from markupsafe import Markup

BIDI_NAMES = {
    0x202A: "LRE", 0x202B: "RLE", 0x202C: "PDF", 0x202D: "LRO", 0x202E: "RLO",
    0x2066: "LRI", 0x2067: "RLI", 0x2068: "FSI", 0x2069: "PDI",
}
# CSI (ESC [ or 8-bit 0x9B) with its parameters; OSC (ESC ] ... BEL or ST), as hyperlinks and
# window titles are written; DCS/SOS/PM/APC strings; any other two-character escape.
ANSI = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]"
)
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _marker(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code in BIDI_NAMES:
        return f"⟦{BIDI_NAMES[code]}⟧"
    if code < 0x20:
        return chr(0x2400 + code)  # the control pictures block: ␀ ... ␟
    if code == 0x7F:
        return "␡"
    return f"⟦U+{code:04X}⟧"


def visible(text: str) -> str:
    """``text`` as it may be shown: escape sequences gone, controls and bidi overrides marked."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_marker, ANSI.sub("", text))


def finalize(value):
    """A Jinja ``finalize`` hook: every ``{{ ... }}`` a template prints passes here first.
    Markers hold no HTML syntax, so already-escaped markup can be treated the same way."""
    if isinstance(value, Markup):
        return Markup(visible(str(value)))
    if isinstance(value, str):
        return visible(value)
    return value
