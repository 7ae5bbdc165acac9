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
import importlib.resources
from collections.abc import Iterable
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


# Names of places, brands and appliances are written in CJK characters only. sre compiles a
# class over these blocks by visiting each of its 28,000 code points, once per occurrence and
# once more for the skip-ahead prefix of a pattern that opens with a class. So `[…]+`, one
# visit, rather than `[…][…]*`, three: 3 ms less at every start-up, for a scan that is no
# slower over Chinese text and about 0.15 ms slower per 20 KB of Latin text.
_CJK_SPLIT = re.compile(r"([\u3400-\u9fff\uf900-\ufaff]+)")


def is_cjk(ch: str) -> bool:
    """True for a CJK ideograph (the blocks `_CJK_SPLIT` cuts runs of).

    A comparison, not a regex: each character class over these blocks costs sre 2-5 ms to
    compile, which every extractor used to pay at start-up for a one-character test.
    """
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


class NormalizedText:
    """`text` is what extractors match on; `original` is what spans are reported against."""

    __slots__ = ("original", "text", "_to_original", "_parts", "_run_texts", "marked", "other_digits")

    def __init__(
        self,
        original: str,
        text: str,
        to_original: array | None = None,
        marked: frozenset[str] = frozenset(),
        other_digits: bool = True,
    ) -> None:
        self.original = original
        # Enclosed digits and keycaps in the page (①, ⓪, ❶, 4️⃣'s U+20E3): seen by the same scan
        # that finds what to fold, so an extractor can tell at no cost that a page has none.
        self.marked = marked
        # Whether `text` may hold decimal digits other than 0-9 (٣, ३: regex `\d` matches them),
        # from the same scan; True when not known. Without them, `[0-9]` scans a page for
        # numbers three times faster than `\d`, which asks Unicode data about every character.
        self.other_digits = other_digits
        self.text = text
        self._to_original = to_original  # per normalized char, its original index; None = identity
        self._parts: list[str] | None = None
        self._run_texts: list[str] | None = None

    def cjk_parts(self) -> list[str]:
        """`text` cut around its maximal runs of CJK characters, computed once:
        [non-CJK, run, non-CJK, run, ..., non-CJK], so runs are the odd items and the parts
        before an item add up to its offset.

        Extractors whose names are all CJK look only inside runs, and cache by run: the
        service-area items that fill these pages recur from page to page. A page has hundreds
        of runs, so the parts are what is kept: offsets are added up only where they are needed
        (`cjk_run_offsets`), or by a caller walking all runs anyway, not paid for every run up front.
        """
        if self._parts is None:
            self._parts = _CJK_SPLIT.split(self.text)
        return self._parts

    def cjk_run_texts(self) -> list[str]:
        """The runs without their offsets (for C-speed cache look-ups)."""
        if self._run_texts is None:
            self._run_texts = self.cjk_parts()[1::2]
        return self._run_texts

    def cjk_run_offsets(self, indexes: Iterable[int]) -> list[int]:
        """The offsets in `text` of the runs at `indexes` (ascending indexes into `cjk_run_texts`).

        Adds up the lengths of the parts from one wanted run to the next only: a page's few runs
        with a brand or appliance name cost no pass over the hundreds of others.
        """
        parts = self.cjk_parts()
        offsets = []
        offset = done = 0  # `offset` is where parts[done] starts
        for index in indexes:
            part = 2 * index + 1
            offset += sum(map(len, parts[done:part]))
            done = part
            offsets.append(offset)
        return offsets

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
def _changing() -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]:
    """Character classes of what `_normalize_char` changes: the BMP, and planes 1-2; and the
    decimal digits other than 0-9 that it keeps.

    One C-level scan per page then finds the characters that need folding. The classes come
    from `data/nfkc_changing.txt`, generated by `changing_codes` for the Unicode version it
    names (checking 196,608 code points takes about 60 ms, too long for every start); under
    another Unicode version they are computed afresh. So do the other digits, from
    `data/other_digits.txt` (`other_digit_codes`). The files' ranges are merged as ranges: the
    5,000 code points they hold are never listed one by one (a third of this function's time).
    """
    changing = _stored_ranges("nfkc_changing.txt")
    if changing is None:
        changing = _ranges(changing_codes())
    digits = _stored_ranges("other_digits.txt")
    if digits is None:
        digits = _ranges(other_digit_codes([code for lo, hi in changing for code in range(lo, hi + 1)]))
    # Marked characters and other digits are scanned for too, and kept as they are.
    merged = _merged([*changing, *_MARKED_RANGES, *digits])
    bmp = [(lo, min(hi, 0xFFFF)) for lo, hi in merged if lo <= 0xFFFF]
    astral = [(max(lo, 0x10000), hi) for lo, hi in merged if hi >= 0x10000]
    return _char_class(bmp), _char_class(astral), frozenset(chr(code) for lo, hi in digits for code in range(lo, hi + 1))


def changing_codes() -> list[int]:
    """Every code point below U+30000 that `_normalize_char` changes, computed from Unicode data."""
    keep = {code for lo, hi in _KEEP_RANGES for code in range(lo, hi + 1)}
    return [
        code
        for code in range(0x30000)
        if code not in keep and (not unicodedata.is_normalized("NFKC", chr(code)) or chr(code) in _DASHES)
    ]


def other_digit_codes(changing: list[int]) -> list[int]:
    """Every code point but 0-9 that regex `\\d` matches (Unicode decimal digits: ٣, ३, ៣ …) and
    that `_normalize_char` keeps (it folds full-width ３ to 3): `changing` is `changing_codes()`."""
    folded = set(changing)
    return [code for code in range(0x80, 0x110000) if chr(code).isdecimal() and code not in folded]


def changing_codes_text(codes: list[int]) -> str:
    """The data file's text: the Unicode version, then one range of code points per line."""
    lines = [f"unicode {unicodedata.unidata_version}"]
    start = previous = None
    for code in codes + [-1]:
        if previous is not None and code == previous + 1:
            previous = code
            continue
        if start is not None:
            lines.append(f"{start:x}-{previous:x}" if previous != start else f"{start:x}")
        start = previous = code
    return "\n".join(lines) + "\n"


def _stored_ranges(name: str) -> list[tuple[int, int]] | None:
    """The inclusive code point ranges a data file in the format of `changing_codes_text` lists,
    or None when it was written for another Unicode version."""
    text = importlib.resources.files("extractors").joinpath(f"data/{name}").read_text(encoding="ascii")
    header, *items = text.split()[1:]
    if header != unicodedata.unidata_version:
        return None
    ranges = []
    for item in items:
        lo, _, hi = item.partition("-")
        ranges.append((int(lo, 16), int(hi or lo, 16)))
    return ranges


def _ranges(codes: list[int]) -> list[tuple[int, int]]:
    """Ascending code points as inclusive ranges of consecutive ones."""
    return _merged([(code, code) for code in codes])


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Inclusive ranges, sorted, with overlapping and adjacent ones joined."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _char_class(ranges: list[tuple[int, int]]) -> re.Pattern[str]:
    parts = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[{parts}]")


# Where enclosed digits live (circled, parenthesized, full-stop, dingbat: ①⑴⒈❶➀, 🄁), and the
# keycap mark of 4️⃣: characters a page may write digits in to hide them (see phone_disguises).
ENCLOSED_DIGIT_RANGES = ((0x2460, 0x24FF), (0x2776, 0x2793), (0x1F100, 0x1F10C))
KEYCAP = "\u20e3"
_MARKED_RANGES = (*ENCLOSED_DIGIT_RANGES, (ord(KEYCAP), ord(KEYCAP)))
_MARKED = frozenset(code for lo, hi in _MARKED_RANGES for code in range(lo, hi + 1))


def _beyond_bmp(text: str) -> bool:
    """Whether `text` holds a character outside the BMP: such a character takes two UTF-16 code
    units. One encoding pass in C costs a fifth of a regex scan for one."""
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


def normalize(original: str) -> NormalizedText:
    """Fold full-width forms, compatibility characters and dashes (NFKC plus dash folding)."""
    bmp, astral, other_digits = _changing()
    found = set(bmp.findall(original))
    if _beyond_bmp(original):
        found.update(astral.findall(original))
    if not found:
        return NormalizedText(original, original, other_digits=False)
    marked = frozenset(ch for ch in found if ord(ch) in _MARKED)
    digits = not other_digits.isdisjoint(found)
    found -= marked
    if digits:
        found -= other_digits
    if not found:
        return NormalizedText(original, original, None, marked, digits)
    mapping: dict[int, str] = {}
    expands = False
    for ch in found:
        folded = _char_cache.get(ch)
        if folded is None:
            folded = _char_cache[ch] = _normalize_char(ch)
        mapping[ord(ch)] = folded
        expands = expands or len(folded) != 1
    digits = digits or not other_digits.isdisjoint("".join(mapping.values()))  # no fold makes one today
    if not expands:
        return NormalizedText(original, original.translate(mapping), None, marked, digits)
    pieces: list[str] = []
    table = array("q")
    for index, ch in enumerate(original):
        folded = mapping.get(ord(ch), ch)
        pieces.append(folded)
        table.extend([index] * len(folded))
    return NormalizedText(original, "".join(pieces), table, marked, digits)
