"""Pages per second per core: hotlines against the anchor pipeline, on seed-like pages, same run.

Seed-like pages are the three seed pages with their hotline number and the order of their
service-area lines varied, so caches keyed on whole pages cannot help either side.
Both sides run single-threaded in this process and are timed in CPU seconds (one core).

    python bench/run.py [--pages 300] [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from anchor import anchor_page, import_cpca  # noqa: E402

from hotlines.pipeline import extract_bytes  # noqa: E402

SEEDS = sorted((ROOT / "fixtures" / "pages").glob("0*_*.txt"))
SEED_NUMBER = "400-1865-909"


def seed_like_pages(count: int, seed: int = 7) -> list[bytes]:
    rng = random.Random(seed)
    texts = [path.read_text(encoding="utf-8") for path in SEEDS]
    pages = []
    for index in range(count):
        lines = texts[index % len(texts)].split("\n")
        listed = [i for i, line in enumerate(lines) if "、" in line]
        shuffled = [lines[i] for i in listed]
        rng.shuffle(shuffled)
        for i, line in zip(listed, shuffled):
            lines[i] = line
        number = f"400-{rng.randrange(1000, 9999)}-{rng.randrange(100, 999)}"
        pages.append("\n".join(lines).replace(SEED_NUMBER, number).encode("utf-8"))
    return pages


def seed_phone_accuracy() -> dict[str, dict[str, int]]:
    """Phone occurrences on the seeds against gold: (start, end, E.164) must all agree."""
    import phonenumbers

    tally = {name: {"gold": 0, "correct": 0, "wrong": 0} for name in ("hotlines", "anchor_valid", "anchor_possible")}
    for path in SEEDS:
        gold_doc = json.loads((ROOT / "fixtures" / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))
        gold = {(a, b, p["number"]) for p in gold_doc["phones"] for a, b in p["spans"]}
        text = path.read_text(encoding="utf-8")
        record = extract_bytes(str(path), path.read_bytes(), suffix=".txt")
        found = {
            "hotlines": {(a, b, p.number) for p in record.phones for a, b in p.spans},
        }
        for name, leniency in (("anchor_valid", phonenumbers.Leniency.VALID), ("anchor_possible", phonenumbers.Leniency.POSSIBLE)):
            found[name] = {
                (m.start, m.end, phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164))
                for m in phonenumbers.PhoneNumberMatcher(text, "CN", leniency=leniency)
            }
        for name, got in found.items():
            tally[name]["gold"] += len(gold)
            tally[name]["correct"] += len(got & gold)
            tally[name]["wrong"] += len(got - gold)
    return tally


def _timed(fn, pages) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for page in pages:
        fn(page)
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)

    pages = seed_like_pages(args.pages)
    load_cpu = time.process_time()
    cpca = import_cpca()
    cpca_load = time.process_time() - load_cpu
    # Warm both sides once (lazy metadata loads), outside the timed loop.
    extract_bytes("warm.txt", pages[0], suffix=".txt")
    anchor_page(pages[0].decode("utf-8"), cpca)

    ours_wall, ours_cpu = _timed(lambda b: extract_bytes("page.txt", b, suffix=".txt"), pages)
    anchor_wall, anchor_cpu = _timed(lambda b: anchor_page(b.decode("utf-8"), cpca), pages)
    size = sum(map(len, pages)) / len(pages)
    figures = {
        "pages": len(pages),
        "mean_page_bytes": round(size),
        "hotlines_pages_per_cpu_second": round(len(pages) / ours_cpu, 1),
        "anchor_pages_per_cpu_second": round(len(pages) / anchor_cpu, 1),
        "ratio": round(anchor_cpu / ours_cpu, 2),
        "hotlines_ms_per_page": round(1000 * ours_wall / len(pages), 3),
        "anchor_ms_per_page": round(1000 * anchor_wall / len(pages), 3),
        "anchor_cpca_import_seconds": round(cpca_load, 2),
        "hotlines_entities": "phones + regions",
        "anchor_entities": "phonenumbers.PhoneNumberMatcher + cpca.transform(service-area items)",
    }
    print(f"seed-like pages: {len(pages)} (mean {figures['mean_page_bytes']} bytes), one core, CPU time")
    print(f"  hotlines extract  {figures['hotlines_pages_per_cpu_second']:>9} pages/s  ({figures['hotlines_ms_per_page']} ms/page)  [{figures['hotlines_entities']}]")
    print(f"  anchor pipeline   {figures['anchor_pages_per_cpu_second']:>9} pages/s  ({figures['anchor_ms_per_page']} ms/page)")
    print(f"  ratio hotlines/anchor: {figures['ratio']}x")
    accuracy = seed_phone_accuracy()
    figures["seed_phone_occurrences"] = accuracy
    print("seed phone occurrences (gold: exact span and E.164):")
    for name, t in accuracy.items():
        print(f"  {name:<16} correct {t['correct']}/{t['gold']}, wrong {t['wrong']}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
