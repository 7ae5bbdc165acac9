"""The whole page pipeline stays linear in page size, also on adversarial repetitions.

A page that repeats one brand and appliance 20,000 times once took 11 s through an
overlap check that compared every appliance with every brand mention: quadratic. Each pattern
here is timed at n and 4n repetitions; the ratio, not an absolute time, is checked.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from timing import growth

from extractors import normalize
from extractors.brands import extract_brands_and_appliances
from hotlines.pipeline import extract_bytes

PATTERNS = [
    "海尔空调售后电话400-699-9999\n",
    "海尔空调昌尔特热水器美的冰箱",
    "北京市朝阳区、海南同德县、东莞市大朗镇、",
    "昌尔特热水器维修\n",
    "热水器",
    "400-1865-909 ",
    "<div>海尔</div>",
]


def _extract(data: bytes) -> object:
    return extract_bytes("p.txt", data, suffix=".txt")


@pytest.mark.parametrize("pattern", PATTERNS)
def test_fourfold_input_costs_well_under_sixteenfold_time(pattern: str) -> None:
    small, large = (pattern * 1_500).encode(), (pattern * 6_000).encode()
    ratio = growth(_extract, small, large)
    assert ratio < 8, (pattern, ratio)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["海尔", "Haier", "空调", "燃气热水器", "美的", "真美的", "老板", "售后", "北京", "、", "\n", "A.O.史密斯", "LG", "LGBT", "昌尔特", "400-699-9999"]) | st.text(max_size=3), max_size=40).map("".join))
def test_brands_never_raise_and_spans_slice_to_what_was_written(text: str) -> None:
    found = extract_brands_and_appliances(normalize(text))
    for item in [*found.brands, *found.appliances]:
        assert item.count == len(item.spans)
        assert {text[a:b] for a, b in item.spans} == set(item.raw)
