"""The ladder of co-production (after Think Local Act Personal), bottom to top."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rung:
    key: str
    name: str
    summary: str


LADDER: tuple[Rung, ...] = (
    Rung("coercion", "Coercion", "People attend, but have no say at all."),
    Rung("educating", "Educating", "People are helped to understand what has been decided."),
    Rung("informing", "Informing", "People are told what is happening and why."),
    Rung("consultation", "Consultation", "People are asked for views that may or may not count."),
    Rung("engagement", "Engagement", "People have more say, but others keep the decisions."),
    Rung("co-design", "Co-design", "People help shape the design, but not its delivery."),
    Rung("co-production", "Co-production", "Equal partners from planning through to delivery."),
)

RUNG_BY_KEY = {rung.key: rung for rung in LADDER}


def rung_index(key: str) -> int:
    """Height of a rung, 0 at the bottom; -1 when the key is not on the ladder."""
    for index, rung in enumerate(LADDER):
        if rung.key == key:
            return index
    return -1
