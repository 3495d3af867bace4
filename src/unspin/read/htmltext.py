"""HTML fragments (feed summaries, corpus cells) to plain text, with the standard library only.

Scripts, styles and other non-content elements are dropped, never run, and so are captions
(``figcaption``): a feed's full-text content carries them as trafilatura's page extraction does
not; block elements become line breaks so paragraphs stay apart.
"""

from __future__ import annotations

import re

from unspin.read.htmlparse import TolerantHTMLParser

_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "tr", "table", "section", "article", "header", "footer", "figure", "figcaption", "pre", "hr",
}
_SKIP = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "head", "figcaption"}


class _TextCollector(TolerantHTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP:
            self._skipping += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment: one line per block, blank lines squeezed."""
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in "".join(collector.parts).split("\n"))
    return "\n".join(line for line in lines if line)
