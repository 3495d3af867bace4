"""The report as Markdown (``unspin report --format md``), from the same story contexts as HTML.

Markdown renderers pass raw HTML through, so article text is escaped twice over: ``<``, ``>``
and ``&`` become entities and Markdown's own syntax characters get a backslash. Highlights
cannot hover in Markdown: a highlighted stretch is set in bold with a bracketed number that
points to the finding listed under the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from unspin import __version__
from unspin.present.html.context import build_story_context
from unspin.present.html.render import build_report_context
from unspin.present.safe_text import visible
from unspin.types import Analysis, Comparison, ItemFailure

_SPECIAL = re.compile(r"([\\`*_\[\]|~{}])")
_BLOCK_START = re.compile(r"^(\s*)([#>+\-=])")
_LIST_NUMBER = re.compile(r"^(\s*\d+)([.)])")


def _inline(text: object) -> str:
    """Escape a piece of a line (keeps its edge spaces; newlines become spaces)."""
    s = re.sub(r"\s+", " ", visible(str(text)))
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", s)


def _line_safe(line: str) -> str:
    """A line must not start a heading, quote, list or setext underline by accident."""
    line = _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line)
    return _LIST_NUMBER.sub(lambda m: m.group(1) + "\\" + m.group(2), line)


def md_text(text: object) -> str:
    """Inline-safe Markdown for untrusted text: one line, no markup, no Markdown syntax."""
    return _line_safe(_inline(text).strip())


def _pct(f: dict[str, Any]) -> str:
    return f["confidence_pct"]


def _finding_item(n: int | None, f: dict[str, Any]) -> str:
    head = f"[{n}] " if n is not None else ""
    quote = f" \u201c{md_text(f['text'])}\u201d" if f.get("text") else ""
    why = f" \u2014 {md_text(f['explanation'])}" if f.get("explanation") else ""
    return f"- {head}**{md_text(f['kind'])}** {md_text(f['label'])} ({_pct(f)}, {md_text(f['source'])}){quote}{why}"


def _article(art: dict[str, Any]) -> list[str]:
    lines = [f"### {md_text(art['outlet'])}", ""]
    rel = art["relation"]
    if rel.get("relation", "member") != "member":
        lines += [
            f"_{md_text(rel['relation'].replace('_', ' '))} {md_text(rel.get('of') or '')}: "
            "not counted as independent coverage_",
            "",
        ]
    if art.get("copies"):
        lines += ["_Near-duplicates, not counted as independent coverage: " + ", ".join(
            f"{md_text(c['outlet'])} ({md_text(c['relation'])})" for c in art["copies"]) + "_", ""]
    listed: list[dict[str, Any]] = []
    numbers: dict[int, int] = {}

    def render(segments: list[Any]) -> str:
        out = []
        for seg in segments:
            if not seg.findings:
                out.append(_inline(seg.text))
                continue
            refs = []
            for f, view in zip(seg.findings, seg.tips, strict=False):
                if id(f) not in numbers:
                    listed.append(view)
                    numbers[id(f)] = len(listed)
                refs.append(str(numbers[id(f)]))
            # Emphasis must not start or end on a space, so edge spaces stay outside the stars.
            text = _inline(seg.text)
            core = text.strip()
            lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
            out.append(f"{lead}**{core}**\\[{','.join(refs)}\\]{trail}" if core else text)
        return _line_safe("".join(out))

    if art["title_segments"]:
        lines += ["Headline: " + render(art["title_segments"]), ""]
    meta = [m for m in (art["published"], art["author"], art["url"] or art["source"]) if m]
    if meta:
        lines += ["_" + " \u00b7 ".join(md_text(m) for m in meta) + "_", ""]
    for f in art["genre"] + art["frames"]:
        lines.append(f"- {md_text(f['kind'])}: {md_text(f['label'])} ({_pct(f)}, {md_text(f['source'])})")
    if art["genre"] or art["frames"]:
        lines.append("")
    if art["status"] != "analysed":
        lines += [f"_Not analysed: {md_text(art['status_reason'])}_", ""]
    for p in art["paragraphs"]:
        lines += ["> " + render(p["segments"]), ">"]
    if lines[-1] == ">":
        lines[-1] = ""
    if listed:
        lines += (
            ["Findings in this article:", ""] + [_finding_item(i + 1, f) for i, f in enumerate(listed)] + [""]
        )
    badges = [b for p in art["paragraphs"] for b in p["badges"]]
    if badges:
        lines += ["Paragraph-level findings:", ""] + [_finding_item(None, f) for f in badges] + [""]
    if art["removed"]:
        lines += [f"Removed by cleaning ({len(art['removed'])}):", ""]
        lines += [
            f"- {md_text(r['label'])}: {md_text(r['text'])} ({md_text(r['source'])})" for r in art["removed"]
        ]
        lines.append("")
    return lines


def _verb(verb: str) -> str:
    """How an outlet introduced the quote ("told", "ranted")."""
    return f" _({md_text(verb)})_" if verb else ""


def _diff(ops: list[dict[str, str]]) -> str:
    parts = []
    for op in ops:
        t = md_text(op["text"])
        parts.append(f"~~{t}~~" if op["op"] == "delete" else f"**{t}**" if op["op"] == "insert" else t)
    return " ".join(parts)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]


def _story_header(story: dict[str, Any]) -> list[str]:
    lines = [f"## {md_text(story['title'])}", ""]
    span = story["first_seen"][:10] if story["first_seen"] else "undated"
    if story["first_seen"] and story["last_seen"] and story["last_seen"][:10] != span:
        span += f" \u2013 {story['last_seen'][:10]}"
    lines += [
        f"{story['size']} articles \u00b7 {md_text(', '.join(story['outlets']))}"
        + (f" \u00b7 {span}" if span else ""),
        "",
    ]
    if story["top_divergence"]:
        lines += [f"**Top divergence:** {md_text(story['top_divergence'])}", ""]
    return lines


def _per_outlet(story: dict[str, Any]) -> list[str]:
    return ["### Per outlet", ""] + _table(
        ["Outlet", "Leaves out what most others carry", "Quotes", "Own loaded wording", "Techniques", "Frames",
         "Narratives", "Roles"],
        [[md_text(r["outlet"]),
          "; ".join(f"\u201c{md_text(i['text'])}\u201d ({md_text(i['outlet'])}, carried by {i['carried_by']} of "
                    f"{i['of']} others)" for i in r["leaves_out"]) or "\u2014",
          ", ".join(f"{md_text(who)} \u00d7{n}" for who, n in r["quoted"]) or str(r["quotes"] or "\u2014"),
          md_text(", ".join(r["wording"])) or "\u2014",
          ", ".join(f"{md_text(k)} \u00d7{v}" for k, v in r["techniques"]) or "\u2014",
          md_text(", ".join(r["frames"])) or "\u2014",
          md_text("; ".join(r["narratives"])) or "\u2014",
          md_text("; ".join(f"{x['entity']}: {x['role'].lower()}" + (f" ({', '.join(x['fine'])})" if x["fine"] else "")
                            for x in r["roles"])) or "\u2014"]
         for r in story["outlet_rows"]],
    )


def _story_articles(story: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for art in story["articles"]:
        lines += _article(art)
    if story.get("others"):
        lines += [f"### Other articles ({story['others_total']})", ""]
        for other in story["others"]:
            lines += _article(other["column"]) if "column" in other else [
                f"- {md_text(other['outlet'])}: {md_text(other['title'] or '')}"]
    return lines


def _fidelity(story: dict[str, Any]) -> list[str]:
    lines = ["### Quote fidelity", ""]
    if not story["fidelity"]:
        return lines + ["_No quote appears in more than one outlet of this story._", ""]
    return lines + _table(
        ["Speaker", "Class", "Outlet", "Quoted as", "Rendered elsewhere as",
         "Word diff (~~first only~~ **second only**)"],
        [[md_text(r["speaker"] or "\u2014"),
          f"**{md_text(r['label'])}**" + "".join(f" ({md_text(c)})" for c in r["changes"]),
          md_text(r["outlet"]),
          "\u201c" + md_text(r["text"]) + "\u201d" + _verb(r["verb"]),
          md_text(r["other_outlet"]) + ": \u201c" + md_text(r["other_text"]) + "\u201d" + _verb(r["other_verb"]),
          _diff(r["diff"])]
         for r in story["fidelity"]],
    )


def _only_here(story: dict[str, Any]) -> list[str]:
    lines = ["### Only here", ""]
    for art in story["articles"]:
        lines.append(f"**{md_text(art['outlet'])}**")
        lines.append("")
        items = art["only_here"] or []
        lines += [
            f"- {md_text(f['text'])}" + (f" _(claim: {md_text(', '.join(f['attrs']['claim']))})_"
                                         if f["attrs"].get("claim") else "")
            for f in items
        ] or ["- _nothing checkable the other outlets lack_"]
        rest = art.get("only_here_unmarked") or []
        if rest:
            lines.append(f"- _and {len(rest)} more only here, with no claim, figure, quote or name to check_")
        lines.append("")
    return lines


def _flag_lines(flags: list[dict[str, Any]]) -> list[str]:
    return [f"- **{md_text(f['outlet'])}**: \u201c{md_text(f['text'])}\u201d \u2014 {md_text(f['explanation'])} "
            f"({_pct(f)}, {md_text(f['source'])})" for f in flags]


def _headline_and_numbers(story: dict[str, Any]) -> list[str]:
    lines = ["### Headline vs body", ""]
    lines += _flag_lines(story["headline_flags"]) or ["_No headline claims more than its body._"]
    lines.append("")
    if story["contrasts"]:
        lines += ["### Wording contrasts", ""]
        lines += _table(
            ["Term"] + [md_text(o) for o in story["outlets"]],
            [[md_text(r["label"])] + [", ".join(md_text(f["text"] or f["label"]) for f in cell) for cell in r["cells"]]
             for r in story["contrasts"]],
        )
    if story["numbers"]:
        lines += ["### Numbers and dates that disagree", ""] + _flag_lines(story["numbers"]) + [""]
    return lines


def _citations_and_techniques(story: dict[str, Any]) -> list[str]:
    lines = ["### Who cites whom", ""]
    lines += [
        f"- {md_text(e['source'])} \u2192 {md_text(e['target'])} ({md_text(e['relation'])})"
        + (f": \u201c{md_text(e['text'])}\u201d" if e["text"] else "")
        for e in story["graph"]["list"]
    ] or ["_No outlet attributes its reporting to another medium._"]
    lines.append("")
    techniques = sorted({label for a in story["articles"] for label, _ in a["technique_counts"]})
    if techniques:
        lines += ["### Techniques per outlet", ""]
        counts = [dict(a["technique_counts"]) for a in story["articles"]]
        lines += _table(
            ["Technique"] + [md_text(a["outlet"]) for a in story["articles"]],
            [[md_text(t)] + [str(c.get(t, 0)) for c in counts] for t in techniques],
        )
    return lines


def story_markdown(story: dict[str, Any]) -> list[str]:
    """One story (a ``build_story_context`` dict) as Markdown lines, section by section."""
    return [line for section in (_story_header, _per_outlet, _story_articles, _fidelity, _only_here,
                                 _headline_and_numbers, _citations_and_techniques)
            for line in section(story)]


def render_markdown(
    comparisons: Iterable[Comparison],
    analyses: Iterable[Analysis],
    errors: Iterable[ItemFailure] = (),
    *,
    title: str = "unspin report",
) -> str:
    """The whole report as Markdown: story index, each story, single articles, failed inputs."""
    ctx = build_report_context(comparisons, analyses, errors, title=title, charts=False)
    lines = [
        f"# {md_text(title)}",
        "",
        f"_{ctx['n_articles']} articles \u00b7 {len(ctx['stories'])} stories with more than one article \u00b7 "
        f"generated {ctx['generated']} by unspin {__version__}_",
        "",
    ]
    lines += ["## Stories", ""]
    if ctx["stories"]:
        lines += _table(
            ["Story", "Articles", "Outlets", "Top divergence"],
            [
                [
                    md_text(s["title"]),
                    str(s["size"]),
                    md_text(", ".join(s["outlets"])),
                    md_text(s["top_divergence"] or "\u2014"),
                ]
                for s in ctx["stories"]
            ],
        )
    else:
        lines += ["_No two articles tell the same story._", ""]
    for story in ctx["stories"]:
        lines += story_markdown(story)
    if ctx["singles"]:
        lines += ["## Articles without a matching story", ""]
        lines += [
            f"- {md_text(a['outlet'])}: {md_text(a['title'] or a['source'])}" for a in ctx["singles"]
        ] + [""]
        for art in ctx["single_articles"]:
            lines += _article(art)
        if len(ctx["singles"]) > len(ctx["single_articles"]):
            lines += [f"_The first {len(ctx['single_articles'])} of these articles are shown in full._", ""]
    if ctx["errors"]:
        lines += ["## Inputs that failed", ""]
        lines += [
            f"- {md_text(e['source'])} ({md_text(e['stage'])}): {md_text(e['reason'])}" for e in ctx["errors"]
        ] + [""]
    return "\n".join(lines).rstrip() + "\n"


__all__ = ["build_story_context", "md_text", "render_markdown", "story_markdown"]
