"""The ladder of co-production (after Think Local Act Personal), bottom to top."""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import N_


@dataclass(frozen=True)
class Rung:
    """A rung; its name and summary are in English, marked for the catalogue (translate with `_`)."""

    key: str
    name: str
    summary: str


LADDER: tuple[Rung, ...] = (
    Rung("coercion", N_("Coercion"), N_("People attend, but have no say at all.")),
    Rung("educating", N_("Educating"), N_("People are helped to understand what has been decided.")),
    Rung("informing", N_("Informing"), N_("People are told what is happening and why.")),
    Rung("consultation", N_("Consultation"), N_("People are asked for views that may or may not count.")),
    Rung("engagement", N_("Engagement"), N_("People have more say, but others keep the decisions.")),
    Rung("co-design", N_("Co-design"), N_("People help shape the design, but not its delivery.")),
    Rung("co-production", N_("Co-production"), N_("Equal partners from planning through to delivery.")),
)

RUNG_BY_KEY = {rung.key: rung for rung in LADDER}


def rung_index(key: str) -> int:
    """Height of a rung, 0 at the bottom; -1 when the key is not on the ladder."""
    for index, rung in enumerate(LADDER):
        if rung.key == key:
            return index
    return -1
