"""The Phones toggle (menu and toolbar), its panel with the network check, and the room's join screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import PhoneServerError
from ...domain.i18n import N_, _, ngettext, pgettext

if TYPE_CHECKING:
    from ...remote.network import NetworkAddress, NetworkCheck
    from .controller import PhonesController
    from .joinwidget import JoinScreenWidget

DEFAULT_PORT = 8765  # the same port each time, so a printed address still works next week
PHONES_ACTION = N_("&Phones")
PHONES_TIP = N_("Let the room vote from their phones over this network")
PHONES_STATUS_TIP = N_("Phones: the laptop serves a voting page to the room's phones")
PANEL_ACTION = N_("Phones &Panel and Network Check…")
VIEW_MENU = N_("&View")
TOOLBAR = N_("Room")
# A session's phone controller (and the phone server's modules) is made this long after the
# session opens, once its first frame is on screen, or at once when something needs it.
CONTROLLER_LATER_MS = 300


class PhonesPanel(QDialog):
    """Choose the address, turn Phones on or off, see the join screen and check the network."""

    turn_on = Signal(str, int)
    turn_off = Signal()
    join_screen_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("phonesPanel")
        self.addresses: list[NetworkAddress] = []
        self.url = ""  # the join address while Phones is on
        # A problem said in the state line instead of on/off, made again in a new language.
        self._problem: Callable[[], str] | None = None
        self.check: NetworkCheck | None = None  # the last network check, read again in a new language
        self.address = QComboBox()
        self.port = QSpinBox()
        self.port.setRange(1024, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.switch = QPushButton()
        self.switch.setCheckable(True)
        self.switch.toggled.connect(self._switched)
        self.show_room = QCheckBox()
        self.show_room.setEnabled(False)
        self.show_room.toggled.connect(self.join_screen_toggled)
        self.state = QLabel()
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setWordWrap(True)
        self.state.setObjectName("phonesState")
        from .joinwidget import JoinScreenWidget  # QtSvg: with the panel, not at start-up

        self.join = JoinScreenWidget(scale=0.35)
        self.join.setMinimumHeight(240)
        self.join.setMaximumHeight(280)  # a copy of the room's screen: the panel's words come first
        self.join.hide()
        self.check_button = QPushButton()
        self.check_button.setEnabled(False)
        self.report = QLabel()
        self.report.setObjectName("networkReport")
        self.report.setTextFormat(Qt.TextFormat.PlainText)
        self.report.setWordWrap(True)
        self.report.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.crowd = QLabel()
        self.crowd.setObjectName("phonesCrowd")
        self.crowd.setTextFormat(Qt.TextFormat.PlainText)
        self.crowd.setWordWrap(True)
        self.free_names = QPushButton()
        self.free_names.setEnabled(False)
        # Each phone by the person it chose (never by its address), each with its own reset.
        self.phones_label = QLabel()
        self.phones = QListWidget()
        self.phones.setObjectName("phonesByName")
        self.phones.setMaximumHeight(120)
        self.phones_label.setBuddy(self.phones)
        self.reset_phone = QPushButton()
        self.reset_phone.setObjectName("resetPhone")
        self.reset_phone.setEnabled(False)
        self.phones.currentRowChanged.connect(lambda row: self.reset_phone.setEnabled(row >= 0))
        # From the list itself: Delete resets the phone in focus, as the button does.
        self.phones.installEventFilter(self)
        self.notes_label = QLabel()
        self.notes = QListWidget()
        self.notes.setMaximumHeight(120)
        self.notes_label.setBuddy(self.notes)
        self.keep_note = QPushButton()
        self.drop_note = QPushButton()
        for button in (self.keep_note, self.drop_note):
            button.setEnabled(False)
        self.notes.currentRowChanged.connect(self._note_chosen)
        note_buttons = QHBoxLayout()
        note_buttons.addWidget(self.keep_note)
        note_buttons.addWidget(self.drop_note)
        note_buttons.addStretch(1)
        self.address_label = QLabel()
        self.address_label.setBuddy(self.address)
        self.port_label = QLabel()
        self.port_label.setBuddy(self.port)
        form = QFormLayout()
        form.addRow(self.address_label, self.address)
        form.addRow(self.port_label, self.port)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.hide)
        # The panel's parts (with a network check of a dozen lines, more in Welsh) are taller
        # than a small laptop's screen: they scroll, the Close button stays in sight.
        content = QWidget()
        content.setObjectName("phonesPanelContent")
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("phonesPanelScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer = QVBoxLayout(self)
        outer.addWidget(self.scroll_area, 1)
        outer.addWidget(buttons)
        layout = QVBoxLayout(content)
        layout.addLayout(form)
        layout.addWidget(self.switch)
        layout.addWidget(self.state)
        layout.addWidget(self.show_room)
        layout.addWidget(self.join)
        layout.addWidget(self.crowd)
        layout.addWidget(self.phones_label)
        layout.addWidget(self.phones)
        layout.addWidget(self.reset_phone)
        layout.addWidget(self.free_names)
        layout.addWidget(self.check_button)
        layout.addWidget(self.report)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.notes)
        layout.addLayout(note_buttons)
        layout.addStretch(1)
        self.scroll_area.setWidget(content)
        # Tab follows the panel from top to bottom: each phone's reset right after the list.
        order = (
            self.address, self.port, self.switch, self.show_room, self.phones, self.reset_phone,
            self.free_names, self.check_button, self.notes, self.keep_note, self.drop_note,
        )
        for first, then in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, then)
        self.refresh_addresses()
        self.retranslate()
        self.resize(720, 640)

    def retranslate(self) -> None:
        """Say every text again in the language now in force; what is on show stays."""
        self.setWindowTitle(_("Phones"))
        self.address_label.setText(_("Address phones reach:"))
        self.address.setAccessibleName(_("Address the phones connect to"))
        self.port_label.setText(_("Port:"))
        self.port.setAccessibleName(_("Port"))
        self.show_room.setText(_("Show the join screen to the room"))
        self.check_button.setText(_("Check the network"))
        self.free_names.setText(_("Let every phone choose its name again"))
        self.phones_label.setText(_("Phones and the names they chose:"))
        self.phones.setAccessibleName(_("Phones, by the name each chose"))
        self.reset_phone.setText(_("Let this phone choose again"))
        self.notes_label.setText(_("Notes from phones (they wait here until you keep them):"))
        self.notes.setAccessibleName(_("Notes from phones"))
        self.keep_note.setText(_("Keep the note"))
        self.drop_note.setText(_("Dismiss it"))
        for row, item in enumerate(self.addresses):
            if row < self.address.count():
                self.address.setItemText(row, self._address_text(item))
        self.join.retranslate()
        self._say_state()
        if self.check is not None:
            self.report.setText(self.check.text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            watched is self.phones
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and self.reset_phone.isEnabled()
        ):
            self.reset_phone.click()
            return True
        return super().eventFilter(watched, event)

    def show_phones(self, phones: list[tuple[str, str]]) -> None:
        """List (device hash, name) pairs by name; the hash stays in the item, never shown."""
        current = self.phones.currentItem()
        keep = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        self.phones.clear()
        for device, name in phones:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, device)
            self.phones.addItem(item)
            if device == keep:
                self.phones.setCurrentItem(item)
        self.reset_phone.setEnabled(self.phones.currentRow() >= 0)

    def chosen_phone(self) -> str:
        item = self.phones.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    def _note_chosen(self, row: int) -> None:
        for button in (self.keep_note, self.drop_note):
            button.setEnabled(row >= 0)

    def refresh_addresses(self, prefer: str = "") -> None:
        from ...remote.network import choose_default, local_addresses  # with the panel, not at start-up

        self.addresses = local_addresses()
        default = choose_default(self.addresses)
        self.address.clear()
        for item in self.addresses:
            self.address.addItem(self._address_text(item), item.address)
        wanted = prefer or default.address
        index = self.address.findData(wanted)
        if index < 0:
            self.address.addItem(wanted, wanted)
            index = self.address.count() - 1
        self.address.setCurrentIndex(index)

    @staticmethod
    def _address_text(item: NetworkAddress) -> str:
        if item.reachable_by_phones:
            return item.label
        # Translators: an address of this laptop that phones cannot reach, "127.0.0.1 (lo)".
        return _("{address} — this laptop only").format(address=item.label)

    def chosen(self) -> tuple[str, int]:
        return str(self.address.currentData()), self.port.value()

    def _switched(self, on: bool) -> None:
        if on:
            self.turn_on.emit(*self.chosen())
        else:
            self.turn_off.emit()

    def set_running(self, url: str) -> None:
        """Show the state: `url` when listening, "" when off. Never re-emits turn_on/turn_off."""
        on = bool(url)
        self.switch.blockSignals(True)
        self.switch.setChecked(on)
        self.switch.blockSignals(False)
        self.url = url
        self._problem = None
        self.address.setEnabled(not on)
        self.port.setEnabled(not on)
        self.show_room.setEnabled(on)
        self.check_button.setEnabled(on)
        self.free_names.setEnabled(on)
        self.join.setVisible(on)
        if not on:
            self.show_report(None)
            self.show_room.setChecked(False)
        self._say_state()

    def _say_state(self) -> None:
        on = bool(self.url)
        self.switch.setText(_("Turn Phones off") if on else _("Turn Phones on"))
        if self._problem is not None:
            self.state.setText(self._problem())
        elif on:
            self.state.setText(_("Phones join at {url}").format(url=self.url))
        else:
            self.state.setText(_("Phones are off: the laptop serves nothing to the network."))

    def say_problem(self, message: str | Callable[[], str]) -> None:
        """Say a problem where the state is said: a sentence, or a function that says it in the
        language in force (so a change of language says it again)."""
        self._problem = message if callable(message) else (lambda: message)
        self._say_state()

    def show_report(self, check: NetworkCheck | None) -> None:
        self.check = check
        if check is None:
            self.report.clear()
        else:
            self.report.setText(check.text)
            self.scroll_area.ensureWidgetVisible(self.report)  # just asked for: in sight


class PhonesFeature(QObject):
    """Adds Phones to a main window: the toggle in the View menu and a toolbar, the panel,
    the join screen on the projector, and a controller for each open session."""

    running_changed = Signal(bool)

    def __init__(
        self,
        window: QMainWindow,
        make_controller: Callable[[QObject], PhonesController | None],
        audience: Callable[[], QWidget | None] = lambda: None,
        can_serve: Callable[[], bool] | None = None,
    ) -> None:
        """`can_serve()`: whether `make_controller` would make one for the session just opened
        (then the controller is made later, see `controller`); None makes it as the session opens."""
        super().__init__(window)
        self.window = window
        self.make_controller = make_controller
        self.audience = audience
        self.can_serve = can_serve
        self._controller: PhonesController | None = None
        self._wanted = False  # a session is open whose controller is not made yet
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(CONTROLLER_LATER_MS)
        self._later.timeout.connect(self._make_controller)
        self._panel: PhonesPanel | None = None  # made when first needed: the window opens without it
        self._said_crowded = False
        self.room_join: JoinScreenWidget | None = None
        # What retranslate() says again, as the main window keeps its own (setter, English text).
        self._sources: list[tuple[Callable[[str], None], str]] = []
        self.action = QAction(window)
        self.action.setCheckable(True)
        self.action.setObjectName("phonesAction")
        self._say(self.action.setText, PHONES_ACTION)
        self._say(self.action.setToolTip, PHONES_TIP)
        self._say(self.action.setStatusTip, PHONES_STATUS_TIP)
        self.action.triggered.connect(self._toggled)
        self.panel_action = QAction(window)
        self._say(self.panel_action.setText, PANEL_ACTION)
        self.panel_action.triggered.connect(self.show_panel)
        menu_bar = window.menuBar()
        view = ("View", _(VIEW_MENU).replace("&", ""))
        found = getattr(window, "view_menu", None) or next(
            (a.menu() for a in menu_bar.actions() if a.text().replace("&", "") in view), None
        )
        if isinstance(found, QMenu):
            menu = found
        else:
            menu = menu_bar.addMenu(_(VIEW_MENU))
            self._sources.append((menu.setTitle, VIEW_MENU))
        menu.addSeparator()
        menu.addAction(self.action)
        menu.addAction(self.panel_action)
        self.toolbar = window.addToolBar(_(TOOLBAR))
        self.toolbar.setObjectName("roomToolbar")
        self._sources.append((self.toolbar.setWindowTitle, TOOLBAR))
        self.toolbar.addAction(self.action)
        self.set_enabled(False)

    @property
    def panel(self) -> PhonesPanel:
        """The panel, made the first time it is needed (shown, or Phones turned on) and then
        brought up to date with what it would have been told so far."""
        if self._panel is None:
            panel = self._panel = PhonesPanel(self.window)
            panel.turn_on.connect(self.turn_on)
            panel.turn_off.connect(self.turn_off)
            panel.join_screen_toggled.connect(self.show_join_to_room)
            panel.check_button.clicked.connect(self.check_network)
            panel.free_names.clicked.connect(self._free_names)
            panel.reset_phone.clicked.connect(self._reset_phone)
            panel.keep_note.clicked.connect(lambda: self._note(keep=True))
            panel.drop_note.clicked.connect(lambda: self._note(keep=False))
            self._crowd()
            self._show_notes()
        return self._panel

    def _say(self, setter: Callable[[str], None], text: str) -> None:
        setter(_(text))
        self._sources.append((setter, text))

    def retranslate(self) -> None:
        """Say everything of Phones again in the language now in force, as the main window's
        retranslate() does for its own: the menu texts, the panel, the join screens. Nothing
        stops: the server, the phones that joined and what is on show stay as they were."""
        for say, text in self._sources:
            say(_(text))
        if self._panel is not None:
            self._panel.retranslate()
        self._crowd()
        room_join = self.room_join
        if room_join is not None:
            if shiboken6.isValid(room_join) and room_join.window() is self.audience():
                room_join.retranslate()
            else:
                # The room's window was made again (in the new language): the join screen goes
                # back on the new one.
                self.room_join = None
                self.show_join_to_room(self.panel.show_room.isChecked())

    def set_enabled(self, enabled: bool) -> None:
        self.action.setEnabled(enabled)
        self.panel_action.setEnabled(enabled)
        # Only with a session open: the start screen keeps its full height on a small laptop.
        self.toolbar.setVisible(enabled)

    # --- sessions --------------------------------------------------------------------

    @property
    def controller(self) -> PhonesController | None:
        """The open session's controller (None without a session, or for a read-only one).
        Made when first asked for, or shortly after the session opened: the first frame of
        a session does not wait for the phone server's modules."""
        if self._wanted:
            self._make_controller()
        return self._controller

    def session_opened(self) -> None:
        self.session_closed()
        if self.can_serve is None:
            self._make_controller()
            return
        self._wanted = True
        self.set_enabled(self.can_serve())
        self._later.start()

    def _make_controller(self) -> None:
        if not self._wanted and self.can_serve is not None:
            return  # made already, or the session closed first
        self._wanted = False
        self._later.stop()
        controller = self._controller = self.make_controller(self)
        self.set_enabled(controller is not None)
        if controller is not None:
            controller.joined_changed.connect(self._joined)
            controller.input_taken.connect(self._crowd)
            room = controller.room
            if room is not None:
                room.notes_changed.connect(self._show_notes)
        self._show_notes()

    def session_closed(self) -> None:
        """Phones stop with the session: nothing listens once it is closed."""
        self._wanted = False
        self._later.stop()
        self.turn_off()
        if self._controller is not None:
            self._controller.deleteLater()
            self._controller = None
        self.set_enabled(False)

    # --- on and off ------------------------------------------------------------------

    def _toggled(self, on: bool) -> None:
        if on:
            self.turn_on(*self.panel.chosen())
            if self.running:
                self.show_panel()
        else:
            self.turn_off()

    @property
    def running(self) -> bool:
        return self._controller is not None and self._controller.running  # one not made is off

    def turn_on(self, host: str, port: int) -> str:
        """Start serving phones; returns the join address, or "" (and says why) if it could not."""
        if self.controller is None:
            self.action.setChecked(False)
            return ""
        try:
            url = self.controller.start(host, port)
        except PhoneServerError as exc:
            self.action.setChecked(False)
            self.panel.set_running("")
            self.panel.say_problem(str(exc))
            self.show_panel()
            return ""
        self.action.setChecked(True)
        self.panel.set_running(url)
        join = self.controller.join_screen()
        if join is not None:
            self.panel.join.show_join(join)
        self._crowd()  # "0 phones joined. 12 people are on the list." from the start
        self.running_changed.emit(True)
        return url

    def turn_off(self) -> None:
        self.show_join_to_room(False)
        if self._controller is not None and self._controller.running:
            self._controller.stop()
            self.running_changed.emit(False)
        self.action.setChecked(False)
        if self._panel is not None:  # a panel made later starts off
            self._panel.set_running("")

    def show_panel(self) -> None:
        self.panel.show()
        self.panel.raise_()

    def check_network(self) -> None:
        if self.controller is None:
            return
        check = self.controller.network_check()
        if check is None:
            self.panel.show_report(None)
            self.panel.report.setText(_("Phones are off."))
        else:
            self.panel.show_report(check)

    def _joined(self, joined: int) -> None:
        self.panel.join.set_joined(joined)
        if self.room_join is not None:
            self.room_join.set_joined(joined)
        self._crowd()

    def _crowd(self, _item: object = None) -> None:
        """How many phones, against how many people are listed: more phones than people is said."""
        room = self._controller.room if self._controller is not None else None
        if room is None or not self.running:  # (a controller not made yet is not running)
            if self._panel is not None:  # a panel made later asks again
                self._panel.crowd.clear()
                self._panel.show_phones([])
            return
        joined, listed = self._controller.joined if self._controller else 0, room.participants
        voted = len(room.voting_devices)
        named = room.named_phones
        said = [
            ngettext("{n} phone joined.", "{n} phones joined.", joined).format(n=joined),
            ngettext("{n} person is on the list.", "{n} people are on the list.", listed).format(n=listed),
        ]
        if listed and joined > listed:
            said.append(_("More phones than people have joined: someone may have two, or the list is short."))
        if listed and voted > listed:
            said.append(
                ngettext(
                    "{voted} phone has voted, more than the {listed} people on the list: "
                    "someone may be voting twice, or the list is short.",
                    "{voted} phones have voted, more than the {listed} people on the list: "
                    "someone may be voting twice, or the list is short.",
                    voted,
                ).format(voted=voted, listed=listed)
            )
            if not self._said_crowded:
                # Said once where the facilitator looks, even with the panel closed.
                self._said_crowded = True
                status = self.window.statusBar()
                status.showMessage(
                    _("More phones have voted ({voted}) than people are on the list ({listed}).").format(
                        voted=voted, listed=listed
                    )
                )
        if named:
            said.append(
                ngettext("{n} phone has chosen a name.", "{n} phones have chosen a name.", named).format(
                    n=named
                )
            )
        # Translators: the separator between the sentences of the Phones panel's count.
        self.panel.crowd.setText(pgettext("sentences", " ").join(said))
        self.panel.show_phones(room.phones())

    def _reset_phone(self) -> None:
        room = self.controller.room if self.controller is not None else None
        device = self.panel.chosen_phone()
        if room is not None and device:
            room.reset_phone(device)
            self._crowd()

    def _free_names(self) -> None:
        room = self.controller.room if self.controller is not None else None
        if room is not None:
            room.free_names()
            self._crowd()

    def _show_notes(self) -> None:
        if self._panel is None:
            return  # a panel made later asks again
        room = self.controller.room if self.controller is not None else None
        self.panel.notes.clear()
        for note in room.notes if room is not None else []:
            self.panel.notes.addItem(note.text)  # QListWidget items show text as text

    def _note(self, keep: bool) -> None:
        room = self.controller.room if self.controller is not None else None
        row = self.panel.notes.currentRow()
        if room is None or not 0 <= row < len(room.notes):
            return
        if keep:
            room.accept_note(row)
        else:
            room.dismiss_note(row)

    # --- the room's view -------------------------------------------------------------

    def show_join_to_room(self, on: bool) -> None:
        """Put the join screen on the projector (the audience window's own page stack)."""
        audience = self.audience()
        pages = getattr(audience, "pages", None)
        if not on:
            if self.room_join is not None:
                if pages is not None:
                    pages.removeWidget(self.room_join)
                    pages.setCurrentIndex(0)
                self.room_join.deleteLater()
                self.room_join = None
            return
        if self.controller is None or pages is None:
            self.panel.show_room.setChecked(False)
            self.panel.say_problem(
                lambda: _("Start presenting first (View menu) to show the join screen to the room.")
            )
            return
        join = self.controller.join_screen()
        if join is None:
            return
        from .joinwidget import JoinScreenWidget

        self.room_join = JoinScreenWidget(scale=max(getattr(audience, "fit_factor", 1.0), 0.6))
        self.room_join.show_join(join)
        pages.addWidget(self.room_join)
        pages.setCurrentWidget(self.room_join)
