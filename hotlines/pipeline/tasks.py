"""Page tasks: from inputs (files, stdin, crawl archives) to records, in one place for every command.

A page task is one page to build: an `InputRef` (a page file or stdin, read when the task runs)
or an `ArchiveRecord` (a response already read from a crawl archive, its body in hand). Both
are small and picklable. Reading and building are apart so that they can run in different
places:

    tasks = iter_page_tasks(inputs, max_bytes=…, on_error=…, tally=…)   # reading: one process
    record = build_page_record(task, max_bytes=…)                       # per page: any worker

`iter_page_records` chains the two in this process; `hotlines extract` and `hotlines index
build` both use it, so an archive is read the same way by each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from hotlines.errors import InputError
from hotlines.pipeline.page import build_record
from hotlines.readers import DEFAULT_MAX_BYTES, InputRef, load_bytes, read_page
from hotlines.readers.files import archive_format
from hotlines.readers.warc import ArchiveRecord, ArchiveTally, SkippedRecord, archive_page, iter_archive
from schemas import PageRecord

PageTask = InputRef | ArchiveRecord


def iter_page_tasks(
    inputs: Iterable[InputRef | InputError],
    *,
    on_error: Callable[[InputError], None],
    tally: ArchiveTally,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[PageTask]:
    """One task per page: each page file as it is, each archive's pages streamed record by record.

    Errors (inputs that do not exist, damaged archive records) go to `on_error`; an archive's
    records that are not pages are counted in `tally`. A file of records (JSONL …) is no page:
    an error here (`hotlines index build` reads those before they reach page tasks).
    """
    from hotlines.pipeline.records import RECORD_SUFFIXES

    for item in inputs:
        if isinstance(item, InputError):
            on_error(item)
        elif item.path is not None and archive_format(item.name):
            tally.archives += 1
            yield from iter_archive(item.path, name=item.name, max_bytes=max_bytes, on_skip=tally.skip, on_error=on_error)
        elif item.path is not None and item.path.suffix.lower() in RECORD_SUFFIXES:
            on_error(InputError(item.name, "a file of records, not a page (use `hotlines validate` or `hotlines index build`)"))
        else:
            yield item


def build_page_record(
    task: PageTask, *, max_bytes: int = DEFAULT_MAX_BYTES, include_text: bool = False, url: str | None = None
) -> PageRecord:
    """The record of one page task (`url`: a page file's address; an archive record has its own).

    Raises `InputError` for a file that is not a page, `SkippedRecord` (an `InputError` too) for
    an archive response that is not one.
    """
    if isinstance(task, ArchiveRecord):
        page = archive_page(task)
        return build_record(page, include_text=include_text, url=task.url, warc_record_id=task.record_id, warc_offset=task.offset)
    data = load_bytes(task, max_bytes)
    page = read_page(task.name, data, task.path.suffix if task.path is not None else "")
    return build_record(page, include_text=include_text, url=url)


def iter_page_records(
    inputs: Iterable[InputRef | InputError],
    *,
    on_error: Callable[[InputError], None],
    tally: ArchiveTally,
    max_bytes: int = DEFAULT_MAX_BYTES,
    include_text: bool = False,
    url: str | None = None,
    on_task: Callable[[PageTask], None] | None = None,
) -> Iterator[PageRecord]:
    """Records of every page the inputs hold, in order; `on_task` sees each task before it is built."""
    for task in iter_page_tasks(inputs, on_error=on_error, tally=tally, max_bytes=max_bytes):
        if on_task is not None:
            on_task(task)
        try:
            record = build_page_record(task, max_bytes=max_bytes, include_text=include_text, url=url)
        except SkippedRecord as skipped:
            tally.skip(skipped.skip)
            continue
        except InputError as error:
            on_error(error)
            continue
        if isinstance(task, ArchiveRecord):
            tally.pages += 1
        yield record
