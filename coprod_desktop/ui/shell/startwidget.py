"""The start screen: new session, open, recent sessions, the sample workshop."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ... import __version__
from ...domain.i18n import N_, _
from ..common.plaintext import tooltip
from ..common.scriptfonts import ensure_fonts_for
from ..common.widgets import hint_label
from .messagebanner import MessageBanner
from .settings import RecentSession, mark_tour_seen, recent_sessions, tour_seen

PATH_ROLE = Qt.ItemDataRole.UserRole


class RecentListWidget(QListWidget):
    """Recent sessions; Enter opens the selected one, Delete forgets it."""

    forget_requested = Signal(Path)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        item = self.currentItem()
        if item is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.itemActivated.emit(item)
            return
        if item is not None and event.key() == Qt.Key.Key_Delete:
            self.forget_requested.emit(Path(item.data(PATH_ROLE)))
            return
        super().keyPressEvent(event)


TOUR: tuple[tuple[str, str], ...] = (
    (N_("Welcome"), N_("why we are here, the plan for the day and how we treat each other")),
    (
        N_("Definitions"),
        N_("co-production and four words often mistaken for it, with a picture of the ladder"),
    ),
    (N_("Which is it?"), N_("short stories; the room votes which word fits, then you reveal the answer")),
    (N_("How do we work now?"), N_("the group rates its own work, stage by stage, blind until you reveal")),
    (
        N_("Who holds the power?"),
        N_("cards for people and decisions on a map of who plans and who delivers"),
    ),
    (N_("Should we co-produce?"), N_("the conditions co-production needs, rated, with a recommendation")),
    (N_("What will we do?"), N_("actions: what, who and by when")),
    (N_("What we found"), N_("the results on one screen, and a PDF for everyone to take home")),
)


class TourWidget(QFrame):
    """A first look at how a workshop runs, for someone opening the app for the first time."""

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tour")
        heading = QLabel(_("New here? This is how a workshop runs"))
        heading.setObjectName("sectionLabel")
        steps = QTextBrowser()
        steps.setObjectName("tourText")
        steps.setAccessibleName(_("How a workshop runs"))
        steps.setHtml(
            "<ol>"
            + "".join(
                "<li>" + _("<b>{step}</b>: {what}").format(step=_(title), what=_(what)) + "</li>"
                for title, what in TOUR
            )
            + "</ol><p>"
            + _(
                "Press F5 to put the room's view on the projector; PageDown and PageUp (or a clicker) "
                "move between steps; B blacks out the screen. Everything is saved as you go."
            )
            + "</p>"
        )
        steps.setMinimumHeight(110)
        self.got_it = QPushButton(_("&Got it"))
        self.got_it.setAccessibleName(_("Close the tour"))
        self.got_it.clicked.connect(self._dismiss)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.got_it)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(steps)
        layout.addLayout(row)

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()


class StartWidget(QWidget):
    """What the facilitator sees before a session is open."""

    new_requested = Signal()
    open_requested = Signal()
    sample_requested = Signal()
    recent_requested = Signal(Path)
    forget_requested = Signal(Path)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("startScreen")

        title = QLabel(_("Co-production workshop"))
        title.setObjectName("startTitle")
        tagline = QLabel(
            _(
                "Run the workshop step by step, vote as a group, map who holds the power "
                "and agree what to change. Every change is saved the moment you make it."
            )
        )
        tagline.setObjectName("startTagline")
        tagline.setWordWrap(True)

        self.banner = MessageBanner(self)

        self.new_button = self._big_button(
            _("&New session"),
            _("Start a workshop from the default template or one of yours"),
            self.new_requested,
        )
        self.open_button = self._big_button(
            _("&Open a session…"), _("Open a .coprod file saved earlier"), self.open_requested
        )
        self.sample_button = self._big_button(
            _("&Try the sample workshop"),
            _("A finished workshop with 12 people, votes, cards and actions, to explore freely"),
            self.sample_requested,
        )
        buttons = QVBoxLayout()
        buttons.setSpacing(14)
        for button in (self.new_button, self.open_button, self.sample_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        recent_label = QLabel(_("&Recent sessions"))
        recent_label.setObjectName("sectionLabel")
        self.recent_list = RecentListWidget()
        self.recent_list.setObjectName("recentList")
        self.recent_list.setWordWrap(True)
        self.recent_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.recent_list.setAccessibleName(_("Recent sessions"))
        self.recent_list.setAccessibleDescription(_("Press Enter to open a session, Delete to forget it"))
        self.recent_list.itemActivated.connect(self._open_item)
        self.recent_list.forget_requested.connect(self.forget_requested)
        recent_label.setBuddy(self.recent_list)
        self.empty_recent = hint_label(_("Sessions you open or create will be listed here."))
        recent = QVBoxLayout()
        recent.addWidget(recent_label)
        recent.addWidget(self.recent_list, 1)
        recent.addWidget(self.empty_recent)

        columns = QHBoxLayout()
        columns.setSpacing(40)
        columns.addLayout(buttons, 2)
        columns.addLayout(recent, 3)

        self.tour = TourWidget()
        self.tour.dismissed.connect(mark_tour_seen)
        self.tour.setVisible(not tour_seen())
        buttons.insertWidget(3, self.tour)

        version = QLabel(f"coprod-desktop {__version__}")
        version.setObjectName("hint")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 32, 60, 16)
        layout.setSpacing(18)
        layout.addWidget(title)
        layout.addWidget(tagline)
        layout.addWidget(self.banner)
        layout.addLayout(columns, 1)
        layout.addWidget(version, 0, Qt.AlignmentFlag.AlignRight)
        self.refresh()

    def _big_button(self, text: str, detail: str, signal: SignalInstance) -> QPushButton:
        button = QPushButton(f"{text}\n{detail}")
        button.setObjectName("bigButton")
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.setAccessibleDescription(detail)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.setMinimumHeight(72)
        button.clicked.connect(signal.emit)
        # The label already carries the mnemonic; keep a visible focus frame for keyboard users.
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return button

    def refresh(self) -> None:
        """Reload the recent sessions list from settings."""
        self.recent_list.clear()
        entries = recent_sessions()
        # A title or folder in a script the laptop lacks: its font before the list is drawn.
        ensure_fonts_for(f"{entry.title}\n{entry.path}" for entry in entries)
        for entry in entries:
            self.recent_list.addItem(self._item(entry))
        self.recent_list.setVisible(bool(entries))
        self.empty_recent.setVisible(not entries)
        if entries:
            self.recent_list.setCurrentRow(0)

    @staticmethod
    def _item(entry: RecentSession) -> QListWidgetItem:
        line = entry.title or entry.path.stem
        if entry.date:
            line = _("{title}  ·  {date}").format(title=line, date=entry.date)
        if not entry.exists:
            line = _("{title}  ·  file not found").format(title=line)
        item = QListWidgetItem(f"{line}\n{entry.path}")
        item.setData(PATH_ROLE, str(entry.path))
        item.setToolTip(tooltip(str(entry.path)))
        if not entry.exists:
            item.setForeground(Qt.GlobalColor.darkGray)
        return item

    def _open_item(self, item: QListWidgetItem) -> None:
        self.recent_requested.emit(Path(item.data(PATH_ROLE)))
