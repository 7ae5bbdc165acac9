"""Matching text and a way back: normalize once, match on the result, report spans in the original.

Pages mix full-width digits (４００), full-width punctuation (（）：), ideographic spaces and a zoo
of dashes. Every extractor wants one canonical form to match on, but the record's spans must
point into the text the user sees. `NormalizedText` holds both and maps offsets between them.

Almost every character NFKC touches maps to exactly one character, so the common case is a
single `str.translate` with offsets unchanged; only pages with expanding characters (⑴ -> "(1)")
pay for an offset table.
"""

from __future__ import annotations

import bisect
from itertools import accumulate, islice
import re
import unicodedata
from array import array
from functools import lru_cache

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


# Names of places, brands and appliances are written in CJK characters only.
_CJK_SPLIT = re.compile(r"([\u3400-\u9fff\uf900-\ufaff]+)")


class NormalizedText:
    """`text` is what extractors match on; `original` is what spans are reported against."""

    __slots__ = ("original", "text", "_to_original", "_runs", "_run_texts")

    def __init__(self, original: str, text: str, to_original: array | None = None) -> None:
        self.original = original
        self.text = text
        self._to_original = to_original  # per normalized char, its original index; None = identity
        self._runs: list[tuple[int, str]] | None = None
        self._run_texts: list[str] = []

    def cjk_runs(self) -> list[tuple[int, str]]:
        """(offset, run) for every maximal run of CJK characters in `text`, computed once.

        Extractors whose names are all CJK look only inside runs, and cache by run: the
        service-area items that fill these pages recur from page to page.
        """
        if self._runs is None:
            parts = _CJK_SPLIT.split(self.text)  # non-CJK, run, non-CJK, run, ..., non-CJK
            ends = accumulate(map(len, parts))  # a run starts where the part before it ends
            self._run_texts = parts[1::2]
            self._runs = list(zip(islice(ends, 0, None, 2), self._run_texts))
        return self._runs

    def cjk_run_texts(self) -> list[str]:
        """The runs of `cjk_runs` without their offsets (for C-speed cache look-ups)."""
        self.cjk_runs()
        return self._run_texts

    @property
    def is_identity(self) -> bool:
        """True when offsets in `text` and `original` coincide (no character expanded)."""
        return self._to_original is None

    def to_normalized(self, offset: int) -> int:
        """The first position of `text` at or after original `offset` (spans come back here)."""
        if self._to_original is None:
            return offset
        return bisect.bisect_left(self._to_original, offset)

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


@lru_cache(maxsize=1)
def _changing() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Character classes of what `_normalize_char` changes: the BMP, and planes 1-2.

    Computed once per process (milliseconds) so that a page needs one C-level scan to learn
    which of its characters need folding. The BMP class compiles to a bitmap; astral
    characters are rare on these pages and checked by a second, separate scan.
    """
    keep = {code for lo, hi in _KEEP_RANGES for code in range(lo, hi + 1)}
    changing = [
        code
        for code in range(0x30000)
        if code not in keep and (not unicodedata.is_normalized("NFKC", chr(code)) or chr(code) in _DASHES)
    ]
    bmp = [code for code in changing if code < 0x10000]
    astral = [code for code in changing if code >= 0x10000]
    return _char_class(bmp), _char_class(astral)


def _char_class(codes: list[int]) -> re.Pattern[str]:
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    parts = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[{parts}]")


_ASTRAL = re.compile("[\U00010000-\U0002FFFF]")


def normalize(original: str) -> NormalizedText:
    """Fold full-width forms, compatibility characters and dashes (NFKC plus dash folding)."""
    bmp, astral = _changing()
    found = set(bmp.findall(original))
    if _ASTRAL.search(original):
        found.update(astral.findall(original))
    if not found:
        return NormalizedText(original, original)
    mapping: dict[int, str] = {}
    expands = False
    for ch in found:
        folded = _char_cache.get(ch)
        if folded is None:
            folded = _char_cache[ch] = _normalize_char(ch)
        mapping[ord(ch)] = folded
        expands = expands or len(folded) != 1
    if not expands:
        return NormalizedText(original, original.translate(mapping))
    pieces: list[str] = []
    table = array("q")
    for index, ch in enumerate(original):
        folded = mapping.get(ord(ch), ch)
        pieces.append(folded)
        table.extend([index] * len(folded))
    return NormalizedText(original, "".join(pieces), table)
