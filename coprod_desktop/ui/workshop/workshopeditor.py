"""Editing the workshop itself: its steps, definitions, scenarios, readiness conditions,
and the matrix's criteria and stages.

One generic list-and-form editor serves every kind of item. Each field is saved
when the facilitator leaves it (or presses Enter), as one undo step; moving an
item swaps two positions in one step; removing an item takes its votes with it,
in the same step, so undo brings both back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.changes import Change, ChangeSet
from ...domain.i18n import N_, _
from ...domain.ladder import LADDER
from ...domain.matrix import remove_criterion, remove_stage
from ...domain.model import (
    Criterion,
    Entity,
    ReadinessItem,
    Reveal,
    Scenario,
    Session,
    Stage,
    Step,
    StepKind,
    Tally,
    Term,
    Vote,
    new_id,
    new_key,
    replace,
)
from ...domain.voting import readiness_question, scenario_question
from ..common.widgets import hint_label
from ..document import SessionDocument

KEY_ROLE = Qt.ItemDataRole.UserRole


def _with(entity: Entity, **values: Any) -> Entity:
    """A copy of any entity with some fields changed (the editor works on every kind)."""
    changed: Entity = replace(cast(Any, entity), **values)
    return changed


class CommitTextEdit(QPlainTextEdit):
    """A text box that says when the facilitator leaves it, so a paragraph is one edit."""

    committed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.committed.emit()


class ItemList(QListWidget):
    """A list whose selected item moves with Alt+Up and Alt+Down."""

    move_requested = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.modifiers() == Qt.KeyboardModifier.AltModifier and event.key() in (
            Qt.Key.Key_Up,
            Qt.Key.Key_Down,
        ):
            self.move_requested.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
            event.accept()
            return
        super().keyPressEvent(event)


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "line"  # line, text, minutes, check, choice
    choices: Callable[[Session], Sequence[tuple[str, str]]] | None = None


@dataclass(frozen=True)
class Nouns:
    """The texts of one kind of item, as whole phrases (words change with grammar in other languages)."""

    items: str
    add: str
    remove: str
    edit: str  # {field}
    move: str  # {name}
    remove_named: str  # {name}


NOUNS: dict[str, Nouns] = {
    "step": Nouns(
        N_("Steps"),
        N_("Add step"),
        N_("Remove step"),
        N_("Edit step: {field}"),
        N_("Move step “{name}”"),
        N_("Remove step “{name}”"),
    ),
    "definition": Nouns(
        N_("Definitions"),
        N_("Add definition"),
        N_("Remove definition"),
        N_("Edit definition: {field}"),
        N_("Move definition “{name}”"),
        N_("Remove definition “{name}”"),
    ),
    "scenario": Nouns(
        N_("Scenarios"),
        N_("Add scenario"),
        N_("Remove scenario"),
        N_("Edit scenario: {field}"),
        N_("Move scenario “{name}”"),
        N_("Remove scenario “{name}”"),
    ),
    "condition": Nouns(
        N_("Conditions"),
        N_("Add condition"),
        N_("Remove condition"),
        N_("Edit condition: {field}"),
        N_("Move condition “{name}”"),
        N_("Remove condition “{name}”"),
    ),
    "criterion": Nouns(
        N_("Criteria"),
        N_("Add criterion"),
        N_("Remove criterion"),
        N_("Edit criterion: {field}"),
        N_("Move criterion “{name}”"),
        N_("Remove criterion “{name}”"),
    ),
    "stage": Nouns(
        N_("Stages"),
        N_("Add stage"),
        N_("Remove stage"),
        N_("Edit stage: {field}"),
        N_("Move stage “{name}”"),
        N_("Remove stage “{name}”"),
    ),
}


def _votes_on(session: Session, question: str) -> list[Entity]:
    """The votes, counts and reveal of one question (found through the session's index)."""
    found: list[Entity] = [*session.on_question(Vote, question), *session.on_question(Tally, question)]
    shown = session.get(Reveal, question)
    return [*found, shown] if shown is not None else found


MatrixRemoval = Callable[[Session, Any], list[Change]]


def _with_matrix_cells(remove: MatrixRemoval) -> Callable[[Session, Entity], list[Entity]]:
    """What the matrix's own removal (domain.matrix) takes with a row or column, less the item."""
    return lambda session, entity: [
        old for old, _edit in remove(session, entity) if old is not None and old is not entity
    ]


class ItemListEditor(QWidget):
    """A list of one kind of item, with a form for the one selected."""

    def __init__(
        self,
        document: SessionDocument,
        cls: type[Entity],
        fields: Sequence[Field],
        *,
        noun: str,
        make: Callable[[Session], Entity] | None,
        label: Callable[[Entity], str],
        removes_with: Callable[[Session, Entity], list[Entity]] | None = None,
        hideable: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.cls = cls
        self.fields = list(fields)
        self.noun = noun
        self.make = make
        self.label = label
        self.removes_with = removes_with
        self.hideable = hideable
        self.list = ItemList()
        self.list.move_requested.connect(self.move_current)
        self.list.setAccessibleName(_(NOUNS[noun].items))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.currentItemChanged.connect(lambda *_args: self._load_form())
        self.list.itemChanged.connect(self._check_changed)
        buttons = QGridLayout()  # two by two, so the editor fits a laptop screen
        self.up_button = QPushButton(_("Move up"))
        self.up_button.setToolTip(_("Move up (Alt+Up)"))
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button = QPushButton(_("Move down"))
        self.down_button.setToolTip(_("Move down (Alt+Down)"))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        buttons.addWidget(self.up_button, 0, 0)
        buttons.addWidget(self.down_button, 0, 1)
        self.add_button: QPushButton | None = None
        if make is not None:
            self.add_button = QPushButton(_(NOUNS[noun].add))
            self.add_button.clicked.connect(self.add_item)
            buttons.addWidget(self.add_button, 1, 0)
            self.remove_button = QPushButton(_(NOUNS[noun].remove))
            self.remove_button.clicked.connect(self.remove_current)
            buttons.addWidget(self.remove_button, 1, 1)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addLayout(buttons)

        self.form = QFormLayout()
        self.editors: dict[str, QWidget] = {}
        for spec in self.fields:
            editor = self._make_editor(spec)
            editor.setAccessibleName(spec.label.replace("&", ""))
            self.editors[spec.name] = editor
            self.form.addRow(spec.label, editor)
        right = QWidget()
        right.setLayout(self.form)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addWidget(right, 3)
        document.changed.connect(self._document_changed)
        self.rebuild()

    # --- form ------------------------------------------------------------------

    def _make_editor(self, spec: Field) -> QWidget:
        if spec.kind == "text":
            text = CommitTextEdit()
            text.committed.connect(lambda name=spec.name: self._commit(name))
            return text
        if spec.kind == "minutes":
            spin = QSpinBox()
            spin.setRange(0, 600)
            spin.setSuffix(_(" min"))
            spin.editingFinished.connect(lambda name=spec.name: self._commit(name))
            return spin
        if spec.kind == "check":
            check = QCheckBox()
            check.toggled.connect(lambda _arg, name=spec.name: self._commit(name))
            return check
        if spec.kind == "choice":
            combo = QComboBox()
            combo.activated.connect(lambda _arg, name=spec.name: self._commit(name))
            return combo
        line = QLineEdit()
        line.editingFinished.connect(lambda name=spec.name: self._commit(name))
        return line

    def current(self) -> Entity | None:
        item = self.list.currentItem()
        if item is None:
            return None
        return self.document.session.get(self.cls, item.data(KEY_ROLE))

    def _load_form(self) -> None:
        entity = self.current()
        for spec in self.fields:
            editor = self.editors[spec.name]
            editor.setEnabled(entity is not None)
            editor.blockSignals(True)
            value: Any = getattr(entity, spec.name) if entity is not None else None
            if isinstance(editor, QPlainTextEdit):
                if editor.toPlainText() != (value or ""):
                    editor.setPlainText(value or "")
            elif isinstance(editor, QSpinBox):
                editor.setValue(int(value or 0))
            elif isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QComboBox):
                editor.clear()
                assert spec.choices is not None
                for text, data in spec.choices(self.document.session):
                    editor.addItem(text, data)
                editor.setCurrentIndex(max(0, editor.findData(value or "")))
            elif isinstance(editor, QLineEdit) and editor.text() != (value or ""):
                editor.setText(value or "")
            editor.blockSignals(False)

    def _value(self, name: str) -> Any:
        editor = self.editors[name]
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText().strip()
        if isinstance(editor, QSpinBox):
            return editor.value()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QComboBox):
            return editor.currentData() or ""
        assert isinstance(editor, QLineEdit)
        return editor.text().strip()

    def _commit(self, name: str) -> None:
        entity = self.current()
        if entity is None:
            return
        value = self._value(name)
        if getattr(entity, name) == value:
            return
        if name in ("title", "name") and not value:
            self._load_form()  # a title cannot be empty; put the old one back
            return
        label = next(spec.label for spec in self.fields if spec.name == name).replace("&", "").rstrip(":")
        self.document.put(
            _with(entity, **{name: value}), _(NOUNS[self.noun].edit).format(field=label.lower())
        )

    # --- list ------------------------------------------------------------------

    def rebuild(self) -> None:
        chosen = self.current()
        self.list.blockSignals(True)
        self.list.clear()
        for entity in self.document.session.items(self.cls):
            item = QListWidgetItem(self.label(entity))
            item.setData(KEY_ROLE, entity.ident[0])
            if self.hideable:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                hidden = bool(getattr(entity, "hidden", False))
                item.setCheckState(Qt.CheckState.Unchecked if hidden else Qt.CheckState.Checked)
                item.setToolTip(_("Untick to hide this step from the workshop"))
            self.list.addItem(item)
        self.list.blockSignals(False)
        keys = [self.list.item(row).data(KEY_ROLE) for row in range(self.list.count())]
        if chosen is not None and chosen.ident[0] in keys:
            self.list.setCurrentRow(keys.index(chosen.ident[0]))
        elif keys:
            self.list.setCurrentRow(0)
        self._load_form()

    def _document_changed(self, changes: ChangeSet) -> None:
        if changes.touches(self.cls, Term):
            self.rebuild()

    def _check_changed(self, item: QListWidgetItem) -> None:
        if not self.hideable:
            return
        entity = self.document.session.get(self.cls, item.data(KEY_ROLE))
        hidden = item.checkState() != Qt.CheckState.Checked
        if entity is not None and getattr(entity, "hidden", False) != hidden:
            text = _("Hide step “{name}”") if hidden else _("Show step “{name}”")
            self.document.put(_with(entity, hidden=hidden), text.format(name=self.label(entity)))

    def move_current(self, offset: int) -> None:
        entity = self.current()
        if entity is None:
            return
        items = self.document.session.items(self.cls)
        index = [e.ident for e in items].index(entity.ident)
        target = index + offset
        if not 0 <= target < len(items):
            return
        other = items[target]
        mine, theirs = getattr(entity, "position", 0), getattr(other, "position", 0)
        if mine == theirs:  # equal positions: renumber the whole list in the new order
            order = list(items)
            order[index], order[target] = order[target], order[index]
            changes = [Change(e, _with(e, position=p)) for p, e in enumerate(order)]
        else:
            changes = [
                Change(entity, _with(entity, position=theirs)),
                Change(other, _with(other, position=mine)),
            ]
        self.document.apply(changes, _(NOUNS[self.noun].move).format(name=self.label(entity)))

    def add_item(self) -> None:
        if self.make is None:
            return
        entity = self.make(self.document.session)
        if self.document.put(entity, _(NOUNS[self.noun].add)):
            keys = [self.list.item(row).data(KEY_ROLE) for row in range(self.list.count())]
            if entity.ident[0] in keys:
                self.list.setCurrentRow(keys.index(entity.ident[0]))
            first = self.editors[self.fields[0].name]
            first.setFocus()
            if isinstance(first, QLineEdit):
                first.selectAll()

    def remove_current(self) -> None:
        entity = self.current()
        if entity is None:
            return
        extra = self.removes_with(self.document.session, entity) if self.removes_with else []
        changes = [Change(e, None) for e in extra] + [Change(entity, None)]
        self.document.apply(changes, _(NOUNS[self.noun].remove_named).format(name=self.label(entity)))


def _term_choices(session: Session) -> list[tuple[str, str]]:
    return [(term.name, term.key) for term in session.terms]


def _rung_choices(session: Session) -> list[tuple[str, str]]:
    return [(_("Beside the ladder"), "")] + [(rung.name, rung.key) for rung in LADDER]


def _step_label(entity: Entity) -> str:
    assert isinstance(entity, Step)
    if not entity.minutes:
        return entity.title
    return _("{title}  ·  {minutes} min").format(title=entity.title, minutes=entity.minutes)


def _new_step(session: Session) -> Entity:
    return Step(
        id=new_id(),
        kind=StepKind.TEXT,
        title=_("New step"),
        minutes=5,
        position=session.next_position(Step),
        key=new_key(),
    )


class WorkshopEditorWidget(QWidget):
    """Every part of the workshop the facilitator can shape, one tab each."""

    def __init__(self, document: SessionDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        heading = QLabel(_("Edit the workshop"))
        heading.setObjectName("stepTitle")
        hint = hint_label(
            _(
                "Changes are saved as you leave each box, and Undo takes them back. "
                "Untick a step to hide it; Alt+Up and Alt+Down move the selected item."
            )
        )
        self.tabs = QTabWidget()
        title = Field("title", _("&Title:"))
        self.steps = ItemListEditor(
            document,
            Step,
            [
                title,
                Field("minutes", _("Ti&mebox:"), "minutes"),
                Field("body", _("Text for the &room:"), "text"),
                Field("notes", _("&Notes for you:"), "text"),
            ],
            noun="step",
            make=_new_step,
            label=_step_label,
            hideable=True,
        )
        self.terms = ItemListEditor(
            document,
            Term,
            [
                Field("name", _("&Name:")),
                Field("rung", _("On the &ladder:"), "choice", _rung_choices),
                Field("what", _("&What it is:"), "text"),
                Field("what_not", _("What it is &not:"), "text"),
                Field("differs", _("How it &differs:"), "text"),
                Field("example", _("An &example:"), "text"),
            ],
            noun="definition",
            make=None,
            label=lambda e: e.name,  # type: ignore[attr-defined]
        )
        self.scenarios = ItemListEditor(
            document,
            Scenario,
            [
                title,
                Field("text", _("The &story:"), "text"),
                Field("answer", _("The &answer:"), "choice", _term_choices),
                Field("explanation", _("&Why:"), "text"),
            ],
            noun="scenario",
            make=lambda s: Scenario(
                id=new_id(),
                title=_("New scenario"),
                answer=s.terms[0].key if s.terms else "",
                position=s.next_position(Scenario),
                key=new_key(),
            ),
            label=lambda e: e.title,  # type: ignore[attr-defined]
            removes_with=lambda s, e: _votes_on(s, scenario_question(e.ident[0])),
        )
        self.readiness = ItemListEditor(
            document,
            ReadinessItem,
            [title, Field("description", _("&Question:"), "text")],
            noun="condition",
            make=lambda s: ReadinessItem(
                id=new_id(), title=_("New condition"), position=s.next_position(ReadinessItem), key=new_key()
            ),
            label=lambda e: e.title,  # type: ignore[attr-defined]
            removes_with=lambda s, e: _votes_on(s, readiness_question(e.ident[0])),
        )
        self.criteria = ItemListEditor(
            document,
            Criterion,
            [title, Field("description", _("&Description:"), "text")],
            noun="criterion",
            make=lambda s: Criterion(
                id=new_id(), title=_("New criterion"), position=s.next_position(Criterion), key=new_key()
            ),
            label=lambda e: e.title,  # type: ignore[attr-defined]
            removes_with=_with_matrix_cells(remove_criterion),
        )
        self.stages = ItemListEditor(
            document,
            Stage,
            [title, Field("description", _("&Description:"), "text")],
            noun="stage",
            make=lambda s: Stage(
                id=new_id(), title=_("New stage"), position=s.next_position(Stage), key=new_key()
            ),
            label=lambda e: e.title,  # type: ignore[attr-defined]
            removes_with=_with_matrix_cells(remove_stage),
        )
        matrix = QWidget()
        matrix_layout = QVBoxLayout(matrix)
        for caption, editor in ((_("Criteria (rows)"), self.criteria), (_("Stages (columns)"), self.stages)):
            label = QLabel(caption)
            label.setObjectName("sectionLabel")
            matrix_layout.addWidget(label)
            matrix_layout.addWidget(editor, 1)
        self.tabs.addTab(self.steps, _("&Steps"))
        self.tabs.addTab(self.terms, _("&Definitions"))
        self.tabs.addTab(self.scenarios, _("S&cenarios"))
        self.tabs.addTab(self.readiness, _("&Readiness"))
        self.tabs.addTab(matrix, _("&Matrix"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addWidget(self.tabs, 1)
