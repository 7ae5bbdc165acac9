"""The README's commands and snippets run, and print what the README says they print."""

from __future__ import annotations

import ast
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

from conftest import PAGES, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SEEDS = {"000_88c04a5b769380d4.txt": "阿拉好太太", "001_5cf953adb841b130.txt": "超人", "002_1d3b4b97da5f39cb.txt": "昌尔特"}


def _section(title: str) -> str:
    """The README text under a heading, up to the next heading of any level (not a `#` in code)."""
    lines: list[str] | None = None
    fenced = False
    for line in README.splitlines(keepends=True):
        fenced ^= line.startswith("```")
        heading = not fenced and re.match(r"#+ (.*)", line)
        if heading and lines is not None:
            break
        if lines is not None:
            lines.append(line)
        elif heading and heading.group(1).strip() == title:
            lines = []
    assert lines is not None, f"no section {title!r} in README.md"
    return "".join(lines)


def _code_blocks(section: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", section, re.M | re.S)


def _hotlines(arguments: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hotlines", *arguments], capture_output=True, text=True, cwd=cwd, check=False)


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = next(line for line in ci.splitlines() if line.startswith("python3 -m venv"))
    assert command in README


def test_the_readme_extract_command_prints_a_table_of_the_fixtures() -> None:
    (line,) = [line for line in _code_blocks(_section("Two commands"), "sh")[0].splitlines() if "hotlines extract" in line]
    command = shlex.split(line.split("&&")[-1].split("#")[0])
    assert command[0] == ".venv/bin/hotlines" and command[1:3] == ["extract", "fixtures/pages"]
    result = _hotlines(command[1:])
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split() == ["page", "enc", "phone", "kind", "n", "region"]
    pages = [row.split()[0] for row in rows if row.startswith("fixtures/pages/")]
    assert pages == sorted(pages) and len(set(pages)) == len(pages)
    expected = {f"fixtures/pages/{p.name}" for p in PAGES.iterdir() if p.suffix in (".txt", ".html")}
    assert expected <= set(pages), expected - set(pages)
    assert f"hotlines: {len(pages)} of {len(pages)} input(s) extracted, 0 failed" in result.stderr
    for name, brand in SEEDS.items():
        at = next(i for i, row in enumerate(rows) if row.startswith(f"fixtures/pages/{name}"))
        assert rows[at].split()[1:5] == ["utf-8", "+864001865909", "shared_cost_400", "10"]
        assert rows[at + 1].strip().startswith(f"brands: {brand} x"), rows[at + 1]


def test_the_url_example_in_using_it_runs(tmp_path) -> None:
    (line,) = [line for line in _code_blocks(_section("Using it"), "sh")[0].splitlines() if "--url" in line]
    command = shlex.split(line.split("#")[0])
    assert command[:3] == ["hotlines", "extract", "PAGE.html"]
    page = tmp_path / "PAGE.html"
    page.write_bytes((PAGES / "two_brands.html").read_bytes())
    result = _hotlines(command[1:], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = json.loads(result.stdout)["source"]
    assert source["url"] == command[command.index("--url") + 1] and source["path"] == "PAGE.html"


def test_the_library_snippet_runs_and_returns_what_its_comments_say(tmp_path) -> None:
    """Every statement of "As a library" runs; an expression followed by `# value` must equal it."""
    (snippet,) = _code_blocks(_section("As a library"), "python")
    checks = []
    for line in snippet.splitlines():
        code, _, comment = line.partition("#")
        if comment.strip() and code.strip():
            checks.append((code.strip(), ast.literal_eval(comment.strip())))
    assert checks, "the snippet shows at least one result"
    program = "\n".join(
        [
            snippet,
            "results = [" + ", ".join(code for code, _ in checks) + "]",
            "import json",
            "print(json.dumps({'results': results, 'record': record.model_dump(mode='json')}, ensure_ascii=False))",
        ]
    )
    (tmp_path / "page.html").write_bytes((PAGES / "two_brands.html").read_bytes())
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["results"] == [value for _, value in checks]
    record = out["record"]
    assert record["source"]["path"] == "page.html" and record["source"]["content_type"] == "text/html"
    assert "+864008300315" in {phone["number"] for phone in record["phones"]}
    assert {"方太", "老板"} <= {brand["name"] for brand in record["brands"]}
