"""The standard library's ``html.parser``, made to survive markup from the open web.

Python 3.11's parser raises ``AssertionError`` on a marked section it does not know
(``<![OCTYPE html>``, found by fuzzing), leaving the parse half done. Browsers read any such
``<![...>`` as a bogus comment; this parser does the same. Every reader that walks HTML with
``html.parser`` subclasses ``TolerantHTMLParser``.
"""

from __future__ import annotations

from html.parser import HTMLParser


class TolerantHTMLParser(HTMLParser):
    # Every "<![" the parser meets (from parse_html_declaration or parse_declaration) goes
    # through parse_marked_section, which is where the assertion is raised.
    def parse_marked_section(self, i: int, report: bool = True) -> int:
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:  # an unknown marked section: skip it as browsers do
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1
