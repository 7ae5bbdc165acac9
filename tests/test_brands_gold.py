"""Brands, appliances and links measured against hand-checked gold on every fixture page."""

from __future__ import annotations

import pytest

from conftest import gold_pages
from extractors import normalize
from extractors.brands import extract_appliances, extract_brands, extract_brands_and_appliances
from extractors.regions import extract_regions
from hotlines.pipeline import extract_bytes
from metrics import Score

PAGES = gold_pages()
SEEDS = [(page, gold) for page, gold in PAGES if page.name[:3].isdigit()]


def _record(page):
    return extract_bytes(str(page), page.read_bytes(), suffix=page.suffix)


def _scores():
    scores = {"brands": Score(), "appliances": Score(), "links": Score()}
    for page, gold in PAGES:
        record = _record(page)
        scores["brands"].add(
            [(b.canonical or b.name, b.known, b.count) for b in record.brands],
            [(g["brand"], g["known"], g["count"]) for g in gold["brands"]], page.name)
        scores["appliances"].add([(a.category, a.count) for a in record.appliances], [(g["category"], g["count"]) for g in gold["appliances"]], page.name)
        scores["links"].add(
            [(lk.brand, lk.appliance, lk.phone, lk.lines) for lk in record.links],
            [(g["brand"], g["appliance"], g["phone"], g["lines"]) for g in gold["links"]], page.name)
    return scores


@pytest.mark.parametrize("kind", ["brands", "appliances", "links"])
def test_precision_and_recall_on_all_fixture_pages(kind: str) -> None:
    score = _scores()[kind]
    print(kind, score.report())
    assert score.precision == 1.0 and score.recall == 1.0, score.report()


@pytest.mark.parametrize(("page", "gold"), SEEDS, ids=[p.name for p, _ in SEEDS])
def test_seed_brands_are_discovered_without_a_list(page, gold) -> None:
    record = _record(page)
    (brand,) = record.brands
    assert not brand.known and brand.canonical is None
    assert brand.name == gold["brands"][0]["brand"] and brand.count == gold["brands"][0]["count"]
    text = page.read_text(encoding="utf-8")
    assert all(text[a:b] == brand.name for a, b in brand.spans)
    assert [(lk.brand, lk.phone) for lk in record.links] == [(brand.name, "+864001865909")]


def _brands(text: str) -> list[tuple[str, str | None]]:
    doc = normalize(text)
    return [(b.name, b.canonical) for b in extract_brands(doc, extract_regions(doc))]


def test_a_city_prefix_is_a_region_not_part_of_the_brand() -> None:
    doc = normalize("北京海尔空调维修")
    found = extract_brands_and_appliances(doc, extract_regions(doc))
    assert [(b.name, b.canonical) for b in found.brands] == [("海尔", "海尔")]
    assert [r.adcode for r in extract_regions(doc)] == ["110000"]


def test_common_word_brands_need_an_appliance_or_service_word() -> None:
    assert _brands("这是真美的东西，老板说好") == []
    assert _brands("美的空调售后电话") == [("美的", "美的")]
    assert _brands("老板售后服务热线") == [("老板", "老板")]


def test_aliases_normalize_to_one_canonical_brand() -> None:
    doc = normalize("Haier冰箱维修，海尔洗衣机维修，ＨＡＩＥＲ空调")
    (brand,) = extract_brands(doc)
    assert brand.canonical == "海尔" and brand.count == 3 and set(brand.raw) == {"Haier", "海尔", "ＨＡＩＥＲ"}


def test_latin_aliases_need_word_boundaries() -> None:
    assert _brands("LGBT活动") == []
    assert _brands("LG洗衣机维修") == [("LG", "LG")]


def test_longest_appliance_name_wins() -> None:
    appliances = extract_appliances("燃气热水器维修、热水器清洗、抽油烟机")
    assert [(a.name, a.category) for a in appliances] == [
        ("燃气热水器", "gas_water_heater"), ("热水器", "water_heater"), ("抽油烟机", "range_hood")]
    assert appliances[0].label == "gas water heater"


def test_no_brand_from_filler_service_words_or_news() -> None:
    text = "全国厂家总部24小时官方空调维修\n全国厂家总部24小时官方空调维修\n近期部分买家利用AI制作假图，商家吐槽平台"
    assert _brands(text) == []


def test_two_unknown_brands_on_one_page_are_both_found() -> None:
    text = "昌尔特热水器售后电话\n昌尔特热水器维修\n阿拉好太太消毒柜售后\n阿拉好太太消毒柜维修"
    assert sorted(_brands(text)) == [("昌尔特", None), ("阿拉好太太", None)]


def test_a_brand_seen_once_before_an_appliance_is_not_enough_when_unknown() -> None:
    assert _brands("今天买了小白热水器") == []


def test_the_title_is_one_more_line_read_by_the_same_brand_rules() -> None:
    page = "<title>LGBT 美的空调售后电话400-699-9999</title><p>美的空调维修400-699-9999</p>".encode()
    record = extract_bytes("t.html", page, suffix=".html")
    assert [(lk.brand, lk.appliance, lk.phone, lk.lines) for lk in record.links] == [("美的", "air_conditioner", "+864006999999", 2)]


def test_a_county_stem_may_start_a_discovered_brand() -> None:
    """大田 is 大田县 only right after its parent, so "大田宝" stays a brand; 深圳 is always a place."""
    from extractors.brands import extract_brands

    text = "大田宝热水器售后电话\n大田宝热水器维修电话\n深圳昌尔特热水器售后\n深圳昌尔特热水器维修"
    assert [b.name for b in extract_brands(text)] == ["大田宝", "昌尔特"]
