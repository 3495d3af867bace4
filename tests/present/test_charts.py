"""SVG charts: valid XML, data labels escaped, bars match counts, corpus chart files."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from _report_docs import HOSTILE_SCRIPT, story_fixture

from unspin.present.charts import (
    BarChart,
    bar_chart_svg,
    corpus_chart,
    counts_by_outlet,
    story_timeline_rows,
    timeline_svg,
    write_corpus_charts,
)
from unspin.types import Story, StoryMember

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_is_valid_svg_with_one_bar_per_nonzero_count():
    chart = BarChart(
        title="Techniques",
        series=["Outlet A", HOSTILE_SCRIPT],
        data={"Loaded_Language": {"Outlet A": 3, HOSTILE_SCRIPT: 1}, "Doubt": {"Outlet A": 2}},
    )
    svg = bar_chart_svg(chart)
    root = ET.fromstring(svg)  # raises if the markup is not well-formed
    assert root.tag == f"{SVG}svg"
    assert HOSTILE_SCRIPT not in svg and not list(root.iter(f"{SVG}script"))
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("height") == "11"]
    assert len(bars) == 3
    widths = sorted(int(b.get("width")) for b in bars)
    assert widths[-1] == 340 and widths[0] < widths[1] < widths[2]  # scaled to the largest count
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert f"{HOSTILE_SCRIPT}: Loaded_Language \u00d7 1" in titles


def test_empty_chart_says_why():
    svg = bar_chart_svg(BarChart(title="Frames", series=["A"], data={}, empty_note="No frame findings."))
    assert "No frame findings." in "".join(ET.fromstring(svg).itertext())


def test_counts_by_outlet_and_corpus_chart_limits():
    comparison, analyses = story_fixture()
    counts = counts_by_outlet(analyses, "frame")
    assert counts == {"Economic": {"Harbor Ledger": 1}, "Policy": {"Daily Courier": 1}}
    chart = corpus_chart(analyses, "frame", "Frames", max_outlets=1)
    assert len(chart.series) == 1 and chart.notes == ["1 of 2 outlets (most frame findings) shown"]
    # Outlets are ranked by findings of the kind, so the chart is not empty when some have them.
    terms = corpus_chart(analyses, "term", "Terms", max_outlets=1)
    assert terms.series == ["Harbor Ledger"] and terms.data == {"reckless": {"Harbor Ledger": 1}}


def test_timeline_mixes_naive_and_aware_dates():
    comparison, analyses = story_fixture()
    analyses[1].article.published = datetime(2024, 3, 6, 8)  # naive: taken as UTC
    rows = story_timeline_rows([comparison.story], analyses)
    assert len(rows) == 1 and rows[0].times[-1] == datetime(2024, 3, 6, 8, tzinfo=UTC)
    root = ET.fromstring(timeline_svg(rows))
    assert len(list(root.iter(f"{SVG}circle"))) == 2
    assert "2024-03-06" in "".join(root.itertext())


def test_write_corpus_charts(tmp_path):
    comparison, analyses = story_fixture(hostile=True)
    lone = Story(id="s2", members=[StoryMember(article_id="missing")])
    paths = write_corpus_charts(analyses, [comparison.story, lone], tmp_path / "charts")
    assert sorted(p.name for p in paths) == [
        "frames_by_outlet.svg",
        "story_timeline.svg",
        "techniques_by_outlet.svg",
        "terms_by_outlet.svg",
    ]
    for p in paths:
        root = ET.parse(p).getroot()
        assert root.tag == f"{SVG}svg" and not list(root.iter(f"{SVG}script"))


def _fills(svg: str) -> dict[str, str]:
    """legend name -> its colour in one chart."""
    import re

    return {name: colour for colour, name in
            re.findall(r'<rect x="\d+" y="\d+" width="10" height="10" fill="([^"]+)"><title>([^<]+)</title>', svg)}


def test_an_outlet_has_one_colour_on_every_chart_of_a_page():
    from _compare_docs import make_analysis

    from unspin.present.charts import corpus_charts

    # Alpha has the most technique findings, Beta the most terms: ranked per chart, the two would
    # swap colours between the charts.
    docs = [
        make_analysis("Alpha text one, a regime.", outlet="Alpha", techniques=["Loaded_Language", "Doubt"],
                      terms=[("regime", {"category": "loaded"})]),
        make_analysis("Beta says the regime lied.", outlet="Beta", techniques=["Doubt"],
                      terms=[("regime", {"category": "loaded"}), ("lied", {"category": "loaded"})]),
    ]
    charts = corpus_charts(docs, [])
    tech, terms = _fills(charts["techniques_by_outlet"]), _fills(charts["terms_by_outlet"])
    assert set(tech) == set(terms) == {"Alpha", "Beta"}
    assert tech == terms and tech["Alpha"] != tech["Beta"]


def test_frame_shares_show_which_outlet_leans_on_a_frame():
    from _compare_docs import make_analysis

    from unspin.present.charts import BarChart, bar_chart_svg, frame_shares
    from unspin.types import Finding

    def framed(text, outlet, probs):
        a = make_analysis(text, outlet=outlet)
        a.findings += [Finding(kind="frame", label=k, confidence=v, source="model:test", explanation="x")
                       for k, v in probs.items()]
        return a

    docs = [framed("One.", "Left Post", {"Security_and_defense": 0.91, "Morality": 0.52}),
            framed("Two.", "Right Daily", {"Security_and_defense": 0.88, "Economic": 0.71})]
    data = frame_shares(docs)
    assert data == {"Security_and_defense": {"Left Post": 91, "Right Daily": 88}, "Morality": {"Left Post": 52},
                    "Economic": {"Right Daily": 71}}
    svg = bar_chart_svg(BarChart(title="Frames", series=["Left Post", "Right Daily"], data=data, unit="%"))
    ET.fromstring(svg)
    # rows where the outlets differ most come first; the shared frame, nearly equal, last
    order = [svg.index(f"<title>{label}</title>") for label in ("Economic", "Morality", "Security_and_defense")]
    assert order == sorted(order)
    assert "91%" in svg and "× 91" not in svg
