"""A realistic, complete sample workshop, for trying the app and for tests.

Everything is generated from a fixed seed, so the same sample comes out every
time. The story: a leisure trust and the people who use its strength-and-balance
classes ask whether the way they run the classes together is co-production.
"""

from __future__ import annotations

import random

from .model import (
    Action,
    CanvasBackground,
    CanvasSettings,
    Card,
    CardKind,
    Note,
    Participant,
    Progress,
    Reveal,
    RoleGroup,
    Session,
    StepKind,
    Tally,
    Vote,
    VotingMode,
    replace,
)
from .voting import cell_question, readiness_question, scenario_question

PEOPLE: tuple[tuple[str, RoleGroup], ...] = (
    ("Agnieszka Wójcik", RoleGroup.USES_SERVICES),
    ("Νίκος Παπαδόπουλος", RoleGroup.USES_SERVICES),
    ("Nguyễn Thị Hương", RoleGroup.CARER),
    ("Ольга Смирнова", RoleGroup.USES_SERVICES),
    ("Siobhán Ní Bhriain", RoleGroup.COMMUNITY),
    ("Kwame Mensah", RoleGroup.CARER),
    ("Fatima Al-Sayed", RoleGroup.COMMUNITY),
    ("José Martínez", RoleGroup.FRONTLINE),
    ("Priya Raman", RoleGroup.FRONTLINE),
    ("Jürgen Müller", RoleGroup.MANAGER),
    ("Ayşe Yılmaz", RoleGroup.RESEARCHER),
    ("Aroha Ngata", RoleGroup.MANAGER),
)

# Card positions on the plan x deliver grid, "now" then "aspiration" (see domain/canvas.py:
# both axes run from professionals, 0, to people who use services and communities, 1000;
# x is who plans, y is who delivers, top to bottom).
# x runs from professionals (0) to people who use services (1000), y likewise
# from delivery by professionals (1000, bottom) to delivery by people (0, top).
CARDS: tuple[tuple[CardKind, str, RoleGroup | None, tuple[float, float], tuple[float, float] | None], ...] = (
    (CardKind.STAKEHOLDER, "Class members", RoleGroup.USES_SERVICES, (170, 560), (830, 620)),
    (CardKind.STAKEHOLDER, "Carers who bring people", RoleGroup.CARER, (170, 760), (500, 760)),
    (CardKind.STAKEHOLDER, "Instructors", RoleGroup.FRONTLINE, (500, 110), (830, 420)),
    (CardKind.STAKEHOLDER, "Leisure trust managers", RoleGroup.MANAGER, (170, 135), (500, 400)),
    (CardKind.STAKEHOLDER, "Neighbourhood walking group", RoleGroup.COMMUNITY, (830, 860), (500, 880)),
    (CardKind.DECISION, "Class timetable", None, (170, 234), (500, 500)),
    (CardKind.DECISION, "Choosing the exercises", None, (500, 225), (830, 520)),
    (CardKind.DECISION, "Welcoming newcomers", None, (170, 440), (830, 735)),
    (CardKind.DECISION, "Judging if it works", None, (170, 325), (500, 600)),
    (CardKind.STAKEHOLDER, "GP practice", RoleGroup.OTHER, (170, 36), None),
)

# Hands raised for each point of the readiness scale (Not at all .. Fully), per condition
# in template order: time, resources, support, equal footing, power, responsibility.
READINESS_HANDS: tuple[tuple[int, ...], ...] = (
    (0, 2, 5, 4, 1),
    (3, 6, 2, 1, 0),
    (0, 1, 2, 6, 3),
    (1, 3, 4, 3, 1),
    (0, 1, 3, 5, 3),
    (0, 2, 4, 4, 2),
)

ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("Invite two class members onto the programme planning group", "Jürgen Müller", "2027-01-15"),
    ("Pay members for their time at planning meetings", "Aroha Ngata", "2027-02-01"),
    ("Run a buddy scheme for newcomers, led by members", "Agnieszka Wójcik", "2027-02-28"),
    ("Agree together how we will judge whether the classes work", "Priya Raman", "2027-03-31"),
    ("Share this summary in large print and in Polish and Greek", "José Martínez", "2026-12-12"),
)

NOTES: tuple[tuple[StepKind, str], ...] = (
    (StepKind.WELCOME, "Room asked for a break after the matrix. Hearing loop checked and working."),
    (StepKind.MATRIX, "Big gap on delivery: staff rated themselves higher than members did."),
    (StepKind.CANVAS, "Members want a real say in the timetable, not just a survey."),
    (StepKind.READINESS, "Money for members' time is the sticking point; Aroha will ask the board."),
)


def build_sample(template: Session, seed: int = 2026) -> Session:
    """Fill `template` (a fresh session from a template) with a whole workshop's worth of work."""
    rng = random.Random(seed)
    session = template
    session.put(
        replace(
            template.info,
            title="Strength and balance classes: are we co-producing?",
            date="2026-11-19",
            place="Riverside Community Centre, Room 2",
            facilitator="Maya Okafor",
            purpose="Find out how far members and staff share power in running the classes, "
            "and agree what to change next year.",
        )
    )
    people = [
        Participant(id=f"p{index:02d}", name=name, role=role, position=index)
        for index, (name, role) in enumerate(PEOPLE)
    ]
    for person in people:
        session.put(person)

    # The matrix, in named mode: staff rate the partnership higher than members do,
    # and everyone rates design above delivery, which reads as co-design.
    session.put(replace(session.matrix, mode=VotingMode.NAMED))
    points = len(session.matrix.scale)
    stages = session.stages
    for row, criterion in enumerate(session.criteria):
        for column, stage in enumerate(stages):
            base = 2.6 if column == 1 else 1.4 - 0.1 * row
            for person in people:
                lift = 0.9 if person.role.professional else -0.3
                value = round(base + lift + rng.uniform(-1.0, 1.0))
                value = min(points - 1, max(0, value))
                session.put(Vote(cell_question(criterion.id, stage.id), person.id, str(value)))
            session.put(Reveal(cell_question(criterion.id, stage.id)))
    session.put(
        replace(
            session.matrix,
            agreed_rung="co-design",
            agreed_reason="Members shape the design of classes, but staff still plan and run them.",
        )
    )

    # Scenarios: named votes for the first three (revealed), counted hands for the rest.
    terms = [term.key for term in session.terms]
    for number, scenario in enumerate(session.scenarios):
        question = scenario_question(scenario.id)
        if number < 3:
            for person in people:
                right = rng.random() < 0.7
                session.put(Vote(question, person.id, scenario.answer if right else rng.choice(terms)))
            session.put(Reveal(question))
        else:
            left = len(people)
            for term in terms:
                count = left if term == terms[-1] else rng.randint(0, left // 2)
                left -= count
                if count:
                    session.put(Tally(question, term, count))

    # Readiness: counted hands on the five-point scale, revealed. Money for members'
    # time is what the room says is missing.
    for item, hands in zip(session.readiness_items, READINESS_HANDS, strict=False):
        question = readiness_question(item.id)
        for value, count in enumerate(hands):
            if count:
                session.put(Tally(question, str(value), count))
        session.put(Reveal(question))

    session.put(CanvasSettings(background=CanvasBackground.PLAN_DELIVER, snap=False))
    for index, (kind, text, role, now, aim) in enumerate(CARDS):
        session.put(
            Card(
                id=f"c{index:02d}",
                kind=kind,
                text=text,
                role=role,
                now_x=now[0],
                now_y=now[1],
                aspiration_x=aim[0] if aim else None,
                aspiration_y=aim[1] if aim else None,
                position=index,
            )
        )
    criteria = session.criteria
    for index, (what, who, due) in enumerate(ACTIONS):
        link = f"criterion:{criteria[index % len(criteria)].id}" if criteria and index % 2 == 0 else ""
        if index == 1:
            link = "card:c00"
        session.put(Action(id=f"a{index:02d}", what=what, who=who, due=due, link=link, position=index))

    steps_by_kind = {step.kind: step for step in session.steps}
    for index, (step_kind, text) in enumerate(NOTES):
        step = steps_by_kind.get(step_kind)
        session.put(Note(id=f"n{index:02d}", text=text, step_id=step.id if step else "", position=index))

    summary = steps_by_kind.get(StepKind.SUMMARY)
    if summary is not None:
        session.put(Progress(current_step_id=summary.id))
    return session
