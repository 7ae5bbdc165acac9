"""`hotlines validate`: schema and rule checks, messages, exit codes, and the JSON Schema."""

from __future__ import annotations

import json

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PAGES
from hotlines.cli import main
from hotlines.errors import InputError
from hotlines.pipeline import extract_bytes
from hotlines.validate import check_document
from schemas.json_schema import page_record_json_schema

SEED = PAGES / "000_88c04a5b769380d4.txt"


def _record(page=SEED) -> dict:
    return json.loads(extract_bytes(str(page), page.read_bytes(), suffix=page.suffix, include_text=True).model_dump_json())


def _problems(record: dict) -> list[str]:
    return [f"{p.path}: {p.message}" for p in check_document("r.jsonl", 1, json.dumps(record, ensure_ascii=False).encode())]


def test_every_fixture_record_is_valid() -> None:
    for page in sorted(PAGES.iterdir()):
        assert _problems(_record(page)) == [], page.name


def test_rules_the_models_cannot_express() -> None:
    record = _record()
    record["phones"][0]["kind"] = "mobile"
    record["phones"][0]["count"] = 2
    record["phones"][0]["raw"] = ["400 186 5909"]
    record["regions"][0]["adcode"] = "999999"
    record["regions"][1]["city"] = "大同市"
    record["regions"][2]["span"] = [0, 4]
    record["links"][0]["brand"] = "海尔"
    problems = _problems(record)
    assert "phones[0].kind: +864001865909 is shared_cost_400, not mobile" in problems
    assert "phones[0].count: count 2 but 10 span(s)" in problems
    assert any(p.startswith("phones[0].raw: ") for p in problems)
    assert "regions[0].adcode: no division 999999 today" in problems
    assert any(p.startswith("regions[1].city: ") for p in problems)
    assert any(p.startswith("regions[2].text: ") for p in problems)
    assert "links[0].brand: 海尔 is not among the record's brands" in problems


def test_numbers_must_parse_and_short_codes_stay_unlinked() -> None:
    record = _record(PAGES / "two_brands.html")
    record["phones"][0]["number"] = "+8640012"
    record["links"].append({"brand": "方太", "appliance": None, "phone": "12315", "lines": 1})
    problems = _problems(record)
    assert any(p.startswith("phones[0].") for p in problems)
    assert any("12315 is a short code" in p for p in problems)


def test_schema_version_and_shape_errors_name_the_field() -> None:
    record = _record()
    assert _problems({**record, "schema_version": "2.0"}) == ["schema_version: unknown schema version '2.0' (this hotlines reads 1.0, 1.1)"]
    broken = {**record, "phones": [{**record["phones"][0], "count": 0}]}
    assert any(p.startswith("phones[0].count: ") for p in _problems(broken))


def test_cli_lines_summary_and_exit_codes(tmp_path, capsys) -> None:
    good = json.dumps(_record(), ensure_ascii=False)
    bad = json.dumps({**_record(), "schema_version": "9"}, ensure_ascii=False)
    valid, invalid = tmp_path / "valid.jsonl", tmp_path / "invalid.jsonl"
    valid.write_text(good + "\n", encoding="utf-8")
    invalid.write_text(good + "\n" + bad + "\n{nope\n", encoding="utf-8")
    assert main(["validate", str(valid)]) == 0
    assert main(["validate", str(valid), str(invalid)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{invalid}:2: schema_version: unknown schema version '9' (this hotlines reads 1.0, 1.1)", f"{invalid}:3: $: not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"]
    assert main(["validate", str(invalid), str(tmp_path / "missing.jsonl")]) == 2
    assert "missing.jsonl: cannot read" in capsys.readouterr().err
    assert main(["validate", "--format", "json", str(invalid)]) == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[-1] == {"summary": {"records": 3, "valid": 1, "invalid": 2, "problems": 2, "unreadable_inputs": 0}}
    assert lines[0]["line"] == 2 and lines[0]["path"] == "schema_version"


def test_json_files_with_one_record_or_a_list(tmp_path) -> None:
    single, many = tmp_path / "one.json", tmp_path / "many.json"
    single.write_text(json.dumps(_record(), ensure_ascii=False, indent=2), encoding="utf-8")
    many.write_text(json.dumps([_record(), _record(PAGES / "news_only.txt")], ensure_ascii=False), encoding="utf-8")
    assert main(["validate", str(single), str(many)]) == 0


def test_the_published_schema_accepts_what_validate_accepts() -> None:
    validator = jsonschema.Draft202012Validator(page_record_json_schema())
    validator.validate(_record())
    assert not validator.is_valid({**_record(), "phones": [{"number": "4001865909"}]})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["海尔空调售后", "400-1865-909", "北京市朝阳区", "、", "\n", "热水器", "12315", "<p>", "拨打", "昌尔特热水器维修"]) | st.text(max_size=5), max_size=30).map("".join))
def test_every_record_the_pipeline_makes_passes_validate(text: str) -> None:
    try:
        record = extract_bytes("p.txt", text.encode("utf-8"), suffix=".txt", include_text=True)
    except InputError:
        return  # not a page (empty, NUL bytes): an error naming the input, never a record

    assert check_document("p.jsonl", 1, record.model_dump_json().encode()) == []
