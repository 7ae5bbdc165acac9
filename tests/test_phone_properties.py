"""Properties of the phone extractor on arbitrary and adversarial text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from timing import growth

from extractors import extract_phones, normalize
from schemas import Phone

# Text built from the characters that matter to the extractor, plus anything at all.
_PIECES = st.sampled_from(
    ["400", "-", " ", "1865", "909", "(", ")", "0755", "+86", "转", "12315", "拨打", "元", "①", "⑴", "４", "－",
     "\u3000", ".", "@", "a", "热线", "\n", "13800138000", "㎡", "ﬁ", "\u00a0", "—"]
)
_TEXT = st.one_of(st.text(max_size=200), st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=60).map("".join))


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_never_raises_and_spans_slice_to_raw_forms(text: str) -> None:
    for phone in extract_phones(text):
        Phone.model_validate(phone.model_dump())
        assert phone.count == len(phone.spans)
        for start, end in phone.spans:
            assert 0 <= start < end <= len(text)
        assert {text[a:b] for a, b in phone.spans} == set(phone.raw)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_normalized_offsets_map_back_inside_the_original(text: str) -> None:
    doc = normalize(text)
    for start in range(len(doc.text)):
        a, b = doc.to_original(start, start + 1)
        assert 0 <= a < b <= len(text)


def test_time_grows_linearly_on_adversarial_input() -> None:
    """Fourfold input must cost well under sixteenfold time (no quadratic or worse behaviour)."""
    patterns = ["1-", "1 ", "4001865909 ", "(0", "+8", "1" * 30 + "-", "①4", "0755-", "热线1", "1.", "a1"]
    for pattern in patterns:
        small = pattern * 5_000
        large = pattern * 20_000
        ratio = growth(extract_phones, small, large)
        assert ratio < 8, (pattern, ratio)
