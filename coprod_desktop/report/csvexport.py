"""Tidy CSV files of a workshop's results, for spreadsheets and for analysis.

    export_csv(session, "results/", names=True)

writes six files, each with a header row:

votes.csv
    Every vote, every count of hands and every count of ballots, on every
    question (matrix boxes, scenarios, readiness conditions); `cast_as` says
    which: "name", "hands" or "ballot". With names, one row per named vote
    (count 1), and one per counted choice and per choice of the ballots
    (participant blank). A ballot count is one number per choice, its sides
    added together: no row ties a secret ballot's choice to a person or to a
    side. Without names, everything is added into one row per question and
    choice ("all"), so nobody's choice can be picked out.
ballots_cast.csv
    Who handed in a secret ballot, and on how many questions of each kind:
    never what they chose, nor which questions. Without names it has no rows.
scenario_votes.csv
    One row per scenario and word: the votes it got, and whether it is the answer.
readiness.csv
    One row per condition: votes, average, status, and the count for each point.
actions.csv
    One row per action.
canvas_cards.csv
    One row per card, with both positions and where they fall.

The files are UTF-8 *with* a byte order mark. Excel on Windows reads a CSV
without one in the machine's legacy code page, which garbles Polish, Greek,
Cyrillic and Vietnamese names; with the mark it reads UTF-8, and so do
LibreOffice, Numbers, Python (`encoding="utf-8-sig"`) and R. Rows end in
CRLF, as RFC 4180 says. Text that a spreadsheet would run as a formula (it
starts with =, +, -, @ or a tab) gets a leading apostrophe, the usual guard
against formula injection; numbers are written as numbers.

Each file is written to a temporary file and then moved into place.
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..domain import readiness as readiness_rules
from ..domain.errors import KnownError
from ..domain.i18n import _
from ..domain.model import (
    BallotCast,
    BallotCount,
    Card,
    Participant,
    ReadinessItem,
    Scenario,
    Session,
    Stage,
    Tally,
    Vote,
)
from ..domain.model import Criterion as CriterionEntity
from ..domain.scenarios import scenario_result, term_name
from ..domain.voting import cell_question, question_family, readiness_question, scenario_question, tally
from ..storage.atomic import atomic_write, plain_os_error
from .markup import NameRedactor, clean

__all__ = ["CSV_FILES", "CsvError", "CsvResult", "export_csv", "question_rows"]

CSV_FILES = (
    "votes.csv",
    "ballots_cast.csv",
    "scenario_votes.csv",
    "readiness.csv",
    "actions.csv",
    "canvas_cards.csv",
)

VOTE_HEADER = (
    "question_type",
    "question",
    "criterion",
    "stage",
    "subject",
    "participant",
    "role",
    "choice",
    "choice_label",
    "count",
    "cast_as",
)
BALLOTS_HEADER = ("participant", "role", "matrix_boxes", "scenarios", "readiness_conditions")


class CsvError(KnownError):
    """The CSV files could not be written; the message says why."""


@dataclass(frozen=True)
class CsvResult:
    folder: Path
    rows: dict[str, int]  # file name -> data rows (header not counted)

    @property
    def paths(self) -> list[Path]:
        return [self.folder / name for name in self.rows]


Row = Sequence[str | int | float]


def export_csv(session: Session, folder: str | os.PathLike[str], names: bool = True) -> CsvResult:
    """Write the five CSV files into `folder` (made if missing). Raises CsvError with a plain sentence."""
    target = Path(folder)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise CsvError(
            _("{folder} is a file, not a folder; choose a folder for the CSV files.").format(folder=target)
        ) from None
    except OSError as exc:
        raise CsvError(
            # Translators: {reason} is the system's own words for what went wrong.
            _("The folder {folder} could not be made ({reason}).").format(
                folder=target, reason=exc.strerror or exc
            )
        ) from None
    redact = NameRedactor(session.participants, enabled=not names)
    tables: dict[str, tuple[Row, list[Row]]] = {
        "votes.csv": (VOTE_HEADER, vote_rows(session, names)),
        "ballots_cast.csv": (BALLOTS_HEADER, ballot_rows(session) if names else []),
        "scenario_votes.csv": scenario_rows(session, redact),
        "readiness.csv": readiness_rows(session, redact),
        "actions.csv": action_rows(session, redact),
        "canvas_cards.csv": card_rows(session, names, redact),
    }
    counts: dict[str, int] = {}
    for name, (header, rows) in tables.items():
        try:
            with atomic_write(target / name) as stream:
                stream.write(_encode(header, rows))
        except OSError as exc:
            raise CsvError(
                # Translators: {file} is one of the CSV files' names ("votes.csv").
                _("{file} could not be written to {folder}: {reason}.").format(
                    file=name, folder=target, reason=plain_os_error(exc)
                )
            ) from None
        counts[name] = len(rows)
    return CsvResult(target, counts)


def _encode(header: Row, rows: Iterable[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_cell(value) for value in header])
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _cell(value: str | int | float) -> str | int | float:
    if isinstance(value, str):
        text = clean(value)
        # clean() turns a tab into spaces and a CR into a line break, so a formula can hide
        # behind white space: guard those starts too (a spreadsheet trims them away).
        if text[:1] in _FORMULA_STARTS or text.lstrip(" \n")[:1] in _FORMULA_STARTS:
            return "'" + text
        return text
    return value


# --- votes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    key: str
    kind: str  # matrix_cell, scenario, readiness or unknown
    criterion: str = ""
    stage: str = ""
    subject: str = ""


def question_rows(session: Session) -> dict[str, Question]:
    """Every question the session knows, by key, in display order."""
    found: dict[str, Question] = {}
    stages: list[Stage] = session.stages
    criteria: list[CriterionEntity] = session.criteria
    for criterion in criteria:
        for stage in stages:
            key = cell_question(criterion.id, stage.id)
            found[key] = Question(key, "matrix_cell", criterion.title, stage.title)
    scenarios: list[Scenario] = session.scenarios
    for scenario in scenarios:
        key = scenario_question(scenario.id)
        found[key] = Question(key, "scenario", subject=scenario.title)
    items: list[ReadinessItem] = session.readiness_items
    for item in items:
        key = readiness_question(item.id)
        found[key] = Question(key, "readiness", subject=item.title)
    return found


def _choice_label(session: Session, question: Question, choice: str) -> str:
    if question.kind == "matrix_cell":
        scale = session.matrix.scale
        return scale[int(choice)] if choice.isdigit() and int(choice) < len(scale) else ""
    if question.kind == "readiness":
        labels = readiness_rules.READINESS_SCALE
        return labels[int(choice)] if choice.isdigit() and int(choice) < len(labels) else ""
    if question.kind == "scenario":
        return term_name(session, choice)
    return ""


def vote_rows(session: Session, names: bool) -> list[Row]:
    known = question_rows(session)
    people = {p.id: p for p in session.participants}
    order = {key: index for index, key in enumerate(known)}
    keys = (
        {vote.question for vote in session.votes}
        | {counted.question for counted in session.tallies}
        | {counted.question for counted in session.items(BallotCount)}
    )
    rows: list[Row] = []
    for key in sorted(keys, key=lambda k: (order.get(k, len(order)), k)):
        question = known.get(key, Question(key, "unknown"))
        votes: list[Vote] = session.on_question(Vote, key)
        hands: list[Tally] = session.on_question(Tally, key)

        def row(
            participant: str, role: str, choice: str, count: int, how: str, q: Question = question
        ) -> Row:
            label = _choice_label(session, q, choice)
            return (
                q.kind,
                q.key,
                q.criterion,
                q.stage,
                q.subject,
                participant,
                role,
                choice,
                label,
                count,
                how,
            )

        if names:
            for vote in sorted(votes, key=lambda v: _person_order(people, v.participant_id)):
                person: Participant | None = people.get(vote.participant_id)
                name = person.name if person is not None else ""
                role = person.role.label if person is not None else ""
                rows.append(row(name, role, vote.choice, 1, "name"))
            for counted in sorted(hands, key=lambda t: _choice_order(t.choice)):
                if counted.count:
                    rows.append(row("", "", counted.choice, counted.count, "hands"))
            ballots: Counter[str] = Counter()
            for ballot in session.on_question(BallotCount, key):
                ballots[ballot.choice] += ballot.count  # the sides added: a side may be one person
            for choice in sorted(+ballots, key=_choice_order):
                rows.append(row("", "", choice, ballots[choice], "ballot"))
        else:
            totals: Counter[str] = tally(session, key)
            for choice in sorted(totals, key=_choice_order):
                rows.append(row("", "", choice, totals[choice], "all"))
    return rows


def ballot_rows(session: Session) -> list[Row]:
    """Who handed in a secret ballot, and on how many questions of each kind (from `BallotCast`):
    never which questions, so no row can be matched with a count."""
    people = {p.id: p for p in session.participants}
    handed: dict[str, Counter[str]] = {}
    for cast in session.items(BallotCast):
        handed.setdefault(cast.participant_id, Counter())[question_family(cast.question)] += 1
    rows: list[Row] = []
    for pid in sorted(handed, key=lambda pid: _person_order(people, pid)):
        person = people.get(pid)
        counts = handed[pid]
        rows.append(
            (
                person.name if person is not None else "",
                person.role.label if person is not None else "",
                counts["cell"],
                counts["scenario"],
                counts["readiness"],
            )
        )
    return rows


def _person_order(people: dict[str, Participant], participant_id: str) -> tuple[int, str]:
    person = people.get(participant_id)
    return (person.position if person is not None else 1 << 30, participant_id)


def _choice_order(choice: str) -> tuple[int, int, str]:
    return (0, int(choice), "") if choice.isdigit() else (1, 0, choice)


# --- the other files ----------------------------------------------------------------------


def scenario_rows(session: Session, redact: NameRedactor) -> tuple[Row, list[Row]]:
    header = ("scenario_number", "scenario", "word", "word_key", "votes", "is_answer", "revealed")
    rows: list[Row] = []
    for number, scenario in enumerate(session.scenarios, start=1):
        result = scenario_result(session, scenario)
        for key, count in result.counts:
            rows.append(
                (
                    number,
                    redact(scenario.title),
                    term_name(session, key),
                    key,
                    count,
                    "yes" if key == scenario.answer else "no",
                    "yes" if result.revealed else "no",
                )
            )
    return header, rows


def readiness_rows(session: Session, redact: NameRedactor) -> tuple[Row, list[Row]]:
    labels = readiness_rules.READINESS_SCALE
    header = (
        "condition",
        "description",
        "votes",
        "average",
        "status",
        *[f"count_{i}_{label.lower().replace(' ', '_')}" for i, label in enumerate(labels)],
    )
    rows: list[Row] = []
    for item in session.readiness_items:
        counts = tally(session, readiness_question(item.id))
        result = readiness_rules.condition(session, item)
        mean = result.mean
        rows.append(
            (
                redact(item.title),
                redact(item.description),
                result.votes,
                round(mean, 3) if mean is not None else "",
                readiness_rules.status_of(mean).label,
                *[counts.get(str(i), 0) for i in range(len(labels))],
            )
        )
    return header, rows


def action_rows(session: Session, redact: NameRedactor) -> tuple[Row, list[Row]]:
    header = ("number", "what", "who", "due", "done", "linked_to")
    criteria = {c.id: c.title for c in session.criteria}
    cards = {card.id: (index, card.text) for index, card in enumerate(session.cards, start=1)}
    rows: list[Row] = []
    for number, action in enumerate(session.actions, start=1):
        kind, _, ident = action.link.partition(":")
        linked = ""
        if kind == "criterion" and ident in criteria:
            linked = f"Matrix row: {criteria[ident]}"
        elif kind == "card" and ident in cards:
            linked = f"Canvas card {cards[ident][0]}: {cards[ident][1]}"
        rows.append(
            (
                number,
                redact(action.what),
                redact(action.who),
                action.due,
                "yes" if action.done else "no",
                redact(linked),
            )
        )
    return header, rows


def card_rows(session: Session, names: bool, redact: NameRedactor) -> tuple[Row, list[Row]]:
    from .canvas_look import canvas_look

    look = canvas_look(session.canvas.background)
    header = (
        "number",
        "kind",
        "text",
        "role",
        "added_by",
        "now_x",
        "now_y",
        "aspiration_x",
        "aspiration_y",
        "now_place",
        "aspiration_place",
    )
    people = {p.id: p.name for p in session.participants}
    rows: list[Row] = []
    cards: list[Card] = session.cards
    for number, card in enumerate(cards, start=1):
        now = look.where(card.now_x, card.now_y)
        aim = look.where(card.aspiration_x, card.aspiration_y)
        rows.append(
            (
                number,
                card.kind.value,
                redact(card.text),
                card.role.label if card.role is not None else "",
                people.get(card.participant_id, "") if names else "",
                _coordinate(card.now_x),
                _coordinate(card.now_y),
                _coordinate(card.aspiration_x),
                _coordinate(card.aspiration_y),
                "" if now == "—" else now,
                "" if aim == "—" else aim,
            )
        )
    return header, rows


def _coordinate(value: float | None) -> float | str:
    return "" if value is None else round(value, 2)
