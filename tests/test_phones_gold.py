"""Phone extraction measured against hand-checked gold labels: pages and hard cases."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES, gold_pages, load_jsonl
from hotlines.pipeline import extract_bytes
from metrics import Score

SEEDS = [(page, gold) for page, gold in gold_pages() if page.name[:3].isdigit()]
CASES = load_jsonl(FIXTURES / "phones" / "cases.jsonl")


def _record(page):
    return extract_bytes(str(page), page.read_bytes(), suffix=page.suffix, include_text=True)


def _phone_key(phone: dict) -> tuple:
    return (phone["number"], phone["kind"], phone.get("extension"), phone["count"])


def test_there_are_three_seed_pages() -> None:
    assert len(SEEDS) == 3


@pytest.mark.parametrize(("page", "gold"), SEEDS, ids=[p.name for p, _ in SEEDS])
def test_seed_phones_are_exact_to_the_character(page, gold) -> None:
    record = _record(page)
    got = [(p.number, p.kind, p.count, [list(s) for s in p.spans]) for p in record.phones]
    want = [(p["number"], p["kind"], p["count"], p["spans"]) for p in gold["phones"]]
    assert got == want
    assert got[0][:3] == ("+864001865909", "shared_cost_400", 10)


def test_fixture_pages_precision_and_recall_are_perfect() -> None:
    score = Score()
    for page, gold in gold_pages():
        record = _record(page)
        predicted = [_phone_key(p.model_dump()) for p in record.phones]
        score.add(predicted, [_phone_key(p) for p in gold["phones"]], page.name)
        for phone, gold_phone in zip(record.phones, gold["phones"]):
            if "raw" in gold_phone:
                assert phone.raw == gold_phone["raw"], page.name
        for key in ("encoding", "content_type", "title"):
            if key in gold:
                assert getattr(record.source, key) == gold[key], (page.name, key)
    print(score.report())
    assert score.precision == 1.0 and score.recall == 1.0, score.report()


def test_hard_cases_precision_and_recall_are_perfect() -> None:
    from extractors import extract_phones

    score = Score()
    for case in CASES:
        predicted = [_phone_key(p.model_dump()) for p in extract_phones(case["text"])]
        score.add(predicted, [_phone_key(p) for p in case["expected"]], case["id"])
    print(score.report())
    assert score.precision == 1.0 and score.recall == 1.0, score.report()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_spans_slice_to_the_raw_forms(case) -> None:
    from extractors import extract_phones

    for phone in extract_phones(case["text"]):
        assert len(phone.spans) == phone.count
        assert {case["text"][a:b] for a, b in phone.spans} == set(phone.raw)


def test_gold_files_are_well_formed() -> None:
    for page, gold in gold_pages():
        assert page.is_file(), page
        for phone in gold["phones"]:
            assert set(phone) <= {"number", "kind", "count", "spans", "raw", "extension"}, json.dumps(phone)


DISGUISED = [case for case in CASES if "disguises" in case]


def test_every_disguise_has_a_case() -> None:
    import typing

    from schemas import Disguise

    covered = {d for case in DISGUISED for d in case["disguises"]}
    assert covered == set(typing.get_args(Disguise))


@pytest.mark.parametrize("case", DISGUISED, ids=[c["id"] for c in DISGUISED])
def test_disguised_mentions_say_how_they_hid(case) -> None:
    from extractors import extract_phones

    phones = extract_phones(case["text"])
    assert phones, case["id"]
    for phone in phones:
        assert phone.disguises == case["disguises"], case["id"]
        assert phone.obfuscated is bool(case["disguises"])


def test_plain_numbers_are_not_marked_obfuscated() -> None:
    from extractors import extract_phones

    plain = [case for case in CASES if "disguises" not in case and case["expected"] and not any("\uff10" <= ch <= "\uff19" for ch in case["text"])]
    assert len(plain) > 40
    flagged = [case["id"] for case in plain for p in extract_phones(case["text"]) if p.obfuscated and not case["id"].startswith("disguise")]
    assert flagged == []


@pytest.mark.parametrize("case", [c for c in CASES if any("valid" in p for p in c["expected"])], ids=lambda c: c["id"])
def test_validity_matches_the_gold(case) -> None:
    from extractors import extract_phones

    got = {p.number: p.valid for p in extract_phones(case["text"])}
    assert got == {p["number"]: p.get("valid", True) for p in case["expected"]}


def test_foreign_numbers_carry_their_country() -> None:
    from extractors import extract_phones

    foreign = [p for case in CASES for p in extract_phones(case["text"]) if p.kind == "foreign"]
    assert {p.country for p in foreign} == {"US", "HK"}
    assert all(p.number.startswith(("+1", "+852")) for p in foreign)
