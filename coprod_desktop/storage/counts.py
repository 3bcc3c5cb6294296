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

from ..domain.combine import GroupCounts, RoleSums
from ..domain.errors import SessionFileError
from ..domain.model import (
    Criterion,
    Entity,
    MatrixSettings,
    ReadinessItem,
    Reveal,
    RoleGroup,
    Session,
    Stage,
    Step,
    Tally,
    WorkshopInfo,
)
from ..domain.voting import cell_question, is_rating
from .codec import decode
from .sessionfile import SessionFile

__all__ = ["read_counts"]

_WHOLE: tuple[type[Entity], ...] = (
    WorkshopInfo,
    MatrixSettings,
    Step,
    Criterion,
    Stage,
    ReadinessItem,
    Reveal,
)

_COUNTS = """
SELECT question, choice, SUM(n) FROM (
    SELECT question, choice, COUNT(*) AS n FROM vote GROUP BY question, choice
    UNION ALL
    SELECT question, choice, count AS n FROM tally
) GROUP BY question, choice
"""
_BY_ROLE = """
SELECT vote.question, participant.role, vote.choice, COUNT(*)
FROM vote JOIN participant ON participant.id = vote.participant_id
WHERE vote.question LIKE 'cell/%'
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
                f"{target.name} holds something this version cannot read ({exc}); it has been left as it was."
            ) from None
        except sqlite3.DatabaseError as exc:
            raise SessionFileError(
                f"{target.name} is damaged and cannot be read ({exc}). "
                "Open an earlier copy; this file has been left as it was."
            ) from None


def _read(conn: sqlite3.Connection) -> GroupCounts:
    session = Session()
    for cls in _WHOLE:
        where = " WHERE id = 1" if cls in (WorkshopInfo, MatrixSettings) else ""
        cursor = conn.execute(f"SELECT * FROM {cls.KIND}{where}")
        names = [d[0] for d in cursor.description]
        for values in cursor:
            session.put(decode(cls, dict(zip(names, values, strict=True)), sql=True))
    for question, choice, count in conn.execute(_COUNTS):
        if not isinstance(question, str) or not isinstance(choice, str) or not isinstance(count, int):
            raise ValueError(f"a vote or tally on {question!r:.60} has an unexpected value")
        if count:
            session.put(Tally(question, choice, count))
    points = len(session.matrix.scale)
    sums: dict[str, list[int]] = {}
    for question, role, choice, count in conn.execute(_BY_ROLE):
        group = RoleGroup(role)  # an unknown role raises ValueError, as loading would
        if not isinstance(choice, str) or not is_rating(choice) or not 0 <= int(choice) < points:
            continue
        into = sums.setdefault(question, [0, 0, 0, 0])
        if group.lived_experience:
            into[0] += int(choice) * count
            into[1] += count
        elif group.professional:
            into[2] += int(choice) * count
            into[3] += count
    people = int(conn.execute("SELECT COUNT(*) FROM participant").fetchone()[0])
    boxes = {cell_question(c.id, s.id) for c in session.criteria for s in session.stages}
    roles: dict[str, RoleSums] = {
        q: (s[0], s[1], s[2], s[3]) for q, s in sums.items() if any(s) and q in boxes
    }
    return GroupCounts(session, people, roles)
