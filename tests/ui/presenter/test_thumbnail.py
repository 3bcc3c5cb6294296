"""The console's thumbnail of the room is grabbed again only when the room's view changed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from coprod_desktop.ui.shell.mainwindow import MainWindow


def test_the_thumbnail_is_not_grabbed_again_while_the_room_shows_the_same(
    window: MainWindow, sample_file: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    assert window.open_session(sample_file)
    assert window.workshop is not None
    thumbnail = window.workshop.step_view.thumbnail
    window.start_presenting()
    presenter = window.presenter
    assert presenter is not None
    qtbot.waitUntil(lambda: thumbnail.pixmap() is not None and not thumbnail.pixmap().isNull())
    presenter.refresh_thumbnails()
    for _ in range(5):
        QApplication.processEvents()
    first = thumbnail.pixmap().cacheKey()

    for _ in range(3):  # what the timer does every second
        presenter.refresh_thumbnails_if_changed()
        QApplication.processEvents()
    assert thumbnail.pixmap().cacheKey() == first
    assert not presenter.room_watcher.changed

    window.workshop.timer.add_minute()  # the room's clock shows another time
    qtbot.waitUntil(lambda: presenter.room_watcher.changed)
    presenter.refresh_thumbnails_if_changed()
    assert thumbnail.pixmap().cacheKey() != first
    window.stop_presenting()
