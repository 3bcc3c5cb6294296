"""What the app remembers between runs: recent sessions, window geometry (per screen), the
language of the screens.

Stored with QSettings in the platform's usual place. Tests point QSettings at a
temporary folder (see tests/ui/conftest.py), so they never touch a real user's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

MAX_RECENT = 10


@dataclass(frozen=True)
class RecentSession:
    path: Path
    title: str
    date: str

    @property
    def exists(self) -> bool:
        return self.path.is_file()


def _settings() -> QSettings:
    return QSettings()


def recent_sessions() -> list[RecentSession]:
    settings = _settings()
    size = settings.beginReadArray("recent")
    found: list[RecentSession] = []
    for index in range(size):
        settings.setArrayIndex(index)
        path = str(settings.value("path", "", str))
        if path:
            title = str(settings.value("title", "", str))
            found.append(RecentSession(Path(path), title, str(settings.value("date", "", str))))
    settings.endArray()
    return found


def remember_session(path: Path, title: str, date: str) -> None:
    """Put `path` at the top of the recent sessions, with the title and date to show."""
    resolved = path.resolve()
    known = recent_sessions()
    entries = [RecentSession(resolved, title, date)]
    entries += [e for e in known if e.path != resolved]
    _write(entries[:MAX_RECENT], known)


def forget_session(path: Path) -> None:
    resolved = path.resolve()
    known = recent_sessions()
    _write([e for e in known if e.path != resolved], known)


def _write(entries: list[RecentSession], known: list[RecentSession]) -> None:
    if entries == known:
        return  # reopening the session at the top: nothing to write (and no file synced at start-up)
    settings = _settings()
    settings.remove("recent")
    settings.beginWriteArray("recent", len(entries))
    for index, entry in enumerate(entries):
        settings.setArrayIndex(index)
        settings.setValue("path", str(entry.path))
        settings.setValue("title", entry.title)
        settings.setValue("date", entry.date)
    settings.endArray()
    settings.sync()


def presenter_screen() -> str:
    return str(_settings().value("presenter/screen", "", str))


def remember_presenter_screen(name: str) -> None:
    settings = _settings()
    settings.setValue("presenter/screen", name)
    settings.sync()


def tour_seen() -> bool:
    return bool(_settings().value("tour/seen", False, bool))


def mark_tour_seen() -> None:
    settings = _settings()
    settings.setValue("tour/seen", True)
    settings.sync()


def app_language() -> str:
    """The language chosen for the app's screens; empty to follow the system's."""
    return str(_settings().value("language/app", "", str))


def remember_app_language(tag: str) -> None:
    settings = _settings()
    settings.setValue("language/app", tag)
    settings.sync()


def data_folder() -> Path:
    """The app's own data folder (templates, the sample): `coprod-desktop` in the platform's
    data place, e.g. ~/.local/share/coprod-desktop on Linux, as the README says.

    Not AppDataLocation: that adds the organisation and the application name, which are the
    same word here, and made ~/.local/share/coprod-desktop/coprod-desktop."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(base or Path.home()) / "coprod-desktop"


def _screen_key(screen_name: str, width: int, height: int) -> str:
    clean = "".join(c if c.isalnum() else "_" for c in screen_name) or "screen"
    return f"window/{clean}_{width}x{height}"


def window_geometry(screen_name: str, width: int, height: int) -> QByteArray | None:
    """The main window's geometry last used on this screen (a laptop alone, or docked)."""
    value = _settings().value(_screen_key(screen_name, width, height))
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def remember_window_geometry(screen_name: str, width: int, height: int, geometry: QByteArray) -> None:
    settings = _settings()
    key = _screen_key(screen_name, width, height)
    if settings.value(key) == geometry and settings.value("window/last") == key:
        return  # as it was: the file is not written again
    settings.setValue(key, geometry)
    settings.setValue("window/last", key)
    settings.sync()


def remember_earlier_run(session_key: str, path: Path) -> None:
    """Where the session with `session_key` lives, so its follow-up can find it to compare."""
    if session_key:
        _settings().setValue(f"followups/{session_key}", str(path))


def earlier_run(session_key: str) -> Path | None:
    found = _settings().value(f"followups/{session_key}", "")
    return Path(str(found)) if found else None
