"""`--jobs N`: worker processes, output in input order and byte for byte that of `--jobs 1`;
a worker that dies is an error naming its input, and the batch goes on."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from conftest import PAGES
from hotlines.cli import main
from hotlines.errors import InputError
from hotlines.pipeline import tasks
from hotlines.scale import usable_cores
from hotlines.scale.parallel import PREFETCH, REORDER, WorkerDied, ordered_map
from test_warc import CRAWL_PAGES, URL, _crawl, _series

FORK = "fork" in __import__("multiprocessing").get_all_start_methods()


@pytest.fixture(autouse=True)
def _workers_for_small_batches(request, monkeypatch) -> None:
    """These tests run batches of a few dozen pages: let them start workers, which real runs
    do only from `POOL_MIN_TASKS` pages on (tested below, with the real threshold)."""
    if "real_threshold" not in request.keywords:
        monkeypatch.setattr(tasks, "POOL_MIN_TASKS", 2)


def _run(capsys, *argv: str) -> tuple[int, str, list[str]]:
    code = main([*argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err.splitlines()


def _inputs(tmp_path: Path) -> list[str]:
    """Fixture pages, a crawl archive with every kind of record, a missing file and an empty one, mixed."""
    archive = _crawl(tmp_path / "crawl.warc.gz").path
    (tmp_path / "empty.txt").write_bytes(b"")
    pages = sorted(str(p) for p in PAGES.iterdir())
    return [pages[0], str(archive), str(tmp_path / "missing.txt"), *pages[1:6], str(tmp_path / "empty.txt"), *pages[6:]]


@pytest.mark.parametrize("fmt", ["jsonl", "table"])
def test_two_jobs_write_exactly_what_one_job_writes(tmp_path, capsys, fmt) -> None:
    inputs = _inputs(tmp_path)
    one = _run(capsys, "extract", "--no-progress", "--format", fmt, "--jobs", "1", *inputs)
    two = _run(capsys, "extract", "--no-progress", "--format", fmt, "--jobs", "2", *inputs)
    assert one[0] == two[0] == 1  # the missing and the empty input failed, the rest were extracted
    assert two[1] == one[1] and len(one[1].splitlines()) > len(CRAWL_PAGES) + 10
    assert sorted(two[2]) == sorted(one[2]), "the same errors and summary lines (errors may be reported earlier)"
    assert two[2][-1] == one[2][-1]


def test_two_jobs_write_the_same_parquet_records(tmp_path, capsys) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    inputs = _inputs(tmp_path)
    for jobs in ("1", "2"):
        assert main(["extract", "--no-progress", "--jobs", jobs, *inputs, "-o", str(tmp_path / f"r{jobs}.parquet")]) == 1
    assert pq.read_table(tmp_path / "r2.parquet").to_pylist() == pq.read_table(tmp_path / "r1.parquet").to_pylist()


def test_index_build_with_two_jobs_builds_the_same_index(tmp_path, capsys) -> None:
    inputs = _inputs(tmp_path)
    for jobs in ("1", "2"):
        assert main(["index", "build", "--no-progress", "--jobs", jobs, "--db", str(tmp_path / f"{jobs}.sqlite"), *inputs]) == 1
    dumps = []
    for jobs in ("1", "2"):
        with sqlite3.connect(tmp_path / f"{jobs}.sqlite") as db:
            dumps.append(
                db.execute(
                    "SELECT pages.sha256, pages.source, phones.number, brands.key, links.appliance, links.lines "
                    "FROM links JOIN pages ON pages.id = links.page_id JOIN phones ON phones.id = links.phone_id "
                    "JOIN brands ON brands.id = links.brand_id ORDER BY 1, 3, 4, 5"
                ).fetchall()
            )
    assert dumps[0] == dumps[1] and len(dumps[0]) > 10
    # Workers send back what the index keeps (index_entry): the service areas come as counts.
    areas, verdicts = [], []
    for jobs in ("1", "2"):
        with sqlite3.connect(tmp_path / f"{jobs}.sqlite") as db:
            areas.append(db.execute(
                "SELECT pages.sha256, page_regions.adcode, page_regions.count FROM page_regions"
                " JOIN pages ON pages.id = page_regions.page_id ORDER BY 1, 2"
            ).fetchall())  # fmt: skip
            verdicts.append(db.execute("SELECT sha256, verdict, verdict_score, verdict_reasons FROM pages ORDER BY 1").fetchall())
    assert areas[0] == areas[1] and len(areas[0]) > 500
    assert verdicts[0] == verdicts[1]


@pytest.mark.skipif(not FORK, reason="the crash is planted through a forked worker's copy of this process")
def test_a_worker_that_dies_is_an_error_naming_its_input_and_the_batch_goes_on(tmp_path, capsys, monkeypatch) -> None:
    series = _series(tmp_path / "crawl.warc.gz", count=12)
    fatal = f"{series.path}@{series.offsets['p4']}"
    build = tasks.build_page_record

    def crashing(task, **options):
        if task.name == fatal:
            os.kill(os.getpid(), signal.SIGKILL)  # what the OOM killer or a crash in native code does
        return build(task, **options)

    monkeypatch.setattr(tasks, "build_page_record", crashing)  # forked workers inherit it
    code, out, err = _run(capsys, "extract", "--no-progress", "--jobs", "2", str(series.path))
    assert code == 1
    urls = [line.split('"url":"', 1)[1].split('"', 1)[0] for line in out.splitlines()]
    assert urls == [URL.format(f"p{n}") for n in range(12) if n != 4], "every other page, in order"
    assert [line for line in err if "error" in line] == [
        f"hotlines: error: {fatal}: the worker process building this input died (killed by signal SIGKILL); the rest of the batch goes on"
    ]
    assert err[-1] == "hotlines: 0 of 1 input(s) extracted, 1 failed"


def _slow_square(n: int) -> int:
    time.sleep(0.002 * (n % 5))  # later tasks often finish first
    if n == 7:
        raise InputError(f"task {n}", "refused")
    return n * n


def test_results_come_in_task_order_with_exceptions_in_their_place() -> None:
    results = list(ordered_map(_slow_square, range(40), jobs=3))
    assert [task for task, _ in results] == list(range(40))
    assert [r for t, r in results if t != 7] == [n * n for n in range(40) if n != 7]
    error = results[7][1]
    assert isinstance(error, InputError) and str(error) == "task 7: refused"


def test_read_ahead_is_bounded() -> None:
    """The pool reads at most jobs * (PREFETCH + REORDER) tasks ahead of what it has yielded."""
    read: list[int] = []

    def counted():
        for n in range(200):
            read.append(n)
            yield n

    for task, _ in ordered_map(_slow_square, counted(), jobs=2):
        assert len(read) - task <= 2 * (PREFETCH + REORDER) + 1


@pytest.mark.real_threshold
def test_a_small_batch_is_built_in_this_process_and_a_large_one_by_workers(tmp_path, capsys, monkeypatch) -> None:
    """Starting workers costs a few hundred ms (tables loaded and frozen, the fork): a batch under
    POOL_MIN_TASKS pages and POOL_MIN_BYTES runs in one process, whatever --jobs says."""
    from hotlines.scale import parallel

    assert tasks.POOL_MIN_TASKS > 20 and tasks.POOL_MIN_BYTES > 1 << 20
    inputs = _inputs(tmp_path)  # fixture pages and a crawl archive: under both thresholds
    started: list[int] = []
    pool = parallel._Pool

    class Counting(pool):  # type: ignore[valid-type,misc]
        def __init__(self, *args, **kwargs) -> None:
            started.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(parallel, "_Pool", Counting)
    one = _run(capsys, "extract", "--no-progress", "--jobs", "1", *inputs)
    two = _run(capsys, "extract", "--no-progress", "--jobs", "2", *inputs)
    assert started == [] and two[1] == one[1]
    monkeypatch.setattr(tasks, "POOL_MIN_BYTES", 16 << 10)  # the same pages weigh enough now
    three = _run(capsys, "extract", "--no-progress", "--jobs", "2", *inputs)
    assert started == [1] and three[1] == one[1]


def test_one_job_or_one_task_starts_no_worker(monkeypatch) -> None:
    from hotlines.scale import parallel

    monkeypatch.setattr(parallel, "_Pool", None)  # any attempt to start workers fails
    assert list(ordered_map(abs, [-3], jobs=4)) == [(-3, 3)]
    assert list(ordered_map(abs, [-1, -2, -3], jobs=1)) == [(-1, 1), (-2, 2), (-3, 3)]


def test_worker_died_names_the_signal() -> None:
    assert "killed by signal SIGKILL" in str(WorkerDied("a.warc@10", -9))
    assert "exit code 3" in str(WorkerDied("a.txt", 3))


def test_jobs_default_to_the_usable_cores_and_must_be_positive(capsys) -> None:
    assert usable_cores() == len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else usable_cores() >= 1
    with pytest.raises(SystemExit) as exit_:
        main(["extract", "--jobs", "0", str(PAGES)])
    assert exit_.value.code == 2 and "must be at least 1" in capsys.readouterr().err


def _echo_large(data: bytes) -> bytes:
    return data + data  # a result larger than the task: both pipes fill


def test_large_tasks_and_large_results_do_not_deadlock_the_pipes() -> None:
    """Tasks and results far over a pipe's buffer (64 KiB) both ways: every one comes back."""
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError("the pool hung")))
    signal.alarm(60)
    try:
        tasks_ = [bytes([n]) * (3 * 2**20) for n in range(12)]
        results = [result for _, result in ordered_map(_echo_large, tasks_, jobs=2)]
    finally:
        signal.alarm(0)
    assert results == [t + t for t in tasks_]
