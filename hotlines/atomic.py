"""Outputs that appear whole or not at all, except where that cannot be: devices and pipes.

A file output (`-o FILE`, the report) is written to a sibling `FILE.partial` and renamed over
FILE at the end. An output that already exists and is no regular file, such as `/dev/null`,
`/dev/stdout` or a named pipe, is written in place instead: renaming over it would replace the
device or pipe with a file (as root, `-o /dev/null` would have destroyed /dev/null), and a
reader of the pipe would never see the records.
"""

from __future__ import annotations

import stat
from pathlib import Path


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
