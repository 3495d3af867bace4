"""Versioned JSON output for analyses and comparisons (documented in docs/json-schema.md).

An analysis document is exactly ``Analysis.model_dump(mode="json")``, so a consumer can load it
back with ``Analysis.model_validate``. A comparison document wraps the ``Comparison`` with the
analyses it compared and the inputs that failed. A report document holds every story, the
comparison of each story of two or more articles and every analysis once. All carry ``schema_version``
(``unspin.types.SCHEMA_VERSION``); the JSON Schemas generated from the pydantic models are
committed under ``present/schema/`` and regenerated with ``python -m unspin.present.jsonout``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from unspin.types import SCHEMA_VERSION, Analysis, Comparison, ItemFailure, Story

SCHEMA_DIR = Path(__file__).parent / "schema"


class ComparisonDocument(BaseModel):
    """What ``unspin compare --json`` prints: the comparison, the analyses it compared
    (so every ``article_id`` and span can be resolved to text) and the inputs that failed."""

    model_config = ConfigDict(extra="forbid", title="ComparisonDocument")

    schema_version: str = SCHEMA_VERSION
    comparison: Comparison
    analyses: list[Analysis] = Field(default_factory=list)
    errors: list[ItemFailure] = Field(default_factory=list)


class ReportDocument(BaseModel):
    """What ``unspin report --format json`` writes: every story (single-article ones too), the
    comparison of each story of two or more analysed articles, every article's analysis once (the
    comparisons name them by ``article_id``), and the inputs that failed."""

    model_config = ConfigDict(extra="forbid", title="ReportDocument")

    schema_version: str = SCHEMA_VERSION
    title: str = ""
    stories: list[Story] = Field(default_factory=list)
    comparisons: list[Comparison] = Field(default_factory=list)
    analyses: list[Analysis] = Field(default_factory=list)
    errors: list[ItemFailure] = Field(default_factory=list)


def report_to_json(comparisons: list[Comparison], analyses: list[Analysis], errors: list[ItemFailure],
                   title: str = "") -> dict[str, Any]:
    """A report document as a JSON-ready dict; ``comparisons`` holds one per story (a story of one
    article is listed among ``stories`` and its article among ``analyses``, without a comparison)."""
    by_id = {a.article.id: a for a in analyses}

    def compared(c: Comparison) -> bool:
        return sum(1 for i in c.story.article_ids if i in by_id) > 1

    doc = ReportDocument(title=title, stories=[c.story for c in comparisons],
                         comparisons=[c for c in comparisons if compared(c)],
                         analyses=list(by_id.values()), errors=list(errors))
    return doc.model_dump(mode="json")


def analysis_to_json(analysis: Analysis) -> dict[str, Any]:
    """One analysis as a JSON-ready dict (``schema_version``, ``article``, ``findings``, ...)."""
    return analysis.model_dump(mode="json")


def comparison_to_json(
    comparison: Comparison,
    analyses: list[Analysis] | None = None,
    errors: list[ItemFailure] | None = None,
) -> dict[str, Any]:
    """A comparison document as a JSON-ready dict."""
    doc = ComparisonDocument(comparison=comparison, analyses=analyses or [], errors=errors or [])
    return doc.model_dump(mode="json")


def dumps(doc: dict[str, Any], *, indent: int | None = None) -> str:
    # ensure_ascii=False keeps quotes and names readable; offsets count characters, not bytes.
    return json.dumps(doc, ensure_ascii=False, indent=indent)


# Schema documents: name -> model. File names carry the version: analysis-1.1.schema.json.
SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "analysis": Analysis,
    "comparison": ComparisonDocument,
    "report": ReportDocument,
}


def schema_path(name: str, version: str = SCHEMA_VERSION) -> Path:
    return SCHEMA_DIR / f"{name}-{version}.schema.json"


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an output document, generated from the pydantic model."""
    model = SCHEMA_MODELS[name]
    schema = model.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://unspin.invalid/schema/{name}-{SCHEMA_VERSION}.schema.json",
        **schema,
    }


def render_schema(name: str) -> str:
    return json.dumps(json_schema(name), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    """(Re)write every schema file; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMA_MODELS:
        path = folder / schema_path(name).name
        path.write_text(render_schema(name), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write_schemas():
        print(p)
