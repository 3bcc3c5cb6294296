"""The view onto the canvas: zoom, pan, fit, focus on one card, and the keyboard.

Zoom with Ctrl+wheel or Ctrl+plus and Ctrl+minus; Ctrl+0 fits the canvas. Pan with
the scroll wheel, the middle button, or Space held while dragging. On the
facilitator's view: arrows move the selected cards (Shift for bigger steps), F2 or
Enter edits a card's words, F focuses the room on the selected card, Escape lets
go, Tab and Shift+Tab walk through the cards. Double-click empty space to add a card,
a card to edit it; drop entries from the palette.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QMimeData,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QGraphicsItem, QGraphicsView, QWidget

from ....domain import i18n
from ....domain.canvas import Layer
from ....domain.i18n import _
from ....domain.model import CardKind, RoleGroup
from ...presenter.roomstyle import LIGHT, RoomTheme
from . import style
from .editor import CardEditorItem
from .items import CardItem, words_below
from .room import Drawn, RoomBoard, draw_board
from .scene import BIG_NUDGE, NUDGE, CanvasScene

MIME_TYPE = "application/x-coprod-canvas-card"
# The cards' bitmaps are filled this long after the first paint: not in the same pass of
# the event loop, so the first picture reaches the screen without waiting for them.
WARM_UP_AFTER_MS = 150
# The cards a scene left to lay out after the first frame (`CanvasScene.later`) are laid out
# this long per turn of the event loop, so a key or a vote meanwhile waits no longer.
LATER_SLICE_S = 0.004
# What needs the cards themselves, not their sketch: a view given one of these while its scene
# still lays cards out lays out the rest at once, before it acts on it (`CanvasScene.lay_out_later`).
_WANTS_CARDS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.DragEnter,
        QEvent.Type.DragMove,
        QEvent.Type.Drop,
        QEvent.Type.ContextMenu,
        QEvent.Type.ToolTip,
        QEvent.Type.WhatsThis,
        QEvent.Type.InputMethod,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
        QEvent.Type.NativeGesture,
    }
)
ZOOM_STEP = 1.25
MAX_ZOOM = 8.0  # times the fitted scale
MIN_ZOOM = 0.4
FOCUS_MARGIN = QRectF(0, 0, 620, 380)  # the least a focused card is zoomed out to show


def card_mime(
    kind: CardKind, text: str, role: RoleGroup | None, participant_id: str = "", draft: bool = False
) -> QMimeData:
    """What the palette drags: a card to make where it is dropped (or, for a draft, to type)."""
    data = QMimeData()
    payload = {
        "kind": kind.value,
        "text": text,
        "role": role.value if role else None,
        "participant_id": participant_id,
        "draft": draft,
    }
    data.setData(MIME_TYPE, json.dumps(payload).encode("utf-8"))
    data.setText(text)
    return data


def read_card_mime(data: QMimeData) -> dict[str, Any] | None:
    if not data.hasFormat(MIME_TYPE):
        return None
    try:
        payload = json.loads(bytes(data.data(MIME_TYPE).data()).decode("utf-8"))
        payload["kind"] = CardKind(payload["kind"])
        payload["role"] = RoleGroup(payload["role"]) if payload.get("role") else None
    except (ValueError, KeyError, TypeError):
        return None
    return dict(payload)


class CanvasView(QGraphicsView):
    """Looks at a `CanvasScene`; on the audience side it only looks."""

    resized = Signal()

    def __init__(self, scene: CanvasScene, *, audience: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.canvas = scene
        self.audience = audience
        # The axes are a shared diagram whose positions are data: never mirrored.
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.auto_fit = True  # keep the whole canvas in view as the window resizes
        self.new_role: RoleGroup | None = RoleGroup.OTHER
        self.editor: CardEditorItem | None = None
        self._retired: CardEditorItem | None = None
        self._pan_from: QPoint | None = None
        self._painted = False
        self._still_picture: QPixmap | None = None
        # The room's first frame, painted ahead unseen, and what it showed (see take_first_picture).
        self._first_picture: tuple[QPixmap, object] | None = None
        # The first frame of a scene that lays its cards out later (`CanvasScene.later`), its
        # cards sketched, and what it showed but the cards (see `_sketched`).
        self._sketch: tuple[QPixmap, object] | None = None
        self._later_turn: QTimer | None = None
        self._warm_when_laid_out = False  # the bitmaps' warm-up came while they were laid out
        # The room's own board (see room.py), set by the room's canvas widget; None on the laptop.
        self.board: RoomBoard | None = None
        self.room_theme: RoomTheme = LIGHT
        self._board_texts: Drawn = []
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing
            | QPainter.RenderHint.TextAntialiasing
            | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName(_("Power-sharing canvas"))
        if audience:
            self.setInteractive(False)
            self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        else:
            self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
            self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
            self.setAcceptDrops(True)
            self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.setAccessibleDescription(
                _(
                    "Cards of people, groups and decisions. Tab walks through the cards; arrow keys move "
                    "the selected cards; F2 edits the words; Delete removes; F focuses the room on a card."
                )
            )

    # --- zoom and fit ----------------------------------------------------------

    def fitted_scale(self) -> float:
        rect = self.canvas.sceneRect()
        view = self.viewport().rect().adjusted(2, 2, -2, -2)  # the margin fitInView leaves
        if rect.isEmpty() or view.isEmpty():
            return 1.0
        return min(view.width() / rect.width(), view.height() / rect.height())

    def zoom(self) -> float:
        """The zoom relative to the whole canvas fitted in the view (1 = fitted)."""
        return self.transform().m11() / self.fitted_scale()

    def fit(self) -> None:
        """Show the whole canvas, and keep it so when the window resizes."""
        self.auto_fit = True
        self.canvas.end_still_picture()
        if self.board is not None:
            # The room: the board's grid as large as the screen allows, its words around it.
            rect = self.board.scene_rect()
            s = self.board.scale
            # A pixel short of the viewport, so rounding never leaves anything to scroll.
            self.setSceneRect(rect.adjusted(0, 0, -1.5 / s, -1.5 / s))
            self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self.resetTransform()
            self.scale(s, s)
            self.resetCachedContent()
            return
        self.fitInView(self.canvas.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def set_board(self, board: RoomBoard | None, room: RoomTheme) -> None:
        """The room's board for this view's size and type, and the room's theme."""
        self.board = board
        self.room_theme = room
        if self.canvas.focus_id is not None:
            self.setSceneRect(board.scene_rect() if board is not None else self.canvas.sceneRect())
            self.focus_on(self.canvas.focus_id)
        elif self.auto_fit:
            self.fit()
        self.resetCachedContent()
        self.viewport().update()

    def visible_card_items(self) -> list[CardItem]:
        self.canvas.lay_out_later()
        return [
            item
            for item in self.canvas.items()
            if isinstance(item, CardItem) and item.isVisible() and item.opacity() > 0.5
        ]

    def drawn_texts(self) -> Drawn:
        """Every text the room's canvas draws: (words, line height in px, ink, background)."""
        if self.board is None:
            return []
        zoom = self.transform().m11()
        found = list(self._board_texts)
        for item in self.visible_card_items():
            look = item._look
            line = style.line_height(item.shape_.font_px) * zoom
            found.append((item.card.text, line, look.text.color().name(), look.fill.color().name()))
        return found

    def zoom_by(self, factor: float) -> None:
        current = self.zoom()
        target = min(max(current * factor, MIN_ZOOM), MAX_ZOOM)
        if target == current:
            return
        self.auto_fit = False
        self.canvas.end_still_picture()
        step = target / current
        self.scale(step, step)

    def zoom_in(self) -> None:
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / ZOOM_STEP)

    def focus_on(self, card_id: str | None) -> bool:
        """Zoom to one card and dim the rest; None goes back to the whole canvas."""
        if card_id is None:
            self.canvas.set_focus_card(None)
            self.fit()
            return True
        rect = self.canvas.focus_rect(card_id)
        if rect is None:
            return False
        self.canvas.set_focus_card(card_id)
        centre = rect.center()
        width = max(rect.width() + 160, FOCUS_MARGIN.width())
        height = max(rect.height() + 160, FOCUS_MARGIN.height())
        self.auto_fit = False
        self.fitInView(
            QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height),
            Qt.AspectRatioMode.KeepAspectRatio,
        )
        return True

    # --- the still picture of a big drag ---------------------------------------------

    def set_still_picture(self, picture: QPixmap | None) -> None:
        """Show `picture` (the viewport as it was, without the moving cards) as the background,
        or go back to drawing everything (None)."""
        self._still_picture = picture
        self.resetCachedContent()
        self.viewport().update()

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802
        if self.board is not None:
            painter.fillRect(rect, QColor(self.room_theme.ground))
            cards = [item.sceneBoundingRect() for item in self.visible_card_items()]
            self._board_texts = draw_board(
                painter, self.board, self.room_theme, cards, self.transform().m11()
            )
            return
        if self._still_picture is None:
            super().drawBackground(painter, rect)
            return
        painter.save()
        painter.resetTransform()
        painter.drawPixmap(0, 0, self._still_picture)
        painter.restore()

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802
        # The picture shows the view as it was: if the view moves, draw everything again.
        self.canvas.end_still_picture()
        super().scrollContentsBy(dx, dy)

    # --- the room's first frame, painted ahead -----------------------------------------

    def take_first_picture(self) -> None:
        """Paint the view now, unseen, into a picture, shown as its first frame if nothing it
        shows has changed by then (`_first_frame`): a canvas made ahead of its step
        (CanvasWidget.plan_ahead), laid out at the size the step gives
        it. On a crowded canvas that frame is the most of the step's first show."""
        self._first_picture = None
        self.canvas.lay_out_later()  # a picture made ahead shows the cards' own items
        # No frame; the room's view has no scroll bars, and a fitted one needs none.
        size = self.maximumViewportSize()
        for _told in range(2):
            if self.viewport().size() == size:
                break
            # Unseen, the view has its size (its widget's layout gave it) but has not been told,
            # nor has its viewport: told now, it lays out its viewport and scroll bars, then
            # fits the canvas to it (`resizeEvent`, which the viewport's resize calls), as a
            # shown one would. A second time where the first needed scroll bars for the zoom
            # it had before it fitted the canvas.
            viewport = self.viewport()
            before = viewport.size()
            QCoreApplication.sendEvent(self, QResizeEvent(self.size(), self.size()))
            QCoreApplication.sendEvent(viewport, QResizeEvent(viewport.size(), before))
        if self.viewport().size() != size:
            return
        # A picture made ahead is worth a look for hidden cards.
        self._first_picture = (self._picture(look=self.canvas.culls()), self._shown_key())

    def has_first_picture(self) -> bool:
        return self._first_picture is not None

    def _shown_key(self) -> object:
        """All that the view's picture shows: what `_view_key` says, and every card shown, where
        and as it is (the arrows follow them)."""
        return (
            self._view_key(),
            tuple(
                (
                    item.card,
                    item.layer,
                    item.mark,
                    item._look,  # its colours and type (made anew when they change)
                    item.drawn,  # its shapes and words
                    item.x(),
                    item.y(),
                    item.zValue(),
                    item.opacity(),
                    item.isSelected(),
                )
                for item in self.visible_card_items()
            ),
        )

    def _view_key(self) -> object:
        """All that the view's picture shows but the cards: its size, density, zoom and
        scroll, its board and theme, the canvas's background and snap grid, and the language."""
        t = self.transform()
        board = self.board
        canvas = self.canvas
        return (
            self.viewport().size().toTuple(),
            self.devicePixelRatioF(),  # a window moved to a screen of another density
            (t.m11(), t.m12(), t.m21(), t.m22(), t.dx(), t.dy()),
            (self.horizontalScrollBar().value(), self.verticalScrollBar().value()),
            None if board is None else (board.width, board.height, board.factor, board.background),
            self.room_theme,
            canvas.scale,
            canvas.focus_id,
            canvas.show_choice,
            canvas.background,
            canvas.snapping,  # the laptop's board draws the snap grid
            i18n.current(),
        )

    def _first_frame(self) -> bool:
        """Show the picture painted ahead, if it shows what a paint now would: once only."""
        held, self._first_picture = self._first_picture, None
        if held is None:
            return False
        picture, key = held
        if picture.deviceIndependentSize().toSize() != self.viewport().size() or key != self._shown_key():
            return False
        painter = QPainter(self.viewport())
        painter.drawPixmap(0, 0, picture)
        painter.end()
        return True

    @contextmanager
    def _painting(self, *, look: bool | None = None) -> Iterator[None]:
        """What the cards' paint reads while this view paints: how small words become bars,
        and which look for hidden cards holds (none: every card is drawn). `look`: whether to
        skip hidden cards, if not as a paint of the view chooses."""
        # Words too small to read on this screen are drawn as bars (see items.WORDS_FROM_PX).
        CardItem.words_below = words_below(self.transform().m11() * self.devicePixelRatioF())
        try:
            if look is None:
                # Worked out again once cards changed: it costs a few microseconds a card, against
                # some hundred for drawing a card that cannot be seen. Not on the first paint of a
                # board so small that the words are bars: there a card costs less to draw than
                # to look for, and the look is made anyway once the bitmaps are planned.
                look = self.canvas.culls() and (self._painted or not self._words_as_bars())
            if look:
                CardItem.culling = self.canvas.cull_for_paint(self.transform().m11())
            else:
                self.canvas.before_plain_paint()
            yield
        finally:
            CardItem.culling = 0
            CardItem.words_below = 0.0

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if self._first_picture is not None and self._first_frame():
            return
        if self.canvas.pending and self._sketched():
            return
        zoom = self.transform().m11() * self.devicePixelRatioF()
        with self._painting():
            super().paintEvent(event)
        if self.canvas.caching and self.canvas.caching_stale(zoom):
            # Zoomed: the cards' bitmaps have another size now; choose again which fit the cache.
            QTimer.singleShot(0, self.canvas, self.canvas.plan_caching)
        if not self._painted:
            self._painted = True
            # After the first paint (shown as soon as possible), fill the cards' bitmaps at
            # the next idle moment, so the first drag is as smooth as the rest. Bound to the
            # scene: a canvas closed sooner than that is gone, and so is the timer.
            QTimer.singleShot(WARM_UP_AFTER_MS, self.canvas, self._warm_up)

    # --- a scene that lays its cards out after the first frame ---------------------------

    def _sketched(self) -> bool:
        """While the scene still has cards to lay out (`CanvasScene.later`): show its first
        frame, the cards sketched as their items will draw them, and lay them out in the turns
        after; then that frame stands for the first paint of their items (`_first_frame`).
        False if the view changed meanwhile (its size, zoom, scroll, background…): the cards
        are laid out now, for the paint to draw them."""
        key = self._view_key()
        if self._sketch is None:
            self._sketch = (self._picture(look=False, sketched=True), key)
            if not self._painted:
                self._painted = True
                QTimer.singleShot(WARM_UP_AFTER_MS, self.canvas, self._warm_up)  # as paintEvent
            if self._later_turn is None:
                self._later_turn = QTimer(self)
                self._later_turn.setInterval(0)
                self._later_turn.timeout.connect(self._lay_out_more)
            self._later_turn.start()
        elif self._sketch[1] != key:
            self.canvas.lay_out_later()
            return False
        painter = QPainter(self.viewport())
        painter.drawPixmap(0, 0, self._sketch[0])
        painter.end()
        return True

    def _picture(self, *, look: bool, sketched: bool = False) -> QPixmap:
        """The view painted now into a picture of its viewport's size, filled and drawn as a
        shown paint would be; `look`: skipping the cards found hidden; `sketched`: with the
        cards not laid out yet sketched over it (`CanvasScene.sketch`), and the layers' items
        hidden meanwhile where the sketch draws every card."""
        size = self.viewport().size()
        ratio = self.devicePixelRatioF()
        picture = QPixmap(size * ratio)
        picture.setDevicePixelRatio(ratio)
        if self.board is not None:
            picture.fill(QColor(self.room_theme.ground))  # as the board's paint begins
        else:
            viewport = self.viewport()  # as a shown viewport fills itself before its paint
            picture.fill(viewport.palette().color(viewport.backgroundRole()))
        painter = QPainter(picture)
        hidden = self.canvas.sketch_hides() if sketched else []
        try:
            with self._painting(look=look):
                painter.setRenderHints(self.renderHints())
                whole = QRect(QPoint(0, 0), size)
                for item in hidden:
                    item.setVisible(False)
                try:
                    self.render(painter, QRectF(whole), whole)
                finally:
                    for item in hidden:
                        item.setVisible(True)
                if sketched:
                    # As a first paint looks for hidden cards (`_painting`): on a big canvas,
                    # where the words can be read.
                    look = self.canvas.culls() and not self._words_as_bars()
                    self.canvas.sketch(painter, self.viewportTransform(), look=look)
        finally:
            painter.end()
        return picture

    def _lay_out_more(self) -> None:
        """One turn's worth of the cards left to lay out; the sketch stands for their first
        paint if they are all laid out by these turns, with nothing else changed meanwhile."""
        sketch = self._sketch
        if self.canvas.pending:
            if not self.canvas.lay_out_later(LATER_SLICE_S):
                return
            if sketch is not None and sketch[1] == self._view_key():
                self._first_picture = (sketch[0], self._shown_key())
        # (Else they were laid out all at once meanwhile, for something that needed them.)
        self._stop_later()
        if self._warm_when_laid_out:
            self._warm_when_laid_out = False
            QTimer.singleShot(0, self.canvas, self._warm_up)

    def _stop_later(self) -> None:
        self._sketch = None
        if self._later_turn is not None:
            self._later_turn.stop()

    def event(self, event: QEvent) -> bool:
        if event.type() in _WANTS_CARDS:
            self.canvas.lay_out_later()
        return super().event(event)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _WANTS_CARDS:
            self.canvas.lay_out_later()
        return super().viewportEvent(event)

    def _words_as_bars(self) -> bool:
        """Whether a paint now draws the cards' words as bars (see items.WORDS_FROM_PX)."""
        below = words_below(self.transform().m11() * self.devicePixelRatioF())
        return int(round(style.CARD_FONT_PX * self.canvas.scale)) < below

    def _warm_up(self) -> None:
        if self.canvas.pending and self._later_turn is not None and self._later_turn.isActive():
            # Once the cards are laid out (`_lay_out_more`): the bitmaps are planned for them.
            self._warm_when_laid_out = True
            return
        self.canvas.start_caching()
        # The paint that fills the bitmaps is a real one, not a picture standing for it.
        self._first_picture = None
        self.viewport().update()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.resized.emit()
        if self.canvas.focus_id is not None:
            self.focus_on(self.canvas.focus_id)
        elif self.auto_fit:
            self.fit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self.auto_fit:
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and not self.audience:
            steps = event.angleDelta().y() / 120
            if steps:
                self.zoom_by(ZOOM_STEP**steps)
            event.accept()
            return
        super().wheelEvent(event)

    # --- panning -----------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.MiddleButton and not self.audience:
            self._pan_from = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._pan_from is not None:
            here = event.position().toPoint()
            delta = here - self._pan_from
            self._pan_from = here
            self.auto_fit = False
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.MiddleButton and self._pan_from is not None:
            self._pan_from = None
            self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.audience or event.button() != Qt.MouseButton.LeftButton:
            super().mouseDoubleClickEvent(event)
            return
        item = self.card_item_at(event.position().toPoint())
        if item is not None:
            self.start_edit(item.card_id, item.layer)
        elif self.canvas.show_choice.editing is not None:
            self.start_new(CardKind.STAKEHOLDER, self.mapToScene(event.position().toPoint()))
        event.accept()

    def card_item_at(self, point: QPoint) -> CardItem | None:
        self.canvas.lay_out_later()
        for item in self.items(point):
            if isinstance(item, CardItem) and item.flags() & QGraphicsItem.GraphicsItemFlag.ItemIsSelectable:
                return item
        return None

    # --- the keyboard ------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self.audience or self.editor is not None:
            super().keyPressEvent(event)
            return
        key = event.key()
        mods = event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        arrows = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        if key in arrows and not ctrl:
            step = BIG_NUDGE if mods & Qt.KeyboardModifier.ShiftModifier else NUDGE
            dx, dy = arrows[Qt.Key(key)]
            if self.canvas.selected_card_items():
                self.canvas.move_selected(dx * step, dy * step)
                self.ensure_selection_visible()
                event.accept()
                return
        elif key in (Qt.Key.Key_F2, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            items = self.canvas.selected_card_items()
            if items:
                self.start_edit(items[0].card_id, items[0].layer)
                event.accept()
                return
        elif key == Qt.Key.Key_Escape:
            if self.canvas.focus_id is not None:
                self.focus_on(None)
            else:
                self.canvas.clearSelection()
            event.accept()
            return
        elif key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
            self.setInteractive(False)
            event.accept()
            return
        elif event.matches(QKeySequence.StandardKey.ZoomIn) or (
            ctrl and key in (Qt.Key.Key_Equal, Qt.Key.Key_Plus)
        ):
            self.zoom_in()
            event.accept()
            return
        elif event.matches(QKeySequence.StandardKey.ZoomOut) or (ctrl and key == Qt.Key.Key_Minus):
            self.zoom_out()
            event.accept()
            return
        elif ctrl and key == Qt.Key.Key_0:
            self.fit()
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if (
            event.key() == Qt.Key.Key_Space
            and not event.isAutoRepeat()
            and not self.audience
            and self.dragMode() == QGraphicsView.DragMode.ScrollHandDrag
        ):
            self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
            self.setInteractive(True)
            event.accept()
            return
        super().keyReleaseEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002
        """Tab walks through the cards in stacking order; past the last one it leaves the canvas."""
        if self.audience or self.editor is not None:
            return super().focusNextPrevChild(next)
        order = self.walk_order()
        selected = self.canvas.selected_card_items()
        index = order.index(selected[0]) if selected and selected[0] in order else -1
        index = index + 1 if next else (index - 1 if index >= 0 else len(order) - 1)
        if 0 <= index < len(order):
            self.canvas.clearSelection()
            order[index].setSelected(True)
            self.ensure_selection_visible()
            return True
        self.canvas.clearSelection()
        # Past the last card the focus leaves the canvas: QGraphicsView's own version would
        # hand it to the scene's items again, and Tab would never get out.
        return QWidget.focusNextPrevChild(self, next)

    def walk_order(self) -> list[CardItem]:
        items = []
        for card in self.canvas.document.session.cards:
            for layer in Layer:
                item = self.canvas.item(card.id, layer)
                if (
                    item is not None
                    and item.isVisible()
                    and item.flags() & QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                ):
                    items.append(item)
        return items

    def ensure_selection_visible(self) -> None:
        items = self.canvas.selected_card_items()
        if items and not self.auto_fit:
            self.ensureVisible(items[0].sceneBoundingRect(), 40, 40)

    # --- words in place ------------------------------------------------------------

    def start_edit(self, card_id: str, layer: Layer) -> CardEditorItem | None:
        item = self.canvas.item(card_id, layer)
        if item is None or self.audience:
            return None

        def done(text: str | None) -> None:
            self._close_editor()
            if text is not None:
                self.canvas.set_card_text(card_id, text)

        return self._open_editor(item.card.text, item.pos(), done, "")

    def start_new(
        self, kind: CardKind, at: QPointF, *, role: RoleGroup | None = None, participant_id: str = ""
    ) -> CardEditorItem | None:
        """Type the words of a new card at `at`; the card is added (one undo step) on Enter."""
        if self.audience or self.canvas.show_choice.editing is None:
            return None
        if kind is CardKind.STAKEHOLDER and role is None:
            role = self.new_role
        hint = (
            _("Who is it? Type, then press Enter")
            if kind is CardKind.STAKEHOLDER
            else _("Which decision or activity? Type, then press Enter")
        )

        def done(text: str | None) -> None:
            self._close_editor()
            if text and text.strip():
                self.canvas.add_card(kind, text, at, role=role, participant_id=participant_id)

        return self._open_editor("", at, done, hint)

    def _open_editor(self, text: str, centre: QPointF, done: Any, hint: str) -> CardEditorItem:
        if self.editor is not None:
            self.editor.line.clearFocus()  # finishes (and keeps) the edit already open
        editor = CardEditorItem(text, centre, done, scale=self.canvas.scale, hint=hint)
        self.canvas.addItem(editor)
        self.editor = editor
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        editor.begin()
        self.ensureVisible(editor.sceneBoundingRect(), 20, 20)
        return editor

    def _close_editor(self) -> None:
        editor = self.editor
        if editor is None:
            return
        self.editor = None
        # The editor is still inside its own key or focus handler: take it off the scene, and
        # keep it alive until the next one is retired.
        self.canvas.removeItem(editor)
        self._retired = editor
        if self.hasFocus() or self.window().focusWidget() is None:
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- dropping from the palette -------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if read_card_mime(event.mimeData()) is not None and self.canvas.show_choice.editing is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if read_card_mime(event.mimeData()) is not None and self.canvas.show_choice.editing is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        payload = read_card_mime(event.mimeData())
        if payload is None or self.canvas.show_choice.editing is None:
            event.ignore()
            return
        at = self.mapToScene(event.position().toPoint())
        event.acceptProposedAction()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.place_entry(payload, at)

    def place_entry(self, payload: dict[str, Any], at: QPointF) -> str | None:
        """Make the card a palette entry stands for at `at` (a draft opens the editor instead)."""
        if payload.get("draft"):
            self.start_new(
                payload["kind"], at, role=payload["role"], participant_id=payload["participant_id"]
            )
            return None
        return self.canvas.add_card(
            payload["kind"],
            payload["text"],
            at,
            role=payload["role"],
            participant_id=payload["participant_id"],
        )
