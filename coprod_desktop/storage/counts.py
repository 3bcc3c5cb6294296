"""A session file read as counts only, for combining many groups quickly.

`combine` needs of each group only its workshop (rows, columns, conditions), what
was revealed, how many took part, the number of each rating on each question, and
the sums of named ratings by role. Loading a whole session decodes every vote into
an object; with 200 groups of 60 people that is most of the time. `read_counts`
opens the file with every check `SessionFile.open` makes (header, version, soundness,
upgrading an older file in memory), decodes the small tables through the same codec,
and lets SQLite count the votes. The file is opened read-only and never changed.

The result is the same `GroupCounts` that `domain.combine.group_counts` makes from a
loaded session (a test keeps the two equal).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ..domain.combine import GroupCounts, RoleSums, role_sums
from ..domain.errors import SessionFileError
from ..domain.i18n import _
from ..domain.model import (
    BallotCount,
    Criterion,
    Entity,
    MatrixSettings,
    ReadinessItem,
    Reveal,
    RoleGroup,
    Session,
    Side,
    Stage,
    Tally,
    WorkshopInfo,
)
from ..domain.voting import cell_question, is_rating, role_split
from .codec import decode
from .sessionfile import SessionFile

__all__ = ["read_counts"]

# Secret and anonymous ballots (BallotCount) hold no names already: they are read whole.
# The steps, texts, cards and notes are not read: combining uses none of them (and SQLite's
# check of the whole file has already run).
_WHOLE: tuple[type[Entity], ...] = (
    WorkshopInfo,
    MatrixSettings,
    Criterion,
    Stage,
    ReadinessItem,
    Reveal,
    BallotCount,
)

# Every named vote, counted by question, choice and the voter's role (NULL when the voter
# is no longer on the list): one pass over the votes gives both the counts and the role sums.
_VOTES = """
SELECT vote.question, participant.role, vote.choice, COUNT(*)
FROM vote LEFT JOIN participant ON participant.id = vote.participant_id
GROUP BY vote.question, participant.role, vote.choice
"""


def read_counts(path: str | os.PathLike[str]) -> GroupCounts:
    """One group's session as counts. Raises SessionFileError with a plain sentence."""
    target = Path(path)
    with SessionFile.open(target, read_only=True, check_rows=False) as opened:
        conn = opened._conn  # this module is the session file's companion reader
        try:
            return _read(conn)
        except (ValueError, TypeError) as exc:
            raise SessionFileError(
                _(
                    "{name} holds something this version cannot read ({error}); it has been left as it was."
                ).format(name=target.name, error=exc)
            ) from None
        except sqlite3.DatabaseError as exc:
            raise SessionFileError(
                _(
                    "{name} is damaged and cannot be read ({error}). Open an earlier copy; this file "
                    "has been left as it was."
                ).format(name=target.name, error=exc)
            ) from None


_NONE: RoleSums = (0.0, 0, 0.0, 0)


def _check(question: object, choice: object, count: object) -> None:
    if not isinstance(question, str) or not isinstance(choice, str) or not isinstance(count, int):
        raise ValueError(
            _("a vote or tally on {question!r:.60} has an unexpected value").format(question=question)
        )


def _read(conn: sqlite3.Connection) -> GroupCounts:
    session = Session()
    for cls in _WHOLE:
        where = " WHERE id = 1" if cls in (WorkshopInfo, MatrixSettings) else ""
        cursor = conn.execute(f"SELECT * FROM {cls.KIND}{where}")
        names = [d[0] for d in cursor.description]
        for values in cursor:
            session.put(decode(cls, dict(zip(names, values, strict=True)), sql=True))
    points = len(session.matrix.scale)
    counts: dict[tuple[str, str], int] = {}
    for question, choice, count in conn.execute("SELECT question, choice, count FROM tally"):
        _check(question, choice, count)
        counts[(question, choice)] = counts.get((question, choice), 0) + count
    named: dict[str, list[float]] = {}
    sides: dict[str, Side] = {}
    for question, role, choice, count in conn.execute(_VOTES):
        _check(question, choice, count)
        counts[(question, choice)] = counts.get((question, choice), 0) + count
        if role is None or not question.startswith("cell/") or not is_rating(choice):
            continue  # as the matrix's role split: a vote by no one listed has no side
        value = int(choice)
        if not 0 <= value < points:
            continue
        side = sides.get(role)
        if side is None:
            side = sides[role] = RoleGroup(role).side  # an unknown role raises ValueError, as loading would
        into = named.setdefault(question, [0.0, 0, 0.0, 0])
        if side is Side.LIVED:
            into[0] += value * count
            into[1] += count
        elif side is Side.STAFF:
            into[2] += value * count
            into[3] += count
    for (question, choice), count in counts.items():
        if count > 0:  # as voting.tally, which drops counts of zero or less
            session.put(Tally(question, choice, count))
    people = int(conn.execute("SELECT COUNT(*) FROM participant").fetchone()[0])
    roles: dict[str, RoleSums] = {}
    ballots = session.count(BallotCount) > 0
    for criterion in session.criteria:
        for stage in session.stages:
            question = cell_question(criterion.id, stage.id)
            # The session holds no named votes, so its role split is the secret ballots'
            # alone, kept or withheld by voting.role_split's own rule; the named sums add to it.
            secret = role_sums(role_split(session, question, points)) if ballots else _NONE
            own = named.get(question, [0.0, 0, 0.0, 0])
            sums = (own[0] + secret[0], int(own[1]) + secret[1], own[2] + secret[2], int(own[3]) + secret[3])
            if sums[1] or sums[3]:
                roles[question] = sums
    return GroupCounts(session, people, roles)
