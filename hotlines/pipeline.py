"""The page pipeline: page -> normalized text -> entities -> one validated `PageRecord`.

Every extractor sees the same `NormalizedText`, computed once per page; all tables and
automata live at module level in the extractors and load once per process.
"""

from __future__ import annotations

from extractors import extract_phones, extract_regions, normalize
from hotlines.readers import Page, read_page
from schemas import PageRecord, Source


def build_record(page: Page, *, include_text: bool = False, url: str | None = None) -> PageRecord:
    """Run every extractor over a decoded page and assemble its record."""
    doc = normalize(page.text)
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
        phones=extract_phones(doc),
        regions=extract_regions(doc),
        warnings=list(page.warnings),
        text=page.text if include_text else None,
    )


def extract_bytes(name: str, data: bytes, *, suffix: str = "", include_text: bool = False) -> PageRecord:
    """Bytes of one page to its record; raises `InputError` for input that is not a page."""
    return build_record(read_page(name, data, suffix), include_text=include_text)
