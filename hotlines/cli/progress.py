"""A one-line progress bar on stderr, shown only to a person at a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

_MIN_INPUTS = 20  # short batches finish before a bar would be read


class Progress:
    def __init__(self, total: int, *, enabled: bool = True, stream: TextIO | None = None, counting: bool = False) -> None:
        """`counting`: the total is not known in advance (a streamed batch); show count and rate."""
        self.stream = stream or sys.stderr
        self.total = total
        self.counting = counting
        self.done = 0
        self.started = time.monotonic()
        self.active = enabled and (counting or total >= _MIN_INPUTS) and self.stream.isatty()
        self._last_draw = 0.0
        self._width = 0

    def step(self, name: str) -> None:
        self.done += 1
        now = time.monotonic()
        if self.active and (now - self._last_draw > 0.1 or self.done == self.total):
            self._last_draw = now
            if self.counting:
                rate = self.done / max(now - self.started, 1e-9)
                line = f"{self.done} page(s), {rate:.0f}/s"
            else:
                filled = int(30 * self.done / self.total)
                line = f"[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total}"
            self._draw(line)

    def message(self, text: str) -> None:
        """Print a line above the bar without garbling it."""
        self._clear()
        print(text, file=self.stream)

    def close(self) -> None:
        self._clear()

    def _draw(self, line: str) -> None:
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()
        self._width = len(line)

    def _clear(self) -> None:
        if self.active and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
