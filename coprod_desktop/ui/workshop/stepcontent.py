"""One step of the workshop as the room sees it: its title, its text and its tool.

The same widget serves the facilitator's window (`audience=False`) and the
projected audience view (`audience=True`). In the audience view nothing meant
for the facilitator appears: no notes, no controls, no results not yet revealed.
Each tool (matrix, canvas, scenarios...) is made once per kind and reused.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QLabel, QScrollArea, QTextBrowser, QVBoxLayout, QWidget

from ...domain.changes import ChangeSet
from ...domain.model import Session, Step, StepKind, Term, WorkshopInfo
from ...domain.text import blocks
from ..document import SessionDocument
from .pagestack import PageStack

ToolFactory = Callable[[SessionDocument, bool], QWidget]


def body_html(text: str) -> str:
    """Step text as HTML for a QTextBrowser; everything typed is escaped first."""
    parts: list[str] = []
    for block in blocks(text):
        if block.kind == "bullets":
            items = "".join(f"<li>{html.escape(line)}</li>" for line in block.lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{html.escape(block.lines[0])}</p>")
    return "".join(parts)


def step_html(session: Session, step: Step) -> str:
    """Everything a step says to the room, as HTML (the tool, if any, comes after it)."""
    text = body_html(step.body)
    if step.kind is StepKind.DEFINITION:
        term = session.get(Term, step.term)
        if term is not None:
            panels = (
                ("What it is", term.what),
                ("What it is not", term.what_not),
                ("How it differs from co-production", term.differs),
                ("An example", term.example),
            )
            for heading, value in panels:
                if value:
                    text += f"<h3>{html.escape(heading)}</h3>{body_html(value)}"
    if step.kind is StepKind.WELCOME:
        rows = "".join(
            f"<tr><td>{html.escape(s.title)}</td><td align='right'>&nbsp;&nbsp;{s.minutes} min</td></tr>"
            for s in session.visible_steps
            if s.minutes
        )
        if rows:
            text += f"<h3>Agenda</h3><table cellspacing='2'>{rows}</table>"
    return text


def _ladder(document: SessionDocument, audience: bool) -> QWidget:
    from ..steps.ladder.ladderwidget import LadderWidget

    return LadderWidget(document)


def _scenarios(document: SessionDocument, audience: bool) -> QWidget:
    from ..steps.scenarios.scenarioswidget import ScenariosWidget

    return ScenariosWidget(document, audience=audience)


def _readiness(document: SessionDocument, audience: bool) -> QWidget:
    from ..steps.readiness.readinesswidget import ReadinessWidget

    return ReadinessWidget(document, audience=audience)


def _actions(document: SessionDocument, audience: bool) -> QWidget:
    from ..steps.actions.actionswidget import ActionsWidget

    return ActionsWidget(document, audience=audience)


def _summary(document: SessionDocument, audience: bool) -> QWidget:
    from ..steps.summary.summarywidget import SummaryWidget

    return SummaryWidget(document, audience=audience)


def _canvas(document: SessionDocument, audience: bool) -> QWidget:
    from ..steps.canvas import CanvasWidget

    return CanvasWidget(document, audience=audience)


def _matrix(document: SessionDocument, audience: bool) -> QWidget:
    from ..steps.matrix.matrixwidget import MatrixWidget

    return MatrixWidget(document, audience=audience)


def _tool_factories() -> dict[StepKind, ToolFactory]:
    """The tool for each kind of step. Each module is imported when its tool is first
    shown, so start-up pays only for the step the session opens on."""
    return {
        StepKind.LADDER: _ladder,
        StepKind.SCENARIOS: _scenarios,
        StepKind.READINESS: _readiness,
        StepKind.ACTIONS: _actions,
        StepKind.SUMMARY: _summary,
        StepKind.CANVAS: _canvas,
        StepKind.MATRIX: _matrix,
    }


# Kinds whose tool fills the screen: the step's own text is shown short above it.
TOOL_FIRST = {
    StepKind.LADDER,
    StepKind.SCENARIOS,
    StepKind.MATRIX,
    StepKind.CANVAS,
    StepKind.READINESS,
    StepKind.ACTIONS,
    StepKind.SUMMARY,
}


class FittingTextBrowser(QTextBrowser):
    """Step text. With `fit`, for the room, who cannot scroll: the type shrinks until it all fits."""

    def __init__(self, *, fit: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fitting = fit

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        if not self.fitting or not self.isVisible():
            return
        self.ensurePolished()
        document = self.document()
        font = QFont(self.font())  # the size the style sheet asks for, before any fitting
        size = font.pointSizeF()
        smallest = size * 0.5
        available = self.viewport().height() - 4
        document.setTextWidth(self.viewport().width())
        while True:
            font.setPointSizeF(size)
            document.setDefaultFont(font)
            if document.size().height() <= available or size <= smallest:
                break
            size *= 0.95


class StepContentWidget(QWidget):
    """The current step's title, text and tool; follows the document's current step."""

    tool_created = Signal(object)  # the new tool widget, made on first use

    def __init__(self, document: SessionDocument, *, audience: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.audience = audience
        self.setObjectName("audienceContent" if audience else "stepContent")
        self.position = QLabel()
        self.position.setObjectName("hint")
        self.heading = QLabel()
        self.heading.setObjectName("stepTitle")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.body = FittingTextBrowser(fit=audience)
        self.body.setObjectName("stepBody")
        self.body.setOpenLinks(False)
        self.body.setAccessibleName("Step text")
        self.body.setFocusPolicy(Qt.FocusPolicy.NoFocus if audience else Qt.FocusPolicy.ClickFocus)
        if audience:
            self.body.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.body.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.lead = QLabel()
        self.lead.setObjectName("stepLead")
        self.lead.setWordWrap(True)
        self.lead.setTextFormat(Qt.TextFormat.PlainText)
        self.tools = PageStack()
        self._tool_by_kind: dict[StepKind, QWidget] = {}
        self._page_by_tool: dict[int, QWidget] = {}
        self._factories: dict[StepKind, ToolFactory] | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.addWidget(self.position)
        layout.addWidget(self.heading)
        layout.addWidget(self.lead)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.tools, 3)
        document.step_changed.connect(self.refresh)
        document.steps_changed.connect(self.refresh)
        document.changed.connect(self._maybe_refresh_text)
        self.refresh()

    def register_tool(self, kind: StepKind, factory: ToolFactory) -> None:
        """Use `factory` for steps of `kind` (lets a part not yet wired in be shown)."""
        self._factories_loaded()[kind] = factory
        self._tool_by_kind.pop(kind, None)
        self.refresh()

    def _factories_loaded(self) -> dict[StepKind, ToolFactory]:
        if self._factories is None:
            self._factories = _tool_factories()
        return self._factories

    def tool(self, kind: StepKind) -> QWidget | None:
        """The tool shown for steps of `kind`, made on first use."""
        if kind not in self._tool_by_kind:
            factory = self._factories_loaded().get(kind)
            if factory is None:
                return None
            widget = factory(self.document, self.audience)
            self._tool_by_kind[kind] = widget
            page: QWidget = widget
            if not self.audience:
                # On a small laptop screen a wide tool scrolls rather than pushing the
                # window wider than the screen.
                scroll = QScrollArea()
                scroll.setFrameShape(QScrollArea.Shape.NoFrame)
                scroll.setWidgetResizable(True)
                scroll.setWidget(widget)
                page = scroll
            self._page_by_tool[id(widget)] = page
            self.tools.addWidget(page)
            self.tool_created.emit(widget)
        return self._tool_by_kind[kind]

    def made_tools(self) -> list[QWidget]:
        """The tools made so far."""
        return list(self._tool_by_kind.values())

    def _maybe_refresh_text(self, changes: ChangeSet) -> None:
        if changes.touches(Term, WorkshopInfo):
            self.refresh()

    def refresh(self) -> None:
        session = self.document.session
        step = session.current_step
        visible = session.visible_steps
        if step is None:
            self.heading.setText("This workshop has no steps")
            self.position.setText("")
            self.body.setHtml("")
            self.tools.hide()
            return
        number = next((i for i, s in enumerate(visible, start=1) if s.id == step.id), 0)
        timing = f" · {step.minutes} minutes" if step.minutes else ""
        self.position.setText(f"Step {number} of {len(visible)}{timing}")
        self.heading.setText(step.title)
        tool = self.tool(step.kind)
        if tool is not None:
            # Above a tool, only the step's opening paragraph: the tool needs the room.
            first = blocks(step.body)[:1]
            self.lead.setText(" ".join(first[0].lines) if first else "")
            self.lead.setVisible(bool(first))
            self.body.hide()
            self.tools.setCurrentWidget(self._page_by_tool[id(tool)])
            self.tools.show()
        else:
            self.lead.hide()
            self.tools.hide()
            self.body.setHtml(step_html(session, step))
            self.body.show()
            self._fit_text()

    def _fit_text(self) -> None:
        self.body.fit()
