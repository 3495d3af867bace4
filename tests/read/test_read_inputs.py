"""read_inputs: expansion of directories, globs and stdin; dispatch; a batch goes on after errors."""

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _paths import ROOT, TESTS

from unspin.read import read_inputs, read_path
from unspin.read.dispatch import sniff_format
from unspin.types import Article, ItemFailure

DATA = TESTS / "data" / "read"
REPO = ROOT


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".hidden").mkdir()
    shutil.copy(DATA / "titled.txt", tmp_path / "b" / "two.txt")
    shutil.copy(DATA / "untitled.txt", tmp_path / "a" / "one.txt")
    shutil.copy(DATA / "article_meta.html", tmp_path / "a" / "page.htm")
    (tmp_path / ".hidden" / "secret.txt").write_text("Not to be read\n\nHidden folder text.")
    (tmp_path / ".dotfile.txt").write_text("Not to be read either\n\nHidden file text.")
    (tmp_path / "empty.txt").write_bytes(b"")
    return tmp_path


def test_directory_is_expanded_recursively_sorted_skipping_hidden(tree):
    results = list(read_inputs([str(tree)]))
    names = [Path(r.source).relative_to(tree).as_posix() for r in results]
    assert names == ["a/one.txt", "a/page.htm", "b/two.txt", "empty.txt"]
    assert [type(r).__name__ for r in results] == ["Article", "Article", "Article", "ItemFailure"]
    assert results[1].format == "html"
    assert "empty" in results[3].reason


def test_glob_and_missing_inputs_do_not_stop_the_batch(tree):
    results = list(read_inputs([str(tree / "nope.txt"), str(tree / "**" / "*.txt"), str(tree / "*.none")]))
    assert isinstance(results[0], ItemFailure) and results[0].reason == "no such file or directory"
    assert [Path(r.source).name for r in results[1:-1]] == ["one.txt", "two.txt", "empty.txt"]
    assert isinstance(results[-1], ItemFailure) and "no files match" in results[-1].reason


def test_bad_file_among_good_ones(tmp_path):
    (tmp_path / "1.txt").write_text("First Headline\n\nBody of the first article.")
    (tmp_path / "2.pdf").write_bytes(b"%PDF-1.4 binary stuff")
    (tmp_path / "3.txt").write_text("Third Headline\n\nBody of the third article.")
    results = list(read_inputs([str(tmp_path)]))
    assert [type(r).__name__ for r in results] == ["Article", "ItemFailure", "Article"]
    assert "PDF" in results[1].reason


def test_unknown_extension_is_sniffed(tmp_path):
    (tmp_path / "page.dat").write_bytes((DATA / "article_meta.html").read_bytes())
    (tmp_path / "feed.dat").write_bytes((DATA / "feed.atom").read_bytes())
    (tmp_path / "rows.dat").write_bytes((DATA / "corpus.csv").read_bytes())
    (tmp_path / "rows2.dat").write_bytes((DATA / "corpus.jsonl").read_bytes())
    (tmp_path / "plain").write_bytes((DATA / "titled.txt").read_bytes())
    formats = {Path(r.source.split("#")[0]).name: r.format for r in read_inputs([str(tmp_path)]) if isinstance(r, Article)}
    assert formats == {"page.dat": "html", "feed.dat": "feed", "rows.dat": "csv", "rows2.dat": "jsonl", "plain": "text"}


@pytest.mark.parametrize(
    "data, fmt",
    [
        (b"PAR1....", "parquet"),
        (b"  <!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        (b"<?xml version='1.0'?><rss version='2.0'></rss>", "feed"),
        (b'{"text": "a"}\n{"text": "b"}\n', "jsonl"),
        (b"title,text\nA,B\n", "csv"),
        (b"{Curly} Headline\n\nBody.", "text"),
        (b"Headline, with a comma\n\nBody.", "text"),
    ],
)
def test_sniff_format(data, fmt):
    assert sniff_format(data) == fmt


def test_stdin_dash_is_read_and_sniffed(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((DATA / "feed.rss").read_bytes())))
    results = list(read_inputs(["-"]))
    assert results[0].source == "<stdin>#1" and results[0].format == "feed"


def test_stdin_over_the_limit(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 5000)))
    (error,) = list(read_inputs(["-"], max_bytes=1000))
    assert isinstance(error, ItemFailure) and error.source == "<stdin>" and "1,000-byte limit" in error.reason


def test_stdin_in_a_real_process():
    code = "from unspin.read import read_inputs; a = next(read_inputs(['-'])); print(a.format, '|', a.title.text)"
    out = subprocess.run(
        [sys.executable, "-c", code], input=(DATA / "titled.txt").read_bytes(), capture_output=True, cwd=REPO, timeout=60
    )
    assert out.returncode == 0, out.stderr.decode()
    assert out.stdout.decode().strip() == "text | Council Delays Vote On Harbour Car Park"


def test_read_path_on_a_directory_is_an_error(tmp_path):
    (error,) = list(read_path(tmp_path))
    assert isinstance(error, ItemFailure) and "not a regular file" in error.reason


def test_outlet_option_applies_to_text(tmp_path):
    (article,) = list(read_inputs([str(DATA / "titled.txt")], outlet="Valley Gazette"))
    assert article.outlet == "Valley Gazette"
