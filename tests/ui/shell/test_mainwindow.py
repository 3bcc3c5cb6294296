"""The app shell as a facilitator meets it: start screen, sessions, menus, undo, bad files."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from coprod_desktop.domain.model import Participant, RoleGroup, WorkshopInfo, replace
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.ui.shell.mainwindow import MainWindow


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_session_edit_close_reopen_from_recent(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "Tuesday workshop.coprod"
    assert window.new_session(path)
    assert window.document is not None
    assert window.workshop is not None
    assert "New co-production workshop" in window.windowTitle()
    assert "saved" in window.save_state.text().lower()

    window.document.put(
        replace(window.document.session.info, title="Library co-production day", place="Hall B"),
        "Edit workshop details",
    )
    assert window.windowTitle().startswith("Library co-production day")

    # Add a participant from the keyboard: name, Enter.
    window.workshop.people_button.click()
    people = window.workshop.people
    # QTest can only type ASCII keys; typed text arrives through the input method the same way.
    people.name_edit.insert("Ngô Bảo Châu")
    people.role_combo.setCurrentIndex(people.role_combo.findData(RoleGroup.USES_SERVICES.value))
    qtbot.keyClick(people.name_edit, Qt.Key.Key_Return)
    assert [p.name for p in window.document.session.participants] == ["Ngô Bảo Châu"]

    # Move to the fourth step, then close.
    fourth = window.document.session.visible_steps[3]
    window.workshop.agenda.setCurrentRow(3)
    assert window.document.session.progress.current_step_id == fourth.id
    window.close_session()
    assert window.document is None
    assert window.pages.currentWidget() is window.start

    # The start screen lists it with its title; Enter reopens it.
    recent = window.start.recent_list
    assert recent.count() == 1
    assert "Library co-production day" in recent.item(0).text()
    recent.setFocus()
    recent.setCurrentRow(0)
    qtbot.keyClick(recent, Qt.Key.Key_Return)
    assert window.document is not None
    session = window.document.session
    assert session.info.title == "Library co-production day"
    assert session.info.place == "Hall B"
    assert [(p.name, p.role) for p in session.participants] == [("Ngô Bảo Châu", RoleGroup.USES_SERVICES)]
    assert session.current_step == fourth
    assert window.workshop is not None
    assert window.workshop.step_view.heading.text() == fourth.title


def test_undo_redo_through_the_edit_menu_shortcuts(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "u.coprod"
    window.new_session(path)
    assert window.document is not None
    assert window.workshop is not None
    window.workshop.people_button.click()
    people = window.workshop.people
    for name in ("Ana", "Bea"):
        qtbot.keyClicks(people.name_edit, name)
        qtbot.keyClick(people.name_edit, Qt.Key.Key_Return)
    assert window.undo_action.isEnabled()
    assert "Add Bea" in window.undo_action.text()

    window.undo_action.trigger()
    with SessionFile.open(path, read_only=True) as file:
        assert [p.name for p in file.load().participants] == ["Ana"]
    window.redo_action.trigger()
    with SessionFile.open(path, read_only=True) as file:
        assert [p.name for p in file.load().participants] == ["Ana", "Bea"]

    # Delete a selected row from the keyboard, then undo it.
    people.table.setFocus()
    people.table.selectRow(0)
    qtbot.keyClick(people.table, Qt.Key.Key_Delete)
    assert [p.name for p in window.document.session.participants] == ["Bea"]
    window.undo_action.trigger()
    assert [p.name for p in window.document.session.participants] == ["Ana", "Bea"]


def test_rename_and_regroup_in_the_table(window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "t.coprod"
    window.new_session(path)
    assert window.document is not None
    assert window.workshop is not None
    window.document.put(Participant(id="x", name="Old name", role=RoleGroup.OTHER), "Add")
    model = window.workshop.people.model
    assert model.setData(model.index(0, 0), "  New name ", Qt.ItemDataRole.EditRole)
    assert model.setData(model.index(0, 1), RoleGroup.MANAGER.value, Qt.ItemDataRole.EditRole)
    assert model.data(model.index(0, 1), Qt.ItemDataRole.DisplayRole) == "Manager or commissioner"
    with SessionFile.open(path, read_only=True) as file:
        assert file.load().get(Participant, "x") == Participant(
            id="x", name="New name", role=RoleGroup.MANAGER
        )


def test_next_and_previous_walk_the_agenda(window: MainWindow, sample_file: Path) -> None:
    assert window.open_session(sample_file)
    assert window.document is not None
    assert window.workshop is not None
    steps = window.document.session.visible_steps
    window.workshop.go_to(steps[0].id)
    assert not window.workshop.previous_button.isEnabled()
    window.workshop.next_button.click()
    assert window.document.session.current_step == steps[1]
    assert window.workshop.agenda.currentRow() == 1
    window.workshop.go_to(steps[-1].id)
    assert not window.workshop.next_button.isEnabled()
    window.workshop.previous_button.click()
    assert window.document.session.current_step == steps[-2]


def test_sample_workshop_from_the_start_screen(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(window.start.sample_button, Qt.MouseButton.LeftButton)
    assert window.document is not None
    session = window.document.session
    assert session.count(Participant) == 12
    assert window.document.path is not None
    assert window.document.path.is_file()
    assert "Strength and balance" in window.windowTitle()


def test_bad_files_get_a_sentence_and_stay_unchanged(window: MainWindow, tmp_path: Path) -> None:
    text_file = tmp_path / "notes.coprod"
    text_file.write_text("just some notes", encoding="utf-8")
    foreign = tmp_path / "other.coprod"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    newer = tmp_path / "newer.coprod"
    SessionFile.create(
        newer, __import__("coprod_desktop.storage.templates").storage.templates.load_builtin_template()
    ).close()
    with sqlite3.connect(newer) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    cases = {
        text_file: "not a coprod-desktop session",
        foreign: "another program",
        newer: "newer version",
        tmp_path / "missing.coprod": "no file",
    }
    for path, expected in cases.items():
        before = digest(path) if path.exists() else None
        assert not window.open_session(path)
        assert window.banner.isVisible()
        assert expected in window.banner.text
        assert "Traceback" not in window.banner.text
        assert window.document is None
        if before is not None:
            assert digest(path) == before


def test_file_open_in_another_copy_is_refused(window: MainWindow, sample_file: Path) -> None:
    holder = SessionFile.open(sample_file)  # stands for another running copy of the app
    try:
        assert not window.open_session(sample_file)
        assert "already open in another copy" in window.banner.text
    finally:
        holder.close()
    assert window.open_session(sample_file)


def test_save_as_continues_in_the_copy_and_save_copy_does_not(
    window: MainWindow, sample_file: Path, tmp_path: Path
) -> None:
    assert window.open_session(sample_file)
    assert window.document is not None
    copy = tmp_path / "copy.coprod"
    assert window.save_copy(copy)
    assert window.document.path == sample_file
    moved = tmp_path / "moved.coprod"
    assert window.save_as(moved)
    assert window.document.path == moved
    window.document.put(replace(window.document.session.info, title="Only in moved"), "Edit")
    with SessionFile.open(sample_file, read_only=True) as original:
        assert original.load().info.title != "Only in moved"
    with SessionFile.open(moved, read_only=True) as now:
        assert now.load().info.title == "Only in moved"
    with SessionFile.open(copy, read_only=True) as kept:
        assert kept.load().count(Participant) == 12


def test_json_export_and_import_from_the_file_menu(
    window: MainWindow, sample_file: Path, tmp_path: Path
) -> None:
    assert window.open_session(sample_file)
    out = tmp_path / "export.json"
    assert window.export_json(out)
    assert out.read_text(encoding="utf-8").startswith("{")
    imported = tmp_path / "imported.coprod"
    assert window.import_json(out, imported)
    assert window.document is not None
    assert window.document.path == imported
    assert window.document.session.count(Participant) == 12
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    assert not window.import_json(bad, tmp_path / "never.coprod")
    assert "not a coprod-desktop session export" in window.banner.text
    assert not (tmp_path / "never.coprod").exists()


def test_details_dialog_edits_in_one_undo_step(window: MainWindow, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from coprod_desktop.ui.shell.detailsdialog import DetailsDialog

    window.new_session(tmp_path / "d.coprod")
    assert window.document is not None
    dialog = DetailsDialog(window.document.session.info, window)
    qtbot.addWidget(dialog)
    dialog.title_edit.setText("<b>Not bold</b> & co")
    dialog.place_edit.setText("Salle Jean-Jaurès")
    window.document.put(dialog.details(), "Edit workshop details")
    assert window.document.undo_stack.count() == 1
    assert window.document.session.info.title == "<b>Not bold</b> & co"
    window.undo_action.trigger()
    assert window.document.session.info.title == "New co-production workshop"
    assert isinstance(window.document.session.info, WorkshopInfo)


def test_quit_after_startup_opens_and_exits(sample_file: Path, tmp_path: Path) -> None:
    env = {
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    before = digest(sample_file)
    done = subprocess.run(
        [sys.executable, "-m", "coprod_desktop", str(sample_file), "--quit-after-startup"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert digest(sample_file) == before  # opening and closing changes nothing
    broken = tmp_path / "broken.coprod"
    broken.write_bytes(b"\x00" * 300)
    done = subprocess.run(
        [sys.executable, "-m", "coprod_desktop", str(broken), "--quit-after-startup"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "not a coprod-desktop session" in done.stderr
    assert "Traceback" not in done.stderr


def test_focus_starts_on_the_agenda_for_keyboard_users(window: MainWindow, sample_file: Path) -> None:
    window.open_session(sample_file)
    QApplication.processEvents()
    assert window.workshop is not None
    assert window.workshop.agenda.hasFocus() or window.focusWidget() is window.workshop.agenda


def test_first_run_tour_and_about(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    from coprod_desktop import __version__
    from coprod_desktop.ui.shell.aboutdialog import AboutDialog

    tour = window.start.tour
    assert tour.isVisibleTo(window)  # a first run: settings are fresh
    qtbot.mouseClick(tour.got_it, Qt.MouseButton.LeftButton)
    assert not tour.isVisibleTo(window)
    again = MainWindow()
    qtbot.addWidget(again)
    assert not again.start.tour.isVisibleTo(again)  # remembered
    window.tour_action.trigger()
    assert tour.isVisibleTo(window)

    about = AboutDialog(window)
    qtbot.addWidget(about)
    text = about.text.toPlainText()
    assert f"coprod-desktop {__version__}" in text
    for part in ("Qt", "PySide6", "SQLite", "ReportLab", "DejaVu", "LGPL"):
        assert part in text


def test_file_menu_export_pdf_makes_the_summary(
    window: MainWindow, sample_file: Path, tmp_path: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from coprod_desktop.ui.shell.pdfexport import PdfExportDialog

    assert not window.export_pdf_action.isEnabled()  # nothing open yet
    assert window.open_session(sample_file)
    assert window.export_pdf_action.isEnabled()
    window.export_pdf_action.trigger()
    dialog = window.findChild(PdfExportDialog)
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.path().parent == sample_file.parent
    out = tmp_path / "handout.pdf"
    dialog.path_edit.setText(str(out))
    dialog.start_export()
    qtbot.waitUntil(lambda: out.is_file() and out.read_bytes()[:5] == b"%PDF-", timeout=20_000)
    qtbot.waitUntil(lambda: not dialog.exporter.running, timeout=20_000)
    dialog.reject()


def test_matrix_step_hosts_the_matrix_and_a_secret_ballot_locks_undo(
    window: MainWindow, sample_file: Path
) -> None:
    from coprod_desktop.domain.model import MatrixSettings, StepKind, VotingMode
    from coprod_desktop.ui.steps.matrix.matrixwidget import MatrixWidget

    assert window.open_session(sample_file)
    document = window.document
    assert document is not None
    assert window.workshop is not None
    document.put(replace(document.session.matrix, mode=VotingMode.SECRET), "Secret ballot")
    assert isinstance(document.session.matrix, MatrixSettings)
    step = next(s for s in document.session.steps if s.kind is StepKind.MATRIX)
    window.workshop.go_to(step.id)
    matrix = window.workshop.step_view.content.tool(StepKind.MATRIX)
    assert isinstance(matrix, MatrixWidget)
    assert matrix.isVisibleTo(window)
    assert window.undo_action.isEnabled()
    assert matrix.start_secret_ballot(document.session.participants[0].id)
    assert not window.undo_action.isEnabled()
    matrix.finish_ballot()
    assert window.undo_action.isEnabled()


def test_opening_a_file_at_start_builds_no_start_screen_unless_it_fails(
    qtbot, sample_file: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(start_screen=False)
    qtbot.addWidget(window)
    assert window._start is None
    assert window.open_session(sample_file)
    assert window._start is None  # never needed
    window.close_session()
    assert window.pages.currentWidget() is window.start  # built on the way back
    broken = tmp_path / "broken.coprod"
    broken.write_text("not a session", encoding="utf-8")
    other = MainWindow(start_screen=False)
    qtbot.addWidget(other)
    assert not other.open_session(broken)
    other.show_start()
    assert other.pages.currentWidget() is other.start
    assert "not a coprod-desktop session" in other.banner.text


def test_role_group_chosen_in_the_table_from_the_keyboard(window: MainWindow, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QComboBox

    assert window.new_session(tmp_path / "roles.coprod")
    assert window.document is not None
    assert window.workshop is not None
    window.document.put(Participant(id="x", name="Sam", role=RoleGroup.OTHER), "Add")
    window.workshop.people_button.click()
    table = window.workshop.people.table
    index = table.model().index(0, 1)
    table.setFocus()
    table.setCurrentIndex(index)
    table.edit(index)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QComboBox)
    assert editor.currentData() == RoleGroup.OTHER.value  # starts on the current group
    editor.setCurrentIndex(editor.findData(RoleGroup.CARER.value))
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.document.session.get(Participant, "x").role is RoleGroup.CARER)  # type: ignore[union-attr]


def test_saved_is_said_only_once_the_disk_has_the_change(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The edit shows at once; "saved" waits for the fsync, done on a thread of its own."""
    import threading

    path = tmp_path / "slow disk.coprod"
    assert window.new_session(path)
    document = window.document
    assert document is not None
    assert document.file is not None
    file = document.file
    gate = threading.Event()
    real_sync = file.sync

    def slow_sync() -> None:
        gate.wait(10)
        real_sync()

    file.sync = slow_sync  # type: ignore[method-assign]
    try:
        document.put(replace(document.session.info, title="Slow disk day"), "Edit workshop details")
        assert window.windowTitle().startswith("Slow disk day")  # shown at once, GUI not blocked
        qtbot.waitUntil(lambda: window.save_state.text() == "Saving…", timeout=3000)
        gate.set()
        qtbot.waitUntil(lambda: window.save_state.text().startswith("✓ All changes saved"), timeout=3000)
    finally:
        gate.set()
        file.sync = real_sync  # type: ignore[method-assign]
    window.close_session()
    with SessionFile.open(path, read_only=True) as reopened:
        assert reopened.load().info.title == "Slow disk day"


def test_the_collector_waits_while_a_session_opens(window: MainWindow, qtbot, sample_file: Path) -> None:  # type: ignore[no-untyped-def]
    """...and resumes once it is built, with what is alive then frozen."""
    import gc

    from coprod_desktop.ui.document import SessionDocument

    seen: list[bool] = []
    real_open = SessionDocument.open

    def open_and_look(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real_open(*args, **kwargs)

    assert gc.isenabled()
    SessionDocument.open = open_and_look  # type: ignore[method-assign]
    try:
        assert window.open_session(sample_file)
    finally:
        SessionDocument.open = real_open  # type: ignore[method-assign]
    assert seen == [False]  # paused while the file is read and the workshop built
    qtbot.waitUntil(gc.isenabled, timeout=1000)  # and on again once the event loop runs
    assert gc.get_freeze_count() > 0  # with what is alive then frozen

    window.close_session()
    assert gc.get_freeze_count() == 0  # what the closed session leaves can be collected
    assert gc.isenabled()


def test_a_closed_session_leaves_its_entities_to_be_freed_at_once(
    window: MainWindow, qtbot, sample_file: Path
) -> None:  # type: ignore[no-untyped-def]
    import gc
    import weakref

    from PySide6.QtCore import QCoreApplication, QEvent

    assert window.open_session(sample_file)
    assert window.document is not None
    session = weakref.ref(window.document.session)
    qtbot.waitUntil(gc.isenabled, timeout=1000)
    gc.disable()  # no collection may free it: only the references let go
    try:
        window.close_session()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
        assert session() is None
    finally:
        gc.enable()


def test_a_file_that_cannot_be_opened_leaves_the_collector_on(window: MainWindow, tmp_path: Path) -> None:
    import gc

    bad = tmp_path / "notes.coprod"
    bad.write_text("not a session", encoding="utf-8")
    assert not window.open_session(bad)
    assert gc.isenabled()


def test_an_opened_session_joins_the_recent_ones_after_its_first_frame(
    window: MainWindow, qtbot, sample_file: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from coprod_desktop.ui.shell import settings

    assert window.open_session(sample_file)
    assert window._remember_due  # not on the way to the first frame
    qtbot.waitUntil(lambda: not window._remember_due, timeout=1000)
    assert [entry.path for entry in settings.recent_sessions()] == [sample_file.resolve()]
    # Closed before the event loop ran: still remembered, and first in the menu at once.
    other = tmp_path / "other.coprod"
    other.write_bytes(sample_file.read_bytes())
    assert window.open_session(other)
    window._fill_recent_menu()
    assert [entry.path for entry in settings.recent_sessions()][0] == other.resolve()
    third = tmp_path / "third.coprod"
    third.write_bytes(sample_file.read_bytes())
    assert window.open_session(third)
    window.close_session()
    assert [entry.path for entry in settings.recent_sessions()] == [
        third.resolve(),
        other.resolve(),
        sample_file.resolve(),
    ]
