"""Every article gets its outlet while it is read, by one documented order: what the user said
for its path, what the page or row says, its URL's host (known news hosts by name), a wire
dateline, then the default. The CLI's options and a folder's outlets.toml feed that order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _paths import ROOT
from typer.testing import CliRunner

from unspin.cli import app
from unspin.read import read_inputs
from unspin.read.html import read_html
from unspin.read.outlets import OutletMap, dateline_outlet, from_options, load_mapping, name_for_host

WIRE = "Ferry strike ends\n\nVELLMAR, May 2 (Coast Wire) - Ferry crews went back to work on Friday after a deal.\n"
PLAIN = "Ferry strike ends\n\nFerry crews went back to work on Friday after a deal on pay was reached.\n"


def page(site: str | None, url: str | None) -> str:
    meta = f'<meta property="og:site_name" content="{site}">' if site else ""
    link = f'<link rel="canonical" href="{url}">' if url else ""
    return (f"<html><head><title>Ferry strike ends</title>{meta}{link}</head><body><article>"
            "<p>Ferry crews went back to work on Friday after a deal on pay was reached late on Thursday.</p>"
            "<p>The union said the agreement covered every crew member on the island routes.</p></article></body></html>")


def test_known_hosts_name_the_outlet_subdomains_included():
    assert name_for_host("edition.cnn.com") == "CNN"
    assert name_for_host("www.bbc.co.uk") == "BBC" and name_for_host("nytimes.com") == "The New York Times"
    assert name_for_host("notnytimes.com") is None  # a suffix of the name, not a parent domain
    assert name_for_host("news.example", {"example": "Mine"}) == "Mine"


@pytest.mark.parametrize(("text", "name"), [
    ("WASHINGTON (Reuters) - Lawmakers voted", "Reuters"),
    ("KYIV, Ukraine, March 3 (AP) — Sirens", "AP"),
    ("MOSCOW, March 11. /TASS/. The ministry", "TASS"),
    ("ORSUND, 11 March /TFNA/. The delegation", "TFNA"),
    ("The mayor (a former judge) - said nothing", None),
    ("He spoke to us (Reuters) - later", None),
])
def test_datelines(text, name):
    assert dateline_outlet(text) == name


def test_the_order_path_then_metadata_then_host_then_default(tmp_path):
    named = tmp_path / "named.html"
    named.write_text(page("Coastline Courier", "https://www.cnn.com/x"), encoding="utf-8")
    hosted = tmp_path / "hosted.html"
    hosted.write_text(page(None, "https://edition.cnn.com/2025/ferry"), encoding="utf-8")
    bare = tmp_path / "bare.html"
    bare.write_text(page(None, "https://harbour-news.example/ferry"), encoding="utf-8")
    wire = tmp_path / "wire.txt"
    wire.write_text(WIRE, encoding="utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text(PLAIN, encoding="utf-8")
    files = [str(p) for p in (named, hosted, bare, wire, plain)]

    got = {Path(a.source).name: (a.outlet, a.meta["outlet_from"]) for a in read_inputs(files, outlet="Fallback")}
    assert got == {
        "named.html": ("Coastline Courier", "metadata"),  # the page's own name beats its host
        "hosted.html": ("CNN", "host"),
        "bare.html": ("harbour-news.example", "host"),
        "wire.txt": ("Coast Wire", "dateline"),
        "plain.txt": ("Fallback", "given"),
    }
    rules = from_options([f"{named}=Told", f"{plain}=Told too", "Fallback"])
    rules = rules.merged(OutletMap(hosts={"harbour-news.example": "Harbour News"}))
    got = {Path(a.source).name: a.outlet for a in read_inputs(files, outlet=rules)}
    assert got["named.html"] == "Told" and got["plain.txt"] == "Told too"  # the user's word wins
    assert got["bare.html"] == "Harbour News" and got["hosted.html"] == "CNN"
    assert got["wire.txt"] == "Coast Wire"


def test_html_read_directly_keeps_its_order():
    assert read_html(page(None, None), "p.html", outlet="Given").outlet == "Given"
    assert read_html(page(None, "https://www.reuters.com/a"), "p.html", outlet="Given").outlet == "Reuters"


def test_folders_and_a_folders_mapping_file(tmp_path):
    corpus = tmp_path / "corpus"
    for outlet in ("Left Ledger", "Right Register"):
        (corpus / outlet).mkdir(parents=True)
        (corpus / outlet / "a.txt").write_text(PLAIN.replace("Friday", f"Friday ({outlet})"), encoding="utf-8")
    (corpus / "loose.txt").write_text(PLAIN.replace("Friday", "Monday"), encoding="utf-8")
    (corpus / "outlets.toml").write_text('default = "Corpus Default"\n[paths]\n"loose.txt" = "Loose Leaf"\n',
                                         encoding="utf-8")
    rules = from_options([], None, True, [str(corpus)])
    got = sorted((Path(a.source).relative_to(corpus).as_posix(), a.outlet) for a in read_inputs([str(corpus)], outlet=rules))
    # outlets.toml is the folder's mapping, not an article
    assert got == [("Left Ledger/a.txt", "Left Ledger"), ("Right Register/a.txt", "Right Register"),
                   ("loose.txt", "Loose Leaf")]


def test_bad_mapping_files_say_what_is_wrong(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[paths\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a readable outlet mapping"):
        load_mapping(bad)
    bad.write_text('[paths]\n"a.txt" = ""\n', encoding="utf-8")
    with pytest.raises(ValueError, match="non-empty"):
        load_mapping(bad)
    bad.write_text("title = 'x'\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no \\[paths\\]"):
        load_mapping(bad)
    result = CliRunner().invoke(app, ["analyze", str(tmp_path), "--no-store", "--outlets", str(bad)])
    assert result.exit_code == 2 and "outlet mapping" in result.output


def test_the_examples_have_four_outlets_in_the_json_and_the_terminal(tmp_path):
    """The bundled examples, compared as a user would: each article under its outlet's name."""
    examples = ROOT / "examples"
    runner = CliRunner()
    result = runner.invoke(app, ["compare", str(examples), "--no-store", "-q", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    outlets = sorted(a["article"]["outlet"] for a in doc["analyses"])
    assert outlets == ["Nordline News", "TFNA", "The Daily Clarion", "The Orsund Herald"]
    text = runner.invoke(app, ["compare", str(examples), "--no-store", "-q"], env={"COLUMNS": "100"}).stdout
    for name in outlets:
        assert f"─ {name} ─" in text
    assert "03-daily-clarion-tabloid" not in text
