"""The main window: the start screen or the open workshop, with the File, Edit and Help menus."""

from __future__ import annotations

import datetime
import gc
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, QTime, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QMenuBar,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import KnownError
from ...domain.i18n import N_, _
from ...domain.model import Session, replace
from ..common.plaintext import file_stem, mnemonic_safe
from ..common.scriptfonts import ensure_all_soon, ensure_fonts_for, session_texts, texts_of
from ..document import SessionDocument
from ..phones.install import install_phones
from ..presenter.presenterwindow import KeyNavigator, PresenterController
from ..workshop.pagestack import PageStack
from ..workshop.workshopwidget import WorkshopWidget
from . import settings
from .messagebanner import MessageBanner

if TYPE_CHECKING:
    from ...domain.changes import ChangeSet
    from .startwidget import StartWidget

FILE_FILTER = N_("Co-production sessions (*.coprod)")
JSON_FILTER = N_("Session exports (*.json)")
APP_NAME = "coprod-desktop"


def _documents_folder() -> Path:
    """The user's documents folder, made if it is missing: a file dialog given a folder that
    does not exist silently opens in the working folder instead."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Path.home()
    return folder


class _Collection:
    """Python's cycle collector waits while a session is read and its screens are built.

    Opening the large session makes some 30,000 objects and none of them is garbage: a
    collection in the middle of it, or the first ones after it, walk them all for nothing.
    Once the session is built (a zero timer: the first frame follows) what is alive is frozen,
    as start-up's objects are (ui.shell.application.run), so later collections skip it (a full
    one took 10 ms with the large session open), and the collector resumes.

    Closing a session unfreezes everything, so that what it leaves behind can be collected:
    a few dozen objects (the document and the views that held each other), as close_session
    lets go of the session's entities at once."""

    paused = False
    was_enabled = False

    @classmethod
    def pause(cls) -> None:
        if not cls.paused:
            cls.paused, cls.was_enabled = True, gc.isenabled()
        gc.disable()

    @classmethod
    def resume(cls) -> None:
        if cls.paused:
            cls.paused = False
            gc.freeze()
            if cls.was_enabled:
                gc.enable()  # else start-up's own pause ends it (ui.shell.application.run)

    @staticmethod
    def session_closed() -> None:
        gc.unfreeze()


def _with_suffix(path: str, suffix: str) -> Path:
    target = Path(path)
    return target if target.suffix.lower() == suffix else target.with_name(target.name + suffix)


class MainWindow(QMainWindow):
    document_opened = Signal()
    document_closed = Signal()

    def __init__(self, parent: QWidget | None = None, *, start_screen: bool = True) -> None:
        """`start_screen=False` when a session is about to be opened: the start screen is then
        built only if the facilitator comes back to it."""
        super().__init__(parent)
        self.document: SessionDocument | None = None
        self.workshop: WorkshopWidget | None = None
        self.presenter: PresenterController | None = None
        self.room_second_language: str | None = None  # a bilingual room: the second language
        self.change_dialog: QWidget | None = None  # the latest "What changed" view, kept open
        self.navigator: KeyNavigator | None = None
        self._start: StartWidget | None = None
        self.banner = MessageBanner()
        self.banner.log_folder_requested.connect(self.show_log_folder)
        self.pages = PageStack()
        if start_screen:
            self.show_start()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.save_state = QLabel()
        self.save_state.setObjectName("saveState")
        self.statusBar().addPermanentWidget(self.save_state)
        self._sources: list[tuple[Callable[[str], None], str]] = []  # what to say again in another language
        self._remember_due = False  # the open session is yet to be put among the recent ones
        # A change is on disk a few ms after it is shown; should the disk take longer, the
        # status no longer says everything is saved (and says so again once it is).
        self._saving = QTimer(self)
        self._saving.setSingleShot(True)
        self._saving.setInterval(300)
        self._saving.timeout.connect(lambda: self.save_state.setText(_("Saving…")))
        self._make_actions()
        self._make_menus()
        self.phones = install_phones(self)
        self._update_title()
        self._update_actions()
        self._restore_geometry()

    @property
    def start(self) -> StartWidget:
        if self._start is None:
            # Imported with the first start screen: a session opened from the command line
            # or the desktop shows none until it is closed.
            from .startwidget import StartWidget

            self._start = StartWidget()
            self._start.new_requested.connect(lambda: self.new_session())
            self._start.open_requested.connect(lambda: self.open_session())
            self._start.sample_requested.connect(lambda: self.open_sample())
            self._start.recent_requested.connect(self.open_session)
            self._start.forget_requested.connect(self._forget)
            self.pages.addWidget(self._start)
        return self._start

    def show_start(self) -> None:
        self.start.refresh()
        self.pages.setCurrentWidget(self.start)

    # --- actions and menus --------------------------------------------------

    def _action(
        self, text: str, slot: object, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None
    ) -> QAction:
        action = QAction(_(text), self)
        self._sources.append((action.setText, text))  # retranslate() says it again
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _tip(self, action: QAction, text: str) -> None:
        action.setToolTip(_(text))
        self._sources.append((action.setToolTip, text))

    def _menu(self, parent: QMenuBar | QMenu, title: str) -> QMenu:
        menu = parent.addMenu(_(title))
        self._sources.append((menu.setTitle, title))
        return menu

    def _make_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.new_action = self._action(N_("&New Session…"), lambda: self.new_session(), keys.New)
        self.open_action = self._action(N_("&Open…"), lambda: self.open_session(), keys.Open)
        self.sample_action = self._action(N_("Try the &Sample Workshop"), lambda: self.open_sample())
        self.follow_up_action = self._action(N_("Start a &Follow-up…"), lambda: self.start_follow_up())
        self._tip(
            self.follow_up_action,
            N_("Run this workshop again: the same steps and cards, no votes, and a review of the actions"),
        )
        self.changes_action = self._action(N_("What &Changed Since…"), lambda: self.show_changes())
        self._tip(self.changes_action, N_("Compare this session with an earlier run of the workshop"))
        self.combine_action = self._action(N_("Combine &Groups…"), lambda: self.combine_groups())
        self._tip(
            self.combine_action, N_("See several groups' runs of one workshop together, with counts only")
        )
        self.save_as_action = self._action(N_("Save &As…"), lambda: self.save_as(), keys.SaveAs)
        self.save_copy_action = self._action(N_("Save a Cop&y…"), lambda: self.save_copy())
        self.import_action = self._action(N_("&Import from JSON…"), lambda: self.import_json())
        self.export_json_action = self._action(N_("&Export as JSON…"), lambda: self.export_json())
        self.export_pdf_action = self._action(N_("Export &PDF Summary…"), self.export_pdf, keys.Print)
        self.close_action = self._action(N_("&Close Session"), self.close_session, keys.Close)
        self.quit_action = self._action(N_("&Quit"), self.close, keys.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.details_action = self._action(N_("Workshop &Details…"), self.edit_details, "Ctrl+I")
        self.edit_workshop_action = self._action(N_("&Edit the Workshop"), self.edit_workshop, "Ctrl+E")
        self.save_template_action = self._action(N_("Save as My &Template…"), lambda: self.save_as_template())
        self.about_action = self._action(N_("&About coprod-desktop"), self.show_about)
        self.tour_action = self._action(N_("How a Workshop &Runs"), self.show_tour)
        self.log_folder_action = self._action(N_("Show &Log Folder"), self.show_log_folder)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.settings_action = self._action(N_("&Settings…"), lambda: self.show_settings())
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.undo_action = QAction(_("&Undo"), self)
        self.undo_action.setShortcut(keys.Undo)
        self.undo_action.triggered.connect(self._undo)
        self.redo_action = QAction(_("&Redo"), self)
        self.redo_action.setShortcuts([QKeySequence(keys.Redo), QKeySequence("Ctrl+Y")])
        self.redo_action.triggered.connect(self._redo)
        # Presenting: the audience view on the projector, the clicker's keys.
        self.present_action = self._action(N_("&Present to the Room"), self.start_presenting, "F5")
        self.stop_present_action = self._action(N_("&Stop Presenting"), self.stop_presenting, "Esc")
        self.swap_action = self._action(N_("S&wap Screens"), self.swap_screens)
        self.blackout_action = self._action(N_("&Black Screen"), self.toggle_blackout, "B")
        self.contrast_action = self._action(N_("&High Contrast for the Room"), self.toggle_contrast)
        self.contrast_action.setCheckable(True)
        self.bigger_action = self._action(
            N_("&Larger Text for the Room"), lambda: self._scale(+1), keys.ZoomIn
        )
        self.smaller_action = self._action(
            N_("S&maller Text for the Room"), lambda: self._scale(-1), keys.ZoomOut
        )
        self.reset_scale_action = self._action(N_("&Reset Text Size"), lambda: self._scale(0), "Ctrl+0")
        self.next_action = self._action(N_("&Next Step"), self._next_step, "Ctrl+Right")
        self.previous_action = self._action(N_("&Previous Step"), self._previous_step, "Ctrl+Left")
        self.timer_action = self._action(N_("Start or Pause the &Timer"), self._toggle_timer, "Ctrl+T")
        self.roomy_action = self._action(N_("Hide Agenda and &Notes"), self._toggle_roomy, "Ctrl+Shift+F")
        self.roomy_action.setCheckable(True)
        self._tip(
            self.roomy_action, N_("Give the whole window to the step: useful for the matrix and canvas")
        )

    def _make_menus(self) -> None:
        file_menu = self._menu(self.menuBar(), N_("&File"))
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        self.recent_menu = self._menu(file_menu, N_("Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self.sample_action)
        file_menu.addAction(self.follow_up_action)
        file_menu.addAction(self.combine_action)
        file_menu.addSeparator()
        file_menu.addAction(self.save_as_action)
        file_menu.addAction(self.save_copy_action)
        file_menu.addAction(self.save_template_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_pdf_action)
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.export_json_action)
        file_menu.addSeparator()
        file_menu.addAction(self.close_action)
        file_menu.addAction(self.quit_action)
        edit_menu = self._menu(self.menuBar(), N_("&Edit"))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.details_action)
        edit_menu.addAction(self.edit_workshop_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.settings_action)
        view_menu = self._menu(self.menuBar(), N_("&View"))
        self.view_menu = view_menu  # others add their actions here (Phones)
        view_menu.addAction(self.changes_action)
        view_menu.addSeparator()
        view_menu.addAction(self.present_action)
        view_menu.addAction(self.stop_present_action)
        self.screen_menu = self._menu(view_menu, N_("Presentation &Screen"))
        self.screen_menu.aboutToShow.connect(self._fill_screen_menu)
        self.second_language_menu = self._menu(view_menu, N_("Second &Language for the Room"))
        self.second_language_menu.aboutToShow.connect(self._fill_second_language_menu)
        view_menu.addAction(self.swap_action)
        view_menu.addAction(self.blackout_action)
        view_menu.addSeparator()
        view_menu.addAction(self.bigger_action)
        view_menu.addAction(self.smaller_action)
        view_menu.addAction(self.reset_scale_action)
        view_menu.addAction(self.contrast_action)
        view_menu.addSeparator()
        view_menu.addAction(self.next_action)
        view_menu.addAction(self.previous_action)
        view_menu.addAction(self.timer_action)
        view_menu.addAction(self.roomy_action)
        help_menu = self._menu(self.menuBar(), N_("&Help"))
        help_menu.addAction(self.tour_action)
        help_menu.addAction(self.log_folder_action)
        help_menu.addAction(self.about_action)

    def _fill_recent_menu(self) -> None:
        self._remember_if_due()
        self.recent_menu.clear()
        entries = settings.recent_sessions()
        for entry in entries:
            label = mnemonic_safe(
                _("{title} ({file})").format(title=entry.title or entry.path.stem, file=entry.path.name)
            )
            action = self.recent_menu.addAction(label)
            action.setEnabled(entry.exists)
            action.triggered.connect(lambda _checked=False, p=entry.path: self.open_session(p))
        if not entries:
            self.recent_menu.addAction(_("No recent sessions")).setEnabled(False)

    def _update_actions(self) -> None:
        is_open = self.document is not None
        presenting = self.presenter is not None and self.presenter.presenting
        for action in (
            self.present_action,
            self.bigger_action,
            self.smaller_action,
            self.reset_scale_action,
            self.contrast_action,
            self.next_action,
            self.previous_action,
            self.timer_action,
            self.roomy_action,
        ):
            action.setEnabled(is_open)
        for action in (self.stop_present_action, self.blackout_action, self.swap_action):
            action.setEnabled(presenting)
        for action in (
            self.save_as_action,
            self.save_copy_action,
            self.export_json_action,
            self.export_pdf_action,
            self.close_action,
            self.save_template_action,
            self.edit_workshop_action,
            self.follow_up_action,
            self.changes_action,
        ):
            action.setEnabled(is_open)
        self.details_action.setEnabled(is_open and not self.document.read_only if self.document else False)
        stack = self.document.undo_stack if self.document else None
        # While a voter is at the laptop, undo could take back someone's vote: it waits.
        ballot = self.document is not None and self.document.ballot is not None
        self.undo_action.setEnabled(bool(stack and stack.canUndo()) and not ballot)
        self.redo_action.setEnabled(bool(stack and stack.canRedo()) and not ballot)
        undo, redo = (mnemonic_safe(stack.undoText()), mnemonic_safe(stack.redoText())) if stack else ("", "")
        self.undo_action.setText(
            _("&Undo {edit}").format(edit=undo) if stack and stack.canUndo() else _("&Undo")
        )
        self.redo_action.setText(
            _("&Redo {edit}").format(edit=redo) if stack and stack.canRedo() else _("&Redo")
        )

    def _ballot_changed(self, _open: bool) -> None:
        self._update_actions()

    def _undo(self) -> None:
        # The stack is the whole session's: Ctrl+Z on one step may take back an edit made on
        # another, so the status bar always says what was taken back.
        if self.document is not None and self.document.undo_stack.canUndo():
            text = self.document.undo_stack.undoText()
            self.document.undo_stack.undo()
            self.statusBar().showMessage(_("Undone: {edit}").format(edit=text), 8000)

    def _redo(self) -> None:
        if self.document is not None and self.document.undo_stack.canRedo():
            text = self.document.undo_stack.redoText()
            self.document.undo_stack.redo()
            self.statusBar().showMessage(_("Redone: {edit}").format(edit=text), 8000)

    # --- title and saved state ----------------------------------------------

    def _update_title(self) -> None:
        if self.document is None:
            self.setWindowTitle(APP_NAME)
            self.save_state.setText("")
            return
        title = self.document.session.info.title or _("Untitled workshop")
        if self.document.read_only:
            title = _("{title} (read-only)").format(title=title)
        self.setWindowTitle(f"{title} — {APP_NAME}")
        self.setWindowFilePath(str(self.document.path or ""))

    def _mark_saved(self) -> None:
        self._saving.stop()
        stamp = QTime.currentTime().toString("HH:mm:ss")
        self.save_state.setText(_("✓ All changes saved ({time})").format(time=stamp))

    def _save_failed(self, message: str) -> None:
        self._saving.stop()
        self.save_state.setText(_("✗ Last change NOT saved"))
        self.show_problem(message)

    def show_problem(self, message: str) -> None:
        """A plain sentence in a strip at the top of the window; nothing blocks the workshop."""
        self.banner.show_message(message, problem=True)

    def show_note(self, message: str) -> None:
        self.banner.show_message(message, problem=False)

    def show_bug(self, message: str) -> None:
        """What the exception hook (errorlog.ErrorLog) says after a bug, with the log folder's button."""
        self.banner.show_message(message, problem=True, log=True)

    def show_log_folder(self) -> None:
        from .errorlog import show_log_folder

        try:
            show_log_folder()
        except OSError as exc:
            self.show_problem(
                _("Could not make the log folder: {reason}.").format(reason=exc.strerror or exc)
            )

    # --- sessions -----------------------------------------------------------

    def _ask_save_path(self, caption: str, suggested: str) -> Path | None:
        from PySide6.QtWidgets import QFileDialog  # with the first dialog, not at start-up

        chosen, _filter = QFileDialog.getSaveFileName(
            self, caption, str(_documents_folder() / suggested), _(FILE_FILTER)
        )
        return _with_suffix(chosen, ".coprod") if chosen else None

    def new_session(
        self, path: Path | None = None, session: Session | None = None, *, template: Path | None = None
    ) -> bool:
        """Start a session from a template (asked for when neither `session`, `template` nor
        `path` is given; the default template otherwise), saved at `path` (asked for if None)."""
        from ...storage.templates import load_builtin_template, load_template

        language: str | None = None
        if session is None and template is None and path is None:
            from .templatedialog import NewSessionDialog

            chooser = NewSessionDialog(self)
            choice = chooser.chosen() if chooser.exec() == NewSessionDialog.DialogCode.Accepted else None
            if choice is None:
                return False
            template = choice.path
            language = chooser.language() if choice.builtin else None  # the workshop's language
        if path is None:
            today = datetime.date.today().isoformat()
            path = self._ask_save_path(
                _("Where should the new session be saved?"),
                _("Workshop {date}").format(date=today) + ".coprod",
            )
            if path is None:
                return False
        try:
            if session is None:
                if language is not None and template is not None:
                    session = load_builtin_template(template.name, language=language)
                else:
                    session = load_template(template) if template is not None else load_builtin_template()
                from ...domain.i18n import using

                with using(language):  # the title in the workshop's own language
                    title = _("New co-production workshop")
                session.put(
                    replace(  # keeps the session key the template gave it
                        session.info,
                        title=title,
                        date=datetime.date.today().isoformat(),
                    )
                )
            _Collection.pause()
            document = SessionDocument.create(path, session, self)
        except KnownError as exc:
            _Collection.resume()
            self.show_problem(str(exc))
            return False
        self._adopt(document)
        return True

    def open_sample(self, path: Path | None = None) -> bool:
        """Write the sample workshop to a new file and open it."""
        from ...domain.sample import build_sample
        from ...storage.templates import load_builtin_template

        if path is None:
            folder = settings.data_folder() / "samples"
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                self.show_problem(
                    _("Could not make a folder for the sample workshop: {reason}.").format(
                        reason=exc.strerror
                    )
                )
                return False
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            path = folder / (_("Sample workshop {stamp}").format(stamp=stamp) + ".coprod")
        return self.new_session(path, build_sample(load_builtin_template()))

    def start_follow_up(self, path: Path | None = None, *, keep_participants: bool | None = None) -> bool:
        """A new session running the open one's workshop again (see domain.followup), opened
        in its place. The earlier file is only read; its place is remembered for "What Changed"."""
        from PySide6.QtWidgets import QMessageBox

        from ...domain.followup import start_follow_up

        if self.document is None:
            return False
        earlier = self.document.session
        earlier_path = self.document.path
        if keep_participants is None:
            answer = QMessageBox.question(
                self,
                _("Start a follow-up"),
                _("Keep the same list of participants? (You can change it later.)"),
                QMessageBox.StandardButton.Yes
                | QMessageBox.StandardButton.No
                | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return False
            keep_participants = answer == QMessageBox.StandardButton.Yes
        today = datetime.date.today().isoformat()
        if path is None:
            stem = earlier_path.stem if earlier_path is not None else _("Workshop")
            suggested = _("{name} follow-up {date}").format(name=stem, date=today) + ".coprod"
            path = self._ask_save_path(_("Where should the follow-up be saved?"), suggested)
            if path is None:
                return False
        try:
            follow_up = start_follow_up(earlier, keep_participants=keep_participants, date=today)
        except ValueError:
            self.show_problem(
                _("This session has no key to link a follow-up to; save it with Save As first.")
            )
            return False
        if earlier_path is not None:
            settings.remember_earlier_run(earlier.info.session_key, earlier_path)
        return self.new_session(path, follow_up)

    def show_changes(self, earlier_path: Path | None = None) -> bool:
        """Compare the open session with an earlier run: the one it follows if its file is
        known, else one the facilitator picks."""
        from ...domain.compare import compare
        from ...storage.sessionfile import SessionFile
        from ..steps.compare.changeview import ChangeDialog

        if self.document is None:
            return False
        session = self.document.session
        if earlier_path is None:
            known = settings.earlier_run(session.info.follows) if session.info.follows else None
            if known is not None and known.exists():
                earlier_path = known
            else:
                from PySide6.QtWidgets import QFileDialog  # with the first dialog, not at start-up

                chosen, _filter = QFileDialog.getOpenFileName(
                    self, _("Compare with which earlier session?"), str(_documents_folder()), _(FILE_FILTER)
                )
                if not chosen:
                    return False
                earlier_path = Path(chosen)
        try:
            with SessionFile.open(earlier_path, read_only=True) as opened:
                earlier = opened.load()
            comparison = compare(earlier, session, names=(earlier_path.name, _("this session")))
        except KnownError as exc:
            self.show_problem(str(exc))
            return False
        if self.change_dialog is not None:
            self.change_dialog.close()  # one change view at a time, so one claim on the room
        self.change_dialog = ChangeDialog(
            comparison, len(session.matrix.scale), self, presenter=self.presenter, console=self
        )
        self.change_dialog.show()
        return True

    def combine_groups(self, paths: list[Path] | None = None) -> QWidget:
        """The Combine Groups window (no session need be open): files asked for when None."""
        from ..steps.compare.combineview import CombineWindow

        window = CombineWindow(self, paths or [])
        self.combine_window = window
        window.show()
        if paths is None:
            window.add_files()
        return window

    def open_session(self, path: Path | str | None = None) -> bool:
        if path is None:
            from PySide6.QtWidgets import QFileDialog  # with the first dialog, not at start-up

            chosen, _filter = QFileDialog.getOpenFileName(
                self,
                _("Open a session"),
                str(_documents_folder()),
                _("{sessions};;All files (*)").format(sessions=_(FILE_FILTER)),
            )
            if not chosen:
                return False
            path = chosen
        path = Path(path)
        if (
            self.document is not None
            and self.document.path
            and self.document.path.resolve() == path.resolve()
        ):
            return True
        _Collection.pause()
        try:
            document = SessionDocument.open(path, self)
        except KnownError as exc:
            _Collection.resume()
            self.show_problem(str(exc))
            return False
        self._adopt(document)
        if document.read_only:
            self.show_note(
                _(
                    "{file} can only be read here (the file or its folder cannot be written to). "
                    "Changes will not be saved; use File > Save As to keep working in a copy."
                ).format(file=path.name)
            )
        return True

    @staticmethod
    def _fonts_for(changes: ChangeSet) -> None:
        """New words (a name typed, a card, a step edited) may be in a script not yet seen."""
        ensure_fonts_for(texts_of(change.new for change in changes if change.new is not None))

    def _adopt(self, document: SessionDocument) -> None:
        self.close_session()
        self.banner.hide()
        self.document = document
        document.info_changed.connect(self._update_title)
        document.info_changed.connect(self._remember)
        document.saved.connect(self._mark_saved)
        document.save_failed.connect(self._save_failed)
        document.changed.connect(lambda _changes: self._saving.start())
        document.path_changed.connect(self._update_title)
        document.path_changed.connect(self._remember)
        document.undo_stack.indexChanged.connect(self._update_actions)
        document.undo_stack.cleanChanged.connect(self._update_actions)
        # Fonts for the scripts in the session the laptop may lack, before any of it is drawn.
        ensure_fonts_for(session_texts(document.session))
        ensure_all_soon()  # the other scripts' fonts, before anyone can type in them
        document.changed.connect(self._fonts_for)
        self.workshop = WorkshopWidget(document)
        self.workshop.set_roomy(self.roomy_action.isChecked())
        document.ballot_changed.connect(self._ballot_changed)
        self.presenter = PresenterController(document, self.workshop.timer, self)
        self.presenter.set_second_language(self.room_second_language)
        self.presenter.presenting_changed.connect(self._presenting_changed)
        self.presenter.thumbnails.append(self.workshop.step_view.thumbnail)
        self.navigator = KeyNavigator(document, self, self.presenter.clicker)
        self.workshop.timer.reached_zero.connect(self._time_is_up)
        self.pages.addWidget(self.workshop)
        self.pages.setCurrentWidget(self.workshop)
        self.save_state.setText(
            _("Read-only: changes are not saved") if document.read_only else _("✓ All changes saved")
        )
        # The recent sessions are updated once the workshop is on screen: the list is read
        # from the settings (each entry's file looked for) and, for a file not at its top,
        # written and synced to disk, none of which the first frame needs.
        self._remember_due = True
        QTimer.singleShot(0, self._remember_if_due)
        self._update_title()
        self._update_actions()
        self.workshop.agenda.setFocus()
        self.document_opened.emit()
        QTimer.singleShot(0, _Collection.resume)

    def _remember_if_due(self) -> None:
        if self._remember_due:
            self._remember()

    def _remember(self) -> None:
        self._remember_due = False
        if self.document is not None and self.document.path is not None:
            info = self.document.session.info
            settings.remember_session(self.document.path, info.title, info.date)

    def _forget(self, path: Path) -> None:
        settings.forget_session(path)
        self.start.refresh()

    def close_session(self, *, then_start: bool = True) -> None:
        """Close the open session (everything is already on disk, or waited for here) and show
        the start screen (not when quitting: `then_start=False` builds nothing at quit)."""
        if self.document is None:
            return
        self._remember_if_due()  # a session closed at once is still among the recent ones
        if self.presenter is not None:
            self.presenter.close()
            self.presenter.deleteLater()
            self.presenter = None
        if self.navigator is not None:
            self.navigator.detach()
            self.navigator.deleteLater()
            self.navigator = None
        if self.workshop is not None:
            self.pages.removeWidget(self.workshop)
            self.workshop.deleteLater()
            self.workshop = None
        self.document.close()
        # What the session read is let go of now: the document and the screens that showed it
        # can hold each other in cycles until Qt has deleted them and a full collection finds
        # them, and the session (thousands of entities) would wait with them.
        self.document.session = Session()
        self.document.deleteLater()
        self.document = None
        _Collection.session_closed()
        if then_start:
            self.show_start()
        self._update_title()
        self._update_actions()
        self.document_closed.emit()

    def save_as(self, path: Path | None = None) -> bool:
        if self.document is None:
            return False
        if path is None:
            stem = file_stem(self.document.session.info.title)
            path = self._ask_save_path(_("Save the session as"), f"{stem}.coprod")
            if path is None:
                return False
        try:
            self.document.save_as(path)
        except KnownError as exc:
            self.show_problem(str(exc))
            return False
        self.show_note(_("Now working in {file}. Every change is saved there.").format(file=path.name))
        self._update_actions()
        return True

    def save_copy(self, path: Path | None = None) -> bool:
        if self.document is None:
            return False
        if path is None:
            path = self._ask_save_path(
                _("Save a copy of the session"),
                _("{name} copy").format(name=file_stem(self.document.session.info.title)) + ".coprod",
            )
            if path is None:
                return False
        try:
            self.document.save_copy(path)
        except KnownError as exc:
            self.show_problem(str(exc))
            return False
        current = self.document.path.name if self.document.path else _("the open session")
        self.show_note(
            _("Saved a copy as {file}. You are still working in {current}.").format(
                file=path.name, current=current
            )
        )
        return True

    def import_json(self, json_path: Path | None = None, out: Path | None = None) -> bool:
        from ...storage.atomic import read_user_text
        from ...storage.interchange import session_from_json

        if json_path is None:
            from PySide6.QtWidgets import QFileDialog  # with the first dialog, not at start-up

            chosen, _filter = QFileDialog.getOpenFileName(
                self, _("Import a session export"), str(_documents_folder()), _(JSON_FILTER)
            )
            if not chosen:
                return False
            json_path = Path(chosen)
        try:
            text = read_user_text(json_path)  # a pipe or a device is refused, never waited on
            session = session_from_json(text, json_path.name)
        except (OSError, UnicodeDecodeError) as exc:
            self.show_problem(_("Could not read {file}: {reason}.").format(file=json_path.name, reason=exc))
            return False
        except KnownError as exc:
            self.show_problem(str(exc))
            return False
        if out is None:
            out = self._ask_save_path(_("Save the imported session as"), f"{json_path.stem}.coprod")
            if out is None:
                return False
        return self.new_session(out, session)

    def export_pdf(self) -> None:
        """The PDF summary for participants, or the facilitator's report, made in the background."""
        from .pdfexport import export_pdf_interactively  # reportlab loads only when exporting

        if self.document is not None:
            export_pdf_interactively(self, self.document)

    def export_json(self, out: Path | None = None) -> bool:
        from ...storage.atomic import atomic_write
        from ...storage.interchange import session_to_json

        if self.document is None:
            return False
        if out is None:
            from PySide6.QtWidgets import QFileDialog  # with the first dialog, not at start-up

            chosen, _filter = QFileDialog.getSaveFileName(
                self,
                _("Export the session as JSON"),
                str(_documents_folder() / f"{file_stem(self.document.session.info.title)}.json"),
                _(JSON_FILTER),
            )
            if not chosen:
                return False
            out = _with_suffix(chosen, ".json")
        try:
            with atomic_write(out) as stream:
                stream.write(session_to_json(self.document.session).encode("utf-8"))
        except OSError as exc:
            self.show_problem(
                _("Could not write {file}: {reason}.").format(file=out.name, reason=exc.strerror or exc)
            )
            return False
        self.show_note(_("Exported the session to {file}.").format(file=out))
        return True

    # --- presenting ---------------------------------------------------------

    def start_presenting(self) -> None:
        if self.presenter is None or self.workshop is None or self.document is None:
            return
        self.presenter.start(self)
        self._update_actions()

    def stop_presenting(self) -> None:
        if self.presenter is not None and self.presenter.presenting:
            self.presenter.stop()
            self.activateWindow()

    def swap_screens(self) -> None:
        if self.presenter is not None:
            self.presenter.swap(self)
            self._remember_screen()

    def toggle_blackout(self) -> None:
        if self.presenter is not None:
            self.presenter.toggle_blackout()

    def toggle_contrast(self) -> None:
        if self.presenter is not None:
            self.presenter.set_high_contrast(self.contrast_action.isChecked())

    def _scale(self, direction: int) -> None:
        if self.presenter is None:
            return
        scale = 1.0 if direction == 0 else self.presenter.scale + direction * 0.1
        self.presenter.set_scale(scale)
        self.statusBar().showMessage(
            _("Text for the room at {percent}%").format(percent=round(self.presenter.scale * 100)), 3000
        )

    def _next_step(self) -> None:
        if self.document is not None:
            self.document.go_next()

    def _previous_step(self) -> None:
        if self.document is not None:
            self.document.go_previous()

    def _toggle_roomy(self) -> None:
        if self.workshop is not None:
            self.workshop.set_roomy(self.roomy_action.isChecked())

    def _toggle_timer(self) -> None:
        if self.workshop is not None:
            self.workshop.timer.toggle()

    def _time_is_up(self) -> None:
        # Non-modal: a line in the status bar; the timer itself turns to "Time is up!".
        self.statusBar().showMessage(_("Time is up for this step."), 10_000)

    def _fill_screen_menu(self) -> None:
        self.screen_menu.clear()
        if self.presenter is None:
            return
        chosen = self.presenter.audience_screen(self).name()
        for screen in self.presenter.screens():
            size = screen.geometry()
            label = _("{screen} — {width}×{height}").format(
                screen=screen.name(), width=size.width(), height=size.height()
            )
            if screen is self.screen():
                label = _("{screen} (this window)").format(screen=label)
            action = self.screen_menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(screen.name() == chosen)
            name = screen.name()
            action.triggered.connect(lambda _checked=False, name=name: self._choose_screen(name))

    def _fill_second_language_menu(self) -> None:
        """One language, or the workshop's words in a second one under each text (a bilingual room)."""
        from ...domain.i18n import name_of, normalise
        from ...storage.templates import builtin_template_names, second_text_for, template_languages

        menu = self.second_language_menu
        menu.clear()
        one = menu.addAction(_("&One Language Only"))
        one.setCheckable(True)
        one.setChecked(not self.room_second_language)
        one.triggered.connect(lambda _checked=False: self._choose_second_language(None))
        if self.document is None:
            return
        session = self.document.session
        own = normalise(session.info.language or "en").split("-")[0]
        offered = sorted({lang for name in builtin_template_names() for lang in template_languages(name)})
        for lang in offered:
            if lang == own:
                continue
            paired = second_text_for(session, lang) is not None
            label = (
                name_of(lang)
                if paired
                else _("{language} (this workshop has no translation)").format(language=name_of(lang))
            )
            action = menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(self.room_second_language == lang)
            action.setEnabled(paired)
            action.triggered.connect(lambda _checked=False, lang=lang: self._choose_second_language(lang))

    def _choose_second_language(self, tag: str | None) -> None:
        from ...domain.i18n import name_of

        self.room_second_language = tag
        if self.presenter is not None:
            self.presenter.set_second_language(tag)
        said = _("The room shows one language.")
        if tag:
            said = _("The room shows the workshop in {language} too.").format(language=name_of(tag))
        self.statusBar().showMessage(said, 5000)

    def _choose_screen(self, name: str) -> None:
        if self.presenter is not None:
            self.presenter.choose_screen(name, self)
            self._remember_screen()

    def _remember_screen(self) -> None:
        if self.presenter is not None:
            settings.remember_presenter_screen(self.presenter.screen_name)

    def _presenting_changed(self, presenting: bool) -> None:
        if self.workshop is not None:
            self.workshop.step_view.thumbnail_box.setVisible(presenting)
        self._update_actions()

    # --- edits --------------------------------------------------------------

    def edit_workshop(self) -> None:
        if self.workshop is not None:
            self.workshop.edit_button.setChecked(not self.workshop.edit_button.isChecked())

    def save_as_template(
        self, name: str | None = None, description: str = "", folder: Path | None = None
    ) -> Path | None:
        """Keep this workshop's content as a template of the facilitator's own."""
        from ...storage.templates import save_personal_template
        from .templatedialog import SaveTemplateDialog, personal_templates_folder

        if self.document is None:
            return None
        if name is None:
            dialog = SaveTemplateDialog(self.document.session.info.title, self)
            if dialog.exec() != SaveTemplateDialog.DialogCode.Accepted or not dialog.name():
                return None
            name, description = dialog.name(), dialog.description()
        try:
            saved = save_personal_template(
                self.document.session, name, folder or personal_templates_folder(), description
            )
        except KnownError as exc:
            self.show_problem(str(exc))
            return None
        self.show_note(
            _("Saved the template “{name}”. Choose it under File > New Session.").format(name=name)
        )
        return saved

    def edit_details(self) -> None:
        if self.document is None:
            return
        from .detailsdialog import DetailsDialog

        dialog = DetailsDialog(self.document.session.info, self)
        if dialog.exec() == DetailsDialog.DialogCode.Accepted:
            self.document.put(dialog.details(), _("Edit workshop details"))

    def show_tour(self) -> None:
        self.close_session()
        self.start.tour.show()
        self.start.tour.got_it.setFocus()

    # --- the language of the screens --------------------------------------------

    def show_settings(self) -> None:
        from .settingsdialog import SettingsDialog

        dialog = SettingsDialog(settings.app_language(), self)
        if dialog.exec() == SettingsDialog.DialogCode.Accepted:
            self.set_app_language(dialog.language())

    def set_app_language(self, tag: str) -> None:
        """Speak `tag` on every screen now ("" follows the system), and from the next start."""
        from .application import apply_layout_direction
        from .language import apply_language, system_language

        settings.remember_app_language(tag)
        apply_language(tag or system_language())
        apply_layout_direction()  # a right-to-left language mirrors the screens, at once
        self.retranslate()

    def retranslate(self) -> None:
        """Say everything again in the language now in force, with no restart.

        The menus' actions keep their objects (so shortcuts, checks and what others added to
        the menus stay) and only take their texts again. The start screen and the open
        session's workshop view are made again from the document, the way opening a session
        makes them: the session, its step, the undo stack and the running timer are the
        document's and the timer's, and stay. Re-making is one path that opening already
        exercises; a retranslate method in each of some sixty widgets would be sixty places to
        forget a string, and many texts are built from state (counts, statuses, ballots)."""
        for say, text in self._sources:
            say(_(text))
        if self._start is not None:
            showing = self.pages.currentWidget() is self._start
            self.pages.removeWidget(self._start)
            self._start.deleteLater()
            self._start = None
            if showing:
                self.show_start()
        if self.document is not None and self.workshop is not None:
            self._remake_workshop()
        self.phones.retranslate()  # its menu texts, panel and join screens (the room's, made again)
        if self.document is not None:
            self.save_state.setText(
                _("Read-only: changes are not saved") if self.document.read_only else _("✓ All changes saved")
            )
        self._update_title()
        self._update_actions()

    def _remake_workshop(self) -> None:
        assert self.document is not None
        assert self.workshop is not None
        old = self.workshop
        people, editing = old.people_button.isChecked(), old.edit_button.isChecked()
        workshop = WorkshopWidget(self.document, timer=old.timer)
        workshop.set_roomy(self.roomy_action.isChecked())
        self.pages.addWidget(workshop)
        self.pages.setCurrentWidget(workshop)
        self.pages.removeWidget(old)
        self.workshop = workshop
        workshop.people_button.setChecked(people)
        workshop.edit_button.setChecked(editing)
        if self.presenter is not None:
            thumbnails = self.presenter.thumbnails
            thumbnails[:] = [t for t in thumbnails if t is not old.step_view.thumbnail]
            thumbnails.append(workshop.step_view.thumbnail)
            presenting = self.presenter.presenting
            workshop.step_view.thumbnail_box.setVisible(presenting)
            if presenting:  # the room's window is made again in the new language too
                self.presenter.close()
                self.presenter.start(self)
        old.deleteLater()

    def show_about(self) -> None:
        from .aboutdialog import AboutDialog

        AboutDialog(self).exec()

    # --- size and place, per screen ------------------------------------------

    def _restore_geometry(self) -> None:
        """The size and place last used on this screen; else as large as fits it, up to 1280×800
        (a 1366×768 laptop gets its whole height, less the panel)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        size = screen.size()
        saved = settings.window_geometry(screen.name(), size.width(), size.height())
        if saved is not None and self.restoreGeometry(saved):
            return
        free = screen.availableGeometry()
        self.resize(min(1280, free.width()), min(800, free.height() - 40))
        self.move(free.topLeft())

    def remember_geometry(self) -> None:
        screen = self.screen()
        if screen is not None:
            size = screen.size()
            settings.remember_window_geometry(screen.name(), size.width(), size.height(), self.saveGeometry())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.remember_geometry()
        # Every change is committed; this waits for the last to reach the disk and releases
        # the file. No start screen is built for a window that is going away.
        self.close_session(then_start=False)
        event.accept()
