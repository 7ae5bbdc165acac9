"""The `hotlines` command: output formats, exit codes, per-input errors, atomic output."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PAGES, ROOT
from hotlines.cli import main
from hotlines.pipeline import extract_bytes
from hotlines.cli.render import terminal_safe
from schemas import SCHEMA_VERSION, PageRecord


def _mixed_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a_good.txt").write_text("热线400-1865-909", encoding="utf-8")
    (folder / "b_empty.txt").write_bytes(b"")
    (folder / "c_binary.txt").write_bytes(b"\x00\x01\x02PNG\x00")
    (folder / "d_undecodable.txt").write_bytes(bytes(range(128, 256)) * 10)
    (folder / "e_gbk.html").write_bytes("<title>标题</title><p>电话010-8888 6666</p>".encode("gbk"))
    (folder / "notes.json").write_text("{}")
    return folder


def test_extract_jsonl_records_validate(capsys) -> None:
    assert main(["extract", str(PAGES / "000_88c04a5b769380d4.txt")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    record = PageRecord.model_validate_json(lines[0])
    assert record.phones[0].number == "+864001865909" and record.phones[0].count == 10
    assert record.text is None


def test_include_text_makes_spans_resolvable(capsys) -> None:
    assert main(["extract", "--include-text", str(PAGES / "gbk_siemens.html")]) == 0
    record = PageRecord.model_validate_json(capsys.readouterr().out)
    assert record.text is not None
    for phone in record.phones:
        assert {record.text[a:b] for a, b in phone.spans} == set(phone.raw)


def test_a_batch_with_bad_files_goes_on_and_exits_1(tmp_path, capsys) -> None:
    folder = _mixed_dir(tmp_path)
    assert main(["extract", str(folder), str(tmp_path / "missing.txt")]) == 1
    captured = capsys.readouterr()
    records = [json.loads(line) for line in captured.out.splitlines()]
    assert [Path(r["source"]["path"]).name for r in records] == ["a_good.txt", "e_gbk.html"]
    errors = [line for line in captured.err.splitlines() if line.startswith("hotlines: error:")]
    assert len(errors) == 4
    for name, reason in [("b_empty.txt", "empty file"), ("c_binary.txt", "binary"), ("d_undecodable.txt", "undecodable"), ("missing.txt", "no such file")]:
        assert any(name in line and reason in line for line in errors), (name, errors)
    assert "skipped 1 file(s)" in captured.err


def test_output_file_is_written_whole_and_keeps_records_before_failures(tmp_path) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(_mixed_dir(tmp_path)), "-o", str(out)]) == 1
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    assert not list(tmp_path.glob("*.partial"))


def test_unwritable_output_is_a_usage_error(tmp_path) -> None:
    assert main(["extract", str(PAGES), "-o", str(tmp_path / "no" / "such" / "dir" / "o.jsonl")]) == 2


def test_usage_errors_exit_2() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["extract"])
    assert caught.value.code == 2


def test_stdin_is_read_with_dash() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hotlines", "extract", "-"],
        input="客服热线４００－１８６５－９０９".encode("gb18030"),
        capture_output=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    record = json.loads(result.stdout)
    assert record["source"]["path"] == "<stdin>" and record["source"]["encoding"] == "gb18030"
    assert record["phones"][0]["number"] == "+864001865909"


def test_table_and_errors_escape_terminal_control_sequences(tmp_path, capsys) -> None:
    evil = "\x1b[2J\x1b]0;pwned\x07\u202e"
    page = tmp_path / f"{evil}.html"
    page.write_text("<title>t</title><p>热线400-1865-909</p>", encoding="utf-8")
    empty = tmp_path / f"{evil}empty.txt"
    empty.write_bytes(b"")
    assert main(["extract", "--format", "table", str(page), str(empty)]) == 1
    captured = capsys.readouterr()
    for stream in (captured.out, captured.err):
        assert "\x1b" not in stream and "\u202e" not in stream and "\x07" not in stream
    assert "\\x1b[2J" in captured.out and "\\u202e" in captured.out
    assert "\\x1b[2J" in captured.err


def test_terminal_safe_keeps_chinese_and_escapes_controls() -> None:
    assert terminal_safe("海尔\t\x1b[31m") == "海尔\\t\\x1b[31m"


def test_schema_command_prints_the_checked_in_schema_file(capsys) -> None:
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert printed == (ROOT / "schemas" / "page_record.schema.json").read_text(encoding="utf-8")


def test_schema_command_agrees_with_the_models(capsys) -> None:
    """Regenerated here from the pydantic model itself, not through the function the CLI calls."""
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed.pop("$schema") == "https://json-schema.org/draft/2020-12/schema"
    assert printed.pop("$id").endswith(f"/{SCHEMA_VERSION}")
    assert printed == PageRecord.model_json_schema(mode="serialization")
    assert printed["title"] == "PageRecord" and "source" in printed["required"]


def test_url_becomes_source_url(capsys) -> None:
    url = "https://example.invalid/售后/haier?id=1"
    assert main(["extract", str(PAGES / "gbk_siemens.html"), "--url", url]) == 0
    record = PageRecord.model_validate_json(capsys.readouterr().out)
    assert record.source.url == url
    assert record.source.path == str(PAGES / "gbk_siemens.html")
    assert main(["extract", str(PAGES / "gbk_siemens.html")]) == 0
    assert PageRecord.model_validate_json(capsys.readouterr().out).source.url is None


def test_url_with_stdin() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hotlines", "extract", "-", "--url", "https://example.invalid/p"],
        input="客服热线400-1865-909".encode(), capture_output=True, cwd=ROOT, check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    source = json.loads(result.stdout)["source"]
    assert (source["path"], source["url"]) == ("<stdin>", "https://example.invalid/p")


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ([PAGES / "000_88c04a5b769380d4.txt", PAGES / "001_5cf953adb841b130.txt"], "2 inputs were given"),
        ([PAGES], "is a directory"),
    ],
)
def test_url_for_more_than_one_page_is_a_usage_error(inputs, message, capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["extract", *map(str, inputs), "--url", "https://example.invalid/a"])
    assert caught.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "hotlines extract: error: --url is the address of one page" in captured.err and message in captured.err


def test_url_refused_in_a_real_process_exits_2() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hotlines", "extract", str(PAGES), "--url", "https://example.invalid/a"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert "is a directory" in result.stderr


def test_extract_bytes_takes_the_url() -> None:
    page = (PAGES / "two_brands.html").read_bytes()
    record = extract_bytes("two_brands.html", page, suffix=".html", url="https://example.invalid/two")
    assert record.source.url == "https://example.invalid/two"
    assert record.model_dump(exclude={"source"}) == extract_bytes("two_brands.html", page, suffix=".html").model_dump(exclude={"source"})


class _Terminal:
    def __init__(self) -> None:
        self.written: list[str] = []

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> None:
        self.written.append(text)

    def flush(self) -> None:
        pass


def test_progress_bar_draws_only_on_a_terminal_and_clears_itself() -> None:
    from hotlines.cli.progress import Progress

    terminal = _Terminal()
    progress = Progress(40, stream=terminal)  # type: ignore[arg-type]
    for index in range(40):
        progress.step(f"page{index}")
    progress.close()
    drawn = "".join(terminal.written)
    assert "40/40" in drawn and drawn.endswith("\r")
    assert not Progress(40, stream=io.StringIO()).active
    assert not Progress(3, stream=_Terminal()).active  # type: ignore[arg-type]


def test_extract_refuses_record_files_with_a_pointer(tmp_path, capsys) -> None:
    records = tmp_path / "records.jsonl"
    records.write_text('{"schema_version": "1.0"}\n', encoding="utf-8")
    assert main(["extract", str(records)]) == 1
    assert "a file of records, not a page" in capsys.readouterr().err
