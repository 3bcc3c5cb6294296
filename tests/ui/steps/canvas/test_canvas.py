"""The power-sharing canvas: the scene follows the document, and every user action is one edit."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from coprod_desktop.domain.canvas import GRID, Layer
from coprod_desktop.domain.changes import Change
from coprod_desktop.domain.model import (
    CanvasBackground,
    Card,
    CardKind,
    RoleGroup,
    Session,
    replace,
)
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template
from coprod_desktop.ui.document import SessionDocument
from coprod_desktop.ui.steps.canvas import CanvasWidget, LayerChoice, export_png, export_svg, svg_bytes
from coprod_desktop.ui.steps.canvas.items import ArrowItem, CardItem
from coprod_desktop.ui.steps.canvas.view import card_mime

LEFT = Qt.MouseButton.LeftButton
NO_MODS = Qt.KeyboardModifier.NoModifier


def on_disk(path: Path) -> Session:
    with SessionFile.open(path, read_only=True) as file:
        return file.load()


class Writes:
    """Counts the document's commits to its file (`saved` says when they reach the disk,
    and one fsync may acknowledge several)."""

    def __init__(self, document: SessionDocument) -> None:
        assert document.file is not None
        self._file = document.file
        self._start = document.file.commits

    @property
    def count(self) -> int:
        return self._file.commits - self._start


@pytest.fixture
def document(tmp_path: Path) -> Iterator[SessionDocument]:
    doc = SessionDocument.create(tmp_path / "canvas.coprod", build_sample(load_builtin_template()))
    yield doc
    doc.close()


@pytest.fixture
def canvas(qtbot, document: SessionDocument) -> CanvasWidget:  # type: ignore[no-untyped-def]
    widget = CanvasWidget(document)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def card(document: SessionDocument, card_id: str) -> Card:
    found = document.session.get(Card, card_id)
    assert found is not None
    return found


def view_point(widget: CanvasWidget, x: float, y: float) -> QPoint:
    return widget.view.mapFromScene(QPointF(x, y))


def drag(qtbot, widget: CanvasWidget, start: QPointF, end: QPointF, steps: int = 6) -> None:  # type: ignore[no-untyped-def]
    """Press on `start`, move in steps, release on `end` (scene points), on the viewport."""
    viewport = widget.view.viewport()
    a = widget.view.mapFromScene(start)
    b = widget.view.mapFromScene(end)
    qtbot.mousePress(viewport, LEFT, NO_MODS, a)
    for n in range(1, steps + 1):
        qtbot.mouseMove(viewport, a + (b - a) * n / steps)
    qtbot.mouseRelease(viewport, LEFT, NO_MODS, b)


# --- the scene mirrors the document ------------------------------------------------


def test_the_scene_follows_the_document_card_by_card(canvas: CanvasWidget, document: SessionDocument) -> None:
    scene = canvas.scene_
    assert set(scene.card_ids()) == {c.id for c in document.session.cards}
    members = scene.item("c00", Layer.NOW)
    assert members is not None
    assert (members.pos().x(), members.pos().y()) == (170.0, 560.0)
    untouched = scene.item("c01", Layer.NOW)

    # Add
    new = Card(
        id="zz",
        kind=CardKind.DECISION,
        text="Budget for members' time",
        now_x=300.5,
        now_y=420.25,
        position=50,
    )
    document.put(new, "Add")
    added = scene.item("zz", Layer.NOW)
    assert added is not None
    assert added.pos() == QPointF(300.5, 420.25)
    assert added.card.text == "Budget for members' time"

    # Move and rename; the other items are the very same objects, not rebuilt.
    document.put(replace(new, now_x=610.0, text="Money for members' time"), "Edit")
    assert scene.item("zz", Layer.NOW) is added
    assert added.pos() == QPointF(610.0, 420.25)
    assert added.card.text == "Money for members' time"
    assert scene.item("c01", Layer.NOW) is untouched

    # The arrow follows a move of the aspiration.
    arrow = scene.arrow("c00")
    assert isinstance(arrow, ArrowItem)
    before = arrow.line()
    document.put(replace(card(document, "c00"), aspiration_x=900.0, aspiration_y=900.0), "Aim")
    assert arrow.line() != before
    assert arrow.drawn

    # Delete, then undo brings it back where it was.
    document.remove(card(document, "zz"), "Delete")
    assert scene.item("zz", Layer.NOW) is None
    assert added.scene() is None
    document.undo_stack.undo()
    back = scene.item("zz", Layer.NOW)
    assert back is not None
    assert back.pos() == QPointF(610.0, 420.25)
    document.undo_stack.undo()  # the new aim of c00
    document.undo_stack.undo()  # the rename and move
    assert back.pos() == QPointF(300.5, 420.25)
    assert back.card.text == "Budget for members' time"


def test_card_on_neither_layer_and_one_layer_only(canvas: CanvasWidget, document: SessionDocument) -> None:
    scene = canvas.scene_
    document.put(
        Card(id="loose", kind=CardKind.STAKEHOLDER, text="Volunteers", role=RoleGroup.COMMUNITY), "Add"
    )
    loose = scene.item("loose", Layer.NOW)
    assert loose is not None
    assert loose.placeholder
    assert loose.isVisible()
    # GP practice (c09) has no aspiration: no arrow, and no aspiration card in "both".
    assert scene.arrow("c09") is None or not scene.arrow("c09").isVisible()  # type: ignore[union-attr]
    aim = scene.item("c09", Layer.ASPIRATION)
    assert aim is None or not aim.isVisible()


# --- dragging ------------------------------------------------------------------------


def test_a_drag_is_one_undo_step_and_one_write(
    qtbot, canvas: CanvasWidget, document: SessionDocument
) -> None:  # type: ignore[no-untyped-def]
    canvas.set_layer(LayerChoice.NOW)
    writes = Writes(document)
    steps_before = document.undo_stack.count()
    walking = card(document, "c04")  # Neighbourhood walking group, alone in its corner
    start = QPointF(walking.now_x, walking.now_y)  # type: ignore[arg-type]
    drag(qtbot, canvas, start, start + QPointF(-200, -150), steps=8)

    assert document.undo_stack.count() == steps_before + 1
    assert writes.count == 1
    moved = card(document, "c04")
    item = canvas.scene_.item("c04", Layer.NOW)
    assert item is not None
    assert (moved.now_x, moved.now_y) == (item.pos().x(), item.pos().y())
    assert moved.now_x is not None
    assert moved.now_x < walking.now_x
    assert (moved.aspiration_x, moved.aspiration_y) == (walking.aspiration_x, walking.aspiration_y)
    assert on_disk(document.path).get(Card, "c04") == moved  # type: ignore[arg-type]
    assert document.undo_stack.undoText() == "Move ‘Neighbourhood walking group’"

    document.undo_stack.undo()
    assert card(document, "c04") == walking
    assert item.pos() == QPointF(walking.now_x, walking.now_y)  # type: ignore[arg-type]
    assert on_disk(document.path).get(Card, "c04") == walking  # type: ignore[arg-type]


def test_a_click_without_moving_writes_nothing(
    qtbot, canvas: CanvasWidget, document: SessionDocument
) -> None:  # type: ignore[no-untyped-def]
    writes = Writes(document)
    walking = card(document, "c04")
    point = view_point(canvas, walking.now_x, walking.now_y)  # type: ignore[arg-type]
    qtbot.mouseClick(canvas.view.viewport(), LEFT, NO_MODS, point)
    assert writes.count == 0
    assert canvas.scene_.selected_card_ids() == ["c04"]


def test_dragging_several_selected_cards_is_one_step(
    qtbot, canvas: CanvasWidget, document: SessionDocument
) -> None:  # type: ignore[no-untyped-def]
    canvas.set_layer(LayerChoice.NOW)
    viewport = canvas.view.viewport()
    walking, members = card(document, "c04"), card(document, "c00")
    qtbot.mouseClick(viewport, LEFT, NO_MODS, view_point(canvas, walking.now_x, walking.now_y))  # type: ignore[arg-type]
    qtbot.mouseClick(
        viewport, LEFT, Qt.KeyboardModifier.ControlModifier, view_point(canvas, members.now_x, members.now_y)
    )  # type: ignore[arg-type]
    assert set(canvas.scene_.selected_card_ids()) == {"c04", "c00"}
    writes = Writes(document)
    steps_before = document.undo_stack.count()
    drag(
        qtbot,
        canvas,
        QPointF(walking.now_x, walking.now_y),
        QPointF(walking.now_x - 100, walking.now_y - 100),
    )  # type: ignore[arg-type]

    assert document.undo_stack.count() == steps_before + 1
    assert writes.count == 1
    assert document.undo_stack.undoText() == "Move 2 cards"
    after_walking, after_members = card(document, "c04"), card(document, "c00")
    dx = after_walking.now_x - walking.now_x  # type: ignore[operator]
    assert dx < 0
    assert after_members.now_x - members.now_x == pytest.approx(dx)  # type: ignore[operator]
    document.undo_stack.undo()
    assert card(document, "c04") == walking
    assert card(document, "c00") == members


def test_rubber_band_selects_the_cards_it_touches(qtbot, canvas: CanvasWidget) -> None:  # type: ignore[no-untyped-def]
    canvas.set_layer(LayerChoice.NOW)
    # An empty strip at the right of the grid, then a band over the walking group's corner.
    drag(qtbot, canvas, QPointF(990, 990), QPointF(700, 700))
    assert canvas.scene_.selected_card_ids() == ["c04"]


def test_no_writes_while_the_mouse_moves(qtbot, canvas: CanvasWidget, document: SessionDocument) -> None:  # type: ignore[no-untyped-def]
    canvas.set_layer(LayerChoice.NOW)
    writes = Writes(document)
    viewport = canvas.view.viewport()
    walking = card(document, "c04")
    a = view_point(canvas, walking.now_x, walking.now_y)  # type: ignore[arg-type]
    qtbot.mousePress(viewport, LEFT, NO_MODS, a)
    for n in range(1, 10):
        qtbot.mouseMove(viewport, a + QPoint(-10 * n, -5 * n))
    assert writes.count == 0
    assert card(document, "c04") == walking
    qtbot.mouseRelease(viewport, LEFT, NO_MODS, a + QPoint(-90, -45))
    assert writes.count == 1


def test_snapping_lands_a_drag_on_the_grid(qtbot, canvas: CanvasWidget, document: SessionDocument) -> None:  # type: ignore[no-untyped-def]
    canvas.set_layer(LayerChoice.NOW)
    canvas.snap_action.trigger()
    assert document.session.canvas.snap
    assert document.undo_stack.undoText() == "Snap cards to the grid"
    walking = card(document, "c04")
    drag(
        qtbot, canvas, QPointF(walking.now_x, walking.now_y), QPointF(walking.now_x - 133, walking.now_y - 77)
    )  # type: ignore[arg-type]
    moved = card(document, "c04")
    assert moved.now_x is not None
    assert moved.now_y is not None
    assert moved.now_x % GRID == 0
    assert moved.now_y % GRID == 0
    assert moved.now_x != walking.now_x


# --- layers --------------------------------------------------------------------------


def test_dragging_on_aspiration_creates_it_and_leaves_now_alone(  # type: ignore[no-untyped-def]
    qtbot, canvas: CanvasWidget, document: SessionDocument
) -> None:
    canvas.set_layer(LayerChoice.ASPIRATION)
    gp = card(document, "c09")  # GP practice: on "now" only
    assert gp.aspiration_x is None
    placeholder = canvas.scene_.item("c09", Layer.ASPIRATION)
    assert placeholder is not None
    assert placeholder.placeholder
    assert placeholder.isVisible()
    assert placeholder.pos() == QPointF(gp.now_x, gp.now_y)  # type: ignore[arg-type]
    ghost = canvas.scene_.item("c09", Layer.NOW)
    assert ghost is not None
    assert ghost.ghost
    assert not ghost.flags() & CardItem.GraphicsItemFlag.ItemIsMovable

    steps_before = document.undo_stack.count()
    drag(qtbot, canvas, QPointF(gp.now_x, gp.now_y), QPointF(450, 480))  # type: ignore[arg-type]
    placed = card(document, "c09")
    assert document.undo_stack.count() == steps_before + 1
    assert document.undo_stack.undoText() == "Place ‘GP practice’ on the aspiration layer"
    assert (placed.now_x, placed.now_y) == (gp.now_x, gp.now_y)
    assert placed.aspiration_x is not None
    assert placed.aspiration_y is not None
    assert placed.aspiration_x > gp.now_x  # type: ignore[operator]
    assert not canvas.scene_.item("c09", Layer.ASPIRATION).placeholder  # type: ignore[union-attr]
    arrow = canvas.scene_.arrow("c09")
    assert arrow is not None
    assert arrow.isVisible()

    document.undo_stack.undo()
    assert card(document, "c09") == gp
    assert canvas.scene_.item("c09", Layer.ASPIRATION).placeholder  # type: ignore[union-attr]


def test_layer_choices_show_what_they_say(canvas: CanvasWidget, document: SessionDocument) -> None:
    scene = canvas.scene_

    def visible(layer: Layer) -> int:
        return sum(1 for i in scene.items() if isinstance(i, CardItem) and i.layer is layer and i.isVisible())

    arrows = lambda: sum(1 for i in scene.items() if isinstance(i, ArrowItem) and i.isVisible())  # noqa: E731
    canvas.set_layer(LayerChoice.NOW)
    assert (visible(Layer.NOW), visible(Layer.ASPIRATION), arrows()) == (10, 0, 0)
    canvas.set_layer(LayerChoice.BOTH)
    assert (visible(Layer.NOW), visible(Layer.ASPIRATION), arrows()) == (10, 9, 9)
    canvas.set_layer(LayerChoice.MOVES)
    assert (visible(Layer.NOW), visible(Layer.ASPIRATION), arrows()) == (0, 0, 9)
    assert not canvas.add_person_action.isEnabled()
    canvas.set_layer(LayerChoice.ASPIRATION)
    assert visible(Layer.ASPIRATION) == 10  # the GP practice as a placeholder
    assert canvas.layer_actions[LayerChoice.ASPIRATION].isChecked()


# --- the keyboard ----------------------------------------------------------------------


def test_arrow_keys_move_the_selection_one_step_per_press(
    qtbot, canvas: CanvasWidget, document: SessionDocument
) -> None:  # type: ignore[no-untyped-def]
    canvas.set_layer(LayerChoice.NOW)
    view = canvas.view
    view.setFocus()
    canvas.scene_.select_cards(["c04"])
    walking = card(document, "c04")
    steps_before = document.undo_stack.count()
    qtbot.keyClick(view, Qt.Key.Key_Left)
    qtbot.keyClick(view, Qt.Key.Key_Left)
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    moved = card(document, "c04")
    assert (moved.now_x, moved.now_y) == (walking.now_x - 2 * GRID, walking.now_y - 4 * GRID)  # type: ignore[operator]
    assert document.undo_stack.count() == steps_before + 3
    assert canvas.scene_.selected_card_ids() == ["c04"]  # still selected, so presses go on
    document.undo_stack.undo()
    assert card(document, "c04").now_y == walking.now_y


def test_tab_walks_through_the_cards(qtbot, canvas: CanvasWidget) -> None:  # type: ignore[no-untyped-def]
    canvas.set_layer(LayerChoice.NOW)
    view = canvas.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert canvas.scene_.selected_card_ids() == ["c00"]
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert canvas.scene_.selected_card_ids() == ["c01"]
    qtbot.keyClick(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert canvas.scene_.selected_card_ids() == ["c00"]
    assert "Class members" in canvas.status.text()


def test_f2_edits_words_in_place_and_enter_keeps_them(
    qtbot, canvas: CanvasWidget, document: SessionDocument
) -> None:  # type: ignore[no-untyped-def]
    view = canvas.view
    view.setFocus()
    canvas.scene_.select_cards(["c02"], Layer.NOW)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.editor
    assert editor is not None
    assert editor.line.text() == "Instructors"
    assert editor.line.hasFocus()
    steps_before = document.undo_stack.count()
    editor.line.selectAll()
    qtbot.keyClicks(editor.line, "Class instructors")
    qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    assert view.editor is None
    assert card(document, "c02").text == "Class instructors"
    assert document.undo_stack.count() == steps_before + 1
    assert canvas.scene_.item("c02", Layer.NOW).card.text == "Class instructors"  # type: ignore[union-attr]
    assert on_disk(document.path).get(Card, "c02").text == "Class instructors"  # type: ignore[arg-type, union-attr]


def test_escape_drops_an_edit_and_double_click_opens_one(
    qtbot, canvas: CanvasWidget, document: SessionDocument
) -> None:  # type: ignore[no-untyped-def]
    canvas.set_layer(LayerChoice.NOW)
    walking = card(document, "c04")
    qtbot.mouseDClick(canvas.view.viewport(), LEFT, NO_MODS, view_point(canvas, walking.now_x, walking.now_y))  # type: ignore[arg-type]
    editor = canvas.view.editor
    assert editor is not None
    qtbot.keyClicks(editor.line, "Nope")
    steps_before = document.undo_stack.count()
    qtbot.keyClick(editor.line, Qt.Key.Key_Escape)
    assert canvas.view.editor is None
    assert card(document, "c04").text == "Neighbourhood walking group"
    assert document.undo_stack.count() == steps_before


def test_double_click_on_empty_space_adds_a_card_in_one_step(
    qtbot, canvas: CanvasWidget, document: SessionDocument
) -> None:  # type: ignore[no-untyped-def]
    canvas.set_layer(LayerChoice.NOW)
    canvas.role_combo.setCurrentIndex(canvas.role_combo.findData(RoleGroup.CARER.value))
    canvas._role_chosen(canvas.role_combo.currentIndex())
    before = {c.id for c in document.session.cards}
    qtbot.mouseDClick(canvas.view.viewport(), LEFT, NO_MODS, view_point(canvas, 850, 550))
    editor = canvas.view.editor
    assert editor is not None
    steps_before = document.undo_stack.count()
    qtbot.keyClicks(editor.line, "Young carers")
    qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    added = [c for c in document.session.cards if c.id not in before]
    assert len(added) == 1
    new = added[0]
    assert (new.text, new.kind, new.role) == ("Young carers", CardKind.STAKEHOLDER, RoleGroup.CARER)
    assert new.now_x == pytest.approx(850, abs=3)
    assert new.now_y == pytest.approx(550, abs=3)
    assert new.aspiration_x is None
    assert document.undo_stack.count() == steps_before + 1
    assert canvas.scene_.selected_card_ids() == [new.id]


def test_insert_opens_a_new_card_and_an_empty_one_adds_nothing(
    qtbot, canvas: CanvasWidget, document: SessionDocument
) -> None:  # type: ignore[no-untyped-def]
    canvas.view.setFocus()
    qtbot.keyClick(canvas.view, Qt.Key.Key_Insert)
    assert canvas.view.editor is not None
    count = len(document.session.cards)
    qtbot.keyClick(canvas.view.editor.line, Qt.Key.Key_Return)
    assert len(document.session.cards) == count
    qtbot.keyClick(canvas.view, Qt.Key.Key_Insert, Qt.KeyboardModifier.ShiftModifier)
    editor = canvas.view.editor
    assert editor is not None
    qtbot.keyClicks(editor.line, "Setting the fees")
    qtbot.keyClick(editor.line, Qt.Key.Key_Enter)
    assert len(document.session.cards) == count + 1
    assert document.session.cards[-1].kind is CardKind.DECISION
    assert document.session.cards[-1].role is None


def test_delete_and_duplicate_from_the_keyboard(
    qtbot, canvas: CanvasWidget, document: SessionDocument
) -> None:  # type: ignore[no-untyped-def]
    view = canvas.view
    view.setFocus()
    canvas.scene_.select_cards(["c00", "c04"], Layer.NOW)
    count = len(document.session.cards)
    qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert len(document.session.cards) == count + 2
    copies = canvas.scene_.selected_card_ids()
    assert len(copies) == 2
    assert not set(copies) & {"c00", "c04"}
    copy = card(document, copies[0])
    original = card(document, "c00") if copy.text == "Class members" else card(document, "c04")
    assert copy.now_x == original.now_x + 2 * GRID  # type: ignore[operator]
    assert copy.aspiration_y == original.aspiration_y + 2 * GRID  # type: ignore[operator]
    assert document.undo_stack.undoText() == "Duplicate 2 cards"

    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert len(document.session.cards) == count
    assert all(canvas.scene_.item(i, Layer.NOW) is None for i in copies)
    assert document.undo_stack.undoText() == "Delete 2 cards"
    document.undo_stack.undo()
    assert len(document.session.cards) == count + 2
    assert canvas.scene_.item(copies[0], Layer.NOW) is not None


def test_role_group_of_the_selection_changes_in_one_step(
    canvas: CanvasWidget, document: SessionDocument
) -> None:
    canvas.scene_.select_cards(["c00", "c01"], Layer.NOW)
    index = canvas.role_combo.findData(RoleGroup.COMMUNITY.value)
    canvas.role_combo.setCurrentIndex(index)
    canvas._role_chosen(index)
    assert card(document, "c00").role is RoleGroup.COMMUNITY
    assert card(document, "c01").role is RoleGroup.COMMUNITY
    assert canvas.scene_.item("c00", Layer.NOW).mark.shape.value == "hexagon"  # type: ignore[union-attr]
    document.undo_stack.undo()
    assert card(document, "c00").role is RoleGroup.USES_SERVICES
    assert card(document, "c01").role is RoleGroup.CARER


# --- the palette -------------------------------------------------------------------------


def test_palette_lists_people_and_enter_puts_one_on_the_canvas(
    qtbot, canvas: CanvasWidget, document: SessionDocument
) -> None:  # type: ignore[no-untyped-def]
    palette = canvas.cards_palette
    assert palette is not None
    names = [palette.item(row).text() for row in range(palette.count())]
    assert "Agnieszka Wójcik" in names
    assert "Carer or family" in names
    row = names.index("Agnieszka Wójcik")
    palette.setFocus()
    palette.setCurrentRow(row)
    count = len(document.session.cards)
    qtbot.keyClick(palette, Qt.Key.Key_Return)
    assert len(document.session.cards) == count + 1
    new = document.session.cards[-1]
    assert (new.text, new.role, new.participant_id) == ("Agnieszka Wójcik", RoleGroup.USES_SERVICES, "p00")
    assert new.now_x is not None


def test_dropping_a_role_group_adds_it_where_it_lands(
    canvas: CanvasWidget, document: SessionDocument
) -> None:
    view = canvas.view
    data: QMimeData = card_mime(CardKind.STAKEHOLDER, "Researcher", RoleGroup.RESEARCHER)
    point = view_point(canvas, 800, 150)
    # What a drag from the palette delivers: enter, move, drop.
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, data, LEFT, NO_MODS)
    QApplication.sendEvent(view.viewport(), enter)
    assert enter.isAccepted()
    QApplication.sendEvent(
        view.viewport(), QDragMoveEvent(point, Qt.DropAction.CopyAction, data, LEFT, NO_MODS)
    )
    drop = QDropEvent(QPointF(point), Qt.DropAction.CopyAction, data, LEFT, NO_MODS)
    QApplication.sendEvent(view.viewport(), drop)
    assert drop.isAccepted()
    new = document.session.cards[-1]
    assert (new.text, new.role) == ("Researcher", RoleGroup.RESEARCHER)
    assert new.now_x == pytest.approx(800, abs=3)
    assert new.now_y == pytest.approx(150, abs=3)


def test_palette_follows_the_people_in_the_room(canvas: CanvasWidget, document: SessionDocument) -> None:
    from coprod_desktop.domain.model import Participant

    document.put(Participant(id="new", name="Mele Tupou", role=RoleGroup.FRONTLINE, position=99), "Add")
    palette = canvas.cards_palette
    assert palette is not None
    assert any(palette.item(r).text() == "Mele Tupou" for r in range(palette.count()))


# --- view: zoom, fit, focus, audience ---------------------------------------------------


def test_zoom_fit_and_focus(qtbot, canvas: CanvasWidget) -> None:  # type: ignore[no-untyped-def]
    view = canvas.view
    assert view.zoom() == pytest.approx(1.0)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == pytest.approx(1.25)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == pytest.approx(0.8)
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == pytest.approx(1.0)
    assert view.auto_fit

    canvas.scene_.select_cards(["c04"], Layer.NOW)
    qtbot.keyClick(view, Qt.Key.Key_F)
    assert canvas.scene_.focus_id == "c04"
    assert view.zoom() > 1.5
    walking = canvas.scene_.item("c04", Layer.NOW)
    other = canvas.scene_.item("c00", Layer.NOW)
    assert walking is not None
    assert other is not None
    assert walking.opacity() == 1.0
    assert other.opacity() < 0.5
    assert view.viewport().rect().contains(view.mapFromScene(walking.pos()))
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert canvas.scene_.focus_id is None
    assert other.opacity() == 1.0


def test_audience_view_follows_the_document_and_the_facilitator(  # type: ignore[no-untyped-def]
    qtbot, canvas: CanvasWidget, document: SessionDocument
) -> None:
    audience = CanvasWidget(document, audience=True)
    qtbot.addWidget(audience)
    audience.resize(1280, 720)
    audience.show()
    assert audience.cards_palette is None
    assert not audience.view.isInteractive()
    item = audience.scene_.item("c00", Layer.NOW)
    assert item is not None
    assert not item.flags() & CardItem.GraphicsItemFlag.ItemIsMovable
    # The room's picture is the laptop's in proportion: same card sizes and places in canvas
    # units (the view scales the whole), so no card covers one it did not cover on the laptop.
    console_item = canvas.scene_.item("c00", Layer.NOW)
    assert console_item is not None
    assert item.boundingRect() == console_item.boundingRect()
    assert item.pos() == console_item.pos()

    document.put(replace(card(document, "c00"), now_x=333.0, text="Members"), "Edit")
    assert item.pos().x() == 333.0
    assert item.card.text == "Members"
    canvas.set_layer(LayerChoice.MOVES)
    assert audience.layer is LayerChoice.MOVES
    assert "moves" in audience.caption.text().lower()
    canvas.set_layer(LayerChoice.BOTH)
    canvas.focus_card("c04")
    assert audience.scene_.focus_id == "c04"
    assert "Neighbourhood walking group" in audience.caption.text()


def test_background_choice_is_an_undoable_edit(canvas: CanvasWidget, document: SessionDocument) -> None:
    combo = canvas.background_combo
    index = combo.findData(CanvasBackground.LADDER.value)
    combo.setCurrentIndex(index)
    canvas._background_chosen(index)
    assert document.session.canvas.background is CanvasBackground.LADDER
    assert canvas.scene_.background is CanvasBackground.LADDER
    document.undo_stack.undo()
    assert canvas.scene_.background is CanvasBackground.PLAN_DELIVER
    assert combo.currentData() == CanvasBackground.PLAN_DELIVER.value


# --- on disk -----------------------------------------------------------------------------


def test_positions_in_both_layers_survive_close_and_reopen_exactly(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "exact.coprod"
    document = SessionDocument.create(path, build_sample(load_builtin_template()))
    widget = CanvasWidget(document)
    qtbot.addWidget(widget)
    awkward = [(0.1 + 0.2, 1 / 3), (123.456789012345, 987.654321098765), (-12.5, 1000.000000001)]
    changes = []
    for n, ((nx, ny), (ax, ay)) in enumerate(zip(awkward, reversed(awkward), strict=True)):
        old = card(document, f"c0{n}")
        changes.append(Change(old, replace(old, now_x=nx, now_y=ny, aspiration_x=ax, aspiration_y=ay)))
    document.apply(changes, "Awkward places")
    widget.set_layer(LayerChoice.NOW)
    widget.scene_.select_cards(["c05"], Layer.NOW)
    widget.scene_.move_selected(0.1, 0.7)
    expected = {c.id: c for c in document.session.cards}
    shown = {
        i: (widget.scene_.item(i, Layer.NOW).pos().x(), widget.scene_.item(i, Layer.NOW).pos().y())  # type: ignore[union-attr]
        for i in expected
        if expected[i].now_x is not None
    }
    widget.close()
    document.close()

    reopened = SessionDocument.open(path)
    try:
        again = CanvasWidget(reopened)
        qtbot.addWidget(again)
        for card_id, before in expected.items():
            after = card(reopened, card_id)
            assert (after.now_x, after.now_y, after.aspiration_x, after.aspiration_y) == (
                before.now_x,
                before.now_y,
                before.aspiration_x,
                before.aspiration_y,
            )
            if before.now_x is not None:
                item = again.scene_.item(card_id, Layer.NOW)
                assert item is not None
                assert (item.pos().x(), item.pos().y()) == shown[card_id]
            if before.aspiration_x is not None:
                aim = again.scene_.item(card_id, Layer.ASPIRATION)
                assert aim is not None
                assert (aim.pos().x(), aim.pos().y()) == (before.aspiration_x, before.aspiration_y)
    finally:
        reopened.close()


# --- pictures ------------------------------------------------------------------------------


def test_png_and_svg_exports_are_valid_files(canvas: CanvasWidget, tmp_path: Path) -> None:
    canvas.scene_.select_cards(["c00"], Layer.NOW)
    png = export_png(canvas, tmp_path / "canvas.png", scale=0.5)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = export_svg(canvas.scene_, tmp_path / "canvas.svg")
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    text = "".join(root.itertext())
    assert "Class members" in text
    assert "co-production" in text
    assert "Who plans and designs?" in text
    # Vector all through: no card was written as a bitmap.
    assert not [e for e in root.iter() if e.tag.endswith("image")]
    assert canvas.scene_.selected_card_ids() == ["c00"]  # the selection is back after drawing
    assert svg_bytes(canvas).startswith(b"<?xml")


# --- big canvases: the still picture and the drag image ------------------------------------


def test_big_canvas_drags_are_still_one_step_and_exact(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from coprod_desktop.ui.steps.canvas.scene import DRAG_IMAGE_FROM, STILL_PICTURE_FROM

    session = build_sample(load_builtin_template())
    for n in range(STILL_PICTURE_FROM + 10):
        session.put(
            Card(
                id=f"b{n:03d}",
                kind=CardKind.STAKEHOLDER,
                text=f"Group {n}",
                role=RoleGroup.COMMUNITY,
                now_x=40.0 + (n % 12) * 80,
                now_y=40.0 + (n // 12) * 70,
                aspiration_x=60.0 + (n % 12) * 80,
                aspiration_y=60.0 + (n // 12) * 70,
                position=20 + n,
            )
        )
    document = SessionDocument.create(tmp_path / "big.coprod", session)
    try:
        widget = CanvasWidget(document)
        qtbot.addWidget(widget)
        widget.resize(1400, 900)
        widget.show()
        qtbot.waitExposed(widget)
        widget.set_layer(LayerChoice.NOW)
        scene, viewport = widget.scene_, widget.view.viewport()

        # One card: the others become a still picture while the mouse is down, then come back.
        # (Cards overlap their right-hand neighbour; the last of a row is uncovered.)
        before = card(document, "b011")
        a = view_point(widget, before.now_x, before.now_y)  # type: ignore[arg-type]
        qtbot.mousePress(viewport, LEFT, NO_MODS, a)
        assert scene._still
        assert scene.selected_card_ids() == ["b011"]
        assert scene.item("b003", Layer.NOW).scenePos() != QPointF(280.0, 40.0)  # type: ignore[union-attr]
        for n in range(1, 6):
            qtbot.mouseMove(viewport, a + QPoint(-8 * n, 5 * n))
        qtbot.mouseRelease(viewport, LEFT, NO_MODS, a + QPoint(-40, 25))
        assert not scene._still
        other = scene.item("b003", Layer.NOW)
        assert other is not None
        assert other.scenePos() == QPointF(280.0, 40.0)
        moved = card(document, "b011")
        item = scene.item("b011", Layer.NOW)
        assert item is not None
        assert (moved.now_x, moved.now_y) == (item.scenePos().x(), item.scenePos().y())
        assert moved.now_x < before.now_x  # type: ignore[operator]
        assert document.undo_stack.undoText() == "Move ‘Group 11’"

        # Many cards: they move as one picture; every card lands exactly where it was dragged.
        chosen = [f"b{n:03d}" for n in range(DRAG_IMAGE_FROM + 5)]
        scene.select_cards(chosen, Layer.NOW)
        starts = {i: card(document, i) for i in chosen}
        writes = Writes(document)
        steps = document.undo_stack.count()
        lead = starts["b023"]
        drag(qtbot, widget, QPointF(lead.now_x, lead.now_y), QPointF(lead.now_x + 30, lead.now_y + 20))  # type: ignore[arg-type]
        assert scene._drag_image is None
        assert not scene._still
        assert writes.count == 1
        assert document.undo_stack.count() == steps + 1
        dx = card(document, "b023").now_x - lead.now_x  # type: ignore[operator]
        assert dx > 0
        for card_id, start in starts.items():
            assert card(document, card_id).now_x == pytest.approx(start.now_x + dx)  # type: ignore[operator]

        # In "both", a dragged card's arrow follows it.
        widget.set_layer(LayerChoice.BOTH)
        arrow = scene.arrow("b035")
        assert arrow is not None
        line_before = arrow.line()
        group = card(document, "b035")
        drag(qtbot, widget, QPointF(group.now_x, group.now_y), QPointF(group.now_x, group.now_y + 150))  # type: ignore[arg-type]
        assert arrow.line() != line_before
        assert arrow.parentItem() is scene._homes["arrows"]
    finally:
        document.close()


def test_typing_in_the_editor_never_fires_canvas_keys(
    qtbot, canvas: CanvasWidget, document: SessionDocument
) -> None:  # type: ignore[no-untyped-def]
    view = canvas.view
    view.setFocus()
    canvas.scene_.select_cards(["c05"], Layer.NOW)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    assert view.editor is not None
    # Keys reach the editor through the view, as they do from a keyboard: F (focus), Delete, arrows.
    qtbot.keyClick(view, Qt.Key.Key_End)
    qtbot.keyClicks(view, " Fees")
    qtbot.keyClick(view, Qt.Key.Key_Left)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert canvas.scene_.focus_id is None
    assert card(document, "c05").text == "Class timetable Fee"
    assert card(document, "c05").now_x == 170.0


def test_tooltips_say_who_a_card_is(canvas: CanvasWidget) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QGraphicsSceneHelpEvent, QToolTip

    canvas.set_layer(LayerChoice.NOW)
    event = QGraphicsSceneHelpEvent(QEvent.Type.GraphicsSceneHelp)
    event.setScenePos(QPointF(860, 860))  # the walking group, alone in its corner
    event.setScreenPos(canvas.view.mapToGlobal(view_point(canvas, 860, 860)))
    canvas.scene_.helpEvent(event)
    assert QToolTip.text() == "Neighbourhood walking group\nCommunity member · Now"
    QToolTip.hideText()


def test_the_hint_line_never_moves_the_canvas(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A drag must land where it was aimed: the hint under the canvas keeps its height whatever
    it says, so the fitted canvas never shifts while the facilitator works."""
    from coprod_desktop.domain.sample import build_sample
    from coprod_desktop.storage.templates import load_builtin_template
    from coprod_desktop.ui.document import SessionDocument
    from coprod_desktop.ui.steps.canvas import CanvasWidget

    document = SessionDocument.create(tmp_path / "hint.coprod", build_sample(load_builtin_template()))
    try:
        widget = CanvasWidget(document)
        qtbot.addWidget(widget)
        widget.resize(1000, 600)
        widget.show()
        qtbot.waitExposed(widget)

        def where() -> tuple[object, object]:
            QApplication.processEvents()
            return widget.view.geometry().getRect(), widget.view.mapFromScene(500.0, 500.0).toTuple()

        before = where()
        widget.status.setText("Short.")
        assert where() == before
        widget.status.setText("A much longer hint " * 12)
        assert where() == before
        widget.scene_.select_cards([document.session.cards[0].id])
        assert where() == before
    finally:
        document.close()
