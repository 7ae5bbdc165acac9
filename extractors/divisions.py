"""Today's administrative divisions: cpca's table brought up to date by our own change table.

cpca 0.5.5 ships the national table with coordinates, but as of about 2016-2019: it lacks
云州区, 淮阳区, 长泰区 and every other later change. `data/division_changes.csv` (written by us
from the Ministry of Civil Affairs' published changes) renames, recodes, removes and adds units
on top of it. cpca's file is read straight from its installed package, never by importing cpca,
whose import needs `pkg_resources` (gone since setuptools 81).

Loaded once per process (`division_table()`), never per page.
"""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.resources
import io
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

from extractors.table_cache import as_plain_tuple

Level = Literal["province", "city", "county"]

# NBS groupings in cpca's table that are not divisions.
_PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


class Division(NamedTuple):
    """One current division. `city` is None for units directly under a province."""

    adcode: str
    name: str
    level: Level
    province: str
    city: str | None
    lon: float | None
    lat: float | None

    __reduce__ = as_plain_tuple


class FormerName(NamedTuple):
    """A name a page may still use for a unit that was renamed, recoded or merged away."""

    name: str
    adcode: str  # today's unit it resolves to
    year: int

    __reduce__ = as_plain_tuple


class DivisionTable(NamedTuple):
    units: dict[str, Division]
    former_names: tuple[FormerName, ...]

    def get(self, adcode: str) -> Division | None:
        return self.units.get(adcode)

    def parent(self, unit: Division) -> Division | None:
        if unit.level == "county" and unit.city:
            return self.units[unit.city]
        if unit.level != "province":
            return self.units[unit.province]
        return None


def _level(adcode: str) -> Level:
    if adcode.endswith("0000"):
        return "province"
    if adcode.endswith("00"):
        return "city"
    return "county"


def cpca_resource(name: str) -> Path:
    """A file of cpca's resources/, located through package metadata: cpca is never imported."""
    try:
        distribution = importlib.metadata.distribution("cpca")
    except importlib.metadata.PackageNotFoundError as error:
        raise RuntimeError("the cpca package is required for its division table: pip install cpca") from error
    return Path(str(distribution.locate_file(f"cpca/resources/{name}")))


def cpca_rows() -> list[dict[str, str]]:
    """Rows of cpca's resources/adcodes.csv."""
    with open(cpca_resource("adcodes.csv"), encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _change_rows() -> list[dict[str, str]]:
    text = importlib.resources.files("extractors").joinpath("data/division_changes.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    return sorted(rows, key=lambda row: int(row["year"]))


def _coordinate(value: str) -> float | None:
    return float(value) if value else None


def _with_parents(units: dict[str, _Raw]) -> dict[str, Division]:
    table: dict[str, Division] = {}
    for code, raw in units.items():
        level = _level(code)
        province = code[:2] + "0000"
        city_code = code[:4] + "00"
        city = city_code if level == "county" and city_code in units else None
        table[code] = Division(code, raw.name, level, province, city, raw.lon, raw.lat)
    return table


@dataclass(slots=True)
class _Raw:
    name: str
    lon: float | None
    lat: float | None


@lru_cache(maxsize=1)
def division_table() -> DivisionTable:
    """cpca's table with our changes applied: the divisions in force today.

    Built with the region name index and kept with it in the table cache, so that the two
    share their strings (an adcode in the index is the very key of the table: look-ups hit on
    identity, which keeps region extraction as fast as with freshly built tables).
    """
    from extractors.region_names import name_index  # region_names builds on this module

    return name_index().table


def table_sources() -> list[Path]:
    """Every file the division table is built from, the code included (the cache's key)."""
    return [cpca_resource("adcodes.csv"), data_file("division_changes.csv"), Path(__file__)]


def data_dir() -> Path:
    """extractors/data/ as a path."""
    return Path(str(importlib.resources.files("extractors").joinpath("data")))


def data_file(name: str) -> Path:
    """A file of extractors/data/ as a path."""
    return data_dir() / name


def build_division_table() -> DivisionTable:
    units: dict[str, _Raw] = {}
    for row in cpca_rows():
        if row["name"] in _PLACEHOLDERS:
            continue
        units[row["adcode"][:6]] = _Raw(row["name"], _coordinate(row["longitude"]), _coordinate(row["latitude"]))
    former: list[FormerName] = []
    for row in _change_rows():
        year, kind = int(row["year"]), row["kind"]
        old, old_name = row["old_code"], row["old_name"]
        new_codes, new_names = row["new_code"].split(";"), row["new_name"].split(";")
        previous = units.pop(old, None) if kind in ("recoded", "removed") else units.get(old)
        if kind == "renamed":
            units[old] = replace(units[old], name=new_names[0])  # type: ignore[type-var]
        for code, name in zip(new_codes, new_names, strict=True):
            if code not in units:
                units[code] = _Raw(name, previous.lon if previous else None, previous.lat if previous else None)
        if old_name and old_name != new_names[0] or kind == "removed":
            # A unit split between several successors resolves to the prefecture they share.
            target = new_codes[0] if len(new_codes) == 1 else new_codes[0][:4] + "00"
            former.append(FormerName(old_name, target, year))
    return DivisionTable(_with_parents(units), tuple(former))
