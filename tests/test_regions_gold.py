"""Region extraction measured against hand-checked gold: the seeds, fixture pages, hard cases."""

from __future__ import annotations

import csv

import pytest

from conftest import FIXTURES, gold_pages, load_jsonl
from extractors import distinct_regions, extract_regions
from hotlines.pipeline import extract_bytes
from metrics import Score

CASES = load_jsonl(FIXTURES / "regions" / "cases.jsonl")
SEEDS = [(page, gold) for page, gold in gold_pages() if page.name[:3].isdigit()]


def _record(page):
    return extract_bytes(str(page), page.read_bytes(), suffix=page.suffix, include_text=True)


def test_seed_regions_are_exact_at_adcode_level() -> None:
    score = Score()
    for page, gold in SEEDS:
        record = _record(page)
        predicted = [(tuple(r.span), r.adcode) for r in record.regions]
        score.add(predicted, [(tuple(g["span"]), g["adcode"]) for g in gold["regions"]], page.name)
        assert len(predicted) == len(gold["regions"]), "every mention counts, repeats included"
    print(score.report())
    assert score.precision == 1.0 and score.recall == 1.0, score.report()


def test_seed_towns_and_former_names_match_gold() -> None:
    for page, gold in SEEDS:
        record = _record(page)
        assert [(r.town, r.former_name) for r in record.regions] == [(g.get("town"), g.get("former_name")) for g in gold["regions"]]


def test_every_fixture_page_has_perfect_region_precision_and_recall() -> None:
    score = Score()
    for page, gold in gold_pages():
        record = _record(page)
        score.add([(tuple(r.span), r.adcode) for r in record.regions], [(tuple(g["span"]), g["adcode"]) for g in gold["regions"]], page.name)
        for region in record.regions:
            assert record.text[region.span[0] : region.span[1]] == region.text
    assert score.precision == 1.0 and score.recall == 1.0, score.report()


def test_hard_cases_precision_and_recall_are_perfect() -> None:
    score = Score()
    for case in CASES:
        got = extract_regions(case["text"])
        predicted = [(r.text, r.adcode, r.town, r.former_name, r.county if not r.official else None) for r in got]
        expected = [(e["text"], e["adcode"], e.get("town"), e.get("former_name"), e.get("county")) for e in case["expected"]]
        score.add(predicted, expected, case["id"])
    print(score.report())
    assert score.precision == 1.0 and score.recall == 1.0, score.report()


def test_distinct_keeps_one_per_place_and_record_keeps_every_mention() -> None:
    regions = extract_regions("武汉市武昌区、北京市丰台区、武汉市武昌区")
    assert [r.adcode for r in regions] == ["420106", "110106", "420106"]
    assert [r.adcode for r in distinct_regions(regions)] == ["420106", "110106"]


def test_region_fields_follow_the_hierarchy() -> None:
    (qianjiang,) = extract_regions("直辖县潜江市")
    assert (qianjiang.province, qianjiang.city, qianjiang.county, qianjiang.level) == ("湖北省", None, "潜江市", "county")
    (dalang,) = extract_regions("东莞市大朗镇")
    assert (dalang.province, dalang.city, dalang.county, dalang.town, dalang.level) == ("广东省", "东莞市", None, "大朗镇", "town")
    (beijing,) = extract_regions("北京市朝阳区")
    assert (beijing.province, beijing.city, beijing.county) == ("北京市", None, "朝阳区")
    assert beijing.lon and beijing.lat


@pytest.mark.parametrize(("page", "gold"), SEEDS, ids=[p.name for p, _ in SEEDS])
def test_seed_gold_agrees_with_the_reference_table(shared, page, gold) -> None:
    """The gold labels themselves, checked against the official table beside the repo."""
    with open(shared / "divisions" / "divisions.csv", encoding="utf-8") as handle:
        reference = {row["code"]: row for row in csv.DictReader(handle)}
    problems = []
    for mention in gold["regions"]:
        row = reference.get(mention["adcode"])
        if row is None:
            problems.append((mention, "adcode not in the reference"))
            continue
        names = {row["name"], row["city"], row["province"]} - {""}
        stems = {name[:2] for name in names}
        if not any(stem in mention["text"] for stem in stems):
            problems.append((mention, f"text names none of {sorted(names)}"))
    assert not problems, problems
