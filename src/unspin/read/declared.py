"""What a page says about itself: its genre (an opinion section, a satire label) and a clean byline.

Publishers label their own opinion and satire: a schema.org type (``OpinionNewsArticle``,
``SatiricalArticle``), an ``article:section`` meta tag, a section in the URL path
(``/opinion/``, ``/commentisfree/``) or a byline such as "Opinion by ...". That label is a fact
about the page, as reliable as its author or date, and a far stronger cue than style: the
analyse stage reports it as a genre finding of its own, next to the model's reading.

Only explicit labels count. A "news" section says nothing (opinion sites file everything
under news); only the schema.org reportage type declares reporting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# Section names (meta tag, URL path segment, corpus column) that declare a genre.
SECTION_GENRES = {
    "opinion": "opinion", "opinions": "opinion", "comment": "opinion", "commentary": "opinion",
    "commentisfree": "opinion", "editorial": "opinion", "editorials": "opinion", "op-ed": "opinion",
    "oped": "opinion", "op-eds": "opinion", "column": "opinion", "columns": "opinion",
    "columnists": "opinion", "letters": "opinion", "viewpoint": "opinion", "viewpoints": "opinion",
    "satire": "satire", "parody": "satire",
}
SCHEMA_GENRES = {
    "opinionnewsarticle": "opinion", "satiricalarticle": "satire", "reportagenewsarticle": "reporting",
}
_BYLINE_LABEL = re.compile(
    r"^\s*(opinion|comment|commentary|editorial|column|op-ed|satire)\s*(?:by\b|[:|\-–—])\s*", re.IGNORECASE
)
_BYLINE_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)
# Bounded repeats: hostile JSON-LD (thousands of unclosed arrays) must not cost quadratic time.
_SCHEMA_TYPE = re.compile(r'"@type"\s{0,20}:\s{0,20}(\[[^\]]{0,500}\]|"[^"]{0,200}")')
_SCHEMA_SECTION = re.compile(r'"articleSection"\s{0,20}:\s{0,20}(\[[^\]]{0,500}\]|"[^"]{0,200}")')


@dataclass(frozen=True)
class DeclaredGenre:
    genre: str  # reporting | opinion | satire
    evidence: str  # where the page says so, e.g. "article:section = Opinion"

    def as_meta(self) -> dict[str, str]:
        return {"genre": self.genre, "evidence": self.evidence}


def clean_byline(author: str | None) -> tuple[str | None, DeclaredGenre | None]:
    """``"Opinion by Ann Lee"`` -> ``("Ann Lee", opinion)``; ``"By Ann Lee"`` -> ``("Ann Lee", None)``."""
    if not author or not author.strip():
        return None, None
    text = author.strip()
    declared = None
    m = _BYLINE_LABEL.match(text)
    if m:
        label = m.group(1).lower()
        declared = DeclaredGenre(SECTION_GENRES.get(label, "opinion"), f"byline '{text}'")
        text = text[m.end():]
    text = _BYLINE_BY.sub("", text).strip()
    return (text or None), declared


def from_section(section: str | None, where: str) -> DeclaredGenre | None:
    """A section name (``article:section``, a corpus ``section`` column) that declares a genre."""
    if not section:
        return None
    key = re.sub(r"\s+", "-", section.strip().lower())
    genre = SECTION_GENRES.get(key)
    return DeclaredGenre(genre, f"{where} = {section.strip()}") if genre else None


def from_url(url: str | None) -> DeclaredGenre | None:
    """A URL whose path has a section segment: ``https://x.com/opinion/2026/04/...``."""
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    for segment in path.lower().split("/")[:-1]:  # the last segment is the article's own slug
        genre = SECTION_GENRES.get(segment)
        if genre:
            return DeclaredGenre(genre, f"URL section /{segment}/")
    return None


def from_schema(json_ld: str) -> DeclaredGenre | None:
    """A schema.org ``@type`` in the page's JSON-LD that is a genre of its own, else its
    ``articleSection`` when that names one."""
    for m in _SCHEMA_TYPE.finditer(json_ld):
        for name in re.findall(r'"([^"]+)"', m.group(1)):
            genre = SCHEMA_GENRES.get(name.strip().lower())
            if genre:
                return DeclaredGenre(genre, f"schema.org type {name.strip()}")
    for m in _SCHEMA_SECTION.finditer(json_ld):
        for name in re.findall(r'"([^"]+)"', m.group(1)):
            found = from_section(name, "schema.org articleSection")
            if found:
                return found
    return None


def record_declared(meta: dict, *candidates: DeclaredGenre | None) -> None:
    """Put the first explicit label (candidates in order, the most specific source first) in
    ``meta["declared_genre"]``; nothing when there is none."""
    declared = next((c for c in candidates if c is not None), None)
    if declared is not None:
        meta["declared_genre"] = declared.as_meta()
