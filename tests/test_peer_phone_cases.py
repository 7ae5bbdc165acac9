"""The anchors' own phone cases (python-phonenumbers, JioNLP): we must do at least as well.

For phonenumbers' matcher cases both sides run here, in the same test, and are counted.
JioNLP is not a dependency; its cases are its own expectations, so we must pass all of them.
Cases about formatting-as-you-type or dialling (not extraction) do not apply and are listed.
"""

from __future__ import annotations

import phonenumbers
import pytest

from conftest import load_jsonl
from extractors import extract_phones

NOT_EXTRACTION = {"format_number_for_mobile_dialing", "AsYouTypeFormatter"}


@pytest.fixture(scope="module")
def pn_cases(shared):
    return load_jsonl(shared / "peer-cases" / "phonenumbers_cn_cases.jsonl")


@pytest.fixture(scope="module")
def jionlp_cases(shared):
    return load_jsonl(shared / "peer-cases" / "jionlp_phone_cases.jsonl")


def _ours_matches(case) -> bool:
    phones = extract_phones(case["input"], region=case["region"])
    got = [(s[0], s[1], p.number) for p in phones for s in p.spans]
    return got == [(e["start"], e["end"], e["e164"]) for e in case["expected"]]


def _anchor_matches(case) -> bool:
    matches = phonenumbers.PhoneNumberMatcher(case["input"], case["region"], leniency=phonenumbers.Leniency.VALID)
    got = [(m.start, m.end, phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)) for m in matches]
    return got == [(e["start"], e["end"], e["e164"]) for e in case["expected"]]


def test_phonenumbers_matcher_cases_at_least_as_well_as_phonenumbers(pn_cases) -> None:
    matcher_cases = [c for c in pn_cases if c["function"] == "PhoneNumberMatcher"]
    ours = sum(_ours_matches(c) for c in matcher_cases)
    anchor = sum(_anchor_matches(c) for c in matcher_cases)
    print(f"phonenumbers matcher cases: hotlines {ours}/{len(matcher_cases)}, phonenumbers {anchor}/{len(matcher_cases)}")
    assert ours == len(matcher_cases) and ours >= anchor


def test_phonenumbers_facts_our_records_rely_on(pn_cases) -> None:
    by_id = {c["id"]: c for c in pn_cases}
    # Chinese characters do not block a match.
    assert by_id["pn-latin-1"]["expected"] is False
    assert [p.number for p in extract_phones("我4001865909我")] == ["+864001865909"]
    # A CN mobile is a mobile, with no area code but a location.
    mobile = extract_phones(by_id["pn-cn-mobile-1"]["input_e164"])[0]
    assert mobile.kind == "mobile" and mobile.region
    # A foreign number seen from China is located in Chinese.
    foreign = extract_phones("+1 650-253-0000")[0]
    assert foreign.region == by_id["pn-cn-geo-1"]["expected"]
    skipped = [c["id"] for c in pn_cases if c["function"] in NOT_EXTRACTION]
    print("not extraction, not applicable:", skipped)


def test_jionlp_phone_cases_all_pass(jionlp_cases) -> None:
    by_id = {c["id"]: c for c in jionlp_cases}
    removed = by_id["jio-phone-01"]
    phones = extract_phones(removed["input"])
    assert sorted(p.number for p in phones) == sorted(removed["derived_phones_e164"])
    assert "ffewfqr23" not in "".join(r for p in phones for r in p.raw)

    extracted = by_id["jio-phone-02"]
    phones = extract_phones(extracted["input"])
    got = [(p.raw[0], list(p.spans[0]), p.kind) for p in phones]
    kinds = {"cell_phone": "mobile", "landline_phone": "landline"}
    assert got == [(e["text"], e["offset"], kinds[e["type"]]) for e in extracted["expected"]]

    for case_id in ("jio-phone-03", "jio-phone-04"):
        case = by_id[case_id]
        (phone,) = extract_phones(case["input"])
        expected = case["expected"]
        assert expected["province"] in phone.region and expected["city"] in phone.region
        if "operator" in expected:
            assert phone.carrier == expected["operator"]
