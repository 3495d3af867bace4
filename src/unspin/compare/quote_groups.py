"""The renderings of each quote across a story's articles, grouped, the reference first, each
with its verdict and word diff against the reference: what every view of a comparison shows of
quote fidelity, decided once here so that no view regroups, re-picks or re-diffs.

The ``fidelity`` findings link renderings in pairs, in both directions; linked renderings are the
same words as carried by different articles. The reference of a group is its earliest published
rendering, else its fullest (``reference_key``).
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from datetime import UTC, datetime
from typing import cast

from unspin.types import DiffOp, Finding, QuoteGroup, QuoteRendering, Verdict

# Most serious first: an altered quote is the headline finding of a comparison.
FIDELITY_ORDER = {"altered": 0, "paraphrased": 1, "trimmed": 2, "identical": 3}

_WORD = re.compile(r"\S+")

Node = tuple[str, int]  # (article id, start of the rendering)


def _norm(word: str) -> str:
    return re.sub(r"^\W+|\W+$", "", word.lower().replace("\u2019", "'"))


def word_diff(before: str, after: str) -> list[DiffOp]:
    """Word diff from ``before`` to ``after``, words matched ignoring case and the punctuation
    around them; the text shown is the words as ``after`` (equal, insert) or ``before`` (delete)
    writes them."""
    a, b = _WORD.findall(before), _WORD.findall(after)
    matcher = difflib.SequenceMatcher(a=[_norm(w) for w in a], b=[_norm(w) for w in b], autojunk=False)
    out: list[DiffOp] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(DiffOp(op="equal", text=" ".join(b[j1:j2])))
            continue
        if tag in ("delete", "replace"):
            out.append(DiffOp(op="delete", text=" ".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            out.append(DiffOp(op="insert", text=" ".join(b[j1:j2])))
    return out


def reference_key(published: datetime | None, text: str) -> tuple:
    """Sort key of the renderings of one quote, the reference first: dated ones oldest first,
    then undated ones fullest first (a quote is trimmed as it travels more often than it grows)."""
    if published is None:
        return (1, 0.0, -len(text))
    stamp = (published if published.tzinfo else published.replace(tzinfo=UTC)).timestamp()
    return (0, stamp, -len(text))


def quote_groups(fidelity: list[Finding], published: dict[str, datetime | None]) -> list[QuoteGroup]:
    """Groups of renderings linked by ``fidelity`` findings, most serious verdict first."""
    parent: dict[Node, Node] = {}

    def root(node: Node) -> Node:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    rendering: dict[Node, QuoteRendering] = {}
    speaker_of: dict[Node, str] = {}
    verdict: dict[tuple[Node, Node], Finding] = {}  # (from, to): the finding of ``from`` against ``to``
    for f in fidelity:
        if f.article_id is None or f.start is None or f.end is None:
            continue
        other_id, o_start, o_end = (f.attrs.get("other_article_id"), f.attrs.get("other_start"),
                                    f.attrs.get("other_end"))
        if not isinstance(other_id, str) or not isinstance(o_start, int) or not isinstance(o_end, int):
            continue
        this, other = (f.article_id, f.start), (other_id, o_start)
        rendering.setdefault(this, QuoteRendering(article_id=f.article_id, start=f.start, end=f.end, text=f.text,
                                                  kind=str(f.attrs.get("this_kind") or "quote"),
                                                  verb=f.attrs.get("verb")))
        rendering.setdefault(other, QuoteRendering(article_id=other_id, start=o_start, end=o_end,
                                                   text=str(f.attrs.get("other_text") or ""),
                                                   kind=str(f.attrs.get("other_kind") or "quote"),
                                                   verb=f.attrs.get("other_verb")))
        if f.attrs.get("speaker"):
            speaker_of.setdefault(this, str(f.attrs["speaker"]))
        verdict[(this, other)] = f
        parent[root(this)] = root(other)
    members: dict[Node, list[Node]] = defaultdict(list)
    for node in rendering:
        members[root(node)].append(node)
    groups = []
    for nodes in members.values():
        nodes.sort(key=lambda n: reference_key(published.get(n[0]), rendering[n].text))
        first = nodes[0]
        out = [rendering[first]]
        for node in nodes[1:]:
            against = first if (first, node) in verdict else next(
                (a for a in nodes if (a, node) in verdict), None)
            r = rendering[node]
            if against is not None:
                f = verdict[(against, node)]
                r.verdict = cast(Verdict, f.label)
                r.changes = [str(c) for c in f.attrs.get("changes") or []]
                r.diff = word_diff(rendering[against].text, r.text)
                r.confidence = f.confidence
                r.compared_with = against[0]
            out.append(r)
        speaker = next((speaker_of[n] for n in nodes if n in speaker_of), None)
        groups.append(QuoteGroup(speaker=speaker, renderings=out))
    groups.sort(key=lambda g: (min((FIDELITY_ORDER.get(r.verdict or "", 9) for r in g.renderings[1:]), default=9),
                               g.speaker or "~"))
    return groups
