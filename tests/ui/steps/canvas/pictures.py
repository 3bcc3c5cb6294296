"""For tests of a canvas's first frame painted ahead (`CanvasView.take_first_picture`): which
paints showed the picture, and how far a picture is from a paint."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QImage

from coprod_desktop.ui.steps.canvas.view import CanvasView


def first_frames(view: CanvasView, monkeypatch: Any) -> list[bool]:
    """For each paint of `view` from now on: whether it showed the picture painted ahead."""
    shown: list[bool] = []
    paint = CanvasView.paintEvent

    def recorded(painted: CanvasView, event: object) -> None:
        held = painted.has_first_picture()
        paint(painted, event)  # type: ignore[arg-type]
        if painted is view:
            shown.append(held and not painted.has_first_picture() and painted._painted is False)

    monkeypatch.setattr(CanvasView, "paintEvent", recorded)
    return shown


def differences(ahead: QImage, painted: QImage) -> tuple[int, int]:
    """How many of every third pixel (each way) differ between two images of one size, and by
    how many levels of a colour at most."""
    ahead = ahead.convertToFormat(QImage.Format.Format_RGB32)
    painted = painted.convertToFormat(QImage.Format.Format_RGB32)
    differ = [
        (x, y)
        for y in range(0, ahead.height(), 3)
        for x in range(0, ahead.width(), 3)
        if ahead.pixel(x, y) != painted.pixel(x, y)
    ]
    worst = max(
        (
            max(
                abs(((ahead.pixel(x, y) >> k) & 255) - ((painted.pixel(x, y) >> k) & 255)) for k in (0, 8, 16)
            )
            for x, y in differ
        ),
        default=0,
    )
    return len(differ), worst
