"""The brand-to-phone index: building (incremental, idempotent, transactional), queries, CLI."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PAGES, ROOT
from hotlines.cli import main
from hotlines.index import Index, OfficialFileError, QueryError, normalize_number, read_official_csv
from hotlines.pipeline import extract_bytes

sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402

SEEDS = sorted(PAGES.glob("0*_*.txt"))
SHARED = "+864001865909"


def _records(paths):
    return [extract_bytes(str(p), p.read_bytes(), suffix=p.suffix) for p in paths]


@pytest.fixture
def index(tmp_path) -> Index:
    with Index(tmp_path / "index.sqlite") as opened:
        yield opened


def test_the_seeds_number_serves_three_unrelated_brands(index) -> None:
    index.add_records(_records(SEEDS))
    (top,) = index.suspicious(min_brands=2)
    assert top["number"] == SHARED and top["brands"] == 3 and top["pages"] == 3
    assert sorted(e["brand"] for e in top["evidence"]) == ["昌尔特", "超人", "阿拉好太太"]
    assert all(e["example"].endswith(".txt") for e in top["evidence"])


def test_any_written_form_of_a_number_finds_the_same_brands(index) -> None:
    index.add_records(_records(SEEDS))
    forms = ["400-1865-909", "4001865909", "+86 400 186 5909", "0086 400 1865 909", "４００－１８６５－９０９", "400—1865—909"]
    assert {normalize_number(form) for form in forms} == {SHARED}
    answers = [index.brands_for_phone(form) for form in forms]
    assert all(a == answers[0] for a in answers)
    assert sorted(b["brand"] for b in answers[0]["brands"]) == ["昌尔特", "超人", "阿拉好太太"]
    assert answers[0]["brands"][0]["appliances"] and answers[0]["brands"][0]["examples"]
    with pytest.raises(QueryError):
        index.brands_for_phone("not a number")


def test_brand_queries_accept_canonical_and_written_names(index) -> None:
    index.add_records(_records([PAGES / "english_brand.txt", PAGES / "city_prefix.txt"]))
    by_alias = index.phones_for_brand("Haier")
    assert by_alias == index.phones_for_brand("海尔") == index.phones_for_brand("HAIER")
    assert sorted(p["number"] for p in by_alias["phones"]) == ["+861088886666", "+862155558888", "+864008882255"]
    with pytest.raises(QueryError):
        index.phones_for_brand("没有这个牌子")


def test_same_spelling_twice_is_one_brand(index) -> None:
    index.add_records(_records([PAGES / "english_brand.txt"]))
    (row,) = [r for r in index.suspicious(min_brands=2) if r["number"] == "+864008882255"]
    assert sorted(e["brand"] for e in row["evidence"]) == ["海尔", "西门子"], "SIEMENS/西门子 and Haier/海尔 are one brand each"


def test_the_same_page_twice_counts_once(index) -> None:
    first = index.add_records(_records(SEEDS), seen_at="2026-01-01T00:00:00Z")
    again = index.add_records(_records(SEEDS), seen_at="2026-02-01T00:00:00Z")
    assert (first.added, again.added, again.unchanged) == (3, 0, 3)
    assert index.stats()["pages"] == 3
    row = index.brands_for_phone(SHARED)["brands"][0]
    assert (row["pages"], row["first_seen"], row["last_seen"]) == (1, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z")


def test_a_changed_page_replaces_its_old_links(index, tmp_path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("海尔空调售后电话400-699-9999\n海尔空调维修400-699-9999", encoding="utf-8")
    index.add_records(_records([page]), seen_at="2026-01-01T00:00:00Z")
    page.write_text("格力空调售后电话400-111-2222\n格力空调维修400-111-2222", encoding="utf-8")
    summary = index.add_records(_records([page]), seen_at="2026-03-01T00:00:00Z")
    assert summary.replaced == 1 and index.stats()["pages"] == 1
    assert index.brands_for_phone("400-699-9999")["brands"] == []
    (gree,) = index.brands_for_phone("400-111-2222")["brands"]
    assert gree["brand"] == "格力" and gree["first_seen"] == "2026-01-01T00:00:00Z"


def test_short_codes_are_never_linked_to_brands(index) -> None:
    index.add_records(_records([PAGES / "two_brands.html"]))
    assert index.brands_for_phone("12315")["brands"] == []
    assert all(row["number"] != "12315" for row in index.suspicious(min_brands=1))


def test_official_numbers_are_marked_and_other_numbers_flagged(index, tmp_path) -> None:
    index.add_records(_records([PAGES / "city_prefix.txt", PAGES / "english_brand.txt"]))
    official = tmp_path / "official.csv"
    official.write_text("brand,number\nHaier,400-699-9999\n海尔,010-8888 6666\n", encoding="utf-8")
    from hotlines.index import read_official_csv

    assert index.load_official(read_official_csv(official)) == 2
    result = index.phones_for_brand("海尔")
    marks = {p["number"]: (p["official"], p["flagged"]) for p in result["phones"]}
    assert marks["+861088886666"] == (True, False)
    assert marks["+862155558888"] == (False, True) and marks["+864008882255"] == (False, True)


def _csv(tmp_path: Path, text: str, name: str = "official.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("code", ["12315", "95588", "110", "10086"])
def test_a_short_code_is_never_an_official_line(index, tmp_path, code) -> None:
    path = _csv(tmp_path, f"brand,number\n海尔,400-699-9999\n某机构,{code}\n")
    with pytest.raises(OfficialFileError) as caught:
        read_official_csv(path)
    (problem,) = caught.value.problems
    assert problem.startswith(f"{path}:3: ") and "short code" in problem
    with pytest.raises(OfficialFileError) as caught:
        index.load_official([("海尔", "400-699-9999"), ("某机构", code)])
    assert "short code" in caught.value.problems[0]
    assert index.stats()["official"] == 0
    with pytest.raises(QueryError):
        index.phones_for_brand("某机构")  # nothing of the refused rows was kept, not even the brand


BAD_ROWS = (
    "brand,number\n"              # 1
    "海尔,400-699-9999\n"         # 2 good
    ",400-111-2222\n"             # 3 empty brand
    "格力,not a number\n"         # 4 unparsable number
    "美的,400-8899-315,extra\n"   # 5 three columns
    "\n"                          # 6 blank: skipped
    "工商银行,95588\n"            # 7 short code
    '"方太","400-8300-315"\n'     # 8 good
    "老板,8888-6666\n"            # 9 no area code: never found on a page
    "西门子,400-699-9999 010-8888 6666\n"  # 10 two numbers
)


def test_bad_rows_are_reported_by_line_and_nothing_is_loaded(index, tmp_path) -> None:
    path = _csv(tmp_path, BAD_ROWS)
    with pytest.raises(OfficialFileError) as caught:
        read_official_csv(path)
    problems = caught.value.problems
    assert [p.split(": ", 1)[0] for p in problems] == [f"{path}:{line}" for line in (3, 4, 5, 7, 9, 10)]
    for problem, words in zip(problems, ["empty brand", "not a phone number", "expected 2 columns", "short code", "not a phone number", "more than one number"]):
        assert words in problem, (problem, words)
    index.add_records(_records([PAGES / "city_prefix.txt"]))
    before = index.stats()
    with pytest.raises(OfficialFileError):
        index.load_official([("海尔", "400-699-9999"), ("", "400-111-2222")])
    assert index.stats() == before and before["official"] == 0


def test_cli_refuses_a_bad_official_file_whole_and_exits_2(tmp_path, capsys) -> None:
    path = _csv(tmp_path, BAD_ROWS)
    db = tmp_path / "index.sqlite"
    assert main(["index", "official", str(path), "--db", str(db)]) == 2
    err = capsys.readouterr().err.splitlines()
    *rows, summary = err
    assert [line.removeprefix("hotlines: error: ").split(": ", 1)[0] for line in rows] == [f"{path}:{n}" for n in (3, 4, 5, 7, 9, 10)]
    assert summary == f"hotlines: error: {path}: 6 bad row(s); no official number loaded"
    assert not db.exists(), "the file is checked before the index is opened"
    assert main(["index", "build", *map(str, SEEDS), "--official", str(path), "--db", str(db)]) == 2
    assert "no official number loaded" in capsys.readouterr().err
    assert not db.exists(), "a build with a bad official file adds no page"


def test_official_file_header_and_reading_problems(tmp_path, capsys) -> None:
    db = str(tmp_path / "index.sqlite")
    header = _csv(tmp_path, "name,phone\n海尔,400-699-9999\n", "header.csv")
    assert main(["index", "official", str(header), "--db", db]) == 2
    assert f"{header}:1: expected a header naming the columns brand,number, got name,phone" in capsys.readouterr().err
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("brand,number\n海尔,400-699-9999\n".encode("gbk"))
    assert main(["index", "official", str(gbk), "--db", db]) == 2
    assert f"{gbk}: not UTF-8 text" in capsys.readouterr().err
    assert main(["index", "official", str(tmp_path / "missing.csv"), "--db", db]) == 2
    assert "missing.csv: no such file" in capsys.readouterr().err
    good = _csv(tmp_path, "number,brand,note\n400-699-9999,海尔,hotline\n\n", "good.csv")
    assert read_official_csv(good) == [("海尔", "400-699-9999")]


def test_a_brand_only_in_the_official_file_can_be_queried(tmp_path, capsys) -> None:
    db = str(tmp_path / "index.sqlite")
    path = _csv(tmp_path, "brand,number\n某某电器,400-812-3456\n某某电器,400-1865-909\n")
    assert main(["index", "build", *map(str, SEEDS), "--official", str(path), "--db", db]) == 0
    capsys.readouterr()
    assert main(["index", "phones", "某某电器", "--db", db, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["brand"] == "某某电器" and result["has_official_numbers"] is True
    rows = {row["number"]: row for row in result["phones"]}
    assert set(rows) == {"+864008123456", SHARED}
    assert rows["+864008123456"]["official"] is True and rows["+864008123456"]["pages"] == 0
    assert rows["+864008123456"]["brands"] == 0
    assert rows[SHARED]["brands"] == 3, "the seeds claim the number for three other brands"
    assert main(["index", "phones", "某某电器", "--db", db]) == 0
    text = capsys.readouterr().out.splitlines()
    assert text[0] == "某某电器: 2 number(s)"
    assert "  +864008123456 (shared_cost_400) [official]: on no page for this brand" in text
    assert f"  {SHARED} (shared_cost_400) [official]: on no page for this brand, claimed for 3 other brand(s)" in text
    with Index(db, readonly=True) as opened:
        assert opened.db.execute("SELECT known FROM brands WHERE key = '某某电器'").fetchone()[0] == 0
        assert opened.stats()["pages"] == 3


def test_a_page_is_known_by_its_url_when_it_has_one(index, tmp_path) -> None:
    url = "https://example.invalid/haier-service.html"
    first = tmp_path / "monday" / "page.txt"
    second = tmp_path / "tuesday" / "page.txt"
    for path, text in ((first, "海尔空调售后电话400-699-9999\n海尔空调维修400-699-9999"), (second, "格力空调售后电话400-111-2222\n格力空调维修400-111-2222")):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    fetch = lambda path: extract_bytes(str(path), path.read_bytes(), suffix=".txt", url=url)  # noqa: E731
    index.add_records([fetch(first)], seen_at="2026-01-01T00:00:00Z")
    summary = index.add_records([fetch(second)], seen_at="2026-02-01T00:00:00Z")
    assert summary.replaced == 1 and index.stats()["pages"] == 1, "two paths, one url: one page"
    (row,) = index.db.execute("SELECT source, path, url, first_seen FROM pages").fetchall()
    assert tuple(row) == (url, str(second), url, "2026-01-01T00:00:00Z")
    assert index.brands_for_phone("400-699-9999")["brands"] == []
    index.add_records(_records([first]))  # no url: known by its path, a page of its own
    assert index.stats()["pages"] == 2


def test_extract_url_flows_through_jsonl_into_the_index(tmp_path) -> None:
    records = tmp_path / "records.jsonl"
    url = "https://example.invalid/seed-001"
    assert main(["extract", str(SEEDS[1]), "--url", url, "-o", str(records)]) == 0
    db = tmp_path / "index.sqlite"
    assert main(["index", "build", str(records), "--db", str(db)]) == 0
    with Index(db, readonly=True) as opened:
        assert [tuple(r) for r in opened.db.execute("SELECT source, url FROM pages")] == [(url, url)]
        assert opened.brands_for_phone(SHARED)["brands"][0]["examples"] == [url]


def test_many_brands_sharing_numbers_rank_first(index) -> None:
    """`suspicious` ranks by risk (issue 11); the corpus' shared 400 lines, each claiming many
    brands, come first, ahead of every page's own one-brand numbers."""
    index.add_records(corpus.page_records(3000), batch_size=250)
    ranked = index.suspicious(min_brands=2)
    assert len(ranked) >= 40
    risks = [row["risk"] for row in ranked]
    assert risks == sorted(risks, reverse=True)
    assert all(row["brands"] >= 2 for row in ranked) and max(row["brands"] for row in ranked[:5]) > 10
    assert all(row["number"].startswith("+86400") for row in ranked[:40])


def test_export_csv_and_jsonl_hold_every_link(index, tmp_path) -> None:
    index.add_records(_records(SEEDS))
    links = index.stats()["links"]
    db = str(index.path)
    assert main(["index", "export", "--db", db, "--format", "jsonl", "-o", str(tmp_path / "l.jsonl")]) == 0
    rows = [json.loads(line) for line in (tmp_path / "l.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == links and {r["number"] for r in rows} == {SHARED}
    assert main(["index", "export", "--db", db, "--format", "csv", "-o", str(tmp_path / "l.csv")]) == 0
    assert len((tmp_path / "l.csv").read_text(encoding="utf-8").splitlines()) == links + 1


def test_build_from_pages_and_records_with_bad_lines(tmp_path, capsys) -> None:
    records = tmp_path / "records.jsonl"
    assert main(["extract", *map(str, SEEDS), "-o", str(records)]) == 0
    good = records.read_text(encoding="utf-8").splitlines()
    newer = json.loads(good[0])
    newer["schema_version"] = "9.0"
    records.write_text("\n".join([good[0], "{not json", json.dumps(newer), good[1], ""]), encoding="utf-8")
    db = str(tmp_path / "index.sqlite")
    assert main(["index", "build", str(records), str(PAGES / "gbk_siemens.html"), "--db", db]) == 1
    err = capsys.readouterr().err
    assert f"{records}:2: not valid JSON" in err
    assert f"{records}:3: record from another schema version" in err
    assert "3 page(s) added" in err
    assert main(["index", "suspicious", "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["number"] == SHARED


def test_queries_on_a_missing_index_are_a_clear_error(tmp_path, capsys) -> None:
    assert main(["index", "brands", "4001865909", "--db", str(tmp_path / "nope.sqlite")]) == 2
    assert "no index at" in capsys.readouterr().err


def _build_process(db: Path, source: Path, batch: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "hotlines", "index", "build", str(source), "--db", str(db), "--batch-size", str(batch), "--no-progress"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def _pages(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as connection:
            return connection.execute("SELECT count(*) FROM pages").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_a_killed_build_keeps_every_committed_batch_and_a_rerun_finishes(tmp_path) -> None:
    source = corpus.write_jsonl(tmp_path / "corpus.jsonl", 20_000)
    db = tmp_path / "index.sqlite"
    batch = 200
    process = _build_process(db, source, batch)
    deadline = time.monotonic() + 60
    while _pages(db) < 2 * batch and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        committed = connection.execute("SELECT count(*) FROM pages").fetchone()[0]
        orphans = connection.execute("SELECT count(*) FROM links WHERE page_id NOT IN (SELECT id FROM pages)").fetchone()[0]
    assert 0 < committed < 20_000, "killed mid-build"
    assert committed % batch == 0, "only whole batches are committed"
    assert orphans == 0
    rerun = _build_process(db, source, batch)
    assert rerun.wait(timeout=120) == 0, rerun.stderr.read().decode() if rerun.stderr else ""
    with Index(db, readonly=True) as index:
        assert index.stats()["pages"] == 20_000
        assert index.db.execute("SELECT count(*) FROM (SELECT sha256 FROM pages GROUP BY sha256 HAVING count(*) > 1)").fetchone()[0] == 0


def test_readers_query_while_a_build_writes(tmp_path) -> None:
    source = corpus.write_jsonl(tmp_path / "corpus.jsonl", 20_000)
    db = tmp_path / "index.sqlite"
    with Index(db):
        pass  # created, so readers can open it at once
    process = _build_process(db, source, 100)
    answers = 0
    seen_growth = set()
    try:
        while process.poll() is None:
            with Index(db, readonly=True) as index:
                seen_growth.add(index.stats()["pages"])
                index.suspicious(min_brands=2, limit=5)
                answers += 1
    finally:
        process.wait(timeout=120)
    assert process.returncode == 0
    assert answers > 3 and len(seen_growth) > 2, (answers, seen_growth)
    assert os.path.getsize(db) > 0


def test_extract_piped_into_index_build(tmp_path) -> None:
    db = tmp_path / "index.sqlite"
    extract = subprocess.run([sys.executable, "-m", "hotlines", "extract", *map(str, SEEDS)], capture_output=True, cwd=ROOT, check=True)
    build = subprocess.run([sys.executable, "-m", "hotlines", "index", "build", "-", "--db", str(db)], input=extract.stdout, capture_output=True, cwd=ROOT, check=False)
    assert build.returncode == 0, build.stderr.decode()
    with Index(db, readonly=True) as index:
        assert index.suspicious(min_brands=3)[0]["number"] == SHARED
