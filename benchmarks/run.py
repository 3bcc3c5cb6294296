"""The performance suite of coprod-desktop (issue 13): one command, one table.

    python3 dev.py bench                      # everything, 3 rounds (about 30 min on 2 busy cores)
    python3 dev.py bench --quick              # 1 round, fewer samples: a smoke test, not figures
    python3 dev.py bench --only startup --only vote --rounds 5
    python3 dev.py bench --slow-disk 12       # the vote with 12 ms per fsync (0: leave it out)
    python3 dev.py bench --json out.json      # the machine, the rounds and the rows as JSON too

How it measures (benchmarks/README.md says why):
- As users run it. The app is built into a wheel, installed with its bytecode into its own venv
  (build/bench-venv, never .venv), and every measurement runs that venv's interpreter from a
  neutral folder, with Qt offscreen and throwaway settings.
- Interleaved. Each round runs every benchmark once, in turn; start-up alternates app, bare
  window, fair window and the first-paint probe process by process. Other load on the machine
  then hits all of them alike.
- Spread shown. Each row gives the median and the p95 of its samples, as the median over the
  rounds with the min–max over the rounds; the verdict is the target statistic's median over
  the rounds, and says in how many rounds it was met. The load average is printed before,
  between the rounds and after.

This file uses only the standard library: it runs under any Python 3.11.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_VENV = ROOT / "build" / "bench-venv"
WINDOWS = sys.platform == "win32"

STARTUP_BARE_TARGET = 1.5
STARTUP_FAIR_TARGET = 1.2
FIRST_PAINT_NOTE = "info"

CHILDREN = {
    "steps": "steps_bench.py",
    "vote": "matrix_vote.py",
    "canvas": "canvas_bench.py",
    "pdf": "report_bench.py",
    "idle": "idle_bench.py",
    "combine": "combine_rows.py",  # runs combine_bench.py (issue 16) and reads its table
}
ORDER = ("startup", *CHILDREN)


# --- small helpers --------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 200 values is the 190th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


def load_average() -> str:
    try:
        return ", ".join(f"{value:.2f}" for value in os.getloadavg())
    except (AttributeError, OSError):
        return "unknown"


# A fixed piece of pure Python, timed in the benchmark's own interpreter: how fast this machine
# runs Python code now. Figures from two machines (or two days on a shared one) compare only
# next to it.
SPEED_PROBE = (
    "import time\n"
    "times = []\n"
    "for _ in range(5):\n"
    "    began = time.perf_counter()\n"
    "    total = 0\n"
    "    for number in range(2_000_000):\n"
    "        total += number\n"
    "    times.append(time.perf_counter() - began)\n"
    "print(sorted(times)[2] * 1000)\n"
)


def python_speed(python: Path, env: dict[str, str]) -> float | None:
    """The median ms of SPEED_PROBE (2 million additions in a loop) in `python`."""
    try:
        done = subprocess.run(
            [str(python), "-c", SPEED_PROBE], env=env, capture_output=True, text=True, timeout=60, check=True
        )
        return float(done.stdout.strip())
    except (OSError, subprocess.SubprocessError, ValueError):
        return None


def cpu_ticks() -> tuple[int, int] | None:
    """(busy, stolen) clock ticks of all cores so far (/proc/stat): the share the host gave to
    other machines while ours wanted to run is `stolen / (busy + stolen)` over an interval."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    values = [int(value) for value in fields]
    user, nice, system, _idle, _iowait, irq, softirq = values[:7]
    steal = values[7] if len(values) > 7 else 0
    return user + nice + system + irq + softirq, steal


def stolen_share(start: tuple[int, int] | None, end: tuple[int, int] | None) -> str:
    if start is None or end is None:
        return "unknown"
    busy, steal = end[0] - start[0], end[1] - start[1]
    return f"{100 * steal / (busy + steal):.0f} %" if busy + steal else "0 %"


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def bin_path(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if WINDOWS else "bin") / (name + (".exe" if WINDOWS else ""))


def mount_of(path: Path) -> str:
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return "unknown"
    best = ("", "unknown")
    resolved = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1]
        if (resolved == point or resolved.startswith(point.rstrip("/") + "/")) and len(point) > len(best[0]):
            best = (point, parts[2])
    return f"{best[1]} (at {best[0]})"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


# --- the venv with the wheel ---------------------------------------------------------------

BUILD_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "*.pyc", ".*_cache", "shots", "out"
)


def source_hash(source: Path) -> str:
    digest = hashlib.sha256()
    for folder in ("coprod_desktop", "resources"):
        for path in sorted((source / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(source)).encode())
                digest.update(path.read_bytes())
    digest.update((source / "pyproject.toml").read_bytes())
    return digest.hexdigest()[:16]


def prepare_venv(venv: Path, builder: str, source: Path = ROOT) -> Path:
    """The benchmark venv holding the app as a wheel of `source`, with bytecode."""
    python = bin_path(venv, "python")
    stamp = venv / ".coprod-bench-source"
    wanted = source_hash(source)
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    began = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="coprod-bench-wheel-"))
    try:
        shutil.copytree(source, tmp / "src", ignore=BUILD_IGNORE)
        subprocess.run(
            [builder, "-m", "build", "--wheel", "--outdir", str(tmp / "dist"), "."],
            cwd=tmp / "src",
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wheel = next((tmp / "dist").glob("*.whl"))
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
            subprocess.run([*pip, str(wheel)], check=True, stderr=subprocess.DEVNULL)
        else:
            pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
            subprocess.run(
                [*pip, "--force-reinstall", "--no-deps", str(wheel)], check=True, stderr=subprocess.DEVNULL
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    # pip compiles the package's bytecode on install; make sure, as a user's installer would.
    subprocess.run([str(python), "-m", "compileall", "-q", "-j", "0", str(site_of(python))], check=False)
    stamp.write_text(wanted)
    say(f"built the wheel and installed it in {venv} ({time.perf_counter() - began:.0f} s)")
    return python


def site_of(python: Path) -> Path:
    out = subprocess.run(
        [
            str(python),
            "-c",
            "import coprod_desktop, pathlib; print(pathlib.Path(coprod_desktop.__file__).parent)",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tempfile.gettempdir(),
    )
    return Path(out.stdout.strip())


def versions(python: Path, work: Path, env: dict[str, str]) -> dict[str, str]:
    probe = textwrap.dedent(
        """
        import json, sqlite3, sys, coprod_desktop
        from importlib import metadata
        def v(name):
            try:
                return metadata.version(name)
            except metadata.PackageNotFoundError:
                return "not installed"
        print(json.dumps({"python": sys.version.split()[0], "app": v("coprod-desktop"),
            "pyside6": v("PySide6-Essentials"), "reportlab": v("reportlab"),
            "sqlite": sqlite3.sqlite_version, "from": coprod_desktop.__file__}))
        """
    )
    out = subprocess.run(
        [str(python), "-c", probe], capture_output=True, text=True, env=env, cwd=work, check=True
    )
    return json.loads(out.stdout)


# --- start-up, measured here ----------------------------------------------------------------

FIRST_PAINT_PROBE = textwrap.dedent(
    """
    # `coprod-desktop FILE --quit-after-startup`, except that the quit waits for the first
    # frame painted with the workshop in it (benchmarks/paint_once.py), whose end is noted.
    # Nothing of the app, nor of Qt, is imported before main(), so it starts as the command
    # does (the app sets up its quick enums before it first imports PySide6); the app's main
    # window (a QMainWindow with a `document`) is caught when it is shown, QMainWindow.show
    # being wrapped as soon as the app has imported PySide6.QtWidgets.
    import importlib.util, json, os, sys, time
    sys.path.insert(0, sys.argv.pop(1))
    import paint_once

    caught = []

    def catch_shown(QMainWindow):
        original_show = QMainWindow.show

        def show(window):
            if not caught and hasattr(window, "document"):
                caught.append(window)
                paint_once.install(window, when=lambda w: w.document is not None)
            original_show(window)

        QMainWindow.show = show

    class WhenQtWidgetsIsImported:
        def find_spec(self, name, path=None, target=None):
            if name != "PySide6.QtWidgets":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            load = spec.loader.exec_module

            def exec_module(module):
                load(module)
                catch_shown(module.QMainWindow)

            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, WhenQtWidgetsIsImported())
    real_exit = os._exit

    def leave(status):
        mods = [m for m in sys.modules if m.startswith(("reportlab", "coprod_desktop.ui.steps.canvas",
                "coprod_desktop.ui.steps.matrix", "coprod_desktop.report"))]
        print("PROBE " + json.dumps({"marks": paint_once.MARKS, "status": status, "modules": len(sys.modules),
              "heavy": sorted(mods)}), flush=True)
        real_exit(status)

    os._exit = leave
    from coprod_desktop.app import main
    main(sys.argv[1:])
    """
)


def spawn(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    """(monotonic start, seconds to exit, stdout) of one process."""
    start = time.monotonic()
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - start
    if done.returncode != 0:
        raise SystemExit(f"benchmark process failed ({done.returncode}): {' '.join(argv)}\n{done.stderr}")
    return start, elapsed, done.stdout


def bench_startup(python: Path, work: Path, env: dict[str, str], sample: Path, runs: int) -> dict[str, Any]:
    """Process start to exit, interleaved app / bare / fair / app-as-CLI, `runs` times after 2 warm-ups.

    The app and both baselines end once they have painted one frame (the app: a frame with the
    workshop in it); `--quit-after-startup` on its own quits when the loop is first idle,
    which comes before the first paint, so it is reported apart, for information."""
    cli = [str(python), "-m", "coprod_desktop", str(sample), "--quit-after-startup"]
    bare = [str(python), str(HERE / "bare_window.py")]
    fair = [str(python), str(HERE / "fair_window.py")]
    probe = [str(python), "-c", FIRST_PAINT_PROBE, str(HERE), str(sample), "--quit-after-startup"]
    times: dict[str, list[float]] = {"app": [], "bare": [], "fair": [], "cli": [], "paint": []}
    heavy: list[str] = []
    for number in range(runs + 2):  # two warm-ups: page cache, font cache, bytecode checks
        began, app_seconds, out = spawn(probe, env, work)
        measured = {
            "app": app_seconds,
            "bare": spawn(bare, env, work)[1],
            "fair": spawn(fair, env, work)[1],
            "cli": spawn(cli, env, work)[1],
        }
        line = next(x for x in out.splitlines() if x.startswith("PROBE "))
        found = json.loads(line[6:])
        heavy = found["heavy"]
        if number < 2:
            continue
        for key, seconds in measured.items():
            times[key].append(seconds * 1000)
        times["paint"].append((found["marks"]["paint"] - began) * 1000)
    ratio_bare = [a / b for a, b in zip(times["app"], times["bare"], strict=True)]
    ratio_fair = [a / b for a, b in zip(times["app"], times["fair"], strict=True)]

    def row(label: str, values: list[float], unit: str = "ms", **extra: Any) -> dict[str, Any]:
        return {"label": label, "unit": unit, "values": values, **extra}

    return {
        "startup.app": row(
            "Start-up, app with the sample: process start to first frame painted, exit", times["app"]
        ),
        "startup.bare": row("Start-up, bare QMainWindow: start to first frame, exit", times["bare"]),
        "startup.fair": row(
            "Start-up, fair window (menus, status bar, font, label): start to first frame, exit",
            times["fair"],
        ),
        "startup.ratio_bare": row(
            "Start-up ratio app / bare (pairwise in each run)",
            ratio_bare,
            "×",
            target={"stat": "median", "limit": STARTUP_BARE_TARGET, "text": f"≤ {STARTUP_BARE_TARGET}×"},
        ),
        "startup.ratio_fair": row(
            "Start-up ratio app / fair (pairwise in each run)",
            ratio_fair,
            "×",
            target={"stat": "median", "limit": STARTUP_FAIR_TARGET, "text": f"≤ {STARTUP_FAIR_TARGET}×"},
        ),
        "startup.paint": row("Time to first paint of the workshop (from process start)", times["paint"]),
        "startup.cli": row(
            "`coprod-desktop SAMPLE --quit-after-startup` alone (quits before painting)", times["cli"]
        ),
        "startup.heavy": {
            "label": "reportlab, report, canvas, matrix modules imported at start-up",
            "unit": "text",
            "text": ", ".join(heavy) if heavy else "none",
            "met": not heavy,
            "target": {"text": "none"},
        },
    }


# --- the children ---------------------------------------------------------------------------


def run_child(python: Path, script: str, args: list[str], env: dict[str, str], cwd: Path) -> dict[str, Any]:
    done = subprocess.run(
        [str(python), str(HERE / script), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [x for x in done.stdout.splitlines() if x.startswith("BENCH ")]
    if done.returncode != 0 or not lines:
        raise SystemExit(
            f"{script} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    if done.stderr.strip():
        say(f"{script} said on stderr: {done.stderr.strip()[-500:]}")
    return json.loads(lines[-1][6:])


def slow_disk_shim(work: Path, delay_ms: float) -> dict[str, str] | None:
    """An LD_PRELOAD library that sleeps `delay_ms` in every fsync/fdatasync (Linux, needs cc)."""
    if delay_ms <= 0 or not sys.platform.startswith("linux"):
        return None
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        say("no C compiler: the --slow-disk rows are left out")
        return None
    library = work / "slowfsync.so"
    subprocess.run(
        [compiler, "-shared", "-fPIC", "-O2", "-o", str(library), str(HERE / "slowfsync.c"), "-ldl"],
        check=True,
    )
    return {"LD_PRELOAD": str(library), "COPROD_BENCH_FSYNC_DELAY_US": str(int(delay_ms * 1000))}


# --- aggregation and the table --------------------------------------------------------------


def fmt(value: float, unit: str) -> str:
    if unit == "×":
        return f"{value:.2f}×"
    if unit == "ms":
        return f"{value:.1f} ms" if value >= 10 else f"{value:.2f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "/s":
        return f"{value:.1f}/s"
    if unit == "%":
        return f"{value:.1f} %"
    return f"{value:g}{(' ' + unit) if unit else ''}"


def spread(values: list[float], unit: str) -> str:
    middle = statistics.median(values)
    if len(values) == 1 or min(values) == max(values):
        return fmt(middle, unit)
    return f"{fmt(middle, unit)} ({fmt(min(values), unit)}–{fmt(max(values), unit)})"


def stat_of(values: list[float], stat: str) -> float:
    if stat == "median":
        return statistics.median(values)
    if stat == "p95":
        return percentile(values, 0.95)
    if stat == "max":
        return max(values)
    return values[-1]


def aggregate(rounds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys: list[str] = []
    for found in rounds:
        keys += [k for k in found if k not in keys]
    rows = []
    for key in keys:
        entries = [found[key] for found in rounds if key in found]
        first = entries[0]
        unit = first.get("unit", "ms")
        target = first.get("target") or {}
        row: dict[str, Any] = {
            "key": key,
            "label": first["label"],
            "unit": unit,
            "target": target.get("text", ""),
        }
        if unit == "text":
            mets = [e.get("met") for e in entries]
            row.update(
                n=f"{len(entries)}",
                median=entries[-1]["text"],
                p95="",
                met=None if mets[0] is None else all(mets),
            )
            row["verdict"] = verdict(row["met"], len([m for m in mets if m]), len(mets))
            rows.append(row)
            continue
        medians = [statistics.median(e["values"]) for e in entries]
        p95s = [percentile(e["values"], 0.95) for e in entries]
        samples = len(first["values"])
        row["n"] = f"{samples}×{len(entries)}" if samples > 1 else f"{len(entries)}"
        row["median"] = spread(medians, unit)
        row["p95"] = spread(p95s, unit) if samples > 1 else ""
        row["median_value"] = statistics.median(medians)
        row["p95_value"] = statistics.median(p95s)
        if "limit" in target:
            per_round = [stat_of(e["values"], target.get("stat", "median")) for e in entries]
            good = sum(1 for v in per_round if v <= target["limit"])
            row["met"] = statistics.median(per_round) <= target["limit"]
            row["verdict"] = verdict(row["met"], good, len(per_round))
        else:
            row["met"] = None
            row["verdict"] = "info"
        cpus = [statistics.median(e["cpu"]) for e in entries if e.get("cpu")]
        row["cpu"] = fmt(statistics.median(cpus), "ms") if cpus else ""
        if first.get("note"):
            row["note"] = first["note"]
        rows.append(row)
    return rows


def verdict(met: bool | None, good: int, total: int) -> str:
    if met is None:
        return "info"
    word = "met" if met else "**MISSED**"
    return word if total == 1 else f"{word} ({good}/{total} rounds)"


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| measure | samples × rounds | median (min–max over rounds) | p95 (min–max) | own CPU "
        "| target | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        label = r["label"] + (f" — {r['note']}" if r.get("note") else "")
        lines.append(
            f"| {label} | {r['n']} | {r['median']} | {r['p95'] or '—'} | {r.get('cpu') or '—'} "
            f"| {r['target'] or '—'} | {r['verdict']} |"
        )
    return "\n".join(lines)


def compare_table(after: list[dict[str, Any]], before: list[dict[str, Any]]) -> str:
    old = {r["key"]: r for r in before}
    lines = [
        "| measure | before: median (p95) | after: median (p95) | target | before | after |",
        "|---|---|---|---|---|---|",
    ]

    def shown(r: dict[str, Any] | None) -> str:
        if r is None:
            return "—"
        cpu = f"; CPU {r['cpu']}" if r.get("cpu") else ""
        return r["median"] + (f" ({r['p95']})" if r.get("p95") else "") + cpu

    for r in after:
        was = old.get(r["key"])
        lines.append(
            f"| {r['label']} | {shown(was)} | {shown(r)} | {r['target'] or '—'} "
            f"| {was['verdict'] if was else '—'} | {r['verdict']} |"
        )
    return "\n".join(lines)


# --- the run --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one round, fewer samples (a smoke test)")
    parser.add_argument("--rounds", type=int, help="rounds of the whole suite (default 3, 1 with --quick)")
    parser.add_argument("--only", choices=ORDER, action="append", help="only these benchmarks (repeatable)")
    parser.add_argument(
        "--slow-disk",
        type=float,
        default=8.0,
        metavar="MS",
        help="fsync delay for the slow-disk vote rows (default 8 ms; 0 leaves them out)",
    )
    parser.add_argument("--dir", type=Path, help="where session files are written (default: the temp folder)")
    parser.add_argument(
        "--venv", type=Path, default=DEFAULT_VENV, help="the benchmark venv (default build/bench-venv)"
    )
    parser.add_argument("--json", type=Path, help="also write the machine, rounds and rows as JSON here")
    parser.add_argument(
        "--source",
        type=Path,
        default=ROOT,
        help="the source tree whose wheel is measured (default: this one; or an older commit's export)",
    )
    parser.add_argument(
        "--before",
        type=Path,
        help="also measure this older source tree, interleaved, and print both side by side",
    )
    parser.add_argument("--strict", action="store_true", help="exit with status 1 if a target is missed")
    parser.add_argument("--from-json", type=Path, help="only print the table of an earlier run's --json file")
    options = parser.parse_args(argv)
    if options.from_json is not None:
        saved = json.loads(options.from_json.read_text())
        rows = aggregate(saved["rounds"]["after"])
        has_before = bool(saved["rounds"].get("before"))
        print(compare_table(rows, aggregate(saved["rounds"]["before"])) if has_before else table(rows))
        print(f"\nLoad average at the start and after each round: {'; '.join(saved['loads'])}.")
        return 0
    rounds = options.rounds or (1 if options.quick else 3)
    only = [name for name in ORDER if name in (options.only or ORDER)]

    began = time.perf_counter()
    python = prepare_venv(options.venv.resolve(), sys.executable, options.source.resolve())
    before = None
    if options.before is not None:
        before = prepare_venv(
            options.venv.resolve().with_name("bench-venv-before"), sys.executable, options.before.resolve()
        )
    work = Path(tempfile.mkdtemp(prefix="coprod-bench-", dir=options.dir))
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE"}
    }
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(work / "config"),
        XDG_DATA_HOME=str(work / "data"),
        PYTHONNOUSERSITE="1",
        COPROD_BENCH_DIR=str(work),
    )
    try:
        found = versions(python, work, env)
        loads = [load_average()]
        print("## Machine\n")
        print(f"- {platform.platform()}; {cpu_model()}; {os.cpu_count()} cores")
        print(
            f"- Python {found['python']}, PySide6 {found['pyside6']}, reportlab {found['reportlab']}, "
            f"SQLite {found['sqlite']}"
        )
        print(f"- coprod-desktop {found['app']} from its wheel: {found['from']}")
        print(f"- session files on {mount_of(work)}")
        print(
            f"- {time.strftime('%Y-%m-%d %H:%M %Z')}; {rounds} round(s){' --quick' if options.quick else ''}"
        )
        print(f"- load average (1, 5, 15 min) at the start: {loads[0]}", flush=True)
        speed = python_speed(python, env)
        speeds = [speed]
        print(
            "- Python's speed here now: 2 million additions in a loop take "
            f"{'unknown' if speed is None else f'{speed:.0f} ms'} (median of 5; lower is faster)",
            flush=True,
        )
        ticks = cpu_ticks()
        child_args = ["--quick"] if options.quick else []
        slow = slow_disk_shim(work, options.slow_disk)
        # With --before, each benchmark runs for the older wheel right after this one, in the
        # same round: the same machine under the same load.
        builds = [("after", python)] + ([("before", before)] if before is not None else [])
        samples: dict[str, Path] = {}
        for label, interpreter in builds:  # each made by its own build: file versions differ
            samples[label] = work / f"sample-{label}.coprod"
            subprocess.run(
                [str(interpreter), "-m", "coprod_desktop", "demo", str(samples[label]), "--force"],
                env=env,
                cwd=work,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        results: dict[str, list[dict[str, Any]]] = {label: [] for label, _ in builds}
        for number in range(rounds):
            found_round: dict[str, dict[str, Any]] = {label: {} for label, _ in builds}
            for name in only:
                for label, interpreter in builds:
                    step_began = time.perf_counter()
                    if name == "startup":
                        runs = 4 if options.quick else 10
                        found_round[label].update(bench_startup(interpreter, work, env, samples[label], runs))
                    else:
                        extra = ["--sizes", "none"] if name == "pdf" and number else []  # big PDFs: round 1
                        found_round[label].update(
                            run_child(interpreter, CHILDREN[name], [*child_args, *extra], env, work)
                        )
                        if name == "vote" and slow is not None:
                            slowed = run_child(
                                interpreter,
                                CHILDREN[name],
                                [*child_args, "--slow-disk", str(options.slow_disk)],
                                {**env, **slow},
                                work,
                            )
                            found_round[label].update(slowed)
                    say(
                        f"round {number + 1}/{rounds}: {name} ({label}) took "
                        f"{time.perf_counter() - step_began:.1f} s (load {load_average()})"
                    )
            for label, _ in builds:
                results[label].append(found_round[label])
            loads.append(load_average())
            speeds.append(python_speed(python, env))
            if options.json and number + 1 < rounds:  # the rounds so far, in case the run is cut short
                so_far = aggregate(results["after"])
                shown = compare_table(so_far, aggregate(results["before"])) if before else table(so_far)
                options.json.with_suffix(".partial.md").write_text(
                    f"{number + 1} of {rounds} rounds; load after each: {'; '.join(loads[1:])}\n\n{shown}\n"
                )
        rows = aggregate(results["after"])
        print("\n## Results\n")
        if before is not None:
            print(compare_table(rows, aggregate(results["before"])))
        else:
            print(table(rows))
        shown_speeds = ", ".join("unknown" if value is None else f"{value:.0f}" for value in speeds[1:])
        stolen = stolen_share(ticks, cpu_ticks())
        print(
            f"\nLoad average after each round: {'; '.join(loads[1:])}. "
            f"Python's speed after each round (ms for the loop above): {shown_speeds}. "
            f"CPU time the host gave to other machines while this one ran: {stolen}. "
            f"Total {time.perf_counter() - began:.0f} s."
        )
        if options.json:
            options.json.write_text(
                json.dumps(
                    {
                        "versions": found,
                        "loads": loads,
                        "python_speed_ms": speeds,
                        "stolen": stolen,
                        "rounds": results,
                        "rows": rows,
                    },
                    ensure_ascii=False,
                    indent=1,
                )
            )
        missed = any(r.get("met") is False for r in rows)
        return 1 if options.strict and missed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
