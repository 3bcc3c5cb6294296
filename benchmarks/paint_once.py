"""Start-up ends at the first painted frame: shared by the app probe and both baselines.

Qt paints a shown window from a platform timer a few ms after it is asked to, so a
zero-delay `app.quit` set before the event loop starts can end the process before anything
was painted. `install(window)` makes every quit wait until `window` has painted one frame
(and, with `when`, one frame in which `when(window)` holds), and notes the monotonic time at
the end of that frame in `MARKS["paint"]`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

MARKS: dict[str, float] = {}
_KEEP: list[Any] = []


def install(window: Any, when: Callable[[Any], bool] | None = None) -> None:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QMainWindow

    real_quit = QApplication.quit
    pending: list[bool] = []

    def quit_after_paint() -> None:
        if "paint" in MARKS:
            real_quit()
        else:
            pending.append(True)

    class Watch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
            first = event.type() == QEvent.Type.UpdateRequest and "paint" not in MARKS
            if first and (when is None or when(watched)):
                QMainWindow.event(watched, event)  # the frame, painted here so its end is known
                MARKS["paint"] = time.monotonic()
                if pending:
                    real_quit()
                return True
            return False

    watch = Watch(window)
    _KEEP.extend([watch, quit_after_paint])
    QApplication.quit = staticmethod(quit_after_paint)  # type: ignore[method-assign, assignment]
    window.installEventFilter(watch)
