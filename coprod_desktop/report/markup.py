"""Making user text safe for reportlab's paragraph markup, and names safe to share.

reportlab's `Paragraph` reads a small XML-like markup (``<b>``, ``<font>``,
entities). A facilitator's text is not markup: whatever they typed must print
exactly as typed, so every piece of user text passes through `esc` before it
is put inside a paragraph. Our own markup is added around the escaped text.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from ..domain.i18n import N_, _, long_date, right_to_left
from ..domain.model import Participant
from .shaping import has_rtl, levels

__all__ = ["NameRedactor", "clean", "esc", "esc_lines", "escape", "format_date", "plural"]


def escape(text: str) -> str:
    """`&`, `<` and `>` as entities, as `xml.sax.saxutils.escape` does (whose import brings
    urllib, http, email and ssl with it: a twentieth of a command-line export)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

# domain.model keeps the role labels in English (they are also the CSV's words); the
# report translates them, so they are marked for the catalogue here.
ROLE_LABELS = (
    N_("Uses services"),
    N_("Carer or family"),
    N_("Community member"),
    N_("Frontline staff"),
    N_("Manager or commissioner"),
    N_("Researcher"),
    N_("Other"),
)

# C0 and C1 control characters other than tab and newline: they have no glyph, and
# some of them (NUL) upset PDF text extraction and reportlab's markup parser.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: str) -> str:
    """User text with line ends made uniform and unprintable characters removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    text = _CONTROL.sub("", text)
    # A lone surrogate (from a broken paste) cannot be encoded at all; show a replacement mark.
    return _SURROGATE.sub("\ufffd", text)


def bind_rtl(text: str) -> str:
    """`text` with the spaces inside each right-to-left phrase made no-break.

    reportlab breaks lines and orders a line's words left to right; a phrase like
    an Arabic or Hebrew name must keep its words together, right to left, so it
    becomes one word that report/shaping.py orders and shapes as a whole.
    """
    if not has_rtl(text):
        return text
    # In a handout read from the right (its paragraphs laid out word by word from the
    # right), it is the left-to-right phrases that must stay whole instead.
    base = 1 if right_to_left() else 0
    resolved = levels(text, base_rtl=bool(base))
    bound = [
        "\u00a0" if char == " " and (level != base if base else level % 2) else char
        for char, level in zip(text, resolved, strict=True)
    ]
    if base:
        # Where a word changes direction ("(Told or asked)." ending an Arabic sentence), a
        # right-to-left mark says so: report/shaping.py orders each word on its own. A bracket
        # keeps to what it holds, and a {placeholder} is left as it is.
        marks: set[int] = set()
        for index in range(1, len(text)):
            pair = text[index - 1 : index + 1]
            if resolved[index] % 2 == resolved[index - 1] % 2 or " " in pair or pair[0] in "([{«":
                continue
            while index < len(text) and text[index] in ")]}»":
                index += 1
            if index < len(text) and text[index] != " ":
                marks.add(index)
        bound = [("\u200f" if index in marks else "") + char for index, char in enumerate(bound)]
    return "".join(bound)


def esc(text: str) -> str:
    """`text` escaped for paragraph markup; line breaks become spaces."""
    return escape(bind_rtl(clean(text).replace("\n", " ")))


def esc_lines(text: str) -> str:
    """`text` escaped for paragraph markup, keeping the writer's line breaks."""
    lines = clean(text).strip("\n").split("\n")
    return "<br/>".join(escape(bind_rtl(line)) for line in lines)


def format_date(text: str) -> str:
    """An ISO day written out in words in the report's language ("19 November 2026"); else as typed."""
    stripped = text.strip()
    try:
        day = datetime.date.fromisoformat(stripped)
    except ValueError:
        return stripped
    return long_date(day)


def plural(count: int, one: str, many: str | None = None) -> str:
    """ "1 vote", "3 votes": English only, for words that are not in the catalogue.

    Report text uses `ngettext` with a whole sentence instead, which every language can
    translate with its own plural forms.
    """
    word = one if count == 1 else (many if many is not None else one + "s")
    return f"{count} {word}"


class NameRedactor:
    """Replaces participants' names in free text with their role, for an anonymous report.

    Full names are always replaced. A first name (the first word of a full name)
    is replaced too when it has three letters or more, since "Aroha will ask the
    board" identifies Aroha as surely as her full name does. Matching is whole
    word and case-sensitive, so ordinary words are left alone. A name typed in
    some other spelling cannot be found: the facilitator should still read an
    anonymous report before handing it out.
    """

    def __init__(self, participants: Iterable[Participant], enabled: bool) -> None:
        self._replacement: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None
        if not enabled:
            return
        first_names: dict[str, set[str]] = {}
        for person in participants:
            full = clean(person.name).strip()
            if not full:
                continue
            self._replacement[full] = f"[{_(person.role.label).lower()}]"
            words = full.split()
            if len(words) > 1 and len(words[0]) >= 3:
                first_names.setdefault(words[0], set()).add(_(person.role.label).lower())
        for first, roles in first_names.items():
            if first not in self._replacement:
                self._replacement[first] = f"[{roles.pop()}]" if len(roles) == 1 else _("[a participant]")
        if self._replacement:
            names = sorted(self._replacement, key=len, reverse=True)  # longest first: full before first
            self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")

    @property
    def enabled(self) -> bool:
        return self._pattern is not None

    def __call__(self, text: str) -> str:
        if self._pattern is None or not text:
            return text
        return self._pattern.sub(lambda match: self._replacement[match.group(0)], text)
