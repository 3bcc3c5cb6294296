"""The room's window: `AudienceWindow` shows only what the room may see, the step's title, text
and tool in their audience form, and the timer. It never holds the facilitator's notes, and
tools in audience form never show results before they are revealed.

Imported when presenting first starts (`PresenterController.start`), not at start-up: the
facilitator's window needs only the controller, the thumbnail and the keys of presenterwindow.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QMargins, QObject, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedLayout,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...domain.i18n import _
from ..document import SessionDocument
from ..workshop.stepcontent import StepContentWidget
from ..workshop.steptimer import StepTimer, TimerWidget
from .clicker import RoomClicker
from .presenterwindow import BLACKOUT_KEYS, MAX_SCALE, MIN_SCALE, NEXT_KEYS, PREVIOUS_KEYS, SCALE_STEP
from .roomstyle import room_style_sheet, theme, timer_style_sheet


def audience_style(type_factor: float, high_contrast: bool) -> str:
    """The audience view's style sheet (sizes and colours live in roomstyle)."""
    return room_style_sheet(type_factor, theme(high_contrast))


class AudienceWindow(QWidget):
    """What the projector shows. Keys: next/previous, B blackout, Esc leaves, Ctrl+plus/minus/0 scale."""

    leave_requested = Signal()
    blackout_toggled = Signal(bool)

    def __init__(
        self,
        document: SessionDocument,
        timer: StepTimer,
        parent: QWidget | None = None,
        *,
        clicker: RoomClicker | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("audienceWindow")
        self.setWindowTitle(_("coprod-desktop — audience view"))
        self.setAccessibleName(_("Audience view"))
        self.document = document
        self.timer = timer
        self.scale = 1.0
        self.high_contrast = False
        self.content = StepContentWidget(document, audience=True)
        self.content.tool_created.connect(self._scale_tool)
        self.content.tool_created.connect(self._follow_tool)
        self.clicker = clicker or RoomClicker(document, lambda: self.content)
        self.timer_widget = TimerWidget(timer, controls=False)
        footer = QWidget()
        footer.setObjectName("audienceFooter")
        footer.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        footer_layout = QHBoxLayout(footer)
        footer_layout.setContentsMargins(24, 0, 24, 12)
        self.page_label = QLabel()
        self.page_label.setObjectName("pageNumber")
        self.page_label.setAccessibleName(_("Page of this step"))
        self.content.page_changed.connect(self._show_page_text)
        footer_layout.addWidget(
            self.page_label, 1, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        footer_layout.addWidget(self.timer_widget, 0, Qt.AlignmentFlag.AlignRight)
        page = self.page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(40, 24, 40, 12)
        page_layout.addWidget(self.content, 1)
        self.page_layout = page_layout
        self.aside: Any = None  # shown in the step's place: see show_aside
        page_layout.addWidget(footer)
        self.footer, self.page_layout = footer, page_layout
        document.step_changed.connect(self._place_footer)
        document.step_changed.connect(self._settle_step)
        self.blackout = QWidget()
        self.blackout.setObjectName("blackout")
        self.blackout.setAccessibleName(_("Screen blacked out"))
        self.pages = QStackedLayout(self)
        self.pages.addWidget(page)
        self.pages.addWidget(self.blackout)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.apply_style()

    # --- look --------------------------------------------------------------------

    @property
    def fit_factor(self) -> float:
        """Type is designed for a 1080-line projector and follows the projector's height."""
        return round(min(max(self.height() / 1080, 0.4), 2.0), 3)

    @property
    def type_factor(self) -> float:
        """The screen's factor times the facilitator's scale: what every room size is multiplied by."""
        return self.scale * self.fit_factor

    def apply_style(self) -> None:
        self._styled_factor = self.fit_factor
        look = (self.type_factor, self.high_contrast)
        if look == getattr(self, "_styled_look", None):
            return  # nothing to restyle (a new sheet re-polishes every widget of the room)
        self._styled_look = look
        self.setStyleSheet(audience_style(self.type_factor, self.high_contrast))
        room = theme(self.high_contrast)
        self.timer_widget.display.setStyleSheet(timer_style_sheet(self.type_factor, room))
        for tool in self.content.made_tools():
            self._scale_tool(tool)
        self.content.repaginate()
        if self.aside is not None:
            self.aside.repaginate()
        self._show_page_text((self.aside or self.content).page_text())
        if hasattr(self, "footer"):
            self._place_footer()

    def show_aside(self, widget: Any) -> None:
        """Show `widget` in the step's place ("What changed" from ui/steps/compare), or the step
        again with None. It is the room's view as a step is: the clicker turns its pages (it has
        `turn_page`, `show_last_page`, `page_text`, `repaginate` and `page_changed`), B blacks it
        out, Esc leaves presenting, and the timer and page number stay in the footer."""
        if self.aside is not None:
            self.page_layout.removeWidget(self.aside)
            self.aside.hide()
            self.aside.deleteLater()
        self.aside = widget
        self.content.setVisible(widget is None)
        if widget is not None:
            self.page_layout.insertWidget(1, widget, 1)
            widget.show()
            widget.page_changed.connect(lambda: self._show_page_text(widget.page_text()))
        self.apply_style()  # places the footer too: under the aside, never over it

    def _scale_tool(self, tool: object) -> None:
        """Tools that size their own type (in pixels) or colours follow the room's scale and theme."""
        set_theme = getattr(tool, "set_room_theme", None)
        if set_theme is not None:
            set_theme(theme(self.high_contrast))
        scale_type = getattr(tool, "set_type_scale", None)
        if scale_type is not None:
            scale_type(self.type_factor)

    def _follow_tool(self, tool: object) -> None:
        laid_out = getattr(tool, "room_laid_out", None)
        if laid_out is not None:
            laid_out.connect(self._place_footer)

    def _place_footer(self, *_args: object) -> None:
        """Under the step, or over the bottom corner of a tool that fills the screen's height
        and keeps that corner free (the canvas's column)."""
        tool = self.content.current_tool()
        overlay = self.aside is None and callable(getattr(tool, "set_footer_height", None))
        in_layout = self.page_layout.indexOf(self.footer) >= 0
        if overlay and in_layout:
            self.page_layout.removeWidget(self.footer)
        elif not overlay and not in_layout:
            self.page_layout.addWidget(self.footer)
        if overlay:
            height = self.footer.sizeHint().height()
            tool.set_footer_height(height)  # type: ignore[union-attr]
            page = self.page
            margins = self.page_layout.contentsMargins()
            # As wide as the tool's column (the timer's words change with the step).
            column = getattr(tool, "side", None)
            if column is not None:
                # Placed again when the column's width settles: the window's own resize places
                # it first, at the column's old width (a room made smaller kept a footer as
                # wide as the larger room's column, over the corner of the canvas's board).
                column.installEventFilter(self)
            width = max(self.footer.sizeHint().width(), column.width() if column is not None else 0)
            width = min(width, page.width())
            x = page.width() - margins.right() - width + 24  # the timer where it always is
            self.footer.setGeometry(x, page.height() - height - margins.bottom(), width, height)
            self.footer.raise_()

    def plan_canvas_ahead(self, tool: Any) -> bool:
        """The canvas's tool, made unseen while the room is on another step, laid out now at
        the size its step will give it: the page less its margins and the step's, with the
        footer over the corner of the tool's column (see `_place_footer`), as `_settle_step`
        lays it out at the visit. Returns whether it planned (see CanvasWidget.plan_ahead)."""
        if self.aside is not None or not self.isVisible() or tool.isVisible():
            return False
        page = self.page_layout.contentsMargins()
        step_layout = self.content.layout()
        step = step_layout.contentsMargins() if step_layout is not None else QMargins()
        width = self.page.width() - page.left() - page.right() - step.left() - step.right()
        height = self.page.height() - page.top() - page.bottom() - step.top() - step.bottom()
        tool.set_footer_height(self.footer.sizeHint().height())
        return bool(tool.plan_ahead(QSize(width, height)))

    def _settle_step(self, *_args: object) -> None:
        """A tool that lays itself out for the room (the canvas: its column, its board, its cards'
        size, the footer over its corner) is laid out now, with the window, before the room's
        first frame of the step. Left to the next turns of the event loop, that frame showed it
        at the last step's sizes, with no board, and the next few moved it into place."""
        if not self.isVisible() or self.aside is not None:
            return
        tool = self.content.current_tool()
        settle = getattr(tool, "lay_out_room_now", None)
        if tool is None or settle is None:
            return
        for _pass in range(4):  # the column's width, then the footer beside it, then the step's height
            for widget in (self, self.page, self.content, tool):
                layout = widget.layout()
                if layout is not None:
                    layout.activate()
            if not settle():
                break

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        column = getattr(self.content.current_tool(), "side", None)
        if event.type() == QEvent.Type.Resize and watched is column:
            self._place_footer()
        return super().eventFilter(watched, event)

    def _show_page_text(self, text: str) -> None:
        if getattr(self, "aside", None) is not None:
            # The step under the aside may lay itself out again meanwhile: the room is on the aside.
            text = self.aside.page_text()
        self.page_label.setText(text.capitalize() if text else "")
        self.page_label.setVisible(bool(text))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.fit_factor != getattr(self, "_styled_factor", None):
            self.apply_style()
        self._place_footer()

    def set_scale(self, scale: float) -> None:
        self.scale = round(min(max(scale, MIN_SCALE), MAX_SCALE), 2)
        self.apply_style()

    def set_high_contrast(self, on: bool) -> None:
        self.high_contrast = on
        self.setProperty("highContrast", on)  # read by drawings such as the bar chart
        self.apply_style()
        self.update()

    def set_second_language(self, tag: str | None) -> None:
        """A bilingual room: the workshop's words in `tag` too (None: one language)."""
        self.content.set_second_language(tag)
        self.content.repaginate()

    @property
    def blacked_out(self) -> bool:
        return self.pages.currentWidget() is self.blackout

    def set_blackout(self, on: bool) -> None:
        if on != self.blacked_out:
            self.pages.setCurrentIndex(1 if on else 0)
            self.blackout_toggled.emit(on)

    # --- keys --------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = Qt.Key(event.key())
        control = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if control and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.set_scale(self.scale + SCALE_STEP)
        elif control and key == Qt.Key.Key_Minus:
            self.set_scale(self.scale - SCALE_STEP)
        elif control and key == Qt.Key.Key_0:
            self.set_scale(1.0)
        elif key in NEXT_KEYS:
            self.clicker.next()
        elif key in PREVIOUS_KEYS:
            self.clicker.previous()
        elif key in BLACKOUT_KEYS:
            self.set_blackout(not self.blacked_out)
        elif key == Qt.Key.Key_Escape:
            self.leave_requested.emit()
        elif key == Qt.Key.Key_T:
            self.timer.toggle()
        elif key == Qt.Key.Key_H:
            self.set_high_contrast(not self.high_contrast)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def texts_on_every_page(self) -> list[str]:
        """What `texts` gives on each of the current step's pages, the page left as it was."""
        pager = self.content.current_pager()
        if pager is None or pager.page_count() <= 1:
            return self.texts()
        was = pager.page
        found: list[str] = []
        for page in range(pager.page_count()):
            pager.set_page(page)
            found += self.texts()
        pager.set_page(was)
        return found

    def texts(self) -> list[str]:
        """Every piece of text this window shows now (for tests and for screen readers' sake)."""
        found: list[str] = []
        for label in self.findChildren(QLabel):
            if label.isVisibleTo(self) and label.text():
                found.append(label.text())
        for browser in self.findChildren(QTextBrowser):
            if browser.isVisibleTo(self):
                found.append(browser.toPlainText())
        for view in self.findChildren(QAbstractItemView):
            model = view.model()
            if not view.isVisibleTo(self) or model is None:
                continue
            for row in range(model.rowCount()):
                for column in range(model.columnCount()):
                    value = model.data(model.index(row, column))
                    if value:
                        found.append(str(value))
        for widget in self.findChildren(QWidget):
            if widget.isVisibleTo(self) and widget.accessibleDescription():
                found.append(widget.accessibleDescription())
        return found
