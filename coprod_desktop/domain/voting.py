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

import bisect
import itertools
import math
import re
import statistics
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import overload

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


def ratings(counts: Mapping[str, int]) -> Ratings:
    """The numeric ratings behind a tally, lowest first; non-numbers ignored.

    Held as counts, never expanded: `len()` is the number of votes, and the
    mean, median and spread are worked out from the counts, so a tally of a
    hundred million hands costs no more than one of ten."""
    numeric: dict[int, int] = {}
    for choice, count in counts.items():
        if is_rating(choice) and count > 0:
            value = int(choice)
            numeric[value] = numeric.get(value, 0) + count
    return Ratings(numeric)


class Ratings(Sequence[int]):
    """A sorted multiset of ratings, as (rating, how many) pairs.

    It reads like the sorted list of every vote's rating (`len`, indexing,
    iteration, comparison with a list), but is stored as counts, and its
    statistics (`mean`, `median`, `pstdev`) never expand them."""

    __slots__ = ("_cumulative", "_pairs", "_total")

    def __init__(self, counts: Mapping[int, int] | Iterable[tuple[int, int]] = ()) -> None:
        items = counts.items() if isinstance(counts, Mapping) else counts
        merged: dict[int, int] = {}
        for value, count in items:
            if count < 0:
                raise ValueError("a count of ratings cannot be negative")
            if count:
                merged[value] = merged.get(value, 0) + count
        self._pairs: tuple[tuple[int, int], ...] = tuple(sorted(merged.items()))
        running, cumulative = 0, []
        for _, count in self._pairs:
            running += count
            cumulative.append(running)
        self._cumulative: tuple[int, ...] = tuple(cumulative)
        self._total = running

    @classmethod
    def of(cls, values: Iterable[int]) -> Ratings:
        """From one rating per vote (for callers that hold a list)."""
        return cls(Counter(values))

    @property
    def counts(self) -> tuple[tuple[int, int], ...]:
        """(rating, how many) pairs, lowest rating first."""
        return self._pairs

    def __len__(self) -> int:
        return self._total

    def __iter__(self) -> Iterator[int]:
        for value, count in self._pairs:
            yield from itertools.repeat(value, count)

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._total))]
        if index < 0:
            index += self._total
        if not 0 <= index < self._total:
            raise IndexError("rating index out of range")
        return self._pairs[bisect.bisect_right(self._cumulative, index)][0]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Ratings):
            return self._pairs == other._pairs
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == self._total and Ratings.of(other)._pairs == self._pairs and list(
                other
            ) == sorted(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Ratings({dict(self._pairs)!r})"

    @property
    def total(self) -> int:
        """The sum of every vote's rating."""
        return sum(value * count for value, count in self._pairs)

    @property
    def low(self) -> int | None:
        return self._pairs[0][0] if self._pairs else None

    @property
    def high(self) -> int | None:
        return self._pairs[-1][0] if self._pairs else None

    @property
    def mean(self) -> float | None:
        return self.total / self._total if self._total else None

    @property
    def median(self) -> float | None:
        if not self._total:
            return None
        middle = self._total // 2
        if self._total % 2:
            return float(self[middle])
        return (self[middle - 1] + self[middle]) / 2

    @property
    def pstdev(self) -> float:
        """Population standard deviation, exactly as `statistics.pstdev` rounds it."""
        n = self._total
        if n < 2:
            return 0.0
        sx = self.total
        sxx = sum(value * value * count for value, count in self._pairs)
        variance = Fraction(n * sxx - sx * sx, n * n)
        return _sqrt_of_fraction(variance.numerator, variance.denominator)


_SQRT_BITS = 2 * sys.float_info.mant_dig + 3


def _sqrt_of_fraction(n: int, m: int) -> float:
    """The square root of n/m as a correctly rounded float (the statistics module's method)."""
    shift = (n.bit_length() - m.bit_length() - _SQRT_BITS) // 2
    if shift >= 0:
        return float(_isqrt_round_to_odd(n, m << 2 * shift) << shift)
    return _isqrt_round_to_odd(n << -2 * shift, m) / (1 << -shift)


def _isqrt_round_to_odd(n: int, m: int) -> int:
    root = math.isqrt(n // m)
    return root | (root * root * m != n)


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

    `values` is best a `Ratings` (from `ratings()` or `Ratings(counts)`): then
    nothing is expanded. A plain list of ratings is counted first.

    The group disagrees strongly when votes sit at both ends of the scale: the
    range covers at least half the scale and the spread is at least a quarter of
    it. Both conditions, so one outlier in a large agreeing group is not flagged.
    """
    data = values if isinstance(values, Ratings) else Ratings.of(values)
    if not len(data) or data.low is None or data.high is None:
        return RatingSummary(0, None, None, None, None, 0.0, False)
    spread = data.pstdev
    width = max(scale_points - 1, 1)
    disagreement = (data.high - data.low) >= width / 2 and spread >= width / 4
    return RatingSummary(
        votes=len(data),
        mean=data.mean,
        median=data.median,
        low=data.low,
        high=data.high,
        spread=spread,
        disagreement=disagreement,
    )


def summarise_counts(counts: Sequence[int], scale_points: int) -> RatingSummary:
    """`summarise` for hands per point of the scale: `counts[i]` votes rated `i`."""
    return summarise(Ratings(enumerate(counts)), scale_points)


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
