"""Records from inputs: page files are extracted, JSONL files of records are read back.

Both stream: one record at a time, so a batch of any size runs in flat memory. A bad input or
a bad line is reported through `on_error` with its name (and line number) and skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from pydantic import ValidationError

from hotlines.errors import InputError
from hotlines.pipeline import extract_bytes
from hotlines.readers import DEFAULT_MAX_BYTES, InputRef, iter_inputs, load_bytes
from schemas import SCHEMA_VERSION, PageRecord

RECORD_SUFFIXES = frozenset({".jsonl", ".ndjson"})


def iter_records(
    args: Iterable[str], on_error: Callable[[InputError], None], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[PageRecord]:
    """Every record the arguments hold, in order: pages extracted, record files read line by line."""
    for item in _inputs(args):
        if isinstance(item, InputError):
            on_error(item)
        elif item.path is not None and item.path.suffix.lower() in RECORD_SUFFIXES:
            yield from read_record_file(item.path, item.name, on_error)
        else:
            try:
                data = load_bytes(item, max_bytes)
                yield extract_bytes(item.name, data, suffix=item.path.suffix if item.path else "")
            except InputError as error:
                on_error(error)


def _inputs(args: Iterable[str]) -> Iterator[InputRef | InputError]:
    """Like `iter_inputs`, but a directory also yields its record files."""
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            for record_file in sorted(p for p in path.rglob("*") if p.suffix.lower() in RECORD_SUFFIXES and p.is_file()):
                yield InputRef(str(record_file), record_file)
        yield from iter_inputs([arg])


def read_record_file(path: Path, name: str, on_error: Callable[[InputError], None]) -> Iterator[PageRecord]:
    """Records of a JSONL file, validated one line at a time; bad lines are reported, not fatal."""
    try:
        handle = path.open("rb")
    except OSError as error:
        on_error(InputError(name, f"cannot read: {error.strerror or error}"))
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.strip()
            if not line:
                continue
            where = f"{name}:{number}"
            try:
                record = PageRecord.model_validate_json(line)
            except ValidationError as error:
                on_error(InputError(where, _validation_message(error, line)))
                continue
            yield record


def _validation_message(error: ValidationError, line: bytes) -> str:
    first = error.errors()[0]
    if first["type"] == "json_invalid":
        return f"not valid JSON ({first['msg']})"
    if any(e["loc"] == ("schema_version",) for e in error.errors()) and b'"schema_version"' in line:
        return f"record from another schema version (this hotlines reads {SCHEMA_VERSION})"
    location = ".".join(str(part) for part in first["loc"])
    return f"not a valid record: {location}: {first['msg']} ({error.error_count()} problem(s))"
