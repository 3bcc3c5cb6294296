"""The app's look without an app-wide style sheet: fonts and palettes by object name, and
small style sheets on only the widgets that need one (see resources/styles/app.qss).

With a style sheet on the application, Qt polishes and paints every widget through its
style-sheet style, which matches every rule against every widget; opening a big step spent
most of its time there. `AppStyle` is the platform's own style with one addition: when Qt
polishes a widget (once, before it is first shown, and again when code re-polishes it after
changing a property), the widget gets the font, colours and, if it needs one, the small
style sheet for its object name or class.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleOptionComplex,
    QStyleOptionSlider,
    QWidget,
)

# The object name of the projector's window, whose own style sheet rules the room's look,
# and the property that marks a widget made for that window before it is placed in it.
ROOM_WINDOW = "audienceWindow"
FOR_THE_ROOM = "forTheRoom"


@dataclass(frozen=True, slots=True)
class Look:
    """What a named widget gets instead of a style sheet rule."""

    points: float | None = None
    weight: QFont.Weight | None = None
    colour: str | None = None
    background: str | None = None
    margins: tuple[int, int, int, int] | None = None
    viewport_background: str | None = None  # of a scroll area's viewport

    def apply(self, widget: QWidget) -> None:
        if self.points is not None or self.weight is not None:
            font = QFont(widget.font())
            if self.points is not None:
                font.setPointSizeF(self.points)
            if self.weight is not None:
                font.setWeight(self.weight)
            if font != widget.font():
                widget.setFont(font)
        if self.colour is not None or self.background is not None:
            palette = QPalette(widget.palette())
            if self.colour is not None:
                for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
                    palette.setColor(group, QPalette.ColorRole.WindowText, QColor(self.colour))
                    palette.setColor(group, QPalette.ColorRole.Text, QColor(self.colour))
            if self.background is not None:
                palette.setColor(QPalette.ColorRole.Window, QColor(self.background))
                widget.setAutoFillBackground(True)
            widget.setPalette(palette)
        if self.margins is not None:
            widget.setContentsMargins(*self.margins)
        viewport = getattr(widget, "viewport", None)
        if self.viewport_background is not None and viewport is not None:
            area = viewport()
            palette = QPalette(area.palette())
            palette.setColor(QPalette.ColorRole.Window, QColor(self.viewport_background))
            area.setPalette(palette)


_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_KEY = re.compile(r"\s*(#?[A-Za-z_][\w-]*)")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def sheets_by_key(qss: str) -> dict[str, str]:
    """Each rule of `qss`, filed under the object name (`#name`) or class its selector starts with."""
    found: dict[str, list[str]] = {}
    for selectors, body in _RULE.findall(_COMMENT.sub("", qss)):
        for selector in selectors.split(","):
            key = _KEY.match(selector)
            if key is not None:
                found.setdefault(key.group(1), []).append(f"{selector.strip()} {{{body.strip()}}}")
    return {key: "\n".join(rules) for key, rules in found.items()}


# A scroll bar's track is light and its thumb dark, as a reader expects of a scroll bar. The
# platform style drew a white thumb on a grey track (it read as the other way round), and on
# a see-through widget the track came out black.
SCROLL_TRACK = QColor("#e3e6ea")
SCROLL_THUMB = QColor("#5b6673")
SCROLL_THUMB_ACTIVE = QColor("#1d3557")


class AppStyle(QProxyStyle):
    def __init__(self, looks: dict[str, Look], qss: str) -> None:
        super().__init__()
        self.looks = looks
        self.sheets = sheets_by_key(qss)
        self.class_looks: list[tuple[type[QWidget], Look]] = []
        self.class_sheets: list[type[QWidget]] = []
        # What a widget of a class with an object name gets: its looks, in the order they are
        # applied, and its style sheet. Worked out once for each (class, name): opening a large
        # session polishes some 250 widgets of a few dozen of them.
        self._dressing: dict[tuple[type[QWidget], str], tuple[tuple[Look, ...], str]] = {}

    def add_class_look(self, cls: type[QWidget], look: Look) -> None:
        self.class_looks.append((cls, look))
        self._dressing.clear()

    def add_class_sheet(self, cls: type[QWidget]) -> None:
        """Widgets of `cls` get the rules filed under its class name."""
        self.class_sheets.append(cls)
        self._dressing.clear()

    def _dressing_of(self, kind: type[QWidget], name: str) -> tuple[tuple[Look, ...], str]:
        key = (kind, name)
        found = self._dressing.get(key)
        if found is None:
            looks = [look for cls, look in self.class_looks if issubclass(kind, cls)]
            named = self.looks.get(name) if name else None
            if named is not None:
                looks.append(named)
            sheet = "\n".join(
                [
                    self.sheets[cls.__name__]
                    for cls in self.class_sheets
                    if issubclass(kind, cls) and cls.__name__ in self.sheets
                ]
                + ([self.sheets["#" + name]] if name and "#" + name in self.sheets else [])
            )
            found = self._dressing[key] = (tuple(looks), sheet)
        return found

    def polish(self, target):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN201 - three overloads
        if isinstance(target, QPalette):
            return super().polish(target)
        super().polish(target)
        if isinstance(target, QWidget) and not isinstance(target, QApplication):
            # Qt polishes a widget's children after it. Those Qt made itself (a scroll area's
            # viewport and scroll bar frames) have no Python object yet, and PySide, given one
            # of them as a plain QWidget, sets up every widget class of QtWidgets to find out
            # which it is (some 15 ms, once); asked for as a QWidget here, they are given one
            # at once.
            target.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            self.dress(target)
        return None

    def drawComplexControl(  # noqa: N802 - Qt override
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if control != QStyle.ComplexControl.CC_ScrollBar or not isinstance(option, QStyleOptionSlider):
            super().drawComplexControl(control, option, painter, widget)
            return
        groove = self.subControlRect(control, option, QStyle.SubControl.SC_ScrollBarGroove, widget)  # type: ignore[arg-type]
        thumb = self.subControlRect(control, option, QStyle.SubControl.SC_ScrollBarSlider, widget)  # type: ignore[arg-type]
        painter.save()
        painter.fillRect(option.rect, SCROLL_TRACK)
        # The arrow buttons as the platform draws them, on the track.
        arrows = QStyleOptionSlider(option)
        arrows.subControls = QStyle.SubControl.SC_ScrollBarAddLine | QStyle.SubControl.SC_ScrollBarSubLine
        super().drawComplexControl(control, arrows, painter, widget)
        painter.fillRect(groove, SCROLL_TRACK)
        if option.maximum > option.minimum and not thumb.isEmpty():
            pressed = bool(option.activeSubControls & QStyle.SubControl.SC_ScrollBarSlider) and bool(
                option.state & QStyle.StateFlag.State_Sunken
            )
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(SCROLL_THUMB_ACTIVE if pressed else SCROLL_THUMB)
            inset = thumb.adjusted(2, 2, -2, -2)
            radius = min(inset.width(), inset.height()) / 2
            painter.drawRoundedRect(inset, radius, radius)
        painter.restore()

    def dress(self, widget: QWidget) -> None:
        looks, sheet = self._dressing_of(type(widget), widget.objectName())
        for look in looks:  # the class's looks, then the name's
            look.apply(widget)
        if not sheet:
            return
        top = widget.window()
        if (top is not widget and top.objectName() == ROOM_WINDOW) or widget.property(FOR_THE_ROOM):
            # The room's window has its own sheet (ui/presenter/roomstyle.py), sized for the
            # projector; a sheet set on the widget itself would win over it, so none is set.
            return
        current = widget.styleSheet()
        if current.startswith(sheet):
            return  # already dressed (setting it polishes the widget again, which comes back here)
        # A sheet the code set itself comes after ours, so its rules win, as with an app-wide sheet.
        widget.setStyleSheet(sheet + ("\n" + current if current else ""))
