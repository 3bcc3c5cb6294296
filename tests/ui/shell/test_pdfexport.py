"""File → Export PDF…: the dialog runs the export in a worker thread and offers to open the result."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QLocale, QUrl
from PySide6.QtWidgets import QWidget

from coprod_desktop.domain.model import Session, replace
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.document import SessionDocument
from coprod_desktop.ui.shell.pdfexport import PdfExportDialog, export_pdf_interactively, locale_paper


@pytest.fixture
def session() -> Session:
    return build_sample(load_builtin_template())


@pytest.fixture
def dialog(qtbot, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PdfExportDialog:  # type: ignore[no-untyped-def]
    opened: list[QUrl] = []
    monkeypatch.setattr(PdfExportDialog, "open_url", staticmethod(opened.append))
    box = PdfExportDialog(session, tmp_path / "summary.pdf")
    box.opened = opened  # type: ignore[attr-defined]
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    return box


def test_export_through_the_dialog(qtbot, dialog: PdfExportDialog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "summary.pdf"
    dialog.paper_combo.setCurrentIndex(dialog.paper_combo.findData("letter"))
    dialog.facilitator_check.setChecked(True)
    with qtbot.waitSignal(dialog.exporter.finished, timeout=30_000) as finished:
        dialog.export_button.click()
        assert dialog.exporter.running  # the click returned at once: the work is in another thread
        assert dialog.progress.isVisible()
        assert not dialog.close_button.isEnabled()
    result = finished.args[0]
    assert result.path == out
    reader = PdfReader(out)
    assert len(reader.pages) == result.pages
    assert round(float(reader.pages[0].mediabox.width)) == 612
    assert "FACILITATOR REPORT" in reader.pages[0].extract_text()
    assert f"({result.pages} pages)" in dialog.status.text()
    assert not dialog.progress.isVisible()
    assert dialog.open_button.isVisible()
    assert dialog.folder_button.isVisible()
    dialog.open_button.click()
    dialog.folder_button.click()
    assert dialog.opened == [QUrl.fromLocalFile(str(out)), QUrl.fromLocalFile(str(tmp_path))]  # type: ignore[attr-defined]
    assert list(tmp_path.glob("*.tmp")) == []  # no temporary file left behind


def test_the_report_is_made_from_a_snapshot(
    qtbot, dialog: PdfExportDialog, session: Session, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    title = session.info.title
    with qtbot.waitSignal(dialog.exporter.finished, timeout=30_000):
        dialog.export_button.click()
        session.put(replace(session.info, title="Changed while the PDF was being made"))
    reader = PdfReader(tmp_path / "summary.pdf")
    assert reader.metadata is not None
    assert reader.metadata.title == title


def test_a_failure_is_one_plain_sentence(qtbot, dialog: PdfExportDialog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog.path_edit.setText(str(tmp_path / "missing" / "summary"))
    with qtbot.waitSignal(dialog.exporter.failed, timeout=30_000):
        dialog.export_button.click()
    assert "does not exist" in dialog.status.text()
    assert dialog.status.text().endswith(".")
    assert dialog.export_button.isEnabled()
    assert dialog.close_button.isEnabled()
    assert not dialog.open_button.isVisible()


def test_anonymous_and_large_print_choices_reach_the_report(
    qtbot, dialog: PdfExportDialog, session: Session, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    dialog.names_check.setChecked(False)
    dialog.large_check.setChecked(True)
    options = dialog.options()
    assert not options.names
    assert options.large_print
    with qtbot.waitSignal(dialog.exporter.finished, timeout=30_000):
        dialog.export_button.click()
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "summary.pdf").pages)
    for person in session.participants:
        assert person.name not in text
    # The choices are remembered for next time.
    again = PdfExportDialog(session, tmp_path / "b.pdf")
    qtbot.addWidget(again)
    assert not again.names_check.isChecked()
    assert again.large_check.isChecked()


def test_paper_follows_the_locale() -> None:
    assert locale_paper(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)) == "letter"
    assert locale_paper(QLocale(QLocale.Language.Spanish, QLocale.Country.Mexico)) == "letter"
    assert locale_paper(QLocale(QLocale.Language.Polish, QLocale.Country.Poland)) == "a4"
    assert locale_paper(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)) == "a4"


def test_export_pdf_interactively_from_a_window(
    qtbot, sample_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(PdfExportDialog, "open_url", staticmethod(lambda url: None))
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    document = SessionDocument.open(sample_file)
    try:
        dialog = export_pdf_interactively(parent, document)
        qtbot.waitExposed(dialog)
        assert dialog.isVisible()
        assert dialog.path() == sample_file.with_suffix(".pdf")
        with qtbot.waitSignal(dialog.exporter.finished, timeout=30_000):
            dialog.export_button.click()
        assert sample_file.with_suffix(".pdf").read_bytes().startswith(b"%PDF-")
        dialog.close_button.click()
        qtbot.waitUntil(lambda: not dialog.isVisible())
    finally:
        document.close()
