"""The workshop's own words in a second language, for a room that reads two.

A session holds its workshop in one language (its steps, definitions, scenarios,
criteria, stages and conditions). Where the template it came from has a translation,
the same items are found there by their stable keys, and the room's view can show
both, one under the other.

Only words the facilitator has not changed are paired: a step whose text was edited
after the session was made says something its template's translation does not, so it
gets no second text rather than a wrong one. The comparison is per field: a scenario
whose story was rewritten can still show its title in both languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .model import Criterion, Entity, ReadinessItem, Scenario, Session, Stage, Step, Term

__all__ = ["TEXT_FIELDS", "SecondText", "second_text"]

# The fields of each kind that the room reads, and that a translation can pair.
TEXT_FIELDS: dict[type[Entity], tuple[str, ...]] = {
    Step: ("title", "body"),
    Term: ("name", "what", "what_not", "differs", "example"),
    Scenario: ("title", "text", "explanation"),
    Criterion: ("title", "description"),
    Stage: ("title", "description"),
    ReadinessItem: ("title", "description"),
}


@dataclass(frozen=True)
class SecondText:
    """The second language's words for the items of one session, by what the session calls them."""

    EMPTY: ClassVar[Mapping[str, str]] = {}

    language: str
    # (kind, the item's id in the session; a term's key) -> field -> the second language's text
    words: Mapping[tuple[str, str], Mapping[str, str]] = field(default_factory=dict)

    def of(self, item: Entity, name: str) -> str:
        """The second language's text of one field of `item`, or "" where there is none."""
        return self.words.get((item.KIND, _ident(item)), self.EMPTY).get(name, "")

    def __len__(self) -> int:
        return sum(len(fields) for fields in self.words.values())


def _ident(item: Entity) -> str:
    value = getattr(item, "id", None) or getattr(item, "key", "")
    return str(value)


def _stable_key(item: Entity) -> str:
    return str(getattr(item, "key", "") or "")


def second_text(session: Session, original: Session, translation: Session, language: str) -> SecondText:
    """Pair `session`'s unedited words with `translation`'s, through `original`.

    `original` is the template the session was made from, in the session's language;
    `translation` is the same template in `language`. Items are matched by stable key;
    a field is paired only where the session still says what `original` says.
    """
    words: dict[tuple[str, str], dict[str, str]] = {}
    for cls, names in TEXT_FIELDS.items():
        before = _by_key(original, cls)
        after = _by_key(translation, cls)
        for item in session.items(cls):
            key = _stable_key(item)
            if not key or key not in before or key not in after:
                continue
            paired = {
                name: str(getattr(after[key], name))
                for name in names
                if getattr(item, name) == getattr(before[key], name) and getattr(after[key], name)
            }
            if paired:
                words[(item.KIND, _ident(item))] = paired
    return SecondText(language=language, words=words)


def _by_key(session: Session, cls: type[Entity]) -> dict[str, Any]:
    return {key: item for item in session.items(cls) if (key := _stable_key(item))}
