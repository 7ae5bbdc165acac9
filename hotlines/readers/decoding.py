"""Bytes to text for Chinese pages: BOMs, declared charsets, UTF-8, then GB18030.

GBK and GB2312 are subsets of GB18030, so one codec reads all three. A page that is mostly UTF-8
with a few stray bytes (a pasted fragment in another encoding) is still read, with the damage
reported as a warning rather than the page being refused.

For a page from a crawl archive the HTTP header's charset comes first, then the page's own
declaration, then detection. A Western single-byte label in the header (ISO-8859-1,
windows-1252) is what servers send by default, and decoding with it never fails, so it is
tried last, after detection.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from hotlines.errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "x-gbk", "euc-cn", "hz-gb-2312"}
# Servers' default labels (codec names): tried after detection when only a header names them.
_SERVER_DEFAULTS = frozenset({"iso8859-1", "cp1252"})
# Up to this share of its non-ASCII bytes bad, a UTF-8 page is read with replacements and a warning.
_MAX_REPLACED_SHARE = 0.05
_ASCII = bytes(range(0x80))


class Decoded(NamedTuple):
    text: str
    encoding: str
    replaced: int  # undecodable bytes replaced by U+FFFD


def declared_charset(head: bytes) -> str | None:
    """The charset a page declares in its first bytes (meta tag, XML declaration)."""
    match = _DECLARED.search(head)
    if not match:
        return None
    return charset_label(match.group(1).decode("ascii"))


def charset_label(label: str) -> str | None:
    """A charset label as Python's codec name ('GBK' -> 'gb18030', 'latin-1' -> 'iso8859-1'); None if unknown."""
    label = label.strip().strip("\"'").lower()
    if label in _GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode(data: bytes, name: str, declared: str | None = None, *, transport: str | None = None) -> Decoded:
    """Decode page bytes, or raise `InputError` naming the input when no reading is credible.

    `transport` (the HTTP header's charset, as `charset_label` names it) is tried before
    `declared` (the page's own), unless it is a Western single-byte default, tried last.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), "utf-8" if codec == "utf-8-sig" else codec, 0)
            except UnicodeDecodeError as error:
                raise InputError(name, f"starts with a {codec} byte-order mark but is not {codec}: {error.reason}") from None
    weak = transport if transport in _SERVER_DEFAULTS else None
    for label in (None if weak else transport, declared):
        if label:
            try:
                return Decoded(data.decode(label), label, 0)
            except UnicodeDecodeError:
                pass  # pages lie about their charset; fall through to detection
    try:
        return Decoded(data.decode("utf-8"), "utf-8", 0)
    except UnicodeDecodeError:
        pass
    # UTF-8 with a pasted fragment in another encoding: few of its non-ASCII bytes are bad.
    # (A GBK page read as UTF-8 fails on nearly all of them.)
    lenient = data.decode("utf-8", errors="replace")
    replaced = lenient.count("\ufffd") - data.count("\ufffd".encode())
    non_ascii = len(data.translate(None, _ASCII))
    if replaced <= _MAX_REPLACED_SHARE * non_ascii:
        return Decoded(lenient, "utf-8", replaced)
    try:
        return Decoded(data.decode("gb18030"), "gb18030", 0)
    except UnicodeDecodeError:
        pass
    if weak:
        try:
            return Decoded(data.decode(weak), weak, 0)
        except UnicodeDecodeError:
            pass
    raise InputError(name, "undecodable: the bytes are neither UTF-8 nor GB18030/GBK (is it text?)")
