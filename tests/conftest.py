"""Shared paths and helpers for the test suite."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PAGES = FIXTURES / "pages"
GOLD = FIXTURES / "gold"
SHARED = Path(os.environ.get("HOTLINES_SHARED", ROOT.parent / "shared"))


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold_pages() -> list[tuple[Path, dict[str, Any]]]:
    pairs = []
    for gold_path in sorted(GOLD.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        pairs.append((PAGES / gold["page"], gold))
    return pairs


@pytest.fixture(scope="session")
def shared() -> Path:
    """The reference data beside the repo (CI lays it there); tests that need it say so."""
    if not SHARED.is_dir():
        message = f"reference data not found at {SHARED} (set HOTLINES_SHARED)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI lays shared/ beside the clone: its absence is a failure
        pytest.skip(message)
    return SHARED
