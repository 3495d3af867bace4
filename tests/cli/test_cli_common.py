"""Shared CLI helpers: folder expansion, progress totals, store opening."""

from __future__ import annotations

import pytest
import typer

from unspin.cli.common import expand_inputs, known_total, open_store


def test_expand_inputs_skips_hidden_and_readme_files(tmp_path):
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.html").write_text("a")
    (tmp_path / "README.md").write_text("about")
    (tmp_path / ".hidden.txt").write_text("h")
    (tmp_path / "LICENSE").write_text("l")
    assert expand_inputs([str(tmp_path), "-", "x*.txt"]) == [
        str(tmp_path / "b.txt"),
        str(tmp_path / "sub" / "a.html"),
        "-",
        "x*.txt",
    ]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert expand_inputs([str(empty)]) == [str(empty)]  # the reader reports the empty folder


def test_known_total_only_for_one_article_files():
    assert known_total(["a.txt", "b.html"]) == 2
    assert known_total(["a.txt", "b.html"], limit=1) == 1
    assert known_total(["a.txt", "corpus.jsonl"]) is None
    assert known_total(["-"]) is None
    assert known_total([]) is None


def test_open_store(tmp_path):
    assert open_store(None, no_store=True) is None
    store = open_store(str(tmp_path / "x.sqlite"), no_store=False)
    assert store is not None and store.counts()["articles"] == 0
    store.close()
    with pytest.raises(typer.BadParameter, match="cannot open database"):
        open_store("nosuchdriver://x/y", no_store=False)
