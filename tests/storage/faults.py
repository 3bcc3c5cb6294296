"""Fault injection for tests: power cuts and full disks, by an LD_PRELOAD shim.

The shim (faultshim.c, compiled once per test session with the system C
compiler) runs inside a child Python process and models, for one folder:

- a power cut: a folder change (unlink, rename) is lost unless the folder was
  fsynced after it; `power_cut` puts back what the cut would bring back;
- a full disk: writes fail with ENOSPC once a byte budget is spent.

Tests skip, saying why, where there is no C compiler or LD_PRELOAD (not Linux).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SOURCE = Path(__file__).with_name("faultshim.c")
REPO = Path(__file__).resolve().parents[2]
_KEEPER = re.compile(r"^(?P<orig>.+)\.~cut-(?P<kind>unlink|over|new)-(?P<pid>\d+)-(?P<n>\d+)$")


def build_shim(folder: Path) -> Path:
    if not sys.platform.startswith("linux"):
        pytest.skip("the fault-injection shim uses LD_PRELOAD and /proc, which only Linux has")
    compiler = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if compiler is None:
        pytest.skip("no C compiler (cc) to build the fault-injection shim; install gcc to run this test")
    out = folder / "faultshim.so"
    result = subprocess.run(
        [compiler, "-shared", "-fPIC", "-O1", "-o", str(out), str(SOURCE), "-ldl"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"the fault-injection shim did not compile here: {result.stderr.strip()[:200]}")
    return out


def run_faulty(
    shim: Path,
    folder: Path,
    code: str,
    *,
    power_cut: bool = False,
    enospc_after: int | None = None,
    log: Path | None = None,
    args: tuple[str, ...] = (),
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run Python `code` (or `-m coprod_desktop ARGS` when code is empty) under the shim."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = str(REPO)
    env["LD_PRELOAD"] = str(shim)
    env["COPROD_FAULT_DIR"] = str(folder.resolve())
    if power_cut:
        env["COPROD_FAULT_POWERCUT"] = "1"
    if enospc_after is not None:
        env["COPROD_FAULT_ENOSPC_AFTER"] = str(enospc_after)
    if log is not None:
        env["COPROD_FAULT_LOG"] = str(log)
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "coprod_desktop", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout, check=False)


def power_cut(folder: Path) -> list[str]:
    """Bring back every folder change that was never made durable; returns what was undone."""
    undone: list[str] = []
    keepers = []
    for item in folder.iterdir():
        found = _KEEPER.match(item.name)
        if found:
            keepers.append((int(found["pid"]), int(found["n"]), item, found["orig"], found["kind"]))
    for _, _, item, orig, kind in sorted(keepers, reverse=True):  # the latest change first
        target = item.with_name(orig)
        if kind == "new":
            target.unlink(missing_ok=True)
            item.unlink()
        else:
            os.replace(item, target)
        undone.append(f"{kind} {orig}")
    return undone


def kill_during_stream(path: Path, script: str, trial: int) -> int:
    """Run `script` (given the session's path) in a child that prints each edit's number once it
    is acknowledged, let it stream for a while (longer each trial, and at least 5 edits), kill it
    with SIGKILL and return the last number acknowledged. The child's own loop is bounded, so it
    ends even if the test fails before the kill."""
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert child.stdout is not None
    acknowledged = -1
    deadline = time.monotonic() + 0.5 + 0.4 * trial
    while time.monotonic() < deadline or acknowledged < 5:
        line = child.stdout.readline()
        if not line:
            break
        acknowledged = int(line)
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    return acknowledged
