"""``unspin batch`` as a user runs it: a JSONL corpus into Parquet parts (and a database), killed
with SIGKILL mid-way and started again, must end exactly as a run that was never interrupted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from _store_samples import count_rows
from typer.testing import CliRunner

from unspin.batch.output import ROW_SCHEMA
from unspin.cli import app

TOWNS = ("Aarhus", "Bergen", "Cork", "Dover", "Esbjerg", "Flensburg", "Gdansk", "Hull", "Ibiza", "Juist",
         "Kiel", "Lerwick", "Malmo", "Nantes", "Oban", "Porto", "Quimper", "Riga")
BODY = ("{town} officials said on Monday that the ferry to the islands would run every {n} minutes "
        "from April, after a winter of cancellations.\n\n"
        "\"We expect four thousand passengers a day,\" said transport director Jo {town}son.\n\n"
        "Opposition councillors said the timetable was too optimistic.")


def _corpus(tmp_path: Path, n: int) -> Path:
    rows = [{"title": f"{TOWNS[i % len(TOWNS)]} ferry to run every {10 + i} minutes",
             "text": BODY.format(town=TOWNS[i % len(TOWNS)], n=10 + i), "outlet": ["Coast Post", "Isle Times"][i % 2],
             "published": f"2025-03-{1 + i % 28:02d}"} for i in range(n)]
    lines = [json.dumps(r) for r in rows]
    lines.insert(3, "{not json")  # one unreadable row
    lines.append(lines[5])  # one repeat of an article already read
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNSPIN_")}
    (tmp_path / "none.toml").write_text("")
    return env | {"UNSPIN_CONFIG": str(tmp_path / "none.toml"), "HOME": str(tmp_path)}


def _batch(*args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "unspin", "batch", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _rows(out: Path) -> list[dict]:
    table = pq.read_table(out)  # the folder as a dataset: _batch.json is passed over
    assert table.schema.equals(ROW_SCHEMA)
    return sorted(table.to_pylist(), key=lambda r: (r["article_id"] or "", r["source"]))


@pytest.mark.slow
def test_killed_mid_way_and_restarted_ends_as_an_uninterrupted_run(tmp_path):
    corpus, env = _corpus(tmp_path, 40), _env(tmp_path)
    whole_out, whole_db = tmp_path / "whole", str(tmp_path / "whole.sqlite")
    whole = _batch(str(corpus), "--out", str(whole_out), "--shard-size", "4", "--db", whole_db, env=env)
    _, whole_err = whole.communicate(timeout=300)
    assert whole.returncode == 1, whole_err  # the unreadable row fails; the batch goes on
    assert "this run: 40 analysed" in whole_err and "1 repeats dropped, 1 failed" in whole_err
    assert "41 rows: 40 analysed, 1 failed" in whole_err

    out, db = tmp_path / "killed", str(tmp_path / "killed.sqlite")
    args = (str(corpus), "--out", str(out), "--shard-size", "4", "--db", db)
    first = _batch(*args, env=env)
    deadline = time.monotonic() + 240
    while not (out / "part-000003.parquet").exists() and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.02)
    assert first.poll() is None, "the first run ended before it could be killed"
    first.send_signal(signal.SIGKILL)
    first.wait(30)
    written = sorted(p.name for p in out.glob("part-*.parquet"))
    assert 4 <= len(written) < 11

    again = _batch(*args, env=env)
    _, err = again.communicate(timeout=300)
    assert again.returncode == 1, err  # the unreadable row, in a part written before the kill
    assert f"{len(written)} done before" in err and f"{11 - len(written)} parts written" in err

    rows, whole_rows = _rows(out), _rows(whole_out)
    assert len(rows) == 41  # 40 articles and the unreadable row, each once
    assert len({r["article_id"] for r in rows if r["article_id"]}) == 40
    assert rows == whole_rows
    failed = [r for r in rows if r["status"] == "failed"]
    assert [(r["source"].rsplit("#", 1)[1], r["stage"]) for r in failed] == [("4", "read")]
    assert all(r["findings"] for r in rows if r["status"] == "analysed")
    for table in ("articles", "analyses", "errors", "findings"):
        assert count_rows(db, table) == count_rows(whole_db, table), table
    assert count_rows(db, "analyses") == 40 and count_rows(db, "errors") == 1


def test_finished_parts_are_kept_and_another_batch_is_refused(tmp_path):
    corpus = _corpus(tmp_path, 6)
    out = tmp_path / "out"
    runner = CliRunner()
    first = runner.invoke(app, ["batch", str(corpus), "--out", str(out), "--shard-size", "3", "-q"])
    assert first.exit_code == 1, first.output
    assert "3 parts written, 0 done before" in first.stderr
    again = runner.invoke(app, ["batch", str(corpus), "--out", str(out), "--shard-size", "3", "-q"])
    assert "0 parts written, 3 done before" in again.stderr
    assert len(_rows(out)) == 7
    other = runner.invoke(app, ["batch", str(corpus), "--out", str(out), "--shard-size", "2"])
    assert other.exit_code == 2 and "other shard_size" in other.output
    help_text = runner.invoke(app, ["batch", "--help"]).output
    assert "--out" in help_text and "unspin batch corpus.jsonl --out results/" in help_text


@pytest.mark.slow
def test_dask_engine_gives_the_rows_of_the_local_engine(tmp_path, db_url):
    """A local Dask cluster started by unspin, then a running cluster it attaches to (--cluster),
    must give exactly the rows of --engine local; the workers store into one database."""
    from distributed import LocalCluster

    corpus = _corpus(tmp_path, 9)
    runner = CliRunner()
    local_out = tmp_path / "local"
    result = runner.invoke(app, ["batch", str(corpus), "--out", str(local_out), "--shard-size", "2", "-q"])
    assert result.exit_code == 1, result.output
    expected = _rows(local_out)
    assert len(expected) == 10

    dask_out = tmp_path / "dask"
    result = runner.invoke(app, ["batch", str(corpus), "--out", str(dask_out), "--shard-size", "2", "-q",
                                 "--engine", "dask", "--workers", "2", "--db", db_url])
    assert result.exit_code == 1, result.output
    assert "5 parts written" in result.stderr and "10 rows: 9 analysed, 1 failed" in result.stderr
    assert _rows(dask_out) == expected
    assert count_rows(db_url, "analyses") == 9 and count_rows(db_url, "errors") == 1

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        attached_out = tmp_path / "attached"
        result = runner.invoke(app, ["batch", str(corpus), "--out", str(attached_out), "--shard-size", "2", "-q",
                                     "--engine", "dask", "--cluster", cluster.scheduler_address])
    assert result.exit_code == 1, result.output
    assert _rows(attached_out) == expected


def test_engine_options_are_checked(tmp_path):
    corpus = _corpus(tmp_path, 6)
    runner = CliRunner()
    wrong = runner.invoke(app, ["batch", str(corpus), "--out", str(tmp_path / "o"), "--engine", "spark"])
    assert wrong.exit_code == 2 and "choose local or dask" in wrong.output
    lone = runner.invoke(app, ["batch", str(corpus), "--out", str(tmp_path / "o"), "--cluster", "tcp://h:8786"])
    assert lone.exit_code == 2 and "--cluster needs --engine dask" in lone.output
    piped = runner.invoke(app, ["batch", "-", "--out", str(tmp_path / "o")], input="{}")
    assert piped.exit_code == 2 and "save it to a file first" in piped.output
