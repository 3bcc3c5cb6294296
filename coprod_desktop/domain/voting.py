"""The rules of voting, for every view: who may vote, how a ballot opens and seals,
what is counted, and what each audience may see of a question.

Questions
    A *question* is anything the group votes on. Its key is a short string:

    - ``cell/<criterion id>/<stage id>`` for a box of the assessment matrix,
    - ``scenario/<scenario id>`` for a "Which is it?" scenario,
    - ``readiness/<item id>`` for a condition of the readiness check,
    - ``placement/<rung key>`` for the room agreeing or not with the matrix's placement.

    A rating is the index of a point on its scale written out, from "0" upwards.

What is stored, by voting mode (`VotingMode`)
    - Show of hands: counts only (`Tally`), typed by the facilitator.
    - Named: one `Vote` per person and question, with the person's id.
    - Secret ballot: that a person has voted on a question (`BallotCast`) and, apart from it,
      a count of choices (`BallotCount`, always on the side "other": a count by side would,
      with "has voted" and the roles, give away the choice of someone alone on their side). While the
      voter is at the laptop their choices are held in memory (`Ballot`), so they can change
      their mind; when they hand the laptop back (`Ballot.seal`) that link is forgotten, and
      nothing in the file, the undo history or an export ties a choice to a person.
    - Anonymous: counts only (`BallotCount`, by side when the voter said it); no name asked.

    Secret and anonymous ballots are recorded input, never put on the undo stack: an undo
    step holding "Ann voted" and "one more 3" would be the very link the ballot forbids.

Results
    A question's result adds named votes, counted hands and ballot counts, so every mode is
    read the same way. Counts stay counts: nothing here expands a count into a list.

    The role split compares the mean rating of people with lived experience with that of
    staff. Named votes carry their person's role. Secret ballots are counted with no side, so
    they never join the split; counts by side (anonymous ballots that said their side) join
    only where each side has at least `SPLIT_MIN_SECRET` of them on that question.

Blindness
    Nobody sees a question's result (counts, averages, bars) until the facilitator reveals
    it, and nobody sees any result while a ballot is open at the laptop: the screen then
    belongs to the voter, who sees only their own choices. "N of M have voted" is always
    shown (`Turnout`).
"""

from __future__ import annotations

import enum
import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .changes import Change
from .errors import KnownError
from .i18n import _, ngettext
from .model import (
    BallotCast,
    BallotCount,
    Participant,
    Reveal,
    RoleGroup,
    Session,
    Side,
    Tally,
    Vote,
    VotingMode,
)

# A side's secret ballots join the role split only from this many on a question.
SPLIT_MIN_SECRET = 3


class VotingError(KnownError):
    """A vote that the rules do not allow; the message says why, in the room's words."""


# --- questions ---------------------------------------------------------------------------


def cell_question(criterion_id: str, stage_id: str) -> str:
    return f"cell/{criterion_id}/{stage_id}"


def scenario_question(scenario_id: str) -> str:
    return f"scenario/{scenario_id}"


def readiness_question(item_id: str) -> str:
    return f"readiness/{item_id}"


def question_family(question: str) -> str:
    """ "cell", "scenario", "readiness" or "placement": the part before the first slash."""
    return question.split("/", 1)[0]


# --- counting ----------------------------------------------------------------------------


def tally(session: Session, question: str) -> Counter[str]:
    """How many chose each choice on `question`: named votes, hands and ballots together."""
    counts: Counter[str] = Counter()
    for vote in session.on_question(Vote, question):
        counts[vote.choice] += 1
    for counted in session.on_question(Tally, question):
        counts[counted.choice] += counted.count
    for ballot in session.on_question(BallotCount, question):
        counts[ballot.choice] += ballot.count
    return +counts  # drop zero counts


def voters(session: Session, question: str) -> int:
    """How many votes the question has received, of every kind."""
    return sum(tally(session, question).values())


def is_revealed(session: Session, question: str) -> bool:
    return session.get(Reveal, question) is not None


_RATING = re.compile(r"-?[0-9]+")


def is_rating(choice: str) -> bool:
    """Whether a choice is a rating: a whole number written in ASCII digits."""
    return _RATING.fullmatch(choice) is not None


@functools.lru_cache(maxsize=1024)
def _rating_value(choice: str) -> int | None:
    """The rating a choice stands for, or None (a room uses a handful of choices: cached)."""
    return int(choice) if _RATING.fullmatch(choice) is not None else None


@functools.cache
def _sides() -> dict[RoleGroup, Side]:
    return {role: role.side for role in RoleGroup}


def rating_counts(counts: Mapping[str, int]) -> dict[int, int]:
    """The numeric ratings behind a tally as {rating: how many}; other choices left out."""
    found: dict[int, int] = {}
    for choice, count in counts.items():
        if count > 0 and is_rating(choice):
            value = int(choice)
            found[value] = found.get(value, 0) + count
    return found


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


def summarise_counts(counts: Mapping[int, int], scale_points: int) -> RatingSummary:
    """Mean, median, range and spread of ratings given as {rating: count}.

    The group disagrees strongly when votes sit at both ends of the scale: the range
    covers at least half the scale and the spread is at least a quarter of it. Both
    conditions, so one outlier in a large agreeing group is not flagged. The cost
    depends on the number of distinct ratings, never on how many voted.
    """
    data = sorted((value, count) for value, count in counts.items() if count > 0)
    total = sum(count for _, count in data)
    if not total:
        return RatingSummary(0, None, None, None, None, 0.0, False)
    mean = math.fsum(value * count for value, count in data) / total
    variance = math.fsum(count * (value - mean) ** 2 for value, count in data) / total
    spread = math.sqrt(variance) if total > 1 else 0.0
    low, high = data[0][0], data[-1][0]
    width = max(scale_points - 1, 1)
    disagreement = (high - low) >= width / 2 and spread >= width / 4
    return RatingSummary(
        votes=total,
        mean=mean,
        median=_median(data, total),
        low=low,
        high=high,
        spread=spread,
        disagreement=disagreement,
    )


def _median(data: Sequence[tuple[int, int]], total: int) -> float:
    def at(position: int) -> int:  # the value at a 0-based position of the sorted votes
        seen = 0
        for value, count in data:
            seen += count
            if position < seen:
                return value
        return data[-1][0]

    if total % 2:
        return float(at(total // 2))
    return (at(total // 2 - 1) + at(total // 2)) / 2


def summarise(values: Iterable[int], scale_points: int) -> RatingSummary:
    """`summarise_counts` for ratings given one by one."""
    return summarise_counts(Counter(values), scale_points)


# --- the role split ----------------------------------------------------------------------


@dataclass(frozen=True)
class RoleSplit:
    """Mean ratings of people with lived experience and of staff, side by side."""

    lived_experience: float | None
    professional: float | None
    # How many ratings each mean is over, and how many secret ballots were left out because a
    # side had too few to hide among; not part of what the split *is*, so not compared.
    lived_votes: int = field(default=0, compare=False)
    staff_votes: int = field(default=0, compare=False)
    withheld: int = field(default=0, compare=False)

    @property
    def gap(self) -> float | None:
        if self.lived_experience is None or self.professional is None:
            return None
        return self.professional - self.lived_experience


def role_split(session: Session, question: str, scale_points: int | None = None) -> RoleSplit:
    """Ratings by side: named votes by their person's role, secret ballots by the side they
    were cast for, where each side has enough of them (`SPLIT_MIN_SECRET`). Hands carry no
    side. With `scale_points`, ratings off the scale are left out."""

    def on_scale(choice: str) -> int | None:
        value = _rating_value(choice)
        if value is None or (scale_points is not None and not 0 <= value < scale_points):
            return None
        return value

    # Read straight from the session's tables: this runs for every box on every change.
    people = session.collections[Participant.KIND]
    sides = _sides()
    sums = {Side.LIVED: [0, 0], Side.STAFF: [0, 0]}  # [total of ratings, votes]
    # A room uses a handful of choices: each is looked up on the scale once per call.
    values: dict[str, int | None] = {}
    for vote in session.on_question(Vote, question):
        person = people.get((vote.participant_id,))
        if person is None:
            continue
        tally_of = sums.get(sides[person.role])  # type: ignore[attr-defined]
        if tally_of is None:
            continue
        choice = vote.choice
        if choice in values:
            value = values[choice]
        else:
            value = values[choice] = on_scale(choice)
        if value is None:
            continue
        tally_of[0] += value
        tally_of[1] += 1
    secret = {Side.LIVED: [0, 0], Side.STAFF: [0, 0]}
    for ballot in session.on_question(BallotCount, question):
        value = on_scale(ballot.choice)
        if value is None or ballot.side not in secret:
            continue
        secret[ballot.side][0] += value * ballot.count
        secret[ballot.side][1] += ballot.count
    withheld = 0
    if all(votes >= SPLIT_MIN_SECRET for _, votes in secret.values()):
        for side, (total, votes) in secret.items():
            sums[side][0] += total
            sums[side][1] += votes
    else:
        withheld = sum(votes for _, votes in secret.values())

    def mean(side: Side) -> float | None:
        total, votes = sums[side]
        return total / votes if votes else None

    return RoleSplit(mean(Side.LIVED), mean(Side.STAFF), sums[Side.LIVED][1], sums[Side.STAFF][1], withheld)


# --- turnout and who may vote --------------------------------------------------------------


@dataclass(frozen=True)
class Turnout:
    """How many votes a question (or a set of them) has, out of how many it could have."""

    voted: int
    eligible: int  # 0 when no participants are listed: then only `voted` is known

    @property
    def text(self) -> str:
        """ "7 of 12 have voted" ("All 12 have voted" once complete), or "7 votes" when nobody
        is listed or more voted than listed. Every view prints turnout with this sentence."""
        if self.eligible and self.voted <= self.eligible:
            if self.voted == self.eligible > 1:
                return ngettext("All {n} have voted", "All {n} have voted", self.eligible).format(
                    n=self.eligible
                )
            return ngettext("{n} of {total} has voted", "{n} of {total} have voted", self.voted).format(
                n=self.voted, total=self.eligible
            )
        return ngettext("{n} vote", "{n} votes", self.voted).format(n=self.voted)

    @property
    def complete(self) -> bool:
        return bool(self.eligible) and self.voted >= self.eligible


def turnout(session: Session, question: str) -> Turnout:
    return Turnout(voters(session, question), session.count(Participant))


def combined_turnout(session: Session, questions: Iterable[str]) -> Turnout:
    """Votes over several questions against what a full room would give them all: the one
    count the laptop, the projector and the report print for a set of boxes."""
    listed = list(dict.fromkeys(questions))
    return Turnout(sum(voters(session, q) for q in listed), session.count(Participant) * len(listed))


def has_voted(session: Session, question: str, participant_id: str) -> bool:
    """Whether this person has a vote on the question, named or by secret ballot."""
    return (
        session.get(Vote, (question, participant_id)) is not None
        or session.get(BallotCast, (question, participant_id)) is not None
    )


def who_has_voted(session: Session, questions: Iterable[str]) -> dict[str, int]:
    """For each participant id, on how many of `questions` they have voted (named or secret)."""
    found: dict[str, int] = {}
    for question in dict.fromkeys(questions):
        for vote in session.on_question(Vote, question):
            found[vote.participant_id] = found.get(vote.participant_id, 0) + 1
        for cast in session.on_question(BallotCast, question):
            found[cast.participant_id] = found.get(cast.participant_id, 0) + 1
    return found


def named_vote(session: Session, question: str, participant_id: str, choice: str | None) -> list[Change]:
    """A named vote (None withdraws it). Refused when the person voted on it in secret."""
    if session.get(Participant, participant_id) is None:
        raise VotingError(_("That person is not on the list of participants any more."))
    if session.get(BallotCast, (question, participant_id)) is not None:
        raise VotingError(
            _(
                "This person has already voted on this in a secret ballot, "
                "which cannot be changed or read back."
            )
        )
    old = session.get(Vote, (question, participant_id))
    if choice is None:
        return [] if old is None else [Change(old, None)]
    new = Vote(question, participant_id, choice)
    return [] if old == new else [Change(old, new)]


def set_hands(session: Session, question: str, choice: str, count: int) -> list[Change]:
    """Set how many hands went up for one choice (0 clears it); no names are kept."""
    if count < 0:
        raise VotingError(_("A count of hands cannot be below zero."))
    old = session.get(Tally, (question, choice))
    new = Tally(question, choice, count) if count else None
    return [] if old == new else [Change(old, new)]


def reveal_questions(session: Session, questions: Iterable[str], shown: bool) -> list[Change]:
    """Reveal (or hide again) the results of `questions`."""
    changes: list[Change] = []
    for question in dict.fromkeys(questions):
        old = session.get(Reveal, question)
        if shown and old is None:
            changes.append(Change(None, Reveal(question)))
        elif not shown and old is not None:
            changes.append(Change(old, None))
    return changes


def _count_change(session: Session, question: str, side: Side, choice: str, delta: int) -> list[Change]:
    old = session.get(BallotCount, (question, side, choice))
    count = (old.count if old is not None else 0) + delta
    if count < 0:
        raise VotingError(_("That choice has no ballot left to take back."))
    if count == 0:
        return [] if old is None else [Change(old, None)]
    return [Change(old, BallotCount(question, side, choice, count))]


def unlink_secret_votes(session: Session) -> list[Change]:
    """For a session from before secret ballots were kept apart: when the matrix is in
    secret mode, every named rating in it becomes "has voted" plus a count by side.

    The old format cannot tell which ratings were cast in secret, so all of the matrix's
    are unlinked; it errs on the side of the voters. (The session file's migration 0003
    does the same in SQL.)"""
    if session.matrix.mode is not VotingMode.SECRET:
        return []
    changes: list[Change] = []
    counts: dict[tuple[str, Side, str], int] = {}
    for vote in session.votes:
        if question_family(vote.question) != "cell":
            continue
        side = Side.OTHER  # no side: see Ballot.open
        changes.append(Change(vote, None))
        if session.get(BallotCast, (vote.question, vote.participant_id)) is None:
            changes.append(Change(None, BallotCast(vote.question, vote.participant_id)))
        key = (vote.question, side, vote.choice)
        counts[key] = counts.get(key, 0) + 1
    for (question, side, choice), count in sorted(counts.items()):
        old = session.get(BallotCount, (question, side, choice))
        total = count + (old.count if old is not None else 0)
        changes.append(Change(old, BallotCount(question, side, choice, total)))
    return changes


# --- a ballot at the laptop (or on a phone) -------------------------------------------------


@dataclass
class Ballot:
    """One voter's open ballot: the only place that knows what they chose, while it is open.

    `voter_id` is a participant id in a secret ballot and "" in an anonymous one. Casting
    returns the changes to record (counts and "has voted"); `seal` forgets the choices.
    """

    mode: VotingMode
    voter_id: str = ""
    side: Side = Side.OTHER
    choices: dict[str, str] = field(default_factory=dict)
    sealed: bool = False

    @classmethod
    def open(cls, session: Session, mode: VotingMode, voter_id: str = "", side: Side | None = None) -> Ballot:
        if mode not in (VotingMode.SECRET, VotingMode.ANONYMOUS):
            raise VotingError(_("Only a secret or anonymous vote is cast as a ballot."))
        if mode is VotingMode.SECRET:
            person = session.get(Participant, voter_id)
            if person is None:
                raise VotingError(_("Choose who is voting from the list of participants first."))
            # Counted with no side: with "has voted" and the list of roles, a side's count
            # would give away the choice of someone who was the only one of their side to vote.
            return cls(mode, voter_id, Side.OTHER)
        return cls(mode, "", side or Side.OTHER)

    def choice(self, question: str) -> str | None:
        return self.choices.get(question)

    def may_vote(self, session: Session, question: str) -> str:
        """ "" when this voter may vote on the question now, else the reason in a sentence."""
        if self.sealed:
            return _("This ballot has been handed back; open a new one for the next voter.")
        if question in self.choices:
            return ""
        if self.voter_id and has_voted(session, question, self.voter_id):
            return _("You have already voted on this one; a vote, once handed in, stays as it is.")
        return ""

    def cast(self, session: Session, question: str, choice: str | None) -> list[Change]:
        """The changes that record `choice` (None takes this ballot's vote back)."""
        reason = self.may_vote(session, question)
        if reason:
            raise VotingError(reason)
        before = self.choices.get(question)
        if before == choice:
            return []
        changes: list[Change] = []
        if before is not None:
            changes += _count_change(session, question, self.side, before, -1)
        if choice is not None:
            changes += _count_change(session, question, self.side, choice, +1)
        if self.voter_id:
            cast = session.get(BallotCast, (question, self.voter_id))
            if choice is None and cast is not None:
                changes.append(Change(cast, None))
            elif choice is not None and cast is None:
                changes.append(Change(None, BallotCast(question, self.voter_id)))
        if choice is None:
            self.choices.pop(question, None)
        else:
            self.choices[question] = choice
        return changes

    def seal(self) -> int:
        """Hand the ballot back: forget every choice. Returns how many questions it voted on."""
        voted = len(self.choices)
        self.choices.clear()
        self.sealed = True
        return voted


# --- what each audience may see ---------------------------------------------------------------


class Audience(enum.StrEnum):
    FACILITATOR = "facilitator"  # the laptop's own window
    ROOM = "room"  # the projector
    VOTER = "voter"  # a person at the laptop during a ballot
    PHONE = "phone"  # a participant's phone


@dataclass(frozen=True)
class QuestionView:
    """What one audience may see of one question now."""

    question: str
    turnout: Turnout
    revealed: bool
    results_visible: bool
    counts: Mapping[str, int]  # empty unless results_visible
    own_choice: str | None  # the voter's own choice, for a voter or a phone


def question_view(
    session: Session,
    question: str,
    audience: Audience,
    *,
    ballot: Ballot | None = None,
    own_choice: str | None = None,
) -> QuestionView:
    """The one rule of blindness: results only once revealed, and never while a ballot is open
    at the laptop (`ballot`). A voter sees only their own choice."""
    revealed = is_revealed(session, question)
    ballot_open = ballot is not None and not ballot.sealed
    visible = revealed and not ballot_open and audience is not Audience.VOTER
    mine = own_choice
    if audience is Audience.VOTER and ballot is not None:
        mine = ballot.choice(question)
    elif audience in (Audience.FACILITATOR, Audience.ROOM):
        mine = None
    return QuestionView(
        question=question,
        turnout=turnout(session, question),
        revealed=revealed,
        results_visible=visible,
        counts=dict(tally(session, question)) if visible else {},
        own_choice=mine,
    )


def results_visible(session: Session, question: str, *, ballot: Ballot | None = None) -> bool:
    """Whether the question's results may be shown on the laptop or the projector now."""
    return is_revealed(session, question) and (ballot is None or ballot.sealed)
