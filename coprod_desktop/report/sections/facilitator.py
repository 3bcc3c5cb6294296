"""The facilitator report's extras: every count, every named vote, and who handed in a ballot.

Secret means secret here too: a named vote is listed with its voter, but of a secret ballot
only that a person handed one in (`BallotCast`) and the counts (`BallotCount`, in "Every
count") are printed. Nothing on these pages ties a ballot's choice to a person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from reportlab.platypus import (
    Paragraph,
    Spacer,
    Table,
)
from reportlab.platypus.flowables import Flowable

from ...domain import readiness as readiness_rules
from ...domain.i18n import N_, _, ngettext
from ...domain.matrix import average_text, matrix_results
from ...domain.model import (
    BallotCast,
    Session,
    Vote,
)
from ...domain.scenarios import term_name
from ...domain.voting import (
    cell_question,
    question_family,
    readiness_question,
    scenario_question,
    tally,
)
from ..fonts import BOLD
from ..markup import clean, esc
from .base import ReportContext, cell, h1, h2, h2_loose, number, table

# --- the facilitator's extras ------------------------------------------------------------


def every_count(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    sheet = ctx.sheet
    flowables = h1(ctx, _("Every count"), new_page=True)
    flowables.append(
        Paragraph(
            esc(
                _(
                    "How many people chose each point of the scale, for every box of the matrix and every "
                    "readiness condition, named votes, counted hands and ballots together, whether or not "
                    "the box was revealed in the room. The scenario counts are with each story above."
                )
            ),
            sheet.lead_in,
        )
    )
    scale = session.matrix.scale
    points = len(scale)
    if session.criteria and session.stages and points:
        results = matrix_results(session)
        for criterion, line in zip(results.criteria, results.cells, strict=True):
            rows: list[list[Any]] = [
                [
                    _("Stage"),
                    *[str(i) for i in range(points)],
                    _("Votes"),
                    _("Average"),
                    _("Median"),
                    _("Spread"),
                ]
            ]
            for result in line:
                summary = result.summary
                rows.append(
                    [
                        cell(ctx, result.stage.title),
                        *[str(count) for count in result.counts],
                        str(summary.votes),
                        average_text(summary.mean, points),
                        number(summary.median),
                        number(summary.spread),
                    ]
                )
            flowables.append(
                h2(
                    ctx,
                    ctx.text(criterion.title),
                    _("Counts: {row}").format(row=" ".join(clean(criterion.title).split())),
                )
            )
            flowables.append(count_table(ctx, rows, points))
        other = _other_choices(session)
        if other:
            flowables.append(Paragraph(other, sheet.small))
    items = session.readiness_items
    if items:
        labels = readiness_rules.READINESS_SCALE
        rows = [
            [_("Condition"), *[f"{i} {_(labels[i])}" for i in range(len(labels))], _("Votes"), _("Average")]
        ]
        for item in items:
            counts = tally(session, readiness_question(item.id))
            condition = readiness_rules.condition(session, item)
            rows.append(
                [
                    cell(ctx, item.title),
                    *[str(counts.get(str(i), 0)) for i in range(len(labels))],
                    str(condition.votes),
                    readiness_rules.average_text(condition.mean),
                ]
            )
        flowables.append(h2(ctx, esc(_("Readiness conditions")), _("Counts: readiness")))
        flowables.append(count_table(ctx, rows, len(labels)))
    return flowables


def _other_choices(session: Session) -> str:
    """Matrix votes that are not a point of the scale (kept, never dropped silently)."""
    points = {str(i) for i in range(len(session.matrix.scale))}
    odd = 0
    for criterion in session.criteria:
        for stage in session.stages:
            counts = tally(session, cell_question(criterion.id, stage.id))
            odd += sum(count for choice, count in counts.items() if choice not in points)
    if not odd:
        return ""
    return esc(
        ngettext(
            "{n} vote in the matrix named a choice outside the scale and is not counted above.",
            "{n} votes in the matrix named a choice outside the scale and are not counted above.",
            odd,
        ).format(n=odd)
    )


def count_table(ctx: ReportContext, rows: list[list[Any]], points: int) -> Table:
    """Counts per point of the scale, then the statistics; the statistics' headers never break."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    sheet = ctx.sheet
    columns = len(rows[0])
    stats = columns - 1 - points
    first = ctx.width * (0.3 if ctx.large_print else 0.24)
    stat_width = (
        max(stringWidth(str(text), BOLD, sheet.cell_size) for text in rows[0][1 + points :]) if stats else 0
    )
    stat_width += 2 * sheet.padding + 2
    point_width = (ctx.width - first - stats * stat_width) / max(points, 1)
    header = [rows[0][0]] + [Paragraph(esc(str(text)), sheet.cell_centre) for text in rows[0][1:]]
    return table(
        ctx,
        [header, *rows[1:]],
        [first] + [point_width] * points + [stat_width] * stats,
        extra=[("ALIGN", (1, 1), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")],
    )


def every_vote(ctx: ReportContext) -> list[Flowable]:
    session = ctx.session
    sheet = ctx.sheet
    votes = session.votes
    casts = session.items(BallotCast)
    if not votes and not casts:
        return []
    flowables = h1(ctx, _("Every vote"), new_page=True)
    if not ctx.names:
        flowables.append(Paragraph(esc(_unnamed_votes(len(votes), len(casts))), sheet.body))
        return flowables
    if votes:
        flowables.append(
            Paragraph(
                esc(
                    _(
                        "Every vote cast by name, person by person. Hands counted in the room and secret "
                        "ballots carry no names and are only in the counts."
                    )
                ),
                sheet.lead_in,
            )
        )
        by_question: dict[str, dict[str, str]] = {}
        for vote in votes:
            by_question.setdefault(vote.question, {})[vote.participant_id] = vote.choice
        flowables.extend(matrix_votes(ctx, by_question))
        flowables.extend(scenario_votes(ctx, by_question))
        flowables.extend(readiness_votes(ctx, by_question))
        known = (
            {cell_question(c.id, s.id) for c in session.criteria for s in session.stages}
            | {scenario_question(s.id) for s in session.scenarios}
            | {readiness_question(r.id) for r in session.readiness_items}
        )
        stray = [vote for vote in votes if vote.question not in known]
        if stray:
            flowables.extend(stray_votes(ctx, stray))
    if casts:
        flowables.extend(ballots_handed_in(ctx, casts))
    return flowables


def _unnamed_votes(votes: int, casts: int) -> str:
    """What a copy without names says of its votes: whole sentences, each with its own count."""
    told = []
    if votes:
        told.append(
            ngettext("{n} vote was cast by name.", "{n} votes were cast by name.", votes).format(n=votes)
        )
    if casts:
        told.append(
            ngettext("{n} secret ballot was handed in.", "{n} secret ballots were handed in.", casts).format(
                n=casts
            )
        )
    # Translators: in a facilitator's copy that leaves names out, after the sentences that
    # say how many votes were cast by name and how many secret ballots were handed in.
    told.append(
        _(
            "This copy leaves names out, so who voted is not shown; the counts above include every one "
            "of them."
        )
    )
    return " ".join(told)


_FAMILIES = (("cell", N_("Matrix boxes")), ("scenario", N_("Stories")), ("readiness", N_("Conditions")))


def ballots_handed_in(ctx: ReportContext, casts: Sequence[BallotCast]) -> list[Flowable]:
    """Who handed in a secret ballot, and on how many questions of each kind: never what
    they chose, nor which questions, so no ballot can be matched to its count."""
    sheet = ctx.sheet
    handed: dict[str, dict[str, int]] = {}
    for cast in casts:
        family = question_family(cast.question)
        handed.setdefault(cast.participant_id, {}).setdefault(family, 0)
        handed[cast.participant_id][family] += 1
    order = {person.id: index for index, person in enumerate(ctx.session.participants)}
    people = sorted(handed, key=lambda pid: (order.get(pid, len(order)), pid))
    used = [(family, _(title)) for family, title in _FAMILIES if any(family in handed[p] for p in people)]
    name_width = ctx.width * 0.4
    each = (ctx.width - name_width) / max(len(used), 1)
    rows: list[list[Any]] = [[_("Participant"), *[title for _, title in used]]]
    for pid in people:
        rows.append([cell(ctx, ctx.person(pid)), *[str(handed[pid].get(family, 0)) for family, _ in used]])
    return [
        *h2_loose(ctx, esc(_("Secret ballots handed in")), _("Votes: secret ballots")),
        Paragraph(
            esc(
                _(
                    "Who handed in a secret ballot, and on how many questions. What each person chose was "
                    "never kept: the ballots are only in the counts above."
                )
            ),
            sheet.lead_in,
        ),
        table(ctx, rows, [name_width] + [each] * len(used), extra=[("ALIGN", (1, 0), (-1, -1), "CENTER")]),
    ]


def _voters(
    ctx: ReportContext, by_question: dict[str, dict[str, str]], questions: Iterable[str]
) -> list[str]:
    ids: set[str] = set()
    for question in questions:
        ids.update(by_question.get(question, {}))
    order = {person.id: index for index, person in enumerate(ctx.session.participants)}
    return sorted(ids, key=lambda pid: (order.get(pid, len(order)), pid))


def vote_grid(
    ctx: ReportContext,
    title: str,
    outline: str,
    columns: Sequence[tuple[str, str]],  # (question, header)
    by_question: dict[str, dict[str, str]],
    show: Callable[[str, str], str],  # (question, choice) -> cell text (markup)
    *,
    plain_numbers: bool = False,
) -> list[Flowable]:
    """Participants down the side, questions across, in chunks that fit the page width."""
    voters = _voters(ctx, by_question, (question for question, _header in columns))
    if not voters:
        return []
    sheet = ctx.sheet
    per_table = 3 if ctx.large_print else 5
    name_width = ctx.width * (0.34 if ctx.large_print else 0.28)
    flowables: list[Flowable] = h2_loose(ctx, title, outline)
    names = {pid: Paragraph(ctx.text(ctx.person(pid)), sheet.cell) for pid in voters}
    for start in range(0, len(columns), per_table):
        chunk = columns[start : start + per_table]
        width = (ctx.width - name_width) / len(chunk)
        rows: list[list[Any]] = [
            [_("Participant"), *[Paragraph(header, sheet.cell_head) for _question, header in chunk]]
        ]
        for pid in voters:
            line: list[Any] = [names[pid]]
            for question, _header in chunk:
                choice = by_question.get(question, {}).get(pid)
                if choice is None:
                    line.append("–")
                elif choice.isdigit() and len(choice) < 4 and plain_numbers:
                    line.append(choice)  # a plain string cell: quick, and nothing to escape
                else:
                    line.append(Paragraph(show(question, choice), sheet.cell_centre))
            rows.append(line)
        flowables.append(
            table(
                ctx, rows, [name_width] + [width] * len(chunk), extra=[("ALIGN", (1, 1), (-1, -1), "CENTER")]
            )
        )
        flowables.append(Spacer(1, sheet.base * 0.6))
    return flowables


def matrix_votes(ctx: ReportContext, by_question: dict[str, dict[str, str]]) -> list[Flowable]:
    session = ctx.session
    flowables: list[Flowable] = []

    def show(_question: str, choice: str) -> str:
        return ctx.text(choice)

    for criterion in session.criteria:
        columns = [
            (cell_question(criterion.id, stage.id), ctx.brief(stage.title)) for stage in session.stages
        ]
        title = esc(_("Matrix: {row}")).format(row=ctx.text(criterion.title))
        flowables.extend(
            vote_grid(
                ctx,
                title,
                _("Votes: {row}").format(row=" ".join(clean(criterion.title).split())),
                columns,
                by_question,
                show,
                plain_numbers=True,
            )
        )
    return flowables


def scenario_votes(ctx: ReportContext, by_question: dict[str, dict[str, str]]) -> list[Flowable]:
    session = ctx.session
    answers = {scenario_question(s.id): s.answer for s in session.scenarios}
    columns = [
        (scenario_question(s.id), f"{index}. {ctx.brief(s.title)}")
        for index, s in enumerate(session.scenarios, start=1)
        if by_question.get(scenario_question(s.id))
    ]

    def show(question: str, choice: str) -> str:
        mark = " <b>✓</b>" if answers.get(question) == choice else ""
        # A word of the day, named in a narrow cell: its full name heads its definition.
        return ctx.brief(term_name(session, choice)) + mark

    return vote_grid(
        ctx, esc(_("Which is it? (✓ marks the answer)")), _("Votes: which is it?"), columns, by_question, show
    )


def readiness_votes(ctx: ReportContext, by_question: dict[str, dict[str, str]]) -> list[Flowable]:
    session = ctx.session
    columns = [(readiness_question(item.id), ctx.brief(item.title)) for item in session.readiness_items]
    labels = readiness_rules.READINESS_SCALE

    def show(_question: str, choice: str) -> str:
        if choice.isdigit() and int(choice) < len(labels):
            return f"{esc(choice)} {esc(_(labels[int(choice)]))}"
        return ctx.text(choice)

    return vote_grid(ctx, esc(_("Readiness conditions")), _("Votes: readiness"), columns, by_question, show)


def stray_votes(ctx: ReportContext, stray: Sequence[Vote]) -> list[Flowable]:
    """Votes on questions the session no longer has (a removed row or story): listed, not lost."""
    sheet = ctx.sheet
    rows: list[list[Any]] = [[_("Question"), _("Participant"), _("Choice")]]
    for vote in stray:
        rows.append(
            [cell(ctx, vote.question), cell(ctx, ctx.person(vote.participant_id)), cell(ctx, vote.choice)]
        )
    third = ctx.width / 3
    return [
        h2(ctx, esc(_("Votes on questions since removed")), _("Votes: removed questions")),
        Paragraph(
            esc(_("These votes belong to rows, stages, stories or conditions that were later removed.")),
            sheet.small,
        ),
        table(ctx, rows, [third, third, third]),
    ]
