"""Every command meets bad input: each gets a clear message naming it, and the batch goes on."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from hotlines.cli import main

GOOD = "海尔空调售后电话400-699-9999\n北京市朝阳区、上海市浦东新区\n"


@pytest.fixture
def batch(tmp_path) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a_good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / "c_empty.txt").write_bytes(b"")
    (folder / "d_nul.txt").write_bytes("热线400".encode() + b"\x00\x00" + "699-9999".encode())
    (folder / "e_undecodable.txt").write_bytes(bytes(range(0x80, 0x100)) * 64)
    (folder / "f_mixed.txt").write_bytes((GOOD * 40).encode("utf-8") + "乱码".encode("gbk") + GOOD.encode("utf-8"))
    (folder / "g_truncated.html").write_bytes("<html><body><p>海尔空调售后400-699-9999</p><di".encode())
    (folder / "h_nested.html").write_bytes(("<div>" * 100_000 + "<p>格力空调维修400-111-2222</p>").encode())
    (folder / "i_digits.txt").write_bytes(("1234-5678-" * 100_000 + "\n").encode())
    with open(folder / "j_huge.txt", "wb") as huge:
        huge.truncate(50 * 2**20)  # a 50 MB page
    os.symlink(folder / "nowhere.txt", folder / "k_dangling.txt")
    return folder


EXPECTED_ERRORS = {
    "b_binary.txt": "binary file (a PNG image)",
    "c_empty.txt": "empty file",
    "d_nul.txt": "binary file (NUL byte at offset 9)",
    "e_undecodable.txt": "undecodable",
    "j_huge.txt": "too large: 52428800 bytes",
    "k_dangling.txt": "cannot read: broken link",
}


def test_extract_reports_each_bad_file_and_writes_the_rest(batch, tmp_path, capsys) -> None:
    out = tmp_path / "out.jsonl"
    started = time.monotonic()
    assert main(["extract", str(batch), "-o", str(out)]) == 1
    assert time.monotonic() - started < 60, "bad input never stalls the batch"
    err = capsys.readouterr().err
    for name, reason in EXPECTED_ERRORS.items():
        assert any(name in line and reason in line for line in err.splitlines()), (name, err)
    records = {Path(r["source"]["path"]).name: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert sorted(records) == ["a_good.txt", "f_mixed.txt", "g_truncated.html", "h_nested.html", "i_digits.txt"]
    assert [w["code"] for w in records["f_mixed.txt"]["warnings"]] == ["replaced_bytes"]
    assert records["g_truncated.html"]["phones"][0]["number"] == "+864006999999"
    assert records["h_nested.html"]["phones"][0]["number"] == "+864001112222"
    assert records["i_digits.txt"]["phones"] == []


def test_index_build_skips_bad_files_and_bad_lines(batch, tmp_path, capsys) -> None:
    good = tmp_path / "good.jsonl"
    assert main(["extract", str(batch / "a_good.txt"), "-o", str(good)]) == 0
    record = json.loads(good.read_text(encoding="utf-8"))
    lines = [json.dumps(record, ensure_ascii=False), "{truncated", json.dumps({**record, "schema_version": "2.0"}), "[]", "\x00\x01"]
    (batch / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "index.sqlite"
    capsys.readouterr()
    assert main(["index", "build", str(batch), "--db", str(db), "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert f"{batch / 'records.jsonl'}:2: not valid JSON" in err
    assert f"{batch / 'records.jsonl'}:3: record from another schema version" in err
    assert f"{batch / 'records.jsonl'}:4: not a valid record" in err
    for name, reason in EXPECTED_ERRORS.items():
        assert any(name in line and reason in line for line in err.splitlines()), (name, err)
    assert main(["index", "brands", "400-699-9999", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["brands"][0]["brand"] == "海尔"


def test_validate_reports_unreadable_and_binary_inputs(batch, tmp_path, capsys) -> None:
    assert main(["validate", str(batch / "b_binary.txt"), str(batch / "k_dangling.txt"), str(batch)]) == 2
    err = capsys.readouterr().err
    assert "b_binary.txt: binary file" in err and "k_dangling.txt: cannot read" in err and "is a directory" in err


def test_a_huge_page_is_read_when_the_limit_allows(tmp_path, capsys) -> None:
    page = tmp_path / "big.txt"
    page.write_bytes(GOOD.encode("utf-8") * 20_000)  # 1.4 MB of repeated listing
    assert main(["extract", str(page), "--max-bytes", str(2**21), "-o", str(tmp_path / "o.jsonl")]) == 0
    record = json.loads((tmp_path / "o.jsonl").read_text(encoding="utf-8"))
    assert record["phones"][0]["count"] == 20_000 and len(record["regions"]) == 40_000
