"""ui/common/look.py AppStyle.dress: what a widget gets for its class and object name, worked
out once for each (class, name), is what asking every class look and sheet of it gives."""

from __future__ import annotations

from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QAbstractScrollArea, QLabel, QPushButton, QScrollArea, QTextBrowser, QWidget

from coprod_desktop.ui.common.look import AppStyle, Look

QSS = """
QPushButton { padding: 6px 14px; }
QPushButton:focus { outline: 2px solid #e07a00; }
#bigButton { padding: 12px 18px; }
#stepBody { background: #ffffff; }
"""


class BigButton(QPushButton):
    pass


def _style() -> AppStyle:
    style = AppStyle({"hint": Look(colour="#4a4a4a"), "bigButton": Look(points=13)}, QSS)
    style.add_class_look(QAbstractScrollArea, Look(viewport_background="#eeeeee"))
    style.add_class_sheet(QPushButton)
    return style


def _asked_of_each(style: AppStyle, widget: QWidget) -> tuple[list[Look], str]:
    """What dress applied before it kept its answers: every class look and sheet, asked."""
    name = widget.objectName()
    looks = [look for cls, look in style.class_looks if isinstance(widget, cls)]
    if name in style.looks:
        looks.append(style.looks[name])
    sheets = [
        style.sheets[c.__name__]
        for c in style.class_sheets
        if isinstance(widget, c) and c.__name__ in style.sheets
    ]
    if name and "#" + name in style.sheets:
        sheets.append(style.sheets["#" + name])
    return looks, "\n".join(sheets)


def test_each_class_and_name_gets_what_asking_each_rule_gives(qapp) -> None:  # type: ignore[no-untyped-def]
    style = _style()
    made: list[QWidget] = []
    for cls in (QWidget, QLabel, QPushButton, BigButton, QScrollArea, QTextBrowser):
        for name in ("", "hint", "bigButton", "stepBody", "nothing"):
            for _twice in range(2):
                widget = cls()
                widget.setObjectName(name)
                made.append(widget)
                looks, sheet = style._dressing_of(type(widget), name)
                assert (list(looks), sheet) == _asked_of_each(style, widget)
                style.dress(widget)
                assert widget.styleSheet() == sheet
    button = BigButton()
    button.setObjectName("bigButton")
    style.dress(button)
    assert (
        button.styleSheet().splitlines()[0] == "QPushButton {padding: 6px 14px;}"
    )  # the class's rules first
    assert button.styleSheet().endswith("#bigButton {padding: 12px 18px;}")
    assert button.font().pointSizeF() == 13


def test_a_look_added_later_reaches_the_widgets_dressed_after_it(qapp) -> None:  # type: ignore[no-untyped-def]
    style = _style()
    first = QLabel()
    style.dress(first)
    assert first.font() == QFont(QLabel().font())
    style.add_class_look(QLabel, Look(points=21))
    second = QLabel()
    style.dress(second)
    assert second.font().pointSizeF() == 21
    hint = QLabel()
    hint.setObjectName("hint")
    style.dress(hint)
    assert hint.font().pointSizeF() == 21  # the class's look, then the name's
    assert hint.palette().color(QPalette.ColorRole.WindowText).name() == "#4a4a4a"
    area = QScrollArea()
    style.dress(area)
    assert area.viewport().palette().color(QPalette.ColorRole.Window).name() == "#eeeeee"
