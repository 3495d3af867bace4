"""Text that would act on the reader's screen is shown, not obeyed: bidi overrides, control
characters and terminal escape sequences, in every view (HTML report, web pages, terminal,
Markdown)."""

from __future__ import annotations

import io

import pytest

from unspin.present.safe_text import visible
from unspin.present.terminal import SafeConsole
from unspin.read.text import read_text

SPOOF_TITLE = "Invoice \u202egpj.exe\u202c Talks"
ANSI_TITLE = "\x1b[2J\x1b[31mRED ALERT\x1b[0m \x1b]0;pwned\x07 \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ done"


@pytest.mark.parametrize("raw, shown", [
    ("Invoice \u202egpj.exe\u202c", "Invoice ⟦RLO⟧gpj.exe⟦PDF⟧"),
    ("a\u2066b\u2067c\u2068d\u2069e\u202af\u202bg\u202dh", "a⟦LRI⟧b⟦RLI⟧c⟦FSI⟧d⟦PDI⟧e⟦LRE⟧f⟦RLE⟧g⟦LRO⟧h"),
    ("bell\x07 back\x08 null\x00 del\x7f", "bell␇ back␈ null␀ del␡"),
    ("next line\x85 csi-8bit\x9b31mred", "next line⟦U+0085⟧ csi-8bitred"),
    ("\x1b[31mred\x1b[0m and \x1b]0;title\x07 plain", "red and  plain"),
    ("tabs\tand\nnewlines stay", "tabs\tand\nnewlines stay"),
    ("Kyiv – Київ, Ελλάδα, עברית", "Kyiv – Київ, Ελλάδα, עברית"),  # real scripts are not controls
])
def test_visible(raw, shown):
    assert visible(raw) == shown


def test_the_terminal_shows_no_escape_sequence_and_no_override():
    out = io.StringIO()
    console = SafeConsole(file=out, force_terminal=True, color_system="truecolor", width=100)
    from rich.text import Text

    console.print(Text(ANSI_TITLE, style="bold"))
    console.print(Text(SPOOF_TITLE))
    printed = out.getvalue()
    assert "\x1b[2J" not in printed and "\x1b]0;" not in printed and "\x1b]8;" not in printed
    assert "\u202e" not in printed and "⟦RLO⟧" in printed
    assert "\x1b[1m" in printed  # Rich's own styling still reaches the terminal


def test_reports_and_pages_mark_the_controls(tmp_path):
    from _report_docs import story_fixture

    from unspin.present.html import render_report
    from unspin.present.markdown import render_markdown

    comparison, analyses = story_fixture()
    article = analyses[0].article
    spoofed = article.model_copy(update={"outlet": "Gazette \u202eevil\x1b[31m"})
    analyses[0] = analyses[0].model_copy(update={"article": spoofed})
    html = render_report([comparison], analyses)
    assert "\u202e" not in html and "\x1b" not in html and "Gazette ⟦RLO⟧evil" in html
    markdown = render_markdown([comparison], analyses)
    assert "\u202e" not in markdown and "\x1b" not in markdown


def test_a_spoofing_article_reads_safely_in_every_view(tmp_path):
    from typer.testing import CliRunner

    from unspin.cli import app

    path = tmp_path / "spoof.txt"
    path.write_text(f"{ANSI_TITLE} {SPOOF_TITLE}\n\nThe council met on Monday \u202eto vote\u202c on the budget, "
                    "officials said.\x07 It passed by nine votes to four after a long debate.\n", encoding="utf-8")
    article = read_text(path.read_text(encoding="utf-8"), str(path))
    assert "\u202e" in article.original  # stored as read: offsets still point at the original
    result = CliRunner().invoke(app, ["analyze", str(path), "--no-store"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "\x1b[2J" not in result.output and "\u202e" not in result.output and "\x07" not in result.output
    assert "⟦RLO⟧" in result.output
