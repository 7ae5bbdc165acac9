"""The per-page pipeline: page -> normalized text -> entities -> one validated record.

`page.build_record` is the one per-page function: the CLI, the index build and (later) the
scale-out jobs all call it. `records` turns any input (pages, or JSONL records) into records.
"""

from hotlines.pipeline.page import build_record, extract_bytes, warm_up

__all__ = ["build_record", "extract_bytes", "warm_up"]
