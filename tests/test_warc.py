"""Crawl archives: WARC (.warc, .warc.gz) and ARC (.arc, .arc.gz) read by `extract` and `index build`.

Every archive is written here, with warcio's WARCWriter (one gzip member per record, or plain)
and, for ARC, which warcio does not write, by hand from the format's documented layout.
"""

from __future__ import annotations

import gzip
import io
import json
import pickle
import sqlite3
import subprocess
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import brotli
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from conftest import PAGES, ROOT
from hotlines.cli import main
from hotlines.errors import InputError
from hotlines.pipeline.tasks import build_page_record
from hotlines.readers import ArchiveError, ArchiveRecord, ArchiveTally, InputRef, SkippedRecord, archive_page, iter_archive, iter_inputs
from schemas import PageRecord

HAIER = "<html><head><title>海尔热水器售后</title></head><body><p>海尔热水器售后服务电话：400-699-0001</p></body></html>"
PLAIN = "格力空调维修热线 400-699-0002\n北京市朝阳区\n"
GBK = "<html><body><p>美的空调售后服务电话：400-699-0003</p></body></html>"  # no meta: the charset is in the HTTP header only
BIG5 = "<html><body><p>海爾熱水器維修電話：400-699-0004</p></body></html>"
GZIPPED = "<html><body><p>方太油烟机售后电话 400-699-0005</p></body></html>"
CHUNKED = "<html><body><p>老板油烟机售后电话 400-699-0006</p></body></html>"
CHUNKED_GZIP = "<html><body><p>华帝燃气灶售后电话 400-699-0007</p></body></html>"
BROTLI = "<html><body><p>万和热水器售后电话 400-699-0008</p></body></html>"
URL = "http://example.invalid/{}"


def _chunked(data: bytes, size: int = 7) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(data[i : i + size]), data[i : i + size]) for i in range(0, len(data), size)]
    return b"".join(parts) + b"0\r\n\r\n"


@dataclass
class Archive:
    path: Path
    offsets: dict[str, int] = field(default_factory=dict)  # record label -> byte offset


class _Writer:
    """A WARC written record by record, remembering where each starts."""

    def __init__(self, path: Path, gzipped: bool) -> None:
        self.archive = Archive(path)
        self.handle = path.open("wb")
        self.writer = WARCWriter(self.handle, gzip=gzipped)

    def _write(self, label: str, record: object) -> None:
        self.archive.offsets[label] = self.handle.tell()
        self.writer.write_record(record)

    def response(self, label: str, body: bytes, headers: list[tuple[str, str]], status: str = "200 OK") -> None:
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        self._write(label, self.writer.create_warc_record(URL.format(label), "response", payload=io.BytesIO(body), http_headers=http))

    def request(self, label: str) -> None:
        http = StatusAndHeaders("GET /" + label + " HTTP/1.1", [("Host", "example.invalid")], is_http_request=True)
        self._write(label + "#request", self.writer.create_warc_record(URL.format(label), "request", payload=io.BytesIO(b""), http_headers=http))

    def metadata(self, label: str) -> None:
        record = self.writer.create_warc_record(URL.format(label), "metadata", payload=io.BytesIO(b"via: test\r\n"), warc_content_type="application/warc-fields")
        self._write(label + "#metadata", record)

    def revisit(self, label: str) -> None:
        record = self.writer.create_revisit_record(URL.format(label), digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", refers_to_uri=URL.format(label), refers_to_date="2026-01-01T00:00:00Z")
        self._write(label + "#revisit", record)

    def warcinfo(self) -> None:
        self._write("warcinfo", self.writer.create_warcinfo_record(self.archive.path.name, {"software": "hotlines tests"}))

    def close(self) -> Archive:
        self.handle.close()
        return self.archive


def _crawl(path: Path, gzipped: bool = True) -> Archive:
    """Every kind of record: 8 pages, 7 records that are not pages."""
    w = _Writer(path, gzipped)
    w.warcinfo()
    w.request("haier")
    w.response("haier", HAIER.encode(), [("Content-Type", "text/html; charset=utf-8")])
    w.metadata("haier")
    w.request("plain")
    w.response("plain", PLAIN.encode(), [("Content-Type", "text/plain; charset=UTF-8")])
    w.response("gbk", GBK.encode("gbk"), [("Content-Type", "text/html; charset=GBK")])
    w.response("big5", BIG5.encode("big5"), [("Content-Type", "text/html; charset=big5")])
    w.revisit("haier")
    w.response("logo", b"\x89PNG\r\n\x1a\n" + bytes(200), [("Content-Type", "image/png")])
    w.response("missing", b"<html><body>not found 400-699-0099</body></html>", [("Content-Type", "text/html")], status="404 Not Found")
    w.response("gzip", gzip.compress(GZIPPED.encode()), [("Content-Type", "text/html"), ("Content-Encoding", "gzip")])
    w.response("chunked", _chunked(CHUNKED.encode()), [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")])
    w.response("chunked-gzip", _chunked(gzip.compress(CHUNKED_GZIP.encode())), [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")])
    w.response("br", brotli.compress(BROTLI.encode()), [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "br")])
    return w.close()


CRAWL_PAGES = ["haier", "plain", "gbk", "big5", "gzip", "chunked", "chunked-gzip", "br"]
CRAWL_SUMMARY = "15 records: 8 pages, 7 skipped (2 request, 1 metadata, 1 revisit, 1 warcinfo, 1 not 200, 1 not text)"


def _series(path: Path, count: int = 6, gzipped: bool = True) -> Archive:
    w = _Writer(path, gzipped)
    for index in range(count):
        w.response(f"p{index}", f"<html><body><p>海尔空调售后电话 400-699-{1000 + index}</p></body></html>".encode(), [("Content-Type", "text/html")])
    return w.close()


def _extract(capsys, *argv: str) -> tuple[int, list[dict], list[str]]:
    code = main(["extract", "--no-progress", *argv])
    captured = capsys.readouterr()
    return code, [json.loads(line) for line in captured.out.splitlines()], captured.err.splitlines()


def _phone(record: dict) -> str:
    return record["phones"][0]["number"]


@pytest.mark.parametrize("gzipped", [True, False], ids=["warc.gz", "warc"])
def test_every_200_html_or_text_response_is_one_record_and_the_rest_are_counted(tmp_path, capsys, gzipped) -> None:
    crawl = _crawl(tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc"), gzipped)
    code, records, err = _extract(capsys, str(crawl.path))
    assert code == 0, err
    assert [r["source"]["url"] for r in records] == [URL.format(label) for label in CRAWL_PAGES]
    assert [_phone(r) for r in records] == [f"+864006990{n:03d}" for n in range(1, 9)]
    for label, record in zip(CRAWL_PAGES, records):
        source = record["source"]
        assert source["path"] == str(crawl.path)
        assert source["warc_offset"] == crawl.offsets[label]
        assert source["warc_record_id"].startswith("<urn:uuid:")
    assert len({r["source"]["warc_record_id"] for r in records}) == 8
    assert f"hotlines: {CRAWL_SUMMARY}" in err
    assert err[-1] == "hotlines: 1 of 1 input(s) extracted, 0 failed"


def test_titles_content_types_and_decoded_bodies(tmp_path, capsys) -> None:
    crawl = _crawl(tmp_path / "crawl.warc.gz")
    _, records, _ = _extract(capsys, str(crawl.path), "--include-text")
    by_label = {r["source"]["url"].rsplit("/", 1)[1]: r for r in records}
    assert by_label["haier"]["source"]["title"] == "海尔热水器售后"
    assert by_label["plain"]["source"]["content_type"] == "text/plain" and by_label["plain"]["text"] == PLAIN
    for label, page in [("gzip", GZIPPED), ("chunked", CHUNKED), ("chunked-gzip", CHUNKED_GZIP), ("br", BROTLI)]:
        source = by_label[label]["source"]
        assert source["content_type"] == "text/html" and source["size"] == len(page.encode()), label
        assert by_label[label]["text"] in page, label


def test_each_record_carries_its_capture_date(tmp_path, capsys) -> None:
    from warcio.archiveiterator import ArchiveIterator

    crawl = _crawl(tmp_path / "crawl.warc.gz")
    with crawl.path.open("rb") as handle:
        dates = {r.rec_headers.get_header("WARC-Target-URI"): r.rec_headers.get_header("WARC-Date") for r in ArchiveIterator(handle) if r.rec_type == "response"}
    _, records, _ = _extract(capsys, str(crawl.path))
    assert len(records) == 8 and all(r["source"]["fetched"] == dates[r["source"]["url"]] for r in records)
    assert all(r["source"]["fetched"].endswith("Z") for r in records)


def test_capture_dates_are_read_leniently() -> None:
    from hotlines.readers.warc import _iso_date

    assert _iso_date("2026-01-02T03:04:05Z") == "2026-01-02T03:04:05Z"
    assert _iso_date("2026-01-02T03:04:05.123456Z") == "2026-01-02T03:04:05.123456Z"
    assert _iso_date("20260102030405") == "2026-01-02T03:04:05Z"  # ARC
    assert _iso_date("yesterday") is None and _iso_date(None) is None and _iso_date("") is None


def test_the_http_header_charset_comes_first(tmp_path, capsys) -> None:
    crawl = _crawl(tmp_path / "crawl.warc.gz")
    _, records, _ = _extract(capsys, str(crawl.path), "--include-text")
    by_label = {r["source"]["url"].rsplit("/", 1)[1]: r for r in records}
    assert by_label["gbk"]["source"]["encoding"] == "gb18030"
    assert by_label["gbk"]["text"] == "美的空调售后服务电话：400-699-0003"
    # Big5 bytes also read as GB18030, into other characters: only the header says big5.
    assert by_label["big5"]["source"]["encoding"] == "big5"
    assert by_label["big5"]["text"] == "海爾熱水器維修電話：400-699-0004"


def test_a_server_default_latin1_header_does_not_garble_a_chinese_page(tmp_path, capsys) -> None:
    w = _Writer(tmp_path / "latin.warc.gz", True)
    w.response("utf8", "<p>海尔热水器售后 400-699-0011</p>".encode(), [("Content-Type", "text/html; charset=ISO-8859-1")])
    meta = '<html><head><meta charset="gbk"></head><body><p>海尔热水器售后 400-699-0012</p></body></html>'
    w.response("gbk", meta.encode("gbk"), [("Content-Type", "text/html; charset=iso-8859-1")])
    w.response("western", "<p>Café crème 400-699-0013</p>".encode("latin-1"), [("Content-Type", "text/html; charset=ISO-8859-1")])
    _, records, _ = _extract(capsys, str(w.close().path), "--include-text")
    assert [(r["source"]["encoding"], r["text"]) for r in records] == [
        ("utf-8", "海尔热水器售后 400-699-0011"),
        ("gb18030", "海尔热水器售后 400-699-0012"),
        ("iso8859-1", "Café crème 400-699-0013"),
    ]


def test_a_corrupt_member_and_a_truncated_last_member(tmp_path, capsys) -> None:
    series = _series(tmp_path / "crawl.warc.gz")
    data = bytearray(series.path.read_bytes())
    start = series.offsets["p2"]
    data[start + 30 : start + 60] = b"\xaa" * 30  # inside p2's deflate stream
    del data[len(data) - 40 :]  # p5's member loses its end
    series.path.write_bytes(bytes(data))
    code, records, err = _extract(capsys, str(series.path))
    assert code == 1
    assert [r["source"]["url"] for r in records] == [URL.format(f"p{n}") for n in (0, 1, 3, 4)]
    errors = [line for line in err if line.startswith("hotlines: error:")]
    assert len(errors) == 2
    assert errors[0].startswith(f"hotlines: error: {series.path}@{series.offsets['p2']}: corrupt record (")
    assert errors[0].endswith(f"; reading on at @{series.offsets['p3']}")
    assert errors[1].startswith(f"hotlines: error: {series.path}@{series.offsets['p5']}: truncated")
    assert errors[1].endswith("; nothing readable after it")
    assert "hotlines: 4 records: 4 pages, 0 skipped" in err
    assert err[-1] == "hotlines: 0 of 1 input(s) extracted, 1 failed"


def test_a_plain_warc_resynchronises_at_the_next_warc_line(tmp_path, capsys) -> None:
    series = _series(tmp_path / "crawl.warc", gzipped=False)
    data = bytearray(series.path.read_bytes())
    start = series.offsets["p2"]
    assert data[start : start + 8] == b"WARC/1.0"
    data[start : start + 40] = b"#" * 40  # p2's version line and first header, overwritten
    series.path.write_bytes(bytes(data[:-100]))  # and p5's body cut short
    code, records, err = _extract(capsys, str(series.path))
    assert code == 1
    assert [r["source"]["url"] for r in records] == [URL.format(f"p{n}") for n in (0, 1, 3, 4)]
    assert [r["source"]["warc_offset"] for r in records] == [series.offsets[f"p{n}"] for n in (0, 1, 3, 4)]
    errors = [line for line in err if line.startswith("hotlines: error:")]
    assert errors[0].startswith(f"hotlines: error: {series.path}@{start}: corrupt record")
    assert errors[0].endswith(f"reading on at @{series.offsets['p3']}")
    assert errors[1].startswith(f"hotlines: error: {series.path}@{series.offsets['p5']}: truncated record")
    assert len(errors) == 2


def test_garbage_after_the_last_record_is_an_error_not_silence(tmp_path) -> None:
    series = _series(tmp_path / "crawl.warc.gz", count=2)
    whole = series.path.read_bytes()
    series.path.write_bytes(whole + gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 900\r\n\r\n<html>")[:40])
    errors: list[InputError] = []
    records = list(iter_archive(series.path, on_error=errors.append))
    assert [r.url for r in records] == [URL.format("p0"), URL.format("p1")]
    assert [(type(e), e.offset) for e in errors] == [(ArchiveError, len(whole))]
    assert "truncated record" in errors[0].reason


def test_a_misnamed_archive_is_read_by_its_content(tmp_path) -> None:
    plain = _series(tmp_path / "plain.warc", count=2, gzipped=False)
    compressed = _series(tmp_path / "compressed.warc.gz", count=2)
    for source, target in ((plain.path, tmp_path / "plain-named.warc.gz"), (compressed.path, tmp_path / "gzip-named.warc")):
        target.write_bytes(source.read_bytes())
        errors: list[InputError] = []
        assert [r.url for r in iter_archive(target, on_error=errors.append)] == [URL.format("p0"), URL.format("p1")]
        assert errors == [], target.name


def test_an_archive_that_is_not_one(tmp_path, capsys) -> None:
    fake = tmp_path / "fake.warc"
    fake.write_text("<html><body>海尔 400-699-0001</body></html>", encoding="utf-8")
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    code, records, err = _extract(capsys, str(fake), str(empty), str(tmp_path / "missing.warc.gz"))
    assert code == 1 and records == []
    assert any(line.startswith(f"hotlines: error: {fake}@0: ") for line in err), err
    assert f"hotlines: error: {empty}: empty file" in err
    assert any(f"{tmp_path / 'missing.warc.gz'}: no such file" in line for line in err)
    assert err[-1] == "hotlines: 0 of 3 input(s) extracted, 3 failed"


def test_bodies_over_max_bytes_are_skipped_as_too_large(tmp_path, capsys) -> None:
    w = _Writer(tmp_path / "big.warc.gz", True)
    w.response("small", HAIER.encode(), [("Content-Type", "text/html")])
    w.response("big", b"<p>" + "海尔 400-699-0001 ".encode() * 20_000 + b"</p>", [("Content-Type", "text/html")])
    bomb = gzip.compress(b"<p>" + b" " * 3_000_000 + b"</p>")
    assert len(bomb) < 10_000
    w.response("bomb", bomb, [("Content-Type", "text/html"), ("Content-Encoding", "gzip")])
    code, records, err = _extract(capsys, str(w.close().path), "--max-bytes", "100000")
    assert code == 0
    assert [r["source"]["url"] for r in records] == [URL.format("small")]
    assert "hotlines: 3 records: 1 pages, 2 skipped (2 too large)" in err


def test_bodies_that_only_claim_a_coding_are_read_as_they_are(tmp_path) -> None:
    w = _Writer(tmp_path / "claims.warc.gz", True)
    w.response("stored-decoded", GZIPPED.encode(), [("Content-Type", "text/html"), ("Content-Encoding", "gzip")])
    w.response("not-chunked", CHUNKED.encode(), [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")])
    w.response("deflate", zlib.compress(BROTLI.encode()), [("Content-Type", "text/html"), ("Content-Encoding", "deflate")])
    w.response("raw-deflate", zlib.compress(BROTLI.encode())[2:-4], [("Content-Type", "text/html"), ("Content-Encoding", "deflate")])
    w.response("broken-gzip", b"\x1f\x8b\x08\x00" + bytes(range(1, 30)) * 3, [("Content-Type", "text/html"), ("Content-Encoding", "gzip")])
    w.response("zstd", b"(\xb5/\xfd\x00\x00", [("Content-Type", "text/html"), ("Content-Encoding", "zstd")])
    tally = ArchiveTally()
    records = list(iter_archive(w.close().path, on_skip=tally.skip))
    assert [(r.url.rsplit("/", 1)[1], r.body) for r in records] == [
        ("stored-decoded", GZIPPED.encode()),
        ("not-chunked", CHUNKED.encode()),
        ("deflate", BROTLI.encode()),
        ("raw-deflate", BROTLI.encode()),
    ]
    assert tally.skipped == {"bad encoding": 2}


def test_responses_that_are_no_page_are_skipped_with_their_reason(tmp_path, capsys) -> None:
    w = _Writer(tmp_path / "odd.warc.gz", True)
    w.response("empty", b"", [("Content-Type", "text/html")])
    w.response("blank", b"<html><body>  </body></html>", [("Content-Type", "text/html")])
    w.response("binary", b"\x89PNG\r\n\x1a\n\x00\x00", [("Content-Type", "text/html")])
    w.response("script", b"var x = 1;", [("Content-Type", "application/javascript")])
    w.response("untyped-html", HAIER.encode(), [])
    w.response("untyped-other", b"%PDF-1.4 ...", [])
    w.response("redirect", b"", [("Location", "/elsewhere")], status="301 Moved Permanently")
    code, records, err = _extract(capsys, str(w.close().path))
    assert code == 0
    assert [r["source"]["url"] for r in records] == [URL.format("untyped-html")]
    assert "hotlines: 7 records: 1 pages, 6 skipped (1 not 200, 3 not text, 2 empty)" in err


def _raw_response(url: str, block: bytes) -> bytes:
    """A WARC response record written byte by byte, for HTTP blocks no writer would produce."""
    head = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{url.rsplit('/', 1)[1]}>\r\nWARC-Target-URI: {url}\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(block)}\r\n\r\n"
    )
    return head.encode() + block + b"\r\n\r\n"


def test_http_headers_with_bare_newlines_or_long_lines_are_read(tmp_path) -> None:
    blocks = {
        "bare-lf": b"HTTP/1.1 200 OK\nContent-Type: text/html; charset=gbk\n\n" + GBK.encode("gbk"),
        "long-header": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nSet-Cookie: " + b"x" * 40_000 + b"\r\n\r\n" + HAIER.encode(),
        "no-reason": b"HTTP/1.0 200\r\ncontent-type: TEXT/PLAIN\r\n\r\n" + PLAIN.encode(),
        "not-http": b"hello, this is no HTTP response",
    }
    path = tmp_path / "odd.warc"
    path.write_bytes(b"".join(_raw_response(URL.format(label), block) for label, block in blocks.items()))
    tally, errors = ArchiveTally(), []
    records = list(iter_archive(path, on_skip=tally.skip, on_error=errors.append))
    assert errors == [] and tally.skipped == {"not http": 1}
    assert [(r.url.rsplit("/", 1)[1], r.content_type, r.charset) for r in records] == [
        ("bare-lf", "text/html", "gbk"), ("long-header", "text/html", None), ("no-reason", "text/plain", None)
    ]
    assert [r.body for r in records] == [GBK.encode("gbk"), HAIER.encode(), PLAIN.encode()]
    assert archive_page(records[0]).text == "美的空调售后服务电话：400-699-0003"


def test_index_build_reads_an_archive_and_stores_each_pages_url(tmp_path, capsys) -> None:
    crawl = _crawl(tmp_path / "crawl.warc.gz")
    db = tmp_path / "x.sqlite"
    assert main(["index", "build", str(crawl.path), "--db", str(db), "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert f"hotlines: {CRAWL_SUMMARY}" in err and "8 page(s) added" in err
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT url, path, source FROM pages ORDER BY url").fetchall()
    assert sorted(url for url, _, _ in rows) == sorted(URL.format(label) for label in CRAWL_PAGES)
    assert {path for _, path, _ in rows} == {str(crawl.path)} and all(source == url for url, _, source in rows)
    assert main(["index", "brands", "400-699-0001", "--db", str(db), "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["brands"][0]["brand"] == "海尔" and answer["brands"][0]["examples"] == [URL.format("haier")]


def test_index_build_with_a_damaged_archive_keeps_the_good_records_and_exits_1(tmp_path, capsys) -> None:
    series = _series(tmp_path / "crawl.warc.gz")
    data = bytearray(series.path.read_bytes())
    data[series.offsets["p2"] + 30 : series.offsets["p2"] + 60] = b"\xaa" * 30
    data[series.offsets["p4"] + 30 : series.offsets["p4"] + 60] = b"\xaa" * 30
    series.path.write_bytes(bytes(data))
    assert main(["index", "build", str(series.path), "--db", str(tmp_path / "x.sqlite"), "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert "4 page(s) added" in err and "1 input(s) failed" in err, err
    assert f"{series.path}@{series.offsets['p2']}: corrupt record" in err and f"{series.path}@{series.offsets['p4']}: corrupt record" in err


def test_validate_accepts_the_records(tmp_path, capsys) -> None:
    crawl = _crawl(tmp_path / "crawl.warc.gz")
    out = tmp_path / "records.jsonl"
    assert main(["extract", str(crawl.path), "-o", str(out), "--include-text", "--no-progress"]) == 0
    capsys.readouterr()
    assert main(["validate", str(out)]) == 0
    assert "8 record(s): 8 valid, 0 invalid" in capsys.readouterr().err


def _arc_record(url: str, content_type: str, block: bytes, ip: str = "192.0.2.1", date: str = "20260101120000") -> bytes:
    """One ARC v1 record: 'URL IP-address Archive-date Content-type Archive-length', the block, a newline."""
    return f"{url} {ip} {date} {content_type} {len(block)}\n".encode() + block + b"\n"


def _http(status: str, headers: list[tuple[str, str]], body: bytes) -> bytes:
    return (f"HTTP/1.0 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n").encode() + body


def _arc_records(name: str) -> list[bytes]:
    version = b"1 0 hotlines-tests\nURL IP-address Archive-date Content-type Archive-length\n"
    return [
        _arc_record(f"filedesc://{name}", "text/plain", version, ip="0.0.0.0"),
        _arc_record(URL.format("arc-gbk"), "text/html", _http("200 OK", [("Content-Type", "text/html; charset=gb2312")], GBK.encode("gbk"))),
        _arc_record(URL.format("arc-logo"), "image/png", _http("200 OK", [("Content-Type", "image/png")], b"\x89PNG\r\n\x1a\n")),
        _arc_record(URL.format("arc-missing"), "text/html", _http("404 Not Found", [("Content-Type", "text/html")], b"gone")),
        _arc_record(URL.format("arc-plain"), "text/plain", _http("200 OK", [("Content-Type", "text/plain")], PLAIN.encode())),
    ]


@pytest.mark.parametrize("gzipped", [True, False], ids=["arc.gz", "arc"])
def test_arc_files_are_read_too(tmp_path, capsys, gzipped) -> None:
    name = "crawl.arc.gz" if gzipped else "crawl.arc"
    parts = [gzip.compress(r) if gzipped else r for r in _arc_records(name)]
    (tmp_path / name).write_bytes(b"".join(parts))
    offsets = [sum(map(len, parts[:i])) for i in range(len(parts))]
    code, records, err = _extract(capsys, str(tmp_path / name))
    assert code == 0, err
    assert [(r["source"]["url"], r["source"]["warc_offset"]) for r in records] == [(URL.format("arc-gbk"), offsets[1]), (URL.format("arc-plain"), offsets[4])]
    assert [r["source"]["warc_record_id"] for r in records] == [None, None]
    assert records[0]["source"]["encoding"] == "gb18030" and _phone(records[0]) == "+864006990003"
    assert "hotlines: 5 records: 2 pages, 3 skipped (1 filedesc, 1 not 200, 1 not text)" in err


@pytest.mark.parametrize("gzipped", [True, False], ids=["arc.gz", "arc"])
def test_a_damaged_arc_is_read_around_the_damage(tmp_path, gzipped) -> None:
    name = "crawl.arc.gz" if gzipped else "crawl.arc"
    records = _arc_records(name)
    records.insert(2, _arc_record(URL.format("arc-second"), "text/html", _http("200 OK", [("Content-Type", "text/html")], HAIER.encode())))
    parts = [gzip.compress(r) if gzipped else r for r in records]
    offsets = [sum(map(len, parts[:i])) for i in range(len(parts))]
    data = bytearray(b"".join(parts))
    data[offsets[2] + 5 : offsets[2] + 35] = b"\xaa" * 30 if gzipped else b"x" * 30  # the second page's header line
    (tmp_path / name).write_bytes(bytes(data[:-40]))  # and the last record cut short
    errors: list[InputError] = []
    tally = ArchiveTally()
    pages = list(iter_archive(tmp_path / name, on_error=errors.append, on_skip=tally.skip))
    assert [p.url for p in pages] == [URL.format("arc-gbk")]
    assert [(e.offset, e.reason.split(" (")[0].split(":")[0]) for e in errors] == [(offsets[2], "corrupt record"), (offsets[5], "truncated record")]
    assert tally.skipped == {"filedesc": 1, "not text": 1, "not 200": 1}


def test_an_arc_record_with_a_wrong_length_is_reported_and_reading_goes_on(tmp_path, capsys) -> None:
    records = _arc_records("crawl.arc")
    line, rest = records[1].split(b"\n", 1)
    fields = line.split(b" ")
    records[1] = b" ".join([*fields[:-1], str(int(fields[-1]) - 5).encode()]) + b"\n" + rest  # 5 bytes short
    (tmp_path / "crawl.arc").write_bytes(b"".join(records))
    errors: list[InputError] = []
    pages = list(iter_archive(tmp_path / "crawl.arc", on_error=errors.append))
    assert [p.url for p in pages] == [URL.format("arc-gbk"), URL.format("arc-plain")]
    assert [(e.offset, e.reason) for e in errors] == [(len(records[0]), "corrupt record: its length does not match its content (no blank line after it)")]
    assert capsys.readouterr().err == ""  # warcio's own warning went nowhere


def test_a_directory_walk_finds_archives(tmp_path, capsys) -> None:
    folder = tmp_path / "crawls"
    (folder / "2026").mkdir(parents=True)
    _series(folder / "2026" / "a.warc.gz", count=2)
    _series(folder / "b.WARC", count=1, gzipped=False)
    (folder / "page.txt").write_text("格力空调维修热线 400-699-0002", encoding="utf-8")
    (folder / "notes.gz").write_bytes(gzip.compress(b"not an archive"))
    skipped: list[str] = []
    names = [ref.name for ref in iter_inputs([str(folder)], skipped)]
    assert names == [str(folder / "b.WARC"), str(folder / "page.txt"), str(folder / "2026" / "a.warc.gz")]
    assert skipped == [str(folder / "notes.gz")]
    code, records, err = _extract(capsys, str(folder))
    assert code == 0 and len(records) == 4
    assert "hotlines: 3 records: 3 pages, 0 skipped" in err


def test_url_cannot_name_an_archive(tmp_path, capsys) -> None:
    series = _series(tmp_path / "crawl.warc.gz", count=1)
    with pytest.raises(SystemExit) as caught:
        main(["extract", str(series.path), "--url", "https://example.invalid/a"])
    assert caught.value.code == 2
    assert "is a crawl archive" in capsys.readouterr().err


def test_records_and_errors_pickle_for_a_process_pool(tmp_path) -> None:
    crawl = _crawl(tmp_path / "crawl.warc.gz")
    records = list(iter_archive(crawl.path))
    assert all(isinstance(r, ArchiveRecord) for r in records)
    shipped = pickle.loads(pickle.dumps(records))
    assert shipped == records
    built = [build_page_record(task) for task in shipped]
    assert [b.source.url for b in built] == [r.url for r in records]
    assert all(b.source.path == str(crawl.path) for b in built)
    for error in (ArchiveError("a.warc.gz", 12, "corrupt record"), SkippedRecord("a.warc.gz", 12, "empty", "empty file")):
        back = pickle.loads(pickle.dumps(error))
        assert (type(back), str(back), back.offset) == (type(error), str(error), 12)


def test_the_same_page_as_a_file_and_inside_a_warc_makes_the_same_record(tmp_path) -> None:
    page = PAGES / "gbk_siemens.html"
    w = _Writer(tmp_path / "one.warc.gz", True)
    w.response("siemens", page.read_bytes(), [("Content-Type", "text/html")])
    (record,) = iter_archive(w.close().path)
    from_archive = build_page_record(record)
    from_file = build_page_record(InputRef(str(page), page))
    assert from_archive.source.sha256 == from_file.source.sha256
    assert from_archive.model_dump(exclude={"source"}) == from_file.model_dump(exclude={"source"})


def test_archive_page_names_the_record_when_it_is_no_page() -> None:
    record = ArchiveRecord("a.warc.gz", 77, "<urn:uuid:x>", URL.format("x"), b"   ", "text/plain", None)
    with pytest.raises(SkippedRecord) as caught:
        archive_page(record)
    assert caught.value.skip == "empty" and str(caught.value).startswith("a.warc.gz@77: ")


def test_on_error_defaults_to_raising(tmp_path) -> None:
    series = _series(tmp_path / "crawl.warc.gz", count=3)
    data = bytearray(series.path.read_bytes())
    data[series.offsets["p1"] + 30 : series.offsets["p1"] + 60] = b"\xaa" * 30
    series.path.write_bytes(bytes(data))
    seen = []
    with pytest.raises(ArchiveError) as caught:
        for record in iter_archive(series.path):
            seen.append(record.url)
    assert seen == [URL.format("p0")] and caught.value.offset == series.offsets["p1"]


def test_extracting_a_page_file_imports_no_archive_reader() -> None:
    probe = "import sys; from hotlines.cli import main; main(['extract', sys.argv[1]]); print(sorted(m for m in sys.modules if m.split('.')[0] in ('fastwarc', 'warcio', 'brotli')), file=sys.stderr)"
    result = subprocess.run([sys.executable, "-c", probe, str(PAGES / "000_88c04a5b769380d4.txt")], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "[]"
    PageRecord.model_validate_json(result.stdout)


def test_the_warc_benchmark_runs_and_reports_every_figure(tmp_path) -> None:
    out = tmp_path / "warc.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "warc_bench.py"), "--records", "40", "--pages", "6", "--rounds", "1", "--rss-mib", "2", "--json", str(out)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(out.read_text())
    for suffix in (".warc", ".warc.gz"):
        readers = figures[f"readers{suffix}"]
        assert readers["records"] == 1 + 2 * 40 + 4 and min(readers["fastwarc"], readers["warcio"], readers["hotlines_iter_archive"]) > 0
    assert figures["pages_per_second"]["pages"] == 6 and figures["pages_per_second"]["warc_pages_per_second"] > 0
    (memory,) = figures["memory"]
    assert memory["peak_rss_mib"] > 0 and memory["summary"].endswith("2 skipped (1 not text, 1 too large)")
