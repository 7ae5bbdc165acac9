"""The `hotlines` command line.

Exit codes: 0 every input made a record; 1 some inputs failed (each named on stderr, the rest
of the batch done); 2 usage error, or an input or output the command cannot use at all (an
unwritable -o, an official file with bad rows, not an index; `validate`: an unreadable input).
130 after Ctrl-C, with what was done kept.

Start-up: building the parser imports nothing but argparse, so `hotlines --help` and
`--version` are instant. Each command imports what it needs (the extractors and their tables,
pydantic, sqlite3, phonenumbers) inside its run function.
"""

from __future__ import annotations

import argparse
import os
import sys

from hotlines import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (type checkers know the name)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from typing import Any

    from hotlines.index import Index
    from hotlines.cli.progress import Progress
    from hotlines.pipeline.tasks import PageTask
    from schemas import PageRecord

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
# hotlines.readers.DEFAULT_MAX_BYTES, repeated so the parser needs no reader (a test keeps them equal).
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
# From this many inputs on, `extract` calls `warm_up` (tables loaded, one full collection, then
# gc.freeze) so that the batch's collections skip the tables; below, the collector stays off.
WARM_UP_MIN_INPUTS = 20


def _parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser; for a known command in `argv`, with that command only.

    Each sub-parser costs about half a millisecond to build (argparse looks up its message
    catalogue every time), so a command builds its own alone; `--help`, an unknown command or
    none at all build them all, so that help and errors list every command.
    """
    parser = argparse.ArgumentParser(
        prog="hotlines",
        description="Turn fake after-sales hotline pages into validated, structured records.",
    )
    parser.add_argument("--version", action="version", version=f"hotlines {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    first = next((word for word in (sys.argv[1:] if argv is None else argv) if word != "--"), None)
    for name, add in _COMMANDS.items():
        if first not in _COMMANDS or first == name:
            add(commands)
    return parser


def _add_extract(commands: Any) -> None:
    extract = commands.add_parser("extract", help="extract one record per page (JSONL or a table)")
    extract.add_argument("paths", nargs="+", metavar="PATH", help="page files (.txt, .html), directories, or - for stdin")
    extract.add_argument("-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout; FILE.parquet: Parquet")
    extract.add_argument("--format", choices=("jsonl", "table", "parquet"), help="default: jsonl, or parquet for -o FILE.parquet")
    extract.add_argument("--include-text", action="store_true", help="include the extracted text spans point into")
    extract.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, metavar="N", help="refuse larger inputs (default: %(default)s)")
    extract.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    extract.add_argument("--url", metavar="URL", help="the page's URL, recorded as source.url (one page file or - only)")
    extract.add_argument("--jobs", "-j", type=_jobs, metavar="N", help="worker processes (default: the cores this process may use); output as with 1")
    extract.set_defaults(run=_run_extract, command_parser=extract)


def _add_schema(commands: Any) -> None:
    schema = commands.add_parser("schema", help="print the JSON Schema of a page record")
    schema.set_defaults(run=_run_schema)


def _add_validate(commands: Any) -> None:
    validate = commands.add_parser("validate", help="check records (JSONL, JSON or Parquet) against the schema and its rules")
    validate.add_argument("paths", nargs="+", metavar="FILE", help="JSONL, JSON or Parquet (.parquet) record files, - for stdin")
    validate.add_argument("--format", choices=("text", "json"), default="text", help="json: one JSON object per line")
    validate.set_defaults(run=_run_validate)


def _add_index(commands: Any) -> None:
    index = commands.add_parser("index", help="the brand-to-phone index (SQLite)")
    index_commands = index.add_subparsers(dest="index_command", required=True, metavar="INDEX_COMMAND")
    build = index_commands.add_parser("build", help="add pages or JSONL records to an index")
    build.add_argument("paths", nargs="+", metavar="PATH", help="pages, directories, JSONL record files, - for stdin")
    build.add_argument("--batch-size", type=int, default=500, metavar="N", help="pages per committed transaction")
    build.add_argument("--official", metavar="CSV", help="known official numbers (columns brand,number), loaded first; a bad file stops the build")
    build.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, metavar="N")
    build.add_argument("--no-progress", action="store_true")
    build.add_argument("--jobs", "-j", type=_jobs, metavar="N", help="worker processes extracting pages (default: the cores this process may use)")
    build.set_defaults(run=_run_index_build)
    brands = index_commands.add_parser("brands", help="which brands a number claims to serve")
    brands.add_argument("number", metavar="PHONE", help="any written form: 400-1865-909, +86 400 186 5909 …")
    brands.set_defaults(run=_run_index_brands)
    phones = index_commands.add_parser("phones", help="which numbers claim to be a brand's line")
    phones.add_argument("brand", metavar="BRAND", help="canonical or written name: 海尔, Haier, 昌尔特 …")
    phones.set_defaults(run=_run_index_phones)
    suspicious = index_commands.add_parser("suspicious", help="numbers tied to several distinct brands, riskiest first")
    suspicious.add_argument("--min-brands", type=int, default=2, metavar="N")
    suspicious.add_argument("--limit", type=int, metavar="N")
    suspicious.set_defaults(run=_run_index_suspicious)
    export = index_commands.add_parser("export", help="every link with its page and number")
    export.add_argument("--format", choices=("csv", "jsonl"), default="jsonl")
    export.add_argument("-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout")
    export.set_defaults(run=_run_index_export)
    official = index_commands.add_parser("official", help="load known official numbers (CSV: brand,number); all rows or none")
    official.add_argument("csv", metavar="CSV")
    official.set_defaults(run=_run_index_official)
    numbers = index_commands.add_parser("numbers", help="every number with its fraud risk, verdict and reasons, riskiest first")
    numbers.add_argument("--limit", type=int, metavar="N")
    numbers.add_argument("--verdict", choices=("fraud", "official", "unknown"), help="only numbers with this verdict")
    numbers.set_defaults(run=_run_index_numbers)
    score = index_commands.add_parser("score", help="recompute every number's risk (index build and index official do it at their end)")
    score.set_defaults(run=_run_index_score)
    for sub in (build, brands, phones, suspicious, export, official, numbers, score):
        sub.add_argument("--db", required=True, metavar="FILE", help="the index file (created by build)")
    for sub in (brands, phones, suspicious, numbers):
        sub.add_argument("--json", action="store_true", help="machine-readable output")


def _add_spark(commands: Any) -> None:
    spark = commands.add_parser("spark", help="run on Apache Spark (pip install 'hotlines[spark]')")
    spark_commands = spark.add_subparsers(dest="spark_command", required=True, metavar="SPARK_COMMAND")
    spark_extract = spark_commands.add_parser(
        "extract", help="crawl archives to DIR/records and DIR/links (Parquet)", description="The same per-page function as `hotlines extract`, in Spark tasks."
    )
    spark_extract.add_argument("inputs", nargs="+", metavar="INPUT", help="archives (.warc[.gz], .arc[.gz]), directories, globs, or a manifest listing archive paths")
    spark_extract.add_argument("--output", required=True, metavar="DIR", help="writes DIR/records and DIR/links (Parquet)")
    spark_extract.add_argument("--master", metavar="URL", help="Spark master (default: spark-submit's, else local[*])")
    spark_extract.add_argument("--partitions", type=_jobs, metavar="N", help="partitions of the archive list (default: 4 per core, at most one per archive)")
    spark_extract.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, metavar="N")
    spark_extract.add_argument("--overwrite", action="store_true", help="replace DIR/records and DIR/links if they exist")
    spark_extract.set_defaults(run=_run_spark_extract)


def _add_report(commands: Any) -> None:
    report = commands.add_parser("report", help="one self-contained offline HTML report of an index (numbers, dossiers, maps, graph)")
    report.add_argument("--db", required=True, metavar="FILE", help="the index file (created by index build)")
    report.add_argument("-o", "--output", required=True, metavar="FILE", help="the HTML file to write (atomically)")
    report.add_argument("--top", type=int, default=50, metavar="N", help="numbers with a row and a dossier; the rest are summarised (default: %(default)s)")
    report.add_argument("--number", metavar="PHONE", help="this number (any written form) and the numbers sharing a brand with it")
    report.add_argument("--brand", metavar="BRAND", help="the numbers claiming this brand (canonical or written name)")
    report.set_defaults(run=_run_report)


_COMMANDS = {
    "extract": _add_extract, "schema": _add_schema, "validate": _add_validate,
    "index": _add_index, "spark": _add_spark, "report": _add_report,
}  # fmt: skip


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of processes: {text!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {jobs}")
    return jobs


def _default_jobs(args: argparse.Namespace) -> int:
    """--jobs, else the cores this process may use."""
    if args.jobs is not None:
        return int(args.jobs)
    from hotlines.scale import usable_cores

    return usable_cores()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser(argv).parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("hotlines: interrupted; output written so far is kept", file=sys.stderr)
        return EXIT_INTERRUPTED
    except FileNotFoundError as error:
        print(f"hotlines: error: {_safe(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): not an error worth a trace
        return EXIT_OK


def _safe(text: str) -> str:
    from hotlines.cli.render import terminal_safe

    return terminal_safe(text)


def _run_schema(args: argparse.Namespace) -> int:
    from schemas.json_schema import page_record_json_schema_text

    sys.stdout.write(page_record_json_schema_text())
    return EXIT_OK


def _run_extract(args: argparse.Namespace) -> int:
    if args.url is not None:
        _check_one_page_for_url(args)
    _choose_output_format(args)
    import gc

    # Loading the models and tables creates hundreds of thousands of long-lived objects, and
    # every collection walks them all again: automatic ones while they load, and the one the
    # interpreter makes at exit (together some 50 ms of a one-page run). So the collector is
    # off while they load; a batch turns it back on once `warm_up` has frozen them, a few pages
    # (whose objects refcounting frees) run without it; and at the end whatever is left is
    # frozen, out of the way of any later collection, the one at exit included.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _extract(args, collecting)
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def _extract(args: argparse.Namespace, collecting: bool) -> int:
    import gc

    from hotlines.errors import InputError
    from hotlines.cli.output import LineSink
    from hotlines.pipeline import warm_up
    from hotlines.cli.progress import Progress
    from hotlines.pipeline.tasks import iter_page_records, record_json
    from hotlines.readers import ArchiveError, ArchiveTally, archive_format, iter_inputs
    from hotlines.cli.render import table_header, table_rows

    skipped: list[str] = []
    inputs = list(iter_inputs(args.paths, skipped))
    archives = sum(1 for item in inputs if not isinstance(item, InputError) and archive_format(item.name))
    if archives and args.url is not None:
        args.command_parser.error(f"--url is the address of one page, but {args.paths[0]} is a crawl archive, whose records carry their own URLs")
    jobs = _default_jobs(args) if args.url is None else 1
    if len(inputs) >= WARM_UP_MIN_INPUTS or archives:  # an archive holds many pages
        warm_up()  # also before workers are forked (a batch of POOL_MIN_TASKS pages), so that they share the loaded tables
        if collecting:
            gc.enable()
    progress = Progress(len(inputs), enabled=not args.no_progress, counting=bool(archives))
    tally = ArchiveTally()
    current: list[str] = []  # the page task being built

    def never_a_task(error: Exception) -> None:
        if isinstance(error, InputError) and error.name not in current:  # missing, a record file
            progress.step(error.name)

    report = _Failures(progress, ArchiveError, never_a_task)

    def started(task: PageTask) -> None:
        current[:] = [task.name]
        progress.step(task.name)
    try:
        if args.format == "parquet":
            from hotlines.parquet import ParquetError, ParquetSink, record_row

            try:
                sink = ParquetSink(args.output).__enter__()
            except ParquetError as error:  # no pyarrow
                print(f"hotlines: error: {_safe(str(error))}", file=sys.stderr)
                return EXIT_USAGE
        else:
            sink = LineSink(args.output)
            sink.__enter__()
    except OSError as error:
        print(f"hotlines: error: cannot write {_safe(str(args.output))}: {error.strerror or error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.format == "table":
            sink.write_line(table_header())
        # Each record is rendered where it is built (in a worker, with --jobs): JSON, table rows, a Parquet row.
        render = table_rows if args.format == "table" else record_row if args.format == "parquet" else record_json
        results = iter_page_records(
            inputs,
            on_error=report,
            tally=tally,
            max_bytes=args.max_bytes,
            include_text=args.include_text,
            url=args.url,
            on_task=started,
            jobs=jobs,
            render=render,
        )
        for result in results:
            if args.format == "table":
                for row in result:
                    sink.write_line(row)
            elif args.format == "parquet":
                sink.write_row(result)
            else:
                sink.write_line(result)
    finally:
        progress.close()
        sink.__exit__(None, None, None)
    if skipped:
        print(f"hotlines: skipped {len(skipped)} file(s) in directories that are not pages (.txt/.html), e.g. {_safe(skipped[0])}", file=sys.stderr)
    if archives:
        print(f"hotlines: {tally.summary()}", file=sys.stderr)
    total = len(inputs)
    print(f"hotlines: {total - report.count} of {total} input(s) extracted, {report.count} failed", file=sys.stderr)
    return EXIT_PARTIAL if report.count else EXIT_OK


def _choose_output_format(args: argparse.Namespace) -> None:
    """--format, else parquet for -o FILE.parquet, else jsonl. Parquet goes to a file only (usage error, exit 2)."""
    parser: argparse.ArgumentParser = args.command_parser
    to_parquet_file = bool(args.output) and args.output.lower().endswith(".parquet")
    if args.format is None:
        args.format = "parquet" if to_parquet_file else "jsonl"
    elif to_parquet_file and args.format != "parquet":
        parser.error(f"-o {args.output} names a Parquet file, but --format is {args.format}")
    if args.format == "parquet" and args.output in (None, "-"):
        parser.error("Parquet is written to a file, not to stdout: give -o FILE.parquet")


def _check_one_page_for_url(args: argparse.Namespace) -> None:
    """`--url` names one page: refuse several inputs or a directory (usage error, exit 2)."""
    import os.path

    parser: argparse.ArgumentParser = args.command_parser
    if len(args.paths) != 1:
        parser.error(f"--url is the address of one page, but {len(args.paths)} inputs were given; extract them one at a time")
    if os.path.isdir(args.paths[0]):
        parser.error(f"--url is the address of one page, but {args.paths[0]} is a directory; give one page file (or -)")
    if not args.url.strip():
        parser.error("--url is empty")


def _run_validate(args: argparse.Namespace) -> int:
    """Exit 0: every record valid; 1: some records invalid; 2: some input unreadable."""
    import json

    from hotlines.validate import UnreadableInput, check_document, read_documents

    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    records = invalid = unreadable = problems = 0
    for name in args.paths:
        shown = "<stdin>" if name == "-" else name
        try:
            for line, document in read_documents(name):  # line: a JSONL line, or a Parquet row
                records += 1
                found = check_document(shown, line, document)
                invalid += bool(found)
                problems += len(found)
                for problem in found:
                    if args.format == "json":
                        print(json.dumps({"file": problem.file, "line": problem.line, "path": problem.path, "message": problem.message}, ensure_ascii=False))
                    else:
                        print(_safe(str(problem)))
        except UnreadableInput as error:  # at the start, or part-way through a Parquet file
            unreadable += 1
            print(f"hotlines: error: {_safe(str(error))}", file=sys.stderr)
    summary = {"records": records, "valid": records - invalid, "invalid": invalid, "problems": problems, "unreadable_inputs": unreadable}
    if args.format == "json":
        print(json.dumps({"summary": summary}))
    print(
        f"hotlines: {records} record(s): {records - invalid} valid, {invalid} invalid ({problems} problem(s)); "
        f"{unreadable} unreadable input(s)",
        file=sys.stderr,
    )
    return EXIT_USAGE if unreadable else EXIT_PARTIAL if invalid else EXIT_OK


def _index_command(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """An `index` subcommand: its index errors become one clear line and exit 2."""

    def wrapped(args: argparse.Namespace) -> int:
        import sqlite3

        from hotlines.index import OfficialFileError, QueryError

        try:
            return run(args)
        except OfficialFileError as error:
            for problem in error.problems:
                print(f"hotlines: error: {_safe(problem)}", file=sys.stderr)
            print(f"hotlines: error: {_safe(error.source)}: {len(error.problems)} bad row(s); no official number loaded", file=sys.stderr)
            return EXIT_USAGE
        except QueryError as error:
            print(f"hotlines: error: {_safe(str(error))}", file=sys.stderr)
            return EXIT_USAGE
        except sqlite3.DatabaseError as error:
            print(f"hotlines: error: {_safe(args.db)}: not a usable index ({error})", file=sys.stderr)
            return EXIT_USAGE

    return wrapped


@_index_command
def _run_index_build(args: argparse.Namespace) -> int:
    from hotlines.index import Index, read_official_csv
    from hotlines.index.store import index_entry
    from hotlines.pipeline import warm_up
    from hotlines.cli.progress import Progress
    from hotlines.pipeline.records import iter_records
    from hotlines.readers import ArchiveError, ArchiveTally

    official = read_official_csv(args.official) if args.official else None  # all checked before any page is added
    tally = ArchiveTally()
    progress = Progress(0, enabled=not args.no_progress, counting=True)
    report = _Failures(progress, ArchiveError)
    warm_up()
    with Index(args.db) as index:
        if official is not None:
            index.load_official(official)
        jobs = _default_jobs(args)
        # With workers, each sends back what the index keeps of its record (index_entry), not the record.
        records = iter_records(args.paths, report, max_bytes=args.max_bytes, tally=tally, jobs=jobs, render=index_entry if jobs > 1 else None)
        try:
            summary = index.add_records(_counted(records, progress), batch_size=args.batch_size)
        finally:
            progress.close()
        scored = index.score()  # number risks over the whole graph, new pages included
        stats = index.stats()
    if tally.archives:
        print(f"hotlines: {tally.summary()}", file=sys.stderr)
    print(
        f"hotlines: index {_safe(args.db)}: {summary.added} page(s) added, {summary.replaced} replaced, "
        f"{summary.unchanged} already there, {report.count} input(s) failed; now {stats['pages']} pages, "
        f"{stats['phones']} numbers, {stats['brands']} brands, {stats['links']} links; {scored['numbers']} number(s) scored",
        file=sys.stderr,
    )
    return EXIT_PARTIAL if report.count else EXIT_OK


class _Failures:
    """Reports an input's error on stderr and counts failed inputs: a damaged archive counts once,
    however many of its records are damaged. `also` sees each error too (progress bookkeeping)."""

    def __init__(self, progress: Progress, archive_error: type, also: Callable[[Exception], None] | None = None) -> None:
        self.count = 0
        self._progress, self._archive_error, self._also = progress, archive_error, also
        self._archives: set[str] = set()

    def __call__(self, error: Exception) -> None:
        if isinstance(error, self._archive_error):
            self.count += error.archive not in self._archives  # type: ignore[attr-defined]
            self._archives.add(error.archive)  # type: ignore[attr-defined]
        else:
            self.count += 1
        if self._also is not None:
            self._also(error)
        self._progress.message(f"hotlines: error: {_safe(str(error))}")


def _counted(records: Iterable[Any], progress: Progress) -> Iterator[Any]:
    """Records, or (record, areas) entries, passed on with a progress step each."""
    for item in records:
        progress.step((item[0] if isinstance(item, tuple) else item).source.path)
        yield item


def _query(args: argparse.Namespace, ask: Callable[[Index], Any], render: Callable[[Any], Iterable[str]]) -> int:
    """Open the index read-only, ask, and print JSON or text lines (page-derived text escaped)."""
    import json

    from hotlines.index import Index

    with Index(args.db, readonly=True) as index:
        result = ask(index)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for line in render(result):
            print(_safe(line))
    return EXIT_OK


@_index_command
def _run_index_brands(args: argparse.Namespace) -> int:
    return _query(args, lambda index: index.brands_for_phone(args.number), _render_brands)


@_index_command
def _run_index_phones(args: argparse.Namespace) -> int:
    return _query(args, lambda index: index.phones_for_brand(args.brand), _render_phones)


@_index_command
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
        if not row["pages"]:  # an official line no page has tied to this brand
            claims = f", claimed for {row['brands']} other brand(s)" if row["brands"] else ""
            yield f"  {row['number']} ({row['kind']}){mark}: on no page for this brand{claims}"
            continue
        yield (
            f"  {row['number']} ({row['kind']}){mark}: {row['pages']} page(s), also claims {row['brands'] - 1} other brand(s), "
            f"{row['first_seen']} .. {row['last_seen']}; e.g. {', '.join(row['examples'])}"
        )


def _render_suspicious(rows: list[dict[str, Any]], min_brands: int) -> Iterator[str]:
    yield f"{len(rows)} number(s) tied to at least {min_brands} brands, riskiest first"
    for row in rows:
        official = f" (official for {', '.join(row['official_for'])})" if row["official_for"] else ""
        yield f"{row['number']} ({row['kind']}): risk {row['risk']:.2f} {row['verdict']}, {row['brands']} brands on {row['pages']} page(s){official}"
        for e in row["evidence"]:
            yield f"    {e['brand']}{'' if e['known'] else ' (discovered)'}: {e['pages']} page(s), e.g. {e['example']}"


@_index_command
def _run_index_export(args: argparse.Namespace) -> int:
    from hotlines.index import Index
    from hotlines.cli.output import LineSink

    with Index(args.db, readonly=True) as index, LineSink(args.output) as out:
        count = index.export(out.handle, args.format)
    print(f"hotlines: exported {count} link(s)", file=sys.stderr)
    return EXIT_OK


@_index_command
def _run_index_official(args: argparse.Namespace) -> int:
    from hotlines.index import Index, read_official_csv

    rows = read_official_csv(args.csv)  # every row checked before the index is opened
    with Index(args.db) as index:
        count = index.load_official(rows)
        index.score()
    print(f"hotlines: {count} official number(s) loaded; numbers rescored", file=sys.stderr)
    return EXIT_OK


@_index_command
def _run_report(args: argparse.Namespace) -> int:
    import os

    from hotlines.report import build_report

    if args.top < 1:
        print("hotlines: error: --top must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    try:
        summary = build_report(args.db, args.output, top=args.top, number=args.number, brand=args.brand)
    except OSError as error:
        if isinstance(error, FileNotFoundError) and not os.path.exists(args.db):
            raise
        print(f"hotlines: error: cannot write {_safe(str(args.output))}: {error.strerror or error}", file=sys.stderr)
        return EXIT_USAGE
    rest = f", {summary.summarised:,} more summarised" if summary.summarised else ""
    ranking = "risk" if summary.scored else "distinct brands (no verdicts in this index)"
    print(
        f"hotlines: report {_safe(str(summary.path))}: {summary.numbers} number(s) with dossiers{rest}, ranked by {ranking}; "
        f"{summary.bytes / 2**20:.1f} MiB",
        file=sys.stderr,
    )
    return EXIT_OK


@_index_command
def _run_index_numbers(args: argparse.Namespace) -> int:
    return _query(args, lambda index: index.numbers(args.verdict, args.limit), _render_numbers)


def _render_numbers(rows: list[dict[str, Any]]) -> Iterator[str]:
    yield f"{len(rows)} number(s), riskiest first"
    for row in rows:
        yield f"{row['number']} ({row['kind']}): risk {row['risk']:.2f} {row['verdict']}, {row['pages']} page(s)"
        for reason in row["reasons"]:
            yield f"    {reason}"


@_index_command
def _run_index_score(args: argparse.Namespace) -> int:
    import os.path
    import time

    from hotlines.index import Index

    if not os.path.isfile(args.db):
        raise FileNotFoundError(f"no index at {args.db}")
    started = time.perf_counter()
    with Index(args.db) as index:
        summary = index.score()
    print(
        f"hotlines: {summary['numbers']} number(s) scored in {time.perf_counter() - started:.1f} s "
        f"({summary['iterations']} iterations, last change {summary['change']:.1e})",
        file=sys.stderr,
    )
    return EXIT_OK


def _run_spark_extract(args: argparse.Namespace) -> int:
    """Exit 0: every archive read whole; 1: some inputs or records failed (named); 2: the job could not run."""
    from hotlines.scale.spark import SparkJobError, run_extract

    try:
        summary, problems = run_extract(
            args.inputs, args.output, master=args.master, partitions=args.partitions, max_bytes=args.max_bytes, overwrite=args.overwrite
        )
    except SparkJobError as error:
        print(f"hotlines: error: {_safe(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    for problem in problems + summary.errors:
        print(f"hotlines: error: {_safe(problem)}", file=sys.stderr)
    if summary.failed > len(summary.errors):
        print(f"hotlines: (errors after the first {len(summary.errors)} not shown)", file=sys.stderr)
    for line in summary.lines():
        print(f"hotlines: {line}", file=sys.stderr)
    print(f"hotlines: wrote {_safe(str(args.output))}/records and {_safe(str(args.output))}/links", file=sys.stderr)
    return EXIT_PARTIAL if problems or summary.failed else EXIT_OK


def entry_point() -> None:
    """The `hotlines` command. It turns pydantic's plugins off unless `PYDANTIC_DISABLE_PLUGINS`
    is already set (an empty value lets them load): looking for them reads the metadata of every
    installed distribution when the first model is built, at every start-up."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    sys.exit(main())


if __name__ == "__main__":
    entry_point()
