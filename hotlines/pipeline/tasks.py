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
from functools import partial
from itertools import chain
from typing import Any

from hotlines.errors import InputError
from hotlines.pipeline.page import build_record
from hotlines.readers import DEFAULT_MAX_BYTES, InputRef, load_bytes, read_page
from hotlines.readers.files import archive_format
from hotlines.readers.archive import ArchiveRecord, ArchiveTally, SkippedRecord
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
            from hotlines.readers.warc import iter_archive

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
        from hotlines.readers.warc import archive_page

        page = archive_page(task)
        return build_record(
            page, include_text=include_text, url=task.url, warc_record_id=task.record_id, warc_offset=task.offset, fetched=task.date
        )
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
    jobs: int = 1,
    render: Callable[[PageRecord], Any] | None = None,
) -> Iterator[Any]:
    """Records of every page the inputs hold, in input order; `on_task` sees each task as its
    result comes in, before the record or the error.

    `jobs` > 1 builds pages in that many worker processes (`hotlines.scale.parallel`); the
    records, errors and counts come out exactly as with one. `render` (a module-level function,
    so that a worker can be given it) turns each record into what is yielded instead: its JSON
    line, table rows, a Parquet row. It runs where the record is built, so a worker sends back
    the rendered form, not the record (pickling a record costs more than building its JSON).
    """
    tasks = iter_page_tasks(inputs, on_error=on_error, tally=tally, max_bytes=max_bytes)
    work = partial(page_result, max_bytes=max_bytes, include_text=include_text, url=url, render=render)
    if jobs > 1:
        head, enough = _batch_head(tasks)
        tasks = chain(head, tasks)
        jobs = jobs if enough else 1  # a small batch is built here: nor imports the pool's modules
    if jobs > 1:
        from hotlines.pipeline.page import preload_for_workers, warm_up
        from hotlines.scale.parallel import ordered_map

        results = ordered_map(work, tasks, jobs=jobs, setup=warm_up, inline=_reads_stdin, prepare=preload_for_workers)
    else:
        results = ((task, _attempt(work, task)) for task in tasks)
    for task, result in results:
        if on_task is not None:
            on_task(task)
        if isinstance(result, SkippedRecord):
            tally.skip(result.skip)
        elif isinstance(result, InputError):
            on_error(result)
        elif isinstance(result, BaseException):
            raise result  # not an input's failure: a bug, reported as such
        else:
            if isinstance(task, ArchiveRecord):
                tally.pages += 1
            yield result


# Workers start only for a batch of at least this many pages, or this many bytes of pages.
# Starting them costs a few hundred ms on two cores (the tables loaded and frozen to be shared,
# the fork), which pages built in ~10 ms each pay back only from about 200 pages on (measured,
# when phonenumbers' whole geocoder was still loaded before the fork: --jobs 2 ran at 0.92x the
# speed of --jobs 1 on 128 seed-like HTML pages, 1.06x on 256); below that, one process is
# faster. Heavy pages (the bytes) pay it back sooner.
POOL_MIN_TASKS = 200
POOL_MIN_BYTES = 32 << 20


def _batch_head(tasks: Iterator[PageTask]) -> tuple[list[PageTask], bool]:
    """The first tasks, read until the batch is known to be worth workers (True) or ends (False)."""
    head: list[PageTask] = []
    size = 0
    for task in tasks:
        head.append(task)
        if isinstance(task, ArchiveRecord):
            size += len(task.body)
        elif task.path is not None:
            try:
                size += task.path.stat().st_size
            except OSError:
                pass  # reported when the task is built
        if len(head) >= POOL_MIN_TASKS or size >= POOL_MIN_BYTES:
            return head, True
    return head, False


def page_result(
    task: PageTask,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    include_text: bool = False,
    url: str | None = None,
    render: Callable[[PageRecord], Any] | None = None,
) -> Any:
    """`build_page_record`, rendered by `render` when given: what a worker returns."""
    record = build_page_record(task, max_bytes=max_bytes, include_text=include_text, url=url)
    return record if render is None else render(record)


def record_json(record: PageRecord) -> bytes:
    """A record as its JSONL line, UTF-8 (a `render` for `iter_page_records`).

    Bytes, as pydantic writes them, rather than `model_dump_json`'s str: a record is about
    100 KB of JSON, and a str would be decoded here, encoded again by pickle for the way back
    from a worker, decoded there and encoded once more on output. Bytes cross as they are,
    which takes a tenth of the parent's time per record with `--jobs`.
    """
    return record.__pydantic_serializer__.to_json(record)  # what model_dump_json decodes


def _attempt(work: Callable[[PageTask], Any], task: PageTask) -> Any:
    try:
        return work(task)
    except InputError as error:
        return error


def _reads_stdin(task: PageTask) -> bool:
    return isinstance(task, InputRef) and task.path is None
