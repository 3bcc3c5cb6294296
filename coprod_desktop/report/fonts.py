"""The report's typefaces: DejaVu Sans for the report's own words, and a fallback per script.

DejaVu Sans (shipped in resources/fonts, embedded in every PDF) covers Latin with
every diacritic, Greek, Cyrillic and the symbols the report draws (check marks,
arrows, shapes). A participant's name or note may be in any script, so each
character that DejaVu should not draw is given to a bundled font made for its
script (`face_for`):

    Noto Sans                      Latin, Greek, Cyrillic that DejaVu lacks
    Noto Sans Arabic, Noto Naskh   Arabic, Persian, Urdu (Naskh style)
    Noto Sans Hebrew, Devanagari, Bengali, Gurmukhi, Gujarati, Thai
    WenQuanYi Micro Hei            Chinese, Japanese kana, Korean Hangul (TrueType
                                   outlines, which reportlab can embed; Noto CJK is CFF)

A character no bundled font has (an emoji, a script we ship no font for) prints as
a visible placeholder (`PLACEHOLDER`, `MISSING`), never as nothing: see
report/shaping.py, which also shapes and orders the text.

reportlab embeds only the glyphs a document uses (a subset), so the PDFs stay
small. DejaVu's four faces are registered once per process, under a lock because
the app builds reports in a worker thread; a fallback font is read only the
first time a character needs it (the CJK font alone is 4.6 MB).
"""

from __future__ import annotations

import bisect
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import as_file
from typing import Any, Final

from ..domain.errors import KnownError
from ..domain.i18n import _
from ..storage.templates import resource

__all__ = [
    "BOLD",
    "BOLD_ITALIC",
    "FALLBACKS",
    "FAMILY",
    "FONT_FILES",
    "ITALIC",
    "MISSING",
    "PLACEHOLDER",
    "REGULAR",
    "FontError",
    "Fallback",
    "face_for",
    "font_file",
    "register_fonts",
]

FAMILY: Final = "CoprodSans"
REGULAR: Final = "CoprodSans"
BOLD: Final = "CoprodSans-Bold"
ITALIC: Final = "CoprodSans-Italic"
BOLD_ITALIC: Final = "CoprodSans-BoldItalic"

FONT_FILES: Final[dict[str, str]] = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}

# An emoji prints as a white square, anything else no font has as the replacement mark;
# both are in DejaVu Sans. The PDF's text still carries the original character.
PLACEHOLDER: Final = "\u25a1"
MISSING: Final = "\ufffd"


@dataclass(frozen=True)
class Fallback:
    """One fallback family: its registered names and files, regular and bold."""

    name: str
    regular: str
    bold: str | None  # None: the regular face serves for bold too

    def font_name(self, bold: bool) -> str:
        return f"Coprod{self.name}-Bold" if bold and self.bold else f"Coprod{self.name}"

    def files(self) -> dict[str, str]:
        found = {f"Coprod{self.name}": self.regular}
        if self.bold:
            found[f"Coprod{self.name}-Bold"] = self.bold
        return found


NOTO = Fallback("Noto", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf")
ARABIC = Fallback("Arabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf")
NASKH = Fallback("Naskh", "NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf")
HEBREW = Fallback("Hebrew", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf")
DEVANAGARI = Fallback("Devanagari", "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf")
BENGALI = Fallback("Bengali", "NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf")
GURMUKHI = Fallback("Gurmukhi", "NotoSansGurmukhi-Regular.ttf", "NotoSansGurmukhi-Bold.ttf")
GUJARATI = Fallback("Gujarati", "NotoSansGujarati-Regular.ttf", "NotoSansGujarati-Bold.ttf")
THAI = Fallback("Thai", "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf")
CJK = Fallback("CJK", "WenQuanYiMicroHei.ttf", None)

FALLBACKS: Final[tuple[Fallback, ...]] = (
    NOTO,
    ARABIC,
    NASKH,
    HEBREW,
    DEVANAGARI,
    BENGALI,
    GURMUKHI,
    GUJARATI,
    THAI,
    CJK,
)

# Scripts that DejaVu must not draw even where it has a glyph: they need a font made
# for shaping them (joining, conjuncts, marks), or DejaVu's forms would clash with the
# rest of the run. (start, end inclusive, families to try in order)
_SCRIPT_RANGES: Final[tuple[tuple[int, int, tuple[Fallback, ...]], ...]] = (
    (0x0590, 0x05FF, (HEBREW,)),
    (0x0600, 0x06FF, (ARABIC, NASKH)),
    (0x0750, 0x077F, (ARABIC, NASKH)),
    (0x0870, 0x08FF, (ARABIC, NASKH)),
    (0x0900, 0x097F, (DEVANAGARI,)),
    (0x0980, 0x09FF, (BENGALI,)),
    (0x0A00, 0x0A7F, (GURMUKHI,)),
    (0x0A80, 0x0AFF, (GUJARATI,)),
    (0x0E00, 0x0E7F, (THAI,)),
    (0x1100, 0x11FF, (CJK,)),
    (0x1CD0, 0x1CFF, (DEVANAGARI,)),  # Vedic extensions
    (0x2E80, 0x2FDF, (CJK,)),
    (0x3000, 0x303F, (CJK,)),  # CJK punctuation
    (0x3040, 0x30FF, (CJK,)),  # kana
    (0x3100, 0x31FF, (CJK,)),
    (0x3200, 0x33FF, (CJK,)),
    (0x3400, 0x4DBF, (CJK,)),
    (0x4E00, 0x9FFF, (CJK,)),
    (0xA8E0, 0xA8FF, (DEVANAGARI,)),
    (0xA960, 0xA97F, (CJK,)),
    (0xAC00, 0xD7FF, (CJK,)),  # Hangul
    (0xF900, 0xFAFF, (CJK,)),
    (0xFB1D, 0xFB4F, (HEBREW,)),
    (0xFB50, 0xFDFF, (ARABIC, NASKH)),
    (0xFE30, 0xFE4F, (CJK,)),
    (0xFE70, 0xFEFF, (ARABIC, NASKH)),
    (0xFF00, 0xFFEF, (CJK,)),  # full-width forms
    (0x20000, 0x2FFFF, (CJK,)),
)
_RANGE_STARTS: Final = [start for start, _, _ in _SCRIPT_RANGES]

_lock = threading.Lock()
_registered = False
_fallbacks_loaded: set[str] = set()


class FontError(KnownError):
    """The fonts shipped with the app are missing or damaged."""


def font_file(filename: str) -> Any:
    """The resource node of a bundled font file."""
    return resource("fonts", filename)


def _load(name: str, filename: str) -> None:
    from . import rlsetup  # noqa: F401 - before reportlab

    # isort: split
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError

    from .fontcache import load_font

    node = font_file(filename)
    if not node.is_file():
        raise FontError(
            _("The font file {file} is missing from the app's resources; reinstall the app.").format(
                file=filename
            )
        )
    try:
        # as_file gives a real path even from a zipped install; reportlab reads the
        # whole file while constructing the font, so the path may go away afterwards.
        with as_file(node) as path:
            font = load_font(name, str(path))
    except (OSError, TTFError) as exc:
        raise FontError(
            # Translators: {reason} is the system's own words for what went wrong.
            _("The font file {file} could not be read ({reason}); reinstall the app.").format(
                file=filename, reason=exc
            )
        ) from None
    pdfmetrics.registerFont(font)


def register_fonts() -> None:
    """Make the report's font family known to reportlab (once per process)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        from reportlab.pdfbase import pdfmetrics

        for name, filename in FONT_FILES.items():
            _load(name, filename)
        # <b> and <i> in paragraph markup pick the right face of the family.
        pdfmetrics.registerFontFamily(
            FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
        )
        from .shaping import install

        install()
        _registered = True


def _ensure(family: Fallback) -> None:
    """Read a fallback family's fonts the first time a character needs them."""
    if family.name in _fallbacks_loaded:
        return
    with _lock:
        if family.name in _fallbacks_loaded:
            return
        for name, filename in family.files().items():
            _load(name, filename)
        _fallbacks_loaded.add(family.name)


def _covers(font_name: str, char: str) -> bool:
    from reportlab.pdfbase import pdfmetrics

    return ord(char) in pdfmetrics.getFont(font_name).face.charToGlyph


def _script_families(code: int) -> tuple[Fallback, ...]:
    index = bisect.bisect_right(_RANGE_STARTS, code) - 1
    if index >= 0:
        start, end, families = _SCRIPT_RANGES[index]
        if start <= code <= end:
            return families
    return ()


def is_emoji(char: str) -> bool:
    """An emoji or pictograph that no bundled font draws (DejaVu's own symbols excepted)."""
    code = ord(char)
    return (
        0x1F000 <= code <= 0x1FAFF
        or 0x2600 <= code <= 0x27BF
        or 0x1F1E6 <= code <= 0x1F1FF
        or code in (0x200D, 0xFE0F, 0x20E3)
        or 0x1F3FB <= code <= 0x1F3FF
    )


@lru_cache(maxsize=8192)
def face_for(char: str, bold: bool = False, italic: bool = False) -> tuple[str, str]:
    """The registered font to draw `char` with, and the character to draw.

    The character is `char` itself, or `PLACEHOLDER` / `MISSING` (in DejaVu Sans)
    when no bundled font has it.
    """
    register_fonts()
    primary = (BOLD_ITALIC if italic else BOLD) if bold else (ITALIC if italic else REGULAR)
    code = ord(char)
    special = _script_families(code)
    if not special and _covers(primary, char):
        return primary, char
    for family in (*special, NOTO, CJK):
        _ensure(family)
        name = family.font_name(bold)
        if _covers(name, char):
            return name, char
    if not special and unicodedata.category(char) in ("Zs", "Cf", "Mn", "Me"):
        return primary, char
    return primary, (PLACEHOLDER if is_emoji(char) else MISSING)
