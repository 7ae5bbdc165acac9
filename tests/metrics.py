"""Precision and recall over sets of labelled items, with the misses kept for the report."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field


@dataclass
class Score:
    true_positives: int = 0
    false_positives: list[Hashable] = field(default_factory=list)
    false_negatives: list[Hashable] = field(default_factory=list)

    def add(self, predicted: Iterable[Hashable], gold: Iterable[Hashable], label: Hashable = "") -> None:
        predicted_set, gold_set = set(predicted), set(gold)
        self.true_positives += len(predicted_set & gold_set)
        self.false_positives += [(label, item) for item in sorted(predicted_set - gold_set, key=repr)]
        self.false_negatives += [(label, item) for item in sorted(gold_set - predicted_set, key=repr)]

    @property
    def precision(self) -> float:
        found = self.true_positives + len(self.false_positives)
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + len(self.false_negatives)
        return self.true_positives / expected if expected else 1.0

    def report(self) -> str:
        lines = [f"precision {self.precision:.4f}  recall {self.recall:.4f}  (tp {self.true_positives})"]
        lines += [f"  false positive: {item}" for item in self.false_positives]
        lines += [f"  missed: {item}" for item in self.false_negatives]
        return "\n".join(lines)
