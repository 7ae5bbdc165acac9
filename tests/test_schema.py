"""The record contract: the published JSON Schema matches the models and validates real output."""

from __future__ import annotations

import json

import jsonschema
import pytest
from pydantic import ValidationError

from conftest import PAGES, ROOT
from hotlines.pipeline import extract_bytes
from schemas import PageRecord, Phone, Region, Source
from schemas.json_schema import page_record_json_schema, page_record_json_schema_text

SCHEMA_FILE = ROOT / "schemas" / "page_record.schema.json"


def test_published_schema_file_has_not_drifted_from_the_models() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == page_record_json_schema_text(), (
        "regenerate with: hotlines schema > schemas/page_record.schema.json"
    )


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(page_record_json_schema())


@pytest.mark.parametrize("page", sorted(p for p in PAGES.iterdir()), ids=lambda p: p.name)
def test_every_fixture_record_validates_with_jsonschema(page) -> None:
    record = extract_bytes(str(page), page.read_bytes(), suffix=page.suffix, include_text=True)
    document = json.loads(record.model_dump_json())
    jsonschema.Draft202012Validator(page_record_json_schema()).validate(document)
    assert PageRecord.model_validate(document) == record


def test_required_contract_fields_are_present() -> None:
    record_fields = set(PageRecord.model_fields)
    assert {"schema_version", "source", "phones", "brands", "appliances", "regions", "warnings", "text"} <= record_fields
    phone_fields = set(Phone.model_fields)
    assert {"number", "display", "kind", "region", "carrier", "count", "spans", "raw"} <= phone_fields


@pytest.mark.parametrize(
    "change",
    [
        {"number": "4001865909"},
        {"kind": "premium"},
        {"count": 0},
        {"spans": [[5, 2]]},
        {"unexpected": 1},
        {"number": "+８６４００１８６５９０９"},
        {"extension": "١٢٣"},
    ],
    ids=["not-e164", "unknown-kind", "zero-count", "reversed-span", "extra-field", "full-width-digits", "arabic-indic-extension"],
)
def test_models_reject_malformed_phones(change) -> None:
    phone = {"number": "+864001865909", "display": "400 186 5909", "kind": "shared_cost_400", "count": 1, "spans": [[0, 12]], "raw": ["400-1865-909"]}
    Phone.model_validate(phone)
    with pytest.raises(ValidationError):
        Phone.model_validate({**phone, **change})


@pytest.mark.parametrize("digits", ["１１０１０５", "١١٠١٠٥", "११०१०५"], ids=["full-width", "arabic-indic", "devanagari"])
def test_codes_take_ascii_digits_only_in_both_the_models_and_the_json_schema(digits) -> None:
    """pydantic's Rust regex reads \\d as any Unicode digit, JSON Schema's as 0-9: the patterns
    say [0-9], so both validators refuse an adcode (or a date) in other digits, and agree."""
    region = {"text": "朝阳区", "span": [0, 3], "adcode": "110105", "level": "county"}
    Region.model_validate(region)
    with pytest.raises(ValidationError):
        Region.model_validate({**region, "adcode": digits})
    region_schema = {"$defs": page_record_json_schema()["$defs"], "$ref": "#/$defs/Region"}
    jsonschema.Draft202012Validator(region_schema).validate(region)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(region_schema).validate({**region, "adcode": digits})
    source = {"path": "a.warc", "sha256": "0" * 64, "encoding": "utf-8", "content_type": "text/html", "size": 1}
    Source.model_validate({**source, "fetched": "2024-01-02T03:04:05Z"})
    with pytest.raises(ValidationError):
        Source.model_validate({**source, "fetched": f"{digits[:4]}-01-02T03:04:05Z"})
