"""The screens in Welsh: nothing the catalogue translates is left in English on screen, and
the language changes in Settings with no restart, the session staying open on its step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
)
from pytestqt.qtbot import QtBot

from coprod_desktop.domain.model import replace
from coprod_desktop.ui.shell.mainwindow import MainWindow

from .welsh import EnglishLeft, menu_texts, plain, visible_texts, welsh_sample


@pytest.fixture
def welsh_window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    from coprod_desktop.ui.shell.language import apply_language

    apply_language("cy")
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close_session()


def _dialog_texts(dialog: QDialog) -> Iterator[tuple[str, str]]:
    dialog.show()
    QApplication.processEvents()
    yield from visible_texts(dialog)
    dialog.reject()


def test_no_translated_text_is_left_in_english_on_any_welsh_screen(
    welsh_window: MainWindow, tmp_path: Path, qtbot: QtBot
) -> None:
    from coprod_desktop.ui.shell.aboutdialog import AboutDialog
    from coprod_desktop.ui.shell.detailsdialog import DetailsDialog
    from coprod_desktop.ui.shell.pdfexport import PdfExportDialog
    from coprod_desktop.ui.shell.settingsdialog import SettingsDialog
    from coprod_desktop.ui.shell.templatedialog import NewSessionDialog, SaveTemplateDialog

    window = welsh_window
    screens = EnglishLeft("ui")
    assert screens.texts, "the screens' catalogue has Welsh to check against"
    screens.look("start screen", visible_texts(window))
    for action in window.menuBar().actions():
        if action.menu() is not None:
            screens.look("menus (start)", menu_texts(action.menu(), "menu bar"))
    screens.look("settings", _dialog_texts(SettingsDialog("", window)))
    screens.look("new session", _dialog_texts(NewSessionDialog(window)))
    screens.look("about", _dialog_texts(AboutDialog(window)))

    assert window.open_session(welsh_sample(tmp_path))
    document, workshop = window.document, window.workshop
    assert document is not None
    assert workshop is not None
    for action in window.menuBar().actions():
        if action.menu() is not None:
            screens.look("menus (session)", menu_texts(action.menu(), "menu bar"))
    steps = document.session.visible_steps
    assert len(steps) >= 8
    window.start_presenting()  # the room's view too, on the projector
    assert window.presenter is not None
    room = window.presenter.window
    assert room is not None
    for number, step in enumerate(steps, start=1):
        workshop.go_to(step.id)
        qtbot.wait(20)
        screens.look(f"step {number} ({step.kind.value})", visible_texts(window))
        screens.look(f"step {number} ({step.kind.value}) in the room", visible_texts(room))
    window.stop_presenting()
    workshop.people_button.setChecked(True)
    qtbot.wait(20)
    screens.look("participants", visible_texts(window))
    workshop.edit_button.setChecked(True)
    qtbot.wait(20)
    editor = workshop.editor
    for index in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(index)
        qtbot.wait(10)
        screens.look(f"workshop editor, tab {index}", visible_texts(window))
    workshop.show_step()
    screens.look("details", _dialog_texts(DetailsDialog(document.session.info, window)))
    screens.look("save as template", _dialog_texts(SaveTemplateDialog(document.session.info.title, window)))
    window.export_pdf_action.trigger()
    export = window.findChild(PdfExportDialog)
    assert export is not None
    screens.look("export dialog", visible_texts(export))
    export.reject()

    assert screens.seen > 300
    assert not screens.left, "English left on Welsh screens:\n" + "\n".join(screens.left)


def test_settings_switch_the_language_with_no_restart_keeping_the_session_on_its_step(
    window: MainWindow, sample_file: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coprod_desktop.ui.shell import settingsdialog
    from coprod_desktop.ui.shell.settings import app_language

    assert window.open_session(sample_file)
    document = window.document
    assert document is not None
    assert window.workshop is not None
    steps = document.session.visible_steps
    window.workshop.go_to(steps[5].id)
    document.put(replace(document.session.info, place="Neuadd"), "Edit the place")
    undo_count = document.undo_stack.count()
    window.workshop.timer.toggle()  # a running countdown keeps running through the switch
    assert [plain(a.text()) for a in window.menuBar().actions()][:4] == ["File", "Edit", "View", "Help"]
    assert window.workshop.next_button.text() == "&Next ▶"

    def choose_welsh(dialog: settingsdialog.SettingsDialog) -> int:
        names = [dialog.language_combo.itemText(row) for row in range(dialog.language_combo.count())]
        assert "Cymraeg" in names
        assert "English" in names
        dialog.choose("cy")
        return int(settingsdialog.SettingsDialog.DialogCode.Accepted)

    monkeypatch.setattr(settingsdialog.SettingsDialog, "exec", choose_welsh)
    window.settings_action.trigger()

    assert app_language() == "cy"
    assert [plain(a.text()) for a in window.menuBar().actions()][:4] == [
        "Ffeil",
        "Golygu",
        "Golwg",
        "Cymorth",
    ]
    assert window.document is document  # the same session, still open
    assert document.session.current_step == steps[5]
    assert document.undo_stack.count() == undo_count
    workshop = window.workshop
    assert workshop is not None
    assert workshop.agenda.currentRow() == 5
    assert workshop.next_button.text() == "&Nesaf ▶"
    assert workshop.timer.running
    assert window.undo_action.text().startswith("&Dadwneud")
    labels = {label.text() for label in workshop.findChildren(QLabel) if label.isVisibleTo(window)}
    assert "Nodiadau i chi (nid i'r ystafell)" in labels
    window.export_pdf_action.trigger()  # a dialog made after the switch speaks Welsh too
    from coprod_desktop.ui.shell.pdfexport import PdfExportDialog

    export = window.findChild(PdfExportDialog)
    assert export is not None
    assert export.windowTitle() == "Allforio PDF"
    export.reject()

    window.set_app_language("en")
    assert [plain(a.text()) for a in window.menuBar().actions()][:4] == ["File", "Edit", "View", "Help"]
    assert window.workshop is not None
    assert window.workshop.next_button.text() == "&Next ▶"
    assert document.session.current_step == steps[5]


def test_standard_buttons_speak_welsh_where_qt_ships_no_welsh(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

    from coprod_desktop.ui.shell.language import apply_language, qt_ships

    assert not qt_ships("cy")  # so the buttons come from our own catalogue
    apply_language("cy")
    box = QMessageBox(QMessageBox.Icon.Question, "?", "?")
    box.setStandardButtons(
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel
    )
    qtbot.addWidget(box)
    texts = sorted(plain(button.text()) for button in box.buttons())
    assert texts == ["Canslo", "Ie", "Na"]
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    qtbot.addWidget(buttons)
    assert plain(buttons.button(QDialogButtonBox.StandardButton.Ok).text()) == "Iawn"
