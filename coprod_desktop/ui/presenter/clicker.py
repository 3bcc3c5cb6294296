"""What "next" and "previous" mean for the room, in one place.

A clicker has two buttons. Pressed on the projector's window or the
facilitator's, the same thing happens: the room's next page of the step on
show, then the next "Which is it?" story, then the next step. Coming back into
a step lands on its last story and page, as a slide deck does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...domain.model import Scenario, StepKind
from ..document import SessionDocument

if TYPE_CHECKING:
    from ..workshop.stepcontent import StepContentWidget

STORY_KEY = "scenario"  # the document focus the scenarios step shows (see ScenariosWidget)


class RoomClicker:
    def __init__(self, document: SessionDocument, room: Callable[[], StepContentWidget | None]) -> None:
        self.document = document
        self.room = room  # the room's view while presenting, else None (then there are no pages)

    def next(self) -> None:
        self.walk(+1)

    def previous(self) -> None:
        self.walk(-1)

    def walk(self, offset: int) -> None:
        content = self.room()
        if content is not None and content.turn_page(offset):
            return
        step = self.document.session.current_step
        if step is not None and step.kind is StepKind.SCENARIOS and self._walk_stories(offset):
            if offset < 0 and content is not None:
                content.show_last_page()
            return
        before = step.id if step is not None else ""
        if offset > 0:
            self.document.go_next()
        else:
            self.document.go_previous()
        arrived = self.document.session.current_step
        if arrived is None or arrived.id == before:
            return
        if arrived.kind is StepKind.SCENARIOS:
            stories = self.document.session.scenarios
            if stories:
                self.document.set_focus(STORY_KEY, (stories[0] if offset > 0 else stories[-1]).id)
        if offset < 0 and content is not None:
            content.show_last_page()

    def _walk_stories(self, offset: int) -> bool:
        stories = [s.id for s in self.document.session.scenarios]
        if not stories:
            return False
        chosen = self.document.session.get(Scenario, self.document.focus(STORY_KEY))
        at = stories.index(chosen.id) if chosen is not None else 0
        target = at + offset
        if not 0 <= target < len(stories):
            return False
        self.document.set_focus(STORY_KEY, stories[target])
        return True
