"""The page pipeline: page -> normalized text -> entities -> one validated `PageRecord`.

Every extractor sees the same `NormalizedText`, computed once per page; all tables and
automata live at module level in the extractors and load once per process.
"""

from __future__ import annotations

import gc

from extractors import extract_phones, extract_regions, normalize
from extractors.brands import extract_brands_and_appliances
from extractors.links import extract_links
from hotlines.readers import Page, read_page
from schemas import Brand, PageRecord, Source


def warm_up() -> None:
    """Load every table and automaton now, then move them out of the garbage collector's sight.

    A batch creates hundreds of small objects per page; each collection would otherwise walk
    the division table, the name index and the gazetteers again (about a sixth of the time
    per page). `gc.freeze` leaves them alone; pages' own objects are collected as usual.
    """
    extract_bytes("warm-up.txt", "北京市朝阳区海尔空调售后电话400-1865-909".encode(), suffix=".txt")
    gc.collect()
    gc.freeze()


def build_record(page: Page, *, include_text: bool = False, url: str | None = None) -> PageRecord:
    """Run every extractor over a decoded page and assemble its record."""
    doc = normalize(page.text)
    phones = extract_phones(doc)
    regions = extract_regions(doc)
    found = extract_brands_and_appliances(doc, regions)
    title = _title_keys(page.title, found.brands) if page.title else None
    return PageRecord(
        source=Source(
            path=page.name,
            url=url,
            sha256=page.sha256,
            encoding=page.encoding,
            content_type=page.content_type,  # type: ignore[arg-type]
            title=page.title,
            size=page.size,
        ),
        phones=phones,
        brands=found.brands,
        appliances=found.appliances,
        regions=regions,
        links=extract_links(page.text, found.brands, found.appliances, phones, title),
        warnings=list(page.warnings),
        text=page.text if include_text else None,
    )


def extract_bytes(name: str, data: bytes, *, suffix: str = "", include_text: bool = False) -> PageRecord:
    """Bytes of one page to its record; raises `InputError` for input that is not a page."""
    return build_record(read_page(name, data, suffix), include_text=include_text)


def _title_keys(title: str, brands: list[Brand]) -> tuple[set[str], set[str], set[str]]:
    """What the title asserts, for links: the page's brands named in it, appliances, numbers."""
    doc = normalize(title)
    found = extract_brands_and_appliances(doc)
    in_title = {brand.canonical for brand in found.brands if brand.known and brand.canonical}
    in_title |= {brand.canonical or brand.name for brand in brands if any(form in title for form in brand.raw)}
    appliances = {appliance.category for appliance in found.appliances}
    numbers = {p.number for p in extract_phones(doc) if p.kind != "short_code"}
    return in_title, appliances, numbers
