"""Start-up: wall-clock time of `hotlines --help`, `--version` and a one-page `extract`.

Each command runs as a fresh process, as a user types it, several times after one untimed run
(which writes the bytecode caches, as any first run does); the median is the figure (the
minimum and maximum show the noise). The commands take turns, one run of each per round, so
that a drift in the machine's speed meets them all alike. PYTHONDONTWRITEBYTECODE is dropped from the children's
environment, since without bytecode caches every run compiles the project's modules again
(`--keep-env` measures with the environment as it is). The budgets are 150 ms for `--help` and
`--version` and 400 ms for extracting one seed page. The interpreter's own start-up
(`python -c pass`) is measured too, as the floor no command can go under; and so is the stack's
own start-up, the floor a one-page `extract` cannot go under with the record models in pydantic
and the numbers in phonenumbers: import both, validate and write one empty record, and parse,
validate and format one 400 number, with pydantic's plugin search off as the command has it.
What `extract` takes beyond that is ours: our modules, tables and the page's own work.

    python bench/startup.py [--runs 7] [--json results.json] [--check] [--keep-env] [--importtime COMMAND] [--instructions]

`--check` exits 1 when a median is over its budget. `--importtime help|version|extract`
prints the modules that command imports, slowest first (`python -X importtime`), to see
where the time goes. `--instructions` counts each command's instructions under valgrind
(Debian's package) instead: a figure that load on the machine does not move.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "pages" / "001_5cf953adb841b130.txt"
BUDGETS_MS = {"help": 150.0, "version": 150.0, "extract_one_page": 400.0}
ARGUMENTS = {"help": ["--help"], "version": ["--version"], "extract_one_page": ["extract", str(SEED)]}
STACK_FLOOR = """
import gc, os, sys
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
gc.disable()
import phonenumbers
from schemas import PageRecord, Source
number = phonenumbers.parse("4001865909", "CN")
phonenumbers.is_valid_number(number)
phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
record = PageRecord(source=Source(path="-", sha256="0" * 64, encoding="utf-8", content_type="text/plain", size=0))
sys.stdout.buffer.write(record.__pydantic_serializer__.to_json(record))
"""


def hotlines_command() -> list[str]:
    """The installed console script beside this interpreter, else `python -m hotlines`."""
    script = Path(sys.executable).with_name("hotlines.exe" if os.name == "nt" else "hotlines")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "hotlines"]


def child_environment(keep: bool = False) -> dict[str, str]:
    """The environment a user's shell gives: bytecode caches allowed unless `keep`."""
    env = dict(os.environ)
    if not keep:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _run_ms(command: list[str], env: dict[str, str] | None) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {result.returncode}: {result.stderr.decode(errors='replace')}")
    return 1000 * (time.perf_counter() - started)


def _summary(times: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(times), 1), "min": round(min(times), 1), "max": round(max(times), 1), "runs": len(times)}


def paired_wall_ms(commands: dict[str, list[str]], runs: int, env: dict[str, str] | None = None) -> dict[str, list[float]]:
    """Each command's wall-clock milliseconds over `runs` rounds (after one untimed run each),
    every round running every command once, back to back: the machine's speed drifts by a third
    over minutes, and commands timed in the same rounds meet the same drift."""
    for command in commands.values():
        _run_ms(command, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(_run_ms(command, env))
    return times


def measure(runs: int = 7, *, keep_env: bool = False) -> dict[str, object]:
    """Every start-up figure, with the budgets and whether each median is within its budget."""
    base = hotlines_command()
    env = child_environment(keep_env)
    figures: dict[str, object] = {"command": " ".join(Path(part).name if i == 0 else part for i, part in enumerate(base))}
    figures["bytecode_caches"] = not env.get("PYTHONDONTWRITEBYTECODE")
    commands = {
        "python_pass": [sys.executable, "-c", "pass"],
        "stack_floor": [sys.executable, "-c", STACK_FLOOR],
        **{name: base + arguments for name, arguments in ARGUMENTS.items()},
    }
    times = paired_wall_ms(commands, runs, env)
    for name, taken in times.items():
        figures[f"{name}_ms"] = _summary(taken)
    # What extract takes beyond the stack's floor, round by round (both met the same machine).
    figures["ours_ms"] = _summary([a - b for a, b in zip(times["extract_one_page"], times["stack_floor"])])
    figures["budgets_ms"] = BUDGETS_MS
    figures["within_budget"] = {name: figures[f"{name}_ms"]["median"] <= budget for name, budget in BUDGETS_MS.items()}  # type: ignore[index]
    return figures


def report(figures: dict[str, object]) -> list[str]:
    caches = "" if figures["bytecode_caches"] else ", no bytecode caches (PYTHONDONTWRITEBYTECODE)"
    lines = [f"start-up, wall clock, median of {figures['python_pass_ms']['runs']} rounds of fresh processes, every command once a round (min .. max){caches}:"]  # type: ignore[index]
    labels = {
        "python_pass": "python -c pass",
        "stack_floor": "pydantic models + phonenumbers, one record",
        "help": "hotlines --help",
        "version": "hotlines --version",
        "extract_one_page": f"hotlines extract {SEED.name}",
    }
    for name, label in labels.items():
        f = figures[f"{name}_ms"]
        budget = BUDGETS_MS.get(name)
        verdict = "" if budget is None else f"  budget {budget:.0f} ms: {'ok' if f['median'] <= budget else 'OVER'}"  # type: ignore[index]
        lines.append(f"  {label:<45} {f['median']:>7.1f} ms  ({f['min']:.1f} .. {f['max']:.1f}){verdict}")  # type: ignore[index]
    ours = figures["ours_ms"]
    lines.append(f"  {'extract beyond the floor (ours), per round':<45} {ours['median']:>7.1f} ms  ({ours['min']:.1f} .. {ours['max']:.1f})")  # type: ignore[index]
    return lines


def import_times(name: str, env: dict[str, str] | None = None) -> list[tuple[int, int, str]]:
    """(self µs, cumulative µs, module) of everything a command imports, slowest first."""
    command = [sys.executable, "-X", "importtime", "-m", "hotlines", *ARGUMENTS[name]]
    subprocess.run(command[:1] + command[3:], cwd=ROOT, capture_output=True, env=env, check=False)  # bytecode caches
    result = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, check=False)
    rows = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        own, total, module = line[len("import time:"):].split("|")
        rows.append((int(own), int(total), module.rstrip()))
    return sorted(rows, key=lambda row: row[1], reverse=True)


def instruction_counts(env: dict[str, str] | None = None) -> dict[str, int]:
    """Instructions each command executes, under valgrind's callgrind, with a fixed hash seed.

    Wall-clock start-up on a shared machine moves by a third between runs; the instruction count
    of the same command moves by well under 1%, so a change's effect on start-up shows in it.
    """
    env = {**(env if env is not None else os.environ), "PYTHONHASHSEED": "0"}
    base = hotlines_command()
    commands = {
        "python_pass": [sys.executable, "-c", "pass"],
        "stack_floor": [sys.executable, "-c", STACK_FLOOR],
        **{name: base + arguments for name, arguments in ARGUMENTS.items()},
    }
    counts = {}
    for name, command in commands.items():
        subprocess.run(command, cwd=ROOT, capture_output=True, env=env, check=False)  # bytecode caches, table cache
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, check=False,
        )  # fmt: skip
        found = [line for line in result.stderr.splitlines() if "Collected :" in line]
        if not found:
            raise RuntimeError(f"valgrind gave no count for {name}: {result.stderr[-500:]}")
        counts[name] = int(found[-1].split()[-1])
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per command (default: %(default)s)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 if a median is over its budget")
    parser.add_argument("--keep-env", action="store_true", help="keep PYTHONDONTWRITEBYTECODE if set (no bytecode caches)")
    parser.add_argument("--importtime", choices=("help", "version", "extract"), help="list the imports of one command instead")
    parser.add_argument("--instructions", action="store_true", help="count each command's instructions under valgrind instead")
    args = parser.parse_args(argv)
    if args.instructions:
        counts = instruction_counts(child_environment(args.keep_env))
        print("start-up, instructions (valgrind --tool=callgrind, PYTHONHASHSEED=0):")
        for name, count in counts.items():
            print(f"  {name:<20} {count / 1e6:9.1f} M")
        if args.json:
            Path(args.json).write_text(json.dumps(counts, indent=2) + "\n", encoding="utf-8")
        return 0
    if args.importtime:
        rows = import_times("extract_one_page" if args.importtime == "extract" else args.importtime, child_environment(args.keep_env))
        print(f"{'self ms':>8} {'cumul. ms':>9}  module (hotlines {' '.join(ARGUMENTS['extract_one_page' if args.importtime == 'extract' else args.importtime])})")
        for own, total, module in rows[:40]:
            print(f"{own / 1000:8.1f} {total / 1000:9.1f}  {module}")
        return 0
    figures = measure(args.runs, keep_env=args.keep_env)
    print("\n".join(report(figures)))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 1 if args.check and not all(figures["within_budget"].values()) else 0  # type: ignore[union-attr]


if __name__ == "__main__":
    sys.exit(main())
