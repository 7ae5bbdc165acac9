"""The page verdict: fake service page, a brand's official page, a directory, or something else.

A verdict is read off measurements of the page (`Facts`): how many distinct places it lists,
how many of its lines name one brand beside service words, how often one number repeats,
whether its url is a named brand's own domain, which phrases it uses (data/phrases.csv), and so
on. Which measurement supports which kind, from what threshold and with what weight is data:
`data/page_cues.csv` (cue, kind, feature, op, threshold, weight, unit, description). A kind's
total is the sum of the weights of its cues that fired; the verdict is the kind with the
largest total, its `score` that kind's softmax share of the four totals, and its `reasons` the
cues that fired for it, strongest first, each with its evidence ("service_area_list: 312
regions").

Cost: the measurements reuse what the extractors found (regions, brands with their spans,
phones with their spans and counts, links); service words are looked for on the brands' own
lines only, and the one pass of the phrase pattern over the text is made only when phrases could
change the verdict (not on a page the fake template already decides). No model, no second
tokenisation (README, "How verdicts are reached", for the measured cost).
"""

from __future__ import annotations

import csv
import importlib.resources
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple
from urllib.parse import urlsplit

from schemas.page_record import Brand, Link, Phone, Region, Verdict

KINDS = ("fake_service", "official", "directory", "other")
"""Every verdict kind, in the order ties are broken."""

FEATURES = (
    "always", "regions", "area_heading", "service_lines", "brand_service_lines", "numbered_numbers", "hype",
    "top_number_count", "number_brands", "brand_domain", "policy", "brands", "brands_with_own_number",
    "directory_words", "numbers", "news", "shop", "site_news", "site_shop",
)
"""The measurements a cue may test (`Facts`); a cue table naming any other is refused."""

PHRASE_FEATURES = ("service_word", "hype", "area_heading", "policy", "directory_words", "news", "shop")
_OPS = (">=", "<=", "==")
# "(1)400-…", "（2）400…": a number right after a list marker in brackets.
_NUMBERED = re.compile(r"[(（]\s*\d{1,2}\s*[)）]\s*$")
# Second-level suffixes under which the registrable name is the third label from the right.
_SECOND_LEVEL = {"com.cn", "net.cn", "org.cn", "gov.cn", "edu.cn", "ac.cn", "com.hk", "com.tw", "co.jp", "co.uk", "com.au"}


class Cue(NamedTuple):
    cue: str
    kind: str
    feature: str
    op: str
    threshold: float
    weight: float
    unit: str
    description: str


@dataclass(slots=True)
class Facts:
    """The measurements of one page that cues test (every name in FEATURES)."""

    always: int = 1
    regions: int = 0  # distinct places (adcodes) mentioned
    area_heading: int = 0
    service_lines: int = 0  # lines naming a brand beside a service word
    brand_service_lines: int = 0  # the most such lines for one brand
    numbered_numbers: int = 0
    hype: int = 0
    top_number_count: int = 0  # mentions of the most repeated number
    number_brands: int = 0  # the most brands linked to one number
    brand_domain: int = 0
    policy: int = 0
    brands: int = 0
    brands_with_own_number: int = 0
    directory_words: int = 0
    numbers: int = 0  # distinct numbers, public short codes aside
    news: int = 0
    shop: int = 0
    site_news: int = 0
    site_shop: int = 0
    domain_evidence: str = ""  # "www.haier.com is 海尔's" when brand_domain fired
    site_evidence: str = ""


def _data(name: str) -> list[dict[str, str]]:
    text = importlib.resources.files("hotlines.verdict").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@lru_cache(maxsize=1)
def cues() -> tuple[Cue, ...]:
    """The cue table, checked: known kinds, features and operators; one feature per cue id."""
    table = []
    features: dict[str, tuple[str, str, float]] = {}
    for row in _data("page_cues.csv"):
        cue = Cue(row["cue"], row["kind"], row["feature"], row["op"], float(row["threshold"]), float(row["weight"]), row["unit"], row["description"])
        if cue.kind not in KINDS or cue.feature not in FEATURES or cue.op not in _OPS:
            raise ValueError(f"page_cues.csv: bad row {row}")
        if features.setdefault(cue.cue, (cue.feature, cue.op, cue.threshold)) != (cue.feature, cue.op, cue.threshold):
            raise ValueError(f"page_cues.csv: cue {cue.cue} tests two different things")
        table.append(cue)
    return tuple(table)


@lru_cache(maxsize=1)
def _phrases() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]], re.Pattern[str]]:
    """(one pattern for every phrase but the service words, phrase -> its features, one for the service words).

    Service words only matter on the lines that name a brand, so they are looked for there alone.
    """
    features: dict[str, set[str]] = {}
    for row in _data("phrases.csv"):
        if row["feature"] not in PHRASE_FEATURES:
            raise ValueError(f"phrases.csv: unknown feature {row['feature']!r}")
        features.setdefault(row["phrase"], set()).add(row["feature"])
    service = re.compile(_trie_pattern(sorted(p for p, kinds in features.items() if "service_word" in kinds)))
    others = {p: tuple(sorted(kinds - {"service_word"})) for p, kinds in features.items() if kinds - {"service_word"}}
    return re.compile(_trie_pattern(sorted(others))), others, service


def _trie_pattern(words: list[str]) -> str:
    """One alternation of `words` with shared prefixes factored out ("全国(?:统一|联保)"): the
    engine tries a phrase's common start once instead of once per phrase."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        if "" in node:  # a word ends here: the longer ones are optional
            return "(?:" + "|".join(branches) + ")?"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(trie)


@lru_cache(maxsize=1)
def brand_domains() -> dict[str, str]:
    """Registrable domain -> brand (canonical name), from data/brand_domains.csv."""
    return {row["domain"].strip().lower(): row["brand"].strip() for row in _data("brand_domains.csv")}


@lru_cache(maxsize=1)
def _site_kinds() -> dict[str, str]:
    return {row["domain"].strip().lower(): row["kind"].strip() for row in _data("site_kinds.csv")}


@lru_cache(maxsize=1)
def _latin_names() -> dict[str, frozenset[str]]:
    """Brand (canonical) -> its Latin names squeezed to [a-z0-9] ('A.O.Smith' -> 'aosmith')."""
    text = importlib.resources.files("extractors").joinpath("data/brands.csv").read_text(encoding="utf-8")
    names: dict[str, set[str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        for alias in [row["canonical"], *(row.get("aliases") or "").split(";")]:
            squeezed = re.sub(r"[^a-z0-9]", "", alias.lower())
            if len(squeezed) >= 2 and alias.isascii():
                names.setdefault(row["canonical"], set()).add(squeezed)
    return {brand: frozenset(found) for brand, found in names.items()}


def host_of(url: str | None) -> str:
    """The url's host, lower case, without a trailing dot ('' when there is none)."""
    if not url:
        return ""
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".").lower()


def _suffixes(host: str) -> list[str]:
    """The host and every domain above it: www.haier.com, haier.com, com."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def registrable_label(host: str) -> str:
    """The name a site registered: 'haier' for www.haier.com, 'midea' for service.midea.com.cn."""
    labels = host.split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in _SECOND_LEVEL:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else ""


def official_brands(url: str | None, brand_keys: Sequence[str]) -> list[str]:
    """Which of `brand_keys` (canonical names) the url (or a bare host) is an own domain of.

    A domain in data/brand_domains.csv is its brand's, and so is a site whose registered name
    is exactly one of the brand's Latin names (haier.com, midea.com.cn; not haier-weixiu.cn or
    haier.fuwu123.com, whose registered names are other words).
    """
    host = host_of(url)
    if not host:
        return []
    table = brand_domains()
    owners = {table[domain] for domain in _suffixes(host) if domain in table}
    label = re.sub(r"[^a-z0-9]", "", registrable_label(host))
    latin = _latin_names()
    return [key for key in brand_keys if key in owners or (label and label in latin.get(key, ()))]


def measure(
    text: str,
    title: str | None,
    url: str | None,
    phones: Sequence[Phone],
    brands: Sequence[Brand],
    regions: Sequence[Region],
    links: Sequence[Link],
    *,
    phrases: bool = True,
) -> Facts:
    """The page's measurements, from its text and what the extractors found in it; `phrases`
    False leaves the phrase counts (the costly part, `measure_phrases`) at 0."""
    facts = Facts()
    facts.regions = len(set(map(attrgetter("adcode"), regions)))
    numbers = [phone for phone in phones if phone.kind != "short_code"]
    facts.numbers = len(numbers)
    facts.top_number_count = max((phone.count for phone in numbers), default=0)
    facts.brands = len(brands)

    if phrases:
        measure_phrases(facts, text, title)
    service_word = _phrases()[2]

    # Lines that name a brand beside a service word: only the brands' own lines are read.
    if brands:
        verdicts: dict[int, bool] = {}  # line start -> holds a service word
        all_lines: set[int] = set()
        for brand in brands:
            lines = set()
            for start, _ in brand.spans:
                line = text.rfind("\n", 0, start) + 1
                if line not in verdicts:
                    end = text.find("\n", start)
                    verdicts[line] = service_word.search(text, line, end if end >= 0 else len(text)) is not None
                if verdicts[line]:
                    lines.add(line)
            all_lines |= lines
            facts.brand_service_lines = max(facts.brand_service_lines, len(lines))
        facts.service_lines = len(all_lines)

    # Numbers written as a numbered list: "(1)400-1865-909(2)400-1865-909".
    facts.numbered_numbers = sum(
        1 for phone in numbers for start, _ in phone.spans if text[start - 1 : start] in (")", "）") and _NUMBERED.search(text, max(0, start - 6), start)
    )

    # Numbers and the brands linked to them.
    by_number: dict[str, set[str]] = {}
    for link in links:
        by_number.setdefault(link.phone, set()).add(link.brand)
    facts.number_brands = max((len(names) for names in by_number.values()), default=0)
    facts.brands_with_own_number = len({next(iter(names)) for names in by_number.values() if len(names) == 1})

    # The url: a named brand's own domain, or a news or shopping site.
    host = host_of(url)
    if host:
        owned = official_brands(host, [brand.canonical or brand.name for brand in brands]) if brands else []
        if owned:
            facts.brand_domain = 1
            facts.domain_evidence = f"{host} is {owned[0]}'s"
        sites = _site_kinds()
        for domain in _suffixes(host):
            if domain in sites:
                kind = sites[domain]
                facts.site_news, facts.site_shop = int(kind == "news"), int(kind == "shop")
                facts.site_evidence = f"{host} ({kind})"
                break
    return facts


def measure_phrases(facts: Facts, text: str, title: str | None) -> None:
    """The phrase counts: one pass of one pattern over the text (and the title, which the text
    may not hold); how many distinct phrases of each feature appear."""
    pattern, phrase_features, _ = _phrases()
    found = set(pattern.findall(text))
    if title:
        found.update(pattern.findall(title))
    counts = dict.fromkeys(PHRASE_FEATURES, 0)
    for phrase in found:
        for feature in phrase_features[phrase]:
            counts[feature] += 1
    facts.area_heading, facts.hype, facts.policy = counts["area_heading"], counts["hype"], counts["policy"]
    facts.directory_words, facts.news, facts.shop = counts["directory_words"], counts["news"], counts["shop"]


DECIDED_MARGIN = 4.0
"""Phrase cues are read only when they could bring another kind within this much of the leader."""


@lru_cache(maxsize=1)
def _phrase_headroom() -> dict[str, float]:
    """Per kind, the most its phrase cues can add (their positive weights) and take away."""
    up, down = dict.fromkeys(KINDS, 0.0), dict.fromkeys(KINDS, 0.0)
    for cue in cues():
        if cue.feature in PHRASE_FEATURES:
            if cue.weight > 0:
                up[cue.kind] += cue.weight
            else:
                down[cue.kind] -= cue.weight
    return {kind: up[kind] for kind in KINDS} | {f"-{kind}": down[kind] for kind in KINDS}


def _fired(facts: Facts) -> tuple[dict[str, float], list[tuple[Cue, float]]]:
    """Per kind, the sum of its fired cues' weights; and the fired cues with their values."""
    totals = dict.fromkeys(KINDS, 0.0)
    fired = []
    for cue in cues():
        value = getattr(facts, cue.feature)
        op = cue.op
        if value >= cue.threshold if op == ">=" else value <= cue.threshold if op == "<=" else value == cue.threshold:
            totals[cue.kind] += cue.weight
            fired.append((cue, value))
    return totals, fired


def decided_without_phrases(facts: Facts, totals: dict[str, float] | None = None) -> bool:
    """Whether no phrase could change the verdict: the leader, even after losing what its phrase
    cues could take away, stays DECIDED_MARGIN ahead of every other kind given all its phrase cues."""
    totals, room = totals or _fired(facts)[0], _phrase_headroom()
    if facts.numbers == 0 or facts.service_lines == 0:
        return False  # pages that are not service pages: their phrases say what they are
    leader = max(KINDS, key=lambda k: (totals[k], -KINDS.index(k)))
    floor = totals[leader] - room[f"-{leader}"]
    return all(floor - (totals[k] + room[k]) >= DECIDED_MARGIN for k in KINDS if k != leader)


def decide(facts: Facts, fired: tuple[dict[str, float], list[tuple[Cue, float]]] | None = None) -> Verdict:
    """The verdict the cue table gives these measurements (`fired`: `_fired(facts)`, if known)."""
    totals, fired_cues = fired or _fired(facts)
    kind = max(KINDS, key=lambda k: (totals[k], -KINDS.index(k)))
    top = totals[kind]
    share = 1.0 / sum(math.exp(total - top) for total in totals.values())
    supporting = sorted(((c, v) for c, v in fired_cues if c.kind == kind and c.weight > 0 and c.feature != "always"), key=lambda cv: -cv[0].weight)
    said: set[str] = set()  # graded cues on one measurement (regions >= 8, >= 40): the strongest speaks for them
    reasons = []
    for cue, value in supporting:
        if cue.feature not in said:
            said.add(cue.feature)
            reasons.append(_reason(cue, value, facts))
    if not reasons:  # only the prior: say so in words
        reasons = ["no cue of a fake service page, an official page or a directory"]
    return Verdict(kind=kind, score=round(share, 4), reasons=reasons)  # type: ignore[arg-type]


def _reason(cue: Cue, value: float, facts: Facts) -> str:
    if cue.feature == "brand_domain":
        return f"{cue.cue}: {facts.domain_evidence}"
    if cue.feature in ("site_news", "site_shop"):
        return f"{cue.cue}: {facts.site_evidence}"
    return f"{cue.cue}: {int(value)} {cue.unit}".rstrip()


def page_verdict(
    text: str,
    title: str | None,
    url: str | None,
    phones: Sequence[Phone],
    brands: Sequence[Brand],
    regions: Sequence[Region],
    links: Sequence[Link],
) -> Verdict:
    """The verdict of one page from its text, title, url and extracted entities.

    The phrase pass, most of the cost, is skipped on a page the other cues already decide beyond
    any phrase (a fake page with its template: area list, stuffed lines, numbered numbers); its
    reasons then name those cues."""
    facts = measure(text, title, url, phones, brands, regions, links, phrases=False)
    fired = _fired(facts)
    if not decided_without_phrases(facts, fired[0]):
        measure_phrases(facts, text, title)
        fired = _fired(facts)
    return decide(facts, fired)
