"""Looks at the room's view as the back row would: what shows, how big, how dark on what.

Used by the projector-fit test and by the screenshot script. Every check works on
the window as drawn: sizes from the fonts in use, colours from the palette a text
is drawn with against the pixels actually behind it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from PySide6.QtCore import QPoint
from PySide6.QtGui import QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QAbstractScrollArea, QLabel, QScrollBar, QWidget

from coprod_desktop.ui.presenter.roomstyle import MIN_CONTRAST, MIN_LINE_PX, MIN_TITLE_LINE_PX, contrast


@dataclass
class RoomLook:
    where: str
    problems: list[str] = field(default_factory=list)
    smallest_line: float = 1e9
    lowest_contrast: float = 99.0

    def problem(self, text: str) -> None:
        self.problems.append(f"{self.where}: {text}")


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisibleTo(window) and widget.width() > 0 and widget.height() > 0


def _background(image: QImage, widget: QWidget, window: QWidget, ratio: float) -> tuple[int, int, int]:
    """The commonest colour in the widget's rectangle on screen: what its text sits on."""
    top_left = widget.mapTo(window, widget.rect().topLeft())
    counts: Counter[int] = Counter()
    xs = [int((top_left.x() + widget.width() * i // 12) * ratio) for i in range(12)]
    ys = [int((top_left.y() + widget.height() * i // 5) * ratio) for i in range(5)]
    width, height = image.width(), image.height()
    pixel = image.pixel  # an int per sample: much quicker than a QColor each
    for x in xs:
        if 0 <= x < width:
            for y in ys:
                if 0 <= y < height:
                    counts[pixel(x, y)] += 1
    if not counts:
        return (255, 255, 255)
    rgb = counts.most_common(1)[0][0]
    return ((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF)


def picture(window: QWidget, ratio: float = 0.5) -> QImage:
    """The window as drawn, at `ratio` of its size (enough to tell the colour behind a text)."""
    image = QImage(int(window.width() * ratio), int(window.height() * ratio), QImage.Format.Format_RGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.scale(ratio, ratio)
    window.render(painter, QPoint(0, 0))
    painter.end()
    return image


def look(window: QWidget, image: QImage, where: str) -> RoomLook:
    """Check the window as drawn in `image`; `where` names the step for failures."""
    found = RoomLook(where)
    height = window.height()
    floor = MIN_LINE_PX * height / 1080 - 0.5
    title_floor = MIN_TITLE_LINE_PX * height / 1080 - 0.5
    ratio = image.width() / max(window.width(), 1)
    bounds = window.rect()
    shown = [w for w in window.findChildren(QWidget) if _shown(w, window)]
    for widget in shown:
        name = widget.objectName() or type(widget).__name__
        if isinstance(widget, QScrollBar):
            found.problem("a scroll bar is showing")
            continue
        if isinstance(widget, QAbstractScrollArea):
            for bar in (widget.verticalScrollBar(), widget.horizontalScrollBar()):
                if bar.maximum() > 0:
                    found.problem(f"{name} would scroll ({bar.maximum()} px hidden)")
        rect = widget.rect().translated(widget.mapTo(window, widget.rect().topLeft()))
        if not bounds.contains(rect):
            found.problem(f"{name} runs off the screen")
        overflow = getattr(widget, "room_overflow", None)
        if callable(overflow):
            for text in overflow():
                found.problem(f"{name} cannot fit “{text[:40]}”")
        drawn = getattr(widget, "drawn_texts", None)
        if callable(drawn):
            for text, line, ink, back in drawn():
                found.smallest_line = min(found.smallest_line, line)
                if line < floor:
                    found.problem(
                        f"{name} draws “{text[:40]}” too small: a {line:.0f} px line (needs {floor:.0f})"
                    )
                ratio_found = contrast(ink, back)
                found.lowest_contrast = min(found.lowest_contrast, ratio_found)
                if ratio_found < MIN_CONTRAST:
                    found.problem(f"{name} draws “{text[:40]}” at contrast {ratio_found:.2f}:1")
        if not isinstance(widget, QLabel) or not widget.text():
            continue
        pixmap = widget.pixmap()
        if pixmap is not None and not pixmap.isNull():
            continue
        text = widget.text()[:40]
        if widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            if needed > widget.height() + 2:
                found.problem(f"{name} is cut: needs {needed} px, has {widget.height()} (“{text}”)")
        else:
            hint = widget.minimumSizeHint()
            if hint.width() > widget.width() + 2 or hint.height() > widget.height() + 2:
                found.problem(f"{name} is cut: needs {hint.width()}×{hint.height()} (“{text}”)")
        line = QFontMetrics(widget.font()).height()
        needed_line = title_floor if name == "stepTitle" else floor
        found.smallest_line = min(found.smallest_line, line)
        if line < needed_line:
            found.problem(f"{name} is too small: a {line} px line (needs {needed_line:.0f}) “{text}”")
        ink = widget.palette().color(widget.foregroundRole())
        back = _background(image, widget, window, ratio)
        ratio_found = contrast((ink.red(), ink.green(), ink.blue()), back)
        found.lowest_contrast = min(found.lowest_contrast, ratio_found)
        if ratio_found < MIN_CONTRAST:
            found.problem(f"{name} has contrast {ratio_found:.2f}:1 (“{text}”)")
    return found
