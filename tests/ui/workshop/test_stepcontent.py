"""The step content's table of tools: every kind has a tool in both forms, made lazily."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QWidget

from coprod_desktop.domain.model import StepKind
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.document import SessionDocument
from coprod_desktop.ui.workshop.stepcontent import TOOLS, StepContentWidget, _tool_factories

REPO = Path(__file__).resolve().parents[3]


def test_every_tool_kind_makes_its_tool_in_both_forms(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document = SessionDocument.create(tmp_path / "t.coprod", load_builtin_template())
    try:
        factories = _tool_factories()
        for kind in TOOLS:
            for audience in (False, True):
                tool = factories[kind](document, audience)
                qtbot.addWidget(tool)
                assert isinstance(tool, QWidget), kind
                assert type(tool).__module__.startswith("coprod_desktop.ui.steps."), kind
        ladder_room = factories[StepKind.LADDER](document, True)
        qtbot.addWidget(ladder_room)
        assert type(ladder_room).__name__ == "LadderRoomWidget"
        content = StepContentWidget(document, audience=True)
        qtbot.addWidget(content)
        assert content.tool(StepKind.WELCOME) is None
    finally:
        document.close()


def test_opening_on_the_welcome_step_imports_no_tool(tmp_path: Path) -> None:
    """Start-up pays for the step shown only: no matrix, canvas or reportlab yet."""
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from coprod_desktop.storage.templates import load_builtin_template\n"
        "from coprod_desktop.ui.shell.application import make_application\n"
        "from coprod_desktop.ui.document import SessionDocument\n"
        "from coprod_desktop.ui.workshop.stepcontent import StepContentWidget\n"
        "app = make_application()\n"
        "document = SessionDocument.create(Path(sys.argv[1]), load_builtin_template())\n"
        "both = StepContentWidget(document), StepContentWidget(document, audience=True)\n"
        "app.processEvents()\n"
        "heavy = ('coprod_desktop.ui.steps.', 'reportlab')\n"
        "print('LOADED=' + ','.join(sorted(m for m in sys.modules if m.startswith(heavy))))\n"
        "document.close()\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO), HOME=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "s.coprod")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded = next(line for line in done.stdout.splitlines() if line.startswith("LOADED="))
    assert loaded == "LOADED=", loaded
