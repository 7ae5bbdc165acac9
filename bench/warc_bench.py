"""Crawl archives: WARC readers compared, pages/s loose against inside a WARC, peak memory.

    python bench/warc_bench.py [--records 3000] [--pages 500] [--rounds 3] [--big] [--json results.json]

1. Readers: one archive of `--records` seed-like HTML pages (bench/run.py's generator, each page
   wrapped in HTML), each response after its request and every tenth with a metadata record,
   written by warcio as `.warc` and `.warc.gz`; FastWARC and warcio each iterate every record
   and read its body, best of `--rounds`, CPU seconds on one core. `hotlines iter_archive`
   (FastWARC plus the record filter and the body decoding) is timed on the same archives.
2. Pages/s: `--pages` of those pages, as loose `.html` files and inside a `.warc.gz`, through the
   one path both commands use (`pipeline.tasks.iter_page_records`), alternating (each side first
   in turn), best round: on a shared machine noise only ever adds time.
3. Memory: a ~100 MB `.warc.gz` (and with `--big` a ~1 GB one) read in a fresh child process
   (`iter_archive` on every record, bodies decoded; `archive_page`, the text, on every page over
   1 MiB and every 20th, as the HTML parser would take minutes on a gigabyte), its peak RSS read
   back. Both hold the same oversized records (a 40 MB video, a 24 MB page over
   --max-bytes, three 6 MB pages), so a flat figure means memory does not grow with the archive.
   These archives repeat a pool of 400 distinct pages and are written directly (gzip level 1),
   as warcio would take minutes for a gigabyte.
"""

from __future__ import annotations

import argparse
import gzip
import html
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]


def as_html(text: bytes) -> bytes:
    lines = text.decode("utf-8").split("\n")
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in lines[1:])
    return f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{html.escape(lines[0])}</title></head><body>\n{body}</body></html>".encode()


def write_warcio(path: Path, pages: list[bytes], gzipped: bool) -> int:
    """The readers' archive, written by warcio: request, response (and every tenth a metadata) per page."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    count = 0
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "hotlines bench"}))
        count += 1
        for index, page in enumerate(pages):
            url = f"http://example.invalid/p/{index}.html"
            request = StatusAndHeaders(f"GET /p/{index}.html HTTP/1.1", [("Host", "example.invalid")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=request))
            response = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(page), http_headers=response))
            count += 2
            if index % 10 == 0:
                meta = io.BytesIO(b"fetchTimeMs: 120\r\n")
                writer.write_record(writer.create_warc_record(url, "metadata", payload=meta, warc_content_type="application/warc-fields"))
                count += 1
    return count


def fast_record(url: str, body: bytes, content_type: str) -> bytes:
    """One gzip member holding a WARC response record (for the memory archives)."""
    http = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
    head = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
        f"WARC-Date: 2026-01-01T00:00:00Z\r\nWARC-Target-URI: {url}\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
    ).encode()
    return gzip.compress(head + http + b"\r\n\r\n", compresslevel=1)


def write_sized(path: Path, target_bytes: int, pool: list[bytes]) -> int:
    """A ~target_bytes .warc.gz: the oversized records, then the pool of pages repeated."""
    members = [fast_record(f"http://example.invalid/pool/{i}.html", page, "text/html; charset=utf-8") for i, page in enumerate(pool)]
    count = 0
    with path.open("wb") as handle:
        big = [
            ("video/mp4", bytes(40 * 2**20)),
            ("text/html", b"<p>" + "海尔热水器售后 400-699-0001 ".encode() * (24 * 2**20 // 30) + b"</p>"),
        ] + [("text/html; charset=utf-8", pool[0] * 350)] * 3  # ~6 MB pages, under --max-bytes
        for index, (content_type, body) in enumerate(big):
            handle.write(fast_record(f"http://example.invalid/big/{index}", body, content_type))
            count += 1
        while handle.tell() < target_bytes:
            for member in members:
                handle.write(member)
            count += len(members)
    return count


def time_readers(path: Path, rounds: int) -> dict[str, float]:
    """Records per CPU second: FastWARC, warcio, and hotlines' iter_archive, best of `rounds`."""
    from fastwarc import ArchiveIterator as FastIterator
    from warcio.archiveiterator import ArchiveIterator as WarcioIterator

    from hotlines.readers import iter_archive

    def fastwarc() -> int:
        with path.open("rb") as handle:
            return sum(1 for record in FastIterator(handle, parse_http=True, auto_decode="none") if record.reader.read() is not None)

    def warcio() -> int:
        with path.open("rb") as handle:
            return sum(1 for record in WarcioIterator(handle) if record.raw_stream.read() is not None)

    def hotlines() -> int:
        seen = [0]
        return sum(1 for _ in iter_archive(path, on_skip=lambda reason: seen.__setitem__(0, seen[0] + 1))) + seen[0]

    figures = {}
    for name, read in (("fastwarc", fastwarc), ("warcio", warcio), ("hotlines_iter_archive", hotlines)):
        best = float("inf")
        for _ in range(rounds):
            started = time.process_time()
            count = read()
            best = min(best, time.process_time() - started)
        figures[name] = round(count / best)
    return figures


def time_pages(loose: list[Path], archive: Path, rounds: int) -> dict[str, float]:
    """Pages per CPU second through iter_page_records: loose files, and the same pages in a WARC."""
    from hotlines.pipeline import warm_up
    from hotlines.pipeline.tasks import iter_page_records
    from hotlines.readers import ArchiveTally, InputRef

    def run(inputs: list[InputRef]) -> tuple[int, float]:
        started = time.process_time()
        count = sum(1 for _ in iter_page_records(inputs, on_error=print, tally=ArchiveTally()))
        return count, time.process_time() - started

    warm_up()
    loose_refs = [InputRef(str(p), p) for p in loose]
    warc_refs = [InputRef(str(archive), archive)]
    best = {"loose": float("inf"), "warc": float("inf")}
    counts = {}
    sides = [("loose", loose_refs), ("warc", warc_refs)]
    for round_ in range(rounds):
        for name, refs in sides if round_ % 2 == 0 else sides[::-1]:  # each side first in turn
            counts[name], seconds = run(refs)
            best[name] = min(best[name], seconds)
    assert counts["loose"] == counts["warc"] == len(loose), counts
    return {
        "pages": len(loose),
        "loose_pages_per_second": round(len(loose) / best["loose"], 1),
        "warc_pages_per_second": round(len(loose) / best["warc"], 1),
        "warc_ms_per_page_minus_loose": round(1000 * (best["warc"] - best["loose"]) / len(loose), 3),
    }


def peak_rss_mib() -> float:
    """This process's peak RSS: VmHWM, which starts afresh at exec (ru_maxrss keeps the forking
    parent's figure on Linux), else ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_child(path: Path) -> None:
    """(In a child process) read every record of an archive, and decode every page over 1 MiB and
    every 20th (the HTML parser would take minutes on a gigabyte); print counts, seconds, peak RSS."""
    from hotlines.readers import ArchiveTally, SkippedRecord, archive_page, iter_archive

    baseline = peak_rss_mib()
    tally = ArchiveTally()
    decoded = 0
    started = time.perf_counter()
    for index, record in enumerate(iter_archive(path, on_skip=tally.skip, on_error=lambda error: print(error, file=sys.stderr))):
        tally.pages += 1
        if len(record.body) > 2**20 or index % 20 == 0:
            try:
                archive_page(record)
                decoded += 1
            except SkippedRecord as skipped:
                print(skipped, file=sys.stderr)
    print(json.dumps({
        "archive_mib": round(path.stat().st_size / 2**20, 1),
        "summary": tally.summary(),
        "pages_decoded": decoded,
        "seconds": round(time.perf_counter() - started, 1),
        "rss_after_imports_mib": round(baseline, 1),
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }))


def measure_rss(path: Path) -> dict:
    result = subprocess.run([sys.executable, __file__, "--rss-child", str(path)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=3000, help="pages in the readers' archive (about 2.1 records each)")
    parser.add_argument("--pages", type=int, default=500, help="pages extracted, loose and inside a WARC")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rss-mib", type=int, default=100, help="size of the memory archive")
    parser.add_argument("--big", action="store_true", help="also a ~1 GB archive (about a minute to write)")
    parser.add_argument("--json", metavar="FILE")
    parser.add_argument("--rss-child", metavar="ARCHIVE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rss_child:
        rss_child(Path(args.rss_child))
        return 0

    from run import seed_like_pages  # (not in the memory child: it loads every extractor table)

    pages = [as_html(page) for page in seed_like_pages(args.records)]
    figures: dict = {"mean_page_bytes": round(sum(map(len, pages)) / len(pages))}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for suffix, gzipped in ((".warc", False), (".warc.gz", True)):
            archive = work / f"readers{suffix}"
            records = write_warcio(archive, pages, gzipped)
            figures[f"readers{suffix}"] = {"records": records, "mib": round(archive.stat().st_size / 2**20, 1), **time_readers(archive, args.rounds)}

        loose_dir = work / "loose"
        loose_dir.mkdir()
        loose = []
        for index, page in enumerate(pages[: args.pages]):
            loose.append(loose_dir / f"{index:05d}.html")
            loose[-1].write_bytes(page)
        archive = work / "pages.warc.gz"
        write_warcio(archive, pages[: args.pages], True)
        figures["pages_per_second"] = time_pages(loose, archive, args.rounds)

        sizes = [args.rss_mib] + ([1024] if args.big else [])
        pool = pages[:400]
        figures["memory"] = []
        for mib in sizes:
            path = work / f"memory-{mib}.warc.gz"
            write_sized(path, mib * 2**20, pool)
            figures["memory"].append(measure_rss(path))
            path.unlink()

    print(f"seed-like HTML pages, mean {figures['mean_page_bytes']} bytes; CPU seconds on one core, best of {args.rounds}")
    print("records/second, every record iterated and its body read:")
    for suffix in (".warc", ".warc.gz"):
        f = figures[f"readers{suffix}"]
        print(f"  {suffix:<9} {f['records']} records, {f['mib']} MiB:  FastWARC {f['fastwarc']:>8}   warcio {f['warcio']:>8}   "
              f"hotlines iter_archive (FastWARC + filter + decoding) {f['hotlines_iter_archive']:>8}")
    p = figures["pages_per_second"]
    print(f"pages/second through extract's path, {p['pages']} pages: loose files {p['loose_pages_per_second']}, "
          f"inside a .warc.gz {p['warc_pages_per_second']} (WARC minus loose: {p['warc_ms_per_page_minus_loose']} ms/page)")
    print("peak RSS reading every record of an archive, in a fresh process (every page over 1 MiB and every 20th decoded to text):")
    for m in figures["memory"]:
        print(f"  {m['archive_mib']:>7} MiB archive: {m['peak_rss_mib']} MiB peak RSS ({m['rss_after_imports_mib']} MiB after imports), "
              f"{m['seconds']} s; {m['summary']}, {m['pages_decoded']} decoded")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
