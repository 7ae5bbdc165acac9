"""The record contract: the published JSON Schema matches the models and validates real output."""

from __future__ import annotations

import json

import jsonschema
import pytest
from pydantic import ValidationError

from conftest import PAGES, ROOT
from hotlines.pipeline import extract_bytes
from schemas import PageRecord, Phone
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
    ],
    ids=["not-e164", "unknown-kind", "zero-count", "reversed-span", "extra-field"],
)
def test_models_reject_malformed_phones(change) -> None:
    phone = {"number": "+864001865909", "display": "400 186 5909", "kind": "shared_cost_400", "count": 1, "spans": [[0, 12]], "raw": ["400-1865-909"]}
    Phone.model_validate(phone)
    with pytest.raises(ValidationError):
        Phone.model_validate({**phone, **change})
