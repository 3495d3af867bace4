"""``unspin report`` and ``unspin stories`` end to end: real readers, pipeline, grouping, compare,
a real SQLite file. The examples are analysed once per module; later runs read the database."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import lxml.html
import pytest
from _paths import ROOT
from typer.testing import CliRunner

from unspin.cli import app
from unspin.present.jsonout import ReportDocument, schema_path

EXAMPLES = ROOT / "examples"
SEEDS = ROOT / ".." / "shared" / "seeds"

runner = CliRunner()


def _run(*args: str):
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One report over the examples (plus a hostile article and a missing file) into a fresh DB."""
    tmp = tmp_path_factory.mktemp("report")
    hostile = tmp / "hostile.txt"
    hostile.write_text(
        "Mayor <script>window.__pwned=1</script> opens bridge\n\n"
        "The mayor said the bridge <img src=x onerror=alert(1)> would open on Friday.\n"
        '"We are ready," said Mayor Lena Ruud "><svg onload=alert(2)>.\n',
        encoding="utf-8",
    )
    db = tmp / "unspin.sqlite"
    out = tmp / "report.html"
    charts = tmp / "charts"
    result = _run(
        "report",
        str(EXAMPLES),
        str(hostile),
        str(tmp / "missing.txt"),
        "-o",
        str(out),
        "--db",
        str(db),
        "--charts",
        str(charts),
        "-q",
    )
    return {"tmp": tmp, "db": db, "out": out, "charts": charts, "result": result}


def test_report_writes_one_html_file_with_stories_and_errors(built):
    assert built["result"].exit_code == 1  # the missing file failed; the report is still written
    doc = lxml.html.parse(str(built["out"])).getroot()
    stories = doc.xpath('//section[@class="story"]')
    assert stories, "the examples tell one story"
    columns = stories[0].xpath('.//article[@class="outlet"]')
    assert len(columns) >= 3
    assert stories[0].xpath('.//table[@class="fidelity"]/tbody/tr')
    assert "missing.txt" in doc.xpath('string(//ul[@class="errors"])')
    assert doc.xpath('//table[@class="index"]//a/@href') == ["#" + s.get("id") for s in stories]
    # Self-contained: no script, no resource to fetch, the CSP in place.
    assert doc.xpath("//script") == [] and doc.xpath("//*[@src]") == [] and doc.xpath("//link") == []
    assert doc.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')[0].startswith("default-src 'none'")


def test_quote_fidelity_reads_from_the_reference_rendering_as_the_terminal_does(built):
    """Every row of the fidelity table starts from its group's reference rendering (the earliest
    published), so an altered quote reads as what the other outlet changed: the tabloid's "may
    never" is its change to the minister's words, never the wire's change to the tabloid's."""
    doc = lxml.html.parse(str(built["out"])).getroot()
    rows = doc.xpath('//section[@class="story"][1]//table[@class="fidelity"]/tbody/tr')
    cells = [[" ".join(td.text_content().split()) for td in row.xpath("./td")] for row in rows]
    vasko = [c for c in cells if c[0] == "Teodor Vasko"]
    assert vasko and {c[2] for c in vasko} == {"The Orsund Herald"}  # one reference for the group
    altered = next(c for c in vasko if c[1].startswith("altered"))
    assert altered[4].startswith("The Daily Clarion") and "will -> may" in altered[1]
    assert not any(c[2] == "The Daily Clarion" and c[1].startswith("altered") for c in cells)


def test_hostile_article_is_escaped_end_to_end(built):
    html = built["out"].read_text(encoding="utf-8")
    doc = lxml.html.document_fromstring(html)
    assert doc.xpath("//script") == [] and doc.xpath("//img") == []
    assert doc.xpath("//*[@onerror or @onload]") == []
    assert "<script>window.__pwned" not in html
    assert "<script>window.__pwned=1</script>" in doc.text_content()


def test_corpus_charts_written(built):
    names = sorted(p.name for p in built["charts"].iterdir())
    assert names == [
        "frames_by_outlet.svg",
        "story_timeline.svg",
        "techniques_by_outlet.svg",
        "terms_by_outlet.svg",
    ]


def test_markdown_and_json_from_the_database(built):
    db = str(built["db"])
    md = _run("report", "--db", db, "--format", "md", "-o", "-", "-q")
    assert md.exit_code == 0
    assert md.stdout.startswith("# unspin report")
    assert "### Quote fidelity" in md.stdout and "<script>" not in md.stdout

    js = _run("report", "--db", db, "-o", str(built["tmp"] / "r.json"), "-q")
    assert js.exit_code == 0
    doc = json.loads((built["tmp"] / "r.json").read_text(encoding="utf-8"))
    schema = json.loads(schema_path("report").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(doc)  # the published schema
    ReportDocument.model_validate(doc)
    assert doc["comparisons"]
    analysed = {a["article"]["id"] for a in doc["analyses"]}
    for c in doc["comparisons"]:
        members = {m["article_id"] for m in c["story"]["members"]}
        assert len(members) >= 2 and members <= analysed
    # every article is there once, a story of one article (the hostile page) included
    assert len(doc["analyses"]) == len(analysed)
    singles = [s for s in doc["stories"] if len(s["members"]) == 1]
    assert singles and all(s["members"][0]["article_id"] in analysed for s in singles)


def test_stories_lists_the_stored_stories(built):
    result = _run("stories", "--db", str(built["db"]))
    assert result.exit_code == 0
    from unspin.store.db import Store

    with Store(built["db"]) as store:
        multi = [s for s in store.list_stories() if len(s.members) > 1]
    assert multi
    for story in multi:
        assert story.id in result.stdout
    assert "altered" in result.stdout or "paraphrased" in result.stdout or "trimmed" in result.stdout


def test_stories_min_size_and_empty_database(built, tmp_path):
    result = _run("stories", "--db", str(built["db"]), "--min-size", "99")
    assert result.exit_code == 0 and "no stories" in result.stderr
    empty = _run("stories", "--db", str(tmp_path / "empty.sqlite"))
    assert empty.exit_code == 0 and "no stories in the database" in empty.stderr


def test_report_without_inputs_or_stored_articles_fails_clearly(tmp_path):
    result = _run("report", "--db", str(tmp_path / "empty.sqlite"), "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 1 and "nothing to report" in result.stderr
    assert not (tmp_path / "r.html").exists()


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")
def test_acceptance_seeds_and_examples(tmp_path):
    """The seeds are one story, with the altered "never join NATO" quote, the attribution chain and
    each article's only-here claims; the bundled examples are a story of their own."""
    out = tmp_path / "report.html"
    result = _run("report", str(SEEDS), str(EXAMPLES), "-o", str(out), "--no-store", "-q")
    assert result.exit_code == 0, result.stderr
    doc = lxml.html.parse(str(out)).getroot()
    seed_files = {p.name for p in SEEDS.glob("*.txt")}
    example_files = {p.name for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".html")}

    def sources(section):
        return {
            Path(s).name for s in section.xpath('.//article[@class="outlet"]//div[@class="meta"]//text()')
        }

    by_story = {}
    for section in doc.xpath('//section[@class="story"]'):
        names = {n for n in seed_files | example_files if any(n in t for t in sources(section))}
        by_story[section.get("id")] = (section, names)
    seed_story = [s for s, names in by_story.values() if names & seed_files]
    assert len(seed_story) == 1, "the two seeds are one story"
    section = seed_story[0]
    assert by_story[section.get("id")][1] == seed_files  # and nothing else

    rows = section.xpath('.//table[@class="fidelity"]/tbody/tr')
    altered = [r for r in rows if r.xpath("string(./td[2])").strip().startswith("altered")]
    assert any("never join NATO" in r.text_content() for r in altered)
    chain = section.xpath('string(.//ul[@class="attribution-list"])')
    assert "Daily Mail" in chain and "Newsweek" in chain and "MSN" in chain
    only_here = section.xpath('.//div[@class="only-here-outlet"]')
    assert len(only_here) == 2 and all(block.xpath(".//li") for block in only_here)

    example_story = [s for s, names in by_story.values() if names & example_files]
    assert len(example_story) == 1, "the examples are one story, apart from the seeds"
    # all of them, the dated HTML page with the undated text files
    assert by_story[example_story[0].get("id")][1] == example_files


def test_formats_come_from_the_registry_by_name_or_suffix(tmp_path):
    from unspin.present.formats import FORMATS, OutputFormat, format_for, register_format

    assert format_for("out.markdown").name == "md" and format_for("OUT.JSON").name == "json"
    assert format_for("report").name == "html" and format_for("x.md", "json").name == "json"
    bad = _run("report", "--format", "pdf", "-o", str(tmp_path / "r.pdf"))
    assert bad.exit_code == 2 and "html, md, json" in bad.output
    # a new format is one registration: the command then writes it by suffix
    register_format(OutputFormat("count", (".count",), "how many articles",
                                 lambda comparisons, analyses, errors, title: f"{len(analyses)}\n"))
    try:
        out = tmp_path / "n.count"
        done = _run("report", str(ROOT / "examples" / "01-nordline-wire.txt"), "-o", str(out), "--no-store", "-q")
        assert done.exit_code == 0 and out.read_text() == "1\n"
    finally:
        FORMATS.pop("count")
