"""LineSink: text lines and UTF-8 byte lines (records' JSON) in the order written, to a file or a stream."""

from __future__ import annotations

import contextlib
import io
import os
import stat
import threading
from pathlib import Path

import pytest

from hotlines.cli import main
from hotlines.cli.output import LineSink

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "pages" / "001_5cf953adb841b130.txt"


def test_text_and_byte_lines_keep_their_order_in_a_file(tmp_path) -> None:
    target = tmp_path / "out.txt"
    with LineSink(str(target)) as sink:
        sink.write_line("page\tnumber")
        sink.write_line('{"title":"海尔售后"}'.encode())
        sink.write_line("last")
    assert target.read_text(encoding="utf-8") == 'page\tnumber\n{"title":"海尔售后"}\nlast\n'
    assert not (tmp_path / "out.txt.partial").exists()


def test_byte_lines_reach_a_text_only_stdout() -> None:
    """stdout redirected to a StringIO (a library caller capturing output) has no byte buffer."""
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured), LineSink(None) as sink:
        sink.write_line("head")
        sink.write_line('{"title":"海尔"}'.encode())
    assert captured.getvalue() == 'head\n{"title":"海尔"}\n'


def _dev_null_intact() -> bool:
    return stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_an_output_that_is_a_device_is_written_in_place_not_replaced(tmp_path, capsys, suffix) -> None:
    """`-o /dev/null` (here through a symlink, so that the old behaviour, a rename over the
    target, would replace only the link): the device stays a device, and no .partial is left."""
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    sink = tmp_path / f"sink{suffix}"
    sink.symlink_to("/dev/null")
    assert main(["extract", "--no-progress", "--jobs", "1", str(SEED), "-o", str(sink)]) == 0
    assert sink.is_symlink() and _dev_null_intact()
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_an_output_that_is_a_named_pipe_reaches_its_reader(tmp_path) -> None:
    pipe = tmp_path / "records.jsonl"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    assert main(["extract", "--no-progress", "--jobs", "1", str(SEED), "-o", str(pipe)]) == 0
    reader.join(timeout=30)
    assert not reader.is_alive() and received, "the reader saw the end of the pipe"
    lines = received[0].splitlines()
    assert len(lines) == 1 and lines[0].startswith(b'{"schema_version"')
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)


def test_the_report_to_a_device_leaves_the_device(tmp_path) -> None:
    from hotlines.report import build_report

    assert main(["index", "build", "--no-progress", "--jobs", "1", "--db", str(tmp_path / "index.sqlite"), str(SEED)]) == 0
    sink = tmp_path / "report.html"
    sink.symlink_to("/dev/null")
    summary = build_report(tmp_path / "index.sqlite", sink)
    assert summary.bytes > 1000 and sink.is_symlink() and _dev_null_intact()
