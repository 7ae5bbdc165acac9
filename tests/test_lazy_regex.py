"""Patterns compiled on first use: they match as `re` does, pickle as their source, and a page
that never needs one leaves it uncompiled."""

from __future__ import annotations

import pickle
import re
import subprocess
import sys

from conftest import ROOT
from extractors.lazy_regex import LazyPattern


def test_a_lazy_pattern_matches_as_the_compiled_one_and_compiles_once() -> None:
    source, text = r"(?<![A-Za-z])(?:Park|Street)\.?[ \t]*", "Stanley Park. York street  Street"
    lazy, compiled = LazyPattern(source, re.IGNORECASE), re.compile(source, re.IGNORECASE)
    assert lazy._compiled is None
    for pos, endpos in ((0, len(text)), (8, len(text)), (8, 12), (20, 33)):
        assert [m.span() for m in lazy.finditer(text, pos, endpos)] == [m.span() for m in compiled.finditer(text, pos, endpos)]
        for method in ("match", "search"):
            found, expected = getattr(lazy, method)(text, pos, endpos), getattr(compiled, method)(text, pos, endpos)
            assert (found and found.span()) == (expected and expected.span())
    assert lazy.match(text, 8) and lazy.search(text, 20, 33).span() == (27, 33)
    first = lazy.compiled
    assert lazy.compiled is first and first.flags & re.IGNORECASE


def test_a_lazy_pattern_pickles_as_its_source_uncompiled() -> None:
    lazy = LazyPattern("中兴路|长虹桥")
    assert lazy.search("去长虹桥") is not None  # compiled now
    loaded = pickle.loads(pickle.dumps(lazy, protocol=pickle.HIGHEST_PROTOCOL))
    assert loaded == lazy and loaded._compiled is None and loaded.search("去长虹桥").span() == (1, 4)


PROBE = """
import sys
from pathlib import Path
from extractors.brands import gazetteers
from hotlines.pipeline import extract_bytes
for page in sys.argv[1:]:
    extract_bytes(page, Path(page).read_bytes(), suffix=Path(page).suffix)
places = gazetteers().places
print(places.latin_after._compiled is not None, places.latin_before._compiled is not None)
"""


def test_a_chinese_page_never_compiles_the_latin_place_patterns(tmp_path) -> None:
    english = tmp_path / "english.txt"
    english.write_text("Haier Stanley Park repair: call 400-186-5909\n", encoding="utf-8")
    seed = ROOT / "fixtures" / "pages" / "001_5cf953adb841b130.txt"
    answers = []
    for pages in ([seed], [seed, english]):
        result = subprocess.run([sys.executable, "-c", PROBE, *map(str, pages)], capture_output=True, text=True, cwd=ROOT, check=False)
        assert result.returncode == 0, result.stderr
        answers.append(result.stdout.split())
    assert answers == [["False", "False"], ["True", "False"]]


def test_fullmatch_findall_and_sub_as_re_does() -> None:
    source, text = r"(0\d{2,3})-(\d{7,8})", "0757-21234567、0755-3123456 010-1234567x"
    lazy, compiled = LazyPattern(source), re.compile(source)
    assert lazy.findall(text) == compiled.findall(text) == [("0757", "21234567"), ("0755", "3123456"), ("010", "1234567")]
    assert lazy.findall(text, 5) == compiled.findall(text, 5)
    assert lazy.fullmatch(text, 0, 13).groups() == ("0757", "21234567") and lazy.fullmatch(text) is None
    assert lazy.sub(r"\2", text) == compiled.sub(r"\2", text) and lazy.sub("#", text, 1) == compiled.sub("#", text, 1)
