"""Should we co-produce? The group rates each condition; the app recommends, with its rules shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ....domain.changes import ChangeSet
from ....domain.i18n import _, ngettext
from ....domain.model import Participant, ReadinessItem, Reveal, Tally
from ....domain.readiness import READINESS_SCALE, Status, Verdict, average_text, condition, recommend, rules
from ....domain.voting import question_family, readiness_question, reveal_questions, set_hands
from ...common import htmlescape as html
from ...common.plaintext import tooltip
from ...common.roompager import RoomPagerWidget, text_block
from ...common.roomrow import room_row
from ...common.widgets import hint_label
from ...document import SessionDocument

# A symbol for each status, so the state never rests on colour alone.
SYMBOL = {Status.IN_PLACE: "✓", Status.PARTLY: "◐", Status.MISSING: "✗", Status.UNRATED: "·"}


def _rated(votes: int, people: int) -> str:
    """How many have rated so far, before the reveal."""
    if people:
        return ngettext("{n} of {people} has rated", "{n} of {people} have rated", votes).format(
            n=votes, people=people
        )
    return ngettext("{n} has rated", "{n} have rated", votes).format(n=votes)


class ReadinessWidget(QWidget):
    def __init__(self, document: SessionDocument, *, audience: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.audience = audience
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(14)
        self.headline = QLabel()
        self.headline.setObjectName("answerText")
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.rules = QLabel()
        self.rules.setObjectName("rulesText")
        self.rules.setWordWrap(True)
        self.rules.setText(
            "<b>"
            + html.escape(_("How the recommendation is made"))
            + "</b><ul>"
            + "".join(f"<li>{html.escape(rule)}</li>" for rule in rules())
            + "</ul>"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.pager: RoomPagerWidget | None = None
        self._spins: dict[tuple[str, int], QSpinBox] = {}
        self._cells: list[QWidget] = []
        if audience:
            # The room gets the conditions, the recommendation and its rules as pages.
            self.pager = RoomPagerWidget(spacing=10)
            self.pager.setAccessibleName(_("Readiness check"))
            layout.addWidget(self.pager, 1)
            self.headline.hide()
            self.rules.hide()
            document.changed.connect(self._changed)
            self._spins = {}
            self._cells = []
            self.refresh()
            return
        self.reveal_button: QPushButton | None = None
        self.hidden_note: QLabel | None = None
        if not audience:
            row = QHBoxLayout()
            hint = hint_label(
                _(
                    "For each condition, type how many people chose each answer. "
                    "The room sees only how many have rated until you reveal."
                )
            )
            self.hidden_note = QLabel()
            self.hidden_note.setObjectName("hint")
            self.reveal_button = QPushButton(_("&Reveal to the room"))
            self.reveal_button.setCheckable(True)
            self.reveal_button.toggled.connect(self._reveal_toggled)
            row.addWidget(hint, 1)
            row.addWidget(self.hidden_note)
            row.addWidget(self.reveal_button)
            layout.addLayout(row)
        layout.addLayout(self.grid)
        layout.addWidget(self.headline)
        layout.addWidget(self.rules)
        layout.addStretch(1)
        document.changed.connect(self._changed)
        self.rebuild()

    # --- state -----------------------------------------------------------------

    def revealed(self) -> bool:
        items = self.document.session.readiness_items
        return bool(items) and all(
            self.document.session.get(Reveal, readiness_question(item.id)) is not None for item in items
        )

    def _reveal_toggled(self, shown: bool) -> None:
        session = self.document.session
        questions = [readiness_question(item.id) for item in session.readiness_items]
        self.document.apply(
            reveal_questions(session, questions, shown),
            _("Reveal the readiness check") if shown else _("Hide the readiness check"),
            origin=self,
        )

    def _set_count(self, item: ReadinessItem, value: int, count: int) -> None:
        question = readiness_question(item.id)
        self.document.apply(
            set_hands(self.document.session, question, str(value), count),
            _("{condition}: {n} chose “{answer}”").format(
                condition=item.title, n=count, answer=_(READINESS_SCALE[value])
            ),
            merge_key=f"readiness/{question}/{value}",
            origin=self,
        )

    def _changed(self, changes: ChangeSet) -> None:
        if changes.touches(ReadinessItem):
            self.rebuild()
        elif changes.touches(Participant) or any(
            question_family(q) == "readiness" for q in changes.questions
        ):
            self.refresh()

    # --- building --------------------------------------------------------------

    def _fill_room(self) -> None:
        assert self.pager is not None
        session = self.document.session
        show = self.revealed()
        people = session.count(Participant)
        shares = [6, 2, 4]
        blocks: list[QWidget] = []
        header = room_row([(_("Condition"), 6), (_("Average"), 2), (_("Status"), 4)], header=True)
        blocks.append(header)
        for item in session.readiness_items:
            state = condition(session, item)
            if show:
                cells = [
                    "–" if state.mean is None else f"{state.mean:.1f}",
                    _("{symbol} {status}").format(symbol=SYMBOL[state.status], status=state.status.label),
                ]
            else:
                cells = ["", _rated(state.votes, people)]
            blocks.append(room_row(list(zip([item.title, *cells], shares, strict=True)), "conditionName"))
        recommendation = recommend(session)
        if show:
            blocks.append(text_block(recommendation.headline, "roomAnswer"))
            blocks.append(text_block(_("How the recommendation is made"), "roomHeading", keep_with_next=True))
            blocks += [text_block(f"•\u2002{rule}", "rulesText") for rule in rules()]
        else:
            blocks.append(
                text_block(
                    _("The recommendation appears when the facilitator reveals the ratings."), "roomAnswer"
                )
            )
        self.pager.set_blocks(blocks, keep_page=True)

    def rebuild(self) -> None:
        if self.pager is not None:
            self._fill_room()
            return
        for widget in self._cells:
            self.grid.removeWidget(widget)
            widget.deleteLater()
        self._cells.clear()
        self._spins.clear()
        self._status: dict[str, QLabel] = {}
        headers = [_("Condition")]
        if not self.audience:
            headers += [_(answer) for answer in READINESS_SCALE]
        headers += [_("Average"), _("Status")]
        for column, text in enumerate(headers):
            label = QLabel(text)
            label.setObjectName("tableHeader")
            label.setWordWrap(True)
            self._add(label, 0, column)
        for row, item in enumerate(self.document.session.readiness_items, start=1):
            name = QLabel(item.title)
            name.setTextFormat(Qt.TextFormat.PlainText)
            name.setObjectName("conditionName")
            name.setToolTip(tooltip(item.description))
            name.setWordWrap(True)
            self._add(name, row, 0)
            column = 1
            if not self.audience:
                for value, answer in enumerate(READINESS_SCALE):
                    spin = QSpinBox()
                    spin.setRange(0, 999)
                    spin.setAccessibleName(
                        _("{condition}: how many chose {answer}").format(
                            condition=item.title, answer=_(answer)
                        )
                    )
                    spin.valueChanged.connect(lambda count, i=item, v=value: self._set_count(i, v, count))
                    self._spins[(item.id, value)] = spin
                    self._add(spin, row, column)
                    column += 1
            average = QLabel()
            average.setObjectName("conditionValue")
            status = QLabel()
            status.setObjectName("conditionValue")
            self._status[item.id + "/mean"] = average
            self._status[item.id] = status
            self._add(average, row, column)
            self._add(status, row, column + 1)
        self.refresh()

    def _add(self, widget: QWidget, row: int, column: int) -> None:
        self.grid.addWidget(widget, row, column)
        self._cells.append(widget)

    def refresh(self) -> None:
        if self.pager is not None:
            self._fill_room()
            return
        session = self.document.session
        revealed = self.revealed()
        show = revealed or not self.audience
        people = session.count(Participant)
        for item in session.readiness_items:
            state = condition(session, item)
            counts = {t.choice: t.count for t in session.on_question(Tally, readiness_question(item.id))}
            for value in range(len(READINESS_SCALE)):
                spin = self._spins.get((item.id, value))
                if spin is not None and spin.value() != counts.get(str(value), 0):
                    spin.blockSignals(True)
                    spin.setValue(counts.get(str(value), 0))
                    spin.blockSignals(False)
            mean_label = self._status.get(item.id + "/mean")
            status_label = self._status.get(item.id)
            if mean_label is None or status_label is None:
                continue
            if show:
                mean_label.setText(average_text(state.mean))
                status_label.setText(
                    _("{symbol} {status}").format(symbol=SYMBOL[state.status], status=state.status.label)
                )
                status_label.setProperty("status", state.status.value)
            else:
                mean_label.setText("")
                status_label.setText(_rated(state.votes, people))
                status_label.setProperty("status", "hidden")
            status_label.style().unpolish(status_label)
            status_label.style().polish(status_label)
        recommendation = recommend(session)
        if show and recommendation.verdict is not Verdict.UNRATED:
            headline = recommendation.headline
            if not revealed:
                headline = _("(Hidden from the room) {headline}").format(headline=headline)
            self.headline.setText(headline)
        elif show:
            self.headline.setText(recommendation.headline)
        else:
            self.headline.setText(_("The recommendation appears when the facilitator reveals the ratings."))
        self.rules.setVisible(show)
        if self.reveal_button is not None and self.hidden_note is not None:
            self.reveal_button.blockSignals(True)
            self.reveal_button.setChecked(revealed)
            self.reveal_button.setText(_("Hide from the room") if revealed else _("&Reveal to the room"))
            self.reveal_button.blockSignals(False)
            self.hidden_note.setText(_("Shown to the room") if revealed else _("Hidden from the room"))
