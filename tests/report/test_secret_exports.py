"""Secret means secret in every export: the facilitator report, the CSV files and the JSON.

A secret ballot leaves "Ann has voted" and "one more 3 from lived experience" in the file,
and nothing that joins them. Each export may say who handed in a ballot and what the counts
are; none may put the voter and a choice in one row, one table line or one JSON object.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from coprod_desktop.domain.changes import apply_changes
from coprod_desktop.domain.matrix import set_mode
from coprod_desktop.domain.model import (
    BallotCast,
    BallotCount,
    Participant,
    RoleGroup,
    Session,
    Vote,
    VotingMode,
)
from coprod_desktop.domain.voting import Ballot, cell_question, named_vote
from coprod_desktop.report.csvexport import CSV_FILES, export_csv
from coprod_desktop.report.pdf import ReportOptions, render_pdf
from coprod_desktop.storage.interchange import session_to_dict, session_to_json
from coprod_desktop.storage.templates import load_builtin_template

from .helpers import flat, pdf_text

VOTER = Participant("p-ann", "Annwen Secretvoter", RoleGroup.USES_SERVICES, 0)
NAMED = Participant("p-bob", "Bartholomew Namedvoter", RoleGroup.FRONTLINE, 1)
SECRET_CHOICE = "3"
NAMED_CHOICE = "1"


def secret_session() -> tuple[Session, list[str], str]:
    """A workshop where Bob rated one box by name, then Annwen rated two boxes in secret."""
    session = load_builtin_template()
    for person in (VOTER, NAMED):
        session.put(person)
    criteria, stages = session.criteria, session.stages
    named_box = cell_question(criteria[0].id, stages[0].id)
    apply_changes(session, named_vote(session, named_box, NAMED.id, NAMED_CHOICE))
    apply_changes(session, set_mode(session, VotingMode.SECRET))
    secret_boxes = [cell_question(criteria[1].id, stages[1].id), cell_question(criteria[2].id, stages[2].id)]
    ballot = Ballot.open(session, VotingMode.SECRET, VOTER.id)
    for box in secret_boxes:
        apply_changes(session, ballot.cast(session, box, "0"))  # a change of mind first
        apply_changes(session, ballot.cast(session, box, SECRET_CHOICE))
    assert ballot.seal() == 2
    assert session.count(Vote) == 1
    assert session.count(BallotCast) == 2
    return session, secret_boxes, named_box


def test_the_session_keeps_ballots_apart() -> None:
    session, boxes, _ = secret_session()
    assert {c.question for c in session.items(BallotCast)} == set(boxes)
    assert {(c.question, c.choice, c.count) for c in session.items(BallotCount)} == {
        (box, SECRET_CHOICE, 1) for box in boxes
    }


def test_the_facilitator_report_lists_only_named_votes_by_name() -> None:
    session, _, _ = secret_session()
    text = flat(pdf_text(render_pdf(session, ReportOptions(facilitator=True, names=True))))
    assert "in named or secret voting" not in text
    votes_part = text[text.index("Every vote cast by name") : text.index("Secret ballots handed in")]
    assert NAMED.name in votes_part  # Bob's named rating is listed with his name
    assert VOTER.name not in votes_part  # Annwen's ballots are not in any grid of choices
    handed_in = text[text.index("Secret ballots handed in") :]
    line = handed_in[handed_in.index(VOTER.name) :].split(VOTER.name, 1)[1].split()[0]
    assert line == "2"  # she handed in ballots on two boxes; the line says nothing more
    assert text.count(VOTER.name) == 2  # that table and the list of who took part, no more


def test_the_anonymous_facilitator_report_names_nobody() -> None:
    session, _, _ = secret_session()
    text = flat(pdf_text(render_pdf(session, ReportOptions(facilitator=True, names=False))))
    assert VOTER.name not in text
    assert NAMED.name not in text
    assert "2 secret ballots were handed in" in text


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.mark.parametrize("names", [True, False])
def test_no_csv_row_ties_a_ballot_to_its_voter(tmp_path: Path, names: bool) -> None:
    session, boxes, named_box = secret_session()
    export_csv(session, tmp_path, names=names)
    for name in CSV_FILES:
        for row in read_csv(tmp_path / name):
            values = set(row.values())
            if VOTER.name in values or VOTER.id in values:
                assert name == "ballots_cast.csv", (name, row)
                assert SECRET_CHOICE not in {row.get("choice"), row.get("choice_label")}
    votes = read_csv(tmp_path / "votes.csv")
    on_boxes = [row for row in votes if row["question"] in boxes]
    assert [(r["participant"], r["role"], r["choice"], r["count"]) for r in on_boxes] == [
        ("", "", SECRET_CHOICE, "1") for _ in boxes
    ]
    assert {r["cast_as"] for r in on_boxes} == ({"ballot"} if names else {"all"})
    named = [row for row in votes if row["question"] == named_box]
    expected = NAMED.name if names else ""
    assert [(r["participant"], r["choice"]) for r in named] == [(expected, NAMED_CHOICE)]
    handed = read_csv(tmp_path / "ballots_cast.csv")
    if names:
        assert handed == [
            {
                "participant": VOTER.name,
                "role": VOTER.role.label,
                "matrix_boxes": "2",
                "scenarios": "0",
                "readiness_conditions": "0",
            }
        ]
    else:
        assert handed == []


def objects(value: Any) -> list[dict[str, Any]]:
    """Every JSON object, however deep."""
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        found.append(value)
        for item in value.values():
            found.extend(objects(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(objects(item))
    return found


def test_no_json_object_ties_a_ballot_to_its_voter() -> None:
    session, boxes, _ = secret_session()
    document = json.loads(session_to_json(session))
    assert document == json.loads(json.dumps(session_to_dict(session)))
    for found in objects(document):
        mentions_voter = VOTER.id in found.values() or VOTER.name in found.values()
        if mentions_voter:
            assert "choice" not in found, found
            assert "count" not in found, found
        if found.get("question") in boxes:
            assert set(found) <= {"question", "participant_id", "side", "choice", "count"}
            assert not ("participant_id" in found and "choice" in found), found
