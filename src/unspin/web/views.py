"""Page-shaped views of records: an article cut into highlight segments with the findings
(and explanations) that cover each one. The cutting is the HTML report's (``present.html``),
so both draw exactly the same spans."""

from __future__ import annotations

from collections import Counter
from typing import Any

from unspin.compare.headline import headline_findings
from unspin.compare.units import body_units, speeches
from unspin.present.charts import short_label
from unspin.present.html.context import article_context
from unspin.types import Analysis


def article_view(analysis: Analysis) -> dict[str, Any]:
    # The headline is checked against the article's own body, as the report does for an article
    # in no story (its story page, if any, shows the same check among the comparisons).
    own = headline_findings(analysis, body_units(analysis), speeches(analysis))
    context = article_context(analysis, own, short_label(analysis.article))
    findings = [f for f in analysis.findings if f.kind not in ("entity",)]
    context["kind_counts"] = Counter(f.kind for f in findings).most_common()
    context["components"] = analysis.components
    context["findings"] = sorted(
        (f for f in findings if f.start is not None), key=lambda f: (f.start, f.kind)
    )
    return context
