"""Crawl archives to pages: WARC (`.warc`, `.warc.gz`) and ARC (`.arc`, `.arc.gz`), record by record.

`iter_archive` streams an archive and yields one `ArchiveRecord` per HTTP response with status
200 and an HTML or plain-text body; every other record (request, metadata, revisit, warcinfo,
an image, a 404, a body over `max_bytes` …) is counted through `on_skip` with its reason, never
an error. `archive_page` turns a record into a `Page` exactly as a file is read, with the HTTP
header's charset first. An `ArchiveRecord` is a small frozen dataclass holding bytes and
strings: it pickles, so a process pool or a Spark job can read archives in one place and
build records (`hotlines.pipeline.build_record`) in another.

WARC is read with FastWARC (framing, gzip members, WARC headers: C++), ARC with warcio
(FastWARC reads no ARC). The HTTP header of a response and its codings are handled here, not by
FastWARC: with `auto_decode='all'` FastWARC 2.0.1 silently ends the iteration after a chunked
and gzip-encoded response; with `'transfer'` a response whose header says chunked but whose body
is not stops the whole archive with an error; and its HTTP parser takes a header with bare-LF
line ends for one long status line (the body is lost) and raises on a header over 32 KiB.
So the HTTP header is parsed here (CRLF or LF), chunked transfer coding and gzip/deflate/br
content coding are undone with the output bounded by `max_bytes` (a compressed body cannot
expand past it), and a body that only claims a coding is taken as it is.

Damage is an `ArchiveError` named `ARCHIVE@OFFSET` passed to `on_error`: the records before it
are kept, and reading goes on at the next record the format lets us find (for per-record gzip,
the next gzip member that opens a WARC or ARC record; for a plain file, the next line that
starts one). A truncated last record is found by checking that the last record read ends where
the file does. Memory stays flat: one record body at a time, at most `max_bytes` of it.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from hotlines.errors import InputError
from hotlines.readers.archive import (  # noqa: F401  (re-exported: what this module yields and raises)
    HTML_TYPES,
    SKIP_REASONS,
    TEXT_TYPES,
    ArchiveError,
    ArchiveRecord,
    ArchiveTally,
    SkippedRecord,
)
from hotlines.readers.files import DEFAULT_MAX_BYTES, Page, archive_format, looks_like_html, read_page

_CHUNK = 1 << 20  # bytes per read while scanning for the next record
_HTTP_HEAD_MAX = 1 << 16  # an HTTP response whose header runs longer is no page
_GZIP_MAGIC = b"\x1f\x8b\x08"
_GZIP_MEMBER = re.compile(re.escape(_GZIP_MAGIC))
_WARC_LINE = re.compile(rb"\n(WARC/1\.[01]\r?\n)")
_ARC_HEAD = rb"[A-Za-z][A-Za-z0-9+.-]*://[^\s]* [^\s]+ \d{12,14} [^\n]*?\d+\r?\n"
_ARC_LINE = re.compile(rb"\n(" + _ARC_HEAD + rb")")
_ARC_START = re.compile(rb"\A" + _ARC_HEAD)
_SPACE = b" \t\r\n\x00"
_ARC_DATE = re.compile(r"(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)")
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z")


def _iso_date(written: str | None) -> str | None:
    """WARC-Date as written (W3C-DTF, UTC: '2026-01-02T03:04:05Z'), or ARC's 14 digits made one;
    anything else is no date rather than an error (the page is still a page)."""
    if not written:
        return None
    written = written.strip()
    if _ISO_DATE.fullmatch(written):
        return written
    arc = _ARC_DATE.fullmatch(written[:14]) if written[:14].isdigit() else None
    return "{}-{}-{}T{}:{}:{}Z".format(*arc.groups()) if arc else None


_CHUNK_SIZE = re.compile(rb"[ \t]*([0-9A-Fa-f]{1,15})[ \t]*(?:;[^\r\n]*)?\r?")
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def iter_archive(
    path: str | Path,
    *,
    name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_skip: Callable[[str], None] | None = None,
    on_error: Callable[[InputError], None] | None = None,
) -> Iterator[ArchiveRecord]:
    """The pages of a crawl archive, streamed in file order.

    `name` is how records and messages name the archive (default: `path` as given). Each record
    that is not a page calls `on_skip(reason)`; damage calls `on_error(ArchiveError)` (default:
    raise it) and reading goes on past it where the format allows. An archive that cannot be
    opened, or is empty, is one `InputError` naming it.
    """
    archive = name if name is not None else str(path)
    path = Path(path)
    kind = archive_format(archive) or archive_format(path.name) or "warc"
    on_error = on_error or _raise
    try:
        handle = path.open("rb")
        size = path.stat().st_size
    except OSError as error:
        on_error(InputError(archive, f"cannot read: {error.strerror or error}"))
        return
    with handle:
        if size == 0:
            on_error(InputError(archive, "empty file"))
            return
        gzipped = _peek(handle, 0, 2) == _GZIP_MAGIC[:2]  # by content: a name may say otherwise
        yield from _Scan(archive, kind, gzipped, max_bytes, on_skip or _ignore, on_error).run(handle, size)


def archive_page(record: ArchiveRecord) -> Page:
    """Decode a record like a file page: HTTP charset, then the page's declaration, then detection.

    `Page.name` is the archive (it becomes `source.path`); a body that is no page raises
    `SkippedRecord` ('empty', 'not text', 'undecodable') naming `ARCHIVE@OFFSET`.
    """
    suffix = ".html" if record.content_type in HTML_TYPES else ""
    try:
        page = read_page(record.name, record.body, suffix, charset=record.charset)
    except InputError as error:
        raise SkippedRecord(record.archive, record.offset, _page_skip(error.reason), error.reason) from None
    page.name = record.archive
    return page


def _page_skip(reason: str) -> str:
    """The skip reason for what `read_page` refused."""
    if reason.startswith(("empty file", "no text")):
        return "empty"
    if reason.startswith(("binary file", "contains NUL")):
        return "not text"
    return "undecodable"


def _ignore(reason: str) -> None:
    pass


def _raise(error: InputError) -> None:
    raise error


class _Skip(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Damaged(Exception):
    """A record that is cut short or unreadable; the message says which."""


@dataclass(slots=True)
class _Scan:
    """One pass over one archive: segments of readable records, with a resynchronisation between."""

    archive: str
    kind: str  # 'warc' or 'arc'
    gzipped: bool
    max_bytes: int
    on_skip: Callable[[str], None]
    on_error: Callable[[InputError], None]
    size: int = 0

    def run(self, handle: BinaryIO, size: int) -> Iterator[ArchiveRecord]:
        self.size = size
        segment = self._warc_segment if self.kind == "warc" else self._arc_segment
        start: int | None = 0
        while start is not None:
            start = yield from segment(handle, start)

    # --- WARC (FastWARC) ---------------------------------------------------------------

    def _warc_segment(self, handle: BinaryIO, start: int) -> Iterator[ArchiveRecord]:
        """Records from `start` on; returns where to go on after damage, or None at the end."""
        from fastwarc import ArchiveIterator, WarcRecordType

        handle.seek(start)
        records = iter(ArchiveIterator(handle, parse_http=False, auto_decode="none"))
        last: tuple[int, int] | None = None  # offset and block length of the last whole record
        while True:
            try:
                record = next(records)
            except StopIteration:
                return self._after_last(handle, start, last)
            except (OSError, ValueError, RuntimeError) as error:
                return self._fail_after(handle, start, last, f"corrupt record ({_short(error)})")
            offset = record.stream_pos
            length = record.headers.get("Content-Length")
            if length is None or not length.strip().isdigit():
                reason = self._diagnose(handle, offset)
                if not reason.startswith("truncated"):
                    reason = "corrupt record: its header has no Content-Length"
                return self._fail(handle, offset, reason, offset + 1)
            try:
                result = self._warc_result(record, offset, WarcRecordType.response)
            except _Damaged as damage:
                return self._fail(handle, offset, str(damage), offset + 1)
            except (OSError, ValueError, RuntimeError) as error:
                return self._fail(handle, offset, f"corrupt record ({_short(error)})", offset + 1)
            last = (offset, int(length))
            if isinstance(result, str):
                self.on_skip(result)
            else:
                yield result

    def _warc_result(self, record: Any, offset: int, response: Any) -> ArchiveRecord | str:
        """A FastWARC record's page, or why it is none (`response`: FastWARC's type for it)."""
        kind = record.record_type
        if kind != response:
            return _TYPE_SKIPS.get(str(kind), "unknown type")
        if not (record.headers.get("Content-Type") or "").lower().startswith("application/http"):
            return "not http"
        block = record.content_length
        head = _read(record.reader, min(block, _HTTP_HEAD_MAX))
        parsed = _parse_http(head, whole=len(head) == block)
        if parsed is None:
            if len(head) < min(block, _HTTP_HEAD_MAX):
                raise _Damaged(f"truncated record: the archive ends inside it ({len(head)} of {block} bytes)")
            return "not http"
        status, http, header_length = parsed
        if status != 200:
            return "not 200"
        content_type, charset = _parse_content_type(http.get("content-type"))
        if content_type is not None and content_type not in TEXT_TYPES:
            return "not text"
        expected = block - header_length
        if expected > self.max_bytes:
            return "too large"
        body = head[header_length:]
        body += _read(record.reader, expected - len(body))
        if len(body) < expected:
            raise _Damaged(f"truncated record: the archive ends inside it ({header_length + len(body)} of {block} bytes)")
        body = self._page_body(body, http.get("transfer-encoding"), http.get("content-encoding"), content_type)
        if isinstance(body, str):
            return body
        url = record.headers.get("WARC-Target-URI")
        return ArchiveRecord(
            archive=self.archive,
            offset=offset,
            record_id=record.record_id,
            url=url.strip().strip("<>") if url else None,
            body=body,
            content_type=content_type,
            charset=charset,
            date=_iso_date(record.headers.get("WARC-Date")),
        )

    # --- ARC (warcio) --------------------------------------------------------------------

    def _arc_segment(self, handle: BinaryIO, start: int) -> Iterator[ArchiveRecord]:
        from warcio.archiveiterator import ArchiveIterator

        handle.seek(start)
        iterator = ArchiveIterator(handle, arc2warc=False)
        records = iter(iterator)
        last: tuple[int, int] | None = None  # offset and length of the last whole record
        noise = io.StringIO()  # warcio writes warnings to stderr itself; they become errors here
        while True:
            warned = iterator.err_count
            try:
                with redirect_stderr(noise):
                    record = next(records)
            except StopIteration:
                return self._after_last(handle, start, last)
            except Exception as error:  # warcio raises ArchiveLoadFailed, ValueError, zlib.error …
                return self._fail_after(handle, start, last, f"corrupt record ({_short(error)})")
            try:
                result = self._arc_result(record)
                with redirect_stderr(noise):
                    offset, length = iterator.get_record_offset(), iterator.get_record_length()
            except Exception as error:  # the record after the last whole one broke while read
                return self._fail_after(handle, start, last, f"corrupt record ({_short(error)})")
            if getattr(record.raw_stream, "limit", 0) > 0:
                return self._fail(handle, offset, "truncated record: the archive ends inside it", offset + 1)
            if iterator.err_count > warned:
                self.on_error(ArchiveError(self.archive, offset, "corrupt record: its length does not match its content (no blank line after it)"))
            last = (offset, length)
            if isinstance(result, str):
                self.on_skip(result)
            else:
                yield ArchiveRecord(self.archive, offset, *result)

    def _arc_result(self, record: Any) -> tuple[None, str | None, bytes, str | None, str | None, str | None] | str:
        """A warcio ARC record's page (the ArchiveRecord fields after the offset), or why it is none."""
        if record.rec_type == "arc_header":
            return "filedesc"
        if record.rec_type != "response":
            return _TYPE_SKIPS.get(record.rec_type, "unknown type")
        http = record.http_headers
        if http is None or not http.protocol.upper().startswith("HTTP/"):
            return "not http"
        if http.get_statuscode() != "200":
            return "not 200"
        content_type, charset = _parse_content_type(http.get_header("Content-Type") or record.rec_headers.get_header("content-type"))
        if content_type is not None and content_type not in TEXT_TYPES:
            return "not text"
        body = _read(record.raw_stream, self.max_bytes + 1)
        if len(body) > self.max_bytes:
            return "too large"
        body = self._page_body(body, http.get_header("Transfer-Encoding"), http.get_header("Content-Encoding"), content_type)
        if isinstance(body, str):
            return body
        return None, record.rec_headers.get_header("uri"), body, content_type, charset, _iso_date(record.rec_headers.get_header("archive-date"))

    def _page_body(self, body: bytes, transfer: str | None, encoding: str | None, content_type: str | None) -> bytes | str:
        """The decoded body of a response (WARC or ARC), or why it is no page."""
        try:
            body = _decode_body(body, transfer, encoding, self.max_bytes)
        except _Skip as skip:
            return skip.reason
        if content_type is None and not looks_like_html(body):
            return "not text"  # no Content-Type, and not markup either
        return body

    # --- damage ------------------------------------------------------------------------------

    def _after_last(self, handle: BinaryIO, start: int, last: tuple[int, int] | None) -> int | None:
        """The reader stopped: check that the last record ends where the file does."""
        try:
            end = self._end_of(handle, last, start)
        except _Damaged as damage:
            assert last is not None
            return self._fail(handle, last[0], str(damage), last[0] + 1)
        while (rest := _skip_space(handle, end, self.size)) is not None:
            if not self.gzipped or _peek(handle, rest, 3) != _GZIP_MAGIC:
                return self._fail(handle, rest, self._diagnose(handle, rest), rest + 1)
            try:
                following = _gzip_member_end(handle, rest)
            except _Damaged as damage:
                return self._fail(handle, rest, str(damage), rest + 1)
            if self._opens_record(_gzip_head(handle, rest)):
                return self._fail(handle, rest, "unreadable record", rest + 1)
            end = following  # a record written as several gzip members goes on
        return None

    def _fail_after(self, handle: BinaryIO, start: int, last: tuple[int, int] | None, reason: str) -> int | None:
        """The reader failed between records: the damage is where the last whole record ends."""
        try:
            end = self._end_of(handle, last, start)
        except _Damaged as damage:
            assert last is not None
            return self._fail(handle, last[0], str(damage), last[0] + 1)
        at = _skip_space(handle, end, self.size)
        at = end if at is None else at
        return self._fail(handle, at, reason, at + 1)

    def _fail(self, handle: BinaryIO, offset: int, reason: str, resume_from: int) -> int | None:
        """Report damage at `offset` and find where reading can go on (None: nowhere)."""
        resume = self._resync(handle, resume_from)
        where = f"; reading on at @{resume}" if resume is not None else "; nothing readable after it"
        self.on_error(ArchiveError(self.archive, offset, reason + where))
        return resume

    def _end_of(self, handle: BinaryIO, last: tuple[int, int] | None, start: int) -> int:
        """Where the last whole record ends (the segment's start when there was none)."""
        if last is None:
            return start
        offset, length = last
        if self.gzipped:
            return _gzip_member_end(handle, offset)
        if self.kind == "arc":
            return offset + length  # warcio measured it
        return _warc_block_end(handle, offset, length, self.size)

    def _diagnose(self, handle: BinaryIO, offset: int) -> str:
        """Why the bytes at `offset` are no readable record."""
        head = _peek(handle, offset, 16)
        if self.gzipped and head.startswith(_GZIP_MAGIC):
            try:
                _gzip_member_end(handle, offset)
            except _Damaged as damage:
                return str(damage)
            return "unreadable record"
        if self.kind == "warc" and head.startswith(b"WARC/1."):
            try:
                _warc_block_end(handle, offset, None, self.size)
            except _Damaged as damage:
                return str(damage)
            return "unreadable record"
        return "unreadable data where a record should start"

    def _resync(self, handle: BinaryIO, start: int) -> int | None:
        """The first offset at or after `start` where a record can be read again."""
        if start >= self.size:
            return None
        if self.gzipped:
            return _find(handle, start, _GZIP_MEMBER, lambda at: self._opens_record(_gzip_head(handle, at)))
        return _find(handle, start, _ARC_LINE if self.kind == "arc" else _WARC_LINE)

    def _opens_record(self, head: bytes) -> bool:
        return _ARC_START.match(head) is not None if self.kind == "arc" else head.startswith(b"WARC/1.")


_TYPE_SKIPS = {
    "request": "request",
    "metadata": "metadata",
    "revisit": "revisit",
    "warcinfo": "warcinfo",
    "resource": "resource",
    "conversion": "conversion",
    "continuation": "continuation",
}


def _decode_body(body: bytes, transfer: str | None, coding: str | None, max_bytes: int) -> bytes:
    """Undo chunked transfer coding, then content codings (gzip, deflate, br), last applied first.

    A body that only claims a coding (crawlers often store it decoded) is taken as it is. Raises
    `_Skip('too large')` when the decoded body would pass `max_bytes`, `_Skip('bad encoding')`
    for a coding that cannot be undone.
    """
    if transfer and "chunked" in transfer.lower():
        body = _dechunk(body)
    codings = [c.strip().lower() for c in (coding or "").split(",") if c.strip()]
    for name in reversed(codings):
        if name in ("identity", "none"):
            continue
        if name not in ("gzip", "x-gzip", "deflate", "br"):
            raise _Skip("bad encoding")
        body = _decompress(body, name, max_bytes)
    if len(body) > max_bytes:
        raise _Skip("too large")
    return body


def _dechunk(data: bytes) -> bytes:
    """The payload of a chunked body; the body itself when it is not chunked after all.

    A body cut short keeps the chunks it has.
    """
    parts: list[bytes] = []
    pos = 0
    while True:
        eol = data.find(b"\n", pos)
        size = _CHUNK_SIZE.fullmatch(data[pos:eol]) if eol >= 0 else None
        if size is None:
            if pos == 0:
                return data  # the header says chunked; the body is not
            break
        length = int(size.group(1), 16)
        if length == 0:
            break
        parts.append(data[eol + 1 : eol + 1 + length])
        pos = eol + 1 + length
        if pos >= len(data):
            break
        pos += 2 if data.startswith(b"\r\n", pos) else 1 if data.startswith(b"\n", pos) else 0
    return b"".join(parts)


def _decompress(body: bytes, coding: str, max_bytes: int) -> bytes:
    limit = max_bytes + 1
    try:
        if coding == "br":
            import brotli

            out = brotli.Decompressor().process(body, output_buffer_limit=limit)
        else:
            attempts = (47,) if coding in ("gzip", "x-gzip") else (15, -15)  # gzip or zlib; deflate: zlib, then raw
            out = b""
            for wbits in attempts:
                try:
                    out = zlib.decompressobj(wbits).decompress(body, limit)
                    break
                except zlib.error:
                    if wbits == attempts[-1]:
                        raise
    except Exception as error:  # zlib.error, brotli.error
        if not _CONTROL.search(body[:1024]):
            return body  # stored decoded, the header kept
        raise _Skip("bad encoding") from error
    if len(out) > max_bytes:
        raise _Skip("too large")
    return out


def _parse_http(head: bytes, whole: bool) -> tuple[int, dict[str, str], int] | None:
    """(status, headers by lower-case name, header length) of an HTTP response's first bytes.

    Lines may end in CRLF or a bare LF (some servers); a repeated header is joined with ', '.
    `whole`: `head` is the whole block, so a header that never ends has an empty body. None when
    the bytes are no HTTP response.
    """
    crlf = head.find(b"\r\n\r\n")
    lf = head.find(b"\n\n", 0, crlf if crlf >= 0 else len(head))  # only a header's own end, not the body's
    if crlf >= 0 and (lf < 0 or crlf < lf):
        end, length = crlf, crlf + 4
    elif lf >= 0:
        end, length = lf, lf + 2
    elif whole:
        end = length = len(head)
    else:
        return None
    lines = head[:end].split(b"\n")
    status = lines[0].split(None, 2)
    if len(status) < 2 or not status[0].upper().startswith(b"HTTP/") or not status[1].isdigit():
        return None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if colon:
            key, text = name.strip().lower().decode("latin-1"), value.strip().decode("latin-1")
            headers[key] = f"{headers[key]}, {text}" if key in headers and key != "content-type" else text
    return int(status[1]), headers, length


def _parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """('text/html', 'gbk') from 'text/html; charset=gbk'."""
    if not value:
        return None, None
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'")
    return media.strip().lower() or None, charset


def _read(reader: Any, limit: int) -> bytes:
    """Up to `limit` bytes, whatever size the reader's reads come in."""
    parts: list[bytes] = []
    got = 0
    while got < limit:
        part = reader.read(min(limit - got, _CHUNK))
        if not part:
            break
        parts.append(part)
        got += len(part)
    return b"".join(parts)


def _short(error: BaseException) -> str:
    text = str(error).strip()
    first = text.splitlines()[0] if text else type(error).__name__
    if len(first) > 80:
        first = first.split(":", 1)[0][:80]
    return first


def _skip_space(handle: BinaryIO, offset: int, size: int) -> int | None:
    """The first offset from `offset` on that holds more than blank lines (None: only blanks to the end)."""
    handle.seek(offset)
    while offset < size:
        chunk = handle.read(_CHUNK)
        if not chunk:
            return None
        rest = chunk.lstrip(_SPACE)
        if rest:
            return offset + len(chunk) - len(rest)
        offset += len(chunk)
    return None


def _gzip_member_end(handle: BinaryIO, offset: int) -> int:
    """Where the gzip member at `offset` ends; `_Damaged` if it is cut short or corrupt."""
    handle.seek(offset)
    inflater = zlib.decompressobj(31)
    fed = 0
    try:
        while not inflater.eof:
            if inflater.unconsumed_tail:
                inflater.decompress(inflater.unconsumed_tail, _CHUNK)
                continue
            chunk = handle.read(_CHUNK)
            if not chunk:
                raise _Damaged("truncated record: the archive ends inside it")
            fed += len(chunk)
            inflater.decompress(chunk, _CHUNK)
    except zlib.error as error:
        raise _Damaged(f"corrupt record (gzip: {error})") from None
    return offset + fed - len(inflater.unused_data)


def _peek(handle: BinaryIO, offset: int, size: int) -> bytes:
    handle.seek(offset)
    return handle.read(size)


def _gzip_head(handle: BinaryIO, offset: int) -> bytes:
    """The first decompressed bytes of a gzip member at `offset` (b'' if it does not inflate)."""
    handle.seek(offset)
    try:
        return zlib.decompressobj(31).decompress(handle.read(4096), 512)
    except zlib.error:
        return b""


def _warc_block_end(handle: BinaryIO, offset: int, length: int | None, size: int) -> int:
    """Where the block of the plain WARC record at `offset` ends; `_Damaged` if the file ends first."""
    handle.seek(offset)
    head = handle.read(1 << 16)
    end = head.find(b"\r\n\r\n")
    if end < 0:
        raise _Damaged("truncated record: the archive ends inside its header" if offset + len(head) >= size else "corrupt record header")
    if length is None:
        match = re.search(rb"\r\nContent-Length:[ \t]*(\d+)", head[:end], re.I)
        if match is None:
            raise _Damaged("corrupt record: its header has no Content-Length")
        length = int(match.group(1))
    block_end = offset + end + 4 + length
    if block_end > size:
        raise _Damaged(f"truncated record: {size - offset - end - 4} of {length} bytes (the archive ends inside it)")
    return block_end


def _find(handle: BinaryIO, start: int, pattern: re.Pattern[bytes], accept: Callable[[int], bool] | None = None) -> int | None:
    """The first match of `pattern` at or after `start` (its group 1 when it has one) that `accept`s."""
    overlap = 8192
    pos = max(start - 1, 0)  # one byte back, for a pattern that starts with the newline before it
    while True:
        handle.seek(pos)
        window = handle.read(_CHUNK + overlap)
        if not window:
            return None
        for match in pattern.finditer(window):
            at = pos + (match.start(1) if pattern.groups else match.start())
            if at < start:
                continue
            if accept is None or accept(at):
                return at
        if len(window) <= overlap:
            return None
        pos += len(window) - overlap
