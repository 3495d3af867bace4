"""Headline (and lede) versus body: flag a headline that claims more than the body supports.

A headline or lede "claims more" when it carries a strong marker — an absolute ("never", "all";
in an unattributed lede only the strong ones: "all crossings" is how wire copy states a fact),
a verb that turns a statement into a concession ("admits", "confesses"), or unhedged certainty
("will" where the body hedges) — and no related quote or sentence further down the same article carries a marker of
the same kind. When the headline attributes the claim to someone ("X admits ..."), only what that
person is quoted or reported as saying, or sentences naming them, count as support. A headline
also claims more when it uses a judging word (a loaded, dehumanising, delegitimising or
conspiratorial lexicon term, in its own voice) that the body never uses.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from unspin.compare.units import Speech, Unit, same_speaker, speaker_key
from unspin.group.text import ABSOLUTES, HEDGES, content_stems, stem, tokens
from unspin.types import Analysis, Finding, Span

SOURCE = "rule:compare/headline-support"

# Verbs that present what someone said as a concession or confession.
CONCESSION = frozenset({"admit", "admits", "admitted", "confess", "confesses", "confessed", "concede", "concedes",
                        "conceded", "acknowledge", "acknowledges", "acknowledged", "owns"})
CERTAINTY = frozenset({"will", "definitely", "certainly", "undeniably", "proves", "proven", "confirms", "confirmed"})
SPEECH_VERBS = frozenset(
    {"says", "said", "admits", "admitted", "claims", "declares", "declared", "vows", "warns", "concedes",
     "confesses", "insists", "reveals", "announces", "confirms", "denies", "tells", "accepts", "acknowledges"}
) | CONCESSION
# "never" is supported by a body saying "never"; "not ever"/"no longer" are weaker and do not count.
_CLASSES = {"absolute": ABSOLUTES - {"ever"}, "concession": CONCESSION, "certainty": CERTAINTY}
# Lexicon categories whose words judge rather than describe: in a headline they are the outlet's
# own choice, and one the body never uses is spin added on top of the story.
JUDGING = frozenset({"loaded", "dehumanising", "delegitimising", "conspiratorial"})
# Quantifiers that plain reporting uses for facts ("halting all crossings"): in a lede they are
# a claim only when the lede puts them in someone's mouth ("X said every train will stop").
QUANTIFIERS = frozenset({"all", "every", "none", "nothing", "everything"})


@dataclass
class Claim:
    kind: str  # "headline" | "lede"
    start: int
    end: int
    text: str


def claims(analysis: Analysis, body: list[Unit]) -> list[Claim]:
    """The headline (``Article.title``) and the first body sentence."""
    out = []
    title: Span | None = analysis.article.title
    if title is not None and title.text.strip():
        out.append(Claim("headline", title.start, title.end, title.text))
    if body:
        out.append(Claim("lede", body[0].start, body[0].end, body[0].text))
    return out


def markers(text: str) -> dict[str, list[str]]:
    ws = [t.norm for t in tokens(text)]
    found: dict[str, list[str]] = {}
    hedged = any(w in HEDGES for w in ws)
    for cls, vocab in _CLASSES.items():
        hits = [w for w in ws if w in vocab]
        if cls == "certainty" and hedged:
            hits = [w for w in hits if w != "will"]  # "may never" is hedged, not certain
        if hits:
            found[cls] = hits
    return found


def claim_speaker(claim: Claim, analysis: Analysis) -> str | None:
    """Who the headline says spoke: the person named right before a speech verb ("Zelensky admits")."""
    toks = tokens(claim.text)
    verb_at = next((t.start for t in toks if t.norm in SPEECH_VERBS), None)
    if verb_at is None:
        return None
    people = [
        e for e in analysis.entities
        if e.label == "PERSON" and e.start >= claim.start and e.end <= claim.start + verb_at
    ]
    if people:
        return speaker_key(people[-1].text)
    # "..., its leader Mia Ross said": the speaker may follow the verb.
    inside = [e for e in analysis.entities if e.label == "PERSON" and e.start >= claim.start and e.end <= claim.end]
    if inside:
        return speaker_key(inside[0].text)
    # No entities from the analyse stage: take the capitalised words just before the verb.
    before = claim.text[:verb_at].split()
    caps = [w for w in before[-3:] if w[:1].isupper()]
    return speaker_key(" ".join(caps)) if caps else None


def headline_findings(analysis: Analysis, body: list[Unit], speech: list[Speech]) -> list[Finding]:
    out: list[Finding] = []
    cs = claims(analysis, body)
    lede_end = body[0].end if body else -1
    for claim in cs:
        if claim.kind == "headline":
            out += _loaded_headline(analysis, claim)
        found = markers(claim.text)
        if not found:
            continue
        who = claim_speaker(claim, analysis)
        topic = content_stems(claim.text) - ({stem(who)} if who else set())
        evidence = _evidence(body, speech, who, topic, after=max(claim.end, lede_end))
        for cls, hits in found.items():
            if cls == "certainty" and not (who and any(_hedged(e) for e in evidence)):
                continue  # "will" is ordinary news prose unless the speaker's own words hedge
            if cls == "absolute" and claim.kind == "lede" and who is None:
                hits = [h for h in hits if h not in QUANTIFIERS]
                if not hits:
                    continue
            support = [e for e in evidence if _has_class(e, cls)]
            if support:
                continue
            out.append(_finding(analysis, claim, cls, hits, who, len(evidence)))
    return _once_per_marker(out)


def _once_per_marker(found: list[Finding]) -> list[Finding]:
    """A lede that repeats the headline's words is one finding, not two: the headline's, noting
    the lede (``attrs["lede_too"]``)."""
    heads = {(f.attrs["marker_class"], frozenset(h.lower() for h in f.attrs["markers"])): f
             for f in found if f.attrs.get("part") == "headline"}
    out = []
    for f in found:
        if f.attrs.get("part") == "lede":
            key_hits = frozenset(h.lower() for h in f.attrs["markers"])
            same = next((h for (cls, hits), h in heads.items()
                         if cls == f.attrs["marker_class"] and key_hits <= hits), None)
            if same is not None:
                same.attrs["lede_too"] = [f.start, f.end]
                same.explanation += " The lede repeats it."
                continue
        out.append(f)
    return out


def _loaded_headline(analysis: Analysis, claim: Claim) -> list[Finding]:
    """Judging words of the headline's own voice (lexicon terms outside quotes) that the body,
    quotes included, never uses."""
    terms = analysis.of_kind("term")
    body = {t.label for t in terms
            if t.start is not None and t.end is not None and (t.end <= claim.start or t.start >= claim.end)}
    own = [
        t for t in terms
        if t.start is not None and t.end is not None and claim.start <= t.start and t.end <= claim.end
        and t.attrs.get("category") in JUDGING
        and not t.attrs.get("in_quote") and not t.attrs.get("scare_quoted") and t.label not in body
    ]
    if not own:
        return []
    words = list(dict.fromkeys(t.text for t in own))
    listed = ", ".join(f"'{w}'" for w in words)
    return [Finding(
        kind="headline", label="headline:loaded", start=claim.start, end=claim.end, text=claim.text,
        confidence=0.6, source=SOURCE, article_id=analysis.article.id,
        explanation=f"The headline uses judging words ({listed}) that its body never uses, not even in a quote.",
        attrs={"part": "headline", "marker_class": "loaded", "markers": words, "speaker": None,
               "terms": [{"label": t.label, "start": t.start, "end": t.end, "source": t.source} for t in own]},
    )]


def _evidence(body: list[Unit], speech: list[Speech], who: str | None, topic: AbstractSet[str], after: int
              ) -> list[str]:
    """Texts further down the article that speak to the claim's topic (and its speaker, if any)."""
    texts = []
    for sp in speech:
        if sp.start < after:
            continue
        if who and not same_speaker(who, sp.speaker_key):
            continue
        if topic & content_stems(sp.text):
            texts.append(sp.text)
    for u in body:
        if u.start < after or not (topic & u.stems):
            continue
        if who and not any(same_speaker(who, w) for w in u.stems | {t.norm for t in tokens(u.text)}):
            continue
        texts.append(u.text)
    return texts


def _hedged(text: str) -> bool:
    return any(t.norm in HEDGES for t in tokens(text))


def _has_class(text: str, cls: str) -> bool:
    ws = {t.norm for t in tokens(text)}
    return bool(ws & _CLASSES[cls])


_WHAT = {
    "absolute": "an absolute ({hits})",
    "concession": "a concession verb ({hits})",
    "certainty": "certainty ({hits})",
}


def _finding(analysis: Analysis, claim: Claim, cls: str, hits: list[str], who: str | None, n_evidence: int) -> Finding:
    what = _WHAT[cls].format(hits=", ".join(dict.fromkeys(hits)))
    by = f" by or about {who.title()}" if who else ""
    return Finding(
        kind="headline", label=f"{claim.kind}:{cls}", start=claim.start, end=claim.end, text=claim.text,
        confidence=0.75 if n_evidence else 0.55,  # less sure when the body barely touches the topic
        source=SOURCE, article_id=analysis.article.id,
        explanation=f"The {claim.kind} uses {what}, but no related quote or sentence{by} in the body says as much.",
        attrs={"part": claim.kind, "marker_class": cls, "markers": hits, "speaker": who,
               "related_body_texts": n_evidence},
    )
