"""Number risk: propagation over the page–number–brand graph.

Nodes are pages, numbers and brands. A page carries its verdict (kind and score); a number sits
on pages (with how many times each page writes it) and claims brands (a link on a page, or any
number of a page that names one brand only); a brand may have official lines, loaded by the user
(`index official`) or learned from the brand's own pages (an official verdict on its domain, or a
confident one on a page naming that brand alone: `official_pages`).

Every number gets a risk in [0, 1] (higher: more likely a fraud line) from three sources:

- **its own evidence** `own` (weight `W_OWN`): in log-odds, `BRANDS_WEIGHT * log2(brands claimed)`
  plus `IMPERSONATION_WEIGHT` when the number is offered as the line of a brand whose official
  lines are known and it is not one of them ("not 海尔's official line"), times how much the
  page that does so counts (`IMPERSONATION_BY_KIND`: a fake service page or a directory fully;
  a news or shop page not at all, since shops and reports give numbers of their own, and
  neither does an official page); on that page the number then counts as on a fake page;
- **its pages** `pages` (weight `W_PAGES`): the average risk of the pages it is on, each page's
  risk being its own verdict (`PAGE_PRIOR`) mixed with the average risk of the numbers on it
  (share `GAMMA`), so distrust flows from fake pages and from fraud lines to the numbers beside
  them. A page counts by its verdict's weight (`PAGE_WEIGHT`); a number that a fake page
  writes far less often than its main number (a real line quoted once beside a fake line
  written ten times) takes only that share of the page's distrust; `PRIOR_PAGES` pages' worth
  of "no information" (0.5) keeps a number seen once from looking certain;
- **its brands** `brands` (weight `W_BRANDS`): the average risk of the other numbers that
  claim the same brands, so a new line for a brand that only fraud lines claim starts suspect.

Official lines are fixed: a loaded one at 0, a learned one at `LEARNED_OFFICIAL` (a number that
a brand's official page gives, unless more fake service pages give it as their main number,
which a misjudged fake page would show); they pass trust to their pages and brands and never
take distrust from the fake pages that quote them.
A number with no evidence at all has risk 0.5 and the verdict `unknown`.

The update is a contraction: one step changes any risk by at most
`W_PAGES * GAMMA + W_BRANDS` (= 0.245) times the largest change of the step before, so the
iteration converges to the one fixed point from any start. **Stopping rule**: stop when no
risk moved by more than `TOLERANCE` (1e-9) in the last step, or after `MAX_ITERATIONS` (100)
steps, which the contraction bound makes unreachable (about 15 steps suffice). Determinism:
nodes are ordered by their keys (number, page sha256, brand key), never by insertion, and every
sum runs over edges in that order, so the same graph gives the same risks bit for bit however
its pages were added.

Verdicts: `fraud` from risk `FRAUD_AT` (0.6) up, `official` for a known official line or risk
at most `OFFICIAL_AT` (0.3), `unknown` between.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

KINDS = ("fake_service", "official", "directory", "other")
NO_VERDICT = 4  # a page indexed without a verdict (a 1.0 record)

# A page's own risk from its verdict (kind, score s): 0.5 + SLOPE * s.
PAGE_PRIOR_SLOPE = np.array([0.5, -0.5, -0.45, 0.0, 0.0])
# How much a page of each kind counts among a number's pages (times its score for the first three).
PAGE_WEIGHT = np.array([1.0, 1.0, 1.0, 0.25, 0.25])
PAGE_WEIGHT_BY_SCORE = np.array([True, True, True, False, False])
IMPERSONATION_BY_KIND = np.array([1.0, 0.0, 1.0, 0.0, 0.0])
W_OWN, W_PAGES, W_BRANDS = 0.3, 0.65, 0.05
GAMMA = 0.3
PRIOR_PAGES = 0.5
PROMINENT_SHARE = 0.5  # a number written at least half as often as the page's main number is prominent
BRANDS_WEIGHT = 1.0
IMPERSONATION_WEIGHT = 2.5
LEARNED_OFFICIAL = 0.05
LOADED_OFFICIAL = 0.0
FRAUD_AT, OFFICIAL_AT = 0.6, 0.3
TOLERANCE = 1e-9
MAX_ITERATIONS = 100


@dataclass
class Graph:
    """The graph in canonical order: pages, numbers and brands are 0.. in key order."""

    page_kind: np.ndarray  # int, KINDS index or NO_VERDICT
    page_score: np.ndarray  # float
    n_numbers: int
    n_brands: int
    edge_page: np.ndarray  # page–number edges, sorted by (number, page)
    edge_number: np.ndarray
    edge_count: np.ndarray
    claim_page: np.ndarray  # (page, brand, number) claims, sorted by (number, brand, page), distinct
    claim_brand: np.ndarray
    claim_number: np.ndarray
    loaded_brand: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # user's official lines
    loaded_number: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    learned_page: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # (page, brand): page is brand's own
    learned_brand: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


@dataclass
class Scores:
    risk: np.ndarray
    iterations: int
    change: float  # the largest change in the last step
    loaded: np.ndarray  # bool per number: a user-loaded official line
    learned: np.ndarray  # bool per number: learned from an official page
    official_pairs: set[tuple[int, int]]  # (brand, number) known official
    impersonated: list[tuple[int, int]]  # (number, brand) pairs: offered as brand's line, not its official one
    brands_claimed: np.ndarray  # distinct brands per number
    pages_by_kind: np.ndarray  # numbers x 5: pages of each verdict kind (NO_VERDICT last)
    own: np.ndarray
    from_pages: np.ndarray
    from_brands: np.ndarray


def unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (np.unique, by sorting: several times faster on integer keys here)."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def _member(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """values in sorted_keys (np.isin without its temporaries)."""
    if not len(sorted_keys):
        return np.zeros(len(values), bool)
    at = np.minimum(np.searchsorted(sorted_keys, values), len(sorted_keys) - 1)
    return sorted_keys[at] == values


def verdict_of(risk: float, official: bool) -> str:
    if official or risk <= OFFICIAL_AT:
        return "official"
    return "fraud" if risk >= FRAUD_AT else "unknown"


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def score(graph: Graph) -> Scores:
    """Risks of every number of `graph` (see the module docstring for the method)."""
    n, n_pages = graph.n_numbers, len(graph.page_kind)
    kind = graph.page_kind.astype(np.int64, copy=False)
    s = np.clip(graph.page_score.astype(np.float64), 0.0, 1.0)
    page_prior = 0.5 + PAGE_PRIOR_SLOPE[kind] * np.where(kind < NO_VERDICT, s, 0.0)
    page_weight = PAGE_WEIGHT[kind] * np.where(PAGE_WEIGHT_BY_SCORE[kind], s, 1.0)

    ep, en = graph.edge_page.astype(np.int64, copy=False), graph.edge_number.astype(np.int64, copy=False)
    counts = graph.edge_count.astype(np.float64)
    top = np.zeros(n_pages)
    np.maximum.at(top, ep, counts)
    prominence = np.minimum(1.0, counts / np.maximum(PROMINENT_SHARE * top[ep], 1.0))
    edge_weight = page_weight[ep]
    page_norm = np.bincount(ep, weights=prominence, minlength=n_pages)

    # Claims and official lines; a (number, brand) pair is the key number * nb + brand.
    cp, cb, cn = graph.claim_page.astype(np.int64, copy=False), graph.claim_brand.astype(np.int64, copy=False), graph.claim_number.astype(np.int64, copy=False)
    nb = max(graph.n_brands, 1)
    claim_key = cn * nb + cb
    distinct_pairs = unique(claim_key)
    pair_number, pair_brand = distinct_pairs // nb, distinct_pairs % nb
    brands_claimed = np.bincount(pair_number, minlength=n)
    loaded = np.zeros(n, bool)
    loaded[graph.loaded_number.astype(np.int64, copy=False)] = True
    official_keys = graph.loaded_number.astype(np.int64, copy=False) * nb + graph.loaded_brand.astype(np.int64, copy=False)
    learned = np.zeros(n, bool)
    if len(graph.learned_page) and len(cp):
        # A number a brand's own official page gives is learned as its official line, unless
        # more fake service pages give it as their main number (a misjudged fake page).
        own_pages = graph.learned_page.astype(np.int64, copy=False) * nb + graph.learned_brand.astype(np.int64, copy=False)
        on_own = _member(cp * nb + cb, unique(own_pages)) & (kind[cp] == KINDS.index("official"))
        own_count = np.bincount(cn[on_own], minlength=n)
        fake_main = np.bincount(en[(kind[ep] == KINDS.index("fake_service")) & (prominence >= 1.0)], minlength=n)
        on_own &= own_count[cn] >= fake_main[cn]
        learned[cn[on_own]] = True
        official_keys = np.concatenate([official_keys, claim_key[on_own]])
    official_keys = unique(official_keys)
    learned &= ~loaded
    pinned = loaded | learned
    pinned_value = np.where(loaded, LOADED_OFFICIAL, LEARNED_OFFICIAL)

    # Impersonation: a claim for a brand with known official lines, by a number not among them.
    has_official = np.zeros(nb, bool)
    has_official[official_keys % nb] = True
    impersonation = np.zeros(n)
    impersonated_keys = np.zeros(0, np.int64)
    if len(cb):
        strength = IMPERSONATION_BY_KIND[kind[cp]]
        mask = has_official[cb] & ~pinned[cn] & (strength > 0) & ~_member(claim_key, official_keys)
        np.maximum.at(impersonation, cn[mask], strength[mask])
        impersonated_keys = unique(claim_key[mask])
        # On the page that does it, an impersonating number is a fake claim whatever the page's
        # verdict (a directory row giving a wrong line): that page counts for it as a fake page.
        false_claim = _member(en * max(n_pages, 1) + ep, unique(cn[mask] * max(n_pages, 1) + cp[mask]))
    else:
        false_claim = np.zeros(len(en), bool)
    fake_prior = 0.5 + PAGE_PRIOR_SLOPE[0] * np.where(kind < NO_VERDICT, s, 1.0)
    edge_weight = np.where(false_claim, np.maximum(edge_weight, PAGE_WEIGHT[0] * np.where(kind < NO_VERDICT, s, 1.0)[ep]), edge_weight)
    number_weight = PRIOR_PAGES + np.bincount(en, weights=edge_weight, minlength=n)
    z = BRANDS_WEIGHT * np.log2(np.maximum(brands_claimed, 1)) + IMPERSONATION_WEIGHT * impersonation
    own = _sigmoid(z)

    # Brand term: the distinct (number, brand) claims.
    brand_size = np.bincount(pair_brand, minlength=graph.n_brands).astype(np.float64)
    claims_per_number = np.bincount(pair_number, minlength=n).astype(np.float64)

    risk = np.where(pinned, pinned_value, 0.5)
    iterations, change = 0, 0.0
    for iterations in range(1, MAX_ITERATIONS + 1):
        # Pages: own verdict mixed with the prominence-weighted mean risk of their numbers.
        numbers_mean = np.divide(np.bincount(ep, weights=prominence * risk[en], minlength=n_pages), page_norm,
                                 out=np.full(n_pages, 0.5), where=page_norm > 0)
        page_risk = (1 - GAMMA) * page_prior + GAMMA * numbers_mean
        # A number takes a page's distrust in proportion to its prominence there, its trust whole.
        seen_risk = np.where(false_claim, (1 - GAMMA) * fake_prior[ep] + GAMMA * numbers_mean[ep], page_risk[ep])
        seen_risk = np.where(seen_risk > 0.5, 0.5 + (seen_risk - 0.5) * prominence, seen_risk)
        from_pages = (0.5 * PRIOR_PAGES + np.bincount(en, weights=edge_weight * seen_risk, minlength=n)) / number_weight
        # Brands: the mean risk of the *other* numbers claiming each of the number's brands.
        brand_sum = np.bincount(pair_brand, weights=risk[pair_number], minlength=graph.n_brands)
        others = brand_size[pair_brand] - 1
        other_mean = np.divide(brand_sum[pair_brand] - risk[pair_number], others, out=np.full(len(pair_brand), 0.5), where=others > 0)
        from_brands = np.divide(np.bincount(pair_number, weights=other_mean, minlength=n), claims_per_number,
                                out=np.full(n, 0.5), where=claims_per_number > 0)
        updated = np.where(pinned, pinned_value, np.clip(W_OWN * own + W_PAGES * from_pages + W_BRANDS * from_brands, 0.0, 1.0))
        change = float(np.max(np.abs(updated - risk))) if n else 0.0
        risk = updated
        if change <= TOLERANCE:
            break
    pages_by_kind = np.zeros((n, NO_VERDICT + 1), np.int64)
    if len(en):
        np.add.at(pages_by_kind, (en, kind[ep]), 1)
    official_pairs = {(int(k % nb), int(k // nb)) for k in official_keys.tolist()}
    impersonated = [(int(k // nb), int(k % nb)) for k in impersonated_keys.tolist()]
    return Scores(risk, iterations, change, loaded, learned, official_pairs, impersonated, brands_claimed, pages_by_kind, own, from_pages, from_brands)
