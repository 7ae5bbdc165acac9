"""Properties of the region extractor on arbitrary and adversarial text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from timing import growth

from extractors import extract_regions
from schemas import Region

_PIECES = st.sampled_from(
    ["海南", "同德县", "直辖县", "潜江市", "东莞市", "大朗镇", "、", "省", "市", "区", "县", "镇", "乡", "街道", "北京", "朝阳区",
     "大同小异", "中山", "路", "开发区", "市辖区", "加格达奇区", "大兴安岭地区", "(", ")", " ", "\n", "⑴", "ｓ", "１", "黔南", "布依族",
     "广州", "天河", "西湖", "杭州", "：", ":", "公园", "城区", "阳泉", "江汉平原", "武汉", "新华社", "公安", "南山区", "深圳"]
)
_TEXT = st.one_of(st.text(max_size=120), st.lists(st.one_of(_PIECES, st.text(max_size=2)), max_size=40).map("".join))


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_never_raises_and_spans_slice_to_the_text(text: str) -> None:
    previous_end = 0
    for region in extract_regions(text):
        Region.model_validate(region.model_dump())
        start, end = region.span
        assert 0 <= start < end <= len(text) and text[start:end] == region.text
        assert start >= previous_end, "mentions do not overlap and come in text order"
        previous_end = end


def test_time_grows_linearly_on_adversarial_input() -> None:
    patterns = ["海南", "北京市朝阳区", "镇", "直辖县", "黔南布依族", "大同小异", "东莞市大朗镇、", "省市区县"]
    for pattern in patterns:
        small, large = pattern * 2_000, pattern * 8_000
        ratio = growth(extract_regions, small, large)
        assert ratio < 8, (pattern, ratio)


def test_the_unified_block_class_agrees_with_the_block_on_every_run_character() -> None:
    """regions' `_UNIFIED` is written as a negation that holds only inside normalize's CJK runs."""
    import re

    from extractors.normalize import is_cjk
    from extractors.regions import _UNIFIED

    unified = re.compile(_UNIFIED)
    run_chars = [chr(code) for code in range(0x3000, 0xFB00) if is_cjk(chr(code))]
    assert len(run_chars) > 27000
    assert [ch for ch in run_chars if bool(unified.fullmatch(ch)) != ("\u4e00" <= ch <= "\u9fff")] == []
