"""Read-side queries the pages and the API need beyond ``Store``: story lists with filters,
the values those filters offer, and per-outlet statistics over time. SQLAlchemy Core on the
store's tables, so SQLite and PostgreSQL both work."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, or_, select

from unspin.kinds import KINDS, names
from unspin.store import tables as t
from unspin.store.db import Store, as_utc

MAX_PAGE = 200
OPENING_CHARS = 120


def _opening():
    return func.substr(t.articles.c.original, 1, OPENING_CHARS).label("opening")


@dataclass
class StoryFilters:
    outlet: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    technique: str | None = None
    frame: str | None = None
    q: str | None = None

    def active(self) -> bool:
        return any(v not in (None, "") for v in vars(self).values())


@dataclass
class ArticleSummary:
    id: str
    title: str
    outlet: str | None
    url: str | None
    published: datetime | None
    relation: str = "member"
    opening: str = ""  # the first characters of the text, to name an article without a title

    @property
    def name(self) -> str:
        return display_name(self.title, self.opening, self.id)


def display_name(title: str | None, opening: str, article_id: str, limit: int = 70) -> str:
    """How a page names an article: its title, else the opening words of its text (clipped at a
    word), else its short id."""
    if title:
        return title
    words = " ".join(opening[:OPENING_CHARS].split())
    if not words:
        return article_id[:10]
    if len(words) <= limit:
        return words
    cut = words.rfind(" ", 0, limit)
    return words[: cut if cut > 0 else limit] + "\u2026"


@dataclass
class StorySummary:
    id: str
    title: str
    first_seen: datetime | None  # publication span; None: undated
    last_seen: datetime | None
    updated: datetime | None = None  # when an article of it last arrived
    articles: list[ArticleSummary] = field(default_factory=list)
    techniques: list[tuple[str, int]] = field(default_factory=list)
    frames: list[tuple[str, int]] = field(default_factory=list)
    top_divergence: str | None = None  # filled by the page from the compared story, when it has been

    @property
    def outlets(self) -> list[str]:
        return sorted({a.outlet for a in self.articles if a.outlet})


UNDATED = "undated"


aware = as_utc  # the store's own reading of its times


def _members_where(*conditions):
    return (
        select(t.story_members.c.story_id)
        .join(t.articles, t.articles.c.id == t.story_members.c.article_id)
        .where(*conditions)
    )


def _with_finding(kind: str, label: str):
    found = select(t.findings.c.article_id).where(t.findings.c.kind == kind, t.findings.c.label == label)
    return select(t.story_members.c.story_id).where(t.story_members.c.article_id.in_(found))


def list_stories(store: Store, filters: StoryFilters | None = None, *, limit: int = 50, offset: int = 0) -> list[StorySummary]:
    """Stories, most recently updated first, that match every filter given."""
    f = filters or StoryFilters()
    q = select(t.stories)
    if f.outlet:
        q = q.where(t.stories.c.id.in_(_members_where(t.articles.c.outlet == f.outlet)))
    # Dated stories by their publication span, undated ones by when they arrived.
    if f.since:
        q = q.where(func.coalesce(t.stories.c.last_seen, t.stories.c.updated) >= f.since)
    if f.until:
        q = q.where(func.coalesce(t.stories.c.first_seen, t.stories.c.updated) <= f.until)
    if f.technique:
        q = q.where(t.stories.c.id.in_(_with_finding("technique", f.technique)))
    if f.frame:
        q = q.where(t.stories.c.id.in_(_with_finding("frame", f.frame)))
    if f.q:
        pattern = f"%{_escape_like(f.q.strip())}%"
        text_match = or_(
            t.articles.c.title.ilike(pattern, escape="\\"),
            t.articles.c.original.ilike(pattern, escape="\\"),
            t.articles.c.outlet.ilike(pattern, escape="\\"),
        )
        q = q.where(or_(t.stories.c.title.ilike(pattern, escape="\\"), t.stories.c.id.in_(_members_where(text_match))))
    q = q.order_by(t.stories.c.updated.desc().nulls_last(), t.stories.c.id).limit(min(limit, MAX_PAGE)).offset(offset)
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
        summaries = [StorySummary(r.id, r.title, aware(r.first_seen), aware(r.last_seen), aware(r.updated)) for r in rows]
        _fill_members(conn, summaries)
    return summaries


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fill_members(conn, summaries: list[StorySummary]) -> None:
    by_id = {s.id: s for s in summaries}
    if not by_id:
        return
    members = conn.execute(
        select(
            t.story_members.c.story_id, t.story_members.c.relation, t.articles.c.id, t.articles.c.title,
            t.articles.c.outlet, t.articles.c.url, t.articles.c.published, _opening(),
        )
        .join(t.articles, t.articles.c.id == t.story_members.c.article_id)
        .where(t.story_members.c.story_id.in_(list(by_id)))
        .order_by(t.articles.c.published, t.articles.c.first_seen)
    )
    article_story: dict[str, str] = {}
    for m in members:
        by_id[m.story_id].articles.append(
            ArticleSummary(m.id, m.title or "", m.outlet, m.url, aware(m.published), m.relation, m.opening or "")
        )
        article_story[m.id] = m.story_id
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    rows = conn.execute(
        select(t.findings.c.article_id, t.findings.c.kind, t.findings.c.label)
        .where(t.findings.c.article_id.in_(list(article_story)), t.findings.c.kind.in_(["technique", "frame"]))
    )
    for r in rows:
        counts[(article_story[r.article_id], r.kind)][r.label] += 1
    for s in summaries:
        s.techniques = counts[(s.id, "technique")].most_common(5)
        s.frames = counts[(s.id, "frame")].most_common(3)


def story_of_article(store: Store, article_id: str) -> str | None:
    with store.engine.connect() as conn:
        row = conn.execute(
            select(t.story_members.c.story_id).where(t.story_members.c.article_id == article_id)
        ).first()
    return row.story_id if row else None


def facets(store: Store) -> dict[str, list[str]]:
    """The values the story filters offer: outlets, technique and frame labels present."""
    with store.engine.connect() as conn:
        outlets = [r[0] for r in conn.execute(
            select(t.articles.c.outlet).distinct().where(t.articles.c.outlet.is_not(None)).order_by(t.articles.c.outlet)
        )]
        labels = defaultdict(list)
        for kind, label in conn.execute(
            select(t.findings.c.kind, t.findings.c.label)
            .where(t.findings.c.kind.in_(["technique", "frame"]))
            .group_by(t.findings.c.kind, t.findings.c.label)
            .order_by(t.findings.c.label)
        ):
            labels[kind].append(label)
    return {"outlets": outlets, "techniques": labels["technique"], "frames": labels["frame"]}


def list_outlets(store: Store) -> list[tuple[str, int]]:
    """(outlet, number of articles), most articles first."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(t.articles.c.outlet, func.count())
            .where(t.articles.c.outlet.is_not(None))
            .group_by(t.articles.c.outlet)
            .order_by(func.count().desc(), t.articles.c.outlet)
        )
        return [(r[0], r[1]) for r in rows]


@dataclass
class OutletStats:
    outlet: str
    articles: list[ArticleSummary]
    totals: dict[str, list[tuple[str, int]]]  # kind -> (label, count), most frequent first
    periods: list[str]  # "2024-05", oldest first
    over_time: dict[str, dict[str, dict[str, int]]]  # kind -> label -> period -> count


def outlet_stats(store: Store, outlet: str,
                 kinds: tuple[str, ...] = names(charted=True)) -> OutletStats | None:
    """An outlet's techniques, frames and terms, in total and per month of publication;
    undated articles count under "undated", never under the month they were read."""
    with store.engine.connect() as conn:
        arts = conn.execute(
            select(t.articles.c.id, t.articles.c.title, t.articles.c.url, t.articles.c.published, t.articles.c.first_seen,
                   _opening())
            .where(t.articles.c.outlet == outlet)
            .order_by(t.articles.c.published.desc().nulls_last(), t.articles.c.first_seen.desc())
        ).all()
        if not arts:
            return None
        when = {a.id: stamp.strftime("%Y-%m") if (stamp := aware(a.published)) else UNDATED for a in arts}
        plain = [k for k in kinds if KINDS[k].chart_by is None]
        rows = [(r.article_id, r.kind, r.label) for r in conn.execute(
            select(t.findings.c.article_id, t.findings.c.kind, t.findings.c.label)
            .join(t.articles, t.articles.c.id == t.findings.c.article_id)
            .where(and_(t.articles.c.outlet == outlet, t.findings.c.kind.in_(plain)))
        )]
        by_attr = [k for k in kinds if KINDS[k].chart_by is not None]
        if by_attr:  # only these few rows carry their attrs back
            rows += [(r.article_id, r.kind, label) for r in conn.execute(
                select(t.findings.c.article_id, t.findings.c.kind, t.findings.c.label, t.findings.c.attrs)
                .join(t.articles, t.articles.c.id == t.findings.c.article_id)
                .where(and_(t.articles.c.outlet == outlet, t.findings.c.kind.in_(by_attr)))
            ) if (label := _chart_label(r.kind, r.label, r.attrs)) is not None]
    totals: dict[str, Counter] = {k: Counter() for k in kinds}
    over_time: dict[str, dict[str, Counter]] = {k: defaultdict(Counter) for k in kinds}
    for article_id, kind, label in rows:
        period = when[article_id]
        totals[kind][label] += 1
        over_time[kind][label][period] += 1
    periods = sorted(set(when.values()) - {UNDATED}) + ([UNDATED] if UNDATED in when.values() else [])
    return OutletStats(
        outlet=outlet,
        articles=[ArticleSummary(a.id, a.title or "", outlet, a.url, aware(a.published), opening=a.opening or "")
                  for a in arts],
        totals={k: c.most_common() for k, c in totals.items()},
        periods=periods,
        over_time={k: {label: dict(c) for label, c in by.items()} for k, by in over_time.items()},
    )


def _chart_label(kind: str, label: str, attrs: dict | None) -> str | None:
    """What a finding of a kind charted per attribute counts as ("Russia: antagonist"); None for
    one under its display level or without the attribute."""
    key = KINDS[kind].chart_by
    attrs = attrs or {}
    if key is None or attrs.get("below_display") or not attrs.get(key):
        return None
    return f"{attrs[key]}: {label.lower()}"


@dataclass
class ArticleFound:
    """What a finished job found in one article, for its page: the headline facts, not links."""

    id: str
    name: str
    outlet: str | None
    genre: str | None
    frames: list[str]
    techniques: list[tuple[str, int]]  # shown by default (above the display level), most first
    own_words: list[str]  # loaded or contested wording outside quotes
    quotes: int
    speakers: list[str]
    story_id: str | None
    story_title: str
    story_size: int
    story_outlets: list[str]


def job_findings(store: Store, article_ids: list[str]) -> list[ArticleFound]:
    """A summary of each analysed article of a job and of the story it joined."""
    out = []
    for article_id in article_ids:
        a = store.get_analysis(article_id)
        if a is None:
            continue
        art = a.article
        genre = next((f for f in a.of_kind("genre")), None)
        frames = [f.label for f in sorted(a.of_kind("frame"), key=lambda f: -f.confidence)][:3]
        techniques = Counter(f.label for f in a.of_kind("technique")
                             if f.attrs.get("level") == "paragraph" and not f.attrs.get("below_display")
                             and not f.attrs.get("in_quote"))
        own = [f.text for f in a.of_kind("term") if not f.attrs.get("in_quote")]
        quotes = a.of_kind("quote")  # scare quotes and titles are kinds of their own
        speakers = list(dict.fromkeys(f.attrs["speaker"] for f in quotes if f.attrs.get("speaker")))
        story_id = story_of_article(store, article_id)
        story = store.get_story(story_id) if story_id else None
        outlets: list[str] = []
        if story is not None:
            with store.engine.connect() as conn:
                rows = conn.execute(select(t.articles.c.outlet).where(t.articles.c.id.in_(story.article_ids))).all()
            outlets = sorted({r.outlet for r in rows if r.outlet})
        out.append(ArticleFound(
            id=article_id, name=display_name(art.title_text, art.body[:200], article_id), outlet=art.outlet,
            genre=genre.label if genre else None, frames=frames, techniques=techniques.most_common(5),
            own_words=list(dict.fromkeys(own))[:8], quotes=len(quotes), speakers=speakers[:6],
            story_id=story_id, story_title=story.title if story else "", story_size=len(story.members) if story else 0,
            story_outlets=outlets,
        ))
    return out
