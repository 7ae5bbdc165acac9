"""The analyst report on the 100,000-page index: build time, file size, peak memory.

    python bench/report_bench.py [--pages 100000] [--top 50] [--runs 3] [--db INDEX] [--keep DIR] [--json FILE]

The index is made as bench/index_bench.py makes it (bench/corpus.py's records, built by
`hotlines index build` in a child process). Those records name no region, so each page is then
given a claimed service area straight in `page_regions`, as a build from real pages would
write it: 30 % of pages name none, the rest 30 to 400 distinct places (the seed pages name
about 370), taken from 300 recurring service-area lists, as spam sites reuse theirs. Then
`hotlines report` runs in a child process, `--runs` times; the budget is 10 s and 10 MB.
`--db INDEX` reports on an existing index instead (nothing is added to it).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

BUDGET_SECONDS, BUDGET_BYTES = 10.0, 10 * 10**6


def build_index(work: Path, pages: int) -> Path:
    import corpus

    records = corpus.write_jsonl(work / "corpus.jsonl", pages)
    db = work / "index.sqlite"
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "hotlines", "index", "build", str(records), "--db", str(db), "--no-progress"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    print(f"index of {pages:,} pages built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return db


def add_service_areas(db: Path, seed: int = 5) -> dict[str, int]:
    """Give every page a claimed service area in page_regions; returns row counts."""
    from extractors.divisions import division_table

    rng = random.Random(seed)
    units = division_table().units.values()
    by_province: dict[str, list[int]] = {}
    for unit in units:
        if unit.level != "province":
            by_province.setdefault(unit.province, []).append(int(unit.adcode))
    provinces = sorted(by_province)
    lists = []
    for _ in range(300):
        size = rng.randint(30, 400)
        chosen = rng.sample(provinces, rng.randint(3, len(provinces)))
        pool = sorted({code for province in chosen for code in by_province[province]})
        lists.append(rng.sample(pool, min(size, len(pool))))
    started = time.perf_counter()
    connection = sqlite3.connect(db)
    page_ids = [row[0] for row in connection.execute("SELECT id FROM pages ORDER BY id")]
    rows = 0
    with connection:
        connection.execute("DELETE FROM page_regions")
        for page_id in page_ids:
            if rng.random() < 0.3:
                continue
            area = rng.choice(lists)
            connection.executemany(
                "INSERT INTO page_regions VALUES (?, ?, ?)", [(page_id, code, 1 + (rng.random() < 0.1)) for code in area]
            )
            rows += len(area)
    connection.close()
    print(f"{rows:,} page_regions rows added in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return {"page_regions_rows": rows, "pages": len(page_ids)}


def report(db: Path, out: Path, top: int) -> tuple[float, int]:
    """(seconds, peak RSS MiB) of one `hotlines report` child process."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "hotlines", "report", "--db", str(db), "-o", str(out), "--top", str(top)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", type=Path, help="report on this index as it is")
    parser.add_argument("--keep", type=Path, help="build the index and the report in this folder and keep them")
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        work = args.keep or Path(folder)
        work.mkdir(parents=True, exist_ok=True)
        figures: dict[str, object] = {}
        if args.db:
            db = args.db
        else:
            db = build_index(work, args.pages)
            figures.update(add_service_areas(db))
        out = work / "report.html"
        times = []
        for _ in range(args.runs):
            seconds, rss = report(db, out, args.top)
            times.append(seconds)
        size = out.stat().st_size
        with sqlite3.connect(db) as connection:
            figures["index_pages"] = connection.execute("SELECT count(*) FROM pages").fetchone()[0]
        figures.update({
            "top": args.top,
            "report_seconds_median": round(statistics.median(times), 2),
            "report_seconds_runs": [round(t, 2) for t in times],
            "report_bytes": size,
            "report_mb": round(size / 10**6, 2),
            "report_peak_rss_mib": rss,
            "within_budget": statistics.median(times) <= BUDGET_SECONDS and size <= BUDGET_BYTES,
        })
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0 if figures["within_budget"] else 1


if __name__ == "__main__":
    sys.exit(main())
