"""Index build throughput, query latency and peak memory on a generated corpus.

    python bench/index_bench.py [--pages 100000] [--json results.json]

The corpus (bench/corpus.py) is written as JSONL records, as `hotlines extract` would emit
them, and built by the `hotlines index build` command in a child process, whose peak memory
(max RSS) is read back. A second, quarter-size build shows whether memory grows with the corpus.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import corpus  # noqa: E402

from hotlines.index import Index  # noqa: E402


def build(records: Path, db: Path) -> tuple[float, int]:
    """(seconds, peak RSS in MiB) of one `hotlines index build` child process."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "hotlines", "index", "build", str(records), "--db", str(db), "--no-progress"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024


def latency(fn, arguments: list, repeat: int = 1) -> dict[str, float]:
    times = []
    for argument in arguments:
        for _ in range(repeat):
            started = time.perf_counter()
            fn(argument)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 3), "p95_ms": round(times[int(0.95 * (len(times) - 1))], 3), "n": len(times)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        small = corpus.write_jsonl(work / "small.jsonl", max(1, args.pages // 4), seed=5)
        small_seconds, small_rss = build(small, work / "small.sqlite")
        large = corpus.write_jsonl(work / "large.jsonl", args.pages)
        seconds, rss = build(large, work / "large.sqlite")
        rng = random.Random(3)
        with Index(work / "large.sqlite", readonly=True) as index:
            stats = index.stats()
            top = [row["number"] for row in index.suspicious(min_brands=2, limit=20)]
            numbers = top + [row[0] for row in index.db.execute("SELECT number FROM phones ORDER BY random() LIMIT 80")]
            brands = corpus.KNOWN + [row[0] for row in index.db.execute("SELECT key FROM brands WHERE known = 0 LIMIT 30")]
            rng.shuffle(numbers)
            figures = {
                "pages": args.pages,
                "build_seconds": round(seconds, 2),
                "build_pages_per_second": round(args.pages / seconds),
                "build_peak_rss_mib": rss,
                "quarter_corpus_peak_rss_mib": small_rss,
                "quarter_corpus_build_seconds": round(small_seconds, 2),
                "index_mib": round((work / "large.sqlite").stat().st_size / 2**20, 1),
                "rows": stats,
                "query_brands_for_phone": latency(index.brands_for_phone, numbers),
                "query_phones_for_brand": latency(index.phones_for_brand, brands),
                "query_suspicious_top20": latency(lambda _: index.suspicious(min_brands=2, limit=20), [None], repeat=5),
            }
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
