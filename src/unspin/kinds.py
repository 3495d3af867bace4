"""Every kind of finding in one place: what it means, which stage makes it, and how the views
show it. Adding a kind is one entry here, then regenerating the JSON schemas
(``python -m unspin.present.jsonout``); the type ``FindingKind`` and every view read this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal


@dataclass(frozen=True)
class Kind:
    name: str
    stage: Literal["clean", "analyse", "compare"]
    meaning: str
    title: str  # a heading for lists and charts of this kind
    # Article level: about the whole article (no span), shown in headers and lists, not in the text.
    article_level: bool = False
    terminal_style: str | None = None  # Rich style of its spans in the terminal's highlighted body
    highlight: int | None = None  # drawn in the text of HTML views; the rank decides which shows on overlap
    listed: bool = False  # listed beside the article in HTML views (spanless findings of this kind)
    charted: bool = False  # counted by label in the outlet page's charts
    not_charted: frozenset[str] = frozenset()  # labels that say "nothing found": counted, not charted
    # Charted per this attribute: "Russia: antagonist", not "Antagonist" (a role means nothing
    # without whom it is given to); findings under their display level are not counted.
    chart_by: str | None = None


# The order is the order of the JSON schema's enum and of the terminal's legend.
_KINDS = (
    Kind("technique", "analyse", "persuasion technique (SemEval-2023 taxonomy), span or paragraph level",
         "Persuasion techniques", terminal_style="underline magenta", highlight=0, listed=True, charted=True),
    Kind("frame", "analyse", "framing (14 frames), article level", "Frames",
         article_level=True, listed=True, charted=True),
    Kind("genre", "analyse", "reporting / opinion / satire, article level", "Genre", article_level=True, listed=True),
    Kind("narrative", "analyse", "a narrative of the SemEval-2025 Task 10 taxonomy (war in Ukraine, climate), "
         "article level", "Narratives", article_level=True, listed=True, charted=True, not_charted=frozenset({"none"})),
    Kind("role", "analyse", "the part an article gives one of its main entities: protagonist, antagonist or "
         "innocent, with a fine role (SemEval-2025 Task 10 taxonomy)", "Entity roles", charted=True,
         chart_by="entity"),
    Kind("term", "analyse", "loaded or contested wording from the lexicon", "Loaded or contested terms",
         terminal_style="bold yellow", highlight=1, charted=True),
    Kind("quote", "analyse", "direct quote with speaker", "Quotes", terminal_style="cyan", highlight=8),
    Kind("scare_quote", "analyse", 'words the writer sets in quote marks to keep a distance ("so-called "reforms"")',
         "Scare quotes"),
    Kind("title", "analyse", "a name in quote marks: a show, a book, a bill, a slogan; not speech", "Titles"),
    Kind("reported_speech", "analyse", "indirect / reported speech", "Reported speech",
         terminal_style="dim cyan", highlight=9),
    Kind("attribution", "analyse", "attribution to another media outlet", "Attributions to media",
         terminal_style="bold blue", highlight=7),
    Kind("date", "analyse", "absolute or relative date, resolved when possible", "Dates", terminal_style="green"),
    Kind("entity", "analyse", "named entity", "Names"),
    Kind("claim", "analyse", "a check-worthy statement", "Claims", terminal_style="italic"),
    Kind("boilerplate", "clean", "text removed by cleaning (caption, tag list, widget ...)", "Removed by cleaning"),
    Kind("fidelity", "compare", "a quote rendered differently across outlets", "Quote fidelity", highlight=2),
    Kind("headline", "compare", "headline claims more than the body", "Headline against body",
         highlight=3, listed=True),
    Kind("only_here", "compare", "a sentence no other article in the story carries", "Only here", highlight=4),
    Kind("shared", "compare", "a sentence with a counterpart elsewhere", "Shared"),
    Kind("contrast", "compare", "contested wording that differs across articles", "Wording contrasts", highlight=5),
    Kind("number", "compare", "numbers/dates that disagree across outlets", "Numbers that disagree", highlight=6),
)
KINDS: dict[str, Kind] = {k.name: k for k in _KINDS}

if TYPE_CHECKING:
    FindingKind = str  # the checker cannot read a Literal built at run time
else:
    FindingKind = Literal[tuple(KINDS)]  # built from the table above: pydantic checks it


def names(**wanted: object) -> tuple[str, ...]:
    """Kind names whose fields have the given values, in table order: ``names(charted=True)``."""
    return tuple(k.name for k in _KINDS if all(getattr(k, f) == v for f, v in wanted.items()))


def highlighted() -> tuple[str, ...]:
    """The kinds HTML views draw in the text, the one that shows on overlap first."""
    return tuple(sorted((k.name for k in _KINDS if k.highlight is not None), key=lambda n: KINDS[n].highlight or 0))
