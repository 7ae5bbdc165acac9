"""Growth ratios for linear-time tests: the best of a few runs, so noise cannot fake a slope."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def best_seconds(fn: Callable[[T], object], argument: T, repeat: int = 3) -> float:
    """Fastest of `repeat` runs, each from a collected heap with the cyclic collector paused.

    These tests ask whether the algorithm grows linearly. A full collection landing inside a
    timed run walks every object the test process holds (hypothesis examples included), so
    it adds time in proportion to the heap, not to the input, and it lands more often in the
    larger run: on this shared machine that alone pushed growth ratios of 4 to 8.7.
    """
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            started = time.perf_counter()
            fn(argument)
            best = min(best, time.perf_counter() - started)
        finally:
            gc.enable()
    return best


def growth(fn: Callable[[T], object], small: T, large: T) -> float:
    """How many times longer `large` takes than `small` (4x the input should stay well under 16x)."""
    return best_seconds(fn, large) / max(best_seconds(fn, small), 1e-4)
