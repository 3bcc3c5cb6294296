"""What the phone server and the app say to each other: a feed out, typed inputs in.

The server never touches the session. It asks a `RoomFeed` what a phone may see now and hands
every validated input to an `InputSink`, which answers with a `concurrent.futures.Future` that
resolves to a `Receipt` once the input is on disk (or refused by the voting rules). The phone
is told "received" only after that. Both sides may live on different threads: the feed's
provider is called on the server's thread, the sink's future is resolved on whichever thread
recorded the input.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

# The kinds of screen a phone can show; the page draws each one its own way.
SCREEN_KINDS = ("waiting", "scenario", "matrix", "readiness", "placement")


@dataclass(frozen=True)
class PhoneVote:
    """A phone's choice on one open question."""

    question: str
    choice: str
    device: str  # keyed hash of the phone's device id, never the id itself
    voter: str = ""  # the participant the phone picked (named voting), else empty


@dataclass(frozen=True)
class PhoneNote:
    """A note a phone sends to the facilitator; it waits on the laptop until accepted."""

    text: str
    device: str


@dataclass(frozen=True)
class PhoneJoin:
    """A phone says who is holding it (named voting), its side (anonymous), or only that it is here."""

    device: str
    voter: str = ""
    side: str = ""  # anonymous voting: a `domain.model.Side` value the phone chose, once


@dataclass(frozen=True)
class PhoneLeave:
    """A phone's last connection closed, or it gave up its person."""

    device: str


PhoneInput = PhoneVote | PhoneNote | PhoneJoin | PhoneLeave


@dataclass(frozen=True)
class Receipt:
    """The app's answer to one input: recorded (on disk), or refused with one plain sentence.

    The sentence is in English, as marked in the source (`N_`), with `{name}` fields given
    apart: the server translates it into the phone's own language, which the app's thread
    does not know."""

    recorded: bool
    message: str = ""
    fields: tuple[tuple[str, str], ...] = ()

    @classmethod
    def ok(cls) -> Receipt:
        return cls(True)

    @classmethod
    def refused(cls, message: str, **fields: str) -> Receipt:
        return cls(False, message, tuple(sorted(fields.items())))


@dataclass
class InputSink:
    """Receives the phones' validated inputs; `accept` returns a future of its `Receipt`.

    `accept` is called on the server's thread and must not block: it hands the input over (a
    queued signal in the app) and returns at once. The future is resolved once the input is
    on disk or refused.
    """

    accept: Callable[[PhoneInput], Future[Receipt]]

    def __call__(self, item: PhoneInput) -> Future[Receipt]:
        return self.accept(item)


ViewProvider = Callable[..., Mapping[str, Any]]  # provider(device, language="")
PERSONAL = ("mine", "voter", "side")
_Rooms = Mapping[str, Mapping[str, Any]]  # what only one phone sees of the room's view


@dataclass
class RoomFeed:
    """What a phone may see now, with a version number that changes whenever that may change.

    `provider(device)` returns a JSON-able dict for one phone (the device's keyed hash), and is
    called on the server's thread: it must only read state that is safe to read there (the app
    publishes a snapshot from its own thread). Whoever changes that state calls `changed()`, from
    any thread; open event streams then ask the provider again and push only what differs.
    """

    provider: ViewProvider
    # Languages phones have asked for besides the room's own: only these are built and published,
    # so a room where every phone reads the workshop's language pays for one view, not one each.
    wanted: set[str] = field(default_factory=set)
    # Called (on the server's thread) when a phone first asks for a language not yet built.
    on_wanted: Callable[[], Any] | None = None
    _version: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _listeners: list[Callable[[int], None]] = field(default_factory=list, repr=False)

    @property
    def version(self) -> int:
        return self._version

    def view(self, device: str, language: str = "") -> Mapping[str, Any]:
        return self.provider(device, language) if language else self.provider(device)

    def view_json(self, device: str, language: str = "") -> str:
        """The view as JSON text; a provider that can reuse the shared part says so by `view_json`."""
        fast = getattr(self.provider, "view_json", None)
        if callable(fast):
            return str(fast(device, language) if language else fast(device))
        return json.dumps(self.view(device, language), ensure_ascii=False, sort_keys=True)

    def want(self, language: str) -> None:
        """A phone reads `language`: have it built from the next publish on (and publish soon)."""
        if language and language not in self.wanted:
            with self._lock:
                self.wanted = self.wanted | {language}  # replaced whole: readers never see it change
            if self.on_wanted is not None:
                self.on_wanted()

    def changed(self) -> int:
        with self._lock:
            self._version += 1
            version = self._version
            listeners = list(self._listeners)
        for listener in listeners:
            listener(version)
        return version

    def subscribe(self, listener: Callable[[int], None]) -> Callable[[], None]:
        """Call `listener(version)` after each change, on the changing thread; returns unsubscribe."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe


@dataclass
class SnapshotProvider:
    """A provider made from a state that another thread publishes whole.

    The app's thread calls `publish(room, personal, translated)` with the room's public view,
    per device hash what only that phone sees (`mine`: its own answers; `voter`: who it votes
    as; `side`: the group it said), and optionally the room's view in other languages (by
    language tag), for phones that chose another language. The server's thread reads the last
    publish; each replaces the whole at once, so a reader never sees half of one.
    """

    feed_changed: Callable[[], Any] | None = None
    # (rooms by language ("" the room's own), personal, the rooms as JSON): replaced whole.
    _state: tuple[_Rooms, _Rooms, Mapping[str, str]] = field(
        default_factory=lambda: ({"": {"screen": {"kind": "waiting", "questions": []}}}, {}, {})
    )

    def publish(
        self,
        room: Mapping[str, Any],
        personal: Mapping[str, Mapping[str, Any]] | None = None,
        translated: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        rooms = {"": room, **(translated or {})}
        shared = {tag: {k: v for k, v in r.items() if k not in PERSONAL} for tag, r in rooms.items()}
        encoded = {tag: json.dumps(r, ensure_ascii=False, sort_keys=True) for tag, r in shared.items()}
        self._state = (shared, personal or {}, encoded)
        if self.feed_changed is not None:
            self.feed_changed()

    def __call__(self, device: str, language: str = "") -> Mapping[str, Any]:
        rooms, personal, _json = self._state
        room = rooms.get(language) or rooms[""]
        return {**room, "mine": {}, "voter": "", "side": "", **personal.get(device, {})}

    def view_json(self, device: str, language: str = "") -> str:
        """The same view as JSON, the room's part encoded once per publish, not once per phone."""
        rooms, personal, encoded = self._state
        room_json = encoded.get(language) or encoded.get("", "")
        if not room_json:
            room_json = json.dumps(rooms.get(language) or rooms[""], ensure_ascii=False, sort_keys=True)
        mine = personal.get(device, {})
        own = json.dumps(
            {"mine": mine.get("mine", {}), "voter": mine.get("voter", ""), "side": mine.get("side", "")},
            ensure_ascii=False,
            sort_keys=True,
        )
        if room_json == "{}":
            return own
        return room_json[:-1] + ", " + own[1:]
