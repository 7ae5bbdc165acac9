"""The synthetic-web benchmark runs, and holds the issue's targets on small webs of two mixes."""

from __future__ import annotations

import sys
from dataclasses import replace

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import verdict_bench  # noqa: E402
import web_gen  # noqa: E402

HALF = ("fake_pages", "official_pages", "directories", "news", "shops")


def test_auc_and_precision_at_k_on_known_rankings() -> None:
    assert verdict_bench.auc([0.9, 0.8, 0.2, 0.1], [True, True, False, False]) == 1.0
    assert verdict_bench.auc([0.1, 0.2, 0.8, 0.9], [True, True, False, False]) == 0.0
    assert verdict_bench.auc([0.5, 0.5], [True, False]) == 0.5
    assert verdict_bench.precision_at_k([True, False, True, False]) == 0.5


def test_the_generator_labels_pages_and_numbers() -> None:
    web = web_gen.generate(replace(web_gen.Mix(), **{f: getattr(web_gen.Mix(), f) // 10 for f in HALF}), seed=1)
    kinds = {page.kind for page in web.pages}
    assert kinds == {"fake_service", "official", "directory", "other"}
    assert web.fraud and web.legit and not web.fraud & web.legit
    assert all(page.url.startswith("http") for page in web.pages)
    assert web_gen.generate(replace(web_gen.Mix(), fake_pages=5), seed=1).pages == web_gen.generate(replace(web_gen.Mix(), fake_pages=5), seed=1).pages


@pytest.mark.parametrize("mix", [web_gen.MIXES[0], web_gen.MIXES[1]], ids=lambda m: m.name)
def test_targets_hold_on_a_small_web(tmp_path, mix) -> None:
    small = replace(mix, **{f: getattr(mix, f) // 2 for f in HALF})
    result = verdict_bench.evaluate(small, seed=5, folder=tmp_path)
    assert result["page_agreement"] >= 0.97, result
    assert result["auc"] >= 0.97 and result["p_at_k"] >= 0.93, result
    assert result["baseline_auc"] < result["auc"] - 0.1, "single-brand fake lines defeat the distinct-brand baseline"


def test_a_generated_graph_scores_well(tmp_path) -> None:
    from hotlines.index import Index

    mix = verdict_bench.graph_mix(20_000)
    db = tmp_path / "graph.sqlite"
    sizes = verdict_bench.write_graph(db, mix)
    with Index(db) as index:
        summary = index.score()
        ranked = [row["number"] for row in index.numbers()]
    assert summary["numbers"] == sizes["numbers"] == len(ranked)
    truth = [web_gen.is_fraud_number(int(number[6:]), mix) for number in ranked]
    assert verdict_bench.auc([-i for i in range(len(truth))], truth) >= 0.97
    assert verdict_bench.precision_at_k(truth) >= 0.93
