"""One step of the workshop as the room sees it: its title, its text and its tool.

The same widget serves the facilitator's window (`audience=False`) and the
projected audience view (`audience=True`). In the audience view nothing meant
for the facilitator appears: no notes, no controls, no results not yet revealed.
Each tool (matrix, canvas, scenarios...) is made once per kind and reused.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...domain.changes import ChangeSet
from ...domain.i18n import N_, _, name_of, ngettext, right_to_left, using
from ...domain.model import Session, Step, StepKind, Term, WorkshopInfo
from ...domain.parallel import SecondText
from ...domain.text import blocks
from ..common import htmlescape as html
from ..common.plaintext import plain_label
from ..common.roompager import RoomPagerWidget, text_block
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
            for name, heading in DEFINITION_PANELS:
                value = getattr(term, name)
                if value:
                    text += f"<h3>{html.escape(_(heading))}</h3>{body_html(value)}"
    if step.kind is StepKind.WELCOME:
        rows = "".join(
            f"<tr><td>{html.escape(s.title)}</td><td align='right'>&nbsp;&nbsp;"
            f"{html.escape(_('{minutes} min').format(minutes=s.minutes))}</td></tr>"
            for s in session.visible_steps
            if s.minutes
        )
        if rows:
            text += f"<h3>{html.escape(_('Agenda'))}</h3><table cellspacing='2'>{rows}</table>"
    return text


# The tool of each kind of step: its module under coprod_desktop.ui.steps and its class, made
# as `cls(document, audience=...)`, or a class for each form where the room's is its own.
# A module is imported when its tool is first shown, so start-up pays only for the step the
# session opens on (the matrix, the canvas and reportlab stay unimported until needed).
TOOLS: dict[StepKind, tuple[str, str] | tuple[str, str, str]] = {
    StepKind.LADDER: ("ladder.ladderwidget", "LadderWidget", "LadderRoomWidget"),
    StepKind.SCENARIOS: ("scenarios.scenarioswidget", "ScenariosWidget"),
    StepKind.READINESS: ("readiness.readinesswidget", "ReadinessWidget"),
    StepKind.ACTIONS: ("actions.actionswidget", "ActionsWidget"),
    StepKind.SUMMARY: ("summary.summarywidget", "SummaryWidget"),
    StepKind.CANVAS: ("canvas", "CanvasWidget"),
    StepKind.MATRIX: ("matrix.matrixwidget", "MatrixWidget"),
    StepKind.REVIEW: ("review.reviewwidget", "ReviewWidget"),
}


def _lazy_tool(kind: StepKind) -> ToolFactory:
    module_name, *classes = TOOLS[kind]

    def make(document: SessionDocument, audience: bool) -> QWidget:
        module = importlib.import_module(f"..steps.{module_name}", __package__)
        if len(classes) == 2:
            made: QWidget = getattr(module, classes[audience])(document)
        else:
            made = getattr(module, classes[0])(document, audience=audience)
        return made

    return make


def _tool_factories() -> dict[StepKind, ToolFactory]:
    """The tool for each kind of step, each made (and its module imported) on first use."""
    return {kind: _lazy_tool(kind) for kind in TOOLS}


# Kinds whose tool fills the screen: the step's own text is shown short above it.
TOOL_FIRST = frozenset(TOOLS)


def _text_blocks(text: str, name: str = "roomText") -> list[QWidget]:
    made: list[QWidget] = []
    for block in blocks(text):
        if block.kind == "bullets":
            made += [text_block(f"•\u2002{line}", name) for line in block.lines]
        else:
            made.append(text_block(block.lines[0], name))
    return made


def _agenda_row(title: str, minutes: int) -> QWidget:
    row = QWidget()
    row.setObjectName("agendaRow")
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    name = text_block(title)
    time = text_block(_("{minutes} min").format(minutes=minutes))
    time.setWordWrap(False)
    time.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    layout.addWidget(name, 1)
    layout.addWidget(time)
    row.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return row


# The headings of a definition, in the order the room reads them.
DEFINITION_PANELS = (
    ("what", N_("What it is")),
    ("what_not", N_("What it is not")),
    ("differs", N_("How it differs from co-production")),
    ("example", N_("An example")),
)
SECOND = "roomSecond"  # the object name of a block in the room's second language


def _heading(text: str, second: SecondText | None) -> str:
    """A heading of the app's own words, followed by the same heading in the second language."""
    if second is None:
        return _(text)
    with using(second.language):
        other = _(text)
    return _(text) if other == _(text) else f"{_(text)} · {other}"


def _read_as(widget: QWidget, language: str) -> None:
    """Lay a second-language text out in its own direction (English under Arabic reads from the left)."""
    rtl = right_to_left(language)
    widget.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)


def _paired_blocks(text: str, other: str, language: str = "") -> list[QWidget]:
    """A text's blocks and, when there is one, its second language's, paragraph by paragraph."""
    made = _text_blocks(text)
    if not other:
        return made
    theirs = _text_blocks(other, SECOND)
    for block in theirs:
        _read_as(block, language)
    if len(theirs) != len(made):
        return made + theirs  # the translation is paragraphed differently: keep each whole
    paired: list[QWidget] = []
    for mine, its in zip(made, theirs, strict=True):
        paired += [mine, its]
    return paired


def step_blocks(session: Session, step: Step, second: SecondText | None = None) -> list[QWidget]:
    """What `step_html` says, as blocks the room's pager can lay out in pages.

    With `second`, each paragraph is followed by the same paragraph in the room's second
    language, where the workshop's template has it (see domain/parallel.py).
    """
    language = second.language if second else ""
    made = _paired_blocks(step.body, second.of(step, "body") if second else "", language)
    if step.kind is StepKind.DEFINITION:
        term = session.get(Term, step.term)
        if term is not None:
            for name, heading in DEFINITION_PANELS:
                value = getattr(term, name)
                if value:
                    made.append(text_block(_heading(heading, second), "roomHeading", keep_with_next=True))
                    made += _paired_blocks(value, second.of(term, name) if second else "", language)
    if step.kind is StepKind.WELCOME:
        timed = [s for s in session.visible_steps if s.minutes]
        if timed:
            made.append(text_block(_heading(N_("Agenda"), second), "roomHeading", keep_with_next=True))
            for s in timed:
                other = second.of(s, "title") if second else ""
                made.append(_agenda_row(f"{s.title} · {other}" if other else s.title, s.minutes))
    return made


def position_text(step: Step, number: int, count: int) -> str:
    """Where `step` is in the workshop, as its heading says: "Step 3 of 14 · 8 minutes"."""
    if step.minutes:
        position = ngettext(
            "Step {number} of {count} · {minutes} minute",
            "Step {number} of {count} · {minutes} minutes",
            step.minutes,
        )
    else:
        position = _("Step {number} of {count}")
    return position.format(number=number, count=count, minutes=step.minutes)


class StepContentWidget(QWidget):
    """The current step's title, text and tool; follows the document's current step."""

    tool_created = Signal(object)  # the new tool widget, made on first use
    page_changed = Signal(str)  # "page 2 of 3", or "" when the step fits one page (room only)

    def __init__(self, document: SessionDocument, *, audience: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.audience = audience
        self.setObjectName("audienceContent" if audience else "stepContent")
        self.position = plain_label(name="hint")
        self.heading = plain_label(wrap=True, name="stepTitle")
        # The facilitator may scroll the text (`body`, made when a step without a tool is first
        # shown); the room gets it in pages (see RoomPagerWidget).
        self._body: QTextBrowser | None = None
        self.text_pages = RoomPagerWidget()
        self.text_pages.setAccessibleName(_("Step text"))
        self.text_pages.page_changed.connect(self._page_changed)
        self.lead = plain_label(wrap=True, name="stepLead")
        # The room's second language (a bilingual room): the title and lead once more, under them.
        self.second_language: str | None = None
        self.second_heading = self._second_label("secondTitle")
        self.second_lead = self._second_label("secondLead")
        self.tools = PageStack()
        self._tool_by_kind: dict[StepKind, QWidget] = {}
        self._page_by_tool: dict[int, QWidget] = {}
        self._factories: dict[StepKind, ToolFactory] | None = None
        self._twins: dict[str, QLabel] = {}  # see `_label_height`

        layout = QVBoxLayout(self)
        self._layout = layout
        layout.setContentsMargins(24, 12, 24, 12)
        layout.addWidget(self.position)
        layout.addWidget(self.heading)
        layout.addWidget(self.second_heading)
        layout.addWidget(self.lead)
        layout.addWidget(self.second_lead)
        if audience:
            layout.addWidget(self.text_pages, 1)
        else:
            self.text_pages.hide()
        layout.addWidget(self.tools, 3)
        document.step_changed.connect(self.refresh)
        document.steps_changed.connect(self.refresh)
        document.changed.connect(self._maybe_refresh_text)
        self.refresh()

    @property
    def body(self) -> QTextBrowser:
        """The step's text in the facilitator's window, above where a tool would be. Made when
        first shown: a session that opens on a step with a tool (the matrix, the summary) does
        not build and polish a text browser its first frame never shows."""
        if self._body is None:
            body = QTextBrowser()
            body.setObjectName("stepBody")
            body.setOpenLinks(False)
            body.setAccessibleName(_("Step text"))
            body.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            self._layout.insertWidget(self._layout.indexOf(self.tools), body, 1)
            self._body = body
        return self._body

    @staticmethod
    def _second_label(name: str) -> QLabel:
        label = plain_label(wrap=True, name=name)
        label.hide()
        return label

    def set_second_language(self, tag: str | None) -> None:
        """Show the workshop's words in `tag` too, under the session's own (the room only)."""
        self.second_language = tag or None
        self.refresh()

    def second_text(self) -> SecondText | None:
        """The second language's words for the session as it is now (an edited text loses its pair).

        Worked out afresh at each refresh: pairing a workshop's hundred items takes well under
        a millisecond once the templates are read, and a cache would have to follow every edit.
        """
        if not self.audience or not self.second_language:
            return None
        from ...storage.templates import second_text_for

        return second_text_for(self.document.session, self.second_language) or None

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
                # Only a frame: Tab goes to the tool's own controls, never stops on the frame.
                scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                scroll.setFrameShape(QScrollArea.Shape.NoFrame)
                scroll.setWidgetResizable(True)
                scroll.setWidget(widget)
                page = scroll
            self._page_by_tool[id(widget)] = page
            self.tools.addWidget(page)
            pager = getattr(widget, "pager", None)
            if isinstance(pager, RoomPagerWidget):
                pager.page_changed.connect(self._page_changed)
            self.tool_created.emit(widget)
        return self._tool_by_kind[kind]

    def make_canvas_ahead(self) -> bool:
        """Make the canvas step's tool now, unseen, if the workshop shows one and it is not made
        (ui/workshop/warmup.py): its first visit then only shows and paints it. Returns whether
        it made one."""
        session = self.document.session
        if StepKind.CANVAS in self._tool_by_kind:
            return False
        if not any(step.kind is StepKind.CANVAS for step in session.visible_steps):
            return False
        return self.tool(StepKind.CANVAS) is not None

    def tool_size_ahead(self, kind: StepKind) -> QSize | None:
        """The size the facilitator's window will give the tool of the next step of `kind`
        (after the current one, else the first), worked out unseen: this widget's size less
        its margins and the lines above a tool (the step's position, title and opening words,
        each as tall as its label makes it at that width). None where it cannot tell: in the
        room, when the step is shown now, or when this widget is not on screen."""
        if self.audience or not self.isVisible() or self._layout is None:
            return None
        visible = self.document.session.visible_steps
        current = self.document.session.current_step
        ids = [step.id for step in visible]
        start = ids.index(current.id) + 1 if current is not None and current.id in ids else 0
        step = next((s for s in visible[start:] + visible[:start] if s.kind is kind), None)
        if step is None or step is current:
            return None
        first = blocks(step.body)[:1]
        lines = [
            (self.position, position_text(step, ids.index(step.id) + 1, len(visible))),
            (self.heading, step.title),
        ]
        if first:
            lines.append((self.lead, " ".join(first[0].lines)))
        margins = self._layout.contentsMargins()
        width = self.width() - margins.left() - margins.right()
        spacing = max(self._layout.spacing(), 0)
        height = self.height() - margins.top() - margins.bottom()
        for label, text in lines:
            height -= self._label_height(label, text, width) + spacing
        return QSize(width, height) if width > 0 and height > 0 else None

    def _label_height(self, label: QLabel, text: str, width: int) -> int:
        """How tall `label` would be at `width` with `text`: asked of a hidden twin (same kind,
        name and parent, so the same font and style), so the label shown now is not touched."""
        twin = self._twins.get(label.objectName())
        if twin is None:
            twin = plain_label(wrap=label.wordWrap(), name=label.objectName())
            twin.setParent(self)
            twin.hide()
            self._twins[label.objectName()] = twin
        twin.setText(text)
        twin.ensurePolished()
        return int(twin.heightForWidth(width)) if twin.wordWrap() else int(twin.sizeHint().height())

    def current_tool(self) -> QWidget | None:
        """The tool of the step shown now, if it has one and it is made."""
        step = self.document.session.current_step
        return self._tool_by_kind.get(step.kind) if step is not None else None

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
            self.heading.setText(_("This workshop has no steps"))
            self.position.setText("")
            if self._body is not None:
                self._body.setHtml("")
            self.tools.hide()
            return
        if self.audience and step.id != getattr(self, "_shown_step", None):
            # A step is entered on its first page (the clicker asks for the last when going back).
            self._shown_step = step.id
            tool_now = self._tool_by_kind.get(step.kind)
            pager = getattr(tool_now, "pager", None)
            if isinstance(pager, RoomPagerWidget):
                pager.set_page(0)
        number = next((i for i, s in enumerate(visible, start=1) if s.id == step.id), 0)
        self.position.setText(position_text(step, number, len(visible)))
        self.heading.setText(step.title)
        second = self.second_text()
        self._show_second(self.second_heading, second, second.of(step, "title") if second else "")
        self.second_lead.hide()
        tool = self.tool(step.kind)
        if tool is not None:
            # Above a tool, only the step's opening paragraph: the tool needs the room.
            first = blocks(step.body)[:1]
            self.lead.setText(" ".join(first[0].lines) if first else "")
            self.lead.setVisible(bool(first))
            theirs = blocks(second.of(step, "body"))[:1] if second and first else []
            self._show_second(self.second_lead, second, " ".join(theirs[0].lines) if theirs else "")
            if self.audience and getattr(tool, "shows_its_heading", False):
                # The tool puts the title and opening words beside itself (the canvas does).
                tool.set_heading(self.position.text(), step.title, self.lead.text())  # type: ignore[attr-defined]
                for label in (self.position, self.heading, self.lead, self.second_heading, self.second_lead):
                    label.hide()
            else:
                self.position.show()
                self.heading.show()
            if self._body is not None:
                self._body.hide()
            self.text_pages.hide()
            self.tools.setCurrentWidget(self._page_by_tool[id(tool)])
            self.tools.show()
        else:
            self.position.show()
            self.heading.show()
            self.lead.hide()
            self.tools.hide()
            if self.audience:
                self.text_pages.show()
                self.text_pages.set_blocks(step_blocks(session, step, second))
            else:
                self.body.setHtml(step_html(session, step))
                self.body.show()
        self._page_changed()

    @staticmethod
    def _show_second(label: QLabel, second: SecondText | None, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))
        if second is not None:
            _read_as(label, second.language)
            # Said by a screen reader before the text, so a listener knows the language changed.
            label.setAccessibleName(_("In {language}").format(language=name_of(second.language)))

    # --- the room's pages --------------------------------------------------------

    def current_pager(self) -> RoomPagerWidget | None:
        """The pager of what the room sees now (the step text or the tool), if it pages."""
        step = self.document.session.current_step
        if step is None or not self.audience:
            return None
        tool = self._tool_by_kind.get(step.kind)
        if tool is None:
            return self.text_pages
        pager = getattr(tool, "pager", None)
        return pager if isinstance(pager, RoomPagerWidget) else None

    def turn_page(self, offset: int) -> bool:
        """Turn the room's page; False when there is no page that way (then the step moves)."""
        pager = self.current_pager()
        return pager is not None and pager.turn(offset)

    def repaginate(self) -> None:
        """Lay the room's pages out again (the type size or the theme changed)."""
        pagers = [self.text_pages] + [getattr(t, "pager", None) for t in self._tool_by_kind.values()]
        for pager in pagers:
            if isinstance(pager, RoomPagerWidget):
                pager.repaginate(force=True)
        self._page_changed()

    def show_last_page(self) -> None:
        pager = self.current_pager()
        if pager is not None:
            pager.show_last_page()

    def page_text(self) -> str:
        pager = self.current_pager()
        return pager.page_text() if pager is not None else ""

    def _page_changed(self) -> None:
        self.page_changed.emit(self.page_text())
