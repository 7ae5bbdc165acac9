"""Where results go: stdout, or a file that appears whole or not at all.

A file output is written to a sibling `NAME.partial` and renamed over NAME when the batch ends,
also when it ends by an error or Ctrl-C: a reader never sees a half-written NAME, and every
record written before a failure is kept. A killed process leaves only `NAME.partial`, whose
complete lines are valid records. An output that is a device or a pipe (`-o /dev/null`) is
written in place (`hotlines.atomic`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import TracebackType
from typing import TextIO

from hotlines.atomic import finish_output, open_output


class LineSink:
    """Writes complete lines, flushed one by one so a crash loses at most the current line."""

    def __init__(self, target: str | None) -> None:
        self.target = Path(target) if target and target != "-" else None
        self._partial: Path | None = None
        self._handle: TextIO | None = None

    def __enter__(self) -> LineSink:
        if self.target is None:
            if hasattr(sys.stdout, "reconfigure"):
                sys.stdout.reconfigure(encoding="utf-8")
            self._handle = sys.stdout
        else:
            self._handle, self._partial = open_output(self.target, "w", encoding="utf-8", newline="\n")
        return self

    @property
    def handle(self) -> TextIO:
        """The open stream, for writers (csv) that write their own lines."""
        assert self._handle is not None, "use LineSink as a context manager"
        return self._handle

    def write_line(self, line: str | bytes) -> None:
        """One line: text, or bytes already in UTF-8 (a JSON record), written as they are."""
        assert self._handle is not None
        raw = getattr(self._handle, "buffer", None) if isinstance(line, bytes) else None
        if raw is not None:
            self._handle.flush()  # text written before goes first
            raw.write(line)
            raw.write(b"\n")
            raw.flush()
            return
        if isinstance(line, bytes):  # a text-only stream (stdout redirected to a StringIO)
            line = line.decode("utf-8")
        self._handle.write(line + "\n")
        self._handle.flush()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._handle is None or self.target is None:
            return
        finish_output(self._handle, self.target, self._partial)
