"""The page pipeline: page -> normalized text -> entities -> one validated `PageRecord`.

Every extractor sees the same `NormalizedText`, computed once per page; all tables and
automata live at module level in the extractors and load once per process.
"""

from __future__ import annotations

import gc

from extractors import extract_phones, extract_regions, normalize
from extractors.brands import extract_brands_and_appliances, regions_outside_brands
from extractors.links import extract_links
from hotlines.readers import Page, read_page
from hotlines.verdict.page import page_verdict
from schemas import Brand, PageRecord, Phone, Source


def warm_up() -> None:
    """Load every table and automaton now, then move them out of the garbage collector's sight.

    A batch creates hundreds of small objects per page; each collection would otherwise walk
    the division table, the name index and the gazetteers again (about a sixth of the time
    per page). `gc.freeze` leaves them alone; pages' own objects are collected as usual.
    """
    extract_bytes("warm-up.txt", "北京市朝阳区海尔空调售后电话400-1865-909".encode(), suffix=".txt")
    gc.collect()
    gc.freeze()


def preload_for_workers() -> None:
    """Before worker processes are forked: load what pages load on first use, too.

    The +86 slice of phonenumbers' place and carrier tables (`extractors.phone_places`) loads
    with the first landline or mobile number; loaded here once, every forked worker shares it.
    """
    from extractors.phone_places import place_tables

    place_tables()
    gc.freeze()


def build_record(
    page: Page,
    *,
    include_text: bool = False,
    url: str | None = None,
    warc_record_id: str | None = None,
    warc_offset: int | None = None,
    fetched: str | None = None,
) -> PageRecord:
    """Run every extractor over a decoded page and assemble its record.

    `url` is where the page was fetched from; `warc_record_id` and `warc_offset` name the
    record of a crawl archive it was read from (`page.name` is then the archive), `fetched` its WARC-Date.
    """
    doc = normalize(page.text)
    phones = extract_phones(doc)
    title_phones = extract_phones(page.title) if page.title else []
    title_numbers = {p.number for p in title_phones if p.kind != "short_code"}
    title_in_text = not title_numbers <= {p.number for p in phones}  # a number only the title holds
    if title_in_text:
        page.text += "\n" + page.title  # so that a number the title alone carries has a span too
        doc = normalize(page.text)
        phones = extract_phones(doc)
    regions = extract_regions(doc)
    found = extract_brands_and_appliances(doc, regions)
    regions = regions_outside_brands(regions, found.brands)  # "阿里斯顿" holds no 阿里地区
    title = _title_keys(page.title, found.brands, title_phones) if page.title and not title_in_text else None
    links = extract_links(page.text, found.brands, found.appliances, phones, title)
    return PageRecord(
        source=Source(
            path=page.name,
            url=url,
            sha256=page.sha256,
            encoding=page.encoding,
            content_type=page.content_type,  # type: ignore[arg-type]
            title=page.title,
            size=page.size,
            warc_record_id=warc_record_id,
            warc_offset=warc_offset,
            fetched=fetched,
        ),
        phones=phones,
        brands=found.brands,
        appliances=found.appliances,
        regions=regions,
        links=links,
        warnings=list(page.warnings),
        verdict=page_verdict(page.text, page.title, url, phones, found.brands, regions, links),
        text=page.text if include_text else None,
    )


def extract_bytes(name: str, data: bytes, *, suffix: str = "", include_text: bool = False, url: str | None = None) -> PageRecord:
    """Bytes of one page to its record; raises `InputError` for input that is not a page.

    `url`, the address the page was fetched from when known, becomes `source.url`.
    """
    return build_record(read_page(name, data, suffix), include_text=include_text, url=url)


def _title_keys(title: str, brands: list[Brand], phones: list[Phone]) -> tuple[set[str], set[str], set[str]]:
    """What the title asserts, for links: the page's brands named in it, appliances, numbers
    (`phones`: the title's own)."""
    found = extract_brands_and_appliances(normalize(title))
    in_title = {brand.canonical for brand in found.brands if brand.known and brand.canonical}
    in_title |= {brand.canonical or brand.name for brand in brands if any(form in title for form in brand.raw)}
    appliances = {appliance.category for appliance in found.appliances}
    numbers = {p.number for p in phones if p.kind != "short_code" and p.valid}
    return in_title, appliances, numbers
