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


def test_a_new_step_is_grabbed_once_the_room_has_painted_it(window: MainWindow, sample_file: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Not before: a grab renders the whole room again, and in the middle of the room's first
    frame of a new step it held that frame back."""
    from PySide6.QtCore import QEvent, QObject

    assert window.open_session(sample_file)
    document = window.document
    assert document is not None
    assert window.workshop is not None
    thumbnail = window.workshop.step_view.thumbnail
    window.start_presenting()
    presenter = window.presenter
    assert presenter is not None
    room = presenter.window
    assert room is not None
    qtbot.waitUntil(lambda: thumbnail.pixmap() is not None and not thumbnail.pixmap().isNull())

    class Frames(QObject):
        count = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.UpdateRequest:
                self.count += 1
            return False

    frames = Frames()
    room.installEventFilter(frames)
    grabbed_after: list[int] = []
    refresh = presenter.refresh_thumbnails

    def noted() -> None:
        grabbed_after.append(frames.count)
        refresh()

    presenter.refresh_thumbnails = noted  # type: ignore[method-assign]
    presenter.room_watcher.after_frame = None
    before = thumbnail.pixmap().cacheKey()
    steps = document.session.visible_steps
    at_step = frames.count
    current = document.session.current_step
    document.set_current_step(next(s.id for s in steps if s != current))
    qtbot.waitUntil(lambda: bool(grabbed_after), timeout=3000)
    assert grabbed_after[0] > at_step  # after the room's next frame
    assert thumbnail.pixmap().cacheKey() != before
    assert presenter.room_watcher.after_frame is None  # once
    window.stop_presenting()
