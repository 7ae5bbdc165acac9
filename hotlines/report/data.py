"""What a report shows, read from an index file: read-only queries, plain dicts out.

Two kinds of index are read:

- one with verdicts (the index's `numbers()` ranks numbers by risk, with a verdict and its
  reasons, and `page_verdicts()` counts pages by verdict): numbers are ranked by risk;
- an older one without them: numbers are ranked by how many distinct brands they claim, then
  by pages (as `hotlines index suspicious` does), and the report shows counts only.

The service area a number claims comes from `page_regions` (mentions per adcode on each page
that carries the number); names and coordinates come from the division table. An index built
before that table existed has no service areas: the report says so instead of drawing a map.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hotlines.index import Index, QueryError, normalize_number

DEFAULT_TOP = 50
DOSSIER_BRANDS = 30  # brand rows in a dossier; the rest are counted
EXAMPLE_PAGES = 5  # most recent pages carrying a number, per dossier
MAP_POINTS = 1500  # county points per map, most mentioned first; the rest are counted
MAP_PAGES = 100  # a map reads a number's most recent pages, this many at most
GRAPH_BRANDS_PER_NUMBER = 12  # a number's most-paged brands drawn in the graph …
GRAPH_MAX_BRANDS = 300  # … plus brands shared by drawn numbers, this many brand nodes at most
GRAPH_MAX_NUMBERS = 150  # number nodes at most (the layout is quadratic in nodes)


@dataclass
class ReportData:
    """Everything `render` needs; `numbers` in rank order, each with its dossier."""

    source: str
    generated: str
    filters: dict[str, Any]
    scored: bool
    overview: dict[str, Any]
    numbers: list[dict[str, Any]]
    rest: dict[str, Any]
    graph: dict[str, Any]
    units: dict[str, list[Any]] = field(default_factory=dict)
    provinces: list[list[Any]] = field(default_factory=list)
    open_number: str | None = None


def collect(db_path: str | Path, *, top: int = DEFAULT_TOP, number: str | None = None, brand: str | None = None) -> ReportData:
    """Read what the report shows from the index at `db_path` (opened read-only).

    `top`: how many numbers get a row and a dossier (the rest are summarised); `number`: that
    number and the numbers sharing a brand with it; `brand`: the numbers claiming that brand.
    Raises QueryError for a number or brand the index does not hold.
    """
    if top < 1:
        raise QueryError("--top must be at least 1")
    with Index(db_path, readonly=True) as index:
        return _Reader(index).collect(Path(db_path).name, top, number, brand)


class _Reader:
    def __init__(self, index: Index) -> None:
        self.index = index
        self.db = index.db
        tables = {row[0] for row in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        self.has_region_table = "page_regions" in tables
        self._kinds: dict[str, int] | None = None  # numbers on pages by kind, read once
        self._multi: int | None = None  # numbers claiming two brands or more, read once
        self._recent: dict[int, list[int]] = {}  # phone id: its most recent page ids

    # ---- the whole report -----------------------------------------------------------------

    def collect(self, source: str, top: int, number: str | None, brand: str | None) -> ReportData:
        filters: dict[str, Any] = {"top": top}
        candidates: set[int] | None = None  # phone ids the ranking may show; None: all
        focus_id: int | None = None
        if brand is not None:
            key = self.index.brand_key(brand)
            filters["brand"] = key
            candidates = {row[0] for row in self.db.execute(
                "SELECT DISTINCT l.phone_id FROM links l JOIN brands b ON b.id = l.brand_id WHERE b.key = ?", (key,)
            )}
        if number is not None:
            e164 = normalize_number(number)
            row = self.db.execute("SELECT id FROM phones WHERE number = ?", (e164,)).fetchone()
            if row is None:
                raise QueryError(f"no number {e164} in the index")
            focus_id = int(row[0])
            filters["number"] = e164
            sharing = {focus_id} | {r[0] for r in self.db.execute(
                "SELECT DISTINCT l2.phone_id FROM links l1 JOIN links l2 ON l2.brand_id = l1.brand_id WHERE l1.phone_id = ?", (focus_id,)
            )}
            candidates = sharing if candidates is None else (candidates & sharing) | {focus_id}
        scored_rows = self._scored(top if candidates is None else None)
        scored = scored_rows is not None
        ranked = self._rank(scored_rows, candidates, top, focus_id)
        shown = ranked["shown"]
        ids = [row["phone_id"] for row in shown]
        dossiers = self._dossiers(ids)
        units: dict[str, list[Any]] = {}
        provinces: list[list[Any]] = []
        if self.has_region_table:
            maps, units, provinces = self._maps(ids)
        else:
            maps = {}
        numbers = []
        for rank, row in enumerate(shown, start=1):
            entry = {**row, **dossiers.get(row["phone_id"], {}), "rank": rank}
            entry["map"] = maps.get(row["phone_id"])
            if not scored:
                entry["reasons"] = _evidence(entry)
            numbers.append(entry)
        overview = self._overview(scored)
        return ReportData(
            source=source,
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            filters=filters,
            scored=scored,
            overview=overview,
            numbers=numbers,
            rest=ranked["rest"],
            graph=self._graph(numbers, scored),
            units=units,
            provinces=provinces,
            open_number=filters.get("number"),
        )

    # ---- ranking ----------------------------------------------------------------------------

    def _scored(self, limit: int | None) -> list[dict[str, Any]] | None:
        """The index's risk ranking (verdicts issue), or None for an index without scores."""
        numbers = getattr(self.index, "numbers", None)
        if not callable(numbers):
            return None
        try:
            rows = numbers(limit=limit)
        except (sqlite3.OperationalError, NotImplementedError, AttributeError):
            return None  # an index file made before scores existed
        return list(rows) if rows is not None else None

    def _rank(self, scored: list[dict[str, Any]] | None, candidates: set[int] | None, top: int, focus: int | None) -> dict[str, Any]:
        if scored is None:
            ordered = sorted(self._counts_per_phone(candidates).values(), key=lambda r: (-r["brand_count"], -r["pages"], r["number"]))
        else:
            ids = self._phone_ids([row["number"] for row in scored])
            ordered = []
            for row in scored:
                phone_id = ids.get(row["number"])
                if phone_id is None or (candidates is not None and phone_id not in candidates):
                    continue
                ordered.append({
                    "phone_id": phone_id, "number": row["number"], "display": row.get("display"), "kind": row.get("kind"),
                    "risk": float(row.get("risk") or 0.0), "verdict": row.get("verdict") or "unknown",
                    "reasons": [str(reason) for reason in row.get("reasons") or []],
                    "brand_count": len(row.get("brands") or []), "pages": row.get("pages"),
                    "first_seen": row.get("first_seen"), "last_seen": row.get("last_seen"),
                })
        if focus is not None:  # the number asked for comes first, also one the index gives no score (a short code)
            if all(r["phone_id"] != focus for r in ordered):
                unscored = self._counts_per_phone({focus}).get(focus, {"phone_id": focus, "number": "?", "pages": 0})
                ordered.append({**unscored, "risk": 0.0, "verdict": "unknown", "reasons": ["the index gives this number no risk score"]})
            ordered.sort(key=lambda r: r["phone_id"] != focus)
        shown, rest = ordered[:top], ordered[top:]
        if scored is not None:  # what the ranking left out is filled from the index's own counts
            counts = self._counts_per_phone({row["phone_id"] for row in shown})
            # pages and dates as the index's pages say (the examples and maps read the same pages)
            shown = [
                {**{k: v for k, v in row.items() if v is not None}, **counts.get(row["phone_id"], {}), **_scores_of(row)} for row in shown
            ]
        summary: dict[str, Any] = {
            "count": len(rest),
            "by_kind": dict(Counter(r.get("kind") or "?" for r in rest).most_common()),
            "multi_brand": sum(1 for r in rest if r.get("brand_count", 0) >= 2),
        }
        if scored is not None:
            summary["by_verdict"] = dict(Counter(r["verdict"] for r in rest).most_common())
            if candidates is None:  # the index was asked for the top rows only (and lists no short code)
                summary = {**self._rest_counts(shown), "by_verdict": None}
        return {"shown": shown, "rest": summary}

    def _phone_ids(self, numbers: list[str]) -> dict[str, int]:
        if len(numbers) > 2000:
            return {row[0]: row[1] for row in self.db.execute("SELECT number, id FROM phones")}
        marks = ",".join("?" * len(numbers)) or "NULL"
        return {row[0]: row[1] for row in self.db.execute(f"SELECT number, id FROM phones WHERE number IN ({marks})", numbers)}  # noqa: S608

    def _rest_counts(self, shown: list[dict[str, Any]]) -> dict[str, Any]:
        """The numbers on pages past the top rows, by kind and how many claim several brands."""
        by_kind = Counter(self._kind_counts())
        by_kind.subtract(Counter(row.get("kind") or "?" for row in shown))
        multi = self._multi_brand() - sum(1 for row in shown if (row.get("brand_count") or 0) >= 2)
        rest = {kind: n for kind, n in by_kind.most_common() if n > 0}
        return {"count": sum(rest.values()), "by_kind": rest, "multi_brand": max(multi, 0)}

    def _kind_counts(self) -> dict[str, int]:
        if self._kinds is None:
            self._kinds = dict(self.db.execute(
                "SELECT kind, count(*) FROM phones ph WHERE EXISTS (SELECT 1 FROM page_phones pp WHERE pp.phone_id = ph.id) "
                "GROUP BY kind ORDER BY count(*) DESC, kind"
            ).fetchall())
        return self._kinds

    def _multi_brand(self) -> int:
        if self._multi is None:
            self._multi = int(self.db.execute(
                "SELECT count(*) FROM (SELECT phone_id FROM links GROUP BY phone_id HAVING count(DISTINCT brand_id) >= 2)"
            ).fetchone()[0])
        return self._multi

    def _counts_per_phone(self, candidates: set[int] | None) -> dict[int, dict[str, Any]]:
        """Per number on some page: distinct brands, pages, first and last seen (no scores needed)."""
        where, params = _id_filter("pp.phone_id", candidates)
        rows = self.db.execute(
            f"""
            WITH seen AS (
                SELECT pp.phone_id, count(*) AS pages, min(p.first_seen) AS first_seen, max(p.last_seen) AS last_seen
                FROM page_phones pp JOIN pages p ON p.id = pp.page_id {where} GROUP BY pp.phone_id
            ), claimed AS (
                SELECT pp.phone_id, count(DISTINCT brand_id) AS brands FROM links pp {where} GROUP BY pp.phone_id
            )
            SELECT ph.id AS phone_id, ph.number, ph.kind, ph.display, ph.region, ph.carrier,
                   seen.pages, seen.first_seen, seen.last_seen, coalesce(claimed.brands, 0) AS brand_count
            FROM seen JOIN phones ph ON ph.id = seen.phone_id LEFT JOIN claimed ON claimed.phone_id = seen.phone_id
            """,  # noqa: S608 (the filter is ours, its values bound)
            params * 2,
        ).fetchall()
        return {row["phone_id"]: dict(row) for row in rows}

    # ---- dossiers ---------------------------------------------------------------------------

    def _dossiers(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        """Brands (with appliances and official status), appliances and example pages per number."""
        if not ids:
            return {}
        where, params = _id_filter("l.phone_id", set(ids))
        result: dict[int, dict[str, Any]] = {i: {"brands": [], "more_brands": 0, "appliances": [], "examples": []} for i in ids}
        brand_rows = self.db.execute(
            f"""
            SELECT l.phone_id, b.id AS brand_id, b.key AS brand, b.known,
                   group_concat(DISTINCT nullif(l.appliance, '')) AS appliances,
                   count(DISTINCT l.page_id) AS pages, sum(l.lines) AS lines,
                   EXISTS (SELECT 1 FROM official o WHERE o.brand_id = b.id AND o.phone_id = l.phone_id) AS official,
                   EXISTS (SELECT 1 FROM official o WHERE o.brand_id = b.id) AS has_official
            FROM links l JOIN brands b ON b.id = l.brand_id {where}
            GROUP BY l.phone_id, b.id ORDER BY l.phone_id, pages DESC, b.key
            """,  # noqa: S608
            params,
        ).fetchall()
        for row in brand_rows:
            entry = result[row["phone_id"]]
            entry.setdefault("all_brands", []).append((row["brand_id"], row["brand"], bool(row["known"]), row["pages"]))
            if len(entry["brands"]) >= DOSSIER_BRANDS:
                entry["more_brands"] += 1
                continue
            entry["brands"].append({
                "brand": row["brand"], "known": bool(row["known"]), "pages": row["pages"], "lines": row["lines"],
                "appliances": sorted(row["appliances"].split(",")) if row["appliances"] else [],
                "official": bool(row["official"]), "flagged": bool(row["has_official"]) and not row["official"],
            })
        for row in self.db.execute(
            f"""
            SELECT l.phone_id, l.appliance, count(DISTINCT l.page_id) AS pages FROM links l {where} AND l.appliance != ''
            GROUP BY l.phone_id, l.appliance ORDER BY l.phone_id, pages DESC, l.appliance
            """,  # noqa: S608
            params,
        ):
            result[row[0]]["appliances"].append({"appliance": row[1], "pages": row[2]})
        recent = self._recent_pages(ids)
        wanted = sorted({page for i in ids for page in recent[i][:EXAMPLE_PAGES]})
        marks = ",".join("?" * len(wanted)) or "NULL"
        pages = {row["id"]: row for row in self.db.execute(
            f"SELECT id, source, path, url, title, first_seen, last_seen FROM pages WHERE id IN ({marks})", wanted  # noqa: S608
        )}
        examples = [{**dict(pages[page]), "phone_id": i, "page_id": page} for i in ids for page in recent[i][:EXAMPLE_PAGES]]
        page_ids = sorted({row["page_id"] for row in examples})
        claimed: dict[tuple[int, int], list[str]] = defaultdict(list)
        if page_ids:
            marks = ",".join("?" * len(page_ids))
            for row in self.db.execute(
                f"""
                SELECT DISTINCT l.page_id, l.phone_id, b.key FROM links l JOIN brands b ON b.id = l.brand_id
                WHERE l.page_id IN ({marks}) ORDER BY b.key
                """,  # noqa: S608
                page_ids,
            ):
                claimed[(row[0], row[1])].append(row[2])
        for row in examples:
            result[row["phone_id"]]["examples"].append({
                **{k: row[k] for k in ("source", "path", "url", "title", "first_seen", "last_seen")},
                "brands": claimed.get((row["page_id"], row["phone_id"]), []),
            })
        return result

    def _recent_pages(self, ids: list[int]) -> dict[int, list[int]]:
        """Per number, its most recent pages (at most MAP_PAGES), newest first; read once."""
        missing = [i for i in ids if i not in self._recent]
        for phone_id in missing:
            self._recent[phone_id] = [row[0] for row in self.db.execute(
                """
                SELECT pp.page_id FROM page_phones pp JOIN pages p ON p.id = pp.page_id
                WHERE pp.phone_id = ? ORDER BY p.last_seen DESC, p.source, p.id LIMIT ?
                """,
                (phone_id, max(MAP_PAGES, EXAMPLE_PAGES)),
            )]
        return self._recent

    # ---- service areas ----------------------------------------------------------------------

    def _maps(self, ids: list[int]) -> tuple[dict[int, dict[str, Any]], dict[str, list[Any]], list[list[Any]]]:
        """Per number: mentions per province, and county points (most mentioned first)."""
        from extractors.divisions import division_table

        table = division_table()
        per_phone: dict[int, list[tuple[str, int, int]]] = {}
        sampled: dict[int, tuple[int, int]] = {}  # pages read, of them naming a region
        recent = self._recent_pages(ids)
        for phone_id in ids:
            pages = recent[phone_id]  # a number on thousands of pages repeats its list: its most recent pages tell
            marks = ",".join("?" * len(pages)) or "NULL"
            per_phone[phone_id] = [
                (f"{adcode:06d}", mentions, count)
                for adcode, mentions, count in self.db.execute(
                    f"SELECT adcode, sum(count), count(*) FROM page_regions WHERE page_id IN ({marks}) GROUP BY adcode",  # noqa: S608
                    pages,
                )
            ]
            naming = self.db.execute(
                f"SELECT count(*) FROM pages p WHERE p.id IN ({marks}) AND EXISTS (SELECT 1 FROM page_regions r WHERE r.page_id = p.id)",  # noqa: S608
                pages,
            ).fetchone()[0]
            sampled[phone_id] = (len(pages), naming)
        units: dict[str, list[Any]] = {}
        maps: dict[int, dict[str, Any]] = {}
        for phone_id in ids:
            rows = per_phone.get(phone_id, [])
            provinces: Counter[str] = Counter()
            points = []
            unplaced = 0
            for adcode, mentions, pages in rows:
                unit = table.get(adcode)
                if unit is None:
                    unplaced += mentions
                    continue
                provinces[unit.province] += mentions
                if unit.level != "province" and unit.lon is not None and unit.lat is not None:
                    points.append((adcode, mentions, pages))
            points.sort(key=lambda p: (-p[1], p[0]))
            drawn = points[:MAP_POINTS]
            for adcode, _, _ in drawn:
                if adcode not in units:
                    unit = table.units[adcode]
                    parent = table.units.get(unit.city) if unit.city else None
                    province = table.units[unit.province]
                    where_in = " ".join(u.name for u in (province, parent) if u is not None)
                    units[adcode] = [unit.name, where_in, round(unit.lon, 3), round(unit.lat, 3)]  # type: ignore[arg-type]
            maps[phone_id] = {
                "read": sampled[phone_id][0],
                "pages": sampled[phone_id][1],
                "provinces": [[code, n] for code, n in provinces.most_common()],
                "points": [list(p) for p in drawn],
                "counties": len(points),
                "undrawn": len(points) - len(drawn),
                "unplaced": unplaced,
            }
        provinces_list = [
            [unit.adcode, _short_province(unit.name), unit.name, round(unit.lon, 3), round(unit.lat, 3)]
            for unit in sorted(table.units.values(), key=lambda u: u.adcode)
            if unit.level == "province" and unit.lon is not None and unit.lat is not None
        ]
        return maps, units, provinces_list

    # ---- overview and graph -----------------------------------------------------------------

    def _overview(self, scored: bool) -> dict[str, Any]:
        db = self.db
        pages, first, last = db.execute("SELECT count(*), min(first_seen), max(last_seen) FROM pages").fetchone()
        by_kind = self._kind_counts()
        brands, known = db.execute("SELECT count(*), coalesce(sum(known), 0) FROM brands b WHERE EXISTS (SELECT 1 FROM links l WHERE l.brand_id = b.id)").fetchone()
        overview: dict[str, Any] = {
            "pages": pages, "first_seen": first, "last_seen": last,
            "numbers": sum(by_kind.values()), "numbers_by_kind": by_kind,
            "brands": brands, "known_brands": known,
            "links": db.execute("SELECT count(*) FROM links").fetchone()[0],
            "official": db.execute("SELECT count(*) FROM official").fetchone()[0],
            "multi_brand": self._multi_brand(),
            "regions": self.has_region_table and db.execute("SELECT EXISTS (SELECT 1 FROM page_regions)").fetchone()[0] == 1,
            "page_verdicts": None,
        }
        page_verdicts = getattr(self.index, "page_verdicts", None)
        if scored and callable(page_verdicts):
            try:
                overview["page_verdicts"] = dict(page_verdicts())
            except (sqlite3.OperationalError, NotImplementedError):
                pass
        return overview

    def _graph(self, numbers: list[dict[str, Any]], scored: bool) -> dict[str, Any]:
        """The bipartite brand–phone graph of the numbers shown, laid out here (no layout in the page)."""
        from hotlines.report.layout import spring_layout

        # no brand, no edge: such numbers are left out; past GRAPH_MAX_NUMBERS, so are the lower ranks
        drawn_numbers = [(position, entry) for position, entry in enumerate(numbers) if entry.get("all_brands")][:GRAPH_MAX_NUMBERS]
        degree: Counter[int] = Counter()
        chosen: dict[int, tuple[str, bool]] = {}
        for _, entry in drawn_numbers:
            for brand_id, key, known, _ in entry["all_brands"]:
                degree[brand_id] += 1
                chosen.setdefault(brand_id, (key, known))
        keep: set[int] = {b for b, d in degree.items() if d >= 2}
        for _, entry in drawn_numbers:
            keep.update(b for b, *_ in entry["all_brands"][:GRAPH_BRANDS_PER_NUMBER])
        if len(keep) > GRAPH_MAX_BRANDS:
            keep = set(sorted(keep, key=lambda b: (-degree[b], chosen[b][0]))[:GRAPH_MAX_BRANDS])
        brand_ids = sorted(keep, key=lambda b: chosen[b][0])
        brand_pages = self._brand_pages(brand_ids)
        nodes: list[dict[str, Any]] = []
        for position, entry in drawn_numbers:
            drawn = sum(1 for b, *_ in entry.get("all_brands", []) if b in keep)
            total = len(entry.get("all_brands", []))
            nodes.append({
                "type": "number", "label": entry["display"] or entry["number"], "dossier": position,
                "score": entry["risk"] if scored else entry.get("brand_count", 0),
                "verdict": entry.get("verdict"), "brands": total, "undrawn": total - drawn, "pages": entry.get("pages", 0),
            })
        index_of = {b: len(drawn_numbers) + i for i, b in enumerate(brand_ids)}
        for brand_id in brand_ids:
            key, known = chosen[brand_id]
            nodes.append({"type": "brand", "label": key, "known": known, "pages": brand_pages.get(brand_id, 0), "numbers": degree[brand_id]})
        edges = [
            [node, index_of[b]] for node, (_, entry) in enumerate(drawn_numbers) for b, *_ in entry.get("all_brands", []) if b in index_of
        ]
        positions = spring_layout(len(nodes), edges)
        for node, (x, y) in zip(nodes, positions, strict=True):
            node["x"], node["y"] = round(x, 4), round(y, 4)
        hidden = len(degree) - len(keep)
        return {"nodes": nodes, "edges": edges, "hidden_brands": hidden}

    def _brand_pages(self, brand_ids: list[int]) -> dict[int, int]:
        if not brand_ids:
            return {}
        where, params = _id_filter("brand_id", set(brand_ids))
        return dict(self.db.execute(f"SELECT brand_id, count(DISTINCT page_id) FROM links {where} GROUP BY brand_id", params).fetchall())  # noqa: S608


def _id_filter(column: str, ids: set[int] | None) -> tuple[str, list[int]]:
    """`WHERE column IN (…)` for a set of ids (always a WHERE, so callers may add `AND …`)."""
    if ids is None:
        return "WHERE 1", []
    ordered = sorted(ids)
    if len(ordered) > 30000:  # SQLite's bound-parameter limit is 32766
        return f"WHERE {column} IN ({','.join(str(int(i)) for i in ordered)})", []
    return f"WHERE {column} IN ({','.join('?' * len(ordered)) or 'NULL'})", ordered


def _scores_of(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("risk", "verdict", "reasons") if row.get(k) is not None}


def _short_province(name: str) -> str:
    return name[:3] if name.startswith(("内蒙古", "黑龙江")) else name[:2]


def _evidence(entry: dict[str, Any]) -> list[str]:
    """What the index alone says about a number when it holds no verdicts: counts, no judgement."""
    brands = entry.get("all_brands", [])
    reasons = []
    if len(brands) >= 2:
        known = sum(1 for _, _, k, _ in brands if k)
        unrelated = f", {known} of them in the brand gazetteer" if known else ", none in the brand gazetteer (discovered on pages)"
        reasons.append(f"claimed as the after-sales line of {len(brands)} distinct brands{unrelated}")
    elif len(brands) == 1:
        reasons.append(f"claimed for one brand ({brands[0][1]})")
    else:
        reasons.append("claimed for no brand (no page ties it to a brand and appliance)")
    official = [b["brand"] for b in entry.get("brands", []) if b["official"]]
    flagged = [b["brand"] for b in entry.get("brands", []) if b["flagged"]]
    if official:
        reasons.append("a known official line of " + ", ".join(official))
    if flagged:
        reasons.append("not an official line of " + ", ".join(flagged) + ", whose official lines are loaded")
    reasons.append(f"on {entry.get('pages', 0)} page(s), seen {_day(entry.get('first_seen'))} to {_day(entry.get('last_seen'))}")
    return reasons


def _day(stamp: str | None) -> str:
    return stamp[:10] if stamp else "?"
