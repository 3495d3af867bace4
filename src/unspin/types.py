"""Typed records that flow between the stages: read -> clean -> analyse -> group -> compare -> present.

Every offset (``start``/``end``) is a character offset into ``Article.original``, the text
exactly as it was read (for HTML: the text trafilatura extracted, see ``read.html``).
``end`` is exclusive, as in Python slices, so ``article.original[f.start:f.end] == f.text``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from unspin.kinds import FindingKind  # what each kind means, and how views show it: one table

SCHEMA_VERSION = "1.1"


SourceFormat = Literal["text", "html", "jsonl", "csv", "parquet", "feed", "api"]
Relation = Literal["member", "copy_of", "rewrite_of"]  # a story member, or a copy or rewrite of one
Verdict = Literal["identical", "trimmed", "paraphrased", "altered"]  # how faithfully a quote is rendered

class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """A stretch of ``Article.original``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Paragraph(Span):
    """A body paragraph after cleaning; ``index`` is 0-based among kept paragraphs,
    ``line`` is the 1-based line number in the original text (SemEval's paragraph id)."""

    index: int
    line: int


class Finding(_Model):
    """The one record every analyser and comparer emits. Evidence first: a span a user can check,
    a confidence, and what produced it (``source``: ``rule:...``, ``lexicon:...@v``, ``model:...@v``)."""

    kind: FindingKind
    label: str
    start: int | None = None
    end: int | None = None
    text: str = ""
    confidence: float = Field(ge=0.0, le=1.0)
    source: str
    explanation: str = ""
    article_id: str | None = None
    # Kind-specific detail, e.g. quote: speaker/speaker_start/speaker_end/verb;
    # term: category/neutral/side/speaker; date: value/resolved; frame: paragraphs.
    attrs: dict[str, Any] = Field(default_factory=dict)


def located(findings: Iterable[Finding]) -> list[tuple[Finding, int, int]]:
    """The findings that have a span, each with its start and end (a document-level finding,
    such as a genre, has none)."""
    return [(f, f.start, f.end) for f in findings if f.start is not None and f.end is not None]


class Article(_Model):
    """An article as read and cleaned. ``original`` is never modified: cleaning records
    what it removed (``removed``) and which stretches are body text (``paragraphs``)."""

    id: str  # content hash of ``original`` (stable across runs and machines)
    original: str
    source: str = ""  # path, URL or "<stdin>"/"corpus.jsonl#12"
    format: SourceFormat = "text"
    title: Span | None = None
    outlet: str | None = None
    url: str | None = None
    author: str | None = None
    published: datetime | None = None
    language: str | None = None
    paragraphs: list[Paragraph] = Field(default_factory=list)
    removed: list[Finding] = Field(default_factory=list)  # kind == "boilerplate"
    meta: dict[str, Any] = Field(default_factory=dict)

    @property
    def body(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)

    @property
    def title_text(self) -> str:
        return self.title.text if self.title else ""

    def body_spans(self) -> list[Span]:
        """Body paragraphs as spans of ``original``; without cleaning, its non-empty lines, the
        title line left out (what the trained components read as body)."""
        if self.paragraphs:
            return [Span(start=p.start, end=p.end, text=self.original[p.start : p.end]) for p in self.paragraphs]
        out, pos = [], 0
        for line in self.original.split("\n"):
            if line.strip():
                a = pos + len(line) - len(line.lstrip())
                b = pos + len(line.rstrip())
                out.append(Span(start=a, end=b, text=self.original[a:b]))
            pos += len(line) + 1
        if self.title and out and out[0].start == self.title.start:
            out = out[1:]  # the title line is read as the title, not as body
        return out

    @property
    def label(self) -> str:
        """Short human name: outlet, else source."""
        return self.outlet or self.source or self.id[:8]


class Sentence(Span):
    paragraph: int  # Paragraph.index


class Entity(Span):
    label: str  # spaCy label: PERSON, ORG, GPE, NORP, ...


AnalysisStatus = Literal["analysed", "not_analysed"]


class Analysis(_Model):
    """An article with everything the analyse stage found in it (the spaCy ``Doc`` of unspin)."""

    schema_version: str = SCHEMA_VERSION
    article: Article
    status: AnalysisStatus = "analysed"
    status_reason: str = ""
    sentences: list[Sentence] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    components: list[str] = Field(default_factory=list)  # "name@version" of each component run
    # The spaCy parse of each body paragraph, set by the ``nlp`` component for the components
    # after it; transient: never serialised, dropped when the pipeline is done.
    _parses: Any = PrivateAttr(default=None)

    def of_kind(self, *kinds: str) -> list[Finding]:
        return [f for f in self.findings if f.kind in kinds]


class ItemFailure(_Model):
    """One input or article that failed at a stage (read, clean, analyse, store) and why; a batch
    records it and goes on."""

    source: str
    reason: str
    stage: str = "read"


ReadError = ItemFailure  # its name until this release: it records more than reading

class StoryMember(_Model):
    article_id: str
    relation: Relation = "member"
    of: str | None = None  # for copy_of / rewrite_of: the article it copies
    similarity: float = 1.0


class Story(_Model):
    id: str
    title: str = ""
    members: list[StoryMember] = Field(default_factory=list)
    # The span of its members' publication dates; None when no member is dated ("undated"),
    # never the time the articles were read.
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    updated: datetime | None = None  # when a member last arrived: orders lists, is no news date

    @property
    def article_ids(self) -> list[str]:
        return [m.article_id for m in self.members]


class DiffOp(_Model):
    """One step of a word diff: words both renderings have, or that only the first (``delete``)
    or only the second (``insert``) has."""

    op: Literal["equal", "delete", "insert"]
    text: str


class QuoteRendering(_Model):
    """One article's rendering of words that several articles of a story carry."""

    article_id: str
    start: int  # offsets into that article's original
    end: int
    text: str
    kind: str = "quote"  # quote | reported_speech
    verb: str | None = None  # how the article introduced the words: "said", "ranted"
    # Against ``compared_with`` (the group's reference unless the two were never matched
    # directly), None for the reference itself: the class, what changed and the word diff,
    # all read from that rendering to this one.
    verdict: Verdict | None = None
    changes: list[str] = Field(default_factory=list)
    diff: list[DiffOp] = Field(default_factory=list)
    confidence: float | None = None
    compared_with: str | None = None  # article id of the rendering the verdict is against


class QuoteGroup(_Model):
    """The renderings of the same words of one speaker across a story's articles, the reference
    first: the earliest published, else the fullest (a quote is trimmed as it travels more often
    than it grows)."""

    speaker: str | None = None
    renderings: list[QuoteRendering] = Field(default_factory=list)


class EntityRole(_Model):
    """The part one article gives an entity (its ``role`` finding, read in compare)."""

    article_id: str
    name: str  # as this article names it (its fullest form)
    role: str  # Protagonist | Antagonist | Innocent
    fine: list[str] = Field(default_factory=list)
    confidence: float = Field(ge=0.0, le=1.0)
    start: int  # the first mention that supports the role, in that article's original
    end: int


class EntityRoles(_Model):
    """One entity as two or more articles of a story cast it, in the comparison's article order."""

    entity: str  # the name shown: the fullest form any of the articles uses
    roles: list[EntityRole] = Field(default_factory=list)
    differs: bool = False  # the articles give it different main roles


class LeftOutFact(_Model):
    """A sentence most other articles of a story carry and this one does not (``align.left_out``)."""

    text: str
    article_id: str  # the article the sentence is quoted from
    start: int  # in that article's original
    end: int
    carried_by: int  # how many articles carry it
    of: int  # out of how many that could


class TermUse(_Model):
    """A lexicon term as an article uses it (its ``term`` finding, read in compare)."""

    text: str
    label: str  # the lexicon entry
    category: str | None = None
    side: str | None = None
    in_quote: bool | None = None  # inside a quote: the speaker's word, not the outlet's
    speaker: str | None = None
    scare_quoted: bool = False


class RoleUse(_Model):
    """A role an article gives one of its main entities (shown ones only)."""

    entity: str
    role: str
    fine: list[str] = Field(default_factory=list)
    confidence: float = Field(ge=0.0, le=1.0)


class ArticleSummary(_Model):
    """What one article of a story says, quotes, names and cites: one outlet's line in every
    per-outlet view. Counts leave out findings inside quotes and under the display level."""

    label: str = ""
    outlet: str | None = None
    title: str = ""
    status: AnalysisStatus = "analysed"
    status_reason: str = ""
    counts: dict[str, int] = Field(default_factory=dict)  # the story's findings on it, by kind
    fidelity: dict[str, int] = Field(default_factory=dict)  # its quote renderings, by verdict
    quotes: int = 0
    quoted: dict[str, int] = Field(default_factory=dict)  # speaker -> quotes, most quoted first
    leaves_out: list[LeftOutFact] = Field(default_factory=list)
    quotes_only_here: int = 0
    scare_quotes: list[str] = Field(default_factory=list)
    terms: list[TermUse] = Field(default_factory=list)
    techniques: dict[str, int] = Field(default_factory=dict)  # label -> spans, most first
    frames: list[str] = Field(default_factory=list)
    narratives: list[str] = Field(default_factory=list)  # likeliest first; "Other" on the topic
    roles: list[RoleUse] = Field(default_factory=list)  # likeliest first
    genre: str | None = None
    entities_only_here: list[str] = Field(default_factory=list)
    attributions: list[str] = Field(default_factory=list)  # outlets it cites


class Comparison(_Model):
    """How the articles of one story differ. Every finding keeps its ``article_id`` and span."""

    schema_version: str = SCHEMA_VERSION
    story: Story
    findings: list[Finding] = Field(default_factory=list)
    per_article: dict[str, ArticleSummary] = Field(default_factory=dict)  # summaries per article id
    # Who cites whom: {"nodes": [{id, label, kind}], "edges": [{source, target, relation,
    # article_id, start, end, text}]}; edge spans are offsets into that article's original.
    attribution_graph: dict[str, Any] = Field(default_factory=dict)
    # Quotes several articles carry, each group with its reference rendering first and every
    # other rendering's verdict and word diff against it (built from the ``fidelity`` findings).
    quote_groups: list[QuoteGroup] = Field(default_factory=list)
    # article id -> the short unique name every explanation and view uses ("Outlet (2)")
    labels: dict[str, str] = Field(default_factory=dict)
    # the one line that says how the outlets differ most ("" when nothing does)
    top_divergence: str = ""
    # Entities two or more articles cast in a role (shown ones only), those cast differently first.
    entity_roles: list[EntityRoles] = Field(default_factory=list)

    def of_kind(self, *kinds: str) -> list[Finding]:
        return [f for f in self.findings if f.kind in kinds]

    def summary(self, article_id: str) -> ArticleSummary:
        """The article's summary; an empty one for an article the comparison does not hold."""
        return self.per_article.get(article_id) or ArticleSummary()
