"""Generic names, county stems without their suffix, lists after a parent, and prominence guesses.

The data tables behind them (extractors/data/region_prominence.csv, region_generic_names.csv,
region_name_heads.csv, region_common_stems.txt) are checked for shape here, against our division
table and, where the reference beside the repo is there, against the official one.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict

import pytest
from timing import growth

from conftest import FIXTURES, GOLD, PAGES, ROOT, load_jsonl
from extractors import extract_regions
from extractors.divisions import division_table
from extractors.region_names import generic_names, name_index, prominence
from hotlines.pipeline import extract_bytes

DATA = ROOT / "extractors" / "data"
CASES = load_jsonl(FIXTURES / "regions" / "cases.jsonl")
# Characters of which a county name's body may consist and still be an ordinary word (城区, 新城区).
_GENERIC_MORPHEMES = set("城郊矿市东西南北中上下前后内外新老")


def _csv(name: str) -> list[dict[str, str]]:
    lines = [line for line in (DATA / name).read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


def _shared_county_names(units) -> dict[str, set[str]]:
    by_name: dict[str, set[str]] = defaultdict(set)
    for code, name in units:
        by_name[name].add(code)
    return {name: codes for name, codes in by_name.items() if len(codes) > 1}


def _top(rows: list[dict[str, str]], name: str) -> str:
    return max((row for row in rows if row["name"] == name), key=lambda row: float(row["population_10k"]))["adcode"]


# --- the prominence table -------------------------------------------------------------------


def test_prominence_table_covers_every_shared_county_name_of_our_table() -> None:
    rows = _csv("region_prominence.csv")
    table = division_table().units
    shared = _shared_county_names((u.adcode, u.name) for u in table.values() if u.level == "county")
    covered: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        assert set(row) == {"name", "adcode", "parent", "population_10k", "measure", "confidence", "note"}, row
        unit = table.get(row["adcode"])
        assert unit is not None and unit.level == "county" and unit.name == row["name"], row
        assert table[unit.city or unit.province].name == row["parent"], row
        assert float(row["population_10k"]) > 0 and row["measure"] and row["confidence"] in {"high", "medium", "low"}, row
        covered[row["name"]].add(row["adcode"])
    assert covered == shared, (set(shared) ^ set(covered))
    assert len(rows) == len({row["adcode"] for row in rows})
    assert prominence() == {row["adcode"]: float(row["population_10k"]) for row in rows}


def test_prominence_table_covers_every_shared_county_name_of_the_reference(shared) -> None:
    with open(shared / "divisions" / "divisions.csv", encoding="utf-8") as handle:
        reference = [row for row in csv.DictReader(handle) if row["level"] == "county"]
    ambiguous = _shared_county_names((row["code"], row["name"]) for row in reference)
    covered: dict[str, set[str]] = defaultdict(set)
    for row in _csv("region_prominence.csv"):
        covered[row["name"]].add(row["adcode"])
    assert covered == ambiguous


@pytest.mark.parametrize(
    ("name", "adcode"),
    [
        ("南山区", "440305"), ("朝阳区", "110105"), ("西湖区", "330106"), ("普陀区", "310107"), ("宝山区", "310113"),
        ("鼓楼区", "320106"), ("江北区", "500105"), ("白云区", "440111"), ("和平区", "210102"), ("城关区", "620102"),
        ("通州区", "110112"), ("长安区", "610116"), ("龙华区", "440309"), ("南沙区", "440115"), ("铁西区", "210106"),
        ("新华区", "130105"), ("市中区", "370103"), ("桥西区", "130104"),
    ],
)
def test_well_known_shared_names_go_to_the_most_prominent_unit(name: str, adcode: str) -> None:
    rows = _csv("region_prominence.csv")
    assert _top(rows, name) == adcode
    if name in generic_names():
        assert extract_regions(name) == []
        return
    (region,) = extract_regions(name)
    assert (region.adcode, region.guessed) == (adcode, True)


def test_every_lone_shared_name_takes_the_table_top_and_is_guessed() -> None:
    rows = _csv("region_prominence.csv")
    for name in {row["name"] for row in rows} - generic_names():
        (region,) = extract_regions(name)
        assert (region.adcode, region.guessed) == (_top(rows, name), True), name


def test_the_page_decides_before_prominence_and_then_nothing_is_guessed() -> None:
    regions = extract_regions("天津市河西区网点，和平区网点")
    assert [(r.adcode, r.guessed) for r in regions] == [("120103", False), ("120101", False)]
    regions = extract_regions("吉林省长春市、朝阳区")
    assert [(r.adcode, r.guessed) for r in regions] == [("220100", False), ("220104", False)]
    regions = extract_regions("福州市仓山区；鼓楼区")  # the city decides among four
    assert [(r.adcode, r.guessed) for r in regions] == [("350104", False), ("350102", False)]
    regions = extract_regions("江苏：鼓楼区")  # the province leaves two: prominence picks, and says so
    assert [(r.adcode, r.guessed) for r in regions][-1] == ("320106", True)
    (region,) = extract_regions("沈阳市和平区")
    assert not region.guessed


# --- generic names ----------------------------------------------------------------------------


def _generic_candidates(names) -> set[str]:
    return {name for name in names if name[-1] in "区县市旗" and set(name[:-1]) <= _GENERIC_MORPHEMES}


def test_generic_list_reviews_every_county_name_made_of_generic_morphemes() -> None:
    table = division_table()
    names = {u.name for u in table.units.values() if u.level == "county"} | {f.name for f in table.former_names}
    reviewed = {row["name"]: row["generic"] for row in _csv("region_generic_names.csv")}
    assert set(reviewed.values()) <= {"yes", "no"}
    assert _generic_candidates(names) <= set(reviewed), _generic_candidates(names) - set(reviewed)


def test_generic_list_reviews_the_reference_names_too(shared) -> None:
    with open(shared / "divisions" / "divisions.csv", encoding="utf-8") as handle:
        names = {row["name"] for row in csv.DictReader(handle) if row["level"] == "county"}
    reviewed = {row["name"] for row in _csv("region_generic_names.csv")}
    assert _generic_candidates(names) <= reviewed


def test_generic_names_count_after_their_parent_never_alone() -> None:
    table = division_table()
    for name in generic_names():
        assert extract_regions(name) == [], name
        assert extract_regions(f"本公司在{name}设有网点") == [], name
        for unit in (u for u in table.units.values() if u.level == "county" and u.name == name):
            parent = table.units[unit.city or unit.province]
            for text in (parent.name + name, f"{parent.name}：{name}"):
                assert [r.adcode for r in extract_regions(text)][-1] == unit.adcode, text


# --- bare names before a head word, county stems ------------------------------------------------


def test_head_words_make_a_bare_name_a_proper_noun_but_not_a_full_name() -> None:
    rows = _csv("region_name_heads.csv")
    assert {row["kind"] for row in rows} <= {"head", "road", "not_head"} and {row["after"] for row in rows} <= {"all", "county_stem"}
    for row in rows:
        if row["kind"] == "not_head":
            continue
        word = row["word"]
        if row["after"] == "all":
            assert extract_regions("北海" + word) == [], word
            assert [r.adcode for r in extract_regions("北海市" + word)] == ["450500"], word
        assert [r.adcode for r in extract_regions("杭州西湖" + word)] == ["330100"], word
        assert [r.adcode for r in extract_regions("杭州西湖区" + word)] == ["330106"], word
    assert [r.adcode for r in extract_regions("北京山区")] == ["110000"]


def test_common_stems_are_county_stems_and_need_setting_apart() -> None:
    index = name_index()
    table = index.table
    for stem in index.common_stems:
        senses = [s for s in index.senses.get(stem, ()) if s.form == "district_stem"]
        assert senses, stem
        unit = table.units[senses[0].adcode]
        parent = table.units[unit.city or unit.province].name
        assert unit.adcode not in [r.adcode for r in extract_regions(parent + stem + "的")], stem
        assert [r.adcode for r in extract_regions(parent + stem)][-1] in {s.adcode for s in senses}, stem


def test_every_county_stem_resolves_after_its_parent_and_in_its_parents_list() -> None:
    index = name_index()
    table = index.table
    by_parent: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name, senses in index.senses.items():
        for sense in senses:
            if sense.form == "district_stem":
                unit = table.units[sense.adcode]
                by_parent[table.units[unit.city or unit.province].name].append((name, unit.adcode))
    failures, total = [], 0
    for parent, stems in by_parent.items():
        for stem, adcode in stems:
            total += 1
            got = extract_regions(parent + stem)
            if [(r.text, r.adcode) for r in got] != [(parent + stem, adcode)]:
                failures.append((parent + stem, adcode, [(r.text, r.adcode) for r in got]))
        listed = extract_regions(parent + "：" + "、".join(stem for stem, _ in stems))
        if [(r.text, r.adcode) for r in listed[1:]] != stems:
            failures.append((parent, "list"))
    print(f"county stems after their parent and in its list: {total - len(failures)}/{total}")
    assert total > 2500 and not failures, failures[:20]


def test_stems_alone_or_after_another_parent_are_not_regions() -> None:
    assert extract_regions("天河、越秀、海珠") == []
    assert [r.adcode for r in extract_regions("深圳天河")] == ["440300"]
    assert [r.adcode for r in extract_regions("广东：深圳、巩义")] == ["440000", "440300"]


# --- cases and gold ----------------------------------------------------------------------------


def test_hard_cases_say_when_they_guessed() -> None:
    for case in CASES:
        got = extract_regions(case["text"])
        assert [r.guessed for r in got] == [e.get("guessed", False) for e in case["expected"]], case["id"]


def test_gold_pages_say_when_they_guessed() -> None:
    for gold_path in sorted(GOLD.glob("region_*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        page = PAGES / gold["page"]
        record = extract_bytes(str(page), page.read_bytes(), suffix=page.suffix)
        assert [r.guessed for r in record.regions] == [g.get("guessed", False) for g in gold["regions"]], page.name


def test_lists_stay_linear_on_adversarial_input() -> None:
    for pattern in ["广州:天河、", "深圳 南山 ", "北京朝阳、海淀、", "阳泉：城区、", "朝阳区、", "杭州西湖大道", "武汉江汉平原", "荆州公安局"]:
        assert growth(extract_regions, pattern * 2_000, pattern * 8_000) < 8, pattern


def test_region_runtime_never_reads_the_reference_data() -> None:
    """The runtime tables are ours (data/) and cpca's; the reference beside the repo is for tests only."""
    for name in ("regions.py", "region_names.py", "divisions.py"):
        text = (ROOT / "extractors" / name).read_text(encoding="utf-8")
        assert "HOTLINES_SHARED" not in text and "divisions.csv" not in text and "peer-cases" not in text, name
