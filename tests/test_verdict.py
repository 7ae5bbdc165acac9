"""Page verdicts: every page kind has a fixture with its expected verdict; the cues are data; the
verdict names the cues that fired, with their evidence; it costs little."""

from __future__ import annotations

import csv
import json
import time

import pytest

from conftest import PAGES, ROOT
from hotlines.pipeline import extract_bytes
from hotlines.verdict import page as verdict_page
from schemas import PageRecord

HAIER_URL = "https://www.haier.com/cn/service/"
CASES = [
    ("000_88c04a5b769380d4.txt", None, "fake_service"),
    ("001_5cf953adb841b130.txt", None, "fake_service"),
    ("002_1d3b4b97da5f39cb.txt", None, "fake_service"),
    ("verdict_fake_single.txt", "http://haier-weixiu.com/rsq/123.html", "fake_service"),
    ("two_brands.html", None, "fake_service"),
    ("verdict_official.html", HAIER_URL, "official"),
    ("verdict_directory.txt", "https://www.114hao.com/jiadian.html", "directory"),
    ("electronics_directory.txt", None, "directory"),
    ("verdict_news.txt", "https://news.example.cn/2024/0618/a.html", "other"),
    ("verdict_shop.html", "https://item.jd.com/100012345.html", "other"),
    ("news_only.txt", None, "other"),
    ("news_ai_refunds.txt", None, "other"),
]


def _record(name: str, url: str | None = None) -> PageRecord:
    page = PAGES / name
    return extract_bytes(str(page), page.read_bytes(), suffix=page.suffix, url=url)


def _cue_ids() -> set[str]:
    with open(ROOT / "hotlines" / "verdict" / "data" / "page_cues.csv", encoding="utf-8") as handle:
        return {row["cue"] for row in csv.DictReader(handle)}


@pytest.mark.parametrize(("name", "url", "kind"), CASES, ids=[c[0] for c in CASES])
def test_each_page_kind_has_a_fixture_with_its_expected_verdict(name: str, url: str | None, kind: str) -> None:
    verdict = _record(name, url).verdict
    assert verdict is not None
    assert verdict.kind == kind, verdict
    assert 0.5 < verdict.score <= 1.0, verdict
    assert verdict.reasons


def test_gold_files_of_the_verdict_fixtures_name_their_pages() -> None:
    for stem in ("verdict_fake_single", "verdict_official", "verdict_directory", "verdict_news", "verdict_shop"):
        gold = json.loads((ROOT / "fixtures" / "gold" / f"{stem}.json").read_text(encoding="utf-8"))
        assert (PAGES / gold["page"]).is_file() and gold["checked_by"].startswith("hand:")


def test_reasons_name_cues_of_the_table_with_their_evidence() -> None:
    record = _record("001_5cf953adb841b130.txt")
    cues = _cue_ids()
    names = [reason.split(":", 1)[0] for reason in record.verdict.reasons]
    assert set(names) <= cues and len(names) == len(set(names))
    regions = len({region.adcode for region in record.regions})
    assert f"service_area_list: {regions} regions" in record.verdict.reasons
    assert "numbered_numbers: 8 numbered numbers" in record.verdict.reasons
    top = max(phone.count for phone in record.phones)
    assert f"repeated_number: {top} mentions" in record.verdict.reasons


def test_the_brands_own_domain_makes_an_official_page_and_a_look_alike_does_not() -> None:
    official = _record("verdict_official.html", HAIER_URL).verdict
    assert official.reasons[0] == "brand_domain: www.haier.com is 海尔's"
    for url in ("http://haier-weixiu.com/a.html", "http://haier.fuwu123.com/a.html", "https://www.haier.com.fuwu.cn/a.html", None):
        verdict = _record("verdict_official.html", url).verdict
        assert not any(reason.startswith("brand_domain") for reason in verdict.reasons), url
    # A registered name equal to the brand's Latin name counts, also under com.cn.
    assert verdict_page.official_brands("https://service.midea.com.cn/x", ["美的"]) == ["美的"]
    assert verdict_page.official_brands("https://midea-400.com.cn/x", ["美的"]) == []
    assert verdict_page.official_brands("https://www.haier.com/x", ["美的"]) == []


def test_a_fake_page_stays_fake_whatever_its_url() -> None:
    for url in (None, "http://www.example.com/a.html", HAIER_URL):
        assert _record("verdict_fake_single.txt", url).verdict.kind == "fake_service", url


def test_the_cues_and_weights_are_data(monkeypatch) -> None:
    """The verdict follows the table: without its fake-service rows a seed page is not fake."""
    rows = verdict_page._data("page_cues.csv")
    monkeypatch.setattr(verdict_page, "_data", lambda name: [r for r in rows if r["kind"] != "fake_service"] if name == "page_cues.csv" else rows)
    verdict_page.cues.cache_clear()
    try:
        assert _record("001_5cf953adb841b130.txt").verdict.kind != "fake_service"
    finally:
        monkeypatch.undo()
        verdict_page.cues.cache_clear()
    assert _record("001_5cf953adb841b130.txt").verdict.kind == "fake_service"


def test_a_bad_cue_table_is_refused(monkeypatch) -> None:
    bad = [{"cue": "x", "kind": "fake_service", "feature": "no_such_measure", "op": ">=", "threshold": "1", "weight": "1", "unit": "", "description": ""}]
    monkeypatch.setattr(verdict_page, "_data", lambda name: bad)
    verdict_page.cues.cache_clear()
    try:
        with pytest.raises(ValueError, match="page_cues.csv"):
            verdict_page.cues()
    finally:
        verdict_page.cues.cache_clear()


def test_records_without_a_verdict_still_validate() -> None:
    record = json.loads(_record("verdict_news.txt").model_dump_json())
    assert record["verdict"]["kind"] == "other"
    for version in ("1.0", "1.1"):
        older = {**{k: v for k, v in record.items() if k != "verdict"}, "schema_version": version}
        assert PageRecord.model_validate(older).verdict is None
    with pytest.raises(ValueError):
        PageRecord.model_validate({**record, "verdict": {"kind": "spam", "score": 0.5, "reasons": []}})
    with pytest.raises(ValueError):
        PageRecord.model_validate({**record, "verdict": {"kind": "other", "score": 1.5, "reasons": []}})


def test_the_verdict_costs_a_few_percent_of_a_page() -> None:
    """One phrase pass and what the extractors found: about 5% of extraction (asserted below 8%,
    the margin for a loaded machine; README, "How verdicts are reached")."""
    page = PAGES / "001_5cf953adb841b130.txt"
    data = page.read_bytes()
    record = extract_bytes(str(page), data, suffix=".txt", include_text=True)
    text = record.text
    args = (text, None, None, record.phones, record.brands, record.regions, record.links)
    verdict_page.page_verdict(*args)

    def best(fn, repeat: int = 7) -> float:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        return min(times)

    verdict = best(lambda: [verdict_page.page_verdict(*args) for _ in range(20)]) / 20
    extract = best(lambda: extract_bytes(str(page), data, suffix=".txt"))
    assert verdict < 0.08 * extract, (verdict, extract)


def test_the_verdict_round_trips_through_parquet(tmp_path) -> None:
    pytest.importorskip("pyarrow")
    from hotlines.parquet import ParquetSink, arrow_schema, iter_rows

    records = [_record("verdict_official.html", HAIER_URL), _record("verdict_fake_single.txt")]
    older = records[1].model_copy(update={"verdict": None})
    with ParquetSink(tmp_path / "r.parquet") as sink:
        for record in [*records, older]:
            sink.write_record(record)
    verdict_field = arrow_schema().field("verdict")
    assert verdict_field.nullable and [f.name for f in verdict_field.type] == ["kind", "score", "reasons"]
    back = [PageRecord.model_validate(row) for _, row in iter_rows(tmp_path / "r.parquet")]
    assert back == [*records, older] and back[0].verdict.kind == "official" and back[2].verdict is None
