"""Phones on and off: the phone server's life, and the bridge from its thread to the GUI thread."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from ...domain.errors import PhoneServerError
from ...domain.i18n import N_
from ...remote.interface import (
    InputSink,
    PhoneInput,
    PhoneJoin,
    PhoneLeave,
    Receipt,
    RoomFeed,
    SnapshotProvider,
)

if TYPE_CHECKING:
    from ...remote.join import JoinScreen
    from ...remote.network import NetworkCheck
    from ...remote.server import PhoneServer

# recorder(input, done): record one phone input on the GUI thread; call done(receipt) once on disk.
Recorder = Callable[[PhoneInput, Callable[[Receipt], None]], None]
# What the phones may see now: the room's view, what each device alone sees, and optionally
# the room's view in the other languages a phone may pick.
ViewBuilder = Callable[[], tuple[Any, ...]]


class PhoneBridge(QObject):
    """Carries phone inputs from the server's thread to the GUI thread, and receipts back.

    `accept` runs on the server's thread: it only emits a signal, queued to this object's
    thread, and returns the future at once. The slot records the input and resolves the
    future when the recorder says it is on disk.
    """

    arrived = Signal(object, object)  # (PhoneInput, Future[Receipt])
    input_taken = Signal(object)  # a PhoneInput, once recorded: for counts and notes on screen

    def __init__(self, recorder: Recorder, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.recorder = recorder
        self.arrived.connect(self._take, Qt.ConnectionType.QueuedConnection)

    def accept(self, item: PhoneInput) -> Future[Receipt]:
        future: Future[Receipt] = Future()
        self.arrived.emit(item, future)
        return future

    @Slot(object, object)
    def _take(self, item: PhoneInput, future: Future[Receipt]) -> None:
        def done(receipt: Receipt) -> None:
            if not future.done():
                future.set_result(receipt)
            if receipt.recorded:
                self.input_taken.emit(item)

        try:
            self.recorder(item, done)
        except Exception as exc:
            done(Receipt.refused(N_("The laptop could not take this.")))
            raise exc


class PhonesController(QObject):
    """Turns Phones on (a server on one address) and off, and keeps the phones' view current."""

    running_changed = Signal(bool)
    joined_changed = Signal(int)
    input_taken = Signal(object)
    _language_wanted = Signal()  # from the server's thread: a phone asked for another language

    def __init__(self, recorder: Recorder, view: ViewBuilder, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.provider = SnapshotProvider()
        self.feed = RoomFeed(self.provider)
        self.feed.on_wanted = self._language_wanted.emit
        self._language_wanted.connect(self.schedule_publish, Qt.ConnectionType.QueuedConnection)
        self.provider.feed_changed = self.feed.changed
        self.bridge = PhoneBridge(recorder, self)
        self.bridge.input_taken.connect(self._taken)
        self.sink = InputSink(self.bridge.accept)
        self.view = view
        self.server: PhoneServer | None = None
        self.room: Any = None  # the session's side of the phones (SessionPhones), when there is one
        # Many document signals in one turn of the event loop make one publish.
        self._publish_timer = QTimer(self)
        self._publish_timer.setSingleShot(True)
        self._publish_timer.setInterval(0)
        self._publish_timer.timeout.connect(self.publish)

    @property
    def running(self) -> bool:
        return self.server is not None and self.server.running

    @property
    def url(self) -> str:
        return self.server.url if self.server is not None else ""

    @property
    def joined(self) -> int:
        return self.server.joined if self.server is not None else 0

    def start(self, host: str, port: int = 0) -> str:
        """Listen on `host:port`; returns the join address. Raises PhoneServerError."""
        if self.server is not None:
            self.stop()
        self.publish()
        from ...remote.server import PhoneServer  # aiohttp: imported when Phones is first on

        server = PhoneServer(self.feed, self.sink, host, port)
        try:
            server.start()
        except PhoneServerError:
            server.stop()
            raise
        self.server = server
        self.running_changed.emit(True)
        return server.url

    def stop(self) -> None:
        server, self.server = self.server, None
        if server is not None:
            server.stop()
            self.running_changed.emit(False)
            self.joined_changed.emit(0)

    def schedule_publish(self) -> None:
        # While Phones is off nobody is told: working out the room's view (every box of the
        # matrix) after each vote and each step would be wasted. `start` publishes first.
        if self.server is not None:
            self._publish_timer.start()

    def publish(self) -> None:
        built = self.view()
        room, personal = built[0], built[1]
        translated: Mapping[str, Mapping[str, Any]] = built[2] if len(built) > 2 else {}
        self.provider.publish(room, personal, translated)

    def join_screen(self) -> JoinScreen | None:
        if self.server is None:
            return None
        server = self.server
        from ...remote.join import join_screen  # segno: imported when first needed

        return join_screen(server.url, server.short_address, server.room_code, server.joined)

    def network_check(self) -> NetworkCheck | None:
        from ...remote.network import check_network  # http.client: only for a check

        if self.server is None:
            return None
        server = self.server
        return check_network(
            server.host, server.port, server.authority, server.url, server.joined, server.connected
        )

    def _taken(self, item: PhoneInput) -> None:
        if isinstance(item, PhoneJoin | PhoneLeave):
            self.joined_changed.emit(self.joined)
        self.input_taken.emit(item)
