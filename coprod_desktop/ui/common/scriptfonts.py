"""The app's own fonts for scripts the laptop may have no font for, so no name shows as boxes.

A facilitator's laptop may lack a font for a script someone in the room writes in: a plain
Debian or Ubuntu install has DejaVu, which covers Latin, Greek, Cyrillic, Arabic and Hebrew,
and nothing for Chinese, Japanese, Korean, Thai or the Indian scripts. Qt then draws a box for
each character, on the laptop and on the projector. The PDF already carries fonts for those
scripts (`resources/fonts`, `report/fonts.py`); here the same files are handed to Qt, which
falls back to them for any character the widget's own font lacks, as it does to the system's.

A session's own scripts are added when it is opened, before any of it is drawn, and those of
each edit's new words (a name from a phone, a card) as the edit is made; adding one costs about a millisecond
(the Chinese one, 4 MB, about five the first time). The rest follow in one go `LATER_MS` after
the first session is opened (`ensure_all_soon`), off the way to the first frame, so that a
name typed later in any of these scripts is drawn as it is typed. They must be there before
the script is first laid out: Qt 6.11 keeps a font's fallbacks from the first time it met a
script, and a font added after that is not used for that font until the app restarts.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase

from ...domain.model import BallotCast, BallotCount, Entity, Progress, Reveal, Session, Tally, Vote
from ...storage.templates import resource

# Each script DejaVu lacks, the blocks of characters in it (first, last), and the files drawing it.
SCRIPT_FONTS: tuple[tuple[str, tuple[tuple[int, int], ...], tuple[str, ...]], ...] = (
    (
        "Devanagari",
        ((0x0900, 0x097F), (0xA8E0, 0xA8FF)),
        ("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"),
    ),
    ("Bengali", ((0x0980, 0x09FF),), ("NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf")),
    ("Gurmukhi", ((0x0A00, 0x0A7F),), ("NotoSansGurmukhi-Regular.ttf", "NotoSansGurmukhi-Bold.ttf")),
    ("Gujarati", ((0x0A80, 0x0AFF),), ("NotoSansGujarati-Regular.ttf", "NotoSansGujarati-Bold.ttf")),
    ("Thai", ((0x0E00, 0x0E7F),), ("NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf")),
    (
        "Chinese, Japanese and Korean",
        (
            (0x1100, 0x11FF),
            (0x2E80, 0x2FDF),
            (0x3000, 0x303F),
            (0x3040, 0x30FF),
            (0x3100, 0x318F),
            (0x31F0, 0x31FF),
            (0x3400, 0x4DBF),
            (0x4E00, 0x9FFF),
            (0xAC00, 0xD7AF),
            (0xF900, 0xFAFF),
            (0xFF00, 0xFFEF),
        ),
        ("WenQuanYiMicroHei.ttf",),
    ),
)
# The blocks in order, for a binary search by character. Not a regular expression: compiling
# a character class this wide walks every character of it in Python, about 25 ms at start-up.
_BLOCKS = sorted(
    (first, last, number)
    for number, (_name, blocks, _files) in enumerate(SCRIPT_FONTS)
    for first, last in blocks
)
_FIRSTS = [first for first, _last, _number in _BLOCKS]
_LOWEST = _FIRSTS[0]
_added: dict[str, int] = {}  # file name -> Qt's id for it (-1: Qt could not read it)
LATER_MS = 300  # after the first session is opened: its first frame comes first
_all_asked = False

# Kinds whose rows carry no words of their own (ids, choices, counts, the step on show): never
# read, and an edit of only these (a vote, a step moved to) looks for no new script.
WORDLESS_KINDS = frozenset(cls.KIND for cls in (Vote, Tally, BallotCast, BallotCount, Reveal, Progress))


def texts_of(entities: Iterable[Entity]) -> Iterator[str]:
    """Every piece of text in `entities` a screen may show (names, cards, steps, notes...)."""
    for entity in entities:
        if entity.KIND in WORDLESS_KINDS:
            continue
        for value in vars(entity).values():
            if type(value) is str and value:
                yield value


def session_texts(session: Session) -> Iterator[str]:
    """`texts_of` every entity in `session`."""
    for kind, bucket in session.collections.items():
        if kind not in WORDLESS_KINDS:
            yield from texts_of(bucket.values())


def fonts_for(texts: Iterable[str]) -> list[str]:
    """The app's font files that draw a script found in `texts` (added or not)."""
    text = "\n".join(texts)
    if text.isascii():
        return []
    found: set[int] = set()
    for char in set(text):
        code = ord(char)
        if code < _LOWEST:
            continue
        at = bisect_right(_FIRSTS, code) - 1
        if at >= 0 and code <= _BLOCKS[at][1]:
            found.add(_BLOCKS[at][2])
    return [file for number in sorted(found) for file in SCRIPT_FONTS[number][2]]


def ensure_fonts_for(texts: Iterable[str]) -> list[str]:
    """Hand Qt the app's fonts for the scripts in `texts` it has not been given yet; returns
    the files added now. A file that is missing or unreadable is skipped: its script then
    shows as the system draws it, as before."""
    return _add(fonts_for(texts))


def ensure_all() -> list[str]:
    """Hand Qt every one of the app's script fonts not yet given (about 6 ms in all here)."""
    return _add([file for _name, _chars, files in SCRIPT_FONTS for file in files])


def _add(files: Iterable[str]) -> list[str]:
    added: list[str] = []
    for file in files:
        if file in _added:
            continue
        path = resource("fonts", file)
        _added[file] = QFontDatabase.addApplicationFont(str(path)) if path.is_file() else -1
        if _added[file] >= 0:
            added.append(file)
    return added


def ensure_all_soon() -> None:
    """`ensure_all` once in this run of the app, `LATER_MS` from now (a second call does nothing)."""
    global _all_asked
    if not _all_asked:
        _all_asked = True
        QTimer.singleShot(LATER_MS, ensure_all)


def added_fonts() -> dict[str, int]:
    """The files handed to Qt so far and Qt's id for each (-1: not readable)."""
    return dict(_added)
