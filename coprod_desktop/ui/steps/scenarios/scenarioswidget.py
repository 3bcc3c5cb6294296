""" "Which is it?": a scenario, the room's vote on which term fits, and the reveal.

The facilitator enters the count of hands for each term, or one vote per
participant. Until the facilitator reveals it, the room sees only how many
have voted; the reveal shows the spread, the answer and why.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ....domain.changes import ChangeSet
from ....domain.errors import KnownError
from ....domain.i18n import _, ngettext
from ....domain.model import Participant, Scenario, Tally, Term, Vote
from ....domain.scenarios import scenario_result, term_name
from ....domain.voting import named_vote, question_family, reveal_questions, scenario_question, set_hands
from ...common.barchart import Bar, BarChartWidget
from ...common.plaintext import mnemonic_safe, plain_label
from ...common.roompager import RoomPagerWidget, text_block
from ...document import SessionDocument

FOCUS_KEY = "scenario"
NO_VOTE = ""


def _voted(total: int, people: int, state: str) -> str:
    """How many have voted (of how many people), as the room or the laptop says it."""
    if state == "revealed":
        if people:
            text = ngettext("{n} of {people} voted. The result:", "{n} of {people} voted. The result:", total)
        else:
            text = ngettext("{n} voted. The result:", "{n} voted. The result:", total)
    elif state == "room":
        if people:
            text = ngettext(
                "{n} of {people} has voted. The result stays hidden until the facilitator reveals it.",
                "{n} of {people} have voted. The result stays hidden until the facilitator reveals it.",
                total,
            )
        else:
            text = ngettext(
                "{n} has voted. The result stays hidden until the facilitator reveals it.",
                "{n} have voted. The result stays hidden until the facilitator reveals it.",
                total,
            )
    elif people:
        text = ngettext(
            "{n} of {people} has voted. Only you can see these counts.",
            "{n} of {people} have voted. Only you can see these counts.",
            total,
        )
    else:
        text = ngettext(
            "{n} has voted. Only you can see these counts.",
            "{n} have voted. Only you can see these counts.",
            total,
        )
    return text.format(n=total, people=people)


class ScenariosWidget(QWidget):
    def __init__(self, document: SessionDocument, *, audience: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.audience = audience
        self.counter = QLabel()
        self.counter.setObjectName("hint")
        self.title = QLabel()
        self.title.setObjectName("toolTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.text = QLabel()
        self.text.setObjectName("toolText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.status = QLabel()
        self.status.setObjectName("voteStatus")
        self.status.setWordWrap(True)
        self.chart = BarChartWidget()
        self.chart.setAccessibleName(_("How the room voted"))
        self.answer = QLabel()
        self.answer.setObjectName("answerText")
        self.answer.setWordWrap(True)
        self.answer.setTextFormat(Qt.TextFormat.PlainText)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.addWidget(self.counter, 1)
        layout.addLayout(header)
        self.pager: RoomPagerWidget | None = None
        self.text_px = 0
        if audience:
            # The room: the story, the count and (once revealed) the answer, in pages if need be.
            self.pager = RoomPagerWidget()
            self.pager.setAccessibleName(_("The scenario"))
            layout.addWidget(self.pager, 1)
            for shown in (self.title, self.text, self.status, self.chart, self.answer):
                shown.hide()
        else:
            layout.addWidget(self.title)
            layout.addWidget(self.text)
            layout.addWidget(self.status)
            layout.addWidget(self.chart, 1)
            layout.addWidget(self.answer)

        self.previous_button: QPushButton | None = None
        self.next_button: QPushButton | None = None
        if not audience:
            self.previous_button = QPushButton(_("◀ Previous scenario"))
            self.previous_button.clicked.connect(lambda: self.step_scenario(-1))
            self.next_button = QPushButton(_("Next scenario ▶"))
            self.next_button.clicked.connect(lambda: self.step_scenario(1))
            header.addWidget(self.previous_button)
            header.addWidget(self.next_button)
            layout.addWidget(self._make_controls())
        document.changed.connect(self._changed)
        document.focus_changed.connect(self._focus_changed)
        self.refresh()

    def set_type_scale(self, factor: float) -> None:
        """The room's type factor (screen height / 1080 times the scale): sizes the drawn chart."""
        from ...presenter.roomstyle import px_at

        self.text_px = px_at("cell", factor)
        self.refresh(rebuild_entry=False)

    def _fill_room(self) -> None:
        assert self.pager is not None
        blocks: list[QWidget] = []
        for label in (self.title, self.text, self.status, self.answer):
            if label is self.answer and (label.isHidden() and not self._answer_shown):
                continue
            if not label.text():
                continue
            # The room's own names: the app's look gives "answerText" a sheet of the laptop's sizes.
            name = "roomAnswer" if label is self.answer else label.objectName()
            copy = text_block(label.text(), name)
            blocks.append(copy)
            if label is self.status and self._chart_shown:
                chart = BarChartWidget()
                chart.setAccessibleName(_("How the room voted"))
                chart.set_bars(self.chart.bars)
                if self.text_px:
                    chart.set_text_px(self.text_px)
                blocks.append(chart)
        self.pager.set_blocks(blocks)

    # --- controls (facilitator only) ----------------------------------------

    def _make_controls(self) -> QWidget:
        panel = QWidget()
        panel.setObjectName("controlPanel")
        outer = QVBoxLayout(panel)
        row = QHBoxLayout()
        mode_label = QLabel(_("&Votes:"))
        self.mode = QComboBox()
        self.mode.addItem(_("Count hands for each term"), "hands")
        self.mode.addItem(_("One vote per participant"), "named")
        self.mode.setAccessibleName(_("How votes are taken"))
        mode_label.setBuddy(self.mode)
        self.mode.currentIndexChanged.connect(lambda _arg: self._rebuild_entry())
        self.reveal_button = QPushButton(_("&Reveal to the room"))
        self.reveal_button.setCheckable(True)
        self.reveal_button.setAccessibleName(_("Reveal this scenario's result to the room"))
        self.reveal_button.toggled.connect(self._reveal_toggled)
        self.hidden_note = QLabel()
        self.hidden_note.setObjectName("hint")
        row.addWidget(mode_label)
        row.addWidget(self.mode)
        row.addStretch(1)
        row.addWidget(self.hidden_note)
        row.addWidget(self.reveal_button)
        outer.addLayout(row)
        self.entry = QStackedWidget()
        self.hands = QWidget()
        self.hands_grid = QGridLayout(self.hands)
        self.named = QWidget()
        self.named_form = QFormLayout(self.named)
        scroll = QScrollArea()
        scroll.setWidget(self.named)
        scroll.setWidgetResizable(True)
        # Never fewer than five voters in view: squeezed, the list showed two.
        voter = QComboBox().sizeHint().height() + self.named_form.verticalSpacing() + 2
        scroll.setMinimumHeight(5 * voter + 8)
        self.entry.addWidget(self.hands)
        self.entry.addWidget(scroll)
        outer.addWidget(self.entry)
        self._spins: dict[str, QSpinBox] = {}
        self._combos: dict[str, QComboBox] = {}
        return panel

    def _rebuild_entry(self) -> None:
        if self.audience:
            return
        scenario = self.current()
        for layout in (self.hands_grid, self.named_form):
            while layout.count():
                item = layout.takeAt(0)
                if item is not None and item.widget() is not None:
                    item.widget().deleteLater()  # type: ignore[union-attr]
        self._spins.clear()
        self._combos.clear()
        if scenario is None:
            return
        named = self.mode.currentData() == "named"
        self.entry.setCurrentIndex(1 if named else 0)
        question = scenario_question(scenario.id)
        terms = self.document.session.terms
        if not named:
            counts = {t.choice: t.count for t in self.document.session.on_question(Tally, question)}
            for index, term in enumerate(terms):
                spin = QSpinBox()
                spin.setRange(0, 999)
                spin.setValue(counts.get(term.key, 0))
                spin.setAccessibleName(_("Hands for {term}").format(term=term.name))
                spin.valueChanged.connect(lambda value, key=term.key: self._set_hands(key, value))
                label = plain_label(f"&{index + 1}. {mnemonic_safe(term.name)}")
                label.setBuddy(spin)
                # Two terms a row: three made the step wider than a laptop's middle column.
                self.hands_grid.addWidget(label, index // 2, (index % 2) * 2)
                self.hands_grid.addWidget(spin, index // 2, (index % 2) * 2 + 1)
                self._spins[term.key] = spin
        else:
            votes = {v.participant_id: v.choice for v in self.document.session.on_question(Vote, question)}
            for person in self.document.session.participants:
                combo = QComboBox()
                combo.addItem(_("No vote"), NO_VOTE)
                for term in terms:
                    combo.addItem(term.name, term.key)
                combo.setCurrentIndex(max(0, combo.findData(votes.get(person.id, NO_VOTE))))
                combo.setAccessibleName(_("{name}'s vote").format(name=person.name))
                combo.currentIndexChanged.connect(
                    lambda _arg, p=person, c=combo: self._set_vote(p, c.currentData())
                )
                self.named_form.addRow(plain_label(person.name), combo)
                self._combos[person.id] = combo
            if not self.document.session.participants:
                self.named_form.addRow(QLabel(_("Add participants first (Participants, in the sidebar).")))

    def _set_hands(self, term_key: str, value: int) -> None:
        scenario = self.current()
        if scenario is None:
            return
        question = scenario_question(scenario.id)
        name = term_name(self.document.session, term_key)
        self.document.apply(
            set_hands(self.document.session, question, term_key, value),
            _("Hands for {term}: {n}").format(term=name, n=value),
            merge_key=f"hands/{question}/{term_key}",
            origin=self,
        )

    def _set_vote(self, person: Participant, term_key: str) -> None:
        scenario = self.current()
        if scenario is None:
            return
        question = scenario_question(scenario.id)
        try:
            changes = named_vote(self.document.session, question, person.id, term_key or None)
        except KnownError as exc:
            self.status.setText(_("⚠ {problem}").format(problem=exc))
            return
        self.document.apply(changes, _("{name}'s vote").format(name=person.name), origin=self)

    def _reveal_toggled(self, shown: bool) -> None:
        scenario = self.current()
        if scenario is None:
            return
        changes = reveal_questions(self.document.session, [scenario_question(scenario.id)], shown)
        text = _("Reveal “{title}”") if shown else _("Hide “{title}”")
        self.document.apply(changes, text.format(title=scenario.title), origin=self)

    # --- which scenario -------------------------------------------------------

    def current(self) -> Scenario | None:
        scenarios = self.document.session.scenarios
        chosen = self.document.session.get(Scenario, self.document.focus(FOCUS_KEY))
        if chosen is not None:
            return chosen
        return scenarios[0] if scenarios else None

    def step_scenario(self, offset: int) -> None:
        scenarios = self.document.session.scenarios
        current = self.current()
        if current is None:
            return
        index = [s.id for s in scenarios].index(current.id)
        target = scenarios[min(max(index + offset, 0), len(scenarios) - 1)]
        self.document.set_focus(FOCUS_KEY, target.id)

    def _focus_changed(self, key: str) -> None:
        if key == FOCUS_KEY:
            self.refresh()

    def _changed(self, changes: ChangeSet) -> None:
        rebuild = changes.touches(Scenario, Term, Participant)
        if rebuild or any(question_family(q) == "scenario" for q in changes.questions):
            self.refresh(rebuild_entry=rebuild)

    # --- showing --------------------------------------------------------------

    def refresh(self, *, rebuild_entry: bool = True) -> None:
        self._answer_shown = False
        self._chart_shown = False
        self._show(rebuild_entry=rebuild_entry)
        if self.pager is not None:
            self._fill_room()

    def _show(self, *, rebuild_entry: bool) -> None:
        session = self.document.session
        scenario = self.current()
        scenarios = session.scenarios
        if scenario is None:
            self.counter.setText("")
            self.title.setText(_("No scenarios in this workshop yet."))
            self.text.setText("")
            self.status.setText("")
            self.chart.set_bars([])
            self.answer.setText("")
            return
        index = [s.id for s in scenarios].index(scenario.id)
        self.counter.setText(_("Scenario {number} of {count}").format(number=index + 1, count=len(scenarios)))
        self.title.setText(scenario.title)
        self.text.setText(scenario.text)
        result = scenario_result(session, scenario)
        people = session.count(Participant)
        of_people = people if people and result.total <= people else 0
        show_results = result.revealed or not self.audience
        state = "revealed" if result.revealed else "room" if self.audience else "laptop"
        self.status.setText(_voted(result.total, of_people, state))
        if show_results:
            self.chart.set_bars(
                [
                    Bar(
                        term_name(session, key),
                        count,
                        highlight=result.revealed and key == scenario.answer,
                        note=_("answer") if result.revealed and key == scenario.answer else "",
                    )
                    for key, count in result.counts
                ]
            )
            self.chart.setVisible(self.pager is None)
            self._chart_shown = True
        else:
            self.chart.set_bars([])
            self.chart.hide()
        if result.revealed:
            self.answer.setText(
                _("Answer: {term}. {why}").format(
                    term=term_name(session, scenario.answer), why=scenario.explanation
                )
            )
            self.answer.setVisible(self.pager is None)
            self._answer_shown = True
        elif not self.audience:
            self.answer.setText(
                _("Answer (hidden from the room): {term}.").format(term=term_name(session, scenario.answer))
            )
            self.answer.show()
        else:
            self.answer.hide()
        if not self.audience:
            assert self.previous_button is not None
            assert self.next_button is not None
            self.previous_button.setEnabled(index > 0)
            self.next_button.setEnabled(index < len(scenarios) - 1)
            self.reveal_button.blockSignals(True)
            self.reveal_button.setChecked(result.revealed)
            self.reveal_button.setText(
                _("Hide from the room") if result.revealed else _("&Reveal to the room")
            )
            self.reveal_button.blockSignals(False)
            self.hidden_note.setText(_("Shown to the room") if result.revealed else _("Hidden from the room"))
            has_named = bool(session.on_question(Vote, scenario_question(scenario.id)))
            if rebuild_entry:
                self.mode.blockSignals(True)
                self.mode.setCurrentIndex(1 if has_named else self.mode.currentIndex())
                self.mode.blockSignals(False)
                self._rebuild_entry()
            else:
                self._sync_entry()

    def _sync_entry(self) -> None:
        """Bring the entry widgets in line with the document without rebuilding them."""
        scenario = self.current()
        if scenario is None:
            return
        question = scenario_question(scenario.id)
        counts = {t.choice: t.count for t in self.document.session.on_question(Tally, question)}
        for key, spin in self._spins.items():
            if spin.value() != counts.get(key, 0):
                spin.blockSignals(True)
                spin.setValue(counts.get(key, 0))
                spin.blockSignals(False)
        votes = {v.participant_id: v.choice for v in self.document.session.on_question(Vote, question)}
        for person_id, combo in self._combos.items():
            index = max(0, combo.findData(votes.get(person_id, NO_VOTE)))
            if combo.currentIndex() != index:
                combo.blockSignals(True)
                combo.setCurrentIndex(index)
                combo.blockSignals(False)
