"""Human-readable output of records; every piece of page text is escaped before it is shown.

Page text is attacker-controlled: a title can carry ANSI escape sequences that rewrite an
analyst's terminal, or bidi overrides that make one number read as another. Anything from a
page goes through `terminal_safe` (or `html.escape` for HTML) before display.
"""

from __future__ import annotations

import re
import unicodedata

from schemas import PageRecord, Phone

# C0/C1 controls (ESC included), bidi embeddings/overrides/isolates, line/paragraph separators.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]")


def terminal_safe(text: str, limit: int | None = None) -> str:
    """`text` with every control or direction-changing character shown as a visible escape."""
    safe = _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    if limit is not None and display_width(safe) > limit:
        safe = _truncate(safe, limit - 1) + "…"
    return safe


def display_width(text: str) -> int:
    """Terminal columns: CJK and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _truncate(text: str, width: int) -> str:
    used = 0
    for index, ch in enumerate(text):
        used += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used > width:
            return text[:index]
    return text


def _keep_tail(text: str, width: int) -> str:
    """A long path keeps its end (the file name), not its start."""
    if display_width(text) <= width:
        return text
    reversed_tail = _truncate(text[::-1], width - 1)
    return "…" + reversed_tail[::-1]


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


TABLE_COLUMNS = (("page", 40), ("enc", 8), ("phone", 20), ("kind", 15), ("n", 4), ("region", 14))


def table_header() -> str:
    return "  ".join(_pad(name, width) for name, width in TABLE_COLUMNS).rstrip()


def table_rows(record: PageRecord) -> list[str]:
    """One row per phone (or one row for a page with none), page text escaped."""
    page = _keep_tail(terminal_safe(record.source.path), TABLE_COLUMNS[0][1])
    first = [page, record.source.encoding]
    rows = []
    phones: list[Phone | None] = [*record.phones] or [None]
    for phone in phones:
        if phone is None:
            cells = [*first, "-", "", "", ""]
        else:
            number = phone.number + (f" x{phone.extension}" if phone.extension else "")
            cells = [*first, number, phone.kind, str(phone.count), phone.region or ""]
        cells = [terminal_safe(cell, limit=width) for cell, (_, width) in zip(cells, TABLE_COLUMNS)]
        rows.append("  ".join(_pad(cell, width) for cell, (_, width) in zip(cells, TABLE_COLUMNS)).rstrip())
        first = ["", ""]
    if record.brands or record.appliances:
        brands = ", ".join(f"{b.canonical or b.name} x{b.count}{'' if b.known else ' (discovered)'}" for b in record.brands) or "-"
        appliances = ", ".join(f"{a.name} x{a.count}" for a in record.appliances) or "-"
        rows.append("  " + terminal_safe(f"brands: {brands}; appliances: {appliances}"))
    if record.regions:
        distinct = {(r.adcode, r.county, r.town) for r in record.regions}
        provinces = {r.province for r in record.regions}
        rows.append(f"  regions: {len(record.regions)} mentions, {len(distinct)} distinct place(s) in {len(provinces)} province(s)")
    for warning in record.warnings:
        rows.append("  ! " + terminal_safe(f"{warning.code}: {warning.message}"))
    return rows
