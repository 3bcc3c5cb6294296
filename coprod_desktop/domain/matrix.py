"""The assessment matrix: results per box, averages, the role split and the placement on the ladder.

Criteria are the rows and life-cycle stages the columns. Each box (a *cell*) is a
question, ``cell/<criterion id>/<stage id>``, rated on the matrix's scale: the
ratings are the whole numbers 0 to ``len(scale) - 1``, stored as text. A cell's
result adds named votes (`Vote`, one per participant: named and secret-ballot
modes) and counted hands (`Tally`, no names: show-of-hands and anonymous modes),
so every voting mode is read the same way.

Averages
    A cell's average is the mean of its ratings. A row or column average is the
    mean of its cells' averages, so every criterion (or stage) weighs the same
    however many people rated it. Unless asked otherwise, only cells the
    facilitator has revealed count: nothing here can leak a hidden result.

Placement on the ladder (`classify`)
    The stages are read by position, as in the four Co's: the first column is
    planning or commissioning, the second design, the third delivery, the fourth
    assessment. Each stage's average is compared with thresholds set as a share of
    the scale's width, so an edited scale still works. On the default 0 to 4 scale
    they sit half a point below a label, so a stage "reaches" a label when its
    average rounds to it or higher:

    - *shared*: 62.5% of the way up (2.5: rounds to 3, "Shared in part"),
    - *involved*: 37.5% (1.5: rounds to 2, "Involved"),
    - *asked*: 12.5% (0.5: rounds to 1, "Told or asked"),
    - *equal*: 75% (3: "Shared in part" itself), for the whole matrix only.

    The rules, read from the top; the first that holds gives the placement:

    1. Co-production: every stage is rated and reaches *shared*, and the whole
       matrix (the mean of the stages) averages *equal* or more.
    2. Co-design: the design stage (second column) reaches *shared*.
    3. Engagement: some stage reaches *shared*, or the whole matrix reaches
       *involved*.
    4. Consultation: the whole matrix reaches *asked*.
    5. Informing: some stage reaches *asked*.
    6. Coercion: no stage reaches *asked*.

    Each rule's test is "at least" on averages, so raising any rating can make
    more rules hold and never fewer: the placement is monotone, and a group that
    rates itself higher is never placed lower. The ratings measure how far power
    and responsibility are shared, not how well decisions are explained, so the
    rules cannot tell educating from informing; educating is never proposed. The
    group confirms or challenges the placement, and the facilitator records the
    agreed rung and why (`MatrixSettings.agreed_rung`, `agreed_reason`).

Edits
    Functions that change the matrix return a list of `Edit`s (`Change`s), (old, new) pairs
    of entities with None for "absent"; the UI turns them into storage Changes
    and applies them as one undoable command. Anonymous ballots only ever change
    `Tally` counts: no `Vote`, and so no name, is ever stored for them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from .changes import Change
from .errors import KnownError
from .i18n import _, join, ngettext
from .ladder import LADDER, RUNG_BY_KEY, rung_index
from .model import (
    BallotCast,
    BallotCount,
    Criterion,
    MatrixSettings,
    Participant,
    Reveal,
    Session,
    Side,
    Stage,
    Tally,
    Vote,
    VotingMode,
    new_id,
    new_key,
    replace,
)
from .voting import (
    RatingSummary,
    RoleSplit,
    Turnout,
    cell_question,
    is_rating,
    named_vote,
    reveal_questions,
    role_split,
    sides_of_people,
    summarise_counts,
    tally,
)
from .words import one_decimal


def _fmean(values: Iterable[float]) -> float:
    """statistics.fmean, without importing statistics (and fractions, decimal) at start-up."""
    found = list(values)
    if not found:
        raise ValueError("fmean requires at least one data point")
    return math.fsum(found) / len(found)


# Thresholds, as a share of the scale's width (its top rating); see the module's text.
SHARED = 0.625
INVOLVED = 0.375
ASKED = 0.125
EQUAL = 0.75
# A gap between lived experience and staff of a quarter of the scale or more is flagged.
GAP_FROM = 0.25

# Ratings are typed with the number keys 0 to 9, and a scale needs two ends.
MIN_SCALE_POINTS = 2
MAX_SCALE_POINTS = 10

PLACEMENT_CHOICES = ("agree", "disagree")

Edit = Change  # (old, new); None for absent


class MatrixEditError(KnownError):
    """An edit to the matrix that would lose or garble votes; the message says what to do."""


# --- one cell ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CellResult:
    """Everything known about one box of the matrix.

    `counts[i]` is how many chose rating i. Votes that are not a rating on the
    current scale (say, a 5 after the scale was shortened) are in `off_scale`, so
    `sum(counts) + off_scale == voters` always holds.
    """

    criterion: Criterion
    stage: Stage
    question: str
    voters: int
    eligible: int  # participants in the session; 0 when none are listed
    revealed: bool
    counts: tuple[int, ...]
    off_scale: int
    summary: RatingSummary
    split: RoleSplit

    @property
    def mean(self) -> float | None:
        return self.summary.mean

    @property
    def rated(self) -> int:
        return sum(self.counts)

    @property
    def width(self) -> int:
        return max(len(self.counts) - 1, 1)

    @property
    def level(self) -> float | None:
        """The average as a share of the scale, 0 at the bottom and 1 at the top."""
        return None if self.summary.mean is None else self.summary.mean / self.width

    @property
    def disagreement(self) -> bool:
        return self.summary.disagreement

    @property
    def big_gap(self) -> bool:
        return big_gap(self.split, len(self.counts))

    @property
    def progress_text(self) -> str:
        """What the room sees before the reveal, e.g. "7 of 12 have voted"."""
        return voted_text(self.voters, self.eligible)


def voted_text(voters: int, eligible: int) -> str:
    """ "7 of 12 have voted": the one turnout sentence (`voting.Turnout.text`)."""
    return Turnout(voters, eligible).text


def scale_points(session: Session) -> int:
    return len(session.matrix.scale)


def cell_result(session: Session, criterion_id: str, stage_id: str) -> CellResult:
    """The result of one box. Raises KeyError if the criterion or stage does not exist."""
    criterion = session.get(Criterion, criterion_id)
    stage = session.get(Stage, stage_id)
    if criterion is None or stage is None:
        raise KeyError(f"no matrix cell for criterion {criterion_id!r} and stage {stage_id!r}")
    return _cell(session, criterion, stage, scale_points(session), session.count(Participant))


def _cell(
    session: Session,
    criterion: Criterion,
    stage: Stage,
    points: int,
    eligible: int,
    sides_of: Mapping[str, Side] | None = None,
) -> CellResult:
    question = cell_question(criterion.id, stage.id)
    counted = tally(session, question)
    counts = [0] * points
    off_scale = 0
    for choice, count in counted.items():
        value = int(choice) if is_rating(choice) else -1
        if 0 <= value < points:
            counts[value] += count
        else:
            off_scale += count
    return CellResult(
        criterion=criterion,
        stage=stage,
        question=question,
        voters=sum(counted.values()),
        eligible=eligible,
        revealed=session.get(Reveal, question) is not None,
        counts=tuple(counts),
        off_scale=off_scale,
        summary=summarise_counts(dict(enumerate(counts)), points),
        split=role_split(session, question, points, sides_of=sides_of),
    )


def big_gap(split: RoleSplit, points: int) -> bool:
    """Whether staff and people with lived experience differ by a quarter of the scale or more."""
    gap = split.gap
    return gap is not None and abs(gap) >= GAP_FROM * max(points - 1, 1)


# --- the whole matrix -------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixResults:
    criteria: tuple[Criterion, ...]
    stages: tuple[Stage, ...]
    scale: tuple[str, ...]
    cells: tuple[tuple[CellResult, ...], ...]  # cells[row][column]

    def cell(self, row: int, column: int) -> CellResult:
        return self.cells[row][column]

    def all_cells(self) -> Iterator[CellResult]:
        for row in self.cells:
            yield from row


def matrix_results(session: Session) -> MatrixResults:
    """Every box of the matrix, row by row in display order."""
    criteria = tuple(session.criteria)
    stages = tuple(session.stages)
    points = scale_points(session)
    eligible = session.count(Participant)
    sides_of = sides_of_people(session)  # once for every box
    cells = tuple(
        tuple(_cell(session, criterion, stage, points, eligible, sides_of) for stage in stages)
        for criterion in criteria
    )
    return MatrixResults(criteria, stages, tuple(session.matrix.scale), cells)


def mean_of_cells(cells: Iterable[CellResult], *, revealed_only: bool = True) -> float | None:
    """The mean of the cells' averages (each cell weighs the same); None if none is rated."""
    return mean_and_count(cells, revealed_only=revealed_only)[0]


def mean_and_count(cells: Iterable[CellResult], *, revealed_only: bool = True) -> tuple[float | None, int]:
    """`mean_of_cells`, and how many cells it is the mean of (the revealed ones with a rating)."""
    means = [
        mean for c in cells if (mean := c.summary.mean) is not None and (c.revealed or not revealed_only)
    ]
    return (_fmean(means) if means else None), len(means)


def row_means(results: MatrixResults, *, revealed_only: bool = True) -> list[float | None]:
    return [mean_of_cells(row, revealed_only=revealed_only) for row in results.cells]


def column_means(results: MatrixResults, *, revealed_only: bool = True) -> list[float | None]:
    return [
        mean_of_cells((row[column] for row in results.cells), revealed_only=revealed_only)
        for column in range(len(results.stages))
    ]


def overall_role_split(cells: Iterable[CellResult], *, revealed_only: bool = True) -> RoleSplit:
    """Lived experience and staff, each the mean of their averages over the cells both rated.

    Only cells rated by both groups count, so the gap compares like with like."""
    lived: list[float] = []
    staff: list[float] = []
    for cell in cells:
        if revealed_only and not cell.revealed:
            continue
        if cell.split.lived_experience is not None and cell.split.professional is not None:
            lived.append(cell.split.lived_experience)
            staff.append(cell.split.professional)
    if not lived:
        return RoleSplit(None, None)
    return RoleSplit(_fmean(lived), _fmean(staff))


# --- placement on the ladder ------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    rung: str  # a key of domain.ladder
    text: str
    held: bool


@dataclass(frozen=True)
class Classification:
    """Where the ratings place the work on the ladder, why, and every rule with its outcome."""

    rung: str
    reason: str
    rules: tuple[Rule, ...]
    stage_means: tuple[float | None, ...]
    overall: float
    unrated_stages: tuple[str, ...]  # titles of stages with no revealed rating

    @property
    def name(self) -> str:
        return RUNG_BY_KEY[self.rung].name

    @property
    def height(self) -> int:
        return rung_index(self.rung)


def _number(value: float) -> str:
    """1, 2.5, 3.75: as few decimals as the value needs, at most two."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def thresholds(points: int) -> tuple[float, ...]:
    """The rules' thresholds on a scale of `points` points, lowest first."""
    width = max(points - 1, 1)
    return tuple(share * width for share in (ASKED, INVOLVED, SHARED, EQUAL))


def average_text(value: float | None, points: int) -> str:
    """An average as every view prints it: one decimal, never on the wrong side of a rule's
    threshold (2.46 is "2.4" when 2.5 is a threshold; see `domain.words`)."""
    return one_decimal(value, thresholds(points))


def _reaches(scale: Sequence[str], share: float) -> str:
    """A threshold as the room reads it: "reaches 3 (Shared in part)" when it sits half a
    point below a label, otherwise "averages 3 (Shared in part) or more" or "averages 3.75 or more"."""
    value = share * (len(scale) - 1)
    above = round(value + 0.5)
    if abs(value + 0.5 - above) < 1e-9 and above < len(scale):
        # Translators: what a stage (or the whole matrix) must do in a rule:
        # "every stage reaches 3 (Shared in part)".
        return _("reaches {point} ({label})").format(point=above, label=scale[above])
    if abs(value - round(value)) < 1e-9:
        # Translators: what a stage (or the whole matrix) must do in a rule.
        return _("averages {point} ({label}) or more").format(point=round(value), label=scale[round(value)])
    # Translators: what a stage (or the whole matrix) must do in a rule.
    return _("averages {value} or more").format(value=_number(value))


def rounding_note(scale: Sequence[str]) -> str:
    """How to read "reaches" in the rules, for this scale."""
    value = SHARED * (len(scale) - 1)
    above = round(value + 0.5)
    if abs(value + 0.5 - above) < 1e-9:
        return _(
            "An average reaches a point of the scale when it rounds to it or higher: "
            "{value} reaches {point}. Read the rules from the top; the first that holds places the work."
        ).format(value=_number(value), point=above)
    return _("Read the rules from the top; the first that holds places the work.")


def placement_note(cells: Iterable[CellResult], scale: Sequence[str]) -> str:
    """How to read the rules, and on how many boxes the placement rests when some are hidden:
    the same sentences under the placement on the laptop, the projector, the summary and the PDF."""
    note = rounding_note(scale)
    voted = [cell for cell in cells if cell.voters]
    hidden = [cell for cell in voted if not cell.revealed]
    if hidden:
        based = ngettext(
            "Based on {n} of {total} box with votes; the rest are not revealed yet.",
            "Based on {n} of {total} boxes with votes; the rest are not revealed yet.",
            len(voted),
        ).format(n=len(voted) - len(hidden), total=len(voted))
        note = f"{note} {based}"
    return note


def matrix_turnout(cells: Iterable[CellResult]) -> Turnout:
    """Votes over the boxes against a full room in every box: `voting.combined_turnout` of the
    boxes' questions, read from results already made (a test keeps the two equal)."""
    listed = list(cells)
    return Turnout(sum(cell.voters for cell in listed), sum(cell.eligible for cell in listed))


def turnout_sentence(cells: Iterable[CellResult]) -> str:
    """ "Over the 12 boxes: 140 of 144 have voted.": the matrix's turnout in every view."""
    listed = list(cells)
    said = matrix_turnout(listed).text
    return ngettext("Over the {n} box: {turnout}.", "Over the {n} boxes: {turnout}.", len(listed)).format(
        n=len(listed), turnout=f"{said[:1].lower()}{said[1:]}"
    )


def rule_texts(scale: Sequence[str], stage_titles: Sequence[str] = ()) -> tuple[tuple[str, str], ...]:
    """The rules as (rung key, plain sentence) for this scale, in the order they are read."""
    shared = _reaches(scale, SHARED)
    involved = _reaches(scale, INVOLVED)
    asked = _reaches(scale, ASKED)
    equal = _reaches(scale, EQUAL)
    if len(stage_titles) > 1:
        design = _("Co-design: the design stage ({stage}) {reaches}.").format(
            stage=stage_titles[1], reaches=shared
        )
    else:
        design = _("Co-design: the design stage {reaches}.").format(reaches=shared)
    # Translators: {reaches} and the like are "reaches 3 (Shared in part)" or "averages 3.75 or more".
    return (
        (
            "co-production",
            _("Co-production: every stage {reaches}, and the whole matrix {equal}.").format(
                reaches=shared, equal=equal
            ),
        ),
        ("co-design", design),
        (
            "engagement",
            _("Engagement: at least one stage {reaches}, or the whole matrix {involved}.").format(
                reaches=shared, involved=involved
            ),
        ),
        ("consultation", _("Consultation: the whole matrix {reaches}.").format(reaches=asked)),
        ("informing", _("Informing: at least one stage {reaches}.").format(reaches=asked)),
        ("coercion", _("Coercion: no stage {reaches}.").format(reaches=asked)),
    )


def classify_means(
    stage_means: Sequence[float | None],
    scale: Sequence[str],
    stage_titles: Sequence[str] | None = None,
) -> Classification | None:
    """The placement from each stage's average (None: not rated). None when nothing is rated
    or the scale has fewer than two points."""
    points = len(scale)
    if points < MIN_SCALE_POINTS:
        return None
    if stage_titles is None:
        stage_titles = [_("Stage {n}").format(n=i + 1) for i in range(len(stage_means))]
    titles = list(stage_titles)
    rated = [(titles[i], m) for i, m in enumerate(stage_means) if m is not None]
    if not rated:
        return None
    width = points - 1
    shared, involved, asked = SHARED * width, INVOLVED * width, ASKED * width
    overall = _fmean(m for _, m in rated)
    design = stage_means[1] if len(stage_means) > 1 else None
    every_shared = len(rated) == len(stage_means) and all(m >= shared for _, m in rated)
    held = {
        "co-production": every_shared and overall >= EQUAL * width,
        "co-design": design is not None and design >= shared,
        "engagement": any(m >= shared for _, m in rated) or overall >= involved,
        "consultation": overall >= asked,
        "informing": any(m >= asked for _, m in rated),
    }
    held["coercion"] = not held["informing"]
    rules = tuple(Rule(rung, text, held[rung]) for rung, text in rule_texts(scale, titles))
    rung = next(rule.rung for rule in rules if rule.held)
    unrated = tuple(titles[i] for i, m in enumerate(stage_means) if m is None)
    reason = _reason(rung, rated, titles, stage_means, overall, scale)
    if unrated and rung != "co-production":
        reason = _("{reason}; not rated yet: {stages}.").format(
            reason=reason.removesuffix("."), stages=join(list(unrated))
        )
    return Classification(rung, reason, rules, tuple(stage_means), overall, unrated)


def _reason(
    rung: str,
    rated: list[tuple[str, float]],
    titles: list[str],
    means: Sequence[float | None],
    overall: float,
    scale: Sequence[str],
) -> str:
    width = len(scale) - 1
    shared, involved, asked = SHARED * width, INVOLVED * width, ASKED * width
    lowest = min(rated, key=lambda item: item[1])
    highest = max(rated, key=lambda item: item[1])

    def avg(value: float) -> str:
        return average_text(value, len(scale))

    def listed(items: list[tuple[str, float]]) -> str:
        # Translators: a stage and its average in a list of stages: "Deliver (1.2)".
        return join(
            [_("{stage} ({average})").format(stage=title, average=avg(mean)) for title, mean in items]
        )

    if rung == "co-production":
        return _(
            "Every stage averages {shared} or more, the whole matrix {overall}; "
            "the lowest is {stage} at {lowest}."
        ).format(shared=_number(shared), overall=avg(overall), stage=lowest[0], lowest=avg(lowest[1]))
    if rung == "co-design":
        design = means[1]
        assert design is not None
        short = [(t, m) for t, m in rated if m < shared]
        if short:
            return ngettext(
                "{design} averages {average}, but {stages} falls below {shared}.",
                "{design} averages {average}, but {stages} fall below {shared}.",
                len(short),
            ).format(design=titles[1], average=avg(design), stages=listed(short), shared=_number(shared))
        return _("{design} averages {average}, but not every stage has been rated.").format(
            design=titles[1], average=avg(design)
        )
    if rung == "engagement":
        strong = [(t, m) for t, m in rated if m >= shared]
        if strong:
            design = means[1] if len(means) > 1 else None
            if design is None:
                return ngettext(
                    "{stages} reaches {shared}, but the design stage is not rated yet.",
                    "{stages} reach {shared}, but the design stage is not rated yet.",
                    len(strong),
                ).format(stages=listed(strong), shared=_number(shared))
            return ngettext(
                "{stages} reaches {shared}, but {design} stays at {average}.",
                "{stages} reach {shared}, but {design} stays at {average}.",
                len(strong),
            ).format(stages=listed(strong), shared=_number(shared), design=titles[1], average=avg(design))
        return _(
            "The whole matrix averages {overall}, at least {involved}, but no stage reaches {shared}."
        ).format(overall=avg(overall), involved=_number(involved), shared=_number(shared))
    if rung == "consultation":
        return _(
            "The whole matrix averages {overall}: at least {asked} but below {involved}, "
            "and no stage reaches {shared}."
        ).format(
            overall=avg(overall), asked=_number(asked), involved=_number(involved), shared=_number(shared)
        )
    if rung == "informing":
        reached = [(t, m) for t, m in rated if m >= asked]
        return ngettext(
            "Only {stages} reaches {asked}; the whole matrix averages {overall}.",
            "Only {stages} reach {asked}; the whole matrix averages {overall}.",
            len(reached),
        ).format(stages=listed(reached), asked=_number(asked), overall=avg(overall))
    return _("No stage reaches {asked}; the highest is {stage} at {highest}.").format(
        asked=_number(asked), stage=highest[0], highest=avg(highest[1])
    )


def classify(session: Session, *, revealed_only: bool = True) -> Classification | None:
    """The placement of the matrix's ratings on the ladder, by the rules above.

    Only revealed cells count unless `revealed_only` is False. None when no cell
    has a (revealed) rating."""
    return classify_results(matrix_results(session), revealed_only=revealed_only)


def classify_results(results: MatrixResults, *, revealed_only: bool = True) -> Classification | None:
    means = column_means(results, revealed_only=revealed_only)
    return classify_means(means, results.scale, [stage.title for stage in results.stages])


# --- confirming the placement -------------------------------------------------------------


def placement_question(rung: str) -> str:
    """The question on which the room agrees or disagrees with a proposed rung."""
    return f"placement/{rung}"


def placement_votes(session: Session, rung: str) -> tuple[int, int]:
    """How many agreed and disagreed with placing the work on `rung`."""
    counted = tally(session, placement_question(rung))
    return counted.get("agree", 0), counted.get("disagree", 0)


def set_placement_votes(session: Session, rung: str, agree: int, disagree: int) -> list[Edit]:
    question = placement_question(rung)
    return _hands_edits(session, question, {"agree": agree, "disagree": disagree})


# --- voting -----------------------------------------------------------------------------


def check_rating(session: Session, value: int) -> None:
    """Refuse a rating that is not a point of the matrix's scale."""
    if not 0 <= value < scale_points(session):
        top = scale_points(session) - 1
        raise MatrixEditError(
            _("{value} is not on the scale, which runs from 0 to {top}.").format(value=value, top=top)
        )


def rate(session: Session, participant_id: str, question: str, value: int | None) -> list[Edit]:
    """A named rating by one participant; None withdraws it (see `voting.named_vote`)."""
    if value is not None:
        check_rating(session, value)
    return named_vote(session, question, participant_id, None if value is None else str(value))


def counted_hands(session: Session, question: str) -> tuple[int, ...]:
    """The counted hands (Tallies only, not named votes) for each point of the scale."""
    points = scale_points(session)
    counts = [0] * points
    for counted in session.on_question(Tally, question):
        if is_rating(counted.choice) and 0 <= int(counted.choice) < points:
            counts[int(counted.choice)] = counted.count
    return tuple(counts)


def set_hands(session: Session, question: str, counts: Sequence[int]) -> list[Edit]:
    """Set the hands counted for each point of the scale (index = rating)."""
    if len(counts) != scale_points(session):
        raise MatrixEditError(
            _("Give one count for each of the {n} points of the scale.").format(n=scale_points(session))
        )
    if any(count < 0 for count in counts):
        raise MatrixEditError(_("A count of hands cannot be below zero."))
    return _hands_edits(session, question, {str(value): count for value, count in enumerate(counts)})


def _hands_edits(session: Session, question: str, wanted: dict[str, int]) -> list[Edit]:
    edits: list[Edit] = []
    for choice, count in wanted.items():
        old = session.get(Tally, (question, choice))
        if count <= 0:
            if old is not None:
                edits.append(Change(old, None))
        elif old is None or old.count != count:
            edits.append(Change(old, Tally(question, choice, count)))
    return edits


def reveal(session: Session, questions: Iterable[str], shown: bool) -> list[Edit]:
    """Reveal (or hide again) the results of `questions` (`voting.reveal_questions`)."""
    return reveal_questions(session, questions, shown)


def _cell_questions(session: Session) -> set[str]:
    return {cell_question(c.id, s.id) for c in session.criteria for s in session.stages}


def anonymise(session: Session) -> list[Edit]:
    """Turn every named rating in the matrix into a counted hand, keeping the totals and
    dropping the names."""
    edits: list[Edit] = []
    for question in sorted(_cell_questions(session)):
        votes = session.on_question(Vote, question)
        if not votes:
            continue
        wanted: dict[str, int] = {t.choice: t.count for t in session.on_question(Tally, question)}
        for vote in votes:
            edits.append(Change(vote, None))
            wanted[vote.choice] = wanted.get(vote.choice, 0) + 1
        edits += _hands_edits(session, question, wanted)
    return edits


def named_votes_in_matrix(session: Session) -> int:
    return sum(len(session.on_question(Vote, q)) for q in _cell_questions(session))


def set_mode(session: Session, mode: VotingMode, *, drop_names: bool = False) -> list[Edit]:
    """Change how the room votes. Votes already cast are kept; with `drop_names`, named
    ratings become counts first (see `anonymise`)."""
    edits = anonymise(session) if drop_names else []
    if session.matrix.mode != mode:
        edits.append(Change(session.matrix, replace(session.matrix, mode=mode)))
    return edits


# --- editing rows, columns and the scale ------------------------------------------------


def add_criterion(session: Session, title: str) -> list[Edit]:
    title = _title(title)
    criterion = Criterion(id=new_id(), title=title, position=session.next_position(Criterion), key=new_key())
    return [Change(None, criterion)]


def add_stage(session: Session, title: str) -> list[Edit]:
    title = _title(title)
    stage = Stage(id=new_id(), title=title, position=session.next_position(Stage), key=new_key())
    return [Change(None, stage)]


def rename(session: Session, entity: Criterion | Stage, title: str) -> list[Edit]:
    title = _title(title)
    current = session.existing(entity)
    if not isinstance(current, Criterion | Stage) or current.title == title:
        return []
    return [Change(current, replace(current, title=title))]


def _title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise MatrixEditError(_("A row or column needs a name."))
    return title


def _cell_entities(session: Session, questions: Iterable[str]) -> list[Edit]:
    edits: list[Edit] = []
    for question in questions:
        edits += [Change(vote, None) for vote in session.on_question(Vote, question)]
        edits += [Change(counted, None) for counted in session.on_question(Tally, question)]
        edits += [Change(cast, None) for cast in session.on_question(BallotCast, question)]
        edits += [Change(counted, None) for counted in session.on_question(BallotCount, question)]
        shown = session.get(Reveal, question)
        if shown is not None:
            edits.append(Change(shown, None))
    return edits


def remove_criterion(session: Session, criterion: Criterion) -> list[Edit]:
    """Remove a row with every vote, count and reveal in it (all back on undo)."""
    questions = [cell_question(criterion.id, stage.id) for stage in session.stages]
    return [*_cell_entities(session, questions), Change(criterion, None)]


def remove_stage(session: Session, stage: Stage) -> list[Edit]:
    questions = [cell_question(criterion.id, stage.id) for criterion in session.criteria]
    return [*_cell_entities(session, questions), Change(stage, None)]


def move(session: Session, entity: Criterion | Stage, offset: int) -> list[Edit]:
    """Move a row or column `offset` places; every position is renumbered in one edit."""
    ordered: list[Criterion | Stage] = list(
        session.criteria if isinstance(entity, Criterion) else session.stages
    )
    idents = [e.ident for e in ordered]
    if entity.ident not in idents:
        return []
    at = idents.index(entity.ident)
    target = min(max(at + offset, 0), len(ordered) - 1)
    item = ordered.pop(at)
    ordered.insert(target, item)
    return [Change(e, replace(e, position=i)) for i, e in enumerate(ordered) if e.position != i]


def votes_at_or_above(session: Session, point: int) -> int:
    """How many ratings in the matrix are `point` or higher."""
    total = 0
    for question in _cell_questions(session):
        for choice, count in tally(session, question).items():
            if is_rating(choice) and int(choice) >= point:
                total += count
    return total


def set_scale(session: Session, labels: Sequence[str]) -> list[Edit]:
    """Rename, add or remove points at the top of the scale.

    Ratings are stored as numbers, so points keep their order; removing the top
    points is refused while ratings use them, rather than silently moving them."""
    cleaned = tuple(" ".join(label.split()) for label in labels)
    if any(not label for label in cleaned):
        raise MatrixEditError(_("Every point of the scale needs a label."))
    if not MIN_SCALE_POINTS <= len(cleaned) <= MAX_SCALE_POINTS:
        raise MatrixEditError(
            _(
                "The scale needs between {fewest} and {most} points "
                "(ratings are typed with the number keys 0 to 9)."
            ).format(fewest=MIN_SCALE_POINTS, most=MAX_SCALE_POINTS)
        )
    if len(cleaned) < scale_points(session):
        used = votes_at_or_above(session, len(cleaned))
        if used:
            raise MatrixEditError(
                ngettext(
                    "{n} rating uses the points you are removing. "
                    "Withdraw or change those ratings first, or rename the points instead.",
                    "{n} ratings use the points you are removing. "
                    "Withdraw or change those ratings first, or rename the points instead.",
                    used,
                ).format(n=used)
            )
    settings: MatrixSettings = session.matrix
    if settings.scale == cleaned:
        return []
    return [Change(settings, replace(settings, scale=cleaned))]


def set_agreed(session: Session, rung: str, reason: str) -> list[Edit]:
    """Record the position the group agreed on ("" clears it) and why."""
    if rung and rung not in RUNG_BY_KEY:
        raise MatrixEditError(_("{rung!r} is not a rung of the ladder.").format(rung=rung))
    settings = session.matrix
    new = replace(settings, agreed_rung=rung, agreed_reason=reason.strip())
    return [] if new == settings else [Change(settings, new)]


# --- colours shared by the screen and the report --------------------------------------------

# Cividis (Nuñez, Anderton and Renslow, 2018): a sequential palette made to read the
# same for people with red-green colour blindness, whose lightness rises steadily, so
# it also reads in greyscale. Low ratings are dark blue, high ones pale yellow.
_CIVIDIS = (
    (0, 34, 78),
    (53, 69, 108),
    (102, 105, 112),
    (148, 142, 119),
    (200, 184, 102),
    (254, 232, 56),
)


def heat_colour(level: float) -> str:
    """The palette colour for a share of the scale (0 to 1), as "#rrggbb"."""
    level = min(max(level, 0.0), 1.0) if math.isfinite(level) else 0.0
    position = level * (len(_CIVIDIS) - 1)
    index = min(int(position), len(_CIVIDIS) - 2)
    t = position - index
    low, high = _CIVIDIS[index], _CIVIDIS[index + 1]
    r, g, b = (round(a + (b - a) * t) for a, b in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of "#rrggbb"."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


DARK_TEXT = "#000000"
LIGHT_TEXT = "#ffffff"


def text_colour_for(background: str) -> str:
    """Black or white, whichever stands out more on `background` (never below 4.5:1 on the palette)."""
    return DARK_TEXT if contrast(background, DARK_TEXT) >= contrast(background, LIGHT_TEXT) else LIGHT_TEXT


def rung_names() -> tuple[tuple[str, str], ...]:
    """(key, name) of every rung, top first, for choosing the agreed position."""
    return tuple((rung.key, rung.name) for rung in reversed(LADDER))
