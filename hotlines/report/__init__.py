"""The analyst report: one self-contained, offline HTML file per investigation.

    from hotlines.report import build_report
    build_report("index.sqlite", "report.html", top=50)             # the 50 riskiest numbers
    build_report("index.sqlite", "one.html", number="400-1865-909")  # one number and its neighbours
    build_report("index.sqlite", "brand.html", brand="海尔")          # the numbers claiming a brand

The file holds an overview, the ranked numbers (sortable, filterable), a dossier per number
(brands and appliances, example pages, the claimed service area on a map, the reasons) and an
interactive brand–phone graph. plotly.js is embedded; opening it makes no network request.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from hotlines.atomic import discard_output, finish_output, open_output

__all__ = ["ReportSummary", "build_report"]


@dataclass(frozen=True)
class ReportSummary:
    path: Path
    numbers: int  # numbers with a row and a dossier
    summarised: int  # numbers in scope past --top, counted only
    scored: bool  # ranked by the index's risk scores (else by distinct brands)
    bytes: int


def build_report(
    db_path: str | os.PathLike[str], out_path: str | os.PathLike[str], *, top: int = 50, number: str | None = None, brand: str | None = None
) -> ReportSummary:
    """Write the report for the index at `db_path` to `out_path` (atomically: whole or not at all).

    Raises `hotlines.index.QueryError` for a number or brand the index does not hold, and
    FileNotFoundError when there is no index at `db_path`.
    """
    from hotlines.report.data import collect
    from hotlines.report.render import render

    data = collect(db_path, top=top, number=number, brand=brand)
    text = render(data).encode("utf-8")
    target = Path(out_path)
    handle, partial = open_output(target, "wb")
    try:
        handle.write(text)
        finish_output(handle, target, partial)
    except BaseException:
        handle.close()
        discard_output(partial)
        raise
    return ReportSummary(target, len(data.numbers), int(data.rest.get("count") or 0), data.scored, len(text))
