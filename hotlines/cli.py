"""The `hotlines` command line.

Exit codes: 0 every input made a record; 1 some inputs failed (each named on stderr, the rest
of the batch done); 2 usage error or unusable output. 130 after Ctrl-C, with what was done kept.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from hotlines import __version__
from hotlines.errors import InputError
from hotlines.output import LineSink
from hotlines.pipeline import extract_bytes, warm_up
from hotlines.progress import Progress
from hotlines.readers import DEFAULT_MAX_BYTES, InputRef, iter_inputs, load_bytes
from hotlines.render import table_header, table_rows, terminal_safe
from schemas.json_schema import page_record_json_schema_text

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotlines",
        description="Turn fake after-sales hotline pages into validated, structured records.",
    )
    parser.add_argument("--version", action="version", version=f"hotlines {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    extract = commands.add_parser("extract", help="extract one record per page (JSONL or a table)")
    extract.add_argument("paths", nargs="+", metavar="PATH", help="page files (.txt, .html), directories, or - for stdin")
    extract.add_argument("-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout")
    extract.add_argument("--format", choices=("jsonl", "table"), default="jsonl")
    extract.add_argument("--include-text", action="store_true", help="include the extracted text spans point into")
    extract.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, metavar="N", help="refuse larger inputs (default: %(default)s)")
    extract.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    extract.set_defaults(run=_run_extract)

    schema = commands.add_parser("schema", help="print the JSON Schema of a page record")
    schema.set_defaults(run=_run_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("hotlines: interrupted; output written so far is kept", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): not an error worth a trace
        return EXIT_OK


def _run_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(page_record_json_schema_text())
    return EXIT_OK


def _run_extract(args: argparse.Namespace) -> int:
    skipped: list[str] = []
    inputs = list(iter_inputs(args.paths, skipped))
    warm_up()
    failed = 0
    progress = Progress(len(inputs), enabled=not args.no_progress)
    try:
        sink = LineSink(args.output)
        sink.__enter__()
    except OSError as error:
        print(f"hotlines: error: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.format == "table":
            sink.write_line(table_header())
        for item in inputs:
            progress.step(item.name)
            try:
                if isinstance(item, InputError):
                    raise item
                record = extract_bytes(
                    item.name,
                    load_bytes(item, args.max_bytes),
                    suffix=_suffix(item),
                    include_text=args.include_text,
                )
            except InputError as error:
                failed += 1
                progress.message(f"hotlines: error: {terminal_safe(str(error))}")
                continue
            if args.format == "table":
                for row in table_rows(record):
                    sink.write_line(row)
            else:
                sink.write_line(record.model_dump_json())
    finally:
        progress.close()
        sink.__exit__(None, None, None)
    if skipped:
        print(f"hotlines: skipped {len(skipped)} file(s) in directories that are not pages (.txt/.html), e.g. {terminal_safe(skipped[0])}", file=sys.stderr)
    total = len(inputs)
    print(f"hotlines: {total - failed} of {total} input(s) extracted, {failed} failed", file=sys.stderr)
    return EXIT_PARTIAL if failed else EXIT_OK


def _suffix(ref: InputRef) -> str:
    return ref.path.suffix if ref.path is not None else ""


def entry_point() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry_point()
