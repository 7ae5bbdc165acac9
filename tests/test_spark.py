"""The Spark job, run for real in local mode (local[2], UI off, driver on 127.0.0.1), one session
shared by every test: its records and links are the CLI's, its counters are the CLI's summary."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="the spark extra (pip install 'hotlines[spark]') is not installed")

from hotlines.cli import main
from hotlines.scale.spark import LINK_COLUMNS, expand_inputs
from test_warc import CRAWL_SUMMARY, _crawl, _series


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("hotlines-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def crawl(tmp_path_factory, spark):
    """Two archives (every kind of record; a series sharing a number across pages), the CLI's
    records and index of them, and the Spark job's output."""
    root = tmp_path_factory.mktemp("crawl")
    first = _crawl(root / "first.warc.gz").path
    second = _series(root / "second.warc.gz", count=9).path
    cli_records = root / "cli.jsonl"
    assert main(["extract", "--no-progress", str(first), str(second), "-o", str(cli_records)]) == 0
    assert main(["index", "build", "--no-progress", "--db", str(root / "cli.sqlite"), str(first), str(second)]) == 0
    manifest = root / "archives.paths"
    manifest.write_text(f"# the cc-pyspark convention: one path a line\n{first.name}\n\n{second}\n")
    return root, first, second, cli_records, manifest


def _spark_records(out: Path) -> list[dict]:
    import pyarrow.parquet as pq

    from schemas import PageRecord

    rows = pq.read_table(out / "records").to_pylist()
    return [PageRecord.model_validate(row).model_dump(mode="json") for row in rows]


def _key(record: dict) -> tuple[str, int]:
    return record["source"]["path"], record["source"]["warc_offset"]


def test_a_local_run_over_two_archives_gives_the_cli_records_and_counters(crawl, capsys) -> None:
    root, first, second, cli_records, manifest = crawl
    out = root / "spark-out"
    assert main(["spark", "extract", str(manifest), "--output", str(out), "--partitions", "2"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert "hotlines: 24 records: 17 pages, 7 skipped (2 request, 1 metadata, 1 revisit, 1 warcinfo, 1 not 200, 1 not text)" in err
    assert CRAWL_SUMMARY.startswith("15 records: 8 pages")  # the first archive's share, as the CLI counts it
    ours = sorted(_spark_records(out), key=_key)
    cli = sorted((json.loads(line) for line in cli_records.read_text().splitlines()), key=_key)
    assert len(ours) == 17 and ours == cli
    assert all(r["source"]["fetched"] for r in ours), "WARC-Date of every capture"


def test_links_are_the_cli_index_links_aggregated(crawl, spark) -> None:
    root = crawl[0]
    out = root / "spark-out"
    if not (out / "links").exists():
        pytest.skip("needs the run of the test before")
    links = spark.read.parquet(str(out / "links"))
    assert tuple(links.columns) == LINK_COLUMNS
    ours = {(r["number"], r["brand"], r["appliance"] or ""): (r["pages"], r["lines"]) for r in links.collect()}
    expected: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    with sqlite3.connect(root / "cli.sqlite") as db:
        for number, brand, appliance, lines in db.execute(
            "SELECT ph.number, b.key, l.appliance, l.lines FROM links l JOIN phones ph ON ph.id = l.phone_id JOIN brands b ON b.id = l.brand_id"
        ):
            expected[(number, brand, appliance)][0] += 1
            expected[(number, brand, appliance)][1] += lines
    assert ours == {key: tuple(value) for key, value in expected.items()} and len(ours) > 10
    dates = links.select("first_seen", "last_seen").collect()
    assert all(row["first_seen"] <= row["last_seen"] for row in dates)


def test_index_build_loads_the_spark_records(crawl, capsys) -> None:
    root = crawl[0]
    out = root / "spark-out"
    if not (out / "records").exists():
        pytest.skip("needs the first run")
    db = root / "from-spark.sqlite"
    assert main(["index", "build", "--no-progress", "--db", str(db), str(out / "records")]) == 0
    assert "17 page(s) added" in capsys.readouterr().err
    with sqlite3.connect(db) as ours, sqlite3.connect(root / "cli.sqlite") as cli:
        query = "SELECT p.sha256, ph.number FROM page_phones pp JOIN pages p ON p.id = pp.page_id JOIN phones ph ON ph.id = pp.phone_id ORDER BY 1, 2"
        assert ours.execute(query).fetchall() == cli.execute(query).fetchall()
    assert main(["validate", str(next((out / "records").glob("*.parquet")))]) == 0


def test_damage_is_counted_and_named_and_the_rest_is_kept(tmp_path, capsys, spark) -> None:
    series = _series(tmp_path / "damaged.warc.gz", count=5)
    data = bytearray(series.path.read_bytes())
    start = series.offsets["p2"]
    data[start + 30 : start + 60] = b"\xaa" * 30
    series.path.write_bytes(bytes(data))
    out = tmp_path / "out"
    assert main(["spark", "extract", str(series.path), str(tmp_path / "missing.warc.gz"), "--output", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"hotlines: error: {tmp_path / 'missing.warc.gz'}: no such file or directory" in err
    assert f"hotlines: error: {series.path}@{start}: corrupt record" in err
    assert "1 of 1 archive(s) read whole" not in err and "0 of 1 archive(s) read whole, 1 with errors" in err
    assert len(_spark_records(out)) == 4


def test_an_existing_output_is_not_overwritten_unless_asked(tmp_path, capsys, spark) -> None:
    archive = _series(tmp_path / "a.warc.gz", count=2).path
    out = tmp_path / "out"
    assert main(["spark", "extract", str(archive), "--output", str(out)]) == 0
    assert main(["spark", "extract", str(archive), "--output", str(out)]) == 2
    assert "holds records or links already (--overwrite replaces them)" in capsys.readouterr().err
    assert main(["spark", "extract", str(archive), "--output", str(out), "--overwrite"]) == 0


def test_inputs_globs_directories_and_manifests(tmp_path) -> None:
    for name in ("a.warc.gz", "b.warc", "sub/c.arc.gz"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    listed = tmp_path / "warc.paths.gz"
    with gzip.open(listed, "wt") as handle:
        handle.write("a.warc.gz\nsub/c.arc.gz\n")
    (tmp_path / "notes.txt").write_text("not a list of archives\n")
    paths, problems = expand_inputs([str(tmp_path / "*.warc*"), str(listed), str(tmp_path / "sub"), str(tmp_path / "notes.txt"), str(tmp_path / "z*.warc")])
    assert paths == [str(tmp_path / "a.warc.gz"), str(tmp_path / "b.warc"), str(tmp_path / "a.warc.gz"), str(tmp_path / "sub/c.arc.gz"), str(tmp_path / "sub/c.arc.gz")]
    assert problems == [f"{tmp_path / 'notes.txt'}:1: not a crawl archive (.warc, .warc.gz, .arc, .arc.gz) nor a manifest listing them", f"{tmp_path / 'z*.warc'}: no file matches"]


def test_no_archive_at_all_is_a_usage_error(tmp_path, capsys) -> None:
    assert main(["spark", "extract", str(tmp_path / "none*.warc.gz"), "--output", str(tmp_path / "out")]) == 2
    assert "no crawl archive among the inputs" in capsys.readouterr().err
