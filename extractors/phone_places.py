"""Where a Chinese number is and which carrier it is on: phonenumbers' answers, from a lean table.

phonenumbers' geocoder and carrier modules hold every country's prefixes in every language:
importing them takes 0.3-0.6 s and some 100 MB, more than the rest of a one-page run, for a
page with a single landline or mobile number. A page's numbers are Chinese, and the answer
wanted is the Chinese one, so this module keeps only that slice: the prefixes of country code
86 that have a Chinese ('zh') name (about 130,000, nearly all mobile blocks, with 383 distinct
names), and the carrier prefixes of 86. The slice is cut from phonenumbers' own tables the first
time and then kept in the table cache (`table_cache`), keyed by phonenumbers' data files, so a
new phonenumbers release cuts it afresh.

The look-up is phonenumbers' own, restricted to that slice: the longest prefix of the E.164
digits that has a Chinese name, else the country's name (中国) for the place; the longest
carrier prefix, else none. `tests/test_phone_places.py` checks the answers against
`geocoder.description_for_valid_number(number, "zh")` and `carrier.name_for_valid_number`
for a number under every prefix shorter than 9 digits, every 7th mobile block and every carrier prefix.
"""

from __future__ import annotations

import importlib.util
from array import array
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from extractors.table_cache import cached

COUNTRY_CODE = "86"
LANGUAGE = "zh"


class _PrefixTable(NamedTuple):
    """Prefixes (as integers, one sorted array per number of digits) and their names."""

    lengths: tuple[int, ...]  # digit counts that occur, longest first
    keys: dict[int, array]  # digit count -> sorted prefixes
    values: dict[int, array]  # digit count -> index into `names`, parallel to `keys`
    names: tuple[str, ...]


class PlaceTables(NamedTuple):
    places: _PrefixTable
    carriers: _PrefixTable
    country: str  # the country's own name, phonenumbers' answer when no prefix names a place


def _prefix_table(named: dict[str, str]) -> _PrefixTable:
    names = tuple(sorted(set(named.values())))
    position = {name: index for index, name in enumerate(names)}
    by_length: dict[int, list[tuple[int, int]]] = {}
    for prefix, name in named.items():
        by_length.setdefault(len(prefix), []).append((int(prefix), position[name]))
    keys, values = {}, {}
    for length, rows in by_length.items():
        rows.sort()
        keys[length] = array("q", (key for key, _ in rows))
        values[length] = array("H" if len(names) < 65536 else "L", (value for _, value in rows))
    return _PrefixTable(tuple(sorted(by_length, reverse=True)), keys, values, names)


def _lookup(table: _PrefixTable, digits: str) -> str | None:
    """The name of the longest prefix of `digits` (E.164 without '+') in `table`."""
    for length in table.lengths:
        if length > len(digits):
            continue
        key = int(digits[:length])
        keys = table.keys[length]
        at = bisect_left(keys, key)
        if at < len(keys) and keys[at] == key:
            return table.names[table.values[length][at]]
    return None


def _slice(data: dict[str, dict[str, str]]) -> dict[str, str]:
    """The prefixes a +86 number can start with, with the Chinese name phonenumbers would give.

    phonenumbers takes a bare 'zh' as it is and never falls back to English for it, so a prefix
    named only in English is passed over, as phonenumbers passes it over for a shorter one.
    """
    sliced = {}
    for prefix, names in data.items():
        if prefix.startswith(COUNTRY_CODE) or COUNTRY_CODE.startswith(prefix):
            name = names.get(LANGUAGE)
            if name:
                sliced[prefix] = name
    return sliced


def _build() -> PlaceTables:
    import phonenumbers
    from phonenumbers import geocoder
    from phonenumbers.carrierdata import CARRIER_DATA
    from phonenumbers.geodata import GEOCODE_DATA

    sample = phonenumbers.parse("+861012345678")  # any valid number of the country
    country = geocoder.country_name_for_number(sample, LANGUAGE)
    return PlaceTables(_prefix_table(_slice(GEOCODE_DATA)), _prefix_table(_slice(CARRIER_DATA)), country)


def _sources() -> list[Path]:
    """phonenumbers' package and data files (their size and time change with every release) and this module."""
    found = []
    for package in ("phonenumbers", "phonenumbers.geodata", "phonenumbers.carrierdata"):
        spec = importlib.util.find_spec(package)  # finds a package without importing its tables
        if spec is not None and spec.origin is not None:
            found.append(Path(spec.origin))
    return [*found, Path(__file__)]


@lru_cache(maxsize=1)
def place_tables() -> PlaceTables:
    """The +86 slice of phonenumbers' place and carrier tables, loaded once per process."""
    return cached("phone_places", _sources(), _build)


def place_of(e164: str) -> str | None:
    """What `geocoder.description_for_valid_number(number, "zh")` says of a valid +86 number."""
    tables = place_tables()
    return _lookup(tables.places, e164.lstrip("+")) or tables.country or None


def carrier_of(e164: str) -> str | None:
    """What `carrier.name_for_valid_number(number, "zh")` says of a valid +86 number (None for '')."""
    return _lookup(place_tables().carriers, e164.lstrip("+"))
