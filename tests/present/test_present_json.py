"""JSON output: versioned, round-trips to the typed records, validates against the committed schemas."""

from __future__ import annotations

import json

import jsonschema
import pytest
from _store_samples import BODY_A, BODY_B, make_analysis, make_article, make_comparison

from unspin.present.jsonout import (
    SCHEMA_MODELS,
    analysis_to_json,
    comparison_to_json,
    dumps,
    json_schema,
    render_schema,
    schema_path,
)
from unspin.types import SCHEMA_VERSION, Analysis, ItemFailure


def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads(schema_path(name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@pytest.mark.parametrize("name", sorted(SCHEMA_MODELS))
def test_committed_schema_is_up_to_date(name):
    path = schema_path(name)
    assert path.exists(), f"{path} missing: run python -m unspin.present.jsonout"
    assert path.read_text(encoding="utf-8") == render_schema(name), (
        f"{path.name} is stale: the types changed; run python -m unspin.present.jsonout "
        "(and bump types.SCHEMA_VERSION if the change is not additive)"
    )
    assert f"-{SCHEMA_VERSION}." in path.name


def test_analysis_json_validates_and_round_trips():
    analysis = make_analysis(make_article(BODY_A, boilerplate="Tags: river, talks"))
    doc = json.loads(dumps(analysis_to_json(analysis)))
    _validator("analysis").validate(doc)
    assert doc["schema_version"] == SCHEMA_VERSION
    assert Analysis.model_validate(doc) == analysis
    original = doc["article"]["original"]
    for f in doc["findings"] + doc["article"]["removed"]:
        assert {
            "kind",
            "label",
            "start",
            "end",
            "text",
            "confidence",
            "source",
            "explanation",
            "attrs",
        } <= f.keys()
        if f["start"] is not None:
            assert original[f["start"] : f["end"]] == f["text"]


def test_schema_rejects_a_finding_without_source():
    doc = analysis_to_json(make_analysis(make_article(BODY_A)))
    del doc["findings"][0]["source"]
    with pytest.raises(jsonschema.ValidationError, match="source"):
        _validator("analysis").validate(doc)


def test_comparison_json_validates():
    a = make_analysis(make_article(BODY_A))
    b = make_analysis(make_article(BODY_B, outlet="Tabloid"))
    doc = json.loads(
        dumps(
            comparison_to_json(
                make_comparison(a, b), [a, b], [ItemFailure(source="x.bin", reason="binary file")]
            )
        )
    )
    _validator("comparison").validate(doc)
    assert doc["schema_version"] == SCHEMA_VERSION
    originals = {x["article"]["id"]: x["article"]["original"] for x in doc["analyses"]}
    for f in doc["comparison"]["findings"]:
        assert originals[f["article_id"]][f["start"] : f["end"]] == f["text"]
    assert doc["errors"] == [{"source": "x.bin", "reason": "binary file", "stage": "read"}]


def test_json_schema_declares_draft_and_version():
    schema = json_schema("analysis")
    assert schema["$schema"].endswith("2020-12/schema")
    assert SCHEMA_VERSION in schema["$id"]
