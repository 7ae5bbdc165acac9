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


# Written forms of real numbers, with the E.164 each must come out as.
_NUMBERS = [
    ("400-1865-909", "+864001865909"), ("4001865909", "+864001865909"), ("４００－１８６５－９０９", "+864001865909"),
    ("400—1865—909", "+864001865909"), ("+86 400 186 5909", "+864001865909"), ("(010)8888 6666", "+861088886666"),
    ("010-88886666", "+861088886666"), ("13800138000", "+8613800138000"), ("138 0013 8000", "+8613800138000"),
    ("0755-8376 5566", "+8675583765566"), ("800-820-8820", "+868008208820"),
]
# A number set apart from whatever surrounds it: a line of its own after a phone word.
_EMBEDDED = st.tuples(_TEXT, st.sampled_from(_NUMBERS), _TEXT, st.sampled_from(["热线：", "客服电话 ", "售后电话:"]), st.sampled_from(["\n", "。\n", "（24小时）\n"]))


def _check_spans(text: str, phones: list[Phone]) -> None:
    for phone in phones:
        Phone.model_validate(phone.model_dump())
        assert phone.count == len(phone.spans)
        for start, end in phone.spans:
            assert 0 <= start < end <= len(text)
        assert {text[a:b] for a, b in phone.spans} == set(phone.raw)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_never_raises_on_any_text(text: str) -> None:
    _check_spans(text, extract_phones(text))


@settings(max_examples=400, deadline=None)
@given(_EMBEDDED)
def test_spans_slice_to_the_raw_forms(case: tuple[str, tuple[str, str], str, str, str]) -> None:
    """Every case holds a number, found whatever text stands around its line; its spans read it back."""
    before, (written, number), after, label, end = case
    text = f"{before}\n{label}{written}{end}{after}"
    start = len(before) + 1 + len(label)
    phones = extract_phones(text)
    _check_spans(text, phones)
    found = [p for p in phones if p.number == number]
    assert found, (text, [p.number for p in phones])
    assert [start, start + len(written)] in [list(span) for span in found[0].spans]
    assert written in found[0].raw


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
