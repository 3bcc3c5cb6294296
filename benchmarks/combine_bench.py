"""How long combining many groups' sessions takes, and how much memory, as the number grows.

    .venv/bin/python benchmarks/combine_bench.py                 # 25, 50, 100 and 200 sessions
    .venv/bin/python benchmarks/combine_bench.py --sizes 50 200 --dir /path/on/a/real/disk
    .venv/bin/python benchmarks/combine_bench.py --tree .      # a source tree instead of the installed app

Target (issue 16): combining 200 sessions of 60 people each finishes in <= 5 s and
<= 500 MB, and the cost grows linearly with the number of sessions.

What is timed is what `coprod-desktop combine FILE.coprod...` does: open each session
file read-only (with every check of opening a session), read it as counts
(`storage.counts.read_counts`), and combine them all (tallies,
every group's results, the differences, readiness across groups). Each size runs in
its own fresh process, so its peak memory (the process's maximum resident set) is its
own; the process is started from this interpreter with the app imported as installed.
The JSON of the result is also built, as `--json` would, so nothing is left lazy.

The sessions are made once, before timing: the default template, 60 participants
(half lived experience, half staff), a named rating from every person on every one of
the 24 boxes (all revealed), and counted hands on the six readiness conditions; so each
file holds 1,440 named votes. The growth factor is each size's time over the previous
size's time, divided by the ratio of the sizes: 1.0 means exactly linear. The CPU
column (the process's user and system time, start-up included) is what the work
costs whatever else the machine is doing; wall time on a busy machine is larger.

Prints the machine, then a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PEOPLE = 60
TARGET_SECONDS = 5.0
TARGET_MB = 500.0
TARGET_SESSIONS = 200


def make_sessions(folder: Path, count: int) -> list[Path]:
    from coprod_desktop.domain.model import Participant, Reveal, RoleGroup, Tally, Vote, WorkshopInfo, replace
    from coprod_desktop.domain.voting import cell_question, readiness_question
    from coprod_desktop.storage.schema import SCHEMA_VERSION
    from coprod_desktop.storage.sessionfile import SessionFile, read_header
    from coprod_desktop.storage.templates import load_builtin_template

    paths = sorted(folder.glob("group-*.coprod"))
    if paths and read_header(paths[0]).user_version != SCHEMA_VERSION:
        # Made by an older version: opening would upgrade each one in memory first, which is
        # not what is timed here. Made again at this version.
        for stale in paths:
            stale.unlink()
        paths = []
    if len(paths) >= count:
        return paths[:count]
    rng = random.Random(16)
    for number in range(len(paths), count):
        session = load_builtin_template()
        info: WorkshopInfo = session.info
        session.put(replace(info, title=f"Group {number + 1}", date="2026-11-19"))
        people = []
        for index in range(PEOPLE):
            role = RoleGroup.USES_SERVICES if index % 2 else RoleGroup.FRONTLINE
            person = Participant(id=f"p{index:02d}", name=f"Person {index}", role=role, position=index)
            session.put(person)
            people.append(person)
        for criterion in session.criteria:
            for stage in session.stages:
                question = cell_question(criterion.id, stage.id)
                for person in people:
                    session.put(Vote(question, person.id, str(rng.randint(0, 4))))
                session.put(Reveal(question))
        for item in session.readiness_items:
            for value in range(5):
                session.put(Tally(readiness_question(item.id), str(value), rng.randint(0, 12)))
        path = folder / f"group-{number:03d}.coprod"
        SessionFile.create(path, session).close()
        paths.append(path)
    return paths


CHILD = r"""
import json, resource, sys, time
paths = sys.argv[1:]
start = time.perf_counter()
from coprod_desktop.domain.combine import combine
from coprod_desktop.report.changes_json import combined_to_dict, to_json
from coprod_desktop.storage.counts import read_counts
sessions = [read_counts(path) for path in paths]
loaded = time.perf_counter()
combined = combine(sessions, names=[p.rsplit('/', 1)[-1] for p in paths])
text = to_json(combined_to_dict(combined))
done = time.perf_counter()
usage = resource.getrusage(resource.RUSAGE_SELF)
peak_kb = usage.ru_maxrss
print(json.dumps({"cpu": usage.ru_utime + usage.ru_stime,
                  "total": done - start, "load": loaded - start, "combine": done - loaded,
                  "peak_mb": peak_kb / 1024, "boxes": len(list(combined.results.all_cells())),
                  "votes": sum(c.voters for c in combined.results.all_cells())}))
"""


def run(paths: list[Path], tree: Path | None = None) -> dict[str, float]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if tree is not None:
        env["PYTHONPATH"] = str(tree.resolve())
    result = subprocess.run(
        [sys.executable, "-c", CHILD, *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=tempfile.gettempdir(),
    )
    return dict(json.loads(result.stdout))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 50, 100, 200])
    parser.add_argument("--repeats", type=int, default=3, help="runs per size; the best is reported")
    parser.add_argument("--dir", type=Path, help="where the session files are made (kept between runs)")
    parser.add_argument(
        "--tree", type=Path, help="time this source tree (a worktree) instead of the installed app"
    )
    options = parser.parse_args()
    folder = options.dir or Path(tempfile.gettempdir()) / "coprod-combine-bench"
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    paths = make_sessions(folder, max(options.sizes))
    made = time.perf_counter() - started

    print(f"- platform: {platform.platform()}; Python {platform.python_version()}; {os.cpu_count()} cores")
    print(f"- load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"- sessions in {folder} (made or checked in {made:.1f} s), {PEOPLE} people each")
    if options.tree is not None:
        print(f"- the app from {options.tree.resolve()}")
    print()
    print("| sessions | votes | read (s) | combine (s) | total (s) | CPU (s) | peak memory (MB) | growth |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    previous: tuple[int, float] | None = None
    verdicts = []
    for size in sorted(options.sizes):
        runs = [run(paths[:size], options.tree) for _ in range(options.repeats)]
        best = min(runs, key=lambda r: r["total"])
        peak = max(r["peak_mb"] for r in runs)
        growth = ""
        if previous is not None:
            growth = f"{(best['total'] / previous[1]) / (size / previous[0]):.2f}"
        print(
            f"| {size} | {int(best['votes']):,} | {best['load']:.2f} | {best['combine']:.2f} | "
            f"{best['total']:.2f} | {best['cpu']:.2f} | {peak:.0f} | {growth} |"
        )
        previous = (size, best["total"])
        if size == TARGET_SESSIONS:
            verdicts.append(
                f"{TARGET_SESSIONS} sessions: {best['total']:.2f} s wall (target <= {TARGET_SECONDS:g} s) "
                f"{'met' if best['total'] <= TARGET_SECONDS else '**MISSED**'}, "
                f"{best['cpu']:.2f} s of CPU {'met' if best['cpu'] <= TARGET_SECONDS else '**MISSED**'}; "
                f"{peak:.0f} MB (target <= {TARGET_MB:g} MB) {'met' if peak <= TARGET_MB else '**MISSED**'}"
            )
    print()
    print(f"- load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for line in verdicts:
        print(f"- {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
