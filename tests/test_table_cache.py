"""The on-disk table cache: a cached table equals a fresh build, and a bad cache is no error."""

from __future__ import annotations

import pickle
import subprocess
import sys

from conftest import ROOT

PROBE = """
import json, sys
from extractors.region_names import name_index
from extractors.divisions import division_table
from extractors.brands import extract_brands_and_appliances, gazetteers
index = name_index()
g = gazetteers()
found = extract_brands_and_appliances("海尔Haier冰箱、A.O.史密斯热水器、3M净水器、美的:4001234567 washing machines")
print(json.dumps({"senses": len(index.senses), "units": len(division_table().units),
                  "same_table": index.table is division_table(),
                  "probe": [s.adcode for s in index.senses["朝阳区"]],
                  "row_types": sorted({type(s).__name__ for senses in index.senses.values() for s in senses}
                                      | {type(u).__name__ for u in index.table.units.values()}
                                      | {type(k).__name__ for k in g.brand_names.values()}),
                  "brands": sorted(g.brand_names), "appliances": sorted(g.appliance_names),
                  "latin": sorted(g.latin_brands.items()), "odd": g.odd_brands, "english": sorted(g.english.items()),
                  "found": [[b.canonical, b.spans] for b in found.brands] + [[a.category, a.spans] for a in found.appliances]}))
"""


def _run(cache: str) -> dict:
    import json

    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, check=False,
                            env={**__import__("os").environ, "HOTLINES_CACHE_DIR": cache})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_cached_table_equals_a_fresh_build(tmp_path) -> None:
    fresh = _run("off")
    first = _run(str(tmp_path))  # builds and stores
    stored = sorted(p.name.split("-")[0] for p in tmp_path.glob("*.pickle"))
    assert stored == ["brand_gazetteers", "region_names"]  # the index carries the division table
    second = _run(str(tmp_path))  # loads
    assert fresh == first == second
    assert second["same_table"] is True and second["units"] > 3000
    assert second["row_types"] == ["Division", "NameSense", "_KnownBrand"]  # loaded as their classes, not bare tuples
    assert len(second["brands"]) > 1000 and len(second["found"]) >= 6


def test_a_corrupt_or_foreign_cache_file_is_rebuilt(tmp_path) -> None:
    _run(str(tmp_path))
    for path in tmp_path.glob("*.pickle"):
        path.write_bytes(b"not a pickle")
    assert _run(str(tmp_path)) == _run("off")
    for path in tmp_path.glob("*.pickle"):
        pickle.loads(path.read_bytes())  # replaced by a good one


def test_a_changed_source_makes_a_new_key(tmp_path) -> None:
    from extractors.table_cache import _key

    source = tmp_path / "table.csv"
    source.write_text("a", encoding="utf-8")
    before = _key("t", [source])
    source.write_text("ab", encoding="utf-8")
    assert _key("t", [source]) != before


def test_an_unwritable_cache_directory_is_no_error(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert _run(str(blocker / "cache"))["units"] > 3000  # cannot create a folder under a file


def test_cached_rows_pickle_as_plain_tuples_and_load_as_their_class() -> None:
    """The row classes a cache holds by the thousand pickle as `tuple.__new__(cls, values)`
    (no NEWOBJ opcode, which would call the class's Python `__new__`), and load equal, typed."""
    import pickletools

    from extractors.brands import _ApplianceName, _KnownBrand
    from extractors.divisions import Division, FormerName
    from extractors.region_names import NameSense

    rows = [
        NameSense("110105", "full"),
        Division("110105", "朝阳区", "county", "110000", "110100", 116.44, 39.92),
        FormerName("襄樊市", "420600", 2010),
        _KnownBrand("海尔", False, ("refrigerator",)),
        _ApplianceName("refrigerator", "Refrigerator"),
    ]
    for row in rows:
        data = pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL)
        assert "NEWOBJ" not in {op.name for op, _, _ in pickletools.genops(data)}
        loaded = pickle.loads(data)
        assert type(loaded) is type(row) and loaded == row and loaded._fields == row._fields
