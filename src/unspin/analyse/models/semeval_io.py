"""Read SemEval-2023 Task 3 style data (articles + labels) from any directory in that format.

Used at training and evaluation time only; nothing here is copied into the repo.
Article files: ``article<ID>.txt``, title on line 1, empty line, body; paragraph ids are 1-based
line numbers counting empty lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from unspin.analyse.models.labels import normalise_label

# Default data location: ../shared beside the repo (training and tests only; never shipped).
SHARED = Path(__file__).resolve().parents[4] / ".." / "shared" / "data" / "semeval2023-task3-en"
TRAIN = SHARED / "train"

_ID = re.compile(r"article(\d+)\.txt$")


@dataclass
class Line:
    """One non-empty line of an article file: SemEval's "paragraph"."""

    no: int  # 1-based line number
    start: int  # char offset in the file text
    end: int
    text: str


@dataclass
class Doc:
    id: str
    text: str
    lines: list[Line]
    techniques: dict[int, list[str]] = field(default_factory=dict)  # line no -> labels
    spans: list[tuple[str, int, int]] = field(default_factory=list)  # (technique, start, end)
    frames: list[str] | None = None
    genre: str | None = None

    @property
    def title(self) -> str:
        return self.lines[0].text if self.lines and self.lines[0].no == 1 else ""


def split_lines(text: str) -> list[Line]:
    out: list[Line] = []
    pos = 0
    for no, raw in enumerate(text.split("\n"), start=1):
        body = raw.rstrip("\r")
        if body.strip():
            out.append(Line(no=no, start=pos, end=pos + len(body), text=body))
        pos += len(raw) + 1
    return out


def read_articles(articles_dir: Path) -> dict[str, Doc]:
    docs: dict[str, Doc] = {}
    for path in sorted(Path(articles_dir).glob("article*.txt")):
        m = _ID.search(path.name)
        if not m:
            continue
        # newline="" keeps \r so offsets match the organisers' span offsets byte-for-char.
        text = path.read_text(encoding="utf-8")
        docs[m.group(1)] = Doc(id=m.group(1), text=text, lines=split_lines(text))
    return docs


def _split_labels(field_text: str) -> list[str]:
    return [normalise_label(x) for x in field_text.split(",") if x.strip()]


def read_genre_labels(path: Path) -> dict[str, str]:
    out = {}
    for ln in Path(path).read_text(encoding="utf-8").splitlines():
        parts = ln.split("\t")
        if len(parts) >= 2 and parts[0].strip():
            out[parts[0].strip()] = parts[1].strip()
    return out


def read_frame_labels(path: Path) -> dict[str, list[str]]:
    out = {}
    for ln in Path(path).read_text(encoding="utf-8").splitlines():
        parts = ln.split("\t")
        if parts and parts[0].strip():
            out[parts[0].strip()] = _split_labels(parts[1]) if len(parts) > 1 else []
    return out


def read_technique_labels(path: Path) -> dict[str, dict[int, list[str]]]:
    """``ID<TAB>line<TAB>labels`` -> {id: {line: [labels]}}; accepts a file or a folder of files."""
    path = Path(path)
    files = sorted(path.glob("*.txt")) if path.is_dir() else [path]
    out: dict[str, dict[int, list[str]]] = {}
    for f in files:
        for ln in f.read_text(encoding="utf-8").splitlines():
            parts = ln.split("\t")
            if len(parts) < 2 or not parts[0].strip():
                continue
            labels = _split_labels(parts[2]) if len(parts) > 2 else []
            out.setdefault(parts[0].strip(), {})[int(parts[1])] = labels
    return out


def read_spans(spans_dir: Path) -> dict[str, list[tuple[str, int, int]]]:
    out: dict[str, list[tuple[str, int, int]]] = {}
    for f in sorted(Path(spans_dir).glob("*.txt")):
        for ln in f.read_text(encoding="utf-8").splitlines():
            parts = ln.split("\t")
            if len(parts) >= 4:
                out.setdefault(parts[0], []).append((normalise_label(parts[1]), int(parts[2]), int(parts[3])))
    return out


def load_subtask3(root: Path = TRAIN, with_spans: bool = True) -> list[Doc]:
    docs = read_articles(root / "train-articles-subtask-3")
    labels = read_technique_labels(root / "train-labels-subtask-3.txt")
    spans = read_spans(root / "train-labels-subtask-3-spans") if with_spans else {}
    for doc_id, doc in docs.items():
        doc.techniques = labels.get(doc_id, {})
        doc.spans = spans.get(doc_id, [])
    return [docs[k] for k in sorted(docs) if k in labels]


def load_article_task(root: Path = TRAIN) -> list[Doc]:
    """Subtasks 1 and 2 share their articles: docs with ``genre`` and ``frames`` set."""
    docs = read_articles(root / "train-articles-subtask-2")
    docs1 = read_articles(root / "train-articles-subtask-1")
    for k, d in docs1.items():
        docs.setdefault(k, d)
    genre = read_genre_labels(root / "train-labels-subtask-1.txt")
    frames = read_frame_labels(root / "train-labels-subtask-2.txt")
    for doc_id, doc in docs.items():
        doc.genre = genre.get(doc_id)
        doc.frames = frames.get(doc_id)
    return [docs[k] for k in sorted(docs)]
