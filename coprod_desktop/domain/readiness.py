"""Should we co-produce? The readiness check's rules, as pure functions.

The group rates each condition (time, resources, support, equal footing,
willingness to share power and responsibility) on a five-point scale. The
rules below turn the ratings into a recommendation; they are shown on screen
and in the report word for word, so the room can see why the app says what it says.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .i18n import N_, _, join, ngettext
from .model import ReadinessItem, Session
from .voting import rating_counts, readiness_question, tally
from .words import one_decimal

# In English, marked for the catalogue: show them with `_` (or `rules()` for the rules).
READINESS_SCALE: tuple[str, ...] = (N_("Not at all"), N_("A little"), N_("Partly"), N_("Mostly"), N_("Fully"))
MET_FROM = 3.0  # "Mostly"
PARTLY_FROM = 2.0  # "Partly"

_RULES: tuple[str, ...] = (
    N_("A condition is in place when the group's average is {met} ({mostly}) or more."),
    N_("It is partly in place from {partly_from} ({partly}) up to {met}."),
    N_("It is missing below {partly_from}."),
    N_("Ready: every condition is in place."),
    N_("Ready, with work to do: nothing is missing, but some conditions are only partly in place."),
    N_("Not yet: at least one condition is missing. Build it first; meanwhile, collaborate openly."),
)


def rules() -> tuple[str, ...]:
    """The rules, word for word as the app applies them, in the current language."""
    values = {
        "met": f"{MET_FROM:g}",
        "partly_from": f"{PARTLY_FROM:g}",
        "mostly": _(READINESS_SCALE[3]),
        "partly": _(READINESS_SCALE[2]),
    }
    return tuple(_(rule).format(**values) for rule in _RULES)


RULES: tuple[str, ...] = rules()  # in English, as the app has always shown them


class Status(enum.StrEnum):
    IN_PLACE = "in_place"
    PARTLY = "partly"
    MISSING = "missing"
    UNRATED = "unrated"

    @property
    def label(self) -> str:
        return _(
            {
                Status.IN_PLACE: N_("In place"),
                Status.PARTLY: N_("Partly in place"),
                Status.MISSING: N_("Missing"),
                Status.UNRATED: N_("Not rated yet"),
            }[self]
        )


class Verdict(enum.StrEnum):
    READY = "ready"
    READY_WITH_WORK = "ready_with_work"
    NOT_YET = "not_yet"
    UNRATED = "unrated"


@dataclass(frozen=True)
class Condition:
    item: ReadinessItem
    votes: int
    mean: float | None
    status: Status


@dataclass(frozen=True)
class Recommendation:
    verdict: Verdict
    headline: str
    conditions: tuple[Condition, ...]

    @property
    def missing(self) -> tuple[Condition, ...]:
        return tuple(c for c in self.conditions if c.status is Status.MISSING)

    @property
    def partly(self) -> tuple[Condition, ...]:
        return tuple(c for c in self.conditions if c.status is Status.PARTLY)


def status_of(mean: float | None) -> Status:
    if mean is None:
        return Status.UNRATED
    if mean >= MET_FROM:
        return Status.IN_PLACE
    if mean >= PARTLY_FROM:
        return Status.PARTLY
    return Status.MISSING


def average_text(mean: float | None) -> str:
    """A condition's average as every view prints it: one decimal, never on the wrong side of
    `PARTLY_FROM` or `MET_FROM` (2.96 is "2.9", partly in place, not "3.0")."""
    return one_decimal(mean, (PARTLY_FROM, MET_FROM))


def average_label(mean: float | None) -> str:
    """The average with the nearest point of the scale: "2.9 (Mostly)", or a dash."""
    if mean is None:
        return one_decimal(None)
    nearest = READINESS_SCALE[max(0, min(len(READINESS_SCALE) - 1, round(mean)))]
    return f"{average_text(mean)} ({nearest})"


def condition(session: Session, item: ReadinessItem) -> Condition:
    counts = rating_counts(tally(session, readiness_question(item.id)))
    votes = sum(counts.values())
    mean = sum(value * count for value, count in counts.items()) / votes if votes else None
    return Condition(item, votes, mean, status_of(mean))


def recommend(session: Session) -> Recommendation:
    """The recommendation that follows from the group's ratings, by the RULES above."""
    conditions = tuple(condition(session, item) for item in session.readiness_items)
    rated = [c for c in conditions if c.status is not Status.UNRATED]
    if not rated:
        return Recommendation(Verdict.UNRATED, _("Rate the conditions to see a recommendation."), conditions)
    missing = [c.item.title for c in rated if c.status is Status.MISSING]
    partly = [c.item.title for c in rated if c.status is Status.PARTLY]
    if missing:
        headline = _("Not yet. First build what is missing: {conditions}.").format(conditions=join(missing))
        verdict = Verdict.NOT_YET
    elif partly:
        headline = _("Ready, with work to do on: {conditions}.").format(conditions=join(partly))
        verdict = Verdict.READY_WITH_WORK
    else:
        headline = _("Ready: every condition for co-production is in place.")
        verdict = Verdict.READY
    unrated = len(conditions) - len(rated)
    if unrated:
        # Translators: added after the recommendation when some conditions have no rating.
        note = ngettext("({n} not rated yet.)", "({n} not rated yet.)", unrated).format(n=unrated)
        headline = _("{recommendation} {note}").format(recommendation=headline, note=note)
    return Recommendation(verdict, headline, conditions)
