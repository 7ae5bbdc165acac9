"""Entity extractors: pure functions from a page's text to entities with spans into that text.

One module per entity kind; each takes a `NormalizedText` (or a plain string) and returns
schema objects. No files, no CLI: the application in `hotlines/` composes them.
"""

from extractors.normalize import NormalizedText, normalize
from extractors.phones import extract_phones, find_phone_mentions
from extractors.regions import distinct_regions, extract_regions

__all__ = ["NormalizedText", "distinct_regions", "extract_phones", "extract_regions", "find_phone_mentions", "normalize"]
