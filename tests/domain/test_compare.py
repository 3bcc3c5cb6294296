"""What changed between two runs of one workshop: hand-computed changes and properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings

from coprod_desktop.domain.compare import (
    MIN_GROUP,
    MIN_VOTES,
    Comparison,
    WorkshopMismatchError,
    change_text,
    compare,
    signed,
)
from coprod_desktop.domain.matrix import classify
from coprod_desktop.domain.model import MatrixSettings, replace
from coprod_desktop.domain.readiness import Status, Verdict
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.templates import load_builtin_template
from tests.domain.workshops import card, rate, rate_readiness, runs, workshop

PROPERTIES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _pair() -> tuple[Comparison, object]:
    before, after = workshop("Spring"), workshop("Autumn")
    rate(before, "who-decides", "plan", lived=[0, 1, 1], staff=[2, 2, 3])
    rate(after, "who-decides", "plan", lived=[2, 2, 3], staff=[3, 3, 3])
    rate(before, "who-pays", "plan", hands=[1, 1, 1, 1, 1])
    rate(after, "who-pays", "plan", hands=[2, 2, 2, 2, 2])
    rate(before, "who-pays", "deliver", hands=[3, 3, 3, 3])  # four votes: too few
    rate(after, "who-pays", "deliver", hands=[4, 4, 4, 4, 4, 4])
    rate(before, "who-decides", "deliver", hands=[0, 0, 0, 0, 0])  # rated before only
    return compare(before, after), (before, after)


def _cell(comparison: Comparison, criterion: str, stage: str):  # type: ignore[no-untyped-def]
    return next(c for c in comparison.cells if (c.criterion_key, c.stage_key) == (criterion, stage))


def test_a_box_change_is_after_minus_before_with_the_votes_each_side() -> None:
    comparison, _ = _pair()
    box = _cell(comparison, "who-decides", "plan")
    assert box.mean.before == pytest.approx(9 / 6)
    assert box.mean.after == pytest.approx(16 / 6)
    assert (box.mean.votes_before, box.mean.votes_after) == (6, 6)
    assert box.mean.delta == pytest.approx(7 / 6)
    assert box.mean.text == "▲ +1.2"


def test_under_five_votes_a_side_the_change_is_too_few_votes_to_say() -> None:
    comparison, _ = _pair()
    box = _cell(comparison, "who-pays", "deliver")
    assert MIN_VOTES == 5
    assert (box.mean.before, box.mean.after) == (3.0, 4.0)
    assert (box.mean.votes_before, box.mean.votes_after) == (4, 6)
    assert box.mean.delta is None
    assert box.mean.text == "too few votes to say"


def test_a_box_rated_on_one_side_only_shows_that_side_and_no_change() -> None:
    comparison, _ = _pair()
    box = _cell(comparison, "who-decides", "deliver")
    assert (box.mean.before, box.mean.after) == (0.0, None)
    assert box.mean.delta is None
    assert box.mean.text == "not rated on both sides"


def test_the_gap_between_lived_experience_and_staff_narrows() -> None:
    comparison, _ = _pair()
    gap = _cell(comparison, "who-decides", "plan").gap
    # Before: staff 7/3, lived 2/3, gap 5/3. After: staff 3, lived 7/3, gap 2/3.
    assert gap.before == pytest.approx(5 / 3)
    assert gap.after == pytest.approx(2 / 3)
    assert gap.delta == pytest.approx(-1.0)
    assert gap.narrowing == pytest.approx(1.0)
    assert gap.text == "▼ the gap narrowed by 1.0"
    # Boxes rated by hands have no role split at all.
    assert _cell(comparison, "who-pays", "plan").gap.text == "too few votes to say"


def test_a_gap_needs_three_people_of_each_group_on_both_sides() -> None:
    before, after = workshop(lived=2, staff=4), workshop(lived=3, staff=3)
    rate(before, "who-decides", "plan", lived=[0, 0], staff=[4, 4, 4, 4])
    rate(after, "who-decides", "plan", lived=[2, 2, 2], staff=[3, 3, 3])
    gap = _cell(compare(before, after), "who-decides", "plan").gap
    assert MIN_GROUP == 3
    assert (gap.lived_before, gap.staff_before, gap.lived_after, gap.staff_after) == (2, 4, 3, 3)
    assert gap.delta is None
    assert gap.text == "too few votes to say"


def test_rows_stages_and_the_whole_matrix_compare_like_with_like() -> None:
    comparison, _ = _pair()
    # Boxes rated on both sides: who-decides/plan (1.5 -> 16/6), who-pays/plan (1 -> 2)
    # and who-pays/deliver (3 -> 4). who-decides/deliver, rated before only, is left out.
    whole = comparison.whole.mean
    assert whole.before == pytest.approx((1.5 + 1 + 3) / 3)
    assert whole.after == pytest.approx((16 / 6 + 2 + 4) / 3)
    assert (whole.votes_before, whole.votes_after) == (15, 17)
    assert whole.delta == pytest.approx((16 / 6 + 2 + 4 - 1.5 - 1 - 3) / 3)
    rows = {line.key: line.mean for line in comparison.criteria}
    assert rows["who-decides"].before == pytest.approx(1.5)  # not (1.5 + 0) / 2
    assert rows["who-decides"].delta == pytest.approx(7 / 6)
    assert rows["who-pays"].delta == pytest.approx(1.0)
    stages = {line.key: line.mean for line in comparison.stages}
    assert stages["plan"].delta == pytest.approx((16 / 6 + 2 - 1.5 - 1) / 2)
    # Deliver rests on who-pays alone, four votes before: too few to say.
    assert stages["deliver"].votes_before == 4
    assert stages["deliver"].text == "too few votes to say"
    # The whole matrix's gap: only who-decides/plan was rated by both groups.
    assert comparison.whole.gap.narrowing == pytest.approx(1.0)


def test_boxes_not_yet_revealed_do_not_count_unless_asked() -> None:
    before, after = workshop(), workshop()
    rate(before, "who-decides", "plan", hands=[1] * 6)
    rate(after, "who-decides", "plan", hands=[3] * 6, reveal=False)
    hidden = _cell(compare(before, after), "who-decides", "plan")
    assert hidden.mean.after is None
    shown = _cell(compare(before, after, revealed_only=False), "who-decides", "plan")
    assert shown.mean.delta == pytest.approx(2.0)


def test_items_added_removed_and_renamed_are_named_never_matched_by_title() -> None:
    before = workshop()
    after = workshop(
        criteria=[("who-decides", "Who decides"), ("who-pays", "Who pays for it"), ("fair", "Fair pay")],
        stages=[("plan", "Plan")],
        conditions=[("time", "Time"), ("cash", "Money")],  # same title, new key: not the same item
    )
    comparison = compare(before, after)
    assert comparison.item_sentences == [
        "New criterion: ‘Fair pay’.",
        "The criterion ‘Who pays’ is now called ‘Who pays for it’.",
        "No longer there (stage): ‘Deliver’.",
        "New readiness condition: ‘Money’.",
        "No longer there (readiness condition): ‘Money’.",
    ]
    assert [(c.criterion_key, c.stage_key) for c in comparison.cells] == [
        ("who-decides", "plan"),
        ("who-pays", "plan"),
    ]
    # The renamed row keeps its history, under its new title.
    assert comparison.cells[1].criterion == "Who pays for it"
    assert [r.key for r in comparison.readiness] == ["time"]


def test_the_placement_then_and_now() -> None:
    before, after = workshop(), workshop()
    for criterion in ("who-decides", "who-pays"):
        for stage in ("plan", "deliver"):
            rate(before, criterion, stage, hands=[0] * 5)
            rate(after, criterion, stage, hands=[4] * 5)
    after.put(replace(after.matrix, agreed_rung="co-production"))
    placement = compare(before, after).placement
    assert placement.before is not None
    assert placement.after is not None
    assert placement.before.rung == classify(before).rung == "coercion"  # type: ignore[union-attr]
    assert placement.after.rung == classify(after).rung == "co-production"  # type: ignore[union-attr]
    assert placement.rungs == 6
    assert placement.text == "▲ 6 rungs up: Coercion to Co-production"
    assert (placement.agreed_before, placement.agreed_after) == ("", "co-production")
    assert compare(after, before).placement.text == "▼ 6 rungs down: Co-production to Coercion"


def test_readiness_then_and_now() -> None:
    before, after = workshop(), workshop()
    rate_readiness(before, "time", [1, 1, 2, 2, 2])
    rate_readiness(after, "time", [3, 3, 3, 4, 4])
    rate_readiness(before, "money", [0, 0, 1])
    rate_readiness(after, "money", [0, 1, 1])
    comparison = compare(before, after)
    time, money = comparison.readiness
    assert (time.before.mean, time.after.mean) == (pytest.approx(1.6), pytest.approx(3.4))
    assert (time.before.status, time.after.status) == (Status.MISSING, Status.IN_PLACE)
    assert time.mean.delta == pytest.approx(1.8)
    assert time.mean.text == "▲ +1.8"
    assert money.mean.text == "too few votes to say"
    assert (comparison.verdict_before, comparison.verdict_after) == (Verdict.NOT_YET, Verdict.NOT_YET)
    assert comparison.headline_after == "Not yet. First build what is missing: Money."


def test_each_card_moves_towards_or_away_from_its_earlier_aim() -> None:
    before, after = workshop(), workshop()
    card(before, "c1", "Timetable", (100, 100), (800, 800))
    card(after, "c1", "Timetable", (500, 500), (900, 900))  # the earlier aim counts
    card(before, "c2", "Budget", (100, 100), (800, 800))
    card(after, "c2", "Budget", (805, 800), (800, 800))
    card(before, "c3", "Hiring", (500, 500), (600, 600))
    card(after, "c3", "Hiring", (200, 200), (600, 600))
    card(before, "old-id", "Welcoming  newcomers", (0, 0), (100, 0))
    card(after, "new-id", "welcoming newcomers", (50, 0), None)  # matched by its words
    card(before, "gone", "Parking", (0, 0), None)
    card(after, "new", "Transport", (0, 0), None)
    comparison = compare(before, after)
    moves = {c.text: c for c in comparison.cards}
    timetable = moves["Timetable"]
    assert timetable.aim == (800, 800)
    assert timetable.distance_before == pytest.approx(math.hypot(700, 700))
    assert timetable.distance_after == pytest.approx(math.hypot(300, 300))
    assert timetable.towards == pytest.approx(math.hypot(400, 400))
    assert timetable.direction == "towards"
    assert timetable.text_of_move == "▲ nearer its aim"
    assert moves["Budget"].direction == "reached"
    assert moves["Hiring"].direction == "away"
    assert moves["Hiring"].text_of_move == "▼ further from its aim"
    assert moves["welcoming newcomers"].direction == "towards"
    assert comparison.cards_added == ("Transport",)
    assert comparison.cards_removed == ("Parking",)
    assert "New on the canvas: ‘Transport’." in comparison.item_sentences


def test_signed_numbers_and_arrows_never_rely_on_colour() -> None:
    assert signed(0.44) == "+0.4"
    assert signed(-0.36) == "\u22120.4"
    assert signed(0.04) == "0.0"
    assert change_text(0.26) == "▲ +0.3"
    assert change_text(-1.0) == "▼ \u22121.0"
    assert change_text(0.01) == "= no change"
    assert change_text(None, enough=False) == "too few votes to say"


def test_two_unrelated_workshops_get_one_sentence_naming_what_differs() -> None:
    five, four = workshop(), workshop()
    four.put(MatrixSettings(scale=("a", "b", "c", "d")))
    with pytest.raises(WorkshopMismatchError) as caught:
        compare(five, four, names=("spring.coprod", "autumn.coprod"))
    assert str(caught.value) == (
        "spring.coprod rates the matrix on 5 points and autumn.coprod on 4, "
        "so their ratings cannot be set side by side."
    )
    other = workshop(criteria=[("x", "X")], stages=[("y", "Y")], template="Another template")
    with pytest.raises(
        WorkshopMismatchError, match="made from the template ‘Test template’ and b from ‘Another template’"
    ):
        compare(workshop(), other, names=("a", "b"))
    same_template = workshop(criteria=[("x", "X")])
    with pytest.raises(WorkshopMismatchError, match=r"no row \(criterion\) in common"):
        compare(workshop(), same_template, names=("a", "b"))


def test_a_follow_up_compares_with_its_earlier_run_even_with_nothing_in_common() -> None:
    before = workshop()
    after = workshop(criteria=[("x", "X")])
    after.put(replace(after.info, follows=before.info.session_key))
    comparison = compare(before, after)
    assert comparison.follows
    assert comparison.cells == ()
    assert comparison.whole.mean.text == "not rated on both sides"


def test_the_sample_compared_with_itself_reads_no_change_everywhere() -> None:
    sample = build_sample(load_builtin_template())
    comparison = compare(sample, sample)
    assert {line.mean.text for line in comparison.stages + comparison.criteria} == {"= no change"}
    assert comparison.whole.gap.text == "= the gap is unchanged"
    assert comparison.placement.text == "= still Co-design"
    assert comparison.item_sentences == []
    assert {c.direction for c in comparison.cards} <= {"still", "no_aim"}


# --- properties ---------------------------------------------------------------------------


def _counted(comparison: Comparison) -> object:
    return (
        {(c.criterion_key, c.stage_key): (c.mean, c.gap) for c in comparison.cells},
        {line.key: (line.mean, line.gap) for line in comparison.criteria + comparison.stages},
        (comparison.whole.mean, comparison.whole.gap),
        (comparison.placement.before, comparison.placement.after),
        {r.key: (r.mean, r.before.status, r.after.status) for r in comparison.readiness},
        (comparison.verdict_before, comparison.verdict_after),
        {c.card_id: (c.before_at, c.after_at, c.aim) for c in comparison.cards},
        (comparison.cards_added, comparison.cards_removed),
    )


@PROPERTIES
@given(pair=runs())
def test_comparing_a_session_with_itself_shows_no_change(pair) -> None:  # type: ignore[no-untyped-def]
    session, _ = pair
    comparison = compare(session, session)
    changes = [c.mean for c in comparison.cells] + [
        line.mean for line in comparison.criteria + comparison.stages
    ]
    changes += [comparison.whole.mean] + [r.mean for r in comparison.readiness]
    assert all(c.delta in (None, 0.0) for c in changes)
    assert all(c.before == c.after for c in changes)
    gaps = [c.gap for c in comparison.cells] + [comparison.whole.gap]
    assert all(g.delta in (None, 0.0) for g in gaps)
    assert comparison.placement.rungs in (None, 0)
    assert comparison.item_sentences == []
    assert all(c.towards in (None, 0.0) for c in comparison.cards)


@PROPERTIES
@given(pair=runs())
def test_comparing_b_with_a_is_the_negation_of_a_with_b(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    forward, backward = compare(a, b), compare(b, a)
    # Titles are the later session's, so only what is counted must mirror exactly.
    assert _counted(backward) == _counted(forward.reversed())
    assert [i.reversed() for i in backward.items] == list(forward.items)
    for there, back in zip(forward.cells, backward.cells, strict=True):
        if there.mean.delta is not None:
            assert back.mean.delta == pytest.approx(-there.mean.delta)
        if there.gap.narrowing is not None:
            assert back.gap.narrowing == pytest.approx(-there.gap.narrowing)
    if forward.whole.mean.delta is not None:
        assert backward.whole.mean.delta == pytest.approx(-forward.whole.mean.delta)
    if forward.placement.rungs is not None:
        assert backward.placement.rungs == -forward.placement.rungs
    for there, back in zip(forward.cards, backward.cards, strict=True):
        if there.towards is not None:
            assert back.towards == pytest.approx(-there.towards)


def test_a_secret_ballot_gap_counts_its_sides_without_names() -> None:
    from coprod_desktop.domain.model import BallotCount, Side

    before, after = workshop(), workshop()
    q_before = rate(before, "who-decides", "plan")  # revealed, rated by ballots only
    q_after = rate(after, "who-decides", "plan")
    for session, question, lived, staff in ((before, q_before, "1", "3"), (after, q_after, "2", "3")):
        session.put(BallotCount(question, Side.LIVED, lived, 3))
        session.put(BallotCount(question, Side.STAFF, staff, 3))
    gap = _cell(compare(before, after), "who-decides", "plan").gap
    assert (gap.lived_before, gap.staff_before, gap.lived_after, gap.staff_after) == (3, 3, 3, 3)
    assert (gap.before, gap.after) == (2.0, 1.0)
    assert gap.text == "▼ the gap narrowed by 1.0"
    # Two ballots a side are withheld from the split, as on the matrix's own screen.
    for side in (Side.LIVED, Side.STAFF):
        after.put(BallotCount(q_after, side, "2" if side is Side.LIVED else "3", 2))
    assert _cell(compare(before, after), "who-decides", "plan").gap.text == "too few votes to say"


def test_the_changes_are_said_in_the_language_they_are_read_in() -> None:
    from coprod_desktop.domain.i18n import using

    before, after = workshop("Spring"), workshop("Autumn")
    rate(before, "who-decides", "plan", hands=[1] * 6)
    rate(after, "who-decides", "plan", hands=[3] * 6)
    after.put(replace(after.criteria[0], title="Who decides, really"))
    comparison = compare(before, after)
    box = comparison.cells[0]
    with using("cy"):
        assert box.mean.text == "▲ +2.0"
        assert comparison.cells[1].mean.text == "heb ei sgorio y ddau dro"
        assert change_text(None, enough=False) == "rhy ychydig o bleidleisiau i ddweud"
        assert comparison.item_sentences[0].startswith("Mae'r maen prawf ‘")
    assert box.mean.text == "▲ +2.0"
    assert comparison.item_sentences[0].startswith("The criterion ‘")
