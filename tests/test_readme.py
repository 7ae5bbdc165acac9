"""The README's two commands stay true: CI runs the test command exactly as written."""

from __future__ import annotations

from conftest import ROOT


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = next(line for line in ci.splitlines() if line.startswith("python3 -m venv"))
    assert command in readme


def test_readme_main_command_runs_extract_on_the_fixtures() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "&& .venv/bin/hotlines extract fixtures/pages" in readme
    assert (ROOT / "fixtures" / "pages").is_dir()
