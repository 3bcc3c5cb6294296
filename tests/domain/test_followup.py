"""Starting a follow-up: the same workshop, no votes, linked to the earlier run, with a review."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from coprod_desktop.domain.compare import compare
from coprod_desktop.domain.followup import (
    REVIEW_TITLE,
    review_counts,
    set_review,
    start_follow_up,
)
from coprod_desktop.domain.model import (
    ActionReview,
    ActionStatus,
    Note,
    Reveal,
    Session,
    StepKind,
    Tally,
    Vote,
    replace,
)
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.interchange import session_to_json
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template


@pytest.fixture(scope="module")
def sample() -> Session:
    session = build_sample(load_builtin_template())
    actions = session.actions
    session.put(replace(actions[0], done=True))
    return session


def test_a_follow_up_keeps_the_workshop_and_drops_what_the_room_decided(sample: Session) -> None:
    before = session_to_json(sample)
    follow_up = start_follow_up(sample, date="2027-05-20")
    assert session_to_json(sample) == before  # the earlier session is untouched
    assert follow_up.criteria == sample.criteria
    assert follow_up.stages == sample.stages
    assert follow_up.scenarios == sample.scenarios
    assert follow_up.readiness_items == sample.readiness_items
    assert follow_up.terms == sample.terms
    assert follow_up.cards == sample.cards  # where they stood, aims included
    assert follow_up.canvas == sample.canvas
    assert follow_up.matrix.scale == sample.matrix.scale
    assert follow_up.matrix.mode == sample.matrix.mode
    assert (follow_up.matrix.agreed_rung, follow_up.matrix.agreed_reason) == ("", "")
    assert follow_up.participants == sample.participants
    for kind in (Vote, Tally, Reveal, Note):
        assert follow_up.count(kind) == 0, kind
    assert follow_up.actions == []
    assert follow_up.info.title == sample.info.title
    assert follow_up.info.date == "2027-05-20"
    assert follow_up.info.follows == sample.info.session_key
    assert follow_up.info.session_key not in ("", sample.info.session_key)


def test_people_can_be_left_out(sample: Session) -> None:
    assert start_follow_up(sample, keep_participants=False).participants == []


def test_the_review_step_comes_after_the_welcome_and_lists_the_earlier_actions(sample: Session) -> None:
    follow_up = start_follow_up(sample)
    kinds = [s.kind for s in follow_up.steps]
    assert kinds[:2] == [StepKind.WELCOME, StepKind.REVIEW]
    assert kinds[2:] == [s.kind for s in sample.steps[1:]]
    review = follow_up.steps[1]
    assert review.title == REVIEW_TITLE
    assert review.key == "review"
    assert not review.hidden
    assert review.minutes == 10  # five actions at two minutes each
    assert [s.position for s in follow_up.steps] == list(range(len(follow_up.steps)))
    assert follow_up.current_step == follow_up.steps[0]
    reviews = follow_up.action_reviews
    assert [(r.id, r.what, r.who, r.due) for r in reviews] == [
        (a.id, a.what, a.who, a.due) for a in sample.actions
    ]
    # An action ticked done last time starts as done; the rest wait for the room.
    assert [r.status for r in reviews] == [ActionStatus.DONE, None, None, None, None]


def test_a_follow_up_of_a_follow_up_has_one_review_step() -> None:
    first = build_sample(load_builtin_template())
    second = start_follow_up(first)
    third = start_follow_up(second)
    assert [s.kind for s in third.steps].count(StepKind.REVIEW) == 1
    assert third.info.follows == second.info.session_key
    assert third.action_reviews == []  # the second run agreed no actions
    assert next(s for s in third.steps if s.kind is StepKind.REVIEW).hidden


def test_setting_a_status_and_a_note_gives_one_edit() -> None:
    follow_up = start_follow_up(build_sample(load_builtin_template()))
    review = follow_up.action_reviews[1]
    [(old, new)] = set_review(
        follow_up, review, status=ActionStatus.PARTLY, note="  Two meetings paid so far. "
    )
    assert old == review
    assert isinstance(new, ActionReview)
    assert (new.status, new.note) == (ActionStatus.PARTLY, "Two meetings paid so far.")
    follow_up.put(new)
    assert set_review(follow_up, new, status=ActionStatus.PARTLY) == []
    [(_, cleared)] = set_review(follow_up, new, status=None)
    assert isinstance(cleared, ActionReview)
    assert cleared.status is None
    assert cleared.note == "Two meetings paid so far."
    counts = review_counts(follow_up)
    assert counts[ActionStatus.PARTLY] == 1
    assert counts[None] == 4
    assert sum(counts.values()) == 5


def test_the_follow_up_compares_with_its_earlier_run(sample: Session) -> None:
    follow_up = start_follow_up(sample)
    comparison = compare(sample, follow_up)
    assert comparison.follows
    # No votes yet: every box shows the earlier average and nothing now.
    assert all(c.mean.after is None for c in comparison.cells)
    assert comparison.item_sentences == ["New step: ‘Did we do what we said?’."]
    assert {c.direction for c in comparison.cards} <= {"still", "no_aim"}


def test_a_follow_up_saves_and_reopens_whole(tmp_path: Path, sample: Session) -> None:
    follow_up = start_follow_up(copy.deepcopy(sample))
    follow_up.put(replace(follow_up.action_reviews[0], note="Done in March", status=ActionStatus.DONE))
    path = tmp_path / "follow-up.coprod"
    SessionFile.create(path, follow_up).close()
    with SessionFile.open(path, read_only=True) as opened:
        assert opened.load() == follow_up


def test_an_earlier_session_without_a_key_cannot_be_followed() -> None:
    with pytest.raises(ValueError, match="no key"):
        start_follow_up(Session())


def test_the_review_step_is_written_in_the_workshops_language() -> None:
    from coprod_desktop.domain.i18n import using
    from coprod_desktop.domain.model import replace

    welsh = build_sample(load_builtin_template(language="cy"))
    welsh.put(replace(welsh.info, language="cy"))
    review = start_follow_up(welsh).steps[1]
    assert review.kind is StepKind.REVIEW
    assert review.title == "A wnaethon ni'r hyn a ddywedon ni?"
    assert review.body.startswith("Y tro diwethaf")
    # An English session's follow-up is English, whatever the app's own language.
    with using("cy"):
        english = start_follow_up(build_sample(load_builtin_template()))
    assert english.steps[1].title == "Did we do what we said?"
