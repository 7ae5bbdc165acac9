"""From paths on the command line to decoded pages: files, directories, stdin.

Each input becomes either a `Page` or an `InputError` naming it, so that one bad file never
stops a batch. Directories are walked in a stable (sorted) order and yield the files whose
suffix says they are pages, and any other file whose first bytes are HTML (crawl mirrors save
pages as `index.php`, `show.asp` or with no suffix at all), and crawl archives (`.warc`,
`.warc.gz`, `.arc`, `.arc.gz`, read record by record by `readers.warc`); a file named explicitly
is always read. Whether a page is HTML is decided by its content, whatever its suffix: a `.txt`
file that holds markup is read as HTML.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from hotlines.readers.decoding import charset_label, decode, declared_charset
from hotlines.errors import InputError
from schemas import PageWarning

PAGE_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".xhtml", ".shtml"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
STDIN = "-"

_SNIFF = 4096
# Crawl archives, by name: read record by record (hotlines.readers.warc), never as one page.
ARCHIVE_SUFFIXES = {".warc": "warc", ".warc.gz": "warc", ".arc": "arc", ".arc.gz": "arc"}
# Never pages, whatever they hold: records (read by `index build`/`validate`) and archives.
_NEVER_SNIFFED = frozenset({".json", ".jsonl", ".parquet", ".gz", ".zip", ".warc", ".arc", ".sqlite", ".db"})
_BINARY_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive",
    b"\x1f\x8b": "a gzip file",
    b"\x7fELF": "an executable",
}


class InputRef(NamedTuple):
    """One input to read: a file path, or stdin."""

    name: str
    path: Path | None  # None for stdin


@dataclass(slots=True)
class Page:
    """A decoded page: the text every span of its record points into."""

    name: str
    sha256: str
    size: int
    encoding: str
    content_type: str
    title: str | None
    text: str
    warnings: list[PageWarning] = field(default_factory=list)


def archive_format(name: str) -> str | None:
    """'warc' or 'arc' for a crawl archive's file name (.warc, .warc.gz, .arc, .arc.gz), else None."""
    lowered = name.lower()
    for suffix, kind in ARCHIVE_SUFFIXES.items():
        if lowered.endswith(suffix):
            return kind
    return None


def iter_inputs(args: Iterable[str], skipped: list[str] | None = None) -> Iterator[InputRef | InputError]:
    """Expand command-line arguments into inputs, in order; directories recursively.

    Files in a directory whose suffix is not a page type are appended to `skipped`.
    """
    for arg in args:
        if arg == STDIN:
            yield InputRef("<stdin>", None)
            continue
        path = Path(arg)
        if path.is_dir():
            yield from _walk(path, skipped)
        elif path.exists() or path.is_symlink():
            yield InputRef(arg, path)
        else:
            yield InputError(arg, "no such file or directory")


def _walk(root: Path, skipped: list[str] | None) -> Iterator[InputRef | InputError]:
    def on_error(error: OSError) -> None:
        raise error

    try:
        for folder, dirs, files in os.walk(root, onerror=on_error):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                path = Path(folder, name)
                if name.startswith("."):
                    continue
                if path.suffix.lower() in PAGE_SUFFIXES or archive_format(name) or _file_looks_like_html(path):
                    yield InputRef(str(path), path)
                elif skipped is not None:
                    skipped.append(str(path))
    except OSError as error:
        yield InputError(str(error.filename or root), f"cannot list directory: {error.strerror}")


def _file_looks_like_html(path: Path) -> bool:
    if path.suffix.lower() in _NEVER_SNIFFED:
        return False
    try:
        with path.open("rb") as handle:
            return looks_like_html(handle.read(_SNIFF))
    except OSError:
        return False


def load_bytes(ref: InputRef, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The raw bytes of an input, refusing what is too large before reading it all."""
    try:
        if ref.path is None:
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            if ref.path.is_symlink() and not ref.path.exists():
                raise InputError(ref.name, f"cannot read: broken link to {os.readlink(ref.path)}")
            if not ref.path.is_file():
                raise InputError(ref.name, "not a regular file")
            size = ref.path.stat().st_size
            if size > max_bytes:
                raise InputError(ref.name, f"too large: {size} bytes (limit {max_bytes}; see --max-bytes)")
            with ref.path.open("rb") as handle:
                data = handle.read(max_bytes + 1)
    except OSError as error:
        raise InputError(ref.name, f"cannot read: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise InputError(ref.name, f"too large: more than {max_bytes} bytes (see --max-bytes)")
    return data


def read_page(name: str, data: bytes, suffix: str = "", charset: str | None = None) -> Page:
    """Decode and, for HTML, strip markup; raise `InputError` for what is not a text page.

    `charset` is the one the transport names (an HTTP Content-Type header): it is tried before
    the page's own declaration (see `decoding.decode`).
    """
    if not data:
        raise InputError(name, "empty file")
    _refuse_binary(name, data)
    is_html = suffix.lower() in HTML_SUFFIXES or looks_like_html(data)
    declared = declared_charset(data[:_SNIFF]) if is_html else None
    decoded = decode(data, name, declared, transport=charset_label(charset) if charset else None)
    warnings = []
    if decoded.replaced:
        warnings.append(
            PageWarning(code="replaced_bytes", message=f"{decoded.replaced} undecodable byte(s) replaced by U+FFFD")
        )
    if "\x00" in decoded.text:
        raise InputError(name, "contains NUL characters (binary data?)")
    if is_html:
        from hotlines.readers.html_text import html_to_text  # with html.parser: only when a page is markup

        text, title = html_to_text(decoded.text)
    else:
        text, title = decoded.text.replace("\r\n", "\n").replace("\r", "\n"), None
    if not text.strip():
        raise InputError(name, "no text: the page is empty or has no visible text")
    return Page(
        name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        encoding=decoded.encoding,
        content_type="text/html" if is_html else "text/plain",
        title=title,
        text=text,
        warnings=warnings,
    )


def _refuse_binary(name: str, data: bytes) -> None:
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise InputError(name, f"binary file ({what}), not a text page")
    head = data[:_SNIFF]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 has NUL bytes by design
    nul = head.find(b"\x00")
    if nul >= 0:
        raise InputError(name, f"binary file (NUL byte at offset {nul}), not a text page")


def looks_like_html(data: bytes) -> bool:
    """True when the first bytes are HTML markup (a doctype, <html>, <head> or <body>)."""
    head = data[:_SNIFF].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or any(tag in head for tag in (b"<body", b"<head", b"<html"))
