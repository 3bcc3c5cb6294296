"""What changed between two sessions of one workshop, as plain data.

Two sessions are lined up item by item through their stable keys (see
`model.new_key` and the template's `key`s): a criterion, stage, readiness item,
scenario or step is the same item in both when its key is the same. An item whose
key is in only one session is *added* or *removed*; one whose key matches but whose
title differs is *renamed*. Nothing is matched by its title or its place in the list,
so a reworded row never silently takes over the history of another.

Every number comes from the result functions the rest of the app uses
(`matrix.matrix_results`, `matrix.classify_results`, `matrix.mean_of_cells`,
`matrix.overall_role_split`, `readiness.condition`, `readiness.recommend`), so the
change view, the PDF and the JSON can never disagree with the screens of either
session. A change is always *after minus before*: comparing B with A gives the
negation of comparing A with B.

How few votes are too few
-------------------------
A change is only stated when both sides rest on at least `MIN_VOTES` (5) ratings;
below that, the result says "too few votes to say" and shows the counts. The reason:
in a box rated by n people, one person moving one point moves the mean by 1/n, and
ratings in a room typically spread about one point either side of their mean. The
noise in the difference of two means is then about sd·√(1/n₁ + 1/n₂): some 1.0 point
with 2 votes a side, 0.8 with 3, but 0.63 with 5. Under five a side, a shown change
on a five-point scale would mostly say who happened to be in the room; from five, a
change of a point or more is rarely noise alone. It is a rule of thumb for a room,
not a significance test, and it is shown to the facilitator as such.

The gap between people with lived experience and staff needs at least `MIN_GROUP`
(3) people *in each group* on both sides, the same floor the app keeps for showing
any role split: fewer than three, and a group's average is one or two people's
ratings, which the room can often tell apart.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from .canvas import STILL, Layer, Zone, position, zone_of
from .errors import KnownError
from .i18n import N_, _, join, ngettext, number
from .matrix import (
    CellResult,
    Classification,
    classify_results,
    matrix_results,
    mean_of_cells,
    overall_role_split,
)
from .model import (
    Card,
    Criterion,
    ReadinessItem,
    Scenario,
    Session,
    Stage,
    Step,
)
from .readiness import Condition, Verdict, condition, recommend
from .voting import RoleSplit

__all__ = [
    "CHANGE_PALETTE",
    "MIN_GROUP",
    "MIN_VOTES",
    "CardChange",
    "CellChange",
    "Comparison",
    "GapChange",
    "ItemChanges",
    "LineChange",
    "MeanChange",
    "PlacementChange",
    "ReadinessChange",
    "WorkshopMismatchError",
    "change_colour",
    "change_text",
    "compare",
    "check_comparable",
    "match_by_key",
    "signed",
]

MIN_VOTES = 5
MIN_GROUP = 3
# A change that rounds to 0.0 at one decimal is shown as no change.
_NO_CHANGE = 0.05


class WorkshopMismatchError(KnownError):
    """Two sessions that are not runs of one workshop, so their results cannot be set side by side."""


# --- numbers, words and colours ------------------------------------------------------------

# ColorBrewer's PuOr diverging scheme in seven steps: orange for down, grey-white for no
# change, purple for up. It stays distinct for the common kinds of colour blindness; in
# greyscale both ends are dark and the middle light, so the size of a change survives a
# black-and-white print and its direction is carried by ▲/▼ and the sign, never by colour.
CHANGE_PALETTE: tuple[str, ...] = (
    "#B35806",
    "#F1A340",
    "#FEE0B6",
    "#F7F7F7",
    "#D8DAEB",
    "#998EC3",
    "#542788",
)
# Steps as a share of the scale's width: under 1/8 of it (half a point on five points) is
# a small change, under a quarter (a point) a clear one, beyond that a large one.
_SMALL, _CLEAR = 0.125, 0.25


def change_colour(delta: float | None, points: int) -> str | None:
    """The diverging palette's colour for a change on a scale of `points` points; None
    when there is no change to show (unrated, or too few votes)."""
    if delta is None:
        return None
    if abs(delta) < _NO_CHANGE:
        return CHANGE_PALETTE[3]
    share = abs(delta) / max(points - 1, 1)
    step = 1 if share < _SMALL else 2 if share < _CLEAR else 3
    return CHANGE_PALETTE[3 + step] if delta > 0 else CHANGE_PALETTE[3 - step]


def signed(value: float) -> str:
    """A change with its sign and one decimal: "+0.4", "−0.3" (a true minus sign), "0.0"."""
    shown = round(value, 1)
    if shown == 0:
        return "0.0"
    return f"+{shown:.1f}" if shown > 0 else f"\u2212{abs(shown):.1f}"


def change_text(delta: float | None, *, enough: bool = True) -> str:
    """A change as the room reads it, never by colour alone: "▲ +0.4", "▼ −0.3", "= no change",
    or "too few votes to say"."""
    if not enough:
        return _("too few votes to say")
    if delta is None:
        return _("not rated on both sides")
    if abs(delta) < _NO_CHANGE:
        return _("= no change")
    return f"{'▲' if delta > 0 else '▼'} {signed(delta)}"


@dataclass(frozen=True)
class MeanChange:
    """An average before and after, with the number of ratings behind each."""

    before: float | None
    after: float | None
    votes_before: int
    votes_after: int

    @property
    def enough(self) -> bool:
        return self.votes_before >= MIN_VOTES and self.votes_after >= MIN_VOTES

    @property
    def delta(self) -> float | None:
        """After minus before; None when either side is unrated or has too few votes."""
        if self.before is None or self.after is None or not self.enough:
            return None
        return self.after - self.before

    @property
    def text(self) -> str:
        rated = self.before is not None and self.after is not None
        return change_text(self.delta, enough=self.enough or not rated)

    def reversed(self) -> MeanChange:
        return MeanChange(self.after, self.before, self.votes_after, self.votes_before)


@dataclass(frozen=True)
class GapChange:
    """The gap between staff and people with lived experience (staff minus lived
    experience, as `RoleSplit.gap`) before and after, with how many of each group
    rated on each side (for a row, column or the whole matrix, the fewest in any one
    box that counts)."""

    before: float | None
    after: float | None
    lived_before: int
    staff_before: int
    lived_after: int
    staff_after: int

    @property
    def enough(self) -> bool:
        return min(self.lived_before, self.staff_before, self.lived_after, self.staff_after) >= MIN_GROUP

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None or not self.enough:
            return None
        return self.after - self.before

    @property
    def narrowing(self) -> float | None:
        """How much closer the two groups came (negative: further apart), whichever rated higher."""
        if self.before is None or self.after is None or not self.enough:
            return None
        return abs(self.before) - abs(self.after)

    @property
    def text(self) -> str:
        if not self.enough:
            return _("too few votes to say")
        narrowing = self.narrowing
        if narrowing is None:
            return _("not rated by both groups on both sides")
        if abs(narrowing) < _NO_CHANGE:
            return _("= the gap is unchanged")
        # The arrow follows the size of the gap, as every other arrow follows its number.
        if narrowing > 0:
            return _("▼ the gap narrowed by {points}").format(points=number(abs(narrowing)))
        return _("▲ the gap widened by {points}").format(points=number(abs(narrowing)))

    def reversed(self) -> GapChange:
        return GapChange(
            self.after, self.before, self.lived_after, self.staff_after, self.lived_before, self.staff_before
        )


# --- matching items by key ----------------------------------------------------------------

T = TypeVar("T", Step, Criterion, Stage, Scenario, ReadinessItem)


@dataclass(frozen=True)
class Matched(Generic[T]):
    pairs: tuple[tuple[T, T], ...]  # (before, after), in the after session's order
    removed: tuple[T, ...]
    added: tuple[T, ...]


def match_by_key(before: Sequence[T], after: Sequence[T]) -> Matched[T]:
    """Pairs of items with the same stable key. An empty key matches nothing; a key that a
    hand-edited file repeats is matched repeat for repeat, in display order."""

    def keyed(items: Sequence[T]) -> dict[tuple[str, int], T]:
        seen: dict[str, int] = {}
        found: dict[tuple[str, int], T] = {}
        for item in items:
            if not item.key:
                continue
            number = seen.get(item.key, 0)
            seen[item.key] = number + 1
            found[(item.key, number)] = item
        return found

    old, new = keyed(before), keyed(after)
    pairs = tuple((old[k], item) for k, item in new.items() if k in old)
    paired_old = {id(b) for b, _ in pairs}
    paired_new = {id(a) for _, a in pairs}
    return Matched(
        pairs=pairs,
        removed=tuple(item for item in before if id(item) not in paired_old),
        added=tuple(item for item in after if id(item) not in paired_new),
    )


@dataclass(frozen=True)
class ItemChanges:
    """Items of one kind (`noun`, e.g. "criterion") added, removed or renamed, by title."""

    noun: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    renamed: tuple[tuple[str, str], ...]  # (title before, title after)

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.renamed)

    def sentences(self) -> list[str]:
        added, removed, renamed = _SENTENCES[self.noun]
        said = []
        # One item or a list of them: the sentence names the kind once, so two forms are enough.
        if self.added:
            said.append(_(added[len(self.added) > 1]).format(items=_listed(self.added)))
        if self.removed:
            said.append(_(removed[len(self.removed) > 1]).format(items=_listed(self.removed)))
        for old, new in self.renamed:
            said.append(_(renamed).format(old=old, new=new))
        return said

    def reversed(self) -> ItemChanges:
        return ItemChanges(self.noun, self.removed, self.added, tuple((b, a) for a, b in self.renamed))


def _sentences() -> dict[str, tuple[tuple[str, str], tuple[str, str], str]]:
    """Per kind of item: what is said of the added ones, the removed ones and a renamed one.
    Whole sentences, so every language can give each noun its own gender and plural."""
    return {
        "step": (
            (N_("New step: {items}."), N_("New steps: {items}.")),
            (N_("No longer there (step): {items}."), N_("No longer there (steps): {items}.")),
            N_("The step ‘{old}’ is now called ‘{new}’."),
        ),
        "criterion": (
            (N_("New criterion: {items}."), N_("New criteria: {items}.")),
            (N_("No longer there (criterion): {items}."), N_("No longer there (criteria): {items}.")),
            N_("The criterion ‘{old}’ is now called ‘{new}’."),
        ),
        "stage": (
            (N_("New stage: {items}."), N_("New stages: {items}.")),
            (N_("No longer there (stage): {items}."), N_("No longer there (stages): {items}.")),
            N_("The stage ‘{old}’ is now called ‘{new}’."),
        ),
        "scenario": (
            (N_("New scenario: {items}."), N_("New scenarios: {items}.")),
            (N_("No longer there (scenario): {items}."), N_("No longer there (scenarios): {items}.")),
            N_("The scenario ‘{old}’ is now called ‘{new}’."),
        ),
        "readiness condition": (
            (N_("New readiness condition: {items}."), N_("New readiness conditions: {items}.")),
            (
                N_("No longer there (readiness condition): {items}."),
                N_("No longer there (readiness conditions): {items}."),
            ),
            N_("The readiness condition ‘{old}’ is now called ‘{new}’."),
        ),
    }


_SENTENCES = _sentences()


def _listed(titles: Iterable[str]) -> str:
    return join([f"‘{t}’" for t in titles])


def _item_changes(noun: str, matched: Matched[T]) -> ItemChanges:
    return ItemChanges(
        noun=noun,
        added=tuple(item.title for item in matched.added),
        removed=tuple(item.title for item in matched.removed),
        renamed=tuple((b.title, a.title) for b, a in matched.pairs if b.title != a.title),
    )


# --- the matrix ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CellChange:
    criterion_key: str
    stage_key: str
    criterion: str  # titles as the later session has them
    stage: str
    mean: MeanChange
    gap: GapChange

    def reversed(self) -> CellChange:
        return CellChange(
            self.criterion_key,
            self.stage_key,
            self.criterion,
            self.stage,
            self.mean.reversed(),
            self.gap.reversed(),
        )


@dataclass(frozen=True)
class LineChange:
    """A criterion (row), a stage (column) or the whole matrix: the mean of the boxes
    rated on both sides, before and after, and the gap between the groups."""

    key: str  # the criterion's or stage's key; "" for the whole matrix
    title: str
    mean: MeanChange
    gap: GapChange

    def reversed(self) -> LineChange:
        return LineChange(self.key, self.title, self.mean.reversed(), self.gap.reversed())


@dataclass(frozen=True)
class _Side:
    """One session's box, and whether it counts: rated, and revealed (unless revealed_only is off)."""

    cell: CellResult
    counted: bool


def _side(cell: CellResult, revealed_only: bool) -> _Side:
    return _Side(cell, cell.mean is not None and (cell.revealed or not revealed_only))


def _split_of(sides: Sequence[_Side]) -> tuple[RoleSplit, int, int]:
    """The groups' averages over the boxes both groups rated (`matrix.overall_role_split`),
    and the fewest ratings of each group in any of those boxes: a secret ballot keeps no
    names, so people cannot be counted across boxes, and the weakest box is what limits
    how far the gap can be trusted."""
    both = [s.cell for s in sides if s.counted and s.cell.split.gap is not None]
    if not both:
        return RoleSplit(None, None), 0, 0
    split = overall_role_split(both, revealed_only=False)
    return split, min(c.split.lived_votes for c in both), min(c.split.staff_votes for c in both)


def _line(key: str, title: str, pairs: Sequence[tuple[_Side, _Side]]) -> LineChange:
    # Like with like: only boxes with a counted rating on both sides.
    rated = [(b, a) for b, a in pairs if b.counted and a.counted]
    before_cells = [b.cell for b, _ in rated]
    after_cells = [a.cell for _, a in rated]
    mean = MeanChange(
        mean_of_cells(before_cells, revealed_only=False),
        mean_of_cells(after_cells, revealed_only=False),
        sum(c.rated for c in before_cells),
        sum(c.rated for c in after_cells),
    )
    # The gap over boxes both groups rated on both sides.
    grouped = [(b, a) for b, a in rated if b.cell.split.gap is not None and a.cell.split.gap is not None]
    split_before, lived_before, staff_before = _split_of([b for b, _ in grouped])
    split_after, lived_after, staff_after = _split_of([a for _, a in grouped])
    gap = GapChange(split_before.gap, split_after.gap, lived_before, staff_before, lived_after, staff_after)
    return LineChange(key, title, mean, gap)


# --- placement, readiness, canvas -----------------------------------------------------------


@dataclass(frozen=True)
class PlacementChange:
    """Where the ratings place the work on the ladder, then and now, and what the group agreed."""

    before: Classification | None
    after: Classification | None
    agreed_before: str  # rung keys the room agreed on, or ""
    agreed_after: str

    @property
    def rungs(self) -> int | None:
        """Rungs climbed (negative: down); None when either side is not placed."""
        if self.before is None or self.after is None:
            return None
        return self.after.height - self.before.height

    @property
    def text(self) -> str:
        if self.before is None or self.after is None:
            return _("not placed on both sides")
        rungs = self.after.height - self.before.height
        if rungs == 0:
            return _("= still {rung}").format(rung=_(self.after.name))
        if rungs > 0:
            said = ngettext(
                "▲ {n} rung up: {before} to {after}", "▲ {n} rungs up: {before} to {after}", rungs
            )
        else:
            said = ngettext(
                "▼ {n} rung down: {before} to {after}", "▼ {n} rungs down: {before} to {after}", -rungs
            )
        return said.format(n=abs(rungs), before=_(self.before.name), after=_(self.after.name))

    def reversed(self) -> PlacementChange:
        return PlacementChange(self.after, self.before, self.agreed_after, self.agreed_before)


@dataclass(frozen=True)
class ReadinessChange:
    key: str
    title: str
    before: Condition
    after: Condition
    mean: MeanChange

    def reversed(self) -> ReadinessChange:
        return ReadinessChange(self.key, self.title, self.after, self.before, self.mean.reversed())


@dataclass(frozen=True)
class CardChange:
    """Where a card sat "now" in each session, and whether it came nearer to the aim.

    The aim is the earlier session's aspiration for the card (what the room said it
    wanted), or the later one's if the earlier had none. Distances are canvas units
    (the canvas is 1000 across); a move under half a grid step counts as no move.
    """

    card_id: str
    text: str
    before_at: tuple[float, float] | None
    after_at: tuple[float, float] | None
    aim: tuple[float, float] | None
    zone_before: str  # zone names on the later session's background, or ""
    zone_after: str

    @property
    def distance_before(self) -> float | None:
        return _distance(self.before_at, self.aim)

    @property
    def distance_after(self) -> float | None:
        return _distance(self.after_at, self.aim)

    @property
    def moved(self) -> float | None:
        return _distance(self.before_at, self.after_at)

    @property
    def towards(self) -> float | None:
        """How much nearer the aim the card came (negative: further away); None without an aim."""
        before, after = self.distance_before, self.distance_after
        if before is None or after is None:
            return None
        return before - after

    @property
    def direction(self) -> str:
        """towards, away, still, reached (now at the aim), no_aim or not_placed."""
        if self.before_at is None or self.after_at is None:
            return "not_placed"
        towards = self.towards
        if towards is None:
            return "no_aim"
        if abs(towards) < STILL:
            return "still"
        if towards > 0:
            after = self.distance_after
            return "reached" if after is not None and after < STILL else "towards"
        return "away"

    @property
    def text_of_move(self) -> str:
        words = {
            "towards": N_("▲ nearer its aim"),
            "reached": N_("▲ at its aim"),
            "away": N_("▼ further from its aim"),
            "still": N_("= has not moved"),
            "no_aim": N_("no aim was set"),
            "not_placed": N_("not on the canvas on both sides"),
        }
        return _(words[self.direction])

    def reversed(self) -> CardChange:
        return CardChange(
            self.card_id,
            self.text,
            self.after_at,
            self.before_at,
            self.aim,
            self.zone_after,
            self.zone_before,
        )


def _distance(one: tuple[float, float] | None, two: tuple[float, float] | None) -> float | None:
    if one is None or two is None:
        return None
    return math.hypot(two[0] - one[0], two[1] - one[1])


def _zone_name(zone: Zone | None) -> str:
    return zone.name if zone is not None else ""


def _match_cards(
    before: Sequence[Card], after: Sequence[Card]
) -> tuple[list[tuple[Card, Card]], list[Card], list[Card]]:
    """Cards are matched by id (a follow-up keeps them), then by the same kind and text."""
    old = {card.id: card for card in before}
    pairs: list[tuple[Card, Card]] = []
    left_after: list[Card] = []
    for card in after:
        match = old.pop(card.id, None)
        if match is not None:
            pairs.append((match, card))
        else:
            left_after.append(card)
    by_text: dict[tuple[str, str], list[Card]] = {}
    for card in before:
        if card.id in old:
            by_text.setdefault((card.kind.value, " ".join(card.text.split()).casefold()), []).append(card)
    added: list[Card] = []
    for card in left_after:
        found = by_text.get((card.kind.value, " ".join(card.text.split()).casefold()))
        if found:
            match = found.pop(0)
            del old[match.id]
            pairs.append((match, card))
        else:
            added.append(card)
    removed = [card for card in before if card.id in old]
    return pairs, removed, added


# --- the whole comparison -------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """Everything that changed from `before` to `after`."""

    before_title: str
    before_date: str
    after_title: str
    after_date: str
    follows: bool  # the later session names the earlier as the one it follows
    items: tuple[ItemChanges, ...]  # steps, criteria, stages, scenarios, readiness conditions
    cells: tuple[CellChange, ...]  # matched boxes, row by row in the later session's order
    criteria: tuple[LineChange, ...]
    stages: tuple[LineChange, ...]
    whole: LineChange
    placement: PlacementChange
    readiness: tuple[ReadinessChange, ...]
    verdict_before: Verdict
    verdict_after: Verdict
    headline_before: str
    headline_after: str
    cards: tuple[CardChange, ...]
    cards_added: tuple[str, ...]
    cards_removed: tuple[str, ...]

    @property
    def item_sentences(self) -> list[str]:
        said = [s for changes in self.items for s in changes.sentences()]
        if self.cards_added:
            said.append(_("New on the canvas: {cards}.").format(cards=_listed(self.cards_added)))
        if self.cards_removed:
            said.append(_("No longer on the canvas: {cards}.").format(cards=_listed(self.cards_removed)))
        return said

    def reversed(self) -> Comparison:
        """The same comparison read the other way (after to before)."""
        return Comparison(
            self.after_title,
            self.after_date,
            self.before_title,
            self.before_date,
            False,
            tuple(i.reversed() for i in self.items),
            tuple(c.reversed() for c in self.cells),
            tuple(c.reversed() for c in self.criteria),
            tuple(s.reversed() for s in self.stages),
            self.whole.reversed(),
            self.placement.reversed(),
            tuple(r.reversed() for r in self.readiness),
            self.verdict_after,
            self.verdict_before,
            self.headline_after,
            self.headline_before,
            tuple(c.reversed() for c in self.cards),
            self.cards_removed,
            self.cards_added,
        )


def _follows(later: Session, earlier: Session) -> bool:
    return bool(earlier.info.session_key) and later.info.follows == earlier.info.session_key


def check_comparable(before: Session, after: Session, names: tuple[str, str] | None = None) -> None:
    """Raise WorkshopMismatchError, one sentence naming what differs, unless the two are runs
    of one workshop: one follows the other, or their matrices share a row and a column."""
    first, second = names or (f"‘{before.info.title}’", f"‘{after.info.title}’")
    points_before, points_after = len(before.matrix.scale), len(after.matrix.scale)
    if points_before != points_after:
        raise WorkshopMismatchError(
            _(
                "{first} rates the matrix on {points_before} points and {second} on {points_after}, "
                "so their ratings cannot be set side by side."
            ).format(first=first, second=second, points_before=points_before, points_after=points_after)
        )
    if _follows(after, before) or _follows(before, after):
        return
    rows = match_by_key(before.criteria, after.criteria).pairs
    columns = match_by_key(before.stages, after.stages).pairs
    if rows and columns:
        return
    if before.info.template != after.info.template:
        raise WorkshopMismatchError(
            _(
                "{first} and {second} are not runs of one workshop: {first} was made from the template "
                "‘{template_first}’ and {second} from ‘{template_second}’, and their matrices "
                "share no row and column."
            ).format(
                first=first,
                second=second,
                template_first=before.info.template,
                template_second=after.info.template,
            )
        )
    if not rows:
        said = _("{first} and {second} cannot be compared: their matrices have no row (criterion) in common.")
    else:
        said = _("{first} and {second} cannot be compared: their matrices have no column (stage) in common.")
    raise WorkshopMismatchError(said.format(first=first, second=second))


def compare(
    before: Session,
    after: Session,
    *,
    revealed_only: bool = True,
    names: tuple[str, str] | None = None,
) -> Comparison:
    """What changed from `before` to `after`. Only revealed boxes count unless `revealed_only`
    is False, as on every other screen. Raises WorkshopMismatchError for two unrelated sessions."""
    check_comparable(before, after, names)
    rows = match_by_key(before.criteria, after.criteria)
    columns = match_by_key(before.stages, after.stages)
    results_before, results_after = matrix_results(before), matrix_results(after)
    row_of = (
        {c.id: i for i, c in enumerate(results_before.criteria)},
        {c.id: i for i, c in enumerate(results_after.criteria)},
    )
    column_of = (
        {s.id: i for i, s in enumerate(results_before.stages)},
        {s.id: i for i, s in enumerate(results_after.stages)},
    )

    grid: dict[tuple[str, str], tuple[_Side, _Side]] = {}
    cells: list[CellChange] = []
    for crit_b, crit_a in rows.pairs:
        for stage_b, stage_a in columns.pairs:
            cell_b = results_before.cell(row_of[0][crit_b.id], column_of[0][stage_b.id])
            cell_a = results_after.cell(row_of[1][crit_a.id], column_of[1][stage_a.id])
            side_b, side_a = _side(cell_b, revealed_only), _side(cell_a, revealed_only)
            grid[(crit_a.key, stage_a.key)] = (side_b, side_a)
            # A box shows each side's average even when the other side has none.
            mean = MeanChange(
                cell_b.mean if side_b.counted else None,
                cell_a.mean if side_a.counted else None,
                cell_b.rated if side_b.counted else 0,
                cell_a.rated if side_a.counted else 0,
            )
            gap = _line("", "", [(side_b, side_a)]).gap
            cells.append(CellChange(crit_a.key, stage_a.key, crit_a.title, stage_a.title, mean, gap))
    criteria = tuple(
        _line(c.key, c.title, [grid[(c.key, s.key)] for _, s in columns.pairs]) for _, c in rows.pairs
    )
    stages = tuple(
        _line(s.key, s.title, [grid[(c.key, s.key)] for _, c in rows.pairs]) for _, s in columns.pairs
    )
    whole = _line("", _("The whole matrix"), list(grid.values()))

    placement = PlacementChange(
        classify_results(results_before, revealed_only=revealed_only),
        classify_results(results_after, revealed_only=revealed_only),
        before.matrix.agreed_rung,
        after.matrix.agreed_rung,
    )

    conditions = match_by_key(before.readiness_items, after.readiness_items)
    readiness = []
    for item_b, item_a in conditions.pairs:
        cond_b, cond_a = condition(before, item_b), condition(after, item_a)
        readiness.append(
            ReadinessChange(
                item_a.key,
                item_a.title,
                cond_b,
                cond_a,
                MeanChange(cond_b.mean, cond_a.mean, cond_b.votes, cond_a.votes),
            )
        )
    rec_b, rec_a = recommend(before), recommend(after)

    background = after.canvas.background
    card_pairs, cards_removed, cards_added = _match_cards(before.cards, after.cards)
    cards = []
    for card_b, card_a in card_pairs:
        at_b, at_a = position(card_b, Layer.NOW), position(card_a, Layer.NOW)
        aim = position(card_b, Layer.ASPIRATION) or position(card_a, Layer.ASPIRATION)
        cards.append(
            CardChange(
                card_a.id,
                " ".join(card_a.text.split()),
                at_b,
                at_a,
                aim,
                _zone_name(zone_of(background, *at_b)) if at_b else "",
                _zone_name(zone_of(background, *at_a)) if at_a else "",
            )
        )

    items = (
        _item_changes("step", match_by_key(before.steps, after.steps)),
        _item_changes("criterion", rows),
        _item_changes("stage", columns),
        _item_changes("scenario", match_by_key(before.scenarios, after.scenarios)),
        _item_changes("readiness condition", conditions),
    )
    follows = _follows(after, before)
    return Comparison(
        before_title=before.info.title,
        before_date=before.info.date,
        after_title=after.info.title,
        after_date=after.info.date,
        follows=follows,
        items=items,
        cells=tuple(cells),
        criteria=criteria,
        stages=stages,
        whole=whole,
        placement=placement,
        readiness=tuple(readiness),
        verdict_before=rec_b.verdict,
        verdict_after=rec_a.verdict,
        headline_before=rec_b.headline,
        headline_after=rec_a.headline,
        cards=tuple(cards),
        cards_added=tuple(" ".join(c.text.split()) for c in cards_added),
        cards_removed=tuple(" ".join(c.text.split()) for c in cards_removed),
    )
