"""The brand-to-phone index: one SQLite file of pages, numbers, brands and the links between them."""

from hotlines.index.store import (
    BuildSummary,
    Index,
    OfficialFileError,
    OfficialNumber,
    QueryError,
    connect,
    normalize_number,
    official_number,
    read_official_csv,
)

__all__ = [
    "BuildSummary",
    "Index",
    "OfficialFileError",
    "OfficialNumber",
    "QueryError",
    "connect",
    "normalize_number",
    "official_number",
    "read_official_csv",
]
