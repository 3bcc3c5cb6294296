"""Results of the "Which is it?" scenarios: how the room voted, and the answer."""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import _, ngettext
from .model import Reveal, Scenario, Session, Term
from .voting import scenario_question, tally


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    counts: tuple[tuple[str, int], ...]  # (term key, votes) for every term, in the terms' order
    revealed: bool

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counts)

    @property
    def correct(self) -> int:
        return dict(self.counts).get(self.scenario.answer, 0)

    @property
    def share_correct(self) -> float | None:
        return self.correct / self.total if self.total else None

    @property
    def leading(self) -> tuple[str, ...]:
        """The term keys with the most votes (several when tied; none without votes)."""
        top = max((count for _, count in self.counts), default=0)
        return tuple(key for key, count in self.counts if count == top and top > 0)


def scenario_result(session: Session, scenario: Scenario) -> ScenarioResult:
    question = scenario_question(scenario.id)
    counted = tally(session, question)
    keys = [term.key for term in session.items(Term)]
    extra = sorted(set(counted) - set(keys))  # votes for a term since removed still count
    counts = tuple((key, counted.get(key, 0)) for key in keys + extra)
    return ScenarioResult(scenario, counts, session.get(Reveal, question) is not None)


def term_name(session: Session, key: str) -> str:
    term = session.get(Term, key)
    return term.name if term is not None else key


@dataclass(frozen=True)
class ScenarioScore:
    """How often the room found the right word, over the stories whose results were shown.

    Only revealed stories count, as everywhere results are shown: the laptop, the projector
    and the PDF print the same figures, and a hidden story's votes stay hidden."""

    results: tuple[ScenarioResult, ...]  # the revealed stories with an answer and votes
    hidden: int  # stories with votes whose results were not revealed yet

    @property
    def right(self) -> int:
        return sum(result.correct for result in self.results)

    @property
    def total(self) -> int:
        return sum(result.total for result in self.results)

    @property
    def text(self) -> str:
        """ "30 of 36 votes found the right word.", with the stories still hidden."""
        if not self.results:
            text = _("No story's result has been revealed yet.")
        else:
            text = ngettext(
                "{right} of {n} vote found the right word.",
                "{right} of {n} votes found the right word.",
                self.total,
            ).format(right=self.right, n=self.total)
        if self.hidden:
            hidden = ngettext(
                "{n} story is not revealed yet.", "{n} stories are not revealed yet.", self.hidden
            ).format(n=self.hidden)
            text = f"{text} {hidden}"
        return text


def scenario_score(session: Session) -> ScenarioScore:
    results = [scenario_result(session, scenario) for scenario in session.scenarios]
    shown = tuple(r for r in results if r.revealed and r.total and r.scenario.answer)
    hidden = sum(1 for r in results if r.total and not r.revealed)
    return ScenarioScore(shown, hidden)
