"""Visible text of an HTML page, with block elements as line breaks.

A number that a page shows only as a link target (`<a href="tel:4001865909">点击拨打</a>`) is
written into the text after the link's words, as "(tel:4001865909)", so that it gets a span
like every other number; a link whose words already hold digits is left as it is.

Uses the standard library's HTML parser: it is a real tokenizer (entities, comments, CDATA,
unclosed and mis-nested tags), needs no native build, and is not recursive, so deeply nested or
truncated markup costs time proportional to its size and never blows the stack.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import unquote

_BLOCK = frozenset(
    "address article aside blockquote body br dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot "
    "th thead tr ul option caption".split()
)
_HIDDEN = frozenset("script style noscript template head svg math iframe object".split())
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n[ \n]*\n")
_TEL_TEXT = re.compile(r"[^0-9+()\- ]|^[ -]+|[ -]+$")  # what of a tel: target is written into the text


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self._hidden_stack: list[str] = []
        self._in_title = False
        self._tel: str | None = None  # the number of the open tel: link
        self._tel_from = 0  # where its words start in `parts`

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag == "body":
            self._hidden_stack.clear()  # <body> closes an unclosed <head>
        elif tag in _HIDDEN and tag not in _VOID:
            self._hidden_stack.append(tag)
        elif tag == "a" and not self._hidden_stack:
            self._close_tel()
            href = next((value for name, value in attrs if name == "href" and value), "")
            number = _TEL_TEXT.sub("", unquote(href[4:])) if href[:4].lower() == "tel:" else ""
            if sum(ch.isdigit() for ch in number) >= 3:
                self._tel, self._tel_from = number, len(self.parts)
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def _close_tel(self) -> None:
        if self._tel is not None:
            if not any(ch.isdigit() for part in self.parts[self._tel_from :] for ch in part):
                self.parts.append(f" (tel:{self._tel})")
            self._tel = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._close_tel()
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
    collector._close_tel()  # a tel: link left open at the end of a truncated page
    text = _SPACES.sub(" ", "".join(collector.parts))
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n", text).strip("\n")
    title = _SPACES.sub(" ", "".join(collector.title_parts)).strip() or None
    return text, title
