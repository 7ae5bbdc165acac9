"""The anchor pipeline we measure against: phonenumbers' matcher plus cpca.transform.

cpca 0.5.5 imports `pkg_resources` at import time, which setuptools 81 removed. To measure the
anchor where only a new setuptools exists, `import_cpca` supplies the one function cpca uses.
"""

from __future__ import annotations

import importlib.resources
import re
import sys
import types
from typing import Any, BinaryIO

import phonenumbers

_LIST_LINE = re.compile(r"^[^\n]*、[^\n]*$", re.M)


def import_cpca() -> Any:
    """Import cpca, standing in for `pkg_resources.resource_stream` when setuptools lacks it."""
    try:
        import pkg_resources  # noqa: F401  (present with setuptools < 81)
    except ImportError:
        shim = types.ModuleType("pkg_resources")

        def resource_stream(package: str, resource: str) -> BinaryIO:
            return importlib.resources.files(package).joinpath(resource).open("rb")

        shim.resource_stream = resource_stream  # type: ignore[attr-defined]
        sys.modules["pkg_resources"] = shim
    import cpca

    return cpca


def region_items(text: str) -> list[str]:
    """The service-area list of a page, split into its "city+county" items."""
    return [item.strip() for line in _LIST_LINE.findall(text) for item in line.split("、") if item.strip()]


def anchor_page(text: str, cpca: Any) -> tuple[list[str], Any]:
    """What the anchor pipeline extracts from one page: E.164 numbers and a cpca table."""
    numbers = [
        phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        for match in phonenumbers.PhoneNumberMatcher(text, "CN")
    ]
    items = region_items(text)
    table = cpca.transform(items) if items else None
    return numbers, table
