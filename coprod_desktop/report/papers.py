"""Which paper a user's printer takes: A4, or US Letter in much of the Americas.

Plain Python, so the app's dialog can ask without loading reportlab.
"""

from __future__ import annotations

import locale as _locale
import os
from typing import Literal

__all__ = ["LETTER_TERRITORIES", "Paper", "default_paper"]

Paper = Literal["a4", "letter"]

# Countries and territories whose printers take US Letter (the glibc LC_PAPER
# data agrees): the United States, Canada, Mexico, the Philippines and much of
# Central and South America. Everywhere else uses A4.
LETTER_TERRITORIES = frozenset(
    [
        "US",
        "CA",
        "MX",
        "PH",
        "PR",
        "CL",
        "CO",
        "CR",
        "DO",
        "GT",
        "NI",
        "PA",
        "SV",
        "VE",
        "BZ",
        "BS",
        "UM",
        "VI",
        "AS",
        "GU",
        "MP",
    ]
)


def default_paper(locale_name: str | None = None) -> Paper:
    """A4 or Letter, from a locale name such as "en_US.UTF-8", "fr-CA" or "pl_PL".

    With no name, the user's own locale: LC_ALL, LC_PAPER or LANG from the
    environment, then what Python reports. "C", "POSIX" and anything without a
    territory mean A4, the paper of most of the world.
    """
    if locale_name is None:
        locale_name = _user_locale()
    base = locale_name.split(".", 1)[0].split("@", 1)[0]
    parts = base.replace("-", "_").split("_")
    territory = parts[1].upper() if len(parts) > 1 else ""
    return "letter" if territory in LETTER_TERRITORIES else "a4"


def _user_locale() -> str:
    for variable in ("LC_ALL", "LC_PAPER", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return value
    try:
        found = _locale.getlocale()[0]
    except ValueError:
        found = None
    return found or ""
