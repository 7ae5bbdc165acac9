"""Records as Parquet: an Arrow schema derived from the models, a streaming atomic writer, a
streaming reader.

The Arrow schema is not written by hand: `arrow_schema` walks the pydantic models
(`schemas.PageRecord` and the models its fields hold), so a field added to a model is a column
of every file written after, and every file has the same schema whatever its records hold (a
batch without a single phone still has `phones` as a list of phone structs). The mapping:

| model field | Arrow |
| --- | --- |
| `str`, a `Literal` of strings | `string` |
| `int`, `float`, `bool` | `int64`, `float64`, `bool` |
| a nested model (`source`) | `struct` of its fields, in model order |
| `list[X]` (`phones`, `raw` …) | `list<element: X>` |
| `tuple[int, int]` (a span) | `fixed_size_list<element: int64>[2]` |
| `X \\| None` | X, nullable; every other field is not nullable |

Field descriptions travel as Arrow field metadata (`description`).

pyarrow (the `parquet` extra) is imported by the functions here that need it, never at import
time, so importing this module costs nothing and a missing pyarrow is one clear `ParquetError`.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hotlines.atomic import discard_output, finish_output, open_output

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq
    from pydantic import BaseModel

    from schemas import PageRecord

ROW_GROUP_ROWS = 1_000
"""Records per row group: the writer holds at most this many, the reader reads one batch of them."""
ROW_GROUP_SOURCE_BYTES = 64 * 2**20
"""A row group is also cut once its pages' raw bytes (`source.size`) and texts reach this, so that
a batch of large pages written with their text stays within a bounded amount of memory."""
COMPRESSION = "zstd"
INSTALL_HINT = "pip install 'hotlines[parquet]'"


class ParquetError(Exception):
    """Parquet cannot be read or written: pyarrow missing, or a file that is not Parquet records.
    `name` is the file (empty when none is concerned), `reason` what is wrong with it."""

    def __init__(self, reason: str, name: str = "") -> None:
        super().__init__(f"{name}: {reason}" if name else reason)
        self.name = name
        self.reason = reason


def pyarrow_modules() -> tuple[Any, Any]:
    """(pyarrow, pyarrow.parquet), or ParquetError saying how to install them."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as error:
        raise ParquetError(f"Parquet needs pyarrow, which is not installed ({error}): {INSTALL_HINT}") from None
    return pyarrow, pyarrow.parquet


# --- the schema ---------------------------------------------------------------------------


def arrow_schema(model: type[BaseModel] | None = None) -> pa.Schema:
    """The Arrow schema of a model's records (default: `PageRecord`)."""
    if model is None:
        from schemas import PageRecord

        model = PageRecord
    return _schema(model)


@lru_cache(maxsize=None)
def _schema(model: type[BaseModel]) -> pa.Schema:
    pa, _ = pyarrow_modules()
    return pa.schema(_fields(pa, model, model.__name__))


def _fields(pa: Any, model: type[BaseModel], where: str) -> list[pa.Field]:
    fields = []
    for name, info in model.model_fields.items():
        arrow_type, nullable = _arrow_type(pa, info.annotation, f"{where}.{name}")
        metadata = {"description": info.description} if info.description else None
        fields.append(pa.field(name, arrow_type, nullable=nullable, metadata=metadata))
    return fields


def _arrow_type(pa: Any, annotation: Any, where: str) -> tuple[pa.DataType, bool]:
    """(Arrow type, nullable) of one annotation; TypeError for one with no mapping."""
    from pydantic import BaseModel

    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:  # validators and constraints: the type is the first argument
        return _arrow_type(pa, args[0], where)
    if origin in (typing.Union, types.UnionType):
        present = [arg for arg in args if arg is not type(None)]
        if len(present) != 1:
            raise TypeError(f"{where}: no Arrow type for a union of {present}")
        arrow_type, _ = _arrow_type(pa, present[0], where)
        return arrow_type, len(present) < len(args)
    if origin is typing.Literal:
        kinds = {type(arg) for arg in args}
        if kinds == {str}:
            return pa.string(), False
        if kinds == {int}:
            return pa.int64(), False
        raise TypeError(f"{where}: no Arrow type for Literal{list(args)}")
    if origin is list:
        (item,) = args
        return pa.list_(_element(pa, item, f"{where}[]")), False
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return pa.list_(_element(pa, args[0], f"{where}[]")), False
        if not args or len(set(args)) != 1:
            raise TypeError(f"{where}: no Arrow type for a tuple of {list(args)} (only tuples of one type)")
        return pa.list_(_element(pa, args[0], f"{where}[]"), len(args)), False
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct(_fields(pa, annotation, where)), False
    scalars = {str: pa.string(), bool: pa.bool_(), int: pa.int64(), float: pa.float64()}
    if annotation in scalars:
        return scalars[annotation], False
    raise TypeError(f"{where}: no Arrow type for {annotation!r}")


def _element(pa: Any, annotation: Any, where: str) -> pa.Field:
    arrow_type, nullable = _arrow_type(pa, annotation, where)
    return pa.field("element", arrow_type, nullable=nullable)  # Parquet's name for a list item


# --- writing ------------------------------------------------------------------------------


def record_row(record: PageRecord) -> tuple[dict[str, Any], int]:
    """A record as a Parquet row, with its weight for row-group sizing (a `render` for page tasks)."""
    return record.model_dump(), record.source.size + len(record.text or "")


class ParquetSink:
    """Writes records to FILE.parquet as `LineSink` writes lines: into `FILE.parquet.partial`,
    renamed over FILE.parquet when the batch ends, also by an error or Ctrl-C (the records held
    for the current row group are written first). A killed process leaves only the `.partial`,
    which, unlike a JSONL one, is not readable (Parquet's footer is written last)."""

    def __init__(
        self, target: str | Path, *, row_group_rows: int = ROW_GROUP_ROWS, row_group_bytes: int = ROW_GROUP_SOURCE_BYTES, compression: str = COMPRESSION
    ) -> None:
        self.target = Path(target)
        self.compression = compression
        self._partial: Path | None = None  # None: a device or a pipe, written in place (hotlines.atomic)
        self.row_group_rows = row_group_rows
        self.row_group_bytes = row_group_bytes
        self.written = 0
        self._rows: list[dict[str, Any]] = []
        self._pending_bytes = 0
        self._handle: Any = None
        self._writer: pq.ParquetWriter | None = None

    def __enter__(self) -> ParquetSink:
        self._pa, parquet = pyarrow_modules()  # before the file: a missing pyarrow leaves nothing behind
        self._schema = arrow_schema()
        self._handle, self._partial = open_output(self.target, "wb")
        try:
            self._writer = parquet.ParquetWriter(self._handle, self._schema, compression=self.compression)
        except BaseException:
            self._handle.close()
            discard_output(self._partial)
            raise
        return self

    @property
    def partial(self) -> Path:
        """The file being written: FILE.parquet.partial, or FILE itself for a device or a pipe."""
        return self._partial or self.target

    def write_record(self, record: PageRecord) -> None:
        self.write_row(record_row(record))

    def write_row(self, row: tuple[dict[str, Any], int]) -> None:
        """A record already made a row by `record_row` (in a worker process, say)."""
        assert self._writer is not None, "use ParquetSink as a context manager"
        fields, size = row
        self._rows.append(fields)
        self._pending_bytes += size
        if len(self._rows) >= self.row_group_rows or self._pending_bytes >= self.row_group_bytes:
            self._flush()

    def _flush(self) -> None:
        if not self._rows:
            return
        assert self._writer is not None
        table = self._pa.Table.from_pylist(self._rows, schema=self._schema)
        self._writer.write_table(table, row_group_size=len(self._rows))
        self.written += len(self._rows)
        self._rows.clear()
        self._pending_bytes = 0

    def __exit__(self, *exc_info: object) -> None:
        if self._writer is None:
            return
        try:
            self._flush()
            self._writer.close()  # the footer: only now is the file readable
            finish_output(self._handle, self.target, self._partial)  # not reached when the footer could not be written
        finally:
            self._writer = None
            self._handle.close()


# --- reading ------------------------------------------------------------------------------


def iter_rows(path: Path | str, name: str | None = None, *, batch_rows: int = ROW_GROUP_ROWS) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number from 1, record as plain values) for each row of a Parquet file, one batch at
    a time. ParquetError names the file when it is not Parquet (truncated, another format), is
    not a file of records, or breaks part-way (the rows before are yielded)."""
    name = str(path) if name is None else name
    try:
        pa, parquet = pyarrow_modules()
    except ParquetError as error:
        raise ParquetError(error.reason, name) from None
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed below)
    except OSError as error:
        raise ParquetError(f"cannot read: {error.strerror or error}", name) from None
    with handle:
        try:
            source = parquet.ParquetFile(handle)
        except (pa.ArrowException, OSError) as error:
            raise ParquetError(f"not a readable Parquet file ({_reason(error)})", name) from None
        columns = set(source.schema_arrow.names)
        if not {"schema_version", "source"} <= columns:
            raise ParquetError(f"a Parquet file, but not of page records (columns: {', '.join(sorted(columns)) or 'none'})", name)
        number = 0
        for group in range(source.num_row_groups):  # one row group at a time: rows before a broken one are read
            batches = source.iter_batches(batch_size=batch_rows, row_groups=[group])
            while True:
                try:
                    batch = next(batches, None)
                except (pa.ArrowException, OSError) as error:
                    raise ParquetError(f"unreadable after row {number} ({_reason(error)})", name) from None
                if batch is None:
                    break
                for row in batch.to_pylist():
                    number += 1
                    yield number, row


def _reason(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
