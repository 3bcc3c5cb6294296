"""Results of the "Which is it?" scenarios: how the room voted, and the answer."""

from __future__ import annotations

from dataclasses import dataclass

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
