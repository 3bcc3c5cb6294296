"""The Phones toggle (menu and toolbar), its panel with the network check, and the room's join screen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import PhoneServerError
from ...remote.network import NetworkAddress, choose_default, local_addresses
from .controller import PhonesController
from .joinwidget import JoinScreenWidget

DEFAULT_PORT = 8765  # the same port each time, so a printed address still works next week


class PhonesPanel(QDialog):
    """Choose the address, turn Phones on or off, see the join screen and check the network."""

    turn_on = Signal(str, int)
    turn_off = Signal()
    join_screen_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Phones")
        self.setObjectName("phonesPanel")
        self.addresses: list[NetworkAddress] = []
        self.address = QComboBox()
        self.address.setAccessibleName("Address the phones connect to")
        self.port = QSpinBox()
        self.port.setRange(1024, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.port.setAccessibleName("Port")
        self.switch = QPushButton("Turn Phones on")
        self.switch.setCheckable(True)
        self.switch.toggled.connect(self._switched)
        self.show_room = QCheckBox("Show the join screen to the room")
        self.show_room.setEnabled(False)
        self.show_room.toggled.connect(self.join_screen_toggled)
        self.state = QLabel("Phones are off: the laptop serves nothing to the network.")
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setWordWrap(True)
        self.state.setObjectName("phonesState")
        self.join = JoinScreenWidget(scale=0.35)
        self.join.setMinimumHeight(240)
        self.join.hide()
        self.check_button = QPushButton("Check the network")
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
        self.free_names = QPushButton("Let every phone choose its name again")
        self.free_names.setEnabled(False)
        # Each phone by the person it chose (never by its address), each with its own reset.
        self.phones_label = QLabel("Phones and the names they chose:")
        self.phones = QListWidget()
        self.phones.setObjectName("phonesByName")
        self.phones.setAccessibleName("Phones, by the name each chose")
        self.phones.setMaximumHeight(120)
        self.phones_label.setBuddy(self.phones)
        self.reset_phone = QPushButton("Let this phone choose again")
        self.reset_phone.setObjectName("resetPhone")
        self.reset_phone.setEnabled(False)
        self.phones.currentRowChanged.connect(lambda row: self.reset_phone.setEnabled(row >= 0))
        # From the list itself: Delete resets the phone in focus, as the button does.
        self.phones.installEventFilter(self)
        self.notes_label = QLabel("Notes from phones (they wait here until you keep them):")
        self.notes = QListWidget()
        self.notes.setAccessibleName("Notes from phones")
        self.notes.setMaximumHeight(120)
        self.keep_note = QPushButton("Keep the note")
        self.drop_note = QPushButton("Dismiss it")
        for button in (self.keep_note, self.drop_note):
            button.setEnabled(False)
        self.notes.currentRowChanged.connect(self._note_chosen)
        note_buttons = QHBoxLayout()
        note_buttons.addWidget(self.keep_note)
        note_buttons.addWidget(self.drop_note)
        note_buttons.addStretch(1)
        form = QFormLayout()
        form.addRow("Address phones reach:", self.address)
        form.addRow("Port:", self.port)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.hide)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.switch)
        layout.addWidget(self.state)
        layout.addWidget(self.show_room)
        layout.addWidget(self.join, 1)
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
        layout.addWidget(buttons)
        # Tab follows the panel from top to bottom: each phone's reset right after the list.
        order = (
            self.address, self.port, self.switch, self.show_room, self.phones, self.reset_phone,
            self.free_names, self.check_button, self.notes, self.keep_note, self.drop_note,
        )
        for first, then in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, then)
        self.refresh_addresses()
        self.resize(720, 640)

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
        self.addresses = local_addresses()
        default = choose_default(self.addresses)
        self.address.clear()
        for item in self.addresses:
            hint = "" if item.reachable_by_phones else " — this laptop only"
            self.address.addItem(f"{item.label}{hint}", item.address)
        wanted = prefer or default.address
        index = self.address.findData(wanted)
        if index < 0:
            self.address.addItem(wanted, wanted)
            index = self.address.count() - 1
        self.address.setCurrentIndex(index)

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
        self.switch.setText("Turn Phones off" if on else "Turn Phones on")
        self.address.setEnabled(not on)
        self.port.setEnabled(not on)
        self.show_room.setEnabled(on)
        self.check_button.setEnabled(on)
        self.free_names.setEnabled(on)
        self.join.setVisible(on)
        if on:
            self.state.setText(f"Phones join at {url}")
        else:
            self.state.setText("Phones are off: the laptop serves nothing to the network.")
            self.report.clear()
            self.show_room.setChecked(False)

    def say_problem(self, message: str) -> None:
        self.state.setText(message)


class PhonesFeature(QObject):
    """Adds Phones to a main window: the toggle in the View menu and a toolbar, the panel,
    the join screen on the projector, and a controller for each open session."""

    running_changed = Signal(bool)

    def __init__(
        self,
        window: QMainWindow,
        make_controller: Callable[[QObject], PhonesController | None],
        audience: Callable[[], QWidget | None] = lambda: None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.make_controller = make_controller
        self.audience = audience
        self.controller: PhonesController | None = None
        self.panel = PhonesPanel(window)
        self.panel.turn_on.connect(self.turn_on)
        self.panel.turn_off.connect(self.turn_off)
        self.panel.join_screen_toggled.connect(self.show_join_to_room)
        self.panel.check_button.clicked.connect(self.check_network)
        self.panel.free_names.clicked.connect(self._free_names)
        self.panel.reset_phone.clicked.connect(self._reset_phone)
        self._said_crowded = False
        self.panel.keep_note.clicked.connect(lambda: self._note(keep=True))
        self.panel.drop_note.clicked.connect(lambda: self._note(keep=False))
        self.room_join: JoinScreenWidget | None = None
        self.action = QAction("&Phones", window)
        self.action.setCheckable(True)
        self.action.setObjectName("phonesAction")
        self.action.setToolTip("Let the room vote from their phones over this network")
        self.action.setStatusTip("Phones: the laptop serves a voting page to the room's phones")
        self.action.triggered.connect(self._toggled)
        self.panel_action = QAction("Phones &Panel and Network Check…", window)
        self.panel_action.triggered.connect(self.show_panel)
        menu_bar = window.menuBar()
        found = getattr(window, "view_menu", None) or next(
            (a.menu() for a in menu_bar.actions() if a.text().replace("&", "") == "View"), None
        )
        menu = found if isinstance(found, QMenu) else menu_bar.addMenu("&View")
        menu.addSeparator()
        menu.addAction(self.action)
        menu.addAction(self.panel_action)
        self.toolbar = window.addToolBar("Room")
        self.toolbar.setObjectName("roomToolbar")
        self.toolbar.addAction(self.action)
        self.set_enabled(False)

    def set_enabled(self, enabled: bool) -> None:
        self.action.setEnabled(enabled)
        self.panel_action.setEnabled(enabled)
        # Only with a session open: the start screen keeps its full height on a small laptop.
        self.toolbar.setVisible(enabled)

    # --- sessions --------------------------------------------------------------------

    def session_opened(self) -> None:
        self.session_closed()
        self.controller = self.make_controller(self)
        self.set_enabled(self.controller is not None)
        if self.controller is not None:
            self.controller.joined_changed.connect(self._joined)
            self.controller.input_taken.connect(self._crowd)
            room = self.controller.room
            if room is not None:
                room.notes_changed.connect(self._show_notes)
        self._show_notes()

    def session_closed(self) -> None:
        """Phones stop with the session: nothing listens once it is closed."""
        self.turn_off()
        if self.controller is not None:
            self.controller.deleteLater()
            self.controller = None
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
        return self.controller is not None and self.controller.running

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
        self.running_changed.emit(True)
        return url

    def turn_off(self) -> None:
        self.show_join_to_room(False)
        if self.controller is not None and self.controller.running:
            self.controller.stop()
            self.running_changed.emit(False)
        self.action.setChecked(False)
        self.panel.set_running("")

    def show_panel(self) -> None:
        self.panel.show()
        self.panel.raise_()

    def check_network(self) -> None:
        if self.controller is None:
            return
        check = self.controller.network_check()
        self.panel.report.setText(check.text if check is not None else "Phones are off.")

    def _joined(self, joined: int) -> None:
        self.panel.join.set_joined(joined)
        if self.room_join is not None:
            self.room_join.set_joined(joined)
        self._crowd()

    def _crowd(self, _item: object = None) -> None:
        """How many phones, against how many people are listed: more phones than people is said."""
        room = self.controller.room if self.controller is not None else None
        if room is None or not self.running:
            self.panel.crowd.clear()
            self.panel.show_phones([])
            return
        joined, listed = self.controller.joined if self.controller else 0, room.participants
        voted = len(room.voting_devices)
        text = f"{joined} {'phone' if joined == 1 else 'phones'} joined; {listed} people are on the list."
        if listed and joined > listed:
            text += " More phones than people have joined: someone may have two, or the list is short."
        if listed and voted > listed:
            text += (
                f" {voted} phones have voted, more than the {listed} people on the list: "
                "someone may be voting twice, or the list is short."
            )
            if not self._said_crowded:
                # Said once where the facilitator looks, even with the panel closed.
                self._said_crowded = True
                status = self.window.statusBar()
                status.showMessage(
                    f"More phones have voted ({voted}) than people are on the list ({listed})."
                )
        if room.named_phones:
            text += f" {room.named_phones} phones have chosen a name."
        self.panel.crowd.setText(text)
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
            self.panel.say_problem("Start presenting first (View menu) to show the join screen to the room.")
            return
        join = self.controller.join_screen()
        if join is None:
            return
        self.room_join = JoinScreenWidget(scale=max(getattr(audience, "fit_factor", 1.0), 0.6))
        self.room_join.show_join(join)
        pages.addWidget(self.room_join)
        pages.setCurrentWidget(self.room_join)
