"""The Phones panel: the address, on and off, the join screen and the network check (made when
first needed; the toggle in the menu and toolbar is ui/phones/feature.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
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
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.i18n import _

if TYPE_CHECKING:
    from ...remote.network import NetworkAddress, NetworkCheck

DEFAULT_PORT = 8765  # the same port each time, so a printed address still works next week


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
