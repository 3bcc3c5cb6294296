"""Votes and counts: tallies, spread, role split and reveal state, as pure functions.

A *question* is anything the group votes on. Its key is a short string:

- ``cell/<criterion id>/<stage id>`` for a cell of the assessment matrix,
- ``scenario/<scenario id>`` for a "Which is it?" scenario,
- ``readiness/<item id>`` for a condition of the readiness check,
- ``placement/<rung key>`` for the room agreeing or not with the matrix's placement.

A rating is the index of a point on its scale written out, from "0" upwards.

A question's result is the sum of named votes (one per participant) and counted
hands (`Tally`, no names kept), so one rule serves every voting mode.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Participant, Reveal, Session, Tally, Vote


def cell_question(criterion_id: str, stage_id: str) -> str:
    return f"cell/{criterion_id}/{stage_id}"


def scenario_question(scenario_id: str) -> str:
    return f"scenario/{scenario_id}"


def readiness_question(item_id: str) -> str:
    return f"readiness/{item_id}"


def tally(session: Session, question: str) -> Counter[str]:
    """How many chose each choice on `question`, named votes and hands together."""
    counts: Counter[str] = Counter()
    for vote in _votes_on(session, question):
        counts[vote.choice] += 1
    for counted in _tallies_on(session, question):
        counts[counted.choice] += counted.count
    return +counts  # drop zero counts


def voters(session: Session, question: str) -> int:
    """How many votes the question has received, named and counted."""
    return sum(tally(session, question).values())


def is_revealed(session: Session, question: str) -> bool:
    return session.get(Reveal, question) is not None


_RATING = re.compile(r"-?[0-9]+")


def is_rating(choice: str) -> bool:
    """Whether a choice is a rating: a whole number written in ASCII digits."""
    return _RATING.fullmatch(choice) is not None


def ratings(counts: Counter[str]) -> list[int]:
    """The numeric ratings behind a tally, one entry per vote; non-numbers ignored."""
    values: list[int] = []
    for choice, count in sorted(counts.items()):
        if is_rating(choice):
            values.extend([int(choice)] * count)
    return values


@dataclass(frozen=True)
class RatingSummary:
    """What the room sees for one rated question once it is revealed."""

    votes: int
    mean: float | None
    median: float | None
    low: int | None
    high: int | None
    spread: float  # population standard deviation; 0 with fewer than two votes
    disagreement: bool

    @property
    def range(self) -> int:
        return 0 if self.low is None or self.high is None else self.high - self.low


def summarise(values: Iterable[int], scale_points: int) -> RatingSummary:
    """Mean, median, range and spread of ratings on a scale of `scale_points` points.

    The group disagrees strongly when votes sit at both ends of the scale: the
    range covers at least half the scale and the spread is at least a quarter of
    it. Both conditions, so one outlier in a large agreeing group is not flagged.
    """
    data = sorted(values)
    if not data:
        return RatingSummary(0, None, None, None, None, 0.0, False)
    spread = statistics.pstdev(data) if len(data) > 1 else 0.0
    width = max(scale_points - 1, 1)
    disagreement = (data[-1] - data[0]) >= width / 2 and spread >= width / 4
    return RatingSummary(
        votes=len(data),
        mean=statistics.fmean(data),
        median=float(statistics.median(data)),
        low=data[0],
        high=data[-1],
        spread=spread,
        disagreement=disagreement,
    )


@dataclass(frozen=True)
class RoleSplit:
    """Mean ratings of people with lived experience and of staff, side by side."""

    lived_experience: float | None
    professional: float | None

    @property
    def gap(self) -> float | None:
        if self.lived_experience is None or self.professional is None:
            return None
        return self.professional - self.lived_experience


def role_split(session: Session, question: str) -> RoleSplit:
    """Split of named ratings by role group; counted hands carry no role and are left out."""
    lived: list[int] = []
    staff: list[int] = []
    for vote in _votes_on(session, question):
        person = session.get(Participant, vote.participant_id)
        if person is None or not is_rating(vote.choice):
            continue
        if person.role.lived_experience:
            lived.append(int(vote.choice))
        elif person.role.professional:
            staff.append(int(vote.choice))
    return RoleSplit(
        statistics.fmean(lived) if lived else None,
        statistics.fmean(staff) if staff else None,
    )


def _votes_on(session: Session, question: str) -> list[Vote]:
    return session.on_question(Vote, question)


def _tallies_on(session: Session, question: str) -> list[Tally]:
    return session.on_question(Tally, question)
