#!/usr/bin/env python3
"""Set up and run coprod-desktop, or its whole test suite, on a fresh machine.

    python3 dev.py run [ARGS...]    set up, then start the app (ARGS go to coprod-desktop)
    python3 dev.py test [ARGS...]   set up, then ruff, import contracts, pytest (ARGS go to pytest),
                                    the wheel check and (on Linux) the bundle check, beside pytest
    python3 dev.py wheel            set up, then only the wheel check
    python3 dev.py bench [ARGS...]  set up, then run the benchmarks
    python3 dev.py translations     set up, then extract, update and compile the translations
    python3 dev.py bundle           set up, then build the standalone app (dist/coprod-desktop/) with
                                    PyInstaller and smoke-test it (packaging/README.md)

Setting up means: the Qt system libraries are there (installed with apt-get when missing and we
may), `.venv` exists, and `pip install -e '.[test]'` has run since pyproject.toml last changed.
Standard library only, so it runs before anything is installed. CI runs `python3 dev.py test`.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".coprod-dev-installed"
# Part of the stamp, so that changing how we install reinstalls everywhere.
INSTALL_RECIPE = "pip install -e .[test] v1"
WINDOWS = sys.platform == "win32"
MIN_PYTHON = (3, 11)

# Shared libraries that PySide6's wheels load but do not ship. dlopen() is the real test:
# it fails when the library or anything it needs is missing.
QT_LIBS = [
    "libEGL.so.1",
    "libGL.so.1",
    "libX11.so.6",
    "libfontconfig.so.1",
    "libfreetype.so.6",
    "libxkbcommon.so.0",
    "libdbus-1.so.3",
    "libglib-2.0.so.0",
    "libgthread-2.0.so.0",
]
# Only for a real window on X11 (Qt's xcb platform plugin).
XCB_LIBS = [
    "libX11-xcb.so.1",
    "libxkbcommon-x11.so.0",
    "libxcb-cursor.so.0",
    "libxcb-icccm.so.4",
    "libxcb-keysyms.so.1",
    "libxcb-image.so.0",
    "libxcb-render-util.so.0",
    "libxcb-shape.so.0",
    "libxcb-randr.so.0",
    "libxcb-xfixes.so.0",
    "libxcb-sync.so.1",
    "libxcb-shm.so.0",
    "libxcb-xkb.so.1",
    "libxcb-util.so.1",
]
APT_PACKAGES = [
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libdbus-1-3",
    "libglib2.0-0",
    "libx11-xcb1",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-xinerama0",
    "libxcb-randr0",
    "libxcb-xfixes0",
    "libxcb-sync1",
    "libxcb-shm0",
    "libxcb-xkb1",
    "libxcb-util1",
    "fonts-dejavu-core",
    "poppler-utils",
    "chromium",  # the phone page's browser tests drive it through Playwright (tests/remote/)
]
FONT_DIRS = ["/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts"]
APP_COMMANDS = {"demo", "export", "import", "check", "--version", "-h", "--help"}


class Failure(Exception):
    """Something a person has to fix; the message says what."""


def say(message: str) -> None:
    print(f"dev.py: {message}", flush=True)


def heading(message: str) -> None:
    print(f"\n==> {message}", flush=True)


# --------------------------------------------------------------------------- system check


def missing_system_parts(want_xcb: bool, want_tools: bool) -> list[str]:
    """The Qt prerequisites this machine lacks, by library or tool name."""
    if not sys.platform.startswith("linux"):
        return []  # PySide6's macOS and Windows wheels bring what they need
    missing = []
    for name in QT_LIBS + (XCB_LIBS if want_xcb else []):
        try:
            ctypes.CDLL(name)
        except OSError:
            missing.append(name)
    if not any(_has_font(Path(d).expanduser()) for d in FONT_DIRS):
        missing.append("fonts")  # offscreen Qt warns without any, and the tests fail on warnings
    if want_tools and shutil.which("pdftoppm") is None:
        missing.append("pdftoppm")  # tests and people look at report PDFs through it
    if want_tools and not Path("/usr/bin/chromium").exists():
        missing.append("chromium")  # the phone page is tested in a real browser
    if not _has_venv_module():
        missing.append("the venv module")
    return missing


def _has_font(folder: Path) -> bool:
    if not folder.is_dir():
        return False
    return any(p.suffix.lower() in {".ttf", ".otf", ".pfb"} for p in folder.rglob("*"))


def _has_venv_module() -> bool:
    # Debian's python3 ships venv without ensurepip; then `python3 -m venv` cannot make a venv.
    import importlib.util

    return importlib.util.find_spec("ensurepip") is not None


def ensure_system(want_xcb: bool, want_tools: bool) -> None:
    missing = missing_system_parts(want_xcb, want_tools)
    if not missing:
        return
    say(f"missing on this machine: {', '.join(missing)}")
    packages = list(APT_PACKAGES)
    if "the venv module" in missing:
        packages.append(f"python3.{sys.version_info.minor}-venv")
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]
    manual = f"sudo apt-get update && sudo {' '.join(install)}"
    if shutil.which("apt-get") is None:
        raise Failure(
            "this is not a Debian or Ubuntu machine, so install the missing parts with your "
            "package manager (Qt 6 needs them), then run dev.py again."
        )
    if os.geteuid() == 0:
        prefix: list[str] = []
    elif shutil.which("sudo") and _quiet(["sudo", "-n", "true"]) == 0:
        prefix = ["sudo", "-n"]
    else:
        raise Failure(f"installing them needs root. Run this, then dev.py again:\n    {manual}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    wait_for_lock = ["-o", "DPkg::Lock::Timeout=300"]
    say(f"installing with apt-get: {' '.join(packages)}")
    with tempfile.TemporaryFile("w+") as log:
        for cmd in (["apt-get", "update", "-q", *wait_for_lock], [*install, *wait_for_lock]):
            done = subprocess.run(
                [*prefix, "env", "DEBIAN_FRONTEND=noninteractive", *cmd],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
            if done.returncode != 0:
                log.seek(0)
                print("".join(log.readlines()[-25:]), end="", file=sys.stderr)
                raise Failure(f"`{' '.join(cmd[:2])}` failed (exit status {done.returncode}); see above.")
    still = missing_system_parts(want_xcb, want_tools)
    if still:
        raise Failure(f"still missing after apt-get install: {', '.join(still)}")
    say("system packages installed.")


def _quiet(cmd: list[str]) -> int:
    return subprocess.run(
        cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    ).returncode


# --------------------------------------------------------------------------- virtual environments


def bin_path(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if WINDOWS else "bin") / (f"{name}.exe" if WINDOWS else name)


def make_venv(venv: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "venv", str(venv)], stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        shutil.rmtree(venv, ignore_errors=True)
        raise Failure(f"`{sys.executable} -m venv {venv}` failed (exit status {done.returncode}).")


def pip_install(venv: Path, *args: str) -> None:
    """pip install, quietly: its output is shown only when it fails."""
    cmd = [str(bin_path(venv, "python")), "-m", "pip", "install", "--disable-pip-version-check", *args]
    done = subprocess.run(
        cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    if done.returncode != 0:
        print("\n".join(done.stdout.splitlines()[-60:]), file=sys.stderr)
        raise Failure(f"`pip install {' '.join(args)}` failed (exit status {done.returncode}); see above.")


def ensure_venv() -> None:
    """`.venv` with the app installed in editable mode and the test tools, redone when needed."""
    if not bin_path(VENV, "python").exists():  # missing, or its Python has gone
        if VENV.exists():
            say(".venv is broken (its Python is gone); making it again.")
            shutil.rmtree(VENV)
        say(f"creating .venv with Python {sys.version.split()[0]}")
        make_venv(VENV)
    wanted = hashlib.sha256(INSTALL_RECIPE.encode() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    have = STAMP.read_text().strip() if STAMP.exists() else ""
    tools = ["coprod-desktop", "ruff", "lint-imports", "pytest"]
    if have == wanted and all(bin_path(VENV, t).exists() for t in tools):
        return
    say("installing the app and its test tools into .venv (pyproject.toml changed, or first run)")
    started = time.monotonic()
    STAMP.unlink(missing_ok=True)
    pip_install(VENV, "-e", ".[test]")
    STAMP.write_text(wanted + "\n")
    say(f"installed in {time.monotonic() - started:.0f} s.")


def setup(want_xcb: bool = False, want_tools: bool = False) -> None:
    ensure_system(want_xcb, want_tools)
    ensure_venv()


# --------------------------------------------------------------------------- commands


def cmd_run(args: list[str]) -> int:
    linux = sys.platform.startswith("linux")
    has_display = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    setup(want_xcb=linux and bool(os.environ.get("DISPLAY")))
    opens_window = not (args and args[0] in APP_COMMANDS)
    if linux and opens_window and not has_display and not os.environ.get("QT_QPA_PLATFORM"):
        say(
            "no display here (DISPLAY is not set); the window will not open. "
            "For a try without one: QT_QPA_PLATFORM=offscreen python3 dev.py run FILE --quit-after-startup"
        )
    app = str(bin_path(VENV, "coprod-desktop"))
    if WINDOWS:
        return subprocess.run([app, *args]).returncode
    os.execv(app, [app, *args])
    return 0  # not reached


def _checks_beside() -> bool:
    """The wheel and bundle checks run beside pytest: pytest keeps one core busy, and on two
    cores the checks (pip, PyInstaller, start-ups judged by CPU time) fit in the other, which
    takes about 1.5 minutes off the whole command. COPROD_SERIAL_CHECKS=1 runs them after it."""
    return os.environ.get("COPROD_SERIAL_CHECKS") != "1"


def _run_stage(cmd: list[str] | Callable[[], None], env: dict[str, str]) -> int:
    try:
        if callable(cmd):
            cmd()
            return 0
        return subprocess.run(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL).returncode
    except Failure as exc:
        print(f"dev.py: {exc}", file=sys.stderr)
        return 1


def _stage_failed(name: str, status: int) -> int:
    if status == 5 and name == "pytest":
        print("\ndev.py test: FAILED at stage 'pytest': no tests ran (exit status 5).", file=sys.stderr)
    else:
        print(f"\ndev.py test: FAILED at stage '{name}' (exit status {status}).", file=sys.stderr)
    return 1


def cmd_test(args: list[str]) -> int:
    setup(want_tools=True)
    python = str(bin_path(VENV, "python"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    stages: list[tuple[str, list[str] | Callable[[], None]]] = [
        ("ruff", [str(bin_path(VENV, "ruff")), "check", "."]),
        ("import contracts", [str(bin_path(VENV, "lint-imports")), "--no-cache", "--no-logo"]),
        # Strict for domain, storage and report, looser for ui (pyproject.toml's [tool.mypy]).
        ("mypy", [str(bin_path(VENV, "mypy"))]),
        ("pytest", [python, "-m", "pytest", "-p", "no:cacheprovider", *args]),
    ]
    checks = ["wheel"]
    # The standalone app (packaging/): built and used on Linux, about a minute. COPROD_SKIP_BUNDLE=1
    # leaves it out of a quick local run; `python3 dev.py bundle` runs it alone.
    if sys.platform.startswith("linux") and os.environ.get("COPROD_SKIP_BUNDLE") != "1":
        checks.append("bundle")
    total = len(stages) + len(checks)
    started = time.monotonic()
    beside: subprocess.Popen[bytes] | None = None
    log = Path(tempfile.mkdtemp(prefix="coprod-checks-")) / "checks.log"
    try:
        for number, (name, cmd) in enumerate(stages, 1):
            if name == "pytest" and _checks_beside():
                # Started now, so that what they print never mixes with pytest's lines.
                with log.open("wb") as out:
                    beside = subprocess.Popen(
                        [sys.executable, str(ROOT / "dev.py"), "_checks", *checks],
                        cwd=ROOT,
                        stdin=subprocess.DEVNULL,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                heading(f"{number}/{total} {name} (the {' and '.join(checks)} checks run beside it)")
            else:
                heading(f"{number}/{total} {name}")
            stage_started = time.monotonic()
            status = _run_stage(cmd, env)
            if status != 0:
                return _stage_failed(name, status)
            say(f"{name} passed ({time.monotonic() - stage_started:.0f} s).")
        if beside is None:
            status = _run_stage(lambda: _run_checks(checks, len(stages) + 1, total), env)
            if status != 0:
                return _stage_failed(" and ".join(checks) + " checks", status)
        else:
            heading(f"{len(stages) + 1}-{total}/{total} {' and '.join(checks)} checks (run beside pytest)")
            status = beside.wait()
            beside = None
            print(log.read_text(encoding="utf-8", errors="replace"), end="", flush=True)
            if status != 0:
                return _stage_failed(" and ".join(checks) + " checks", status)
    finally:
        if beside is not None:  # pytest failed or was stopped: the checks are not wanted
            with contextlib.suppress(ProcessLookupError):
                if hasattr(os, "killpg"):
                    os.killpg(beside.pid, signal.SIGTERM)  # with PyInstaller and pip under it
                else:
                    beside.terminate()
            beside.wait()
        shutil.rmtree(log.parent, ignore_errors=True)
    print(f"\ndev.py test: all {total} stages passed in {time.monotonic() - started:.0f} s.")
    return 0


def _run_checks(checks: list[str], first: int = 0, total: int = 0) -> None:
    """The wheel and bundle checks named, one after the other; headed "N/total" from `first`."""
    for number, check in enumerate(checks, first):
        if check not in CHECKS:
            raise Failure(f"unknown check {check!r}")
        heading(f"{number}/{total} {check} check" if total else f"{check} check")
        stage_started = time.monotonic()
        CHECKS[check]()
        say(f"{check} check passed ({time.monotonic() - stage_started:.0f} s).")


def cmd_checks(args: list[str]) -> int:
    """What `test` runs beside pytest: `_run_checks` in a process of its own."""
    _run_checks(args)
    return 0


def cmd_wheel(args: list[str]) -> int:
    setup()
    check_wheel()
    return 0


def cmd_bench(args: list[str]) -> int:
    runner = ROOT / "benchmarks" / "run.py"
    if not runner.exists():
        say("the benchmarks are not there yet (benchmarks/run.py does not exist).")
        return 1
    setup()
    return subprocess.run([str(bin_path(VENV, "python")), str(runner), *args], cwd=ROOT).returncode


def cmd_translations(args: list[str]) -> int:
    """Extract, update and compile the catalogues (tools/translations.py, docs/translating.md)."""
    setup()
    runner = ROOT / "tools" / "translations.py"
    return subprocess.run([str(bin_path(VENV, "python")), str(runner), *args], cwd=ROOT).returncode


# --------------------------------------------------------------------------- wheel check

# Not copied into the build: local state that a fresh clone would not have.
BUILD_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    "*.pyc",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    ".import_linter_cache",
    "shots",
    "out",
)


def check_wheel() -> None:
    """Build the wheel, install it in a new venv and use it from outside the repository.

    Proves that an installed app (not only an editable install) finds its code and resources.
    Builds from a copy of the work tree, so stale `build/` files never reach the wheel and the
    repository is left as it was.
    """
    tmp = Path(tempfile.mkdtemp(prefix="coprod-wheel-"))
    started = time.monotonic()

    def step(message: str) -> None:
        say(f"[{time.monotonic() - started:4.0f} s] {message}")

    shutil.copytree(ROOT, tmp / "src", ignore=BUILD_IGNORE)
    _run_checked(
        [str(bin_path(VENV, "python")), "-m", "build", "--wheel", "--outdir", str(tmp / "dist"), "."],
        cwd=tmp / "src",
        what="building the wheel",
    )
    wheels = sorted((tmp / "dist").glob("*.whl"))
    if len(wheels) != 1:
        raise Failure(f"expected one wheel in {tmp / 'dist'}, found {len(wheels)}.")
    wheel = wheels[0]
    version = wheel.name.split("-")[1]
    step(f"built {wheel.name}")

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    wanted = ["coprod_desktop/__init__.py", "coprod_desktop/resources/templates/default.toml"]
    resources = tmp / "src" / "resources"
    # Every file in resources/ must ship: the installed app finds them through importlib.resources.
    wanted += [
        f"coprod_desktop/resources/{path.relative_to(resources).as_posix()}"
        for path in sorted(resources.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    ]
    lacking = [name for name in wanted if name not in names]
    if lacking:
        raise Failure(f"the wheel lacks {', '.join(lacking)}.")
    tops = {name.split("/")[0] for name in names}
    stray = sorted(t for t in tops if t != "coprod_desktop" and not t.endswith(".dist-info"))
    if stray:
        raise Failure(f"the wheel installs unexpected top-level names: {', '.join(stray)}.")
    if not any(n.endswith("/LICENSE") and ".dist-info/" in n for n in names):
        raise Failure("the wheel carries no LICENSE file.")
    step("wheel holds the package, every file of resources/ and the licence")

    venv = tmp / "venv"
    make_venv(venv)
    pip_install(venv, str(wheel))
    step("installed the wheel in a new venv")

    # From the temporary folder, with nothing pointing at the repository.
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    env.update(PYTHONNOUSERSITE="1", PYTHONSAFEPATH="1", QT_QPA_PLATFORM="offscreen")
    app = str(bin_path(venv, "coprod-desktop"))
    where = _run_checked(
        [str(bin_path(venv, "python")), "-c", "import coprod_desktop; print(coprod_desktop.__file__)"],
        cwd=tmp,
        env=env,
        what="importing coprod_desktop",
    ).strip()
    if not Path(where).resolve().is_relative_to(venv.resolve()):
        raise Failure(f"the new venv imported coprod_desktop from {where}, not from the wheel.")
    shown = _run_checked([app, "--version"], cwd=tmp, env=env, what="coprod-desktop --version").strip()
    if version not in shown:
        raise Failure(f"coprod-desktop --version printed {shown!r}, expected version {version}.")
    sample = tmp / "sample.coprod"
    _run_checked([app, "demo", str(sample)], cwd=tmp, env=env, what="coprod-desktop demo")
    report = _run_checked([app, "check", str(sample)], cwd=tmp, env=env, what="coprod-desktop check")
    if "sound" not in report:
        raise Failure(f"coprod-desktop check did not call the sample sound:\n{report}")
    step(f"installed app runs: {shown}; demo written; check says: {report.splitlines()[0]}")
    shutil.rmtree(tmp, ignore_errors=True)


def _run_checked(cmd: list[str], cwd: Path, what: str, env: dict[str, str] | None = None) -> str:
    try:
        done = subprocess.run(
            cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300
        )
    except subprocess.TimeoutExpired:
        raise Failure(f"{what} took more than 300 s; stopped it (files kept in {cwd}).") from None
    if done.returncode != 0:
        print(done.stdout[-4000:], end="", file=sys.stderr)
        print(done.stderr[-4000:], end="", file=sys.stderr)
        raise Failure(f"{what} failed (exit status {done.returncode}); files kept in {cwd}.")
    return done.stdout


# --------------------------------------------------------------------------- bundle (packaging/bundle.py)


def _bundle() -> Any:
    """packaging/bundle.py, loaded on demand and bound to this module's helpers."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("coprod_bundle", ROOT / "packaging" / "bundle.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.bind(sys.modules[__name__])
    return module


def check_bundle(runs: int = 10) -> None:
    _bundle().check_bundle(runs)


def cmd_bundle(args: list[str]) -> int:
    runs = 10
    if args[:1] == ["--runs"] and len(args) == 2 and args[1].isdigit() and int(args[1]) > 0:
        runs = int(args[1])
    elif args:
        raise Failure("usage: python3 dev.py bundle [--runs N]  (N start-ups of each app to time; 10)")
    setup()
    check_bundle(runs)
    return 0


# --------------------------------------------------------------------------- main

COMMANDS = {
    "run": cmd_run,
    "test": cmd_test,
    "wheel": cmd_wheel,
    "bench": cmd_bench,
    "bundle": cmd_bundle,
    "translations": cmd_translations,
    "_checks": cmd_checks,  # internal: what `test` runs beside pytest
}
CHECKS: dict[str, Callable[[], None]] = {"wheel": check_wheel, "bundle": check_bundle}


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__.strip().split("\n\n")[0] + "\n\n" + __doc__.strip().split("\n\n")[1])
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command not in COMMANDS:
        print(f"dev.py: unknown command {command!r}; see python3 dev.py --help", file=sys.stderr)
        return 2
    if sys.version_info < MIN_PYTHON:
        print(
            f"dev.py: coprod-desktop needs Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer; this is "
            f"{sys.version.split()[0]} ({sys.executable}). Run dev.py with a newer python3.",
            file=sys.stderr,
        )
        return 1
    try:
        return COMMANDS[command](rest)
    except Failure as exc:
        print(f"dev.py: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("dev.py: stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
