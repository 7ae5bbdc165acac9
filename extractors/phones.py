"""Phone numbers on Chinese pages: find the digit runs ourselves, let phonenumbers judge them.

phonenumbers' own matcher is built for numbers in prose and is lenient about what surrounds
them: on these pages it reads the list marker in "(1)400-1865-909" as part of the number and
reports +8614001865909. Here the candidate is always a *whole* run of digits and separators,
bounded by anything that is not a digit or Latin letter, so a number is never glued to a list
marker and never cut out of a longer run (dates, order numbers, ID codes). phonenumbers then
decides validity, type, location and formatting of the whole run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType, shortnumberinfo

from extractors.normalize import NormalizedText, normalize
from schemas import Phone, PhoneKind

# A run: optional "+", optional "(0755)" area code, then digits joined by at most one short
# separator (spaces, or a dash with optional spaces). Possessive so a run is never shortened.
# A run starts with "+", "(0755)" or a digit. Opening with a plain character class lets the
# regex engine skip to candidates at C speed (three times faster than an optional prefix).
_RUN = re.compile(
    r"[+(\d]"
    r"(?:(?<=\+)[ \t]?\d"  # +86 …
    r"|(?<=\()[ \t]?0\d{2,3}[ \t]?\)[ \t-]?\d"  # (0755) …
    r"|(?<=\d))"
    r"(?:(?:[ \t\u00a0]{1,2}|[ \t]?-{1,2}[ \t]?)?\d)*+"
)
_GROUP = re.compile(r"\d+")
_EXTENSION = re.compile(r"[ \t]?(?:转|分机|ext\.?|EXT\.?|x|X|#)[ \t]?(\d{1,6})(?!\d)")
_LATIN = re.compile(r"[A-Za-z]")
_URL_CHARS = frozenset("/@_=&?#%")

# A number followed by one of these is a quantity: "3000元", "40018659份".
# Only words, not characters: "平台", "人工服务" and "家电" follow real numbers.
_UNIT_AFTER = re.compile(r"元|块|角|万|亿|份|个|件|次|人(?!工)|名|位|台(?!湾)|套|条|张|年|月|日|岁|克|斤|吨|米|平米|平方|%|‰|倍|股|笔")
# Identifiers that are digit runs but never phone numbers, when named just before the run.
_NOT_A_PHONE_BEFORE = re.compile(
    r"(订单|单号|编号|账号|帐号|卡号|身份证|信用代码|邮编|邮政编码|工号|qq|QQ|ICP|备案|批准文号|注册号|"
    r"发票|流水号|运单|快递单|券号|验证码|密码|No\.?|NO\.?)[^\d\n]{0,4}$"
)
# Short codes (12315, 95588) are also ordinary numbers; they count only next to these words.
_SHORT_CODE_CONTEXT = re.compile(
    r"电话|拨打|拨|热线|客服|平台|报警|急救|呼叫|致电|投诉|举报|咨询|服务|号码|专线|tel|Tel|TEL|call|Call|hotline"
)
_CONTEXT_WINDOW = 8
# One number: "+86 0755 8376 5566 8001" is 6 groups and 19 digits; anything longer is a list.
_MAX_NUMBER_DIGITS = 20
_MAX_NUMBER_GROUPS = 8
_MAX_TOKENS_PER_NUMBER = 6

_KINDS: dict[int, PhoneKind] = {
    PhoneNumberType.SHARED_COST: "shared_cost_400",
    PhoneNumberType.TOLL_FREE: "toll_free_800",
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "landline",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "landline",
}


def kind_of_number(parsed: phonenumbers.PhoneNumber) -> PhoneKind | None:
    """Our `kind` for a valid number, from phonenumbers' type (None for types we do not keep)."""
    return _KINDS.get(phonenumbers.number_type(parsed))


@dataclass(frozen=True, slots=True)
class _Number:
    """A classified digit string: everything about the number that does not depend on the page."""

    number: str
    display: str
    kind: PhoneKind
    valid: bool
    region: str | None
    carrier: str | None


@dataclass(frozen=True, slots=True)
class PhoneMention:
    """One occurrence: where it is (original offsets) and what it is."""

    start: int
    end: int
    number: _Number
    extension: str | None


@lru_cache(maxsize=65536)
def _classify(digits: str, plus: bool, area_marked: bool, region: str) -> _Number | None:
    """Judge a whole digit string; cached because pages repeat one number a dozen times."""
    if not plus and 3 <= len(digits) <= 6:
        return _classify_short(digits, region)
    if not 7 <= len(digits) <= 17:
        return None
    try:
        parsed = phonenumbers.parse(("+" if plus else "") + digits, region)
    except phonenumbers.NumberParseException:
        return None
    valid = phonenumbers.is_valid_number(parsed)
    if valid:
        kind = kind_of_number(parsed)
    elif area_marked and _is_plausible_cn_landline(parsed):
        # "(0351)89082910": the area code is explicit but the subscriber digits are outside
        # the published plan; analysts still want it, flagged as not valid.
        kind = "landline"
    else:
        return None
    if kind is None:
        return None
    if kind == "landline" and region == "CN" and not plus and not digits.startswith("0"):
        return None  # written in China, a landline with its area code starts with the trunk 0
    geographic = kind in ("landline", "mobile")  # 400/800 numbers are national: no place
    location = (_geocoder().description_for_valid_number(parsed, "zh") or None) if geographic else None
    return _Number(
        number=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
        display=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL),
        kind=kind,
        valid=valid,
        region=location,
        carrier=(_carrier().name_for_valid_number(parsed, "zh") or None) if kind == "mobile" else None,
    )


@lru_cache(maxsize=1)
def _geocoder():  # type: ignore[no-untyped-def]
    """phonenumbers' geocoder, imported on first use: its tables take about 0.3 s to import."""
    from phonenumbers import geocoder

    return geocoder


@lru_cache(maxsize=1)
def _carrier():  # type: ignore[no-untyped-def]
    from phonenumbers import carrier

    return carrier


def _is_plausible_cn_landline(parsed: phonenumbers.PhoneNumber) -> bool:
    national = str(parsed.national_number)
    return (
        parsed.country_code == 86
        and national[0] in "23456789"
        and not national.startswith(("400", "800"))
        and 10 <= len(national) <= 11
        and phonenumbers.is_possible_number(parsed)
    )


def _classify_short(digits: str, region: str) -> _Number | None:
    try:
        parsed = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return None
    if not shortnumberinfo.is_valid_short_number_for_region(parsed, region):
        return None
    return _Number(digits, digits, "short_code", True, None, None)


def _boundaries_ok(text: str, start: int, end: int) -> bool:
    """Reject runs glued to letters, decimals, quantities or identifier labels."""
    before = text[start - 1] if start else ""
    if before and _LATIN.match(before):
        return False
    if before == "." and start >= 2 and text[start - 2].isdigit() and not _is_list_marker(text, start - 1):
        return False
    if before and before in _URL_CHARS and _LATIN.search(_ascii_chunk_before(text, start)):
        return False  # part of a URL, e-mail address or query string
    if before == "." and start >= 2 and _LATIN.match(text[start - 2]):
        return False  # www.4001865909.com
    after = text[end] if end < len(text) else ""
    if after and _LATIN.match(after) and not _EXTENSION.match(text, end):
        return False
    if after in ("@", "_") or (after == "." and end + 1 < len(text) and _LATIN.match(text[end + 1])):
        return False
    if after == "." and end + 1 < len(text) and text[end + 1].isdigit():
        return False
    if _UNIT_AFTER.match(text, end):
        return False
    return not _NOT_A_PHONE_BEFORE.search(text, max(0, start - 12), start)


def _ascii_chunk_before(text: str, start: int) -> str:
    """The run of printable ASCII (no spaces) that ends where the number starts."""
    i = start
    while i > 0 and start - i < 64 and "!" <= text[i - 1] <= "~":
        i -= 1
    return text[i:start]


def _is_list_marker(text: str, dot: int) -> bool:
    """"1.400-…" at the start of a line or after punctuation: the "1." is a list marker."""
    i = dot
    while i > 0 and text[i - 1].isdigit():
        i -= 1
    return dot - i <= 2 and (i == 0 or not text[i - 1].isalnum())


def _has_short_code_context(text: str, start: int, end: int) -> bool:
    window = text[max(0, start - _CONTEXT_WINDOW) : start] + " " + text[end : end + _CONTEXT_WINDOW]
    return _SHORT_CODE_CONTEXT.search(window) is not None


def _resolve_run(
    text: str, match: re.Match[str], region: str
) -> list[tuple[int, int, _Number, str | None]]:
    """Numbers in one run, as (start, end, number, extension) in normalized offsets.

    A run is one number, or one number plus a trailing "-123" extension, or several
    space-separated tokens ("1 400 186 5909", "4001865909 13800138000"). Digits are never cut
    out of a token: a token is digits joined by dashes or parentheses.
    """
    plus = text[match.start()] == "+"
    groups = list(_GROUP.finditer(text, match.start(), match.end()))
    if len(groups) > _MAX_NUMBER_GROUPS or match.end() - match.start() > 3 * _MAX_NUMBER_DIGITS:
        return _split_on_spaces(text, match.start(), groups, plus, region)
    whole = _segment(text, groups, plus, region)
    if whole is not None:
        return [(match.start(), match.end(), whole, None)]
    if len(groups) > 1 and "-" in text[groups[-2].end() : groups[-1].start()] and len(groups[-1].group()) <= 5:
        head = _segment(text, groups[:-1], plus, region)
        if head is not None and head.kind == "landline":
            return [(match.start(), match.end(), head, groups[-1].group())]
    return _split_on_spaces(text, match.start(), groups, plus, region)


def _split_on_spaces(
    text: str, run_start: int, groups: list[re.Match[str]], plus: bool, region: str
) -> list[tuple[int, int, _Number, str | None]]:
    """The best cover of a run's space-separated tokens by whole numbers.

    Tokens that are no number (a list marker "1", a date "2024-05-12") are left out whole;
    among covers, the one with the most digits in numbers wins, then the one with fewest numbers.
    A number spans at most `_MAX_TOKENS_PER_NUMBER` tokens, so this is linear in the run.
    """
    tokens: list[list[re.Match[str]]] = [[groups[0]]]
    for prev, group in zip(groups, groups[1:]):
        if text[prev.end() : group.start()].isspace():
            tokens.append([group])
        else:
            tokens[-1].append(group)
    if len(tokens) < 2:
        return []
    digits = [sum(len(g.group()) for g in token) for token in tokens]
    # score[j]: (covered digits, -numbers) for tokens[:j]; back[j]: (i, number) of the last step.
    score: list[tuple[int, int]] = [(0, 0)]
    back: list[tuple[int, _Number | None]] = [(0, None)]
    step: tuple[int, _Number | None]
    for j in range(1, len(tokens) + 1):
        best, step = score[j - 1], (j - 1, None)  # token j-1 left out
        covered = 0
        for i in range(j - 1, max(-1, j - 1 - _MAX_TOKENS_PER_NUMBER), -1):
            covered += digits[i]
            if covered > _MAX_NUMBER_DIGITS:
                break
            number = _segment(text, [g for token in tokens[i:j] for g in token], plus and i == 0, region)
            if number is not None:
                candidate = (score[i][0] + covered, score[i][1] - 1)
                if candidate > best:
                    best, step = candidate, (i, number)
        score.append(best)
        back.append(step)
    found: list[tuple[int, int, _Number, str | None]] = []
    j = len(tokens)
    while j > 0:
        i, number = back[j]
        if number is not None:
            start = run_start if i == 0 else tokens[i][0].start()
            found.append((start, tokens[j - 1][-1].end(), number, None))
        j = i
    return found[::-1]


def _segment(text: str, groups: list[re.Match[str]], plus: bool, region: str) -> _Number | None:
    """Classify the digits of consecutive groups, knowing how the writer grouped them."""
    digits = "".join(g.group() for g in groups)
    if len(groups) > 1 and len(digits) <= 6:
        return None  # short codes are written as one block; "1 2 3" is not 123
    first = groups[0]
    area_marked = (first.start() > 0 and text[first.start() - 1] == "(") or (
        not plus and len(groups) > 1 and first.group().startswith("0") and 3 <= len(first.group()) <= 4
    )
    return _classify(digits, plus, area_marked, region)


def find_phone_mentions(doc: NormalizedText, region: str = "CN") -> list[PhoneMention]:
    """Every phone-number occurrence in the page, in text order, spans into `doc.original`."""
    text = doc.text
    mentions: list[PhoneMention] = []
    for match in _RUN.finditer(text):
        if match.end() - match.start() < 3:
            continue
        for start, end, number, extension in _resolve_run(text, match, region):
            if not _boundaries_ok(text, start, end):
                continue
            if number.kind == "short_code" and not _has_short_code_context(text, start, end):
                continue
            if extension is None and number.kind != "mobile" and number.kind != "short_code":
                ext = _EXTENSION.match(text, end)
                if ext:
                    extension, end = ext.group(1), ext.end()
            mentions.append(PhoneMention(*doc.to_original(start, end), number, extension))
    return mentions


def extract_phones(text: str | NormalizedText, region: str = "CN") -> list[Phone]:
    """One `Phone` per distinct number (and extension), with all its spans, in first-seen order."""
    doc = text if isinstance(text, NormalizedText) else normalize(text)
    grouped: dict[tuple[str, str | None], list[PhoneMention]] = {}
    for mention in find_phone_mentions(doc, region):
        grouped.setdefault((mention.number.number, mention.extension), []).append(mention)
    phones = []
    for (_, extension), mentions in grouped.items():
        info = mentions[0].number
        raw = list(dict.fromkeys(doc.original[m.start : m.end] for m in mentions))
        phones.append(
            Phone(
                number=info.number,
                extension=extension,
                display=info.display,
                kind=info.kind,
                valid=info.valid,
                region=info.region,
                carrier=info.carrier,
                count=len(mentions),
                spans=[(m.start, m.end) for m in mentions],
                raw=raw,
            )
        )
    return phones
