"""Tallies, voters, rating summaries and the split between lived experience and staff."""

from __future__ import annotations

import statistics
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coprod_desktop.domain import voting
from coprod_desktop.domain.model import (
    BallotCast,
    BallotCount,
    Participant,
    Reveal,
    RoleGroup,
    Session,
    Side,
    Tally,
    Vote,
)
from coprod_desktop.domain.voting import (
    RatingSummary,
    RoleSplit,
    cell_question,
    is_revealed,
    rating_counts,
    readiness_question,
    role_split,
    scenario_question,
    summarise,
    summarise_counts,
    tally,
    voters,
)

Q = cell_question("crit", "stage")


def test_question_keys_are_spelled_as_documented() -> None:
    assert cell_question("c1", "s2") == "cell/c1/s2"
    assert scenario_question("x") == "scenario/x"
    assert readiness_question("r") == "readiness/r"


# --- tally and voters ---------------------------------------------------------------


def test_tally_adds_named_votes_and_counted_hands_for_one_question() -> None:
    session = Session()
    session.put(Vote(Q, "ada", "3"))
    session.put(Vote(Q, "bob", "3"))
    session.put(Vote(Q, "cy", "1"))
    session.put(Tally(Q, "3", 4))
    session.put(Tally(Q, "0", 2))
    session.put(Vote("other", "ada", "3"))
    session.put(Tally("other", "3", 10))
    assert tally(session, Q) == Counter({"3": 6, "1": 1, "0": 2})
    assert voters(session, Q) == 9
    assert tally(session, "other") == Counter({"3": 11})


def test_tally_leaves_out_choices_nobody_chose() -> None:
    session = Session()
    session.put(Tally(Q, "2", 0))
    session.put(Tally(Q, "4", 3))
    assert tally(session, Q) == Counter({"4": 3})
    assert "2" not in tally(session, Q)
    assert voters(session, Q) == 3


def test_a_question_with_no_votes_has_an_empty_tally() -> None:
    assert tally(Session(), Q) == Counter()
    assert voters(Session(), Q) == 0


def test_a_changed_vote_counts_once_with_its_new_choice() -> None:
    session = Session()
    session.put(Vote(Q, "ada", "1"))
    session.put(Vote(Q, "ada", "4"))
    assert tally(session, Q) == Counter({"4": 1})
    session.remove(Vote, (Q, "ada"))
    assert voters(session, Q) == 0


@given(
    st.dictionaries(st.sampled_from(["p1", "p2", "p3", "p4"]), st.sampled_from(["0", "1", "2"])),
    st.dictionaries(st.sampled_from(["0", "1", "2", "x"]), st.integers(0, 50)),
)
def test_tally_is_the_sum_of_votes_and_hands(named: dict[str, str], hands: dict[str, int]) -> None:
    session = Session()
    for who, choice in named.items():
        session.put(Vote(Q, who, choice))
    for choice, count in hands.items():
        session.put(Tally(Q, choice, count))
    expected = Counter(named.values())
    for choice, count in hands.items():
        expected[choice] += count
    assert tally(session, Q) == +expected
    assert voters(session, Q) == len(named) + sum(hands.values())


def test_is_revealed_follows_reveal_entities() -> None:
    session = Session()
    assert not is_revealed(session, Q)
    session.put(Reveal(Q))
    assert is_revealed(session, Q)
    assert not is_revealed(session, "other")
    session.remove(Reveal, (Q,))
    assert not is_revealed(session, Q)


# --- ratings ------------------------------------------------------------------------


def test_rating_counts_keep_counts_and_ignore_choices_that_are_not_numbers() -> None:
    counts = Counter({"2": 3, "0": 1, "co-design": 5, "-1": 2, "": 1})
    assert rating_counts(counts) == {2: 3, 0: 1, -1: 2}


def test_a_huge_count_is_summarised_without_expanding_it() -> None:
    summary = summarise_counts({0: 2**62, 4: 2**62}, 5)
    assert summary.votes == 2**63
    assert summary.mean == 2.0
    assert summary.median == 2.0
    assert summary.disagreement


@pytest.mark.parametrize("choice", ["--3", "²"])
def test_ratings_ignore_odd_choices_instead_of_crashing(choice: str) -> None:
    assert rating_counts(Counter({choice: 1, "2": 1})) == {2: 1}


@pytest.mark.parametrize("choice", ["--3", "²"])
def test_role_split_ignores_odd_choices_instead_of_crashing(choice: str) -> None:
    session = Session()
    session.put(Participant(id="ada", name="Ada", role=RoleGroup.CARER))
    session.put(Vote(Q, "ada", choice))
    assert role_split(session, Q) == RoleSplit(None, None)


# --- summarise ----------------------------------------------------------------------


def test_summary_of_no_votes_is_empty() -> None:
    summary = summarise([], 5)
    assert summary == RatingSummary(0, None, None, None, None, 0.0, False)
    assert summary.range == 0


def test_summary_of_one_vote_has_no_spread() -> None:
    summary = summarise([3], 5)
    assert (summary.votes, summary.mean, summary.median, summary.low, summary.high) == (1, 3.0, 3.0, 3, 3)
    assert summary.spread == 0.0
    assert summary.range == 0
    assert not summary.disagreement


def test_votes_at_both_ends_of_the_scale_are_disagreement() -> None:
    summary = summarise([0, 0, 4, 4], 5)
    assert summary.range == 4
    assert summary.spread == 2.0
    assert summary.disagreement


def test_one_outlier_in_a_large_agreeing_group_is_not_disagreement() -> None:
    summary = summarise([0] * 20 + [4], 5)
    assert summary.range == 4  # the range alone would flag it...
    assert summary.spread < 1.0  # ...but the spread is under a quarter of the scale
    assert not summary.disagreement


def test_a_narrow_split_is_not_disagreement() -> None:
    summary = summarise([1, 2, 1, 2], 5)
    assert summary.range == 1
    assert not summary.disagreement


@given(
    st.integers(2, 11).flatmap(lambda n: st.tuples(st.just(n), st.lists(st.integers(0, n - 1), max_size=40)))
)
def test_summarise_agrees_with_the_statistics_module(case: tuple[int, list[int]]) -> None:
    points, values = case
    summary = summarise(values, points)
    assert summary.votes == len(values)
    if not values:
        assert summary.mean is None
        assert summary.median is None
        assert summary.low is None
        assert summary.high is None
        assert summary.spread == 0.0
        assert not summary.disagreement
        return
    assert summary.mean == pytest.approx(statistics.fmean(values))
    assert summary.median == pytest.approx(statistics.median(values))
    assert summary.low == min(values)
    assert summary.high == max(values)
    assert summary.range == max(values) - min(values)
    expected_spread = statistics.pstdev(values) if len(values) > 1 else 0.0
    assert summary.spread == pytest.approx(expected_spread)
    width = points - 1
    assert summary.disagreement == (max(values) - min(values) >= width / 2 and expected_spread >= width / 4)
    assert min(values) <= summary.median <= max(values)
    assert min(values) <= summary.mean <= max(values)


@given(st.lists(st.integers(0, 4), min_size=1, max_size=30))
def test_summarise_does_not_depend_on_vote_order(values: list[int]) -> None:
    assert summarise(values, 5) == summarise(list(reversed(values)), 5)


# --- role split ---------------------------------------------------------------------


def _room(session: Session) -> None:
    roles = {
        "user": RoleGroup.USES_SERVICES,
        "carer": RoleGroup.CARER,
        "neighbour": RoleGroup.COMMUNITY,
        "nurse": RoleGroup.FRONTLINE,
        "boss": RoleGroup.MANAGER,
        "prof": RoleGroup.RESEARCHER,
        "guest": RoleGroup.OTHER,
    }
    for ident, role in roles.items():
        session.put(Participant(id=ident, name=ident, role=role))


def test_role_split_means_lived_experience_and_staff_apart() -> None:
    session = Session()
    _room(session)
    for who, choice in [
        ("user", "1"),
        ("carer", "2"),
        ("neighbour", "0"),
        ("nurse", "4"),
        ("boss", "3"),
        ("prof", "2"),
        ("guest", "4"),
    ]:
        session.put(Vote(Q, who, choice))
    split = role_split(session, Q)
    assert split.lived_experience == pytest.approx(1.0)
    assert split.professional == pytest.approx(3.0)
    assert split.gap == pytest.approx(2.0)


def test_role_split_leaves_out_hands_unknown_people_and_non_numbers() -> None:
    session = Session()
    _room(session)
    session.put(Vote(Q, "user", "2"))
    session.put(Vote(Q, "nurse", "co-design"))
    session.put(Vote(Q, "stranger", "4"))
    session.put(Tally(Q, "4", 10))
    split = role_split(session, Q)
    assert split == RoleSplit(2.0, None)
    assert split.gap is None


def test_role_split_with_no_votes_is_empty() -> None:
    assert role_split(Session(), Q) == RoleSplit(None, None)


def test_the_role_groups_split_into_lived_experience_staff_and_other() -> None:
    lived = {r for r in RoleGroup if r.lived_experience}
    staff = {r for r in RoleGroup if r.professional}
    assert lived == {RoleGroup.USES_SERVICES, RoleGroup.CARER, RoleGroup.COMMUNITY}
    assert staff == {RoleGroup.FRONTLINE, RoleGroup.MANAGER, RoleGroup.RESEARCHER}
    assert set(RoleGroup) - lived - staff == {RoleGroup.OTHER}
    assert all(role.label for role in RoleGroup)


# --- the counts and the split, in one go: the same as vote by vote --------------------------


def _tally_one_by_one(session: Session, question: str) -> Counter[str]:
    """tally() as it was written vote by vote (the reference)."""
    counts: Counter[str] = Counter()
    for vote in session.on_question(Vote, question):
        counts[vote.choice] += 1
    for counted in session.on_question(Tally, question):
        counts[counted.choice] += counted.count
    for ballot in session.on_question(BallotCount, question):
        counts[ballot.choice] += ballot.count
    return +counts


def _named_sums_one_by_one(session: Session, question: str, points: int | None) -> dict[Side, list[int]]:
    """The named votes' part of role_split as it was written vote by vote (the reference)."""
    sums = {Side.LIVED: [0, 0], Side.STAFF: [0, 0]}
    people = session.collections[Participant.KIND]
    for vote in session.on_question(Vote, question):
        person = people.get((vote.participant_id,))
        if person is None:
            continue
        tally_of = sums.get(person.role.side)  # type: ignore[attr-defined]
        value = int(vote.choice) if voting.is_rating(vote.choice) else None
        if value is None or (points is not None and not 0 <= value < points) or tally_of is None:
            continue
        tally_of[0] += value
        tally_of[1] += 1
    return sums


@st.composite
def _voted(draw: st.DrawFn) -> Session:
    session = Session()
    people = draw(st.lists(st.sampled_from(list(RoleGroup)), max_size=8))
    for number, role in enumerate(people):
        session.put(Participant(id=f"p{number}", name=f"P{number}", role=role, position=number))
    voters = st.sampled_from([f"p{n}" for n in range(10)])  # some of them not listed
    choices = st.sampled_from(["0", "1", "2", "3", "4", "7", "-1", "x", "01"])
    questions = st.sampled_from(["cell/a/1", "cell/a/2", "cell/b/1"])
    for _ in range(draw(st.integers(0, 30))):
        session.put(Vote(draw(questions), draw(voters), draw(choices)))
    for _ in range(draw(st.integers(0, 6))):
        session.put(Tally(draw(questions), draw(choices), draw(st.integers(0, 5))))
    for _ in range(draw(st.integers(0, 6))):
        side = draw(st.sampled_from(list(Side)))
        session.put(BallotCount(draw(questions), side, draw(choices), draw(st.integers(0, 5))))
    return session


@given(session=_voted(), points=st.sampled_from([None, 2, 5]))
def test_counts_and_split_in_one_go_are_those_of_each_vote(session: Session, points: int | None) -> None:
    sides = voting.sides_of_people(session)
    for question in ("cell/a/1", "cell/a/2", "cell/b/1", "cell/none/1"):
        counted = tally(session, question)
        assert counted == _tally_one_by_one(session, question)
        assert list(counted.items()) == list(_tally_one_by_one(session, question).items())  # same order
        split = role_split(session, question, points)
        assert split == role_split(session, question, points, sides_of=sides)
        # The named votes alone (no ballot counts): the split is their sums, vote by vote.
        alone = Session()
        for kind in (Participant, Vote):
            for entity in session.items(kind):
                alone.put(entity)
        sums = _named_sums_one_by_one(alone, question, points)
        named = role_split(alone, question, points)
        assert (named.lived_votes, named.staff_votes) == (sums[Side.LIVED][1], sums[Side.STAFF][1])
        for mean, (total, votes) in (
            (named.lived_experience, sums[Side.LIVED]),
            (named.professional, sums[Side.STAFF]),
        ):
            assert mean == (total / votes if votes else None)


@given(
    session=_voted(),
    casts=st.lists(st.tuples(st.sampled_from(["cell/a/1", "cell/b/1"]), st.sampled_from(["p1", "p9"]))),
)
def test_who_has_voted_counts_each_vote_and_ballot_handed_in(
    session: Session, casts: list[tuple[str, str]]
) -> None:
    for question, person in casts:
        session.put(BallotCast(question, person))
    questions = ["cell/a/1", "cell/b/1", "cell/a/1", "cell/none/1"]
    expected: dict[str, int] = {}
    for question in dict.fromkeys(questions):
        for vote in session.on_question(Vote, question):
            expected[vote.participant_id] = expected.get(vote.participant_id, 0) + 1
        for cast in session.on_question(BallotCast, question):
            expected[cast.participant_id] = expected.get(cast.participant_id, 0) + 1
    found = voting.who_has_voted(session, questions)
    assert type(found) is dict
    assert list(found.items()) == list(expected.items())


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["user", "carer", "neighbour", "nurse", "boss", "prof", "guest", "stranger"]),
            st.sampled_from(["0", "1", "2", "3", "4", "5", "7", "-1", "02", " 3", "x", ""]),
        ),
        max_size=40,
    ),
    st.sampled_from([None, 3, 5]),
)
def test_role_split_of_many_votes_on_a_few_choices_is_each_vote_counted_once(
    votes: list[tuple[str, str]], points: int | None
) -> None:
    # role_split looks each choice up on the scale once per call; the means are those of the
    # votes one by one: each a whole number (on the scale, if one is given) from a known
    # person of one side.
    session = Session()
    _room(session)
    for who, choice in votes:
        session.put(Vote(Q, who, choice))
    people = {p.id: p for p in session.participants}
    sides: dict[str, list[int]] = {"lived": [], "staff": []}
    for vote in session.on_question(Vote, Q):
        person = people.get(vote.participant_id)
        digits = vote.choice.removeprefix("-")
        if person is None or not digits.isascii() or not digits.isdigit():
            continue
        value = int(vote.choice)
        if points is not None and not 0 <= value < points:
            continue
        if person.role.lived_experience:
            sides["lived"].append(value)
        elif person.role.professional:
            sides["staff"].append(value)
    split = role_split(session, Q, points)
    for found, expected in ((split.lived_experience, sides["lived"]), (split.professional, sides["staff"])):
        if expected:
            assert found == pytest.approx(statistics.fmean(expected))
        else:
            assert found is None
    assert (split.lived_votes, split.staff_votes) == (len(sides["lived"]), len(sides["staff"]))
