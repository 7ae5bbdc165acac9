"""hotlines must work where setuptools >= 81 removed `pkg_resources` (cpca 0.5.5 imports it).

Each check runs in a fresh interpreter in which `pkg_resources` cannot be imported, whatever
setuptools this machine has: a meta-path finder ahead of every other refuses it, and records
every attempt to import it or cpca. So hotlines' own code is held to never even trying (a
caught ImportError would not hide it), and the benchmark's anchor must bring its stand-in.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PAGES, ROOT

BLOCK = """
import json, sys
ATTEMPTS = []
class _NoPkgResources:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("pkg_resources", "cpca"):
            ATTEMPTS.append(name)
        if name == "pkg_resources" or name.startswith("pkg_resources."):
            raise ModuleNotFoundError("No module named 'pkg_resources'", name=name)
        return None
sys.meta_path.insert(0, _NoPkgResources())
"""
REPORT = "\nprint(json.dumps({'attempts': ATTEMPTS, 'modules': sorted(m for m in sys.modules if m.split('.')[0] in ('pkg_resources', 'cpca'))}))"


def _run(code: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", BLOCK + code], capture_output=True, text=True, cwd=cwd, env=env, check=False)


def _report(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


def test_the_block_refuses_a_pkg_resources_that_is_there(tmp_path) -> None:
    """Even with a `pkg_resources` on the path (as with setuptools < 81), the block refuses it."""
    (tmp_path / "pkg_resources.py").write_text("def resource_stream(package, resource): ...\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    unblocked = subprocess.run([sys.executable, "-c", "import pkg_resources; print(pkg_resources.__file__)"], capture_output=True, text=True, env=env, check=False)
    assert unblocked.returncode == 0 and unblocked.stdout.strip() == str(tmp_path / "pkg_resources.py")
    blocked = _run("import pkg_resources", env=env)
    assert blocked.returncode != 0 and "ModuleNotFoundError: No module named 'pkg_resources'" in blocked.stderr


def test_the_block_reproduces_cpcas_failure() -> None:
    result = _run("import cpca")
    assert result.returncode != 0 and "No module named 'pkg_resources'" in result.stderr


def test_hotlines_extract_runs_without_pkg_resources_and_never_tries_cpca() -> None:
    page = PAGES / "000_88c04a5b769380d4.txt"
    code = f"""
import contextlib, io
from hotlines.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(['extract', {str(page)!r}])
record = json.loads(out.getvalue())
print(json.dumps({{'code': code, 'number': record['phones'][0]['number'], 'adcodes': len({{r['adcode'] for r in record['regions']}})}}))
""" + REPORT
    result = _run(code)
    assert result.returncode == 0, result.stderr
    first, report = result.stdout.strip().splitlines()
    extracted = json.loads(first)
    assert extracted["code"] == 0 and extracted["number"] == "+864001865909"
    assert extracted["adcodes"] > 300, "the division table (read from cpca's files) was used"
    assert json.loads(report) == {"attempts": [], "modules": []}


def test_the_benchmarks_anchor_imports_cpca_through_its_stand_in() -> None:
    result = _run(
        "sys.path.insert(0, 'bench'); from anchor import import_cpca; cpca = import_cpca();"
        "print(cpca.transform(['周口市淮阳区']).iloc[0]['市']);"
        "print(getattr(sys.modules['pkg_resources'], '__file__', None), sys.modules['pkg_resources'].resource_stream.__module__)" + REPORT
    )
    assert result.returncode == 0, result.stderr
    city, shim, report = result.stdout.strip().splitlines()
    assert city == "周口市"
    assert shim == "None anchor", "pkg_resources is the anchor's stand-in, not a real module"
    assert "cpca" in _report(report)["modules"]


def test_ci_has_the_setuptools_that_removed_pkg_resources() -> None:
    """CI installs setuptools >= 81 (README's test command), so the real condition is exercised too."""
    from importlib.metadata import version

    major = int(version("setuptools").split(".")[0])
    if major < 81 and not os.environ.get("CI"):
        pytest.skip(f"setuptools {major} still has pkg_resources; the simulated block above stands in for it")
    assert major >= 81
    result = subprocess.run([sys.executable, "-c", "import pkg_resources"], capture_output=True, text=True, check=False)
    assert result.returncode != 0 and "No module named 'pkg_resources'" in result.stderr
