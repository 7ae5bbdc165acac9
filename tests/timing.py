"""Growth ratios for linear-time tests: the best of a few runs, so noise cannot fake a slope."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def best_seconds(fn: Callable[[T], object], argument: T, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn(argument)
        best = min(best, time.perf_counter() - started)
    return best


def growth(fn: Callable[[T], object], small: T, large: T) -> float:
    """How many times longer `large` takes than `small` (4x the input should stay well under 16x)."""
    return best_seconds(fn, large) / max(best_seconds(fn, small), 1e-4)
