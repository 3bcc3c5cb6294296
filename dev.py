#!/usr/bin/env python3
"""Set up and run coprod-desktop, or its whole test suite, on a fresh machine.

    python3 dev.py run [ARGS...]    set up, then start the app (ARGS go to coprod-desktop)
    python3 dev.py test [ARGS...]   set up, then ruff, import contracts, pytest (ARGS go to pytest),
                                    the wheel check and (on Linux) the bundle check
    python3 dev.py wheel            set up, then only the wheel check
    python3 dev.py bench [ARGS...]  set up, then run the benchmarks
    python3 dev.py bundle           set up, then build the standalone app (dist/coprod-desktop/) with
                                    PyInstaller and smoke-test it (packaging/README.md)

Setting up means: the Qt system libraries are there (installed with apt-get when missing and we
may), `.venv` exists, and `pip install -e '.[test]'` has run since pyproject.toml last changed.
Standard library only, so it runs before anything is installed. CI runs `python3 dev.py test`.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

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


def cmd_test(args: list[str]) -> int:
    setup(want_tools=True)
    python = str(bin_path(VENV, "python"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    stages: list[tuple[str, list[str] | Callable[[], None]]] = [
        ("ruff", [str(bin_path(VENV, "ruff")), "check", "."]),
        ("import contracts", [str(bin_path(VENV, "lint-imports")), "--no-cache", "--no-logo"]),
        ("pytest", [python, "-m", "pytest", "-p", "no:cacheprovider", *args]),
        ("wheel check", check_wheel),
    ]
    # The standalone app (packaging/): built and used on Linux, about 20-30 s. COPROD_SKIP_BUNDLE=1
    # leaves it out of a quick local run; `python3 dev.py bundle` runs it alone.
    if sys.platform.startswith("linux") and os.environ.get("COPROD_SKIP_BUNDLE") != "1":
        stages.append(("bundle check", check_bundle))
    started = time.monotonic()
    for number, (name, cmd) in enumerate(stages, 1):
        heading(f"{number}/{len(stages)} {name}")
        stage_started = time.monotonic()
        try:
            if callable(cmd):
                cmd()
                status = 0
            else:
                status = subprocess.run(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL).returncode
        except Failure as exc:
            print(f"dev.py: {exc}", file=sys.stderr)
            status = 1
        if status == 5 and name == "pytest":
            print(
                "\ndev.py test: FAILED at stage 'pytest': no tests ran (pytest exit status 5).",
                file=sys.stderr,
            )
            return 1
        if status != 0:
            print(f"\ndev.py test: FAILED at stage '{name}' (exit status {status}).", file=sys.stderr)
            return 1
        say(f"{name} passed ({time.monotonic() - stage_started:.0f} s).")
    print(f"\ndev.py test: all {len(stages)} stages passed in {time.monotonic() - started:.0f} s.")
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


# --------------------------------------------------------------------------- bundle (packaging/)

BUNDLE_VENV = ROOT / "build" / "bundle-venv"  # PyInstaller lives here, never in .venv
BUNDLE_STAMP = BUNDLE_VENV / ".coprod-bundle-installed"
BUNDLE_WORK = ROOT / "build" / "pyinstaller"
BUNDLE_DIST = ROOT / "dist"
BUNDLE_DIR = BUNDLE_DIST / "coprod-desktop"
BUNDLE_SPEC = ROOT / "packaging" / "coprod-desktop.spec"
BUNDLE_LINUX = ROOT / "packaging" / "linux"
PYINSTALLER = "pyinstaller>=6.10,<7"
# Part of the stamp, so that changing how we install remakes the build environment.
BUNDLE_RECIPE = f"pip install {PYINSTALLER} + app, pinned to .venv v1"
BUNDLE_MAX_MB = 200  # issue 7: the bundle <= 200 MB unpacked
BUNDLE_MAX_STARTUP_RATIO = 1.5  # issue 7: starts in <= 1.5x the time of the app run from source
# Programs the bundle build and its checks use, and the Debian packages that bring them.
BUNDLE_APT = {
    "objdump": "binutils",  # PyInstaller reads libraries' dependencies with it
    "strip": "binutils",
    "desktop-file-validate": "desktop-file-utils",
    "appstreamcli": "appstream",
    "update-mime-database": "shared-mime-info",
    "gio": "libglib2.0-bin",  # asks shared-mime-info what a .coprod file is, as a file manager does
    "Xvfb": "xvfb",  # a real X11 display for the bundle's window, through its own xcb plugin
}
SESSION_MAGIC = (b"SQLite format 3\x00", 68, bytes.fromhex("436F5072"))  # as in packaging/linux/*.xml


def cmd_bundle(args: list[str]) -> int:
    runs = 10
    if args[:1] == ["--runs"] and len(args) == 2 and args[1].isdigit() and int(args[1]) > 0:
        runs = int(args[1])
    elif args:
        raise Failure("usage: python3 dev.py bundle [--runs N]  (N start-ups of each app to time; 10)")
    setup()
    check_bundle(runs)
    return 0


def check_bundle(runs: int = 10) -> None:
    """Build the one-folder app with PyInstaller (packaging/coprod-desktop.spec), then use it.

    From outside the repository and offscreen, the bundled program writes the sample workshop,
    checks it, exports it as PDF and JSON, opens it and quits; a self-test mode of the bundle's
    launcher reports where the frozen app found its templates, fonts, styles and icons. Also
    validates the Linux desktop integration, installs it into a temporary home, and holds the
    bundle to the size and start-up targets of issue 7.
    """
    if not sys.platform.startswith("linux"):
        raise Failure("dev.py bundle builds the Linux app; for Windows and macOS see packaging/README.md.")
    started = time.monotonic()

    def step(message: str) -> None:
        say(f"[{time.monotonic() - started:4.0f} s] {message}")

    # The X11 libraries too, so that the bundle carries them for machines that lack them.
    ensure_system(want_xcb=True, want_tools=False)
    _ensure_debian_tools(BUNDLE_APT)
    _ensure_bundle_venv()
    step(f"build environment ready: {BUNDLE_VENV.relative_to(ROOT)}")

    log = BUNDLE_WORK.parent / "pyinstaller.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as stream:
        done = subprocess.run(
            [
                str(bin_path(BUNDLE_VENV, "python")),
                "-m",
                "PyInstaller",
                "--noconfirm",
                "--distpath",
                str(BUNDLE_DIST),
                "--workpath",
                str(BUNDLE_WORK),
                str(BUNDLE_SPEC),
            ],
            # Not from the repository: there `import coprod_desktop` finds the source tree, whose
            # resources/ is not inside the package, instead of the installed app.
            cwd=BUNDLE_WORK.parent,
            stdin=subprocess.DEVNULL,
            stdout=stream,
            stderr=subprocess.STDOUT,
        )
    if done.returncode != 0:
        print("".join(log.read_text(errors="replace").splitlines(keepends=True)[-30:]), file=sys.stderr)
        raise Failure(f"PyInstaller failed (exit status {done.returncode}); its log is {log}.")
    program = BUNDLE_DIR / "coprod-desktop"
    size = _tree_size(BUNDLE_DIR)
    step(f"built {program.relative_to(ROOT)}: {size / 1e6:.0f} MB in {_count_files(BUNDLE_DIR)} files")
    if size > BUNDLE_MAX_MB * 1e6:
        raise Failure(f"the bundle is {size / 1e6:.0f} MB, over the {BUNDLE_MAX_MB} MB target.")

    tmp = Path(tempfile.mkdtemp(prefix="coprod-bundle-"))
    env = _bundle_env(tmp)
    version = _source_version()
    shown = _run_checked([str(program), "--version"], cwd=tmp, env=env, what="the bundle's --version").strip()
    if shown != f"coprod-desktop {version}":
        raise Failure(f"the bundle's --version printed {shown!r}, expected 'coprod-desktop {version}'.")
    sample = tmp / "sample.coprod"
    _run_checked([str(program), "demo", str(sample)], cwd=tmp, env=env, what="the bundle's demo")
    head = sample.read_bytes()[:72]
    magic, offset, app_id = SESSION_MAGIC
    if not (head.startswith(magic) and head[offset : offset + 4] == app_id):
        raise Failure("the sample session's header does not match the MIME magic in packaging/linux.")
    said = _run_checked([str(program), "check", str(sample)], cwd=tmp, env=env, what="the bundle's check")
    if "is a sound coprod-desktop session" not in said:
        raise Failure(f"the bundle's check did not call the sample sound:\n{said}")
    step(f"{shown}: demo written, and check says it is sound")

    export_help = _run_checked([str(program), "export", "--help"], cwd=tmp, env=env, what="export --help")
    json_out, pdf_out = tmp / "sample.json", tmp / "sample.pdf"
    if "--pdf" in export_help:
        export = [str(program), "export", str(sample), "--json", str(json_out), "--pdf", str(pdf_out)]
        _run_checked(export, cwd=tmp, env=env, what="the bundle's export --pdf --json")
        pdf = pdf_out.read_bytes()
        # reportlab embeds a subset of each TrueType font it uses, named after the font file.
        if not pdf.startswith(b"%PDF-") or b"+DejaVuSans" not in pdf:
            raise Failure("the bundle's PDF does not embed the DejaVu Sans fonts from resources/fonts.")
        step(f"exported the sample as JSON and as a {len(pdf) // 1000} kB PDF with its fonts embedded")
    else:
        _run_checked(
            [str(program), "export", str(sample), "--json", str(json_out)],
            cwd=tmp,
            env=env,
            what="the bundle's export --json",
        )
        step("exported the sample as JSON (this app has no PDF export yet)")
    if not json_out.read_text(encoding="utf-8").lstrip().startswith("{"):
        raise Failure("the bundle's JSON export is not JSON.")

    _check_bundle_selftest(program, tmp, env)
    step("self-test: the frozen app finds its templates, fonts, style and icons inside the bundle")

    _run_checked(
        [str(program), str(sample), "--quit-after-startup"],
        cwd=tmp,
        env=env,
        what="the bundle opening the sample (--quit-after-startup)",
    )
    bad = subprocess.run(
        [str(program), "check", str(tmp / "missing.coprod")],
        cwd=tmp,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    if bad.returncode != 2 or "Traceback" in bad.stderr or len(bad.stderr.strip().splitlines()) != 1:
        raise Failure(f"the bundle should refuse a missing file in one sentence (status 2):\n{bad.stderr}")
    step("opened the sample window and quit; a missing file gets one sentence and status 2")
    _open_on_x11(program, sample, tmp, env)
    step("opened the sample in a real X11 window (Xvfb) through the bundled xcb plugin")

    _check_desktop_integration(tmp, sample)
    step("desktop file, AppStream metainfo and MIME type valid; install.sh installs and removes them")

    source = bin_path(VENV, "coprod-desktop")
    bundled, from_source = _median_startups([program, source], sample, tmp, env, runs)
    ratio = bundled / from_source
    step(
        f"start-up (--quit-after-startup, median of {runs}): bundle {bundled:.3f} s, "
        f"from source {from_source:.3f} s, ratio {ratio:.2f}"
    )
    if ratio > BUNDLE_MAX_STARTUP_RATIO:
        raise Failure(f"the bundle starts {ratio:.2f}x slower than from source; the target is 1.5x.")
    shutil.rmtree(tmp, ignore_errors=True)
    du = subprocess.run(["du", "-sh", str(BUNDLE_DIR)], capture_output=True, text=True).stdout.split()
    say(
        f"bundle ready in {time.monotonic() - started:.0f} s: {BUNDLE_DIR.relative_to(ROOT)}/ "
        f"({du[0] if du else f'{size / 1e6:.0f}M'}); run it as {program.relative_to(ROOT)}"
    )


def _ensure_debian_tools(tools: dict[str, str]) -> None:
    missing = sorted({package for tool, package in tools.items() if shutil.which(tool) is None})
    if not missing:
        return
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing]
    if shutil.which("apt-get") is None:
        raise Failure(f"this is not a Debian or Ubuntu machine; install {', '.join(missing)} and run again.")
    if os.geteuid() == 0:
        prefix: list[str] = []
    elif shutil.which("sudo") and _quiet(["sudo", "-n", "true"]) == 0:
        prefix = ["sudo", "-n"]
    else:
        raise Failure(
            f"installing {', '.join(missing)} needs root: run `sudo {' '.join(install)}`, then this again."
        )
    say(f"installing with apt-get: {' '.join(missing)}")
    wait_for_lock = ["-o", "DPkg::Lock::Timeout=300"]
    for cmd in (["apt-get", "update", "-q", *wait_for_lock], [*install, *wait_for_lock]):
        done = subprocess.run(
            [*prefix, "env", "DEBIAN_FRONTEND=noninteractive", *cmd],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            print((done.stdout + done.stderr)[-3000:], file=sys.stderr)
            raise Failure(f"`{' '.join(cmd[:2])}` failed (exit status {done.returncode}); see above.")
    still = sorted(tool for tool in tools if shutil.which(tool) is None)
    if still:
        raise Failure(f"still missing after apt-get install: {', '.join(still)}")


def _ensure_bundle_venv() -> None:
    """build/bundle-venv: PyInstaller, and the app installed as a wheel would install it.

    The app's dependencies are pinned to the versions in .venv (the ones the tests ran against).
    The app itself is reinstalled from a copy of the work tree on every build, so the bundle
    always holds the code as it is now, and only what pyproject.toml ships.
    """
    pip = [str(bin_path(VENV, "python")), "-m", "pip", "--disable-pip-version-check"]
    freeze = _run_checked([*pip, "freeze", "--exclude-editable"], cwd=ROOT, what="pip freeze in .venv")
    pins = "".join(line + "\n" for line in freeze.splitlines() if "==" in line)
    wanted = hashlib.sha256(
        BUNDLE_RECIPE.encode() + (ROOT / "pyproject.toml").read_bytes() + pins.encode()
    ).hexdigest()
    if not bin_path(BUNDLE_VENV, "python").exists():
        shutil.rmtree(BUNDLE_VENV, ignore_errors=True)
        say(f"creating {BUNDLE_VENV.relative_to(ROOT)} for PyInstaller")
        make_venv(BUNDLE_VENV)
    tmp = Path(tempfile.mkdtemp(prefix="coprod-bundle-src-"))
    try:
        shutil.copytree(ROOT, tmp / "src", ignore=BUILD_IGNORE)
        constraints = tmp / "constraints.txt"
        constraints.write_text(pins)
        have = BUNDLE_STAMP.read_text().strip() if BUNDLE_STAMP.exists() else ""
        if have != wanted:
            say("installing PyInstaller and the app's dependencies into the build environment")
            BUNDLE_STAMP.unlink(missing_ok=True)
            pip_install(BUNDLE_VENV, "-c", str(constraints), PYINSTALLER, str(tmp / "src"))
            BUNDLE_STAMP.write_text(wanted + "\n")
        else:
            pip_install(BUNDLE_VENV, "--no-deps", "--force-reinstall", str(tmp / "src"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    where = _run_checked(
        [str(bin_path(BUNDLE_VENV, "python")), "-c", "import coprod_desktop; print(coprod_desktop.__file__)"],
        cwd=Path(tempfile.gettempdir()),
        what="finding the installed app",
    )
    site = Path(where.strip()).parent
    # Every module of the work tree must be installed, or the bundle would miss it silently.
    lacking = sorted(
        path.relative_to(ROOT).parent.as_posix().replace("/", ".")
        for path in (ROOT / "coprod_desktop").rglob("*.py")
        if "__pycache__" not in path.parts and not (site / path.relative_to(ROOT / "coprod_desktop")).exists()
    )
    if lacking:
        raise Failure(
            "pip install . leaves out these packages, so the bundle would too: "
            f"{', '.join(sorted(set(lacking)))}. Add them to [tool.setuptools] packages in pyproject.toml."
        )


def _bundle_env(tmp: Path) -> dict[str, str]:
    """Offscreen, with settings in a temporary home, and nothing pointing at the repository."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k != "VIRTUAL_ENV"}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp / "home"),
        XDG_CONFIG_HOME=str(tmp / "home" / ".config"),
        XDG_DATA_HOME=str(tmp / "home" / ".local" / "share"),
        XDG_CACHE_HOME=str(tmp / "home" / ".cache"),
    )
    (tmp / "home").mkdir(exist_ok=True)
    return env


def _source_version() -> str:
    import re

    text = (ROOT / "coprod_desktop" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if not found:
        raise Failure("coprod_desktop/__init__.py has no __version__ line.")
    return found.group(1)


def _check_bundle_selftest(program: Path, tmp: Path, env: dict[str, str]) -> None:
    import json

    text = _run_checked(
        [str(program)],
        cwd=tmp,
        env=dict(env, COPROD_DESKTOP_BUNDLE_SELFTEST="1"),
        what="the bundle's self-test",
    )
    report = json.loads(text)
    problems = []
    if not report["frozen"] or not report["resources_inside_bundle"]:
        problems.append(f"resources found at {report['resources']}, not inside the bundle")
    if "default.toml" not in report["templates"]:
        problems.append(f"templates {report['templates']} lack default.toml")
    if len(report["fonts"]) != 4:
        problems.append(f"fonts found: {report['fonts']}")
    if not report["style"]:
        problems.append("styles/app.qss missing")
    if not all(report["versions"].values()):
        problems.append(f"package metadata missing, so About cannot show versions: {report['versions']}")
    expected = {
        "coprod-desktop.svg": [512, 512],
        "coprod-desktop-16.png": [16, 16],
        "coprod-desktop-512.png": [512, 512],
        "QIcon(svg) at 48": [48, 48],
    }
    for name, size in expected.items():
        if report["icons"].get(name) != size:
            problems.append(f"icon {name} read as {report['icons'].get(name)}, not {size}")
    if report["icons"].get("coprod-desktop.ico", [0])[0] <= 0:
        problems.append("Qt cannot read coprod-desktop.ico")
    for fmt in ("svg", "ico"):
        if fmt not in report["image_formats"]:
            problems.append(f"no Qt image plugin for {fmt}")
    for plugin in ("platforms/libqxcb.so", "platforms/libqwayland.so", "platforms/libqoffscreen.so"):
        if plugin not in report["qt_plugins"]:
            problems.append(f"Qt plugin {plugin} missing")
    if problems:
        raise Failure("the bundle's self-test found problems: " + "; ".join(problems) + f"\n{text}")


def _open_on_x11(program: Path, sample: Path, tmp: Path, env: dict[str, str]) -> None:
    """`PROGRAM SAMPLE --quit-after-startup` on an X server of our own (Xvfb), not offscreen."""
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        display = server.stdout.readline().strip()  # Xvfb writes its display number once ready
        if not display.isdigit():
            raise Failure("Xvfb did not start, so the bundle's X11 window could not be tried.")
        x11 = {k: v for k, v in env.items() if k not in {"QT_QPA_PLATFORM", "WAYLAND_DISPLAY"}}
        x11.update(DISPLAY=f":{display}", QT_QPA_PLATFORM="xcb")
        done = subprocess.run(
            [str(program), str(sample), "--quit-after-startup"],
            cwd=tmp,
            env=x11,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise Failure(
                f"the bundle could not open a window on X11 (status {done.returncode}):\n{done.stderr}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


def _check_desktop_integration(tmp: Path, sample: Path) -> None:
    desktop = BUNDLE_LINUX / "coprod-desktop.desktop"
    metainfo = BUNDLE_LINUX / "io.github.coprod_desktop.metainfo.xml"
    _run_checked(["desktop-file-validate", str(desktop)], cwd=tmp, what="desktop-file-validate")
    _run_checked(
        ["appstreamcli", "validate", "--no-net", "--pedantic", str(metainfo)],
        cwd=tmp,
        what="appstreamcli validate",
    )
    # The bundle carries the integration files; its install.sh puts them in a temporary home.
    home = tmp / "integration"
    env = dict(os.environ, XDG_DATA_HOME=str(home / "share"), XDG_CONFIG_HOME=str(home / "config"))
    script = BUNDLE_DIR / "desktop-integration" / "install.sh"
    _run_checked([str(script)], cwd=tmp, env=env, what="desktop-integration/install.sh")
    installed = home / "share" / "applications" / "coprod-desktop.desktop"
    if f'Exec="{BUNDLE_DIR / "coprod-desktop"}" %f' not in installed.read_text(encoding="utf-8"):
        raise Failure(f"install.sh did not point the menu entry at the bundle:\n{installed.read_text()}")
    _run_checked(["desktop-file-validate", str(installed)], cwd=tmp, what="validating the installed entry")
    # Ask shared-mime-info, as a file manager does, what the sample is: by name, and by content.
    env["XDG_DATA_DIRS"] = f"{home / 'share'}:/usr/local/share:/usr/share"
    renamed = tmp / "renamed-session.db"
    shutil.copyfile(sample, renamed)
    for path in (sample, renamed):
        said = _run_checked(
            ["gio", "info", "-a", "standard::content-type", str(path)], cwd=tmp, env=env, what="gio info"
        )
        if "application/x-coprod-session" not in said:
            raise Failure(f"shared-mime-info does not see {path.name} as a coprod session:\n{said}")
    _run_checked([str(script), "--uninstall"], cwd=tmp, env=env, what="install.sh --uninstall")
    if installed.exists():
        raise Failure("install.sh --uninstall left the menu entry behind.")


def _median_startups(
    programs: list[Path], session: Path, tmp: Path, env: dict[str, str], runs: int
) -> list[float]:
    """Median wall time of `PROGRAM SESSION --quit-after-startup` for each, runs interleaved."""
    import statistics

    times: list[list[float]] = [[] for _ in programs]
    for attempt in range(runs + 1):  # the first round only warms the disk cache
        for index, program in enumerate(programs):
            began = time.perf_counter()
            done = subprocess.run(
                [str(program), str(session), "--quit-after-startup"],
                cwd=tmp,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
            )
            elapsed = time.perf_counter() - began
            if done.returncode != 0:
                problem = done.stderr.decode(errors="replace")
                raise Failure(f"{program} {session.name} --quit-after-startup failed:\n{problem}")
            if attempt:
                times[index].append(elapsed)
    return [statistics.median(t) for t in times]


def _tree_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _count_files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- main

COMMANDS = {"run": cmd_run, "test": cmd_test, "wheel": cmd_wheel, "bench": cmd_bench, "bundle": cmd_bundle}


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
