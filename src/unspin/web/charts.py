"""The outlet page's charts: its techniques, frames, narratives, entity roles (per entity) and
terms in total and month by month, drawn with the report's SVG bar charts (no JS library,
nothing fetched)."""

from __future__ import annotations

from unspin.kinds import KINDS, names
from unspin.present.charts import BarChart, bar_chart_svg
from unspin.web.queries import OutletStats

KIND_TITLES = {name: KINDS[name].title for name in names(charted=True)}
# Labels that say what was not found: counted by the store, not charted.
NOT_CHARTED = {name: KINDS[name].not_charted for name in KIND_TITLES}
MAX_LABELS = 12
MAX_PERIODS = 6


def outlet_charts(stats: OutletStats) -> dict[str, str]:
    """kind -> SVG: one row per label (the most frequent), one bar per month (the latest)."""
    periods = stats.periods[-MAX_PERIODS:]
    charts = {}
    for kind, title in KIND_TITLES.items():
        totals = [(label, n) for label, n in stats.totals.get(kind, []) if label not in NOT_CHARTED.get(kind, ())]
        labels = [label for label, _ in totals[:MAX_LABELS]]
        by_label = stats.over_time.get(kind, {})
        data = {label: {p: by_label.get(label, {}).get(p, 0) for p in periods} for label in labels}
        notes = []
        if len(totals) > len(labels):
            notes.append(f"the {len(labels)} most frequent of {len(totals)} shown")
        if len(stats.periods) > len(periods):
            notes.append(f"the last {len(periods)} months shown")
        chart = BarChart(title=f"{title} by month", series=periods, data=data,
                         empty_note=f"No {kind} findings for this outlet.", notes=notes)
        charts[kind] = bar_chart_svg(chart)
    return charts
