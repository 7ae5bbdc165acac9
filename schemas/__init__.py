"""The hotlines data contract: pydantic models only, no I/O."""

from schemas.page_record import (
    READABLE_VERSIONS,
    SCHEMA_VERSION,
    Appliance,
    Brand,
    Disguise,
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
    "READABLE_VERSIONS",
    "SCHEMA_VERSION",
    "Appliance",
    "Brand",
    "Disguise",
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
