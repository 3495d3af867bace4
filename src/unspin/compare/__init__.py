"""Stage: compare. How the articles of one story differ.

    from unspin.compare import compare
    comparison = compare([analysis_a, analysis_b])   # -> Comparison

Findings (each with ``article_id``, an exact span in that article's original, a confidence, a
``rule:compare/...`` source and a one-sentence explanation):
``shared`` / ``only_here`` (sentences, and ``only_here`` quotes), ``fidelity`` (quote renderings:
identical | trimmed | paraphrased | altered), ``headline`` (headline or lede claims more than the
body), ``contrast`` (contested wording side by side), ``number`` (numbers/dates that disagree).
``Comparison.per_article`` holds per-outlet summaries; ``Comparison.attribution_graph`` who cites whom;
``Comparison.entity_roles`` the part each article gives the entities several of them cast.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from unspin.compare.align import AlignConfig, best_matches, left_out, similarity
from unspin.compare.align import findings as align_findings
from unspin.compare.attribution_graph import attribution_graph
from unspin.compare.contrasts import contrast_findings
from unspin.compare.divergence import top_divergence
from unspin.compare.headline import headline_findings
from unspin.compare.labels import article_order, unique_labels
from unspin.compare.numbers import number_findings
from unspin.compare.quote_groups import quote_groups
from unspin.compare.quotes import FidelityConfig, fidelity
from unspin.compare.roles import entity_roles
from unspin.compare.summary import entities_only_here, per_article
from unspin.compare.units import _POSSESSIVE, body_units, speeches
from unspin.group.text import numbers
from unspin.group.vectors import TextVectors
from unspin.types import Analysis, Comparison, Finding, LeftOutFact, QuoteGroup, Story, StoryMember

__all__ = ["CompareConfig", "compare"]


@dataclass(frozen=True)
class CompareConfig:
    align: AlignConfig = field(default_factory=AlignConfig)
    fidelity: FidelityConfig = field(default_factory=FidelityConfig)
    use_encoder: bool = True  # sentence encoder for semantic similarity, when installed


def compare(
    analyses: list[Analysis],
    story: Story | None = None,
    *,
    config: CompareConfig | None = None,
    vectors: TextVectors | None = None,
) -> Comparison:
    """Compare the analysed articles of one story. Articles that were not analysed (e.g. not
    English) appear in ``per_article`` with their reason and take no part in the comparison."""
    cfg = config or CompareConfig()
    # A fixed order (date, then id): the same articles compare alike however they came in (the
    # report reads them in the order given, the web app in the store's).
    analyses = _unique(analyses)
    story = story or _story_for(analyses)  # titled after the first article given
    analyses = sorted(analyses, key=lambda a: article_order(a.article))
    usable = [a for a in analyses if a.status == "analysed"]
    labels = unique_labels(analyses)
    if vectors is None and cfg.use_encoder and len(usable) > 1:
        vectors = TextVectors()
    units = {a.article.id: body_units(a) for a in usable}
    speech = {a.article.id: speeches(a) for a in usable}

    found: list[Finding] = []
    groups: list[QuoteGroup] = []
    quotes_alone: Counter = Counter()
    leaves_out: dict[str, list[LeftOutFact]] = {}
    if len(usable) > 1:
        sim = similarity(units, vectors)
        matches = best_matches(sim)
        copies = {m.article_id for m in story.members if m.relation != "member"}
        leaves_out = left_out(sim, {aid for aid in units if aid not in copies}, cfg.align)
        found += align_findings(matches, labels, cfg.align)
        fid, matched = fidelity(speech, labels, vectors, cfg.fidelity)
        found += fid
        groups = quote_groups(fid, {a.article.id: a.article.published for a in usable})
        found += _quotes_only_here(speech, matched, labels, quotes_alone)
        found += contrast_findings(usable, labels)
        found += number_findings(matches, {a.article.id: a for a in usable}, labels, cfg.align)
    for a in usable:
        found += headline_findings(a, units[a.article.id], speech[a.article.id])
    _mark_claims(found, usable)
    only_names = entities_only_here(usable)
    _mark_checkable(found, usable, only_names)

    graph = attribution_graph(usable)
    return Comparison(
        story=story,
        findings=found,
        per_article=per_article(analyses, found, graph, quotes_alone, leaves_out, only_names),
        attribution_graph=graph,
        quote_groups=groups,
        labels=labels,
        top_divergence=top_divergence(found, labels),
        entity_roles=entity_roles(usable),
    )


def _mark_claims(found: list[Finding], analyses: list[Analysis]) -> None:
    """What only one outlet says and a fact-checker could verify: an ``only_here`` sentence that
    holds one of its article's ``claim`` findings gets the claim's cue kinds (``attrs["claim"]``).
    The finding must hold the claim's evidence (a cue) itself: a one-word quote ("weird") in a
    sentence that is a claim is not a claim."""
    claims = {a.article.id: a.of_kind("claim") for a in analyses}
    for f in found:
        if f.kind != "only_here" or f.start is None or f.end is None:
            continue
        kinds = [cue["kind"] for c in claims.get(f.article_id or "", [])
                 if c.start is not None and c.end is not None and c.start < f.end and f.start < c.end
                 for cue in c.attrs.get("cues", []) if f.start <= cue["start"] and cue["end"] <= f.end]
        if kinds:
            f.attrs["claim"] = list(dict.fromkeys(kinds))
            f.explanation += f" It is a check-worthy claim ({', '.join(f.attrs['claim'])})."


# Who can be an actor of a story: people, organisations, countries and cities, groups.
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


def _mark_checkable(found: list[Finding], analyses: list[Analysis], only_names: dict[str, list[str]]) -> None:
    """Which only-here sentences the views mark (``attrs.marked``): those holding something a
    reader can check, which no other outlet carries: a claim (``_mark_claims``), a figure, a quote
    no other outlet has, or a named actor only this article names (``attrs.checkable`` says which). The rest, a
    sentence worded so that nothing else matches it, are listed apart, not underlined: marking
    every unmatched sentence marked most of each article."""
    only = {aid: {n.casefold() for n in names} for aid, names in only_names.items()}
    by_id = {a.article.id: a for a in analyses}
    lone_quotes: dict[str, list[Finding]] = {}  # quotes no other article carries, by article
    for f in found:
        if f.kind == "only_here" and f.label == "quote" and f.start is not None:
            lone_quotes.setdefault(f.article_id or "", []).append(f)
    for f in found:
        a = by_id.get(f.article_id or "")
        if f.kind != "only_here" or f.start is None or f.end is None or a is None:
            continue
        why: list[str] = []
        if f.attrs.get("claim"):
            why.append("claim")
        if any(_is_figure(n) for n in numbers(f.text)):
            why.append("figure")
        if f.label == "quote" or any(q.start is not None and q.end is not None and q.start < f.end and f.start < q.end
                                     for q in lone_quotes.get(a.article.id, [])):
            why.append("quote")  # words of someone that no other outlet quotes
        actors = [e.text for e in a.entities if e.label in ACTOR_LABELS and f.start <= e.start and e.end <= f.end
                  and _POSSESSIVE.sub("", e.text).casefold() in only.get(a.article.id, set())]
        if actors:
            why.append("actor")
            f.attrs["actors"] = list(dict.fromkeys(actors))
        f.attrs["marked"] = bool(why)
        f.attrs["checkable"] = why
        if not why:
            f.explanation += " Not marked: it holds no claim, figure, quote or name that only this outlet has."


def _is_figure(n) -> bool:
    """A number a reader could check: written in digits, or ten and more in words ("two sides"
    and "one of them" are not figures)."""
    if (n.unit or "").startswith("ordinal:"):
        return False
    return any(ch.isdigit() for ch in n.text) or n.value >= 10


def _unique(analyses: list[Analysis]) -> list[Analysis]:
    seen: set[str] = set()
    out = []
    for a in analyses:
        if a.article.id not in seen:
            seen.add(a.article.id)
            out.append(a)
    return out


def _story_for(analyses: list[Analysis]) -> Story:
    ids = sorted(a.article.id for a in analyses)
    sid = "story:" + hashlib.sha1("\n".join(ids).encode()).hexdigest()[:12]
    dates = [a.article.published for a in analyses if a.article.published]
    title = next((a.article.title_text for a in analyses if a.article.title_text), "")
    return Story(
        id=sid, title=title, members=[StoryMember(article_id=a.article.id) for a in analyses],
        first_seen=min(dates) if dates else None, last_seen=max(dates) if dates else None,
    )


def _quotes_only_here(speech, matched: set[int], labels: dict[str, str], counter: Counter) -> list[Finding]:
    out = []
    for aid, items in speech.items():
        for sp in items:
            # A scare quote ("so-called 'reforms'") is the writer's distance, not anyone's words.
            if sp.kind != "quote" or id(sp.finding) in matched:
                continue
            counter[aid] += 1
            who = sp.speaker or "an unnamed speaker"
            out.append(
                Finding(
                    kind="only_here", label="quote", start=sp.start, end=sp.end, text=sp.text,
                    confidence=0.7, source="rule:compare/quote-fidelity", article_id=aid,
                    explanation=f"No other article in this story quotes these words of {who}.",
                    attrs={"speaker": sp.speaker},
                )
            )
    return out
