"""``unspin analyze`` end to end: real reader, cleaner, spaCy pipeline and a store per test (a SQLite
file; PostgreSQL too where the test takes ``db_url``)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from _paths import ROOT
from _store_samples import count_rows
from typer.testing import CliRunner

from unspin.cli import app
from unspin.present.jsonout import schema_path
from unspin.store.db import Store

EXAMPLES = ROOT / "examples"
WIRE = EXAMPLES / "01-nordline-wire.txt"
PAGE = EXAMPLES / "04-orsund-herald.html"

GOOD_TEXT = """Council approves new tram line after long debate

The city council approved a new tram line on Thursday after a debate that lasted most of the day.

"The line will connect the eastern suburbs with the centre within four years," said deputy mayor Ana Ruiz.

Opposition councillors said the budget was too optimistic and asked for an independent review.
"""


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def _schema_validator():
    schema = json.loads(schema_path("analysis").read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def test_analyze_txt_and_html_as_json(tmp_path):
    db = tmp_path / "x.sqlite"
    result = run("analyze", str(WIRE), str(PAGE), "--json", "--db", str(db))
    assert result.exit_code == 0, result.output
    docs = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [Path(d["article"]["source"]).name for d in docs] == [WIRE.name, PAGE.name]
    assert [d["article"]["format"] for d in docs] == ["text", "html"]
    validator = _schema_validator()
    for doc in docs:
        validator.validate(doc)
        original = doc["article"]["original"]
        assert doc["status"] == "analysed"
        assert doc["findings"], "a real article yields findings"
        for f in doc["findings"] + doc["article"]["removed"]:
            if f["start"] is not None:
                assert original[f["start"] : f["end"]] == f["text"], f
            assert 0.0 <= f["confidence"] <= 1.0 and f["source"]
    assert docs[1]["article"]["outlet"] == "The Orsund Herald"
    assert "2 analysed, 2 stored, 0 skipped (already stored), 0 failed" in result.stderr
    assert count_rows(db, "articles") == 2 and count_rows(db, "analyses") == 2


def test_single_article_prints_in_full_and_rerun_skips(tmp_path, db_url):
    db = db_url
    path = tmp_path / "tram.txt"
    path.write_text(GOOD_TEXT, encoding="utf-8")
    first = run("analyze", str(path), "--db", str(db))
    assert first.exit_code == 0, first.output
    assert "Council approves new tram line" in first.stdout
    assert "Ana Ruiz" in first.stdout  # the quotes table names the speaker
    assert "1 analysed, 1 stored" in first.stderr
    again = run("analyze", str(path), "--db", str(db))
    assert again.exit_code == 0
    assert "0 analysed, 0 stored, 1 skipped" in again.stderr
    assert count_rows(db, "articles") == 1 and count_rows(db, "analyses") == 1


def test_bad_inputs_get_one_line_each_and_the_batch_goes_on(tmp_path):
    db = tmp_path / "x.sqlite"
    good = tmp_path / "good.txt"
    good.write_text(GOOD_TEXT, encoding="utf-8")
    bad = {
        "empty.txt": b"",
        "binary.bin": b"\x00\x01\x02PK\x03\x04" * 50,
        "not-utf8.txt": bytes(range(128, 256)) * 3,
        "oversized.txt": b"word " * 400,
        "malformed.html": b"<html><body><div><p>unclosed <<<>>> </div></span>",
        "no-text-column.csv": b"title,summary\nA headline,Some words\n",
    }
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    missing = tmp_path / "missing.txt"
    inputs = [str(tmp_path / n) for n in bad] + [str(missing), str(good), str(WIRE)]
    result = run("analyze", *inputs, "--max-bytes", "1900", "--db", str(db), "--brief")
    assert result.exit_code == 1
    err_lines = [line for line in result.stderr.splitlines() if line.startswith("✗ ")]
    assert len(err_lines) == len(bad) + 1
    for name in [*bad, missing.name]:
        mine = [line for line in err_lines if name in line]
        assert len(mine) == 1, (name, err_lines)
        assert len(mine[0]) > len(str(tmp_path / name)) + 5  # names the input and says why
    assert "size" in " ".join(err_lines) or "limit" in " ".join(err_lines)
    assert "2 analysed, 2 stored, 0 skipped (already stored), 7 failed" in result.stderr
    # The good inputs, before and after the bad ones, are stored; every failure is recorded.
    with Store(db) as store:
        sources = {Path(a.article.source).name for a in store.iter_analyses()}
        assert sources == {"good.txt", WIRE.name}
        assert len(store.list_errors()) == len(bad) + 1


def test_no_store_writes_nothing(tmp_path, monkeypatch):
    default = tmp_path / "default.sqlite"
    monkeypatch.setenv("UNSPIN_DB", str(default))
    path = tmp_path / "tram.txt"
    path.write_text(GOOD_TEXT, encoding="utf-8")
    result = run("analyze", str(path), "--no-store", "--quiet")
    assert result.exit_code == 0
    assert result.stdout == ""  # --quiet: only the closing summary, on stderr
    assert "1 analysed, 0 stored" in result.stderr
    assert not default.exists()


def test_limit_stops_after_n_articles(tmp_path):
    result = run("analyze", str(EXAMPLES), "--limit", "2", "--json", "--db", str(tmp_path / "x.sqlite"))
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2


@pytest.mark.parametrize(
    "args",
    [
        ["analyze"],  # no inputs
        ["analyze", "x.txt", "--limit", "0"],
        ["analyze", "x.txt", "--db", "nosuchdriver://nowhere/db"],
    ],
)
def test_usage_errors_exit_2(args, tmp_path):
    result = run(*args)
    assert result.exit_code == 2, result.output


def test_help_teaches_with_examples():
    result = run("analyze", "--help")
    assert result.exit_code == 0
    assert "unspin analyze article.txt" in result.output and "--json" in result.output


def test_workers_option_gives_the_same_json_and_rows(db_url):
    one = run("analyze", str(EXAMPLES), "--json", "--no-store")
    two = run("analyze", str(EXAMPLES), "--json", "--workers", "2", "--db", db_url)
    assert one.exit_code == 0 and two.exit_code == 0, two.output
    docs_one = [json.loads(line) for line in one.stdout.splitlines() if line.strip()]
    docs_two = [json.loads(line) for line in two.stdout.splitlines() if line.strip()]
    assert len(docs_two) == 4
    assert [d["article"]["id"] for d in docs_two] == [d["article"]["id"] for d in docs_one]
    assert [d["findings"] for d in docs_two] == [d["findings"] for d in docs_one]
    assert count_rows(db_url, "analyses") == 4
