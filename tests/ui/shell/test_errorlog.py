"""Bugs are logged and shown; a write that fails, even an undo, never leaves the file and the window apart."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtWidgets import QApplication

from coprod_desktop.domain.errors import TemplateError
from coprod_desktop.domain.model import Note, Session
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.ui.document import SessionDocument
from coprod_desktop.ui.shell import errorlog
from coprod_desktop.ui.shell.errorlog import BUG_SENTENCE, FULL_REPEATS, ErrorLog, log_folder
from coprod_desktop.ui.shell.mainwindow import MainWindow


@contextmanager
def hooked(window: MainWindow) -> Iterator[ErrorLog]:
    """The app's exception hook, as `application.run` installs it, for the length of a block.

    (Installed inside the test itself: pytest-qt puts its own hook back around each phase.)"""
    hook = ErrorLog.install()
    hook.caught.connect(window.show_bug)
    try:
        yield hook
    finally:
        hook.uninstall()


@pytest.fixture
def opened_urls(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    opened: list[QUrl] = []
    monkeypatch.setattr(errorlog, "open_url", lambda url: opened.append(url) or True)
    return opened


def on_disk(path: Path) -> Session:
    file = SessionFile.open(path, read_only=True)
    try:
        return file.load()
    finally:
        file.close()


def test_the_log_folder_is_in_the_apps_data_folder_under_test_mode(isolated_settings: Path) -> None:
    assert QStandardPaths.isTestModeEnabled()
    folder = log_folder()
    assert folder.name == "logs"
    assert folder.is_relative_to(isolated_settings)  # never the real user's folder


def test_a_failing_slot_shows_the_banner_and_writes_the_log_and_work_goes_on(  # type: ignore[no-untyped-def]
    window: MainWindow, sample_file: Path, qtbot, monkeypatch: pytest.MonkeyPatch, opened_urls: list[QUrl]
) -> None:
    assert window.open_session(sample_file)
    document = window.document
    assert document is not None
    before = document.session.current_step

    def broken(self: SessionDocument) -> None:
        raise RuntimeError("the next step is out of reach")

    monkeypatch.setattr(SessionDocument, "go_next", broken)
    with hooked(window) as hook:
        window.next_action.trigger()  # Ctrl+Right: Qt calls the slot, the slot raises
        QApplication.processEvents()
    assert document.session.current_step == before

    # One plain sentence in the banner, with the way to the details.
    assert window.banner.isVisible()
    assert window.banner.text == f"⚠ Problem: {BUG_SENTENCE}"
    assert "Traceback" not in window.banner.text
    assert window.banner.log_button.isVisibleTo(window)

    # The details: the traceback, down to the line that failed.
    log = hook.path.read_text(encoding="utf-8")
    assert hook.path.parent == log_folder()
    assert "ERROR Unexpected RuntimeError" in log
    assert "Traceback (most recent call last)" in log
    assert "RuntimeError: the next step is out of reach" in log
    assert "in _next_step" in log
    assert "in broken" in log

    # The button and Help > Show Log Folder open that folder.
    qtbot.mouseClick(window.banner.log_button, Qt.MouseButton.LeftButton)
    assert [Path(url.toLocalFile()) for url in opened_urls] == [log_folder()]
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    entry = next(a for a in help_menu.actions() if a.text() == "Show &Log Folder")
    entry.trigger()
    assert len(opened_urls) == 2

    # The session is still open and every edit is still saved.
    monkeypatch.undo()
    window.workshop.step_view.room_notes.entry.insert("Still working after the bug")  # type: ignore[union-attr]
    qtbot.keyClick(window.workshop.step_view.room_notes.entry, Qt.Key.Key_Return)  # type: ignore[union-attr]
    assert "Still working after the bug" in [n.text for n in on_disk(sample_file).notes]
    window.next_action.trigger()
    assert document.session.current_step != before
    assert on_disk(sample_file) == document.session


def test_a_bug_in_another_thread_is_logged_and_shown_in_the_window(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    def work() -> None:
        raise ValueError("a worker gave up")

    with hooked(window) as hook:
        worker = threading.Thread(target=work, name="pdf worker")
        worker.start()
        worker.join()
        qtbot.waitUntil(window.banner.isVisible)  # the sentence crosses to the window's thread
    assert BUG_SENTENCE in window.banner.text
    log = hook.path.read_text(encoding="utf-8")
    assert "Unexpected ValueError in pdf worker" in log
    assert "ValueError: a worker gave up" in log


def test_a_bug_that_repeats_is_counted_not_written_out_each_time(window: MainWindow) -> None:
    with hooked(window) as hook:
        announced: list[str] = []
        hook.caught.connect(announced.append)
        for _ in range(250):
            try:
                raise ZeroDivisionError("a paint event divides by zero")
            except ZeroDivisionError as error:
                hook.report((ZeroDivisionError, error, error.__traceback__))
    log = hook.path.read_text(encoding="utf-8")
    assert log.count("Traceback (most recent call last)") == FULL_REPEATS + 2  # 1, 2, 3, then 100 and 200
    assert "(seen 200 times)" in log
    assert len(log) < 20_000
    assert len(announced) == FULL_REPEATS  # the banner is not re-shown on every frame


def test_a_bug_in_showing_a_bug_is_logged_and_does_not_feed_on_itself(window: MainWindow) -> None:
    calls: list[str] = []

    def failing_banner(sentence: str) -> None:
        calls.append(sentence)
        raise RuntimeError("the banner cannot be shown")

    with hooked(window) as hook:
        hook.caught.connect(failing_banner)
        try:
            raise KeyError("first")
        except KeyError as error:
            hook.report((KeyError, error, error.__traceback__))
        QApplication.processEvents()
    assert calls == [BUG_SENTENCE]
    log = hook.path.read_text(encoding="utf-8")
    assert "KeyError: 'first'" in log
    assert "the banner cannot be shown" in log


@contextmanager
def trouble(document: SessionDocument, kind: str) -> Iterator[None]:
    """Make the open session file refuse writes the way a disk does, then let it write again.

    As root, a file's permission bits stop nobody, so the session's own SQLite connection is
    told instead: `query_only` refuses every write as a read-only file does (SQLITE_READONLY),
    and `max_page_count` at the file's size refuses any growth as a full disk does (SQLITE_FULL)."""
    assert document.file is not None
    connection: sqlite3.Connection = document.file._conn
    if kind == "read-only":
        connection.execute("PRAGMA query_only = ON")
    else:
        connection.execute("VACUUM")  # no free pages left inside the file to grow into
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")
    try:
        yield
    finally:
        if kind == "read-only":
            connection.execute("PRAGMA query_only = OFF")
        else:
            connection.execute("PRAGMA max_page_count = 1073741823")


@pytest.mark.parametrize("kind", ["read-only", "full"])
def test_a_failing_undo_write_says_so_and_keeps_file_and_history_consistent(  # type: ignore[no-untyped-def]
    window: MainWindow, tmp_path: Path, qtbot, kind: str
) -> None:
    path = tmp_path / "undo.coprod"
    assert window.new_session(path)
    document = window.document
    assert document is not None
    stack = document.undo_stack
    # A long note pasted in, then cut down: undoing the cut needs room for the long text again.
    long_text = "A long note pasted in from the flip chart. " * 8000
    assert document.put(Note(id="flipchart", text=long_text, position=1), "Add note")
    assert document.put(Note(id="flipchart", text="Short now.", position=1), "Edit note")
    assert on_disk(path) == document.session

    with trouble(document, kind):
        window.activateWindow()
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        QApplication.processEvents()
        # One plain sentence says the change was not saved; nothing else moved.
        assert window.banner.isVisible()
        assert "could not be saved" in window.banner.text
        assert "Traceback" not in window.banner.text
        assert "NOT saved" in window.save_state.text()
        assert document.session.get(Note, "flipchart").text == "Short now."  # type: ignore[union-attr]
        assert on_disk(path) == document.session

    # The disk writes again: whatever the history still offers, undone or redone, keeps the
    # file and the window in step, and the next edit is saved and can be undone.
    QApplication.processEvents()
    while stack.canUndo():
        stack.undo()
        assert on_disk(path) == document.session
    while stack.canRedo():
        stack.redo()
        assert on_disk(path) == document.session
    assert document.put(Note(id="after", text="Back to work", position=2), "Add note")
    qtbot.waitUntil(lambda: "NOT" not in window.save_state.text())  # said once the disk has it
    assert "saved" in window.save_state.text()
    assert "NOT" not in window.save_state.text()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert document.session.get(Note, "after") is None
    assert on_disk(path) == document.session


def test_a_bug_while_undoing_is_logged_and_the_file_still_matches_the_window(  # type: ignore[no-untyped-def]
    window: MainWindow, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bug.coprod"
    assert window.new_session(path)
    document = window.document
    assert document is not None
    assert document.put(Note(id="n", text="Kept", position=1), "Add note")

    def broken_write(self: SessionFile, changes: object) -> None:
        raise AssertionError("a bug in writing")

    with hooked(window) as hook:
        monkeypatch.setattr(SessionFile, "write", broken_write)
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        QApplication.processEvents()
        monkeypatch.undo()
    assert window.banner.text == f"⚠ Problem: {BUG_SENTENCE}"
    log = hook.path.read_text(encoding="utf-8")
    assert "Unexpected AssertionError" in log
    assert "a bug in writing" in log
    assert "in broken_write" in log
    assert document.session.get(Note, "n") is not None  # nothing half-undone
    assert on_disk(path) == document.session
    # The app goes on: history and edits still line up with the file.
    while document.undo_stack.canUndo():
        document.undo_stack.undo()
        assert on_disk(path) == document.session
    assert document.put(Note(id="m", text="Next", position=2), "Add note")
    assert on_disk(path) == document.session


# The app as `coprod-desktop` starts it, in a process of its own: a slot fails once it runs.
BUG_AT_START = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from coprod_desktop.ui.shell import application, mainwindow

    def broken_tour(self):
        raise RuntimeError("the tour fell over")

    def report(window):
        print("banner", window.banner.text if window.banner.isVisible() else "(hidden)")
        print("button", window.banner.log_button.isVisibleTo(window))
        QApplication.quit()

    made = mainwindow.MainWindow.__init__

    def init(self, *args, **kwargs):
        made(self, *args, **kwargs)
        QTimer.singleShot(0, self.tour_action.trigger)
        QTimer.singleShot(200, lambda: report(self))

    mainwindow.MainWindow.show_tour = broken_tour
    mainwindow.MainWindow.__init__ = init
    application.run(None)
    """
)


def test_the_app_installs_the_hook_when_it_starts(tmp_path: Path) -> None:
    script = tmp_path / "bug_at_start.py"
    script.write_text(BUG_AT_START, encoding="utf-8")
    env = {
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert lines["banner"] == f"⚠ Problem: {BUG_SENTENCE}"
    assert lines["button"] == "True"
    assert "Traceback" not in done.stderr  # the traceback went to the log, not to a stderr nobody reads
    logs = list((tmp_path / "data").rglob("coprod-desktop.log"))
    assert [p.parent.name for p in logs] == ["logs"]
    assert "RuntimeError: the tour fell over" in logs[0].read_text(encoding="utf-8")


def test_a_known_error_that_slips_through_shows_its_own_sentence_and_not_on_the_projector(  # type: ignore[no-untyped-def]
    window: MainWindow, sample_file: Path, qtbot
) -> None:
    assert window.open_session(sample_file)
    window.start_presenting()
    audience = window.presenter.window  # type: ignore[union-attr]
    assert audience is not None
    sentence = "The template file names a step kind this version does not know."
    with hooked(window) as hook:
        try:
            raise TemplateError(sentence)
        except TemplateError as error:
            hook.report((TemplateError, error, error.__traceback__))
        QApplication.processEvents()
    assert window.banner.text == f"⚠ Problem: {sentence}"
    assert "WARNING Unexpected TemplateError" in hook.path.read_text(encoding="utf-8")
    shown = "\n".join(audience.texts())
    assert sentence not in shown  # the room never sees the app's troubles
    assert "Problem" not in shown
