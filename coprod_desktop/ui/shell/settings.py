"""What the app remembers between runs: recent sessions and window geometry.

Stored with QSettings in the platform's usual place. Tests point QSettings at a
temporary folder (see tests/ui/conftest.py), so they never touch a real user's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings

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
    entries = [RecentSession(resolved, title, date)]
    entries += [e for e in recent_sessions() if e.path != resolved]
    _write(entries[:MAX_RECENT])


def forget_session(path: Path) -> None:
    resolved = path.resolve()
    _write([e for e in recent_sessions() if e.path != resolved])


def _write(entries: list[RecentSession]) -> None:
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


def remember_earlier_run(session_key: str, path: Path) -> None:
    """Where the session with `session_key` lives, so its follow-up can find it to compare."""
    if session_key:
        _settings().setValue(f"followups/{session_key}", str(path))


def earlier_run(session_key: str) -> Path | None:
    found = _settings().value(f"followups/{session_key}", "")
    return Path(str(found)) if found else None
