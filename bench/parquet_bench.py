"""Parquet against JSONL: file size, write time and read-back time for the same records.

    python bench/parquet_bench.py [--records 2000] [--rounds 3] [--json results.json]

The fixture pages are extracted once, then their records repeated (each copy with its own
`source.path`) to --records records, written by the writers `hotlines extract -o` uses
(`LineSink` with `model_dump_json` for JSONL, `ParquetSink` for Parquet, zstd by default and
snappy for comparison), and read back into validated records as `hotlines index build` does.
Without and with the page text (`--include-text`), and, as a corpus without repeats, the
generated index corpus (bench/corpus.py: small varied records, no regions). Times are the best
of --rounds: CPU seconds of this process (all its threads) and wall-clock seconds. Repeated
records favour Parquet's dictionary encoding and any compressor, so the fixtures' size ratios
are a bound no real crawl reaches; gzip of the JSONL is shown as what a compressed JSONL makes
of the same data.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import corpus as generated  # noqa: E402

from hotlines.cli.output import LineSink  # noqa: E402
from hotlines.parquet import ParquetSink  # noqa: E402
from hotlines.pipeline import extract_bytes  # noqa: E402
from hotlines.pipeline.records import read_record_file  # noqa: E402
from schemas import PageRecord  # noqa: E402

PAGES = ROOT / "fixtures" / "pages"


def fixture_records(include_text: bool) -> list[PageRecord]:
    pages = sorted(p for p in PAGES.iterdir() if p.is_file())
    return [extract_bytes(str(p), p.read_bytes(), suffix=p.suffix, include_text=include_text) for p in pages]


def corpus(count: int, include_text: bool) -> list[PageRecord]:
    base = fixture_records(include_text)
    records = []
    for i in range(count):
        record = base[i % len(base)]
        records.append(record.model_copy(update={"source": record.source.model_copy(update={"path": f"copy{i // len(base)}/{record.source.path}"})}))
    return records


def write_jsonl(records: list[PageRecord], path: Path) -> None:
    with LineSink(str(path)) as sink:
        for record in records:
            sink.write_line(record.model_dump_json())


def write_parquet(records: list[PageRecord], path: Path, compression: str) -> None:
    with ParquetSink(path, compression=compression) as sink:
        for record in records:
            sink.write_record(record)


def read_back(path: Path) -> int:
    def fail(error: Exception) -> None:
        raise SystemExit(f"read back: {error}")

    return sum(1 for _ in read_record_file(path, str(path), fail))


def best(rounds: int, action: Callable[[], object]) -> tuple[float, float]:
    """(CPU seconds, wall seconds), each the best of `rounds` runs."""
    cpu, wall = [], []
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return round(min(cpu), 3), round(min(wall), 3)


def measure(records: list[PageRecord], folder: Path, rounds: int) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    targets: dict[str, tuple[Path, Callable[[Path], None]]] = {
        "jsonl": (folder / "r.jsonl", lambda path: write_jsonl(records, path)),
        "parquet_zstd": (folder / "r.parquet", lambda path: write_parquet(records, path, "zstd")),
        "parquet_snappy": (folder / "r_snappy.parquet", lambda path: write_parquet(records, path, "snappy")),
    }
    for name, (path, write) in targets.items():
        write_cpu, write_wall = best(rounds, lambda: write(path))
        read_cpu, read_wall = best(rounds, lambda: read_back(path))
        assert read_back(path) == len(records)
        results[name] = {"bytes": path.stat().st_size, "write_cpu_s": write_cpu, "write_wall_s": write_wall, "read_cpu_s": read_cpu, "read_wall_s": read_wall}
    results["jsonl_gzip"] = {"bytes": len(gzip.compress((folder / "r.jsonl").read_bytes(), 6))}
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)
    figures: dict[str, object] = {"records": args.records}
    fixture_records(False)  # tables loaded: the next pass times extraction alone
    cpu, wall = best(args.rounds, lambda: fixture_records(False))
    pages = sum(1 for p in PAGES.iterdir() if p.is_file())
    figures["extract_ms_per_fixture_page"] = {"cpu": round(cpu / pages * 1000, 2), "wall": round(wall / pages * 1000, 2)}
    with tempfile.TemporaryDirectory() as folder:
        datasets = {
            "fixtures repeated, without text": corpus(args.records, include_text=False),
            "fixtures repeated, with text": corpus(args.records, include_text=True),
            "generated, no repeats": list(generated.page_records(args.records)),
        }
        for label, records in datasets.items():
            figures[label] = measure(records, Path(folder), args.rounds)
    extract = figures["extract_ms_per_fixture_page"]
    assert isinstance(extract, dict)
    print(f"seconds: CPU / wall, best of {args.rounds}; for scale, extracting a fixture page takes {extract['cpu']} / {extract['wall']} ms")
    for label in datasets:
        results = figures[label]
        assert isinstance(results, dict)
        jsonl = results["jsonl"]
        print(f"{args.records} records, {label}:")
        for name, row in results.items():
            size = f"{row['bytes'] / 2**20:8.3f} MiB ({row['bytes'] / jsonl['bytes']:6.1%} of JSONL)"
            timing = (
                f"  write {row['write_cpu_s']:.3f} / {row['write_wall_s']:.3f} s, read back {row['read_cpu_s']:.3f} / {row['read_wall_s']:.3f} s"
                if "write_cpu_s" in row else ""
            )
            print(f"  {name:15} {size}{timing}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
