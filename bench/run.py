"""Pages per second per core: hotlines against the anchor pipeline, on seed-like pages, same run.

Seed-like pages are the three seed pages with their hotline number and the order of their
service-area lines varied, so caches keyed on whole pages cannot help either side.
Both sides run single-threaded in this process and are timed in CPU seconds (one core).

    python bench/run.py [--pages 300] [--json results.json] [--startup-runs 5]

It ends with the start-up figures of bench/startup.py (whole commands in fresh processes).
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

import startup  # noqa: E402
from anchor import anchor_page, import_cpca  # noqa: E402

from extractors.regions import clear_region_caches  # noqa: E402
from hotlines.pipeline import extract_bytes, warm_up  # noqa: E402

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


def seed_region_accuracy(cpca) -> dict[str, dict[str, int]]:
    """Service-list items on the seeds against gold, at adcode level: hotlines vs cpca.transform."""
    import re

    tally = {name: {"gold": 0, "correct": 0} for name in ("hotlines", "anchor_cpca")}
    for path in SEEDS:
        gold_doc = json.loads((ROOT / "fixtures" / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))
        gold = {tuple(g["span"]): g["adcode"] for g in gold_doc["regions"]}
        text = path.read_text(encoding="utf-8")
        record = extract_bytes(str(path), path.read_bytes(), suffix=".txt")
        ours = {tuple(r.span): r.adcode for r in record.regions}
        items, expected, found = [], [], []
        for match in re.finditer(r"[^、\n]+", text):
            span = (match.start() + len(match.group()) - len(match.group().lstrip()), match.end())
            if span in gold:
                items.append(match.group().strip())
                expected.append(gold[span])
                found.append(ours.get(span))
        table = cpca.transform(items)
        theirs = [str(code)[:6] if isinstance(code, str) else None for code in table["adcode"]]
        for name, got in (("hotlines", found), ("anchor_cpca", theirs)):
            tally[name]["gold"] += len(expected)
            tally[name]["correct"] += sum(g == e for g, e in zip(got, expected))
    return tally


def _timed(fn, pages) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for page in pages:
        fn(page)
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds; each side's best is reported")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--startup-runs", type=int, default=5, metavar="N", help="start-up: fresh processes per command; 0 skips")
    args = parser.parse_args(argv)

    pages = seed_like_pages(args.pages)
    load_cpu = time.process_time()
    cpca = import_cpca()
    cpca_load = time.process_time() - load_cpu
    # Load tables and metadata on both sides once, outside the timed loops, as `hotlines
    # extract` does (warm_up also freezes what is loaded out of the collector's way, for
    # cpca's tables as much as ours).
    anchor_page(pages[0].decode("utf-8"), cpca)
    warm_up()

    # First pass: hotlines' per-item caches start empty (the tables stay loaded).
    clear_region_caches()
    _, first_cpu = _timed(lambda b: extract_bytes("page.txt", b, suffix=".txt"), pages)
    # Alternate the two sides for several rounds and keep each side's best round, as timeit
    # does: noise on a shared machine only ever adds time, and alternating exposes both sides.
    ours_runs, anchor_runs = [], []
    for _ in range(args.rounds):
        ours_runs.append(_timed(lambda b: extract_bytes("page.txt", b, suffix=".txt"), pages))
        anchor_runs.append(_timed(lambda b: anchor_page(b.decode("utf-8"), cpca), pages))
    ours_wall, ours_cpu = min(w for w, _ in ours_runs), min(c for _, c in ours_runs)
    anchor_wall, anchor_cpu = min(w for w, _ in anchor_runs), min(c for _, c in anchor_runs)
    size = sum(map(len, pages)) / len(pages)
    figures = {
        "pages": len(pages),
        "rounds": args.rounds,
        "mean_page_bytes": round(size),
        "hotlines_pages_per_cpu_second": round(len(pages) / ours_cpu, 1),
        "hotlines_first_pass_pages_per_cpu_second": round(len(pages) / first_cpu, 1),
        "anchor_pages_per_cpu_second": round(len(pages) / anchor_cpu, 1),
        "ratio": round(anchor_cpu / ours_cpu, 2),
        "hotlines_ms_per_page": round(1000 * ours_wall / len(pages), 3),
        "anchor_ms_per_page": round(1000 * anchor_wall / len(pages), 3),
        "anchor_cpca_import_seconds": round(cpca_load, 2),
        "hotlines_entities": "phones + regions + brands + appliances + links",
        "anchor_entities": "phonenumbers.PhoneNumberMatcher + cpca.transform(service-area items)",
    }
    print(f"seed-like pages: {len(pages)} (mean {figures['mean_page_bytes']} bytes), one core, CPU time, best of {args.rounds} rounds")
    print(f"  hotlines extract  {figures['hotlines_pages_per_cpu_second']:>9} pages/s  ({figures['hotlines_ms_per_page']} ms/page)  [{figures['hotlines_entities']}]")
    print(f"  hotlines, first pass with empty caches  {figures['hotlines_first_pass_pages_per_cpu_second']} pages/s")
    print(f"  anchor pipeline   {figures['anchor_pages_per_cpu_second']:>9} pages/s  ({figures['anchor_ms_per_page']} ms/page)")
    print(f"  ratio hotlines/anchor: {figures['ratio']}x")
    accuracy = seed_phone_accuracy()
    figures["seed_phone_occurrences"] = accuracy
    print("seed phone occurrences (gold: exact span and E.164):")
    for name, t in accuracy.items():
        print(f"  {name:<16} correct {t['correct']}/{t['gold']}, wrong {t['wrong']}")
    regions = seed_region_accuracy(cpca)
    figures["seed_region_items"] = regions
    print("seed service-area items that are whole mentions (gold adcode):")
    for name, t in regions.items():
        print(f"  {name:<16} correct {t['correct']}/{t['gold']}")
    if args.startup_runs > 0:
        figures["startup"] = startup.measure(args.startup_runs)
        print("\n".join(startup.report(figures["startup"])))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
