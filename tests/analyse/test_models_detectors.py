"""The shipped detectors on hand-written sentences, through the registered ``models`` component."""

from functools import cache

import numpy as np
import pytest

from unspin.analyse.models.component import FINDINGS_REVISION, ModelsComponent
from unspin.analyse.models.detectors import get_detectors
from unspin.analyse.models.labels import FRAMES, GENRES, TECHNIQUES
from unspin.analyse.pipeline import Pipeline, default_component_names, registered
from unspin.types import Analysis, Article, Paragraph, Span

pytestmark = pytest.mark.skipif(not get_detectors().available, reason="detector weights not shipped")

LOADED = ("The corrupt, warmongering regime of thugs and pathological liars is destroying our great nation "
          "with its insane, criminal and utterly disgraceful policies.")
NEUTRAL = ("The central bank kept its benchmark interest rate unchanged at 4.5 percent on Thursday, "
           "in line with the expectations of economists polled by the agency.")
SWAP = ("The warmongering {actor} and its lying propaganda machine will stop at nothing to drag "
        "the whole world into a catastrophic war.")


def make_article(title: str, paragraphs: list[str]) -> Article:
    original = title + "\n\n" + "\n\n".join(paragraphs) + "\n"
    pars, pos = [], len(title) + 2
    for i, p in enumerate(paragraphs):
        pars.append(Paragraph(start=pos, end=pos + len(p), text=p, index=i, line=3 + 2 * i))
        pos += len(p) + 2
    return Article(id=f"t{abs(hash(original))}", original=original,
                   title=Span(start=0, end=len(title), text=title) if title else None, paragraphs=pars)


@cache
def run(title: str, paragraphs: tuple[str, ...]) -> Analysis:
    return ModelsComponent()(Analysis(article=make_article(title, list(paragraphs))))


def labels_in(doc: Analysis, paragraph: int) -> set[str]:
    return {f.label for f in doc.of_kind("technique") if f.attrs["paragraph"] == paragraph}


def test_component_registered_and_in_default_pipeline():
    assert "models" in registered()
    names = default_component_names()
    assert "models" in names and names.index("models") > names.index("declared")  # after the rule components


def test_loaded_language_and_name_calling_flagged_with_spans():
    doc = run("", (LOADED,))
    found = labels_in(doc, 0)
    assert found & {"Loaded_Language", "Name_Calling-Labeling"}, found
    spans = [f for f in doc.of_kind("technique") if f.attrs["level"] == "span"]
    assert spans, "a paragraph label should be backed by a span"
    para = doc.article.paragraphs[0]
    for f in spans:
        assert para.start <= f.start < f.end <= para.end
        assert f.end - f.start < len(para.text) or len(spans) == 1


def test_neutral_wire_sentence_gets_no_technique():
    doc = run("", (NEUTRAL,))
    assert doc.of_kind("technique") == []


@pytest.mark.parametrize("pair", [("Kremlin", "White House"), ("Russian government", "American government"),
                                  ("Putin", "Biden"), ("Moscow", "Washington")])
def test_actor_swap_gives_same_findings(pair):
    a, b = (run(f"{actor} accused", (SWAP.format(actor=actor), NEUTRAL)) for actor in pair)
    assert labels_in(a, 0) == labels_in(b, 0)
    assert labels_in(a, 0), "the swapped sentence is loaded; it should be flagged on both sides"

    def summary(doc):
        return sorted((f.kind, f.label, f.attrs.get("level"), f.confidence) for f in doc.findings)

    assert summary(a) == summary(b)


def test_findings_are_evidence():
    doc = run("Outrage as the minister lies again", (LOADED, NEUTRAL, SWAP.format(actor="opposition")))
    src = get_detectors().model_id
    original = doc.article.original
    for f in doc.findings:
        assert f.source == f"model:{src}"
        assert 0.0 <= f.confidence <= 1.0
        assert f.explanation
        if f.start is not None:
            assert original[f.start : f.end] == f.text
    assert {f.label for f in doc.of_kind("technique")} <= set(TECHNIQUES)
    assert {f.label for f in doc.of_kind("frame")} <= set(FRAMES)
    genre = doc.of_kind("genre")
    assert len(genre) == 1 and genre[0].label in [*GENRES, "mixed"]
    for f in doc.of_kind("frame"):
        assert all(0 <= i < 3 for i in f.attrs["paragraphs"])
    # every paragraph-level label lists the spans that back it, and those spans exist as findings
    span_keys = {(f.label, f.start, f.end) for f in doc.of_kind("technique") if f.attrs["level"] == "span"}
    for f in doc.of_kind("technique"):
        if f.attrs["level"] == "paragraph":
            assert all((f.label, s, e) in span_keys for s, e in f.attrs["spans"])


def test_predictions_are_stable():
    art = make_article("A headline", [LOADED, NEUTRAL])
    one = ModelsComponent()(Analysis(article=art)).findings
    two = ModelsComponent()(Analysis(article=art)).findings
    assert [(f.kind, f.label, f.start, f.end, f.confidence) for f in one] == \
           [(f.kind, f.label, f.start, f.end, f.confidence) for f in two]


def test_pipeline_runs_models_component_on_unparagraphed_article():
    text = "Headline about rates\n\n" + NEUTRAL + "\n\n" + LOADED + "\n"
    art = Article(id="raw1", original=text, title=Span(start=0, end=20, text=text[:20]))
    doc = Pipeline(["models"])(art)
    # the bundle's version, then the revision of what the component makes of its predictions
    assert doc.components == [f"models@{get_detectors().model_id.split('@')[1]}.{FINDINGS_REVISION}"]
    assert any(f.kind == "genre" for f in doc.findings)
    for f in doc.findings:
        assert f.article_id == "raw1"
        if f.start is not None:
            assert text[f.start : f.end] == f.text


def test_threads_sharing_the_detectors_get_the_same_results():
    """The web app's worker and request threads share one Detectors: no cross-talk."""
    from concurrent.futures import ThreadPoolExecutor

    det = get_detectors()
    inputs = [("Headline one", [LOADED, NEUTRAL]), ("", [SWAP.format(actor="Kremlin")]), ("Another", [NEUTRAL] * 3)]
    alone = [det.predict(t, p) for t, p in inputs]
    with ThreadPoolExecutor(3) as pool:
        together = list(pool.map(lambda tp: det.predict(*tp), inputs * 3))
    for i, pred in enumerate(together):
        ref = alone[i % len(inputs)]
        assert [p.labels for p in pred.paragraphs] == [p.labels for p in ref.paragraphs]
        assert all((a.probs == b.probs).all() for a, b in zip(pred.paragraphs, ref.paragraphs, strict=False))


def test_fast_mode_leaves_the_network_out_and_still_flags_loaded_language():
    from unspin.analyse.models.detectors import Detectors

    fast = Detectors(fast=True)
    pred = fast.predict("", [LOADED, NEUTRAL])
    assert fast.session is None
    assert fast.model_id.endswith("@" + get_detectors().model_id.split("@")[1])
    assert "-fast@" in fast.model_id or not get_detectors().manifest.get("network")
    assert {"Loaded_Language", "Name_Calling-Labeling"} & set(pred.paragraphs[0].labels)
    assert pred.paragraphs[1].labels == []
    for hit in pred.paragraphs[0].spans:  # sentence-level spans inside the paragraph
        assert 0 <= hit.start < hit.end <= len(LOADED)
    # frames and genre never read the network (so `models eval frames|genre` runs without it)
    full = get_detectors().predict("A title", [LOADED, NEUTRAL])
    quick = fast.predict("A title", [LOADED, NEUTRAL])
    assert np.array_equal(full.frame_probs, quick.frame_probs) and full.frames == quick.frames
    assert np.array_equal(full.genre_probs, quick.genre_probs)


def test_frame_findings_name_the_words_that_raise_them():
    paragraphs = (
        "Troops and tanks massed along the border as the army warned of an imminent attack.",
        "Air defence units shot down missiles over the capital, the defence ministry said.",
        "Vladimir Putin and NATO commanders traded threats as soldiers dug new trenches.",
        SWAP.format(actor="Kremlin"),
    )
    doc = run("Army warns of attack as troops mass at border", paragraphs)
    frames = doc.of_kind("frame")
    assert "Security_and_defense" in {f.label for f in frames}
    original = doc.article.original
    for f in frames:
        cues = f.attrs["cues"]
        assert cues and all(c["share"] > 0 for c in cues)
        for c in cues:  # each word is where the finding says, as written
            assert original[c["start"] : c["end"]].lower() == c["word"].lower()
        # names are masked before the head reads the text: never evidence for a frame
        assert not {c["word"].lower() for c in cues} & {"putin", "vladimir", "nato", "kremlin"}
        assert cues[0]["word"] in f.explanation
    security = next(f for f in frames if f.label == "Security_and_defense")
    assert {c["word"].lower() for c in security.attrs["cues"]} & {"troops", "army", "defence", "missiles", "soldiers", "attack"}


def test_a_few_words_get_no_frame_or_genre_claim():
    doc = run("Short", ("Officials met on Monday.",))
    assert doc.of_kind("genre") == [] and doc.of_kind("frame") == []


def test_network_reads_only_the_paragraphs_the_stacker_is_unsure_of(monkeypatch):
    det = get_detectors()
    det.load()
    if det.session is None:
        pytest.skip("bundle without network")
    assert 0.0 <= det.net_gate < 0.5
    read: list[list[int]] = []
    real = det._run
    monkeypatch.setattr(det, "_run", lambda text, ctx: read.append(text) or real(text, ctx))
    pred = det.predict("", [LOADED, NEUTRAL])
    # the loaded paragraph is read by the network and its label is backed by a token-level span
    assert len(read) >= 1
    assert pred.paragraphs[0].labels and pred.paragraphs[0].spans
    stack_top = [float(p.probs.max()) for p in pred.paragraphs]
    if det.net_gate > 0:
        # the neutral wire paragraph is one the stacker is sure of: it skips the network
        assert len(read) == 1, stack_top
    assert pred.paragraphs[1].labels == []


def test_predict_many_overlaps_articles_without_changing_results():
    det = get_detectors()
    items = [("Headline one", [LOADED, NEUTRAL]), ("", [SWAP.format(actor="Kremlin")]), ("", []),
             ("Another", [NEUTRAL] * 3)]
    alone = [det.predict(t, p) for t, p in items]
    many = list(det.predict_many(iter(items)))
    assert len(many) == len(items)
    for a, b in zip(alone, many, strict=False):
        assert [p.labels for p in a.paragraphs] == [p.labels for p in b.paragraphs]
        assert all(np.array_equal(x.probs, y.probs) for x, y in zip(a.paragraphs, b.paragraphs, strict=False))
        assert [(h.technique, h.start, h.end) for p in a.paragraphs for h in p.spans] == \
               [(h.technique, h.start, h.end) for p in b.paragraphs for h in p.spans]
        assert a.frames == b.frames and a.genre == b.genre
    assert many[2].paragraphs == [] and many[2].title is None


@pytest.mark.parametrize("actor", ["Kremlin", "White House"])
def test_lexicon_places_the_models_loaded_language_on_its_words(actor):
    from unspin.clean import clean_article

    text = "Leaders trade accusations\n\n" + SWAP.format(actor=actor) + "\n\n" + NEUTRAL + "\n"
    art = Article(id=f"g{len(actor)}", original=text, title=Span(start=0, end=25, text=text[:25]))
    doc = Pipeline()(clean_article(art))
    spans = [f for f in doc.of_kind("technique") if f.attrs["level"] == "span"]
    # "warmongering" is marked, by the token head or else by the lexicon's entry
    assert ("Loaded_Language", "warmongering") in {(f.label, f.text) for f in spans}
    located = [f for f in spans if f.attrs.get("located_by")]
    assert located, "the lexicon's other loaded words in the paragraph are placed too"
    # a lexicon span never repeats words the token head already marks for the same label
    for f in located:
        assert not any(g.label == f.label and not g.attrs.get("located_by") and g.start < f.end and f.start < g.end
                       for g in spans)
    for f in located:
        assert f.attrs["located_by"].startswith("lexicon:") and f.source.startswith("model:")
        assert text[f.start : f.end] == f.text
        para = [p for p in doc.of_kind("technique") if p.attrs["level"] == "paragraph"
                and p.label == f.label and p.attrs["paragraph"] == f.attrs["paragraph"]]
        assert len(para) == 1 and [f.start, f.end] in para[0].attrs["spans"]
        assert f.confidence <= para[0].confidence


def test_grounding_takes_in_the_target_of_name_calling_and_ignores_other_categories():
    from unspin.analyse.models.grounding import lexicon_spans
    from unspin.types import Finding

    text = "Yesterday the warmongering Vladimir Putin spoke of a special military operation."
    unit = Span(start=0, end=len(text), text=text)

    def term(word, category, target=None):
        a = text.index(word)
        return Finding(kind="term", label=word, start=a, end=a + len(word), text=word, confidence=0.9,
                       source="lexicon:test@1", attrs={"category": category, "target": target})

    terms = [term("warmongering", "loaded", "Vladimir Putin"), term("special military operation", "euphemism")]
    named = lexicon_spans(text, unit, "Name_Calling-Labeling", terms)
    assert [text[s.start : s.end] for s in named] == ["warmongering Vladimir Putin"]
    loaded = lexicon_spans(text, unit, "Loaded_Language", terms)
    assert [text[s.start : s.end] for s in loaded] == ["warmongering"]  # a euphemism is not loaded language
    assert lexicon_spans(text, unit, "Doubt", terms) == []
    outside = Span(start=0, end=10, text=text[:10])
    assert lexicon_spans(text, outside, "Loaded_Language", terms) == []


def test_a_close_genre_call_is_shown_as_mixed():
    from unspin.analyse.models.labels import CONFIDENT_GENRE

    art = make_article("Outrage as the minister lies again", [LOADED, NEUTRAL, SWAP.format(actor="opposition")])
    component = ModelsComponent()
    units = art.body_spans()
    pred = component.detectors.predict(art.title.text, [u.text for u in units])
    pred.genre_probs = np.array([0.44, 0.56, 0.0])  # a coin toss between reporting and opinion
    (genre,) = [f for f in component.findings(art, units, pred) if f.kind == "genre"]
    assert genre.label == "mixed" and genre.attrs["leaning"] == "opinion" and genre.confidence < CONFIDENT_GENRE
    assert "cannot tell" in genre.explanation
    pred.genre_probs = np.array([0.10, 0.85, 0.05])
    (genre,) = [f for f in component.findings(art, units, pred) if f.kind == "genre"]
    assert genre.label == "opinion" and "leaning" not in genre.attrs and "runner_up" not in genre.attrs
    # sure, but with a runner-up over CLOSE_GENRE: the finding says so, for every view to show
    pred.genre_probs = np.array([0.02, 0.70, 0.28])
    (genre,) = [f for f in component.findings(art, units, pred) if f.kind == "genre"]
    assert genre.label == "opinion" and genre.attrs["runner_up"] == {"label": "satire", "probability": 0.28}
    assert "satire is next at 0.28" in genre.explanation


def test_display_level_marks_weak_labels_and_keeps_one_highlight_per_label():
    """Every technique finding carries its label's calibrated probability; a label under the
    display level is marked below_display (kept, not shown by default), and of a shown label
    one highlight is shown: the others are marked as weaker spans."""
    from collections import defaultdict

    from unspin.analyse.models.labels import DISPLAY_TECHNIQUE

    doc = run("Outrage as the minister lies again", (LOADED, NEUTRAL, SWAP.format(actor="opposition")))
    labels = {(f.attrs["paragraph"], f.label): f for f in doc.of_kind("technique") if f.attrs["level"] == "paragraph"}
    assert labels
    shown_spans = defaultdict(int)
    for f in doc.of_kind("technique"):
        label = labels[(f.attrs["paragraph"], f.label)]
        assert f.attrs["label_confidence"] == label.confidence
        weak_label = label.confidence < DISPLAY_TECHNIQUE
        if f.attrs["level"] == "paragraph":
            assert bool(f.attrs.get("below_display")) == weak_label
        elif weak_label:
            assert f.attrs.get("below_display")
        elif not f.attrs.get("below_display"):
            shown_spans[(f.attrs["paragraph"], f.label)] += 1
        else:
            assert f.attrs.get("weaker_span")
    for key, label in labels.items():  # no lexicon ran here: the token head's strongest stretch
        if label.confidence >= DISPLAY_TECHNIQUE and label.attrs["spans"]:
            assert shown_spans[key] == 1
