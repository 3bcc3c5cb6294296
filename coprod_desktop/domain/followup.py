"""Running a workshop again: a follow-up session made from an earlier one.

Co-production is a journey: a group assesses itself, agrees actions and comes back
months later to see whether power has really moved. `start_follow_up` makes the new
session: the same workshop (steps, words, matrix rows and columns, scenarios,
readiness conditions, canvas background and every card where it stood), the same
people if wanted, and nothing the earlier room decided (no votes, reveals, notes,
agreed placement or actions). It names the earlier session by its key, and opens
with a review step, "Did we do what we said?", that walks the earlier actions one
by one (`ActionReview`).

The earlier session is never changed. Ids are kept, so the follow-up's rows, columns
and cards are the earlier ones; stable keys are kept too, which is what `compare`
matches on.
"""

from __future__ import annotations

from collections.abc import Sequence

from .changes import Change
from .i18n import DEFAULT, N_, _, using
from .model import (
    Action,
    ActionReview,
    ActionStatus,
    CanvasSettings,
    Card,
    Criterion,
    Entity,
    Participant,
    Progress,
    ReadinessItem,
    Scenario,
    Session,
    Stage,
    Step,
    StepKind,
    Term,
    new_id,
    replace,
)

__all__ = [
    "REVIEW_KEY",
    "REVIEW_TITLE",
    "Edit",
    "review_counts",
    "review_step",
    "set_review",
    "start_follow_up",
]

Edit = Change  # (old, new), as every domain edit function returns

# In English, marked for the catalogue: a follow-up gets them in its workshop's language.
REVIEW_TITLE = N_("Did we do what we said?")
REVIEW_KEY = "review"
REVIEW_BODY = N_(
    "Last time we agreed some actions. Before we look at how we work now, we go through them "
    "together: what got done, what got partly done, what has not happened yet, and what we "
    "decided to drop.\n\n"
    "- Say what happened, not who is to blame.\n"
    "- A dropped action can be the right call: say why."
)
REVIEW_NOTES = N_(
    "Take the actions one at a time. Ask the person who took it on to say how it went, then ask "
    "the room whether they agree. Press 1 for done, 2 for partly, 3 for not yet, 4 for dropped, "
    "and write down anything the room wants remembered."
)
# Two minutes an action, and never under ten or over forty-five minutes in all.
_MINUTES_PER_ACTION = 2


def _copy(session: Session, entities: Sequence[Entity]) -> None:
    for entity in entities:
        session.put(entity)


def start_follow_up(
    earlier: Session,
    *,
    keep_participants: bool = True,
    date: str = "",
    title: str | None = None,
) -> Session:
    """A new session to run `earlier`'s workshop again, linked to it by its key.

    `earlier` is left as it was. Raises ValueError if `earlier` has no session key
    (every session made by this version has one; an upgraded file gets one too)."""
    if not earlier.info.session_key:
        raise ValueError("the earlier session has no key to link to")
    follow_up = Session()
    follow_up.put(
        replace(
            earlier.info,
            title=earlier.info.title if title is None else title,
            date=date,
            session_key=new_id(),
            follows=earlier.info.session_key,
        )
    )
    follow_up.put(replace(earlier.matrix, agreed_rung="", agreed_reason=""))
    follow_up.put(CanvasSettings(background=earlier.canvas.background, snap=earlier.canvas.snap))
    _copy(follow_up, earlier.items(Term))
    _copy(follow_up, earlier.items(Criterion))
    _copy(follow_up, earlier.items(Stage))
    _copy(follow_up, earlier.items(Scenario))
    _copy(follow_up, earlier.items(ReadinessItem))
    # Cards stand where they stood, with the aspiration the room set for them.
    _copy(follow_up, earlier.items(Card))
    if keep_participants:
        _copy(follow_up, earlier.items(Participant))

    reviews = [
        ActionReview(
            id=action.id,
            what=action.what,
            who=action.who,
            due=action.due,
            status=ActionStatus.DONE if action.done else None,
            position=position,
        )
        for position, action in enumerate(earlier.items(Action))
    ]
    _copy(follow_up, reviews)

    steps = [s for s in earlier.steps if s.kind is not StepKind.REVIEW]
    # The review comes straight after the welcome (people are greeted first), else first.
    at = 0
    while at < len(steps) and steps[at].kind is StepKind.WELCOME:
        at += 1
    minutes = min(45, max(10, _MINUTES_PER_ACTION * len(reviews)))
    review = review_step(minutes=minutes, hidden=not reviews, language=earlier.info.language or DEFAULT)
    earlier_review = next((s for s in earlier.steps if s.kind is StepKind.REVIEW), None)
    if earlier_review is not None:  # a follow-up of a follow-up keeps the facilitator's wording
        review = replace(earlier_review, minutes=minutes, hidden=not reviews)
    steps.insert(at, review)
    for position, step in enumerate(steps):
        follow_up.put(replace(step, position=position))
    first = follow_up.visible_steps
    follow_up.put(Progress(current_step_id=first[0].id if first else ""))
    return follow_up


def review_step(*, minutes: int = 10, hidden: bool = False, language: str | None = None) -> Step:
    """A fresh "Did we do what we said?" step, in `language` (None: the current one). Its
    words then belong to the session, as every step's do: the facilitator may edit them."""
    with using(language):
        title, body, notes = _(REVIEW_TITLE), _(REVIEW_BODY), _(REVIEW_NOTES)
    return Step(
        id=new_id(),
        kind=StepKind.REVIEW,
        title=title,
        body=body,
        notes=notes,
        minutes=minutes,
        hidden=hidden,
        key=REVIEW_KEY,
    )


def set_review(
    session: Session,
    review: ActionReview,
    *,
    status: ActionStatus | None | object = ...,
    note: str | None = None,
) -> list[Edit]:
    """The edits that give one earlier action its status and/or note. Pass `status=None`
    to clear the status; leave it out to keep it. No edit when nothing changes."""
    current = session.get(ActionReview, review.id)
    if current is None:
        raise KeyError(f"no review of action {review.id!r}")
    changed = current
    if status is not ...:
        if status is not None and not isinstance(status, ActionStatus):
            raise TypeError("status should be an ActionStatus or None")
        changed = replace(changed, status=status)
    if note is not None:
        changed = replace(changed, note=note.strip())
    return [] if changed == current else [Change(current, changed)]


def review_counts(session: Session) -> dict[ActionStatus | None, int]:
    """How many earlier actions have each status (None: not reviewed yet), in a fixed order."""
    counts: dict[ActionStatus | None, int] = {status: 0 for status in ActionStatus}
    counts[None] = 0
    for review in session.action_reviews:
        counts[review.status] += 1
    return counts
