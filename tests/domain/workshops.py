"""Small hand-made workshops for the compare, combine and follow-up tests.

`workshop()` makes a session with a 2 x 2 matrix on the five-point scale, two readiness
conditions and named people; `rate()` puts named ratings on a box and reveals it. Every
item carries the same stable keys in every session made here, with fresh ids, as two
sessions of one template would.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

from coprod_desktop.domain.model import (
    Card,
    CardKind,
    Criterion,
    Participant,
    ReadinessItem,
    Reveal,
    RoleGroup,
    Session,
    Stage,
    Tally,
    Vote,
    WorkshopInfo,
    new_id,
)
from coprod_desktop.domain.voting import cell_question, readiness_question

CRITERIA = (("who-decides", "Who decides"), ("who-pays", "Who pays"))
STAGES = (("plan", "Plan"), ("deliver", "Deliver"))
CONDITIONS = (("time", "Time"), ("money", "Money"))


def workshop(
    title: str = "Run",
    *,
    lived: int = 3,
    staff: int = 3,
    criteria: Sequence[tuple[str, str]] = CRITERIA,
    stages: Sequence[tuple[str, str]] = STAGES,
    conditions: Sequence[tuple[str, str]] = CONDITIONS,
    template: str = "Test template",
    prefix: str | None = None,
) -> Session:
    """`prefix` makes the ids `<prefix><key>` (for property tests, which must not draw on
    randomness); by default they are random, as in two sessions of one template."""
    session = Session()

    def ident(key: str) -> str:
        return new_id() if prefix is None else f"{prefix}{key}"

    key = new_id() if prefix is None else f"{prefix}session"
    session.put(WorkshopInfo(title=title, date="2026-11-19", template=template, session_key=key))
    for index, (key, name) in enumerate(criteria):
        session.put(Criterion(id=ident(key), title=name, position=index, key=key))
    for index, (key, name) in enumerate(stages):
        session.put(Stage(id=ident(key), title=name, position=index, key=key))
    for index, (key, name) in enumerate(conditions):
        session.put(ReadinessItem(id=ident(key), title=name, position=index, key=key))
    for index in range(lived):
        session.put(
            Participant(id=f"l{index}", name=f"Lived {index}", role=RoleGroup.USES_SERVICES, position=index)
        )
    for index in range(staff):
        session.put(
            Participant(
                id=f"s{index}", name=f"Staff {index}", role=RoleGroup.FRONTLINE, position=lived + index
            )
        )
    return session


def question(session: Session, criterion_key: str, stage_key: str) -> str:
    criterion = next(c for c in session.criteria if c.key == criterion_key)
    stage = next(s for s in session.stages if s.key == stage_key)
    return cell_question(criterion.id, stage.id)


def rate(
    session: Session,
    criterion_key: str,
    stage_key: str,
    lived: Sequence[int] = (),
    staff: Sequence[int] = (),
    *,
    hands: Sequence[int] = (),
    reveal: bool = True,
) -> str:
    """Named ratings by the lived-experience people l0, l1... and staff s0, s1...,
    plus counted `hands` (one rating per hand), on one box."""
    q = question(session, criterion_key, stage_key)
    for index, value in enumerate(lived):
        session.put(Vote(q, f"l{index}", str(value)))
    for index, value in enumerate(staff):
        session.put(Vote(q, f"s{index}", str(value)))
    for value in set(hands):
        session.put(Tally(q, str(value), list(hands).count(value)))
    if reveal:
        session.put(Reveal(q))
    return q


def rate_readiness(session: Session, key: str, values: Sequence[int]) -> None:
    item = next(i for i in session.readiness_items if i.key == key)
    for value in set(values):
        session.put(Tally(readiness_question(item.id), str(value), list(values).count(value)))


def card(
    session: Session, ident: str, text: str, now: tuple[float, float], aim: tuple[float, float] | None
) -> None:
    session.put(
        Card(
            id=ident,
            kind=CardKind.DECISION,
            text=text,
            now_x=now[0],
            now_y=now[1],
            aspiration_x=aim[0] if aim else None,
            aspiration_y=aim[1] if aim else None,
        )
    )


# --- random pairs of runs, for the property tests ------------------------------------------

ratings = st.lists(st.integers(0, 4), max_size=8)


@st.composite
def runs(draw: st.DrawFn, *, same_aims: bool = True) -> tuple[Session, Session]:
    """Two runs of one workshop: random named ratings, hands, reveals, readiness and card
    positions; the second may lack an item of the first or have one of its own."""
    sessions = []
    aims = [(draw(st.floats(0, 1000)), draw(st.floats(0, 1000))) for _ in range(3)]
    for run in range(2):
        criteria = list(CRITERIA) + ([("extra", "Extra row")] if draw(st.booleans()) else [])
        if run == 1 and draw(st.booleans()):
            criteria = criteria[1:]  # the later run dropped a row
        renamed = draw(st.booleans())
        stages = [(key, f"{title} again" if renamed and run else title) for key, title in STAGES]
        session = workshop(
            f"Run {run}",
            lived=draw(st.integers(0, 5)),
            staff=draw(st.integers(0, 5)),
            criteria=criteria,
            stages=stages,
            prefix=f"r{run}-",
        )
        people = session.participants
        for criterion in session.criteria:
            for stage in session.stages:
                q = cell_question(criterion.id, stage.id)
                for person in people:
                    value = draw(st.none() | st.integers(0, 4))
                    if value is not None:
                        session.put(Vote(q, person.id, str(value)))
                for value, count in enumerate(draw(st.lists(st.integers(0, 3), min_size=5, max_size=5))):
                    if count:
                        session.put(Tally(q, str(value), count))
                if draw(st.booleans()) or draw(st.booleans()):
                    session.put(Reveal(q))
        for item in session.readiness_items:
            for value, count in enumerate(draw(st.lists(st.integers(0, 4), min_size=5, max_size=5))):
                if count:
                    session.put(Tally(readiness_question(item.id), str(value), count))
        for index, aim in enumerate(aims):
            now = (draw(st.floats(0, 1000)), draw(st.floats(0, 1000)))
            own_aim = aim if same_aims else (draw(st.floats(0, 1000)), draw(st.floats(0, 1000)))
            card(session, f"card{index}", f"Card {index}", now, own_aim if index else None)
        sessions.append(session)
    return sessions[0], sessions[1]
