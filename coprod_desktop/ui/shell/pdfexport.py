"""File → Export PDF…: the options, a worker thread, progress, and "Open PDF" when done.

The report is built from a snapshot of the session, in a thread of Qt's global
pool, so the workshop stays responsive and later edits cannot change a report
half-way through. reportlab is imported only when the first export starts.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QLocale,
    QObject,
    QRunnable,
    QSettings,
    QStandardPaths,
    Qt,
    QThreadPool,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import KnownError
from ...domain.i18n import _, available, current, name_of, ngettext, using
from ...domain.model import Session
from ..common.plaintext import file_stem
from . import settings

if TYPE_CHECKING:
    from ...report.papers import Paper
    from ...report.pdf import ReportOptions, ReportResult

__all__ = ["PdfExportDialog", "PdfExporter", "export_pdf_interactively", "locale_paper"]

SETTINGS_GROUP = "pdf_export"


def locale_paper(locale: QLocale | None = None) -> str:
    """A4 or Letter for the user's locale ("en_US" -> letter, "pl_PL" -> a4)."""
    from ...report.papers import default_paper

    return default_paper((locale or QLocale()).name())


def suggested_pdf_path(session: Session, session_path: Path | None) -> Path:
    """Where a facilitator would look for the PDF: beside the session file, else in Documents."""
    if session_path is not None:
        return session_path.with_suffix(".pdf")
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(
        Path.home()
    )
    return Path(folder) / f"{file_stem(session.info.title)}.pdf"


# --- the worker -------------------------------------------------------------------------


class _Relay(QObject):
    """Lives in the GUI thread; the worker emits through it, so Qt queues the signals across."""

    progressed = Signal(int)
    succeeded = Signal(object)
    failed = Signal(str)


class _BuildJob(QRunnable):
    def __init__(
        self,
        session: Session,
        path: Path,
        options: ReportOptions,
        relay: _Relay,
        earlier: Session | None = None,
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the exporter holds it until it reports
        self._earlier = earlier
        self._session = session
        self._path = path
        self._options = options
        self._relay = relay
        self._language = current()  # a worker thread starts in the default language

    def run(self) -> None:
        with using(self._language):
            self._run()

    def _run(self) -> None:
        try:
            from ...report.pdf import build_pdf

            result = build_pdf(
                self._session,
                self._path,
                self._options,
                progress=self._relay.progressed.emit,
                earlier=self._earlier,
            )
        except KnownError as exc:
            self._relay.failed.emit(str(exc))
        except Exception as exc:  # a bug: still a plain sentence for the facilitator
            self._relay.failed.emit(
                _("The PDF could not be made because of a fault in the app ({kind}: {error}).").format(
                    kind=type(exc).__name__, error=exc
                )
            )
        else:
            self._relay.succeeded.emit(result)


class PdfExporter(QObject):
    """Builds one PDF at a time in a worker thread; reports progress, success or failure."""

    started = Signal()
    progressed = Signal(int)  # pages finished so far
    finished = Signal(object)  # the ReportResult
    failed = Signal(str)  # a plain sentence

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._relay = _Relay(self)
        self._relay.progressed.connect(self.progressed)
        self._relay.succeeded.connect(self._succeeded)
        self._relay.failed.connect(self._failed)
        self._job: _BuildJob | None = None

    @property
    def running(self) -> bool:
        return self._job is not None

    def export(
        self, session: Session, path: str | Path, options: ReportOptions, *, earlier: Session | None = None
    ) -> None:
        """Start building. The session is copied first: the workshop can go on changing meanwhile.
        With `earlier` (the run a follow-up follows), the handout opens with what changed."""
        if self._job is not None:
            raise RuntimeError("an export is already running")
        snapshot = copy.deepcopy(session)
        self._job = _BuildJob(snapshot, Path(path), options, self._relay, earlier)
        self.started.emit()
        self._pool.start(self._job)

    def _succeeded(self, result: ReportResult) -> None:
        self._job = None
        self.finished.emit(result)

    def _failed(self, message: str) -> None:
        self._job = None
        self.failed.emit(message)


# --- the dialog -------------------------------------------------------------------------


class PdfExportDialog(QDialog):
    """The export options, then progress, then "Open PDF" and "Show in folder"."""

    # How the dialog opens a file or folder; tests replace it.
    open_url: Callable[[QUrl], Any] = staticmethod(QDesktopServices.openUrl)

    def __init__(
        self,
        session: Session,
        suggested_path: Path,
        parent: QWidget | None = None,
        exporter: PdfExporter | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Export PDF"))
        self._session = session
        self.exporter = exporter or PdfExporter(self)
        self.report_result: ReportResult | None = None

        self.path_edit = QLineEdit(str(suggested_path))
        self.path_edit.setAccessibleName(_("Save the PDF as"))
        browse = QPushButton(_("&Browse…"))
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)

        self.paper_combo = QComboBox()
        self.paper_combo.addItem("A4", "a4")
        self.paper_combo.addItem(_("US Letter"), "letter")
        self.paper_combo.setAccessibleName(_("Paper size"))
        self.names_check = QCheckBox(_("Include &participants' names"))
        self.names_check.setToolTip(_("Untick for a copy with no names: roles stand in for them."))
        self.large_check = QCheckBox(_("&Large print"))
        self.facilitator_check = QCheckBox(_("&Facilitator report (every count and every vote)"))
        # The handout is in the session's language; it can follow in a second one too.
        self.second_combo = QComboBox()
        self.second_combo.setAccessibleName(_("Second language of the handout"))
        self.second_combo.addItem(_("None"), None)
        own = (getattr(session.info, "language", "") or "en").split("-")[0]
        for tag in available():
            if tag != own:
                self.second_combo.addItem(name_of(tag), tag)
        self._restore_choices()

        form = QFormLayout()
        # A row holding a layout gets no buddy from addRow: the label needs one, or its "&" shows.
        save_label = QLabel(_("&Save as:"))
        save_label.setBuddy(self.path_edit)
        form.addRow(save_label, path_row)
        form.addRow(_("Pa&per:"), self.paper_combo)
        form.addRow("", self.names_check)
        form.addRow("", self.large_check)
        form.addRow("", self.facilitator_check)
        form.addRow(_("Also &in:"), self.second_combo)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the page count is not known until the end
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # it names the file the facilitator chose

        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(_("&Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button = self.buttons.addButton(_("&Open PDF"), QDialogButtonBox.ButtonRole.ActionRole)
        self.folder_button = self.buttons.addButton(
            _("Show in &folder"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.open_button.hide()
        self.folder_button.hide()
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        self.open_button.clicked.connect(self._open_pdf)
        self.folder_button.clicked.connect(self._show_folder)
        self.close_button.clicked.connect(self.reject)

        self.exporter.progressed.connect(self._progressed)
        self.exporter.finished.connect(self._finished)
        self.exporter.failed.connect(self._failed)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(620, 0)

    # --- choices ---------------------------------------------------------------------

    def options(self) -> ReportOptions:
        from ...report.pdf import ReportOptions

        paper: Paper = "letter" if self.paper_combo.currentData() == "letter" else "a4"
        return ReportOptions(
            paper=paper,
            names=self.names_check.isChecked(),
            large_print=self.large_check.isChecked(),
            facilitator=self.facilitator_check.isChecked(),
            second_language=self.second_combo.currentData() or None,
        )

    def path(self) -> Path:
        text = self.path_edit.text().strip()
        path = Path(text).expanduser()
        return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")

    def _restore_choices(self) -> None:
        settings = QSettings()
        settings.beginGroup(SETTINGS_GROUP)
        paper = str(settings.value("paper", locale_paper(), str))
        self.paper_combo.setCurrentIndex(max(self.paper_combo.findData(paper), 0))
        self.names_check.setChecked(_flag(settings.value("names", True)))
        self.large_check.setChecked(_flag(settings.value("large_print", False)))
        self.facilitator_check.setChecked(_flag(settings.value("facilitator", False)))
        settings.endGroup()

    def _remember_choices(self) -> None:
        settings = QSettings()
        settings.beginGroup(SETTINGS_GROUP)
        settings.setValue("paper", self.paper_combo.currentData())
        settings.setValue("names", self.names_check.isChecked())
        settings.setValue("large_print", self.large_check.isChecked())
        settings.setValue("facilitator", self.facilitator_check.isChecked())
        settings.endGroup()

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Export PDF"), self.path_edit.text(), _("PDF files (*.pdf)")
        )
        if chosen:
            self.path_edit.setText(chosen)

    # --- running ---------------------------------------------------------------------

    def start_export(self) -> None:
        if self.exporter.running:
            return
        if not self.path_edit.text().strip():
            self.status.setText(_("Choose where to save the PDF first."))
            return
        self._remember_choices()
        self.report_result = None
        self._set_running(True)
        self.status.setText(_("Making the PDF…"))
        self.exporter.export(self._session, self.path(), self.options(), earlier=self._earlier_run())

    def _earlier_run(self) -> Session | None:
        """The run this session follows, if its file is known and is still a run of this
        workshop: the handout then opens with "What changed since DATE"."""
        follows = self._session.info.follows
        found = settings.earlier_run(follows) if follows else None
        if found is None or not found.exists():
            return None
        from ...domain.compare import check_comparable
        from ...storage.sessionfile import SessionFile

        try:
            with SessionFile.open(found, read_only=True) as opened:
                earlier = opened.load()
            check_comparable(earlier, self._session)
        except KnownError:
            return None
        return earlier if earlier.info.session_key == follows else None

    def _set_running(self, running: bool) -> None:
        for widget in (
            self.path_edit,
            self.paper_combo,
            self.names_check,
            self.large_check,
            self.facilitator_check,
            self.export_button,
            self.close_button,
        ):
            widget.setEnabled(not running)
        self.progress.setVisible(running)
        if running:
            self.open_button.hide()
            self.folder_button.hide()

    def _progressed(self, pages: int) -> None:
        self.status.setText(
            ngettext("Making the PDF… {n} page so far.", "Making the PDF… {n} pages so far.", pages).format(
                n=pages
            )
        )

    def _finished(self, result: ReportResult) -> None:
        self.report_result = result
        self._set_running(False)
        self.status.setText(
            ngettext("Saved {file} ({n} page).", "Saved {file} ({n} pages).", result.pages).format(
                file=result.path.name, n=result.pages
            )
        )
        self.export_button.setText(_("Export &again"))
        self.open_button.show()
        self.folder_button.show()
        self.open_button.setDefault(True)
        self.open_button.setFocus()

    def _failed(self, message: str) -> None:
        self._set_running(False)
        self.status.setText(message)

    def _open_pdf(self) -> None:
        if self.report_result is not None:
            self.open_url(QUrl.fromLocalFile(str(self.report_result.path)))

    def _show_folder(self) -> None:
        if self.report_result is not None:
            self.open_url(QUrl.fromLocalFile(str(self.report_result.path.parent)))

    def reject(self) -> None:
        if self.exporter.running:
            return  # the file is being written; closing now would hide how it ended
        super().reject()


def _flag(value: object) -> bool:
    """A QSettings boolean: INI files give back the strings "true" and "false"."""
    if isinstance(value, str):
        return value.lower() in ("true", "1", "yes")
    return bool(value)


def export_pdf_interactively(parent_window: QWidget, document: Any) -> PdfExportDialog:
    """File → Export PDF…: shows the dialog for `document` (a SessionDocument) and returns it.

    The dialog is window-modal but does not block: the event loop, and so the
    workshop, keeps running while the PDF is made.
    """
    session: Session = document.session
    dialog = PdfExportDialog(session, suggested_pdf_path(session, document.path), parent_window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)  # closing waits for the export
    dialog.open()
    return dialog
