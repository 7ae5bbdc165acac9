"""Accuracy on generated pages with real-world forms (bench/forms_corpus.py), per entity kind.

    python bench/forms_eval.py --pages 500 [--seed 7] [--disguised 0.5]

Prints precision, recall and F1 for phones (distinct numbers per page), brands (canonical,
per page), brand-appliance-phone links, and region mentions (adcodes in order), for the given
mix and for two other mixes, so that a figure that holds only for one proportion shows.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from forms_corpus import Page, pages  # noqa: E402


@dataclass
class Tally:
    found: int = 0
    expected: int = 0
    correct: int = 0

    def add(self, predicted: Counter, gold: Counter) -> None:
        self.found += sum(predicted.values())
        self.expected += sum(gold.values())
        self.correct += sum((predicted & gold).values())

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(generated: list[Page]) -> dict[str, Tally]:
    from hotlines.pipeline import extract_bytes

    tallies = {kind: Tally() for kind in ("phones", "brands", "links", "regions")}
    for index, gold in enumerate(generated):
        record = extract_bytes(f"forms/{index}.txt", gold.text.encode("utf-8"), suffix=".txt")
        tallies["phones"].add(Counter(p.number for p in record.phones), Counter(gold.phones))
        tallies["brands"].add(Counter(b.canonical or b.name for b in record.brands), Counter(gold.brands))
        tallies["links"].add(Counter((l.brand, l.appliance or "", l.phone) for l in record.links), Counter(gold.links))
        area = [r.adcode for r in record.regions if r.span[0] >= gold.text.index("全国服务区域")]
        tallies["regions"].add(Counter(area), Counter(gold.regions))
    return tallies


def anchor_phones(generated: list[Page]) -> Tally:
    """The anchor on the same pages: phonenumbers' own matcher (region CN, leniency VALID)."""
    import phonenumbers

    tally = Tally()
    for gold in generated:
        found = {
            phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            for match in phonenumbers.PhoneNumberMatcher(gold.text, "CN", phonenumbers.Leniency.VALID)
        }
        tally.add(Counter(found), Counter(gold.phones))
    return tally


def misses(generated: list[Page], kind: str, limit: int = 10) -> list[str]:
    """Examples of what went wrong for one kind, for debugging."""
    from hotlines.pipeline import extract_bytes

    out = []
    for index, gold in enumerate(generated):
        record = extract_bytes(f"forms/{index}.txt", gold.text.encode("utf-8"), suffix=".txt")
        got = {"phones": {p.number for p in record.phones}, "brands": {b.canonical or b.name for b in record.brands},
               "links": {(l.brand, l.appliance or "", l.phone) for l in record.links}}[kind]
        want = {"phones": gold.phones, "brands": gold.brands, "links": gold.links}[kind]
        if got != want:
            out.append(f"page {index}: extra {sorted(got - want)} missing {sorted(want - got)}\n{gold.text}")
            if len(out) >= limit:
                break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--disguised", type=float, default=0.5, help="share of numbers written in disguise")
    parser.add_argument("--show", choices=("phones", "brands", "links"), help="print pages that miss")
    args = parser.parse_args()
    for seed, disguised in ((args.seed, args.disguised), (args.seed + 1, 0.1), (args.seed + 2, 0.9)):
        generated = list(pages(args.pages, seed, disguised))
        tallies = evaluate(generated)
        print(f"{args.pages} generated pages, seed {seed}, {disguised:.0%} of numbers disguised")
        for kind, t in tallies.items():
            print(f"  {kind:8s} precision {t.precision:.4f}  recall {t.recall:.4f}  F1 {t.f1:.4f}  ({t.correct}/{t.expected} gold, {t.found} found)")
        anchor = anchor_phones(generated)
        print(f"  anchor phones (phonenumbers' matcher) precision {anchor.precision:.4f}  recall {anchor.recall:.4f}  F1 {anchor.f1:.4f}")
        if args.show:
            for line in misses(generated, args.show):
                print(line)
            break


if __name__ == "__main__":
    main()
