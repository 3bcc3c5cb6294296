"""What the real start-up with a session leaves for later (issue 13's start-up target).

One fresh process runs `coprod-desktop FILE --quit-after-startup` as the command does and,
as it exits, lists what it imported: what only a menu, a dialog or another screen needs waits
for it, and the builtin compile() that shiboken6's import used with kept code is the real
one again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]

PROBE = """
import builtins, json, os, sys
real_exit = os._exit
def leave(status):
    print("SEEN=" + json.dumps({
        "status": status,
        "modules": sorted(sys.modules),
        "compile": type(builtins.compile).__name__,
    }), flush=True)
    real_exit(status)
os._exit = leave
from coprod_desktop.app import main
main([sys.argv[1], "--quit-after-startup"])
"""

# Imported only when first needed, never on the way to the first frame of a session.
LATER = (
    "reportlab",
    "coprod_desktop.report",
    "coprod_desktop.ui.steps.canvas",
    "coprod_desktop.ui.steps.matrix",
    "coprod_desktop.ui.shell.startwidget",  # the start screen, once the session is closed
    "coprod_desktop.ui.shell.pdfexport",  # File > Export PDF
    "coprod_desktop.ui.shell.settingsdialog",
    "coprod_desktop.ui.shell.templatedialog",
    "coprod_desktop.ui.shell.aboutdialog",
)


@pytest.fixture(scope="module")
def seen(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("startup")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=str(REPO),
        PYTHONPYCACHEPREFIX=str(tmp / "pycache"),
        XDG_CONFIG_HOME=str(tmp / "config"),
        XDG_DATA_HOME=str(tmp / "data"),
        HOME=str(tmp),
    )
    sample = tmp / "sample.coprod"
    subprocess.run(
        [sys.executable, "-m", "coprod_desktop", "demo", str(sample)],
        env=env,
        cwd=tmp,
        check=True,
        capture_output=True,
    )
    found: dict[str, object] = {}
    for _ in range(2):  # the second start is the usual one: code kept by the first
        done = subprocess.run(
            [sys.executable, "-c", PROBE, str(sample)],
            env=env,
            cwd=tmp,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        line = next(line for line in done.stdout.splitlines() if line.startswith("SEEN="))
        found = json.loads(line.removeprefix("SEEN="))
    return found


def test_the_session_opens_and_the_app_exits_cleanly(seen: dict[str, object]) -> None:
    assert seen["status"] == 0
    modules = seen["modules"]
    assert isinstance(modules, list)
    assert "coprod_desktop.ui.workshop.workshopwidget" in modules
    assert "shibokensupport.signature.loader" in modules  # shiboken6 set up from kept code


@pytest.mark.parametrize("later", LATER)
def test_what_waits_for_first_use_is_not_imported_at_start_up(seen: dict[str, object], later: str) -> None:
    modules = seen["modules"]
    assert isinstance(modules, list)
    assert [m for m in modules if m == later or m.startswith(later + ".")] == []


def test_the_builtin_compile_is_the_real_one_after_start_up(seen: dict[str, object]) -> None:
    assert seen["compile"] == "builtin_function_or_method"
