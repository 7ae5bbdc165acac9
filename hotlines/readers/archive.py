"""What reading a crawl archive yields, apart from the reader itself (`warc`).

An `ArchiveRecord` (one page-like HTTP response, its body decoded from its transfer and content
coding), the errors that name `ARCHIVE@OFFSET`, and the tally behind the summary line. These are
what the pipeline and the worker processes handle; the reader and FastWARC are imported only
when an archive is read, so a run over page files never loads them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from hotlines.errors import InputError

# Why a record is not a page, in the order a summary lists them.
SKIP_REASONS = (
    "request", "metadata", "revisit", "warcinfo", "resource", "conversion", "continuation", "filedesc",
    "unknown type", "not http", "not 200", "not text", "too large", "bad encoding", "empty", "undecodable",
)  # fmt: skip
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = HTML_TYPES | {"text/plain"}


class ArchiveRecord(NamedTuple):
    """One HTTP 200 response with an HTML or text body, its transfer and content coding undone."""

    archive: str  # the archive as given
    offset: int  # byte offset of the record in the archive (of its gzip member, when compressed)
    record_id: str | None  # WARC-Record-ID; None for ARC, which has none
    url: str | None  # WARC-Target-URI (the ARC header's URL)
    body: bytes  # the page's bytes, decoded from its transfer and content coding
    content_type: str | None  # the HTTP Content-Type's media type, lower case ('text/html')
    charset: str | None  # the HTTP Content-Type's charset, as written
    date: str | None = None  # when it was captured: WARC-Date (ISO 8601), or the ARC date made ISO

    @property
    def name(self) -> str:
        """`ARCHIVE@OFFSET`: how messages name the record."""
        return f"{self.archive}@{self.offset}"


class ArchiveError(InputError):
    """A truncated or corrupt record: names the archive and the offset where reading failed."""

    def __init__(self, archive: str, offset: int, reason: str) -> None:
        super().__init__(f"{archive}@{offset}", reason)
        self.archive = archive
        self.offset = offset

    def __reduce__(self) -> tuple[type, tuple[str, int, str]]:
        return type(self), (self.archive, self.offset, self.reason)


class SkippedRecord(InputError):
    """A response that turned out not to be a page (no visible text, binary, undecodable): a skip."""

    def __init__(self, archive: str, offset: int, skip: str, reason: str) -> None:
        super().__init__(f"{archive}@{offset}", reason)
        self.archive = archive
        self.offset = offset
        self.skip = skip  # one of SKIP_REASONS

    def __reduce__(self) -> tuple[type, tuple[str, int, str, str]]:
        return type(self), (self.archive, self.offset, self.skip, self.reason)


@dataclass(slots=True)
class ArchiveTally:
    """What a run made of its archives' records, for the one summary line.

    `iter_archive` counts the skips (`on_skip=tally.skip`); `pages` is counted by whoever builds
    the records (`pipeline.tasks`), as a response can still turn out to be no page there.
    Damaged records are errors, not in these counts.
    """

    archives: int = 0
    pages: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1

    def summary(self) -> str:
        """'12 records: 5 pages, 7 skipped (2 request, 1 metadata, …)'."""
        skipped = sum(self.skipped.values())
        order = {reason: index for index, reason in enumerate(SKIP_REASONS)}
        reasons = sorted(self.skipped.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
        detail = f" ({', '.join(f'{count} {reason}' for reason, count in reasons)})" if skipped else ""
        return f"{self.pages + skipped} records: {self.pages} pages, {skipped} skipped{detail}"
