"""The analyst report (`hotlines report`): what it reads from an index, and how it writes it.

Here without a browser: the data, the escaping of page-written strings into HTML and JSON, both
rankings (risk from the index's verdicts, or distinct brands for an index without them), old
index files, filters and summaries. tests/test_report_browser.py opens reports in Chromium.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import PAGES, ROOT

SEED_NUMBER = "+864001865909"
SEED_BRANDS = {"阿拉好太太", "超人", "昌尔特"}
HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_BRAND = "</script><script>alert(4)</script><!--坏\u2028牌"
HOSTILE_PATH = "pages/<img src=x onerror=alert(2)>.html"
HOSTILE_URL = "javascript:alert(3)//</script>"


def hotlines(*arguments: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hotlines", *arguments], capture_output=True, text=True, cwd=cwd, check=False)


def build_index(paths: list[str | Path], db: Path) -> Path:
    result = hotlines("index", "build", *map(str, paths), "--db", str(db), "--no-progress")
    assert result.returncode == 0, result.stderr
    return db


def fixture_index(folder: Path) -> Path:
    """The README's index: every fixture page, named as the README names them."""
    return build_index(["fixtures/pages"], folder / "index.sqlite")


def hostile_record(index: int, *, title: str = HOSTILE_TITLE, brand: str = HOSTILE_BRAND, path: str = HOSTILE_PATH, url: str | None = HOSTILE_URL) -> dict[str, Any]:
    """A page record whose every page-written string is markup (as a JSONL line from extract)."""
    number = f"+86400{1_000_000 + index}"
    return {
        "schema_version": "1.0",
        "source": {"path": path, "url": url, "sha256": hashlib.sha256(f"{index}{title}".encode()).hexdigest(),
                   "encoding": "utf-8", "content_type": "text/html", "title": title, "size": 100},
        "phones": [{"number": "+864001865909", "display": "400 186 5909", "kind": "shared_cost_400", "count": 2, "spans": [[0, 1]], "raw": ["x"]},
                   {"number": number, "display": number, "kind": "shared_cost_400", "count": 1, "spans": [[0, 1]], "raw": ["x"]}],
        "brands": [{"name": brand, "known": False, "count": 2, "spans": [[0, 1]], "raw": [brand]}],
        "appliances": [{"name": "热水器", "category": "water_heater", "label": "water heater", "count": 2, "spans": [[0, 1]], "raw": ["热水器"]}],
        "regions": [{"text": "南山区", "span": [0, 3], "province": "广东省", "city": "深圳市", "county": "南山区", "adcode": "440305",
                     "level": "county", "lon": 113.930413, "lat": 22.533287}],
        "links": [{"brand": brand, "appliance": "water_heater", "phone": "+864001865909", "lines": 2},
                  {"brand": brand, "appliance": "water_heater", "phone": number, "lines": 1}],
        "warnings": [],
        "text": None,
    }


def hostile_index(folder: Path) -> Path:
    """The fixture pages, one HTML page titled with a script in a file named with markup, and JSONL
    records whose title, brand, path and url are all markup."""
    pages = folder / "pages"
    pages.mkdir()
    seed = (PAGES / "000_88c04a5b769380d4.txt").read_text(encoding="utf-8")
    markup_name = pages / "<img src=x onerror=alert(5)>.html"
    markup_name.write_text(
        f"<html><head><title>{html.escape(HOSTILE_TITLE)}</title></head><body><pre>{html.escape(seed)}</pre></body></html>", encoding="utf-8"
    )
    records = folder / "hostile.jsonl"
    records.write_text("".join(json.dumps(hostile_record(i), ensure_ascii=False) + "\n" for i in range(2)), encoding="utf-8")
    return build_index([PAGES, pages, records], folder / "hostile.sqlite")


def counts(db: Path) -> tuple[int, int]:
    """(numbers on some page, numbers claiming two brands or more): the fixtures grow, the report follows."""
    with sqlite3.connect(db) as connection:
        numbers = connection.execute("SELECT count(DISTINCT phone_id) FROM page_phones").fetchone()[0]
        multi = connection.execute("SELECT count(*) FROM (SELECT phone_id FROM links GROUP BY phone_id HAVING count(DISTINCT brand_id) >= 2)").fetchone()[0]
    return numbers, multi


def payload(report: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', report, re.S)
    assert match is not None
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def fixtures_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixture_index(tmp_path_factory.mktemp("report-fixtures"))


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_index(tmp_path_factory.mktemp("report-hostile"))


# ---- the fixtures report ------------------------------------------------------------------


def test_the_readme_commands_make_a_report_of_the_seeds_shared_number(fixtures_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = hotlines("report", "--db", str(fixtures_db), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert re.search(r"report .*report\.html: \d+ number\(s\) with dossiers(, \d+ more summarised)?, ranked by", result.stderr)
    text = out.read_text(encoding="utf-8")
    data = payload(text)
    at = [n["number"] for n in data["numbers"]].index(SEED_NUMBER)
    assert at < 3  # among the riskiest (first by distinct brands: see below)
    dossier = text[text.index(f'id="d-{at}"'):text.index(f'id="d-{at + 1}"')]
    for brand in SEED_BRANDS:
        assert brand in dossier
    assert "Brands it claims (3)" in dossier
    assert re.search(r'<ul class="reasons"><li>[^<]*3[^<]*brands', dossier)
    assert "fixtures/pages/000_88c04a5b769380d4.txt" in dossier
    seed_map = data["numbers"][at]["map"]
    assert seed_map["pages"] == 3 and len(seed_map["provinces"]) >= 20 and len(seed_map["points"]) > 300
    assert {"440000", "630000"} <= {code for code, _ in seed_map["provinces"]}  # Guangdong, Qinghai (海南同德县)
    graph = data["graph"]
    seed = next(n for n in graph["nodes"] if n["type"] == "number" and n["dossier"] == at)
    seed_index = graph["nodes"].index(seed)
    linked = {graph["nodes"][b]["label"] for a, b in graph["edges"] if a == seed_index}
    assert linked == SEED_BRANDS


def test_the_report_is_self_contained(fixtures_db: Path, tmp_path: Path) -> None:
    from hotlines.report import build_report

    summary = build_report(fixtures_db, tmp_path / "r.html")
    text = summary.path.read_text(encoding="utf-8")
    assert summary.bytes == summary.path.stat().st_size
    assert not re.search(r"<script[^>]*\ssrc=", text, re.I)
    assert not re.search(r"<link[^>]*\shref=", text, re.I)
    assert "connect-src 'none'" in text and "default-src 'none'" in text
    assert text.count("<script") == 3  # the data, plotly.js once, ours
    assert not (tmp_path / "r.html.partial").exists()


def test_the_index_records_each_pages_service_area(fixtures_db: Path) -> None:
    from hotlines.index import Index

    with Index(fixtures_db, readonly=True) as index:
        area = {row["adcode"]: row for row in index.service_area("400-1865-909")}
    assert area["632522"]["pages"] >= 1  # 海南同德县, the README's example
    assert all(row["mentions"] >= row["pages"] >= 1 for row in area.values())


# ---- escaping -----------------------------------------------------------------------------


def test_page_written_strings_are_escaped_in_the_html_and_the_json(hostile_db: Path, tmp_path: Path) -> None:
    from hotlines.report import build_report

    text = build_report(hostile_db, tmp_path / "r.html", top=60).path.read_text(encoding="utf-8")
    data_start = text.index('<script type="application/json"')
    markup = text[:data_start]
    for hostile in (HOSTILE_TITLE, HOSTILE_BRAND, HOSTILE_PATH, HOSTILE_URL, "<img src=x onerror=alert(5)>"):
        assert hostile not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup  # both titles, as text
    assert html.escape(HOSTILE_BRAND) in markup
    assert html.escape(HOSTILE_PATH) in markup and html.escape("<img src=x onerror=alert(5)>.html") in markup
    assert 'href="javascript:' not in text.lower()  # a url that is not http(s) is shown, never linked
    blob = text[data_start:text.index("</script>", data_start)]
    assert "</" not in blob and "<!--" not in blob and "\u2028" not in blob and "<" not in blob.split(">", 1)[1]
    brands = {n["label"] for n in payload(text)["graph"]["nodes"] if n["type"] == "brand"}
    assert HOSTILE_BRAND in brands  # the JSON still says exactly what the page said


def test_script_json_escapes_what_could_end_a_script() -> None:
    from hotlines.report.render import script_json

    value = {"a": "</script><!--<script>\u2028\u2029&"}
    text = script_json(value)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == value


# ---- rankings: risk from verdicts, or distinct brands -----------------------------------------


@pytest.fixture
def no_scores(monkeypatch: pytest.MonkeyPatch) -> None:
    """The index API as before the verdicts issue: no `numbers`, no `page_verdicts`."""
    from hotlines.index import Index

    monkeypatch.delattr(Index, "numbers", raising=False)
    monkeypatch.delattr(Index, "page_verdicts", raising=False)


def test_the_index_ranking_is_used_where_the_index_has_one(fixtures_db: Path, tmp_path: Path) -> None:
    from hotlines.index import Index
    from hotlines.report import build_report

    if not hasattr(Index, "numbers"):
        pytest.skip("this index has no risk ranking yet (the verdicts issue); the fake below stands in for it")
    summary = build_report(fixtures_db, tmp_path / "r.html")
    text = summary.path.read_text(encoding="utf-8")
    assert summary.scored and "Why this verdict" in text and 'class="verdict fraud"' in text
    ranked = payload(text)["numbers"]
    assert SEED_NUMBER in [n["number"] for n in ranked[:3]]
    with Index(fixtures_db, readonly=True) as index:
        assert [n["number"] for n in ranked] == [row["number"] for row in index.numbers()]  # the index's order


def _fake_scores(monkeypatch: pytest.MonkeyPatch, rows: list[dict[str, Any]], page_verdicts: dict[str, int]) -> list[Any]:
    """The verdicts issue's API (Index.numbers, Index.page_verdicts), as it is specified."""
    from hotlines.index import Index

    calls: list[Any] = []

    def numbers(self: Index, verdict: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        calls.append(limit)
        chosen = [r for r in rows if verdict is None or r["verdict"] == verdict]
        return chosen[:limit] if limit else chosen

    monkeypatch.setattr(Index, "numbers", numbers, raising=False)
    monkeypatch.setattr(Index, "page_verdicts", lambda self: dict(page_verdicts), raising=False)
    return calls


def _score_row(number: str, risk: float, verdict: str, brands: list[str], reasons: list[str]) -> dict[str, Any]:
    return {"number": number, "display": None, "kind": "shared_cost_400", "risk": risk, "verdict": verdict, "reasons": reasons,
            "brands": brands, "pages": 1, "first_seen": "2026-01-01T00:00:00Z", "last_seen": "2026-02-01T00:00:00Z"}


def test_an_index_with_verdicts_is_ranked_by_risk(fixtures_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hotlines.report import build_report

    rows = [
        _score_row("+864008300315", 0.97, "fraud", ["华帝", "方太", "老板"], ["posing as 3 unrelated brands"]),
        _score_row(SEED_NUMBER, 0.91, "fraud", sorted(SEED_BRANDS), ["posing as 3 discovered brands", "<b>reason</b> with markup"]),
        _score_row("+861012345678", 0.5, "unknown", [], []),  # not in this index: left out
        _score_row("+864006117788", 0.05, "official", ["海尔"], ["the official line of 海尔"]),
    ]
    calls = _fake_scores(monkeypatch, rows, {"fraud": 9, "unknown": 5, "official": 1})
    summary = build_report(fixtures_db, tmp_path / "r.html", top=2)
    text = summary.path.read_text(encoding="utf-8")
    assert summary.scored and summary.numbers == 2
    assert calls == [2]  # the index ranks; the report asks for the top rows only
    assert [n["number"] for n in payload(text)["numbers"]] == ["+864008300315", SEED_NUMBER]
    assert "Why this verdict" in text and "posing as 3 discovered brands" in text
    assert "&lt;b&gt;reason&lt;/b&gt; with markup" in text
    assert '<span class="verdict fraud">fraud</span>' in text
    assert "pages by verdict" in text and "fraud 9 · unknown 5 · official 1" in text
    assert 'id="verdict-filter"' in text
    assert "ranked by risk" in text
    nodes = [n for n in payload(text)["graph"]["nodes"] if n["type"] == "number"]
    assert [n["score"] for n in nodes] == [0.97, 0.91] and nodes[0]["verdict"] == "fraud"
    assert f"{counts(fixtures_db)[0] - 2} more number(s) in scope are not shown" in text


def test_verdicts_with_a_brand_filter_keep_the_index_order(fixtures_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hotlines.report import build_report

    rows = [_score_row("+864006117788", 0.8, "fraud", ["海尔"], []), _score_row("+864008882255", 0.2, "unknown", ["海尔"], []),
            _score_row("+861088886666", 0.1, "unknown", ["海尔"], [])]
    _fake_scores(monkeypatch, rows, {})
    text = build_report(fixtures_db, tmp_path / "r.html", brand="Haier").path.read_text(encoding="utf-8")
    assert [n["number"] for n in payload(text)["numbers"]][:2] == ["+864006117788", "+864008882255"]


def test_an_index_without_scores_falls_back_to_distinct_brands(fixtures_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Index.numbers exists (the verdicts issue) but this file has no score table: counts only."""
    from hotlines.index import Index
    from hotlines.report import build_report

    def numbers(self: Index, verdict: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        self.db.execute("SELECT * FROM number_scores_table_of_a_newer_index")  # raises: no such table
        return []

    monkeypatch.setattr(Index, "numbers", numbers, raising=False)
    monkeypatch.setattr(Index, "page_verdicts", lambda self: {"fraud": 1}, raising=False)
    summary = build_report(fixtures_db, tmp_path / "r.html")
    text = summary.path.read_text(encoding="utf-8")
    assert not summary.scored
    assert payload(text)["numbers"][0]["number"] == SEED_NUMBER
    assert "no verdicts in this index" in text and "not in this index: counts only" in text
    assert 'id="verdict-filter"' not in text


def test_without_verdicts_numbers_are_ranked_by_distinct_brands(fixtures_db: Path, tmp_path: Path, no_scores: None) -> None:
    from hotlines.report import build_report

    summary = build_report(fixtures_db, tmp_path / "r.html")
    text = summary.path.read_text(encoding="utf-8")
    assert not summary.scored and summary.numbers == counts(fixtures_db)[0]  # every number on a page, short codes too
    ranked = payload(text)["numbers"]
    assert [n["number"] for n in ranked[:3]] == [SEED_NUMBER, "+864008300315", "+864006117788"]  # 3 brands; 3, 2, 1 pages
    with sqlite3.connect(fixtures_db) as connection:
        claimed = dict(connection.execute(
            "SELECT ph.number, count(DISTINCT l.brand_id) FROM phones ph LEFT JOIN links l ON l.phone_id = ph.id GROUP BY ph.id"
        ).fetchall())
    order = [claimed[n["number"]] for n in ranked]
    assert order == sorted(order, reverse=True)
    assert "claimed as the after-sales line of 3 distinct brands, none in the brand gazetteer" in text
    assert "ranked by distinct brands claimed" in text


def test_an_index_from_before_service_areas_still_reports(fixtures_db: Path, tmp_path: Path) -> None:
    from hotlines.report import build_report

    old = tmp_path / "old.sqlite"
    with sqlite3.connect(fixtures_db) as source, sqlite3.connect(old) as copy:
        source.backup(copy)
    with sqlite3.connect(old) as connection:
        connection.execute("DROP TABLE page_regions")
    text = build_report(old, tmp_path / "r.html").path.read_text(encoding="utf-8")
    assert payload(text)["numbers"][0]["map"] is None
    assert "This index holds no service areas" in text


# ---- filters, summaries and the command line ----------------------------------------------


def test_past_top_the_report_summarises(fixtures_db: Path, tmp_path: Path, no_scores: None) -> None:
    from hotlines.report import build_report

    summary = build_report(fixtures_db, tmp_path / "r.html", top=2)
    text = summary.path.read_text(encoding="utf-8")
    numbers, multi = counts(fixtures_db)
    assert summary.numbers == 2 and summary.summarised == numbers - 2
    assert len(payload(text)["numbers"]) == 2 and 'id="d-2"' not in text
    assert f"{numbers - 2} more number(s) in scope are not shown" in text
    assert f"{multi - 2} of them claim two or more brands" in text  # the two shown claim three each


@pytest.mark.parametrize("scores", [True, False], ids=["verdicts", "counts"])
def test_number_and_brand_narrow_the_report(fixtures_db: Path, tmp_path: Path, scores: bool, request: pytest.FixtureRequest) -> None:
    from hotlines.index import QueryError
    from hotlines.report import build_report

    if not scores:
        request.getfixturevalue("no_scores")
    text = build_report(fixtures_db, tmp_path / "n.html", number="400-1865-909").path.read_text(encoding="utf-8")
    data = payload(text)
    assert [n["number"] for n in data["numbers"]] == [SEED_NUMBER] and data["open"] == 0
    text = build_report(fixtures_db, tmp_path / "b.html", brand="Haier").path.read_text(encoding="utf-8")
    numbers = [n["number"] for n in payload(text)["numbers"]]
    assert "+864006117788" in numbers and SEED_NUMBER not in numbers
    assert "brand 海尔" in text
    text = build_report(fixtures_db, tmp_path / "s.html", number="12315").path.read_text(encoding="utf-8")
    assert [n["number"] for n in payload(text)["numbers"]] == ["12315"]  # a short code: no score, still its dossier
    with pytest.raises(QueryError):
        build_report(fixtures_db, tmp_path / "x.html", brand="没有这个牌子")
    with pytest.raises(QueryError):
        build_report(fixtures_db, tmp_path / "x.html", number="13900001111")
    assert not (tmp_path / "x.html").exists()


def test_report_errors_are_one_line_and_exit_2(fixtures_db: Path, tmp_path: Path) -> None:
    for arguments, message in [
        (["--db", str(tmp_path / "missing.sqlite")], "no index at"),
        (["--db", str(fixtures_db), "--brand", "没有这个牌子"], "no brand"),
        (["--db", str(fixtures_db), "--top", "0"], "--top must be at least 1"),
        (["--db", str(fixtures_db), "-o", str(tmp_path / "no" / "dir.html")], "cannot write"),
    ]:
        output = ["-o", str(tmp_path / "r.html")] if "-o" not in arguments else []
        result = hotlines("report", *arguments, *output)
        assert result.returncode == 2, (arguments, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr


def test_report_help_imports_nothing_heavy() -> None:
    probe = "import sys\nfrom hotlines.cli import main\ntry:\n    main(['report', '--help'])\nexcept SystemExit:\n    pass\nprint(' '.join(sorted(sys.modules)), file=sys.stderr)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=False)
    modules = set(result.stderr.split())
    assert "--number" in result.stdout and "--brand" in result.stdout and "--top" in result.stdout
    assert not {"plotly", "numpy", "sqlite3", "hotlines.report", "hotlines.index", "extractors"} & modules


def test_a_larger_index_keeps_the_report_small(tmp_path: Path) -> None:
    """Past --top the report summarises: 3,000 pages with service areas make a report of about
    plotly.js's size (the 100,000-page budget is bench/report_bench.py's)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import corpus
        import report_bench
    finally:
        sys.path.remove(str(ROOT / "bench"))
    from hotlines.report import build_report

    db = build_index([corpus.write_jsonl(tmp_path / "c.jsonl", 3000)], tmp_path / "c.sqlite")
    assert report_bench.add_service_areas(db)["page_regions_rows"] > 100_000
    summary = build_report(db, tmp_path / "r.html", top=50)
    assert summary.numbers == 50 and summary.summarised > 1000
    assert summary.bytes < 8 * 10**6


def test_the_readme_report_commands_run(tmp_path: Path) -> None:
    section = readme_section()
    commands = [line.split("#")[0].split() for block in re.findall(r"^```sh\n(.*?)^```", section, re.M | re.S) for line in block.splitlines()]
    commands = [c for c in commands if c and c[0] == "hotlines"]
    assert [c[1] for c in commands] == ["index", "report", "report", "report"]
    for command in commands:
        arguments = [str(ROOT / a) if a == "fixtures/pages" else a for a in command[1:]]
        result = hotlines(*arguments, cwd=tmp_path)
        assert result.returncode == 0, (command, result.stderr)
    assert payload((tmp_path / "one.html").read_text(encoding="utf-8"))["numbers"][0]["number"] == SEED_NUMBER
    assert "docs/report.png" in section and (ROOT / "docs" / "report.png").is_file()


def readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("### The analyst report")
    return text[start:text.index("\n#", start + 5)]
