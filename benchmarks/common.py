"""What the benchmark scripts share: the large session, the paint counter, isolation, output.

Every script under benchmarks/ that measures something runs as its own process, started by
run.py with the interpreter of the benchmark venv (the app installed from its wheel, with
bytecode). Each prints its samples as one JSON line starting with `BENCH ` on stdout, which
run.py collects over the repeats and turns into one table.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

LARGE_PARTICIPANTS = 60
LARGE_CRITERIA = 10
LARGE_STAGES = 5
LARGE_CARDS = 500

NAMES = (
    "Agnieszka Wójcik",
    "Νίκος Παπαδόπουλος",
    "Nguyễn Thị Hương",
    "Ольга Смирнова",
    "Siobhán Ní Bhriain",
    "Kwame Mensah",
    "Fatima Al-Sayed",
    "José Martínez",
    "Priya Raman",
    "Jürgen Müller",
    "陈美玲",
    "Aroha Ngata",
)

# PySide6 6.12.0 on CPython 3.11 drops a reference to True on every Python Signal.emit();
# keep any benchmark process alive through thousands of emits (the pin in pyproject.toml
# keeps that release out, this only guards a run made with it by hand).
_TRUE_BALLAST = [True] * 200_000


def isolate(prefix: str) -> Path:
    """A scratch folder, with Qt offscreen and settings that are never the user's own."""
    work = Path(tempfile.mkdtemp(prefix=prefix, dir=os.environ.get("COPROD_BENCH_DIR") or None))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["XDG_CONFIG_HOME"] = str(work / "config")
    os.environ["XDG_DATA_HOME"] = str(work / "data")
    return work


def emit(samples: dict[str, Any]) -> None:
    """Hand the samples to run.py: {key: {"label": ..., "unit": "ms", "values": [...]}}."""
    print("BENCH " + json.dumps(samples, ensure_ascii=False), flush=True)


def sample(label: str, values: list[float], unit: str = "ms", **extra: Any) -> dict[str, Any]:
    return {"label": label, "unit": unit, "values": list(values), **extra}


def quiet_qt() -> None:
    """Drop the offscreen platform's note about size hints; pass every other message on."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_kind: Any, _context: Any, message: str) -> None:
        if "propagateSizeHints" not in message and "does not support raise" not in message:
            print(message, file=sys.stderr)

    globals()["_qt_handler"] = handler  # kept alive for as long as Qt may call it
    qInstallMessageHandler(handler)


def paint_counter(widget: Any) -> Any:
    """An event filter counting `widget`'s paint events (and its layout requests)."""
    from PySide6.QtCore import QEvent, QObject

    class Counter(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.paints = 0
            self.layouts = 0
            self.first_paint_at: float | None = None

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
            kind = event.type()
            if kind == QEvent.Type.Paint:
                self.paints += 1
                if self.first_paint_at is None:
                    import time

                    self.first_paint_at = time.perf_counter()
            elif kind == QEvent.Type.LayoutRequest:
                self.layouts += 1
            return False

    counter = Counter()
    widget.installEventFilter(counter)
    return counter


def build_large_session(cards: int = LARGE_CARDS) -> Any:
    """60 participants, a fully voted and revealed 10×5 matrix (3000 named votes), `cards` cards."""
    from coprod_desktop.domain.model import (
        Criterion,
        Participant,
        Reveal,
        RoleGroup,
        Stage,
        Vote,
        VotingMode,
        replace,
    )
    from coprod_desktop.domain.voting import cell_question
    from coprod_desktop.storage.templates import load_builtin_template

    rng = random.Random(2026)
    session = load_builtin_template()
    for cls in (Criterion, Stage):
        for entity in session.items(cls):
            session.remove(cls, entity.ident)
    roles = list(RoleGroup)
    people = [
        Participant(
            id=f"p{i:03d}",
            name=f"{NAMES[i % len(NAMES)]} {i // len(NAMES) + 1}",
            role=roles[i % len(roles)],
            position=i,
        )
        for i in range(LARGE_PARTICIPANTS)
    ]
    criteria = [
        Criterion(
            id=f"crit{i:02d}",
            title=f"Criterion {i + 1}: who decides, who does",
            description="How far people who use services share power here.",
            position=i,
        )
        for i in range(LARGE_CRITERIA)
    ]
    stages = [
        Stage(
            id=f"stage{i}", title=f"Stage {i + 1}", description="A stage of the service's life.", position=i
        )
        for i in range(LARGE_STAGES)
    ]
    for entity in (*people, *criteria, *stages):
        session.put(entity)
    session.put(replace(session.matrix, mode=VotingMode.NAMED))
    points = len(session.matrix.scale)
    for criterion in criteria:
        for stage in stages:
            question = cell_question(criterion.id, stage.id)
            for person in people:
                session.put(Vote(question, person.id, str(rng.randrange(points))))
            session.put(Reveal(question))
    add_cards(session, cards, people=[p.id for p in people], seed=2026)
    return session


def add_cards(session: Any, count: int, *, people: list[str] | None = None, seed: int = 5) -> None:
    """`count` cards, half stakeholders and half decisions, placed on both layers."""
    from coprod_desktop.domain.model import Card, CardKind, RoleGroup

    rng = random.Random(seed)
    roles = list(RoleGroup)
    start = len(session.cards)
    for i in range(count):
        stakeholder = i % 2 == 0
        session.put(
            Card(
                id=f"card{start + i:05d}",
                kind=CardKind.STAKEHOLDER if stakeholder else CardKind.DECISION,
                text=f"Card {i + 1}: {NAMES[i % len(NAMES)]}'s point about the timetable",
                role=roles[i % len(roles)] if stakeholder else None,
                **({"participant_id": people[i % len(people)]} if people else {}),
                now_x=rng.uniform(0, 1000),
                now_y=rng.uniform(0, 1000),
                aspiration_x=rng.uniform(0, 1000),
                aspiration_y=rng.uniform(0, 1000),
                position=start + i,
            )
        )


def write_large_session(path: Path, cards: int = LARGE_CARDS) -> Path:
    from coprod_desktop.storage.sessionfile import SessionFile

    SessionFile.create(path, build_large_session(cards)).close()
    return path
