"""Jinja2 rendering for the pages. The loader looks in the web app's templates first, then in
the HTML report's (``unspin.present.html``), whose partials draw the story side-by-side view."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from unspin.present import safe_text

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def _report_templates() -> list[str]:
    try:
        from unspin.present.html import templates_dir
    except ImportError:  # the report package is optional for the list/article/outlet pages
        return []
    return [str(templates_dir())]


def _when(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return value.strftime(fmt) if value else ""


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(TEMPLATES)), *[FileSystemLoader(d) for d in _report_templates()]]),
        autoescape=select_autoescape(["html", "j2", "html.j2"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=safe_text.finalize,  # bidi overrides and control characters shown, not obeyed
    )
    env.filters["when"] = _when
    env.filters["pct"] = lambda x: f"{round(float(x) * 100)}%"
    env.filters["article_name"] = _article_name
    env.filters["short_label"] = _short_label
    from unspin.present.html.render import display_level_pct

    env.globals["display_level_pct"] = display_level_pct()
    return env


def _article_name(article) -> str:
    from unspin.web.queries import display_name

    return display_name(article.title_text, article.original, article.id)


def _short_label(article) -> str:
    from unspin.present.charts import short_label

    return short_label(article)


def render(request: Request, name: str, *, status_code: int = 200, **context) -> HTMLResponse:
    html = environment().get_template(name).render(request=request, **context)
    return HTMLResponse(html, status_code=status_code)
