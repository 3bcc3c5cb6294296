"""The app's one translation layer: gettext catalogues, no Qt, usable from any layer.

    from coprod_desktop.domain.i18n import _, ngettext, using

    with using("cy"):                  # the handout of a Welsh session
        title = _("Workshop summary")  # "Crynodeb o'r gweithdy"
        people = ngettext("{n} person took part.", "{n} people took part.", 7).format(n=7)

Catalogues live in resources/locale/<lang>/LC_MESSAGES/<area>.mo, compiled from the
.po files beside them by `python3 dev.py translations` (Babel, a development tool
only). Each area of the code has its own catalogue (AREAS: the handout and domain,
the screens, the phone page, follow-ups), so translators and engineers working on
different parts never edit the same file; a language's catalogues are chained, the
first that knows a string wins. English is the source language: with no catalogue, the text is returned as
written. Plural forms come from each catalogue's header, so Welsh gets its six.

The language is held in a context variable, so the report a worker thread builds in
Welsh does not switch the app's own screens, and two reports can be built at once.

Numbers, dates and lists are formatted here too (`number`, `long_date`, `join`),
from patterns and month names that are themselves in the catalogue. Babel's locale
data would do this for every language, but it is some 30 MB at run time for the
handful of patterns the report prints, so Babel stays a development tool.

Strings are marked `_()` where they are used; `N_()` marks a string for extraction
that is translated later (a constant of a module), and `pgettext` gives a string
a context where the same English has two meanings ("May" the month).
"""

from __future__ import annotations

import contextlib
import datetime
import gettext as _gettext
import importlib.util
import threading
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Final

__all__ = [
    "DEFAULT",
    "N_",
    "SOURCE",
    "_",
    "available",
    "current",
    "join",
    "long_date",
    "name_of",
    "ngettext",
    "normalise",
    "number",
    "pgettext",
    "resources_folder",
    "right_to_left",
    "set_language",
    "translations",
    "using",
]

SOURCE: Final = "en"  # the language the strings are written in
DEFAULT: Final = "en-GB"
DOMAIN: Final = "coprod"
# The catalogue of each area, in the order they are asked; tools/translations.py says
# which source files feed which area.
AREAS: Final = (DOMAIN, "ui", "phone", "followups")

# The languages the app offers, by their own name. A language is offered once its
# catalogue exists; English needs none.
NAMES: Final[dict[str, str]] = {
    "en": "English",
    "cy": "Cymraeg",
    "ar": "العربية",
    "ur": "اردو",
}

_language: ContextVar[str] = ContextVar("coprod_language", default=DEFAULT)
_lock = threading.Lock()
_cache: dict[str, _gettext.NullTranslations] = {}


@cache
def resources_folder() -> Path | None:
    """The app's resources folder: resources/ is installed as the package
    coprod_desktop.resources (pyproject.toml), and its spec says where it is for a wheel, an
    editable install and a bundled build alike, without importing importlib.resources at
    start-up. None where it is missing."""
    spec = importlib.util.find_spec("coprod_desktop.resources")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    return Path(locations[0]) if locations else None


def _resources() -> Path:
    return resources_folder() or Path(__file__).parent.parent / "resources"


def normalise(tag: str) -> str:
    """A language tag in the form we store and print ("cy", "en-GB"); "cy_GB.UTF-8" -> "cy-GB"."""
    text = (tag or "").strip().split(".")[0].split("@")[0].replace("_", "-")
    if not text or text in ("C", "POSIX"):
        return DEFAULT
    parts = text.split("-")
    return "-".join([parts[0].lower(), *(part.upper() if len(part) == 2 else part for part in parts[1:])])


def _base(tag: str) -> str:
    return normalise(tag).split("-")[0]


def translations(tag: str) -> _gettext.NullTranslations:
    """The catalogue for `tag` (its base language), or none for English and unknown languages."""
    # Every _() asks this; a tag seen before is one look-up (tags and bases share the cache,
    # each tag mapping to its base's catalogue).
    found = _cache.get(tag)
    if found is not None:
        return found
    base = _base(tag)
    found = _cache.get(base)
    if found is not None:
        _cache[tag] = found
        return found
    with _lock:
        found = _cache.get(base)
        if found is None:
            found = _gettext.NullTranslations()
            if base != SOURCE:
                folder = _resources().joinpath("locale", base, "LC_MESSAGES")
                chain: list[_gettext.NullTranslations] = []
                for area in AREAS:
                    node = folder.joinpath(f"{area}.mo")
                    if node.is_file():
                        with node.open("rb") as stream:
                            chain.append(_gettext.GNUTranslations(stream))
                if chain:
                    found = chain[0]
                    for more in chain[1:]:
                        found.add_fallback(more)
            _cache[base] = found
        _cache[tag] = found
    return found


def available() -> list[str]:
    """The languages with a catalogue, English first."""
    root = _resources().joinpath("locale")
    found = [SOURCE]
    if root.is_dir():
        for child in sorted(root.iterdir(), key=lambda node: node.name):
            if any(child.joinpath("LC_MESSAGES", f"{area}.mo").is_file() for area in AREAS):
                found.append(child.name)
    return found


def name_of(tag: str) -> str:
    """A language's name in that language ("Cymraeg"), or its tag."""
    return NAMES.get(_base(tag), tag)


# Languages written right to left: their screens mirror and their handouts read from the right.
RIGHT_TO_LEFT: Final = frozenset({"ar", "ur", "fa", "he", "ps", "sd", "ug", "yi"})


def right_to_left(tag: str | None = None) -> bool:
    """Whether a language (the current one when None) is written right to left."""
    return _base(current() if tag is None else tag) in RIGHT_TO_LEFT


def current() -> str:
    return _language.get()


def set_language(tag: str) -> None:
    """Set the language of this thread's context (the app's own language at start-up)."""
    _language.set(normalise(tag))


@contextlib.contextmanager
def using(tag: str | None) -> Iterator[str]:
    """Translate into `tag` inside the block (None: leave the language as it is)."""
    if tag is None:
        yield current()
        return
    token = _language.set(normalise(tag))
    try:
        yield current()
    finally:
        _language.reset(token)


def _(message: str) -> str:
    return translations(current()).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark `message` for extraction only; translate it with `_` where it is shown."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations(current()).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    return translations(current()).pgettext(context, message)


MONTHS: Final = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)


def long_date(day: datetime.date) -> str:
    """ "19 November 2026", "19 Tachwedd 2026"."""
    month = _(MONTHS[day.month - 1])
    # Translators: the order of day, month and year in a written-out date.
    return _("{day} {month} {year}").format(day=day.day, month=month, year=day.year)


def number(value: float, digits: int = 1) -> str:
    """A number with `digits` decimals and the language's decimal mark."""
    text = f"{value:.{digits}f}"
    # Translators: the decimal mark, "." in English and Welsh, "," in many languages.
    mark = pgettext("decimal mark", ".")
    return text.replace(".", mark) if mark != "." else text


def join(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c" in the language's own way."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    # Translators: the last two items of a list.
    last = _("{first} and {last}").format(first=items[-2], last=items[-1])
    # Translators: the separator between the earlier items of a list.
    return pgettext("list separator", ", ").join([*items[:-2], last])
