"""Pages nested deeper than libxml2 will parse (about 255 levels) lose their text in lxml, and so
in trafilatura. ``flatten`` rewrites such a page with the wrapper elements past a depth left
out (their text kept, their scripts and styles dropped), so the article can still be found.

Python's own ``html.parser`` does the rewriting: it keeps no tree, so depth costs it nothing.
"""

from __future__ import annotations

from html import escape

from unspin.read.htmlparse import TolerantHTMLParser

LIBXML_DEPTH = 255
KEEP_DEPTH = 120  # wrappers deeper than this are left out; the structure a reader sees stays
BLOCK_LEVELS = 8
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                  "track", "wbr"})
# Tags whose content is not text: dropped with the tag when it is left out.
NOT_TEXT = frozenset({"script", "style", "noscript", "template", "svg", "math"})
# Kept a few levels past KEEP_DEPTH, inside the unwrapped part: they give trafilatura paragraphs.
BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "article", "br", "title"})


class _Depth(TolerantHTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.deepest = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag not in VOID:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag) -> None:
        if tag not in VOID:
            self.depth = max(0, self.depth - 1)


def nesting_depth(html: str) -> int:
    """How deep the page's elements nest (roughly: implied end tags are not inferred)."""
    parser = _Depth()
    parser.feed(html)
    parser.close()
    return parser.deepest


class _Flattener(TolerantHTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, written)
        self.written = 0  # open tags written, the depth of the page written so far
        self.skipping_content = 0  # inside a left-out script/style

    def handle_starttag(self, tag, attrs) -> None:
        keep = self.written < KEEP_DEPTH or (tag in BLOCKS and self.written < KEEP_DEPTH + BLOCK_LEVELS)
        if tag in VOID:
            if keep:
                self.out.append(f"<{tag}>" if tag == "br" else self.get_starttag_text() or "")
            return
        if not keep and tag in NOT_TEXT:
            self.skipping_content += 1
        self.stack.append((tag, keep))
        if keep:
            self.written += 1
            self.out.append(self.get_starttag_text() or f"<{tag}>")

    def handle_endtag(self, tag) -> None:
        if not any(open_tag == tag for open_tag, _ in self.stack):
            return  # a stray end tag
        while self.stack:
            open_tag, kept = self.stack.pop()
            if kept:
                self.written -= 1
                self.out.append(f"</{open_tag}>")
            elif open_tag in NOT_TEXT:
                self.skipping_content -= 1
            if open_tag == tag:
                break

    def handle_data(self, data) -> None:
        if not self.skipping_content:
            self.out.append(escape(data, quote=False))


def flatten(html: str) -> str:
    """``html`` with elements nested past ``KEEP_DEPTH`` unwrapped; the text is all kept."""
    parser = _Flattener()
    parser.feed(html)
    parser.close()
    for open_tag, kept in reversed(parser.stack):
        if kept:
            parser.out.append(f"</{open_tag}>")
    return "".join(parser.out)
