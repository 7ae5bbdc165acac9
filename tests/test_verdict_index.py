"""Number risk in the index: propagation (deterministic, order-independent, converging),
impersonation, unknown numbers, `index numbers` and `index score`, `suspicious` by risk, and
the migration of an index written before verdicts."""

from __future__ import annotations

import json
import sqlite3

import pytest

from conftest import PAGES
from hotlines.cli import main
from hotlines.index import Index, QueryError
from hotlines.pipeline import extract_bytes
from hotlines.verdict import propagation

SEEDS = sorted(PAGES.glob("0*_*.txt"))
SHARED = "+864001865909"
FAKE_LINE, REAL_LINE = "+864006338105", "+864006999999"
HAIER_URL = "https://www.haier.com/cn/service/"
SEEN = "2026-01-01T00:00:00Z"


def _record(path, url=None):
    return extract_bytes(str(path), path.read_bytes(), suffix=path.suffix, url=url)


def _web() -> list:
    """Every fixture page, the verdict fixtures at urls of their kind."""
    urls = {
        "verdict_official.html": HAIER_URL,
        "verdict_fake_single.txt": "http://haier-weixiu.com/rsq/1.html",
        "verdict_directory.txt": "https://www.114hao.com/jiadian.html",
        "verdict_news.txt": "https://news.example.cn/2024/0618/a.html",
        "verdict_shop.html": "https://item.jd.com/100012345.html",
    }
    return [_record(path, urls.get(path.name)) for path in sorted(PAGES.iterdir())]


def _by_number(index: Index) -> dict[str, dict]:
    return {row["number"]: row for row in index.numbers()}


@pytest.fixture
def index(tmp_path):
    with Index(tmp_path / "index.sqlite") as opened:
        yield opened


def test_a_single_brand_fake_line_is_flagged_and_the_official_line_beside_it_is_not(index) -> None:
    """The fake page names 海尔 with its own line and quotes Haier's real line once; Haier's own
    page (on haier.com) gives the real line, so the index learns it as 海尔's official line."""
    index.add_records([_record(PAGES / "verdict_fake_single.txt", "http://haier-weixiu.com/rsq/1.html"),
                       _record(PAGES / "verdict_official.html", HAIER_URL)], seen_at=SEEN)
    rows = _by_number(index)
    fake, real = rows[FAKE_LINE], rows[REAL_LINE]
    assert fake["verdict"] == "fraud" and fake["risk"] >= propagation.FRAUD_AT
    assert "not 海尔's official line" in fake["reasons"]
    assert fake["brands"] == ["海尔"] and fake["pages"] == 1
    assert real["verdict"] == "official" and real["risk"] < 0.1
    assert real["reasons"][0] == "official line of 海尔 (learned from its official page)"
    assert not any(reason.startswith("not ") for reason in real["reasons"])
    assert [row["number"] for row in index.numbers()][0] == FAKE_LINE
    assert index.numbers(verdict="official")[0]["number"] == REAL_LINE


def test_a_loaded_official_line_raises_the_impersonators_risk_and_not_its_own(index) -> None:
    index.add_records([_record(PAGES / "verdict_fake_single.txt")], seen_at=SEEN)
    before = _by_number(index)
    assert not any("official line" in reason for reason in before[FAKE_LINE]["reasons"])
    index.load_official([("Haier", "400-699-9999")])
    after = _by_number(index)
    assert after[FAKE_LINE]["risk"] > before[FAKE_LINE]["risk"]
    assert "not 海尔's official line" in after[FAKE_LINE]["reasons"]
    assert after[REAL_LINE]["risk"] <= before[REAL_LINE]["risk"] and after[REAL_LINE]["risk"] == 0.0
    assert after[REAL_LINE]["verdict"] == "official" and after[REAL_LINE]["reasons"][0] == "official line of 海尔 (loaded)"


def test_propagation_is_deterministic_and_independent_of_the_order_pages_were_added(tmp_path) -> None:
    records = _web()
    answers = []
    for name, ordered, batch in (("a", records, 500), ("b", records[::-1], 3), ("c", records[5:] + records[:5], 1)):
        with Index(tmp_path / f"{name}.sqlite") as index:
            index.add_records(ordered, batch_size=batch, seen_at=SEEN)
            first = index.numbers()
            index.score()
            assert index.numbers() == first, "the same input gives the same output"
            answers.append(first)
    assert answers[0] == answers[1] == answers[2]
    assert len(answers[0]) > 20 and len({row["risk"] for row in answers[0]}) > 5


def test_propagation_converges_within_its_stopping_rule(index) -> None:
    index.add_records(_web(), seen_at=SEEN)
    summary = index.score()
    assert summary["change"] <= propagation.TOLERANCE and summary["iterations"] < propagation.MAX_ITERATIONS
    bound = propagation.W_PAGES * propagation.GAMMA + propagation.W_BRANDS
    assert bound < 1, "each step is a contraction"


def test_a_number_with_no_evidence_is_unknown(index, tmp_path) -> None:
    page = tmp_path / "notice.txt"
    page.write_text("停水通知\n因管道检修，本小区明日停水。\n物业服务中心电话：0571-8888-1234\n", encoding="utf-8")
    index.add_records([_record(page)], seen_at=SEEN)
    (row,) = index.numbers()
    assert row["number"] == "+8657188881234"
    assert (row["verdict"], row["risk"], row["brands"]) == ("unknown", 0.5, [])
    index.load_official([("某某电器", "400-812-3456")])  # a number on no page, known only as an official line
    rows = _by_number(index)
    assert rows["+864008123456"]["verdict"] == "official" and rows["+864008123456"]["pages"] == 0
    assert rows["+8657188881234"]["verdict"] == "unknown"


def test_shared_numbers_rank_by_risk_and_min_brands_still_filters(index) -> None:
    index.add_records(_web(), seen_at=SEEN)
    rows = index.suspicious(min_brands=2)
    assert [row["risk"] for row in rows] == sorted((row["risk"] for row in rows), reverse=True)
    assert rows[0]["number"] == SHARED and rows[0]["verdict"] == "fraud" and rows[0]["reasons"]
    assert all(row["brands"] >= 2 for row in rows)
    assert {row["number"] for row in index.suspicious(min_brands=3)} < {row["number"] for row in rows}
    assert len(index.suspicious(min_brands=2, limit=2)) == 2
    risks = {row["number"]: row["risk"] for row in index.numbers()}
    assert all(row["risk"] == risks[row["number"]] for row in rows)


def test_numbers_api_shape_filters_and_page_verdicts(index) -> None:
    index.add_records(_web(), seen_at=SEEN)
    rows = index.numbers()
    assert rows == sorted(rows, key=lambda r: (-r["risk"], r["number"]))
    assert set(rows[0]) == {"number", "display", "kind", "risk", "verdict", "reasons", "brands", "pages", "first_seen", "last_seen"}
    assert all(0.0 <= r["risk"] <= 1.0 and r["verdict"] in ("fraud", "official", "unknown") for r in rows)
    assert "12315" not in {r["number"] for r in rows}, "public short codes are no brand's line"
    seeds = next(r for r in rows if r["number"] == SHARED)
    assert sorted(seeds["brands"]) == ["昌尔特", "超人", "阿拉好太太"] and seeds["pages"] == 3
    assert seeds["first_seen"] == seeds["last_seen"] == SEEN
    assert "claims 3 brands: 昌尔特, 超人, 阿拉好太太" in seeds["reasons"] and "pages: 3 fake_service" in seeds["reasons"]
    for verdict in ("fraud", "official", "unknown"):
        assert index.numbers(verdict=verdict) == [r for r in rows if r["verdict"] == verdict]
    assert index.numbers(limit=3) == rows[:3]
    with pytest.raises(QueryError):
        index.numbers(verdict="maybe")
    counts = index.page_verdicts()
    assert counts == {"fake_service": counts["fake_service"], "official": 1, "directory": 2, "other": counts["other"]}
    assert sum(counts.values()) == index.stats()["pages"] and counts["fake_service"] >= 5


def test_a_read_only_index_answers_from_the_stored_scores_or_computes_them(tmp_path) -> None:
    db = tmp_path / "index.sqlite"
    with Index(db) as index:
        index.add_records(_web(), seen_at=SEEN)  # no scoring yet: the stored scores are stale
        assert index.db.execute("SELECT count(*) FROM number_scores").fetchone()[0] == 0
    with Index(db, readonly=True) as reader:
        computed = reader.numbers()
    with Index(db) as index:
        index.score()
    with Index(db, readonly=True) as reader:
        assert reader.numbers() == computed


def test_cli_index_numbers_and_score(tmp_path, capsys) -> None:
    db = str(tmp_path / "index.sqlite")
    assert main(["index", "build", *map(str, SEEDS), str(PAGES / "verdict_directory.txt"), "--db", db, "--no-progress"]) == 0
    assert "number(s) scored" in capsys.readouterr().err
    assert main(["index", "numbers", "--db", db, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["number"] == SHARED and rows[0]["verdict"] == "fraud" and len(rows) == 10
    assert main(["index", "numbers", "--db", db, "--json", "--verdict", "fraud"]) == 0
    assert [row["number"] for row in json.loads(capsys.readouterr().out)] == [SHARED]
    assert main(["index", "numbers", "--db", db, "--limit", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "1 number(s), riskiest first"
    assert out[1].startswith(f"{SHARED} (shared_cost_400): risk ") and out[1].endswith("fraud, 3 page(s)")
    assert out[2] == "    claims 3 brands: 昌尔特, 超人, 阿拉好太太"
    with pytest.raises(SystemExit) as usage:
        main(["index", "numbers", "--db", db, "--verdict", "maybe"])
    assert usage.value.code == 2 and "invalid choice: 'maybe'" in capsys.readouterr().err
    assert main(["index", "score", "--db", db]) == 0
    assert "10 number(s) scored" in capsys.readouterr().err
    assert main(["index", "score", "--db", str(tmp_path / "none.sqlite")]) == 2
    assert "no index at" in capsys.readouterr().err
    assert main(["index", "suspicious", "--db", db]) == 0
    text = capsys.readouterr().out.splitlines()
    assert text[0] == "1 number(s) tied to at least 2 brands, riskiest first"
    assert text[1].startswith(f"{SHARED} (shared_cost_400): risk ") and " fraud, 3 brands on 3 page(s)" in text[1]


V1_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE pages (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, source TEXT NOT NULL, path TEXT, url TEXT, title TEXT,
                    first_seen TEXT NOT NULL, last_seen TEXT NOT NULL);
CREATE TABLE phones (id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, display TEXT, region TEXT, carrier TEXT);
CREATE TABLE brands (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, known INTEGER NOT NULL);
CREATE TABLE brand_names (brand_id INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (brand_id, name)) WITHOUT ROWID;
CREATE TABLE page_phones (page_id INTEGER NOT NULL, phone_id INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (page_id, phone_id)) WITHOUT ROWID;
CREATE TABLE links (page_id INTEGER NOT NULL, brand_id INTEGER NOT NULL, appliance TEXT NOT NULL, phone_id INTEGER NOT NULL, lines INTEGER NOT NULL,
                    PRIMARY KEY (page_id, brand_id, appliance, phone_id)) WITHOUT ROWID;
CREATE TABLE official (brand_id INTEGER NOT NULL, phone_id INTEGER NOT NULL, PRIMARY KEY (brand_id, phone_id)) WITHOUT ROWID;
INSERT INTO meta VALUES ('schema_version', '1');
"""


def _version_1_index(path) -> None:
    """An index as hotlines wrote it before verdicts: the seeds' number on three pages, three brands."""
    with sqlite3.connect(path) as db:
        db.executescript(V1_SCHEMA)
        db.execute("INSERT INTO phones VALUES (1, ?, 'shared_cost_400', '400 186 5909', NULL, NULL)", (SHARED,))
        for page, brand in enumerate(("阿拉好太太", "超人", "昌尔特"), start=1):
            db.execute("INSERT INTO pages VALUES (?, ?, ?, ?, NULL, NULL, ?, ?)", (page, f"{page:064x}", f"p{page}.txt", f"p{page}.txt", SEEN, SEEN))
            db.execute("INSERT INTO brands VALUES (?, ?, 0)", (page, brand))
            db.execute("INSERT INTO page_phones VALUES (?, 1, 10)", (page,))
            db.execute("INSERT INTO links VALUES (?, ?, '', 1, 4)", (page, page))


def test_an_index_written_before_verdicts_is_read_and_migrated(tmp_path) -> None:
    db = tmp_path / "old.sqlite"
    _version_1_index(db)
    with Index(db, readonly=True) as reader:  # read as it is: no verdict columns, no score table
        assert reader.page_verdicts() == {"fake_service": 0, "official": 0, "directory": 0, "other": 0, "none": 3}
        (old,) = reader.numbers()
        assert old["number"] == SHARED and old["verdict"] in ("fraud", "unknown") and old["risk"] > 0.5
        assert reader.suspicious()[0]["number"] == SHARED
    with Index(db) as index:  # opened for writing: migrated
        columns = {row[1] for row in index.db.execute("PRAGMA table_info(pages)")}
        assert {"verdict", "verdict_score", "verdict_reasons"} <= columns
        assert index.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "2"
        assert index.numbers()[0]["risk"] == old["risk"]
        index.add_records([_record(PAGES / "verdict_fake_single.txt")], seen_at=SEEN)
        assert index.page_verdicts() == {"fake_service": 1, "official": 0, "directory": 0, "other": 0, "none": 3}
        rows = _by_number(index)
        assert rows[FAKE_LINE]["verdict"] == "fraud" and rows[SHARED]["pages"] == 3
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_scoring_an_empty_index_or_one_without_numbers(tmp_path, index) -> None:
    assert index.score()["numbers"] == 0 and index.numbers() == [] and index.suspicious() == []
    assert index.page_verdicts() == {"fake_service": 0, "official": 0, "directory": 0, "other": 0}
    index.add_records([_record(PAGES / "news_ai_refunds.txt")], seen_at=SEEN)
    assert index.numbers() == [] and index.page_verdicts()["other"] == 1
