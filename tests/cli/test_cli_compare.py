"""``unspin compare`` end to end on the bundled examples (the README's first command)."""

from __future__ import annotations

import json

import jsonschema
from _paths import ROOT
from typer.testing import CliRunner

from unspin.cli import app
from unspin.present.jsonout import schema_path
from unspin.store.db import Store

EXAMPLES = ROOT / "examples"


def run(*args: str):
    return CliRunner().invoke(app, list(args), terminal_width=120)


def test_compare_examples_in_the_terminal(tmp_path):
    db = tmp_path / "x.sqlite"
    result = run("compare", str(EXAMPLES), "--db", str(db))
    assert result.exit_code == 0, result.output
    out = result.stdout
    # One panel per article, under its outlet's name (the datelines, the page, the folder's
    # outlets.toml); README.md and outlets.toml in the folder are not taken for articles.
    for label in ("Nordline News", "TFNA", "The Daily Clarion", "The Orsund Herald"):
        assert f"─ {label} ─" in out
    assert "README" not in out and "outlets.toml" not in out and "03-daily-clarion-tabloid" not in out
    assert "Quotes in more than one article" in out
    assert "Teodor Vasko" in out and "may never" in out.replace("\n", " ")
    assert "altered" in out and "trimmed" in out
    assert "Only in one article" in out
    assert "Attributions to other media" in out and "Nordline News" in out
    assert "4 analysed, 4 stored" in result.stderr
    with Store(db) as store:
        stories = store.list_stories()
        assert len(stories) == 1 and len(stories[0].members) == 4


def test_compare_json_validates_and_spans_resolve(tmp_path):
    result = run("compare", str(EXAMPLES), "--json", "--db", str(tmp_path / "x.sqlite"))
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    schema = json.loads(schema_path("comparison").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(doc)
    originals = {a["article"]["id"]: a["article"]["original"] for a in doc["analyses"]}
    kinds = set()
    for f in doc["comparison"]["findings"]:
        kinds.add(f["kind"])
        if f["start"] is not None:
            assert originals[f["article_id"]][f["start"] : f["end"]] == f["text"], f
    assert {"fidelity", "only_here", "shared"} <= kinds
    altered = [
        f for f in doc["comparison"]["findings"] if f["kind"] == "fidelity" and f["label"] == "altered"
    ]
    assert any("may never" in f["text"] for f in altered)


def test_compare_goes_on_past_a_bad_input_and_exits_1(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run(
        "compare",
        str(EXAMPLES / "01-nordline-wire.txt"),
        str(EXAMPLES / "03-daily-clarion-tabloid.txt"),
        str(empty),
        "--no-store",
    )
    assert result.exit_code == 1
    assert "Quotes in more than one article" in result.stdout
    assert sum("empty.txt" in line for line in result.output.splitlines()) == 1


def test_compare_needs_two_articles(tmp_path):
    result = run("compare", str(EXAMPLES / "01-nordline-wire.txt"), "--no-store")
    assert result.exit_code == 1
    assert "at least 2 are needed" in result.stderr
