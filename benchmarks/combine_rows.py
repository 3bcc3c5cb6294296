"""The combining rows of `dev.py bench`: runs `combine_bench.py` and hands its table to run.py.

    build/bench-venv/bin/python benchmarks/combine_rows.py [--quick]

`combine_bench.py` (issue 16) prints a Markdown table, one line per number of sessions
(each size in a fresh process, the best of its repeats); this reads that table and prints
it as one `BENCH {json}` line, as every script of the suite does. The sessions are made
in a folder of the run's scratch space (or COPROD_BENCH_DIR), once per run of this script.

Targets (issue 16): 200 sessions combined in <= 5 s and <= 500 MB; growth near 1 (linear).
With --quick, only 25 and 50 sessions, one repeat each: a smoke test, not figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import emit, sample  # noqa: E402

HERE = Path(__file__).resolve().parent
TARGET_SESSIONS = 200
TARGET_SECONDS = 5.0
TARGET_MB = 500.0


def parse(table: str) -> list[dict[str, float]]:
    """The rows of combine_bench.py's table: sessions, votes, read, combine, total, CPU, MB, growth."""
    names = ("sessions", "votes", "read", "combine", "total", "cpu", "peak_mb", "growth")
    rows = []
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != len(names) or not cells[0].isdigit():
            continue
        row: dict[str, float] = {}
        for name, cell in zip(names, cells, strict=True):
            text = cell.replace(",", "")
            if text:
                row[name] = float(text)
        rows.append(row)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args()
    sizes = ["25", "50"] if options.quick else ["25", "50", "100", "200"]
    repeats = "1" if options.quick else "2"
    folder = Path(tempfile.mkdtemp(prefix="coprod-combine-", dir=os.environ.get("COPROD_BENCH_DIR") or None))
    done = subprocess.run(
        [
            sys.executable,
            str(HERE / "combine_bench.py"),
            "--sizes",
            *sizes,
            "--repeats",
            repeats,
            "--dir",
            str(folder),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
        return done.returncode or 1
    rows = parse(done.stdout)
    if not rows:
        print(f"combine_bench.py printed no table:\n{done.stdout[-2000:]}", file=sys.stderr)
        return 1
    found: dict[str, Any] = {}
    for row in rows:
        size = int(row["sessions"])
        at_target = size == TARGET_SESSIONS
        seconds = {"target": {"stat": "median", "limit": TARGET_SECONDS, "text": f"≤ {TARGET_SECONDS:g} s"}}
        memory = {"target": {"stat": "max", "limit": TARGET_MB, "text": f"≤ {TARGET_MB:g} MB"}}
        found[f"combine.{size:03d}.total"] = sample(
            f"Combining {size} groups of 60 ({int(row['votes']):,} votes): read, combine, JSON (wall)",
            [row["total"]],
            unit="s",
            **(seconds if at_target else {}),
        )
        found[f"combine.{size:03d}.cpu"] = sample(
            f"Combining {size} groups: CPU of the process, start-up included", [row["cpu"]], unit="s"
        )
        found[f"combine.{size:03d}.memory"] = sample(
            f"Combining {size} groups: peak memory",
            [row["peak_mb"]],
            unit="MB",
            **(memory if at_target else {}),
        )
        if "growth" in row:
            found[f"combine.{size:03d}.growth"] = sample(
                f"Combining {size} groups: growth over the size before (1 = linear)",
                [row["growth"]],
                unit="×",
            )
    emit(found)
    return 0


if __name__ == "__main__":
    sys.exit(main())
