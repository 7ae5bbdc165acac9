"""The `hotlines` command line: argument parsing (main), and how results are shown (render,
output, progress). Importing this package loads no extractor, model or database."""

from hotlines.cli.commands import DEFAULT_MAX_BYTES, entry_point, main

__all__ = ["DEFAULT_MAX_BYTES", "entry_point", "main"]
