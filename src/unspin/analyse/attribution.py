"""Component ``attribution``: where an article says it got its information from another outlet.

"The Sun reported", "according to Daily Mail", "as per Newsweek via MSN", "told RT",
"reports the Guardian", "in an interview with BBC", "Reuters said". An outlet is a name from the
curated ``media.toml`` (matched case-sensitively: outlet names are proper nouns), or a spaCy ORG
entity that looks like an outlet ("Kyiv Daily News") -- the latter only next to a reporting
pattern and with lower confidence. A person's name never counts: "Zelensky said" is a quote,
not a media attribution, and a list name inside a PERSON entity ("Michael J. Fox") is skipped.
An article naming its own outlet ("Sollen told the Herald" in the Orsund Herald) cites nobody:
such a mention is not an attribution to other media.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from unspin.analyse.nlp import paragraph_parses
from unspin.analyse.pipeline import register
from unspin.types import Analysis, Finding

MEDIA_FILE = "media.toml"
# Words that make an unlisted organisation name look like a news outlet.
MEDIA_WORDS = frozenset(
    [
        "News",
        "Times",
        "Post",
        "Journal",
        "Herald",
        "Telegraph",
        "Gazette",
        "Tribune",
        "Daily",
        "TV",
        "Television",
        "Radio",
        "Agency",
        "Press",
        "Media",
        "Channel",
        "Broadcasting",
        "Observer",
        "Examiner",
        "Chronicle",
        "Mirror",
        "Express",
        "Magazine",
        "Review",
        "Pravda",
        "Vedomosti",
        "Today",
        "Weekly",
        "Online",
        "Network",
        "Bulletin",
        "Insider",
        "Independent",
        "Standard",
        "Star",
    ]
)
# The small NER model files unfamiliar titles under any of these ("the Odesa Evening Herald": LAW).
_OUTLET_LABELS = frozenset({"ORG", "WORK_OF_ART", "LAW", "EVENT", "PRODUCT", "FAC"})
_VERBS_AFTER = (
    r"reported|reports|said|says|wrote|writes|claimed|claims|revealed|reveals|quoted|quotes|cited|cites|"
    r"noted|notes|added|adds|learned|learnt|understands|confirmed|confirms|published|publishes|"
    r"broadcast|aired|stated|states|announced|announces|estimated|estimates|found|finds"
)
# Pattern before the outlet name; the group name is the pattern id reported in attrs.
_BEFORE = re.compile(
    r"(?:"
    r"(?P<according_to>\baccording\s+to)"
    r"|(?P<as_per>\bas\s+per)"
    r"|(?P<per>(?<![\w%])per)"
    r"|(?P<citing>\b(?:citing|quoting))"
    r"|(?P<reported_by>\b(?:reported|cited|quoted|published|revealed|first\s+reported)\s+by)"
    r"|(?P<interview>\b(?:in\s+an?\s+(?:exclusive\s+)?interview\s+(?:with|to|on|for)|interviewed\s+by|speaking\s+(?:to|with|on)|in\s+comments\s+to|an?\s+(?:exclusive\s+)?interview\s+(?:with|to)))"
    r"|(?P<told>\b(?:told|tells|telling|said\s+to|wrote\s+(?:in|for)|writing\s+(?:in|for)|said\s+on|appeared\s+on|in\s+a\s+(?:report|statement|piece|column|op-ed|article)\s+(?:by|in|for|from|on)|an?\s+(?:report|article|piece)\s+(?:by|in|from)))"
    r"|(?P<verb_media>\b(?:reported|reports|said|says|writes|wrote|added|adds|noted|notes))"
    r")\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_AFTER = re.compile(rf"\s+(?:(?:has|had|have|also|first|earlier|later)\s+)*(?:{_VERBS_AFTER})\b")
_CLAUSE_END = re.compile(r"\s*(?:[.,;:)]|$)")
_VIA = re.compile(r"\s*,?\s*(?:via|through|citing|quoting|which\s+cited)\s+")


@dataclass(frozen=True)
class Outlet:
    name: str
    kind: str
    country: str


@lru_cache(maxsize=1)
def load_media() -> tuple[str, dict[str, Outlet], re.Pattern[str]]:
    """(file@version, alias -> outlet, regex matching any alias) from the packaged media list."""
    data = tomllib.loads(resources.files("unspin.analyse").joinpath(MEDIA_FILE).read_text("utf-8"))
    by_alias: dict[str, Outlet] = {}
    for row in data["outlet"]:
        outlet = Outlet(row["name"], row.get("kind", ""), row.get("country", ""))
        for alias in [row["name"], *row.get("aliases", [])]:
            by_alias[alias] = outlet
    alternation = "|".join(re.escape(a) for a in sorted(by_alias, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")
    return f"{MEDIA_FILE}@{data['version']}", by_alias, pattern


def _outlet_words(name: str) -> list[str]:
    words = re.findall(r"[\w']+", name.lower())
    return words[1:] if words[:1] == ["the"] else words


def names_own_outlet(name: str, outlet: str | None) -> bool:
    """Whether ``name`` is the article's own outlet, in full or shortened from the front
    ("Herald" or "Orsund Herald" for "The Orsund Herald"; "Mail" for "Daily Mail")."""
    mine, named = _outlet_words(outlet or ""), _outlet_words(name)
    if not mine or not named:
        return False
    return mine[-len(named) :] == named


@dataclass
class _Mention:
    start: int  # local to the paragraph
    end: int
    name: str
    listed: bool


def _media_mentions(text: str, ents) -> list[_Mention]:
    _, by_alias, pattern = load_media()
    persons = [(e.start_char, e.end_char) for e in ents if e.label_ == "PERSON"]
    found: list[_Mention] = []
    for m in pattern.finditer(text):
        # a listed name inside a longer person's name ("Michael J. Fox") is the person; a bare
        # outlet name the small NER model calls PERSON ("told RT") is still the outlet
        if any(a <= m.start() < b and (a, b) != m.span() for a, b in persons):
            continue
        found.append(_Mention(m.start(), m.end(), by_alias[m.group()].name, True))
    taken = [(f.start, f.end) for f in found]
    for e in ents:
        if e.label_ not in _OUTLET_LABELS or not (set(e.text.split()) & MEDIA_WORDS):
            continue
        if any(a < e.end_char and e.start_char < b for a, b in taken):
            continue
        start = e.start_char + (4 if e.text.lower().startswith("the ") else 0)
        found.append(_Mention(start, e.end_char, e.text[start - e.start_char :], False))
    return sorted(found, key=lambda f: f.start)


def _via_chain(text: str, mention: _Mention, mentions: list[_Mention]) -> tuple[list[str], int]:
    """Outlets chained after the first one ("Newsweek via MSN"): their names and the new end."""
    via: list[str] = []
    end = mention.end
    while True:
        m = _VIA.match(text, end)
        if not m:
            return via, end
        nxt = next((x for x in mentions if x.start == m.end()), None)
        if nxt is None:
            return via, end
        via.append(nxt.name)
        end = nxt.end


@register("attribution")
class Attribution:
    name = "attribution"
    version = "1.1"
    requires: tuple[str, ...] = ()
    reads: tuple[str, ...] = ("parse",)
    assigns: tuple[str, ...] = ("attribution",)

    def __call__(self, doc: Analysis) -> Analysis:
        article = doc.article
        if not article.paragraphs:
            return doc
        for para, parsed in zip(article.paragraphs, paragraph_parses(doc), strict=True):
            text = article.original[para.start : para.end]
            for start, end, mention, via, pattern in self._find(text, parsed.ents):
                if names_own_outlet(mention.name, article.outlet):
                    continue
                s, e = para.start + start, para.start + end
                where = f" (via {', '.join(via)})" if via else ""
                doc.findings.append(
                    Finding(
                        kind="attribution",
                        label=mention.name,
                        start=s,
                        end=e,
                        text=article.original[s:e],
                        confidence=0.9 if mention.listed else 0.6,
                        source=f"rule:attribution-{pattern.replace('_', '-')}",
                        explanation=f"The article attributes information to {mention.name}{where}.",
                        attrs={
                            "media": mention.name,
                            "via": via,
                            "pattern": pattern,
                            "listed": mention.listed,
                        },
                    )
                )
        return doc

    def _find(self, text: str, ents):
        mentions = _media_mentions(text, ents)
        chained_ends: set[int] = set()
        for mention in mentions:
            if mention.start in chained_ends:
                continue  # already reported as the "via" part of an earlier attribution
            before = _BEFORE.search(text, max(0, mention.start - 60), mention.start)
            after = _AFTER.match(text, mention.end)
            if before is None and after is None:
                continue
            via, via_end = _via_chain(text, mention, mentions)
            chained_ends.update(m.start for m in mentions if mention.end < m.start < via_end)
            if before is not None:
                pattern = next(k for k, v in before.groupdict().items() if v)
                if pattern == "verb_media" and not _CLAUSE_END.match(text, via_end):
                    # "said CNN." is an attribution; "said CNN was lying" is not
                    before = None
            if before is not None:
                yield before.start(), via_end, mention, via, pattern
            elif after is not None:
                yield mention.start, max(via_end, after.end()), mention, via, "media_verb"
