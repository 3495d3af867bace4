"""Render the report and story fragments with Jinja2 (autoescape on, strict undefined)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from unspin.present import safe_text
from unspin.present.charts import corpus_charts, short_label
from unspin.present.html.context import article_context, build_story_context
from unspin.types import Analysis, Comparison, Finding, ItemFailure, Story

# No script at all: default-src 'none' also forbids scripts, frames, fonts and fetches, so even a
# rendering bug could not make the page run article markup or reach the network.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def templates_dir() -> Path:
    """The folder holding ``report.html.j2`` and ``partials/`` (for the web app's loader)."""
    return Path(__file__).parent / "templates"


def static_dir() -> Path:
    return Path(__file__).parent / "static"


@lru_cache(maxsize=1)
def report_css() -> str:
    """The report's stylesheet, inlined into the page (the web app may serve or inline it)."""
    return (static_dir() / "report.css").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def environment() -> Environment:
    # autoescape=True for every template, whatever its name: article text is never markup.
    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=safe_text.finalize,  # bidi overrides and control characters shown, not obeyed
    )
    env.globals["display_level_pct"] = display_level_pct()
    return env


def display_level_pct() -> int:
    """The technique display level the legend's "show all" switch names, in percent."""
    from unspin.analyse.models.labels import DISPLAY_TECHNIQUE

    return round(DISPLAY_TECHNIQUE * 100)


def render_story_html(comparison: Comparison, analyses: Iterable[Analysis]) -> Markup:
    """One story's side-by-side section as an HTML fragment (needs ``report_css()``)."""
    story = build_story_context(comparison, analyses)
    return Markup(environment().get_template("partials/story.html.j2").render(story=story))


def _single_view(analysis: Analysis) -> dict[str, Any]:
    art = analysis.article
    return {
        "outlet": short_label(art),
        "title": art.title_text,
        "source": art.source,
        "published": art.published.isoformat() if art.published else None,
        "counts": dict(sorted(Counter(f.kind for f in analysis.findings).items())),
    }


# Articles in no story shown in full (highlighted body, findings) before the report lists the rest.
FULL_SINGLES = 50


def build_report_context(
    comparisons: Iterable[Comparison],
    analyses: Iterable[Analysis],
    errors: Iterable[ItemFailure] = (),
    *,
    title: str = "unspin report",
    charts: bool = True,
) -> dict[str, Any]:
    """Context of ``report.html.j2``: stories of two or more articles (largest first), the
    articles that matched no other, corpus charts, and the inputs that failed."""
    analyses = list(analyses)
    comparisons = list(comparisons)
    known = {a.article.id for a in analyses}
    multi = [c for c in comparisons if len([i for i in c.story.article_ids if i in known]) > 1]
    stories = [build_story_context(c, analyses) for c in multi]
    stories.sort(key=lambda s: (-s["size"], s["first_seen"] or "", s["title"]))
    in_story = {aid for c in multi for aid in c.story.article_ids}
    alone = [a for a in analyses if a.article.id not in in_story]
    singles = [_single_view(a) for a in alone]
    # Articles in no story are still shown with their evidence, up to a size that keeps a corpus
    # report readable; the table lists them all.
    own: dict[str, list[Finding]] = defaultdict(list)  # one-article comparisons: the headline checks
    in_multi = {id(c) for c in multi}
    for c in comparisons:
        if id(c) not in in_multi:
            for f in c.findings:
                own[f.article_id or ""].append(f)
    single_articles = [article_context(a, own[a.article.id], short_label(a.article)) for a in alone[:FULL_SINGLES]]
    story_list: list[Story] = [c.story for c in multi]
    svgs = (
        [Markup(svg) for svg in corpus_charts(analyses, story_list).values()] if charts and analyses else []
    )
    from unspin import __version__

    return {
        "title": title,
        "version": __version__,
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "csp": CSP,
        "css": Markup(report_css()),
        "n_articles": len(analyses),
        "stories": stories,
        "singles": singles,
        "single_articles": single_articles,
        "corpus_charts": svgs,
        "errors": [e.model_dump() for e in errors],
    }


def render_report(
    comparisons: Iterable[Comparison],
    analyses: Iterable[Analysis],
    errors: Iterable[ItemFailure] = (),
    *,
    title: str = "unspin report",
    charts: bool = True,
) -> str:
    """The whole report as one self-contained HTML document."""
    context = build_report_context(comparisons, analyses, errors, title=title, charts=charts)
    return environment().get_template("report.html.j2").render(**context)
