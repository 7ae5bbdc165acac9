"""Built tables kept on disk between runs, so that a short run does not rebuild them.

Building the division table and the region name index from their sources (cpca's table, our
CSVs) takes about 100 ms, most of a one-page run. The built objects are pickled once into the
user's cache directory and loaded in a fraction of that on later starts. The cache is keyed by
everything the build reads: each source file's path, size and modification time, the code
that builds it, and the Python version, so a changed table or a new release builds afresh.

Where the cache lives: `$HOTLINES_CACHE_DIR`, else `$XDG_CACHE_HOME/hotlines`, else
`~/.cache/hotlines`. Set `HOTLINES_CACHE_DIR=off` to build every time. An unwritable or
corrupt cache is never an error: the table is built as if there were none.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
_FORMAT = 1  # bump when the cache's own layout changes


def as_plain_tuple(row: tuple) -> tuple:  # type: ignore[type-arg]
    """`__reduce__` for the named tuples a cached table holds by the thousand: pickled as
    `tuple.__new__(cls, values)`, each loads in one C call rather than through the generated
    Python `__new__` of its class (about a sixth less time to load the region name index)."""
    return (tuple.__new__, (type(row), tuple(row)))


def cache_dir() -> Path | None:
    """The directory tables are cached in, or None when caching is off."""
    configured = os.environ.get("HOTLINES_CACHE_DIR")
    if configured:
        return None if configured.lower() in ("off", "0", "none") else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "hotlines"


def _key(name: str, sources: Iterable[Path]) -> str:
    digest = hashlib.sha256(f"{_FORMAT}|{name}|{sys.version}".encode())
    for source in sources:
        try:
            stat = source.stat()
            digest.update(f"|{source}|{stat.st_size}|{stat.st_mtime_ns}".encode())
        except OSError:
            digest.update(f"|{source}|missing".encode())
    return digest.hexdigest()[:24]


def cached(name: str, sources: Iterable[Path], build: Callable[[], T]) -> T:
    """`build()`, or what an earlier run built from the same sources."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{_key(name, sources)}.pickle"
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)  # noqa: S301 - our own cache, in the user's own directory
    except FileNotFoundError:
        pass
    except Exception:  # a truncated or stale file: build afresh and replace it
        pass
    value = build()
    _store(folder, path, name, value)
    return value


def _store(folder: Path, path: Path, name: str, value: object) -> None:
    temporary: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}-")
        with os.fdopen(descriptor, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        for old in folder.glob(f"{name}-*.pickle"):
            old.unlink(missing_ok=True)  # one version per table: the cache does not grow
        os.replace(temporary, path)
        temporary = None
    except (OSError, pickle.PicklingError, RecursionError, TypeError):
        return
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
