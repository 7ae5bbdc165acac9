"""hotlines: fake after-sales hotline pages to validated, structured records.

The application layer: readers (bytes -> text), the page pipeline (text -> record) and the
CLI. Entity logic lives in `extractors`, the record contract in `schemas`.
"""

__version__ = "0.1.0"
