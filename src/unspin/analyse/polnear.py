"""Gold attributions in PolNeAR's brat standoff format, for measuring quotes and speakers.

Each ``.ann`` file has ``T`` lines (``T3<TAB>Content 120 211<TAB>text``; a discontinuous span
is ``120 150;160 211``) and ``E`` lines tying one ``Attribution`` to its ``Source``, ``Cue``
and ``Content``. An attribution whose Content holds a quotation mark is a direct quote; the
rest is reported speech. A pronoun Source stays the pronoun: resolving it is the reader's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

QUOTE_MARKS = ("\"", "“", "”", "„", "«", "»", "''")  # '' : doubled apostrophes, as some archives render quotes


@dataclass(frozen=True)
class Piece:
    start: int
    end: int


@dataclass
class GoldSpan:
    pieces: list[Piece]
    text: str

    @property
    def start(self) -> int:
        return min(p.start for p in self.pieces)

    @property
    def end(self) -> int:
        return max(p.end for p in self.pieces)

    def length(self) -> int:
        return sum(p.end - p.start for p in self.pieces)

    def overlap(self, start: int, end: int) -> int:
        return sum(max(0, min(p.end, end) - max(p.start, start)) for p in self.pieces)


@dataclass
class GoldAttribution:
    content: GoldSpan
    source: GoldSpan | None = None
    cue: GoldSpan | None = None

    @property
    def direct(self) -> bool:
        """A direct quote: the Content holds a quotation mark (or two apostrophes standing for one)."""
        return any(mark in self.content.text for mark in QUOTE_MARKS)


@dataclass
class GoldArticle:
    name: str  # the text file's stem
    publisher: str
    attributions: list[GoldAttribution] = field(default_factory=list)


_T_LINE = re.compile(r"^(T\d+)\t(\w+) ([\d ;]+)\t(.*)$")


def _span(offsets: str, text: str) -> GoldSpan:
    pieces = []
    for part in offsets.split(";"):
        start, end = part.split()
        pieces.append(Piece(int(start), int(end)))
    return GoldSpan(pieces, text)


def read_ann(path: Path) -> list[GoldAttribution]:
    """The attributions of one ``.ann`` file (each with its Content; Source and Cue when given)."""
    spans: dict[str, tuple[str, GoldSpan]] = {}
    links: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            found = _T_LINE.match(line)
            if found:
                spans[found.group(1)] = (found.group(2), _span(found.group(3), found.group(4)))
        elif line.startswith("E"):
            fields = line.split("\t", 1)[1].split()
            links.append(dict(f.split(":", 1) for f in fields if ":" in f))
    out = []
    for link in links:
        content = spans.get(link.get("Content", ""))
        if content is None:
            continue
        source = spans.get(link.get("Source", ""))
        cue = spans.get(link.get("Cue", ""))
        out.append(GoldAttribution(content[1], source[1] if source else None, cue[1] if cue else None))
    return out


def publisher_of(name: str) -> str:
    """PolNeAR names files ``<publisher>_<date>_<slug>``."""
    return name.split("_", 1)[0]


def read_gold(articles: Path, labels: Path) -> list[tuple[Path, GoldArticle]]:
    """Each article text file with its gold attributions. Where an article has two annotators'
    files, the first (by name) is used, so every article counts once."""
    by_article: dict[str, Path] = {}
    for ann in sorted(labels.glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]  # NAME_XXXX.ann: XXXX is the annotator
        by_article.setdefault(stem, ann)
    pairs = []
    for text in sorted(articles.glob("*.txt")):
        found = by_article.get(text.stem)
        if found is None:
            continue
        pairs.append((text, GoldArticle(text.stem, publisher_of(text.stem), read_ann(found))))
    return pairs
