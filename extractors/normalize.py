"""Matching text and a way back: normalize once, match on the result, report spans in the original.

Pages mix full-width digits (４００), full-width punctuation (（）：), ideographic spaces and a zoo
of dashes. Every extractor wants one canonical form to match on, but the record's spans must
point into the text the user sees. `NormalizedText` holds both and maps offsets between them.

Almost every character NFKC touches maps to exactly one character, so the common case is a
single `str.translate` with offsets unchanged; only pages with expanding characters (⑴ -> "(1)")
pay for an offset table.
"""

from __future__ import annotations

import unicodedata
from array import array
from dataclasses import dataclass

# Dashes NFKC leaves alone but pages use between digit groups.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u30fc\u2500"

# Enclosed and circled numbers are list markers ("①400-…"); NFKC would turn ① into "1" and glue
# it onto the number that follows, so they keep their own identity.
_KEEP_RANGES = ((0x2460, 0x24FF), (0x2776, 0x2793), (0x3200, 0x32FF), (0x1F100, 0x1F1FF))

_char_cache: dict[str, str] = {}


def _normalize_char(ch: str) -> str:
    code = ord(ch)
    if any(lo <= code <= hi for lo, hi in _KEEP_RANGES):
        return ch
    if ch in _DASHES:
        return "-"
    return unicodedata.normalize("NFKC", ch)


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """`text` is what extractors match on; `original` is what spans are reported against."""

    original: str
    text: str
    _to_original: array | None = None  # per normalized char, its original index; None = identity

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of `text` to the span of `original` that produced it."""
        if self._to_original is None:
            return start, end
        table = self._to_original
        if end <= start:
            pos = table[start] if start < len(table) else len(self.original)
            return pos, pos
        # An end inside an expansion (the "(1" of "⑴") widens to the whole source character.
        return table[start], table[end - 1] + 1


def normalize(original: str) -> NormalizedText:
    """Fold full-width forms, compatibility characters and dashes (NFKC plus dash folding)."""
    mapping: dict[int, str] = {}
    expands = False
    for ch in set(original):
        folded = _char_cache.get(ch)
        if folded is None:
            folded = _char_cache[ch] = _normalize_char(ch)
        if folded != ch:
            mapping[ord(ch)] = folded
            expands = expands or len(folded) != 1
    if not mapping:
        return NormalizedText(original, original)
    if not expands:
        return NormalizedText(original, original.translate(mapping))
    pieces: list[str] = []
    table = array("q")
    for index, ch in enumerate(original):
        folded = mapping.get(ord(ch), ch)
        pieces.append(folded)
        table.extend([index] * len(folded))
    return NormalizedText(original, "".join(pieces), table)
