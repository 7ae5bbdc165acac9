"""The brand gazetteer and the appliance names as data: shape, and both directions of brand vs place.

Every alias of every brand is tried in the phrase these pages repeat; each must come back as its
own brand and never as a region, and places that contain a brand's name must not come back as
the brand.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from extractors import extract_regions, normalize
from extractors.brands import brand_categories, extract_appliances, extract_brands_and_appliances, gazetteers, regions_outside_brands
from schemas import Brand, Region

DATA = Path(__file__).resolve().parent.parent / "extractors" / "data"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


BRANDS = _rows("brands.csv")
APPLIANCES = _rows("appliances.csv")
PLACES = _rows("brand_places.csv")
PLACE_BRANDS = {row["word"] for row in PLACES if row["role"] == "place_brand"}
FIRST_NAME = {}  # category -> its first CJK name in appliances.csv
for _row in APPLIANCES:
    if CJK.fullmatch(_row["name"]):
        FIRST_NAME.setdefault(_row["category"], _row["name"])


def _aliases(row: dict[str, str]) -> list[str]:
    return [row["canonical"], *filter(None, row["aliases"].split(";"))]


# --- shape -------------------------------------------------------------------------------


def test_brands_csv_has_the_documented_columns_and_at_least_500_brands() -> None:
    with open(DATA / "brands.csv", encoding="utf-8") as handle:
        assert handle.readline().strip() == "canonical,aliases,needs_context,categories"
    assert len(BRANDS) >= 500
    assert len({row["canonical"] for row in BRANDS}) == len(BRANDS)
    assert all(row["needs_context"] in {"0", "1"} for row in BRANDS)


def test_every_alias_names_exactly_one_brand_and_is_long_enough() -> None:
    owners = Counter(alias for row in BRANDS for alias in set(_aliases(row)))
    assert [alias for alias, n in owners.items() if n > 1] == []
    per_row = [alias for row in BRANDS for alias, n in Counter(_aliases(row)).items() if n > 1]
    assert per_row == []
    assert [alias for alias in owners if len(alias) < 2] == []
    # two-letter Latin aliases only for marks that are written so (LG, HP, GE)
    two_latin = sorted(alias for alias in owners if re.fullmatch(r"[A-Za-z]{2}", alias))
    assert set(two_latin) <= {"LG", "HP", "GE"}, two_latin


def test_every_brand_has_categories_that_exist_and_every_category_has_one_label() -> None:
    categories = {row["category"] for row in APPLIANCES}
    for row in BRANDS:
        listed = row["categories"].split(";")
        assert listed and all(listed), row["canonical"]
        assert set(listed) <= categories, (row["canonical"], set(listed) - categories)
    labels: dict[str, set[str]] = {}
    for row in APPLIANCES:
        assert re.fullmatch(r"[a-z_]+", row["category"]), row
        assert row["label_en"].strip(), row
        labels.setdefault(row["category"], set()).add(row["label_en"])
    assert {category for category, found in labels.items() if len(found) != 1} == set()
    assert len(Counter(row["name"] for row in APPLIANCES)) == len(APPLIANCES), "an appliance name listed twice"


def test_the_gazetteer_loads_every_alias_and_the_places_data() -> None:
    g = gazetteers()
    assert {alias for row in BRANDS for alias in _aliases(row)} == set(g.brand_names)
    assert PLACE_BRANDS <= {row["canonical"] for row in BRANDS}
    assert {row["role"] for row in PLACES} <= {"place_brand", "phrase", "latin_before", "latin_after", "cjk_after"}
    assert all(g.brand_names[row["canonical"]].categories for row in BRANDS)


def test_a_brand_lists_what_it_makes() -> None:
    assert {"refrigerator", "washing_machine"} <= set(brand_categories("海尔"))
    assert "mobile_phone" in brand_categories("华为") and brand_categories("昌尔特") == ()


def test_the_original_77_brands_are_still_there() -> None:
    kept = {"海尔", "方太", "A.O.史密斯", "西门子", "美的", "老板", "华帝", "LG", "TCL", "TOTO", "大宇", "欧派", "迅达", "万喜", "前锋", "科沃斯"}
    assert kept <= {row["canonical"] for row in BRANDS}


# --- a brand is never a region, over the whole gazetteer -----------------------------------


def _found(text: str) -> tuple[list[Brand], list[Region]]:
    doc = normalize(text)
    regions = extract_regions(doc)
    brands = extract_brands_and_appliances(doc, regions).brands
    return brands, regions_outside_brands(regions, brands)


def _brand_cases() -> list[tuple[str, str, str]]:
    cases = []
    for row in BRANDS:
        own = FIRST_NAME.get(row["categories"].split(";")[0], "空调")
        for alias in _aliases(row):
            for appliance in dict.fromkeys(["空调", own]):
                cases.append((row["canonical"], alias, f"{alias}{appliance}售后维修电话"))
    return cases


CASES = _brand_cases()


def test_every_alias_before_an_appliance_is_its_brand_and_never_a_region() -> None:
    problems = []
    for canonical, alias, text in CASES:
        brands, regions = _found(text)
        named = [(b.canonical, b.raw) for b in brands if b.known]
        if (canonical, [alias]) not in named:
            problems.append((text, "brand", named))
        if canonical not in PLACE_BRANDS:
            inside = [r.text for r in regions if r.span[0] < len(alias)]
            if inside:
                problems.append((text, "region", inside))
    assert problems == [], problems[:20]
    assert len(CASES) > 1000


def test_a_cjk_alias_is_found_inside_a_directory_line_too() -> None:
    problems = []
    for row in BRANDS:
        for alias in filter(CJK.fullmatch, _aliases(row)):
            brands, _ = _found(f"{alias}：400-888-2255\n")
            if [b.canonical for b in brands] != [row["canonical"]]:
                problems.append((alias, [b.canonical for b in brands]))
    assert problems == [], problems[:20]


def test_ariston_holds_no_ali_prefecture() -> None:
    doc = normalize("阿里斯顿热水器售后维修电话")
    assert [r.text for r in extract_regions(doc)] in ([], ["阿里"])  # whatever regions finds alone …
    brands, regions = _found("阿里斯顿热水器售后维修电话")
    assert [b.canonical for b in brands] == ["阿里斯顿"] and regions == []  # … the record keeps no region


def test_a_brand_named_after_a_place_keeps_the_region_it_overlaps() -> None:
    region = extract_regions("服务区域：北京")[0]
    at = region.span
    place = Brand(name="长城", canonical="长城", known=True, count=1, spans=[at], raw=["长城"])
    other = Brand(name="海尔", canonical="海尔", known=True, count=1, spans=[at], raw=["海尔"])
    discovered = Brand(name="昌尔特", canonical=None, known=False, count=1, spans=[at], raw=["昌尔特"])
    assert "长城" in PLACE_BRANDS
    assert regions_outside_brands([region], [place]) == [region]
    assert regions_outside_brands([region], [other]) == []
    assert regions_outside_brands([region], [discovered]) == [region]


# --- a place is never a brand ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "New York空调维修",
        "地址：New York, NY 10001",
        "York Street 12号",
        "North York Centre",
        "Mount Fuji",
        "Stanley Park",
        "the Amazon River",
        "地址：中兴路88号",
        "三星堆遗址",
        "长虹桥东",
        "科西嘉岛",
        "先锋村委会",
    ],
)
def test_places_that_contain_a_brand_name_are_not_the_brand(text: str) -> None:
    brands, _ = _found(text)
    assert [b.canonical for b in brands if b.known] == []


def test_a_place_word_does_not_hide_a_brand_before_an_appliance_or_a_province() -> None:
    assert [b.canonical for b in _found("华为路由器维修")[0]] == ["华为"]
    assert [b.canonical for b in _found("格力江苏售后服务")[0]] == ["格力"]
    assert [b.canonical for b in _found("York central air conditioner repair")[0]] == ["约克"]


# --- common words need a confirming word ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("美的:400-889-9315", ["美的"]),
        ("美的：4008899315", ["美的"]),
        ("美的 客服热线", ["美的"]),
        ("美的（Midea）售后", ["美的"]),
        ("1.老板：400-100-8888", ["老板"]),
        ("美的（中国）客服热线", ["美的"]),
        ("美的北京售后服务", ["美的"]),
        ("小米 13 Pro 手机维修", ["小米"]),
        ("苹果iPhone售后", ["苹果"]),
        ("这是真美的东西，老板说好", []),
        ("王老板：13800138000", []),
        ("这个苹果3块钱", []),
        ("真美的（图）", []),
        ("美的北京", []),
        ("这个地方太远了", []),
        ("放松下来", []),
        ("三星级酒店", []),
        ("富士康工厂", []),
        ("AUX接口", []),
    ],
)
def test_common_word_brands_count_only_when_confirmed(text: str, expected: list[str]) -> None:
    assert [b.canonical for b in _found(text)[0] if b.known] == expected


def test_short_latin_marks_are_whole_words() -> None:
    assert [b.canonical for b in _found("HP打印机维修")[0]] == ["惠普"]
    assert _found("100HP发动机")[0] == [] and _found("HPV疫苗")[0] == []


# --- appliance names ---------------------------------------------------------------------------


ENGLISH = [row for row in APPLIANCES if not CJK.fullmatch(row["name"])]


def test_there_are_english_names_and_the_new_electronics_categories() -> None:
    categories = {row["category"] for row in APPLIANCES}
    assert {"mobile_phone", "laptop", "desktop_computer", "computer", "tablet", "earphones", "speaker", "router", "camera", "flashlight"} <= categories
    assert len(ENGLISH) >= 40


@pytest.mark.parametrize("row", ENGLISH, ids=[row["name"] for row in ENGLISH])
def test_each_english_appliance_name_is_found_in_any_case_as_a_whole_word(row: dict[str, str]) -> None:
    name = row["name"]
    for written in (name, name.lower(), name.upper(), name.title()):
        text = f"Repair of {written} today"
        found = extract_appliances(text)
        assert [(a.category, a.raw) for a in found] == [(row["category"], [written])], text
    found = extract_appliances(f"维修{name}s 400-888-2255")
    assert [a.category for a in found] == [row["category"]]  # plural, next to CJK
    assert extract_appliances(f"x{name}y") == []  # inside a longer word: not the name


def test_english_multiword_names_may_break_over_a_line_or_a_hyphen() -> None:
    found = extract_appliances("LG Washing\nMachine, Haier air-conditioner")
    assert [(a.category, a.raw) for a in found] == [("washing_machine", ["Washing\nMachine"]), ("air_conditioner", ["air-conditioner"])]


@pytest.mark.parametrize(
    ("text", "written", "category"),
    [
        ("火星人集成 灶售后", "集成 灶", "integrated_stove"),
        ("昌尔特热水\n器维修", "热水\n器", "water_heater"),
        ("热水\r\n器维修", "热水\r\n器", "water_heater"),
        ("燃气 热水器", "燃气 热水器", "gas_water_heater"),
        ("油烟 机", "油烟 机", "range_hood"),
    ],
)
def test_a_cjk_name_broken_by_one_space_or_line_break_still_counts(text: str, written: str, category: str) -> None:
    (appliance,) = extract_appliances(text)
    assert (appliance.category, appliance.raw) == (category, [written])
    a, b = appliance.spans[0]
    assert text[a:b] == written


def test_two_names_on_two_lines_stay_two() -> None:
    assert [a.category for a in extract_appliances("空调\n冰箱")] == ["air_conditioner", "refrigerator"]
    assert extract_appliances("集成  灶") == []  # two spaces are not one name


def test_phone_is_not_the_appliance_when_it_labels_a_number() -> None:
    assert extract_appliances("急修手机：+86 186-1234-5678") == []
    assert extract_appliances("手机号码") == []
    assert [a.category for a in extract_appliances("华为手机维修")] == ["mobile_phone"]
