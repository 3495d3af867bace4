"""The HTML report: Jinja2 templates (autoescaped), CSS inlined at render time, SVG charts.

Public API (also used by the web app, see docs/report.md):
``render_report``, ``render_story_html``, ``build_story_context``, ``build_report_context``,
``article_context``, ``templates_dir``, ``static_dir``, ``report_css``, ``environment``, ``CSP``.
"""

from unspin.present.html.context import article_context, build_story_context
from unspin.present.html.render import (
    CSP,
    build_report_context,
    environment,
    render_report,
    render_story_html,
    report_css,
    static_dir,
    templates_dir,
)

__all__ = [
    "CSP",
    "article_context",
    "build_report_context",
    "build_story_context",
    "environment",
    "render_report",
    "render_story_html",
    "report_css",
    "static_dir",
    "templates_dir",
]
