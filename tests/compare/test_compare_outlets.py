"""The per-outlet summary compare computes: what each outlet leaves out that most others carry,
and whom it quotes; shown in the terminal, the HTML report and Markdown."""

from __future__ import annotations

import re

from _compare_docs import make_analysis

from unspin.compare import compare
from unspin.types import Story, StoryMember

DAM = "The Kessel dam will be closed for repairs for six months, the water board said on Monday."
SHARED = "Engineers found cracks in the spillway during an inspection last week."
COST = "The repairs will cost about 40 million euros, paid from the regional budget."


def _story():
    a = make_analysis(f"{DAM} {SHARED} {COST}", outlet="Wire")
    b = make_analysis(f"The water board will close the Kessel dam for six months of repairs. {SHARED} "
                      "Repairs are to cost some 40 million euros from the regional budget.", outlet="Herald")
    c = make_analysis(f"{DAM} Cracks were found in the spillway by engineers last week. {COST}", outlet="Post")
    # the fourth never mentions the cost, and quotes a named speaker twice
    d = make_analysis(f"{DAM} {SHARED} “We will not take risks with the dam,” said Ana Roth. "
                      "“Safety comes first,” Roth added.", outlet="Tabloid",
                      quotes=[("We will not take risks with the dam", "Ana Roth"), ("Safety comes first", "Ana Roth")])
    return [a, b, c, d]


def test_what_each_outlet_leaves_out_that_most_others_carry():
    docs = _story()
    cmp = compare(docs)
    per = cmp.per_article
    tabloid = per[docs[3].article.id]
    assert len(tabloid.leaves_out) == 1  # the cost, once, though three outlets word it
    item = tabloid.leaves_out[0]
    assert "40 million euros" in item.text and item.carried_by == 3 and item.of == 3
    src = next(d for d in docs if d.article.id == item.article_id)
    assert src.article.original[item.start:item.end] == item.text
    for d in docs[:3]:  # they carry the cost, the dam and the cracks: nothing most others have is missing
        assert per[d.article.id].leaves_out == []
    assert tabloid.quoted == {"Ana Roth": 2}


def test_copies_do_not_count_as_coverage():
    docs = _story()
    copy = make_analysis(docs[3].article.original + " Republished with permission.", outlet="Partner")
    copy2 = make_analysis(docs[3].article.original + " Shared by a partner site.", outlet="Partner 2")
    members = [StoryMember(article_id=d.article.id) for d in docs]
    members += [StoryMember(article_id=c.article.id, relation="copy_of", of=docs[3].article.id, similarity=0.9)
                for c in (copy, copy2)]
    cmp = compare([*docs, copy, copy2], story=Story(id="story:dam", members=members))
    per = cmp.per_article
    assert per[copy.article.id].leaves_out == []  # a copy is not an outlet's own coverage
    # two copies of the tabloid would otherwise make "no cost figure" the majority
    assert [i.carried_by for i in per[docs[3].article.id].leaves_out] == [3]


def test_views_show_the_per_outlet_summary():
    from rich.console import Console

    from unspin.present.html import render_report
    from unspin.present.markdown import render_markdown
    from unspin.present.terminal import print_comparison

    docs = _story()
    cmp = compare(docs)
    html = render_report([cmp], docs)
    table = html.split('class="per-outlet"', 1)[1].split("</table>", 1)[0]
    assert "Ana Roth ×2" in table and "40 million euros" in table and "carried by 3 of 3 others" in table
    md = render_markdown([cmp], docs)
    assert "Per outlet" in md and "Ana Roth ×2" in md
    console = Console(width=140, record=True)
    print_comparison(cmp, docs, console)
    text = console.export_text()
    assert "leaves out" in text and "Ana Roth ×2" in text


def test_only_here_marks_what_can_be_checked_and_lists_the_rest():
    from unspin.present.html import render_report

    base = f"{DAM} {SHARED}"
    a = make_analysis(f"{base} The fog lay thick and grey over the quiet lake that morning. "
                      "Repairs will cost 40 million euros.", outlet="Wire")
    b = make_analysis(f"{base} Inspector Lena Varga of the dam agency signed the closure order.", outlet="Herald",
                      entities=[("Lena Varga", "PERSON")])
    cmp = compare([a, b])
    only = {f.text: f for f in cmp.of_kind("only_here")}
    fog = only["The fog lay thick and grey over the quiet lake that morning."]
    assert fog.attrs["marked"] is False and fog.attrs["checkable"] == [] and "Not marked" in fog.explanation
    assert only["Repairs will cost 40 million euros."].attrs["checkable"] == ["figure"]
    varga = only["Inspector Lena Varga of the dam agency signed the closure order."]
    assert varga.attrs["marked"] and "actor" in varga.attrs["checkable"] and varga.attrs["actors"] == ["Lena Varga"]
    html = render_report([cmp], [a, b])
    body = html.split('class="side-by-side"', 1)[1].split('id="', 1)[0]
    marked = re.findall(r'class="hl[^"]*p-only_here[^"]*"[^>]*>([^<]+)', html)
    assert any("40 million" in m for m in marked) and not any("fog" in m for m in marked)
    rest = html.split('class="only-here-rest"', 1)[1].split("</details>", 1)[0]
    assert "1 more sentence only here" in rest and "The fog lay thick" in rest
    assert body  # the columns are there
