"""Terminal presentation with Rich: one analysis in full, a one-line summary, or a comparison.

Everything shown points back to the text: highlighted spans in the body, and tables that quote
the exact words with the confidence and the source (rule, lexicon or model) of each finding.
Tables fold long cells, so output stays readable on a 100-column terminal and does not break on
a narrow one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from unspin.analyse.models.labels import DISPLAY_TECHNIQUE as DISPLAY_LEVEL
from unspin.compare.labels import short_label, unique_labels
from unspin.compare.roles import role_summary
from unspin.kinds import KINDS, names
from unspin.present.safe_text import visible
from unspin.types import Analysis, Comparison, Finding, ItemFailure, QuoteRendering, RoleUse, TermUse, located

# Styles per finding kind in the highlighted body. Techniques underline so they stay visible
# when they overlap a quote or a loaded term.
KIND_STYLES: dict[str, str] = {k.name: k.terminal_style for k in KINDS.values() if k.terminal_style}
# Article-level kinds (no span) summarised in the header instead of the body.
ARTICLE_LEVEL = names(article_level=True)
MAX_CELL = 160  # characters of finding text shown in a table cell
NARROW = 70  # below this width, sections print as stacked lines instead of tables


class SafeConsole(Console):
    """A Rich console that shows article text instead of obeying it: every segment it prints
    passes ``safe_text.visible`` (escape sequences removed, bidi overrides and control
    characters marked), whatever renderable it came from. Rich markup is never read from
    article text: the presenters hand Rich ``Text`` objects, not markup strings."""

    def render(self, renderable, options=None):
        for segment in super().render(renderable, options):
            if segment.control or not segment.text:
                yield segment
            else:
                shown = visible(segment.text)
                yield segment if shown == segment.text else Segment(shown, segment.style)


@dataclass
class Section:
    """A titled table of rows; printed as a table, or as stacked lines on narrow terminals."""

    title: str
    columns: list[tuple[str, dict]]  # (header, Table.add_column options)
    rows: list[list[str | Text]] = field(default_factory=list)
    table_width: int = NARROW  # narrower terminals get stacked lines

    def add(self, *cells: str | Text) -> None:
        self.rows.append(list(cells))


def print_section(section: Section, console: Console) -> None:
    if not section.rows:
        return
    if console.width >= section.table_width:
        table = Table(
            title=section.title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, expand=True
        )
        for name, opts in section.columns:
            table.add_column(name, overflow="fold", **opts)
        for row in section.rows:
            table.add_row(*(_as_text(cell) for cell in row))
        console.print(table)
        return
    console.print(Text(section.title, style="bold"))
    for row in section.rows:
        for (name, _), cell in zip(section.columns, row, strict=True):
            line = Text(f"  {name}: ", style="dim")
            line.append_text(cell if isinstance(cell, Text) else Text(cell))
            console.print(line)
        console.print()


# -- small helpers ----------------------------------------------------------------------------
def _as_text(value: str | Text) -> Text:
    # Plain strings become Text so that brackets in article text are never read as Rich markup.
    return value if isinstance(value, Text) else Text(str(value))


def _add(grid: Table, key: str, value: str | Text) -> None:
    grid.add_row(key, _as_text(value))


def article_label(analysis: Analysis) -> str:
    """Short name for an article: the one every view uses (``compare.labels.short_label``)."""
    return short_label(analysis.article)


def _clip(text: str, limit: int = MAX_CELL) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _conf(f: Finding) -> str:
    return f"{f.confidence:.2f}"


def _count_line(findings: Iterable[Finding]) -> Text:
    counts = Counter(f.kind for f in findings)
    if not counts:
        return Text("no findings", style="dim")
    parts = [f"{n} {kind}" for kind, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return Text(" · ".join(parts))


def _level_item(f: Finding) -> str:
    # A label the page gives itself reads differently from the model's guess: say which is which.
    if f.source == "rule:page-declared":
        return f"{f.label} (the page's own label)"
    probs = f.attrs.get("probs") if f.kind == "genre" else None
    if isinstance(probs, dict) and f.label == "mixed":  # no genre is sure: show the two it is between
        ranked = sorted(((p, g) for g, p in probs.items()), reverse=True)[:2]
        return "mixed (" + ", ".join(f"{g} {p:.2f}" for p, g in ranked) + ")"
    runner_up = f.attrs.get("runner_up") if f.kind == "genre" else None
    if isinstance(runner_up, dict):  # a close call (the models component says so): what it nearly was
        return f"{f.label} ({f.confidence:.2f}; {runner_up.get('label')} {float(runner_up.get('probability', 0)):.2f})"
    if f.kind == "narrative" and f.label == "none":
        return "none: neither the war in Ukraine nor climate change"
    subs = [s["label"].split(": ", 2)[-1] for s in f.attrs.get("subnarratives", []) if not s["label"].endswith(": Other")]
    if f.kind == "narrative" and subs:
        return f"{f.label} ({f.confidence:.2f}; {', '.join(subs)})"
    return f"{f.label} ({f.confidence:.2f})"


def _article_level_line(analysis: Analysis) -> Text | None:
    parts = []
    for kind in ARTICLE_LEVEL:
        found = sorted(analysis.of_kind(kind), key=lambda f: -f.confidence)
        if found:
            parts.append(f"{kind}: " + ", ".join(_level_item(f) for f in found))
    return Text("; ".join(parts)) if parts else None


def _header(analysis: Analysis) -> Panel:
    art = analysis.article
    meta = Table.grid(padding=(0, 1))
    meta.add_column(style="dim", no_wrap=True)
    meta.add_column(overflow="fold")
    _add(meta, "outlet", art.outlet or "—")
    _add(meta, "published", art.published.date().isoformat() if art.published else "—")
    _add(meta, "language", art.language or "—")
    _add(meta, "source", art.source or "—")
    if art.url:
        _add(meta, "url", art.url)
    _add(meta, "id", art.id)
    if analysis.status != "analysed":
        _add(meta, "status", Text(f"not analysed: {analysis.status_reason}", style="bold red"))
    else:
        _add(meta, "found", _count_line(f for f in analysis.findings if f.kind != "entity"))
        level = _article_level_line(analysis)
        if level is not None:
            _add(meta, "article", level)
        roles = _roles_line(role_summary(analysis))
        if roles:
            _add(meta, "roles", roles)
    title = Text(art.title_text or "(no title)", style="bold")
    return Panel(meta, title=title, title_align="left", box=box.ROUNDED)


def _role_text(role: str, fine: list[str]) -> str:
    return role.lower() + (f" ({', '.join(fine)})" if fine else "")


def _roles_line(roles: list[RoleUse]) -> str:
    """"NATO antagonist (Instigator) 0.71; Kyiv innocent (Victim) 0.64": the shown roles."""
    return "; ".join(f"{r.entity} {_role_text(r.role, r.fine)} {r.confidence:.2f}" for r in roles)


def _displayed(f: Finding, show_all: bool) -> bool:
    """Findings under their display level (``attrs.below_display``) only on request."""
    return show_all or not f.attrs.get("below_display")


def _highlighted_paragraphs(analysis: Analysis, show_all: bool = False) -> list[Text]:
    """The headline (bold) and the body paragraphs, each with its findings highlighted."""
    art = analysis.article
    spans = [(f, s, e) for f, s, e in located(analysis.findings) if f.kind in KIND_STYLES and _displayed(f, show_all)]
    units = [(p.start, p.end, p.text, "") for p in art.paragraphs]
    if art.title is not None and art.title.text.strip():
        units.insert(0, (art.title.start, art.title.end, art.title.text, "bold"))
    out = []
    for start, end, unit_text, style in units:
        text = Text(unit_text, style=style)
        for f, f_start, f_end in spans:
            s, e = max(f_start, start), min(f_end, end)
            if s < e:
                text.stylize(KIND_STYLES[f.kind], s - start, e - start)
        out.append(text)
    return out


def _legend() -> Text:
    legend = Text("legend: ", style="dim")
    for kind, style in KIND_STYLES.items():
        legend.append(kind, style=style)
        legend.append("  ")
    return legend


def _findings_section(findings: list[Finding], title: str = "Findings") -> Section:
    section = Section(
        title,
        [
            ("kind", {"style": "bold", "no_wrap": True}),
            ("label", {"min_width": 12, "max_width": 26}),
            # The evidence itself: never squeezed below a readable width by long labels/sources.
            ("text", {"ratio": 1, "min_width": 28}),
            ("conf", {"justify": "right", "no_wrap": True}),
            ("source", {"min_width": 14, "max_width": 30, "style": "dim"}),
        ],
        table_width=100,  # five columns: below this the source column would be cut off
    )
    for f in findings:
        section.add(
            f.kind, f.label, Text(_clip(f.text), style=KIND_STYLES.get(f.kind, "")), _conf(f), f.source
        )
    return section


def _quotes_section(analysis: Analysis) -> Section:
    section = Section(
        "Quotes",
        [
            ("speaker", {"max_width": 24, "style": "bold"}),
            ("words", {"ratio": 3}),
            ("how", {"max_width": 22, "style": "dim"}),
        ],
    )
    for q in sorted(analysis.of_kind("quote", "reported_speech"), key=lambda f: f.start or 0):
        how = " ".join(str(x) for x in (q.label, q.attrs.get("verb"), q.attrs.get("resolved_by")) if x)
        section.add(
            q.attrs.get("speaker") or "(unknown)", Text(_clip(q.text, 400), style=KIND_STYLES[q.kind]), how
        )
    return section


def _attributions_section(analyses: list[Analysis], labels: dict[str, str] | None = None) -> Section:
    """Attributions to other media; with ``labels``, one column says which article made it."""
    columns: list[tuple[str, dict[str, Any]]] = [("media", {"max_width": 24}), ("as written", {"ratio": 3})]
    if labels is not None:
        columns.insert(0, ("article", {"max_width": 26, "style": "bold"}))
    section = Section("Attributions to other media", columns)
    for a in analyses:
        for f in a.of_kind("attribution"):
            cells = [f.attrs.get("media") or f.label, Text(_clip(f.text), style=KIND_STYLES["attribution"])]
            section.add(*([labels[a.article.id]] if labels is not None else []), *cells)
    return section


def _removed_line(analysis: Analysis) -> Text | None:
    removed = analysis.article.removed
    if not removed:
        return None
    rules = Counter(f.source.removeprefix("rule:") for f in removed)
    chars = sum(len(f.text) for f in removed)
    detail = ", ".join(f"{rule} ×{n}" for rule, n in sorted(rules.items()))
    return Text(
        f"removed as boilerplate: {len(removed)} stretches, {chars} characters ({detail})", style="dim"
    )


def _backed_paragraph(f: Finding) -> bool:
    """A paragraph-level technique whose spans are listed: its rows already show the evidence."""
    return f.kind == "technique" and f.attrs.get("level") == "paragraph" and bool(f.attrs.get("spans"))


# -- public: one analysis ---------------------------------------------------------------------
def print_analysis(analysis: Analysis, console: Console, *, body: bool = True, show_all: bool = False) -> None:
    """Everything about one article: header, highlighted body, findings, quotes, attributions.
    Technique findings under the display level are left out unless ``show_all``."""
    console.print(_header(analysis))
    if analysis.status != "analysed":
        return
    if body and analysis.article.paragraphs:
        console.print(_legend())
        for para in _highlighted_paragraphs(analysis, show_all):
            console.print(para)
            console.print()
    shown = sorted(
        (
            f
            for f in analysis.findings
            if f.kind not in ("entity", "quote", "reported_speech", "attribution") and not _backed_paragraph(f)
            and _displayed(f, show_all)
        ),
        key=lambda f: (f.start is None, f.start or 0, f.kind),
    )
    hidden = sum(1 for f in analysis.findings if not _displayed(f, show_all) and f.attrs.get("level") == "paragraph")
    for section in (_findings_section(shown), _quotes_section(analysis), _attributions_section([analysis])):
        print_section(section, console)
    if hidden:
        console.print(Text(f"{hidden} technique label(s) under the display level (calibrated probability below "
                           f"{DISPLAY_LEVEL:.0%}) not shown; --show-all shows them.", style="dim"))
    removed = _removed_line(analysis)
    if removed is not None:
        console.print(removed)


def print_summary(analysis: Analysis, console: Console) -> None:
    """One line per article, for batches."""
    line = Text()
    if analysis.status == "analysed":
        line.append("✓ ", style="green")
    else:
        line.append("– ", style="yellow")
    line.append(article_label(analysis), style="bold")
    title = analysis.article.title_text
    if title:
        line.append(f"  {_clip(title, 70)}")
    line.append(f"  [{analysis.article.id[:12]}]", style="dim")
    console.print(line)
    detail = Text("    ")
    if analysis.status == "analysed":
        detail.append_text(_count_line(f for f in analysis.findings if f.kind != "entity"))
        level = _article_level_line(analysis)
        if level is not None:
            detail.append("; ")
            detail.append_text(level)
    else:
        detail.append(f"not analysed: {analysis.status_reason}", style="yellow")
    console.print(detail)


def print_error(error: ItemFailure, console: Console) -> None:
    """One clear line per failed input: which input, why, and the stage when it is not reading."""
    line = Text("✗ ", style="bold red")
    if error.source and error.reason.startswith(error.source):
        # Readers often name the input in the reason already ("x.txt is empty").
        line.append(error.source, style="bold")
        line.append(error.reason[len(error.source) :])
    else:
        line.append(error.source, style="bold")
        line.append(f": {error.reason}")
    if error.stage != "read":
        line.append(f" [{error.stage} stage]", style="dim")
    console.print(line, soft_wrap=True)


# -- public: a comparison ---------------------------------------------------------------------
def print_comparison(
    comparison: Comparison,
    analyses: list[Analysis],
    console: Console,
    *,
    errors: list[ItemFailure] | None = None,
) -> None:
    """How the articles of one story differ: per-article panels, then shared and differing
    quotes, wording contrasts, technique spans, numbers, "only in X" sentences, entities,
    attributions."""
    analysed = [a for a in analyses if a.status == "analysed"]
    labels = {**unique_labels(analyses), **comparison.labels}

    def label_of(article_id: str | None) -> str:
        return labels.get(article_id or "", (article_id or "?")[:8])

    title = comparison.story.title or (analysed[0].article.title_text if analysed else "") or "Story"
    console.rule(Text(f"{title} — {len(analysed)} articles compared", style="bold"))
    for a in analysed:
        console.print(_article_panel(a, comparison, labels[a.article.id]))

    sections = [
        _fidelity(comparison, label_of),
        _entity_roles(comparison, label_of),
        _quotes_only_here(comparison, label_of),
        _contrasts(comparison, analysed, labels),
        _technique_spans(analysed, labels),
        _disagreements(comparison, "number", "Numbers and dates that disagree", label_of),
        _disagreements(comparison, "headline", "Headlines that claim more than the body", label_of),
        _only_here_sentences(comparison, label_of),
        _entities_only_one(comparison, analysed, labels),
        _attributions_section(analysed, labels),
    ]
    for section in sections:
        print_section(section, console)
    if not comparison.findings:
        console.print(Text("The comparison found no differences to show.", style="dim"))

    skipped = [a for a in analyses if a.status != "analysed"]
    if skipped or errors:
        console.print(Text("Not analysed", style="bold"))
        for a in skipped:
            console.print(Text(f"  – {labels[a.article.id]}: {a.status_reason}", style="yellow"))
        for e in errors or []:
            print_error(e, console)



def _article_panel(a: Analysis, comparison: Comparison, label: str) -> Panel:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    _add(grid, "title", a.article.title_text or "(no title)")
    if a.article.published:
        _add(grid, "published", a.article.published.date().isoformat())
    _add(grid, "found", _count_line(f for f in a.findings if f.kind != "entity"))
    level = _article_level_line(a)
    if level is not None:
        _add(grid, "article", level)
    mine = [f for f in comparison.findings if f.article_id == a.article.id]
    if mine:
        _add(grid, "compared", _count_line(mine))
    summary = comparison.summary(a.article.id)
    wording = _wording_by_voice(summary.terms)
    if wording is not None:
        _add(grid, "wording", wording)
    if summary.scare_quotes:
        _add(grid, "scare quotes", ", ".join(f"\u201c{_clip(t, 40)}\u201d" for t in summary.scare_quotes))
    if summary.narratives:
        _add(grid, "narratives", "; ".join(summary.narratives))
    if summary.roles:
        _add(grid, "roles", _roles_line(summary.roles))
    if summary.techniques:
        _add(grid, "techniques", ", ".join(f"{k} ×{v}" for k, v in list(summary.techniques.items())[:5]))
    if summary.quotes:
        quoted = summary.quoted
        who = ": " + ", ".join(f"{k} ×{v}" for k, v in list(quoted.items())[:5]) if quoted else ""
        _add(grid, "quotes", f"{summary.quotes} ({summary.quotes_only_here} only here){who}")
    for item in summary.leaves_out:
        text = _clip(item.text, 90)
        said = text if text[:1] in "\"\u201c\u2018'" else f"\u201c{text}\u201d"
        _add(grid, "leaves out", f"{said} (carried by {item.carried_by} of {item.of} other outlets)")
    if summary.attributions:
        _add(grid, "cites", ", ".join(summary.attributions))
    removed = a.article.removed
    if removed:
        rules = Counter(f.label for f in removed)
        chars = sum(len(f.text) for f in removed)
        detail = ", ".join(rule if n == 1 else f"{rule} \u00d7{n}" for rule, n in rules.items())
        what = "boilerplate stretch" if len(removed) == 1 else "boilerplate stretches"
        _add(grid, "removed", Text(f"{len(removed)} {what}, {chars} characters: {detail}", style="dim"))
    return Panel(grid, title=Text(label, style="bold"), title_align="left", box=box.ROUNDED)


def _wording_by_voice(terms: list[TermUse]) -> Text | None:
    """Loaded terms grouped by who uses them: the article in its own words, a quoted speaker,
    or the article holding the word at a distance in scare quotes."""
    voices: dict[str, list[str]] = defaultdict(list)
    for t in terms:
        if not t.text:
            continue
        if t.in_quote:
            voice = f"quoting {t.speaker}" if t.speaker else "inside a quote"
        elif t.scare_quoted:
            voice = "in scare quotes"
        else:
            voice = "own words"
        # One form per word: a headline's "Militant union" and the body's "militant union" are one.
        if t.text.casefold() not in (w.casefold() for w in voices[voice]):
            voices[voice].append(t.text)
    if not voices:
        return None
    out = Text()
    for i, (voice, words) in enumerate(sorted(voices.items(), key=lambda kv: kv[0] != "own words")):
        if i:
            out.append("\n")
        out.append(f"{voice}: ", style="dim")
        out.append(", ".join(words), style=KIND_STYLES["term"])
    return out


def _is_quote(f: Finding) -> bool:
    return f.label in ("quote", "reported_speech") or f.kind == "fidelity"


def _fidelity(comparison: Comparison, label_of) -> Section:
    """Quotes carried by several articles: each group of renderings of the same words (compare's
    ``quote_groups``), one row per article with the verb that introduced it, and its verdict
    against the group's reference rendering (identical, trimmed, paraphrased, altered and what
    changed)."""
    section = Section(
        "Quotes in more than one article",
        [
            ("speaker", {"max_width": 18, "style": "bold"}),
            ("article", {"max_width": 26}),
            ("words", {"ratio": 3}),
            ("compared with the reference", {"ratio": 2}),
        ],
    )
    for group in comparison.quote_groups:
        reference = group.renderings[0].article_id if group.renderings else None
        for i, r in enumerate(group.renderings):
            if i == 0:
                note = Text("(reference)", style="dim")
            elif r.verdict is None:
                note = Text("\u2014")
            else:
                note = _verdict_text(r, against=None if r.compared_with == reference else label_of(r.compared_with))
            words = Text(_clip(r.text, 300), style="cyan")
            if r.verb:
                words.append(f" ({r.verb})", style="dim")
            section.add((group.speaker or "(unknown)") if i == 0 else "", label_of(r.article_id), words, note)
    return section


def _verdict_text(r: QuoteRendering, against: str | None = None) -> Text:
    text = Text(r.verdict or "", style="bold" if r.verdict in ("altered", "paraphrased") else "")
    if r.changes:
        text.append(": " + "; ".join(r.changes))
    if against:
        text.append(f" (vs {against})")
    if r.confidence is not None:
        text.append(f" {r.confidence:.2f}", style="dim")
    return text


def _entity_roles(comparison: Comparison, label_of) -> Section:
    """Entities several articles cast, one row per article: who gives it which part (read from
    compare's ``entity_roles``; those cast differently first)."""
    section = Section("Entity roles: the part each article gives the same entity",
                      [("entity", {"max_width": 24, "style": "bold"}), ("article", {"max_width": 26}),
                       ("role", {"ratio": 2})])
    for group in comparison.entity_roles:
        for i, r in enumerate(group.roles):
            role = Text(_role_text(r.role, r.fine), style="bold" if group.differs else "")
            role.append(f" {r.confidence:.2f}", style="dim")
            section.add(group.entity if i == 0 else "", label_of(r.article_id), role)
    return section


def _quotes_only_here(comparison: Comparison, label_of) -> Section:
    section = Section(
        "Quotes only one article carries",
        [
            ("article", {"max_width": 26, "style": "bold"}),
            ("speaker", {"max_width": 20}),
            ("words", {"ratio": 3}),
        ],
    )
    for f in comparison.of_kind("only_here"):
        if _is_quote(f):
            section.add(
                label_of(f.article_id),
                f.attrs.get("speaker") or "(unknown)",
                Text(_clip(f.text, 300), style="cyan"),
            )
    return section


def _contrasts(comparison: Comparison, analysed: list[Analysis], labels: dict[str, str]) -> Section:
    """Contested wording side by side: one row per concept, one column per article."""
    rows: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for f in comparison.of_kind("contrast"):
        concept = str(f.attrs.get("concept") or f.attrs.get("neutral") or f.label)
        words = rows[concept][f.article_id or ""]
        if f.text and f.text not in words:
            words.append(f.text)
    section = Section(
        "Wording that differs",
        [("concept", {"max_width": 20, "style": "dim"})]
        + [(labels[a.article.id], {"ratio": 1}) for a in analysed],
    )
    for concept, per_article in rows.items():
        section.add(
            concept,
            *[
                Text(", ".join(per_article.get(a.article.id, [])) or "—", style="bold yellow")
                for a in analysed
            ],
        )
    return section


TECHNIQUE_ROWS_PER_ARTICLE = 3
CONTEXT_CHARS = 25  # text shown either side of a technique's words (the rows are narrow on 80 columns)


def _technique_spans(analysed: list[Analysis], labels: dict[str, str]) -> Section:
    """Each article's most confident techniques (paragraph level), the words that carry them
    highlighted in their context: the best instance of each technique first, so three rows show
    three techniques when the article has them. The full list is in `unspin analyze`, the JSON
    and the report."""
    section = Section(
        "Persuasion techniques, most confident per article",
        [("article", {"max_width": 26, "style": "bold"}), ("technique", {"max_width": 26}),
         ("words, then where", {"ratio": 4}), ("conf", {"justify": "right", "width": 5})],
    )
    for a in analysed:
        found = [f for f in a.of_kind("technique")
                 if f.attrs.get("level") == "paragraph" and f.attrs.get("spans") and not f.attrs.get("below_display")]
        ranked = sorted(found, key=lambda f: (-f.confidence, f.start or 0))
        seen: set[str] = set()
        best = []
        for f in ranked:  # the best finding of each technique first
            if f.label not in seen:
                seen.add(f.label)
                best.append(f)
        rows = (best + [f for f in ranked if f not in best])[:TECHNIQUE_ROWS_PER_ARTICLE]
        for f in rows:
            words = Text(" · ".join(_clip(a.article.original[x:y], 60) for x, y in sorted(f.attrs["spans"])),
                         style=KIND_STYLES["technique"])
            words.append("\n").append_text(_spans_in_context(a.article.original, f))
            section.add(labels[a.article.id], f.label, words, _conf(f))
    return section


def _spans_in_context(original: str, paragraph: Finding) -> Text:
    """The stretch of ``paragraph`` around its technique spans, the spans highlighted."""
    spans = sorted((int(a), int(b)) for a, b in paragraph.attrs["spans"])
    lo = max(paragraph.start or 0, spans[0][0] - CONTEXT_CHARS)
    hi = min(paragraph.end or len(original), spans[-1][1] + CONTEXT_CHARS)
    if lo > (paragraph.start or 0):  # start and end on whole words
        lo = original.find(" ", lo, spans[0][0]) + 1 or lo
    if hi < (paragraph.end or len(original)):
        cut = original.rfind(" ", spans[-1][1], hi)
        hi = cut if cut > 0 else hi
    out = Text("…" if lo > (paragraph.start or 0) else "", style="dim")
    at = lo
    for a, b in spans:
        if a < at:
            continue
        out.append(original[at:a])
        out.append(original[a:b], style=KIND_STYLES["technique"])
        at = b
    out.append(original[at:hi])
    if hi < (paragraph.end or len(original)):
        out.append("…")
    return out


def _disagreements(comparison: Comparison, kind: str, title: str, label_of) -> Section:
    """Findings that point at a counterpart elsewhere (numbers, dates), or stand alone (headlines)."""
    section = Section(
        title,
        [("article", {"max_width": 26, "style": "bold"}), ("here", {"ratio": 2}), ("why", {"ratio": 3})],
    )
    for f in comparison.of_kind(kind):
        section.add(
            label_of(f.article_id), Text(_clip(f.text), style="bold"), f"{f.explanation} ({_conf(f)})"
        )
    return section


def _only_here_sentences(comparison: Comparison, label_of) -> Section:
    section = Section(
        "Only in one article", [("only in", {"max_width": 26, "style": "bold"}), ("sentence", {"ratio": 4})]
    )
    found = [f for f in comparison.of_kind("only_here") if not _is_quote(f)]
    rest: Counter = Counter()
    for f in sorted(found, key=lambda f: (label_of(f.article_id), f.start or 0)):
        if f.attrs.get("marked") is False:  # nothing in it to check: counted, not listed
            rest[label_of(f.article_id)] += 1
            continue
        text = Text(_clip(f.text, 300))
        if f.attrs.get("claim"):  # the ones a fact-checker would look at first
            text.append(f"  [claim: {', '.join(f.attrs['claim'])}]", style="bold")
        elif f.attrs.get("checkable"):
            text.append(f"  ({', '.join(f.attrs['checkable'])})", style="dim")
        section.add(label_of(f.article_id), text)
    for label, n in sorted(rest.items()):
        section.add(label, Text(f"and {n} more {'sentence' if n == 1 else 'sentences'} with no claim, figure, "
                                "quote or name to check (in the JSON output)", style="dim"))
    return section


def _entities_only_one(comparison: Comparison, analysed: list[Analysis], labels: dict[str, str]) -> Section:
    """Names only one article mentions (from the comparison's per-article summaries)."""
    section = Section(
        "Names only one article mentions",
        [("article", {"max_width": 26, "style": "bold"}), ("names", {"ratio": 4})],
    )
    for a in analysed:
        names = comparison.summary(a.article.id).entities_only_here
        if names:
            section.add(labels[a.article.id], ", ".join(str(n) for n in names))
    return section
