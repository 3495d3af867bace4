"""Output formats of a report, registered by name and file suffix: ``unspin report`` picks one by
``--format`` or by the suffix of ``--output``. A new format is one ``register_format`` call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from unspin.types import Analysis, Comparison, ItemFailure

# (comparisons, analyses, errors, title) -> the report's text
Renderer = Callable[[list[Comparison], list[Analysis], list[ItemFailure], str], str]


@dataclass(frozen=True)
class OutputFormat:
    name: str
    suffixes: tuple[str, ...]
    description: str  # for --help: what the file holds
    render: Renderer


FORMATS: dict[str, OutputFormat] = {}


def register_format(fmt: OutputFormat) -> OutputFormat:
    FORMATS[fmt.name] = fmt
    return fmt


def format_named(name: str) -> OutputFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r}; known: {', '.join(FORMATS)}") from None


def format_for(output: str, name: str | None = None) -> OutputFormat:
    """The format ``name``, else the one whose suffix ``output`` has, else HTML."""
    if name is not None:
        return format_named(name)
    suffix = Path(output).suffix.lower()
    return next((f for f in FORMATS.values() if suffix in f.suffixes), FORMATS["html"])


def _html(comparisons, analyses, errors, title) -> str:
    from unspin.present.html import render_report

    return render_report(comparisons, analyses, errors, title=title)


def _markdown(comparisons, analyses, errors, title) -> str:
    from unspin.present.markdown import render_markdown

    return render_markdown(comparisons, analyses, errors, title=title)


def _json(comparisons, analyses, errors, title) -> str:
    from unspin.present.jsonout import dumps, report_to_json

    return dumps(report_to_json(comparisons, analyses, errors, title), indent=2) + "\n"


register_format(OutputFormat("html", (".html", ".htm"), "one self-contained file", _html))
register_format(OutputFormat("md", (".md", ".markdown"), "Markdown", _markdown))
register_format(OutputFormat("json", (".json",), "every story, comparison and analysis (report schema)", _json))
