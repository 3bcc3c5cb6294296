"""The smaller things a workshop trips on: labels, Enter, undo's word, the data folder,
the window on a small laptop, and who has voted in a secret ballot."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QApplication, QLabel

from coprod_desktop.domain.model import Action, StepKind
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.domain.voting import who_has_voted
from coprod_desktop.report.pdf import build_pdf
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.shell import settings
from coprod_desktop.ui.shell.mainwindow import MainWindow, _documents_folder
from coprod_desktop.ui.shell.pdfexport import PdfExportDialog


def test_export_dialog_save_as_label_is_a_mnemonic_not_an_ampersand(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = PdfExportDialog(build_sample(load_builtin_template()), tmp_path / "x.pdf")
    qtbot.addWidget(dialog)
    label = next(lb for lb in dialog.findChildren(QLabel) if lb.text() == "&Save as:")
    assert label.buddy() is dialog.path_edit


def test_enter_in_the_role_box_adds_the_participant(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert window.new_session(tmp_path / "people.coprod")
    assert window.workshop is not None
    assert window.document is not None
    window.workshop.people_button.setChecked(True)
    people = window.workshop.people
    qtbot.keyClicks(people.name_edit, "Amara Osei")
    people.role_combo.setFocus()
    qtbot.waitUntil(people.role_combo.hasFocus)
    qtbot.keyClick(people.role_combo, Qt.Key.Key_Return)
    assert [p.name for p in window.document.session.participants] == ["Amara Osei"]
    assert people.name_edit.text() == ""


def test_undo_on_another_step_says_what_it_took_back(window: MainWindow, tmp_path: Path) -> None:
    assert window.new_session(tmp_path / "undo.coprod")
    document = window.document
    assert document is not None
    by_kind = {s.kind: s for s in document.session.visible_steps}
    document.set_current_step(by_kind[StepKind.ACTIONS].id)
    document.put(Action(id="a1", what="Book the hall", position=1), "Add action")
    document.set_current_step(by_kind[StepKind.CANVAS].id)
    window.undo_action.trigger()
    assert document.session.actions == []
    assert window.statusBar().currentMessage() == "Undone: Add action"
    window.redo_action.trigger()
    assert window.statusBar().currentMessage() == "Redone: Add action"


def test_pdf_inside_lists_every_section(tmp_path: Path) -> None:
    import subprocess

    out = tmp_path / "s.pdf"
    build_pdf(build_sample(load_builtin_template()), out)
    first = subprocess.run(
        ["pdftotext", "-l", "1", str(out), "-"], capture_output=True, text=True, check=True
    )
    inside = " ".join(first.stdout.split("Inside", 1)[1].split())
    for title in ("Which is it?", "How do we work now?", "Who holds the power?", "What will we do?"):
        assert title in inside


def test_data_folder_is_named_once() -> None:
    folder = settings.data_folder()
    assert folder.name == "coprod-desktop"
    assert folder.parent.name != "coprod-desktop"
    generic = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    assert folder.parent == Path(generic)


def test_file_dialogs_start_in_the_documents_folder() -> None:
    folder = _documents_folder()
    assert folder.is_dir()
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert folder == Path(documents)


LAPTOP = {
    "screens": [
        {
            "name": "laptop",
            "x": 0,
            "y": 0,
            "width": 1366,
            "height": 768,
            "logicalDpi": 96,
            "logicalBaseDpi": 96,
            "dpr": 1,
        },
    ]
}

SMALL_LAPTOP = """
import sys
from PySide6.QtWidgets import QApplication
from coprod_desktop.ui.shell.application import make_application
from coprod_desktop.ui.shell.mainwindow import MainWindow

app = make_application()
first = MainWindow()
first.show()
app.processEvents()
free = first.screen().availableGeometry()
print("opened", first.frameGeometry().width() <= free.width(), first.height() <= free.height())
assert first.open_session(sys.argv[1])
for step in first.document.session.visible_steps:
    first.document.set_current_step(step.id)
    app.processEvents()
    hint = first.minimumSizeHint()
    if hint.width() > 1366 or hint.height() > 768:
        print("too-big", step.title, hint.width(), hint.height())
first.resize(1100, 730)
first.move(40, 30)
app.processEvents()
print("saved", first.width(), first.height(), first.x(), first.y())
first.close()
second = MainWindow()
second.show()
app.processEvents()
print("restored", second.width(), second.height(), second.x(), second.y())
"""


def test_window_fits_a_1366_laptop_and_is_remembered_per_screen(sample_file: Path, tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    config = tmp_path / "screens.json"
    config.write_text(json.dumps(LAPTOP), encoding="utf-8")
    script = tmp_path / "small_laptop.py"
    script.write_text(SMALL_LAPTOP, encoding="utf-8")
    env = {
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, str(script), str(sample_file)], env=env, capture_output=True, text=True, timeout=90
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "opened True True" in lines
    assert not [line for line in lines if line.startswith("too-big")], lines
    saved = next(line for line in lines if line.startswith("saved "))
    assert saved.startswith("saved 1100 ")
    assert saved.replace("saved", "restored") in lines
    # A screen of another name or size keeps its own (nothing saved for it yet).
    assert settings.window_geometry("projector", 1920, 1080) is None


def test_secret_ballot_list_marks_who_has_voted(window: MainWindow, sample_file: Path) -> None:
    assert window.open_session(sample_file)
    document = window.document
    assert document is not None
    assert window.workshop is not None
    matrix_step = next(s for s in document.session.visible_steps if s.kind is StepKind.MATRIX)
    document.set_current_step(matrix_step.id)
    QApplication.processEvents()
    matrix = window.workshop.step_view.content.tool(StepKind.MATRIX)
    combo = matrix.secret_combo  # type: ignore[union-attr]
    matrix._fill_people()  # type: ignore[union-attr]
    voted = who_has_voted(document.session, matrix.model.all_questions())  # type: ignore[union-attr]
    marks = [bool(voted.get(str(combo.itemData(i)), 0)) for i in range(combo.count())]
    for index, has in enumerate(marks):
        assert ("✓" in combo.itemText(index)) == has
    assert matrix.tabs.tabBar().accessibleName()  # type: ignore[union-attr]


def test_scroll_bars_show_a_dark_thumb_on_a_light_track(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The start screen's scroll bars read the right way round: the part you drag is the dark one,
    also on a see-through text box (the tour's), where the track used to come out black."""
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QListWidget, QStyle, QStyleOptionSlider, QTextBrowser

    from coprod_desktop.ui.common.look import SCROLL_THUMB, SCROLL_TRACK
    from coprod_desktop.ui.shell.startwidget import TourWidget

    tour = TourWidget()
    qtbot.addWidget(tour)
    recent = QListWidget()
    recent.setObjectName("recentList")  # dressed with the start screen's own sheet
    recent.addItems([f"session {n}" for n in range(30)])
    qtbot.addWidget(recent)
    for widget in (recent, tour.findChild(QTextBrowser)):
        widget.window().resize(400, 200)
        widget.window().show()
        QApplication.processEvents()
        bar = widget.verticalScrollBar()
        assert bar.maximum() > 0
        option = QStyleOptionSlider()
        bar.initStyleOption(option)
        thumb = bar.style().subControlRect(
            QStyle.ComplexControl.CC_ScrollBar, option, QStyle.SubControl.SC_ScrollBarSlider, bar
        )
        image = bar.grab().toImage()
        ratio = image.width() / bar.width()
        middle = int(bar.width() // 2 * ratio)
        on_thumb = image.pixelColor(middle, int(thumb.center().y() * ratio))
        below = image.pixelColor(middle, int((thumb.bottom() + 6) * ratio))
        assert on_thumb == QColor(SCROLL_THUMB), on_thumb.name()
        assert below == QColor(SCROLL_TRACK), below.name()
