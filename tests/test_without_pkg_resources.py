"""hotlines must work where setuptools >= 81 removed `pkg_resources` (cpca 0.5.5 imports it).

Each check runs in a fresh interpreter in which importing `pkg_resources` fails, whatever
setuptools this machine has, so the test means the same everywhere.
"""

from __future__ import annotations

import subprocess
import sys

from conftest import PAGES, ROOT

BLOCK = """
import sys
class _NoPkgResources:
    def find_spec(self, name, path=None, target=None):
        if name == "pkg_resources" or name.startswith("pkg_resources."):
            raise ModuleNotFoundError("No module named 'pkg_resources'", name=name)
        return None
sys.meta_path.insert(0, _NoPkgResources())
"""


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", BLOCK + code], capture_output=True, text=True, cwd=ROOT, check=False)


def test_the_block_reproduces_cpcas_failure() -> None:
    result = _run("import cpca")
    assert result.returncode != 0 and "pkg_resources" in result.stderr


def test_hotlines_extract_runs_without_pkg_resources() -> None:
    page = PAGES / "000_88c04a5b769380d4.txt"
    result = _run(f"from hotlines.cli import main; sys.exit(main(['extract', {str(page)!r}]))")
    assert result.returncode == 0, result.stderr
    assert '"+864001865909"' in result.stdout


def test_the_benchmarks_anchor_imports_cpca_without_pkg_resources() -> None:
    result = _run(
        "sys.path.insert(0, 'bench'); from anchor import import_cpca; cpca = import_cpca();"
        "print(cpca.transform(['周口市淮阳区']).iloc[0]['市'])"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "周口市"


def test_installed_setuptools_is_new_enough_to_matter() -> None:
    """CI installs setuptools >= 81 so the real (not simulated) condition is exercised too."""
    from importlib.metadata import version

    major = int(version("setuptools").split(".")[0])
    result = subprocess.run([sys.executable, "-c", "import pkg_resources"], capture_output=True, check=False)
    assert major < 81 or result.returncode != 0
