"""What reportlab reads from a font file, kept between runs so that a report starts quickly.

reportlab's `TTFont` parses a whole TrueType file when it is made: the character map, every
glyph's width and position, in pure Python. For DejaVu Sans's four faces that is a sixth of
a command-line export of the sample (and the CJK fallback alone takes most of a second).
What it finds is plain data, the same every time for the same file and the same reportlab,
so the first run writes it to the user's cache folder and later runs read it back in a few
milliseconds (`marshal`, which holds only plain values and cannot run code).

The font file itself is still read (the PDF embeds a subset of it, and HarfBuzz shapes
with it); the cache is keyed by its size and checksum, the reportlab and Python versions
and `FORMAT`, so a changed font or library reads the file afresh. A cache that cannot be
read or written (no home folder, a read-only disk, a damaged file) is passed over silently:
the font is then parsed as before.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import zlib
from pathlib import Path
from typing import Any

from ..codecache import user_cache_folder

__all__ = ["cache_folder", "load_font"]

FORMAT = 1
# The parts of a parsed face that are not plain data, made again on reading.
_NOT_KEPT = ("_ttf_data", "_pdfScale", "filename")


def cache_folder() -> Path | None:
    """Where the parsed fonts are kept: the platform's cache folder for the app."""
    folder = user_cache_folder()
    return folder / "fonts" if folder is not None else None


def _key(data: bytes) -> str:
    import reportlab

    python = f"{sys.version_info[0]}.{sys.version_info[1]}"
    return f"{FORMAT}-{reportlab.Version}-{python}-{len(data)}-{zlib.crc32(data):08x}"


def load_font(name: str, path: str) -> Any:
    """reportlab's `TTFont(name, path)`, its parsing read from the cache when it is there."""
    from reportlab.pdfbase import ttfonts

    data = Path(path).read_bytes()
    key = _key(data)
    folder = cache_folder()
    entry = folder / f"{Path(path).stem}-{key}.marshal" if folder is not None else None
    face = _read(entry, data, path) if entry is not None else None
    if face is None:
        font = ttfonts.TTFont(name, path)
        if entry is not None:
            _write(entry, font.face)
        return font
    return _font_with_face(ttfonts, name, path, face)


def _font_with_face(ttfonts: Any, name: str, path: str, face: Any) -> Any:
    """`TTFont(name, path)` made by reportlab's own constructor, given the face already read."""
    made = ttfonts.TTFontFace

    def given_face(*_args: Any, **_kwargs: Any) -> Any:
        return face

    # The callers hold fonts._lock: no other font is made while the name points here.
    ttfonts.TTFontFace = given_face
    try:
        return ttfonts.TTFont(name, path)
    finally:
        ttfonts.TTFontFace = made


def _read(entry: Path, data: bytes, path: str) -> Any:
    try:
        kept = marshal.loads(entry.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    try:
        return _face_of(kept, data, path)
    except (KeyError, ValueError, TypeError, IndexError, AttributeError):  # damaged: parse afresh
        return None


def _face_of(kept: Any, data: bytes, path: str) -> Any:
    from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFontFace

    if not (isinstance(kept, tuple) and len(kept) == 3 and kept[0] == FORMAT):
        return None
    _, plain, names = kept
    if not (isinstance(plain, dict) and isinstance(names, dict) and "unitsPerEm" in plain):
        return None
    face_class = _cached_face_class(TTFontFace)
    face = face_class.__new__(face_class)
    state = face.__dict__
    state.update(plain)
    for attribute, (raw, text) in names.items():
        value = TTFNameBytes(raw)
        value.ustr = text
        state[attribute] = value
    flat = state.pop("glyphToChar")
    if not (isinstance(flat, tuple) and len(flat) == 3):
        return None
    glyphs, counts, chars = flat
    if not (len(glyphs) == len(counts) and sum(counts) == len(chars)):
        return None
    state[_FLAT] = flat  # made into reportlab's glyphToChar if it is ever asked for
    state["_ttf_data"] = data
    state["filename"] = path
    units = plain["unitsPerEm"]
    if units == 1000:
        state["_pdfScale"] = lambda x: x
    else:
        factor = 1000 / units
        state["_pdfScale"] = lambda x: x * factor
    return face


_FLAT = "_coprod_glyph_to_char"
_face_classes: dict[Any, Any] = {}


def _cached_face_class(base: Any) -> Any:
    """reportlab's face class, whose `glyphToChar` (glyph -> characters, thousands of short
    lists) is made from the cache's flat lists the first time it is asked for. reportlab asks
    for it only to shape with its own shaper, which ours replaces, so most runs never make it."""
    found = _face_classes.get(base)
    if found is None:

        def __getattr__(self: Any, name: str) -> Any:  # noqa: N807 - Python's name
            flat = self.__dict__.get(_FLAT)
            if name != "glyphToChar" or flat is None:
                raise AttributeError(name)
            glyphs, counts, chars = flat
            glyph_to_char: dict[int, list[int]] = {}
            at = 0
            for glyph, count in zip(glyphs, counts, strict=True):  # in reportlab's order
                glyph_to_char[glyph] = chars[at : at + count]
                at += count
            self.__dict__["glyphToChar"] = glyph_to_char
            del self.__dict__[_FLAT]
            return glyph_to_char

        found = _face_classes[base] = type(base.__name__, (base,), {"__getattr__": __getattr__})
    return found


def _write(entry: Path, face: Any) -> None:
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    plain: dict[str, Any] = {}
    names: dict[str, tuple[bytes, str]] = {}
    for attribute, value in face.__dict__.items():
        if attribute in _NOT_KEPT:
            continue
        if isinstance(value, TTFNameBytes):
            names[attribute] = (bytes(value), value.ustr)
        elif attribute == "glyphToChar":
            # Thousands of short lists read slowly: kept flat, as glyphs, counts and characters.
            plain[attribute] = (
                list(value),
                [len(chars) for chars in value.values()],
                [char for chars in value.values() for char in chars],
            )
        else:
            plain[attribute] = value
    try:
        blob = marshal.dumps((FORMAT, plain, names))
    except ValueError:  # something that is not plain data: a reportlab we do not know
        return
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        temporary = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
        temporary.write_bytes(blob)
        os.replace(temporary, entry)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            temporary.unlink()
