"""Reading pages: encodings, HTML, and inputs that are not pages."""

from __future__ import annotations

import pytest

from hotlines.errors import InputError
from hotlines.readers.html_text import html_to_text
from hotlines.readers import InputRef, iter_inputs, read_page

PAGE = "海尔热水器售后服务电话：400-699-9999（点击咨询）\n北京市朝阳区、上海市浦东新区\n"


@pytest.mark.parametrize(
    ("codec", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("gbk", "gb18030"), ("gb2312", "gb18030"), ("gb18030", "gb18030"), ("utf-16", "utf-16")],
)
def test_text_pages_decode_in_every_common_encoding(codec: str, expected: str) -> None:
    page = read_page("p.txt", PAGE.encode(codec), ".txt")
    assert page.text == PAGE
    assert page.encoding == expected


def test_declared_charset_is_honoured_for_html() -> None:
    html = f'<html><head><meta charset="gb2312"><title>标题</title></head><body><p>{PAGE}</p></body></html>'
    page = read_page("p.html", html.encode("gb2312"), ".html")
    assert page.encoding == "gb18030"
    assert page.title == "标题"
    assert "400-699-9999" in page.text


def test_mostly_utf8_with_stray_bytes_is_read_with_a_warning() -> None:
    data = (PAGE * 20).encode("utf-8") + "乱码".encode("gbk") + PAGE.encode("utf-8")
    page = read_page("mixed.txt", data, ".txt")
    assert page.encoding == "utf-8"
    assert [w.code for w in page.warnings] == ["replaced_bytes"]
    assert page.text.endswith(PAGE)


def test_html_visible_text_only_with_blocks_as_lines() -> None:
    text, title = html_to_text(
        "<html><head><title> A &amp; B </title><style>p{}</style></head>"
        "<body><script>var x='400-111-2222'</script><div>一<b>二</b></div><p>三<br>四</p>"
        "<!-- 400-999-8888 --><noscript>五</noscript><p>六&nbsp;七</p></body></html>"
    )
    assert title == "A & B"
    assert text == "一二\n三\n四\n六 七"


def test_truncated_and_deeply_nested_html_is_read() -> None:
    nested = "<div>" * 50_000 + "热线400-699-9999"
    text, _ = html_to_text(nested)
    assert text == "热线400-699-9999"
    text, _ = html_to_text("<html><body><p>电话400-699-9999<scr")
    assert "400-699-9999" in text


def test_html_is_sniffed_when_the_suffix_says_nothing() -> None:
    page = read_page("<stdin>", b"<!DOCTYPE html><title>t</title><p>x</p>")
    assert page.content_type == "text/html"
    assert page.text == "x"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\t\n", "no text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG image"),
        (b"text\x00with\x00nul", "NUL byte at offset 4"),
        (bytes(range(128, 256)) * 40, "undecodable"),
    ],
    ids=["empty", "blank", "png", "nul", "undecodable"],
)
def test_bad_inputs_raise_an_error_naming_the_input(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        read_page("bad.txt", data, ".txt")
    assert str(caught.value).startswith("bad.txt: ")
    assert reason in str(caught.value)


def test_directories_are_walked_in_order_and_non_pages_skipped(tmp_path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.html").write_text("x")
    (tmp_path / "1.txt").write_text("x")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden.txt").write_text("x")
    skipped: list[str] = []
    refs = list(iter_inputs([str(tmp_path), str(tmp_path / "missing.txt")], skipped))
    names = [r.name for r in refs]
    assert names == [str(tmp_path / "1.txt"), str(tmp_path / "b" / "2.html"), str(tmp_path / "missing.txt")]
    assert isinstance(refs[0], InputRef) and isinstance(refs[2], InputError)
    assert skipped == [str(tmp_path / "image.png")]


def test_a_charset_declaration_that_lies_is_overruled() -> None:
    html = f'<html><head><meta charset="utf-8"></head><body><p>{PAGE}</p></body></html>'
    page = read_page("lying.html", html.encode("gbk"), ".html")
    assert page.encoding == "gb18030" and "400-699-9999" in page.text


def test_html_is_detected_by_content_whatever_the_suffix() -> None:
    html = f"<!DOCTYPE html><html><head><title>T</title></head><body><p>{PAGE}</p><script>var x=1</script></body></html>"
    for suffix in (".txt", ".php", ""):
        page = read_page(f"p{suffix}", html.encode(), suffix)
        assert page.content_type == "text/html" and page.title == "T", suffix
        assert "var x" not in page.text
    bom = read_page("bom.txt", "\ufeff<html><body><p>正文</p></body></html>".encode("utf-8"), ".txt")
    assert bom.content_type == "text/html" and bom.text == "正文"
    assert read_page("plain.txt", "价格 < 100 元，质量 > 同类".encode(), ".txt").content_type == "text/plain"


def test_a_directory_walk_reads_html_saved_under_any_name(tmp_path) -> None:
    (tmp_path / "index.php").write_text("<html><body>海尔</body></html>", encoding="utf-8")
    (tmp_path / "show").write_text("<!doctype html><p>海尔</p>", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# not a page", encoding="utf-8")
    (tmp_path / "records.jsonl").write_text('{"html": "<html>"}\n', encoding="utf-8")
    (tmp_path / "page.txt").write_text("海尔", encoding="utf-8")
    skipped: list[str] = []
    names = sorted(ref.name.rsplit("/", 1)[-1] for ref in iter_inputs([str(tmp_path)], skipped) if isinstance(ref, InputRef))
    assert names == ["index.php", "page.txt", "show"]
    assert sorted(s.rsplit("/", 1)[-1] for s in skipped) == ["notes.md", "records.jsonl"]


def test_a_tel_link_writes_its_number_into_the_text_once() -> None:
    text, _ = html_to_text(
        '<p>热线：<a href="tel:400-830-0315">点击拨打</a></p>'
        '<p><a href="TEL:+86%20400%20186%205909"><img src="call.png"></a></p>'
        '<p><a href="tel:4006001234">400-600-1234</a></p>'
        '<p><a href="tel:javascript:alert(1)">x</a><a href="/contact">联系我们</a></p>'
    )
    assert text.split("\n") == ["热线：点击拨打 (tel:400-830-0315)", "(tel:+86 400 186 5909)", "400-600-1234", "x联系我们"]


def test_a_number_cut_by_br_or_inline_tags_is_one_number() -> None:
    from extractors import extract_phones

    text, _ = html_to_text("<p>报修：0571-8765<br>4321</p><p><b>400</b>-<span>830</span>-<i>0315</i></p><p>4001865909<br>13800138000</p>")
    numbers = [p.number for p in extract_phones(text)]
    assert numbers == ["+8657187654321", "+864008300315", "+864001865909", "+8613800138000"]
