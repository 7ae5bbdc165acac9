"""Every way a page may write a division's name, compiled once into an Aho-Corasick automaton.

Full names (广西壮族自治区, 黔南布依族苗族自治州, 科尔沁左翼中旗), the short forms pages use for
provinces (广西, 内蒙古) and prefectures (黔南, 湘西州, 海西蒙古族, 自贡), former names from the
change table (长泰县 -> 长泰区), and our authored aliases (直辖县, 加格达奇区, 博州). One name may
stand for several units ("海南": the province, and Qinghai's 海南藏族自治州); the resolver decides.
"""

from __future__ import annotations

import csv
import importlib.resources
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import ahocorasick

from extractors.divisions import Division, DivisionTable, cpca_resource, division_table

Form = Literal["full", "short", "stem", "district_stem", "former", "alias", "nonadmin", "marker"]

_PROVINCE_SUFFIX = re.compile(r"(?:壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市)$")
_CITY_SUFFIX = re.compile(r"(?:市|地区|盟)$")
_ALIAS_FORMS: dict[str, Form] = {"marker": "marker", "nonadmin": "nonadmin", "former": "former"}


@dataclass(frozen=True, slots=True)
class NameSense:
    """One unit a written name can stand for, and how it is written."""

    adcode: str | None  # None for markers such as 直辖县
    form: Form
    former_name: str | None = None


@dataclass(frozen=True, slots=True)
class NameIndex:
    automaton: ahocorasick.Automaton
    senses: dict[str, tuple[NameSense, ...]]
    table: DivisionTable
    stopwords: tuple[str, ...]


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


def _alias_rows() -> list[dict[str, str]]:
    text = importlib.resources.files("extractors").joinpath("data/region_aliases.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _stopwords() -> tuple[str, ...]:
    text = importlib.resources.files("extractors").joinpath("data/region_stopwords.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def name_index() -> NameIndex:
    """The automaton over every written form; built once per process."""
    table = division_table()
    nations = _nations()
    senses: dict[str, list[NameSense]] = {}

    def add(name: str, sense: NameSense) -> None:
        bucket = senses.setdefault(name, [])
        if sense not in bucket:
            bucket.append(sense)

    for unit in table.units.values():
        for name, form in _forms(unit, nations):
            add(name, NameSense(unit.adcode, form))
    for former in table.former_names:
        if not former.name:
            continue
        add(former.name, NameSense(former.adcode, "former", former.name))
    for row in _alias_rows():
        alias_form = _ALIAS_FORMS.get(row["kind"], "alias")
        add(row["name"], NameSense(row["adcode"] or None, alias_form, row["name"] if alias_form == "former" else None))

    automaton = ahocorasick.Automaton()
    for name in senses:
        automaton.add_word(name, name)
    automaton.make_automaton()
    return NameIndex(automaton, {name: tuple(bucket) for name, bucket in senses.items()}, table, _stopwords())
