"""File > Combine Groups…: several groups' sessions of one workshop as one read-only picture.

The facilitator picks the groups' .coprod files (add and remove them at will); the
files are read as counts (`storage.counts`, never changed, never locked) and combined
(`domain.combine`) in a thread of Qt's pool, so two hundred groups never freeze the
window. Every figure and word is the domain's, as in the combined PDF and JSON, which
are exported from here through the report's all-or-nothing writers.

What it shows: the combined matrix (counts only: no one can be picked out, whichever
group they were in), each group's placement, where the groups differ most, and
readiness across the groups. Two workshops that are not the same get the one sentence
that names what differs, in place of the picture.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QStandardPaths, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ....domain.combine import Combined
from ....domain.compare import MIN_VOTES
from ....domain.errors import KnownError
from ....domain.i18n import _, ngettext
from ....domain.matrix import heat_colour, text_colour_for
from ....domain.readiness import Condition, Status

__all__ = ["CombineWindow", "CombinedPictureWidget"]

FILE_FILTER = "Co-production sessions (*.coprod)"
POINT_SIZE = 12
DIFFERENCES_SHOWN = 8
GROUP_COLUMNS = 6  # readiness: a column per group up to this many, then lowest and highest

STATUS_MARK = {Status.IN_PLACE: "✓", Status.PARTLY: "◐", Status.MISSING: "✗", Status.UNRATED: "?"}


def _value(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _verdict(verdict: str) -> str:
    return {
        "ready": _("Ready"),
        "ready_with_work": _("Ready, with work to do"),
        "not_yet": _("Not yet"),
        "unrated": _("Not rated"),
    }[verdict]


def _condition(found: Condition | None) -> str:
    if found is None:
        return "–"
    return f"{STATUS_MARK[found.status]} {_value(found.mean)}"


# --- the worker -------------------------------------------------------------------------


class _Relay(QObject):
    """Lives in the GUI thread; a job emits through it, so Qt queues the signals across."""

    succeeded = Signal(int, object)
    failed = Signal(int, str)


class _Job(QRunnable):
    """Runs `work` in the pool and reports its result, or its plain sentence, with `ticket`."""

    def __init__(self, ticket: int, work: Callable[[], object], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the window holds it until it reports
        self.ticket = ticket
        self.work = work
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.work()
        except KnownError as exc:
            self.relay.failed.emit(self.ticket, str(exc))
        except Exception as exc:  # a bug: still a plain sentence for the facilitator
            self.relay.failed.emit(
                self.ticket,
                _("This could not be done because of a fault in the app ({fault}).").format(
                    fault=f"{type(exc).__name__}: {exc}"
                ),
            )
        else:
            self.relay.succeeded.emit(self.ticket, result)


def combine_files(paths: Sequence[Path]) -> Combined:
    """What the window (and `coprod-desktop combine`) shows for `paths`: each file read as
    counts, labelled by its file name. Raises KnownError with one sentence."""
    from ....domain.combine import combine
    from ....storage.counts import read_counts

    return combine([read_counts(path) for path in paths], names=[path.name for path in paths])


def write_combined_json(combined: Combined, path: Path) -> Path:
    from ....report.changes_json import combined_to_dict, to_json
    from ....storage.atomic import atomic_write

    try:
        with atomic_write(path) as stream:
            stream.write(to_json(combined_to_dict(combined)).encode("utf-8"))
    except OSError as exc:
        from ....storage.atomic import plain_os_error

        raise KnownError(
            _("Could not save {name}: {why}. Choose another folder.").format(
                name=path.name, why=plain_os_error(exc)
            )
        ) from None
    return path


def write_combined_pdf(combined: Combined, path: Path, paths: Sequence[Path] = ()) -> Path:
    """The combined report, in the groups' workshop language: with the files it came from,
    they are combined again in that language, so the report's sentences are all in it."""
    from ....domain.i18n import using
    from ....report.pdf import ReportOptions, build_combined_pdf, report_language

    if paths:
        with using(report_language(combined.session, ReportOptions())):
            combined = combine_files(paths)
    build_combined_pdf(combined, path)
    return path


# --- the picture -------------------------------------------------------------------------


def _table(
    name: str, headers: Sequence[str], rows: Sequence[Sequence[str]], *, even: bool = False
) -> QTableWidget:
    """A read-only table a keyboard can walk (Tab into it, arrows through it)."""
    table = QTableWidget(len(rows), len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
    table.setWordWrap(False)
    lines = max((value.count("\n") + 1 for values in rows for value in values), default=1)
    # Every row the same height, from the type: measured rows would depend on widths not yet laid out.
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(int(table.fontMetrics().lineSpacing() * (lines + 0.6)))
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(value)  # the whole text, should a narrow window cut it short
            if column:
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            table.setItem(row, column, item)
    header = table.horizontalHeader()
    if even:  # the matrix: every stage as wide as the next, the criteria as wide as they need
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    else:
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    _fit_height(table)
    return table


def _fit_height(table: QTableWidget) -> None:
    """The whole table shows: the page scrolls, never the table inside it."""
    height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(row) for row in range(table.rowCount()))
    table.setFixedHeight(height)
    table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)


class CombinedPictureWidget(QWidget):
    """The combined picture as labels and read-only tables. Every name is typed text: plain."""

    def __init__(self, combined: Combined, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("combinedPicture")
        self.combined = combined
        font = self.font()
        font.setPointSize(POINT_SIZE)
        self.setFont(font)
        self.tables: dict[str, QTableWidget] = {}
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self._layout = layout
        self._summary()
        self._matrix()
        self._groups()
        self._differences()
        self._readiness()
        self._notes()
        layout.addStretch(1)

    # --- pieces -------------------------------------------------------------------------

    def _label(
        self, text: str, name: str = "combinedText", *, bold: bool = False, scale: float = 1.0
    ) -> QLabel:
        label = QLabel(text)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)  # titles and file names are typed by people
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = label.font()
        font.setBold(bold)
        font.setPointSizeF(POINT_SIZE * scale)
        label.setFont(font)
        self._layout.addWidget(label)
        return label

    def _heading(self, text: str) -> QLabel:
        label = self._label(text, "combinedHeading", bold=True, scale=1.25)
        label.setAccessibleName(text)
        return label

    def _add_table(
        self,
        key: str,
        title: str,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        even: bool = False,
    ) -> QTableWidget:
        table = _table(key, headers, rows, even=even)
        table.setAccessibleName(title)
        self._layout.addWidget(table)
        self.tables[key] = table
        return table

    def _summary(self) -> None:
        combined = self.combined
        groups = len(combined.groups)
        people = sum(g.people for g in combined.groups)
        heading = ngettext("{n} group combined", "{n} groups combined", groups).format(n=groups)
        self._label(heading, "combinedTitle", bold=True, scale=1.6).setAccessibleName(heading)
        self._label(
            ngettext(
                "{n} person took part in all. Their ratings are added together as counts, so no one "
                "can be picked out, whichever group they were in.",
                "{n} people took part in all. Their ratings are added together as counts, so no one "
                "can be picked out, whichever group they were in.",
                people,
            ).format(n=people)
        )
        lines = []
        if combined.placement is not None:
            lines.append(
                _("Together, the ratings place the work at {rung}.").format(rung=_(combined.placement.name))
            )
        if combined.whole is not None:
            lines.append(
                _("The whole matrix averages {mean} across all groups.").format(mean=_value(combined.whole))
            )
        if combined.differences and combined.differences[0].spread >= 0.05:
            widest = combined.differences[0]
            lines.append(
                _(
                    "Groups differ most on {criterion} at {stage}: "
                    "{low} in {low_group}, {high} in {high_group}."
                ).format(
                    criterion=widest.criterion,
                    stage=widest.stage,
                    low=_value(widest.low),
                    low_group=widest.low_group,
                    high=_value(widest.high),
                    high_group=widest.high_group,
                )
            )
        lines.append(_("Should we co-produce? {headline}").format(headline=combined.recommendation.headline))
        self.glance = self._label("\n".join(f"• {line}" for line in lines), "combinedGlance")

    def _matrix(self) -> None:
        results = self.combined.results
        title = _("All groups' ratings together")
        self._heading(title)
        self._label(
            _(
                "Each box: the average of every group's revealed ratings, and how many ratings it rests on. "
                "The shade follows the average; the number says it."
            ),
            "hint",
        )
        points = len(results.scale)
        headers = [_("Criterion")] + [stage.title for stage in results.stages]
        rows = []
        for criterion, cells in zip(results.criteria, results.cells, strict=True):
            row = [criterion.title]
            for cell in cells:
                if cell.mean is None or not cell.revealed:
                    row.append(_("not rated"))
                else:
                    votes = ngettext("{n} rating", "{n} ratings", cell.rated).format(n=cell.rated)
                    row.append(f"{_value(cell.mean)}\n{votes}")
            rows.append(row)
        table = self._add_table("matrix", title, headers, rows, even=True)
        for at, cells in enumerate(results.cells):
            for column, cell in enumerate(cells, start=1):
                level = cell.level if cell.revealed else None
                item = table.item(at, column)
                if level is None or item is None:
                    continue
                colour = heat_colour(level)
                item.setBackground(QColor(colour))
                item.setForeground(QColor(text_colour_for(colour)))
                item.setToolTip(
                    _("{criterion} at {stage}: {mean} on a scale of 0 to {top}").format(
                        criterion=cell.criterion.title,
                        stage=cell.stage.title,
                        mean=_value(cell.mean),
                        top=points - 1,
                    )
                )

    def _groups(self) -> None:
        title = _("Each group")
        self._heading(title)
        self._label(
            _(
                "Each group's own results, as its session shows them: the average of the boxes its room saw, "
                "where those ratings place the work on the ladder, and its readiness."
            ),
            "hint",
        )
        rows = []
        for group in self.combined.groups:
            name = group.name
            details = " · ".join(part for part in (group.title, group.date, group.place) if part.strip())
            rows.append(
                [
                    name,
                    details,
                    str(group.people),
                    _value(group.whole),
                    _(group.placement.name) if group.placement else "–",
                    _verdict(group.recommendation.verdict.value),
                ]
            )
        headers = [
            _("Group"),
            _("Title, date and place"),
            _("People"),
            _("Average"),
            _("Placement"),
            _("Readiness"),
        ]
        self._add_table("groups", title, headers, rows)

    def _differences(self) -> None:
        title = _("Where the groups differ most")
        self._heading(title)
        shown = [d for d in self.combined.differences if d.spread >= 0.05][:DIFFERENCES_SHOWN]
        self._label(
            ngettext(
                "Boxes rated by at least two groups with {n} rating or more each, "
                "the widest difference first.",
                "Boxes rated by at least two groups with {n} ratings or more each, "
                "the widest difference first.",
                MIN_VOTES,
            ).format(n=MIN_VOTES),
            "hint",
        )
        if not shown:
            self._label(_("No box shows the groups apart."))
            return
        rows = [
            [
                d.criterion,
                d.stage,
                _("{mean} in {group}").format(mean=_value(d.low), group=d.low_group),
                _("{mean} in {group}").format(mean=_value(d.high), group=d.high_group),
                _value(d.spread),
            ]
            for d in shown
        ]
        headers = [_("Criterion"), _("Stage"), _("Lowest"), _("Highest"), _("Apart by")]
        self._add_table("differences", title, headers, rows)

    def _readiness(self) -> None:
        combined = self.combined
        if not combined.readiness:
            return
        title = _("Readiness across the groups")
        self._heading(title)
        self._label(combined.recommendation.headline, "combinedHeadline", bold=True)
        groups = combined.groups
        per_group = len(groups) <= GROUP_COLUMNS
        headers = [_("Condition"), _("All groups"), _("Status")]
        headers += [g.name for g in groups] if per_group else [_("Lowest group"), _("Highest group")]
        rows = []
        for line in combined.readiness:
            row = [line.title, _condition(line.combined), line.combined.status.label]
            if per_group:
                row += [_condition(found) for found in line.groups]
            else:
                rated = [
                    (found.mean, g.name)
                    for found, g in zip(line.groups, groups, strict=True)
                    if found is not None and found.mean is not None
                ]
                for pick in (min, max):
                    if rated:
                        mean, name = pick(rated)
                        row.append(_("{mean} in {group}").format(mean=_value(mean), group=name))
                    else:
                        row.append("–")
            rows.append(row)
        self._add_table("readiness", title, headers, rows)
        self._label(
            _("✓ in place · ◐ partly in place · ✗ missing · ? not rated; the number is the average, 0 to 4."),
            "hint",
        )

    def _notes(self) -> None:
        if not self.combined.notes:
            return
        self._heading(_("Not every group had the same items"))
        self._label("\n".join(f"• {note}" for note in self.combined.notes), "combinedNotes")

    def texts(self) -> list[str]:
        """Everything the picture says, labels and table cells alike (for tests and screen readers)."""
        found = [label.text() for label in self.findChildren(QLabel) if label.text()]
        for table in self.tables.values():
            for column in range(table.columnCount()):
                header = table.horizontalHeaderItem(column)
                if header is not None:
                    found.append(header.text())
            for row in range(table.rowCount()):
                for column in range(table.columnCount()):
                    item = table.item(row, column)
                    if item is not None and item.text():
                        found.append(item.text())
        return found


# --- the window --------------------------------------------------------------------------


class _FileListWidget(QListWidget):
    """The chosen files; Delete or Backspace removes the selected ones."""

    remove_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class CombineWindow(QDialog):
    """Pick the groups' files; see them combined; export the combined PDF and JSON."""

    combined_changed = Signal()  # a new picture (or a sentence saying why there is none)
    exported = Signal(str)  # the path written

    def __init__(self, parent: QWidget | None = None, paths: Sequence[Path] = ()) -> None:
        super().__init__(parent)
        self.setObjectName("combineWindow")
        self.setWindowTitle(_("Combine groups"))
        self.setAccessibleName(_("Combine groups"))
        self.paths: list[Path] = []
        self.combined: Combined | None = None
        self.problem = ""
        self.busy = False
        self._ticket = 0
        self._combining = 0  # the ticket of the latest combining job
        self._exporting = 0
        self._jobs: dict[int, _Job] = {}
        self._relay = _Relay(self)
        self._relay.succeeded.connect(self._succeeded)
        self._relay.failed.connect(self._failed)
        self.pool = QThreadPool.globalInstance()

        intro = QLabel(
            _(
                "Choose the session files of every group that ran this workshop. They are only read, "
                "never changed; their ratings are added together as counts, so no one is named."
            )
        )
        intro.setWordWrap(True)
        files_label = QLabel(_("&Groups' session files:"))
        self.file_list = _FileListWidget()
        self.file_list.setObjectName("combineFiles")
        self.file_list.setAccessibleName(_("Groups' session files"))
        self.file_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.file_list.setMaximumHeight(130)
        self.file_list.remove_requested.connect(self.remove_selected)
        files_label.setBuddy(self.file_list)
        self.add_button = QPushButton(_("&Add Files…"))
        self.add_button.setAccessibleName(_("Add session files"))
        self.add_button.clicked.connect(lambda: self.add_files())
        self.remove_button = QPushButton(_("&Remove"))
        self.remove_button.setAccessibleName(_("Remove the selected files"))
        self.remove_button.clicked.connect(self.remove_selected)
        file_buttons = QVBoxLayout()
        file_buttons.addWidget(self.add_button)
        file_buttons.addWidget(self.remove_button)
        file_buttons.addStretch(1)
        files_row = QHBoxLayout()
        files_row.addWidget(self.file_list, 1)
        files_row.addLayout(file_buttons)

        self.status = QLabel()
        self.status.setObjectName("combineStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName(_("What the window is doing"))
        font = self.status.font()
        font.setPointSize(POINT_SIZE)
        self.status.setFont(font)
        self.status.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAccessibleName(_("The combined picture"))
        self.picture: CombinedPictureWidget | None = None

        self.pdf_button = QPushButton(_("Export &PDF…"))
        self.pdf_button.setAccessibleName(_("Export the combined report as a PDF"))
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        self.json_button = QPushButton(_("Export &JSON…"))
        self.json_button.setAccessibleName(_("Export the combined results as JSON"))
        self.json_button.clicked.connect(lambda: self.export_json())
        self.close_button = QPushButton(_("&Close"))
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.json_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(files_label)
        layout.addLayout(files_row)
        layout.addWidget(self.status)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(buttons)
        self.setTabOrder(self.file_list, self.add_button)
        self.setTabOrder(self.add_button, self.remove_button)
        self.resize(1100, 760)
        if paths:
            self.add_files(paths)
        else:
            self._refresh()

    # --- the files ----------------------------------------------------------------------

    def _folder(self) -> str:
        if self.paths:
            return str(self.paths[-1].parent)
        found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return found or str(Path.home())

    def add_files(self, paths: Sequence[Path] | None = None) -> int:
        """Add `paths` (asked for with a file dialog when None); a file already listed is not
        added twice. Returns how many were added."""
        if paths is None:
            chosen, _filter = QFileDialog.getOpenFileNames(
                self, _("Which groups' sessions should be combined?"), self._folder(), FILE_FILTER
            )
            paths = [Path(p) for p in chosen]
        known = {p.resolve() for p in self.paths}
        added = 0
        for path in paths:
            if path.resolve() in known:
                continue
            known.add(path.resolve())
            self.paths.append(path)
            added += 1
        if added:
            self._refresh()
        return added

    def remove_selected(self) -> None:
        rows = sorted({self.file_list.row(item) for item in self.file_list.selectedItems()}, reverse=True)
        if not rows and self.file_list.currentRow() >= 0:
            rows = [self.file_list.currentRow()]
        if not rows:
            return
        for row in rows:
            del self.paths[row]
        self._refresh(select=min(rows[-1], len(self.paths) - 1))

    def _refresh(self, select: int = -1) -> None:
        self.file_list.clear()
        for path in self.paths:
            item = QListWidgetItem(f"{path.name}    ({path.parent})")
            item.setToolTip(str(path))
            self.file_list.addItem(item)
        if 0 <= select < self.file_list.count():
            self.file_list.setCurrentRow(select)
        self.remove_button.setEnabled(bool(self.paths))
        self._combine()

    # --- combining, in the pool ---------------------------------------------------------

    def _run(self, work: Callable[[], object]) -> int:
        self._ticket += 1
        job = _Job(self._ticket, work, self._relay)
        self._jobs[self._ticket] = job
        self.pool.start(job)
        return self._ticket

    def _combine(self) -> None:
        self.combined = None
        self.problem = ""
        self._show_picture(None)
        if not self.paths:
            self._say(_("No files yet: choose Add Files… to pick the groups' sessions."))
            self._update_buttons()
            self.combined_changed.emit()
            return
        paths = list(self.paths)
        count = len(paths)
        self._say(ngettext("Reading {n} session file…", "Reading {n} session files…", count).format(n=count))
        self.busy = True
        self._update_buttons()
        self._combining = self._run(lambda: ("combined", combine_files(paths)))

    def _succeeded(self, ticket: int, result: object) -> None:
        self._jobs.pop(ticket, None)
        kind, value = result if isinstance(result, tuple) else ("", result)
        if kind == "combined" and isinstance(value, Combined):
            if ticket != self._combining:
                return  # the files changed since: a newer picture is on its way
            self.busy = False
            self.combined = value
            groups = len(value.groups)
            people = sum(g.people for g in value.groups)
            self._say(
                ngettext("{n} group combined", "{n} groups combined", groups).format(n=groups)
                + " · "
                + ngettext("{n} person", "{n} people", people).format(n=people)
            )
            self._show_picture(CombinedPictureWidget(value))
            self._update_buttons()
            self.combined_changed.emit()
        else:
            self.busy = False
            self._update_buttons()
            self._say(_("Saved {name}.").format(name=Path(value).name))
            self.exported.emit(str(value))

    def _failed(self, ticket: int, message: str) -> None:
        self._jobs.pop(ticket, None)
        if ticket == self._combining:
            self.busy = False
            self.problem = message
            self._say(message, problem=True)
            self._update_buttons()
            self.combined_changed.emit()
        elif ticket == self._exporting:
            self.busy = False
            self._say(message, problem=True)
            self._update_buttons()

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("problem", problem)
        # A problem is bold dark red (7:1 on the window) and says what is wrong in words.
        self.status.setStyleSheet("color: #8b0000; font-weight: bold;" if problem else "")
        self.status.setAccessibleDescription(text)
        self.status.updateGeometry()

    def _show_picture(self, picture: CombinedPictureWidget | None) -> None:
        old = self.scroll_area.takeWidget()
        if old is not None:
            old.deleteLater()
        self.picture = picture
        if picture is not None:
            self.scroll_area.setWidget(picture)

    def _update_buttons(self) -> None:
        ready = self.combined is not None and not self.busy
        self.pdf_button.setEnabled(ready)
        self.json_button.setEnabled(ready)

    # --- exporting ----------------------------------------------------------------------

    def _ask(self, caption: str, suffix: str, filter_text: str) -> Path | None:
        suggested = Path(self._folder()) / (_("Groups combined") + suffix)
        chosen, _filter = QFileDialog.getSaveFileName(self, caption, str(suggested), filter_text)
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)

    def _refuse_input(self, path: Path) -> bool:
        if any(path.resolve() == p.resolve() for p in self.paths):
            self._say(
                _("{name} is one of the sessions being combined; choose another name.").format(
                    name=path.name
                ),
                problem=True,
            )
            return True
        return False

    def export_pdf(self, path: Path | None = None) -> int | None:
        """Write the combined report, in the pool; returns the job's ticket (None if not started)."""
        paths = list(self.paths)
        return self._export(
            path,
            (_("Save the combined report as"), ".pdf", "PDF (*.pdf)"),
            lambda combined, target: write_combined_pdf(combined, target, paths),
        )

    def export_json(self, path: Path | None = None) -> int | None:
        return self._export(
            path,
            (_("Save the combined results as"), ".json", "JSON (*.json)"),
            write_combined_json,
        )

    def _export(
        self,
        path: Path | None,
        ask: tuple[str, str, str],
        write: Callable[[Combined, Path], object],
    ) -> int | None:
        """One export in the pool: the file asked for (never an input), then `write` off the GUI thread."""
        if self.combined is None or self.busy:
            return None
        path = path or self._ask(*ask)
        if path is None or self._refuse_input(path):
            return None
        combined, target = self.combined, path
        self.busy = True
        self._update_buttons()
        self._say(_("Writing {name}…").format(name=target.name))
        self._exporting = self._run(lambda: ("exported", write(combined, target)))
        return self._exporting

    def pending(self) -> bool:
        return bool(self._jobs)

    def done(self, result: int) -> None:
        # A job still running reports to the relay, which lives as long as this window's parent
        # keeps it; wait for it so nothing is written after the window has gone.
        if self._jobs:
            self.pool.waitForDone(10000)
        super().done(result)
