"""Corpora (JSONL, CSV, Parquet): one article per row; bad rows are per-row errors."""

import json
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.parquet as pq
from _paths import TESTS

from unspin.read import read_path
from unspin.types import Article, ItemFailure

DATA = TESTS / "data" / "read"


def _split(results):
    return [r for r in results if isinstance(r, Article)], [r for r in results if isinstance(r, ItemFailure)]


def test_jsonl_rows_and_per_line_errors():
    articles, errors = _split(list(read_path(DATA / "corpus.jsonl")))
    assert len(articles) == 2
    by_line = {e.source.rsplit("#", 1)[1]: e.reason for e in errors}
    assert set(by_line) == {"2", "3", "4", "5"}
    assert "no text" in by_line["2"]
    assert "malformed JSON" in by_line["3"]
    assert "JSON object" in by_line["4"]
    assert "blank" in by_line["5"]

    first, second = articles
    assert first.source.endswith("corpus.jsonl#1") and first.format == "jsonl"
    assert first.original == "Airport bus to run hourly\n\n" + first.original.split("\n\n", 1)[1]
    assert first.original[first.title.start : first.title.end] == "Airport bus to run hourly"
    assert first.outlet == "valleygazette.example"  # from the URL, www. stripped
    assert first.published == datetime(2024, 6, 14, 7, 0, tzinfo=UTC)
    assert first.meta == {"section": "Transport", "outlet_from": "host"}
    assert second.title is None and second.outlet == "Northern Ledger"
    assert second.published.date().isoformat() == "2024-05-03"


def test_csv_rows_multiline_cells_and_empty_text():
    articles, errors = _split(list(read_path(DATA / "corpus.csv", outlet="Option Outlet")))
    assert [a.source.rsplit("#", 1)[1] for a in articles] == ["1", "3"]
    assert len(errors) == 1 and errors[0].source.endswith("corpus.csv#2") and "no text" in errors[0].reason
    pool, multi = articles
    assert pool.format == "csv" and pool.meta == {"author_note": "checked", "outlet_from": "host"}
    assert pool.outlet == "valleygazette.example"
    assert multi.outlet == "Option Outlet"  # no URL, no outlet column: the option
    assert multi.original.endswith("First line of a cell.\nSecond line of the same cell, still one article.")


def test_csv_without_text_column_is_one_clear_error():
    results = list(read_path(DATA / "corpus_no_text.csv"))
    assert len(results) == 1 and isinstance(results[0], ItemFailure)
    reason = results[0].reason
    assert "no 'text' column" in reason and "'headline'" in reason and "'summary'" in reason and "'link'" in reason
    assert "'body'" in reason and "'content'" in reason  # says which names would have worked


def test_common_column_names_of_scrapers_and_news_apis(tmp_path):
    # A NewsAPI-style row (camelCase date, source object) and a scraper's CSV (other names).
    row = {"headline": "Port strike enters second week", "content": "Dock workers stayed out on Monday.",
           "source": {"id": None, "name": "Coast Gazette"}, "publishedAt": "2026-09-01T08:00:00Z",
           "link": "https://www.coast.example/strike", "author": "R. Lund"}
    (tmp_path / "api.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    (tmp_path / "scrape.csv").write_text(
        "Title,Body,Publisher,Published_At,section\n"
        '"Strike wreckers","Union bosses are holding the country to ransom.","The Clarion",2026-09-02,news\n',
        encoding="utf-8")
    (api,) = read_path(tmp_path / "api.jsonl")
    assert api.title.text == "Port strike enters second week"
    assert api.original.endswith("Dock workers stayed out on Monday.")
    assert api.outlet == "Coast Gazette" and api.url == "https://www.coast.example/strike"
    assert api.published is not None and api.published.date().isoformat() == "2026-09-01"
    assert api.author == "R. Lund" and api.meta == {"outlet_from": "metadata"}
    (csv_row,) = read_path(tmp_path / "scrape.csv")
    assert csv_row.title.text == "Strike wreckers" and csv_row.outlet == "The Clarion"
    assert csv_row.published.date().isoformat() == "2026-09-02"
    assert csv_row.meta == {"section": "news", "outlet_from": "metadata"}  # only the columns no field used
    # A "source" holding the page's address is its URL; the outlet comes from the domain.
    (tmp_path / "urls.jsonl").write_text(json.dumps(
        {"body": "Dock workers stayed out.", "source": "https://www.coast.example/strike"}) + "\n", encoding="utf-8")
    (by_url,) = read_path(tmp_path / "urls.jsonl")
    assert by_url.url == "https://www.coast.example/strike" and by_url.outlet == "coast.example"


def test_parquet_rows(tmp_path):
    table = pa.table(
        {
            "text": ["Snow closed the mountain pass for six hours on Tuesday.", None, "The ferry ran late."],
            "title": ["Pass closed by snow", "Missing text", None],
            "published": [datetime(2024, 1, 9, 6, 0), None, None],
            "url": [None, None, "https://www.ferries.example/late"],
            "lang_hint": ["en", "en", None],
        }
    )
    path = tmp_path / "corpus.parquet"
    pq.write_table(table, path)
    articles, errors = _split(list(read_path(path)))
    assert [a.source.rsplit("#", 1)[1] for a in articles] == ["1", "3"]
    assert errors[0].source.endswith("#2")
    snow, ferry = articles
    assert snow.format == "parquet" and snow.title.text == "Pass closed by snow"
    assert snow.published == datetime(2024, 1, 9, 6, 0)
    assert snow.meta == {"lang_hint": "en"} and snow.outlet is None  # nothing names its outlet
    assert ferry.outlet == "ferries.example" and ferry.meta == {"outlet_from": "host"}


def test_parquet_without_text_column(tmp_path):
    path = tmp_path / "wrong.parquet"
    pq.write_table(pa.table({"summary": ["x"], "headline": ["y"]}), path)
    (error,) = list(read_path(path))
    assert isinstance(error, ItemFailure) and "'summary'" in error.reason and "'headline'" in error.reason


def test_damaged_parquet_is_an_error(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1" + b"\x00\x13garbage" * 10)
    (error,) = list(read_path(path))
    assert isinstance(error, ItemFailure) and "Parquet" in error.reason


def test_unparseable_date_is_kept_raw_not_guessed(tmp_path):
    path = tmp_path / "dates.jsonl"
    path.write_text('{"text": "Body text here.", "published": "sometime after lunch"}\n')
    (article,) = list(read_path(path))
    assert article.published is None and article.meta["published_raw"] == "sometime after lunch"


def test_csv_row_with_extra_fields_and_unclosed_quote(tmp_path):
    path = tmp_path / "messy.csv"
    path.write_text('text,title\n"First article text.",T1,unexpected extra\n"Second article text.",T2\n')
    first, second = list(read_path(path))
    assert first.meta == {"extra_fields": ["unexpected extra"]} and second.title.text == "T2"
    bad = tmp_path / "nul.csv"
    bad.write_bytes(b'text\n"Good row text."\n"Unclosed quote row\n')
    good, unclosed = list(read_path(bad))  # the csv module reads an unclosed quote to the end
    assert good.original == "Good row text." and unclosed.original == "Unclosed quote row\n"
