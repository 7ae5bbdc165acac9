"""Administrative-region mentions, each resolved to today's division.

Names are found with one Aho-Corasick pass (leftmost-longest). Names written back to back
("广西" "崇左市" "江州区") form a chain; a chain is cut into mentions where the next name cannot
lie inside the previous one, so the hierarchy, not the first reading of a name, decides:
"海南同德县" is Qinghai's 海南藏族自治州 because 同德县 lies there and not in 海南省, and
"直辖县潜江市" is Hubei's 潜江 because 直辖县 is a marker, never cpca's Chongqing "县".

A bare prefecture stem ("大同", "中山") is only a mention when it is set apart from the words
around it or a known phrase does not start there: "大同小异" and "中山装" are not places. A bare
name followed by a word that makes a proper noun of something else is not a mention either
("北海公园", "中山路", "杭州西湖大道" is 杭州 only); a full name still is ("深圳市人民医院").

County-level names that are ordinary words (城区, 郊区, 新城区: `data/region_generic_names.csv`)
and county stems written without their suffix (西湖, 武侯, 巩义) count only attached to their
parent: in a chain ("阳泉郊区", "杭州西湖", "河南巩义") or in a list that follows it
("广州：天河、越秀、海珠", "北京朝阳、海淀").

A bare name that fits several units (朝阳区) takes the one the page decides: a city the page
names elsewhere, else a province. When nothing decides, it takes the most prominent unit
(`data/region_prominence.csv`, 2020 census population) and the region says `guessed`.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from typing import Any, NamedTuple

from pydantic import BaseModel

from extractors.divisions import Division, DivisionTable
from extractors.lazy_regex import LazyPattern
from extractors.normalize import NormalizedText, is_cjk, normalize
from extractors.region_names import NameIndex, NameSense, name_index
from schemas import Region
from schemas.page_record import RegionLevel

_FORM_PRIORITY = {"full": 5, "short": 4, "former": 3, "alias": 3, "nonadmin": 3, "stem": 2, "district_stem": 1, "marker": 0}
# "淮安市市辖区": NBS's grouping of a prefecture's districts, statistical code xxxx01 (cpca's too).
_CITY_DISTRICTS = "市辖区"
_PLACE_BEFORE = re.compile(r"(?:位于|地处|坐落于|来自|地址|总部在|设在|在|到|去|赴|至)$")
_PLACE_AFTER = re.compile(r"地区|市区|一带|周边|本地|当地|全市|各区")
# Between a parent and the first item of its list ("广州：天河", "深圳 南山", "广州(天河", "深圳-南山"),
# and between items ("天河、越秀", "南山 福田"), after NFKC (：→:, ，→, （→(, dashes → -).
_LIST_OPEN = LazyPattern(r"\s*[:(\-·|]\s*|[ \t\u3000]+")
_LIST_NEXT = LazyPattern(r"\s*[、,/|;]\s*|[ \t\u3000]+")
_LIST_TEMPLATES_LIMIT = 100_000
# Any ideograph of the unified block, written for the CJK runs these patterns only ever see
# (normalize's blocks: Ext A 3400-4DBF, unified 4E00-9FFF, compatibility F900-FAFF): in such a
# run, "not Ext A, not compatibility" is the unified block. sre compiles a class by walking
# every code point it names; this one names a seventh as many, some 1 ms less per pattern at start-up.
_UNIFIED = r"[^\u3400-\u4dff\uf900-\ufaff]"
_TOWN_AFTER = re.compile(_UNIFIED + r"{2,5}?(?:街道办事处|街道|镇镇|镇|乡(?!镇))")
_GENERIC_TOWNS = frozenset({"乡镇", "城镇", "村镇", "小镇", "重镇", "城乡", "市镇", "各乡", "全乡", "全镇", "本镇", "该镇", "乡乡", "镇乡"})
_MAX_NAMES_PER_MENTION = 5  # province, city, county, plus a marker or a non-MCA unit
_CACHED_CHAIN_NAMES = 8  # chains in lists are 1-4 names; a longer one is one-off text
_RUN_CACHE_LIMIT = 100_000
_RUN_CACHE_MAX_CHARS = 64  # list items recur; a paragraph of news does not
_ZONES = (
    r"(?:经济技术开发区|高新技术产业开发区|高新技术开发区|经济开发区|开发区|高新区|经开区|"
    r"园区|新区|新城|示范区|实验区|试验区|合作区|聚集区|保税区|管理区|风景名胜区)"
)
_ZONE_AFTER = re.compile(_UNIFIED + r"{0,12}?" + _ZONES + "(?:管委会)?")
# A county stem right before a zone word names the zone, not the county: 怀化市[洪江管理区].
_STEM_ZONE = re.compile(_UNIFIED + r"{0,2}?" + _ZONES)


class _Reading(NamedTuple):
    """One consistent reading of a run of names: the sense chosen for each."""

    senses: tuple[NameSense, ...]
    units: tuple[Division | None, ...]

    @property
    def deepest(self) -> Division | None:
        for unit in reversed(self.units):
            if unit is not None:
                return unit
        return None

    def score(self) -> int:
        return sum(_FORM_PRIORITY[sense.form] for sense in self.senses)


def _fits(table: DivisionTable, reading: _Reading, sense: NameSense) -> bool:
    """Can `sense` come right after `reading` in one mention?"""
    parent = reading.deepest
    after_marker = reading.senses[-1].form == "marker"
    if sense.form == "marker":
        return not after_marker and (parent is None or parent.level == "province")
    unit = table.units.get(sense.adcode or "")
    if unit is None:
        return False
    if sense.form == "nonadmin":
        return parent is not None and parent.level != "county" and unit.adcode.startswith(parent.adcode.rstrip("0")[:4])
    if after_marker:
        return unit.level == "county" and unit.city is None and (parent is None or unit.province == parent.adcode)
    if parent is None:
        return False
    if sense.form == "former" and unit.adcode == parent.adcode:
        return True  # 杭州市江干区: a district since merged away, now just 杭州市
    if parent.level == "province":
        return unit.level != "province" and unit.province == parent.adcode
    if parent.level == "city":
        return unit.level == "county" and unit.city == parent.adcode
    return False


def _readings(table: DivisionTable, senses: tuple[NameSense, ...]) -> list[_Reading]:
    readings = []
    for sense in senses:
        unit = table.units.get(sense.adcode or "")
        if sense.form == "marker" or unit is not None:
            readings.append(_Reading((sense,), (unit,)))
    return readings


@dataclass(slots=True)
class _Piece:
    """A mention's worth of a chain: how many names it takes and how it can be read."""

    count: int
    readings: tuple[_Reading, ...]  # empty: not a region (a lone marker)
    templates: dict[tuple[int, str | None, str | None, bool], Region]

    @property
    def best(self) -> _Reading:
        return max(self.readings, key=_Reading.score)


def _pieces(chain: tuple[str, ...]) -> tuple[_Piece, ...]:
    """Cut a chain of adjacent names into mentions, each with every reading the hierarchy allows.

    Depends only on the names, so it is cached: service-area lists repeat the same pairs.
    """
    index = name_index()
    table = index.table
    pieces = []
    i = 0
    while i < len(chain):
        readings = _readings(table, index.senses[chain[i]])
        j = i + 1
        while j < len(chain) and readings and j - i < _MAX_NAMES_PER_MENTION:
            extended = [
                _Reading(r.senses + (s,), r.units + (table.units.get(s.adcode or ""),))
                for r in readings
                for s in index.senses[chain[j]]
                if _fits(table, r, s)
            ]
            if not extended:
                break
            readings = extended
            j += 1
        kept = [r for r in readings if r.deepest is not None]
        top = max((r.score() for r in kept), default=0)
        # A reading with less specific names never wins (_choose), so only the best are kept:
        # a piece with one left is decided by its names alone.
        pieces.append(_Piece(j - i, tuple(r for r in kept if r.score() == top), {}))
        i = j
    return tuple(pieces)


_cached_pieces = lru_cache(maxsize=100_000)(_pieces)


def _standalone_ok(index: NameIndex, text: str, start: int, end: int, sense: NameSense, name: str, name_follows: bool = False) -> bool:
    """A lone name that is also part of ordinary words must be set apart to count.

    `name_follows`: another name starts at `end` (北京[湖北省]), so no head word can.
    """
    if sense.form == "district_stem" or name in index.generic:
        return False  # "科尔沁" is 科尔沁区 only right after 通辽市; "城区" only after 阳泉市
    if sense.form in ("full", "former") and end - start > 2:
        return True
    if index.stopword_pattern.match(text, start):
        return False
    if not name_follows and name in index.bare and index.heads.match(text, end):
        return False  # 中山路, 北京东路, 北海公园: something else named after the place
    if sense.form == "short":
        return True
    if _PLACE_BEFORE.search(text, max(0, start - 4), start) or _PLACE_AFTER.match(text, end):
        return True  # 位于深圳, 深圳地区: the words around say it is a place
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return not (before and is_cjk(before)) or not (after and is_cjk(after))


def _city_of(unit: Division) -> str | None:
    return unit.adcode if unit.level == "city" else unit.city


def _choose(
    readings: list[_Reading], page_provinces: frozenset[str] | set[str], page_cities: frozenset[str] | set[str], prominence: dict[str, float]
) -> tuple[_Reading, bool]:
    """The best reading, and whether it was guessed.

    Most specific names first; among equals, the one in a city the page names elsewhere, else in
    a province it names; when that does not single one out, the most prominent (then the lowest
    code), and the choice is a guess.
    """
    top = max(reading.score() for reading in readings)
    candidates = [reading for reading in readings if reading.score() == top]
    if len(candidates) > 1:
        for evidence, place in ((page_cities, _city_of), (page_provinces, lambda unit: unit.province)):
            named = [r for r in candidates if place(r.deepest) in evidence]  # type: ignore[arg-type]
            if len(named) == 1:
                return named[0], False
            if named:
                candidates = named
                break
    if len(candidates) == 1:
        return candidates[0], False

    def key(reading: _Reading) -> tuple[float, int]:
        deepest = reading.deepest
        assert deepest is not None
        return (prominence.get(deepest.adcode, -1.0), -int(deepest.adcode))

    return max(candidates, key=key), True


def _region(table: DivisionTable, reading: _Reading, town: str | None, unofficial_county: str | None, guessed: bool = False) -> Region:
    """A validated template for every mention read this way; text and span are filled per mention.

    `unofficial_county` is a development zone or non-MCA unit (加格达奇区) as written.
    """
    deepest = reading.deepest
    assert deepest is not None
    province = table.units[deepest.province]
    city = table.units[deepest.adcode] if deepest.level == "city" else (table.units[deepest.city] if deepest.city else None)
    county = deepest.name if deepest.level == "county" else unofficial_county
    level: RegionLevel
    if unofficial_county is not None:
        level = "county"
    elif town is not None:
        level = "town"
    else:
        level = deepest.level
    return Region(
        text="",
        span=(0, 0),
        province=province.name,
        city=city.name if city else None,
        county=county,
        town=town,
        adcode=deepest.adcode[:4] + "01" if unofficial_county == _CITY_DISTRICTS else deepest.adcode,
        level=level,
        former_name=next((s.former_name for s in reading.senses if s.former_name), None),
        official=unofficial_county is None,
        lon=deepest.lon,
        lat=deepest.lat,
        guessed=guessed,
    )


def _tail(text: str, end: int, deepest: Division) -> tuple[int, str | None, str | None]:
    """A development zone or town ("大朗镇") written right after the mention."""
    if deepest.level == "city" and text.startswith(_CITY_DISTRICTS, end):
        return end + len(_CITY_DISTRICTS), None, _CITY_DISTRICTS
    zone = _ZONE_AFTER.match(text, end) if deepest.level == "city" else None
    town = _TOWN_AFTER.match(text, end) if deepest.level != "province" else None
    if town and town.group() in _GENERIC_TOWNS:
        town = None
    if zone and not (town and town.end() >= zone.end()):
        return zone.end(), None, zone.group()  # 平原城乡一体化示范区, not the "town" 平原城乡
    if town:
        return town.end(), town.group(), None  # 新城镇, not the zone 新城
    return end, None, None


def _mentions(index: NameIndex, text: str) -> Iterator[tuple[int, int, _Piece, tuple[str, ...]]]:
    """(start, end of names, piece, names) for each mention, before towns and zones."""
    chain: list[tuple[int, int, str]] = []
    senses = index.senses
    for last, name in index.automaton.iter_long(text):
        start, end = last - len(name) + 1, last + 1
        if name[-1] == "区" and text.startswith("域", end) and name[:-1] in senses:
            name, end = name[:-1], end - 1  # 西安[区域]: the 区 is the word 区域's, not 西安区's
        if chain and start != chain[-1][1]:
            for part in _proper_noun_cut(index, text, chain):
                yield from _cut(index, text, part)
            chain = []
        chain.append((start, end, name))
    if chain:
        for part in _proper_noun_cut(index, text, chain):
            yield from _cut(index, text, part)


def _proper_noun_cut(index: NameIndex, text: str, chain: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """The chain without the bare names that begin a proper noun or an ordinary word.

    A known phrase starting at a bare name after the first ends the chain there (武汉[江汉平原],
    石家庄[新华社]); names after the phrase start a chain of their own. A bare name that ends the
    chain is left out when a head word follows it (杭州[西湖大道], 广东[中山大学]), when it is a
    county stem that is an ordinary word running on into the text (荆州[公安局]), or a county
    stem that begins a zone's name, so that the zone goes with the city (拉萨市[达孜工业园区]).
    """
    if len(chain) == 1:
        return [chain]
    bare, stopwords = index.bare, index.stopword_pattern
    parts: list[list[tuple[int, int, str]]] = []
    part = [chain[0]]
    i = 1
    while i < len(chain):
        start, _, name = chain[i]
        phrase = stopwords.match(text, start) if name in bare else None
        if phrase is None:
            part.append(chain[i])
            i += 1
            continue
        parts.append(part)
        i += 1
        while i < len(chain) and chain[i][0] < phrase.end():
            i += 1  # names inside the phrase
        part = [chain[i]] if i < len(chain) else []
        i += 1
    if part:
        parts.append(part)
    return [_without_proper_noun_end(index, text, part) for part in parts]


def _without_proper_noun_end(index: NameIndex, text: str, part: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    if len(part) > 1:
        _, end, name = part[-1]
        if name in index.bare and (
            index.heads.match(text, end)
            or (end < len(text) and name in index.common_stems)
            or (name in index.county_stems and (_STEM_ZONE.match(text, end) or index.stem_heads.match(text, end)))
        ):
            return part[:-1]
    return part


def _cut(index: NameIndex, text: str, chain: list[tuple[int, int, str]]) -> Iterator[tuple[int, int, _Piece, tuple[str, ...]]]:
    names = tuple(name for _, _, name in chain)
    at = 0
    for piece in (_cached_pieces if len(names) <= _CACHED_CHAIN_NAMES else _pieces)(names):
        first, last = chain[at], chain[at + piece.count - 1]
        written = names[at : at + piece.count]
        at += piece.count
        if not piece.readings:
            continue
        if piece.count == 1 and not _standalone_ok(index, text, first[0], first[1], piece.best.senses[0], written[0], at < len(chain)):
            continue
        yield first[0], last[1], piece, written


class _Found(NamedTuple):
    """A mention inside one run of CJK text, in run-relative offsets."""

    start: int
    end: int  # after any town or zone
    piece: _Piece
    written: tuple[str, ...]
    choice: int | None  # None: ambiguous, decided by the rest of the page
    town: str | None
    unofficial: str | None
    template: Region | None  # the region, but for text and span, when `choice` is known


# The list a run's last mention may head when it ends the run (_scope_after), and the run's length.
_Lead = tuple["_Scope", LazyPattern, int]
# A decided mention's template as `extract_regions` copies it: its field values (`__dict__`) and
# fields set, taken out of the model once, since attribute look-ups on a pydantic model are slow.
_Fields = tuple[dict[str, Any], set[str]]
# run -> ((start, end, template's fields or None, found, text), ...), whether any needs the page to decide, lead
_Located = tuple[tuple[tuple[int, int, "_Fields | None", _Found, str], ...], bool, "_Lead | None"]
_run_cache: dict[str, _Located] = {}


def _default_choice(piece: _Piece) -> int:
    return piece.readings.index(_choose(list(piece.readings), frozenset(), frozenset(), name_index().prominence)[0])


def _run_mentions(index: NameIndex, run: str) -> _Located:
    """Mentions in one run of CJK characters.

    Names, towns and zones are all CJK, and everything a decision looks at (neighbouring
    characters, phrases) lies inside the run or is its non-CJK border, so the answer depends
    on the run alone and is cached: service-area items ("武汉市武昌区") recur across pages.
    """
    cached = _run_cache.get(run)
    if cached is not None:
        return cached
    found = []
    covered = 0  # a zone or town written after a mention may contain names: they are part of it
    for start, names_end, piece, written in _mentions(index, run):
        if start < covered:
            continue
        choice = 0 if len(piece.readings) == 1 else None
        reading = piece.readings[_default_choice(piece) if choice is None else choice]
        end, town, unofficial = _tail_of(run, names_end, reading, written)
        template = None if choice is None else _template(index.table, piece, choice, town, unofficial)
        found.append(_Found(start, end, piece, written, choice, town, unofficial, template))
        covered = end
    if len(_run_cache) >= _RUN_CACHE_LIMIT:
        _run_cache.clear()
    result = (
        tuple((f.start, f.end, _fields(f.template), f, run[f.start : f.end]) for f in found),
        any(f.template is None for f in found),
        _lead(found[-1], len(run)) if found else None,
    )
    if len(run) <= _RUN_CACHE_MAX_CHARS:
        _run_cache[run] = result
    return result


def _lead(last: _Found, run_end: int) -> _Lead | None:
    """The list a run's last mention may head: only a decided unit, not a town or zone, ending the run."""
    template = last.template
    if last.end != run_end or template is None or template.town is not None or not template.official:
        return None
    scope = _scope_after(template.adcode)
    return None if scope is None else (*scope, run_end)


def clear_region_caches() -> None:
    """Forget cached runs and chains (the division tables stay loaded)."""
    _run_cache.clear()
    _list_templates.clear()
    _cached_pieces.cache_clear()


def _tail_of(run: str, names_end: int, reading: _Reading, written: tuple[str, ...]) -> tuple[int, str | None, str | None]:
    deepest = reading.deepest
    assert deepest is not None
    end, town, zone = _tail(run, names_end, deepest)
    unofficial = zone or next((w for w, s in zip(written, reading.senses) if s.form == "nonadmin"), None)
    return end, town, unofficial


def _fields(template: Region | None) -> _Fields | None:
    return None if template is None else (template.__dict__, template.__pydantic_fields_set__)


def _stamp(template: Region, text: str, span: tuple[int, int]) -> dict[str, Any]:
    """The field values of a validated template with its own text and span (see `_regions`)."""
    fields = template.__dict__.copy()
    fields["text"] = text
    fields["span"] = span
    return fields


def _regions(fields: list[dict[str, Any]], fields_sets: list[set[str]]) -> list[Region]:
    """Regions with these field values and fields set, made as `model_copy` makes a copy: the
    values are a validated template's but for text and span, and both come straight from the
    page, so nothing is left unvalidated that validation would catch.

    A page lists hundreds of places, so the models are made all at once, each of the four slots
    pydantic keeps a model's state in filled by one pass in C over the page's regions (through
    the slot's descriptor, what object.__setattr__ ends up calling): per region calls from
    Python cost about twice as much.
    """
    regions = list(map(_new_region, repeat(Region, len(fields))))
    _consume(map(_set_dict, regions, fields))
    _consume(map(_set_fields_set, regions, fields_sets))
    _consume(map(_set_extra, regions, repeat(None)))
    _consume(map(_set_private, regions, repeat(None)))
    return regions


_new_region = Region.__new__
_set_dict, _set_fields_set, _set_extra, _set_private = (
    vars(BaseModel)[slot].__set__ for slot in ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")
)
_consume = deque(maxlen=0).extend  # runs an iterator to its end, in C


def _template(table: DivisionTable, piece: _Piece, choice: int, town: str | None, unofficial: str | None, guessed: bool = False) -> Region:
    key = (choice, town, unofficial, guessed)
    template = piece.templates.get(key)
    if template is None:
        template = piece.templates[key] = _region(table, piece.readings[choice], town, unofficial, guessed)
    return template


def extract_regions(text: str | NormalizedText) -> list[Region]:
    """Every region mention, in text order; a place named twice is two mentions."""
    doc = text if isinstance(text, NormalizedText) else normalize(text)
    index = name_index()
    table, senses, normalized = index.table, index.senses, doc.text
    original, identity, unchanged = doc.original, doc.is_identity, doc.text is doc.original
    # Each mention's field values and fields set, in text order; the models are made at the end.
    fields: list[dict[str, Any] | None] = []
    fields_sets: list[set[str] | None] = []
    pending: list[tuple[int, int, _Found, str]] = []  # ambiguous: decided once the page is read
    cache_get, add, add_set = _run_cache.get, fields.append, fields_sets.append
    lead: _Lead | None = None  # the list the previous run (at `lead_at`) may head
    lead_at = run_end = 0
    parts = iter(doc.cjk_parts())
    for gap, run in zip(parts, parts):  # (text before a run, the run): offsets are added up here
        offset = run_end + len(gap)
        run_end = offset + len(run)
        if lead is not None and run in senses:
            # A run that is one name, right after a parent or a list item: an item of the list.
            scope, gap_pattern, length = lead
            item = _list_item(index, run, scope) if gap_pattern.fullmatch(normalized, lead_at + length, offset) else None
            if item is not None:
                a, b = offset, run_end
                if not identity:
                    a, b = doc.to_original(a, b)
                add(_stamp(item, original[a:b], (a, b)))
                add_set(item.__pydantic_fields_set__)
                lead, lead_at = (scope, _LIST_NEXT, len(run)), offset
                continue
        located = cache_get(run) or _run_mentions(index, run)
        for start, end, template, found, written in located[0]:
            if template is None:
                pending.append((len(fields), offset, found, run))
                add(None)  # filled in below
                add_set(None)
                continue
            if identity:
                a = offset + start
                b = offset + end
                if not unchanged:
                    written = original[a:b]
            else:
                a, b = doc.to_original(offset + start, offset + end)
                written = original[a:b]
            values, fields_set = template
            values = values.copy()  # `_stamp`, written out: this loop is most of a page's regions' cost
            values["text"] = written
            values["span"] = (a, b)
            add(values)
            add_set(fields_set)
        lead, lead_at = located[2], offset
    if pending:
        adcodes = [values["adcode"] for values in fields if values is not None]
        page_provinces = {adcode[:2] + "0000" for adcode in adcodes}
        page_cities = {city for adcode in adcodes if (city := adcode[:4] + "00") in table.units and city[2:] != "0000"}
        for position, offset, found, run in pending:
            template, end = _decide(index, found, run, page_provinces, page_cities)
            a, b = offset + found.start, offset + end
            if not identity:
                a, b = doc.to_original(a, b)
            fields[position] = _stamp(template, original[a:b], (a, b))
            fields_sets[position] = template.__pydantic_fields_set__
    return _regions(fields, fields_sets)  # type: ignore[arg-type]  # every None was filled


def _decide(index: NameIndex, found: _Found, run: str, page_provinces: set[str], page_cities: set[str]) -> tuple[Region, int]:
    """Template and end of an ambiguous mention, read in the light of the whole page."""
    piece = found.piece
    reading, guessed = _choose(list(piece.readings), page_provinces, page_cities, index.prominence)
    choice = piece.readings.index(reading)
    end, town, unofficial = found.end, found.town, found.unofficial
    if choice != _default_choice(piece):
        names_end = found.start + sum(map(len, found.written))
        end, town, unofficial = _tail_of(run, names_end, piece.readings[choice], found.written)
    return _template(index.table, piece, choice, town, unofficial, guessed), end


class _Scope(NamedTuple):
    """The units a list may name after a parent: its children, or a county's siblings."""

    province: str
    city: str | None  # the units' city (None: directly under the province)
    any_level: bool  # a province's list: its prefectures and its counties alike

    def admits(self, unit: Division) -> bool:
        if unit.province != self.province or unit.level == "province":
            return False
        if self.any_level:
            return True
        return unit.level == "county" and unit.city == self.city


@lru_cache(maxsize=4096)
def _scope_after(adcode: str) -> tuple[_Scope, LazyPattern] | None:
    """The list a mention of `adcode` may head, and what must stand between it and the first item.

    A province or city heads a list of its units after a colon, a bracket or spaces ("广州：天河、
    越秀", "深圳 南山 福田"); a county heads a list of its siblings after a list separator ("北京朝阳、
    海淀"). A town or a non-MCA unit heads nothing (the caller checks).
    """
    unit = name_index().table.units.get(adcode)
    if unit is None:
        return None
    if unit.level == "province":
        return _Scope(unit.province, None, True), _LIST_OPEN
    if unit.level == "city":
        return _Scope(unit.province, unit.adcode, False), _LIST_OPEN
    return _Scope(unit.province, unit.city, False), _LIST_NEXT


_list_templates: dict[tuple[str, _Scope], Region | None] = {}


def _list_item(index: NameIndex, name: str, scope: _Scope) -> Region | None:
    """The region a list item names within its parent's scope ("天河" after 广州), or None."""
    key = (name, scope)
    if key in _list_templates:
        return _list_templates[key]
    table = index.table
    fitting = []
    for sense in index.senses[name]:
        unit = table.units.get(sense.adcode or "")
        if unit is None or sense.form in ("marker", "nonadmin"):
            continue
        if scope.admits(unit) or (sense.form == "former" and unit.adcode == scope.city):
            fitting.append(_Reading((sense,), (unit,)))
    template = None
    if fitting:
        reading, guessed = _choose(fitting, frozenset(), frozenset(), index.prominence)
        template = _region(table, reading, None, None, guessed)
    if len(_list_templates) >= _LIST_TEMPLATES_LIMIT:
        _list_templates.clear()
    _list_templates[key] = template
    return template


def distinct_regions(regions: list[Region]) -> list[Region]:
    """One region per distinct place (adcode, county as written, town), first mention kept."""
    seen: dict[tuple[str, str | None, str | None], Region] = {}
    for region in regions:
        seen.setdefault((region.adcode, region.county, region.town), region)
    return list(seen.values())
