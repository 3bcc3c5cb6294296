"""What a phone may see of the session now, as the JSON-able dict the phone page draws.

Built from the domain on the app's thread and published whole to the server. The phone page
renders only what is here, so every rule of what a phone may know lives in this module and in
the domain it asks: a question's result is included only once the facilitator has revealed it
(and never while a ballot is open at the laptop); a scenario's answer likewise.
"""

from __future__ import annotations

from typing import Any

from ..domain.i18n import N_, _, ngettext, number
from ..domain.matrix import classify, scale_points
from ..domain.model import Participant, Session, Side, StepKind, VotingMode
from ..domain.readiness import READINESS_SCALE
from ..domain.scenarios import scenario_result, term_name
from ..domain.voting import (
    cell_question,
    is_rating,
    is_revealed,
    readiness_question,
    scenario_question,
    summarise,
    tally,
)

PHONE_MODES = {
    VotingMode.NAMED: "named",
    VotingMode.SECRET: "secret",
    VotingMode.ANONYMOUS: "anonymous",
    # Hands cannot be shown through a phone: a phone's vote is then an anonymous one.
    VotingMode.SHOW_OF_HANDS: "anonymous",
}
WAITING: dict[str, Any] = {"kind": "waiting", "title": "", "text": "", "questions": []}
# The groups an anonymous phone may say it belongs to: the domain's sides, for the role split.
SIDE_LABELS: tuple[tuple[Side, str], ...] = (
    (Side.LIVED, N_("I use services, or care for someone who does")),
    (Side.STAFF, N_("I am staff: I work in or for services")),
    (Side.OTHER, N_("I prefer not to say")),
)


def phone_mode(session: Session) -> str:
    """How phones vote: the matrix's voting mode, for every question the room is asked."""
    return PHONE_MODES[session.matrix.mode]


def _number(value: float) -> str:
    return number(value, 1)


def _votes(n: int) -> str:
    return ngettext("{n} vote", "{n} votes", n).format(n=n)


def sides() -> list[dict[str, str]]:
    """The groups an anonymous phone is offered, in the current language."""
    return [{"value": side.value, "label": _(label)} for side, label in SIDE_LABELS]


def room_view(session: Session, *, scenario_id: str = "", results_hidden: bool = False) -> dict[str, Any]:
    """The room's view for phones: the open step's questions, with results once revealed.

    `scenario_id` is the scenario on the projector (the first when empty); `results_hidden`
    is set while a ballot is open at the laptop, when no result may be shown anywhere."""
    mode = phone_mode(session)
    needs_person = mode in ("named", "secret")
    return {
        "title": session.info.title,
        "mode": mode,
        "people": [{"id": p.id, "name": p.name} for p in session.items(Participant)] if needs_person else [],
        "sides": sides() if mode == "anonymous" else [],
        "notes": True,
        "screen": _screen(session, scenario_id, results_hidden),
    }


def _screen(session: Session, scenario_id: str, hidden: bool) -> dict[str, Any]:
    step = session.current_step
    if step is None or step.hidden:
        return dict(WAITING)
    if step.kind is StepKind.SCENARIOS:
        return _scenario(session, scenario_id, hidden)
    if step.kind is StepKind.MATRIX:
        placement = _placement(session, hidden)
        return placement if placement is not None else _matrix(session, hidden)
    if step.kind is StepKind.READINESS:
        return _readiness(session, hidden)
    return dict(WAITING)


def _result(question: str, session: Session, hidden: bool) -> bool:
    return is_revealed(session, question) and not hidden


def _scenario(session: Session, scenario_id: str, hidden: bool) -> dict[str, Any]:
    scenarios = session.scenarios
    chosen = next((s for s in scenarios if s.id == scenario_id), scenarios[0] if scenarios else None)
    if chosen is None:
        return dict(WAITING)
    key = scenario_question(chosen.id)
    question: dict[str, Any] = {
        "key": key,
        "title": _("Which word fits best?"),
        "choices": [{"value": t.key, "label": t.name} for t in session.terms],
    }
    if _result(key, session, hidden):
        outcome = scenario_result(session, chosen)
        lead = ", ".join(term_name(session, k) for k in outcome.leading) or _("nothing yet")
        answer = term_name(session, chosen.answer)
        text = _("The room chose: {lead} ({votes}). The answer: {answer}.").format(
            lead=lead, votes=_votes(outcome.total), answer=answer
        )
        if chosen.explanation:
            text += f" {chosen.explanation}"
        question["result"] = text
        question["closed"] = True
    return {"kind": "scenario", "title": chosen.title, "text": chosen.text, "questions": [question]}


def _rating_result(session: Session, key: str, points: int, labels: tuple[str, ...] | list[str]) -> str:
    counted = tally(session, key)
    summary = summarise((int(c) for c, n in counted.items() if is_rating(c) for _time in range(n)), points)
    if summary.mean is None:
        return _("No votes.")
    near = labels[min(max(round(summary.mean), 0), len(labels) - 1)] if labels else ""
    named = f" ({near})" if near else ""
    return _("The room's average: {mean}{named}, {votes}.").format(
        mean=_number(summary.mean), named=named, votes=_votes(summary.votes)
    )


def _matrix(session: Session, hidden: bool) -> dict[str, Any]:
    scale = list(session.matrix.scale)
    points = scale_points(session)
    questions = []
    for criterion in session.criteria:
        for stage in session.stages:
            key = cell_question(criterion.id, stage.id)
            question: dict[str, Any] = {"key": key, "title": criterion.title, "subtitle": stage.title}
            if criterion.description:
                question["text"] = criterion.description
            if _result(key, session, hidden):
                question["result"] = _rating_result(session, key, points, scale)
                question["closed"] = True
            questions.append(question)
    if not questions:
        return dict(WAITING)
    return {
        "kind": "matrix",
        "title": _("Rate each box"),
        "text": _("0 means {lowest}; {top} means {highest}.").format(
            lowest=scale[0].lower(), top=len(scale) - 1, highest=scale[-1].lower()
        )
        if scale
        else "",
        "choices": [{"value": str(i), "label": f"{i} · {label}"} for i, label in enumerate(scale)],
        "questions": questions,
    }


def _placement(session: Session, hidden: bool) -> dict[str, Any] | None:
    """Once every box is revealed, the room is asked whether it agrees with the placement."""
    cells = [cell_question(c.id, s.id) for c in session.criteria for s in session.stages]
    if hidden or not cells or not all(is_revealed(session, q) for q in cells):
        return None
    placed = classify(session)
    if placed is None:
        return None
    key = f"placement/{placed.rung}"
    question: dict[str, Any] = {
        "key": key,
        "title": _("Do you agree with this placement?"),
        "choices": [{"value": "agree", "label": _("Agree")}, {"value": "disagree", "label": _("Disagree")}],
    }
    if is_revealed(session, key):
        counts = tally(session, key)
        question["result"] = _("Agree: {agree}. Disagree: {disagree}.").format(
            agree=counts.get("agree", 0), disagree=counts.get("disagree", 0)
        )
        question["closed"] = True
    return {
        "kind": "placement",
        "title": _("Where do we stand?"),
        "text": _("The ratings place this work at: {rung}. {reason}").format(
            rung=placed.name, reason=placed.reason
        ),
        "questions": [question],
    }


def _readiness(session: Session, hidden: bool) -> dict[str, Any]:
    questions = []
    for item in session.readiness_items:
        key = readiness_question(item.id)
        question: dict[str, Any] = {"key": key, "title": item.title}
        if item.description:
            question["text"] = item.description
        if _result(key, session, hidden):
            labels = [_(label) for label in READINESS_SCALE]
            question["result"] = _rating_result(session, key, len(READINESS_SCALE), labels)
            question["closed"] = True
        questions.append(question)
    if not questions:
        return dict(WAITING)
    return {
        "kind": "readiness",
        "title": _("Are we ready to co-produce?"),
        "text": _("How far is each condition in place?"),
        "choices": [{"value": str(i), "label": _(label)} for i, label in enumerate(READINESS_SCALE)],
        "questions": questions,
    }
