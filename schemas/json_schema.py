"""The published JSON Schema, derived from the models so the two can never disagree."""

from __future__ import annotations

import json
from typing import Any

from schemas.page_record import SCHEMA_VERSION, PageRecord

SCHEMA_ID = f"https://hotlines.invalid/schemas/page_record/{SCHEMA_VERSION}"


def page_record_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for one `PageRecord`."""
    schema = PageRecord.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


def page_record_json_schema_text() -> str:
    """The schema as the exact text checked in at schemas/page_record.schema.json."""
    return json.dumps(page_record_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
