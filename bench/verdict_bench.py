"""Page verdicts and number risk on a labelled synthetic web, against the distinct-brand baseline.

    python bench/verdict_bench.py [--seed 7] [--scale 1.0] [--graph-pages 1000000] [--json out.json]

For each proportion mix of bench/web_gen.py (`MIXES`), the generated pages go through the real
pipeline (`hotlines.pipeline.extract_bytes`, with their urls) and into an index; then:

- page verdict agreement with the generator's labels, overall and per kind;
- number AUC and precision at k (k = the number of fraud lines in the index), for the risk
  (`Index.numbers`) and for the distinct-brand baseline (how many brands link to the number,
  what `index suspicious` used to rank by), side by side.

Then scoring time and peak memory on a graph of `--graph-pages` pages (default one million),
generated at graph level (web_gen.graph_pages: page verdicts, numbers, brands, counts; written
straight into an index file, since extracting a million pages is not what is timed) and scored by
`hotlines index score` in a child process, one core, whose peak RSS is read back.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import web_gen  # noqa: E402

KINDS = ("fake_service", "official", "directory", "other")


def auc(scores: list[float], labels: list[bool]) -> float:
    """Area under the ROC curve (ties count half): P(score of a fraud line > score of another)."""
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    positives = sum(labels)
    negatives = len(labels) - positives
    if not positives or not negatives:
        return float("nan")
    rank_sum = sum(r for r, label in zip(ranks, labels, strict=True) if label)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def precision_at_k(ranked: list[bool]) -> float:
    """Precision among the top k of a ranking, k = the number of positives in it."""
    k = sum(ranked)
    return sum(ranked[:k]) / k if k else float("nan")


def evaluate(mix: web_gen.Mix, seed: int, folder: Path) -> dict:
    from hotlines.index import Index
    from hotlines.pipeline import extract_bytes

    web = web_gen.generate(mix, seed)
    records, agree, confusion = [], Counter(), Counter()
    started = time.process_time()
    for i, page in enumerate(web.pages):
        record = extract_bytes(f"page{i}.txt", page.text.encode("utf-8"), suffix=".txt", url=page.url)
        records.append(record)
        got = record.verdict.kind if record.verdict else "none"
        confusion[(page.kind, got)] += 1
        agree[page.kind] += got == page.kind
    extract_seconds = time.process_time() - started
    totals = Counter(page.kind for page in web.pages)
    db = folder / f"{mix.name.replace(' ', '_').replace(',', '')}.sqlite"
    db.unlink(missing_ok=True)
    with Index(db) as index:
        index.add_records(records)
        started = time.perf_counter()
        index.score()
        score_seconds = time.perf_counter() - started
        rows = index.numbers()
        baseline = dict(index.db.execute(
            "SELECT ph.number, count(DISTINCT l.brand_id) FROM links l JOIN phones ph ON ph.id = l.phone_id GROUP BY l.phone_id"
        ).fetchall())
    labelled = [r for r in rows if r["number"] in web.fraud or r["number"] in web.legit]
    truth = [r["number"] in web.fraud for r in labelled]
    risk = [r["risk"] for r in labelled]
    # Baseline: distinct brands linked to the number; ties broken by pages, then number (as suspicious did).
    brands = [baseline.get(r["number"], 0) for r in labelled]
    base_order = sorted(range(len(labelled)), key=lambda i: (-brands[i], -labelled[i]["pages"], labelled[i]["number"]))
    verdicts = Counter((r["number"] in web.fraud, r["verdict"]) for r in labelled)
    return {
        "mix": mix.name,
        "pages": len(web.pages),
        "page_agreement": sum(agree.values()) / len(web.pages),
        "per_kind": {kind: (agree[kind], totals[kind]) for kind in KINDS},
        "confusion": {f"{a}->{b}": n for (a, b), n in sorted(confusion.items()) if a != b},
        "numbers": len(labelled),
        "fraud_lines": sum(truth),
        "auc": auc(risk, truth),
        "p_at_k": precision_at_k(truth),  # rows are already ranked by risk
        "baseline_auc": auc([float(b) for b in brands], truth),
        "baseline_p_at_k": precision_at_k([truth[i] for i in base_order]),
        "fraud_verdict_precision": verdicts[(True, "fraud")] / max(1, verdicts[(True, "fraud")] + verdicts[(False, "fraud")]),
        "fraud_verdict_recall": verdicts[(True, "fraud")] / max(1, sum(truth)),
        "extract_ms_per_page": 1000 * extract_seconds / len(web.pages),
        "score_seconds": score_seconds,
    }


def write_graph(db: Path, mix: web_gen.GraphMix, seed: int = 11) -> dict:
    """The graph-level web written into an index file, as `index build` would leave it."""
    from hotlines.index import Index

    with Index(db):
        pass  # the schema
    rng = random.Random(seed + 1)
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA synchronous=OFF")
    seen = "2026-01-01T00:00:00Z"
    numbers: set[int] = set()
    page_rows, phone_rows, link_rows, brand_rows, own_rows = [], [], [], [], []

    def flush() -> None:
        connection.executemany("INSERT INTO pages (id, sha256, source, first_seen, last_seen, verdict, verdict_score) VALUES (?, ?, ?, ?, ?, ?, ?)", page_rows)
        connection.executemany("INSERT INTO page_phones VALUES (?, ?, ?)", phone_rows)
        connection.executemany("INSERT OR IGNORE INTO links VALUES (?, ?, '', ?, 1)", link_rows)
        connection.executemany("INSERT OR IGNORE INTO page_brands VALUES (?, ?, 1)", brand_rows)
        connection.executemany("INSERT OR IGNORE INTO official_pages VALUES (?, ?)", own_rows)
        for rows in (page_rows, phone_rows, link_rows, brand_rows, own_rows):
            rows.clear()

    for page_id, (kind, score, page_numbers, links, named) in enumerate(web_gen.graph_pages(mix, seed), start=1):
        page_rows.append((page_id, f"{page_id:064x}", f"https://example.invalid/{page_id}", seen, seen, kind, score))
        phone_rows += [(page_id, number + 1, count) for number, count in page_numbers]
        link_rows += [(page_id, brand + 1, number + 1) for brand, number in links]
        brand_rows += [(page_id, brand + 1) for brand in named]
        if kind == "official" and len(named) == 1 and (rng.random() < 0.7 or score >= 0.8):
            own_rows.append((page_id, named[0] + 1))
        numbers.update(number for number, _ in page_numbers)
        if len(page_rows) >= 50_000:
            flush()
    flush()
    connection.executemany("INSERT INTO brands (id, key, known) VALUES (?, ?, 1)", [(b + 1, f"brand{b:05d}") for b in range(mix.brands)])
    connection.executemany(
        "INSERT INTO phones (id, number, kind) VALUES (?, ?, 'shared_cost_400')", [(n + 1, f"+86400{n:07d}") for n in sorted(numbers)]
    )
    fraud = sum(web_gen.is_fraud_number(n, mix) for n in numbers)
    connection.execute("UPDATE meta SET value = '1' WHERE key = 'changes'")
    connection.commit()
    counts = dict(connection.execute("SELECT 'edges', count(*) FROM page_phones").fetchall())
    connection.close()
    return {"numbers": len(numbers), "fraud_lines": fraud, "page_number_edges": counts["edges"]}


def graph_mix(pages: int) -> web_gen.GraphMix:
    return web_gen.GraphMix(pages=pages, brands=max(50, pages // 330), shared_lines=max(20, pages // 50), single_lines=max(60, pages // 17))


def score_graph(pages: int, keep: Path | None = None) -> dict:
    """Write the graph of `pages` pages (or reuse `keep` if it exists), score it in a child process."""
    mix = graph_mix(pages)
    with tempfile.TemporaryDirectory() as folder:
        db = keep or Path(folder) / "graph.sqlite"
        started = time.perf_counter()
        if keep is None or not keep.exists():
            sizes = write_graph(db, mix)
        else:
            with sqlite3.connect(db) as existing:
                edges = existing.execute("SELECT count(*) FROM page_phones").fetchone()[0]
                numbers = existing.execute("SELECT count(*) FROM phones").fetchone()[0]
            sizes = {"numbers": numbers, "page_number_edges": edges}
        written = time.perf_counter() - started
        child = (
            "import resource, sys, time, json\n"
            "from hotlines.index import Index\n"
            "t = time.perf_counter(); c = time.process_time()\n"
            f"index = Index({str(db)!r}); summary = index.score()\n"
            "wall, cpu = time.perf_counter() - t, time.process_time() - c\n"
            "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
            "ranked = [row[0] for row in index.db.execute('SELECT ph.number FROM number_scores s JOIN phones ph ON ph.id = s.phone_id"
            " ORDER BY s.risk DESC, ph.number')]\n"
            "print(json.dumps({'wall': wall, 'cpu': cpu, 'rss_mib': rss, **summary, 'ranked': ranked}))\n"
        )
        env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
        one_core = ["taskset", "-c", "0"] if shutil.which("taskset") else []
        result = subprocess.run([*one_core, sys.executable, "-c", child], capture_output=True, text=True, cwd=ROOT, env=env, check=False)
        if result.returncode != 0:
            raise SystemExit(result.stderr)
        out = json.loads(result.stdout)
        ranked = out.pop("ranked")
        truth = [web_gen.is_fraud_number(int(number[6:]), mix) for number in ranked]
        return {"pages": pages, **sizes, "write_seconds": written, **out, "p_at_k": precision_at_k(truth),
                "auc": auc([-i for i in range(len(truth))], truth)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every page count of the mixes")
    parser.add_argument("--graph-pages", type=int, default=1_000_000, help="0: skip the graph scoring")
    parser.add_argument("--graph-db", metavar="FILE", type=Path, help="keep the generated graph here and reuse it when it exists")
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    from hotlines.pipeline import warm_up

    warm_up()
    results = {"mixes": [], "graph": None}
    with tempfile.TemporaryDirectory() as folder:
        for mix in web_gen.MIXES:
            if args.scale != 1.0:
                mix = replace(mix, **{f: max(1, int(getattr(mix, f) * args.scale)) for f in ("fake_pages", "official_pages", "directories", "news", "shops")})
            r = evaluate(mix, args.seed, Path(folder))
            results["mixes"].append(r)
            kinds = "  ".join(f"{k} {a}/{t}" for k, (a, t) in r["per_kind"].items())
            print(f"{r['mix']:<22} pages {r['pages']:>4}: verdicts agree {r['page_agreement']:.1%} ({kinds})")
            print(f"{'':<22} numbers {r['numbers']:>4} ({r['fraud_lines']} fraud): risk AUC {r['auc']:.3f} P@k {r['p_at_k']:.3f}"
                  f" | distinct brands AUC {r['baseline_auc']:.3f} P@k {r['baseline_p_at_k']:.3f}"
                  f" | 'fraud' verdict precision {r['fraud_verdict_precision']:.3f} recall {r['fraud_verdict_recall']:.3f}")
            if r["confusion"]:
                print(f"{'':<22} misjudged pages: {r['confusion']}")
    if args.graph_pages:
        g = score_graph(args.graph_pages, args.graph_db)
        results["graph"] = g
        print(f"graph of {g['pages']:,} pages ({g['page_number_edges']:,} page-number edges, {g['numbers']:,} numbers, written in {g['write_seconds']:.0f} s): "
              f"scored in {g['wall']:.1f} s wall, {g['cpu']:.1f} s CPU, one core; peak RSS {g['rss_mib']:.0f} MiB; "
              f"{g['iterations']} iterations; AUC {g['auc']:.3f}, P@k {g['p_at_k']:.3f}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
