"""LineSink: text lines and UTF-8 byte lines (records' JSON) in the order written, to a file or a stream."""

from __future__ import annotations

import contextlib
import io

from hotlines.cli.output import LineSink


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
