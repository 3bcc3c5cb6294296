"""What a phone may see: the open step's questions, and results only once revealed."""

from __future__ import annotations

import json

import pytest

from coprod_desktop.domain.model import Progress, Reveal, Scenario, Session, StepKind, VotingMode
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.remote.roomview import phone_mode, room_view
from coprod_desktop.storage.templates import load_builtin_template


@pytest.fixture
def session() -> Session:
    return build_sample(load_builtin_template())


def at(session: Session, kind: StepKind) -> Session:
    step = next(s for s in session.steps if s.kind is kind)
    session.put(Progress(current_step_id=step.id))
    return session


def test_a_scenarios_answer_reaches_no_phone_before_it_is_revealed(session: Session) -> None:
    at(session, StepKind.SCENARIOS)
    scenario: Scenario = session.scenarios[0]
    session.remove(Reveal, (f"scenario/{scenario.id}",))
    view = room_view(session, scenario_id=scenario.id)
    text = json.dumps(view)
    assert view["screen"]["kind"] == "scenario"
    assert scenario.explanation
    assert scenario.explanation not in text
    assert "result" not in view["screen"]["questions"][0]
    assert {c["value"] for c in view["screen"]["questions"][0]["choices"]} == {t.key for t in session.terms}
    session.put(Reveal(f"scenario/{scenario.id}"))
    shown = room_view(session, scenario_id=scenario.id)["screen"]["questions"][0]
    assert scenario.explanation in shown["result"]
    assert shown["closed"] is True
    # ... and never while a ballot is open at the laptop.
    assert (
        "result"
        not in room_view(session, scenario_id=scenario.id, results_hidden=True)["screen"]["questions"][0]
    )


def test_the_matrix_sends_each_box_and_hides_unrevealed_results(session: Session) -> None:
    at(session, StepKind.MATRIX)
    for reveal in [r for r in session.reveals if r.question.startswith("cell/")]:
        session.remove(Reveal, (reveal.question,))
    first = f"cell/{session.criteria[0].id}/{session.stages[0].id}"
    session.put(Reveal(first))
    screen = room_view(session)["screen"]
    assert screen["kind"] == "matrix"
    assert len(screen["questions"]) == len(session.criteria) * len(session.stages)
    assert [q["key"] for q in screen["questions"] if "result" in q] == [first]
    assert [q["key"] for q in screen["questions"] if q.get("closed")] == [first]
    assert [c["value"] for c in screen["choices"]] == [str(i) for i in range(len(session.matrix.scale))]


def test_with_every_box_revealed_the_room_is_asked_about_the_placement(session: Session) -> None:
    at(session, StepKind.MATRIX)
    for c in session.criteria:
        for s in session.stages:
            session.put(Reveal(f"cell/{c.id}/{s.id}"))
    screen = room_view(session)["screen"]
    assert screen["kind"] == "placement"
    assert screen["questions"][0]["key"].startswith("placement/")
    assert [c["value"] for c in screen["questions"][0]["choices"]] == ["agree", "disagree"]


def test_readiness_and_waiting(session: Session) -> None:
    screen = room_view(at(session, StepKind.READINESS))["screen"]
    assert screen["kind"] == "readiness"
    assert [q["title"] for q in screen["questions"]] == [i.title for i in session.readiness_items]
    assert room_view(at(session, StepKind.WELCOME))["screen"]["kind"] == "waiting"


@pytest.mark.parametrize(
    ("mode", "phones", "people"),
    [
        (VotingMode.NAMED, "named", True),
        (VotingMode.SECRET, "secret", True),
        (VotingMode.ANONYMOUS, "anonymous", False),
        (VotingMode.SHOW_OF_HANDS, "anonymous", False),
    ],
)
def test_phones_vote_in_the_matrixs_mode(
    session: Session, mode: VotingMode, phones: str, people: bool
) -> None:
    from dataclasses import replace

    session.matrix = replace(session.matrix, mode=mode)
    view = room_view(session)
    assert phone_mode(session) == view["mode"] == phones
    assert bool(view["people"]) is people
