"""Instructions per page under valgrind: hotlines against the anchor pipeline, unmoved by load.

Timings on a shared 2-core machine swing by a third from run to run; an instruction count does
not. Each side processes the same seed-like pages (bench/run.py's) after a warm-up, once with
N pages and once with none, under `valgrind --tool=callgrind`; the difference divided by N is
the side's instructions per page, caches warm, as in a long batch.

    python bench/instructions.py [--pages 40]

Needs valgrind (Debian's package). Takes a few minutes: valgrind runs Python ~50x slower.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKER = """
import sys
sys.path[:0] = [{root!r}, {bench!r}]
from run import seed_like_pages
side, count = sys.argv[1], int(sys.argv[2])
pages = seed_like_pages(count + 12, seed=3)
if side == "hotlines":
    from hotlines.pipeline import extract_bytes, warm_up
    warm_up()
    run = lambda data: extract_bytes("p.txt", data, suffix=".txt")
else:
    from anchor import anchor_page, import_cpca
    cpca = import_cpca()
    run = lambda data: anchor_page(data.decode("utf-8"), cpca)
for data in pages[:12]:
    run(data)  # warm: tables built, caches filled
for data in pages[12:]:
    run(data)
"""


def instructions(side: str, count: int, script: Path) -> int:
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, str(script), side, str(count)],
        capture_output=True, text=True, check=True,
    )
    match = re.search(r"Collected : (\d+)", result.stderr)
    if match is None:
        raise RuntimeError(result.stderr[-2000:])
    return int(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "worker.py"
        script.write_text(WORKER.format(root=str(ROOT), bench=str(ROOT / "bench")), encoding="utf-8")
        per_page = {}
        for side in ("hotlines", "anchor"):
            base = instructions(side, 0, script)
            full = instructions(side, args.pages, script)
            per_page[side] = (full - base) / args.pages
            print(f"  {side:9s} {per_page[side] / 1e6:8.2f} M instructions/page")
    print(f"  ratio anchor/hotlines: {per_page['anchor'] / per_page['hotlines']:.2f}x (instructions per page; higher is better for hotlines)")


if __name__ == "__main__":
    main()
