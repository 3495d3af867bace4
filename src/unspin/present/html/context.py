"""Turn a ``Comparison`` and its analyses into the plain dict the story templates render.

The dict holds only strings, numbers, lists, dicts and ``Segment`` objects, so the same context
feeds the self-contained report and the web app's story page (which renders the same partials
inside its own layout). Nothing here builds markup: escaping is left to Jinja2's autoescape.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from unspin.compare.labels import unique_labels
from unspin.compare.quote_groups import FIDELITY_ORDER
from unspin.compare.roles import role_summary
from unspin.kinds import names
from unspin.present.charts import (
    PALETTE,
    BarChart,
    as_utc,
    bar_chart_svg,
    counts_by_outlet,
    frame_shares,
    series_colours,
)
from unspin.present.html.attribution import attribution_graph
from unspin.present.html.highlight import HIGHLIGHT_KINDS, Segment, finding_view, segments, span_checks
from unspin.types import Analysis, Article, ArticleSummary, Comparison, Finding, QuoteRendering, Story

# Findings shown as a list beside the article rather than drawn in its text.
ARTICLE_LEVEL_KINDS = names(listed=True)


def anchor(prefix: str, key: str) -> str:
    """An HTML id that is safe whatever ``key`` holds (ids come from hashes and user input)."""
    return f"{prefix}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:12]}"


def tooltip(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    return [finding_view(f) for f in findings]


def outlet_names(analyses: Iterable[Analysis]) -> dict[str, str]:
    """article id -> the name compare gives it (``compare.labels.unique_labels``), for views of
    articles that were not compared together."""
    return unique_labels(analyses)


def _paragraph_windows(article: Article) -> list[tuple[int, int, int]]:
    """(index, start, end) of each body stretch; without cleaning, every non-blank line."""
    if article.paragraphs:
        return [(p.index, p.start, p.end) for p in article.paragraphs]
    out: list[tuple[int, int, int]] = []
    pos = 0
    for line in article.original.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            out.append((len(out), pos + lead, pos + len(line.rstrip())))
        pos += len(line) + 1
    return out


def _is_paragraph_level(f: Finding, windows: list[tuple[int, int, int]]) -> bool:
    if f.attrs.get("level") == "paragraph":
        return True
    return any(f.start == s and f.end == e for _, s, e in windows)


@dataclass
class _Placed:
    """An article's findings sorted by where a column shows them."""

    drawn: list[Finding] = field(default_factory=list)  # highlighted in the text
    unplaced: list[Finding] = field(default_factory=list)  # a span that does not match the text
    para_level: dict[int, list[Finding]] = field(default_factory=lambda: defaultdict(list))  # badges
    article_level: list[Finding] = field(default_factory=list)  # no span: listed beside the text


def _place(findings: list[Finding], original: str, windows: list[tuple[int, int, int]]) -> _Placed:
    out = _Placed()
    for f in findings:
        if f.start is None or f.end is None:
            if f.kind in ARTICLE_LEVEL_KINDS:
                out.article_level.append(f)
            continue
        if not span_checks(original, f):
            out.unplaced.append(f)
            continue
        if f.kind not in HIGHLIGHT_KINDS:
            continue
        if f.kind == "only_here" and f.attrs.get("marked") is False:
            continue  # listed in the story's "only here" section, not underlined: nothing in it to check
        if f.kind == "technique" and _is_paragraph_level(f, windows):
            idx = next((i for i, s, e in windows if s <= f.start < e), -1)
            out.para_level[idx].append(f)
            continue
        out.drawn.append(f)
    return out


def _title_segments(art: Article, drawn: list[Finding]) -> list[Segment]:
    """The headline with its highlights; plain when its span does not match the text."""
    if art.title and art.original[art.title.start : art.title.end] == art.title.text:
        return segments(art.original, art.title.start, art.title.end, drawn)
    return [Segment(start=-1, text=art.title_text)] if art.title_text else []


def article_context(
    analysis: Analysis,
    story_findings: list[Finding],
    display_name: str,
    relation: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything one column of the side-by-side view needs."""
    art = analysis.article
    original = art.original
    windows = _paragraph_windows(art)
    own = [f for f in list(analysis.findings) + story_findings if f.kind != "boilerplate"]
    placed = _place(own, original, windows)
    title_text = art.title_text
    title_window = (art.title.start, art.title.end) if art.title else (-1, -1)
    paragraphs = [{"index": idx, "segments": segments(original, s, e, placed.drawn),
                   "badges": tooltip(placed.para_level.get(idx, []))}
                  for idx, s, e in windows if (s, e) != title_window]  # the title is the column's heading
    by_kind: dict[str, list[Finding]] = defaultdict(list)
    for f in own:
        by_kind[f.kind].append(f)
    technique_counts = Counter(f.label for f in by_kind["technique"] if not f.attrs.get("below_display"))
    return {
        "id": art.id,
        "anchor": anchor("a", art.id),
        "outlet": display_name,
        "title": title_text,
        "title_segments": _title_segments(art, placed.drawn),
        "source": art.source,
        "url": art.url if art.url and art.url.lower().startswith(("http://", "https://")) else None,
        "published": art.published.isoformat() if art.published else None,
        "author": art.author,
        "language": art.language,
        "status": analysis.status,
        "status_reason": analysis.status_reason,
        "relation": relation or {"relation": "member"},
        "paragraphs": paragraphs,
        "removed": tooltip(art.removed),
        "unplaced": tooltip(placed.unplaced),
        "article_level": tooltip(sorted(placed.article_level, key=lambda f: (f.kind, -f.confidence))),
        "frames": tooltip(sorted(by_kind["frame"], key=lambda f: -f.confidence)),
        "genre": tooltip(sorted(by_kind["genre"], key=lambda f: -f.confidence)),
        "only_here": tooltip(sorted((f for f in by_kind["only_here"] if f.attrs.get("marked") is not False),
                                    key=lambda f: f.start or 0)),
        "only_here_unmarked": tooltip(sorted((f for f in by_kind["only_here"] if f.attrs.get("marked") is False),
                                             key=lambda f: f.start or 0)),
        "headline_flags": tooltip(by_kind["headline"]),
        "technique_counts": technique_counts.most_common(),
        "roles": role_summary(analysis),
        "counts": {k: len(v) for k, v in sorted(by_kind.items())},
        "entities_only_here": [],  # filled by build_story_context from compare's per-article summary
        "copies": [],  # near-duplicates folded under this article (build_story_context)
        "colour": None,  # its outlet's colour in the story's charts (index into charts.PALETTE)
    }


def _outlet_row(summary: ArticleSummary, outlet: str, article_id: str, names: dict[str, str]) -> dict[str, Any]:
    """One outlet's line of the per-outlet summary: what it leaves out, whom it quotes, its own
    loaded wording, techniques and frames (all read from compare's ``per_article``)."""
    own = [t.text for t in summary.terms if not t.in_quote and t.text]
    return {
        "outlet": outlet,
        "anchor": anchor("a", article_id),
        "leaves_out": [{**item.model_dump(), "outlet": names.get(item.article_id, "")} for item in summary.leaves_out],
        "quoted": list(summary.quoted.items()),
        "quotes": summary.quotes,
        "wording": list(dict.fromkeys(w.casefold() for w in own)),
        "techniques": list(summary.techniques.items()),
        "frames": summary.frames,
        "narratives": summary.narratives,
        "roles": [r.model_dump() for r in summary.roles],
    }


def _fidelity_rows(comparison: Comparison, names: dict[str, str]) -> list[dict[str, Any]]:
    """One row per rendering that compare's ``quote_groups`` set against another: the rendering
    it is compared with (the group's reference, unless the two were only matched through a
    third), this one, the verdict and the word diff read from the first to the second, so its
    changes say what the second outlet did."""
    finding_of = {(f.article_id, f.start, f.attrs.get("other_article_id"), f.attrs.get("other_start")): f
                  for f in comparison.of_kind("fidelity")}
    rows = []
    for group in comparison.quote_groups:
        by_article: dict[str, QuoteRendering] = {}
        for r in group.renderings:
            by_article.setdefault(r.article_id, r)
        for r in group.renderings[1:]:
            if r.verdict is None or r.compared_with not in by_article:
                continue
            ref = by_article[r.compared_with]
            f = finding_of.get((ref.article_id, ref.start, r.article_id, r.start))
            rows.append({
                "label": r.verdict,
                "rank": FIDELITY_ORDER.get(r.verdict, 9),
                "speaker": group.speaker or "",
                "outlet": names.get(ref.article_id, ref.article_id),
                "article_anchor": anchor("a", ref.article_id),
                "text": ref.text,
                "verb": ref.verb or "",
                "other_outlet": names.get(r.article_id, r.article_id),
                "other_text": r.text,
                "other_verb": r.verb or "",
                "diff": [d.model_dump() for d in r.diff],
                "changes": list(r.changes),
                "finding": finding_view(f) if f is not None else {"confidence_pct": f"{round((r.confidence or 0) * 100)}%",
                                                                  "source": "", "explanation": ""},
            })
    rows.sort(key=lambda row: (row["rank"], row["speaker"]))
    return rows


def _by_label_table(findings: list[Finding], names: dict[str, str], order: list[str]) -> list[dict[str, Any]]:
    """Contrasts/numbers as rows (label or ``attrs.group``) x columns (outlets)."""
    groups: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for f in findings:
        key = str(f.attrs.get("group") or f.attrs.get("concept") or f.label)
        cell = groups[key][f.article_id or ""]
        if all(v["text"] != f.text for v in cell):  # one entry per wording, not per pair of outlets
            cell.append(finding_view(f))
    rows = []
    for key in sorted(groups):
        cells = [groups[key].get(aid, []) for aid in order]
        if any(cells):  # a contrast between articles not shown side by side has no cell here
            rows.append({"label": key, "cells": cells})
    return rows


# Side by side, a page shows at most this many articles (a wide screen holds four readable
# columns); the others are listed, paginated on the web, and a reader picks which to show.
MAX_COLUMNS = 4
OTHERS_PER_PAGE = 20


def _root(member_id: str, relations: dict[str, Any]) -> str:
    """The article a copy or rewrite goes back to (following links, never looping)."""
    seen = {member_id}
    while True:
        m = relations.get(member_id)
        if m is None or m.relation == "member" or not m.of or m.of not in relations or m.of in seen:
            return member_id
        member_id = m.of
        seen.add(member_id)


def most_different(heads: list[Analysis], k: int) -> list[str]:
    """``k`` article ids, each as unlike those already chosen as it can be: the first of ``heads``
    (the story's earliest report), then greedily the one whose words overlap least with the chosen."""
    from unspin.group.text import content_stems

    if len(heads) <= k:
        return [a.article.id for a in heads]
    stems = [content_stems(a.article.body or a.article.original) for a in heads]

    def distance(i: int, j: int) -> float:
        union = stems[i] | stems[j]
        return 1.0 - len(stems[i] & stems[j]) / len(union) if union else 0.0

    chosen = [0]
    nearest = [distance(0, j) for j in range(len(heads))]
    while len(chosen) < k:
        j = max((j for j in range(len(heads)) if j not in chosen), key=lambda j: (nearest[j], -j))
        chosen.append(j)
        nearest = [min(nearest[x], distance(j, x)) for x in range(len(heads))]
    return [heads[i].article.id for i in sorted(chosen)]


def _fold_copies(members: list[Analysis], story: Story, names: dict[str, str]
                 ) -> tuple[list[Analysis], dict[str, list[dict[str, Any]]]]:
    """The articles that are not copies ("heads"), earliest published first (undated after, in
    the story's order: the first report leads), and under each the copies and rewrites of it."""
    ids = {a.article.id for a in members}
    relations = {m.article_id: m for m in story.members if m.article_id in ids}
    roots = {a.article.id: _root(a.article.id, relations) for a in members}
    heads = sorted((a for a in members if roots[a.article.id] == a.article.id),
                   key=lambda a: (a.article.published is None, as_utc(a.article.published) if a.article.published else 0))
    copies: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in members:
        aid = a.article.id
        if roots[aid] != aid:
            m = relations[aid]
            copies[roots[aid]].append({"id": aid, "outlet": names[aid], "relation": m.relation.replace("_", " "),
                                       "of": names.get(m.of or "", ""), "similarity": m.similarity})
    return heads, copies


@dataclass
class _Columns:
    """Which articles are drawn side by side, and which page of the rest is listed."""

    shown: list[Analysis]  # in the story's order
    chosen: bool  # the reader asked for them (else the most different were picked)
    rest: list[Analysis]
    listed: list[Analysis]  # the rest on this page (all of it when listed in full)
    page: int
    pages: int


def _choose_columns(heads: list[Analysis], shown: Iterable[str] | None, columns: int | None, page: int,
                    others_in_full: bool) -> _Columns:
    head_ids = {a.article.id for a in heads}
    limit = len(heads) if columns is None else columns
    wanted = [aid for aid in dict.fromkeys(shown or ()) if aid in head_ids][:limit]
    show_set = set(wanted or most_different(heads, limit))
    rest = [a for a in heads if a.article.id not in show_set]
    pages = max(1, -(-len(rest) // OTHERS_PER_PAGE))
    page = min(max(1, page), pages)
    listed = rest if others_in_full else rest[(page - 1) * OTHERS_PER_PAGE : page * OTHERS_PER_PAGE]
    return _Columns([a for a in heads if a.article.id in show_set], bool(wanted), rest, listed, page, pages)


def _story_charts(shown_members: list[Analysis], names: dict[str, str]) -> tuple[list[str], dict, list[Markup]]:
    """The outlets drawn, their colours (one per outlet in every chart and on its column) and
    the story's three charts: techniques, frames and wording per outlet."""
    outlets = [names[a.article.id] for a in shown_members]
    colours = series_colours(outlets)
    charts = [
        BarChart(title="Persuasion techniques per outlet", series=outlets, colours=colours,
                 data=counts_by_outlet(shown_members, "technique", names),
                 empty_note="No technique findings (the trained models may not be installed)."),
        BarChart(title="Frames per outlet: how likely each article uses each", series=outlets, colours=colours,
                 data=frame_shares(shown_members, names),
                 empty_note="No frame findings (the trained models may not be installed).",
                 notes=["the model's probability; the frames where the outlets differ most first"], unit="%"),
        BarChart(title="Loaded and contested wording per outlet", series=outlets, colours=colours,
                 data=counts_by_outlet(shown_members, "term", names,
                                       key=lambda f: str(f.attrs.get("category") or f.label)),
                 empty_note="No lexicon terms found."),
    ]
    # Markup: charts.py escapes every data label itself (see its module doc).
    return outlets, colours, [Markup(bar_chart_svg(c)) for c in charts]


def _entity_role_rows(comparison: Comparison, names: dict[str, str]) -> list[dict[str, Any]]:
    return [{"entity": g.entity, "differs": g.differs,
             "roles": [{"outlet": names.get(r.article_id, ""), "anchor": anchor("a", r.article_id),
                        "role": r.role, "fine": r.fine, "confidence": r.confidence, "name": r.name}
                       for r in g.roles]}
            for g in comparison.entity_roles]


def _number_rows(comparison: Comparison, names: dict[str, str]) -> list[dict[str, Any]]:
    return [{**finding_view(f), "outlet": names.get(f.article_id or "", ""),
             "other_outlet": names.get(str(f.attrs.get("other_article_id") or ""), ""),
             "other_text": str(f.attrs.get("other_text") or "")}
            for f in comparison.of_kind("number")]


def build_story_context(
    comparison: Comparison,
    analyses: Iterable[Analysis],
    *,
    shown: Iterable[str] | None = None,
    columns: int | None = MAX_COLUMNS,
    page: int = 1,
    others_in_full: bool = True,
) -> dict[str, Any]:
    """The context of one story's side-by-side view (``partials/story.html.j2``).

    ``analyses`` may hold more than the story's articles; only the story's members are used,
    in the story's order. Copies and rewrites are folded under the article they copy. At most
    ``columns`` articles are drawn side by side (None: all): those in ``shown`` when given, else
    the most different; the rest are listed (``page`` of them, ``OTHERS_PER_PAGE`` a page), in
    full (``others_in_full``, the report's folded sections) or as links (the web app).
    The web app imports this and renders the same partial."""
    by_id = {a.article.id: a for a in analyses}
    story = comparison.story
    member_ids = [aid for aid in story.article_ids if aid in by_id] or list(by_id)
    members = [by_id[aid] for aid in member_ids]
    names = comparison.labels or outlet_names(members)
    heads, copies = _fold_copies(members, story, names)
    cols = _choose_columns(heads, shown, columns, page, others_in_full)
    show_ids = [a.article.id for a in cols.shown]

    story_findings: dict[str, list[Finding]] = defaultdict(list)
    for f in comparison.findings:
        story_findings[f.article_id or ""].append(f)

    def column(a: Analysis) -> dict[str, Any]:
        col = article_context(a, story_findings.get(a.article.id, []), names[a.article.id])
        col["entities_only_here"] = list(comparison.summary(a.article.id).entities_only_here)
        col["copies"] = copies.get(a.article.id, [])
        return col

    def listed(a: Analysis) -> dict[str, Any]:
        art = a.article
        entry: dict[str, Any] = {
            "id": art.id, "anchor": anchor("a", art.id), "outlet": names[art.id], "title": art.title_text,
            "published": art.published.isoformat() if art.published else None,
            "only_here_count": sum(1 for f in story_findings.get(art.id, []) if f.kind == "only_here"),
            "copies": copies.get(art.id, [])}
        if others_in_full:
            entry["column"] = column(a)
        return entry

    articles = [column(a) for a in cols.shown]
    outlets, colours, charts = _story_charts([a for a in members if a.article.id in set(show_ids)], names)
    for col in articles:
        col["colour"] = list(colours).index(col["outlet"]) % len(PALETTE) if col["outlet"] in colours else None
    published = [as_utc(a.article.published) for a in members if a.article.published]
    first = story.first_seen or (min(published) if published else None)
    last = story.last_seen or (max(published) if published else None)
    return {
        "id": story.id,
        "anchor": anchor("s", story.id),
        "title": story.title
        or next((a.article.title_text for a in members if a.article.title_text), "")
        or f"Story {story.id[:8]}",
        "size": len(members),
        "outlets": [names[aid] for aid in member_ids],
        "shown_outlets": outlets,
        "heads": len(heads),
        "folded": len(members) - len(heads),
        "chosen": cols.chosen,
        "shown_ids": show_ids,
        "shown_anchors": [anchor("a", aid) for aid in show_ids],
        "others": [listed(a) for a in cols.listed],
        "others_total": len(cols.rest),
        "page": cols.page,
        "pages": cols.pages,
        "first_seen": first.isoformat() if first else None,
        "last_seen": last.isoformat() if last else None,
        "top_divergence": comparison.top_divergence,
        "outlet_rows": [_outlet_row(comparison.summary(a.article.id), names[a.article.id], a.article.id, names)
                        for a in heads],
        "articles": articles,
        "fidelity": _fidelity_rows(comparison, names),
        "entity_roles": _entity_role_rows(comparison, names),
        "headline_flags": [{**finding_view(f), "outlet": names.get(f.article_id or "", "")}
                           for f in comparison.of_kind("headline")],
        "contrasts": _by_label_table(comparison.of_kind("contrast"), names, show_ids),
        "numbers": _number_rows(comparison, names),
        "graph": attribution_graph(comparison, members, names),
        "charts": charts,
    }
