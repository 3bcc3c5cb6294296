"""What a Welsh walk of the app checks: the English of a catalogue area that has Welsh unlike
itself, and every text a person can see or a screen reader can say in a window."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTabBar,
    QWidget,
)

from coprod_desktop.domain.i18n import translations
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template

LOCALE = Path(__file__).resolve().parents[2] / "resources" / "locale"


def plain(text: str) -> str:
    """`text` as read: no accelerator mark ("&&" stays one "&")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


class EnglishLeft:
    """The English of one catalogue area (`ui`, `phone`…) that has Welsh unlike itself: whole
    texts, and patterns ("Step {number} of {count}") that a filled-in English sentence matches.
    `look` collects every place a walk shows one of them in `left`."""

    def __init__(self, area: str, min_letters: int = 1) -> None:
        from babel.messages.pofile import read_po

        with (LOCALE / f"{area}.pot").open("rb") as stream:
            template = read_po(stream)
        welsh = translations("cy")
        self.texts: dict[str, str] = {}
        self.patterns: list[tuple[re.Pattern[str], str]] = []
        self.left: list[str] = []
        self.seen = 0
        for message in template:
            if not message.id:
                continue
            ids: tuple[str, ...] = tuple(message.id) if isinstance(message.id, tuple | list) else (message.id,)
            for msgid in ids:
                if len(ids) > 1:
                    said = welsh.ngettext(ids[0], ids[1], 1 if msgid == ids[0] else 5)
                elif message.context:
                    said = welsh.pgettext(message.context, msgid)
                else:
                    said = welsh.gettext(msgid)
                if plain(said) == plain(msgid) or len(re.findall(r"[A-Za-z]", msgid)) < min_letters:
                    continue
                if "{" not in msgid:
                    self.texts[plain(msgid)] = msgid
                elif len(re.findall(r"[A-Za-z]", re.sub(r"\{[^}]*\}", "", plain(msgid)))) >= 6:
                    parts = re.split(r"\{[^}]*\}", plain(msgid))
                    pattern = re.compile("(?s)" + ".+?".join(re.escape(part) for part in parts))
                    self.patterns.append((pattern, msgid))

    def look(self, where: str, seen: Iterable[tuple[str, str]]) -> None:
        for widget, text in seen:
            if not text:
                continue
            self.seen += 1
            for line in dict.fromkeys([text, *text.splitlines()]):
                said = plain(line.removeprefix("- "))
                if said in self.texts:
                    self.left.append(f"{where}: {widget} shows {line!r}")
                for pattern, msgid in self.patterns:
                    if pattern.fullmatch(said):
                        self.left.append(f"{where}: {widget} shows {line!r} (the English {msgid!r} filled in)")


def widget_name(widget: QWidget) -> str:
    names: list[str] = []
    node: QWidget | None = widget
    while node is not None and len(names) < 4:
        names.append(f"{type(node).__name__}{'#' + node.objectName() if node.objectName() else ''}")
        node = node.parentWidget()
    return " < ".join(names)


def menu_texts(menu: QMenu, where: str) -> Iterator[tuple[str, str]]:
    menu.aboutToShow.emit()  # the recent sessions and screens are filled as the menu opens
    yield where, menu.title()
    for action in menu.actions():
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            yield from menu_texts(submenu, f"{where} > {plain(menu.title())}")
        elif not action.isSeparator():
            yield f"{where} > {plain(menu.title())} > action", action.text()
            yield f"{where} > {plain(menu.title())} > {plain(action.text())} (tooltip)", action.toolTip()


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(which widget, text) of every text a person can see or a screen reader can say."""
    for widget in [root, *root.findChildren(QWidget)]:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        name = widget_name(widget)
        if widget.isWindow():
            yield f"{name} (window title)", widget.windowTitle()
        yield f"{name} (accessible name)", widget.accessibleName()
        yield f"{name} (accessible description)", widget.accessibleDescription()
        yield f"{name} (tooltip)", widget.toolTip()
        if isinstance(widget, QLabel | QAbstractButton):
            yield name, widget.text()
        elif isinstance(widget, QGroupBox):
            yield name, widget.title()
        elif isinstance(widget, QLineEdit):
            yield f"{name} (placeholder)", widget.placeholderText()
        elif isinstance(widget, QComboBox):
            for row in range(widget.count()):
                yield f"{name} (item {row})", widget.itemText(row)
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                yield f"{name} (tab {index})", widget.tabText(index)
        elif isinstance(widget, QHeaderView) and widget.model() is not None:
            model = widget.model()
            count = (
                model.columnCount(QModelIndex()) if widget.orientation() == Qt.Orientation.Horizontal else 0
            )
            for section in range(count):
                yield f"{name} (column {section})", str(model.headerData(section, widget.orientation()) or "")
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(QModelIndex())
            for row in range(min(model.rowCount(QModelIndex()), 40)):
                for column in range(columns):
                    value = model.index(row, column).data()
                    if isinstance(value, str):
                        yield f"{name} (row {row}, column {column})", value
        drawn = getattr(widget, "drawn_texts", None)  # what a tool paints itself (ladder, canvas)
        if callable(drawn):
            for entry in drawn():
                yield f"{name} (painted)", str(entry[0])
        for action in widget.actions():
            if not isinstance(widget, QMenu):
                yield f"{name} > action", action.text()
                yield f"{name} > action (tooltip)", action.toolTip()


def welsh_sample(tmp_path: Path) -> Path:
    """The sample session built from the Welsh template, in a file under `tmp_path`."""
    path = tmp_path / "sampl.coprod"
    SessionFile.create(path, build_sample(load_builtin_template(language="cy"))).close()
    return path
