"""Readers: from inputs (files, directories, stdin) to decoded pages.

`files` walks the inputs and reads bytes, `decoding` finds the encoding, `html_text` turns
markup into the text every span points into.
"""

from hotlines.readers.files import (
    DEFAULT_MAX_BYTES,
    HTML_SUFFIXES,
    PAGE_SUFFIXES,
    STDIN,
    InputRef,
    Page,
    iter_inputs,
    load_bytes,
    read_page,
)

__all__ = ["DEFAULT_MAX_BYTES", "HTML_SUFFIXES", "PAGE_SUFFIXES", "STDIN", "InputRef", "Page", "iter_inputs", "load_bytes", "read_page"]
