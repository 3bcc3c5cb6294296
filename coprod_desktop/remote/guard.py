"""The server's defences that need no network: tokens, device hashes, rate limits, input checks.

Kept apart from the server so each rule can be tested on its own and read in one place.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..domain.i18n import _
from .interface import PhoneJoin, PhoneNote, PhoneVote

# Letters and digits a person reads off a projector without mixing them up (no 0/O, 1/I/L, 5/S).
CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXY2346789"
CODE_LENGTH = 6
NOTE_MAX_CHARS = 500

_DEVICE_ID = re.compile(r"[0-9a-f]{32}")
_NONCE = re.compile(r"[A-Za-z0-9_-]{8,40}")
_QUESTION = re.compile(r"(cell|scenario|readiness|placement)(/[A-Za-z0-9_.:-]{1,80}){1,2}")
_CHOICE = re.compile(r"[A-Za-z0-9_.:-]{1,80}")
_VOTER = re.compile(r"[A-Za-z0-9_.:-]{1,80}")


class BadInput(Exception):
    """A request that is refused before it reaches the app; the message is a plain sentence."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Limits:
    """How much the server lets a phone, and all phones together, ask of it."""

    max_body: int = 2048  # bytes of a request body
    max_connections: int = 500  # open TCP connections at once (a browser opens up to 6 a phone)
    max_devices: int = 400  # phones one session lets in
    streams_per_device: int = 4  # open event streams per phone (tabs)
    rate_per_second: float = 10.0  # a phone's sustained requests per second
    rate_burst: int = 40  # ... and how many it may send at once
    anonymous_rate_per_second: float = 50.0  # all requests without a device cookie together
    anonymous_burst: int = 100
    wrong_codes_per_minute: int = 10  # wrong room codes typed, all phones together
    header_timeout: float = 10.0  # seconds for a request's head to arrive, or idle keep-alive
    body_timeout: float = 5.0  # seconds for a request's body to arrive
    write_timeout: float = 10.0  # seconds a phone may take to read what it is sent
    sink_timeout: float = 10.0  # seconds the app may take to put an input on disk
    coalesce: float = 0.025  # seconds an event stream waits after a change for the next ones
    heartbeat: float = 15.0  # seconds between keep-alive comments on an event stream
    leave_after: float = 30.0  # seconds without a connection before a phone counts as gone


def new_token() -> str:
    """128 random bits, URL-safe: the secret part of the join address."""
    return secrets.token_urlsafe(16)


def new_room_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _place in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What a person typed, as the code is written: capitals, no spaces or dashes."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def same_secret(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


class DeviceKeys:
    """Issues device ids to phones and keeps only their keyed hashes (HMAC, per-session secret).

    The raw id lives in the phone's cookie; the server keeps the hash of each id it issued, so
    an id it never issued is refused and nothing on the laptop can be turned back into a cookie.
    """

    def __init__(self, max_devices: int) -> None:
        self._secret = secrets.token_bytes(32)
        self._issued: set[str] = set()
        self._max = max_devices

    def hash(self, device_id: str) -> str:
        return hmac.new(self._secret, device_id.encode("ascii"), hashlib.sha256).hexdigest()[:32]

    def issue(self) -> tuple[str, str] | None:
        """A new (device id, hash) pair, or None when the room is full."""
        if len(self._issued) >= self._max:
            return None
        device_id = secrets.token_hex(16)
        digest = self.hash(device_id)
        self._issued.add(digest)
        return device_id, digest

    def known(self, device_id: str | None) -> str | None:
        """The hash of a device id this session issued, else None."""
        if not device_id or not _DEVICE_ID.fullmatch(device_id):
            return None
        digest = self.hash(device_id)
        return digest if digest in self._issued else None

    def __len__(self) -> int:
        return len(self._issued)


@dataclass
class Bucket:
    """A token bucket: `burst` requests at once, refilled at `rate` per second."""

    rate: float
    burst: int
    tokens: float = -1.0
    stamp: float = field(default_factory=time.monotonic)

    def take(self, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        if self.tokens < 0:
            self.tokens = float(self.burst)
        self.tokens = min(float(self.burst), self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class RateLimits:
    """One bucket per device hash, one for every request that has no device yet."""

    def __init__(self, limits: Limits) -> None:
        self._limits = limits
        self._devices: dict[str, Bucket] = {}
        self._anonymous = Bucket(limits.anonymous_rate_per_second, limits.anonymous_burst)
        self._wrong_codes = Bucket(limits.wrong_codes_per_minute / 60.0, limits.wrong_codes_per_minute)

    def allow(self, device: str | None) -> bool:
        if device is None:
            return self._anonymous.take()
        bucket = self._devices.get(device)
        if bucket is None:
            bucket = self._devices[device] = Bucket(self._limits.rate_per_second, self._limits.rate_burst)
        return bucket.take()

    def codes_locked(self) -> bool:
        """Whether too many wrong room codes were typed lately (all phones together)."""
        bucket = self._wrong_codes
        now = time.monotonic()
        if bucket.tokens < 0:
            return False
        return min(float(bucket.burst), bucket.tokens + (now - bucket.stamp) * bucket.rate) < 1.0

    def wrong_code(self) -> None:
        self._wrong_codes.take()


class Replays:
    """Remembers the last inputs of each phone by their request id, so a repeat is not recorded twice."""

    def __init__(self, per_device: int = 600) -> None:
        self._per_device = per_device
        self._seen: dict[str, OrderedDict[str, Any]] = {}

    def get(self, device: str, nonce: str) -> Any | None:
        return self._seen.get(device, OrderedDict()).get(nonce)

    def put(self, device: str, nonce: str, value: Any) -> None:
        seen = self._seen.setdefault(device, OrderedDict())
        seen[nonce] = value
        while len(seen) > self._per_device:
            seen.popitem(last=False)

    def forget(self, device: str, nonce: str) -> None:
        self._seen.get(device, OrderedDict()).pop(nonce, None)


# --------------------------------------------------------------------------- request bodies


def _text(body: Mapping[str, Any], name: str, pattern: re.Pattern[str] | None, required: bool = True) -> str:
    value = body.get(name, "")
    if not isinstance(value, str):
        raise BadInput(_("The field '{name}' must be text.").format(name=name))
    if not value:
        if required:
            raise BadInput(_("The field '{name}' is missing.").format(name=name))
        return ""
    if pattern is not None and not pattern.fullmatch(value):
        raise BadInput(_("The field '{name}' is not in the expected form.").format(name=name))
    return value


def nonce_of(body: Mapping[str, Any]) -> str:
    return _text(body, "id", _NONCE)


def parse_vote(body: Mapping[str, Any], view: Mapping[str, Any], device: str) -> PhoneVote:
    """A vote checked against what this phone is shown now: an open question and one of its choices."""
    question = _text(body, "question", _QUESTION)
    choice = _text(body, "choice", _CHOICE)
    voter = _text(body, "voter", _VOTER, required=False)
    open_questions = {
        q.get("key"): q for q in view.get("screen", {}).get("questions", []) if isinstance(q, Mapping)
    }
    asked = open_questions.get(question)
    if asked is None or asked.get("closed"):
        raise BadInput(_("This question is not open for votes now."), status=409)
    choices = asked.get("choices") or view.get("screen", {}).get("choices", [])
    if choice not in {c.get("value") for c in choices}:
        raise BadInput(_("That answer is not one of this question's choices."))
    if view.get("mode") in ("named", "secret"):  # the phone votes as (or for) the person it chose
        if voter not in {p.get("id") for p in view.get("people", [])}:
            raise BadInput(_("Choose who you are before voting."), status=409)
    else:
        voter = ""
    return PhoneVote(question=question, choice=choice, device=device, voter=voter)


def parse_note(body: Mapping[str, Any], view: Mapping[str, Any], device: str) -> PhoneNote:
    if not view.get("notes"):
        raise BadInput(_("The facilitator is not taking notes from phones now."), status=409)
    text = body.get("text", "")
    if not isinstance(text, str):
        raise BadInput(_("The field '{name}' must be text.").format(name="text"))
    # Control characters other than line breaks and tabs have no place in a note.
    text = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()
    if not text:
        raise BadInput(_("The note is empty."))
    if len(text) > NOTE_MAX_CHARS:
        raise BadInput(_("A note can be at most {n} characters long.").format(n=NOTE_MAX_CHARS))
    return PhoneNote(text=text, device=device)


def parse_join(body: Mapping[str, Any], view: Mapping[str, Any], device: str) -> PhoneJoin:
    voter = _text(body, "voter", _VOTER, required=False)
    if voter and voter not in {p.get("id") for p in view.get("people", [])}:
        raise BadInput(_("That person is not on this workshop's list."))
    side = _text(body, "side", _VOTER, required=False)
    if side and side not in {s.get("value") for s in view.get("sides", [])}:
        raise BadInput(_("That is not one of the groups."))
    return PhoneJoin(device=device, voter=voter, side=side)
