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
from functools import lru_cache
from typing import NamedTuple

import phonenumbers
from phonenumbers import PhoneNumberType, shortnumberinfo

from extractors import phone_places
from extractors.lazy_regex import LazyPattern
from extractors.normalize import NormalizedText, is_cjk, normalize
from extractors.phone_disguises import BREAK, ODD_AROUND_DIGITS, disguised_views, hints
from schemas import Phone, PhoneKind

# A run: optional "+", optional "(0755)" area code, then digits joined by at most one short
# separator (spaces, a dash with optional spaces, or one line break: "<br>" cuts numbers in
# two). Possessive so a run is never shortened. A run starts with "+", "(0755)" or a digit.
# Opening with a plain character class lets the regex engine skip to candidates at C speed
# (three times faster than an optional prefix).
_RUN_PATTERN = (
    r"[+(\d]"
    r"(?:(?<=\+)[ \t]?\d{1,3}[ \t]?\([ \t]?\d{1,4}[ \t]?\)[ \t-]?\d"  # +1 (866) …, +86 (755) …
    r"|(?<=\+)[ \t]?\d"  # +86 …
    r"|(?<=\()[ \t]?(?:0\d{2,3}|[2-9]\d\d|86)[ \t]?\)[ \t-]?\d"  # (0755) …, (212) … (North America), (86) …
    r"|(?<=\d))"
    r"(?:(?:[ \t\u00a0]{1,2}|[ \t]?-{1,2}[ \t]?|[ \t]*\n[ \t]*)?\d)*+"
)
_RUN = LazyPattern(_RUN_PATTERN)  # pages with digits other than 0-9 (٣, ३), and disguised runs
# The same runs on a page whose only digits are 0-9 (`NormalizedText.other_digits`), as most
# are: `[0-9]` is a bitmap test where `\d` looks up every character of the page in Unicode
# data, and this scan is a third of the phone extractor's cost.
_RUN_ASCII = re.compile(_RUN_PATTERN.replace(r"[+(\d]", "[+(0-9]").replace(r"\d", "[0-9]"))
_GROUP = re.compile(r"\d+")
_EXTENSION = re.compile(r"[ \t]?(?:转|分机|ext\.?|EXT\.?|x|X|#)[ \t]?(\d{1,6})(?!\d)")
_LATIN = re.compile(r"[A-Za-z]")
_LATIN_WORD = LazyPattern(r"[A-Za-z]{2,}")
# Masked digits ("400-889-XXXX", "138****5678") make what is left of a number no number.
_MASK_AFTER = re.compile(r"[ \t]?-?[ \t]?(?:[*×xX]{2,}|[*×])")
_MASK_BEFORE = re.compile(r"(?:[*×xX]{2,}|[*×])[ \t]?-?[ \t]?$")
# After an area-coded landline, more local numbers that share its area code:
# "0577-61234567、61234568", "0757-21234567/87654321", "0769-21234567/8899" (last digits replaced).
_SHARED_AREA_NEXT = LazyPattern(r"([ \t]*(?:[、/,，;；]|或|及|和)[ \t]*|[ \t]+)(\d{1,8})(?!\d)")
_AREA_CODE = LazyPattern(r"\(?[ \t]?(0\d{2,3})[ \t]?\)?[ \t]?-?[ \t]?(\d{7,8})")
_NANP_SHAPES = ((3, 3, 4),)
_SPACED = re.compile(r"\d[ \t\u00a0]\d[ \t\u00a0]\d[ \t\u00a0]\d")  # "4 0 0 1 …"
_URL_CHARS = frozenset("/@_=&?#%")

# A number followed by one of these is a quantity: "3000元", "40018659份".
# Only words, not characters: "平台", "人工服务" and "家电" follow real numbers.
_UNIT_AFTER = re.compile(r"元|块|角|万|亿|份|个|件|次|人(?!工)|名|位|台(?!湾)|套|条|张|年|月|日|岁|克|斤|吨|米|平米|平方|%|‰|倍|股|笔")
# Identifiers that are digit runs but never phone numbers, when named just before the run.
_NOT_A_PHONE_BEFORE = re.compile(
    r"(订单|单号|编号|账号|帐号|卡号|身份证|信用代码|邮编|邮政编码|工号|qq|QQ|Qq|ICP|备案|安备|批准文号|注册号|许可证|"
    r"执照|证书|发票|税号|流水号|运单|快递单|券号|验证码|密码|型号|货号|批号|序列号|串号|条码|条形码|商品编码|"
    r"合同号|保单号|会员号|SN|S/N|No\.?|NO\.?)[^\d\n]{0,4}$"
)
# Short codes (12315, 95588) are also ordinary numbers; they count only next to these words.
_SHORT_CODE_CONTEXT = LazyPattern(
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


def kind_of_number(parsed: phonenumbers.PhoneNumber, home: str = "CN") -> PhoneKind | None:
    """Our `kind` for a valid number: `foreign` outside `home`, else from phonenumbers' type."""
    if parsed.country_code != phonenumbers.country_code_for_region(home):
        return "foreign"
    return _KINDS.get(phonenumbers.number_type(parsed))


class _Number(NamedTuple):
    """A classified digit string: everything about the number that does not depend on the page."""

    number: str
    display: str
    kind: PhoneKind
    valid: bool
    region: str | None
    carrier: str | None
    country: str | None


class PhoneMention(NamedTuple):
    """One occurrence: where it is (original offsets) and what it is."""

    start: int
    end: int
    number: _Number
    extension: str | None
    disguises: frozenset[str] = frozenset()


@lru_cache(maxsize=65536)
def _classify(digits: str, plus: bool, area_marked: bool, region: str, home: str | None = None) -> _Number | None:
    """Judge a whole digit string; cached because pages repeat one number a dozen times.

    `region` is where a number without "+" is read as dialled; `home` (default: `region`) is
    the country whose numbers are not `foreign`.
    """
    home = home or region
    if not plus and 3 <= len(digits) <= 6:
        return _classify_short(digits, region) if region == home else None
    if not 7 <= len(digits) <= 17:
        return None
    try:
        parsed = phonenumbers.parse(("+" if plus else "") + digits, region)
    except phonenumbers.NumberParseException:
        return None
    valid = phonenumbers.is_valid_number(parsed)
    if valid:
        kind = kind_of_number(parsed, home)
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
    number = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if kind == "foreign":
        return _Number(
            number=number,
            display=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
            kind=kind,
            valid=True,
            region=_geocoder().country_name_for_number(parsed, "zh") or None,
            carrier=None,
            country=phonenumbers.region_code_for_number(parsed),
        )
    location = carrier = None
    if kind in ("landline", "mobile"):  # 400/800 numbers are national: no place
        location, carrier = _place_and_carrier(parsed, number, kind == "mobile")
    return _Number(
        number=number,
        display=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL),
        kind=kind,
        valid=valid,
        region=location,
        carrier=carrier,
        country=phonenumbers.region_code_for_number(parsed) or home,
    )


def _place_and_carrier(parsed: phonenumbers.PhoneNumber, number: str, mobile: bool) -> tuple[str | None, str | None]:
    """phonenumbers' Chinese place and carrier names of a number: for +86, from the lean slice of
    its tables (`phone_places`); for another country, from its geocoder itself."""
    if str(parsed.country_code) == phone_places.COUNTRY_CODE:
        return phone_places.place_of(number), phone_places.carrier_of(number) if mobile else None
    place = _geocoder().description_for_valid_number(parsed, "zh") or None
    return place, (_carrier().name_for_valid_number(parsed, "zh") or None) if mobile else None


@lru_cache(maxsize=1)
def _geocoder():  # type: ignore[no-untyped-def]
    """phonenumbers' geocoder, imported on first use (a foreign number): its tables take about 0.3 s to import."""
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
    return _Number(digits, digits, "short_code", True, None, None, region)


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
    if _UNIT_AFTER.match(text, end) or _MASK_AFTER.match(text, end) or _MASK_BEFORE.search(text, max(0, start - 6), start):
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
    if "\n" in text[match.start() : match.end()]:
        # Across a line break, pieces are joined only when they make no numbers on their own.
        split = _split_on_spaces(text, match.start(), groups, plus, region)
        covered = sum(len(digit) for start, end, _, _ in split for digit in _GROUP.findall(text, start, end))
        if covered == sum(len(g.group()) for g in groups):
            return split
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
            if covered <= 6 and (i < j - 1 or len(tokens[i]) > 1):
                continue  # several groups of six digits or fewer: never a number (see `_segment`)
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
    if not plus and len(groups) > 1 and region == "CN" and first.group() == "86":
        return _classify(digits, True, False, region)  # "86-755-83765566", "(86)10-12345678": +86 without "+"
    if not plus and len(groups) == 4 and first.group() == "1" and _shape(groups[1:]) in _NANP_SHAPES:
        return _classify(digits, True, False, region, region)  # "1-800-726-7864": +1 written as 1
    number = _classify(digits, plus, area_marked, region)
    if (
        number is None
        and not plus
        and len(groups) == 3
        and region != "US"
        and _shape(groups) in _NANP_SHAPES
        and _english_context(text, first.start(), groups[-1].end())
    ):
        return _classify(digits, False, False, "US", region)  # "(212) 555-0198" in English
    return number


def _shape(groups: list[re.Match[str]]) -> tuple[int, ...]:
    return tuple(g.end() - g.start() for g in groups)


def _english_context(text: str, start: int, end: int) -> bool:
    """The line around a number reads as English: Latin words, and more Latin than CJK."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    window = text[max(line_start, start - 80) : min(len(text) if line_end < 0 else line_end, end + 80)]
    words = _LATIN_WORD.findall(window)
    return len(words) >= 2 and sum(map(len, words)) > sum(map(is_cjk, window))


def find_phone_mentions(doc: NormalizedText, region: str = "CN") -> list[PhoneMention]:
    """Every phone-number occurrence in the page, in text order, spans into `doc.original`.

    Plain runs first; then runs written in disguise (`phone_disguises`), which replace the
    plain mentions they overlap; then local numbers that share an area code with the number
    before them ("0577-61234567、61234568").
    """
    text = doc.text
    found: list[tuple[int, int, _Number, str | None, frozenset[str]]] = []
    near: list[int] = []  # where a disguised number may stand (odd characters around digits)
    for match in (_RUN if doc.other_digits else _RUN_ASCII).finditer(text):
        run_start, run_end = match.span()
        if text[run_end : run_end + 1] in ODD_AROUND_DIGITS or text[run_start - 1 : run_start] in ODD_AROUND_DIGITS or _SPACED.search(text, run_start, run_end):
            near.append(run_start)
        if run_end - run_start < 3:
            continue
        for start, end, number, extension in _resolve_run(text, match, region):
            if not _boundaries_ok(text, start, end):
                continue
            if number.kind == "short_code" and not _has_short_code_context(text, start, end):
                continue
            if extension is None and number.kind not in ("mobile", "short_code", "foreign"):
                ext = _EXTENSION.match(text, end)
                if ext:
                    extension, end = ext.group(1), ext.end()
            found.append((start, end, number, extension, _plain_disguises(doc, start, end)))
    near += hints(doc)
    disguised = _disguised_mentions(text, near, region) if near else []
    if disguised:
        taken = [(start, end) for start, end, *_ in disguised]
        found = [m for m in found if not any(a < m[1] and m[0] < b for a, b in taken)] + disguised
        found.sort(key=lambda m: m[0])
    found += _shared_area_code_mentions(text, found, region)
    found.sort(key=lambda m: m[0])
    return [PhoneMention(*doc.to_original(start, end), number, extension, disguises) for start, end, number, extension, disguises in found]


def _plain_disguises(doc: NormalizedText, start: int, end: int) -> frozenset[str]:
    """Disguises a plain run can carry: full-width digits, "--" separators, a line break."""
    span = doc.text[start:end]
    found = set()
    if "--" in span:
        found.add("odd_separators")
    if "\n" in span:
        found.add("split_across_lines")
    a, b = doc.to_original(start, end)
    written = doc.original[a:b]
    if not written.isascii() and any(ch.isdigit() and not ch.isascii() for ch in written):
        found.add("full_width_digits")
    return frozenset(found)


def _disguised_mentions(text: str, near: list[int], region: str) -> list[tuple[int, int, _Number, str | None, frozenset[str]]]:
    found = []
    for view in disguised_views(text, near):
        for match in _RUN.finditer(view.text):
            if match.end() - match.start() < 3:
                continue
            for start, end, number, extension in _resolve_run(view.text, match, region):
                if number.kind == "short_code" or BREAK in view.text[start:end]:
                    continue
                a, b = view.to_text(start, end)
                disguises = view.disguises(a, b)
                if disguises and _boundaries_ok(text, a, b):
                    found.append((a, b, number, extension, frozenset(disguises)))
    return found


def _shared_area_code_mentions(
    text: str, found: list[tuple[int, int, _Number, str | None, frozenset[str]]], region: str
) -> list[tuple[int, int, _Number, str | None, frozenset[str]]]:
    """"0577-61234567、61234568": a bare local number after an area-coded one takes its area code."""
    extra = []
    for start, end, number, extension, _ in found:
        if number.kind != "landline" or extension is not None:
            continue
        written = _AREA_CODE.fullmatch(text, start, end)
        if written is None:
            continue
        area, local = written.groups()
        position = end
        while (follow := _SHARED_AREA_NEXT.match(text, position)) is not None:
            separator, digits = follow.groups()
            if len(digits) == len(local):
                candidate = local = digits
            elif len(digits) < len(local) and separator.strip() in ("/", "、"):
                candidate = local[: len(local) - len(digits)] + digits
            else:
                break
            shared = _classify(area + candidate, False, True, region)
            if shared is None or shared.kind != "landline" or not _boundaries_ok(text, follow.start(2), follow.end(2)):
                break
            extra.append((follow.start(2), follow.end(2), shared, None, frozenset()))
            position = follow.end()
    return extra


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
                country=info.country,
                obfuscated=any(m.disguises for m in mentions),
                disguises=sorted(set().union(*(m.disguises for m in mentions))),
            )
        )
    return phones
