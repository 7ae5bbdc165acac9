"""Our division table and resolver against the official reference table (tests only)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from extractors import extract_regions
from extractors.divisions import division_table
from extractors.region_names import _PROVINCE_SUFFIX


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def reference(shared) -> list[dict[str, str]]:
    return _rows(shared / "divisions" / "divisions.csv")


def test_our_table_matches_the_reference_at_county_level_and_above(reference) -> None:
    ours = division_table().units
    official = {row["code"]: row for row in reference if row["level"] != "town"}
    assert set(ours) == set(official), (sorted(set(official) - set(ours)), sorted(set(ours) - set(official)))
    mismatched = [
        (code, row["name"], ours[code].name)
        for code, row in official.items()
        if ours[code].name != row["name"] or (ours[code].city or ours[code].province if row["level"] == "county" else row["parent_code"] or None) != (row["parent_code"] or None)
    ]
    assert not mismatched, mismatched


def test_our_change_table_agrees_with_the_reference_diff(shared) -> None:
    ours = _rows(Path(__file__).resolve().parent.parent / "extractors" / "data" / "division_changes.csv")
    theirs = _rows(shared / "divisions" / "changes_since_cpca.csv")
    key = lambda row: (row["kind"], row["old_code"], row["old_name"], row["new_code"], row["new_name"])  # noqa: E731
    assert sorted(map(key, ours)) == sorted(map(key, theirs))


def test_every_county_level_unit_resolves_written_as_city_and_county(reference) -> None:
    failures = []
    counties = [row for row in reference if row["level"] == "county"]
    for row in counties:
        text = (row["city"] or row["province"]) + row["name"]
        got = extract_regions(text)
        if len(got) != 1 or got[0].adcode != row["code"] or got[0].span != (0, len(text)):
            failures.append((text, row["code"], [(r.text, r.adcode) for r in got]))
    accuracy = 1 - len(failures) / len(counties)
    print(f"county-level units resolved: {len(counties) - len(failures)}/{len(counties)} ({accuracy:.4%})")
    assert accuracy >= 0.995, failures


def test_every_reference_town_resolves_with_its_parent(reference) -> None:
    by_code = {row["code"]: row for row in reference}
    failures = []
    towns = [row for row in reference if row["level"] == "town"]
    for row in towns:
        parent = by_code[row["parent_code"]]
        prefix = (parent["city"] or parent["province"]) if parent["level"] == "county" else ""
        text = prefix + parent["name"] + row["name"]
        got = extract_regions(text)
        if len(got) != 1 or got[0].adcode != parent["code"] or got[0].town != row["name"]:
            failures.append((text, [(r.text, r.adcode, r.town) for r in got]))
    assert not failures, failures


def test_former_names_resolve_to_todays_unit(shared, reference) -> None:
    by_code = {row["code"]: row for row in reference}
    failures = []
    for change in _rows(shared / "divisions" / "changes_since_cpca.csv"):
        if change["kind"] not in ("recoded", "renamed") or change["old_name"] == change["new_name"]:
            continue
        unit = by_code[change["new_code"]]
        prefix = unit["city"] or unit["province"] if unit["level"] == "county" else unit["province"]
        got = extract_regions(prefix + change["old_name"])
        if not got or got[-1].adcode != change["new_code"] or got[-1].former_name != change["old_name"]:
            failures.append((prefix + change["old_name"], change["new_code"], [(r.text, r.adcode, r.former_name) for r in got]))
    assert not failures, failures


def test_non_administrative_units_resolve_to_their_prefecture(shared, reference) -> None:
    """加格达奇区, development zones: the prefecture's adcode, the unit kept as written."""
    by_code = {row["code"]: row for row in reference}
    units = [row for row in _rows(shared / "divisions" / "nbs_nonadmin_units.csv") if row["level"] == "county_like"]
    failures, total = [], 0
    for row in units:
        parent = by_code.get(row["parent_code"])
        if parent is None or row["name"] == parent["name"]:
            continue
        total += 1
        province = _PROVINCE_SUFFIX.sub("", row["province"])
        named = row["name"].startswith((parent["name"][:2], province))
        text = row["name"] if named else parent["name"] + row["name"]
        got = extract_regions(text)
        # Under a prefecture the unit is kept as written (official=False); the old 三沙 island
        # codes sit under a county and resolve to it as former names.
        unofficial_expected = parent["level"] == "city"
        if len(got) != 1 or got[0].adcode != parent["code"] or got[0].span != (0, len(text)) or (got[0].official and unofficial_expected):
            failures.append((text, parent["code"], [(r.text, r.adcode, r.county) for r in got]))
    accuracy = 1 - len(failures) / total
    print(f"non-administrative units resolved: {total - len(failures)}/{total}; left: {failures}")
    assert accuracy >= 0.95, failures
    jiagedaqi = extract_regions("大兴安岭地区加格达奇区")[0]
    assert (jiagedaqi.adcode, jiagedaqi.county, jiagedaqi.official) == ("232700", "加格达奇区", False)
