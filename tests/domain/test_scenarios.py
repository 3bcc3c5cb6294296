"""Scenario results: counts for every term, the answer, ties and reveal state."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from coprod_desktop.domain.model import Participant, Reveal, Scenario, Session, Tally, Term, Vote
from coprod_desktop.domain.scenarios import scenario_result, term_name
from coprod_desktop.domain.voting import scenario_question

KEYS = ["co-production", "collaboration", "co-design"]


def base() -> Session:
    session = Session()
    for position, key in enumerate(KEYS):
        session.put(Term(key=key, name=key.title(), position=position))
    session.put(Scenario(id="s", title="Cafe", text="t", answer="co-design"))
    return session


@given(
    st.dictionaries(st.sampled_from(KEYS), st.integers(0, 30)),
    st.lists(st.sampled_from(KEYS), max_size=12),
)
def test_counts_add_hands_and_named_votes(hands: dict[str, int], named: list[str]) -> None:
    session = base()
    question = scenario_question("s")
    for key, count in hands.items():
        if count:
            session.put(Tally(question, key, count))
    for number, key in enumerate(named):
        session.put(Participant(id=f"p{number}", name=f"P{number}"))
        session.put(Vote(question, f"p{number}", key))
    result = scenario_result(session, session.scenarios[0])
    expected = {key: hands.get(key, 0) + named.count(key) for key in KEYS}
    assert dict(result.counts) == expected
    assert [key for key, _ in result.counts] == KEYS
    assert result.total == sum(expected.values())
    assert result.correct == expected["co-design"]
    top = max(expected.values())
    assert set(result.leading) == ({k for k, v in expected.items() if v == top} if top else set())
    assert not result.revealed
    assert (result.share_correct is None) == (result.total == 0)


def test_reveal_and_votes_for_a_removed_term_still_count() -> None:
    session = base()
    question = scenario_question("s")
    session.put(Tally(question, "gone", 2))
    session.put(Reveal(question))
    result = scenario_result(session, session.scenarios[0])
    assert result.revealed
    assert dict(result.counts)["gone"] == 2
    assert term_name(session, "gone") == "gone"
    assert term_name(session, "co-design") == "Co-Design"
