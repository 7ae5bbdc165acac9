"""The `hotlines` command line.

Exit codes: 0 every input made a record; 1 some inputs failed (each named on stderr, the rest
of the batch done); 2 usage error or unusable output. 130 after Ctrl-C, with what was done kept.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from hotlines import __version__
from hotlines.errors import InputError
from hotlines.index import Index, QueryError, read_official_csv
from hotlines.output import LineSink
from hotlines.pipeline import extract_bytes, warm_up
from hotlines.progress import Progress
from hotlines.readers import DEFAULT_MAX_BYTES, InputRef, iter_inputs, load_bytes
from hotlines.records import RECORD_SUFFIXES, iter_records
from hotlines.validate import UnreadableInput, check_document, iter_documents, open_input
from hotlines.render import table_header, table_rows, terminal_safe
from schemas import PageRecord
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

    validate = commands.add_parser("validate", help="check records (JSONL or JSON) against the schema and its rules")
    validate.add_argument("paths", nargs="+", metavar="FILE", help="JSONL or JSON record files, - for stdin")
    validate.add_argument("--format", choices=("text", "json"), default="text", help="json: one JSON object per line")
    validate.set_defaults(run=_run_validate)

    index = commands.add_parser("index", help="the brand-to-phone index (SQLite)")
    index_commands = index.add_subparsers(dest="index_command", required=True, metavar="INDEX_COMMAND")
    build = index_commands.add_parser("build", help="add pages or JSONL records to an index")
    build.add_argument("paths", nargs="+", metavar="PATH", help="pages, directories, JSONL record files, - for stdin")
    build.add_argument("--batch-size", type=int, default=500, metavar="N", help="pages per committed transaction")
    build.add_argument("--official", metavar="CSV", help="known official numbers (columns brand,number)")
    build.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, metavar="N")
    build.add_argument("--no-progress", action="store_true")
    build.set_defaults(run=_run_index_build)
    brands = index_commands.add_parser("brands", help="which brands a number claims to serve")
    brands.add_argument("number", metavar="PHONE", help="any written form: 400-1865-909, +86 400 186 5909 …")
    brands.set_defaults(run=_run_index_brands)
    phones = index_commands.add_parser("phones", help="which numbers claim to be a brand's line")
    phones.add_argument("brand", metavar="BRAND", help="canonical or written name: 海尔, Haier, 昌尔特 …")
    phones.set_defaults(run=_run_index_phones)
    suspicious = index_commands.add_parser("suspicious", help="numbers tied to several distinct brands")
    suspicious.add_argument("--min-brands", type=int, default=2, metavar="N")
    suspicious.add_argument("--limit", type=int, metavar="N")
    suspicious.set_defaults(run=_run_index_suspicious)
    export = index_commands.add_parser("export", help="every link with its page and number")
    export.add_argument("--format", choices=("csv", "jsonl"), default="jsonl")
    export.add_argument("-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout")
    export.set_defaults(run=_run_index_export)
    official = index_commands.add_parser("official", help="load known official numbers (CSV: brand,number)")
    official.add_argument("csv", metavar="CSV")
    official.set_defaults(run=_run_index_official)
    for sub in (build, brands, phones, suspicious, export, official):
        sub.add_argument("--db", required=True, metavar="FILE", help="the index file (created by build)")
    for sub in (brands, phones, suspicious):
        sub.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("hotlines: interrupted; output written so far is kept", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (QueryError, FileNotFoundError) as error:
        print(f"hotlines: error: {terminal_safe(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except sqlite3.DatabaseError as error:
        print(f"hotlines: error: {terminal_safe(getattr(args, 'db', '?'))}: not a usable index ({error})", file=sys.stderr)
        return EXIT_USAGE
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
                if item.path is not None and item.path.suffix.lower() in RECORD_SUFFIXES:
                    raise InputError(item.name, "a file of records, not a page (use `hotlines validate` or `hotlines index build`)")
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


def _run_validate(args: argparse.Namespace) -> int:
    """Exit 0: every record valid; 1: some records invalid; 2: some input unreadable."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    records = invalid = unreadable = problems = 0
    for name in args.paths:
        try:
            handle = sys.stdin.buffer if name == "-" else open_input(name)
        except UnreadableInput as error:
            unreadable += 1
            print(f"hotlines: error: {terminal_safe(str(error))}", file=sys.stderr)
            continue
        shown = "<stdin>" if name == "-" else name
        with handle:
            for line, document in iter_documents(shown, handle):
                records += 1
                found = check_document(shown, line, document)
                invalid += bool(found)
                problems += len(found)
                for problem in found:
                    if args.format == "json":
                        print(json.dumps({"file": problem.file, "line": problem.line, "path": problem.path, "message": problem.message}, ensure_ascii=False))
                    else:
                        print(terminal_safe(str(problem)))
    summary = {"records": records, "valid": records - invalid, "invalid": invalid, "problems": problems, "unreadable_inputs": unreadable}
    if args.format == "json":
        print(json.dumps({"summary": summary}))
    print(
        f"hotlines: {records} record(s): {records - invalid} valid, {invalid} invalid ({problems} problem(s)); "
        f"{unreadable} unreadable input(s)",
        file=sys.stderr,
    )
    return EXIT_USAGE if unreadable else EXIT_PARTIAL if invalid else EXIT_OK


def _run_index_build(args: argparse.Namespace) -> int:
    failed = 0

    def report(error: InputError) -> None:
        nonlocal failed
        failed += 1
        progress.message(f"hotlines: error: {terminal_safe(str(error))}")

    progress = Progress(0, enabled=not args.no_progress, counting=True)
    warm_up()
    with Index(args.db) as index:
        if args.official:
            index.load_official(read_official_csv(args.official))
        records = iter_records(args.paths, report, max_bytes=args.max_bytes)
        try:
            summary = index.add_records(_counted(records, progress), batch_size=args.batch_size)
        finally:
            progress.close()
        stats = index.stats()
    print(
        f"hotlines: index {terminal_safe(args.db)}: {summary.added} page(s) added, {summary.replaced} replaced, "
        f"{summary.unchanged} already there, {failed} input(s) failed; now {stats['pages']} pages, "
        f"{stats['phones']} numbers, {stats['brands']} brands, {stats['links']} links",
        file=sys.stderr,
    )
    return EXIT_PARTIAL if failed else EXIT_OK


def _counted(records: Iterable[PageRecord], progress: Progress) -> Iterator[PageRecord]:
    for record in records:
        progress.step(record.source.path)
        yield record


def _query(args: argparse.Namespace, ask: Callable[[Index], Any], render: Callable[[Any], Iterable[str]]) -> int:
    """Open the index read-only, ask, and print JSON or text lines (page-derived text escaped)."""
    with Index(args.db, readonly=True) as index:
        result = ask(index)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for line in render(result):
            print(terminal_safe(line))
    return EXIT_OK


def _run_index_brands(args: argparse.Namespace) -> int:
    return _query(args, lambda index: index.brands_for_phone(args.number), _render_brands)


def _run_index_phones(args: argparse.Namespace) -> int:
    return _query(args, lambda index: index.phones_for_brand(args.brand), _render_phones)


def _run_index_suspicious(args: argparse.Namespace) -> int:
    return _query(args, lambda index: index.suspicious(args.min_brands, args.limit), lambda rows: _render_suspicious(rows, args.min_brands))


def _render_brands(result: dict[str, Any]) -> Iterator[str]:
    yield f"{result['number']} ({result['kind']}): on {result.get('pages', 0)} page(s), claims {len(result['brands'])} brand(s)"
    for row in result["brands"]:
        yield (
            f"  {row['brand']}{'' if row['known'] else ' (discovered)'}{' [official]' if row['official'] else ''}: "
            f"{row['pages']} page(s), {', '.join(row['appliances']) or '-'}, {row['first_seen']} .. {row['last_seen']}; "
            f"e.g. {', '.join(row['examples'])}"
        )


def _render_phones(result: dict[str, Any]) -> Iterator[str]:
    loaded = "" if result["has_official_numbers"] else " (no official numbers loaded)"
    yield f"{result['brand']}: {len(result['phones'])} number(s){loaded}"
    for row in result["phones"]:
        mark = " [official]" if row["official"] else (" [NOT OFFICIAL]" if row["flagged"] else "")
        yield (
            f"  {row['number']} ({row['kind']}){mark}: {row['pages']} page(s), also claims {row['brands'] - 1} other brand(s), "
            f"{row['first_seen']} .. {row['last_seen']}; e.g. {', '.join(row['examples'])}"
        )


def _render_suspicious(rows: list[dict[str, Any]], min_brands: int) -> Iterator[str]:
    yield f"{len(rows)} number(s) tied to at least {min_brands} brands"
    for row in rows:
        official = f" (official for {', '.join(row['official_for'])})" if row["official_for"] else ""
        yield f"{row['number']} ({row['kind']}): {row['brands']} brands on {row['pages']} page(s){official}"
        for e in row["evidence"]:
            yield f"    {e['brand']}{'' if e['known'] else ' (discovered)'}: {e['pages']} page(s), e.g. {e['example']}"


def _run_index_export(args: argparse.Namespace) -> int:
    with Index(args.db, readonly=True) as index, LineSink(args.output) as out:
        count = index.export(out.handle, args.format)
    print(f"hotlines: exported {count} link(s)", file=sys.stderr)
    return EXIT_OK


def _run_index_official(args: argparse.Namespace) -> int:
    with Index(args.db) as index:
        count = index.load_official(read_official_csv(args.csv))
    print(f"hotlines: {count} official number(s) loaded", file=sys.stderr)
    return EXIT_OK


def _suffix(ref: InputRef) -> str:
    return ref.path.suffix if ref.path is not None else ""


def entry_point() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry_point()
