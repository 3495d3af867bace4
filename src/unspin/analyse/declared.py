"""Component ``declared``: the genre a page declares for itself (an opinion section, a satire label).

The readers record the publisher's own label in ``Article.meta["declared_genre"]``
(``unspin.read.declared``: schema.org type, ``article:section``, URL section, byline, a corpus
``section`` column, a feed category). This component turns it into a ``genre`` finding with
its evidence, next to the model's stylistic reading: when the two disagree a reader sees both.
"""

from __future__ import annotations

from unspin.analyse.models.labels import GENRES
from unspin.analyse.pipeline import register
from unspin.types import Analysis, Finding

# The publisher's label is a fact about the page, not an inference; it can still be wrong
# (a mis-filed story), so it is not certain.
DECLARED_CONFIDENCE = 0.95


@register("declared")
class Declared:
    name = "declared"
    version = "1.0"
    requires: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ("genre",)

    def __call__(self, doc: Analysis) -> Analysis:
        declared = doc.article.meta.get("declared_genre")
        if not isinstance(declared, dict) or declared.get("genre") not in GENRES:
            return doc
        genre, evidence = declared["genre"], str(declared.get("evidence", "page metadata"))
        doc.findings.append(Finding(
            kind="genre", label=genre, confidence=DECLARED_CONFIDENCE, source="rule:page-declared",
            explanation=f"The publisher labels this article {genre} ({evidence}).",
            attrs={"evidence": evidence, "declared": True},
        ))
        return doc
