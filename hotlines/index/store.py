"""The brand-to-phone index: which numbers claim to serve which brands, over many pages.

One SQLite file (no server). The schema is `SCHEMA` below and in the README:

- `pages`: one row per distinct page content (sha256), with where it was first seen (`source`:
  url, else path), its title, and when it was first and last seen. The same content added again
  only moves `last_seen`; new content at a known source replaces that source's old page and
  its links.
- `phones`, `brands` (keyed by canonical name, or the discovered name), `brand_names` (every
  written form seen), `page_phones` (every number on a page, with its count), `links`
  (page, brand, appliance, phone, supporting lines), `official` (a user's known official lines).

Building is incremental and idempotent (above), transactional (a batch of pages commits whole
or not at all, so a killed build leaves every committed batch and a rerun continues), and
streaming (pages are read, extracted and written one batch at a time). WAL journaling lets
readers query while a build writes.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from schemas import PageRecord

# phonenumbers and the extractors (with their tables) are imported where a number or a brand
# name is read, so that queries such as `suspicious` and `export` start with sqlite3 alone.

SCHEMA_VERSION = "2"  # 2: page verdicts, page_brands, official_pages, number_scores (a "1" file is migrated on open)
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    path TEXT,
    url TEXT,
    title TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    verdict TEXT,
    verdict_score REAL,
    verdict_reasons TEXT
);
CREATE INDEX IF NOT EXISTS pages_source ON pages (source);
CREATE TABLE IF NOT EXISTS phones (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    display TEXT,
    region TEXT,
    carrier TEXT
);
CREATE TABLE IF NOT EXISTS brands (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    known INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS brand_names (
    brand_id INTEGER NOT NULL REFERENCES brands (id),
    name TEXT NOT NULL,
    PRIMARY KEY (brand_id, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS brand_names_name ON brand_names (name);
CREATE TABLE IF NOT EXISTS page_phones (
    page_id INTEGER NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    phone_id INTEGER NOT NULL REFERENCES phones (id),
    count INTEGER NOT NULL,
    PRIMARY KEY (page_id, phone_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS page_phones_phone ON page_phones (phone_id);
CREATE TABLE IF NOT EXISTS links (
    page_id INTEGER NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    brand_id INTEGER NOT NULL REFERENCES brands (id),
    appliance TEXT NOT NULL,
    phone_id INTEGER NOT NULL REFERENCES phones (id),
    lines INTEGER NOT NULL,
    PRIMARY KEY (page_id, brand_id, appliance, phone_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS links_phone ON links (phone_id, brand_id);
CREATE INDEX IF NOT EXISTS links_brand ON links (brand_id, phone_id);
CREATE TABLE IF NOT EXISTS official (
    brand_id INTEGER NOT NULL REFERENCES brands (id),
    phone_id INTEGER NOT NULL REFERENCES phones (id),
    PRIMARY KEY (brand_id, phone_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS page_brands (
    page_id INTEGER NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    brand_id INTEGER NOT NULL REFERENCES brands (id),
    count INTEGER NOT NULL,
    PRIMARY KEY (page_id, brand_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS official_pages (
    page_id INTEGER NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    brand_id INTEGER NOT NULL REFERENCES brands (id),
    PRIMARY KEY (page_id, brand_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS number_scores (
    phone_id INTEGER PRIMARY KEY REFERENCES phones (id),
    risk REAL NOT NULL,
    verdict TEXT NOT NULL,
    reasons TEXT NOT NULL,
    brands TEXT NOT NULL,
    pages INTEGER NOT NULL,
    first_seen TEXT,
    last_seen TEXT
);
CREATE INDEX IF NOT EXISTS number_scores_rank ON number_scores (risk DESC, phone_id);
CREATE TABLE IF NOT EXISTS page_regions (
    page_id INTEGER NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    adcode INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (page_id, adcode)
) WITHOUT ROWID;
"""
PAGE_VERDICT_COLUMNS = (("verdict", "TEXT"), ("verdict_score", "REAL"), ("verdict_reasons", "TEXT"))
VERDICT_KINDS = ("fake_service", "official", "directory", "other")
NUMBER_VERDICTS = ("fraud", "official", "unknown")
LEARN_OFFICIAL_SCORE = 0.8  # an official page on no brand domain teaches its one brand's lines from this score up
NO_APPLIANCE = ""  # `links.appliance` when the line names no appliance
EXAMPLES = 3


class QueryError(ValueError):
    """A query the index cannot answer as asked (an unreadable number, an unknown brand)."""


class OfficialFileError(QueryError):
    """Official lines refused, all of them: `problems` holds one `FILE:LINE: message` per bad row."""

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(f"{source}: {len(problems)} bad row(s), nothing loaded: " + "; ".join(problems[:3]))
        self.source = source
        self.problems = problems


@dataclass
class BuildSummary:
    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    failed: int = 0
    links: int = 0
    errors: list[str] = field(default_factory=list)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open (creating if needed) an index; readers wait for a writer instead of failing."""
    if readonly:
        if not Path(path).is_file():
            raise FileNotFoundError(f"no index at {path}")
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    else:
        connection = sqlite3.connect(path, timeout=30)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.executescript(SCHEMA)
        _migrate(connection)
        connection.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        connection.execute("INSERT OR IGNORE INTO meta VALUES ('changes', '0')")
        connection.commit()
    connection.execute("PRAGMA foreign_keys=ON")
    connection.row_factory = sqlite3.Row
    return connection


def _migrate(connection: sqlite3.Connection) -> None:
    """Bring an index written by an older hotlines up to this schema: add what is missing.

    Version 1 had no page verdicts: the columns are added (its pages keep NULL, "no verdict",
    which scoring takes as no evidence either way) and SCHEMA has created the new tables.
    """
    columns = {row[1] for row in connection.execute("PRAGMA table_info(pages)")}
    for name, sql_type in PAGE_VERDICT_COLUMNS:
        if name not in columns:
            connection.execute(f"ALTER TABLE pages ADD COLUMN {name} {sql_type}")  # noqa: S608 (fixed names)
    connection.execute("UPDATE meta SET value = ? WHERE key = 'schema_version' AND value <> ?", (SCHEMA_VERSION, SCHEMA_VERSION))


class Index:
    """The index as a Python API; the `hotlines index` commands are thin wrappers over it."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self.db = connect(path, readonly=readonly)
        self._phone_ids: dict[str, int] = {}
        self._brand_ids: dict[str, int] = {}

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- building -------------------------------------------------------------------------

    def add_records(
        self, records: Iterable[PageRecord | IndexEntry], *, batch_size: int = 500, seen_at: str | None = None
    ) -> BuildSummary:
        """Add records (or their `index_entry`), committing every `batch_size` pages; returns what happened."""
        summary = BuildSummary()
        seen = seen_at or _now()
        batch = 0
        try:
            for item in records:
                record, areas = item if isinstance(item, tuple) else (item, None)
                outcome = self._add(record, seen, areas)
                setattr(summary, outcome, getattr(summary, outcome) + 1)
                if outcome != "unchanged":
                    summary.links += len(record.links)
                batch += 1
                if batch >= batch_size:
                    self._changed()
                    self.db.commit()
                    batch = 0
        finally:
            if batch:
                self._changed()
            self.db.commit()  # the pages added so far, also when the caller stops early
        return summary

    def _changed(self) -> None:
        """Count a change of the graph, so that stored number scores are known to be stale."""
        self.db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'changes'")

    def _add(self, record: PageRecord, seen: str, areas: dict[int, int] | None = None) -> str:
        source = record.source
        row = self.db.execute("SELECT id FROM pages WHERE sha256 = ?", (source.sha256,)).fetchone()
        if row is not None:
            self.db.execute("UPDATE pages SET last_seen = max(last_seen, ?) WHERE id = ?", (seen, row["id"]))
            return "unchanged"
        location = source.url or source.path
        old = self.db.execute("SELECT id, first_seen FROM pages WHERE source = ?", (location,)).fetchone()
        if old is not None:
            self.db.execute("DELETE FROM pages WHERE id = ?", (old["id"],))  # links and phones cascade
        verdict = record.verdict
        page_id = self.db.execute(
            "INSERT INTO pages (sha256, source, path, url, title, first_seen, last_seen, verdict, verdict_score, verdict_reasons)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                source.sha256, location, source.path, source.url, source.title, old["first_seen"] if old else seen, seen,
                verdict.kind if verdict else None, verdict.score if verdict else None,
                json.dumps(verdict.reasons, ensure_ascii=False) if verdict else None,
            ),
        ).lastrowid
        for phone in record.phones:
            phone_id = self._phone_id(phone.number, phone.kind, phone.display, phone.region, phone.carrier)
            self.db.execute("INSERT INTO page_phones VALUES (?, ?, ?)", (page_id, phone_id, phone.count))
        for brand in record.brands:
            brand_id = self._brand_id(brand.canonical or brand.name, brand.known)
            self.db.executemany("INSERT OR IGNORE INTO brand_names VALUES (?, ?)", [(brand_id, name) for name in {brand.name, *brand.raw}])
            self.db.execute("INSERT OR REPLACE INTO page_brands VALUES (?, ?, ?)", (page_id, brand_id, brand.count))
        for owner in _official_owners(record):
            self.db.execute("INSERT OR IGNORE INTO official_pages VALUES (?, ?)", (page_id, self._brand_id(owner, None)))
        if areas is None:
            areas = service_area(record)
        self.db.executemany("INSERT INTO page_regions VALUES (?, ?, ?)", [(page_id, adcode, n) for adcode, n in areas.items()])
        kinds = {phone.number: phone.kind for phone in record.phones}
        for link in record.links:
            if kinds.get(link.phone, "short_code") == "short_code":
                continue  # public service numbers belong to no brand
            self.db.execute(
                "INSERT OR REPLACE INTO links VALUES (?, ?, ?, ?, ?)",
                (page_id, self._brand_id(link.brand, None), link.appliance or NO_APPLIANCE, self._phone_id(link.phone), link.lines),
            )
        return "replaced" if old is not None else "added"

    def _phone_id(self, number: str, kind: str | None = None, display: str | None = None, region: str | None = None, carrier: str | None = None) -> int:
        cached = self._phone_ids.get(number)
        if cached is not None:
            return cached
        row = self.db.execute("SELECT id FROM phones WHERE number = ?", (number,)).fetchone()
        if row is None:
            kind = kind or _kind_of(number)
            row_id = self.db.execute(
                "INSERT INTO phones (number, kind, display, region, carrier) VALUES (?, ?, ?, ?, ?)",
                (number, kind, display, region, carrier),
            ).lastrowid
        else:
            row_id = row["id"]
        if len(self._phone_ids) > 1_000_000:
            self._phone_ids.clear()  # bounded, so memory stays flat on any corpus
        self._phone_ids[number] = int(row_id)  # type: ignore[arg-type]
        return int(row_id)  # type: ignore[arg-type]

    def _brand_id(self, key: str, known: bool | None) -> int:
        cached = self._brand_ids.get(key)
        if cached is not None:
            return cached
        row = self.db.execute("SELECT id FROM brands WHERE key = ?", (key,)).fetchone()
        if row is None:
            is_known = known if known is not None else key in _canonical_names()
            row_id = int(self.db.execute("INSERT INTO brands (key, known) VALUES (?, ?)", (key, int(is_known))).lastrowid or 0)
            self.db.execute("INSERT OR IGNORE INTO brand_names VALUES (?, ?)", (row_id, key))
        else:
            row_id = int(row["id"])
        if len(self._brand_ids) > 1_000_000:
            self._brand_ids.clear()
        self._brand_ids[key] = row_id
        return row_id

    def load_official(self, rows: Iterable[tuple[str, str]], *, source: str = "official lines") -> int:
        """Known official lines, as (brand, number) in any written form; returns how many rows.

        All or nothing: every row is checked first (a brand, exactly one number that is not a
        public short code), and one bad row raises `OfficialFileError` with nothing loaded.
        A brand no page has named is added, so `phones_for_brand` finds it and its lines.
        """
        checked: list[tuple[str, OfficialNumber]] = []
        problems: list[str] = []
        for row, (brand, number) in enumerate(rows, start=1):
            try:
                checked.append((_official_brand(brand), official_number(number)))
            except QueryError as error:
                problems.append(f"{source}:{row}: {error}")
        if problems:
            raise OfficialFileError(source, problems)
        try:
            for brand, phone in checked:
                key = self.brand_key(brand, must_exist=False)
                phone_id = self._phone_id(phone.number, phone.kind, phone.display, phone.region, phone.carrier)
                self.db.execute("INSERT OR IGNORE INTO official VALUES (?, ?)", (self._brand_id(key, None), phone_id))
            self._changed()
        except BaseException:
            self.db.rollback()
            self._phone_ids.clear()
            self._brand_ids.clear()
            raise
        self.db.commit()
        return len(checked)

    # ---- queries --------------------------------------------------------------------------

    def brand_key(self, written: str, *, must_exist: bool = True) -> str:
        """The index key of a brand given as written: an alias, the canonical name, a discovered name."""
        from extractors.brands import gazetteers

        name = written.strip()
        known = gazetteers().brand_names
        if name in known:
            return known[name].canonical
        lowered = {alias.lower(): k.canonical for alias, k in known.items()}
        if name.lower() in lowered:
            return lowered[name.lower()]
        row = self.db.execute(
            "SELECT b.key FROM brand_names n JOIN brands b ON b.id = n.brand_id WHERE n.name = ? LIMIT 1", (name,)
        ).fetchone()
        if row is not None:
            return str(row["key"])
        if must_exist:
            raise QueryError(f"no brand {written!r} in the index")
        return name

    def brands_for_phone(self, number: str) -> dict[str, Any]:
        """Which brands (and appliances) a number claims to serve, with evidence."""
        e164 = normalize_number(number)
        phone = self.db.execute("SELECT * FROM phones WHERE number = ?", (e164,)).fetchone()
        result: dict[str, Any] = {"number": e164, "known": phone is not None, "kind": phone["kind"] if phone else _kind_of(e164)}
        if phone is None:
            return {**result, "pages": 0, "brands": []}
        result["pages"] = self.db.execute("SELECT count(*) FROM page_phones WHERE phone_id = ?", (phone["id"],)).fetchone()[0]
        rows = self.db.execute(
            """
            SELECT b.id AS brand_id, b.key AS brand, b.known, group_concat(DISTINCT nullif(l.appliance, '')) AS appliances,
                   count(DISTINCT l.page_id) AS pages, sum(l.lines) AS lines,
                   min(p.first_seen) AS first_seen, max(p.last_seen) AS last_seen,
                   EXISTS (SELECT 1 FROM official o WHERE o.brand_id = b.id AND o.phone_id = l.phone_id) AS official
            FROM links l JOIN brands b ON b.id = l.brand_id JOIN pages p ON p.id = l.page_id
            WHERE l.phone_id = ?
            GROUP BY b.id ORDER BY pages DESC, b.key
            """,
            (phone["id"],),
        ).fetchall()
        examples = self._examples("l.phone_id = ?", (phone["id"],), group="l.brand_id")
        result["brands"] = [{**_brand_row(row), "examples": examples.get(row["brand_id"], [])} for row in rows]
        return result

    def phones_for_brand(self, brand: str) -> dict[str, Any]:
        """Which numbers claim to be a brand's line; numbers not on its official list are flagged."""
        key = self.brand_key(brand)
        row = self.db.execute("SELECT id FROM brands WHERE key = ?", (key,)).fetchone()
        if row is None:
            return {"brand": key, "has_official_numbers": False, "phones": []}
        brand_id = row["id"]
        has_official = self.db.execute("SELECT 1 FROM official WHERE brand_id = ? LIMIT 1", (brand_id,)).fetchone() is not None
        rows = self.db.execute(
            """
            SELECT ph.id AS phone_id, ph.number, ph.kind, group_concat(DISTINCT nullif(l.appliance, '')) AS appliances,
                   count(DISTINCT l.page_id) AS pages, sum(l.lines) AS lines,
                   min(p.first_seen) AS first_seen, max(p.last_seen) AS last_seen,
                   EXISTS (SELECT 1 FROM official o WHERE o.brand_id = l.brand_id AND o.phone_id = l.phone_id) AS official,
                   (SELECT count(DISTINCT l2.brand_id) FROM links l2 WHERE l2.phone_id = l.phone_id) AS brands
            FROM links l JOIN phones ph ON ph.id = l.phone_id JOIN pages p ON p.id = l.page_id
            WHERE l.brand_id = ?
            GROUP BY ph.id ORDER BY pages DESC, ph.number
            """,
            (brand_id,),
        ).fetchall()
        examples = self._examples("l.brand_id = ?", (brand_id,), group="l.phone_id")
        phones = []
        for row in rows:
            entry = {k: row[k] for k in ("number", "kind", "pages", "lines", "first_seen", "last_seen", "brands")}
            entry["appliances"] = sorted((row["appliances"] or "").split(",")) if row["appliances"] else []
            entry["official"] = bool(row["official"])
            entry["flagged"] = has_official and not row["official"]
            entry["examples"] = examples.get(row["phone_id"], [])
            phones.append(entry)
        # Official lines no page ties to this brand (a brand known only from the official list):
        # pages 0; `brands` counts the other brands that pages claim the number for.
        unseen = self.db.execute(
            """
            SELECT ph.number, ph.kind, (SELECT count(DISTINCT l2.brand_id) FROM links l2 WHERE l2.phone_id = ph.id) AS brands
            FROM official o JOIN phones ph ON ph.id = o.phone_id
            WHERE o.brand_id = ? AND NOT EXISTS (SELECT 1 FROM links l WHERE l.brand_id = o.brand_id AND l.phone_id = o.phone_id)
            ORDER BY ph.number
            """,
            (brand_id,),
        ).fetchall()
        for row in unseen:
            phones.append(
                {
                    "number": row["number"], "kind": row["kind"], "pages": 0, "lines": 0, "first_seen": None, "last_seen": None,
                    "brands": row["brands"], "appliances": [], "official": True, "flagged": False, "examples": [],
                }
            )
        return {"brand": key, "has_official_numbers": has_official, "phones": phones}

    # ---- number risk (hotlines.verdict) --------------------------------------------------

    def score(self) -> dict[str, Any]:
        """Recompute every number's risk and store it (`number_scores`); returns a summary.

        `index build` and `index official` call this at their end. The propagation and its
        stopping rule: `hotlines.verdict.propagation`.
        """
        from hotlines.verdict.numbers import number_table, write_scores

        self.db.commit()
        changes = self._meta("changes")
        table = number_table(self.db)
        written = write_scores(self.db, table)
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('scored', ?)", (changes or "0",))
        self.db.commit()
        return {"numbers": written, "iterations": table.scores.iterations, "change": table.scores.change}

    def numbers(self, verdict: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Every number with its risk, ranked by risk (highest first), then number.

        Each: `number` (E.164), `display`, `kind`, `risk` (0..1), `verdict` (fraud, official or
        unknown), `reasons`, `brands` (the brand keys it claims), `pages`, `first_seen`, `last_seen`.
        `verdict` keeps one verdict only. Public short codes are not listed. Stale or missing
        scores (a build since the last scoring) are recomputed first: stored on a writable index,
        in memory on a read-only one.
        """
        if verdict is not None and verdict not in NUMBER_VERDICTS:
            raise QueryError(f"unknown verdict {verdict!r}: one of {', '.join(NUMBER_VERDICTS)}")
        fresh = self._fresh_scores()
        if fresh is not None:
            rows = sorted((r for r in fresh.values() if verdict is None or r["verdict"] == verdict), key=lambda r: (-r["risk"], r["number"]))
            rows = rows if limit is None else rows[: max(limit, 0)]
            return [{k: v for k, v in r.items() if k != "phone_id"} for r in rows]
        sql = """
            SELECT ph.number, coalesce(ph.display, ph.number) AS display, ph.kind, s.risk, s.verdict, s.reasons, s.brands, s.pages,
                   s.first_seen, s.last_seen
            FROM number_scores s JOIN phones ph ON ph.id = s.phone_id
        """
        params: list[Any] = []
        if verdict is not None:
            sql += " WHERE s.verdict = ?"
            params.append(verdict)
        sql += " ORDER BY s.risk DESC, ph.number"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(max(limit, 0))
        from hotlines.verdict.numbers import split_lines

        return [{**dict(row), "reasons": split_lines(row["reasons"]), "brands": split_lines(row["brands"])} for row in self.db.execute(sql, params)]

    def page_verdicts(self) -> dict[str, int]:
        """Pages per verdict kind: the four kinds always, and `none` for pages indexed without a
        verdict (records older than verdicts), when there are any."""
        counts = dict.fromkeys(VERDICT_KINDS, 0)
        if "verdict" not in {row[1] for row in self.db.execute("PRAGMA table_info(pages)")}:
            total = self.db.execute("SELECT count(*) FROM pages").fetchone()[0]
            return {**counts, "none": total} if total else counts
        for row in self.db.execute("SELECT verdict, count(*) AS n FROM pages GROUP BY verdict"):
            counts[row["verdict"] or "none"] = row["n"]
        return counts

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _fresh_scores(self) -> dict[int, dict[str, Any]] | None:
        """None when the stored scores are current (or the index is writable and now rescored);
        else the scores computed in memory (a read-only index built or changed since), by phone id."""
        tables = {row[0] for row in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "number_scores" in tables and self._meta("scored") is not None and self._meta("scored") == self._meta("changes"):
            return None
        if not self.readonly:
            self.score()
            return None
        from hotlines.verdict.numbers import number_table

        details = {row[0]: (row[1], row[2]) for row in self.db.execute("SELECT id, display, kind FROM phones WHERE kind <> 'short_code'")}
        return {row["phone_id"]: row for row in number_table(self.db).rows(details)}

    def suspicious(self, min_brands: int = 2, limit: int | None = None) -> list[dict[str, Any]]:
        """Numbers tied to at least `min_brands` distinct brands, riskiest first (`numbers`), with evidence."""
        fresh = self._fresh_scores()
        stored = fresh is None
        rows = self.db.execute(
            """
            SELECT l.phone_id, ph.number, ph.kind, count(DISTINCT l.brand_id) AS brands,
                   count(DISTINCT l.page_id) AS pages, min(p.first_seen) AS first_seen, max(p.last_seen) AS last_seen"""
            + (", s.risk, s.verdict, s.reasons" if stored else "")
            + """
            FROM links l JOIN phones ph ON ph.id = l.phone_id JOIN pages p ON p.id = l.page_id"""
            + (" LEFT JOIN number_scores s ON s.phone_id = l.phone_id" if stored else "")
            + """
            GROUP BY l.phone_id HAVING count(DISTINCT l.brand_id) >= ?
            """,
            (min_brands,),
        ).fetchall()
        scored = []
        for row in rows:
            if stored:
                risk, verdict, reasons = row["risk"], row["verdict"], row["reasons"].split("\n") if row["reasons"] else []
            else:
                found = fresh.get(row["phone_id"]) if fresh else None
                risk, verdict, reasons = (found["risk"], found["verdict"], found["reasons"]) if found else (None, None, [])
            scored.append((row, 0.5 if risk is None else risk, verdict or "unknown", reasons))
        scored.sort(key=lambda item: (-item[1], -item[0]["brands"], -item[0]["pages"], item[0]["number"]))
        result = []
        for row, risk, verdict, reasons in scored[:limit] if limit else scored:
            evidence = self.db.execute(
                """
                SELECT b.key AS brand, b.known, count(DISTINCT l.page_id) AS pages, sum(l.lines) AS lines,
                       EXISTS (SELECT 1 FROM official o WHERE o.brand_id = b.id AND o.phone_id = l.phone_id) AS official,
                       min(p.source) AS example
                FROM links l JOIN brands b ON b.id = l.brand_id JOIN pages p ON p.id = l.page_id
                WHERE l.phone_id = ? GROUP BY b.id ORDER BY pages DESC, b.key
                """,
                (row["phone_id"],),
            ).fetchall()
            result.append(
                {
                    "number": row["number"], "kind": row["kind"], "brands": row["brands"], "pages": row["pages"],
                    "first_seen": row["first_seen"], "last_seen": row["last_seen"], "risk": risk, "verdict": verdict, "reasons": reasons,
                    "official_for": [e["brand"] for e in evidence if e["official"]],
                    "evidence": [
                        {"brand": e["brand"], "known": bool(e["known"]), "pages": e["pages"], "lines": e["lines"], "example": e["example"]}
                        for e in evidence
                    ],
                }
            )
        return result

    def service_area(self, number: str) -> list[dict[str, Any]]:
        """Where a number claims to serve: per adcode, its mentions and pages over the pages that carry it."""
        rows = self.db.execute(
            """
            SELECT printf('%06d', r.adcode) AS adcode, sum(r.count) AS mentions, count(*) AS pages
            FROM phones ph JOIN page_phones pp ON pp.phone_id = ph.id JOIN page_regions r ON r.page_id = pp.page_id
            WHERE ph.number = ? GROUP BY r.adcode ORDER BY mentions DESC, r.adcode
            """,
            (normalize_number(number),),
        ).fetchall()
        return [dict(row) for row in rows]

    def export(self, out: TextIO, fmt: str = "jsonl") -> int:
        """Every link with its page and number, one row each; returns the row count."""
        rows = self.db.execute(
            """
            SELECT ph.number, ph.kind, b.key AS brand, b.known, nullif(l.appliance, '') AS appliance, l.lines,
                   p.sha256, p.source, p.title, p.first_seen, p.last_seen,
                   EXISTS (SELECT 1 FROM official o WHERE o.brand_id = b.id AND o.phone_id = ph.id) AS official
            FROM links l JOIN phones ph ON ph.id = l.phone_id JOIN brands b ON b.id = l.brand_id JOIN pages p ON p.id = l.page_id
            ORDER BY ph.number, b.key, p.source
            """
        )
        columns = [d[0] for d in rows.description]
        writer = csv.writer(out) if fmt == "csv" else None
        if writer:
            writer.writerow(columns)
        count = 0
        for row in rows:
            values = dict(zip(columns, row, strict=True))
            values["known"], values["official"] = bool(values["known"]), bool(values["official"])
            if writer:
                writer.writerow([values[c] for c in columns])
            else:
                out.write(json.dumps(values, ensure_ascii=False) + "\n")
            count += 1
        return count

    def stats(self) -> dict[str, int]:
        return {
            table: self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (fixed names)
            for table in ("pages", "phones", "brands", "links", "official")
        }

    def _examples(self, where: str, params: tuple[Any, ...], group: str) -> dict[int, list[str]]:
        """Up to EXAMPLES most recent sources per `group` value, in one query (no N+1)."""
        rows = self.db.execute(
            f"""
            SELECT grp, source FROM (
                SELECT {group} AS grp, p.source,
                       row_number() OVER (PARTITION BY {group} ORDER BY max(p.last_seen) DESC, p.source) AS n
                FROM links l JOIN pages p ON p.id = l.page_id
                WHERE {where} GROUP BY {group}, p.source
            ) WHERE n <= {EXAMPLES} ORDER BY grp, n
            """,  # noqa: S608 (where/group are ours, values are bound)
            params,
        ).fetchall()
        examples: dict[int, list[str]] = {}
        for row in rows:
            examples.setdefault(row["grp"], []).append(row["source"])
        return examples


# What the index keeps of a record: the record without its region mentions, and the mentions
# per adcode. The mentions are most of a record (about 400 on a service-area page), and the index
# stores only their counts.
IndexEntry = tuple["PageRecord", dict[int, int]]


def service_area(record: PageRecord) -> dict[int, int]:
    """The service area a page claims: mentions per adcode (names, coordinates: the division table)."""
    areas: dict[int, int] = {}
    for region in record.regions:
        areas[int(region.adcode)] = areas.get(int(region.adcode), 0) + 1
    return areas


def index_entry(record: PageRecord) -> IndexEntry:
    """A record as `Index.add_records` takes it from a worker process (a `render` for
    `iter_page_records`): sending the whole record back costs the parent more than building it."""
    return record.model_copy(update={"regions": []}), service_area(record)


def _official_owners(record: PageRecord) -> list[str]:
    """The brands whose own page `record` is: an official verdict on a named brand's domain, or
    a confident official verdict (LEARN_OFFICIAL_SCORE) of a page that names one brand only."""
    verdict = record.verdict
    if verdict is None or verdict.kind != "official":
        return []
    from hotlines.verdict.page import official_brands

    keys = [brand.canonical or brand.name for brand in record.brands]
    owners = official_brands(record.source.url, keys)
    if not owners and len(keys) == 1 and verdict.score >= LEARN_OFFICIAL_SCORE:
        owners = keys
    return owners


def _brand_row(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "brand": row["brand"], "known": bool(row["known"]), "official": bool(row["official"]),
        "appliances": sorted(row["appliances"].split(",")) if row["appliances"] else [],
        "pages": row["pages"], "lines": row["lines"], "first_seen": row["first_seen"], "last_seen": row["last_seen"],
    }


def _canonical_names() -> set[str]:
    from extractors.brands import gazetteers

    return {known.canonical for known in gazetteers().brand_names.values()}


def normalize_number(written: str) -> str:
    """E.164 (or a short code's digits) for a number in any written form; QueryError if none."""
    import phonenumbers

    from extractors import extract_phones

    phones = extract_phones(f"电话 {written} ")
    if len(phones) == 1:
        return phones[0].number
    try:
        parsed = phonenumbers.parse(written, "CN")
    except phonenumbers.NumberParseException as error:
        raise QueryError(f"not a phone number: {written!r}") from error
    if not phonenumbers.is_possible_number(parsed):
        raise QueryError(f"not a phone number: {written!r}")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _kind_of(number: str) -> str:
    from extractors import extract_phones

    phones = extract_phones(f"电话 {number} ")
    return phones[0].kind if phones else "landline"


@dataclass(frozen=True)
class OfficialNumber:
    number: str
    kind: str
    display: str | None
    region: str | None
    carrier: str | None


def official_number(written: str) -> OfficialNumber:
    """The one number a brand's official line is written as; QueryError for anything else.

    Stricter than `normalize_number`: the number must be one the extractor finds on a page (a
    local number without its area code never matches a page), and a public service's short code
    (12315, 95588 …) belongs to no brand.
    """
    from extractors import extract_phones

    text = written.strip()
    if not text:
        raise QueryError("empty number")
    phones = extract_phones(f"电话 {text} ")
    if not phones:
        raise QueryError(f"not a phone number: {text!r} (write it with its area code, e.g. 010-8888 6666 or 400-186-5909)")
    if len(phones) > 1:
        raise QueryError(f"more than one number in {text!r}: {', '.join(p.number for p in phones)}; one row per number")
    (phone,) = phones
    if phone.kind == "short_code":
        raise QueryError(f"{text!r} is a public service short code, which is never a brand's official line")
    return OfficialNumber(phone.number, phone.kind, phone.display, phone.region, phone.carrier)


def _official_brand(written: str) -> str:
    brand = written.strip()
    if not brand:
        raise QueryError("empty brand")
    return brand


def read_official_csv(path: str | Path) -> list[tuple[str, str]]:
    """(brand, number) rows of a CSV whose first line names the columns `brand` and `number`.

    Every row is checked (its column count, a brand, exactly one number that is not a short
    code) before anything is returned; bad rows raise `OfficialFileError`, one
    `FILE:LINE: message` each, so a file is loaded whole or not at all. Blank lines are skipped.
    """
    name = str(path)
    numbered: list[tuple[int, list[str]]] = []  # (the line a row starts on, its fields)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            start = 1
            for fields in reader:
                numbered.append((start, fields))
                start = reader.line_num + 1  # a blank line is a row of no fields, so this stays exact
    except UnicodeDecodeError as error:
        raise QueryError(f"{name}: not UTF-8 text ({error.reason} at byte {error.start})") from error
    except FileNotFoundError as error:
        raise QueryError(f"{name}: no such file") from error
    except OSError as error:
        raise QueryError(f"{name}: cannot read ({error.strerror or error})") from error
    except csv.Error as error:
        raise QueryError(f"{name}: not a CSV file ({error})") from error
    header = [column.strip().lower() for column in numbered[0][1]] if numbered else []
    if "brand" not in header or "number" not in header:
        shown = ",".join(header) or "nothing"
        raise OfficialFileError(name, [f"{name}:1: expected a header naming the columns brand,number, got {shown}"])
    brand_at, number_at = header.index("brand"), header.index("number")
    rows: list[tuple[str, str]] = []
    problems: list[str] = []
    for line, fields in numbered[1:]:
        if not fields:
            continue
        try:
            if len(fields) != len(header):
                raise QueryError(f"expected {len(header)} columns ({','.join(header)}), got {len(fields)}")
            brand, number = _official_brand(fields[brand_at]), fields[number_at]
            official_number(number)
        except QueryError as error:
            problems.append(f"{name}:{line}: {error}")
            continue
        rows.append((brand, number))
    if problems:
        raise OfficialFileError(name, problems)
    return rows

