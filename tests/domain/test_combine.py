"""Several groups combined into one picture: hand-computed tallies, anonymity, properties."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings

from coprod_desktop.domain.combine import combine
from coprod_desktop.domain.compare import WorkshopMismatchError
from coprod_desktop.domain.matrix import classify_results, matrix_results
from coprod_desktop.domain.model import MatrixSettings, Participant, Vote
from coprod_desktop.domain.readiness import recommend
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.interchange import session_to_json
from coprod_desktop.storage.templates import load_builtin_template
from tests.domain.workshops import rate, rate_readiness, runs, workshop

PROPERTIES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _groups():  # type: ignore[no-untyped-def]
    north, south = workshop("North"), workshop("South", lived=4, staff=2)
    rate(north, "who-decides", "plan", lived=[1, 2, 3], staff=[3, 3, 3])
    rate(south, "who-decides", "plan", lived=[0, 0, 1, 1], staff=[4, 4], hands=[2, 2])
    rate(north, "who-pays", "deliver", hands=[4] * 6)
    rate(south, "who-pays", "deliver", hands=[0] * 6)
    rate(north, "who-pays", "plan", hands=[2] * 5)
    rate(south, "who-pays", "plan", hands=[3] * 5, reveal=False)  # South has not seen it yet
    rate_readiness(north, "time", [3, 3, 4])
    rate_readiness(south, "time", [1, 2])
    return north, south


def _cell(combined, criterion: str, stage: str):  # type: ignore[no-untyped-def]
    results = combined.results
    row = [c.key for c in results.criteria].index(criterion)
    column = [s.key for s in results.stages].index(stage)
    return results.cell(row, column)


def test_the_combined_box_adds_every_groups_votes_as_counted_hands() -> None:
    north, south = _groups()
    combined = combine([north, south], names=["north.coprod", "south.coprod"])
    box = _cell(combined, "who-decides", "plan")
    # North 1,2,3,3,3,3 and South 0,0,1,1,4,4,2,2: fourteen ratings.
    assert box.counts == (2, 3, 3, 4, 2)
    assert box.voters == 14
    assert box.mean == pytest.approx((1 + 2 + 3 + 3 + 3 + 3 + 0 + 0 + 1 + 1 + 4 + 4 + 2 + 2) / 14)
    assert box.revealed
    # Lived experience 1,2,3,0,0,1,1 (seven people), staff 3,3,3,4,4 (five), pooled.
    assert box.split.lived_experience == pytest.approx(8 / 7)
    assert box.split.professional == pytest.approx(17 / 5)


def test_a_box_only_joins_from_groups_that_revealed_it() -> None:
    north, south = _groups()
    box = _cell(combine([north, south]), "who-pays", "plan")
    assert box.counts == (0, 0, 5, 0, 0)
    assert _cell(combine([north, south], revealed_only=False), "who-pays", "plan").voters == 10


def test_no_one_is_identifiable_in_the_combined_session() -> None:
    north, south = _groups()
    combined = combine([north, south])
    assert combined.session.count(Vote) == 0
    assert combined.session.count(Participant) == 0
    text = session_to_json(combined.session)
    for session in (north, south):
        for person in session.participants:
            assert person.name not in text
            assert f'"{person.id}"' not in text


def test_a_role_split_pooled_from_fewer_than_three_a_side_is_not_shown() -> None:
    north, south = workshop("North", lived=2, staff=1), workshop("South", lived=0, staff=1)
    rate(north, "who-decides", "plan", lived=[1, 1], staff=[4])
    rate(south, "who-decides", "plan", staff=[4])
    box = _cell(combine([north, south]), "who-decides", "plan")
    assert box.voters == 4
    assert box.split.gap is None


def test_each_groups_placement_and_where_groups_differ_most() -> None:
    north, south = _groups()
    combined = combine([north, south], names=["North", "South"])
    assert [g.name for g in combined.groups] == ["North", "South"]
    assert combined.groups[0].placement == classify_results(matrix_results(north))
    assert [g.people for g in combined.groups] == [6, 6]
    widest = combined.differences[0]
    assert (widest.criterion_key, widest.stage_key) == ("who-pays", "deliver")
    assert (widest.low_group, widest.low, widest.high_group, widest.high) == ("South", 0.0, "North", 4.0)
    assert widest.spread == 4.0
    # who-pays/plan is rated by North only (South's is not revealed): not a difference.
    assert {(d.criterion_key, d.stage_key) for d in combined.differences} == {
        ("who-pays", "deliver"),
        ("who-decides", "plan"),
    }


def test_readiness_across_groups() -> None:
    north, south = _groups()
    combined = combine([north, south])
    time = next(r for r in combined.readiness if r.key == "time")
    assert time.combined.mean == pytest.approx((3 + 3 + 4 + 1 + 2) / 5)
    assert time.combined.votes == 5
    assert [g.mean for g in time.groups] == [pytest.approx(10 / 3), pytest.approx(1.5)]  # type: ignore[union-attr]
    assert combined.recommendation == recommend(combined.session)


def test_items_in_only_some_groups_are_named() -> None:
    north = workshop("North")
    south = workshop("South", criteria=[("who-decides", "Who decides"), ("fair", "Fair pay")])
    combined = combine([north, south], names=["North", "South"])
    assert [c.key for c in combined.results.criteria] == ["who-decides", "who-pays", "fair"]
    assert combined.notes == ("‘Who pays’ is only in North.", "‘Fair pay’ is only in South.")


def test_a_group_from_another_workshop_is_named() -> None:
    north, south = workshop(), workshop()
    south.put(MatrixSettings(scale=("a", "b", "c")))
    with pytest.raises(WorkshopMismatchError) as caught:
        combine([north, north, south], names=["a.coprod", "b.coprod", "c.coprod"])
    assert str(caught.value) == (
        "a.coprod rates the matrix on 5 points and c.coprod on 3, so their ratings cannot be set "
        "side by side. Combine only groups of one workshop."
    )


def test_combining_the_sample_with_itself_doubles_every_count() -> None:
    sample = build_sample(load_builtin_template())
    once, twice = combine([sample]), combine([sample, sample])
    for one, two in zip(once.results.all_cells(), twice.results.all_cells(), strict=True):
        assert two.counts == tuple(2 * n for n in one.counts)
        assert two.mean == one.mean
    assert twice.placement == once.placement
    assert twice.differences
    assert all(d.spread == 0 for d in twice.differences)


def _shown(results, revealed_only: bool = True):  # type: ignore[no-untyped-def]
    """What a screen shows of each box: its counts and figures once revealed."""
    return [
        (c.criterion.key, c.stage.key, c.counts, c.off_scale, c.summary)
        if c.revealed
        else (c.criterion.key, c.stage.key)
        for c in results.all_cells()
    ]


@PROPERTIES
@given(pair=runs())
def test_combining_one_session_gives_that_sessions_results(pair) -> None:  # type: ignore[no-untyped-def]
    session, _ = pair
    combined = combine([session])
    own = matrix_results(session)
    assert _shown(combined.results) == _shown(own)
    for mine, theirs in zip(combined.results.all_cells(), own.all_cells(), strict=True):
        if mine.split.gap is not None:
            assert mine.split.lived_experience == pytest.approx(theirs.split.lived_experience)
            assert mine.split.professional == pytest.approx(theirs.split.professional)
    ours = classify_results(own)
    if ours is None:
        assert combined.placement is None
    else:
        assert combined.placement is not None
        assert (combined.placement.rung, combined.placement.reason) == (ours.rung, ours.reason)
    assert combined.recommendation.headline == recommend(session).headline
    assert [(c.mean, c.votes, c.status) for c in combined.recommendation.conditions] == [
        (c.mean, c.votes, c.status) for c in recommend(session).conditions
    ]
    assert json.loads(session_to_json(combined.session))["votes"] == []


def test_groups_on_several_days_keep_the_first_and_last_day() -> None:
    from coprod_desktop.domain.model import replace

    north, south = _groups()
    north.put(replace(north.info, date="2026-11-19"))
    south.put(replace(south.info, date="2027-01-08"))
    combined = combine([south, north])
    assert (combined.first_date, combined.last_date) == ("2026-11-19", "2027-01-08")
    assert combined.session.info.date == ""  # no one day: the report says "from … to …"
    south.put(replace(south.info, date="2026-11-19"))
    same_day = combine([north, south])
    assert same_day.session.info.date == "2026-11-19"


def test_the_combined_words_are_in_the_language_they_are_made_in() -> None:
    from coprod_desktop.domain.i18n import using

    north, south = _groups()
    other = workshop("West")
    other.put(MatrixSettings(scale=("a", "b", "c")))
    with using("cy"):
        combined = combine([north, south], names=["gogledd.coprod", "de.coprod"])
        with pytest.raises(WorkshopMismatchError) as caught:
            combine([north, other], names=["gogledd.coprod", "gorllewin.coprod"])
    assert str(caught.value) == (
        "Mae gogledd.coprod yn sgorio'r matrics ar 5 pwynt a gorllewin.coprod ar 3, felly does dim modd "
        "gosod eu sgoriau ochr yn ochr. Cyfunwch grwpiau o'r un gweithdy yn unig."
    )
    assert combined.session.info.title.startswith("2 o grwpiau: ")
    assert combined.session.steps[0].title == "Sgoriau pob grŵp gyda'i gilydd"


def test_a_box_revealed_before_anyone_voted_stays_revealed_when_combined() -> None:
    """Found by the property above: a group that revealed a box no one had voted in yet shows
    it revealed, empty; so does the combined picture."""
    from coprod_desktop.domain.model import Reveal
    from coprod_desktop.domain.voting import cell_question

    session = load_builtin_template()
    criterion, stage = session.criteria[0], session.stages[0]
    session.put(Reveal(cell_question(criterion.id, stage.id)))
    own = matrix_results(session)
    assert own.cell(0, 0).revealed
    assert not own.cell(0, 0).voters
    combined = combine([session]).results
    assert _shown(combined) == _shown(own)
