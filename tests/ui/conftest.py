"""UI test fixtures: a real QApplication, isolated settings, real session files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings, QStandardPaths
from PySide6.QtWidgets import QApplication

from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.shell.application import make_application
from coprod_desktop.ui.shell.mainwindow import MainWindow


@pytest.fixture(autouse=True)
def isolated_settings(qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point QSettings and the standard folders at tmp_path, never at the real user's."""
    folder = tmp_path / "settings"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(folder / "data"))
    monkeypatch.setenv("HOME", str(folder / "home"))
    QStandardPaths.setTestModeEnabled(True)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "ini"))
    make_application()
    QSettings().clear()
    yield folder
    QSettings().clear()


@pytest.fixture(autouse=True)
def english_screens() -> Iterator[None]:
    """Tests run in English, the language their texts are written in, whatever the machine's;
    a test that switches the screens' language is undone after it."""
    from coprod_desktop.domain.i18n import DEFAULT, set_language
    from coprod_desktop.ui.shell.application import apply_layout_direction
    from coprod_desktop.ui.shell.language import remove_translators

    saved = QLocale()
    set_language(DEFAULT)
    yield
    remove_translators()
    set_language(DEFAULT)
    QLocale.setDefault(saved)
    apply_layout_direction(DEFAULT)


@pytest.fixture
def window(qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close_session()


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    path = tmp_path / "sample.coprod"
    SessionFile.create(path, build_sample(load_builtin_template())).close()
    return path
