"""Readers: from inputs (files, directories, stdin, crawl archives) to decoded pages.

`files` walks the inputs and reads bytes, `warc` streams the pages of WARC and ARC archives,
`decoding` finds the encoding, `html_text` turns markup into the text every span points into.
"""

from hotlines.readers.files import (
    DEFAULT_MAX_BYTES,
    HTML_SUFFIXES,
    PAGE_SUFFIXES,
    STDIN,
    InputRef,
    Page,
    archive_format,
    iter_inputs,
    load_bytes,
    read_page,
)
from hotlines.readers.warc import ArchiveError, ArchiveRecord, ArchiveTally, SkippedRecord, archive_page, iter_archive

__all__ = [
    "DEFAULT_MAX_BYTES", "HTML_SUFFIXES", "PAGE_SUFFIXES", "STDIN", "InputRef", "Page", "archive_format", "iter_inputs",
    "load_bytes", "read_page",
    "ArchiveError", "ArchiveRecord", "ArchiveTally", "SkippedRecord", "archive_page", "iter_archive",
]  # fmt: skip
