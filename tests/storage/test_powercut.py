"""Power cuts, modelled by the fault-injection shim (tests/storage/faults.py).

A power cut loses every change to a folder that was not followed by an fsync of
that folder. These tests make an edit in a child process, let it acknowledge the
edit, kill it, bring back whatever the cut would bring back, and reopen.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coprod_desktop.domain.model import Note, Session, WorkshopInfo
from coprod_desktop.storage.sessionfile import SessionFile

from .faults import build_shim, kill_during_stream, power_cut, run_faulty


@pytest.fixture(scope="module")
def shim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_shim(tmp_path_factory.mktemp("shim"))


EDIT = """
import os, sys
from pathlib import Path
from coprod_desktop.domain.model import Note
from coprod_desktop.storage.sessionfile import Change, SessionFile
opened = SessionFile.open(Path(sys.argv[1]))
for number in range(int(sys.argv[2])):
    opened.write([Change(None, Note(id=f"acked-{number}", text="acknowledged on screen"))])
print("saved", flush=True)
os._exit(0)  # the plug is pulled: no close, no clean-up
"""


def test_the_shim_models_a_lost_unlink(shim: Path, tmp_path: Path) -> None:
    # The model itself: an unlink that is never followed by a folder sync comes back.
    victim = tmp_path / "victim.txt"
    victim.write_text("still here")
    result = run_faulty(shim, tmp_path, f"import os; os.unlink({str(victim)!r})", power_cut=True)
    assert result.returncode == 0, result.stderr
    assert not victim.exists()
    assert power_cut(tmp_path) == ["unlink victim.txt"]
    assert victim.read_text() == "still here"


@pytest.mark.parametrize("edits", [1, 5])
def test_an_acknowledged_edit_survives_a_power_cut(shim: Path, tmp_path: Path, edits: int) -> None:
    path = tmp_path / "session.coprod"
    SessionFile.create(path, Session(info=WorkshopInfo(title="Before the cut"))).close()
    code = EDIT.replace("sys.argv[1]", repr(str(path))).replace("sys.argv[2]", repr(str(edits)))
    result = run_faulty(shim, tmp_path, code, power_cut=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "saved"
    undone = power_cut(tmp_path)
    # Nothing of the session's commits was left to the mercy of the folder.
    assert not [u for u in undone if "journal" in u], undone
    with SessionFile.open(path) as reopened:
        loaded = reopened.load()
    assert loaded.info.title == "Before the cut"
    for number in range(edits):
        assert loaded.get(Note, f"acked-{number}") is not None, f"edit {number} was rolled back"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["session.coprod"]


STREAM = """
import sys
from pathlib import Path
from coprod_desktop.domain.model import Note
from coprod_desktop.storage.sessionfile import Change, SessionFile
opened = SessionFile.open(Path(sys.argv[1]))
number = 0
while number < 20000:  # bounded, should the parent never kill it
    opened.write([Change(None, Note(id=f"n{number}", text="x" * (number % 700)))])
    print(number, flush=True)  # acknowledged: the screen would now show it saved
    number += 1
"""


@pytest.mark.parametrize("trial", range(3))
def test_kill_9_during_a_stream_of_edits_loses_no_acknowledged_edit(tmp_path: Path, trial: int) -> None:
    path = tmp_path / "stream.coprod"
    SessionFile.create(path, Session()).close()
    acknowledged = kill_during_stream(path, STREAM, trial)
    with SessionFile.open(path) as reopened:
        loaded = reopened.load()
    assert acknowledged >= 5
    missing = [n for n in range(acknowledged + 1) if loaded.get(Note, f"n{n}") is None]
    assert missing == []
