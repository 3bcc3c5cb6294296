"""The screens in Welsh: nothing the catalogue translates is left in English on screen, and
the language changes in Settings with no restart, the session staying open on its step."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from coprod_desktop.domain.i18n import translations
from coprod_desktop.domain.model import replace
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.shell.mainwindow import MainWindow

LOCALE = Path(__file__).resolve().parents[2] / "resources" / "locale"


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def _patterns_with_welsh() -> list[re.Pattern[str]]:
    """The English patterns of the screens' catalogue ("Step {number} of {count}") as regular
    expressions, where the pattern has words of its own and a Welsh translation unlike itself:
    a filled-in English sentence on a Welsh screen matches one."""
    from babel.messages.pofile import read_po

    with (LOCALE / "ui.pot").open("rb") as stream:
        template = read_po(stream)
    welsh = translations("cy")
    found = []
    for message in template:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for msgid in ids:
            if not msgid or "{" not in msgid:
                continue
            words = re.sub(r"\{[^}]*\}", "", _plain(msgid))
            if len(re.findall(r"[A-Za-z]", words)) < 6:
                continue
            said = welsh.gettext(msgid) if len(ids) == 1 else welsh.ngettext(ids[0], ids[-1], 5)
            if said == msgid:
                continue
            parts = re.split(r"\{[^}]*\}", _plain(msgid))
            found.append(re.compile("(?s)" + ".+?".join(re.escape(part) for part in parts)))
    return found


def _english_with_welsh() -> dict[str, str]:
    """Every English source text of the screens' catalogue that has a Welsh translation unlike
    itself, by its plain form (no accelerator), to its msgid."""
    from babel.messages.pofile import read_po

    with (LOCALE / "ui.pot").open("rb") as stream:
        template = read_po(stream)
    welsh = translations("cy")
    found: dict[str, str] = {}
    for message in template:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for msgid in ids:
            if "{" in msgid:
                continue  # a pattern; what is shown is the filled-in sentence
            said = welsh.pgettext(message.context, msgid) if message.context else welsh.gettext(msgid)
            if said != msgid and _plain(msgid) and _plain(msgid) != _plain(said):
                found[_plain(msgid)] = msgid
    return found


def _name(widget: QWidget) -> str:
    parents = []
    node: QWidget | None = widget
    while node is not None and len(parents) < 4:
        parents.append(f"{type(node).__name__}{'#' + node.objectName() if node.objectName() else ''}")
        node = node.parentWidget()
    return " < ".join(parents)


def _menu_texts(menu: QMenu, where: str) -> Iterator[tuple[str, str]]:
    menu.aboutToShow.emit()  # the recent sessions and screens are filled as the menu opens
    yield where, menu.title()
    for action in menu.actions():
        if action.menu() is not None:
            yield from _menu_texts(action.menu(), f"{where} > {_plain(menu.title())}")
        elif not action.isSeparator():
            yield f"{where} > {_plain(menu.title())} > action", action.text()
            yield f"{where} > {_plain(menu.title())} > {_plain(action.text())} (tooltip)", action.toolTip()


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(which widget, text) of every text a person can see or a screen reader can say."""
    for widget in [root, *root.findChildren(QWidget)]:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        name = _name(widget)
        if widget.isWindow():
            yield f"{name} (window title)", widget.windowTitle()
        yield f"{name} (accessible name)", widget.accessibleName()
        yield f"{name} (accessible description)", widget.accessibleDescription()
        yield f"{name} (tooltip)", widget.toolTip()
        if isinstance(widget, QLabel | QAbstractButton):
            yield name, widget.text()
        elif isinstance(widget, QGroupBox):
            yield name, widget.title()
        elif isinstance(widget, QLineEdit):
            yield f"{name} (placeholder)", widget.placeholderText()
        elif isinstance(widget, QComboBox):
            for row in range(widget.count()):
                yield f"{name} (item {row})", widget.itemText(row)
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                yield f"{name} (tab {index})", widget.tabText(index)
        elif isinstance(widget, QHeaderView) and widget.model() is not None:
            model = widget.model()
            count = (
                model.columnCount(QModelIndex()) if widget.orientation() == Qt.Orientation.Horizontal else 0
            )
            for section in range(count):
                yield f"{name} (column {section})", str(model.headerData(section, widget.orientation()) or "")
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(QModelIndex())
            for row in range(min(model.rowCount(QModelIndex()), 40)):
                for column in range(columns):
                    value = model.index(row, column).data()
                    if isinstance(value, str):
                        yield f"{name} (row {row}, column {column})", value
        drawn = getattr(widget, "drawn_texts", None)  # what a tool paints itself (ladder, canvas)
        if callable(drawn):
            for entry in drawn():
                yield f"{name} (painted)", str(entry[0])
        for action in widget.actions():
            if not isinstance(widget, QMenu):
                yield f"{name} > action", action.text()
                yield f"{name} > action (tooltip)", action.toolTip()


class Screens:
    """What was seen, and where, in a Welsh walk of the app."""

    def __init__(self) -> None:
        self.english = _english_with_welsh()
        self.patterns = _patterns_with_welsh()
        self.left: list[str] = []
        self.seen = 0

    def look(self, where: str, texts: Iterator[tuple[str, str]]) -> None:
        for widget, text in texts:
            if not text:
                continue
            self.seen += 1
            for line in dict.fromkeys([text, *text.splitlines()]):
                if _plain(line) in self.english:
                    self.left.append(f"{where}: {widget} shows {line!r}")
                elif any(pattern.fullmatch(_plain(line)) for pattern in self.patterns):
                    self.left.append(f"{where}: {widget} shows {line!r} (an English sentence filled in)")


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


def _welsh_sample(tmp_path: Path) -> Path:
    path = tmp_path / "sampl.coprod"
    SessionFile.create(path, build_sample(load_builtin_template(language="cy"))).close()
    return path


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
    screens = Screens()
    assert screens.english, "the screens' catalogue has Welsh to check against"
    screens.look("start screen", visible_texts(window))
    for action in window.menuBar().actions():
        if action.menu() is not None:
            screens.look("menus (start)", _menu_texts(action.menu(), "menu bar"))
    screens.look("settings", _dialog_texts(SettingsDialog("", window)))
    screens.look("new session", _dialog_texts(NewSessionDialog(window)))
    screens.look("about", _dialog_texts(AboutDialog(window)))

    assert window.open_session(_welsh_sample(tmp_path))
    document, workshop = window.document, window.workshop
    assert document is not None
    assert workshop is not None
    for action in window.menuBar().actions():
        if action.menu() is not None:
            screens.look("menus (session)", _menu_texts(action.menu(), "menu bar"))
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
    assert [_plain(a.text()) for a in window.menuBar().actions()][:4] == ["File", "Edit", "View", "Help"]
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
    assert [_plain(a.text()) for a in window.menuBar().actions()][:4] == [
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
    assert [_plain(a.text()) for a in window.menuBar().actions()][:4] == ["File", "Edit", "View", "Help"]
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
    texts = sorted(_plain(button.text()) for button in box.buttons())
    assert texts == ["Canslo", "Ie", "Na"]
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    qtbot.addWidget(buttons)
    assert _plain(buttons.button(QDialogButtonBox.StandardButton.Ok).text()) == "Iawn"
