"""Number scores of an index: read its graph from SQLite, propagate (`propagation.score`), and
turn the result into one row per number with its reasons.

Reading happens in one read transaction, so a build committing meanwhile cannot mix two states
of the graph. Everything is read as columns of integers (numpy arrays), never as Python objects
per edge, so memory stays proportional to the graph's edges (a few tens of bytes per edge) and
time to a few passes over them. Public short codes (12315 …) are not brands' lines and are left
out.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from hotlines.verdict.propagation import FRAUD_AT, KINDS, NO_VERDICT, Graph, Scores, score, unique, verdict_of

KIND_NAMES = (*KINDS, "no verdict")
SHOWN_BRANDS = 5  # brands named in a reason; `brands` lists them all


@dataclass
class NumberTable:
    """Every number's score and evidence, in number order; `rows()` makes the dicts."""

    phone_ids: np.ndarray
    numbers: list[str]
    brand_keys: list[str]
    scores: Scores
    pair_number: np.ndarray  # distinct (number, brand) claims, sorted
    pair_brand: np.ndarray
    pages: np.ndarray
    first_seen: list[str | None]
    last_seen: list[str | None]
    neighbour: np.ndarray  # per number: the riskiest fraud line it shares a page with, or -1
    neighbour_pages: np.ndarray
    brand_fraud: np.ndarray  # per brand: fraud lines claiming it

    def rows(self, details: dict[int, tuple[str | None, str]] | None = None) -> Iterator[dict[str, Any]]:
        """One dict per number (`Index.numbers`' keys, and `phone_id`); `details` (phone id ->
        display, kind) fills `display` and `kind`, which are left out without it."""
        s = self.scores
        risk = np.round(s.risk, 6).tolist()
        starts = np.searchsorted(self.pair_number, np.arange(len(self.numbers) + 1)).tolist()
        pair_brand = self.pair_brand.tolist()
        official = (s.loaded | s.learned).tolist()
        impersonated: dict[int, list[int]] = {}
        for number, brand in s.impersonated:
            impersonated.setdefault(number, []).append(brand)
        official_for: dict[int, list[int]] = {}
        for brand, number in sorted(s.official_pairs):
            official_for.setdefault(number, []).append(brand)
        facts = _Facts(
            loaded=s.loaded.tolist(), own=s.own.tolist(), from_pages=s.from_pages.tolist(), from_brands=s.from_brands.tolist(),
            by_kind=s.pages_by_kind.tolist(), neighbour=self.neighbour.tolist(), neighbour_pages=self.neighbour_pages.tolist(),
            brand_fraud=self.brand_fraud.tolist(),
        )
        pages = self.pages.tolist()
        phone_ids = self.phone_ids.tolist()
        for i, number in enumerate(self.numbers):
            brands = pair_brand[starts[i] : starts[i + 1]]
            row = {
                "phone_id": phone_ids[i],
                "number": number,
                "risk": risk[i],
                "verdict": verdict_of(risk[i], official[i]),
                "reasons": self._reasons(i, risk[i], official[i], brands, official_for.get(i, ()), impersonated.get(i, ()), facts),
                "brands": [self.brand_keys[b] for b in brands],
                "pages": pages[i],
                "first_seen": self.first_seen[i],
                "last_seen": self.last_seen[i],
            }
            if details is not None:
                display, kind = details.get(phone_ids[i], (None, "landline"))
                row = {"number": number, "display": display or number, "kind": kind, **row}
            yield row

    def _reasons(self, i: int, risk: float, official: bool, brands: list[int], official_for: Any, impersonated: Any, f: _Facts) -> list[str]:
        keys = self.brand_keys
        reasons = []
        if official:
            how = "loaded" if f.loaded[i] else "learned from its official page"
            reasons.append(f"official line of {', '.join(keys[b] for b in official_for)} ({how})")
        for b in impersonated:
            reasons.append(f"not {keys[b]}'s official line")
        if brands:
            shown = ", ".join(keys[b] for b in brands[:SHOWN_BRANDS]) + (", …" if len(brands) > SHOWN_BRANDS else "")
            reasons.append(f"claims {len(brands)} brand{'s' if len(brands) > 1 else ''}: {shown}")
        by_kind = f.by_kind[i]
        if any(by_kind):
            reasons.append("pages: " + ", ".join(f"{c} {KIND_NAMES[k]}" for k, c in enumerate(by_kind) if c))
        if f.neighbour[i] >= 0:
            count = f.neighbour_pages[i]
            reasons.append(f"shares {count} page{'s' if count > 1 else ''} with fraud lines, e.g. {self.numbers[f.neighbour[i]]}")
        if brands and not official and f.from_brands[i] >= FRAUD_AT:
            worst = max(brands, key=lambda b: (f.brand_fraud[b], -b))
            others = f.brand_fraud[worst] - (risk >= FRAUD_AT)
            if others > 0:
                reasons.append(f"its brands are claimed by other fraud lines ({keys[worst]}: {others})")
        if not reasons:
            return ["no evidence"]
        if not official:
            reasons.append(f"evidence: own {f.own[i]:.2f}, pages {f.from_pages[i]:.2f}, brands {f.from_brands[i]:.2f}")
        return reasons


@dataclass
class _Facts:
    """Per-number evidence as Python lists (indexing numpy arrays one item at a time is slow)."""

    loaded: list[bool]
    own: list[float]
    from_pages: list[float]
    from_brands: list[float]
    by_kind: list[list[int]]
    neighbour: list[int]
    neighbour_pages: list[int]
    brand_fraud: list[int]


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}  # noqa: S608 (fixed names)


def _ints(cursor: sqlite3.Cursor, width: int, dtype: Any = np.int64, chunk: int = 50_000, rows: int | None = None) -> np.ndarray:
    """Rows of `width` numbers as an (n, width) array, read `chunk` rows at a time; with `rows`
    (the count, when known) straight into one array, no copy of the whole."""
    if rows is not None:
        out = np.empty((rows, width), dtype)
        filled = 0
        while (batch := cursor.fetchmany(chunk)) and filled < rows:
            part = np.array(batch, dtype=dtype).reshape(-1, width)[: rows - filled]
            out[filled : filled + len(part)] = part
            filled += len(part)
        return out[:filled]
    parts = [np.zeros((0, width), dtype)]
    while batch := cursor.fetchmany(chunk):
        parts.append(np.array(batch, dtype=dtype).reshape(-1, width))
    return np.concatenate(parts)


def _count(cur: sqlite3.Cursor, table: str) -> int:
    return int(cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608 (fixed names)


def _lookup(ids: np.ndarray) -> np.ndarray:
    """id -> position (-1 for ids not listed)."""
    table = np.full(int(ids.max()) + 2 if len(ids) else 1, -1, np.int64)
    table[ids] = np.arange(len(ids))
    return table


def _at(table: np.ndarray, ids: np.ndarray) -> np.ndarray:
    ids = ids.astype(np.int64, copy=False)
    if not len(ids) or int(ids.max()) < len(table):
        return table[ids]
    inside = ids < len(table)
    out = np.full(len(ids), -1, np.int64)
    out[inside] = table[ids[inside]]
    return out


def number_table(db: sqlite3.Connection) -> NumberTable:
    """Score every number of the index open on `db` (read only; one read transaction)."""
    cursor = db.cursor()
    cursor.row_factory = None
    own_transaction = not db.in_transaction
    if own_transaction:
        cursor.execute("BEGIN")
    try:
        return _number_table(cursor)
    finally:
        if own_transaction:
            db.rollback()


def _number_table(cur: sqlite3.Cursor) -> NumberTable:
    db = cur.connection
    tables = {row[0] for row in cur.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    kind_sql = "CASE verdict " + " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(KINDS)) + f" ELSE {NO_VERDICT} END"
    # Pages in sha256 order, numbers in number order, brands in key order: the canonical order.
    verdict_sql = f"{kind_sql}, coalesce(verdict_score, 0.0)" if "verdict" in _columns(db, "pages") else f"{NO_VERDICT}, 0.0"
    # The sha256 order from the unique index alone (it holds the rowid), the verdicts in table order.
    page_ids = _ints(cur.execute("SELECT id FROM pages ORDER BY sha256"), 1)[:, 0]
    page_at = _lookup(page_ids)
    page_kind = np.full(len(page_ids), NO_VERDICT, np.int64)
    page_score = np.zeros(len(page_ids))
    page_first = np.zeros(len(page_ids), np.int64)  # codes of the first/last seen times (`times`)
    page_last = np.zeros(len(page_ids), np.int64)
    codes: dict[str, int] = {}
    cur.execute(f"SELECT id, {verdict_sql}, first_seen, last_seen FROM pages")  # noqa: S608
    while rows := cur.fetchmany(100_000):
        ids, kinds, scores, firsts, lasts = zip(*rows, strict=True)
        rank = page_at[np.array(ids, np.int64)]
        page_kind[rank], page_score[rank] = np.array(kinds, np.int64), np.array(scores, np.float64)
        page_first[rank] = [codes.setdefault(t, len(codes)) for t in firsts]
        page_last[rank] = [codes.setdefault(t, len(codes)) for t in lasts]
    del rows
    times = sorted(codes)  # ISO 8601 text sorts as time does
    in_order = np.zeros(len(codes), np.int64)
    in_order[[codes[t] for t in times]] = np.arange(len(times))
    page_first, page_last = in_order[page_first], in_order[page_last]
    phone_ids_list, numbers = [], []
    for phone_id, number in cur.execute("SELECT id, number FROM phones WHERE kind <> 'short_code' ORDER BY number"):
        phone_ids_list.append(phone_id)
        numbers.append(number)
    phone_ids = np.array(phone_ids_list, np.int64)
    del phone_ids_list
    brands = cur.execute("SELECT id, key FROM brands ORDER BY key").fetchall()
    brand_ids = np.fromiter((row[0] for row in brands), np.int64, len(brands))
    brand_keys = [row[1] for row in brands]
    del brands
    phone_at, brand_at = _lookup(phone_ids), _lookup(brand_ids)

    count = _count(cur, "page_phones")  # before the query: the cursor holds one result at a time
    edges = _ints(cur.execute("SELECT page_id, phone_id, count FROM page_phones"), 3, np.int32, rows=count)
    ep, en = _at(page_at, edges[:, 0]), _at(phone_at, edges[:, 1])
    keep = (ep >= 0) & (en >= 0)
    ep, en, ec = ep[keep], en[keep], edges[keep, 2]
    del edges, keep
    order = np.lexsort((ep, en))
    ep, en, ec = ep[order], en[order], ec[order]
    del order

    count = _count(cur, "links")
    claims = [_ints(cur.execute("SELECT page_id, brand_id, phone_id FROM links"), 3, np.int32, rows=count)]
    if "page_brands" in tables:  # every number of a page that names one brand only claims that brand
        claims.append(_ints(cur.execute(
            """
            SELECT pp.page_id, one.brand_id, pp.phone_id FROM page_phones pp
            JOIN (SELECT page_id, min(brand_id) AS brand_id FROM page_brands GROUP BY page_id HAVING count(*) = 1) one
              ON one.page_id = pp.page_id
            """
        ), 3, np.int32))
    claim = np.concatenate(claims)
    del claims
    cp, cb, cn = _at(page_at, claim[:, 0]), _at(brand_at, claim[:, 1]), _at(phone_at, claim[:, 2])
    del claim
    keep = (cp >= 0) & (cb >= 0) & (cn >= 0)
    cp, cb, cn = cp[keep], cb[keep], cn[keep]
    del keep
    n_pages, n_brands = len(page_ids), max(len(brand_ids), 1)
    key = unique((cn * n_brands + cb) * max(n_pages, 1) + cp)
    cp, pair = key % max(n_pages, 1), key // max(n_pages, 1)
    del key
    cn, cb = pair // n_brands, pair % n_brands
    del pair

    official = _ints(cur.execute("SELECT brand_id, phone_id FROM official"), 2)
    ob, on = _at(brand_at, official[:, 0]), _at(phone_at, official[:, 1])
    keep = (ob >= 0) & (on >= 0)
    learned = _ints(cur.execute("SELECT page_id, brand_id FROM official_pages"), 2) if "official_pages" in tables else np.zeros((0, 2), np.int64)
    lp, lb = _at(page_at, learned[:, 0]), _at(brand_at, learned[:, 1])
    keep_learned = (lp >= 0) & (lb >= 0)
    graph = Graph(
        page_kind=page_kind, page_score=page_score, n_numbers=len(numbers), n_brands=len(brand_ids),
        edge_page=ep, edge_number=en, edge_count=ec, claim_page=cp, claim_brand=cb, claim_number=cn,
        loaded_brand=ob[keep], loaded_number=on[keep], learned_page=lp[keep_learned], learned_brand=lb[keep_learned],
    )
    scores = score(graph)

    # Pages, first and last seen per number (edges are in number order: one reduction per number).
    page_counts = np.bincount(en, minlength=len(numbers))
    first_seen: list[str | None] = [None] * len(numbers)
    last_seen: list[str | None] = [None] * len(numbers)
    if len(en):
        starts = np.flatnonzero(np.r_[True, en[1:] != en[:-1]])
        present = en[starts].tolist()
        firsts = np.minimum.reduceat(page_first[ep], starts).tolist()
        lasts = np.maximum.reduceat(page_last[ep], starts).tolist()
        for at, first, last in zip(present, firsts, lasts, strict=True):
            first_seen[at], last_seen[at] = times[first], times[last]

    neighbour, neighbour_pages = _fraud_neighbours(scores.risk, ep, en, n_pages, len(numbers))
    pairs = unique(cn * n_brands + cb)
    pair_number, pair_brand = pairs // n_brands, pairs % n_brands
    fraud = scores.risk >= FRAUD_AT
    brand_fraud = np.bincount(pair_brand[fraud[pair_number]], minlength=n_brands)
    return NumberTable(
        phone_ids, numbers, brand_keys, scores, pair_number, pair_brand, page_counts, first_seen, last_seen,
        neighbour, neighbour_pages, brand_fraud,
    )


def _fraud_neighbours(risk: np.ndarray, ep: np.ndarray, en: np.ndarray, n_pages: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per number: the riskiest fraud line on a page it shares (-1: none), and how many such pages."""
    neighbour = np.full(n, -1, np.int64)
    shared = np.zeros(n, np.int64)
    if not len(ep):
        return neighbour, shared
    order = np.lexsort((en, -risk[en], ep))  # per page, riskiest number first (ties: number order)
    sp, sn = ep[order], en[order]
    starts = np.flatnonzero(np.r_[True, sp[1:] != sp[:-1]])
    ends = np.r_[starts[1:], len(sp)]
    top1 = np.full(n_pages, -1, np.int64)
    top2 = np.full(n_pages, -1, np.int64)
    top1[sp[starts]] = sn[starts]
    two = ends - starts > 1
    top2[sp[starts[two]]] = sn[starts[two] + 1]
    other = np.where(top1[ep] != en, top1[ep], top2[ep])
    hit = other >= 0
    hit[hit] = risk[other[hit]] >= FRAUD_AT
    np.add.at(shared, en[hit], 1)
    if hit.any():
        hn, ho = en[hit], other[hit]
        order = np.lexsort((ho, -risk[ho], hn))
        hn, ho = hn[order], ho[order]
        first = np.r_[True, hn[1:] != hn[:-1]]
        neighbour[hn[first]] = ho[first]
    return neighbour, shared


def write_scores(db: sqlite3.Connection, table: NumberTable) -> int:
    """Replace the stored scores with `table`'s (the caller commits); returns the rows written.

    `reasons` and `brands` are stored one per line (`split_lines` reads them back): neither a
    reason nor a brand name holds a line break, and joining is several times faster than JSON
    on a million-page index."""
    db.execute("DELETE FROM number_scores")
    rows = (
        (r["phone_id"], r["risk"], r["verdict"], "\n".join(r["reasons"]), "\n".join(r["brands"]), r["pages"], r["first_seen"], r["last_seen"])
        for r in table.rows()
    )
    before = db.total_changes
    db.executemany("INSERT INTO number_scores VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return db.total_changes - before


def split_lines(text: str | None) -> list[str]:
    """A stored list (`reasons`, `brands`) back as a list."""
    return text.split("\n") if text else []
