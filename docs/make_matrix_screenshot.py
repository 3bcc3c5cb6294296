"""Pictures of the assessment matrix, to look at before a workshop does.

Run: .venv/bin/python docs/make_matrix_screenshot.py [OUT_DIR]

Renders offscreen into OUT_DIR (default shots/, not committed):

- matrix-audience-1920x1080.png: the projected view, 8 criteria x 4 stages, 15
  participants, every box revealed, with the placement panel;
- matrix-audience-blind-1920x1080.png: the same before any reveal;
- matrix-audience-grey-1920x1080.png: the projected view in greyscale, as a
  black-and-white printout or a washed-out projector shows it;
- matrix-audience-roles-1920x1080.png: the boxes showing the role split;
- matrix-projected-1920x1080.png (and -roles): the matrix inside the step as the
  audience window shows it, with the step's title and lead-in above;
- matrix-console-1280x720.png: the facilitator's window, named mode;
- matrix-console-hands-1280x720.png and matrix-console-ballot-1280x720.png: the
  show-of-hands entry and a secret ballot in progress.

Uses a throwaway session in a temporary folder; a real user's files and settings
are never touched.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

EXTRA_CRITERIA = (
    "Say over money and resources",
    "Roles shared: members lead too",
)
PEOPLE = (
    ("Agnieszka Wójcik", "uses_services"),
    ("Νίκος Παπαδόπουλος", "uses_services"),
    ("Nguyễn Thị Hương", "carer"),
    ("Ольга Смирнова", "uses_services"),
    ("Siobhán Ní Bhriain", "community"),
    ("Kwame Mensah", "carer"),
    ("Fatima Al-Sayed", "community"),
    ("Tomás Ó Ceallaigh", "uses_services"),
    ("José Martínez", "frontline"),
    ("Priya Raman", "frontline"),
    ("Jürgen Müller", "manager"),
    ("Ayşe Yılmaz", "researcher"),
    ("Aroha Ngata", "manager"),
    ("Lena Berg", "frontline"),
    ("Samuel Osei", "manager"),
)


def build_session():  # type: ignore[no-untyped-def]
    from coprod_desktop.domain.model import (
        Criterion,
        Participant,
        Reveal,
        RoleGroup,
        Vote,
        VotingMode,
        new_id,
        replace,
    )
    from coprod_desktop.domain.voting import cell_question
    from coprod_desktop.storage.templates import load_builtin_template

    rng = random.Random(19)
    session = load_builtin_template()
    for title in EXTRA_CRITERIA:
        session.put(Criterion(id=new_id(), title=title, position=session.next_position(Criterion)))
    people = [
        Participant(id=f"p{i:02d}", name=name, role=RoleGroup(role), position=i)
        for i, (name, role) in enumerate(PEOPLE)
    ]
    for person in people:
        session.put(person)
    session.put(replace(session.matrix, mode=VotingMode.NAMED))
    top = len(session.matrix.scale) - 1
    # Design is strong, delivery and planning weak; staff rate higher than members.
    stage_base = (1.2, 3.0, 1.4, 1.8)
    for row, criterion in enumerate(session.criteria):
        for column, stage in enumerate(session.stages):
            question = cell_question(criterion.id, stage.id)
            for person in people:
                lift = 0.8 if person.role.professional else -0.4
                value = stage_base[column] + lift - 0.08 * row + rng.uniform(-0.9, 0.9)
                if row == 2 and column == 2:  # one box where the room is split
                    value = 0.0 if person.role.lived_experience else 4.0
                session.put(Vote(question, person.id, str(min(top, max(0, round(value))))))
            session.put(Reveal(question))
    return session


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "shots")
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="coprod-matrix-shots-"))
    os.environ["XDG_CONFIG_HOME"] = str(scratch / "config")
    os.environ["XDG_DATA_HOME"] = str(scratch / "data")
    os.environ["HOME"] = str(scratch / "home")

    from PySide6.QtCore import QStandardPaths
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication, QMainWindow

    QStandardPaths.setTestModeEnabled(True)
    from coprod_desktop.domain.model import Reveal, VotingMode, replace
    from coprod_desktop.ui.document import SessionDocument
    from coprod_desktop.ui.shell.application import make_application
    from coprod_desktop.ui.steps.matrix.matrixwidget import MatrixWidget

    app = make_application()
    document = SessionDocument.create(scratch / "matrix.coprod", build_session())

    frames: dict[int, QMainWindow] = {}

    def shoot(widget, name: str, width: int, height: int) -> Path:  # type: ignore[no-untyped-def]
        # In a main window, as in the app, so the app's style gives it its background.
        frame = frames.get(id(widget))
        if frame is None:
            frame = frames[id(widget)] = QMainWindow()
            frame.setCentralWidget(widget)
        frame.resize(width, height)
        frame.show()
        for _ in range(3):
            QApplication.processEvents()
        for matrix in widget.findChildren(MatrixWidget) + (
            [widget] if isinstance(widget, MatrixWidget) else []
        ):
            matrix.settle()
        for _ in range(3):
            QApplication.processEvents()
        path = out / f"{name}-{width}x{height}.png"
        frame.grab().save(str(path))
        return path

    audience = MatrixWidget(document, audience=True)
    shot = shoot(audience, "matrix-audience", 1920, 1080)
    grey = QImage(str(shot)).convertToFormat(QImage.Format.Format_Grayscale8)
    grey.save(str(out / "matrix-audience-grey-1920x1080.png"))

    # As the projector shows it: the step's title and lead-in above the matrix.
    from coprod_desktop.domain.model import StepKind
    from coprod_desktop.ui.workshop.stepcontent import StepContentWidget

    matrix_step = next(step for step in document.session.steps if step.kind is StepKind.MATRIX)
    document.set_current_step(matrix_step.id)
    projected = StepContentWidget(document, audience=True)
    projected.register_tool(StepKind.MATRIX, lambda doc, is_audience: MatrixWidget(doc, audience=is_audience))
    shoot(projected, "matrix-projected", 1920, 1080)

    console = MatrixWidget(document)
    console.choose_person("p03")
    console.view.setCurrentIndex(console.model.index(2, 2))
    shoot(console, "matrix-console", 1280, 720)
    console.tabs.setCurrentIndex(1)
    shoot(console, "matrix-console-placement", 1280, 720)
    console.tabs.setCurrentIndex(2)
    shoot(console, "matrix-console-editor", 1280, 720)
    console.tabs.setCurrentIndex(0)
    console.show_display("roles")
    shoot(audience, "matrix-audience-roles", 1920, 1080)
    shoot(projected, "matrix-projected-roles", 1920, 1080)
    console.show_display("averages")

    # Blind: take back every reveal (on the throwaway file), then look again.
    reveals = [r for r in document.session.items(Reveal)]
    document.apply(
        [
            __import__("coprod_desktop.storage.sessionfile").storage.sessionfile.Change(r, None)
            for r in reveals
        ],
        "Hide every box",
    )
    shoot(audience, "matrix-audience-blind", 1920, 1080)

    console.set_mode(VotingMode.SHOW_OF_HANDS)
    console.view.setCurrentIndex(console.model.index(1, 3))
    shoot(console, "matrix-console-hands", 1280, 720)
    console.set_mode(VotingMode.SECRET)
    console.start_secret_ballot("p05")
    console.view.setCurrentIndex(console.model.index(0, 1))
    for value in (3, 4, 2):
        console.rate_current(value)
    shoot(console, "matrix-console-ballot", 1280, 720)
    console.finish_ballot()
    document.put(replace(document.session.matrix, mode=VotingMode.NAMED), "Back to named")

    for frame in frames.values():
        frame.close()
    document.close()
    app.processEvents()
    print(f"Matrix pictures written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
