"""The content of the report, section by section, as Platypus flowables.

Every piece of text a facilitator typed goes through `ReportContext.text`,
which replaces participants' names when the report is anonymous and escapes
the rest, so it prints exactly as typed. Our own words are written here as
markup directly.

Tables may split inside a row (`splitInRow`), so a very long cell continues on
the next page instead of stopping the build; long words are broken by
reportlab's `splitLongWords`, so nothing runs off the page.
"""

from __future__ import annotations

from .. import rlsetup  # noqa: F401 - first: it sets reportlab up before reportlab loads

# isort: split

from .base import Heading, ReportContext, Sheet
from .cover import build_story

__all__ = ["Heading", "ReportContext", "Sheet", "build_story"]
