"""The Phones toggle in the main window (View menu and toolbar), and a controller for each
open session. The panel (ui/phones/panel.py) and its dialog widgets are made when first
needed, so they are not imported with this."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from ...domain.errors import PhoneServerError
from ...domain.i18n import N_, _, ngettext, pgettext

if TYPE_CHECKING:
    from .controller import PhonesController
    from .joinwidget import JoinScreenWidget
    from .panel import PhonesPanel

PHONES_ACTION = N_("&Phones")
PHONES_TIP = N_("Let the room vote from their phones over this network")
PHONES_STATUS_TIP = N_("Phones: the laptop serves a voting page to the room's phones")
PANEL_ACTION = N_("Phones &Panel and Network Check…")
VIEW_MENU = N_("&View")
TOOLBAR = N_("Room")
# A session's phone controller (and the phone server's modules) is made this long after the
# session opens, once its first frame is on screen, or at once when something needs it.
CONTROLLER_LATER_MS = 300


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
            from .panel import PhonesPanel

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
        self._wanted = True
        if self.can_serve is None or self._panel is not None:
            # (A panel made for an earlier session shows this one's waiting notes at once.)
            self._make_controller()
            return
        self.set_enabled(self.can_serve())
        self._later.start()

    def _make_controller(self) -> None:
        if not self._wanted:
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
