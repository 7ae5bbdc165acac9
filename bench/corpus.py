"""A generated corpus of page records for the index: many brands, shared numbers, repeats.

Each page advertises one brand (known or invented) with one or two numbers. A small pool of
"fraud" numbers is shared across many unrelated brands, as in the seeds; the rest belong to one
brand each. Generation is deterministic for a seed.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from pathlib import Path

from schemas import PageRecord

KNOWN = ["海尔", "方太", "西门子", "美的", "格力", "老板", "华帝", "万和", "林内", "能率", "博世", "松下", "A.O.史密斯"]
APPLIANCES = [("热水器", "water_heater"), ("油烟机", "range_hood"), ("燃气灶", "gas_stove"), ("空调", "air_conditioner"),
              ("消毒柜", "disinfection_cabinet"), ("集成灶", "integrated_stove"), ("壁挂炉", "wall_hung_boiler")]
SYLLABLES = "昌尔特阿拉好太超人德帅康宝森歌亿田美大火星欧派万家乐樱花奥克斯志高"


def invented_brand(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def record(index: int, rng: random.Random, fraud_numbers: list[str]) -> dict:
    brand = rng.choice(KNOWN) if rng.random() < 0.5 else invented_brand(rng)
    known = brand in KNOWN
    name, category = rng.choice(APPLIANCES)
    if rng.random() < 0.3:
        numbers = [rng.choice(fraud_numbers)]
    else:
        numbers = [f"+86400{rng.randrange(1_000_000, 9_999_999)}"]
    if rng.random() < 0.2:
        numbers.append(f"+861{rng.choice('3589')}{rng.randrange(100_000_000, 999_999_999)}")
    text = f"{brand}{name}售后电话 " + " ".join(numbers)
    sha = hashlib.sha256(f"{index}:{text}".encode()).hexdigest()
    phones = [
        {"number": n, "display": n, "kind": "shared_cost_400" if n.startswith("+86400") else "mobile",
         "count": rng.randint(1, 12), "spans": [[0, 1]], "raw": [n]}
        for n in numbers
    ]
    return {
        "schema_version": "1.0",
        "source": {"path": f"corpus/page{index:07d}.html", "url": f"https://example.invalid/p/{index}", "sha256": sha,
                   "encoding": "utf-8", "content_type": "text/html", "title": f"{brand}{name}售后服务电话", "size": len(text)},
        "phones": phones,
        "brands": [{"name": brand, "canonical": brand if known else None, "known": known, "count": 3, "spans": [[0, len(brand)]], "raw": [brand]}],
        "appliances": [{"name": name, "category": category, "label": category, "count": 3, "spans": [[len(brand), len(brand) + len(name)]], "raw": [name]}],
        "regions": [],
        "links": [{"brand": brand, "appliance": category, "phone": n, "lines": rng.randint(1, 6)} for n in numbers],
        "warnings": [],
        "text": None,
    }


def records(count: int, seed: int = 11, fraud_pool: int = 50) -> Iterator[dict]:
    rng = random.Random(seed)
    fraud_numbers = [f"+86400{rng.randrange(1_000_000, 9_999_999)}" for _ in range(fraud_pool)]
    for index in range(count):
        yield record(index, rng, fraud_numbers)


def write_jsonl(path: Path, count: int, seed: int = 11) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for item in records(count, seed):
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path


def page_records(count: int, seed: int = 11) -> Iterator[PageRecord]:
    for item in records(count, seed):
        yield PageRecord.model_validate(item)
