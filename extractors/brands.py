"""Brands and appliances: what a page claims to service, and for whom.

These pages repeat "<brand><appliance><service words>" line after line ("阿拉好太太消毒柜售后维修"),
so the brand is found from the page itself: the text right before an appliance name, cut at
the previous boundary (line start, punctuation, a region, a service word), and seen at least
twice. That finds brands no list has (昌尔特, 阿拉好太太, 超人). A gazetteer of known brands
(`data/brands.csv`) then gives canonical names to aliases (Haier -> 海尔), and finds known brands
wherever they stand; brands that are also common words (美的, 老板) only count right before an
appliance or a service word, never in "真美的东西". The words that bound a brand (service words,
words that are never brands, modifiers such as 家用) are data too: `data/brand_context.csv`.
"""

from __future__ import annotations

import bisect
import csv
import importlib.resources
import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from extractors.normalize import NormalizedText, normalize
from extractors.region_names import name_index
from schemas import Appliance, Brand, Region

_BRAND_CHAR = re.compile(r"[\u3400-\u9fffA-Za-z0-9.&·'\-]")
_LATIN = re.compile(r"[A-Za-z]")
_MIN_DISCOVERED = 2
_MAX_BRAND_CHARS = 10
_NOT_APPLIANCE_AFTER = re.compile(r"台|剧|节目|广告|新闻|直播|塔|房|费")
_CJK_ONLY = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# run -> ((start, end, is_appliance, name), ...): appliance names and CJK brand aliases in it
_run_terms: dict[str, tuple[tuple[int, int, bool, str], ...]] = {}
_RUN_CACHE_LIMIT = 100_000
_RUN_CACHE_MAX_CHARS = 64


@dataclass(frozen=True, slots=True)
class _ApplianceName:
    category: str
    label: str


@dataclass(frozen=True, slots=True)
class _KnownBrand:
    canonical: str
    needs_context: bool


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of a brand or appliance, in normalized offsets."""

    start: int
    end: int
    key: str  # canonical brand, discovered brand, or appliance category
    written: str


@dataclass(frozen=True, slots=True)
class _Context:
    """The words around brands, from data/brand_context.csv (role: service, not_brand, modifier)."""

    service_words: tuple[str, ...]  # end a brand candidate: what stands before them is not the brand
    service_after: re.Pattern[str]  # a common-word brand (美的) counts only right before these
    service_or_end_after: re.Pattern[str]  # after a discovered brand the end of a phrase counts too
    not_brands: frozenset[str]  # candidates that are never brands (全国, 厂家, AI …)
    modifier_at_end: re.Pattern[str]  # between brand and appliance: "海尔家用空调" is 海尔
    modifier_chars: int


@dataclass(frozen=True, slots=True)
class _Gazetteers:
    context: _Context
    appliances: re.Pattern[str]
    cjk_brands: re.Pattern[str]  # aliases written in CJK only: looked for inside CJK runs
    other_brands: re.Pattern[str]  # aliases with Latin letters (Haier, A.O.史密斯): whole text
    appliance_names: dict[str, _ApplianceName]
    brand_names: dict[str, _KnownBrand]


def _data(name: str) -> list[dict[str, str]]:
    text = importlib.resources.files("extractors").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _longest_first(words: Iterable[str]) -> re.Pattern[str]:
    """A regex that finds the leftmost, then longest, of `words` (a few hundred at most).

    For short lists the regex engine beats an Aho-Corasick automaton on these pages.
    """
    return re.compile("|".join(map(re.escape, sorted(set(words), key=len, reverse=True))))


@lru_cache(maxsize=1)
def gazetteers() -> _Gazetteers:
    """Appliance and brand gazetteers, compiled once per process."""
    appliances = {row["name"]: _ApplianceName(row["category"], row["label_en"]) for row in _data("appliances.csv")}
    brands: dict[str, _KnownBrand] = {}
    for row in _data("brands.csv"):
        known = _KnownBrand(row["canonical"], row["needs_context"] == "1")
        for alias in [row["canonical"], *filter(None, row["aliases"].split(";"))]:
            brands[alias] = known
    cjk = [alias for alias in brands if _CJK_ONLY.fullmatch(alias)]
    other = [alias for alias in brands if not _CJK_ONLY.fullmatch(alias)]
    return _Gazetteers(_context(), _longest_first(appliances), _longest_first(cjk), _longest_first(other), appliances, brands)


def _context() -> _Context:
    words: dict[str, list[str]] = {"service": [], "not_brand": [], "modifier": []}
    for row in _data("brand_context.csv"):
        words[row["role"]].append(row["word"])
    service = "|".join(map(re.escape, words["service"]))
    modifiers = sorted(words["modifier"], key=len, reverse=True)
    return _Context(
        service_words=tuple(words["service"]),
        service_after=re.compile(service),
        service_or_end_after=re.compile(service + "|[(:：,，。!！?？/\\s]|$"),
        not_brands=frozenset(words["not_brand"]),
        modifier_at_end=re.compile("(?:" + "|".join(map(re.escape, modifiers)) + ")$"),
        modifier_chars=max(map(len, modifiers)),
    )


def _terms_in_run(run: str) -> tuple[tuple[int, int, bool, str], ...]:
    """Appliance names and CJK brand aliases in one CJK run, cached: list items recur."""
    cached = _run_terms.get(run)
    if cached is not None:
        return cached
    g = gazetteers()
    terms = [
        (m.start(), m.end(), True, m.group())
        for m in g.appliances.finditer(run)
        if not _NOT_APPLIANCE_AFTER.match(run, m.end())  # 电视台, 空调房: not the appliance
    ]
    terms += [(m.start(), m.end(), False, m.group()) for m in g.cjk_brands.finditer(run)]
    result = tuple(terms)
    if len(run) <= _RUN_CACHE_MAX_CHARS:
        if len(_run_terms) >= _RUN_CACHE_LIMIT:
            _run_terms.clear()
        _run_terms[run] = result
    return result


def _terms(doc: NormalizedText) -> tuple[list[Mention], list[tuple[int, int, str]]]:
    """(appliance mentions, CJK brand alias hits) over the page, in normalized offsets."""
    names = gazetteers().appliance_names
    appliances: list[Mention] = []
    aliases: list[tuple[int, int, str]] = []
    runs = doc.cjk_runs()
    cached = list(map(_run_terms.get, doc.cjk_run_texts()))
    found = [terms if terms is not None else _terms_in_run(runs[i][1]) for i, terms in enumerate(cached)]
    for index in [i for i, terms in enumerate(found) if terms]:
        offset = runs[index][0]
        for start, end, is_appliance, name in found[index]:
            if is_appliance:
                appliances.append(Mention(offset + start, offset + end, names[name].category, name))
            else:
                aliases.append((offset + start, offset + end, name))
    return appliances, aliases


def appliance_mentions(doc: NormalizedText) -> list[Mention]:
    """Appliance names, longest match first ("燃气热水器", not "热水器" inside it)."""
    return _terms(doc)[0]


def _latin_bounded(text: str, start: int, end: int) -> bool:
    """"LG" counts, "LGBT" does not."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return not (_LATIN.match(text[start]) and before and _LATIN.match(before)) and not (
        _LATIN.match(text[end - 1]) and after and _LATIN.match(after)
    )


def _known_brand_mentions(text: str, cjk_hits: list[tuple[int, int, str]], appliance_starts: set[int]) -> list[Mention]:
    g = gazetteers()
    hits = [(m.start(), m.end(), m.group()) for m in g.other_brands.finditer(text)] + cjk_hits
    hits.sort(key=lambda hit: (hit[0], hit[0] - hit[1]))  # leftmost, then longest
    found: list[Mention] = []
    taken_until = 0
    for start, end, alias in hits:
        if start < taken_until or not _latin_bounded(text, start, end):
            continue  # inside "AO史密斯", 史密斯 is not a second brand
        known = g.brand_names[alias]
        if known.needs_context and not (_at_appliance(text, end, appliance_starts) or g.context.service_after.match(text, end)):
            continue  # 真美的东西: 美的 only as a brand right before an appliance or a service word
        found.append(Mention(start, end, known.canonical, alias))
        taken_until = end
    return found


def _at_appliance(text: str, end: int, appliance_starts: set[int]) -> bool:
    if end in appliance_starts:
        return True
    context = gazetteers().context
    return any(end + length in appliance_starts and context.modifier_at_end.match(text, end, end + length) for length in range(1, context.modifier_chars + 1))


def _candidate(text: str, appliance_start: int, region_ends: set[int]) -> tuple[int, int] | None:
    """The span just before an appliance name that could be a brand, trimmed of non-brand words."""
    context = gazetteers().context
    end = appliance_start
    modifier = context.modifier_at_end.search(text, max(0, end - context.modifier_chars), end)
    if modifier and modifier.start() > 0:
        end = modifier.start()
    start = end
    while start > 0 and end - start < _MAX_BRAND_CHARS and start not in region_ends and _BRAND_CHAR.match(text[start - 1]):
        start -= 1
    candidate = text[start:end]
    cut = max((candidate.rfind(word) + len(word) for word in context.service_words if word in candidate), default=0)
    start += cut
    start = _skip_leading_region_names(text, start, end)
    while start < end and (text[start].isdigit() or text[start] in ".-·'"):
        start += 1
    if end - start < 2 or text[start:end] in context.not_brands:
        return None
    return start, end


def _skip_leading_region_names(text: str, start: int, end: int) -> int:
    """"深圳昌尔特": a place name at the front is a region, not part of the brand."""
    senses = name_index().senses
    moved = True
    while moved:
        moved = False
        for length in range(min(8, end - start - 2), 1, -1):
            if text[start : start + length] in senses:
                start += length
                moved = True
                break
    return start


def brand_mentions(
    doc: NormalizedText, appliances: list[Mention], regions: list[Region], cjk_hits: list[tuple[int, int, str]]
) -> list[Mention]:
    """Known brands where they stand, and brands discovered before appliance names."""
    text = doc.text
    appliance_starts = {m.start for m in appliances}
    region_ends = {r.span[1] for r in regions} if doc.is_identity else {doc.to_normalized(r.span[1]) for r in regions}
    known = _known_brand_mentions(text, cjk_hits, appliance_starts)
    known_spans = _Spans([(m.start, m.end) for m in known])
    candidates: Counter[str] = Counter()
    for appliance in appliances:
        span = _candidate(text, appliance.start, region_ends)
        if span is None or known_spans.overlaps(*span):
            continue  # a known brand is already there (海尔空调)
        candidates[text[span[0] : span[1]]] += 1
    discovered = {name for name, count in candidates.items() if count >= _MIN_DISCOVERED}
    mentions = list(known)
    if discovered:
        mentions += _discovered_mentions(text, discovered, appliance_starts, known_spans)
    return sorted(mentions, key=lambda m: m.start)


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
    known = {k.canonical for k in gazetteers().brand_names.values()}
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


@dataclass(frozen=True, slots=True)
class BrandsAndAppliances:
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
    appliances, cjk_hits = _terms(doc)
    brands = brand_mentions(doc, appliances, regions or [], cjk_hits)
    return BrandsAndAppliances(_brands(doc, brands), _appliances(doc, appliances), brands, appliances)


def extract_brands(text: str | NormalizedText, regions: list[Region] | None = None) -> list[Brand]:
    """Brands only; see `extract_brands_and_appliances`."""
    return extract_brands_and_appliances(text, regions).brands
