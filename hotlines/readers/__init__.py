"""Readers: from inputs (files, directories, stdin, crawl archives) to decoded pages.

`files` walks the inputs and reads bytes, `warc` streams the pages of WARC and ARC archives
(`archive`: the records and errors it yields),
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
from hotlines.readers.archive import ArchiveError, ArchiveRecord, ArchiveTally, SkippedRecord


def __getattr__(name: str) -> object:
    """The archive reader's functions, imported on first use: a run over page files never loads
    the reader, FastWARC or warcio."""
    if name in ("archive_page", "iter_archive"):
        from hotlines.readers import warc

        return getattr(warc, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_MAX_BYTES", "HTML_SUFFIXES", "PAGE_SUFFIXES", "STDIN", "InputRef", "Page", "archive_format", "iter_inputs",
    "load_bytes", "read_page",
    "ArchiveError", "ArchiveRecord", "ArchiveTally", "SkippedRecord", "archive_page", "iter_archive",
]  # fmt: skip
