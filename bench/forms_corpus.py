"""Generated pages with the forms real spam pages use, and their gold labels.

Each page poses as the after-sales line of a brand from the gazetteer: a title, lines of
"<brand><appliance><service words>：<number>" with every number written in a random form
(plain groupings, Chinese numerals, spaced or enclosed digits, odd separators, letters for
digits, numbers cut by a line break, local numbers sharing an area code), directory lines
("美的：400…"), a service-area list, noise that holds no number (masked numbers, QQ ids, ICP
numbers, prices, hours, model numbers, dates) and foreign numbers.

The renderer here is written independently of the extractors: it knows how to *write* each
form, and the gold is the number it wrote. Generation is deterministic for a seed; the
proportions are parameters so that figures can be checked under other mixes.
"""

from __future__ import annotations

import csv
import importlib.resources
import io
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

CHINESE = "零一二三四五六七八九"
FINANCIAL = "零壹贰叁肆伍陆柒捌玖"
CIRCLED = "⓪①②③④⑤⑥⑦⑧⑨"
DINGBAT = "⓿❶❷❸❹❺❻❼❽❾"
FULL_WIDTH = "０１２３４５６７８９"
SERVICE = ["售后服务电话", "售后维修热线", "全国统一客服电话", "24小时报修电话", "维修服务中心电话", "厂家售后服务总部"]
AREAS = {"010": 8, "021": 8, "020": 8, "0755": 8, "0571": 8, "028": 8, "027": 8, "0577": 8, "0769": 8, "0757": 8}
NOISE = [
    "价格400-600元，以实际报价为准",
    "服务时间8:00-18:00，节假日照常",
    "型号JSQ24-13ET燃气热水器",
    "粤ICP备{icp}号-1",
    "QQ：{qq}",
    "投诉举报：400-{masked}-XXXX",
    "联系人手机：138****{four}",
    "发布时间：2024-05-12 10:30",
    "订单号：{order}",
]


@dataclass
class Page:
    text: str
    phones: set[str] = field(default_factory=set)  # E.164
    brands: set[str] = field(default_factory=set)  # canonical
    links: set[tuple[str, str, str]] = field(default_factory=set)  # (brand, category, number)
    regions: list[str] = field(default_factory=list)  # adcodes of service-area items, in order


def _rows(name: str) -> list[dict[str, str]]:
    text = importlib.resources.files("extractors").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def gazetteer() -> tuple[list[dict[str, str]], dict[str, list[str]]]:
    """Known brands (CJK-named, with categories) and appliance names per category."""
    names: dict[str, list[str]] = {}
    for row in _rows("appliances.csv"):
        if all("\u3400" <= ch <= "\u9fff" for ch in row["name"]) and len(row["name"]) >= 2:
            names.setdefault(row["category"], []).append(row["name"])
    brands = []
    for row in _rows("brands.csv"):
        categories = [c for c in (row.get("categories") or "").split(";") if c in names] or sorted(names)
        brands.append({**row, "categories": ";".join(categories)})
    return brands, names


# --- numbers -------------------------------------------------------------------------------


def _valid(e164: str) -> bool:
    import phonenumbers

    return phonenumbers.is_valid_number(phonenumbers.parse(e164))


def random_number(rng: random.Random) -> tuple[str, str, str]:
    """(E.164, national digits, area code or '') of a valid Chinese number."""
    while True:
        kind = rng.random()
        if kind < 0.5:
            national, area = "400" + "".join(rng.choice("0123456789") for _ in range(7)), ""
        elif kind < 0.75:
            national, area = "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9)), ""
        else:
            area = rng.choice(sorted(AREAS))
            national = area + rng.choice("2345678") + "".join(rng.choice("0123456789") for _ in range(AREAS[area] - 1))
        e164 = "+86" + national.lstrip("0")
        if _valid(e164):
            return e164, national, area


def _groups(national: str) -> list[str]:
    if national.startswith("400"):
        return [national[:3], national[3:7], national[7:]] if len(national) == 10 else [national]
    if national.startswith("1"):
        return [national[:3], national[3:7], national[7:]]
    area = next(a for a in AREAS if national.startswith(a))
    return [area, national[len(area) :]]


def write_number(national: str, form: str, rng: random.Random) -> str:
    """The national digits written in one form."""
    groups = _groups(national)
    if form == "plain":
        return national
    if form == "dashed":
        return "-".join(groups)
    if form == "spaced_groups":
        return " ".join(groups)
    if form == "chinese":
        return "".join(CHINESE[int(d)] for d in national)
    if form == "financial":
        return "".join(FINANCIAL[int(d)] for d in national)
    if form == "spaced_digits":
        return " ".join(national)
    if form == "dots":
        return ".".join(groups)
    if form == "middle_dots":
        return "·".join(groups)
    if form == "slashes" and len(groups) > 2:
        return "/".join(groups)
    if form == "hyphens":
        return "---".join(groups)
    if form == "full_width":
        return "\u3000".join("".join(FULL_WIDTH[int(d)] for d in g) for g in groups)
    if form == "circled":
        return "".join(rng.choice((CIRCLED, DINGBAT))[int(d)] for d in national)
    if form == "keycaps":
        return "".join(f"{d}\ufe0f\u20e3" for d in national)
    if form == "letters":
        swapped = "".join({"0": rng.choice("Oo"), "1": rng.choice("lI")}.get(d, d) if i and rng.random() < 0.6 else d for i, d in enumerate(national))
        return "-".join(_regroup(swapped, groups))
    if form == "line_break" and len(groups) > 1:
        return "-".join(groups[:-1]) + "\n" + groups[-1]
    return "-".join(groups)


def _regroup(digits: str, groups: list[str]) -> list[str]:
    out, i = [], 0
    for g in groups:
        out.append(digits[i : i + len(g)])
        i += len(g)
    return out


FORMS = ["plain", "dashed", "spaced_groups", "chinese", "financial", "spaced_digits", "dots", "middle_dots", "slashes",
         "hyphens", "full_width", "circled", "keycaps", "letters", "line_break"]


# --- pages ---------------------------------------------------------------------------------


def _regions(rng: random.Random, count: int) -> tuple[str, list[str]]:
    from extractors.divisions import division_table

    table = division_table()
    counties = sorted(code for code, unit in table.units.items() if unit.level == "county" and table.parent(unit) is not None)
    items, codes = [], []
    for code in rng.sample(counties, count):
        unit = table.units[code]
        parent = table.parent(unit)
        assert parent is not None
        items.append(parent.name + unit.name)
        codes.append(code)
    return "、".join(items), codes


def page(rng: random.Random, brands: list[dict[str, str]], names: dict[str, list[str]], disguised: float = 0.5) -> Page:
    brand = rng.choice(brands)
    canonical = brand["canonical"]
    written = rng.choice([canonical] + [a for a in brand["aliases"].split(";") if a and all("\u3400" <= ch <= "\u9fff" for ch in a)])
    category = rng.choice(brand["categories"].split(";"))
    appliance = rng.choice(names[category])
    gold = Page(text="")
    lines = [f"{written}{appliance}{rng.choice(SERVICE)}"]
    for _ in range(rng.randint(1, 3)):
        e164, national, area = random_number(rng)
        form = rng.choice(FORMS[3:]) if rng.random() < disguised else rng.choice(FORMS[:3])
        for _ in range(rng.randint(1, 3)):
            lines.append(f"{written}{appliance}{rng.choice(SERVICE)}：{write_number(national, form, rng)}（点击咨询）")
        gold.phones.add(e164)
        gold.links.add((canonical, category, e164))
        if area and rng.random() < 0.5:  # a second line of the same exchange, sharing the area code
            local = national[len(area) :]
            other = local[:-2] + f"{(int(local[-2:]) + 1) % 100:02d}"
            shared = "+86" + (area + other).lstrip("0")
            if _valid(shared) and shared != e164:
                lines.append(f"{written}{appliance}维修网点：{area}-{local}、{other}")
                gold.phones.add(shared)
                gold.links.add((canonical, category, e164))
                gold.links.add((canonical, category, shared))
    if rng.random() < 0.5:  # a directory line: "<brand>：<number>" with no appliance
        e164, national, _ = random_number(rng)
        lines.append(f"{written}：{write_number(national, 'dashed', rng)}")
        gold.phones.add(e164)
        gold.links.add((canonical, "", e164))
    for template in rng.sample(NOISE, 3):
        lines.append(template.format(icp=rng.randrange(10**7, 10**8), qq=rng.randrange(10**8, 10**10),
                                     masked=rng.randrange(100, 1000), four=rng.randrange(1000, 10000),
                                     order=rng.randrange(10**11, 10**12)))
    if rng.random() < 0.3:
        lines.append("For customers abroad, call (212) 555-0198 from 9am to 5pm.")
        gold.phones.add("+12125550198")
    area_list, codes = _regions(rng, rng.randint(3, 12))
    lines.append(f"全国服务区域：{area_list}")
    gold.regions = codes
    gold.brands.add(canonical)
    gold.text = "\n".join(lines) + "\n"
    return gold


def pages(count: int, seed: int = 7, disguised: float = 0.5) -> Iterator[Page]:
    rng = random.Random(seed)
    brands, names = gazetteer()
    for _ in range(count):
        yield page(rng, brands, names, disguised)
