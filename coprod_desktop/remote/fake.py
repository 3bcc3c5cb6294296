"""A stand-in room for tests, benchmarks and trying the phone page without the app.

`FakeRoom` plays the app's part: it publishes what phones may see and records their inputs
on a thread of its own (as the app records them on its GUI thread), optionally in a SQLite
file, resolving each input's future only once it is committed.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .interface import (
    InputSink,
    PhoneInput,
    PhoneJoin,
    PhoneLeave,
    PhoneNote,
    PhoneVote,
    Receipt,
    RoomFeed,
    SnapshotProvider,
)

RATING_CHOICES = [{"value": str(n), "label": str(n)} for n in range(5)]


def matrix_screen(criteria: int = 5, stages: int = 4, title: str = "Rate each box") -> dict[str, Any]:
    questions = [
        {
            "key": f"cell/c{c}/s{s}",
            "title": f"Criterion {c + 1}",
            "subtitle": f"Stage {s + 1}",
        }
        for c in range(criteria)
        for s in range(stages)
    ]
    # One scale for every box, sent once: what a phone downloads on each change stays small.
    return {
        "kind": "matrix",
        "title": title,
        "text": "0 means not at all, 4 means fully.",
        "choices": RATING_CHOICES,
        "questions": questions,
    }


def scenario_screen() -> dict[str, Any]:
    terms = ["co-production", "co-design", "consultation", "engagement"]
    return {
        "kind": "scenario",
        "title": "Which is it?",
        "text": "A library asks its readers which opening hours suit them, then decides alone.",
        "questions": [
            {
                "key": "scenario/library",
                "title": "Which word fits best?",
                "choices": [{"value": t, "label": t.capitalize()} for t in terms],
            }
        ],
    }


def readiness_screen() -> dict[str, Any]:
    items = ["Time", "Money and resources", "Support from leaders", "Willingness to share power"]
    return {
        "kind": "readiness",
        "title": "Are we ready?",
        "text": "How far is each condition in place?",
        "questions": [
            {
                "key": f"readiness/r{n}",
                "title": item,
                "choices": [
                    {"value": "0", "label": "Not in place"},
                    {"value": "1", "label": "Partly"},
                    {"value": "2", "label": "In place"},
                ],
            }
            for n, item in enumerate(items)
        ],
    }


def placement_screen() -> dict[str, Any]:
    return {
        "kind": "placement",
        "title": "Where do we stand?",
        "text": "The matrix places this service at: co-design.",
        "questions": [
            {
                "key": "placement/co-design",
                "title": "Do you agree with this placement?",
                "choices": [{"value": "agree", "label": "Agree"}, {"value": "disagree", "label": "Disagree"}],
            }
        ],
    }


WAITING: dict[str, Any] = {"kind": "waiting", "title": "", "text": "", "questions": []}


@dataclass
class Recorded:
    """Everything the fake room took from phones, in order."""

    votes: list[PhoneVote] = field(default_factory=list)
    notes: list[PhoneNote] = field(default_factory=list)
    joins: list[PhoneJoin] = field(default_factory=list)
    leaves: list[PhoneLeave] = field(default_factory=list)


class FakeRoom:
    """A feed and a sink that behave as the app's do, with no Qt and no session."""

    def __init__(
        self,
        screen: Mapping[str, Any] | None = None,
        mode: str = "anonymous",
        people: list[dict[str, str]] | None = None,
        notes: bool = True,
        database: Path | None = None,
    ) -> None:
        self.provider = SnapshotProvider()
        self.feed = RoomFeed(self.provider)
        self.provider.feed_changed = self.feed.changed
        self.sink = InputSink(self._accept)
        self.recorded = Recorded()
        self.mode = mode
        self.people = people or []
        self.sides: list[dict[str, str]] = []  # the groups an anonymous phone is asked for
        self.notes = notes
        self.screen: Mapping[str, Any] = screen or WAITING
        self.results: dict[str, str] = {}  # question -> what the room is shown after reveal
        self.refuse_with = ""  # when set, every vote is refused with this sentence
        self._answers: dict[str, dict[str, str]] = {}  # device -> question -> choice
        self._voter_of: dict[str, str] = {}
        self._side_of: dict[str, str] = {}
        self._lock = threading.Lock()
        self._queue: queue.Queue[tuple[PhoneInput, Future[Receipt]] | None] = queue.Queue()
        self._database = database
        self._worker = threading.Thread(target=self._record_loop, name="fake-room", daemon=True)
        self._worker.start()
        self.publish()

    # -- what the facilitator does

    def show(self, screen: Mapping[str, Any], mode: str | None = None) -> None:
        self.screen = screen
        if mode is not None:
            self.mode = mode
        self.publish()

    def reveal(self, question: str, text: str) -> None:
        self.results[question] = text
        self.publish()

    def publish(self) -> None:
        screen = dict(self.screen)
        screen["questions"] = [
            {**q, **({"result": self.results[q["key"]], "closed": True} if q["key"] in self.results else {})}
            for q in self.screen.get("questions", [])
        ]
        keys = {q["key"] for q in screen["questions"]}
        with self._lock:
            voters = {v.device for v in self.recorded.votes if v.question in keys}
        if screen["questions"]:
            # Changes with every first vote of a phone, so every phone's view changes then too.
            screen["progress"] = f"{len(voters)} {'phone has' if len(voters) == 1 else 'phones have'} voted"
        room = {
            "title": "Test workshop",
            "mode": self.mode,
            "people": self.people if self.mode == "named" else [],
            "sides": self.sides if self.mode == "anonymous" else [],
            "notes": self.notes,
            "screen": screen,
        }
        with self._lock:
            personal = {
                device: {
                    "mine": dict(answers),
                    "voter": self._voter_of.get(device, ""),
                    "side": self._side_of.get(device, ""),
                }
                for device, answers in self._answers.items()
            }
            for device, voter in self._voter_of.items():
                personal.setdefault(device, {"mine": {}, "voter": voter, "side": ""})
            for device, side in self._side_of.items():
                personal.setdefault(device, {"mine": {}, "voter": "", "side": side})
        self.provider.publish(room, personal)

    def close(self) -> None:
        self._queue.put(None)
        self._worker.join(5)

    # -- what the app does with phone input

    def _accept(self, item: PhoneInput) -> Future[Receipt]:
        future: Future[Receipt] = Future()
        self._queue.put((item, future))
        return future

    def _record_loop(self) -> None:
        db = sqlite3.connect(self._database) if self._database else None
        if db is not None:
            db.execute("PRAGMA synchronous=FULL")
            db.execute("CREATE TABLE IF NOT EXISTS vote (question TEXT, device TEXT, choice TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS note (device TEXT, text TEXT)")
        while True:
            entry = self._queue.get()
            if entry is None:
                break
            item, future = entry
            receipt = self._record(item, db)
            future.set_result(receipt)
        if db is not None:
            db.close()

    def _record(self, item: PhoneInput, db: sqlite3.Connection | None) -> Receipt:
        if isinstance(item, PhoneVote):
            if self.refuse_with:
                return Receipt.refused(self.refuse_with)
            if db is not None:
                with db:
                    db.execute("INSERT INTO vote VALUES (?, ?, ?)", (item.question, item.device, item.choice))
            with self._lock:
                self.recorded.votes.append(item)
                self._answers.setdefault(item.device, {})[item.question] = item.choice
        elif isinstance(item, PhoneNote):
            if db is not None:
                with db:
                    db.execute("INSERT INTO note VALUES (?, ?)", (item.device, item.text))
            self.recorded.notes.append(item)
        elif isinstance(item, PhoneJoin):
            with self._lock:
                self.recorded.joins.append(item)
                if item.side:
                    self._side_of[item.device] = item.side
                if item.voter:
                    taken = {d for d, v in self._voter_of.items() if v == item.voter and d != item.device}
                    if taken:
                        return Receipt.refused("Another phone already votes as this person.")
                    self._voter_of[item.device] = item.voter
        elif isinstance(item, PhoneLeave):
            self.recorded.leaves.append(item)
            return Receipt.ok()
        self.publish()
        return Receipt.ok()

    # -- what tests ask

    def votes_by_device(self) -> dict[str, dict[str, str]]:
        with self._lock:
            return {d: dict(a) for d, a in self._answers.items()}
