"""Records from inputs: page files are extracted, JSONL and Parquet files of records are read back.

All stream: one record (Parquet: one row group) at a time, so a batch of any size runs in flat
memory. A bad input or a bad line is reported through `on_error` with its name (and line or
row number) and skipped.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hotlines.errors import InputError
from hotlines.pipeline.tasks import iter_page_records
from hotlines.readers import DEFAULT_MAX_BYTES, ArchiveTally, InputRef, iter_inputs
from schemas import READABLE_VERSIONS, PageRecord

RECORD_SUFFIXES = frozenset({".jsonl", ".ndjson", ".parquet"})


def iter_records(
    args: Iterable[str],
    on_error: Callable[[InputError], None],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    tally: ArchiveTally | None = None,
    jobs: int = 1,
    render: Callable[[PageRecord], Any] | None = None,
) -> Iterator[Any]:
    """Every record the arguments hold, in order: pages extracted (crawl archives' pages counted
    in `tally`; with `jobs` > 1 in worker processes, each run of consecutive page inputs
    sharing one pool), record files read line by line. `render` turns each record into what is
    yielded instead, in the worker that built it (see `iter_page_records`), or here for a record read back."""
    tally = tally if tally is not None else ArchiveTally()
    pages: list[InputRef | InputError] = []  # page inputs (and errors, in their place) not yet built
    for item in _inputs(args):
        if isinstance(item, InputError) or not _holds_records(item):
            pages.append(item)
            continue
        if pages:
            yield from iter_page_records(pages, on_error=on_error, tally=tally, max_bytes=max_bytes, jobs=jobs, render=render)
            pages = []
        if item.path is not None:
            read = read_record_file(item.path, item.name, on_error)
        else:
            read = read_record_lines(sys.stdin.buffer, item.name, on_error)  # hotlines extract … | hotlines index build -
        yield from read if render is None else map(render, read)
    if pages:
        yield from iter_page_records(pages, on_error=on_error, tally=tally, max_bytes=max_bytes, jobs=jobs, render=render)


def _holds_records(item: InputRef) -> bool:
    if item.path is not None:
        return item.path.suffix.lower() in RECORD_SUFFIXES
    return _stdin_holds_records()


def _inputs(args: Iterable[str]) -> Iterator[InputRef | InputError]:
    """Like `iter_inputs`, but a directory also yields its record files."""
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            for record_file in sorted(p for p in path.rglob("*") if p.suffix.lower() in RECORD_SUFFIXES and p.is_file()):
                yield InputRef(str(record_file), record_file)
        yield from iter_inputs([arg])


def read_record_file(path: Path, name: str, on_error: Callable[[InputError], None]) -> Iterator[PageRecord]:
    """Records of a JSONL or Parquet file."""
    if path.suffix.lower() == ".parquet":
        yield from read_parquet_records(path, name, on_error)
        return
    try:
        handle = path.open("rb")
    except OSError as error:
        on_error(InputError(name, f"cannot read: {error.strerror or error}"))
        return
    with handle:
        yield from read_record_lines(handle, name, on_error)


def _stdin_holds_records() -> bool:
    head = sys.stdin.buffer.peek(64)[:64].lstrip() if hasattr(sys.stdin.buffer, "peek") else b""
    return head.startswith(b'{"schema_version"')


def read_record_lines(handle: Iterable[bytes], name: str, on_error: Callable[[InputError], None]) -> Iterator[PageRecord]:
    """Records of JSONL lines, validated one at a time; bad lines are reported, not fatal."""
    numbered = ((number, raw.strip()) for number, raw in enumerate(handle, start=1))
    non_blank = ((number, line) for number, line in numbered if line)
    yield from _validated(non_blank, PageRecord.model_validate_json, name, on_error)


def read_parquet_records(path: Path, name: str, on_error: Callable[[InputError], None]) -> Iterator[PageRecord]:
    """Records of a Parquet file, validated one at a time; a bad row is reported as NAME:ROW,
    a file that is not Parquet records (or breaks part-way) as NAME."""
    from hotlines.parquet import ParquetError, iter_rows

    try:
        yield from _validated(iter_rows(path, name), PageRecord.model_validate, name, on_error)
    except ParquetError as error:
        on_error(InputError(name, error.reason))


def _validated(
    items: Iterable[tuple[int, Any]], validate: Callable[[Any], PageRecord], name: str, on_error: Callable[[InputError], None]
) -> Iterator[PageRecord]:
    """The records of numbered JSON lines or rows; one that fails is reported as NAME:NUMBER and skipped."""
    for number, item in items:
        try:
            record = validate(item)
        except ValidationError as error:
            on_error(InputError(f"{name}:{number}", _validation_message(error, item)))
            continue
        yield record


def _validation_message(error: ValidationError, line: bytes | dict[str, Any]) -> str:
    first = error.errors()[0]
    if first["type"] == "json_invalid":
        return f"not valid JSON ({first['msg']})"
    has_version = line.get("schema_version") is not None if isinstance(line, dict) else b'"schema_version"' in line
    if any(e["loc"] == ("schema_version",) for e in error.errors()) and has_version:
        return f"record from another schema version (this hotlines reads {', '.join(READABLE_VERSIONS)})"
    location = ".".join(str(part) for part in first["loc"])
    return f"not a valid record: {location}: {first['msg']} ({error.error_count()} problem(s))"
