"""The standalone build and its check: `python3 dev.py bundle` and stage 5 of `python3 dev.py test`.

Builds the one-folder app with PyInstaller (`packaging/coprod-desktop.spec`) in its own virtual
environment and uses the result as a person would. Standard library only; `dev.py` loads this file
and lends it its helpers (`bind`), so the two share one way of saying things and running commands.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

# Lent by dev.py (see `bind`).
BUILD_IGNORE: Any = None
Failure: Any = None
ROOT = Path(__file__).resolve().parent.parent  # also lent by dev.py; the same folder
VENV: Any = None
_quiet: Any = None
_run_checked: Any = None
bin_path: Any = None
ensure_system: Any = None
make_venv: Any = None
pip_install: Any = None
say: Any = None
setup: Any = None


def bind(dev: ModuleType) -> None:
    """Take dev.py's helpers and settings, so this module needs nothing else."""
    for name in (
        "BUILD_IGNORE",
        "Failure",
        "ROOT",
        "VENV",
        "_quiet",
        "_run_checked",
        "bin_path",
        "ensure_system",
        "make_venv",
        "pip_install",
        "say",
        "setup",
    ):
        globals()[name] = getattr(dev, name)


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
    walls, cpus = _median_startups([program, source], sample, tmp, env, runs)
    (bundled, from_source), (bundled_cpu, source_cpu) = walls, cpus
    ratio = bundled_cpu / source_cpu
    step(
        f"start-up (--quit-after-startup, median of {runs}): bundle {bundled:.3f} s "
        f"(CPU {bundled_cpu:.3f} s), from source {from_source:.3f} s (CPU {source_cpu:.3f} s), "
        f"ratio {bundled / from_source:.2f} (CPU {ratio:.2f})"
    )
    # Judged by CPU time: on a busy machine the wall time is mostly waiting for a core.
    if ratio > BUNDLE_MAX_STARTUP_RATIO:
        raise Failure(
            f"the bundle's start-up takes {ratio:.2f}x the CPU time of a start from source; "
            "the target is 1.5x."
        )
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
) -> tuple[list[float], list[float]]:
    """Median wall time and median CPU time (user and system, of the process and what it
    waited for) of `PROGRAM SESSION --quit-after-startup` for each, runs interleaved."""
    import resource

    def cpu() -> float:
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        return used.ru_utime + used.ru_stime

    times: list[list[float]] = [[] for _ in programs]
    cpu_times: list[list[float]] = [[] for _ in programs]
    for attempt in range(runs + 1):  # the first round warms the disk cache and the kept code
        for index, program in enumerate(programs):
            began, began_cpu = time.perf_counter(), cpu()
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
                cpu_times[index].append(cpu() - began_cpu)
    return [statistics.median(t) for t in times], [statistics.median(t) for t in cpu_times]


def _tree_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _count_files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())
