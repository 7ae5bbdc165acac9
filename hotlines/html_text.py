"""Visible text of an HTML page, with block elements as line breaks.

Uses the standard library's HTML parser: it is a real tokenizer (entities, comments, CDATA,
unclosed and mis-nested tags), needs no native build, and is not recursive, so deeply nested or
truncated markup costs time proportional to its size and never blows the stack.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = frozenset(
    "address article aside blockquote body br dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot "
    "th thead tr ul option caption".split()
)
_HIDDEN = frozenset("script style noscript template head svg math iframe object".split())
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n[ \n]*\n")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self._hidden_stack: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag == "body":
            self._hidden_stack.clear()  # <body> closes an unclosed <head>
        elif tag in _HIDDEN and tag not in _VOID:
            self._hidden_stack.append(tag)
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self._hidden_stack:
            # Close up to the matching open tag, tolerating unclosed children.
            while self._hidden_stack and self._hidden_stack.pop() != tag:
                pass
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        elif not self._hidden_stack:
            self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, str | None]:
    """(visible text, title) of an HTML document; the title is None when absent or blank."""
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    text = _SPACES.sub(" ", "".join(collector.parts))
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n", text).strip("\n")
    title = _SPACES.sub(" ", "".join(collector.title_parts)).strip() or None
    return text, title
