"""Check records against the schema and against the facts the schema cannot express alone.

The pydantic models check shapes; this module checks meaning: that an E.164 number parses and
its `kind` is what phonenumbers says, that an adcode exists and its names agree with today's
divisions, that spans lie inside the text and agree with `count` and `raw`, that links point at
entities of the same record. Files stream one line (Parquet: one row group) at a time, so any
size runs in flat memory.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import phonenumbers
from phonenumbers import shortnumberinfo
from pydantic import ValidationError

from extractors.brands import gazetteers
from extractors.divisions import division_table
from extractors.phones import kind_of_number
from schemas import READABLE_VERSIONS, Appliance, Brand, PageRecord


MAX_JSON_BYTES = 256 * 2**20  # a JSON document is parsed whole; JSONL streams at any size


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.path}: {self.message}"


class UnreadableInput(Exception):
    """An input that cannot be read at all (missing, a directory, not JSON text)."""


def read_documents(name: str) -> Iterator[tuple[int, bytes | Any]]:
    """(line or row, document) per record of one input (a file, or - for stdin); UnreadableInput
    naming it when it cannot be read, at the start or, for a Parquet file, part-way."""
    if name.lower().endswith(".parquet"):
        from hotlines.parquet import ParquetError, iter_rows

        try:
            yield from iter_rows(name)
        except ParquetError as error:
            raise UnreadableInput(str(error)) from None
        return
    handle = sys.stdin.buffer if name == "-" else open_input(name)
    with handle:
        yield from iter_documents("<stdin>" if name == "-" else name, handle)


def iter_documents(name: str, handle: BinaryIO) -> Iterator[tuple[int, bytes | Any]]:
    """(line, raw JSON text) per record: JSONL line by line; a .json file as one value or a list."""
    if name.endswith(".json"):
        data = handle.read()
        try:
            value = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError):
            yield 1, data  # reported by the checker as invalid JSON
            return
        for position, item in enumerate(value if isinstance(value, list) else [value], start=1):
            yield position, item
        return
    for number, raw in enumerate(handle, start=1):
        if raw.strip():
            yield number, raw


def check_document(file: str, line: int, document: bytes | Any) -> list[Problem]:
    """Every problem with one record (raw JSON text, or an already parsed value)."""
    if isinstance(document, bytes):
        try:
            value = json.loads(document)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            return [Problem(file, line, "$", f"not valid JSON: {error}")]
    else:
        value = document
    if not isinstance(value, dict):
        return [Problem(file, line, "$", f"a record is a JSON object, not {type(value).__name__}")]
    version = value.get("schema_version")
    if version not in READABLE_VERSIONS:
        return [Problem(file, line, "schema_version", f"unknown schema version {version!r} (this hotlines reads {', '.join(READABLE_VERSIONS)})")]
    try:
        record = PageRecord.model_validate(value)
    except ValidationError as error:
        return [Problem(file, line, _path(e["loc"]), e["msg"]) for e in error.errors()]
    return [Problem(file, line, path, message) for path, message in check_record(record)]


def _path(location: tuple[Any, ...]) -> str:
    return ".".join(f"[{part}]" if isinstance(part, int) else str(part) for part in location).replace(".[", "[")


def check_record(record: PageRecord) -> Iterator[tuple[str, str]]:
    """(field path, message) for each fact that does not hold."""
    text = record.text
    yield from _check_phones(record, text)
    yield from _check_regions(record, text)
    yield from _check_spanned(record, text)
    yield from _check_links(record)


def _spans(path: str, spans: list[tuple[int, int]], text: str | None) -> Iterator[tuple[str, str]]:
    if text is None:
        return
    for position, (start, end) in enumerate(spans):
        if end > len(text):
            yield f"{path}.spans[{position}]", f"span [{start}, {end}] runs past the text ({len(text)} characters)"


def _check_phones(record: PageRecord, text: str | None) -> Iterator[tuple[str, str]]:
    for i, phone in enumerate(record.phones):
        path = f"phones[{i}]"
        if phone.count != len(phone.spans):
            yield f"{path}.count", f"count {phone.count} but {len(phone.spans)} span(s)"
        yield from _spans(path, phone.spans, text)
        if text is not None and all(end <= len(text) for _, end in phone.spans):
            written = {text[a:b] for a, b in phone.spans}
            if written != set(phone.raw):
                yield f"{path}.raw", f"raw {sorted(phone.raw)} but the spans read {sorted(written)}"
        if phone.kind == "short_code":
            if phone.number.startswith("+") or not shortnumberinfo.is_valid_short_number_for_region(phonenumbers.parse(phone.number, "CN"), "CN"):
                yield f"{path}.number", f"{phone.number} is not a short code of China"
            continue
        if not phone.number.startswith("+"):
            yield f"{path}.number", f"{phone.number} is not E.164 (kind {phone.kind} needs +country code)"
            continue
        try:
            parsed = phonenumbers.parse(phone.number)
        except phonenumbers.NumberParseException as error:
            yield f"{path}.number", f"{phone.number} does not parse: {error}"
            continue
        valid = phonenumbers.is_valid_number(parsed)
        if phone.valid and not valid:
            yield f"{path}.valid", f"{phone.number} is not a valid number, yet valid is true"
        if valid and phone.kind != (kind := kind_of_number(parsed)):
            yield f"{path}.kind", f"{phone.number} is {kind}, not {phone.kind}"
        if phone.country is not None and phone.country != (country := phonenumbers.region_code_for_number(parsed)):
            yield f"{path}.country", f"{phone.number} is a number of {country}, not {phone.country}"
        if not valid and phone.kind != "landline":
            yield f"{path}.kind", f"{phone.number} is not valid; only landlines may be kept so"


def _check_regions(record: PageRecord, text: str | None) -> Iterator[tuple[str, str]]:
    units = division_table().units
    for i, region in enumerate(record.regions):
        path = f"regions[{i}]"
        start, end = region.span
        if text is not None:
            if end > len(text):
                yield f"{path}.span", f"span [{start}, {end}] runs past the text ({len(text)} characters)"
            elif text[start:end] != region.text:
                yield f"{path}.text", f"text {region.text!r} but the span reads {text[start:end]!r}"
        code = region.adcode
        unit = units.get(code)
        if unit is None and code.endswith("01") and not region.official and units.get(code[:4] + "00"):
            unit = units[code[:4] + "00"]  # NBS's 市辖区 grouping of a prefecture's districts
        if unit is None:
            yield f"{path}.adcode", f"no division {code} today"
            continue
        province = units[unit.province].name
        if region.province != province:
            yield f"{path}.province", f"{code} is in {province}, not {region.province}"
        city_code = unit.adcode if unit.level == "city" else unit.city
        city = units[city_code].name if city_code else None
        if unit.level != "province" and region.city != city:
            yield f"{path}.city", f"{code} is under {city}, not {region.city}"
        if unit.level == "county" and region.official and region.county != unit.name:
            yield f"{path}.county", f"{code} is {unit.name}, not {region.county}"


def _check_spanned(record: PageRecord, text: str | None) -> Iterator[tuple[str, str]]:
    categories = {name.category for name in gazetteers().appliance_names.values()}
    spanned: tuple[tuple[str, Sequence[Brand | Appliance]], ...] = (("brands", record.brands), ("appliances", record.appliances))
    for field_name, items in spanned:
        for i, item in enumerate(items):
            path = f"{field_name}[{i}]"
            if item.count != len(item.spans):
                yield f"{path}.count", f"count {item.count} but {len(item.spans)} span(s)"
            yield from _spans(path, item.spans, text)
    for i, appliance in enumerate(record.appliances):
        if appliance.category not in categories:
            yield f"appliances[{i}].category", f"unknown category {appliance.category!r}"


def _check_links(record: PageRecord) -> Iterator[tuple[str, str]]:
    numbers = {phone.number: phone.kind for phone in record.phones}
    invalid = {phone.number for phone in record.phones if not phone.valid}
    brands = {brand.canonical or brand.name for brand in record.brands}
    categories = {appliance.category for appliance in record.appliances}
    for i, link in enumerate(record.links):
        path = f"links[{i}]"
        if link.phone not in numbers:
            yield f"{path}.phone", f"{link.phone} is not among the record's phones"
        elif numbers[link.phone] == "short_code":
            yield f"{path}.phone", f"{link.phone} is a short code, which is never linked to a brand"
        elif link.phone in invalid:
            yield f"{path}.phone", f"{link.phone} is not a valid number, which is never linked to a brand"
        if link.brand not in brands:
            yield f"{path}.brand", f"{link.brand} is not among the record's brands"
        if link.appliance is not None and link.appliance not in categories:
            yield f"{path}.appliance", f"{link.appliance} is not among the record's appliances"


def open_input(name: str) -> io.BufferedReader:
    """The bytes of a file to validate, or UnreadableInput naming it (missing, binary …)."""
    path = Path(name)
    if path.is_dir():
        raise UnreadableInput(f"{name}: is a directory")
    if name.endswith(".json") and path.is_file() and path.stat().st_size > MAX_JSON_BYTES:
        raise UnreadableInput(f"{name}: a .json file over {MAX_JSON_BYTES >> 20} MiB is read whole; write records as JSONL, which streams")
    try:
        handle = path.open("rb")
    except OSError as error:
        raise UnreadableInput(f"{name}: cannot read: {error.strerror or error}") from None
    if b"\x00" in handle.peek(8192)[:8192]:
        handle.close()
        raise UnreadableInput(f"{name}: binary file (NUL bytes), not JSON records")
    return handle
