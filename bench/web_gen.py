"""A labelled synthetic web: pages with urls and page kinds, numbers with fraud labels.

The web has brands (from the gazetteer, each with its real line and an official site), and:

- **fake service pages** in the seeds' template (a title, lines repeating brand + appliance +
  service words + number, numbered lists, filler, a service-area list), some short, some
  without an area list, some quoting the brand's real line once "to look trustworthy";
- **fraud lines shared across brands**, each reused by pages of many unrelated brands with a
  long-tailed (Zipf) reuse, and **fraud lines posing as one brand only**, each used by a small
  network of pages for its brand;
- **official pages** on the brand's own domain (the domain from its Latin name, or an invented
  pinyin-like one that no table knows), with the real line, policy text and products;
- **directories** listing many brands each with its real line (a few with a fraud line mixed in);
- **news** about fake hotlines (quoting a fraud line or the real one) and **shops** with their own
  numbers.

Every number is labelled fraud (a fraud line) or not (real lines, shops' numbers). Proportions
are parameters (`Mix`), so figures can be checked under other mixes. Pages are text as crawls
find them, to be run through the real pipeline (`hotlines.pipeline.extract_bytes`, with url).

`graph_edges` generates the same kind of web at graph level only (page verdicts, numbers,
brands, counts), for scoring a graph of a million pages without extracting a million pages.

The renderer is written apart from the cue tables: it writes what such pages say, and the
labels are what it wrote.
"""

from __future__ import annotations

import random
import string
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]

from forms_corpus import _regions, gazetteer, write_number  # noqa: E402

NAV = ["全国报修", "有问题 必受理", "服务流程", "拨打电话", "线上联系客服", "信息加密", "安排师傅", "最快30分钟", "快速响应", "上门服务", "安心保障",
       "首页", "维修项目", "收费标准", "联系我们", "在线预约"]
SERVICE = ["售后服务电话", "售后维修热线", "全国统一客服电话", "24小时报修电话", "维修服务中心电话", "厂家售后服务总部电话", "客服电话号码",
           "全国各网点服务电话", "24小时人工服务热线", "售后服务网点电话号码", "维修电话", "上门维修电话"]
FILLER = [
    "客户为中心:我们始终以客户为中心,致力于提供最优质的售后服务。无论您的设备出现何种问题,我们都会全力以赴,让您满意而归。",
    "客户意见箱,倾听客户声音:我们设立客户意见箱,鼓励客户提出宝贵意见和建议,以便我们不断改进服务。",
    "专业团队:维修师傅均经过严格培训,持证上岗,技术过硬,服务热情。",
    "配件保障:使用原厂配件,质量有保证,维修后享受保修服务。",
    "常见故障:不点火、打不着火、漏水、显示故障代码、不制冷、噪音大、不加热等问题均可处理。",
    "服务承诺:接到报修电话后及时响应,师傅准时上门,收费透明,明码标价。",
]
AREA_HEADINGS = ["全国服务区域:", "服务网点分布:", "维修服务范围：", "我们的服务覆盖以下城市:", "热门服务地区："]
OFFICIAL_NAV = ["首页", "产品中心", "服务支持", "新闻中心", "关于我们", "投资者关系", "加入我们", "网点查询", "产品注册", "会员中心"]
POLICY = ["保修政策：整机保修一年，主要部件保修三年，详见产品三包凭证。", "收费标准：维修收费按照官方公布的收费标准执行，请认准官方工作人员。",
          "隐私政策 | 法律声明 | 网站地图", "版权所有 © 2024 {brand}集团 保留所有权利", "延保服务：购买延保可享受更长保修期。",
          "电子保卡：扫码即可查询保修信息。"]
OFFICIAL_LINES = ["{brand}客户服务热线：{number}", "全国服务热线 {number}", "服务热线：{number}（7×24小时）", "{brand}官方客服电话：{number}"]
DIRECTORY_TITLES = ["家电品牌售后服务电话大全", "{category}品牌客服电话汇总", "常用品牌官方客服热线一览", "家用电器售后电话号码名录"]
NEWS_OPENINGS = [
    "近日，记者调查发现，在搜索引擎中输入“{brand}售后”，排在前面的多个网站留有的联系电话并非{brand}官方号码。",
    "据了解，不少消费者在网上搜索{brand}{appliance}维修电话后，遭遇高价维修、以次充好等问题。",
    "市场监管部门提醒消费者，家电维修应通过品牌官方渠道预约，警惕假冒的“厂家售后”网站。",
]
NEWS_BODY = [
    "一位消费者告诉记者，他拨打网页上的号码后，上门师傅更换了一个配件就收取了800元。",
    "业内人士表示，这类网站往往冒用品牌名称，通过搜索排名吸引消费者。",
    "消费者协会建议，遇到维修纠纷可拨打12315投诉举报。",
    "记者随后联系了品牌方，对方表示从未授权上述网站提供维修服务。",
]
SHOP_LINES = ["{brand}{appliance} {model} 家用 到手价¥{price} 包邮", "原价¥{old} 月销{sales}+ 累计评价{reviews}", "加入购物车 立即购买",
              "店铺：{city}{brand}电器专卖店 客服电话：{number}", "正品保障 七天无理由退换 送货上门"]
CITIES = ["北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "重庆"]
DIRECTORY_SITES = ["www.114hao.com", "www.kefudianhua.net", "www.dianhua-daquan.cn", "www.haomabai.com", "tel.shoujibao.cn"]
NEWS_SITES = ["news.sina.com.cn", "www.thepaper.cn", "www.cqrb-news.com.cn", "finance.eastday.com", "www.xinhuanet.com", "news.jstv.com"]
SHOP_SITES = ["item.jd.com", "detail.tmall.com", "www.dianqi-mall.com", "shop.gomeplus.cn"]


@dataclass(frozen=True)
class Mix:
    """Proportions of the web (pages of each kind, lines of each sort)."""

    name: str = "default"
    brands: int = 60
    shared_lines: int = 30
    single_lines: int = 60
    fake_pages: int = 420
    shared_share: float = 0.5  # fake pages using a shared line (the rest: a single-brand line)
    zipf: float = 1.1  # reuse of shared lines: weight of the k-th line is 1 / k**zipf
    official_pages: int = 60
    directories: int = 20
    news: int = 30
    shops: int = 30
    quote_official: float = 0.3  # fake pages that quote the brand's real line once
    short_fakes: float = 0.2  # fake pages with no area list, a few lines only
    directory_noise: float = 0.1  # directory rows that give a fraud line


MIXES = [
    Mix(),
    Mix(name="single-brand heavy", shared_share=0.15, single_lines=120, shared_lines=10),
    Mix(name="shared heavy", shared_share=0.85, single_lines=20, shared_lines=60, zipf=1.4),
    Mix(name="quoting, short pages", quote_official=0.7, short_fakes=0.5),
    Mix(name="few official pages", official_pages=15, directories=8, news=60, shops=60),
    Mix(name="no official pages", official_pages=0),
    Mix(name="no trusted pages", official_pages=0, directories=0, quote_official=0.5),
]


@dataclass
class Brand:
    canonical: str
    written: str
    categories: list[str]
    real_line: str  # E.164
    real_national: str
    domain: str


@dataclass
class WebPage:
    url: str
    kind: str  # fake_service | official | directory | other
    text: str
    html: bool = False


@dataclass
class Web:
    pages: list[WebPage] = field(default_factory=list)
    fraud: set[str] = field(default_factory=set)  # E.164 of fraud lines
    legit: set[str] = field(default_factory=set)


def _number(rng: random.Random, mobile_share: float = 0.25) -> tuple[str, str]:
    """(E.164, national) of a fresh valid number: a 400 line or a mobile."""
    import phonenumbers

    while True:
        if rng.random() < mobile_share:
            national = "1" + rng.choice("3589") + "".join(rng.choice(string.digits) for _ in range(9))
        else:
            national = "400" + rng.choice("123456789") + "".join(rng.choice(string.digits) for _ in range(6))
        e164 = "+86" + national
        if phonenumbers.is_valid_number(phonenumbers.parse(e164)):
            return e164, national


def _landline(rng: random.Random) -> tuple[str, str]:
    import phonenumbers

    while True:
        area = rng.choice(["010", "021", "020", "0755", "0571", "028", "027"])
        national = area + rng.choice("2345678") + "".join(rng.choice(string.digits) for _ in range(7))
        e164 = "+86" + national[1:]
        if phonenumbers.is_valid_number(phonenumbers.parse(e164)):
            return e164, national


def _written(national: str, rng: random.Random) -> str:
    return write_number(national, rng.choice(["dashed", "dashed", "plain", "spaced_groups"]), rng)


def _slug(rng: random.Random, n: int = 8) -> str:
    return "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(n))


def _pinyinish(rng: random.Random) -> str:
    syllables = ["chang", "er", "te", "hua", "mei", "kang", "bao", "sen", "ge", "yi", "tian", "da", "xing", "jia", "le", "ying", "hao", "tai"]
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3)))


def make_brands(rng: random.Random, count: int) -> list[Brand]:
    rows, _ = gazetteer()
    chosen = rng.sample([r for r in rows if all("\u3400" <= ch <= "\u9fff" for ch in r["canonical"])], count)
    brands = []
    used: set[str] = set()
    for row in chosen:
        latin = [a for a in row["aliases"].split(";") if a and a.isascii() and a.replace(" ", "").isalpha()]
        domain = (latin[0].lower().replace(" ", "") if latin and rng.random() < 0.7 else _pinyinish(rng)) + rng.choice([".com", ".com.cn", ".cn"])
        while True:
            e164, national = _number(rng, mobile_share=0.0) if rng.random() < 0.8 else _landline(rng)
            if e164 not in used:
                used.add(e164)
                break
        brands.append(Brand(row["canonical"], row["canonical"], row["categories"].split(";"), e164, national, domain))
    return brands


def _appliance(rng: random.Random, brand: Brand, names: dict[str, list[str]]) -> str:
    return rng.choice(names[rng.choice(brand.categories)])


def fake_page(rng: random.Random, brand: Brand, lines: list[tuple[str, str]], names: dict[str, list[str]], mix: Mix) -> WebPage:
    appliance = _appliance(rng, brand, names)
    b = brand.written
    main = _written(lines[0][1], rng)
    short = rng.random() < mix.short_fakes
    out: list[str] = []
    if not short:
        out += rng.sample(NAV, rng.randint(4, 11)) + [""]
    out.append(f"{b}{appliance}{rng.choice(SERVICE)}")
    if rng.random() < 0.6:
        out.append("发布时间:")
    out.append(f"{rng.choice(['400服务电话', '服务热线', '报修电话', '客服热线'])}:{main}{rng.choice(['(点击咨询)', '(点击拨打)', '', '（24小时）'])}")
    for _ in range(rng.randint(2, 5) if short else rng.randint(5, 14)):
        style = rng.random()
        if style < 0.35:
            out.append(f"{b}{appliance}{rng.choice(SERVICE)}")
        elif style < 0.6:
            number = _written(rng.choice(lines)[1], rng)
            out.append(f"{b}{appliance}{rng.choice(SERVICE)}:{number}")
        elif style < 0.8:
            out.append(f"{b}{appliance}{rng.choice(SERVICE)}:(1){main}(点击咨询)(2){main}(点击咨询)")
        else:
            out.append(rng.choice(FILLER))
    if len(lines) > 1:
        out.append(f"{b}{appliance}维修师傅电话:{_written(lines[1][1], rng)}")
    if rng.random() < mix.quote_official:
        out.append(rng.choice([f"{b}官方客服电话：{_written(brand.real_national, rng)}", f"{b}总部官网热线 {_written(brand.real_national, rng)}",
                               f"温馨提示：{b}官方热线为{_written(brand.real_national, rng)}"]))
    if not short and rng.random() < 0.9:
        area, _ = _regions(rng, rng.randint(10, 300))
        items = area.split("、")
        out.append(f"{b}{appliance}{rng.choice(AREA_HEADINGS)}")
        for start in range(0, len(items), 8):
            out.append("、".join(items[start : start + 8]))
    out.append(f"{b}{appliance}{rng.choice(SERVICE)}{main}")
    host = rng.choice([f"www.{_slug(rng, 6)}.com", f"{_slug(rng, 5)}.{rng.choice(['cn', 'com.cn', 'net', 'top'])}",
                       f"{brand.domain.split('.')[0]}-{rng.choice(['weixiu', 'fuwu', 'shouhou', '400'])}.com", f"m.{_slug(rng, 7)}.cn"])
    return WebPage(f"http://{host}/{rng.choice(['news', 'fuwu', 'article', 'p'])}/{rng.randint(1, 99999)}.html", "fake_service", "\n".join(out) + "\n")


def official_page(rng: random.Random, brand: Brand, names: dict[str, list[str]]) -> WebPage:
    b = brand.written
    out = [f"{b}官方网站 | {rng.choice(['服务与支持', '客户服务', '售后服务'])}"]
    out += rng.sample(OFFICIAL_NAV, rng.randint(4, 8))
    real = _written(brand.real_national, rng)
    out.append(rng.choice(OFFICIAL_LINES).format(brand=b, number=real))
    for _ in range(rng.randint(2, 5)):
        appliance = _appliance(rng, brand, names)
        out.append(rng.choice([f"{b}{appliance}系列 了解更多", f"{appliance}使用指南与常见问题", f"{b}{appliance} 新品上市", f"{appliance}安装与保养"]))
    for policy in rng.sample(POLICY, rng.randint(1 if rng.random() < 0.8 else 0, 4)):
        out.append(policy.format(brand=b))
    if rng.random() < 0.5:
        out.append(f"如需报修，请拨打{b}全国统一服务热线 {real}，或关注{b}服务公众号在线预约。")
    if rng.random() < 0.3:
        out.append("网点查询：请选择您所在的省份和城市")
    return WebPage(f"https://{rng.choice(['www.', 'service.', ''])}{brand.domain}/{rng.choice(['service', 'support', 'fuwu'])}/{_slug(rng, 5)}.html", "official", "\n".join(out) + "\n")


def directory_page(rng: random.Random, brands: list[Brand], names: dict[str, list[str]], fraud: list[tuple[str, str]], mix: Mix) -> WebPage:
    listed = rng.sample(brands, min(len(brands), rng.randint(6, 30)))
    category = rng.choice(listed[0].categories)
    out = [rng.choice(DIRECTORY_TITLES).format(category=names[category][0])]
    for brand in listed:
        national = rng.choice(fraud)[1] if rng.random() < mix.directory_noise else brand.real_national
        number = _written(national, rng)
        out.append(rng.choice([f"{brand.written}：{number}", f"{brand.written}客服电话：{number}", f"{brand.written}{_appliance(rng, brand, names)}售后：{number}",
                               f"{brand.written} 全国服务热线 {number}"]))
    out.append(rng.choice(["以上号码均来自各品牌官网，仅供参考。", "温馨提示：拨打前请核实号码。", "本页号码定期更新。"]))
    return WebPage(f"https://{rng.choice(DIRECTORY_SITES)}/{_slug(rng, 6)}.html", "directory", "\n".join(out) + "\n")


def news_page(rng: random.Random, brand: Brand, names: dict[str, list[str]], fraud: list[tuple[str, str]]) -> WebPage:
    appliance = _appliance(rng, brand, names)
    out = [rng.choice(["警惕！搜索出来的“售后电话”可能是假的", "家电维修乱象调查", f"假冒{brand.written}售后网站调查"]),
           f"{rng.randint(2021, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 来源：{rng.choice(['新华网', '澎湃新闻', '都市报'])}"]
    out += [opening.format(brand=brand.written, appliance=appliance) for opening in rng.sample(NEWS_OPENINGS, 2)]
    out += rng.sample(NEWS_BODY, rng.randint(2, 4))
    if rng.random() < 0.4:
        out.append(f"记者拨打了其中一个号码{_written(rng.choice(fraud)[1], rng)}，接线人员自称是“厂家售后”。")
    if rng.random() < 0.4:
        out.append(f"{brand.written}方面提醒，其官方客服电话为{_written(brand.real_national, rng)}。")
    out.append(f"（责任编辑：{rng.choice(['王', '李', '张'])}{rng.choice(['明', '华', '丽'])}）")
    return WebPage(f"https://{rng.choice(NEWS_SITES)}/{rng.randint(2021, 2025)}/{_slug(rng, 8)}.shtml", "other", "\n".join(out) + "\n")


def shop_page(rng: random.Random, brand: Brand, names: dict[str, list[str]], web: Web) -> WebPage:
    appliance = _appliance(rng, brand, names)
    e164, national = _landline(rng) if rng.random() < 0.6 else _number(rng, mobile_share=1.0)
    web.legit.add(e164)
    values = {"brand": brand.written, "appliance": appliance, "model": f"{rng.choice('ABCDEFGHJK')}{rng.randint(10, 99)}-{rng.randint(100, 999)}",
              "price": rng.randint(300, 9000), "old": rng.randint(9001, 12000), "sales": rng.randint(10, 5000), "reviews": rng.randint(10, 90000),
              "city": rng.choice(CITIES), "number": _written(national, rng)}
    out = [line.format(**values) for line in SHOP_LINES]
    rng.shuffle(out)
    return WebPage(f"https://{rng.choice(SHOP_SITES)}/{rng.randint(10**6, 10**8)}.html", "other", "\n".join(out) + "\n")


def generate(mix: Mix, seed: int = 7) -> Web:
    """A whole labelled web for `mix`, deterministic for `seed`."""
    rng = random.Random(seed)
    _, names = gazetteer()
    brands = make_brands(rng, mix.brands)
    web = Web()
    web.legit |= {b.real_line for b in brands}
    shared = [_number(rng) for _ in range(mix.shared_lines)]
    single = [(_number(rng), rng.choice(brands)) for _ in range(mix.single_lines)]
    web.fraud |= {e for e, _ in shared} | {e for (e, _), _ in single}
    web.legit -= web.fraud
    weights = [1 / (k + 1) ** mix.zipf for k in range(len(shared))]
    partners = {line[0]: _number(rng, mobile_share=1.0) for line in shared + [s for s, _ in single] if rng.random() < 0.3}
    web.fraud |= {e for e, _ in partners.values()}
    for _ in range(mix.fake_pages):
        if shared and (rng.random() < mix.shared_share or not single):
            line = rng.choices(shared, weights)[0]
            brand = rng.choice(brands)
        else:
            line, brand = rng.choice(single)
        lines = [line] + ([partners[line[0]]] if line[0] in partners else [])
        web.pages.append(fake_page(rng, brand, lines, names, mix))
    for i in range(mix.official_pages):
        web.pages.append(official_page(rng, brands[i % len(brands)], names))
    all_fraud = shared + [s for s, _ in single]
    for _ in range(mix.directories):
        web.pages.append(directory_page(rng, brands, names, all_fraud, mix))
    for _ in range(mix.news):
        web.pages.append(news_page(rng, rng.choice(brands), names, all_fraud))
    for _ in range(mix.shops):
        web.pages.append(shop_page(rng, rng.choice(brands), names, web))
    rng.shuffle(web.pages)
    return web


# --- graph level, for a million pages ---------------------------------------------------------


@dataclass(frozen=True)
class GraphMix:
    pages: int = 1_000_000
    brands: int = 3_000
    shared_lines: int = 20_000
    single_lines: int = 60_000
    fake: float = 0.7  # shares of pages by kind; the rest are news and shops
    official: float = 0.05
    directory: float = 0.03
    shared_share: float = 0.5
    zipf: float = 1.1
    quote_official: float = 0.3
    verdict_errors: float = 0.03  # pages whose verdict is wrong, as the page verdict is on ~3% of pages


def graph_pages(mix: GraphMix, seed: int = 11) -> Iterator[tuple[str, float, list[tuple[int, int]], list[tuple[int, int]], list[int]]]:
    """Pages as (verdict kind, score, [(number, count)], [(brand, number)] links, [brands named]).

    Numbers 0..brands-1 are the brands' real lines; then shared fraud lines, then single-brand
    ones, then shops' numbers (fresh ones, one per shop page).
    """
    rng = random.Random(seed)
    real = mix.brands
    shared0, single0 = real, real + mix.shared_lines
    shop0 = single0 + mix.single_lines
    single_brand = [rng.randrange(mix.brands) for _ in range(mix.single_lines)]
    cumulative, total = [], 0.0
    for k in range(mix.shared_lines):
        total += 1 / (k + 1) ** mix.zipf
        cumulative.append(total)
    import bisect

    kinds = ("fake_service", "official", "directory", "other")
    for page in range(mix.pages):
        roll = rng.random()
        if roll < mix.fake:
            if rng.random() < mix.shared_share:
                line = shared0 + bisect.bisect_left(cumulative, rng.random() * total)
                brand = rng.randrange(mix.brands)
            else:
                k = rng.randrange(mix.single_lines)
                line, brand = single0 + k, single_brand[k]
            numbers, links = [(line, rng.randint(3, 14))], [(brand, line)]
            if rng.random() < mix.quote_official:
                numbers.append((brand, 1))
                links.append((brand, brand))
            kind, named = "fake_service", [brand]
        elif roll < mix.fake + mix.official:
            brand = rng.randrange(mix.brands)
            numbers, links, kind, named = [(brand, rng.randint(1, 3))], [(brand, brand)], "official", [brand]
        elif roll < mix.fake + mix.official + mix.directory:
            listed = rng.sample(range(mix.brands), rng.randint(6, 30))
            numbers, links, kind, named = [(b, 1) for b in listed], [(b, b) for b in listed], "directory", listed
        else:
            brand = rng.randrange(mix.brands)
            shop = shop0 + page
            numbers, links, kind, named = [(shop, 1)], [(brand, shop)], "other", [brand]
        if rng.random() < mix.verdict_errors:
            kind = rng.choice([k for k in kinds if k != kind])
        yield kind, round(rng.uniform(0.7, 1.0), 4), numbers, links, named


def is_fraud_number(number: int, mix: GraphMix) -> bool:
    return mix.brands <= number < mix.brands + mix.shared_lines + mix.single_lines


__all__ = ["MIXES", "GraphMix", "Mix", "Web", "WebPage", "generate", "graph_pages", "is_fraud_number"]
