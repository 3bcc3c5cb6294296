"""The assessment matrix step: the room rates each box, the facilitator reveals, the
heat map shows where power sits, and the ratings place the work on the ladder.

One widget serves both screens. In the facilitator's window (`audience=False`) it
has the controls: how the room votes, the entry of votes in each mode, reveal and
hide, the placement with the room's answer and the agreed position, and the editing
of rows, columns and scale. In the audience view (`audience=True`) it is the
projected picture only: no controls, no one's own ratings, and no result a box has
before the facilitator reveals it (see `MatrixModel.view_of`).

Voting modes (`MatrixSettings.mode`):

- Show of hands: select a box, type how many chose each point, Enter saves and
  moves on. Only counts (`Tally`) are stored.
- Named: choose a participant, then rate boxes with the number keys; one `Vote`
  per person and box. Delete withdraws.
- Secret ballot: each voter chooses their name at the laptop and sees only their
  own ratings; Done hands the laptop back. The document's ballot (`domain.voting.Ballot`)
  keeps who chose what in memory while it is open; the file keeps "has voted" apart from
  counts by side, and nothing goes on the undo stack.
- Anonymous: like a secret ballot with no name asked; every rating only moves a count.

Every rule (who may vote, what a box may show, when) is the domain's: this widget asks
`domain.voting` and the document, and keeps only what is on screen.

Changing mode keeps every vote already cast, and they all still count. Going to
anonymous while named ratings exist asks first whether to turn them into counts
(dropping the names) or to keep them; it never drops names silently.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, QTimer
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ....domain.changes import ChangeSet
from ....domain.errors import KnownError
from ....domain.i18n import N_, _, ngettext
from ....domain.matrix import (
    Edit,
    MatrixResults,
    check_rating,
    classify_results,
    counted_hands,
    named_votes_in_matrix,
    placement_votes,
    rate,
    reveal,
    set_agreed,
    set_hands,
    set_mode,
    set_placement_votes,
)
from ....domain.model import Participant, Vote, VotingMode
from ....domain.voting import is_rating, question_family, who_has_voted
from ...common.roompager import RoomPagerWidget, text_block
from ...common.widgets import hint_label
from ...document import SessionDocument
from .editor import MatrixEditorWidget
from .matrixmodel import AVERAGES, QUESTION_ROLE, ROLES, MatrixModel, MatrixView
from .panels import HandsEditor, PlacementPanel, ScaleLegendWidget, TextLine, scroll_page

SECONDARY_DELAY_MS = 40


def _secret_voter_text(name: str, votes: int) -> str:
    """A name in the secret ballot's list: a ✓ and the words "has voted" (a sign and words, not
    a colour) by each who has voted."""
    return _("✓ {name} (has voted)").format(name=name) if votes else name


def _where(cell: object) -> str:
    """A box by its row and column: "Sharing power · Delivery"."""
    return _("{row} · {column}").format(row=cell.criterion.title, column=cell.stage.title)  # type: ignore[attr-defined]


FOCUS_KEY = "matrix"  # the box under discussion, shared with the audience view
DISPLAY_KEY = "matrix-display"  # what the boxes show: averages or the role split

MODE_LABELS = {
    VotingMode.SHOW_OF_HANDS: N_("Show of hands: I type the counts"),
    VotingMode.NAMED: N_("Named: one rating per person"),
    VotingMode.SECRET: N_("Secret ballot at the laptop"),
    VotingMode.ANONYMOUS: N_("Anonymous ballot: counts only"),
}

MODE_UNDO_TEXTS = {
    VotingMode.SHOW_OF_HANDS: N_("Vote by show of hands"),
    VotingMode.NAMED: N_("Vote with names"),
    VotingMode.SECRET: N_("Vote by secret ballot"),
    VotingMode.ANONYMOUS: N_("Vote by anonymous ballot"),
}

BALLOT_MODES = (VotingMode.SECRET, VotingMode.ANONYMOUS)

# Pages of the entry stack, by mode.
PAGE = {
    VotingMode.SHOW_OF_HANDS: 0,
    VotingMode.NAMED: 1,
    VotingMode.SECRET: 2,
    VotingMode.ANONYMOUS: 3,
}


# The least number of the grid's rows in the facilitator's view (tests/ui/workshop/test_laptop_fit.py).
MIN_GRID_ROWS = 3


def _closing_hints_height(layout: QLayout | None, width: int) -> int:
    """The height of the guidance (`hint_label`s) that closes a page, below its last control:
    the part of a page that may scroll out of sight on a short screen."""
    if layout is None:
        return 0
    total = 0
    for number in range(layout.count() - 1, -1, -1):
        item = layout.itemAt(number)
        if item is None or item.spacerItem() is not None:
            continue
        widget = item.widget()
        if not isinstance(widget, QLabel) or widget.objectName() != "hint" or widget.isHidden():
            break
        total += widget.heightForWidth(width) + max(layout.spacing(), 0)
    return total


class MatrixGridBlock(QWidget):
    """The key and the grid as one block of the room's pages, as tall as its rows need."""

    def __init__(self, legend: QWidget, view: MatrixView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("matrixGrid")
        self.legend = legend
        self.view = view
        self.row_px = 96
        # No layout: a layout's height-for-width would stand in for this widget's own.
        legend.setParent(self)
        view.setParent(self)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_type_scale(self, factor: float) -> None:
        from ...presenter.roomstyle import px_at

        cell = px_at("cell", factor)
        # A box holds its figure and two lines under it at the room's cell size.
        self.row_px = round(cell * 3.4)
        self.view.set_room_type(cell, px_at("small", factor))
        self.updateGeometry()

    def _grid_height(self) -> int:
        model = self.view.model()
        rows = model.rowCount() if model is not None else 0
        header = self.view.horizontalHeader().sizeHint().height()
        return header + rows * self.row_px + 2 * self.view.frameWidth() + 2

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return self.legend.heightForWidth(width) + 10 + self._grid_height()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(800, self.heightForWidth(max(self.width(), 800)))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(200, self.heightForWidth(max(self.width(), 800)))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        width = self.width()
        key = self.legend.heightForWidth(width)
        self.legend.setGeometry(0, 0, width, key)
        self.view.setGeometry(0, key + 10, width, max(self.height() - key - 10, 0))


class MatrixWidget(QWidget):
    """The matrix step, for the facilitator (`audience=False`) or the projector (`audience=True`)."""

    def __init__(self, document: SessionDocument, *, audience: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.audience = audience
        self.setObjectName("matrixAudience" if audience else "matrixConsole")
        self.model = MatrixModel(document, audience=audience, parent=self)
        self.view = MatrixView(audience=audience)
        self.view.setModel(self.model)
        self.legend = ScaleLegendWidget(audience=audience)
        # The key runs from the lowest rating on the left, as the grid's stages run in time
        # order (MatrixView): both keep left to right in a right-to-left language.
        self.legend.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        # The room's placement is a hidden panel the room's blocks copy; the console's is built
        # the first time its tab (or anything else) asks for it, as is the editor: opening the
        # step pays for the grid and the voting controls only.
        self._placement: PlacementPanel | None = PlacementPanel(audience=True) if audience else None
        self._editor: MatrixEditorWidget | None = None
        self._type_factor = 1.0
        self._placement_shown: object = None
        # Whose ratings the facilitator is entering in named mode (a participant id).
        self.named_voter_id = ""
        self.ballots_done = 0
        self._last_box = (0, 1)

        if audience:
            self._build_audience()
        else:
            self._build_console()
        # The placement panel and the progress lines are redrawn a moment after the last
        # change, not on every key: the box itself shows a vote at once, and a quick run of
        # votes costs one relayout of the text around the grid instead of one per key.
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(SECONDARY_DELAY_MS)
        self._later.timeout.connect(self._refresh_secondary)
        self.model.placement_inputs_changed.connect(self._later.start)
        self.model.modelReset.connect(self._structure_changed)
        document.changed.connect(self._changed)
        document.focus_changed.connect(self._focus_changed)
        document.ballot_changed.connect(self._ballot_changed)
        self._focus_changed(DISPLAY_KEY)
        self._structure_changed()
        self._focus_changed(FOCUS_KEY)

    # --- building -----------------------------------------------------------------

    def _build_audience(self) -> None:
        # The room cannot scroll: the grid (with its key) is one block and each part of the
        # placement another, in pages of whole blocks; the clicker turns them.
        self.grid_block = MatrixGridBlock(self.legend, self.view)
        self.pager = RoomPagerWidget()
        self.pager.setAccessibleName(_("Assessment matrix and where it places us"))
        self.placement.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pager, 1)
        self.pager.set_blocks([self.grid_block])
        self._room_shape: list[tuple[str, bool, bool]] = []
        self._room_labels: list[QLabel] = []

    @property
    def placement(self) -> PlacementPanel:
        """The placement on the ladder (the console's is made on first use)."""
        if self._placement is None:
            self._placement = self._make_placement()
        return self._placement

    @property
    def editor(self) -> MatrixEditorWidget:
        """The editor of rows, columns and scale (made on first use)."""
        if self._editor is None:
            self._editor = MatrixEditorWidget(self.document, report=self.say)
            self._editor_scroll.setWidget(self._editor)
        return self._editor

    def _make_placement(self) -> PlacementPanel:
        panel = PlacementPanel(audience=False)
        panel.set_type_scale(self._type_factor)
        panel.agree_changed.connect(self._room_answered)
        panel.agreed_recorded.connect(self._agreed_recorded)
        self._placement_scroll.setWidget(panel)
        self._placement = panel
        self._placement_shown = None
        self._refresh_placement()
        matrix = self.document.session.matrix
        panel.load_agreed(matrix.agreed_rung, matrix.agreed_reason)
        return panel

    def set_type_scale(self, factor: float) -> None:
        """The room's type in proportion to the projector (1.0 for a 1080-line screen)."""
        self._type_factor = factor
        self.legend.set_type_scale(factor)
        if self._placement is not None:
            self._placement.set_type_scale(factor)
        if self.audience:
            self.grid_block.set_type_scale(factor)
            self._placement_shown = None
        self._refresh_placement()  # the rules are rich text sized when written

    def _fill_room_placement(self) -> None:
        """The placement as the room's blocks: copies of what the panel would show."""
        panel = self.placement
        # (text, object name, bold, keep with next) of each block under the grid.
        wanted: list[tuple[str, str, bool, bool]] = [(panel.heading.text(), "roomHeading", False, True)]
        classification = panel.classification
        if panel.waiting.isVisibleTo(panel):
            wanted.append((panel.waiting.text(), "roomText", False, False))
        elif classification is not None:
            wanted.append((panel.rung.text(), "toolTitle", False, False))
            wanted.append((panel.reason.text(), "roomText", False, False))
            for rule in classification.rules:
                if rule.held:
                    text = _("✔ holds: {rule}").format(rule=rule.text)
                else:
                    text = _("✘ does not hold: {rule}").format(rule=rule.text)
                places = rule.rung == classification.rung
                if places:
                    text = _("▶ {rule} This places the work.").format(rule=text)
                wanted.append((text, "rulesText", places, False))
            if panel.note.text():
                wanted.append((panel.note.text(), "hint", False, False))
        for label in (panel.split, panel.room, panel.agreed):
            if label.isVisibleTo(panel) and label.text():
                wanted.append((label.text(), "roomText", False, False))
        shape = [(name, bold, keep) for _text, name, bold, keep in wanted]
        if shape == self._room_shape:
            # The same blocks with new words (a vote moved a figure): the labels are kept and
            # only their text changes, so the grid above them is not laid out and repainted again.
            changed = False
            for label, (text, *_rest) in zip(self._room_labels, wanted, strict=True):
                if label.text() != text:
                    label.setText(text)
                    changed = True
            if changed:
                self.pager.repaginate(force=True)
            return
        labels: list[QLabel] = []
        for text, name, bold, keep in wanted:
            block = text_block(text, name, keep_with_next=keep)
            if bold:
                font = block.font()
                font.setBold(True)
                block.setFont(font)
            labels.append(block)
        self._room_shape = shape
        self._room_labels = labels
        self.pager.set_blocks([self.grid_block, *labels], keep_page=True)

    def _build_console(self) -> None:
        self.mode_combo = QComboBox()
        self.mode_combo.setAccessibleName(_("How the room votes"))
        for mode, label in MODE_LABELS.items():
            self.mode_combo.addItem(_(label), mode.value)
        mode_label = QLabel(_("&How the room votes:"))
        mode_label.setBuddy(self.mode_combo)
        self.mode_label = mode_label
        self.mode_combo.activated.connect(self._mode_chosen)

        self.reveal_box_button = QPushButton(_("Reveal box (R)"))
        self.reveal_box_button.setAccessibleName(_("Reveal or hide the selected box"))
        self.reveal_box_button.clicked.connect(self.toggle_reveal_box)
        self.reveal_row_button = QPushButton(_("Reveal row (Shift+R)"))
        self.reveal_row_button.setAccessibleName(_("Reveal or hide the selected row"))
        self.reveal_row_button.clicked.connect(self.toggle_reveal_row)
        self.reveal_all_button = QPushButton(_("Reveal &all"))
        self.reveal_all_button.setAccessibleName(_("Reveal every box (Ctrl+Shift+R)"))
        self.reveal_all_button.clicked.connect(lambda: self.reveal_all(True))
        self.hide_all_button = QPushButton(_("Hi&de all"))
        self.hide_all_button.setAccessibleName(_("Hide every box again"))
        self.hide_all_button.clicked.connect(lambda: self.reveal_all(False))
        self.display_button = QPushButton(_("Show role split (S)"))
        self.display_button.setCheckable(True)
        self.display_button.setAccessibleName(
            _("Show the split between lived experience and staff in every box")
        )
        self.display_button.toggled.connect(lambda on: self.show_display(ROLES if on else AVERAGES))
        self.status = TextLine()
        self.status.setAccessibleName(_("What just happened"))

        top = QHBoxLayout()
        top.addWidget(mode_label)
        top.addWidget(self.mode_combo)
        top.addStretch(1)
        top.addWidget(self.display_button)
        # The reveal buttons get a row of their own, so no label is cut short on a laptop.
        reveals = QHBoxLayout()
        reveals.addStretch(1)
        for button in (
            self.reveal_box_button,
            self.reveal_row_button,
            self.reveal_all_button,
            self.hide_all_button,
        ):
            reveals.addWidget(button)

        self.view.digit_pressed.connect(self._digit)
        self.view.withdraw_pressed.connect(self._withdraw)
        self.view.enter_pressed.connect(self._enter)
        self.view.reveal_box_pressed.connect(self.toggle_reveal_box)
        self.view.reveal_row_pressed.connect(self.toggle_reveal_row)
        self.view.reveal_all_pressed.connect(lambda: self.reveal_all(True))
        self.view.display_pressed.connect(lambda: None if self.ballot_open else self.display_button.toggle())
        self.view.selectionModel().currentChanged.connect(self._current_changed)

        self.entry = QStackedWidget()
        # Each page goes into its scroll area while still empty (see scroll_page).
        self.hands = HandsEditor(scrolled=True)
        self.hands.committed.connect(self._hands_committed)
        self.hands.cancelled.connect(lambda: self.view.setFocus())
        assert self.hands.scroll_area is not None
        hands = self.hands.scroll_area
        for page in (hands, self._make_named_page(), self._make_secret_page(), self._make_anonymous_page()):
            self.entry.addWidget(page)
        voting = self.voting = QWidget()
        voting_layout = QVBoxLayout(voting)
        voting_layout.addWidget(self.entry)
        voting_layout.addWidget(self.status)
        # The voting tab's margins are closer where the grid is short of rows (_tighten_voting).
        self._voting_tight = False
        self._roomy_voting = (voting_layout.contentsMargins(), voting_layout.spacing())

        placement_scroll = self._placement_scroll = QScrollArea()
        placement_scroll.setWidgetResizable(True)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Matrix tools"))
        self.tabs.tabBar().setAccessibleName(_("Matrix tools: voting, placement, rows and columns"))
        self.tabs.addTab(voting, _("&Voting"))
        self.tabs.addTab(placement_scroll, _("&Placement on the ladder"))
        # The editor in a scroll area of its own, as the placement: its wide rows would
        # otherwise hold the whole step wider than a laptop's middle column.
        editor_scroll = self._editor_scroll = QScrollArea()
        editor_scroll.setWidgetResizable(True)
        editor_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.tabs.addTab(editor_scroll, _("Rows, columns and &scale"))

        grid = self._grid = QWidget()
        grid_layout = QVBoxLayout(grid)
        grid_layout.setContentsMargins(0, 0, 0, 0)
        grid_layout.addWidget(self.legend)
        grid_layout.addWidget(self.view, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(grid)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(reveals)
        layout.addWidget(self.splitter, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if not self.audience:
            self._fit_tools()

    def _fit_tools(self) -> None:
        """The voting tab never squeezed below what its page needs at this width (on a small
        laptop its counts and hints were cut); the grid takes the rest. Where that would leave
        the grid fewer than MIN_GRID_ROWS whole rows (a 1280×720 laptop with the agenda and the
        notes beside it), the page gives up the room its closing guidance takes, and no more:
        that text is scrolled to, every control and count stays in view."""
        page = self.entry.currentWidget()
        while isinstance(page, QScrollArea | QStackedWidget):
            page = page.widget() if isinstance(page, QScrollArea) else page.currentWidget()
        layout = page.layout() if page is not None else None
        if layout is not None:
            # Its height for a width is cached, and not told of fields made a moment ago in a
            # layout inside it (a new scale's counts) until the layouts settle: ask afresh.
            layout.invalidate()
        width = max(self.tabs.width() - 24, 200)
        entry = layout.totalHeightForWidth(width) if layout is not None else 0
        status = self.status.heightForWidth(width) if self.status.hasHeightForWidth() else 0
        extra = self.tabs.tabBar().sizeHint().height() + status + 48
        need = max(150, entry + extra)
        room = self.splitter.height() - self.splitter.handleWidth() - self._grid_height_for(MIN_GRID_ROWS)
        short = room < need
        if short:
            # First the tab's margins closer round the page; if that is not enough, the guidance
            # wholly below the fold too, never a line cut in half (a show of hands' counts and
            # buttons need both at 1280×720).
            need = max(150, entry + extra - self._tighten_voting(True))
            if room < need:
                need = max(150, need - _closing_hints_height(layout, width))
        else:
            self._tighten_voting(False)
        if need != self.tabs.minimumHeight():
            self.tabs.setMinimumHeight(need)

    def _tighten_voting(self, tight: bool) -> int:
        """The voting tab's margins and spacing: the style's, or closer (`tight`) on a short
        screen. Returns how many pixels of height the closer ones give the grid."""
        layout = self.voting.layout()
        assert layout is not None
        if not self._voting_tight:
            self._roomy_voting = (layout.contentsMargins(), layout.spacing())
        margins, spacing = self._roomy_voting
        top, bottom, between = min(margins.top(), 3), min(margins.bottom(), 3), min(spacing, 2)
        if tight and not self._voting_tight:
            layout.setContentsMargins(margins.left(), top, margins.right(), bottom)
            layout.setSpacing(between)
        elif not tight and self._voting_tight:
            layout.unsetContentsMargins()  # the style's own again, as when never tightened
            layout.setSpacing(-1)
        self._voting_tight = tight
        return margins.top() - top + margins.bottom() - bottom + spacing - between

    def _grid_height_for(self, rows: int) -> int:
        """How tall the key and the grid are with `rows` whole rows in view."""
        width = self._grid.width()
        key = self.legend.heightForWidth(width) if self.legend.hasHeightForWidth() else self.legend.height()
        grid_layout = self._grid.layout()
        spacing = max(grid_layout.spacing(), 0) if grid_layout is not None else 0
        header = self.view.horizontalHeader().sizeHint().height()
        row = self.view.verticalHeader().minimumSectionSize() + 1  # (a stretched row is a pixel more)
        return key + spacing + header + rows * row + 2 * self.view.frameWidth()

    def _tab_changed(self, index: int) -> None:
        """Give the placement and the editor room to breathe; voting needs the grid most."""
        if index == 1:
            self.placement  # noqa: B018 - made on first showing
        elif index == 2:
            self.editor  # noqa: B018 - made on first showing
        total = sum(self.splitter.sizes())
        share = 0.25 if index == 0 else 0.5
        self.splitter.setSizes([int(total * (1 - share)), int(total * share)])

    def _make_named_page(self) -> QScrollArea:
        page = QWidget()
        area = scroll_page(page)
        self.named_combo = QComboBox()
        self.named_combo.setAccessibleName(_("Whose ratings you are entering"))
        self.named_combo.currentIndexChanged.connect(lambda _arg: self._named_voter_changed())
        label = QLabel(_("Ratings &for:"))
        label.setBuddy(self.named_combo)
        previous = QPushButton(_("◀ Previous person (Alt+←)"))
        previous.setAccessibleName(_("Previous participant"))
        previous.clicked.connect(lambda: self._step_person(-1))
        following = QPushButton(_("Next person (Alt+→) ▶"))
        following.setAccessibleName(_("Next participant"))
        following.clicked.connect(lambda: self._step_person(1))
        for keys, offset in (("Alt+Left", -1), ("Alt+Right", 1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=offset: self._named_shortcut(step))
        self.named_progress = TextLine()
        self.named_progress.setAccessibleName(_("How many boxes this person has rated"))
        hint = hint_label(
            _(
                "Select a box and press a number to rate it; the next box is selected for you. Delete "
                "withdraws a rating. Alt+→ moves to the next person. R reveals the box, Shift+R its row."
            )
        )
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.named_combo, 1)
        # The two buttons on a row of their own: beside the list they were cut on a laptop.
        steps = QHBoxLayout()
        steps.addWidget(previous)
        steps.addWidget(following)
        steps.addStretch(1)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addLayout(steps)
        layout.addWidget(self.named_progress)
        layout.addWidget(hint)
        layout.addStretch(1)
        return area

    def _make_secret_page(self) -> QScrollArea:
        self.secret_pages = QStackedWidget()
        area = scroll_page(self.secret_pages)
        # Each page into the stack before it is filled (see scroll_page), in its order.
        closed = QWidget()
        self.secret_pages.addWidget(closed)
        self.secret_combo = QComboBox()
        self.secret_combo.setAccessibleName(_("Choose your name"))
        label = QLabel(_("Next voter, choose &your name:"))
        label.setBuddy(self.secret_combo)
        self.secret_start = QPushButton(_("&Start my ballot"))
        self.secret_start.setAccessibleName(_("Start my secret ballot"))
        self.secret_start.clicked.connect(self.start_secret_ballot)
        self.secret_count = TextLine()
        self.secret_count.setAccessibleName(_("How many people have voted"))
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.secret_combo, 1)
        row.addWidget(self.secret_start)
        closed_layout = QVBoxLayout(closed)
        closed_layout.setContentsMargins(0, 0, 0, 0)
        closed_layout.addLayout(row)
        closed_layout.addWidget(self.secret_count)
        closed_layout.addStretch(1)

        open_page = QWidget()
        self.secret_pages.addWidget(open_page)
        self.secret_greeting = TextLine(bold=True)
        self.secret_greeting.setAccessibleName(_("Whose ballot this is"))
        self.secret_done = QPushButton(_("&Done: clear the screen for the next voter"))
        self.secret_done.setAccessibleName(_("Done: finish my ballot and clear the screen"))
        self.secret_done.clicked.connect(self.finish_ballot)
        hint = hint_label(
            _(
                "Only you see your ratings here. Press a number on each box; Delete takes a rating back. "
                "Nobody sees the results until the facilitator reveals them."
            )
        )
        open_layout = QVBoxLayout(open_page)
        open_layout.setContentsMargins(0, 0, 0, 0)
        open_layout.addWidget(self.secret_greeting)
        open_layout.addWidget(hint)
        open_layout.addWidget(self.secret_done)
        open_layout.addStretch(1)
        return area

    def _make_anonymous_page(self) -> QScrollArea:
        self.anonymous_pages = QStackedWidget()
        area = scroll_page(self.anonymous_pages)
        # Each page into the stack before it is filled (see scroll_page), in its order.
        closed = QWidget()
        self.anonymous_pages.addWidget(closed)
        self.anonymous_start = QPushButton(_("&Start an anonymous ballot"))
        self.anonymous_start.setAccessibleName(_("Start an anonymous ballot for the next voter"))
        self.anonymous_start.clicked.connect(self.start_anonymous_ballot)
        self.anonymous_count = TextLine()
        self.anonymous_count.setAccessibleName(_("How many anonymous ballots are finished"))
        hint = hint_label(
            _(
                "No name is asked and none is kept: each rating only adds to a count. "
                "To correct a count afterwards, switch to show of hands."
            )
        )
        closed_layout = QVBoxLayout(closed)
        closed_layout.setContentsMargins(0, 0, 0, 0)
        closed_layout.addWidget(self.anonymous_start)
        closed_layout.addWidget(self.anonymous_count)
        closed_layout.addWidget(hint)
        closed_layout.addStretch(1)

        open_page = QWidget()
        self.anonymous_pages.addWidget(open_page)
        greeting = QLabel(_("Your anonymous ballot. Your name is not asked and not kept."))
        greeting.setObjectName("sectionLabel")
        greeting.setWordWrap(True)
        self.anonymous_done = QPushButton(_("&Done: clear the screen for the next voter"))
        self.anonymous_done.setAccessibleName(_("Done: finish this anonymous ballot and clear the screen"))
        self.anonymous_done.clicked.connect(self.finish_ballot)
        hint_open = hint_label(
            _("Press a number on each box; Delete takes a rating back while your ballot is open.")
        )
        open_layout = QVBoxLayout(open_page)
        open_layout.setContentsMargins(0, 0, 0, 0)
        open_layout.addWidget(greeting)
        open_layout.addWidget(hint_open)
        open_layout.addWidget(self.anonymous_done)
        open_layout.addStretch(1)
        return area

    # --- state from the document ----------------------------------------------

    @property
    def mode(self) -> VotingMode:
        return self.document.session.matrix.mode

    @property
    def ballot_open(self) -> bool:
        """A voter is at the laptop (the document's ballot, the one place that knows)."""
        return self.document.ballot is not None

    @property
    def voter_id(self) -> str:
        """Whose ratings the grid shows: the open ballot's voter, or the named voter chosen."""
        ballot = self.document.ballot
        if ballot is not None:
            return ballot.voter_id
        return self.named_voter_id if self.mode is VotingMode.NAMED else ""

    def _ballot_changed(self, _open: bool) -> None:
        if not self.audience and not self.ballot_open:
            self.view.selectionModel().clearSelection()
            self.view.selectionModel().setCurrentIndex(
                QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate
            )
        if not self.audience:
            self._sync_voter()
        self._later.start()

    def _structure_changed(self) -> None:
        """Rows, columns, scale, participants or mode changed (or first showing)."""
        scale = self.document.session.matrix.scale
        self.legend.set_scale(scale, roles=self.model.display == ROLES)
        if not self.audience:
            self.hands.set_scale(scale)
            index = self.mode_combo.findData(self.mode.value)
            self.mode_combo.setCurrentIndex(index)
            self._fill_people()
            ballot = self.document.ballot
            if ballot is not None and self.mode is not ballot.mode:
                self.document.seal_ballot()
            self.entry.setCurrentIndex(PAGE[self.mode])
            self._fit_tools()
            self._sync_voter()
            self._restore_current()
            self._current_changed(self.view.currentIndex(), QModelIndex())
            if self._placement is not None:
                self._placement.load_agreed(
                    self.document.session.matrix.agreed_rung, self.document.session.matrix.agreed_reason
                )
        self._refresh_placement()

    def _restore_current(self) -> None:
        """Keep the selected box across a reset of the model, as far as it still exists."""
        if self.view.currentIndex().isValid() or self.model.rowCount() < 2:
            return
        if self.mode in BALLOT_MODES and not self.ballot_open:
            return  # between voters nothing is selected
        row = min(self._last_box[0], self.model.rowCount() - 2)
        column = min(max(self._last_box[1], 1), self.model.columnCount() - 2)
        self.view.setCurrentIndex(self.model.index(row, column))

    def _fill_people(self) -> None:
        people = self.document.session.participants
        voted = who_has_voted(self.document.session, self.model.all_questions())
        names = [person.name for person in people]
        # The secret ballot's list with each who has voted marked as they are added (what
        # _mark_secret_voters_text gives), not marked over again one by one afterwards.
        marked = [_secret_voter_text(person.name, voted.get(person.id, 0)) for person in people]
        for combo, texts in ((self.named_combo, names), (self.secret_combo, marked)):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for text, person in zip(texts, people, strict=True):
                combo.addItem(text, person.id)
            found = combo.findData(current)
            combo.setCurrentIndex(found if found >= 0 else (0 if people else -1))
            combo.blockSignals(False)
        chosen = str(self.secret_combo.currentData() or "")
        if not self.ballot_open and self.mode is VotingMode.SECRET and voted.get(chosen, 0):
            self._pick_next_secret_voter(voted)
        self._update_secret_count(voted)

    def _changed(self, changes: ChangeSet) -> None:
        # The room's answer to the placement is a count of hands on its own question.
        if any(question_family(q) == "placement" for q in changes.questions):
            self._later.start()
        if self.audience:
            return
        if changes.questions and changes.origin is not self:
            self._reread_mine()
        if changes.questions:
            self._later.start()
            self._update_reveal_buttons()
            if self.mode is VotingMode.SHOW_OF_HANDS and changes.origin is not self:
                self._load_hands(self.view.currentIndex())
        if changes.touches(Participant) or (changes.questions and self.mode is VotingMode.SECRET):
            self._fill_people()

    def _reread_mine(self) -> None:
        """Someone else (an undo, a phone) changed votes: show what the voter holds now."""
        mine = self._mine()
        if mine != self.model.mine:
            changed = set(mine.items()) ^ set(self.model.mine.items())
            self.model.mine = mine
            for question in {question for question, _other in changed}:
                self.model.invalidate(question)

    def _mine(self) -> dict[str, int]:
        """The ratings of whoever is voting now, from the ballot or the named votes."""
        ballot = self.document.ballot
        if ballot is not None:
            return {q: int(c) for q, c in ballot.choices.items() if is_rating(c)}
        if self.mode is VotingMode.NAMED and self.named_voter_id:
            session = self.document.session
            mine: dict[str, int] = {}
            for question in self.model.all_questions():
                vote = session.get(Vote, (question, self.named_voter_id))
                if vote is not None and is_rating(vote.choice):
                    mine[question] = int(vote.choice)
            return mine
        return {}

    def show_display(self, display: str) -> None:
        """What every box shows, here and on the projector: averages or the role split."""
        self.document.set_focus(DISPLAY_KEY, display)

    def _focus_changed(self, key: str) -> None:
        if key == DISPLAY_KEY:
            display = ROLES if self.document.focus(DISPLAY_KEY) == ROLES else AVERAGES
            if display != self.model.display:
                self.model.display = display
                self.model.refresh_cells()
                self.legend.set_scale(self.document.session.matrix.scale, roles=display == ROLES)
            if not self.audience:
                self.display_button.blockSignals(True)
                self.display_button.setChecked(display == ROLES)
                self.display_button.setText(
                    _("Show averages (S)") if display == ROLES else _("Show role split (S)")
                )
                self.display_button.blockSignals(False)
            return
        if key != FOCUS_KEY or not self.audience:
            return  # the console marks the box it is on by its selection
        question = self.document.focus(FOCUS_KEY)
        previous = self.model.index_of(self.model.focused_question)
        self.model.focused_question = question
        for index in (previous, self.model.index_of(question)):
            if index.isValid():
                self.model.dataChanged.emit(index, index)

    def _refresh_secondary(self) -> None:
        self._refresh_placement()
        if not self.audience:
            self._update_named_progress()
            if self.mode is VotingMode.SECRET:
                self._update_secret_count()

    def settle(self) -> None:
        """Bring the text around the grid up to date now, rather than a moment later."""
        if self._later.isActive():
            self._later.stop()
            self._refresh_secondary()

    def _refresh_placement(self) -> None:
        if self._placement is None:
            return  # the console's panel is not made yet: it is filled when it is
        session = self.document.session
        model = self.model
        results = MatrixResults(
            tuple(model.criteria),
            tuple(model.stages),
            tuple(session.matrix.scale),
            tuple(tuple(row) for row in model.cells),
        )
        classification = classify_results(results)
        cells = list(results.all_cells())
        room = placement_votes(session, classification.rung) if classification is not None else (0, 0)
        shown = (
            classification,
            room,
            session.matrix,
            [(c.split, c.revealed, c.voters > 0) for c in cells],
        )
        if shown == self._placement_shown:
            return
        self._placement_shown = shown
        self.placement.show_placement(
            classification,
            cells,
            room,
            session.matrix.agreed_rung,
            session.matrix.agreed_reason,
            tuple(session.matrix.scale),
        )
        if not self.audience and classification is not None:
            self.placement.load_agreed(session.matrix.agreed_rung, session.matrix.agreed_reason)
        if self.audience:
            self._fill_room_placement()

    # --- edits ----------------------------------------------------------------------

    def say(self, text: str) -> None:
        if not self.audience:
            self.status.setText(text)

    def _apply(self, edits: list[Edit], text: str) -> bool:
        if not edits:
            return True
        done = self.document.apply(edits, text, origin=self)
        if not done:
            self.say(_("⚠ That could not be saved; see the message at the top of the window."))
        return done

    def _current_question(self) -> str:
        return str(self.view.currentIndex().data(QUESTION_ROLE) or "")

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.audience:
            return
        cell = self.model.cell_at(current)
        question = cell.question if cell is not None else ""
        if question:
            self._last_box = (current.row(), current.column())
        # During a ballot the room is not shown where the voter is.
        self.document.set_focus(FOCUS_KEY, "" if self.ballot_open else question)
        self._update_reveal_buttons()
        self._load_hands(current)

    def _load_hands(self, current: QModelIndex) -> None:
        if self.mode is not VotingMode.SHOW_OF_HANDS:
            return  # the counts' page is not shown; entering that mode loads it (_structure_changed)
        cell = self.model.cell_at(current)
        if cell is None:
            self.hands.load("", (0,) * self.model.points, 0)
            return
        title = _where(cell)
        self.hands.load(title, counted_hands(self.document.session, cell.question), cell.eligible)

    # --- voting modes -----------------------------------------------------------------

    def _mode_chosen(self, _index: int) -> None:
        mode = VotingMode(self.mode_combo.currentData())
        if not self.set_mode(mode):
            self.mode_combo.setCurrentIndex(self.mode_combo.findData(self.mode.value))

    def set_mode(self, mode: VotingMode, drop_names: bool | None = None) -> bool:
        """Change how the room votes. Going anonymous with named ratings in the matrix asks
        whether to drop their names (`drop_names` answers for the dialog). False if cancelled."""
        session = self.document.session
        if mode == session.matrix.mode:
            return True
        named = named_votes_in_matrix(session)
        if mode is VotingMode.ANONYMOUS and named:
            if drop_names is None:
                drop_names = self._ask_drop_names(named)
                if drop_names is None:
                    return False
        else:
            drop_names = False
        if self.ballot_open:
            self.document.seal_ballot()
        text = _(MODE_UNDO_TEXTS[mode])
        done = self._apply(set_mode(session, mode, drop_names=drop_names), text)
        if done and named and not drop_names and not mode.stores_people:
            self.say(
                ngettext(
                    "The {n} named rating already given is kept and still counts.",
                    "The {n} named ratings already given are kept and still count.",
                    named,
                ).format(n=named)
            )
        elif done and drop_names:
            self.say(
                ngettext(
                    "The {n} named rating is now a count; no name is kept with it.",
                    "The {n} named ratings are now counts; no names are kept with them.",
                    named,
                ).format(n=named)
            )
        return done

    def _ask_drop_names(self, named: int) -> bool | None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("Switch to an anonymous ballot"))
        box.setText(
            ngettext(
                "{n} rating in the matrix was given with a name.",
                "{n} ratings in the matrix were given with names.",
                named,
            ).format(n=named)
        )
        box.setInformativeText(
            _(
                "An anonymous ballot keeps no names. Turn those ratings into counts and drop the names, "
                "or keep them as they are?"
            )
        )
        drop = box.addButton(_("Drop the names"), QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton(_("Keep the names"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(drop)
        box.exec()
        if box.clickedButton() is drop:
            return True
        if box.clickedButton() is keep:
            return False
        return None

    def _digit(self, value: int) -> None:
        mode = self.mode
        if mode is VotingMode.SHOW_OF_HANDS:
            self.hands.start_typing(str(value))
            return
        if value >= self.model.points:
            self.say(_("⚠ The scale runs from 0 to {top}.").format(top=self.model.points - 1))
            return
        if mode in BALLOT_MODES and not self.ballot_open:
            self.say(_("⚠ Start a ballot first."))
            return
        self.rate_current(value)

    def _withdraw(self) -> None:
        if self.mode is VotingMode.SHOW_OF_HANDS or (self.mode in BALLOT_MODES and not self.ballot_open):
            return
        self.rate_current(None)

    def _enter(self) -> None:
        if self.mode is VotingMode.SHOW_OF_HANDS:
            self.hands.focus_first()

    def rate_current(self, value: int | None) -> bool:
        """Rate (or with None withdraw) the selected box for whoever is voting now."""
        cell = self.model.cell_at(self.view.currentIndex())
        if cell is None:
            return False
        question = cell.question
        session = self.document.session
        where = _where(cell)
        try:
            if self.ballot_open:
                if value is not None:
                    check_rating(session, value)
                done = self.document.cast(question, None if value is None else str(value))
            elif self.mode in BALLOT_MODES:
                self.say(_("⚠ Start a ballot first."))
                return False
            else:
                if not self.voter_id:
                    self.say(_("⚠ Choose whose ratings these are first."))
                    return False
                person = session.get(Participant, self.voter_id)
                name = person.name if person is not None else _("someone")
                if value is None:
                    text = _("Withdraw {box} for {name}").format(box=where, name=name)
                else:
                    text = _("Rate {box} for {name}").format(box=where, name=name)
                done = self._apply(rate(session, self.voter_id, question, value), text)
        except KnownError as exc:
            self.say(_("⚠ {problem}").format(problem=exc))
            return False
        if not done:
            self.say(_("⚠ That could not be saved; see the message at the top of the window."))
            return False
        # The voter's own rating changed in this box only: no need to read all of theirs again.
        mine = dict(self.model.mine)
        if value is None:
            mine.pop(question, None)
        else:
            mine[question] = value
        self.model.mine = mine
        self.model.invalidate(question)
        if value is not None:
            self.view.move_to_next_box()
        self._later.start()
        return True

    def _hands_committed(self, counts: list[int]) -> None:
        cell = self.model.cell_at(self.view.currentIndex())
        if cell is None:
            return
        try:
            edits = set_hands(self.document.session, cell.question, counts)
        except KnownError as exc:
            self.say(_("⚠ {problem}").format(problem=exc))
            return
        where = _where(cell)
        if self._apply(edits, _("Count hands for {box}").format(box=where)):
            hands = sum(counts)
            self.say(
                ngettext("Saved: {n} hand for {box}.", "Saved: {n} hands for {box}.", hands).format(
                    n=hands, box=where
                )
            )
            # Back to the grid on the next box: typing its first count opens the fields again.
            self.view.move_to_next_box()
            self.view.setFocus()

    # --- named voters and ballots ----------------------------------------------------

    def _named_voter_changed(self) -> None:
        if self.mode is VotingMode.NAMED:
            self.named_voter_id = str(self.named_combo.currentData() or "")
            self._sync_voter()

    def _named_shortcut(self, offset: int) -> None:
        if self.mode is VotingMode.NAMED:
            self._step_person(offset)

    def _step_person(self, offset: int) -> None:
        count = self.named_combo.count()
        if count:
            self.named_combo.setCurrentIndex((self.named_combo.currentIndex() + offset) % count)
            self.view.setFocus()

    def choose_person(self, participant_id: str) -> None:
        """Enter ratings for this participant (named mode)."""
        self.named_combo.setCurrentIndex(self.named_combo.findData(participant_id))

    def _sync_voter(self) -> None:
        """Show the ratings of whoever is voting now, and only theirs."""
        mode = self.mode
        if mode is VotingMode.NAMED:
            self.named_voter_id = str(self.named_combo.currentData() or "")
        self.model.mine = self._mine()
        self.model.refresh_cells()
        self._lock_for_ballot()
        self._update_named_progress()
        self.secret_pages.setCurrentIndex(1 if self.ballot_open and mode is VotingMode.SECRET else 0)
        self.anonymous_pages.setCurrentIndex(1 if self.ballot_open and mode is VotingMode.ANONYMOUS else 0)
        self.anonymous_count.setText(
            ngettext(
                "{n} anonymous ballot finished at this laptop so far.",
                "{n} anonymous ballots finished at this laptop so far.",
                self.ballots_done,
            ).format(n=self.ballots_done)
        )

    def _lock_for_ballot(self) -> None:
        """While a voter is at the laptop, the screen shows their ballot and nothing else:
        no reveal controls, no results, no other modes (hidden, not just greyed out)."""
        free = not self.ballot_open
        for widget in (
            self.mode_combo,
            self.mode_label,
            self.display_button,
            self.reveal_box_button,
            self.reveal_row_button,
            self.reveal_all_button,
            self.hide_all_button,
        ):
            widget.setEnabled(free)
            widget.setVisible(free)
        if not free:
            self.tabs.setCurrentIndex(0)
        for tab in (1, 2):
            self.tabs.setTabEnabled(tab, free)
            self.tabs.setTabVisible(tab, free)
        if free:
            self._update_reveal_buttons()

    def _update_named_progress(self) -> None:
        if self.audience:
            return
        total = len(self.model.all_questions())
        if self.mode is VotingMode.NAMED and self.voter_id:
            person = self.document.session.get(Participant, self.voter_id)
            name = person.name if person is not None else _("This person")
            self.named_progress.setText(
                ngettext(
                    "{name} has rated {n} of {total} box.", "{name} has rated {n} of {total} boxes.", total
                ).format(name=name, n=len(self.model.mine), total=total)
            )
        elif self.mode is VotingMode.NAMED:
            self.named_progress.setText(
                _("Add participants first (the Participants button), then rate for each.")
            )
        if self.ballot_open and self.mode is VotingMode.SECRET:
            person = self.document.session.get(Participant, self.voter_id)
            rated = len(self.model.mine)
            if person is not None:
                text = ngettext(
                    "{name}'s ballot: {n} of {total} box rated. Only you see these.",
                    "{name}'s ballot: {n} of {total} boxes rated. Only you see these.",
                    total,
                ).format(name=person.name, n=rated, total=total)
            else:
                text = ngettext(
                    "Your ballot: {n} of {total} box rated. Only you see these.",
                    "Your ballot: {n} of {total} boxes rated. Only you see these.",
                    total,
                ).format(n=rated, total=total)
            self.secret_greeting.setText(text)

    def _update_secret_count(self, voted: dict[str, int] | None = None) -> None:
        if self.audience:
            return
        if voted is None:  # who has voted: counted once over every vote, so passed on when known
            voted = who_has_voted(self.document.session, self.model.all_questions())
        people = self.document.session.count(Participant)
        self.secret_count.setText(
            ngettext(
                "{n} of {people} person has rated at least one box.",
                "{n} of {people} people have rated at least one box.",
                people,
            ).format(n=len(voted), people=people)
        )

    def start_secret_ballot(self, participant_id: str = "") -> bool:
        """Open the ballot of the chosen (or given) participant: the grid then shows only their ratings."""
        if participant_id:
            self.secret_combo.setCurrentIndex(self.secret_combo.findData(participant_id))
        voter = str(self.secret_combo.currentData() or "")
        if self.mode is not VotingMode.SECRET:
            return False
        return self._open_ballot(VotingMode.SECRET, voter)

    def start_anonymous_ballot(self) -> bool:
        if self.mode is not VotingMode.ANONYMOUS:
            return False
        return self._open_ballot(VotingMode.ANONYMOUS, "")

    def _open_ballot(self, mode: VotingMode, voter: str) -> bool:
        try:
            self.document.open_ballot(mode, voter)
        except KnownError as exc:
            self.say(_("⚠ {problem}").format(problem=exc))
            return False
        self.say("")
        if self.model.rowCount() > 1:
            self.view.setCurrentIndex(self.model.index(0, 1))
        self.view.setFocus()
        return True

    def finish_ballot(self) -> None:
        """Done: the voter hands the laptop back; what they chose is forgotten."""
        ballot = self.document.ballot
        if ballot is None:
            return
        was_secret = ballot.mode is VotingMode.SECRET
        self.document.seal_ballot()
        if not was_secret:
            self.ballots_done += 1
            self._sync_voter()
        self.say(_("Thank you. The screen is clear for the next voter."))
        if was_secret:
            self._fill_people()
            self._pick_next_secret_voter()
            self.secret_combo.setFocus()
        else:
            self.anonymous_start.setFocus()

    def _pick_next_secret_voter(self, voted: dict[str, int] | None = None) -> None:
        """Start the list on the first person who has not voted yet."""
        if voted is None:
            voted = who_has_voted(self.document.session, self.model.all_questions())
        for index in range(self.secret_combo.count()):
            if not voted.get(str(self.secret_combo.itemData(index)), 0):
                self.secret_combo.setCurrentIndex(index)
                break
        self._mark_secret_voters_text(voted)

    def _mark_secret_voters_text(self, voted: dict[str, int] | None = None) -> None:
        """A ✓ and the words "has voted" (a sign and words, not a colour) by each who has voted."""
        names = {p.id: p.name for p in self.document.session.participants}
        if voted is None:
            voted = who_has_voted(self.document.session, self.model.all_questions())
        for index in range(self.secret_combo.count()):
            person = str(self.secret_combo.itemData(index))
            self.secret_combo.setItemText(
                index, _secret_voter_text(names.get(person, ""), voted.get(person, 0))
            )

    # --- revealing -------------------------------------------------------------------

    def toggle_reveal_box(self) -> None:
        cell = self.model.cell_at(self.view.currentIndex())
        if cell is None or self.ballot_open:
            return
        where = _where(cell)
        shown = not cell.revealed
        text = _("Reveal {box}") if shown else _("Hide {box}")
        self._apply(reveal(self.document.session, [cell.question], shown), text.format(box=where))

    def toggle_reveal_row(self) -> None:
        row = self.view.currentIndex().row()
        if not 0 <= row < len(self.model.cells) or self.ballot_open:
            return
        cells = self.model.cells[row]
        shown = not all(cell.revealed for cell in cells)
        title = self.model.criteria[row].title
        questions = [cell.question for cell in cells]
        text = _("Reveal row {row}") if shown else _("Hide row {row}")
        self._apply(reveal(self.document.session, questions, shown), text.format(row=title))

    def reveal_all(self, shown: bool) -> None:
        if self.ballot_open:
            return
        edits = reveal(self.document.session, self.model.all_questions(), shown)
        self._apply(edits, _("Reveal every box") if shown else _("Hide every box"))

    def _update_reveal_buttons(self) -> None:
        cell = self.model.cell_at(self.view.currentIndex())
        self.reveal_box_button.setText(
            _("Hide box (R)") if cell is not None and cell.revealed else _("Reveal box (R)")
        )
        row = self.view.currentIndex().row()
        whole_row = 0 <= row < len(self.model.cells) and all(c.revealed for c in self.model.cells[row])
        self.reveal_row_button.setText(_("Hide row (Shift+R)") if whole_row else _("Reveal row (Shift+R)"))
        free = not self.ballot_open
        self.reveal_box_button.setEnabled(free and cell is not None)
        self.reveal_row_button.setEnabled(free and 0 <= row < len(self.model.cells))

    # --- placement ---------------------------------------------------------------------

    def _room_answered(self, agree: int, disagree: int) -> None:
        classification = self.placement.classification
        if classification is None:
            return
        edits = set_placement_votes(self.document.session, classification.rung, agree, disagree)
        self._apply(edits, _("The room's answer on {rung}").format(rung=_(classification.name)))

    def _agreed_recorded(self, rung: str, reason: str) -> None:
        try:
            edits = set_agreed(self.document.session, rung, reason)
        except KnownError as exc:
            self.say(_("⚠ {problem}").format(problem=exc))
            return
        if self._apply(edits, _("Record the agreed position")):
            self.say(_("The agreed position is recorded."))
