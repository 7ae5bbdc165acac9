"""The record contract: one validated `PageRecord` per page.

These models are the single source of truth for what `hotlines extract` emits and what
`hotlines validate` accepts; `page_record.schema.json` beside this file is generated from them
so that non-Python tools can validate the same records. Field names are a published contract:
add fields, never rename them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

SCHEMA_VERSION: Literal["1.1"] = "1.1"
READABLE_VERSIONS: tuple[str, ...] = ("1.0", "1.1")
"""Versions this code reads: 1.1 only added optional fields, so a 1.0 record is a valid 1.1 record."""


def _check_span(span: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    if start < 0 or end < start:
        raise ValueError(f"span [{start}, {end}] must satisfy 0 <= start <= end")
    return span


Span = Annotated[tuple[int, int], AfterValidator(_check_span)]
"""Half-open character offsets [start, end) into the page's extracted text (`PageRecord.text`)."""

PhoneKind = Literal["shared_cost_400", "toll_free_800", "mobile", "landline", "short_code", "foreign"]
Disguise = Literal[
    "chinese_numerals", "enclosed_digits", "spaced_digits", "odd_separators", "letters_for_digits", "full_width_digits", "split_across_lines"
]
ContentType = Literal["text/plain", "text/html"]
RegionLevel = Literal["province", "city", "county", "town"]
VerdictKind = Literal["fake_service", "official", "directory", "other"]


def _empty_list() -> list:  # type: ignore[type-arg]
    """A fresh empty list, as `default_factory`. Not `list` itself: pydantic reads a factory's
    signature to see whether it takes the validated data, and for a builtin that means parsing
    its text signature with `tokenize`, about 15 M instructions of every start-up."""
    return []


class _Model(BaseModel):
    # Unknown fields are an error so that a typo in a producer is caught, not silently dropped.
    # Patterns say [0-9], not \d: pydantic's Rust regex reads \d as any Unicode digit, so an
    # adcode in full-width or Arabic-Indic digits passed, while JSON Schema's \d is ASCII.
    model_config = ConfigDict(extra="forbid")


class Source(_Model):
    """Where the page came from and how its bytes were read."""

    path: str = Field(description="Input path as given, or '<stdin>'; for a page from a crawl archive, the archive.")
    url: str | None = Field(default=None, description="Page URL when known (crawl files).")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the raw bytes.")
    encoding: str = Field(description="Codec the bytes were decoded with, e.g. 'utf-8', 'gb18030'.")
    content_type: ContentType
    title: str | None = Field(default=None, description="HTML <title>; null for plain text.")
    size: int = Field(ge=0, description="Size of the raw bytes.")
    warc_record_id: str | None = Field(
        default=None, description="WARC-Record-ID of the response record, for pages read from a crawl archive. Since 1.1."
    )
    warc_offset: int | None = Field(
        default=None, ge=0, description="Byte offset of that record in the archive (`path`). Since 1.1."
    )
    fetched: str | None = Field(
        default=None,
        pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z$",
        description="When the page was captured (UTC, ISO 8601): the record's WARC-Date, for pages from a crawl archive. Since 1.1.",
    )


class Phone(_Model):
    """One distinct phone number on the page, with every place it occurs."""

    number: str = Field(
        pattern=r"^(\+[1-9][0-9]{6,15}|[0-9]{3,8})$",
        description="E.164 ('+864001865909'); for a short code, the digits as dialled ('12315').",
    )
    extension: str | None = Field(default=None, pattern=r"^[0-9]{1,6}$", description="'转123' -> '123'.")
    display: str = Field(description="National format, e.g. '400 186 5909'.")
    kind: PhoneKind
    valid: bool = Field(
        default=True,
        description="phonenumbers' is_valid_number; false for a well-formed landline whose "
        "subscriber digits fall outside the published plan.",
    )
    country: str | None = Field(
        default=None, pattern=r"^[A-Z]{2}$", description="ISO 3166 country of the number ('CN'; 'US' for a foreign one). Since 1.1."
    )
    region: str | None = Field(default=None, description="Geocoder location (Chinese), e.g. '北京市'.")
    carrier: str | None = Field(default=None, description="Mobile carrier (Chinese) where known.")
    count: int = Field(ge=1)
    spans: list[Span] = Field(min_length=1)
    raw: list[str] = Field(min_length=1, description="Distinct surface forms as written.")
    obfuscated: bool = Field(
        default=False, description="Some mention hides its digits (Chinese numerals, spaced digits …): a signal in itself. Since 1.1."
    )
    disguises: list[Disguise] = Field(default_factory=_empty_list, description="The ways the mentions hid their digits. Since 1.1.")


class Region(_Model):
    """A mention of an administrative region, resolved to the current division."""

    text: str
    span: Span
    province: str | None = None
    city: str | None = None
    county: str | None = None
    town: str | None = None
    adcode: str = Field(pattern=r"^[0-9]{6}$")
    level: RegionLevel
    former_name: str | None = Field(default=None, description="The name as written, when it has since changed.")
    official: bool = Field(
        default=True,
        description="False when the county-level name is not an MCA division (加格达奇区, a development zone): "
        "`county` is then as written and `adcode` is the prefecture's.",
    )
    lon: float | None = None
    lat: float | None = None
    guessed: bool = Field(
        default=False,
        description="The bare name fits several units and nothing on the page decides: the most prominent "
        "unit was taken. Since 1.1.",
    )


class Brand(_Model):
    """A brand the page claims to serve: one per canonical brand (or per discovered name)."""

    name: str = Field(description="As written (the most frequent form).")
    canonical: str | None = Field(default=None, description="Canonical name from the brand gazetteer, when known.")
    known: bool = False
    count: int = Field(ge=1)
    spans: list[Span] = Field(min_length=1)
    raw: list[str] = Field(default_factory=_empty_list, description="Distinct surface forms (海尔, Haier).")


class Appliance(_Model):
    """An appliance the page names: one per category."""

    name: str = Field(description="As written (the most frequent form).")
    category: str = Field(pattern=r"^[a-z_]+$", description="Canonical category id, e.g. 'gas_water_heater'.")
    label: str = Field(default="", description="English label of the category.")
    count: int = Field(ge=1)
    spans: list[Span] = Field(min_length=1)
    raw: list[str] = Field(default_factory=_empty_list, description="Distinct surface forms.")


class Link(_Model):
    """A (brand, appliance, phone) the page asserts together in one line or heading."""

    brand: str = Field(description="Canonical brand, or the discovered name.")
    appliance: str | None = Field(default=None, description="Appliance category; null when the line names none.")
    phone: str = Field(description="Phone.number (E.164).")
    lines: int = Field(ge=1, description="How many lines (and the title) assert it.")


class PageWarning(_Model):
    """Something worth knowing about how the page was read; the record is still usable."""

    code: str = Field(pattern=r"^[a-z_]+$", description="Stable machine-readable key.")
    message: str


class Verdict(_Model):
    """What kind of page this is, how sure, and the cues that decided it (`hotlines.verdict`). Since 1.1."""

    kind: VerdictKind = Field(
        description="fake_service: a fake after-sales page; official: a brand's own page; directory: many brands, "
        "each with its own number; other: news, shops, anything else."
    )
    score: float = Field(ge=0.0, le=1.0, description="Confidence in `kind`, 0..1 (its share of the cue weights).")
    reasons: list[str] = Field(
        default_factory=_empty_list, description="The cues that fired for `kind`, each with its evidence ('service_area_list: 312 regions')."
    )


class PageRecord(_Model):
    """Everything extracted from one page."""

    schema_version: Literal["1.0", "1.1"] = SCHEMA_VERSION
    source: Source
    phones: list[Phone] = Field(default_factory=_empty_list)
    brands: list[Brand] = Field(default_factory=_empty_list)
    appliances: list[Appliance] = Field(default_factory=_empty_list)
    regions: list[Region] = Field(default_factory=_empty_list)
    links: list[Link] = Field(default_factory=_empty_list)
    warnings: list[PageWarning] = Field(default_factory=_empty_list)
    verdict: Verdict | None = Field(
        default=None, description="The page's verdict: fake service page, official, directory or other. Since 1.1."
    )
    text: str | None = Field(
        default=None,
        description="The extracted text all spans point into; present with --include-text.",
    )
