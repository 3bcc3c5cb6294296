"""A new session in any language its template has, and a handout in a second language."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog

from coprod_desktop.domain.sample import build_sample
from coprod_desktop.report.pdf import build_pdf
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.shell.mainwindow import MainWindow
from coprod_desktop.ui.shell.pdfexport import PdfExportDialog
from coprod_desktop.ui.shell.templatedialog import NewSessionDialog

from ...report.helpers import pdf_text


def _languages(dialog: NewSessionDialog) -> list[str]:
    combo = dialog.language_combo
    return [str(combo.itemData(index)) for index in range(combo.count())]


def test_the_new_session_dialog_offers_every_language_of_the_template(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = NewSessionDialog(folder=tmp_path)
    qtbot.addWidget(dialog)
    chosen = dialog.chosen()
    assert chosen is not None
    assert chosen.builtin
    assert _languages(dialog) == ["en", "ar", "cy"]
    assert dialog.language_combo.itemText(1) == "العربية"
    dialog.language_combo.setCurrentIndex(1)
    assert dialog.language() == "ar"


def test_a_new_session_in_arabic_has_the_arabic_workshop(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def accept_in_arabic(self: NewSessionDialog) -> int:
        self.language_combo.setCurrentIndex(self.language_combo.findData("ar"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(NewSessionDialog, "exec", accept_in_arabic)
    window = MainWindow(start_screen=False)
    qtbot.addWidget(window)
    monkeypatch.setattr(window, "_ask_save_path", lambda *_args: tmp_path / "ar.coprod")
    assert window.new_session()
    assert window.document is not None
    session = window.document.session
    assert session.info.language == "ar"
    assert session.steps[0].title == "أهلًا وسهلًا"
    assert session.info.title == "ورشة إنتاج مشترك جديدة"  # in the workshop's language
    window.document.close()


def test_the_pdf_dialog_prints_a_second_language_arabic_too(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    session = build_sample(load_builtin_template())
    dialog = PdfExportDialog(session, tmp_path / "both.pdf")
    qtbot.addWidget(dialog)
    combo = dialog.second_combo
    offered = [combo.itemData(index) for index in range(combo.count())]
    assert offered == [None, "ar", "cy"]  # not English, the session's own language
    assert dialog.options().second_language is None
    combo.setCurrentIndex(combo.findData("ar"))
    options = dialog.options()
    assert options.second_language == "ar"
    out = tmp_path / "both.pdf"
    build_pdf(session, out, options)
    text = pdf_text(out)
    assert "Who took part" in text
    assert "ملخص" in text  # the Arabic handout follows the English one
