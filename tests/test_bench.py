"""The benchmark runs end to end and reports both sides (a smoke test, not a timing)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def test_bench_runs_and_reports_both_sides(tmp_path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--pages", "6", "--rounds", "1", "--json", str(out)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(out.read_text())
    assert figures["hotlines_pages_per_cpu_second"] > 0 and figures["anchor_pages_per_cpu_second"] > 0
    assert figures["seed_phone_occurrences"]["hotlines"] == {"gold": 30, "correct": 30, "wrong": 0}
    regions = figures["seed_region_items"]
    assert regions["hotlines"]["correct"] == regions["hotlines"]["gold"] > 1000
    assert regions["anchor_cpca"]["correct"] < regions["anchor_cpca"]["gold"]


def test_index_bench_runs_and_reports_throughput_latency_and_memory(tmp_path) -> None:
    out = tmp_path / "index.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "index_bench.py"), "--pages", "2000", "--json", str(out)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(out.read_text())
    assert figures["rows"]["pages"] == 2000 and figures["build_pages_per_second"] > 0
    assert figures["build_peak_rss_mib"] > 0 and figures["query_brands_for_phone"]["n"] > 0
