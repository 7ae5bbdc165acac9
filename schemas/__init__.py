"""The hotlines data contract: pydantic models only, no I/O."""

from schemas.page_record import (
    SCHEMA_VERSION,
    Appliance,
    Brand,
    Link,
    PageRecord,
    PageWarning,
    Phone,
    PhoneKind,
    Region,
    Source,
    Span,
)
from schemas.json_schema import page_record_json_schema

__all__ = [
    "SCHEMA_VERSION",
    "Appliance",
    "Brand",
    "Link",
    "PageRecord",
    "PageWarning",
    "Phone",
    "PhoneKind",
    "Region",
    "Source",
    "Span",
    "page_record_json_schema",
]
