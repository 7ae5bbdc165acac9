"""Scale-out, side by side in one run: `--jobs 1` against `--jobs 2`, Spark local[2] against the
CLI, and peak memory on a small and a large archive with workers.

    python bench/scale_bench.py [--pages 1000] [--archives 4] [--rounds 2] [--no-spark] [--big] [--json out.json]

1. Jobs: `--pages` seed-like HTML pages (bench/run.py's generator) as loose files, and the same
   pages in `--archives` `.warc.gz` files; `hotlines extract` with `--jobs 1` and `--jobs 2`,
   each a fresh process (start-up counted), alternating, best of `--rounds`, and the median of
   each round's own ratio (the machine's speed drifts between rounds). The outputs are
   checked byte-identical. Peak RSS of the parent and of the largest worker (getrusage of the
   children) per run.
2. Spark: `hotlines spark extract` over the same archives with `--master local[2]`, as a
   command (JVM and session start-up counted), and in one process with the session already
   started (the job alone, Python workers warm from a first run), against the CLI's `--jobs 2`
   over the same archives.
3. Memory: a ~100 MB `.warc.gz` (and with `--big` a ~1 GB one: minutes) through
   `hotlines extract --jobs 2`, peak RSS of the parent and of each worker.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from run import seed_like_pages  # noqa: E402
from warc_bench import as_html, write_sized, write_warcio  # noqa: E402

# Runs `hotlines ARGS` and prints peak RSS (KiB) of itself and of its largest waited-for child on stderr.
# Its own peak is VmHWM, the high-water mark of this program's own memory: getrusage's ru_maxrss
# carries over the peak of the process that started it (Linux keeps it across exec, and Python
# starts children with vfork), which here is this benchmark, holding the archives it wrote.
_MEASURED = """
import json, resource, sys
from hotlines.cli import main
code = main(sys.argv[1:])
try:
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("RUSAGE " + json.dumps({"self": peak,
                              "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}), file=sys.stderr)
sys.exit(code)
"""


def run_measured(args: list[str]) -> dict:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": ""}
    env.pop("PYTHONDONTWRITEBYTECODE")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURED, *args], capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"hotlines {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    usage = json.loads(next(line for line in done.stderr.splitlines() if line.startswith("RUSAGE "))[7:])
    return {"seconds": seconds, "parent_mib": usage["self"] / 1024, "worker_mib": usage["children"] / 1024}


def compare_jobs(inputs: list[str], out: Path, rounds: int, pages: int) -> dict:
    """Best of `rounds` for each, and the median of each round's own ratio: this machine's speed
    drifts by a third over minutes, and the two runs of a round see nearly the same machine."""
    best: dict[str, dict] = {}
    paired = []
    for round_ in range(rounds):
        seconds = {}
        for jobs in (("1", "2") if round_ % 2 == 0 else ("2", "1")):
            result = run_measured(["extract", "--no-progress", "--jobs", jobs, *inputs, "-o", str(out / f"jobs{jobs}.jsonl")])
            seconds[jobs] = result["seconds"]
            if jobs not in best or result["seconds"] < best[jobs]["seconds"]:
                best[jobs] = result
        paired.append(seconds["1"] / seconds["2"])
    identical = (out / "jobs1.jsonl").read_bytes() == (out / "jobs2.jsonl").read_bytes()
    return {
        "pages": pages,
        "jobs1_pages_per_s": pages / best["1"]["seconds"],
        "jobs2_pages_per_s": pages / best["2"]["seconds"],
        "speedup": best["1"]["seconds"] / best["2"]["seconds"],
        "paired_speedups": paired,
        "paired_speedup_median": statistics.median(paired),
        "jobs1": best["1"],
        "jobs2": best["2"],
        "identical_output": identical,
    }


def spark_figures(archives: list[str], out: Path, pages: int) -> dict:
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "hotlines", "spark", "extract", *archives, "--output", str(out / "spark-cli"), "--master", "local[2]"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    command_seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"spark extract failed:\n{done.stderr[-3000:]}")
    from hotlines.scale.spark import ExtractJob, start_session

    started = time.perf_counter()
    session = start_session("local[2]", local_ip=True)
    session_seconds = time.perf_counter() - started
    runs = []
    for index in range(2):  # the first also starts and warms the Python workers
        started = time.perf_counter()
        ExtractJob(archives, out / f"spark-{index}", partitions=len(archives)).run(session)
        runs.append(time.perf_counter() - started)
    session.stop()
    cli = min(run_measured(["extract", "--no-progress", "--jobs", "2", *archives, "-o", str(out / "cli2.jsonl")])["seconds"] for _ in range(2))
    return {
        "pages": pages,
        "spark_command_s": command_seconds,
        "spark_session_start_s": session_seconds,
        "spark_first_job_s": runs[0],
        "spark_warm_job_s": runs[1],
        "cli_jobs2_s": cli,
        "ratio_with_startup": command_seconds / cli,
        "ratio_without_startup": runs[1] / cli,
    }


def memory(out: Path, pool: list[bytes], sizes: list[int]) -> list[dict]:
    rows = []
    for target in sizes:
        archive = out / f"mem-{target >> 20}MB.warc.gz"
        records = write_sized(archive, target, pool)
        result = run_measured(["extract", "--no-progress", "--jobs", "2", str(archive), "-o", os.devnull])
        rows.append({"archive_mb": archive.stat().st_size / 1e6, "records": records, **result})
        archive.unlink()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--archives", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument("--big", action="store_true", help="also a ~1 GB archive for the memory figure")
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)
    pages = [as_html(page) for page in seed_like_pages(args.pages)]
    results: dict = {"cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="hotlines-scale-") as tmp:
        out = Path(tmp)
        loose = out / "pages"
        loose.mkdir()
        for index, page in enumerate(pages):
            (loose / f"{index:05d}.html").write_bytes(page)
        share = -(-len(pages) // args.archives)
        archives = []
        for index in range(args.archives):
            archive = out / f"crawl-{index}.warc.gz"
            write_warcio(archive, pages[index * share : (index + 1) * share], gzipped=True)
            archives.append(str(archive))
        results["jobs_loose"] = compare_jobs([str(loose)], out, args.rounds, len(pages))
        results["jobs_warc"] = compare_jobs(archives, out, args.rounds, len(pages))
        if not args.no_spark:
            results["spark"] = spark_figures(archives, out, len(pages))
        results["memory"] = memory(out, pages[:400], [100 * 2**20] + ([1024 * 2**20] if args.big else []))
    for name in ("jobs_loose", "jobs_warc"):
        r = results[name]
        print(
            f"{name:10}  --jobs 1 {r['jobs1_pages_per_s']:6.1f} pages/s   --jobs 2 {r['jobs2_pages_per_s']:6.1f} pages/s   "
            f"speed-up {r['speedup']:.2f}x best-of, {r['paired_speedup_median']:.2f}x median of rounds "
            f"({', '.join(f'{x:.2f}' for x in r['paired_speedups'])}) (goal >= 1.7x)   peak RSS parent {r['jobs2']['parent_mib']:.0f} MiB, "
            f"worker {r['jobs2']['worker_mib']:.0f} MiB (--jobs 1: {r['jobs1']['parent_mib']:.0f} MiB)   identical output: {r['identical_output']}"
        )
    if "spark" in results:
        s = results["spark"]
        print(
            f"spark       local[2] command {s['spark_command_s']:.1f} s (session start {s['spark_session_start_s']:.1f} s), "
            f"job in a warm session {s['spark_warm_job_s']:.1f} s (first {s['spark_first_job_s']:.1f} s); CLI --jobs 2 {s['cli_jobs2_s']:.1f} s; "
            f"Spark/CLI {s['ratio_with_startup']:.2f}x with start-up, {s['ratio_without_startup']:.2f}x without"
        )
    for row in results["memory"]:
        print(
            f"memory      {row['archive_mb']:7.0f} MB archive ({row['records']} records), --jobs 2: "
            f"peak RSS parent {row['parent_mib']:.0f} MiB, largest worker {row['worker_mib']:.0f} MiB, {row['seconds']:.0f} s"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
