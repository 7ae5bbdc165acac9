"""Brands and appliances: what a page claims to service, and for whom.

These pages repeat "<brand><appliance><service words>" line after line ("阿拉好太太消毒柜售后维修"),
so the brand is found from the page itself: the text right before an appliance name, cut at
the previous boundary (line start, punctuation, a region, a service word), and seen at least
twice. That finds brands no list has (昌尔特, 阿拉好太太, 超人). A gazetteer of known brands
(`data/brands.csv`, some 580 brands with their Latin and former names and the product
categories they make) then gives canonical names to aliases (Haier -> 海尔), and finds known
brands wherever they stand; brands that are also common words (美的, 老板, 小米, Apple) only
count right before an appliance, a service word or a phone number ("美的：400…", "美的（Midea）
售后"), never in "真美的东西". The words that bound a brand (service words, words that are never
brands, modifiers such as 家用) are data too: `data/brand_context.csv`.

A place is never a brand and a brand never a place (`data/brand_places.csv`): "New York" is not
约克, "中兴路" is a street, and the region "阿里" inside "阿里斯顿" is dropped by
`regions_outside_brands` unless the brand is itself named after a place.

Appliance names are CJK words matched inside CJK runs (cached per run) plus English words
("fridge", "washing machines") matched case-insensitively as whole words; a CJK name broken by
one space or line break ("集成 灶", "热水\\n器") still counts, its span covering what is written.
"""

from __future__ import annotations

import bisect
import csv
import importlib.resources
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from itertools import compress
from typing import Any, NamedTuple

import ahocorasick

from extractors.divisions import data_dir
from extractors.normalize import NormalizedText, is_cjk, normalize
from extractors.region_names import name_index
from extractors.lazy_regex import LazyPattern
from extractors.table_cache import as_plain_tuple, cached
from schemas import Appliance, Brand, Region

_BRAND_PUNCTUATION = frozenset(".&·'-")


def _is_brand_char(ch: str) -> bool:
    """A character a brand name may hold: CJK (the old \u3400-\u9fff class), ASCII letters and digits, .&·'-."""
    return "\u3400" <= ch <= "\u9fff" or (ch.isascii() and ch.isalnum()) or ch in _BRAND_PUNCTUATION


def _is_word_char(ch: str) -> bool:
    """A letter of a word: a brand right after one is inside that word."""
    return is_cjk(ch) or (ch.isascii() and ch.isalpha())


def _all_cjk(word: str) -> bool:
    return bool(word) and all(map(is_cjk, word))

_LATIN = re.compile(r"[A-Za-z]")
_ALNUM = re.compile(r"[A-Za-z0-9]")
_MIN_DISCOVERED = 2
_MAX_BRAND_CHARS = 10
# After an appliance name these make another word: 电视台, 空调房, 手机号, 电脑端, 平板车.
_NOT_APPLIANCE_AFTER = re.compile(r"台|剧|节目|广告|新闻|直播|塔|房|费|号|壳|膜|卡|套|支|银|端|版|游戏|软件|包|车")
_LATIN_RUN = re.compile(r"[A-Za-z]+")
# 手机 also labels a mobile number: "急修手机：+86 186…", "手机/微信 138…" name no appliance.
_CONTACT_LABELS = frozenset({"手机", "移动电话"})
_CONTACT_AFTER = LazyPattern(r"[ \t]*(?:[:：]|[/／]?微信|同号|[(（]?\+?\d(?:[ \t\-]?\d){6})")
# What may stand between a common-word brand and the word that confirms it.
_SPACES = re.compile(r"[ \t]*")
_SPACES_OR_DIGITS = re.compile(r"[ \t0-9]*")
_BRACKETED = LazyPattern(r"[ \t]*[(（\[【][ \t]*([^()（）\[\]【】\n]{1,40}?)[ \t]*[)）\]】][ \t]*")
_CLOSING = LazyPattern(r"[ \t]*[)）\]】][ \t]*")
_OPENING = frozenset("(（[【")
_REGION_FORMS = frozenset({"full", "short", "stem"})  # provinces and prefectures, not district stems (桥东)
_MAX_NOTE_CHARS = 10  # "美的（中国）售后": a short note in brackets may stand between a brand and its service
_MODEL = LazyPattern(r"(?:[ \t]*[A-Za-z0-9][A-Za-z0-9+\-.]{0,15}){1,3}[ \t]*")  # 小米 13 Pro, 荣耀X50
# A directory line: "美的：400-889-9315", "美的 0755-83765566" (seven digits or more).
_PHONE_AFTER = LazyPattern(r"[:：]?[ \t]*(?:\+86[ \t\-]?)?[(（]?\d(?:[ \t\-)）(（]?\d){6}")
# One space or one line break inside a CJK appliance name: "集成 灶", "热水\n器".
_BREAK = "[ \\t\\n\\r]"
# run -> ((start, end, kind, name), ...): appliance names (kind 0) and CJK brand aliases or
# place phrases (kind 1) in it
_run_terms: dict[str, tuple[tuple[int, int, int, str], ...]] = {}
_RUN_CACHE_LIMIT = 100_000
_RUN_CACHE_MAX_CHARS = 64


class _ApplianceName(NamedTuple):
    category: str
    label: str

    __reduce__ = as_plain_tuple


class _KnownBrand(NamedTuple):
    canonical: str
    needs_context: bool
    categories: tuple[str, ...] = ()  # appliance categories the brand makes (data/appliances.csv)

    __reduce__ = as_plain_tuple


class Mention(NamedTuple):
    """One occurrence of a brand or appliance, in normalized offsets."""

    start: int
    end: int
    key: str  # canonical brand, discovered brand, or appliance category
    written: str


class _Context(NamedTuple):
    """The words around brands, from data/brand_context.csv (role: service, not_brand, modifier)."""

    service_words: tuple[str, ...]  # end a brand candidate: what stands before them is not the brand
    service_after: re.Pattern[str]  # a common-word brand (美的) counts only right before these
    service_or_end_after: LazyPattern  # after a discovered brand the end of a phrase counts too
    not_brands: frozenset[str]  # candidates that are never brands (全国, 厂家, AI …)
    modifier_at_end: re.Pattern[str]  # between brand and appliance: "海尔家用空调" is 海尔
    modifier_chars: int


class _Places(NamedTuple):
    """Where a brand's name is a place, from data/brand_places.csv."""

    brands: frozenset[str]  # canonical brands named after a place (role place_brand)
    phrases: frozenset[str]  # place names that contain an alias: 三星堆, New York (role phrase)
    # Compiled when a page first needs them (many never do): 3 ms of every start-up otherwise.
    latin_before: LazyPattern  # "North York", "Mount Fuji": searched up to an alias's start
    latin_after: LazyPattern  # "Stanley Park", "York Street": matched at an alias's end
    cjk_after: LazyPattern  # 中兴路, 长虹桥, 先锋村: matched at an alias's end


class _Splits(NamedTuple):
    """CJK appliance names cut in two, to find them written across one space or line break."""

    joint: re.Pattern[str]  # one break character between a possible head and a possible tail
    tails: dict[str, tuple[str, ...]]  # head -> tails, longest first ("集成" -> ("灶具", "灶", …))
    longest_head: int


class _Gazetteers(NamedTuple):
    context: _Context
    places: _Places
    appliances: Any  # ahocorasick.Automaton over CJK appliance names
    cjk_brands: Any  # ahocorasick.Automaton over CJK-only aliases and CJK place phrases
    latin_brands: dict[str, tuple[str, ...]]  # first Latin word -> aliases and phrases (Haier, A.O.史密斯), longest first
    odd_brands: tuple[str, ...]  # other aliases with Latin letters or digits (3M, 1MORE, 欧乐B): found with str.find
    english: dict[str, tuple[str, ...]]  # lower-cased first word, plural too -> English appliance names, longest first
    splits: _Splits
    latin_words: re.Pattern[str]  # where Latin words start: English appliance names and most Latin aliases
    canonical: frozenset[str]
    appliance_names: dict[str, _ApplianceName]
    brand_names: dict[str, _KnownBrand]


def _data(name: str) -> list[dict[str, str]]:
    text = importlib.resources.files("extractors").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _longest_first_order(word: str) -> tuple[int, str]:
    """Sort key: longest first, then by the text, so that the tables are the same in every process."""
    return -len(word), word


def _longest_first(words: Iterable[str]) -> re.Pattern[str]:
    """A regex that finds the leftmost, then longest, of a few `words` (a page's discovered brands)."""
    return re.compile("|".join(map(re.escape, sorted(set(words), key=_longest_first_order))))


def _by_first_word(words: Iterable[str], key: Callable[[str], str]) -> dict[str, tuple[str, ...]]:
    """Words grouped by `key` of their first Latin word, longest first: a dict look-up per word
    of the page, and nothing to compile at start-up (a regex of a thousand aliases takes 0.1 s)."""
    grouped: dict[str, list[str]] = {}
    for word in set(words):
        grouped.setdefault(key(_LATIN_RUN.match(word).group()), []).append(word)  # type: ignore[union-attr]
    return {first: tuple(sorted(group, key=_longest_first_order)) for first, group in grouped.items()}


def _automaton(words: Iterable[str]) -> Any:
    automaton = ahocorasick.Automaton()
    for word in set(words):
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


def _leftmost_longest(automaton: Any, run: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, word), leftmost then longest, as a regex alternation finds them.

    pyahocorasick's own `iter_long` skips some matches, so the choice is made here from every match.
    """
    longest: dict[int, str] = {}
    for last, word in automaton.iter(run):
        start = last - len(word) + 1
        if len(word) > len(longest.get(start, "")):
            longest[start] = word
    found = []
    taken = 0
    for start in sorted(longest):
        if start >= taken:
            word = longest[start]
            taken = start + len(word)
            found.append((start, taken, word))
    return found


_SOURCES = ("appliances.csv", "brands.csv", "brand_context.csv", "brand_places.csv")


@lru_cache(maxsize=1)
def gazetteers() -> _Gazetteers:
    """Appliance and brand gazetteers, compiled once per process and kept in the table cache
    (see `table_cache`): loading them takes about a sixth of building them from the CSVs."""
    sources = [Path(__file__), *(data_dir() / name for name in _SOURCES)]
    return cached("brand_gazetteers", sources, _build_gazetteers)


def _build_gazetteers() -> _Gazetteers:
    appliances = {row["name"]: _ApplianceName(row["category"], row["label_en"]) for row in _data("appliances.csv")}
    places = _places()
    brands: dict[str, _KnownBrand] = {}
    for row in _data("brands.csv"):
        canonical = row["canonical"]
        categories = tuple(filter(None, row["categories"].split(";")))
        known = _KnownBrand(canonical, row["needs_context"] == "1", categories)
        for alias in [canonical, *filter(None, row["aliases"].split(";"))]:
            brands[alias] = known
    cjk_appliances = [name for name in appliances if _all_cjk(name)]
    english = sorted((name for name in appliances if not _all_cjk(name)), key=_longest_first_order)
    cjk = [alias for alias in [*brands, *places.phrases] if _all_cjk(alias)]
    latin = [alias for alias in [*brands, *places.phrases] if _LATIN.match(alias)]
    odd = [alias for alias in [*brands, *places.phrases] if not _all_cjk(alias) and not _LATIN.match(alias)]
    splits = _splits(cjk_appliances)
    return _Gazetteers(
        context=_context(),
        places=places,
        appliances=_automaton(cjk_appliances),
        cjk_brands=_automaton(cjk),
        latin_brands=_by_first_word(latin, str),
        odd_brands=tuple(sorted(odd, key=_longest_first_order)),
        english=_with_plurals(_by_first_word(english, str.lower)),
        splits=splits,
        latin_words=re.compile("[A-Za-z][A-Za-z]*"),  # a class first: the engine skips ahead to letters
        canonical=frozenset(known.canonical for known in brands.values()),
        appliance_names=appliances,
        brand_names=brands,
    )


def _with_plurals(by_first_word: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Also under "tvs", "fridges", "boxes": a page's word finds its names in one look-up."""
    keys = {form for word in by_first_word for form in (word, word + "s", word + "es")}
    return {
        key: tuple(sorted({name for word in (key, key[:-1], key[:-2]) for name in by_first_word.get(word, ())}, key=_longest_first_order))
        for key in keys
    }


@lru_cache(maxsize=None)
def _english_name(name: str) -> re.Pattern[str]:
    """"washing machine" in any case, also as "Washing-Machines" or broken over a line; compiled
    when a page first has its first word."""
    words = r"(?:[ \t]*-[ \t]*|[ \t]+|[ \t]*\r?\n[ \t]*)".join(map(re.escape, re.split(r"[ \-]", name)))
    return re.compile(words + r"(?:e?s)?(?![A-Za-z])", re.IGNORECASE)


def _splits(names: list[str]) -> _Splits:
    tails: dict[str, set[str]] = {}
    for name in names:
        for cut in range(1, len(name)):
            tails.setdefault(name[:cut], set()).add(name[cut:])
    ends = "".join(sorted({head[-1] for head in tails}))
    starts = "".join(sorted({tail[0] for tail_set in tails.values() for tail in tail_set}))
    # continues a match of one break character: the character before it ends a head, a tail follows
    joint = re.compile(f"{_BREAK}(?<=[{re.escape(ends)}]{_BREAK})(?:(?<=\\r)\\n)?(?=[{re.escape(starts)}])")
    return _Splits(
        joint=joint,
        tails={head: tuple(sorted(tail_set, key=_longest_first_order)) for head, tail_set in tails.items()},
        longest_head=max(map(len, tails), default=0),
    )


def _context() -> _Context:
    words: dict[str, list[str]] = {"service": [], "not_brand": [], "modifier": []}
    for row in _data("brand_context.csv"):
        words[row["role"]].append(row["word"])
    service = "|".join(map(re.escape, sorted(words["service"], key=_longest_first_order)))
    modifiers = sorted(words["modifier"], key=_longest_first_order)
    return _Context(
        service_words=tuple(words["service"]),
        service_after=re.compile(service),
        service_or_end_after=LazyPattern(service + "|[(:：,，。!！?？/\\s]|$"),
        not_brands=frozenset(words["not_brand"]),
        modifier_at_end=re.compile("(?:" + "|".join(map(re.escape, modifiers)) + ")$"),
        modifier_chars=max(map(len, modifiers)),
    )


def _places() -> _Places:
    words: dict[str, list[str]] = {"place_brand": [], "phrase": [], "latin_before": [], "latin_after": [], "cjk_after": []}
    for row in _data("brand_places.csv"):
        words[row["role"]].append(row["word"])

    def alternation(role: str) -> str:
        return "|".join(map(re.escape, sorted(words[role], key=_longest_first_order)))

    return _Places(
        brands=frozenset(words["place_brand"]),
        phrases=frozenset(words["phrase"]),
        latin_before=LazyPattern(f"(?<![A-Za-z])(?:{alternation('latin_before')})\\.?[ \\t]+$"),
        latin_after=LazyPattern(f"[ \\t]+(?:{alternation('latin_after')})\\.?(?![A-Za-z])", re.IGNORECASE),
        cjk_after=LazyPattern(alternation("cjk_after")),
    )


def _terms_in_run(run: str) -> tuple[tuple[int, int, int, str], ...]:
    """Appliance names and CJK brand aliases in one CJK run, cached: list items recur."""
    cached = _run_terms.get(run)
    if cached is not None:
        return cached
    g = gazetteers()
    terms = [
        (start, end, 0, name)
        for start, end, name in _leftmost_longest(g.appliances, run)
        if not _NOT_APPLIANCE_AFTER.match(run, end)  # 电视台, 空调房, 手机号: not the appliance
    ]
    terms += [(start, end, 1, alias) for start, end, alias in _leftmost_longest(g.cjk_brands, run)]
    result = tuple(terms)
    if len(run) <= _RUN_CACHE_MAX_CHARS:
        if len(_run_terms) >= _RUN_CACHE_LIMIT:
            _run_terms.clear()
        _run_terms[run] = result
    return result


def _terms(doc: NormalizedText) -> tuple[list[Mention], list[tuple[int, int, str]]]:
    """(appliance mentions, brand alias and place phrase hits) over the page, in normalized offsets."""
    g = gazetteers()
    names = g.appliance_names
    text = doc.text
    appliances: list[Mention] = []
    aliases: list[tuple[int, int, str]] = []
    texts = doc.cjk_run_texts()
    try:
        found = list(map(_run_terms.__getitem__, texts))  # C-speed look-ups, with no pass for misses after
    except KeyError:  # a run not seen before
        found = list(map(_terms_in_run, texts))
    holding = list(compress(range(len(found)), found))  # the runs that hold any term: a few a page
    for index, offset in zip(holding, doc.cjk_run_offsets(holding)):
        for start, end, kind, name in found[index]:
            if kind == 0:
                if name in _CONTACT_LABELS and _CONTACT_AFTER.match(text, offset + end):
                    continue
                appliances.append(Mention(offset + start, offset + end, names[name].category, name))
            else:
                aliases.append((offset + start, offset + end, name))
    # Outside CJK runs: where Latin words start (English appliance names, most Latin aliases),
    # and breaks inside CJK appliance names. Each is one regex pass that skips ahead in C.
    words = [match.start() for match in g.latin_words.finditer(text)]
    breaks = [match.start() for match in g.splits.joint.finditer(text)]
    split = _split_appliances(text, breaks, appliances) if breaks else []
    english = _english_appliances(text, words) if words else []
    if split or english:
        covered = _Spans([(m.start, m.end) for m in split])
        appliances = sorted([*(m for m in appliances if not covered.overlaps(m.start, m.end)), *split, *english], key=lambda m: m.start)
    if words:
        aliases += _latin_alias_hits(text, words, g.latin_brands)
    for alias in g.odd_brands:  # a handful (3M, 1MORE, 欧乐B): str.find is faster than a regex pass
        at = text.find(alias)
        while at >= 0:
            aliases.append((at, at + len(alias), alias))
            at = text.find(alias, at + len(alias))
    return appliances, aliases


def _latin_alias_hits(text: str, words: list[int], by_first_word: dict[str, tuple[str, ...]]) -> list[tuple[int, int, str]]:
    """The longest alias or place phrase written at each start of a Latin word."""
    hits = []
    taken = 0
    for start in words:
        if start < taken:
            continue
        word = _LATIN_RUN.match(text, start)
        for alias in by_first_word.get(word.group(), ()) if word else ():
            if text.startswith(alias, start):
                hits.append((start, start + len(alias), alias))
                taken = start + len(alias)
                break
    return hits


def _split_appliances(text: str, breaks: list[int], in_runs: list[Mention]) -> list[Mention]:
    """CJK appliance names written across one space or line break ("集成 灶", "热水\\n器").

    A name across the break counts when it covers every name already found in the pieces
    it overlaps ("燃气 热水器" is one gas water heater); "空调\\n冰箱" stays two appliances.
    """
    splits = gazetteers().splits
    found: list[Mention] = []
    starts: list[int] | None = None
    for head_end in breaks:
        tail_start = head_end + (2 if text.startswith("\r\n", head_end) else 1)
        best: tuple[int, int, str] | None = None
        for length in range(1, min(splits.longest_head, head_end) + 1):
            head = text[head_end - length : head_end]
            for tail in splits.tails.get(head, ()):
                if text.startswith(tail, tail_start):
                    if best is None or len(head) + len(tail) > len(best[2]):
                        best = (head_end - length, tail_start + len(tail), head + tail)
                    break
        if best is None or _NOT_APPLIANCE_AFTER.match(text, best[1]) or (found and best[0] < found[-1].end):
            continue
        start, end, name = best
        if starts is None:
            starts = [m.start for m in in_runs]
        i = bisect.bisect_left(starts, start)
        while i > 0 and in_runs[i - 1].end > start:
            i -= 1
        overlapping = []
        while i < len(in_runs) and in_runs[i].start < end:
            if in_runs[i].end > start:
                overlapping.append(in_runs[i])
            i += 1
        if all(start <= m.start and m.end <= end for m in overlapping):
            found.append(Mention(start, end, gazetteers().appliance_names[name].category, name))
    return found


def _english_appliances(text: str, words: list[int]) -> list[Mention]:
    """English appliance names as whole words, any case, plural too ("Fridges", "smart TV")."""
    g = gazetteers()
    found: list[Mention] = []
    taken = 0
    for start in words:
        if start < taken or (start and _ALNUM.match(text[start - 1])):
            continue  # "4KTV", "iTV": not the word TV
        word = _LATIN_RUN.match(text, start)
        for name in g.english.get(word.group().lower(), ()) if word else ():  # longest first
            match = _english_name(name).match(text, start)
            if match is not None:
                found.append(Mention(start, match.end(), g.appliance_names[name].category, name))
                taken = match.end()
                break
    return found


def appliance_mentions(doc: NormalizedText) -> list[Mention]:
    """Appliance names, longest match first ("燃气热水器", not "热水器" inside it)."""
    return _terms(doc)[0]


def _latin_bounded(text: str, start: int, end: int) -> bool:
    """"LG" counts, "LGBT" and "100HP" do not; "iPhone15" and "LG55寸" do."""
    if _ALNUM.match(text[start]) and start and _ALNUM.match(text[start - 1]):
        return False
    last = text[end - 1]
    after = text[end] if end < len(text) else ""
    if not after:
        return True
    if _LATIN.match(last):
        return not _LATIN.match(after)
    return not (last.isdigit() and after.isdigit())


def _known_brand_mentions(text: str, alias_hits: list[tuple[int, int, str]], appliance_starts: set[int]) -> list[Mention]:
    g = gazetteers()
    hits = sorted(alias_hits, key=lambda hit: (hit[0], hit[0] - hit[1]))  # leftmost, then longest
    found: list[Mention] = []
    taken_until = 0
    for start, end, alias in hits:
        if start < taken_until:
            continue  # inside "AO史密斯", 史密斯 is not a second brand
        known = g.brand_names.get(alias)
        if known is None:  # a place phrase: 三星堆, New York
            taken_until = end
            continue
        if not _latin_bounded(text, start, end):
            continue
        context: bool | None = None
        if _place_after_or_before(text, start, end, alias):
            context = _in_context(text, start, end, known, appliance_starts)
            if not context:
                continue  # 中兴路, York Street: a place; but 华为路由器 is a router
        if known.needs_context and not (context if context is not None else _in_context(text, start, end, known, appliance_starts)):
            continue  # 真美的东西: 美的 only as a brand before an appliance, a service word, a number
        found.append(Mention(start, end, known.canonical, alias))
        taken_until = end
    return found


def _place_after_or_before(text: str, start: int, end: int, alias: str) -> bool:
    """Whether the words around an alias make it part of a place name."""
    places = gazetteers().places
    if _LATIN.match(alias[-1]) and places.latin_after.match(text, end):
        return True
    if _LATIN.match(alias[0]) and start and places.latin_before.search(text, max(0, start - 12), start):
        return True
    if is_cjk(alias[-1]) and places.cjk_after.match(text, end):
        return not _region_length_at(text, end)  # "格力江苏" is Gree in Jiangsu, not a river
    return False


def _in_context(text: str, start: int, end: int, known: _KnownBrand, appliance_starts: set[int]) -> bool:
    """Whether what follows a brand name confirms it: an appliance, a service word, or a number.

    Spaces, the brand's own other name in brackets ("美的（Midea）售后"), a short note in
    brackets ("美的（中国）客服"), a place ("美的北京售后") and a model ("小米 13 Pro 手机") may
    stand between; a number only confirms a name that starts its line or list item
    ("美的：400-889-9315", not "王老板：138…").
    """
    g = gazetteers()
    bracketed = _BRACKETED.match(text, end)
    if bracketed and (other := g.brand_names.get(bracketed.group(1))) is not None and other.canonical == known.canonical:
        at = bracketed.end()
    elif start and text[start - 1] in _OPENING and (closing := _CLOSING.match(text, end)):
        at = closing.end()  # the "Midea" of "美的（Midea）售后"
    else:
        at = _SPACES.match(text, end).end()
    if _confirms(text, at, appliance_starts):
        return True
    if _PHONE_AFTER.match(text, at):
        return not start or not _is_word_char(text[start - 1])
    if bracketed and len(bracketed.group(1)) <= _MAX_NOTE_CHARS and _confirms(text, bracketed.end(), appliance_starts):
        return True
    if (length := _region_length_at(text, at)) and _confirms(text, at + length, appliance_starts):
        return True
    model = _MODEL.match(text, at)
    return model is not None and _confirms(text, model.end(), appliance_starts)


def _confirms(text: str, at: int, appliance_starts: set[int]) -> bool:
    return _at_appliance(text, at, appliance_starts) or bool(gazetteers().context.service_after.match(text, at))


def _region_length_at(text: str, at: int) -> int:
    """The length of the longest province or prefecture name at `at` (北京, 山东省, 江门), else 0."""
    senses = name_index().senses
    for length in range(6, 1, -1):
        if any(sense.form in _REGION_FORMS for sense in senses.get(text[at : at + length], ())):
            return length
    return 0


def _at_appliance(text: str, end: int, appliance_starts: set[int]) -> bool:
    if end in appliance_starts:
        return True
    context = gazetteers().context
    return any(end + length in appliance_starts and context.modifier_at_end.match(text, end, end + length) for length in range(1, context.modifier_chars + 1))


def _candidate(text: str, appliance_start: int, stops: set[int]) -> tuple[int, int] | None:
    """The span just before an appliance name that could be a brand, trimmed of non-brand words."""
    context = gazetteers().context
    end = appliance_start
    modifier = context.modifier_at_end.search(text, max(0, end - context.modifier_chars), end)
    if modifier and modifier.start() > 0:
        end = modifier.start()
    start = end
    while start > 0 and end - start < _MAX_BRAND_CHARS and start not in stops and _is_brand_char(text[start - 1]):
        start -= 1
    candidate = text[start:end]
    if context.service_after.search(candidate):  # cut after the last service word in it
        start += max((candidate.rfind(word) + len(word) for word in context.service_words if word in candidate), default=0)
    start = _skip_leading_region_names(text, start, end)
    while start < end and (text[start].isdigit() or text[start] in ".-·'"):
        start += 1
    if end - start < 2 or text[start:end] in context.not_brands:
        return None
    return start, end


def _skip_leading_region_names(text: str, start: int, end: int) -> int:
    """"深圳昌尔特": a place name at the front is a region, not part of the brand.

    Only names that stand for a place on their own: a county stem without its suffix (大田 of
    大田县) is a place only right after its parent, so "大田…" may start a brand.
    """
    senses = name_index().senses
    moved = True
    while moved:
        moved = False
        for length in range(min(8, end - start - 2), 1, -1):
            if any(sense.form != "district_stem" for sense in senses.get(text[start : start + length], ())):
                start += length
                moved = True
                break
    return start


def brand_mentions(
    doc: NormalizedText, appliances: list[Mention], regions: list[Region], alias_hits: list[tuple[int, int, str]]
) -> list[Mention]:
    """Known brands where they stand, and brands discovered before appliance names."""
    text = doc.text
    appliance_starts = {m.start for m in appliances}
    # a candidate stops where a region or another appliance ends: "北京海尔", "手机电脑维修"
    stops = {m.end for m in appliances}
    if regions:
        stops |= _region_ends_before(doc, regions, appliances)
    known = _known_brand_mentions(text, alias_hits, appliance_starts)
    known_spans = _Spans([(m.start, m.end) for m in known])
    candidates: Counter[str] = Counter()
    serviced: set[str] = set()
    service_after = gazetteers().context.service_after
    for appliance in appliances:
        span = _candidate(text, appliance.start, stops)
        if span is None or known_spans.overlaps(*span):
            continue  # a known brand is already there (海尔空调)
        name = text[span[0] : span[1]]
        candidates[name] += 1
        if service_after.match(text, _SPACES_OR_DIGITS.match(text, appliance.end).end()):
            serviced.add(name)
    # Seen twice, once at least in a service phrase ("昌尔特热水器售后"): "请用手机扫码" names no brand.
    discovered = {name for name, count in candidates.items() if count >= _MIN_DISCOVERED and name in serviced}
    mentions = list(known)
    if discovered:
        mentions += _discovered_mentions(text, discovered, appliance_starts, known_spans)
    return sorted(mentions, key=lambda m: m.start)


def _region_end(region: Region) -> int:
    return region.span[1]


def _region_ends_before(doc: NormalizedText, regions: list[Region], appliances: list[Mention]) -> set[int]:
    """Ends of the regions a brand candidate before each appliance could reach, in normalized offsets.

    `regions` are in text order, as `extract_regions` gives them: a page lists hundreds, and
    only those just before an appliance matter, so each appliance costs one binary search.
    """
    reach = _MAX_BRAND_CHARS + gazetteers().context.modifier_chars + 1
    ends: set[int] = set()
    for appliance in appliances:
        lo, hi = max(0, appliance.start - reach), appliance.start
        if not doc.is_identity:
            lo, hi = doc.to_original(lo, lo)[0], doc.to_original(hi, hi)[0]
        i = bisect.bisect_left(regions, lo, key=_region_end)
        while i < len(regions) and regions[i].span[1] <= hi:
            end = regions[i].span[1]
            ends.add(end if doc.is_identity else doc.to_normalized(end))
            i += 1
    return ends


class _Spans:
    """Sorted, non-overlapping spans with an O(log n) overlap test (pages can hold thousands)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [start for start, _ in self.spans]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)  # spans starting before `end`; the last may overlap
        return i > 0 and self.spans[i - 1][1] > start


def _discovered_mentions(text: str, names: set[str], appliance_starts: set[int], taken: _Spans) -> list[Mention]:
    found = []
    for match in _longest_first(names).finditer(text):
        start, end, name = match.start(), match.end(), match.group()
        if taken.overlaps(start, end):
            continue
        if _at_appliance(text, end, appliance_starts) or gazetteers().context.service_or_end_after.match(text, end):
            found.append(Mention(start, end, name, name))
    return found


def _group(doc: NormalizedText, mentions: list[Mention]) -> dict[str, list[tuple[int, int, str]]]:
    grouped: dict[str, list[tuple[int, int, str]]] = {}
    for mention in mentions:
        a, b = doc.to_original(mention.start, mention.end)
        grouped.setdefault(mention.key, []).append((a, b, doc.original[a:b]))
    return grouped


def _most_written(occurrences: list[tuple[int, int, str]]) -> str:
    return Counter(written for _, _, written in occurrences).most_common(1)[0][0]


def extract_appliances(text: str | NormalizedText) -> list[Appliance]:
    """One `Appliance` per category on the page, with every span, in first-seen order."""
    doc = text if isinstance(text, NormalizedText) else normalize(text)
    return _appliances(doc, appliance_mentions(doc))


def _appliances(doc: NormalizedText, mentions: list[Mention]) -> list[Appliance]:
    names = gazetteers().appliance_names
    result = []
    for category, occurrences in _group(doc, mentions).items():
        written = [w for _, _, w in occurrences]
        label = names[next(m.written for m in mentions if m.key == category)].label
        result.append(
            Appliance(
                name=_most_written(occurrences),
                category=category,
                label=label,
                count=len(occurrences),
                spans=[(a, b) for a, b, _ in occurrences],
                raw=list(dict.fromkeys(written)),
            )
        )
    return result


def _brands(doc: NormalizedText, mentions: list[Mention]) -> list[Brand]:
    known = gazetteers().canonical
    result = []
    for key, occurrences in _group(doc, mentions).items():
        result.append(
            Brand(
                name=_most_written(occurrences),
                canonical=key if key in known else None,
                known=key in known,
                count=len(occurrences),
                spans=[(a, b) for a, b, _ in occurrences],
                raw=list(dict.fromkeys(w for _, _, w in occurrences)),
            )
        )
    return result


class BrandsAndAppliances(NamedTuple):
    brands: list[Brand]
    appliances: list[Appliance]
    brand_mentions: list[Mention]
    appliance_mentions: list[Mention]


def extract_brands_and_appliances(text: str | NormalizedText, regions: list[Region] | None = None) -> BrandsAndAppliances:
    """Brands and appliances together: brands are discovered from where appliances stand.

    `regions` (from `extract_regions`) lets a place written before a brand ("北京海尔空调") be
    left out of it; without them the region name index still strips known place names.
    """
    doc = text if isinstance(text, NormalizedText) else normalize(text)
    appliances, alias_hits = _terms(doc)
    brands = brand_mentions(doc, appliances, regions or [], alias_hits)
    return BrandsAndAppliances(_brands(doc, brands), _appliances(doc, appliances), brands, appliances)


def extract_brands(text: str | NormalizedText, regions: list[Region] | None = None) -> list[Brand]:
    """Brands only; see `extract_brands_and_appliances`."""
    return extract_brands_and_appliances(text, regions).brands


def regions_outside_brands(regions: list[Region], brands: list[Brand]) -> list[Region]:
    """The region mentions that are not inside a known brand's name: "阿里斯顿" is no 阿里地区.

    Both come with spans into the same text. A brand named after a place (`place_brand` in
    data/brand_places.csv) keeps the regions it overlaps.
    """
    if not regions or not brands:
        return regions
    places = gazetteers().places.brands
    spans = _Spans([span for brand in brands if brand.known and brand.canonical not in places for span in brand.spans])
    if not spans.spans:
        return regions
    return [region for region in regions if not spans.overlaps(region.span[0], region.span[1])]


def brand_categories(canonical: str) -> tuple[str, ...]:
    """The appliance categories a known brand makes, from data/brands.csv (empty if unknown)."""
    for known in gazetteers().brand_names.values():
        if known.canonical == canonical:
            return known.categories
    return ()
