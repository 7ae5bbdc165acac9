"""Digits in disguise: "四零零一八六五九零九", "4 0 0 1 8 6 5 9 0 9", "4OO-l865-9O9", "④⓪⓪…".

Spam pages hide their numbers from filters by writing the digits in other forms. This module
finds runs written that way and rewrites each into a *digit view*: a plain string of ASCII
digits and separators, with a table from every view position back to the page text. The phone
extractor then judges the view exactly as it judges plain text, so a disguised run only counts
where the whole run is a valid number, and every mention says which disguises it used (hiding a
number is itself a signal).

The forms, and the guards that keep ordinary text out:
- Chinese numerals (零〇一…九, financial 壹贰叁…, 幺 for 1): only in chunks of 3 or more, so
  "统一" or "第一" never glue a 1 onto the number that follows.
- Enclosed digits (④⓪⑴⒈❶➀, keycaps 4️⃣): in chunks of 2 or more; a single ① is a list marker.
- Spaced single digits (4 0 0 1 …): four or more one-digit tokens, one space apart, are one token.
- Odd separators (. · ・ _ / and three or more hyphens) between digit groups.
- O/o for 0 and l/I for 1, only inside a token that also holds real digits.
Plain runs (ASCII or full-width digits, dashes, spaces) are the phone extractor's own job.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from extractors.normalize import ENCLOSED_DIGIT_RANGES as _ENCLOSED_RANGES
from extractors.normalize import KEYCAP as _KEYCAP
from extractors.normalize import NormalizedText

CHINESE_DIGITS = {
    **dict.fromkeys("零〇○", "0"),
    **dict.fromkeys("一壹幺", "1"),
    **dict.fromkeys("二贰貳", "2"),
    **dict.fromkeys("三叁參叄", "3"),
    **dict.fromkeys("四肆", "4"),
    **dict.fromkeys("五伍", "5"),
    **dict.fromkeys("六陆陸", "6"),
    **dict.fromkeys("七柒", "7"),
    **dict.fromkeys("八捌", "8"),
    **dict.fromkeys("九玖", "9"),
}
LETTER_DIGITS = {"O": "0", "o": "0", "l": "1", "I": "1"}
_VS16 = "\ufe0f"
_ODD_SEPARATORS = ".·・_/‧•"
_MIN_CHINESE_CHUNK = 3
_MIN_ENCLOSED_CHUNK = 2
_MIN_SPACED = 4
_MIN_UNITS = 7
BREAK = "|"  # in a view: a place no number may cross


@lru_cache(maxsize=1)
def enclosed_digits() -> dict[str, str]:
    """Circled, parenthesized, full-stop and dingbat digits 0-9 (not ⑩ and up), by Unicode data."""
    table = {}
    for lo, hi in _ENCLOSED_RANGES:
        for code in range(lo, hi + 1):
            value = unicodedata.digit(chr(code), None)
            if value is not None:
                table[chr(code)] = str(value)
    return table


def _class(chars: str) -> str:
    return "[" + "".join(map(re.escape, sorted(set(chars)))) + "]"


@lru_cache(maxsize=1)
def _hint_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(numeral chunk, enclosed digit): what every page is scanned with, compiled once per process."""
    numerals = re.compile(f"{_class(''.join(CHINESE_DIGITS))}{{{_MIN_CHINESE_CHUNK}}}")
    # Ranges, not the enumerated class: a range class scans a page several times faster.
    enclosed_any = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _ENCLOSED_RANGES) + _KEYCAP + "]")
    return numerals, enclosed_any


@lru_cache(maxsize=1)
def _candidate() -> re.Pattern[str]:
    """A run of digits in any form, looked for around hints only: compiled when a page first has one."""
    unit = f"(?:\\d{_VS16}?{_KEYCAP}?|{_class(''.join(CHINESE_DIGITS))}|{_class(''.join(enclosed_digits()))}|{_class(''.join(LETTER_DIGITS))})"
    separator = f"(?:[ \\t\\u00a0]{{1,2}}|[ \\t]?-+[ \\t]?|{_class(_ODD_SEPARATORS)})"
    return re.compile(f"{unit}(?:{separator}?{unit})*+")


_numeral_runs: dict[str, bool] = {}  # CJK run -> holds a chunk of Chinese numerals (runs recur)
_NUMERAL_RUNS_LIMIT = 100_000
_WINDOW = 48  # characters around a hint searched for a disguised run (a run is at most ~40)
ODD_AROUND_DIGITS = frozenset(_ODD_SEPARATORS) | frozenset(LETTER_DIGITS) | {"-"}


def hints(doc: NormalizedText) -> list[int]:
    """Where a page may hide digits in CJK or enclosed forms: offsets to look around.

    Cheap on ordinary pages: CJK runs are judged once per distinct run (they recur from page
    to page), enclosed digits by one range scan. Hints around ASCII digits (letters, odd
    separators, spaced digits) come from the phone extractor's own scan of digit runs.
    """
    numerals, enclosed_any = _hint_patterns()
    text = doc.text
    found = [match.start() for match in enclosed_any.finditer(text)] if doc.marked else []
    runs = doc.cjk_run_texts()
    known = list(map(_numeral_runs.get, runs))  # C-speed look-ups
    if known.count(False) == len(known):
        indexes: list[int] = []  # the usual page: every run seen before, none with numerals
    else:
        indexes = [i for i, has in enumerate(known) if has is not False]
    for index, offset in zip(indexes, doc.cjk_run_offsets(indexes)):
        run = runs[index]
        has = known[index]
        if has is None:
            has = numerals.search(run) is not None
            if len(_numeral_runs) >= _NUMERAL_RUNS_LIMIT:
                _numeral_runs.clear()
            _numeral_runs[run] = has
        if has:
            found.append(offset)
    for zero in "〇○":  # outside the CJK block: not in any run
        position = text.find(zero)
        while position >= 0:
            found.append(position)
            position = text.find(zero, position + _WINDOW)
    return found


@dataclass(slots=True)
class _Item:
    """A unit (one digit in some form) or a separator, at [start, end) of the page text."""

    start: int
    end: int
    form: str  # units: ascii, chinese, enclosed, letter; separators: space, hyphen, hyphens, odd
    digit: str = ""  # units only
    excluded: bool = False  # units only: not a digit here (a list marker, "统一", a word)
    joined: bool = False  # separators only: a space inside spaced single digits


@dataclass(slots=True)
class DigitView:
    """A disguised run rewritten as plain digits; `source[i]` is the text span of view char i."""

    text: str
    source: list[tuple[int, int]]
    items: list[_Item]

    def to_text(self, start: int, end: int) -> tuple[int, int]:
        return self.source[start][0], self.source[end - 1][1]

    def disguises(self, start: int, end: int) -> set[str]:
        """The disguises used between text offsets [start, end)."""
        found: set[str] = set()
        for item in self.items:
            if item.end <= start or item.start >= end:
                continue
            if item.form in ("chinese", "enclosed", "letter") and not item.excluded:
                found.add({"chinese": "chinese_numerals", "enclosed": "enclosed_digits", "letter": "letters_for_digits"}[item.form])
            elif item.joined:
                found.add("spaced_digits")
            elif item.form in ("odd", "hyphens"):
                found.add("odd_separators")
        return found


def disguised_views(text: str, near: list[int]) -> list[DigitView]:
    """A digit view for every run near the offsets `near` that may be a disguised number."""
    candidate = _candidate()
    enclosed = enclosed_digits()
    views = []
    done = 0  # windows are searched left to right, never twice
    for hint in sorted(near):
        lo, hi = max(done, hint - _WINDOW), min(len(text), hint + _WINDOW)
        if lo >= hi:
            continue
        while lo > done and lo > hint - 4 * _WINDOW and _is_run_char(text[lo - 1], enclosed):
            lo -= 1  # never start inside a run
        while hi < len(text) and hi < hint + 4 * _WINDOW and _is_run_char(text[hi], enclosed):
            hi += 1
        for match in candidate.finditer(text, lo, hi):
            if match.end() - match.start() < _MIN_UNITS:
                continue
            items = _items(text, match.start(), match.end())
            if sum(1 for item in items if item.digit) < _MIN_UNITS:
                continue
            _join_spaced_digits(items)
            _exclude_lookalikes(items)
            views.append(_view(items))
        done = hi
    return views


def _is_run_char(ch: str, enclosed: dict[str, str]) -> bool:
    return _is_unit_char(ch, enclosed) or ch in _ODD_SEPARATORS or ch in " \t-" or ch in (_VS16, _KEYCAP)


def _items(text: str, start: int, end: int) -> list[_Item]:
    enclosed = enclosed_digits()
    items: list[_Item] = []
    i = start
    while i < end:
        ch = text[i]
        if "0" <= ch <= "9":
            j = i + 1
            while j < end and text[j] in (_VS16, _KEYCAP):
                j += 1
            items.append(_Item(i, j, "enclosed" if j > i + 1 else "ascii", ch))
            i = j
        elif ch in CHINESE_DIGITS:
            items.append(_Item(i, i + 1, "chinese", CHINESE_DIGITS[ch]))
            i += 1
        elif ch in enclosed:
            items.append(_Item(i, i + 1, "enclosed", enclosed[ch]))
            i += 1
        elif ch in LETTER_DIGITS:
            items.append(_Item(i, i + 1, "letter", LETTER_DIGITS[ch]))
            i += 1
        else:
            j = i + 1
            while j < end and not _is_unit_char(text[j], enclosed):
                j += 1
            chunk = text[i:j]
            hyphens = chunk.count("-")
            form = "hyphens" if hyphens >= 3 else "hyphen" if hyphens else "space" if chunk.isspace() else "odd"
            items.append(_Item(i, j, form))
            i = j
    return items


def _is_unit_char(ch: str, enclosed: dict[str, str]) -> bool:
    return "0" <= ch <= "9" or ch in CHINESE_DIGITS or ch in enclosed or ch in LETTER_DIGITS


def _join_spaced_digits(items: list[_Item]) -> None:
    """"4 0 0 1 8 6 5 9 0 9": one-unit tokens one space apart become one token."""
    n = len(items)
    single = [
        bool(item.digit) and (i == 0 or not items[i - 1].digit) and (i + 1 == n or not items[i + 1].digit)
        for i, item in enumerate(items)
    ]
    i = 0
    while i < n:
        if not single[i]:
            i += 1
            continue
        j = i  # items[i], items[i+2], … are one-unit tokens with one space between them
        while j + 2 < n and single[j + 2] and items[j + 1].form == "space" and items[j + 1].end - items[j + 1].start == 1:
            j += 2
        if (j - i) // 2 + 1 >= _MIN_SPACED:
            for k in range(i + 1, j, 2):
                items[k].joined = True
        i = j + 1


def _exclude_lookalikes(items: list[_Item]) -> None:
    """Mark units that are not digits here: short CJK or enclosed chunks, letters in words, list markers."""
    # A chunk: units of one family with nothing but joined spaces between them. A token: the
    # same whatever the family (letters count as digits only in a token with real digits).
    chunks: list[list[_Item]] = []
    tokens: list[list[_Item]] = []
    joined_chunks: set[int] = set()
    last: _Item | None = None
    gap_joined = gap_open = False  # since the last unit: some joined space / some other separator
    for item in items:
        if not item.digit:
            gap_joined = gap_joined or item.joined
            gap_open = gap_open or not item.joined
            continue
        adjacent = last is not None and not gap_open
        if adjacent and last is not None and _family(last) == _family(item):
            chunks[-1].append(item)
            if gap_joined:
                joined_chunks.add(len(chunks) - 1)
        else:
            chunks.append([item])
        if adjacent:
            tokens[-1].append(item)
        else:
            tokens.append([item])
        last, gap_joined, gap_open = item, False, False
    for index, chunk in enumerate(chunks):
        if index in joined_chunks:
            continue
        if chunk[0].form == "chinese" and len(chunk) < _MIN_CHINESE_CHUNK:
            _exclude(chunk)
        elif chunk[0].form == "enclosed" and len(chunk) < _MIN_ENCLOSED_CHUNK:
            _exclude(chunk)
    for token in tokens:
        letters = [item for item in token if item.form == "letter"]
        if letters and not any(item.form == "ascii" for item in token):
            _exclude(letters)
    # "1.400-…": a leading one- or two-digit token before "." is a list marker.
    first = tokens[0] if tokens else []
    if first and len(first) <= 2 and all(item.form == "ascii" for item in first):
        after = next((item for item in items if item.start >= first[-1].end), None)
        if after is not None and after.form == "odd" and after.end - after.start == 1:
            _exclude(first)


def _family(item: _Item) -> str:
    return "ascii" if item.form in ("ascii", "letter") else item.form


def _exclude(units: list[_Item]) -> None:
    for item in units:
        item.excluded = True


def _view(items: list[_Item]) -> DigitView:
    chars: list[str] = []
    source: list[tuple[int, int]] = []
    for item in items:
        if item.digit:
            out = BREAK if item.excluded else item.digit
        elif item.joined:
            continue
        elif item.form == "hyphens":
            out = "-"
        elif item.form == "odd":
            out = " "
        else:
            out = " " if item.form == "space" else "-"
        chars.append(out)
        source.append((item.start, item.end))
    return DigitView("".join(chars), source, items)
