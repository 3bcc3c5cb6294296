"""Text is text: whatever a person typed shows exactly as typed, on every screen and in every export.

A session whose every typed field looks like markup (HTML tags, an entity, an ampersand, a
right-to-left name, a word far too long for a line) is walked step by step on the laptop and
on the projector. Every piece of text a widget shows is read back the way Qt would show it:
a label or tooltip that Qt takes for rich text is rendered through a QTextDocument, and a
button's or buddy label's ampersand becomes a shortcut. A typed string given to a widget must
come out unchanged, and every typed string must be seen somewhere.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, QStandardPaths, Qt
from PySide6.QtGui import Qt as GuiQt  # mightBeRichText lives in QtGui's Qt namespace
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
    QGraphicsView,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from coprod_desktop.domain.model import (
    Note,
    Reveal,
    Session,
    StepKind,
    VotingMode,
    replace,
)
from coprod_desktop.domain.voting import scenario_question
from coprod_desktop.report.csvexport import CSV_FILES, export_csv
from coprod_desktop.report.pdf import ReportOptions, build_pdf
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.ui.shell.detailsdialog import DetailsDialog
from coprod_desktop.ui.shell.mainwindow import MainWindow
from coprod_desktop.ui.shell.pdfexport import suggested_pdf_path
from coprod_desktop.ui.steps.canvas.items import ArrowItem, CardItem
from coprod_desktop.ui.steps.canvas.widget import CanvasWidget
from coprod_desktop.ui.steps.matrix.matrixwidget import MatrixWidget
from coprod_desktop.ui.steps.scenarios.scenarioswidget import FOCUS_KEY, ScenariosWidget
from coprod_desktop.ui.workshop.workshopeditor import ItemListEditor

from ..report.helpers import nfc, pdf_text, sample

# What people type that a careless widget would take for markup, plus a name written
# right to left and a word too long for any line.
PROBES = (
    "O'Brien <b>bold</b>",
    "<img src=x>",
    "&amp;",
    "<i>",
    "مريم الحسيني",
    "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch" * 2,
    "Fish & <u>chips</u>",
)


def typed(index: int, what: str) -> str:
    """A string as a facilitator might type it: markup-like, and unique to its field."""
    return f"{PROBES[index % len(PROBES)]} {what}"


def markup_session() -> tuple[Session, set[str]]:
    """The sample workshop with every typed field made markup-like; also every string typed."""
    session = sample()
    strings: set[str] = set()

    def put(entity: object) -> None:
        session.put(entity)  # type: ignore[arg-type]

    def text(index: int, what: str) -> str:
        value = typed(index, what)
        strings.add(value)
        return value

    for n, person in enumerate(session.participants):
        put(replace(person, name=PROBES[n] if n < len(PROBES) else text(n, f"person {n}")))
    strings.update(PROBES)
    put(
        replace(
            session.info,
            title=text(6, "workshop"),  # an ampersand, for the Open Recent menu
            place=text(1, "hall"),
            facilitator=text(4, "facilitator"),
            purpose=text(2, "purpose"),
        )
    )
    for n, criterion in enumerate(session.criteria):
        put(
            replace(
                criterion, title=text(n, f"criterion {n}"), description=text(n + 1, f"about criterion {n}")
            )
        )
    for n, stage in enumerate(session.stages):
        put(replace(stage, title=text(n + 2, f"stage {n}"), description=text(n + 3, f"about stage {n}")))
    for n, scenario in enumerate(session.scenarios):
        put(
            replace(
                scenario,
                title=text(n, f"scenario {n}"),
                text=text(n + 1, f"story {n}"),
                explanation=text(n + 2, f"why {n}"),
            )
        )
    for n, item in enumerate(session.readiness_items):
        put(replace(item, title=text(n + 3, f"condition {n}"), description=text(n, f"about condition {n}")))
    for n, term in enumerate(session.terms):
        put(replace(term, name=text(n + 4, f"term {n}"), what=text(n, f"what term {n} is")))
    for n, step in enumerate(session.steps):
        put(
            replace(
                step,
                title=text(n, f"step {n}"),
                body=text(n + 1, f"body of step {n}"),
                notes=text(n + 2, f"notes of step {n}"),
            )
        )
    for n, card in enumerate(session.cards):
        put(replace(card, text=text(n, f"card {n}")))
    for n, action in enumerate(session.actions):
        put(
            replace(
                action, what=text(n, f"action {n}"), who=text(n + 1, f"doer {n}"), due=text(n + 2, "soon")
            )
        )
    for n, note in enumerate(session.notes):
        put(replace(note, text=text(n + 3, f"room note {n}")))
    put(Note(id="typed", text=text(5, "a note typed in the room"), step_id=session.steps[0].id, position=99))
    for scenario in session.scenarios:
        put(Reveal(scenario_question(scenario.id)))  # so every explanation is shown
    scale = tuple(text(n + 1, f"point {n}") for n in range(len(session.matrix.scale)))
    put(replace(session.matrix, agreed_reason=text(6, "because"), scale=scale))
    return session, strings


# --- reading what Qt shows ------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    where: str  # the widget, for the failure message
    given: str  # the text the widget was given
    seen: str  # the text a person sees
    rich: bool = False  # Qt drew `given` as HTML


@lru_cache(maxsize=4096)
def as_rendered(text: str) -> str:
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def is_rich(text: str, fmt: Qt.TextFormat) -> bool:
    """Whether Qt draws `text` in `fmt` as HTML: AutoText is, when Qt guesses it is."""
    return fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text))


def shown_as(where: str, text: str, fmt: Qt.TextFormat, *, mnemonic: bool = False) -> Shown:
    rich = is_rich(text, fmt)
    seen = as_rendered(text) if rich else text
    return Shown(where, text, without_mnemonic(seen) if mnemonic else seen, rich)


def without_mnemonic(text: str) -> str:
    """A button's or buddy label's text as drawn: `&x` marks a shortcut, `&&` is one ampersand."""
    return re.sub(r"&(.)", r"\1", text)


def tooltip(where: str, text: str) -> Shown:
    return shown_as(f"tooltip of {where}", text, Qt.TextFormat.AutoText)


def columns(model: QAbstractItemModel, parent: QModelIndex) -> int:
    if isinstance(model, QAbstractListModel):
        return 1  # its columnCount() is private to Python
    return model.columnCount(parent)  # no view of ours is a tree: the top level is all there is


def model_texts(where: str, model: QAbstractItemModel, parent: QModelIndex | None = None) -> Iterator[Shown]:
    parent = parent or QModelIndex()
    for row in range(min(model.rowCount(parent), 200)):
        for column in range(columns(model, parent)):
            index = model.index(row, column, parent)
            value = model.data(index, Qt.ItemDataRole.DisplayRole)
            if isinstance(value, str) and value:
                yield Shown(f"{where} [{row},{column}]", value, value)  # item views draw plain text
            tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
            if isinstance(tip, str) and tip:
                yield tooltip(f"{where} [{row},{column}]", tip)
    for section in range(columns(model, parent)):
        header = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if isinstance(header, str) and header:
            yield Shown(f"{where} header {section}", header, header)


def scene_texts(where: str, view: QGraphicsView) -> Iterator[Shown]:
    scene = view.scene()
    if scene is None:
        return
    for item in scene.items():
        if not item.isVisible():
            continue
        if isinstance(item, QGraphicsTextItem):
            # toHtml() escapes what was given as plain text; toPlainText() is what shows.
            yield Shown(f"{where} text item", item.toPlainText(), as_rendered(item.toHtml()), rich=True)
        elif isinstance(item, QGraphicsSimpleTextItem):
            yield Shown(f"{where} simple text", item.text(), item.text())
        if isinstance(item, CardItem):
            # A card's words are wrapped into lines, each drawn on its own: read them together.
            lines = [
                shown_as(f"{where} card {item.card.id}", line.text(), line.textFormat())
                for _, line in item._text
            ]
            yield Shown(
                f"{where} card {item.card.id}",
                " ".join(line.given for line in lines),
                " ".join(line.seen for line in lines),
                any(line.rich for line in lines),
            )
        if isinstance(item, CardItem | ArrowItem):
            yield tooltip(f"{where} card {item.card.id}", item.tooltip())
        if item.toolTip():
            yield tooltip(f"{where} item", item.toolTip())


def widget_texts(root: QWidget) -> Iterator[Shown]:
    """Everything `root` shows now, read as Qt draws it."""
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        name = " ".join(filter(None, (type(widget).__name__, widget.objectName(), widget.accessibleName())))
        if isinstance(widget, QLabel) and widget.text():
            yield shown_as(name, widget.text(), widget.textFormat(), mnemonic=widget.buddy() is not None)
        elif isinstance(widget, QAbstractButton) and widget.text():
            yield Shown(name, widget.text(), without_mnemonic(widget.text()))
        elif isinstance(widget, QGroupBox) and widget.title():
            yield Shown(name, widget.title(), without_mnemonic(widget.title()))
        elif isinstance(widget, QTabBar):
            for tab in range(widget.count()):
                yield Shown(f"{name} tab {tab}", widget.tabText(tab), without_mnemonic(widget.tabText(tab)))
        elif isinstance(widget, QTextEdit | QPlainTextEdit):
            # A browser given HTML built around typed text must have escaped it.
            yield Shown(name, widget.toPlainText(), widget.toPlainText())
        elif isinstance(widget, QLineEdit) and widget.text():
            yield Shown(name, widget.text(), widget.text())
        elif isinstance(widget, QComboBox):
            for row in range(widget.count()):
                yield Shown(f"{name} item {row}", widget.itemText(row), widget.itemText(row))
        if (
            isinstance(widget, QAbstractItemView)
            and widget.model() is not None
            and not isinstance(widget.parent(), QComboBox)
        ):
            yield from model_texts(name, widget.model())
        if isinstance(widget, QGraphicsView):
            yield from scene_texts(name, widget)
        if widget.toolTip():
            yield tooltip(name, widget.toolTip())
    window = root.window()
    if window.windowTitle():
        yield Shown("window title", window.windowTitle(), window.windowTitle())


ENTITY = re.compile(r"&(#?\w+);")


def misread(piece: Shown, string: str) -> bool:
    """Whether `piece` was given the typed `string` and shows something else."""
    if string in piece.seen:
        return False
    if not piece.rich:
        return string in piece.given
    # HTML that escaped the typed text is fine; the raw text inside HTML is not, nor is
    # the typed text showing as Qt would draw its markup.
    drawn = as_rendered(string).strip()
    unescaped_inside = string in ENTITY.sub("\0", piece.given)
    # (Tags only dropped leave a part of the string, which another string may hold too.)
    return unescaped_inside or (len(drawn) >= 4 and drawn not in string and drawn in piece.seen)


def menu_texts(window: MainWindow) -> Iterator[Shown]:
    """Every menu entry, with the recent sessions and the undo entry filled in."""
    window._fill_recent_menu()
    window._update_actions()
    menus = [action.menu() for action in window.menuBar().actions()]
    while menus:
        menu = menus.pop()
        for action in menu.actions():
            if action.menu() is not None:
                menus.append(action.menu())
            if action.text():
                yield Shown(f"menu entry {action.text()!r}", action.text(), without_mnemonic(action.text()))


def literal_problems(shown: Iterable[Shown], strings: set[str]) -> dict[str, str]:
    """Where a widget was given a typed string and shows something else: one line per widget."""
    problems = {}
    for piece in shown:
        if piece.given == piece.seen:
            continue  # shown exactly as given: nothing was read as markup or as a shortcut
        wrong = [string for string in strings if misread(piece, string)]
        if wrong:
            problems[piece.where] = f"shows {piece.seen!r} for {max(wrong, key=len)!r}"
    return problems


def seen_text(shown: Iterable[Shown]) -> str:
    return "\n".join(piece.seen for piece in shown)


# --- the walk ---------------------------------------------------------------------------


def walk(window: MainWindow, qtbot) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Go to every step (every scenario of the scenario step, every tab of a step's tools);
    yields a name for each screen reached, with the event queue run."""
    document = window.document
    assert document is not None
    assert window.workshop is not None
    for step in document.session.visible_steps:
        document.set_current_step(step.id)
        QApplication.processEvents()
        yield f"step {step.title}"
        if step.kind is StepKind.SCENARIOS:
            tool = window.workshop.step_view.content.tool(step.kind)
            assert isinstance(tool, ScenariosWidget)
            for scenario in document.session.scenarios:
                document.set_focus(FOCUS_KEY, scenario.id)
                for mode in range(tool.mode.count()):  # counted hands, and one vote each
                    tool.mode.setCurrentIndex(mode)
                    QApplication.processEvents()
                    yield f"scenario {scenario.title}, {tool.mode.currentText()}"
        tool = window.workshop.step_view.content.tool(step.kind)
        if isinstance(tool, MatrixWidget):
            # Counted hands label each point of the typed scale; a secret ballot greets its voter.
            for mode in (VotingMode.SHOW_OF_HANDS, VotingMode.SECRET):
                assert tool.set_mode(mode)
                QApplication.processEvents()
                yield f"matrix, {mode}"
            assert tool.start_secret_ballot(document.session.participants[0].id)
            QApplication.processEvents()
            yield "matrix, a secret ballot"
            tool.finish_ballot()
            assert tool.set_mode(VotingMode.NAMED)
        if isinstance(tool, CanvasWidget):
            for card in document.session.cards:
                tool.scene_.select_cards([card.id])
                tool.focus_card(card.id)  # the room's caption names the card
                QApplication.processEvents()
                yield f"card {card.text}"
            tool.focus_card(None)
        for tabs in tool.findChildren(QTabBar) if tool is not None else []:
            for index in range(tabs.count()):
                tabs.setCurrentIndex(index)
                QApplication.processEvents()
                yield f"{step.title}, tab {tabs.tabText(index)}"
    window.workshop.people_button.click()
    QApplication.processEvents()
    yield "participants"
    window.workshop.edit_button.click()
    QApplication.processEvents()
    editor = window.workshop.editor
    for index in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(index)
        for part in editor.tabs.currentWidget().findChildren(ItemListEditor) or [editor.tabs.currentWidget()]:
            for row in range(part.list.count()):
                part.list.setCurrentRow(row)  # the form below fills at once
                yield f"editor tab {editor.tabs.tabText(index)}, row {row}"
    window.workshop.edit_button.click()


@pytest.fixture
def markup_file(tmp_path: Path) -> tuple[Path, set[str]]:
    session, strings = markup_session()
    path = tmp_path / "markup.coprod"
    SessionFile.create(path, session).close()
    return path, strings


def test_typed_markup_shows_literally_on_the_laptop_and_the_projector(
    window: MainWindow, markup_file: tuple[Path, set[str]], qtbot
) -> None:  # type: ignore[no-untyped-def]
    path, strings = markup_file
    assert window.open_session(path)
    window.start_presenting()
    audience = window.presenter.window  # type: ignore[union-attr]
    assert audience is not None
    qtbot.waitExposed(audience)
    problems: dict[str, str] = {}
    laptop_seen: list[str] = []
    room_seen: list[str] = []
    screens = 0
    for screen in walk(window, qtbot):
        screens += 1
        # The editor and the participants panel are the laptop's alone: the room's view stays put.
        laptop_only = screen.startswith(("editor", "participants"))
        roots = ((window, laptop_seen),) if laptop_only else ((window, laptop_seen), (audience, room_seen))
        for root, seen in roots:
            shown = list(widget_texts(root))
            for where, problem in literal_problems(shown, strings).items():
                problems.setdefault(where, f"{where} ({screen}) {problem}")
            seen.append(seen_text(shown))
    assert screens > 10
    details = DetailsDialog(window.document.session.info, window)  # type: ignore[union-attr]
    shown = list(widget_texts(details))
    problems.update(literal_problems(shown, strings))
    laptop_seen.append(seen_text(shown))
    details.deleteLater()
    # A rename puts the typed name in the Edit menu's Undo entry; the title is in Open Recent.
    people = window.workshop.people  # type: ignore[union-attr]
    ampersand = next(row for row, p in enumerate(people.model._rows) if "&" in p.name)
    people.model.setData(people.model.index(ampersand, 0), "Ann & Bo", Qt.ItemDataRole.EditRole)
    shown = list(menu_texts(window))
    problems.update(literal_problems(shown, strings | {"Ann & Bo"}))
    menus = seen_text(shown)
    assert "Undo Rename" in menus
    assert window.document.session.info.title in menus  # type: ignore[union-attr]
    assert not problems, "\n".join(sorted(problems.values()))

    laptop, room = nfc("\n".join(laptop_seen)), nfc("\n".join(room_seen))
    never_seen = sorted(s for s in strings if nfc(s) not in laptop)
    assert not never_seen, "\n".join(never_seen)
    session = window.document.session  # type: ignore[union-attr]
    for_the_room = (
        [s.title for s in session.visible_steps]
        + [c.title for c in session.criteria]
        + [s.title for s in session.stages]
        + [s.title for s in session.scenarios]
        + [s.text for s in session.scenarios]
        + [c.text for c in session.cards]
        + [r.title for r in session.readiness_items]
        + [a.what for a in session.actions]
    )
    unseen_in_room = sorted(s for s in for_the_room if nfc(s) not in room)
    assert not unseen_in_room, unseen_in_room


def test_typed_markup_is_kept_literally_in_the_pdf_csv_and_json(
    window: MainWindow, markup_file: tuple[Path, set[str]], tmp_path: Path
) -> None:
    path, strings = markup_file
    assert window.open_session(path)
    session = window.document.session  # type: ignore[union-attr]

    # JSON, through File > Export as JSON: every typed string is a value, unchanged.
    out = tmp_path / "export.json"
    assert window.export_json(out)
    values: set[str] = set()
    pending = [json.loads(out.read_text(encoding="utf-8"))]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str):
            values.add(value)
    assert sorted(strings - values) == []

    # CSV: each typed string the files carry is one whole cell, as typed.
    export_csv(session, tmp_path / "csv")
    cells: set[str] = set()
    for name in CSV_FILES:
        with (tmp_path / "csv" / name).open(encoding="utf-8-sig", newline="") as stream:
            for row in csv.reader(stream):
                cells.update(row)
    in_csv = (
        [p.name for p in session.participants]
        + [c.title for c in session.criteria]
        + [s.title for s in session.stages]
        + [s.title for s in session.scenarios]
        + [r.title for r in session.readiness_items]
        + [r.description for r in session.readiness_items]
        + [a.what for a in session.actions]
        + [a.who for a in session.actions]
        + [a.due for a in session.actions]
        + [c.text for c in session.cards]
    )
    assert sorted(set(in_csv) - cells) == []

    # PDF: the handout and the facilitator's report print the markup as typed. A line may
    # break inside the over-long word, so white space is left out of the comparison.
    # Right-to-left text is left to the report's bidi tests: the PDF holds it in visual order.
    def squeezed(text: str) -> str:
        return "".join(text.split())

    def left_to_right(text: str) -> bool:
        return not any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)

    for options in (ReportOptions(paper="a4"), ReportOptions(paper="a4", facilitator=True)):
        result = build_pdf(session, tmp_path / "report.pdf", options)
        printed = squeezed(pdf_text(result.path))
        expected = (
            [session.info.title, session.info.place, session.info.purpose]
            + [p.name for p in session.participants]
            + [c.title for c in session.criteria]
            + [s.title for s in session.stages]
            + [s.title for s in session.scenarios]
            + [r.title for r in session.readiness_items]
            + [a.what for a in session.actions]
            + [c.text for c in session.cards]
        )
        missing = [s for s in expected if left_to_right(s) and squeezed(nfc(s)) not in printed]
        assert missing == [], (options, missing)
        assert "<b>" in printed
        assert "&amp;" in printed
        assert "<img" in printed


def test_a_typed_title_suggests_a_file_name_not_a_folder(  # type: ignore[no-untyped-def]
    window: MainWindow, markup_file: tuple[Path, set[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _strings = markup_file
    assert window.open_session(path)
    title = window.document.session.info.title  # type: ignore[union-attr]
    assert "</u>" in title  # a slash: as a path it would name a folder
    suggested: list[Path] = []

    def asked(parent, caption, where, *filters):  # type: ignore[no-untyped-def]
        suggested.append(Path(where))
        return "", ""  # the facilitator cancels

    monkeypatch.setattr(QFileDialog, "getSaveFileName", asked)
    assert not window.save_as()
    assert not window.save_copy()
    assert not window.export_json()
    assert suggested_pdf_path(window.document.session, None).name.endswith(".pdf")  # type: ignore[union-attr]
    suggested.append(suggested_pdf_path(window.document.session, None))  # type: ignore[union-attr]
    documents = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
    assert len(suggested) == 4
    for where in suggested:
        assert where.parent == documents, where
        assert where.name.startswith("Fish & u chips u workshop"), where
