"""Accuracy on generated pages with the forms real spam pages use (bench/forms_corpus.py).

The generator writes each number in a random form, independently of the extractors; the
targets are the issue's, on two mixes (mostly plain, mostly disguised) so that a method tuned
to one proportion fails.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from forms_corpus import FORMS, pages, write_number  # noqa: E402
from forms_eval import evaluate  # noqa: E402


@pytest.mark.parametrize(("seed", "disguised"), [(101, 0.2), (202, 0.9)])
def test_generated_pages_meet_the_targets(seed: int, disguised: float) -> None:
    tallies = evaluate(list(pages(250, seed, disguised)))
    phones, brands, links, regions = (tallies[k] for k in ("phones", "brands", "links", "regions"))
    report = {k: (round(t.precision, 4), round(t.recall, 4)) for k, t in tallies.items()}
    assert phones.expected > 600 and links.expected > 500 and regions.expected > 1500, report
    assert phones.precision >= 0.999 and phones.recall >= 0.998, report
    assert brands.f1 >= 0.97, report
    assert links.f1 >= 0.95, report
    assert regions.precision >= 0.999 and regions.recall >= 0.999, report


def test_the_renderer_writes_every_form_differently() -> None:
    import random

    rng = random.Random(1)
    written = {form: write_number("4001865909", form, rng) for form in FORMS}
    assert len(set(written.values())) == len(FORMS), written
    assert written["chinese"] == "四零零一八六五九零九"
