"""Parquet: `extract -o FILE.parquet` writes what JSONL holds, with one schema derived from the
models; `validate` and `index build` read it back, streaming; bad files and rows are named."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pydantic import create_model

from conftest import PAGES, ROOT
from hotlines.cli import main
from hotlines.index import Index
from hotlines.parquet import ParquetError, ParquetSink, arrow_schema, iter_rows
from hotlines.pipeline import extract_bytes
from schemas import PageRecord

SEED = PAGES / "000_88c04a5b769380d4.txt"
NO_PHONES = PAGES / "news_ai_refunds.txt"


def _page_with_a_warning(folder: Path) -> Path:
    """A UTF-8 page with stray GBK bytes: its record has a `replaced_bytes` warning."""
    page = folder / "mixed.txt"
    good = "海尔空调售后电话400-699-9999\n北京市朝阳区\n" * 40
    page.write_bytes(good.encode("utf-8") + "乱码".encode("gbk") + good.encode("utf-8"))
    return page


def _records(paths: list[Path], **options: Any) -> list[PageRecord]:
    return [extract_bytes(str(p), p.read_bytes(), suffix=p.suffix, **options) for p in paths]


def _parquet_records(path: Path) -> list[PageRecord]:
    return [PageRecord.model_validate(row) for _, row in iter_rows(path)]


def _jsonl_records(path: Path) -> list[PageRecord]:
    return [PageRecord.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _write(path: Path, records: list[PageRecord], **options: Any) -> Path:
    with ParquetSink(path, **options) as sink:
        for record in records:
            sink.write_record(record)
    return path


def test_extract_to_parquet_holds_what_jsonl_holds(tmp_path) -> None:
    inputs = [str(PAGES), str(_page_with_a_warning(tmp_path))]
    parquet, jsonl = tmp_path / "r.parquet", tmp_path / "r.jsonl"
    assert main(["extract", *inputs, "--include-text", "--no-progress", "-o", str(parquet)]) == 0
    assert main(["extract", *inputs, "--include-text", "--no-progress", "-o", str(jsonl)]) == 0
    assert parquet.read_bytes()[:4] == b"PAR1" and pq.read_schema(parquet).equals(arrow_schema())
    from_parquet, from_jsonl = _parquet_records(parquet), _jsonl_records(jsonl)
    assert len(from_parquet) == len(from_jsonl) > 10
    for ours, theirs in zip(from_parquet, from_jsonl, strict=True):
        for field in PageRecord.model_fields:
            assert getattr(ours, field) == getattr(theirs, field), (theirs.source.path, field)
    seen = {field: any(getattr(r, field) for r in from_jsonl) for field in ("phones", "regions", "brands", "appliances", "links", "warnings", "text")}
    assert all(seen.values()), f"the round trip covers every list with content: {seen}"
    assert any(not r.phones for r in from_jsonl), "and a record without phones"


def test_format_parquet_writes_parquet_to_any_name(tmp_path) -> None:
    out = tmp_path / "records.data"
    assert main(["extract", str(SEED), "--format", "parquet", "-o", str(out)]) == 0
    assert _parquet_records(out) == _records([SEED])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "parquet"], "Parquet is written to a file, not to stdout"),
        (["--format", "parquet", "-o", "-"], "Parquet is written to a file, not to stdout"),
        (["--format", "table", "-o", "x.parquet"], "names a Parquet file, but --format is table"),
        (["--format", "jsonl", "-o", "x.PARQUET"], "names a Parquet file, but --format is jsonl"),
    ],
)
def test_parquet_to_stdout_or_a_format_contradicting_the_suffix_is_a_usage_error(argv, message, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as caught:
        main(["extract", str(SEED), *argv])
    assert caught.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err
    assert list(tmp_path.iterdir()) == []


def test_validate_reads_parquet_and_counts_its_records(tmp_path, capsys) -> None:
    out = tmp_path / "r.parquet"
    assert main(["extract", str(PAGES), "--include-text", "--no-progress", "-o", str(out)]) == 0
    count = pq.ParquetFile(out).metadata.num_rows
    capsys.readouterr()
    assert main(["validate", str(out)]) == 0
    assert f"hotlines: {count} record(s): {count} valid, 0 invalid (0 problem(s)); 0 unreadable input(s)" in capsys.readouterr().err


def test_bad_rows_are_named_file_and_row(tmp_path, capsys) -> None:
    good = _records([SEED, PAGES / "two_brands.html"], include_text=True)
    wrong_kind = good[0].model_copy(update={"phones": [good[0].phones[0].model_copy(update={"kind": "mobile"})]})
    other_version = good[1].model_copy(update={"schema_version": "9.0"})
    out = _write(tmp_path / "mixed.parquet", [good[0], wrong_kind, other_version, good[1]])
    assert main(["validate", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        f"{out}:2: phones[0].kind: +864001865909 is shared_cost_400, not mobile",
        f"{out}:3: schema_version: unknown schema version '9.0' (this hotlines reads 1.0, 1.1)",
    ]
    assert "4 record(s): 2 valid, 2 invalid" in captured.err
    db = tmp_path / "index.sqlite"
    assert main(["index", "build", str(out), "--db", str(db), "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert f"{out}:3: record from another schema version" in err
    assert "2 page(s) added, 0 replaced, 1 already there" in err  # the wrong kind is the validator's business; its page is row 1's


def test_index_build_from_parquet_equals_index_build_from_jsonl(tmp_path, capsys) -> None:
    parquet, jsonl = tmp_path / "r.parquet", tmp_path / "r.jsonl"
    assert main(["extract", str(PAGES), "--no-progress", "-o", str(parquet)]) == 0
    assert main(["extract", str(PAGES), "--no-progress", "-o", str(jsonl)]) == 0
    answers = {}
    for source in (parquet, jsonl):
        db = tmp_path / f"{source.suffix[1:]}.sqlite"
        assert main(["index", "build", str(source), "--db", str(db), "--no-progress"]) == 0
        with Index(db, readonly=True) as index:
            answers[source.suffix] = (index.stats(), index.suspicious(min_brands=2), index.brands_for_phone("4001865909"))
    stats = answers[".parquet"][0]
    assert stats["pages"] == pq.ParquetFile(parquet).metadata.num_rows and stats["links"] > 0
    assert _without_times(answers[".parquet"]) == _without_times(answers[".jsonl"])


def _without_times(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_times(v) for k, v in value.items() if k not in ("first_seen", "last_seen")}
    if isinstance(value, (list, tuple)):
        return [_without_times(v) for v in value]
    return value


def test_index_build_takes_parquet_files_in_a_directory(tmp_path, capsys) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    _write(folder / "seeds.parquet", _records(sorted(PAGES.glob("0*_*.txt"))))
    db = tmp_path / "index.sqlite"
    assert main(["index", "build", str(folder), "--db", str(db), "--no-progress"]) == 0
    assert "3 page(s) added" in capsys.readouterr().err


def test_every_file_has_the_same_schema_whatever_its_records_hold(tmp_path) -> None:
    with_phones = _write(tmp_path / "with.parquet", _records([SEED]))
    without_phones = _write(tmp_path / "without.parquet", _records([NO_PHONES]))
    empty = _write(tmp_path / "empty.parquet", [])
    assert _parquet_records(without_phones)[0].phones == []
    assert _parquet_records(empty) == []
    schemas = [pq.read_schema(path) for path in (with_phones, without_phones, empty)]
    for schema in schemas:
        assert schema.equals(arrow_schema(), check_metadata=True)
    phone = schemas[1].field("phones").type.value_type
    assert pa.types.is_struct(phone) and phone.field("spans").type == pa.list_(pa.field("element", pa.list_(pa.field("element", pa.int64(), nullable=False), 2), nullable=False))


def test_an_extract_whose_every_input_failed_still_writes_a_file_with_the_schema(tmp_path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    out = tmp_path / "r.parquet"
    assert main(["extract", str(tmp_path / "empty.txt"), "-o", str(out)]) == 1
    assert pq.read_schema(out).equals(arrow_schema()) and pq.ParquetFile(out).metadata.num_rows == 0


def test_the_file_appears_only_when_the_batch_ends(tmp_path, monkeypatch) -> None:
    out = tmp_path / "r.parquet"
    partial = tmp_path / "r.parquet.partial"
    seen: list[tuple[bool, bool]] = []
    write = ParquetSink.write_row  # every record goes through it (write_record too)

    def watching(sink: ParquetSink, row: tuple[dict, int]) -> None:
        seen.append((out.exists(), partial.exists()))
        write(sink, row)

    monkeypatch.setattr(ParquetSink, "write_row", watching)
    pages = sorted(PAGES.glob("0*_*.txt"))
    assert main(["extract", *map(str, pages), "-o", str(out)]) == 0
    assert seen == [(False, True)] * len(pages)
    assert out.exists() and not partial.exists()
    assert [r.source.path for r in _parquet_records(out)] == list(map(str, pages))


def test_row_groups_are_written_as_the_batch_goes_and_read_one_at_a_time(tmp_path) -> None:
    records = _records(sorted(PAGES.glob("*.txt")))
    out = tmp_path / "r.parquet"
    sink = ParquetSink(out, row_group_rows=4)
    with sink:
        for record in records[:9]:
            sink.write_record(record)
        assert sink.written == 8, "two full row groups are on disk, one record is held"
        assert not out.exists() and sink.partial.exists()
    assert out.exists() and not sink.partial.exists()
    assert pq.ParquetFile(out).metadata.num_row_groups == 3
    assert _parquet_records(out) == records[:9]
    by_size = _write(tmp_path / "by_size.parquet", records[:3], row_group_bytes=1)
    assert pq.ParquetFile(by_size).metadata.num_row_groups == 3, "large pages cut row groups early"


def test_an_interrupted_extract_keeps_what_was_written(tmp_path, monkeypatch) -> None:
    write, calls = ParquetSink.write_row, []

    def interrupted_on_the_third(sink: ParquetSink, row: tuple[dict, int]) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        write(sink, row)

    monkeypatch.setattr(ParquetSink, "write_row", interrupted_on_the_third)
    out = tmp_path / "r.parquet"
    pages = sorted(PAGES.glob("0*_*.txt"))
    assert main(["extract", *map(str, pages), "-o", str(out)]) == 130
    assert [r.source.path for r in _parquet_records(out)] == list(map(str, pages[:2]))
    assert not (tmp_path / "r.parquet.partial").exists()


def _truncated(tmp_path: Path) -> Path:
    whole = _write(tmp_path / "whole.parquet", _records([SEED, NO_PHONES]))
    broken = tmp_path / "truncated.parquet"
    broken.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    return broken


def test_a_truncated_or_foreign_file_is_an_error_naming_it_and_the_batch_goes_on(tmp_path, capsys) -> None:
    broken = _truncated(tmp_path)
    not_parquet = tmp_path / "records.parquet"
    not_parquet.write_text('{"schema_version": "1.1"}\n', encoding="utf-8")
    other_table = tmp_path / "other.parquet"
    pq.write_table(pa.table({"a": [1, 2]}), other_table)
    good = _write(tmp_path / "good.parquet", _records([SEED]))
    inputs = [str(broken), str(not_parquet), str(other_table), str(good)]
    assert main(["validate", *inputs]) == 2
    err = capsys.readouterr().err
    assert f"hotlines: error: {broken}: not a readable Parquet file" in err
    assert f"hotlines: error: {not_parquet}: not a readable Parquet file" in err
    assert f"hotlines: error: {other_table}: a Parquet file, but not of page records (columns: a)" in err
    assert "1 record(s): 1 valid, 0 invalid (0 problem(s)); 3 unreadable input(s)" in err
    db = tmp_path / "index.sqlite"
    assert main(["index", "build", *inputs, "--db", str(db), "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert f"hotlines: error: {broken}: not a readable Parquet file" in err
    assert "1 page(s) added" in err and "3 input(s) failed" in err


def test_a_file_broken_part_way_yields_the_rows_before_and_then_names_it(tmp_path, capsys) -> None:
    out = _write(tmp_path / "r.parquet", _records([SEED, NO_PHONES, PAGES / "two_brands.html"]), row_group_rows=2)
    second = pq.ParquetFile(out).metadata.row_group(1).column(0)
    data = bytearray(out.read_bytes())
    start = second.dictionary_page_offset or second.data_page_offset
    data[start : start + 8] = b"\xff" * 8  # the second row group's first page header
    out.write_bytes(bytes(data))
    rows = []
    with pytest.raises(ParquetError, match=r"r\.parquet: unreadable after row 2"):
        for number, _ in iter_rows(out):
            rows.append(number)
    assert rows == [1, 2]
    assert main(["validate", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{out}: unreadable after row 2" in err and "2 record(s): 2 valid" in err


def test_a_missing_file_is_named(tmp_path, capsys) -> None:
    assert main(["validate", str(tmp_path / "missing.parquet")]) == 2
    assert "missing.parquet: cannot read: No such file or directory" in capsys.readouterr().err


def _json_schema_fields(schema: dict[str, Any], node: dict[str, Any], prefix: str = "") -> dict[str, bool]:
    """Every field path of a JSON Schema (`phones[].spans`, `source.url` …) and whether it may be null."""
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in node:
        paths: dict[str, bool] = {}
        for option in node["anyOf"]:
            paths |= _json_schema_fields(schema, option, prefix)
        return paths
    if node.get("type") == "array" and "items" in node:
        return _json_schema_fields(schema, node["items"], prefix + "[]")
    paths = {}
    for name, child in node.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        paths[path] = {"type": "null"} in child.get("anyOf", [])
        paths |= _json_schema_fields(schema, child, path)
    return paths


def _arrow_fields(arrow_type: pa.DataType, prefix: str = "") -> dict[str, bool]:
    if pa.types.is_list(arrow_type):
        return _arrow_fields(arrow_type.value_type, prefix + "[]")
    paths: dict[str, bool] = {}
    if pa.types.is_struct(arrow_type):
        for field in arrow_type:
            path = f"{prefix}.{field.name}" if prefix else field.name
            paths[path] = field.nullable
            paths |= _arrow_fields(field.type, path)
    return paths


def test_the_arrow_schema_has_every_field_of_the_models_and_no_other() -> None:
    """Compared with the JSON Schema pydantic makes of the same models, field by field, nested:
    the same paths, and nullable exactly where the model allows null."""
    json_schema = PageRecord.model_json_schema()
    expected = _json_schema_fields(json_schema, json_schema)
    assert {"source.warc_offset", "phones[].disguises", "regions[].guessed", "links[].lines", "text"} <= set(expected)
    assert expected["source.url"] and not expected["phones[].count"], "the walk sees nullability"
    assert _arrow_fields(pa.struct(list(arrow_schema()))) == expected


def test_the_arrow_schema_follows_a_field_added_to_a_model() -> None:
    extended = create_model("ExtendedRecord", __base__=PageRecord, reviewed=(bool, False), score=(float | None, None), tags=(list[str], []))
    schema = arrow_schema(extended)
    assert schema.names == [*arrow_schema().names, "reviewed", "score", "tags"]
    assert (schema.field("reviewed").type, schema.field("reviewed").nullable) == (pa.bool_(), False)
    assert (schema.field("score").type, schema.field("score").nullable) == (pa.float64(), True)
    assert schema.field("tags").type.value_type == pa.string()


def test_the_mapping_of_model_types_to_arrow_types() -> None:
    schema = arrow_schema()
    source = schema.field("source").type
    assert (source.field("size").type, source.field("size").nullable) == (pa.int64(), False)
    assert (source.field("url").type, source.field("url").nullable) == (pa.string(), True)
    region = schema.field("regions").type.value_type
    assert region.field("span").type.list_size == 2
    assert (region.field("lon").type, region.field("lon").nullable) == (pa.float64(), True)
    assert region.field("official").type == pa.bool_()
    assert schema.field("schema_version").type == pa.string()
    assert schema.field("text").nullable and not schema.field("phones").nullable
    number = schema.field("phones").type.value_type.field("number")
    assert number.metadata[b"description"].decode() == PageRecord.model_fields["phones"].annotation.__args__[0].model_fields["number"].description


def test_a_model_type_with_no_arrow_mapping_is_refused_by_name() -> None:
    odd = create_model("OddRecord", when=(dict[str, int], {}))
    with pytest.raises(TypeError, match=r"OddRecord\.when: no Arrow type"):
        arrow_schema(odd)


WITHOUT_PYARROW = """
import sys
sys.modules["pyarrow"] = None  # as if not installed: `import pyarrow` raises ImportError
from hotlines.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_without_pyarrow_parquet_is_refused_with_the_install_command(tmp_path) -> None:
    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", WITHOUT_PYARROW, *argv], capture_output=True, text=True, cwd=ROOT, check=False)

    out = tmp_path / "r.parquet"
    result = run("extract", str(SEED), "-o", str(out))
    assert result.returncode == 2
    assert "Parquet needs pyarrow, which is not installed" in result.stderr and "pip install 'hotlines[parquet]'" in result.stderr
    assert list(tmp_path.iterdir()) == [], "nothing written, no .partial left"
    good = _write(tmp_path / "good.parquet", _records([SEED]))
    result = run("validate", str(good))
    assert result.returncode == 2 and f"{good}: Parquet needs pyarrow" in result.stderr
    result = run("index", "build", str(good), "--db", str(tmp_path / "i.sqlite"), "--no-progress")
    assert result.returncode == 1 and f"{good}: Parquet needs pyarrow" in result.stderr
    jsonl = tmp_path / "r.jsonl"
    assert run("extract", str(SEED), "-o", str(jsonl)).returncode == 0, "JSONL needs no pyarrow"
    assert json.loads(jsonl.read_text(encoding="utf-8"))["phones"][0]["number"] == "+864001865909"


def test_the_benchmark_prints_parquet_and_jsonl_figures(tmp_path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "parquet_bench.py"), "--records", "40", "--rounds", "1", "--json", str(out)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))
    for label in ("fixtures repeated, without text", "fixtures repeated, with text", "generated, no repeats"):
        for name in ("jsonl", "parquet_zstd", "parquet_snappy"):
            assert figures[label][name]["bytes"] > 0 and figures[label][name]["write_cpu_s"] > 0
        assert label in result.stdout
    assert "parquet_zstd" in result.stdout and "% of JSONL" in result.stdout
