"""Entity roles (SemEval-2025 Task 10 subtask 1): the masked window, the decision rule, which
entities an article is about, the evaluator's reading and scoring, the shipped model (the same
sentence about either side gets the same role), the component in a real pipeline, the command,
and a tiny model trained end to end."""

from __future__ import annotations

import json

import numpy as np
import pytest
from _paths import ROOT
from typer.testing import CliRunner

from unspin.analyse.pipeline import Pipeline
from unspin.analyse.roles import (
    MASK,
    PARENT,
    ROLES_DIR,
    RoleModel,
    decide,
    get_roles,
    main_entities,
    masked_window,
    mention_features,
)
from unspin.analyse.roles_eval import Mention, RoleLabel, read_labels, score
from unspin.clean import clean_article
from unspin.read.text import read_text
from unspin.types import Entity

SHARED = ROOT.parent / "shared" / "data" / "semeval2025-task10-en"
shipped = pytest.mark.skipif(not RoleModel(ROLES_DIR).available, reason="no role weights shipped")

# Written for these tests: a war report that names its actors several times each.
WAR = ("Moscow's forces struck a children's hospital in Kharkiv overnight\n\n"
       "Moscow's forces fired eleven missiles at Kharkiv overnight, hitting a children's hospital and two "
       "apartment blocks. Regional officials said nine civilians were killed and dozens were wounded.\n\n"
       "The mayor of Kharkiv, Ihor Terekhov, said rescuers were still searching the rubble. Terekhov "
       "called the strike a deliberate attack on the city's most vulnerable people.\n\n"
       "The Kremlin denied targeting civilians and said its forces had hit a military depot. The Kremlin "
       "has made similar claims after earlier strikes on Ukrainian cities during the war.\n\n"
       "Ukraine's air force said it shot down four of the missiles. Ukraine has asked its allies for more "
       "air defence systems to protect cities such as Kharkiv.")


def test_the_masked_window_hides_the_name_and_keeps_its_place():
    text = "Officials said that NATO had sent more troops to the border on Monday, a move that angered Moscow."
    s = text.index("NATO")
    window, ms, me = masked_window(text, s, s + 4, words=5)
    assert "NATO" not in window and window[ms:me] == MASK
    assert window == "Officials said that someone had sent more troops to"[:len(window)] or window.startswith("Officials")
    assert window.split() == ["Officials", "said", "that", MASK, "had", "sent", "more", "troops"][:4] + window.split()[4:]
    assert len(window.split()) == 3 + 1 + 5  # three words before (all there are), five after
    start = masked_window(text, 0, 9, words=3)  # a mention at the very start
    assert start[0].startswith(MASK) and start[1] == 0


def test_the_decision_rule():
    meta = {"main": ["Protagonist", "Antagonist", "Innocent"],
            "fine": ["Guardian", "Rebel", "Instigator", "Deceiver", "Victim"], "second_fine": 0.4}
    p = decide(meta, np.array([0.1, 0.8, 0.1]), np.array([0.5, 0.0, 0.3, 0.2, 0.0]))
    # The fine roles are those under the main role, renormalised: 0.3 / 0.5 of 0.8, then 0.2 / 0.5.
    assert p.main == "Antagonist" and p.fine == [("Instigator", 0.48), ("Deceiver", 0.32)]
    assert all(PARENT[f] == p.main for f, _ in p.fine)
    p = decide(meta, np.array([0.1, 0.8, 0.1]), np.array([0.0, 0.0, 0.45, 0.15, 0.4]))
    assert p.fine == [("Instigator", 0.6)]  # the second (0.25 of the share) is under 0.4
    assert decide(meta, np.array([0.2, 0.2, 0.6]), np.ones(5) / 5).fine == [("Victim", 0.6)]


def _ent(text: str, at: int, label: str) -> Entity:
    return Entity(start=at, end=at + len(text), text=text, label=label)


def test_main_entities_gather_mentions_and_rank_them():
    ents = [_ent("Vladimir Putin", 20, "PERSON"), _ent("the EU", 40, "ORG"), _ent("Putin", 50, "PERSON"),
            _ent("EU", 70, "ORG"), _ent("Putin's", 90, "PERSON"), _ent("Kharkiv", 120, "GPE"),
            _ent("Monday", 140, "DATE"), _ent("Zelensky", 0, "PERSON"), _ent("Ukrainian", 150, "NORP"),
            _ent("Ukrainian", 170, "NORP"), _ent("Ukrainians", 190, "NORP"), _ent("Ukrainians", 210, "NORP")]
    got = main_entities(ents, title_end=10)
    # Most mentions first; a tie goes to the entity named first. Zelensky is named once, but in
    # the headline, which counts once more; Kharkiv once in the body: not a main entity.
    assert [(e.name, len(e.spans)) for e in got] == [("Vladimir Putin", 3), ("Zelensky", 1), ("the EU", 2),
                                                     ("Ukrainians", 2)]  # a group; not the adjective
    assert main_entities(ents, title_end=None, limit=1)[0].name == "Vladimir Putin"
    assert main_entities([], title_end=None) == []


def test_labels_file_is_read_with_inclusive_ends_and_clear_errors(tmp_path):
    f = tmp_path / "gold.txt"
    f.write_text("a.txt\tNATO\t10\t13\tAntagonist\tInstigator\n\nb.txt\tKyiv\t0\t3\n")
    (m1, g1), (m2, g2) = read_labels(f)
    assert m1 == Mention("a.txt", "NATO", 10, 14) and g1 == RoleLabel("Antagonist", ("Instigator",))
    assert m2.end == 4 and g2 is None
    f.write_text("a.txt\tNATO\tten\t13\n")
    with pytest.raises(ValueError, match=r"gold.txt:1: start and end must be whole numbers"):
        read_labels(f)


def test_scores_are_the_tasks():
    gold = [RoleLabel("Antagonist", ("Instigator",)), RoleLabel("Innocent", ("Victim",)),
            RoleLabel("Protagonist", ("Guardian", "Virtuous"))]
    pred = [RoleLabel("Antagonist", ("Instigator",)), RoleLabel("Antagonist", ("Deceiver",)),
            RoleLabel("Protagonist", ("Guardian",))]
    s = score(gold, pred)
    assert s.exact_match == pytest.approx(1 / 3) and s.main_accuracy == pytest.approx(2 / 3)
    assert s.fine_precision == pytest.approx(2 / 3) and s.fine_recall == pytest.approx(2 / 4)
    assert s.per_main["Innocent"]["accuracy"] == 0.0


@shipped
def test_the_same_sentence_about_either_side_gets_the_same_role():
    m = get_roles()
    sentence = ("The invaders from {X} fired missiles at sleeping cities again overnight, ignoring every call "
                "for a ceasefire and promising that more strikes would follow.")
    out = []
    for actor in ("Russia", "Ukraine", "the United States"):
        text = sentence.replace("{X}", actor)
        s = text.index(actor)
        pm, pf = m.probabilities(mention_features(text, [(s, s + len(actor))]))
        out.append((m.predict(pm[0], pf[0]), pm[0]))
    assert all(p == out[0][0] for p, _ in out) and out[0][0].main == "Antagonist"
    assert np.allclose(out[0][1].sum(), 1.0, atol=1e-5)
    text = sentence.replace("{X}", "Russia")
    again = m.probabilities(mention_features(text, [(text.index("Russia"), text.index("Russia") + 6)]))[0]
    assert np.array_equal(again[0], out[0][1])  # no state between calls


@shipped
def test_the_component_gives_roles_with_their_mentions_on_a_war_article():
    doc = Pipeline(["nlp", "narratives", "roles"])(clean_article(read_text(WAR, "war.txt")))
    roles = doc.of_kind("role")
    assert roles, [f.label for f in doc.findings]
    names = {f.attrs["entity"] for f in roles}
    assert "Kharkiv" in names or "Kremlin" in names or "Moscow" in names
    for f in roles:
        assert f.label in ("Protagonist", "Antagonist", "Innocent") and 0 < f.confidence <= 1
        assert f.source.startswith("model:roles@") and doc.article.original[f.start:f.end] == f.text
        for s, e in f.attrs["mentions"]:
            assert doc.article.original[s:e]  # every supporting mention is an exact span
        assert all(PARENT[x["label"]] == f.label for x in f.attrs["fine"])
        assert f.attrs.get("below_display", False) == (f.confidence < 0.6)
    again = Pipeline(["nlp", "narratives", "roles"])(clean_article(read_text(WAR, "war.txt"))).of_kind("role")
    assert [f.model_dump() for f in again] == [f.model_dump() for f in roles]  # the same findings twice


@shipped
def test_no_roles_for_an_article_on_neither_topic():
    sport = ("City beat United in the derby\n\nManchester City beat Manchester United 3-1 on Sunday. City scored "
             "twice before half time and United pulled one back. City now lead the table by two points, and "
             "United's manager said his players had not been good enough. City play Arsenal next week.")
    doc = Pipeline(["nlp", "narratives", "roles"])(clean_article(read_text(sport, "sport.txt")))
    assert doc.of_kind("narrative")[0].label == "none" and doc.of_kind("role") == []


@shipped
def test_eval_command_writes_predictions_and_scores(tmp_path):
    from unspin.cli import app

    arts = tmp_path / "docs"
    arts.mkdir()
    (arts / "a.txt").write_text(WAR)
    s = WAR.index("The Kremlin denied")
    labels = tmp_path / "gold.txt"
    labels.write_text(f"a.txt\tKremlin\t{s + 4}\t{s + 10}\tAntagonist\tDeceiver\n"
                      "missing.txt\tNATO\t0\t3\tAntagonist\tInstigator\n")
    out = tmp_path / "pred.txt"
    res = CliRunner().invoke(app, ["models", "eval", "roles", "--articles", str(arts), "--labels", str(labels),
                                   "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    scores = json.loads(res.output)
    assert scores["mentions"] == 1 and scores["missing"] == ["missing.txt"]
    (row,) = [r.split("\t") for r in out.read_text().splitlines()]
    assert row[:4] == ["a.txt", "Kremlin", str(s + 4), str(s + 10)] and row[4] in ("Protagonist", "Antagonist", "Innocent")
    assert all(PARENT[f] == row[4] for f in row[5:]) and 1 <= len(row[5:]) <= 2
    bad = tmp_path / "bad.txt"
    bad.write_text("a.txt\tKremlin\tx\t3\n")
    res = CliRunner().invoke(app, ["models", "eval", "roles", "--articles", str(arts), "--labels", str(bad)])
    assert res.exit_code == 2 and "whole numbers" in res.output


@pytest.mark.skipif(not SHARED.exists(), reason="needs ../shared beside the checkout")
def test_a_tiny_model_trains_end_to_end(tmp_path):
    from training.roles import train

    train.main(["--out", str(tmp_path), "--limit", "80"])
    model = RoleModel(tmp_path)
    assert model.available and model.model_id == "roles@1"
    cv = json.loads((tmp_path / "cv.json").read_text())
    assert cv["mentions"] == 80 and {"grouped", "random", "references"} <= set(cv)
    assert "Entity roles" in (tmp_path / "MODEL_CARD.md").read_text()
    text = "Officials said the rebels had shelled the town again, killing two people."
    pm, pf = model.probabilities(mention_features(text, [(18, 24)]))
    assert pm.shape == (1, 3) and np.isclose(pm.sum(), 1.0, atol=1e-4)


# -- in comparisons -------------------------------------------------------------------------------
def _cast(doc, name: str, role: str, fine: str, confidence: float, label: str = "ORG", below: bool = False):
    from unspin.types import Finding

    s = doc.article.original.index(name)
    doc.findings.append(Finding(kind="role", label=role, start=s, end=s + len(name), text=name, confidence=confidence,
                                source="model:roles@test", attrs={
                                    "entity": name, "entity_label": label, "fine": [{"label": fine, "confidence": 0.4}],
                                    "mentions": [[s, s + len(name)]], **({"below_display": True} if below else {})}))


def _two_outlets():
    from _compare_docs import make_analysis

    a = make_analysis("NATO moved more troops to the eastern border on Monday, officials said. NATO said the "
                      "deployment was defensive. Vladimir Putin called it a provocation.", outlet="Wire")
    b = make_analysis("NATO keeps pushing its war machine towards Russia's borders. NATO's generals want a "
                      "war. Putin warned them again.", outlet="Daily Beacon")
    _cast(a, "NATO", "Protagonist", "Guardian", 0.66)
    _cast(b, "NATO", "Antagonist", "Instigator", 0.81)
    _cast(a, "Vladimir Putin", "Antagonist", "Tyrant", 0.7, label="PERSON")
    _cast(b, "Putin", "Antagonist", "Instigator", 0.9, label="PERSON")
    _cast(a, "officials", "Innocent", "Victim", 0.5, below=True)  # under the display level: not compared
    return a, b


def test_compare_sets_each_outlets_role_for_the_same_entity_side_by_side():
    from unspin.compare import compare

    a, b = _two_outlets()
    cmp = compare([a, b])
    groups = {g.entity: g for g in cmp.entity_roles}
    assert set(groups) == {"NATO", "Vladimir Putin"}  # "Putin" joins the full name; "officials" is not shown
    assert list(groups) == ["NATO", "Vladimir Putin"]  # cast differently first
    nato = groups["NATO"]
    assert nato.differs and {(r.article_id, r.role, tuple(r.fine)) for r in nato.roles} == {
        (a.article.id, "Protagonist", ("Guardian",)), (b.article.id, "Antagonist", ("Instigator",))}
    for r in nato.roles:
        doc = a if r.article_id == a.article.id else b
        assert doc.article.original[r.start:r.end] == "NATO"
    assert not groups["Vladimir Putin"].differs
    assert [x.entity for x in cmp.per_article[b.article.id].roles] == ["Putin", "NATO"]  # likeliest first
    assert all(x.entity != "officials" for x in cmp.per_article[a.article.id].roles)


def test_views_show_the_roles_each_outlet_gives():
    from rich.console import Console

    from unspin.compare import compare
    from unspin.present.html import render_report
    from unspin.present.markdown import render_markdown
    from unspin.present.terminal import print_analysis, print_comparison

    a, b = _two_outlets()
    cmp = compare([a, b])
    html = render_report([cmp], [a, b])
    table = html.split('class="entity-roles"', 1)[1].split("</table>", 1)[0]
    assert "NATO" in table and "(cast differently)" in table and "guardian" in table.lower()
    assert "instigator" in table.lower() and "as \u201cPutin\u201d" in table
    per_outlet = html.split('class="per-outlet"', 1)[1].split("</table>", 1)[0]
    assert "NATO: protagonist (Guardian)" in per_outlet and "officials" not in per_outlet
    column = html.split(f'data-article-id="{a.article.id}"', 1)[1].split("</article>", 1)[0]
    assert 'class="meta roles"' in column and "NATO protagonist (Guardian)" in column
    md = render_markdown([cmp], [a, b])
    assert "NATO: antagonist (Instigator)" in md
    console = Console(width=160, record=True)
    print_comparison(cmp, [a, b], console)
    text = console.export_text()
    assert "Entity roles" in text and "protagonist (Guardian)" in text and "antagonist (Instigator)" in text
    console = Console(width=160, record=True)
    print_analysis(a, console, body=False)
    header = console.export_text()
    assert "NATO protagonist (Guardian) 0.66" in header and "officials" not in header.split("roles", 1)[1]
