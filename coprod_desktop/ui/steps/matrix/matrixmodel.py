"""The matrix grid: its model, the delegate that paints a box, and the keyboard-driven view.

The model keeps one `CellResult` per box and, on each document change, recomputes
only the boxes the change touched and says so with `dataChanged`; a vote costs
one box, its row and column averages, never a reset. An average box is worked out
again at once and announced only if what it shows changed: one rating among sixty
seldom moves the average of a row, a column or the whole matrix by a tenth or its
colour by a shade, so a vote mostly repaints its own box alone (in the benchmark's
large session, 0.9 average boxes a vote on each screen instead of 3).

What a box may show is decided in one place, `MatrixModel.view_of`: before the
facilitator reveals a box it yields how many have voted and nothing else, in
every role the model answers, so no view (and no test) can find a hidden result.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QKeyEvent,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from ....domain import i18n, words
from ....domain import matrix as domain_matrix
from ....domain.changes import ChangeSet
from ....domain.matrix import (
    CellResult,
    average_text,
    cell_result,
    mean_and_count,
)
from ....domain.model import Criterion, MatrixSettings, Participant, Stage
from ....domain.voting import cell_question, results_visible
from ...common.plaintext import tooltip
from ...document import SessionDocument

Index = QModelIndex | QPersistentModelIndex

# What a box says is built afresh for each box a vote touches, in both views: the same few
# words and colours again and again. They are remembered here (per language for the words),
# which is most of what building a box's view cost; the results themselves are never kept.
_WORDS: dict[tuple[str, ...], str] = {}
_COLOURS: dict[float | str, str] = {}
# An average box's view by what it is made from: (language, label, mean, boxes counted, boxes, points).
_AVERAGE_VIEWS: dict[tuple[Any, ...], CellView] = {}


def _remembered(key: tuple[str, ...], make: Any) -> str:
    found = _WORDS.get(key)
    if found is None:
        if len(_WORDS) > 5_000:
            _WORDS.clear()
        found = _WORDS[key] = make()
    return found


def _(message: str) -> str:
    """`i18n._`, remembered per language."""
    return _remembered((i18n.current(), message), lambda: i18n._(message))


def ngettext(singular: str, plural: str, count: int) -> str:
    """`i18n.ngettext`, remembered per language and count."""
    return _remembered(
        (i18n.current(), singular, plural, str(count)), lambda: i18n.ngettext(singular, plural, count)
    )


def heat_colour(level: float) -> str:
    found = _COLOURS.get(level)
    if found is None:
        if len(_COLOURS) > 5_000:
            _COLOURS.clear()
        found = _COLOURS[level] = domain_matrix.heat_colour(level)
    return found


def text_colour_for(background: str) -> str:
    key = "on " + background
    found = _COLOURS.get(key)
    if found is None:
        found = _COLOURS[key] = domain_matrix.text_colour_for(background)
    return found


# A box's flags in the console (a room's boxes and the titles and averages have none).
_BOX_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_NO_FLAGS = Qt.ItemFlag.NoItemFlags

VIEW_ROLE = Qt.ItemDataRole.UserRole + 1  # the CellView of a box
QUESTION_ROLE = Qt.ItemDataRole.UserRole + 2  # the question of a box, "" elsewhere

HIDDEN_BACKGROUND = "#eceae4"
HIDDEN_TEXT = "#1a1a1a"
TITLE_TEXT = "#1d3557"
GRID_LINE = "#ffffff"
FOCUS_RING = "#e07a00"


@dataclass(frozen=True)
class CellView:
    """What one box of the grid shows: built by the model, painted by the delegate."""

    kind: str  # "title", "stage-average", "hidden", "result", "empty", "average", "corner"
    main: str = ""
    lines: tuple[str, ...] = ()
    background: str = ""
    foreground: str = HIDDEN_TEXT
    flag: str = ""  # a warning word with its symbol, e.g. "⚠ Views differ"
    mine: str = ""  # the current voter's own rating, console only
    accessible: str = ""
    pairs: tuple[tuple[str, str], ...] = ()  # (number, what it is), side by side: the role split
    short: str = ""  # the main text when no line fits under it, e.g. "7 of 12 voted"
    mine_short: str = ""  # the voter's own rating alone, for a badge in a narrow box

    @property
    def text(self) -> str:
        paired = " · ".join(
            _("{side} {value}").format(side=label, value=value) for value, label in self.pairs
        )
        return "\n".join(part for part in (self.main, paired, self.flag, *self.lines, self.mine) if part)


def spread_line(cell: CellResult) -> str:
    line = words.spread_text(cell.summary.spread)
    if cell.eligible and cell.voters < cell.eligible:
        line = _("{spread} · {n} of {people}").format(spread=line, n=cell.voters, people=cell.eligible)
    elif not cell.eligible:
        line = ngettext("{spread} · {n} vote", "{spread} · {n} votes", cell.voters).format(
            spread=line, n=cell.voters
        )
    return line


def progress_parts(voters: int, eligible: int) -> tuple[str, str, str]:
    """ "7 of 12" over "have voted", and "7 of 12 voted" where only one line fits."""
    if eligible and voters <= eligible:
        if voters == eligible:
            return (
                _("All {n}").format(n=eligible),
                ngettext("has voted ✓", "have voted ✓", eligible),
                ngettext("All {n} voted ✓", "All {n} voted ✓", eligible).format(n=eligible),
            )
        verb = ngettext("has voted", "have voted", voters)
        of = _("{n} of {people}").format(n=voters, people=eligible)
        return of, verb, _("{n} of {people} voted").format(n=voters, people=eligible)
    noun = ngettext("vote", "votes", voters)
    return str(voters), noun, ngettext("{n} vote", "{n} votes", voters).format(n=voters)


AVERAGES = "averages"
ROLES = "roles"


# While presenting, the console's and the room's models both follow each change: the box a
# vote touched is worked out once per change and shared ({document: (changes, {question: result})}).
_SHARED: weakref.WeakKeyDictionary[SessionDocument, tuple[ChangeSet, dict[str, CellResult]]] = (
    weakref.WeakKeyDictionary()
)


def shared_cell_result(
    document: SessionDocument, changes: ChangeSet, criterion_id: str, stage_id: str
) -> CellResult:
    """`cell_result` after `changes`, computed once for every model of `document`."""
    held = _SHARED.get(document)
    if held is None or held[0] is not changes:
        held = (changes, {})
        _SHARED[document] = held
    question = cell_question(criterion_id, stage_id)
    result = held[1].get(question)
    if result is None:
        result = held[1][question] = cell_result(document.session, criterion_id, stage_id)
    return result


def _one(value: float | None) -> str:
    return words.one_decimal(value)


class MatrixModel(QAbstractTableModel):
    """The matrix as a table: column 0 names the criterion, then one column per stage and a
    column of row averages; the last row holds the stage averages."""

    placement_inputs_changed = Signal()  # a revealed result, a reveal or the scale changed

    def __init__(
        self, document: SessionDocument, *, audience: bool = False, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.audience = audience
        self.criteria: list[Criterion] = []
        self.stages: list[Stage] = []
        self.cells: list[list[CellResult]] = []
        self._where: dict[str, tuple[int, int]] = {}
        # The voter whose own ratings the console shows: {question: rating}.
        self.mine: dict[str, int] = {}
        self.focused_question = ""
        self._views: dict[tuple[int, int], CellView] = {}  # what each box shows, until it changes
        self.display = AVERAGES  # or ROLES: the split between lived experience and staff
        self._load()
        document.changed.connect(self._changed)
        document.ballot_changed.connect(lambda _open: self.refresh_cells())

    @property
    def private(self) -> bool:
        """A ballot is open at the laptop: no box shows a result, here or on the projector."""
        return self.document.ballot is not None

    # --- loading --------------------------------------------------------------

    def _load(self) -> None:
        self._views.clear()
        # Every box at once: what cell_result gives each, with the people's sides worked out once.
        results = domain_matrix.matrix_results(self.document.session)
        self.criteria = list(results.criteria)
        self.stages = list(results.stages)
        self.cells = [list(row) for row in results.cells]
        self._where = {
            cell_question(criterion.id, stage.id): (row, column)
            for row, criterion in enumerate(self.criteria)
            for column, stage in enumerate(self.stages)
        }

    def reload(self) -> None:
        self.beginResetModel()
        self._load()
        self.endResetModel()
        self.placement_inputs_changed.emit()

    def _changed(self, changes: ChangeSet) -> None:
        if changes.touches(Criterion, Stage, MatrixSettings, Participant):
            self.reload()
            return
        touched = sorted({self._where[q] for q in changes.questions if q in self._where})
        revealed_touched = False
        for row, column in touched:
            before = self.cells[row][column]
            after = shared_cell_result(self.document, changes, before.criterion.id, before.stage.id)
            self.cells[row][column] = after
            # The placement reads revealed boxes, and the audience shows it only once every
            # box with votes is revealed: so a first vote in a hidden box matters too.
            revealed_touched = (
                revealed_touched
                or before.revealed
                or after.revealed
                or (before.voters > 0) != (after.voters > 0)
            )
            self._box_changed(row, column)
        self._averages_changed(touched)
        if revealed_touched:
            self.placement_inputs_changed.emit()

    def _box_changed(self, row: int, column: int) -> None:
        """Tell the views one box shows something new (built afresh when it is next painted)."""
        self._views.pop((row, column + 1), None)
        first = self.createIndex(row, column + 1)  # a box that exists: no bounds to ask for
        self.dataChanged.emit(first, first)

    def _averages_changed(self, boxes: list[tuple[int, int]]) -> None:
        """Work out again the averages `boxes` feed (each once, however many boxes changed)
        and tell the views about those whose box now shows something else."""
        last_row, last_column = self.average_row, self.average_column
        keys: set[tuple[int, int]] = set()
        for row, column in boxes:
            keys.update(((row, last_column), (last_row, column + 1), (last_row, last_column)))
        for key in sorted(keys):
            before = self._views.get(key)
            if before is not None:
                after = self._average_view(*key)
                if after == before:
                    continue  # the same words, figures and colour: nothing to repaint or to say
                self._views[key] = after
            # (Never built: it is, when it is first painted or asked for.)
            index = self.createIndex(*key)
            self.dataChanged.emit(index, index)

    def invalidate(self, question: str) -> None:
        """Show one box afresh (the voter's own rating there changed: the averages never show it)."""
        where = self._where.get(question)
        if where is not None:
            self._box_changed(*where)

    def refresh_cells(self) -> None:
        """Repaint every box (the voter, the ballot's privacy or the display changed)."""
        self._views.clear()
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    # --- shape --------------------------------------------------------------

    @property
    def average_row(self) -> int:
        return len(self.criteria)

    @property
    def average_column(self) -> int:
        return len(self.stages) + 1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() or not self.stages else len(self.criteria) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() or not self.criteria else len(self.stages) + 2

    def cell_at(self, index: Index) -> CellResult | None:
        if not index.isValid():
            return None
        row, column = index.row(), index.column() - 1
        if 0 <= row < len(self.criteria) and 0 <= column < len(self.stages):
            return self.cells[row][column]
        return None

    def index_of(self, question: str) -> QModelIndex:
        where = self._where.get(question)
        return QModelIndex() if where is None else self.createIndex(where[0], where[1] + 1)

    def questions_in_row(self, row: int) -> list[str]:
        return [cell.question for cell in self.cells[row]] if 0 <= row < len(self.cells) else []

    def all_questions(self) -> list[str]:
        return [cell.question for row in self.cells for cell in row]

    @property
    def points(self) -> int:
        return len(self.document.session.matrix.scale)

    def flags(self, index: Index) -> Qt.ItemFlag:
        # Asked for every box painted and every move: the flags are made once (see below).
        if not self.audience and index.isValid():
            row, column = index.row(), index.column() - 1
            if 0 <= row < len(self.criteria) and 0 <= column < len(self.stages):
                return _BOX_FLAGS
        return _NO_FLAGS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        if orientation == Qt.Orientation.Horizontal:
            if section == 0:
                return "" if role == Qt.ItemDataRole.DisplayRole else _("What we rate")
            if section == self.average_column:
                return _("Average")
            if 0 < section < self.average_column:
                return self.stages[section - 1].title
            return None
        if section == self.average_row:
            return _("Average")
        return str(section + 1)

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        if role == QUESTION_ROLE:
            cell = self.cell_at(index)
            return cell.question if cell is not None else ""
        if role not in (
            VIEW_ROLE,
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        view = self.view_at(index)
        if role == VIEW_ROLE:
            return view
        if role == Qt.ItemDataRole.DisplayRole:
            return view.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(view.accessible or view.text)
        return view.accessible or view.text

    # --- what each box shows ------------------------------------------------

    def view_at(self, index: Index) -> CellView:
        key = (index.row(), index.column())
        view = self._views.get(key)
        if view is None:
            view = self._views[key] = self._make_view(*key)
        return view

    def _make_view(self, row: int, column: int) -> CellView:
        if column == 0:
            if row == self.average_row:
                return CellView("stage-average", _("Average"), accessible=_("Average of each stage"))
            criterion = self.criteria[row]
            return CellView("title", criterion.title, accessible=criterion.title)
        if row == self.average_row or column == self.average_column:
            return self._average_view(row, column)
        return self.view_of(self.cells[row][column - 1])

    def view_of(self, cell: CellResult) -> CellView:
        where = _("{row}, {column}").format(row=cell.criterion.title, column=cell.stage.title)
        mine = mine_short = ""
        if not self.audience and cell.question in self.mine:
            mine_short = str(self.mine[cell.question])
            mine = _("You: {rating}").format(rating=mine_short)
        if not results_visible(self.document.session, cell.question, ballot=self.document.ballot):
            main, sub, short = progress_parts(cell.voters, cell.eligible)
            said = _("{box}: not revealed yet, {progress}").format(box=where, progress=cell.progress_text)
            if mine:
                said = _("{said}; your rating {rating}").format(said=said, rating=self.mine[cell.question])
            return CellView(
                "hidden",
                main,
                (sub,),
                HIDDEN_BACKGROUND,
                HIDDEN_TEXT,
                mine=mine,
                accessible=said,
                short=short,
                mine_short=mine_short,
            )
        if cell.mean is None:
            return CellView(
                "empty",
                _(words.NO_VOTES),
                (),
                HIDDEN_BACKGROUND,
                HIDDEN_TEXT,
                mine=mine,
                accessible=_("{box}: revealed, no votes").format(box=where),
                mine_short=mine_short,
            )
        background = heat_colour(cell.level or 0.0)
        flag = _(words.VIEWS_DIFFER) if cell.disagreement else ""
        shown = average_text(cell.mean, self.points)
        split = cell.split
        known = split.lived_experience is not None or split.professional is not None
        said = _("{box}: average {average}, {spread}").format(
            box=where, average=shown, spread=spread_line(cell)
        )
        if flag:
            said = _("{said}, {more}").format(said=said, more=_(words.VIEWS_DIFFER_SPOKEN))
        if split.lived_experience is not None:
            side = _("{side} {value}").format(side=_(words.LIVED_LONG), value=_one(split.lived_experience))
            said = _("{said}, {more}").format(said=said, more=side)
        if split.professional is not None:
            side = _("{side} {value}").format(side=_(words.STAFF), value=_one(split.professional))
            said = _("{said}, {more}").format(said=said, more=side)
        if mine:
            said = _("{said}; your rating {rating}").format(said=said, rating=mine_short)
        if self.display == ROLES and known:
            gap_line = words.gap_text(split.lived_experience, split.professional)
            lines = (gap_line,) if gap_line and cell.big_gap else ()
            pairs = (
                (_one(split.lived_experience), _(words.LIVED)),
                (_one(split.professional), _(words.STAFF)),
            )
            return CellView(
                "result", "", lines, background, text_colour_for(background), "", mine, said, pairs,
                mine_short=mine_short,
            )
        lines = (spread_line(cell),)
        if self.display == ROLES:
            lines = (_("no roles: counted hands"),)
        return CellView(
            "result",
            shown,
            lines,
            background,
            text_colour_for(background),
            flag,
            mine,
            said,
            mine_short=mine_short,
        )

    def _average_view(self, row: int, column: int) -> CellView:
        if row == self.average_row and column == self.average_column:
            cells = [cell for line in self.cells for cell in line]
            label = _("the whole matrix")
        elif row == self.average_row:
            cells = [line[column - 1] for line in self.cells]
            label = self.stages[column - 1].title
        else:
            cells = self.cells[row]
            label = self.criteria[row].title
        if self.private:
            return CellView(
                "corner", "", accessible=_("Average of {what}: hidden during the ballot").format(what=label)
            )
        mean, shown = mean_and_count(cells)
        # What an average box shows follows from these alone: the console's and the room's
        # models (and a later vote that gives the same figure) share one view of it.
        key = (i18n.current(), label, mean, shown, len(cells), self.points)
        found = _AVERAGE_VIEWS.get(key)
        if found is None:
            if len(_AVERAGE_VIEWS) > 5_000:
                _AVERAGE_VIEWS.clear()
            found = _AVERAGE_VIEWS[key] = self._made_average_view(label, mean, shown, len(cells))
        return found

    def _made_average_view(self, label: str, mean: float | None, shown: int, boxes: int) -> CellView:
        if mean is None:
            return CellView(
                "corner", "–", accessible=_("Average of {what}: nothing revealed yet").format(what=label)
            )
        background = heat_colour(mean / max(self.points - 1, 1))
        text = average_text(mean, self.points)
        lines = () if shown == boxes else (_("of {n} revealed").format(n=shown),)
        return CellView(
            "average",
            text,
            lines,
            background,
            text_colour_for(background),
            accessible=(
                ngettext(
                    "Average of {what}: {average}, from {n} revealed box",
                    "Average of {what}: {average}, from {n} revealed boxes",
                    shown,
                )
                if lines
                else _("Average of {what}: {average}")
            ).format(what=label, average=text, n=shown),
        )


# --- painting -----------------------------------------------------------------------------


_FITS: dict[tuple[str, bool, str, int, int, int, int], int] = {}
SIZE_STEPS = (9, 10, 11, 12, 13, 14, 16, 18, 20, 22, 24, 27, 30, 33, 36, 40, 44, 48, 54, 60, 66, 72, 81)


def _fit_pixel_size(font: QFont, text: str, width: float, height: float, largest: int, smallest: int) -> int:
    """The largest pixel size (between the bounds) at which `text` fits one line of the box.

    Remembered, since a repaint asks the same questions again and again."""
    key = (font.family(), font.bold(), text, int(width), int(height), largest, smallest)
    found = _FITS.get(key)
    if found is not None:
        return found
    probe = QFont(font)
    probe.setPixelSize(100)
    metrics = QFontMetrics(probe)
    # Type scales with its pixel size, so one measurement gives a close first guess.
    guess = int(
        min(width * 100 / max(metrics.horizontalAdvance(text), 1), height * 100 / max(metrics.height(), 1))
    )
    size = max(min(largest, guess + 1), smallest)
    while size > smallest:
        probe.setPixelSize(size)
        metrics = QFontMetrics(probe)
        if metrics.horizontalAdvance(text) <= width and metrics.height() <= height:
            break
        size -= 1
    # A few sizes only: each new size of type costs its glyphs being drawn afresh.
    size = max([step for step in SIZE_STEPS if step <= size] or [size])
    if len(_FITS) > 20_000:
        _FITS.clear()
    _FITS[key] = size
    return size


# Pictures of frames already drawn: {(width, height, pen, device scale): (picture, margin)}.
_FRAMES: dict[tuple[Any, ...], tuple[QImage, int]] = {}


def _pen_key(pen: QPen) -> tuple[Any, ...]:
    """What of a pen a frame's picture depends on."""
    return (
        (pen.style().value, pen.capStyle().value, pen.joinStyle().value, pen.isCosmetic()),
        pen.widthF(),
        pen.color().rgba(),
    )


_ANTIALIASING = QPainter.RenderHint.Antialiasing
_SOURCE_OVER = QPainter.CompositionMode.CompositionMode_SourceOver


def frame_picture(
    painter: QPainter, frame: QRect, pen: QPen, pen_key: tuple[Any, ...] | None = None
) -> tuple[QImage, int] | None:
    """A picture of `painter.drawRect(frame)` with `pen` and no brush, antialiased, to draw at
    `frame`'s top left less the margin; None where a picture would not give the very same
    pixels: unless the painter maps whole pixels to whole device pixels (any whole scale of
    high-DPI screens, no fractional one), draws antialiased and plainly (source over, opaque).

    Antialiasing is the same under a shift by whole pixels, and a frame over a transparent
    picture blends into the box as the frame itself would, so the pixels are the same; and
    drawing a picture costs a tenth of stroking a dashed frame (the dearest thing in a box:
    the room's boxes nearly all carry one when views differ).

    `pen_key` is `_pen_key(pen)`, given for a pen that never changes (`_frame_pen`): the boxes
    repainted after each vote ask again and again for the same few pens."""
    transform = painter.deviceTransform()
    scale = transform.m11()
    if (
        transform.isRotating()  # (a type beyond TxScale: a rotation, a shear or a projection)
        or scale != transform.m22()
        or scale < 1
        or scale != int(scale)
        or transform.dx() != int(transform.dx())
        or transform.dy() != int(transform.dy())
        or not painter.testRenderHint(_ANTIALIASING)
        or painter.compositionMode() != _SOURCE_OVER
        or painter.opacity() != 1.0
    ):
        return None
    key = (frame.width(), frame.height(), *(pen_key or _pen_key(pen)), int(scale))
    found = _FRAMES.get(key)
    if found is None:
        margin = int(pen.widthF()) + 2
        device = int(scale)
        picture = QImage(
            (frame.width() + 2 * margin) * device,
            (frame.height() + 2 * margin) * device,
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        picture.setDevicePixelRatio(device)
        picture.fill(0)
        drawing = QPainter(picture)
        drawing.setRenderHint(QPainter.RenderHint.Antialiasing)
        drawing.setPen(pen)
        drawing.setBrush(Qt.BrushStyle.NoBrush)
        drawing.drawRect(QRect(margin, margin, frame.width(), frame.height()))
        drawing.end()
        if len(_FRAMES) > 64:  # (a few sizes and pens a screen; a resize makes new ones)
            _FRAMES.clear()
        found = _FRAMES[key] = (picture, margin)
    return found


def draw_frame(painter: QPainter, frame: QRect, pen: QPen, pen_key: tuple[Any, ...] | None = None) -> None:
    """`painter.drawRect(frame)` with `pen` and no brush (the painter is left with both)."""
    painter.setPen(pen)
    painter.setBrush(_NO_BRUSH)
    found = frame_picture(painter, frame, pen, pen_key)
    if found is None:
        painter.drawRect(frame)
    else:
        picture, margin = found
        painter.drawImage(QPoint(frame.left() - margin, frame.top() - margin), picture)


def _elide_lines(metrics: QFontMetrics, text: str, width: int, lines: int) -> str:
    """`text` wrapped into at most `lines` lines of `width`, the last ending in "…" if it runs on."""
    words = text.split()
    made: list[str] = []
    while words and len(made) < lines - 1:
        line = words.pop(0)
        while words and metrics.horizontalAdvance(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        made.append(line)
    if words:
        made.append(metrics.elidedText(" ".join(words), Qt.TextElideMode.ElideRight, width))
    return "\n".join(made)


_SELECTED = QStyle.StateFlag.State_Selected
_NO_BRUSH = Qt.BrushStyle.NoBrush
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)
_HINTS = QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
# What a box is drawn with, made once: the boxes repainted after each vote ask for the same few.
# Shared and never changed (a painter copies the colour, pen or brush it is given).
_QCOLORS: dict[str, QColor] = {}
_PENS: dict[tuple[str, float, bool], tuple[QPen, tuple[Any, ...]]] = {}
_HATCH: list[QBrush] = []


def _qcolor(name: str) -> QColor:
    """The QColor of a colour's name ("#rrggbb")."""
    found = _QCOLORS.get(name)
    if found is None:
        if len(_QCOLORS) > 1_000:
            _QCOLORS.clear()
        found = _QCOLORS[name] = QColor(name)
    return found


def _frame_pen(colour: str, width: float, dashed: bool = False) -> tuple[QPen, tuple[Any, ...]]:
    """A pen of `colour` and `width`, solid or dashed, with its key for `frame_picture`."""
    key = (colour, width, dashed)
    found = _PENS.get(key)
    if found is None:
        if len(_PENS) > 256:
            _PENS.clear()
        pen = QPen(QColor(colour), width, Qt.PenStyle.DashLine) if dashed else QPen(QColor(colour), width)
        found = _PENS[key] = (pen, _pen_key(pen))
    return found


def _hatch() -> QBrush:
    """The hatching over a box with no result to show."""
    if not _HATCH:
        _HATCH.append(QBrush(QColor("#d6d2c8"), Qt.BrushStyle.BDiagPattern))
    return _HATCH[0]


# The voter's badges measured so far: {(type, box height, room, words, figure): (words, width, height, type)}.
_BADGES: dict[tuple[Any, ...], tuple[str, int, int, QFont] | None] = {}


def _ring_pen(scale: float) -> tuple[QPen, tuple[Any, ...]]:
    """The pen of the ring around the box in focus, at a view's type scale, with its key."""
    return _frame_pen(FOCUS_RING, max(3.0, 4 * scale))


class MatrixDelegate(QStyledItemDelegate):
    """Paints a box: the heat colour, the average in large type, the spread, the role
    split and a flag where views differ. Hidden boxes are hatched, so they never look
    like a low result, in colour or in greyscale."""

    def __init__(self, parent: QWidget | None = None, *, scale: float = 1.0) -> None:
        super().__init__(parent)
        self.scale = scale  # larger type in the audience view
        self.floor_px = 0  # the room's smallest type; 0: the laptop's floors
        self.title_px = 0  # the room's size for the criteria's names (they shrink to fit, to floor_px)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        return QSize(120, 64)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        model = index.model()
        # The model's own view of the box, asked directly (as index.data(VIEW_ROLE) would).
        view = model.view_at(index) if isinstance(model, MatrixModel) else index.data(VIEW_ROLE)
        if not isinstance(view, CellView):
            return
        rect = QRect(option.rect)
        painter.save()
        try:
            self._paint_view(painter, option, index, view, rect, model)
        finally:
            painter.restore()

    def _paint_view(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: Index,
        view: CellView,
        rect: QRect,
        model: object = None,
    ) -> None:
        painter.setRenderHints(_HINTS)
        base = option.font  # (a copy already)
        if view.kind in ("title", "stage-average"):
            self._paint_title(painter, rect, base, view)
        else:
            self._paint_box(painter, rect, base, view)
        if option.state & _SELECTED or self._is_focused(index, model):
            pen, key = _ring_pen(self.scale)
            inset = int(pen.widthF() / 2) + 1
            draw_frame(painter, rect.adjusted(inset, inset, -inset, -inset), pen, key)

    def _is_focused(self, index: Index, model: object = None) -> bool:
        """Whether this is the box the room is looking at (the console marks its own box by
        its selection, and has no focused question)."""
        model = model if model is not None else index.model()
        question = getattr(model, "focused_question", "")
        if not question:
            return False
        if isinstance(model, MatrixModel):
            cell = model.cell_at(index)
            return cell is not None and cell.question == question
        return bool(index.data(QUESTION_ROLE) == question)

    def _paint_title(self, painter: QPainter, rect: QRect, base: QFont, view: CellView) -> None:
        painter.fillRect(rect, QColor("#ffffff") if view.kind == "title" else QColor("#f4f2ec"))
        font = QFont(base)
        font.setBold(True)
        size = int(min(max(rect.height() * 0.3, 13), 30 * self.scale))
        size = max(size, self.title_px)  # the room's table-cell size, where the name fits it
        font.setPixelSize(size)
        area = rect.adjusted(10, 4, -8, -4)
        flags = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
        # Shrink until the wrapped title fits the box (never below the room's floor).
        size = max(size, self.floor_px)
        fits = False
        while size > max(11, self.floor_px):
            font.setPixelSize(size)
            bound = QFontMetrics(font).boundingRect(area, int(flags), view.main)
            if bound.height() <= area.height() and bound.width() <= area.width():
                fits = True
                break
            size -= 1
        painter.setFont(font)
        painter.setPen(QColor(TITLE_TEXT))
        text = view.main
        if not fits:
            # A short row (a small laptop screen): one line ending in "…" rather than lines cut
            # through the middle; the whole name is in the box's tooltip and accessible name.
            metrics = QFontMetrics(font)
            flags = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
            lines = max(1, area.height() // max(metrics.lineSpacing(), 1))
            if lines >= 2:
                flags |= Qt.TextFlag.TextWordWrap
                text = _elide_lines(metrics, view.main, area.width(), lines)
            else:
                text = metrics.elidedText(view.main, Qt.TextElideMode.ElideRight, area.width())
        painter.drawText(area, int(flags), text)
        painter.setPen(QPen(QColor("#c9c4b8"), 1))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())

    def _paint_box(self, painter: QPainter, rect: QRect, base: QFont, view: CellView) -> None:
        box = rect.adjusted(2, 2, -2, -2)
        if view.kind in ("hidden", "empty", "corner"):
            painter.fillRect(box, _qcolor(view.background or HIDDEN_BACKGROUND))
            painter.fillRect(box, _hatch())
        else:
            painter.fillRect(box, _qcolor(view.background))
        colour = _qcolor(view.foreground)
        if view.kind == "average":
            draw_frame(painter, box.adjusted(1, 1, -1, -1), *_frame_pen("#1a1a1a", 2))
        if view.flag:
            # A dashed frame as well as the sign and the words, so the flag survives greyscale.
            pen, key = _frame_pen(view.foreground, max(2.0, 3 * self.scale), dashed=True)
            draw_frame(painter, box.adjusted(3, 3, -3, -3), pen, key)
        inner = box.adjusted(8, 5, -8, -5)
        if view.mine:
            # The badge's strip is always kept clear: in a short box the centred average ran
            # under it (a laptop's "You: 3" covered the figure). In a narrow box the figure
            # comes first: the badge says only the rating, or (narrower still) nothing, the box's
            # tooltip and spoken name still saying it; a figure is never cut ("2.4" read ".4").
            badge = self._paint_mine(painter, box, inner, base, view)
            inner.setRight(inner.right() - badge)
        if view.pairs:
            self._paint_pairs(painter, inner, base, view, colour)
        else:
            self._paint_stack(painter, inner, base, view, colour)

    def _detail_floor(self) -> int:
        """The smallest type worth drawing: below it a line is left out rather than unreadable."""
        return self.floor_px or (18 if self.scale > 1 else 12)

    def _slots(self, inner: QRect, most: int) -> tuple[int, int, int]:
        """The type size of a detail line, its height, and how many (up to `most`) fit under a
        figure in a box this tall. It depends on the height alone, so every figure in the grid
        has one size."""
        floor = self._detail_floor()
        size = int(min(max(inner.height() * 0.2, floor), 24 * self.scale))
        line_height = int(size * 1.3)
        fits = 0
        while fits < most and inner.height() - (fits + 1) * line_height >= max(
            size * 1.5, inner.height() * 0.45
        ):
            fits += 1
        return size, line_height, fits

    def _paint_stack(
        self, painter: QPainter, inner: QRect, base: QFont, view: CellView, colour: QColor
    ) -> None:
        """The main figure with as many detail lines under it as fit legibly; the flag comes
        first, and if even it does not fit, its sign joins the figure. A second line only in
        tall boxes: the figure is what the back row must read."""
        size, line_height, fits = self._slots(inner, 2 if inner.height() >= 130 else 1)
        floor = self._detail_floor()
        font = QFont(base)
        lines = [
            line
            for line in [line for line in (view.flag, *view.lines) if line][:fits]
            if _fit_pixel_size(font, line, inner.width(), line_height, size, floor - 1) >= floor
        ]
        main = view.main
        if view.flag and view.flag not in lines:
            main = f"{main} ⚠" if main else "⚠"
        elif view.short and not lines:
            main = view.short
        reserve = fits * line_height
        main_rect = QRect(inner.left(), inner.top(), inner.width(), inner.height() - reserve)
        if not lines:
            main_rect.translate(0, reserve // 2)  # alone in its box: centred, at the same size
        self._draw_main(painter, main_rect, base, main, colour)
        for number, line in enumerate(lines):
            area = QRect(
                inner.left(), main_rect.bottom() + 1 + number * line_height, inner.width(), line_height
            )
            self._draw_lines(painter, area, base, [line], colour, largest=size)

    def _paint_pairs(
        self, painter: QPainter, inner: QRect, base: QFont, view: CellView, colour: QColor
    ) -> None:
        """Two figures side by side with what they are under each, then the gap if it is large
        and there is room for it. The labels always show: without them the figures mean nothing."""
        size, line_height, fits = self._slots(inner, 2)
        footer = view.lines[0] if view.lines and fits >= 2 else ""
        figure_height = inner.height() - line_height * max(fits, 1)
        width = inner.width() // max(len(view.pairs), 1)
        for number, (value, label) in enumerate(view.pairs):
            left = inner.left() + number * width
            self._draw_main(
                painter, QRect(left + 2, inner.top(), width - 6, figure_height), base, value, colour
            )
            area = QRect(left, inner.top() + figure_height, width - 2, line_height)
            self._draw_lines(painter, area, base, [label], colour, largest=size)
        if len(view.pairs) > 1:
            painter.setPen(QPen(colour, 2))
            x = inner.left() + width - 1
            painter.drawLine(x, inner.top() + 4, x, inner.top() + figure_height + line_height - 4)
        if footer:
            area = QRect(inner.left(), inner.top() + figure_height + line_height, inner.width(), line_height)
            self._draw_lines(painter, area, base, [footer], colour, largest=size)

    def _draw_main(self, painter: QPainter, rect: QRect, base: QFont, text: str, colour: QColor) -> None:
        if not text:
            return
        font = QFont(base)
        font.setBold(True)
        largest = int(min(rect.height() * 0.82, 60 * self.scale))
        font.setPixelSize(_fit_pixel_size(font, text, rect.width(), rect.height(), max(largest, 12), 10))
        painter.setFont(font)
        painter.setPen(colour)
        painter.drawText(rect, _CENTRE, text)

    def _draw_lines(
        self, painter: QPainter, rect: QRect, base: QFont, lines: list[str], colour: QColor, largest: int = 0
    ) -> None:
        font = QFont(base)
        each = rect.height() / max(len(lines), 1)
        top = largest or int(min(each * 0.8, 24 * self.scale))
        size = min(_fit_pixel_size(font, line, rect.width(), each, top, 9) for line in lines)
        font.setPixelSize(size)
        painter.setPen(colour)
        for number, line in enumerate(lines):
            font.setBold(line.startswith(("⚠", "▲")))
            painter.setFont(font)
            area = QRectF(rect.left(), rect.top() + number * each, rect.width(), each)
            painter.drawText(area, _CENTRE, line)

    def _figure_width(self, base: QFont, view: CellView) -> int:
        """The least width the box's figure (or its side-by-side pair) needs, at the smallest
        size it is drawn."""
        font = QFont(base)
        font.setBold(True)
        font.setPixelSize(12)
        metrics = QFontMetrics(font)
        if view.pairs:
            return sum(metrics.horizontalAdvance(value) + 6 for value, _label in view.pairs)
        main = view.short if view.short and not view.main else view.main
        return metrics.horizontalAdvance(main) + 4 if main else 0

    def _paint_mine(self, painter: QPainter, box: QRect, inner: QRect, base: QFont, view: CellView) -> int:
        """The voter's own rating, a dark badge in the top right corner: "You: 3", or "3" where
        the box's figure would not fit beside that, or no badge where it would not fit beside
        even that. Returns the width it takes from the box."""
        found = self._badge(box, inner, base, view)
        if found is None:
            return 0
        text, width, height, font = found
        badge = QRect(box.right() - width - 3, box.top() + 3, width, height)
        painter.setPen(_frame_pen("#ffffff", 1.5)[0])
        painter.setBrush(_qcolor("#1d3557"))
        painter.drawRoundedRect(badge, 5, 5)
        painter.setFont(font)
        painter.setPen(_qcolor("#ffffff"))
        painter.drawText(badge, _CENTRE, text)
        return width + 6

    def _badge(
        self, box: QRect, inner: QRect, base: QFont, view: CellView
    ) -> tuple[str, int, int, QFont] | None:
        """The badge's words, width, height and type (None: no badge fits), remembered: measuring
        type is most of what a badge costs, and the console repaints the same few again and again."""
        figure = tuple(value for value, _label in view.pairs) if view.pairs else (view.short, view.main)
        key = (base.key(), box.height(), inner.width(), view.mine, view.mine_short, figure)
        if key in _BADGES:
            return _BADGES[key]
        font = QFont(base)
        font.setBold(True)
        font.setPixelSize(int(max(13, min(box.height() * 0.34, 24))))
        metrics = QFontMetrics(font)
        room = inner.width() - self._figure_width(base, view)
        found: tuple[str, int, int, QFont] | None = None
        for text in (view.mine, view.mine_short):
            width = metrics.horizontalAdvance(text) + 12 if text else 0
            if text and width + 6 <= room:
                found = (text, width, metrics.height() + 4, font)
                break
        if len(_BADGES) > 2_000:
            _BADGES.clear()
        _BADGES[key] = found
        return found


class MatrixHeader(QHeaderView):
    """Stage names across the top, wrapped and large enough to read from the back."""

    def __init__(self, parent: QWidget | None = None, *, scale: float = 1.0) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.scale = scale
        self.setSectionsClickable(False)
        self.setHighlightSections(False)

    def _font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(int(20 * self.scale))
        return font

    # A stage's name looks the same whichever box is current or selected (the sections are
    # not highlighted), so moving between boxes repaints no name: QHeaderView would repaint
    # the names of the columns left and entered on every move, two more paints per vote.
    def currentChanged(self, current: Index, old: Index) -> None:  # noqa: N802 - Qt override
        """Nothing to repaint (see above)."""

    def selectionChanged(self, selected: QItemSelection, deselected: QItemSelection) -> None:  # noqa: N802
        """Nothing to repaint (see above)."""

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        metrics = QFontMetrics(self._font())
        return QSize(hint.width(), metrics.height() * 2 + 12)

    def paintSection(self, painter: QPainter, rect: QRect, logical: int) -> None:  # noqa: N802
        painter.save()
        painter.fillRect(rect, QColor("#fbfaf7"))
        text = str(
            self.model().headerData(logical, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or ""
        )
        font = self._font()
        area = rect.adjusted(8, 2, -8, -2)
        flags = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        size = font.pixelSize()
        while size > 11:
            font.setPixelSize(size)
            bound = QFontMetrics(font).boundingRect(area, flags, text)
            if bound.height() <= area.height() and bound.width() <= area.width():
                break
            size -= 1
        painter.setFont(font)
        painter.setPen(QColor(TITLE_TEXT))
        painter.drawText(area, flags, text)
        painter.setPen(QPen(QColor("#1d3557"), 2))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        painter.restore()


class MatrixView(QTableView):
    """The grid. Number keys rate the current box, Delete withdraws, Enter opens the count
    of hands; R reveals or hides the box, Shift+R its row, Ctrl+Shift+R every box; S
    switches the boxes between averages and the role split."""

    digit_pressed = Signal(int)
    withdraw_pressed = Signal()
    enter_pressed = Signal()
    reveal_box_pressed = Signal()
    reveal_row_pressed = Signal()
    reveal_all_pressed = Signal()
    display_pressed = Signal()

    def __init__(self, *, audience: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.audience = audience
        # The stages keep their time order from the left in a right-to-left language too.
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        scale = 1.35 if audience else 1.0
        self.setHorizontalHeader(MatrixHeader(self, scale=scale))
        self.verticalHeader().hide()
        self.setItemDelegate(MatrixDelegate(self, scale=scale))
        self.setShowGrid(False)
        self.setWordWrap(True)
        self.setCornerButtonEnabled(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setMinimumSectionSize(28)
        if audience:
            self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        else:
            self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
            # Arrow keys move between boxes; Tab leaves the grid for the next control.
            self.setTabKeyNavigation(False)
        self.setAccessibleName(_("Assessment matrix"))
        self.setAccessibleDescription(
            _("Rows are what we look at, columns are the stages.")
            if audience
            else _(
                "Rows are what we look at, columns are the stages. "
                "Number keys rate the selected box; R reveals it."
            )
        )

    def set_room_type(self, cell_px: int, small_px: int) -> None:
        """For the room: stage names and box text at the room's sizes (cell, and small at least)."""
        header = self.horizontalHeader()
        if isinstance(header, MatrixHeader):
            header.scale = cell_px / 20
            header.updateGeometry()
        delegate = self.itemDelegate()
        if isinstance(delegate, MatrixDelegate):
            delegate.scale = 1.35 * cell_px / 28
            delegate.floor_px = small_px
            delegate.title_px = cell_px
        self.viewport().update()

    def setModel(self, model: Any) -> None:  # noqa: N802
        super().setModel(model)
        model.modelReset.connect(self._fit_columns)
        self._fit_columns()

    def _fit_columns(self) -> None:
        model = self.model()
        if model is None:
            return
        header = self.horizontalHeader()
        columns = model.columnCount()
        if not columns:
            return
        header.setMinimumSectionSize(40)
        width = max(self.viewport().width(), 200)
        title = int(width * (0.24 if columns <= 6 else 0.2))
        average = int(width * 0.1)
        stages = max(columns - 2, 1)
        each = max((width - title - average) // stages, 40)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.resizeSection(0, title)
        for column in range(1, columns - 1):
            header.resizeSection(column, each)
        header.resizeSection(columns - 1, max(width - title - each * stages, 40))

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_columns()

    def keyboardSearch(self, search: str) -> None:  # noqa: N802
        """Letters are commands here, not a search for a box by its text."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self.audience:
            event.ignore()
            return
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        plain = modifiers == Qt.KeyboardModifier.NoModifier
        text = event.text()
        if plain and len(text) == 1 and text.isdigit() and text.isascii():
            self.digit_pressed.emit(int(text))
            return
        if plain and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.withdraw_pressed.emit()
            return
        if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.enter_pressed.emit()
            return
        if plain and key == Qt.Key.Key_S:
            self.display_pressed.emit()
            return
        if key == Qt.Key.Key_R:
            shift = Qt.KeyboardModifier.ShiftModifier
            control = Qt.KeyboardModifier.ControlModifier
            if plain:
                self.reveal_box_pressed.emit()
                return
            if modifiers == shift:
                self.reveal_row_pressed.emit()
                return
            if modifiers == shift | control:
                self.reveal_all_pressed.emit()
                return
        super().keyPressEvent(event)

    def move_to_next_box(self) -> None:
        """After a rating: the next box in the row, then the first box of the next row."""
        model = self.model()
        current = self.currentIndex()
        if model is None or not current.isValid():
            return
        row, column = current.row(), current.column() + 1
        last_stage = model.columnCount() - 2
        if column > last_stage:
            row, column = row + 1, 1
        if row >= model.rowCount() - 1:
            return
        self.setCurrentIndex(model.index(row, column))
