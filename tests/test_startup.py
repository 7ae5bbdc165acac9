"""Start-up: `--help` and `--version` import no extractor, model or database; each command
imports only what it needs.

The budgets (150 ms for `--help`/`--version`, 400 ms for extracting one page) are wall-clock
figures that a loaded shared machine cannot time reliably, so `bench/startup.py` measures them;
these tests pin down the cause of a slow start instead: which modules a command imports, in a
fresh interpreter where nothing has been imported yet.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import PAGES, ROOT

# Heavy at import time (pydantic models, phonenumbers' metadata, sqlite3, tables) or never
# needed by the command named.
HEAVY = ("extractors", "schemas", "pydantic", "pydantic_core", "phonenumbers", "sqlite3", "spacy", "cpca", "pyarrow")
SEED = PAGES / "001_5cf953adb841b130.txt"

PROBE = """
import contextlib, io, json, sys
from hotlines.cli import main
out, err = io.StringIO(), io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
    try:
        code = main(sys.argv[1:])
    except SystemExit as exit:
        code = exit.code
print(json.dumps({"code": code, "out": out.getvalue(), "err": err.getvalue(), "modules": sorted(sys.modules)}))
"""


def _probe(*argv: str) -> dict:
    """Run `hotlines ARGV` in a fresh interpreter; its exit code, output and every module it imported."""
    result = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _imported(modules: list[str], packages: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in packages)


def test_the_probe_sees_what_a_command_imports() -> None:
    """The check below is only worth something if the probe would see the heavy modules."""
    probed = _probe("extract", str(SEED))
    assert probed["code"] == 0
    assert {"extractors", "schemas", "pydantic", "phonenumbers", "hotlines.pipeline"} <= set(probed["modules"])
    assert json.loads(probed["out"])["phones"][0]["number"] == "+864001865909"


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["extract", "--help"], ["index", "--help"], ["index", "official", "--help"]])
def test_help_and_version_import_nothing_heavy(argv: list[str]) -> None:
    probed = _probe(*argv)
    assert probed["code"] == 0
    assert _imported(probed["modules"], HEAVY) == []
    assert not {"hotlines.index", "hotlines.pipeline", "hotlines.validate", "hotlines.readers", "hotlines.pipeline.records"} & set(probed["modules"])
    if argv == ["--version"]:
        from hotlines import __version__

        assert probed["out"].strip() == f"hotlines {__version__}"
    else:
        assert probed["out"].startswith("usage: hotlines")


def test_help_lists_every_command() -> None:
    probed = _probe("--help")
    for command in ("extract", "schema", "validate", "index"):
        assert f"    {command}" in probed["out"], command
    assert "--url" in _probe("extract", "--help")["out"]


def test_a_command_builds_its_own_parser_only_and_help_builds_all() -> None:
    from hotlines.cli.commands import _COMMANDS, _parser

    def commands(argv: list[str]) -> list[str]:
        action = next(a for a in _parser(argv)._actions if a.dest == "command")
        return list(action.choices)  # type: ignore[arg-type]

    assert commands(["extract", "x.txt"]) == ["extract"]
    assert commands(["index", "brands", "400"]) == ["index"]
    for argv in ([], ["--help"], ["-h", "extract"], ["bogus"], ["--version"]):
        assert commands(argv) == list(_COMMANDS), argv


def test_a_usage_error_imports_nothing_heavy_either() -> None:
    probed = _probe("extract", str(SEED), str(SEED), "--url", "https://example.invalid/a")
    assert probed["code"] == 2
    assert "--url" in probed["err"]
    assert _imported(probed["modules"], HEAVY) == []


def test_extract_leaves_out_the_index_the_validator_and_spacy() -> None:
    probed = _probe("extract", str(SEED))
    assert probed["code"] == 0
    modules = set(probed["modules"])
    assert not {"sqlite3", "hotlines.index", "hotlines.validate", "spacy", "cpca", "pyarrow", "hotlines.parquet"} & modules
    assert "phonenumbers.geocoder" not in modules, "a page with only a 400 number needs no geocoder (0.5 s of tables)"
    # No archive among the inputs: no archive reader; one page: no worker pool.
    assert not {"hotlines.readers.warc", "fastwarc", "warcio", "hotlines.scale.parallel", "multiprocessing"} & modules


def test_extract_of_an_archive_or_of_pages_loads_the_reader_or_the_pool(tmp_path) -> None:
    """The check above is worth something only if these modules do load when needed."""
    from hotlines.pipeline.tasks import POOL_MIN_TASKS

    archive = tmp_path / "crawl.warc"
    archive.write_bytes(b"")  # an empty archive: an error, after the reader is looked for
    probed = _probe("extract", "--jobs", "2", *[str(SEED)] * POOL_MIN_TASKS, str(archive))
    assert probed["code"] == 1
    assert {"hotlines.readers.warc", "hotlines.scale.parallel"} <= set(probed["modules"])


def test_a_small_batch_with_jobs_starts_no_pool() -> None:
    """Workers pay off only from POOL_MIN_TASKS pages on: three pages run in this process."""
    probed = _probe("extract", "--jobs", "2", str(SEED), str(SEED), str(SEED))
    assert probed["code"] == 0 and probed["out"].count("\n") == 3
    assert not {"hotlines.scale.parallel", "multiprocessing", "phonenumbers.geocoder"} & set(probed["modules"])


def test_index_queries_leave_out_the_extractors(tmp_path) -> None:
    """`suspicious` and `export` read the database only: no extractor tables, no phonenumbers."""
    db = tmp_path / "index.sqlite"
    from hotlines.cli import main

    assert main(["index", "build", *map(str, sorted(PAGES.glob("0*_*.txt"))), "--db", str(db), "--no-progress"]) == 0
    probed = _probe("index", "suspicious", "--db", str(db))
    assert probed["code"] == 0 and "+864001865909" in probed["out"]
    assert _imported(probed["modules"], ("extractors", "phonenumbers", "pyarrow")) == []
    assert "sqlite3" in probed["modules"]


def test_only_parquet_imports_pyarrow(tmp_path) -> None:
    """pyarrow (tens of MB of shared libraries) loads for Parquet output or input, for nothing else."""
    parquet, jsonl = tmp_path / "r.parquet", tmp_path / "r.jsonl"
    probed = _probe("extract", str(SEED), "-o", str(parquet))
    assert probed["code"] == 0 and "pyarrow" in probed["modules"], "the probe sees pyarrow when it is used"
    assert _probe("extract", str(SEED), "-o", str(jsonl))["code"] == 0
    for argv in (["validate", str(jsonl)], ["index", "build", str(jsonl), "--db", str(tmp_path / "i.sqlite"), "--no-progress"]):
        probed = _probe(*argv)
        assert probed["code"] == 0, probed["err"]
        assert _imported(probed["modules"], ("pyarrow",)) == [], argv
    assert "pyarrow" in _probe("validate", str(parquet))["modules"]


def test_the_parsers_default_size_limit_is_the_readers() -> None:
    """cli repeats readers.DEFAULT_MAX_BYTES so that building the parser imports no reader."""
    from hotlines import cli, readers

    assert cli.DEFAULT_MAX_BYTES == readers.DEFAULT_MAX_BYTES


def test_the_startup_benchmark_reports_every_figure(tmp_path) -> None:
    out = tmp_path / "startup.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "startup.py"), "--runs", "1", "--json", str(out)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["budgets_ms"] == {"help": 150.0, "version": 150.0, "extract_one_page": 400.0}
    for name in ("python_pass", "stack_floor", "help", "version", "extract_one_page"):
        assert figures[f"{name}_ms"]["runs"] == 1 and figures[f"{name}_ms"]["median"] > 0
    # ours: extract less the floor, in the same round
    assert abs(figures["ours_ms"]["median"] - (figures["extract_one_page_ms"]["median"] - figures["stack_floor_ms"]["median"])) <= 0.11
    for name, budget in figures["budgets_ms"].items():
        assert figures["within_budget"][name] == (figures[f"{name}_ms"]["median"] <= budget)
    assert "hotlines --help" in result.stdout and "001_5cf953adb841b130.txt" in result.stdout
    assert "pydantic models + phonenumbers" in result.stdout and "(ours)" in result.stdout


GC_PROBE = """
import gc, sys
from hotlines.cli import main
import hotlines.cli.commands as cli
cli.WARM_UP_MIN_INPUTS = int(sys.argv[1])
seen = []
gc.callbacks.append(lambda phase, info: phase == "start" and seen.append(info["generation"]))
if sys.argv[2] == "off":
    gc.disable()
code = main(["extract", *sys.argv[3:]])
print(code, gc.isenabled(), seen.count(2), gc.get_freeze_count() > 10_000, file=sys.stderr)
"""


def _gc_probe(warm_up_from: int, state: str, *pages: Path) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", GC_PROBE, str(warm_up_from), state, *map(str, pages)], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stderr.strip().splitlines()[-1].split()


def test_extract_loads_without_collections_and_leaves_the_collector_as_it_found_it() -> None:
    """No full collection walks the freshly loaded tables; they end up frozen (so the collection
    at exit skips them too); gc.isenabled() is as it was."""
    assert _gc_probe(20, "on", SEED) == ["0", "True", "0", "True"]
    assert _gc_probe(20, "off", SEED) == ["0", "False", "0", "True"]


def test_a_batch_warms_up_then_collects_as_usual() -> None:
    code, enabled, collections, frozen = _gc_probe(1, "on", SEED, PAGES / "two_brands.html")
    assert (code, enabled, frozen) == ("0", "True", "True")
    assert int(collections) == 1, "warm_up's one full collection"


PLUGINS_PROBE = """
import os, sys
from pydantic.plugin import _loader
sys.argv = ["hotlines", "extract", sys.argv[1], "-o", os.devnull]
from hotlines.cli import entry_point
try:
    entry_point()
except SystemExit as exit:
    print(exit.code, _loader._plugins is None, repr(os.environ.get("PYDANTIC_DISABLE_PLUGINS")))
"""


@pytest.mark.parametrize(
    ("setting", "looked_for", "left"),
    [(None, False, "__all__"), ("", True, ""), ("logfire", True, "logfire")],
    ids=["unset-turned-off", "empty-lets-them-load", "the-users-own-list"],
)
def test_the_command_skips_pydantics_plugin_search_unless_the_user_set_it(setting, looked_for, left) -> None:
    """Looking for pydantic plugins reads every installed distribution's metadata at the first
    model: the command turns the search off, unless the user said otherwise."""
    env = {key: value for key, value in os.environ.items() if key != "PYDANTIC_DISABLE_PLUGINS"}
    if setting is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = setting
    result = subprocess.run([sys.executable, "-c", PLUGINS_PROBE, str(SEED)], capture_output=True, text=True, cwd=ROOT, env=env, check=False)
    assert result.stdout.split() == ["0", str(not looked_for), repr(left)], result.stderr
