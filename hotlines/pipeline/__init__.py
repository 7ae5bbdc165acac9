"""The per-page pipeline: page -> normalized text -> entities -> one validated record.

`page.build_record` is the one per-page function: the CLI, the index build and (later) the
scale-out jobs all call it. `tasks` turns inputs (page files, crawl archives) into page tasks
and those into records, for every command; `records` adds record files read back.
"""

from hotlines.pipeline.page import build_record, extract_bytes, warm_up

__all__ = ["build_record", "extract_bytes", "warm_up"]
