"""The sample workshop: complete, varied and the same every time."""

from __future__ import annotations

import json
import unicodedata

import pytest

from coprod_desktop.domain.model import CardKind, Session, StepKind, VotingMode
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.domain.voting import (
    cell_question,
    is_revealed,
    readiness_question,
    scenario_question,
    tally,
    voters,
)
from coprod_desktop.storage.interchange import session_to_json
from coprod_desktop.storage.templates import load_builtin_template


@pytest.fixture(scope="module")
def sample() -> Session:
    return build_sample(load_builtin_template())


def _scripts(text: str) -> set[str]:
    """The first word of each letter's Unicode name: LATIN, GREEK, CYRILLIC..."""
    return {unicodedata.name(ch).split()[0] for ch in text if ch.isalpha()}


def test_the_sample_has_twelve_participants_in_at_least_five_role_groups(sample: Session) -> None:
    people = sample.participants
    assert len(people) == 12
    assert len({p.id for p in people}) == 12
    assert len({p.role for p in people}) >= 5
    assert any(p.role.lived_experience for p in people)
    assert any(p.role.professional for p in people)


def test_the_sample_names_come_from_several_scripts_and_languages(sample: Session) -> None:
    names = " ".join(p.name for p in sample.participants)
    scripts = _scripts(names)
    assert {"LATIN", "GREEK", "CYRILLIC"} <= scripts
    # Vietnamese: Latin letters with stacked diacritics.
    assert any(ch in names for ch in "ễịươ")
    # Polish: "Wójcik".
    assert "ó" in names


def test_every_matrix_cell_has_a_named_vote_from_everyone_and_is_revealed(sample: Session) -> None:
    assert sample.matrix.mode is VotingMode.NAMED
    points = len(sample.matrix.scale)
    assert sample.criteria
    assert sample.stages
    for criterion in sample.criteria:
        for stage in sample.stages:
            question = cell_question(criterion.id, stage.id)
            counts = tally(sample, question)
            assert voters(sample, question) == 12
            assert all(0 <= int(choice) < points for choice in counts)
            assert is_revealed(sample, question)
    assert sample.matrix.agreed_rung == "co-design"
    assert sample.matrix.agreed_reason


def test_every_scenario_and_readiness_item_has_votes(sample: Session) -> None:
    term_keys = {t.key for t in sample.terms}
    assert sample.scenarios
    assert sample.readiness_items
    for scenario in sample.scenarios:
        counts = tally(sample, scenario_question(scenario.id))
        assert sum(counts.values()) == 12, scenario.title
        assert set(counts) <= term_keys
    for item in sample.readiness_items:
        counts = tally(sample, readiness_question(item.id))
        assert sum(counts.values()) == 12, item.title
        assert is_revealed(sample, readiness_question(item.id))
    # Both ways of voting are shown: named votes and counted hands.
    assert any(v.question.startswith("scenario/") for v in sample.votes)
    assert any(t.question.startswith("scenario/") for t in sample.tallies)


def test_the_canvas_has_cards_of_both_kinds_on_both_layers(sample: Session) -> None:
    cards = sample.cards
    assert {c.kind for c in cards} == {CardKind.STAKEHOLDER, CardKind.DECISION}
    assert all(c.now_x is not None and c.now_y is not None for c in cards)
    with_aspiration = [c for c in cards if c.aspiration_x is not None and c.aspiration_y is not None]
    assert 0 < len(with_aspiration) < len(cards)
    assert any(c.aspiration_x is None and c.aspiration_y is None for c in cards)
    assert all(0 <= value <= 1000 for c in cards for value in (c.now_x, c.now_y) if value is not None)


def test_the_sample_has_actions_notes_and_a_current_step(sample: Session) -> None:
    assert len(sample.actions) >= 3
    assert all(a.what and a.who and a.due for a in sample.actions)
    card_ids = {c.id for c in sample.cards}
    criterion_ids = {c.id for c in sample.criteria}
    for action in sample.actions:
        kind, _, target = action.link.partition(":")
        if action.link:
            assert target in (card_ids if kind == "card" else criterion_ids), action.link
    step_ids = {s.id for s in sample.steps}
    assert sample.notes
    assert all(n.text and n.step_id in step_ids for n in sample.notes)
    assert sample.current_step is not None
    assert sample.current_step.kind is StepKind.SUMMARY
    assert sample.info.title
    assert sample.info.date
    assert sample.info.facilitator
    assert sample.info.place


def _normalised(session: Session) -> dict[str, object]:
    """The export with the template's random identities replaced by stable names,
    and every list sorted (entities keyed by those identities are ordered by them)."""
    text = session_to_json(session)
    text = text.replace(session.info.session_key, "session-key")
    for label, entities in [
        ("step", session.steps),
        ("criterion", session.criteria),
        ("stage", session.stages),
        ("scenario", session.scenarios),
        ("readiness", session.readiness_items),
    ]:
        for index, entity in enumerate(entities):
            text = text.replace(entity.id, f"{label}-{index}")
    document = json.loads(text)
    for key, value in document.items():
        if isinstance(value, list):
            document[key] = sorted(value, key=lambda item: json.dumps(item, sort_keys=True))
    return document


def test_the_sample_is_the_same_every_time(sample: Session) -> None:
    again = build_sample(load_builtin_template())
    assert _normalised(again) == _normalised(sample)
    assert again.summary() == sample.summary()


def test_a_different_seed_gives_different_votes() -> None:
    one = build_sample(load_builtin_template(), seed=1)
    two = build_sample(load_builtin_template(), seed=2)
    assert _normalised(one) != _normalised(two)
    assert one.summary()["vote"] == two.summary()["vote"]
