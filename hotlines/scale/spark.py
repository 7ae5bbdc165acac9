"""The Spark job: `hotlines spark extract INPUT... --output DIR`, crawl archives to Parquet on a cluster.

Modelled on cc-pyspark's jobs (a job class, a manifest of archive paths, `mapPartitions`
over them, accumulators for the counters, Parquet out), with hotlines' own per-page function:

    manifest of archives ──parallelize──> partitions of paths
        └─ mapPartitions(ExtractJob.process_partition)       on the executors
              each archive streamed through `iter_page_records` (the CLI's page tasks and
              `build_page_record`), tables loaded once per Python worker and kept (Spark
              reuses its Python workers), each record a row of the record schema
    ──> DIR/records   Parquet, the record schema (the Arrow schema `hotlines.parquet` derives
                      from the models, so `hotlines index build DIR/records` and `validate` read it)
    ──> DIR/links     Parquet: number, brand, appliance, pages, lines, first_seen, last_seen,
                      aggregated over the whole input (pages by content: one sha256 counts once)

INPUT is archive paths, directories, globs, or a manifest: a text file (optionally gzipped, as
Common Crawl's `warc.paths.gz`) listing archive paths one per line, relative ones taken from
the manifest's folder. Executors must see the same paths (a shared file system, or local mode).

Counters come back through accumulators (records read, pages, skipped by reason, failed inputs
and the first errors), read on the driver after the records are written: the records are
computed once, and the links are aggregated from what was written, so no task runs twice and
no counter counts twice (a retried task's counts can: Spark's accumulators in transformations
are at least once).

pyspark is the `spark` extra (`pip install 'hotlines[spark]'`); nothing here imports it at
module level, so the CLI's parser stays light.
"""

from __future__ import annotations

import glob
import gzip
import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from hotlines.readers import DEFAULT_MAX_BYTES
from hotlines.readers.files import archive_format

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

MAX_ERRORS_KEPT = 50  # error messages brought back to the driver; the count is always whole
LINK_COLUMNS = ("number", "brand", "appliance", "pages", "lines", "first_seen", "last_seen")


class SparkJobError(Exception):
    """The job cannot start as asked (no pyspark, no input, the output exists): one clear line."""


# --- inputs ---------------------------------------------------------------------------------


def expand_inputs(inputs: Iterable[str]) -> tuple[list[str], list[str]]:
    """(archive paths, problems): globs and directories expanded, manifests read, in order."""
    paths: list[str] = []
    problems: list[str] = []
    for given in inputs:
        matches = sorted(glob.glob(given)) if glob.has_magic(given) else [given]
        if not matches:
            problems.append(f"{given}: no file matches")
        for match in matches:
            path = Path(match)
            if path.is_dir():
                paths.extend(str(p) for p in sorted(path.rglob("*")) if p.is_file() and archive_format(p.name))
            elif not path.exists():
                problems.append(f"{match}: no such file or directory")
            elif archive_format(path.name):
                paths.append(match)
            else:
                listed, bad = _read_manifest(path)
                paths.extend(listed)
                problems.extend(bad)
    return paths, problems


def _read_manifest(path: Path) -> tuple[list[str], list[str]]:
    """A manifest's archive paths; a file that is not one is a problem naming it (and the line)."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    listed: list[str] = []
    try:
        with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
            for number, line in enumerate(handle, start=1):
                entry = line.strip()
                if not entry or entry.startswith("#"):
                    continue
                if not archive_format(entry):
                    return [], [f"{path}:{number}: not a crawl archive (.warc, .warc.gz, .arc, .arc.gz) nor a manifest listing them"]
                listed.append(entry if os.path.isabs(entry) else str(path.parent / entry))
    except (OSError, UnicodeDecodeError, EOFError) as error:
        return [], [f"{path}: not a manifest of archive paths ({error})"]
    if not listed:
        return [], [f"{path}: a manifest that lists no archive"]
    return listed, []


# --- the job --------------------------------------------------------------------------------


@dataclass
class JobSummary:
    archives: int = 0
    records: int = 0  # archive records read (pages and skips)
    pages: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    failed: int = 0  # inputs (archives) with at least one error
    errors: list[str] = field(default_factory=list)  # the first MAX_ERRORS_KEPT messages
    links: int = 0

    def lines(self) -> list[str]:
        from hotlines.readers import ArchiveTally

        tally = ArchiveTally(archives=self.archives, pages=self.pages, skipped=Counter(self.skipped))
        return [
            f"{tally.summary()}",
            f"{self.archives - self.failed} of {self.archives} archive(s) read whole, {self.failed} with errors; {self.links} link row(s)",
        ]


class ExtractJob:
    """One run: archives in, DIR/records and DIR/links out (`run`); `process_partition` on the executors."""

    name = "hotlines-extract"

    def __init__(self, paths: list[str], output: str | Path, *, partitions: int | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.paths = paths
        self.output = str(output).rstrip("/")  # a local path, or a URI Spark writes to (hdfs://, s3a://)
        self.partitions = partitions
        self.max_bytes = max_bytes

    def run(self, spark: SparkSession, *, overwrite: bool = False) -> JobSummary:
        records_dir, links_dir = f"{self.output}/records", f"{self.output}/links"
        local = "://" not in self.output  # elsewhere, Spark's own errorifexists says so
        if not overwrite and local and (os.path.exists(records_dir) or os.path.exists(links_dir)):
            raise SparkJobError(f"{self.output}: holds records or links already (--overwrite replaces them)")
        context = spark.sparkContext
        counters = _Counters(context)
        slices = self.partitions or min(len(self.paths), max(1, context.defaultParallelism) * 4)
        process = _PartitionTask(self.max_bytes, counters.accumulators)
        rows = context.parallelize(self.paths, numSlices=max(1, slices)).mapPartitions(process)
        records = spark.createDataFrame(rows, schema=record_spark_schema(), verifySchema=False)
        mode = "overwrite" if overwrite else "errorifexists"
        records.write.mode(mode).parquet(records_dir)
        summary = counters.summary(len(self.paths))  # read once the one action over the archives is done
        links = aggregate_links(spark.read.parquet(records_dir))
        links.write.mode(mode).parquet(links_dir)
        summary.links = spark.read.parquet(links_dir).count()
        return summary


def record_spark_schema() -> Any:
    """The record schema as Spark sees it: converted from the Arrow schema the models define
    (pyspark's own converter needs pandas; this needs nothing)."""
    from pyspark.sql import types as T

    from hotlines.parquet import arrow_schema

    return T.StructType([_spark_field(T, field) for field in arrow_schema()])


def _spark_field(T: Any, field: Any) -> Any:
    return T.StructField(field.name, _spark_type(T, field.type), nullable=field.nullable)


def _spark_type(T: Any, arrow: Any) -> Any:
    import pyarrow as pa

    if pa.types.is_struct(arrow):
        return T.StructType([_spark_field(T, arrow.field(i)) for i in range(arrow.num_fields)])
    if pa.types.is_list(arrow) or pa.types.is_large_list(arrow) or pa.types.is_fixed_size_list(arrow):
        return T.ArrayType(_spark_type(T, arrow.value_type), containsNull=arrow.value_field.nullable)
    scalars = {pa.string(): T.StringType(), pa.large_string(): T.StringType(), pa.int64(): T.LongType(),
               pa.int32(): T.IntegerType(), pa.float64(): T.DoubleType(), pa.bool_(): T.BooleanType()}  # fmt: skip
    if arrow in scalars:
        return scalars[arrow]
    raise TypeError(f"no Spark type for the Arrow type {arrow}")


def aggregate_links(records: DataFrame) -> DataFrame:
    """One row per (number, brand, appliance): distinct pages (by sha256), supporting lines summed
    over those pages, and the first and last capture dates (WARC-Date) of the pages."""
    from pyspark.sql import functions as F

    link = F.explode("links").alias("link")
    per_page = (
        records.select(F.col("source.sha256").alias("sha256"), F.col("source.fetched").alias("fetched"), link)
        .select("sha256", "fetched", F.col("link.phone").alias("number"), F.col("link.brand").alias("brand"),
                F.col("link.appliance").alias("appliance"), F.col("link.lines").alias("lines"))  # fmt: skip
        .groupBy("sha256", "number", "brand", "appliance")  # the same content twice is one page
        .agg(F.max("lines").alias("lines"), F.min("fetched").alias("first_fetched"), F.max("fetched").alias("last_fetched"))
    )
    return (
        per_page.groupBy("number", "brand", "appliance")
        .agg(
            F.count("*").alias("pages"),
            F.sum("lines").alias("lines"),
            F.min("first_fetched").alias("first_seen"),
            F.max("last_fetched").alias("last_seen"),
        )
        .select(*LINK_COLUMNS)
        .orderBy("number", "brand", F.col("appliance").asc_nulls_first())
    )


class _PartitionTask:
    """`mapPartitions`' function: picklable, holding only the options and the accumulators."""

    def __init__(self, max_bytes: int, accumulators: dict[str, Any]) -> None:
        self.max_bytes = max_bytes
        self.accumulators = accumulators

    def __call__(self, paths: Iterable[str]) -> Iterator[dict[str, Any]]:
        return process_partition(paths, max_bytes=self.max_bytes, accumulators=self.accumulators)


_warm = False  # per Python worker: tables loaded and frozen once, kept while Spark reuses the worker


def process_partition(paths: Iterable[str], *, max_bytes: int = DEFAULT_MAX_BYTES, accumulators: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """Every page of the partition's archives as a record row, streamed; counts into the accumulators.

    The same code path as `hotlines extract ARCHIVE`: `iter_page_records` over page tasks, each
    built by `build_page_record`.
    """
    global _warm
    from hotlines.errors import InputError
    from hotlines.parquet import record_row
    from hotlines.pipeline import warm_up
    from hotlines.pipeline.tasks import iter_page_records
    from hotlines.readers import ArchiveTally, InputRef

    if not _warm:
        warm_up()
        _warm = True
    for path in paths:
        tally = ArchiveTally()
        errors: list[str] = []

        def failed(error: InputError) -> None:  # names the archive, and the offset for a damaged record
            errors.append(str(error))

        results = iter_page_records([InputRef(path, Path(path))], on_error=failed, tally=tally, max_bytes=max_bytes, render=record_row)
        try:
            for row, _size in results:
                yield row
        finally:
            if accumulators is not None:
                accumulators["pages"].add(tally.pages)
                accumulators["skipped"].add(Counter(tally.skipped))
                accumulators["failed"].add(1 if errors else 0)
                accumulators["errors"].add(errors[:MAX_ERRORS_KEPT])


class _Counters:
    def __init__(self, context: Any) -> None:
        from pyspark.accumulators import AccumulatorParam

        class CounterParam(AccumulatorParam):  # type: ignore[misc, type-arg]
            def zero(self, value: Counter[str]) -> Counter[str]:
                return Counter()

            def addInPlace(self, one: Counter[str], other: Counter[str]) -> Counter[str]:
                one.update(other)
                return one

        class FirstErrors(AccumulatorParam):  # type: ignore[misc, type-arg]
            def zero(self, value: list[str]) -> list[str]:
                return []

            def addInPlace(self, one: list[str], other: list[str]) -> list[str]:
                return (one + other)[:MAX_ERRORS_KEPT]

        self.accumulators = {
            "pages": context.accumulator(0),
            "failed": context.accumulator(0),
            "skipped": context.accumulator(Counter(), CounterParam()),
            "errors": context.accumulator([], FirstErrors()),
        }

    def summary(self, archives: int) -> JobSummary:
        values = {name: accumulator.value for name, accumulator in self.accumulators.items()}
        skipped = Counter(values["skipped"])
        return JobSummary(
            archives=archives,
            records=values["pages"] + sum(skipped.values()),
            pages=values["pages"],
            skipped=skipped,
            failed=values["failed"],
            errors=list(values["errors"]),
        )


# --- the session and the command ------------------------------------------------------------


def start_session(master: str | None = None, *, app_name: str = ExtractJob.name, local_ip: bool = False) -> SparkSession:
    """A Spark session (`master` None: what spark-submit set, else local[*]); `local_ip` binds
    the driver to 127.0.0.1 (tests, a laptop without a resolvable hostname)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkJobError("the Spark job needs pyspark: pip install 'hotlines[spark]'") from None
    import warnings

    # pyspark imports its own test helpers, which warn about pandas 3 (cpca's dependency), a
    # pandas pyspark is never asked to use here.
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    if (master or "local").startswith("local") and "PYSPARK_PYTHON" not in os.environ:
        os.environ["PYSPARK_PYTHON"] = sys.executable  # local workers run this interpreter, which has hotlines
    builder = SparkSession.builder.appName(app_name).config("spark.ui.showConsoleProgress", "false")
    if master:
        builder = builder.master(master)
    elif "SPARK_HOME" not in os.environ and "PYSPARK_SUBMIT_ARGS" not in os.environ:
        builder = builder.master("local[*]")
    if local_ip:
        builder = builder.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")  # task failures still reach the driver as exceptions
    return session


def run_extract(
    inputs: list[str],
    output: str | Path,
    *,
    master: str | None = None,
    partitions: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    overwrite: bool = False,
    spark: SparkSession | None = None,
    err: TextIO | None = None,
) -> tuple[JobSummary, list[str]]:
    """Expand the inputs, run the job, print the counters on `err`; (summary, input problems)."""
    err = err or sys.stderr
    paths, problems = expand_inputs(inputs)
    if not paths:
        raise SparkJobError("no crawl archive among the inputs" + (f" ({problems[0]})" if problems else ""))
    session = spark or start_session(master)
    try:
        summary = ExtractJob(paths, output, partitions=partitions, max_bytes=max_bytes).run(session, overwrite=overwrite)
    except SparkJobError:
        raise
    except Exception as error:  # a Java or Python failure in the job: its first line, not a JVM trace
        first = next((line.strip() for line in str(error).splitlines() if line.strip()), type(error).__name__)
        raise SparkJobError(f"the Spark job failed: {first[:500]}") from error
    return summary, problems


def main(argv: list[str] | None = None) -> int:
    """`spark-submit …/hotlines/scale/spark.py INPUT... --output DIR`: the same as `hotlines spark extract`."""
    from hotlines.cli import main as cli_main

    return cli_main(["spark", "extract", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
