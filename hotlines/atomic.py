"""Outputs that appear whole or not at all, except where that cannot be: devices and pipes.

A file output (`-o FILE`, the report) is written to a sibling `FILE.partial` and renamed over
FILE at the end. An output that already exists and is no regular file, such as `/dev/null`,
`/dev/stdout` or a named pipe, is written in place instead: renaming over it would replace the
device or pipe with a file (as root, `-o /dev/null` would have destroyed /dev/null), and a
reader of the pipe would never see the records.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import IO, Any


def written_in_place(target: Path) -> bool:
    """True when `target` exists and is not a regular file (after symlinks): a device, a pipe, a socket."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode)


def partial_path(target: Path) -> Path:
    """Where `target` is written before it is renamed into place."""
    return target.with_name(target.name + ".partial")


def open_output(target: Path, mode: str, **options: Any) -> tuple[IO[Any], Path | None]:
    """`target` opened for writing: at its `.partial` sibling (returned too), or in place for a
    device or a pipe (None). `finish_output` puts it in place, `discard_output` drops it."""
    partial = None if written_in_place(target) else partial_path(target)
    return open(partial or target, mode, **options), partial  # noqa: SIM115 - the caller closes it


def finish_output(handle: IO[Any], target: Path, partial: Path | None) -> None:
    """Flush, close, and rename the `.partial` over `target` once it is on disk."""
    handle.flush()
    if partial is not None:
        os.fsync(handle.fileno())
    handle.close()
    if partial is not None:
        os.replace(partial, target)


def discard_output(partial: Path | None) -> None:
    """Remove an unfinished `.partial` (nothing to remove for an output written in place)."""
    if partial is not None:
        partial.unlink(missing_ok=True)
