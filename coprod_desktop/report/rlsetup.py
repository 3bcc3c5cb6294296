"""reportlab, set up for making reports quickly: imported before any other reportlab module.

Three of reportlab's defaults cost time and buy a report nothing:

- `shapeChecking` validates every attribute of every shape of a drawing as it is set (the
  canvas of 5,000 cards sets some 400,000); our drawings are made by our own code and tested.
- `useA85` writes every compressed stream (pages, embedded fonts) as ASCII base-85 text, which
  makes the file a quarter larger and costs a pure-Python pass over every byte. The streams are
  written as binary instead, as most PDF makers do; what they draw is the same.
- Importing `reportlab.platypus.paragraph` compiles a case-insensitive regular expression for
  web addresses over most of Unicode (30-50 ms, a tenth of a command-line export). It is used
  only to hyphenate web addresses (`uriWasteReduce`), which no style of ours asks for, so it is
  compiled the first time it is used instead (`_LazyPattern`); so are three more that its
  imports compile and no report uses (`_DEFERRED`, a few milliseconds of every export).

And some of its pure-Python stand-ins for its C accelerator (`rl_accel`, not installed with it)
are slower than they need be, run as they are for every number and every string of every page
(a handout of 5,000 cards writes some 800,000 numbers). Each replacement gives exactly what
reportlab's own gives (tests/report/test_speedups.py):

- `fp_str` writes a number with as many decimals as its size allows and trims the zeros a
  character at a time; `_fp_str` picks the decimals by comparing, and trims by `str.rstrip`;
- `escapePDF` escapes a string's bytes one by one through a dictionary; `_escape_pdf` lets
  `str.translate` do it;
- `instanceStringWidthTTF` (a string's width) adds its characters' widths through a generator;
  `_string_width_ttf` has `map` look them up;
- `TTFont.splitString` gives each character its code in the font's subset, one by one in
  Python; `_split_string` takes a string whose characters all have their codes already (nearly
  every string after the first page) in one step.

A text object writes a string as the font's subset codes (`PDFTextObject._formatText`); a
document writes the same strings again and again (a place on the canvas in every row of the
table of cards, the running header on every page), and a string's codes never change once
given, so `_format_text` keeps what it wrote, per document, and gives it back.
"""

from __future__ import annotations

import math
import re
import sys
import threading
from itertools import repeat
from typing import Any

__all__ = ["ready"]

# The start of the web-address pattern that reportlab's paragraph module compiles at import.
_URI_PATTERN_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"
# Modules whose patterns, compiled as they are imported, no report of ours uses: the splitting
# of CJK text for `cjkwrap`, the colouring of Python source, names that a safe `eval` refuses
# (a pattern reportlab never uses).
_DEFERRED = frozenset({"reportlab.lib.textsplit", "reportlab.lib.PyFontify", "reportlab.lib.rl_safe_eval"})
_compile = re.compile


class _LazyPattern:
    """A compiled pattern that is compiled when it is first used."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def _real(self) -> re.Pattern[str]:
        with self._lock:
            if self._compiled is None:
                self._compiled = _compile(self._pattern, self._flags)
            return self._compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real(), name)


def _deferring_compile(pattern: Any, flags: Any = 0) -> Any:
    if isinstance(pattern, str):
        caller = sys._getframe(1)
        if pattern.startswith(_URI_PATTERN_START) or (
            caller.f_code.co_name == "<module>" and caller.f_globals.get("__name__") in _DEFERRED
        ):
            return _LazyPattern(pattern, int(flags))
    return _compile(pattern, flags)


def _pillow_when_used() -> None:
    """Pillow's image module, loaded when something first uses it rather than when reportlab
    imports it (a tenth of reportlab's import): a report draws no bitmap. The standard
    library's lazy loader makes the module object at once and runs its code on first use."""
    if "PIL.Image" in sys.modules:
        return
    import importlib.util

    try:
        spec = importlib.util.find_spec("PIL.Image")
    except (ImportError, ValueError):
        return
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["PIL.Image"] = module
    spec.loader.exec_module(module)
    vars(sys.modules["PIL"])["Image"] = module  # as an import of it would


_pillow_when_used()
re.compile = _deferring_compile
try:
    from reportlab import rl_config
finally:
    re.compile = _compile

rl_config.shapeChecking = 0
rl_config.useA85 = 0


def _import_paragraph() -> None:
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    re.compile = _deferring_compile
    try:
        import reportlab.platypus.paragraph  # noqa: F401
    finally:
        re.compile = _compile


def _fp_str(*values: Any) -> str:
    """reportlab's `_py_fp_str`, the same text for every number (tests/report/test_speedups.py).

    reportlab keeps seven significant digits (at most six decimals), counting them by a
    logarithm: `6 - int(log10(size))` decimals for a size above 1. The comparisons below give
    the same count; only within a few units of the last place of a power of ten could the two
    differ, and there both round to that power of ten, which either count writes alike."""
    numbers: Any = values[0] if len(values) == 1 and isinstance(values[0], (list, tuple)) else values
    if len(numbers) == 1:
        value = numbers[0]
        text = _FP_WRITTEN.get(value)
        return text if text is not None else _fp_new(value)
    found = []
    written = _FP_WRITTEN
    for value in numbers:
        text = written.get(value)
        found.append(text if text is not None else _fp_new(value))
    return " ".join(found)


# The numbers written so far and their text: a document writes the same few thousand again and
# again (a table's column edges on every row, a page's margins, a canvas's grid). Numbers that
# are equal write the same text (1, 1.0 and True all "1"; -0.0 and 0.0 "0"); a NaN equals
# nothing, so it is never found and is refused each time, as reportlab's own refuses it.
_FP_WRITTEN: dict[Any, str] = {}
_FP_WRITTEN_MOST = 1 << 16


def _fp_new(value: Any) -> str:
    """A number as `_fp_str` writes it, kept in `_FP_WRITTEN` (up to `_FP_WRITTEN_MOST`)."""
    size = -value if value < 0 else value
    if size < 10:
        text = "0" if size <= 1e-7 else f"{value:.6f}"
    elif size < 100:
        text = f"{value:.5f}"
    elif size < 1000:
        text = f"{value:.4f}"
    elif size < 10_000:
        text = f"{value:.3f}"
    elif size < 100_000:
        text = f"{value:.2f}"
    elif size < 1_000_000:
        text = f"{value:.1f}"
    else:
        if not math.isfinite(value):  # as reportlab's, which takes the logarithm of it
            raise ValueError(f"cannot write {value!r} as a PDF number")
        text = f"{value:.0f}"
    if text != "0" and size < 1_000_000:
        text = text.rstrip("0")
        if text[-1] == ".":
            text = text[:-1]
        if text[0] == "0" and len(text) > 1:
            text = text[1:]
    if len(_FP_WRITTEN) < _FP_WRITTEN_MOST:
        _FP_WRITTEN[value] = text
    return text


def _escapes() -> dict[int, str]:
    from reportlab.lib import rl_accel

    table: dict[int, str] = getattr(rl_accel, "_ESCAPEDICT", {})
    return {code: text for code, text in table.items() if text != chr(code)}


_ESCAPES = _escapes()


def _escape_pdf(data: Any) -> str:
    """reportlab's `_py_escapePDF`: a string's bytes as a PDF string's body, `(`, `)` and `\\`
    escaped and every byte outside printable ASCII written in octal."""
    if type(data) is bytes:
        return data.decode("latin-1").translate(_ESCAPES)
    return _slow["escapePDF"](data)  # type: ignore[no-any-return]


def _string_width_ttf(font: Any, text: Any, size: float, encoding: str = "utf8") -> float:
    """reportlab's `_py_instanceStringWidthTTF`: the widths added in the same order."""
    if type(text) is not str:
        return _slow["instanceStringWidthTTF"](font, text, size, encoding)  # type: ignore[no-any-return]
    face = font.face
    return float(0.001 * size * sum(map(face.charWidths.get, map(ord, text), repeat(face.defaultWidth))))


_slow: dict[str, Any] = {}


def _install(name: str, fast: Any) -> None:
    """Put `fast` in place of reportlab's pure-Python `name`, where that one is in use."""
    from reportlab.lib import rl_accel

    slow = rl_accel._py_funcs.get(name)
    if slow is None or getattr(rl_accel, name) is not slow:
        return  # the C accelerator: leave reportlab's own
    _slow[name] = slow
    vars(rl_accel)[name] = fast  # for the modules that import it from now on
    for module_name, module in list(sys.modules.items()):  # and those that already did
        if module_name.startswith("reportlab.") and getattr(module, name, None) is slow:
            vars(module)[name] = fast


def _install_fp_str() -> None:
    from reportlab.lib import rl_accel

    slow = rl_accel._py_funcs.get("fp_str")
    if slow is not None and "," not in slow(0.25):  # a locale's decimal comma: leave reportlab's own
        _install("fp_str", _fp_str)
    _install("escapePDF", _escape_pdf)
    _install("instanceStringWidthTTF", _string_width_ttf)


def _split_string(font: Any, text: Any, doc: Any, encoding: str = "utf-8") -> list[tuple[int, bytes]]:
    """reportlab's `TTFont.splitString` (a string as runs of codes, each run in one subset of
    the font), at once for a string whose characters all have codes in the first subset."""
    if isinstance(text, str):
        states = doc.__dict__.get("_coprod_font_states")
        if states is None:
            states = doc.__dict__["_coprod_font_states"] = {}
        state = states.get(font)
        if state is None:
            state = font.state.get(doc)  # made by reportlab's own, the first time
        if state is not None:
            states[font] = state
            codes = state.assignments
            try:
                # A character with no code yet is a KeyError; one past the first subset's 256 a
                # ValueError. A no-break space (drawn as a space) never has a code of its own.
                found = bytes([codes[char] for char in map(ord, text)])
            except (KeyError, ValueError):
                pass
            else:
                return [(0, found)] if found else []
    return _slow["splitString"](font, text, doc, encoding)  # type: ignore[no-any-return]


def _install_split_string() -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    if "splitString" not in _slow:
        _slow["splitString"] = TTFont.splitString
        TTFont.splitString = _split_string


def _format_text(text_object: Any, text: Any) -> str:
    """reportlab's `PDFTextObject._formatText` (a string as the operators that show it in the
    current font), kept per document for the font, size, leading and subset it was written in."""
    if type(text) is not str:  # a shaped string (`ShapedStr`) carries its own glyph positions
        return _slow["_formatText"](text_object, text)  # type: ignore[no-any-return]
    kept = text_object._doc.__dict__.get("_coprod_texts")
    if kept is None:
        kept = text_object._doc.__dict__["_coprod_texts"] = {}
    key = (text_object._fontname, text_object._fontsize, text_object._leading, text_object._curSubset, text)
    found = kept.get(key)
    if found is None:
        written: str = _slow["_formatText"](text_object, text)
        kept[key] = (written, text_object._curSubset)  # and the subset it leaves selected
        return written
    text_object._curSubset = found[1]
    return found[0]  # type: ignore[no-any-return]


def written(
    canvas: Any, text: str, font: str | None = None, size: float | None = None, leading: float | None = None
) -> str:
    """What a new text object of `canvas`, in its current font (or the one given), writes to
    show `text`: the part of `Canvas.drawString`'s operators between the text's position and
    its line's end."""
    writer = canvas.__dict__.get("_coprod_writer")
    if writer is None:
        writer = canvas.__dict__["_coprod_writer"] = canvas.beginText()
    if font is None:
        font, size, leading = canvas._fontname, canvas._fontsize, canvas._leading
    writer._fontname, writer._fontsize, writer._leading = font, size, leading
    writer._curSubset = -1  # as a new one: its first string selects the font
    return writer._formatText(text)  # type: ignore[no-any-return]


def _install_format_text() -> None:
    from reportlab.pdfgen.textobject import PDFTextObject

    if "_formatText" not in _slow:
        _slow["_formatText"] = PDFTextObject._formatText
        PDFTextObject._formatText = _format_text


_install_fp_str()
_import_paragraph()
_install_split_string()
_install_format_text()


def ready() -> bool:
    """True: imported, so reportlab is set up (for an import that is only for its effect)."""
    return True
