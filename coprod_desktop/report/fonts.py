"""The report's typeface: DejaVu Sans, shipped in resources/fonts and embedded in every PDF.

reportlab's built-in fonts only know Latin-1, so a Polish, Greek, Cyrillic or
Vietnamese name would print as boxes. DejaVu Sans covers all of these (and
the symbols the report uses: check marks, arrows, shapes). reportlab embeds
only the glyphs a document uses (a subset), so the PDFs stay small.

Registration parses four font files, about a tenth of a second, so it happens
once per process, under a lock because the app builds reports in a worker thread.
"""

from __future__ import annotations

import threading
from importlib.resources import as_file
from typing import Final

from ..domain.errors import KnownError
from ..storage.templates import resource

__all__ = ["BOLD", "BOLD_ITALIC", "FAMILY", "FONT_FILES", "ITALIC", "REGULAR", "FontError", "register_fonts"]

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

_lock = threading.Lock()
_registered = False


class FontError(KnownError):
    """The fonts shipped with the app are missing or damaged."""


def register_fonts() -> None:
    """Make the report's font family known to reportlab (once per process)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFError, TTFont

        for name, filename in FONT_FILES.items():
            node = resource("fonts", filename)
            if not node.is_file():
                raise FontError(
                    f"The font file {filename} is missing from the app's resources; reinstall the app."
                )
            try:
                # as_file gives a real path even from a zipped install; reportlab reads the
                # whole file while constructing the font, so the path may go away afterwards.
                with as_file(node) as path:
                    font = TTFont(name, str(path))
            except (OSError, TTFError) as exc:
                raise FontError(
                    f"The font file {filename} could not be read ({exc}); reinstall the app."
                ) from None
            pdfmetrics.registerFont(font)
        # <b> and <i> in paragraph markup pick the right face of the family.
        pdfmetrics.registerFontFamily(
            FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
        )
        _registered = True
