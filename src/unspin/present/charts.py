"""Charts as hand-written SVG strings: findings per outlet (grouped bars) and a story timeline.

No plotting library: the charts are simple, and SVG text inlines into the self-contained report
(no network, no images to fetch) and is written as-is by ``unspin report --charts DIR``.
Every label that comes from data (outlet names, labels) is XML-escaped here, because the report
inlines these strings as markup.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from unspin.compare.labels import short_label  # noqa: F401 - views import it from here too
from unspin.types import Analysis, Finding, Story

# Okabe-Ito: distinguishable with the common colour-vision deficiencies; yellow last (low contrast).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
LABEL_W = 200
BAR_AREA = 340
BAR_H = 11
# Presentation attributes, not style="...": the web app's Content-Security-Policy blocks inline styles.
FONT = 'font-family="system-ui,sans-serif" font-size="12"'


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _clip(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


@dataclass
class BarChart:
    """Counts per category (rows) and series (one bar per series in each row). With ``unit="%"``
    the values are percentages (bars on a 0-100 scale, rows where the series differ most first)."""

    title: str
    series: list[str]
    data: dict[str, dict[str, int]]  # category -> series -> count (or percent)
    empty_note: str = "Nothing to chart."
    notes: list[str] = field(default_factory=list)
    colours: dict[str, str] | None = None  # series -> colour, shared by every chart of a page
    unit: str = ""

    def colour(self, i: int, name: str) -> str:
        return (self.colours or {}).get(name) or PALETTE[i % len(PALETTE)]


def series_colours(names: Iterable[str]) -> dict[str, str]:
    """One colour per outlet for every chart of a page, in the order given (the palette repeats
    after eight outlets)."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(dict.fromkeys(names))}


def frame_shares(analyses: Iterable[Analysis], names: dict[str, str] | None = None) -> dict[str, dict[str, int]]:
    """frame -> outlet -> the model's probability (percent) that the outlet's article uses it; 0
    where the frame is under the model's threshold. Counts would show every outlet at 1 for the
    story's shared frames; probabilities show which outlet leans on a frame more."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for a in analyses:
        outlet = (names or {}).get(a.article.id) or short_label(a.article)
        for f in a.of_kind("frame"):
            out[f.label][outlet] = max(out[f.label].get(outlet, 0), round(100 * f.confidence))
    return dict(out)


def counts_by_outlet(
    analyses: Iterable[Analysis],
    kind: str,
    names: dict[str, str] | None = None,
    key: Callable[[Finding], str] | None = None,
) -> dict[str, dict[str, int]]:
    """category -> outlet -> number of ``kind`` findings (category = label unless ``key``).
    Wording inside a direct quote is its speaker's, not the outlet's: it is not counted; nor is a
    finding under its display level (``below_display``): charts show what the views show."""
    key = key or (lambda f: f.label)
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for a in analyses:
        outlet = (names or {}).get(a.article.id) or short_label(a.article)
        for f in a.of_kind(kind):
            if f.attrs.get("in_quote") or f.attrs.get("below_display"):
                continue
            out[key(f)][outlet] += 1
    return {cat: dict(c) for cat, c in out.items()}


def corpus_chart(
    analyses: list[Analysis],
    kind: str,
    title: str,
    *,
    max_outlets: int = 10,
    max_categories: int = 15,
    key: Callable[[Finding], str] | None = None,
    colours: dict[str, str] | None = None,
) -> BarChart:
    """A corpus-wide chart, kept readable: the outlets with most such findings (then most
    articles), the commonest labels. ``colours``: the page's outlet colours."""
    per_outlet = Counter(short_label(a.article) for a in analyses)
    data = counts_by_outlet(analyses, kind, key=key)
    found: Counter[str] = Counter()
    for by in data.values():
        found.update(by)
    ranked = sorted(per_outlet, key=lambda o: (-found[o], -per_outlet[o], o))
    outlets = [o for o in ranked if found[o]][:max_outlets] or ranked[:max_outlets]
    totals = Counter({cat: sum(v for o, v in by.items() if o in outlets) for cat, by in data.items()})
    cats = [c for c, n in totals.most_common(max_categories) if n > 0]
    notes = []
    if len(per_outlet) > len(outlets):
        notes.append(f"{len(outlets)} of {len(per_outlet)} outlets (most {kind} findings) shown")
    if len([c for c, n in totals.items() if n]) > len(cats):
        notes.append(f"the {len(cats)} most frequent labels shown")
    return BarChart(
        title=title,
        series=outlets,
        data={c: {o: n for o, n in data[c].items() if o in outlets} for c in cats},
        empty_note=f"No {kind} findings in this corpus.",
        notes=notes,
        colours=colours,
    )


def _legend(chart: BarChart, y: int) -> tuple[list[str], int]:
    parts, x = [], 0
    row_y = y
    for i, name in enumerate(chart.series):
        label = _clip(name, 28)
        width = 24 + 7 * len(label)
        if x + width > LABEL_W + BAR_AREA + 40 and x > 0:
            x, row_y = 0, row_y + 18
        colour = chart.colour(i, name)
        parts.append(
            f'<rect x="{x}" y="{row_y - 9}" width="10" height="10" fill="{colour}"><title>{_e(name)}</title></rect>'
            f'<text x="{x + 14}" y="{row_y}">{_e(label)}</text>'
        )
        x += width
    return parts, row_y + 18


def bar_chart_svg(chart: BarChart) -> str:
    """Grouped horizontal bars: one row per category, one coloured bar per series."""
    width = LABEL_W + BAR_AREA + 60
    if chart.unit == "%":  # where the outlets differ most first
        cats = sorted(chart.data, key=lambda c: (-_spread(chart, c), -max(chart.data[c].values(), default=0), c))
    else:
        cats = sorted(chart.data, key=lambda c: (-sum(chart.data[c].values()), c))
    head = [f'<text x="0" y="14" font-weight="600">{_e(chart.title)}</text>']
    y = 32
    for note in chart.notes:
        head.append(f'<text x="0" y="{y}" fill="#555">{_e(note)}</text>')
        y += 16
    if not cats:
        head.append(f'<text x="0" y="{y + 4}" fill="#555">{_e(chart.empty_note)}</text>')
        return _svg(width, y + 16, head, chart.title)
    legend, y = _legend(chart, y + 6)
    top = 100 if chart.unit == "%" else max((n for by in chart.data.values() for n in by.values()), default=1) or 1
    body = []
    for cat in cats:
        row_h = max(1, len(chart.series)) * (BAR_H + 2) + 8
        body.append(
            f'<text x="{LABEL_W - 8}" y="{y + 12}" text-anchor="end">{_e(_clip(cat, 27))}<title>{_e(cat)}</title></text>'
        )
        for i, s in enumerate(chart.series):
            n = chart.data[cat].get(s, 0)
            by = y + i * (BAR_H + 2)
            w = round(BAR_AREA * n / top)
            colour = chart.colour(i, s)
            value = f"{n}{chart.unit}" if chart.unit else f"\u00d7 {n}"
            if n:
                body.append(
                    f'<rect x="{LABEL_W}" y="{by}" width="{max(w, 2)}" height="{BAR_H}" fill="{colour}">'
                    f"<title>{_e(s)}: {_e(cat)} {value}</title></rect>"
                    f'<text x="{LABEL_W + max(w, 2) + 4}" y="{by + BAR_H - 1}" font-size="10">{n}{chart.unit}</text>'
                )
        body.append(f'<line x1="{LABEL_W}" x2="{LABEL_W}" y1="{y - 2}" y2="{y + row_h - 6}" stroke="#999"/>')
        y += row_h
    return _svg(width, y + 4, head + legend + body, chart.title)


def _spread(chart: BarChart, cat: str) -> int:
    values = [chart.data[cat].get(s, 0) for s in chart.series]
    return max(values, default=0) - min(values, default=0)


def _svg(width: int, height: int, parts: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="{_e(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" {FONT}>'
        + "".join(parts)
        + "</svg>"
    )


@dataclass
class TimelineRow:
    label: str
    times: list[datetime]


def story_timeline_rows(
    stories: Iterable[Story], analyses: Iterable[Analysis], max_rows: int = 40
) -> list[TimelineRow]:
    """One row per story with at least one dated article: the publication times of its members."""
    published = {a.article.id: as_utc(a.article.published) for a in analyses if a.article.published}
    rows = []
    for s in stories:
        times = sorted(published[aid] for aid in s.article_ids if aid in published)
        if times:
            rows.append(TimelineRow(label=s.title or s.id[:8], times=times))
    rows.sort(key=lambda r: r.times[0])
    return rows[-max_rows:]


def as_utc(t: datetime) -> datetime:
    """Naive times are taken as UTC, so naive and aware dates can be compared and sorted."""
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _naive(t: datetime) -> float:
    return as_utc(t).timestamp()


def timeline_svg(rows: list[TimelineRow], title: str = "Story timeline") -> str:
    """Each story a line from its first to last article, a dot per article."""
    width = LABEL_W + BAR_AREA + 60
    head = [f'<text x="0" y="14" font-weight="600">{_e(title)}</text>']
    if not rows:
        head.append('<text x="0" y="36" fill="#555">No dated articles to place on a timeline.</text>')
        return _svg(width, 48, head, title)
    t0 = min(_naive(r.times[0]) for r in rows)
    t1 = max(_naive(r.times[-1]) for r in rows)
    span = (t1 - t0) or 1.0

    def x(t: datetime) -> float:
        return LABEL_W + BAR_AREA * (_naive(t) - t0) / span

    y = 40
    body = []
    for i, r in enumerate(rows):
        colour = PALETTE[i % len(PALETTE)]
        body.append(
            f'<text x="{LABEL_W - 8}" y="{y + 4}" text-anchor="end">{_e(_clip(r.label, 27))}<title>{_e(r.label)}</title></text>'
        )
        body.append(
            f'<line x1="{x(r.times[0]):.1f}" x2="{x(r.times[-1]):.1f}" y1="{y}" y2="{y}" stroke="{colour}" stroke-width="3"/>'
        )
        for t in r.times:
            body.append(
                f'<circle cx="{x(t):.1f}" cy="{y}" r="4" fill="{colour}"><title>{_e(r.label)}: {_e(t.isoformat())}</title></circle>'
            )
        y += 20
    first, last = min(r.times[0] for r in rows), max(r.times[-1] for r in rows)
    axis = [
        f'<line x1="{LABEL_W}" x2="{LABEL_W + BAR_AREA}" y1="{y}" y2="{y}" stroke="#999"/>',
        f'<text x="{LABEL_W}" y="{y + 14}" font-size="10">{_e(first.date().isoformat())}</text>',
        f'<text x="{LABEL_W + BAR_AREA}" y="{y + 14}" text-anchor="end" font-size="10">{_e(last.date().isoformat())}</text>',
    ]
    return _svg(width, y + 22, head + body + axis, title)


def corpus_charts(analyses: list[Analysis], stories: list[Story]) -> dict[str, str]:
    """file stem -> SVG for the corpus charts: techniques, frames and wording by outlet, timeline.
    An outlet has one colour in all of them (outlets with most articles first)."""
    per_outlet = Counter(short_label(a.article) for a in analyses)
    colours = series_colours(sorted(per_outlet, key=lambda o: (-per_outlet[o], o)))
    return {
        "techniques_by_outlet": bar_chart_svg(
            corpus_chart(analyses, "technique", "Persuasion techniques by outlet", colours=colours)
        ),
        "frames_by_outlet": bar_chart_svg(corpus_chart(analyses, "frame", "Frames by outlet", colours=colours)),
        "terms_by_outlet": bar_chart_svg(
            corpus_chart(
                analyses,
                "term",
                "Loaded and contested wording by outlet",
                key=lambda f: str(f.attrs.get("category") or f.label),
                colours=colours,
            )
        ),
        "story_timeline": timeline_svg(story_timeline_rows(stories, analyses)),
    }


def write_corpus_charts(analyses: list[Analysis], stories: list[Story], out_dir: Path) -> list[Path]:
    """Write the corpus charts as standalone SVG files into ``out_dir``; returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for stem, svg in corpus_charts(analyses, stories).items():
        path = out_dir / f"{stem}.svg"
        path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n", encoding="utf-8")
        paths.append(path)
    return paths
