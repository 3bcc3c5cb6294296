"""Several groups' sessions of one workshop, combined into one read-only picture.

An organisation runs the same workshop with several teams or sites and wants to see
them together. `combine` lines the sessions up through their stable keys (as
`compare` does), and builds one new `Session` that holds only counts: every named
vote of every group becomes a hand in a `Tally`, so nothing in the combined picture
says who rated what, or even which person of which group did. It holds no
participants, no votes, no notes and no cards.

A box's ratings join the combined matrix only from groups whose room has seen them
(revealed), as on every screen; the combined box is revealed when any group's is.
The readiness check takes every group's ratings, as `readiness.condition` does.

The split between lived experience and staff is pooled over all groups (the sum of
each group's ratings over the number of them), and shown only where each side has
at least `compare.MIN_GROUP` people, so no small group's average can be read back
to a person.

Every result comes from the same functions as a single session's screens
(`matrix.matrix_results`, `matrix.classify_results`, `readiness.recommend`), run on
the combined session, so combining one session gives that session's results.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .compare import MIN_GROUP, MIN_VOTES, WorkshopMismatchError, check_comparable
from .i18n import _, join, ngettext
from .matrix import CellResult, Classification, MatrixResults, classify_results, matrix_results, mean_of_cells
from .model import (
    Criterion,
    MatrixSettings,
    Participant,
    ReadinessItem,
    Reveal,
    Session,
    Stage,
    Step,
    StepKind,
    Tally,
    VotingMode,
    WorkshopInfo,
)
from .readiness import Condition, Recommendation, condition, recommend
from .voting import RoleSplit, cell_question, readiness_question, role_split, tally

__all__ = [
    "Combined",
    "Difference",
    "Group",
    "GroupCounts",
    "ReadinessAcross",
    "combine",
    "group_counts",
    "role_sums",
]


RoleSums = tuple[float, int, float, int]  # lived experience: sum of ratings, count; staff: the same


@dataclass(frozen=True)
class GroupCounts:
    """What combining needs of one group: a session whose results can be read (it may
    hold only counts, `Tally`, with no votes or people), how many took part, and per
    box question the sums of named ratings by role (as the matrix's role split takes
    them: on the scale, counted hands carry no role).

    `group_counts` makes one from a whole session; the storage layer can make one
    straight from a file with a few queries, without loading every vote."""

    session: Session
    people: int
    roles: dict[str, RoleSums]


def group_counts(session: Session) -> GroupCounts:
    points = len(session.matrix.scale)
    roles: dict[str, RoleSums] = {}
    for criterion in session.criteria:
        for stage in session.stages:
            question = cell_question(criterion.id, stage.id)
            sums = role_sums(role_split(session, question, points))
            if sums[1] or sums[3]:
                roles[question] = sums
    return GroupCounts(session, session.count(Participant), roles)


def role_sums(split: RoleSplit) -> RoleSums:
    """A group's role split of one box as sums that add up across groups. The split is
    `voting.role_split`'s, so a secret ballot's sides are in it only where that group
    already shows them."""
    lived = (split.lived_experience or 0.0) * split.lived_votes
    staff = (split.professional or 0.0) * split.staff_votes
    return (lived, split.lived_votes, staff, split.staff_votes)


@dataclass(frozen=True)
class Group:
    """One group's own results, as its session shows them."""

    name: str
    title: str
    date: str
    place: str
    people: int
    results: MatrixResults
    placement: Classification | None
    whole: float | None  # the mean of its revealed boxes
    recommendation: Recommendation


@dataclass(frozen=True)
class Difference:
    """A box where the groups' averages lie furthest apart."""

    criterion_key: str
    stage_key: str
    criterion: str
    stage: str
    low_group: str
    low: float
    high_group: str
    high: float
    groups: int  # how many groups rated it with enough votes to count

    @property
    def spread(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class ReadinessAcross:
    key: str
    title: str
    combined: Condition
    groups: tuple[Condition | None, ...]  # per group, None where the group has no such condition


@dataclass(frozen=True)
class Combined:
    """The combined picture. `session` is read-only by convention: counts only."""

    session: Session
    groups: tuple[Group, ...]
    results: MatrixResults  # boxes with the pooled role split where it may be shown
    placement: Classification | None
    whole: float | None
    recommendation: Recommendation
    differences: tuple[Difference, ...]  # widest spread first
    readiness: tuple[ReadinessAcross, ...]
    notes: tuple[str, ...]  # items that only some groups have, in words
    first_date: str = ""  # the earliest and latest of the groups' days (ISO, as typed)
    last_date: str = ""


def _keyed_union(
    sessions: Sequence[Session], names: Sequence[str], attr: str
) -> tuple[list[tuple[str, str]], list[str]]:
    """(key, title) of every keyed item of one kind in first-seen order, and notes on items
    missing from some groups or left out for having no key."""
    found: dict[str, str] = {}
    holders: dict[str, list[str]] = {}
    notes: list[str] = []
    for session, name in zip(sessions, names, strict=True):
        seen: set[str] = set()
        for item in getattr(session, attr):
            if not item.key:
                notes.append(
                    _("‘{title}’ in {group} has no stable key, so it is left out.").format(
                        title=item.title, group=name
                    )
                )
                continue
            if item.key in seen:
                continue  # a repeat in a hand-edited file: the first one counts
            seen.add(item.key)
            found.setdefault(item.key, item.title)
            holders.setdefault(item.key, []).append(name)
    if len(sessions) > 1:
        for key, title in found.items():
            if len(holders[key]) < len(sessions):
                notes.append(
                    _("‘{title}’ is only in {groups}.").format(title=title, groups=join(holders[key]))
                )
    return list(found.items()), notes


def _first_by_key(items: Sequence[Criterion] | Sequence[Stage] | Sequence[ReadinessItem]) -> dict[str, str]:
    """Each key's item id, the first of a repeated key winning."""
    ids: dict[str, str] = {}
    for item in items:
        if item.key:
            ids.setdefault(item.key, item.id)
    return ids


def _group_names(sessions: Sequence[Session], names: Sequence[str] | None) -> list[str]:
    if names is not None:
        if len(names) != len(sessions):
            raise ValueError("one name per session")
        return list(names)
    titles = [s.info.title or _("Untitled") for s in sessions]
    counts = Counter(titles)
    return [f"{t} ({i + 1})" if counts[t] > 1 else t for i, t in enumerate(titles)]


def combine(
    groups: Sequence[Session | GroupCounts], *, names: Sequence[str] | None = None, revealed_only: bool = True
) -> Combined:
    """One read-only picture of several groups' sessions of one workshop.

    Each group is a whole `Session` or its `GroupCounts`; both give the same result.
    `names` label the groups (the CLI passes file names); by default their titles.
    Raises WorkshopMismatchError, naming the group, when one is not a run of the same
    workshop as the first, and ValueError when `sessions` is empty."""
    if not groups:
        raise ValueError("nothing to combine")
    counted = [g if isinstance(g, GroupCounts) else group_counts(g) for g in groups]
    sessions = [g.session for g in counted]
    labels = _group_names(sessions, names)
    first = sessions[0]
    for session, label in zip(sessions[1:], labels[1:], strict=True):
        try:
            check_comparable(first, session, (labels[0], label))
        except WorkshopMismatchError as exc:
            raise WorkshopMismatchError(
                _("{reason} Combine only groups of one workshop.").format(reason=exc)
            ) from None

    rows, row_notes = _keyed_union(sessions, labels, "criteria")
    columns, column_notes = _keyed_union(sessions, labels, "stages")
    conditions, condition_notes = _keyed_union(sessions, labels, "readiness_items")

    dates = sorted({s.info.date for s in sessions if s.info.date})
    combined = Session(
        info=WorkshopInfo(
            title=first.info.title
            if len(sessions) == 1
            else ngettext("{n} group: {workshop}", "{n} groups: {workshop}", len(sessions)).format(
                n=len(sessions), workshop=first.info.template
            ),
            date=dates[0] if len(dates) == 1 else "",  # several days: see Combined.first_date
            place="" if len(sessions) > 1 else first.info.place,
            template=first.info.template,
            language=first.info.language,
        )
    )
    combined.put(MatrixSettings(mode=VotingMode.ANONYMOUS, scale=first.matrix.scale))
    combined.put(
        Step(id="matrix", kind=StepKind.MATRIX, title=_("All groups' ratings together"), key="matrix")
    )
    # Ids in the combined session are the keys themselves: unique, and the same in every run.
    for position, (key, title) in enumerate(rows):
        combined.put(Criterion(id=key, title=title, position=position, key=key))
    for position, (key, title) in enumerate(columns):
        combined.put(Stage(id=key, title=title, position=position, key=key))
    for position, (key, title) in enumerate(conditions):
        combined.put(ReadinessItem(id=key, title=title, position=position, key=key))

    hands: dict[str, Counter[str]] = {}
    revealed: set[str] = set()
    # Pooled role split per combined box: [sum lived, count lived, sum staff, count staff].
    pooled: dict[str, list[float]] = {}
    found_groups: list[Group] = []
    for group, label in zip(counted, labels, strict=True):
        session = group.session
        results = matrix_results(session)
        found_groups.append(
            Group(
                name=label,
                title=session.info.title,
                date=session.info.date,
                place=session.info.place,
                people=group.people,
                results=results,
                placement=classify_results(results, revealed_only=revealed_only),
                whole=mean_of_cells(results.all_cells(), revealed_only=revealed_only),
                recommendation=recommend(session),
            )
        )
        criteria = _first_by_key(session.criteria)
        stages = _first_by_key(session.stages)
        # The group's own results have already counted every box: only a box with a choice
        # off the scale is counted again, so that choice is carried over as it is.
        cell_of = {cell.question: cell for cell in results.all_cells()}
        for crit_key, crit_id in criteria.items():
            for stage_key, stage_id in stages.items():
                question = cell_question(crit_id, stage_id)
                cell = cell_of[question]
                if revealed_only and not cell.revealed:
                    continue
                target = cell_question(crit_key, stage_key)
                if cell.revealed or cell.voters:
                    revealed.add(target)  # a box revealed with no one's vote in it yet included
                if not cell.voters:
                    continue
                counts = tally(session, question) if cell.off_scale else _on_scale(cell)
                hands.setdefault(target, Counter()).update(counts)
                sums = group.roles.get(question)
                if sums is not None:
                    into = pooled.setdefault(target, [0.0, 0, 0.0, 0])
                    for index, value in enumerate(sums):
                        into[index] += value
        for item_key, item_id in _first_by_key(session.readiness_items).items():
            counts = tally(session, readiness_question(item_id))
            if counts:
                hands.setdefault(readiness_question(item_key), Counter()).update(counts)
    for question, counts in hands.items():
        for choice, count in counts.items():
            combined.put(Tally(question, choice, count))
    for question in revealed:
        combined.put(Reveal(question))

    results = matrix_results(combined)
    results = replace(
        results,
        cells=tuple(
            tuple(_with_split(cell, pooled.get(cell.question)) for cell in row) for row in results.cells
        ),
    )
    recommendation = recommend(combined)

    readiness = []
    for item in combined.readiness_items:
        per_group: list[Condition | None] = []
        for session in sessions:
            ids = _first_by_key(session.readiness_items)
            own = session.get(ReadinessItem, ids[item.key]) if item.key in ids else None
            per_group.append(condition(session, own) if own is not None else None)
        readiness.append(ReadinessAcross(item.key, item.title, condition(combined, item), tuple(per_group)))

    return Combined(
        session=combined,
        groups=tuple(found_groups),
        results=results,
        placement=classify_results(results, revealed_only=revealed_only),
        whole=mean_of_cells(results.all_cells(), revealed_only=revealed_only),
        recommendation=recommendation,
        differences=_differences(found_groups, rows, columns, revealed_only),
        readiness=tuple(readiness),
        notes=tuple(row_notes + column_notes + condition_notes),
        first_date=dates[0] if dates else "",
        last_date=dates[-1] if dates else "",
    )


def _on_scale(cell: CellResult) -> Counter[str]:
    return Counter({str(value): count for value, count in enumerate(cell.counts) if count > 0})


def _with_split(cell: CellResult, sums: list[float] | None) -> CellResult:
    if sums is None or sums[1] < MIN_GROUP or sums[3] < MIN_GROUP:
        return replace(cell, split=RoleSplit(None, None))
    lived_votes, staff_votes = int(sums[1]), int(sums[3])
    split = RoleSplit(sums[0] / lived_votes, sums[2] / staff_votes, lived_votes, staff_votes)
    return replace(cell, split=split)


def _differences(
    groups: Sequence[Group],
    rows: Sequence[tuple[str, str]],
    columns: Sequence[tuple[str, str]],
    revealed_only: bool,
) -> tuple[Difference, ...]:
    """Boxes rated by two or more groups with at least MIN_VOTES ratings each, widest spread first."""
    if len(groups) < 2:
        return ()
    per_box: dict[tuple[str, str], list[tuple[float, str]]] = {}
    for group in groups:
        row_of = {c.key: i for i, c in reversed(list(enumerate(group.results.criteria))) if c.key}
        column_of = {s.key: i for i, s in reversed(list(enumerate(group.results.stages))) if s.key}
        for crit_key, _title in rows:
            for stage_key, _stage in columns:
                if crit_key not in row_of or stage_key not in column_of:
                    continue
                cell = group.results.cell(row_of[crit_key], column_of[stage_key])
                if cell.mean is None or cell.rated < MIN_VOTES or (revealed_only and not cell.revealed):
                    continue
                per_box.setdefault((crit_key, stage_key), []).append((cell.mean, group.name))
    titles = dict(rows), dict(columns)
    found = []
    for (crit_key, stage_key), means in per_box.items():
        if len(means) < 2:
            continue
        low = min(means, key=lambda m: m[0])
        high = max(means, key=lambda m: m[0])
        found.append(
            Difference(
                crit_key,
                stage_key,
                titles[0][crit_key],
                titles[1][stage_key],
                low[1],
                low[0],
                high[1],
                high[0],
                len(means),
            )
        )
    order = {key: i for i, (key, _) in enumerate(rows)}, {key: i for i, (key, _) in enumerate(columns)}
    found.sort(key=lambda d: (-round(d.spread, 9), order[0][d.criterion_key], order[1][d.stage_key]))
    return tuple(found)
