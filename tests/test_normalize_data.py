"""The stored table of characters that normalization folds is what Unicode data says."""

from __future__ import annotations

import importlib.resources
import unicodedata

import sys

import extractors.normalize  # noqa: F401
from extractors.normalize import changing_codes, changing_codes_text, normalize, other_digit_codes

normalize_module = sys.modules["extractors.normalize"]


def test_the_stored_table_equals_a_fresh_computation() -> None:
    stored_text = importlib.resources.files("extractors").joinpath("data/nfkc_changing.txt").read_text(encoding="ascii")
    version = stored_text.split()[1]
    fresh = changing_codes()
    if version == unicodedata.unidata_version:
        assert stored_text == changing_codes_text(fresh)
        assert normalize_module._stored_ranges("nfkc_changing.txt") == normalize_module._ranges(fresh)
    else:  # another Python: the table is recomputed at start-up instead of read
        assert normalize_module._stored_ranges("nfkc_changing.txt") is None
    assert 0xFF14 in fresh and ord("—") in fresh and 0x2460 not in fresh  # ４ and — fold; ① is kept


def test_the_stored_other_digits_equal_a_fresh_computation() -> None:
    """Decimal digits other than 0-9 that normalization keeps: the phone scan uses `[0-9]` on
    pages without them, so a digit missing from the file would make its numbers invisible."""
    stored_text = importlib.resources.files("extractors").joinpath("data/other_digits.txt").read_text(encoding="ascii")
    version = stored_text.split()[1]
    changing = changing_codes()
    fresh = other_digit_codes(changing)
    if version == unicodedata.unidata_version:
        assert stored_text == changing_codes_text(fresh)
        assert normalize_module._stored_ranges("other_digits.txt") == normalize_module._ranges(fresh)
    else:
        assert normalize_module._stored_ranges("other_digits.txt") is None
    assert 0x0663 in fresh and 0x0969 in fresh  # Arabic-Indic ٣ and Devanagari ३
    assert not any(0x30 <= code <= 0x39 or code in set(changing) for code in fresh)  # 0-9 and ３ (folded) are not "other"


def test_pages_with_other_digits_are_flagged_and_scanned_with_unicode_digits() -> None:
    plain = normalize("热线4001865909")
    assert plain.other_digits is False
    for text in ("热线٤٠٠١٨٦٥٩٠٩", "热线४००१८६५९०९ and ４００"):
        assert normalize(text).other_digits is True


def test_the_classes_from_the_files_equal_those_computed_afresh(monkeypatch) -> None:
    """Under another Unicode version the ranges are computed, not read: both ways give the same
    classes (the files' ranges are merged with the marked characters' as ranges)."""
    from_files = normalize_module._changing()
    normalize_module._changing.cache_clear()
    monkeypatch.setattr(normalize_module, "_stored_ranges", lambda name: None)
    try:
        computed = normalize_module._changing()
    finally:
        normalize_module._changing.cache_clear()
    assert [p.pattern for p in from_files[:2]] == [p.pattern for p in computed[:2]]
    assert from_files[2] == computed[2]
    bmp, astral, _ = computed
    for code in (0xFF14, ord("—"), 0x2460, 0x20E3, 0x0663):  # ４, a dash, ①, the keycap mark, ٣
        assert bmp.fullmatch(chr(code))
    assert astral.fullmatch("\U0001F101") and not bmp.fullmatch("a") and not bmp.fullmatch("海")
