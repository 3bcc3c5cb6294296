"""The readiness check's rules: statuses, verdicts and the headline."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from coprod_desktop.domain.model import ReadinessItem, Session, Tally
from coprod_desktop.domain.readiness import (
    MET_FROM,
    PARTLY_FROM,
    READINESS_SCALE,
    RULES,
    Status,
    Verdict,
    recommend,
    status_of,
)
from coprod_desktop.domain.voting import readiness_question

hands = st.lists(st.integers(min_value=0, max_value=6), min_size=5, max_size=5)


def session_with(counts: list[list[int]]) -> Session:
    session = Session()
    for index, row in enumerate(counts):
        item = ReadinessItem(id=f"r{index}", title=f"Condition {index}", position=index)
        session.put(item)
        for value, count in enumerate(row):
            if count:
                session.put(Tally(readiness_question(item.id), str(value), count))
    return session


def test_thresholds_follow_the_rules_text() -> None:
    assert status_of(None) is Status.UNRATED
    assert status_of(MET_FROM) is Status.IN_PLACE
    assert status_of(MET_FROM - 0.01) is Status.PARTLY
    assert status_of(PARTLY_FROM) is Status.PARTLY
    assert status_of(PARTLY_FROM - 0.01) is Status.MISSING
    assert f"{MET_FROM:g} ({READINESS_SCALE[3]})" in RULES[0]


def test_unrated_session_asks_for_ratings() -> None:
    result = recommend(session_with([[0] * 5, [0] * 5]))
    assert result.verdict is Verdict.UNRATED
    assert "Rate the conditions" in result.headline


def test_one_missing_condition_means_not_yet_and_names_it() -> None:
    result = recommend(session_with([[0, 0, 0, 2, 8], [6, 4, 0, 0, 0]]))
    assert result.verdict is Verdict.NOT_YET
    assert [c.item.title for c in result.missing] == ["Condition 1"]
    assert "Condition 1" in result.headline


@given(st.lists(hands, min_size=1, max_size=6))
def test_verdict_matches_the_worst_condition(rows: list[list[int]]) -> None:
    result = recommend(session_with(rows))
    statuses = {c.status for c in result.conditions if c.status is not Status.UNRATED}
    if not statuses:
        assert result.verdict is Verdict.UNRATED
    elif Status.MISSING in statuses:
        assert result.verdict is Verdict.NOT_YET
    elif Status.PARTLY in statuses:
        assert result.verdict is Verdict.READY_WITH_WORK
    else:
        assert result.verdict is Verdict.READY
    for condition, row in zip(result.conditions, rows, strict=True):
        assert condition.votes == sum(row)
        if sum(row):
            expected = sum(value * count for value, count in enumerate(row)) / sum(row)
            assert abs(condition.mean - expected) < 1e-9  # type: ignore[operator]


@given(st.lists(hands, min_size=1, max_size=4), st.integers(0, 3))
def test_more_hands_higher_up_never_worsens_the_verdict(rows: list[list[int]], which: int) -> None:
    order = [Verdict.UNRATED, Verdict.NOT_YET, Verdict.READY_WITH_WORK, Verdict.READY]
    which %= len(rows)
    before = recommend(session_with(rows)).verdict
    raised = [list(r) for r in rows]
    if sum(raised[which]) == 0:
        return
    # Move one hand from the lowest chosen point to the top of the scale.
    lowest = next(v for v, c in enumerate(raised[which]) if c)
    raised[which][lowest] -= 1
    raised[which][4] += 1
    after = recommend(session_with(raised)).verdict
    assert order.index(after) >= order.index(before)
