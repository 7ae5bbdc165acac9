"""Which brand, appliance and phone number a page asserts together.

A fake hotline page says "<brand><appliance> 24小时售后: <number>" line after line; the claim
is the co-occurrence within one line (a heading, a paragraph of HTML, or the title). Each
(brand, appliance, number) triple is counted once per line that asserts it. Short codes of
public services (12315, 110 …) belong to no brand and are never linked, and neither are numbers
that are not valid (a landline cut short by a digit).
"""

from __future__ import annotations

from collections import Counter
from itertools import product

from schemas import Appliance, Brand, Link, Phone


def _line_numbers(text: str, starts: set[int]) -> dict[int, int]:
    """The line (0-based) of each offset: newlines counted from one offset to the next.

    A page has hundreds of lines and a few dozen spans to place: counting in C between the
    spans costs a fraction of a table of every line start.
    """
    numbers = {}
    line = at = 0
    for start in sorted(starts):
        line += text.count("\n", at, start)
        at = start
        numbers[start] = line
    return numbers


def _by_line(line_of: dict[int, int], items: list[tuple[str, list[tuple[int, int]]]]) -> dict[int, set[str]]:
    lines: dict[int, set[str]] = {}
    for key, spans in items:
        for start, _ in spans:
            lines.setdefault(line_of[start], set()).add(key)
    return lines


def extract_links(
    text: str,
    brands: list[Brand],
    appliances: list[Appliance],
    phones: list[Phone],
    title_keys: tuple[set[str], set[str], set[str]] | None = None,
) -> list[Link]:
    """Links from spans in `text`; `title_keys` adds the title as one more line (brands, appliances, phones)."""
    if not phones or not brands:
        return []
    line_of = _line_numbers(text, {start for item in (*brands, *appliances, *phones) for start, _ in item.spans})
    brand_lines = _by_line(line_of, [(b.canonical or b.name, b.spans) for b in brands])
    appliance_lines = _by_line(line_of, [(a.category, a.spans) for a in appliances])
    phone_lines = _by_line(line_of, [(p.number, p.spans) for p in phones if p.kind != "short_code" and p.valid])
    lines = [(brand_lines.get(i, set()), appliance_lines.get(i, set()), phone_lines[i]) for i in phone_lines]
    if title_keys is not None:
        lines.append(title_keys)
    counts: Counter[tuple[str, str | None, str]] = Counter()
    for line_brands, line_appliances, line_phones in lines:
        line_categories: set[str | None] = set(line_appliances) or {None}
        for brand, appliance, phone in product(line_brands, line_categories, line_phones):
            counts[(brand, appliance, phone)] += 1
    return [Link(brand=b, appliance=a, phone=p, lines=n) for (b, a, p), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1] or "", kv[0][2]))]
