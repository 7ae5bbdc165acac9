"""The stored table of characters that normalization folds is what Unicode data says."""

from __future__ import annotations

import importlib.resources
import unicodedata

import sys

import extractors.normalize  # noqa: F401
from extractors.normalize import changing_codes, changing_codes_text

normalize_module = sys.modules["extractors.normalize"]


def test_the_stored_table_equals_a_fresh_computation() -> None:
    stored_text = importlib.resources.files("extractors").joinpath("data/nfkc_changing.txt").read_text(encoding="ascii")
    version = stored_text.split()[1]
    fresh = changing_codes()
    if version == unicodedata.unidata_version:
        assert stored_text == changing_codes_text(fresh)
        assert normalize_module._stored_changing_codes() == fresh
    else:  # another Python: the table is recomputed at start-up instead of read
        assert normalize_module._stored_changing_codes() is None
    assert 0xFF14 in fresh and ord("—") in fresh and 0x2460 not in fresh  # ４ and — fold; ① is kept
