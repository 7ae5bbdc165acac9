"""Every way a page may write a division's name, compiled once into an Aho-Corasick automaton.

Full names (广西壮族自治区, 黔南布依族苗族自治州, 科尔沁左翼中旗), the short forms pages use for
provinces (广西, 内蒙古) and prefectures (黔南, 湘西州, 海西蒙古族, 自贡), former names from the
change table (长泰县 -> 长泰区), our authored aliases (直辖县, 加格达奇区, 博州), and the stems of
county-level names (西湖 for 西湖区, 巩义 for 巩义市, 浦东 for 浦东新区), which count only right after
their parent or in a list that follows it. One name may stand for several units ("海南": the
province, and Qinghai's 海南藏族自治州); the resolver decides.

The index also carries the word lists the resolver needs (all from `data/`, read once): generic
names that are ordinary words (城区, 郊区), the words that turn a bare name into a proper noun of
something else (北海公园, 中山路), and the prominence of units that share a name (朝阳区).
"""

from __future__ import annotations

import csv
import importlib.resources
import io
import re
from pathlib import Path
from functools import lru_cache
from typing import Literal, NamedTuple

import ahocorasick

from extractors.divisions import Division, DivisionTable, build_division_table, cpca_resource, data_dir, table_sources
from extractors.lazy_regex import LazyPattern
from extractors.table_cache import as_plain_tuple, cached

Form = Literal["full", "short", "stem", "district_stem", "former", "alias", "nonadmin", "marker"]

_PROVINCE_SUFFIX = LazyPattern(r"(?:壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市)$")
_CITY_SUFFIX = LazyPattern(r"(?:市|地区|盟)$")
# A county-level name less these is its stem ("西湖区" -> 西湖); the two-character ones only when
# no sibling takes the same stem with a one-character suffix (井陉县, not 井陉矿区).
_COUNTY_SUFFIXES = frozenset("区县市旗")
_COUNTY_LONG_SUFFIXES = frozenset({"新区", "林区", "矿区"})
# Last characters of a former name or alias written with its administrative suffix (襄樊市, 博州).
_SUFFIX_CHARS = frozenset("省市区县旗州盟")
_ALIAS_FORMS: dict[str, Form] = {"marker": "marker", "nonadmin": "nonadmin", "former": "former"}


class NameSense(NamedTuple):
    """One unit a written name can stand for, and how it is written.

    A named tuple rather than a frozen dataclass: the index makes thousands at start-up, and a
    tuple is built several times faster.
    """

    adcode: str | None  # None for markers such as 直辖县
    form: Form
    former_name: str | None = None

    __reduce__ = as_plain_tuple


class NameIndex(NamedTuple):
    automaton: ahocorasick.Automaton
    senses: dict[str, tuple[NameSense, ...]]
    table: DivisionTable
    stopwords: tuple[str, ...]
    stopword_pattern: re.Pattern[str]  # any of `stopwords`, to match at a position
    generic: frozenset[str]  # names that are ordinary words: never a mention alone
    bare: frozenset[str]  # names written without a suffix (北海, 西湖): a following head word makes a proper noun
    heads: re.Pattern[str]  # matches right after a bare name that is part of a proper noun (公园, 中山北路)
    common_stems: frozenset[str]  # county stems that are ordinary words (南部, 公安): only set apart on the right
    county_stems: frozenset[str]  # names that are only county stems (西湖, 钱塘): count only after their parent
    stem_heads: re.Pattern[str]  # after a county stem only: 杭州[钱塘江] is the river
    prominence: dict[str, float]  # adcode -> prominence of units that share a county-level name


def _nations() -> list[str]:
    """Ethnic group names (蒙古族, 柯尔克孜族 …) from cpca's resource, with and without 族."""
    with open(cpca_resource("56_nations.csv"), encoding="utf-8") as handle:
        names = [line.strip() for line in handle if line.strip()]
    variants = {name for name in names} | {name[:-1] for name in names if name.endswith("族") and len(name) > 2}
    return sorted(variants, key=len, reverse=True)


def _autonomous_forms(name: str, suffix: str, nations: list[str]) -> tuple[str, list[str]]:
    """Stem and partial forms of "黔南布依族苗族自治州": 黔南, 黔南布依族, 黔南布依族苗族."""
    body = name[: -len(suffix)]
    groups: list[str] = []
    while True:
        for nation in nations:
            if body.endswith(nation) and len(body) > len(nation) + 1:
                groups.insert(0, nation)
                body = body[: -len(nation)]
                break
        else:
            break
    partials = []
    prefix = body
    for group in groups:
        prefix += group
        partials.append(prefix)
    return body, partials


def _forms(unit: Division, nations: list[str]) -> list[tuple[str, Form]]:
    name = unit.name
    forms: list[tuple[str, Form]] = [(name, "full")]
    if unit.level == "province":
        short = _PROVINCE_SUFFIX.sub("", name)
        if short != name and len(short) >= 2:
            forms.append((short, "short"))
    elif unit.level == "city":
        if name.endswith("自治州"):
            stem, partials = _autonomous_forms(name, "自治州", nations)
            forms += [(stem, "stem"), (stem + "州", "stem")]
            forms += [(partial, "stem") for partial in partials]
        else:
            stem = _CITY_SUFFIX.sub("", name)
            if stem != name and len(stem) >= 2:
                forms.append((stem, "stem"))
    elif name.endswith(("自治县", "自治旗")):
        stem, _ = _autonomous_forms(name, name[-3:], nations)
        if len(stem) >= 2:
            forms.append((stem + name[-1], "stem"))  # 恭城瑶族自治县 -> 恭城县
    elif name.endswith("区") and len(name) >= 4:
        forms.append((name[:-1], "district_stem"))  # 通辽市科尔沁 -> 科尔沁区, only right after its city
    return forms


def _county_stems(units: list[Division], autonomous: dict[str, str]) -> list[tuple[str, str]]:
    """(stem, adcode) for county-level units written without their suffix: 西湖, 巩义, 浦东, 恭城.

    `autonomous` holds the stems of autonomous counties (恭城 for 恭城瑶族自治县) by adcode. A stem
    is at least two characters. Stems two units under the same parent would share (伊宁县/伊宁市)
    are left out: without the suffix nothing tells them apart.
    """
    primary: dict[tuple[str, str], list[str]] = {}
    secondary: dict[tuple[str, str], list[str]] = {}
    for unit in units:
        if unit.level != "county":
            continue
        parent = unit.city or unit.province
        name = unit.name
        if name.endswith(("自治县", "自治旗")):
            stem = autonomous.get(unit.adcode, "")
            if len(stem) >= 2:
                primary.setdefault((stem, parent), []).append(unit.adcode)  # 恭城瑶族自治县 -> 恭城
            continue
        if name[-1] in _COUNTY_SUFFIXES and len(name) >= 3:
            primary.setdefault((name[:-1], parent), []).append(unit.adcode)
            if name[-2:] in _COUNTY_LONG_SUFFIXES and len(name) >= 4:
                secondary.setdefault((name[:-2], parent), []).append(unit.adcode)
    stems = [(stem, codes[0]) for (stem, _), codes in primary.items() if len(codes) == 1]
    stems += [(key[0], codes[0]) for key, codes in secondary.items() if len(codes) == 1 and key not in primary]
    return stems


def _shared_suffix_forms(table: DivisionTable) -> list[tuple[str, str]]:
    """"济南市中区": the city's 市 is also the first character of its county 市中区.

    Written that way, the longest name at the start is 济南市 and 市中区 is never seen, so the
    whole is a name of its own: the city's stem and the county's full name.
    """
    forms = []
    for unit in table.units.values():
        if unit.level != "county" or unit.city is None or not unit.name.startswith(("市", "地", "盟")):
            continue
        city = table.units[unit.city].name
        stem = _CITY_SUFFIX.sub("", city)
        if stem != city and len(stem) >= 2 and unit.name.startswith(city[len(stem) :]):
            forms.append((stem + unit.name, unit.adcode))
    return forms


def _alias_rows() -> list[dict[str, str]]:
    text = importlib.resources.files("extractors").joinpath("data/region_aliases.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _stopwords() -> tuple[str, ...]:
    text = importlib.resources.files("extractors").joinpath("data/region_stopwords.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _word_list(name: str) -> frozenset[str]:
    text = importlib.resources.files("extractors").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _data_rows(name: str) -> list[dict[str, str]]:
    """Rows of a CSV in data/, skipping leading '#' comment lines."""
    text = importlib.resources.files("extractors").joinpath(f"data/{name}").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


def generic_names() -> frozenset[str]:
    """County-level names that are ordinary words (城区, 郊区): only a mention right after a parent."""
    return frozenset(row["name"] for row in _data_rows("region_generic_names.csv") if row["generic"] == "yes")


def _heads(scope: str = "all") -> re.Pattern[str]:
    """Head words after a bare name (`scope` "all") or after a county stem only ("county_stem")."""
    rows = [row for row in _data_rows("region_name_heads.csv") if row["after"] == scope or row["kind"] == "not_head"]
    words = lambda kind: sorted((row["word"] for row in rows if row["kind"] == kind), key=len, reverse=True)  # noqa: E731
    road, head, not_head = words("road"), words("head"), words("not_head")
    alternatives = []
    if road:
        alternatives.append(f"[东西南北中]?(?:{'|'.join(map(re.escape, road))})")
    if head:
        alternatives.append("|".join(map(re.escape, head)))
    guard = f"(?!{'|'.join(map(re.escape, not_head))})" if not_head else ""
    return re.compile(f"{guard}(?:{'|'.join(alternatives)})" if alternatives else "(?!)")


def prominence() -> dict[str, float]:
    """adcode -> resident population (2020 census, 10k persons) of units sharing a county-level name."""
    return {row["adcode"]: float(row["population_10k"]) for row in _data_rows("region_prominence.csv")}


def _all_bare(table: DivisionTable, name: str, bucket: list[NameSense]) -> bool:
    for sense in bucket:
        if not _is_bare(table, name, sense):
            return False
    return True


def _is_bare(table: DivisionTable, name: str, sense: NameSense) -> bool:
    """Is `name` written without an administrative suffix in this sense (北海, 广州, 西湖, 广西)?

    Such a name followed by a head word is part of a proper noun (北海公园); a name with its
    suffix (北海市, 湘西州, 恭城县) is a mention whatever follows.
    """
    form = sense.form
    if form == "full":
        return False
    if form in ("district_stem", "short"):
        return True
    if form == "stem":
        unit = table.units.get(sense.adcode or "")
        # 湘西州 and 恭城县 are stems written with a suffix; 黔南, 广州, 海西蒙古族 are bare.
        return unit is not None and unit.level == "city" and not (unit.name.endswith("自治州") and name.endswith("州"))
    if form in ("former", "alias"):
        return name[-1] not in _SUFFIX_CHARS
    return False


@lru_cache(maxsize=1)
def name_index() -> NameIndex:
    """The automaton over every written form, with the division table it indexes; built once,
    then kept in the table cache (see `table_cache`).

    The automaton is cached too: unpickling it takes about a third of compiling it afresh.
    """
    sources = [*table_sources(), Path(__file__), *sorted(data_dir().glob("region_*"))]
    index = cached("region_names", sources, _build_name_index)
    # Fresh dicts over the loaded objects: per-page look-ups measured no slower than on
    # freshly built tables (bench/run.py, alternating cache on and off).
    table = index.table._replace(units=dict(index.table.units))
    return index._replace(senses=dict(index.senses), table=table, prominence=dict(index.prominence))


def _automaton(senses: dict[str, tuple[NameSense, ...]]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for name in senses:
        automaton.add_word(name, name)
    automaton.make_automaton()
    return automaton


def _build_name_index() -> NameIndex:
    table = build_division_table()
    nations = _nations()
    senses: dict[str, list[NameSense]] = {}

    def add(name: str, sense: NameSense) -> None:
        bucket = senses.get(name)
        if bucket is None:
            senses[name] = [sense]
        elif sense not in bucket:
            bucket.append(sense)

    autonomous: dict[str, str] = {}  # adcode -> stem of an autonomous county (恭城)
    for unit in table.units.values():
        for name, form in _forms(unit, nations):
            add(name, NameSense(unit.adcode, form))
            if form == "stem" and unit.level == "county":
                autonomous[unit.adcode] = name[:-1]  # 恭城县 -> 恭城
    for former in table.former_names:
        if not former.name:
            continue
        add(former.name, NameSense(former.adcode, "former", former.name))
    for row in _alias_rows():
        alias_form = _ALIAS_FORMS.get(row["kind"], "alias")
        add(row["name"], NameSense(row["adcode"] or None, alias_form, row["name"] if alias_form == "former" else None))
    for name, adcode in _county_stems(list(table.units.values()), autonomous):
        add(name, NameSense(adcode, "district_stem"))
    for name, adcode in _shared_suffix_forms(table):
        add(name, NameSense(adcode, "full"))

    bare, county_stems = set(), set()
    for name, bucket in senses.items():
        if len(bucket) == 1 and bucket[0].form == "full":
            continue  # most names: a unit's full name
        if _all_bare(table, name, bucket):
            bare.add(name)
        if all(sense.form == "district_stem" for sense in bucket):
            county_stems.add(name)
    stopwords = _stopwords()
    frozen = {name: tuple(bucket) for name, bucket in senses.items()}
    return NameIndex(
        _automaton(frozen),  # cached with the rest: loading it costs a third of building it
        frozen,
        table,
        stopwords,
        re.compile("|".join(map(re.escape, sorted(stopwords, key=len, reverse=True))) or "(?!)"),
        generic_names(),
        frozenset(bare),
        _heads(),
        _word_list("region_common_stems.txt"),
        frozenset(county_stems),
        _heads("county_stem"),
        prominence(),
    )
