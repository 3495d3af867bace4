"""Per-article summaries of a comparison: what each outlet says, quotes, names and cites."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rapidfuzz import fuzz

from unspin.analyse.attribution import names_own_outlet
from unspin.compare.attribution_graph import cited_media
from unspin.compare.roles import role_summary
from unspin.compare.units import named_entities
from unspin.group.text import words
from unspin.types import Analysis, ArticleSummary, Finding, LeftOutFact, TermUse


def _spellings(analyses: list[Analysis]) -> dict[str, str]:
    """Contested spellings of one name, from the lexicon's findings: "kiev" -> "kyiv"."""
    def norm(text: str) -> str:
        return " ".join(w for w in words(text) if w != "the")

    out: dict[str, str] = {}
    for a in analyses:
        for f in a.of_kind("term"):
            neutral = f.attrs.get("neutral")
            if f.attrs.get("category") == "contested-name" and isinstance(neutral, str) and neutral:
                out[norm(f.text)] = norm(neutral)
    return out


def entities_only_here(analyses: list[Analysis]) -> dict[str, list[str]]:
    """Entity names each article mentions and no other does (surnames and spelling variants
    such as Zelensky / Zelenskyy, or Kiev / Kyiv, count as the same entity). An article's own
    outlet ("Herald" in the Orsund Herald) is not a name it alone brings into the story."""
    spelling = _spellings(analyses)
    keys = {
        a.article.id: {spelling.get(k, k): w for k, w in named_entities(a).items()
                       if not names_own_outlet(w, a.article.outlet)}
        for a in analyses
    }
    out: dict[str, list[str]] = {}
    for aid, mine in keys.items():
        others = [k for bid, ks in keys.items() if bid != aid for k in ks]
        out[aid] = [
            written for key, written in mine.items()
            if not any(key == o or fuzz.ratio(key, o) >= 88 or _surname_of(key, o) or _surname_of(o, key)
                       for o in others)
        ]
    return out


def _surname_of(surname: str, full: str) -> bool:
    """A person is keyed by surname, but the tagger sometimes calls the same full name an
    organisation in another article ("Marieke de Vries" as ORG): its last word is the surname."""
    parts = full.split()
    return " " not in surname and 2 <= len(parts) <= 4 and parts[-1] == surname


def per_article(
    analyses: list[Analysis], findings: list[Finding], graph: dict[str, Any], quotes_only_here: Counter,
    leaves_out: dict[str, list[LeftOutFact]] | None = None,
    only_names: dict[str, list[str]] | None = None,
) -> dict[str, ArticleSummary]:
    """``only_names``: ``entities_only_here`` of the analysed articles, when the caller has it."""
    only = only_names if only_names is not None else entities_only_here([a for a in analyses if a.status == "analysed"])
    out: dict[str, ArticleSummary] = {}
    for a in analyses:
        art = a.article
        mine = [f for f in findings if f.article_id == art.id]
        # Words inside a quote are the speaker's: they do not count as the outlet's techniques.
        # Nor do findings under the display level: the summary says what the views show.
        techniques = Counter(f.label for f in a.of_kind("technique")
                             if not f.attrs.get("in_quote") and not f.attrs.get("below_display"))
        out[art.id] = ArticleSummary(
            label=art.label,
            outlet=art.outlet,
            title=art.title_text,
            status=a.status,
            status_reason=a.status_reason,
            counts=dict(Counter(f.kind for f in mine)),
            fidelity=dict(Counter(f.label for f in mine if f.kind == "fidelity")),
            quotes=len(a.of_kind("quote")),
            # whom it quotes and how often (direct and reported speech with a named speaker)
            quoted=dict(Counter(str(f.attrs["speaker"]) for f in a.of_kind("quote")
                                if f.attrs.get("speaker")).most_common()),
            # what most other outlets of the story carry and this one does not (align.left_out)
            leaves_out=(leaves_out or {}).get(art.id, []),
            quotes_only_here=quotes_only_here.get(art.id, 0),
            scare_quotes=list(dict.fromkeys(f.text for f in a.of_kind("scare_quote"))),
            terms=[
                TermUse(text=f.text or "", label=f.label, category=f.attrs.get("category"),
                        side=f.attrs.get("side"), in_quote=f.attrs.get("in_quote"),
                        speaker=f.attrs.get("speaker"), scare_quoted=bool(f.attrs.get("scare_quoted")))
                for f in a.of_kind("term")
            ],
            techniques=dict(techniques.most_common()),
            frames=[f.label for f in a.of_kind("frame")],
            # the narratives it tells ("Other": on the topic, none of them; absent: neither topic)
            narratives=[f.label for f in sorted(a.of_kind("narrative"), key=lambda f: -f.confidence)
                        if f.label != "none"],
            # the part it gives its main entities (shown roles only)
            roles=role_summary(a),
            genre=next((f.label for f in a.of_kind("genre")), None),
            entities_only_here=only.get(art.id, []),
            attributions=cited_media(graph, art.id),
        )
    return out
