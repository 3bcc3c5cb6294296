"""Every script on paper: font fallback, HarfBuzz shaping and right-to-left order in reportlab.

reportlab lays paragraphs out word by word, and since 4.x it can hand each word to
HarfBuzz (`uharfbuzz`) when a style has ``shaping=1``. Its own word shaper shapes a
whole word with the first font of the word and has no bidirectional support without
`rlbidi` (not on PyPI here). So `install` puts our word shaper in its place, which:

1. gives every character the font that has it (`fonts.face_for`), so a word may mix
   DejaVu Sans with Arabic, Devanagari or CJK faces, and an emoji becomes a visible
   placeholder;
2. finds the embedding levels of the word's characters (Unicode Bidirectional
   Algorithm, python-bidi's reference implementation) and lays the runs out in visual
   order, right-to-left runs shaped right to left (HarfBuzz mirrors brackets there);
3. shapes each run with HarfBuzz in its own font: Arabic joins, lam-alef becomes one
   glyph, Devanagari conjuncts form and pre-base vowel signs move before their consonant.

`markup.esc` keeps a right-to-left phrase in one reportlab word (its spaces become
no-break spaces), so the words of an Arabic name are ordered right to left as a whole.
A right-to-left passage longer than a line is the known limit of this approach: it is
kept whole and broken where it overflows, not re-ordered line by line.

Text extraction: a PDF reader rebuilds the text from each glyph's ToUnicode entry in
the order the glyphs stand on the line, and puts right-to-left runs back in logical
order itself. A shaped glyph that is not a plain character of the font (a joining
form, a ligature, a conjunct, a vowel sign moved before its consonant) is drawn
through a private code of its own whose ToUnicode entry is its cluster's text: the
cluster's first glyph carries the whole text (reversed in right-to-left runs, which
the reader reverses again) and the rest carry nothing. So `pdftotext` gives back the
characters as typed.
"""

from __future__ import annotations

import copy
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any, Final

from .fonts import BOLD, BOLD_ITALIC, ITALIC, MISSING, PLACEHOLDER, REGULAR, face_for

__all__ = ["has_rtl", "install", "is_rtl", "levels", "shape_frag_word", "simple"]

_OURS: Final = {
    REGULAR: (False, False),
    BOLD: (True, False),
    ITALIC: (False, True),
    BOLD_ITALIC: (True, True),
}
# Characters that need nothing but DejaVu Sans: printable Basic Latin to Cyrillic
# Supplement and General Punctuation, minus the bidi controls.
_SIMPLE_MAX: Final = 0x052F
# The shapes that stand for a card's role in the report's text (canvas_look.SHAPE_SYMBOL): all
# in DejaVu Sans's four faces, one glyph each, so no shaping; with them a card's row in the
# table of cards (5,000 of them, some) is laid out on reportlab's quicker path.
_SIMPLE_SYMBOLS: Final = frozenset("●■◆▲⬢⬟✚★")

_DROPPED: Final = frozenset({"BN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})

_lock = threading.Lock()
# The direction of the paragraph being laid out: a word's neutral characters (a full stop
# after Arabic) take the paragraph's direction, as UAX #9 gives them at the paragraph's level.
_paragraph = threading.local()
_private_lock = threading.Lock()
# The direction of the paragraph being laid out: a word's neutral characters (a full stop
# after Arabic) take the paragraph's direction, as UAX #9 gives them at the paragraph's level.
_paragraph = threading.local()
_installed = False
# Per font (its PDF base name without the subset prefix): private code -> the text it stands for.
_TO_UNICODE: dict[str, dict[int, str]] = {}
# Per font: (glyph id, text) -> private code, so a glyph is given one code per meaning.
_PRIVATE: dict[str, dict[tuple[int, str], int]] = {}


def simple(text: str) -> bool:
    """True when `text` needs no fallback font, no shaping and no reordering."""
    # The highest character decides for nearly every text at once (`max` compares in C).
    return (
        not text
        or max(text) <= _SIMPLE_LAST
        or all(
            ord(char) <= _SIMPLE_MAX
            or 0x2010 <= ord(char) <= 0x2027
            or 0x2030 <= ord(char) <= 0x205E
            or char in _SIMPLE_SYMBOLS
            for char in text
        )
    )


_SIMPLE_LAST: Final = chr(_SIMPLE_MAX)
# No character before Hebrew is written right to left (bidirectional class R or AL).
_FIRST_RTL: Final = "\u0590"


def is_rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def has_rtl(text: str) -> bool:
    """Whether any character of `text` is written right to left."""
    return bool(text) and max(text) >= _FIRST_RTL and any(is_rtl(char) for char in text)


def levels(text: str, base_rtl: bool = False) -> list[int]:
    """The resolved embedding level of each character (UAX #9, rules X1-I2)."""
    if not text:
        return []
    from bidi import algorithm as uba  # the reference implementation; exposes the levels

    # The reference implementation drops format characters (rule X9), which would shift
    # the levels against the text; they count as neutral here. Explicit embeddings are
    # not honoured: typed text almost never has them.
    text = "".join(" " if unicodedata.bidirectional(char) in _DROPPED else char for char in text)
    storage = uba.get_empty_storage()
    storage["base_level"] = 1 if base_rtl else 0
    storage["base_dir"] = "R" if base_rtl else "L"
    uba.get_embedding_levels(text, storage)
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    chars = storage["chars"]
    if len(chars) != len(text):  # astral characters on a narrow build; never on CPython 3
        return [storage["base_level"]] * len(text)
    return [int(char["level"]) for char in chars]


def visual_order(run_levels: Sequence[int]) -> list[int]:
    """Indices of runs in the order they stand on the line (UAX #9 rule L2)."""
    order = list(range(len(run_levels)))
    if not order:
        return order
    highest = max(run_levels)
    lowest_odd = min((level for level in run_levels if level % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        index = 0
        while index < len(order):
            if run_levels[order[index]] >= level:
                end = index
                while end < len(order) and run_levels[order[end]] >= level:
                    end += 1
                order[index:end] = reversed(order[index:end])
                index = end
            else:
                index += 1
    return order


def _pdf_name(font: Any) -> str:
    face = font.face
    return (face.name + face.subfontNameX).decode("pdfdoc")  # type: ignore[no-any-return]


def _private(font: Any, gid: int, text: str, advance: float) -> str:
    """A private code drawing glyph `gid` of `font` whose text is `text`."""
    name = _pdf_name(font)
    key = (gid, text)
    with _private_lock:  # reports are built in worker threads, perhaps two at once
        table = _PRIVATE.setdefault(name, {})
        code = table.get(key)
        if code is None:
            face = font.face
            code = 0xF0000 + len(table)  # supplementary private use: never a character of the font
            face.charToGlyph[code] = gid
            face.charWidths[code] = advance
            table[key] = code
            _TO_UNICODE.setdefault(name, {})[code] = text
    return chr(code)


def _shape_run(text: str, font_name: str, size: float, rtl: bool, start: int) -> tuple[str, list[Any], float]:
    """Shape one run; returns the characters to draw, reportlab's shape data and the width."""
    import uharfbuzz as hb
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import ShapeData

    font = pdfmetrics.getFont(font_name)
    hb_font = font.hbFont(size)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.direction = "rtl" if rtl else "ltr"
    buffer.guess_segment_properties()
    hb.shape(hb_font, buffer, {"kern": True, "liga": True})
    infos = buffer.glyph_infos
    positions = buffer.glyph_positions
    clusters = sorted({info.cluster for info in infos})
    bounds = {
        cluster: (clusters[i + 1] if i + 1 < len(clusters) else len(text))
        for i, cluster in enumerate(clusters)
    }
    glyph_count: dict[int, int] = {}
    for info in infos:
        glyph_count[info.cluster] = glyph_count.get(info.cluster, 0) + 1
    # Each glyph of a cluster carries a piece of the cluster's text, so that the pieces in
    # drawing order spell the cluster (reversed in a right-to-left run, which readers reverse).
    pieces: dict[int, list[str]] = {}
    for cluster in clusters:
        meaning = text[cluster : bounds[cluster]].replace("\u00a0", " ")  # see markup.bind_rtl
        if rtl:
            meaning = meaning[::-1]
        count = glyph_count[cluster]
        split = [meaning[i] for i in range(min(count - 1, len(meaning)))]
        split.append(meaning[len(split) :])
        split.extend([""] * (count - len(split)))
        pieces[cluster] = split
    face = font.face
    chars: list[str] = []
    data: list[Any] = []
    width = 0.0
    for info, position in zip(infos, positions, strict=True):
        gid = info.codepoint
        cluster = info.cluster
        piece = pieces[cluster].pop(0)
        advance = font.pdfScale(hb_font.get_glyph_h_advance(gid))
        if len(piece) == 1 and face.charToGlyph.get(ord(piece)) == gid:
            char = piece
        else:
            char = _private(font, gid, piece, advance)
        x_advance = font.pdfScale(position.x_advance)
        chars.append(char)
        data.append(
            ShapeData(
                start + cluster,
                x_advance,
                font.pdfScale(position.y_advance),
                font.pdfScale(position.x_offset),
                font.pdfScale(position.y_offset),
                face.charWidths.get(ord(char), advance),
            )
        )
        width += x_advance * size / 1000
    return "".join(chars), data, width


def shape_frag_word(word: list[Any], features: Any = None, force: bool = False) -> list[Any]:
    """reportlab's frag word (width, then (frag, text) pairs), shaped, ordered and with fallback fonts."""
    from reportlab.pdfbase.ttfonts import ShapeData, ShapedFragWord, ShapedStr, makeShapedFragWord

    if isinstance(word, ShapedFragWord) or (len(word) > 1 and hasattr(word[-1][0], "_coprod_ltr")):
        already: list[Any] = word  # shaped (or, in a right-to-left paragraph, ordered) already
        return already
    frags: list[Any] = []
    text = ""
    for frag, piece in word[1:]:
        if hasattr(frag, "cbDefn") or frag.fontName not in _OURS:
            return word  # an image or a font of someone else's: leave it to reportlab
        if isinstance(piece, ShapedStr):
            return word  # shaped already, and carried over to the next page by a split
        frags.extend([frag] * len(piece))
        text += piece
    reverse = getattr(_paragraph, "reversed", False)
    # A word of Latin letters inside a right-to-left paragraph reads left to right whole,
    # its punctuation included (the middle of an English sentence quoted in Arabic).
    latin = _direction(text) is True
    if not text or (simple(text) and not (reverse and not latin and _neutral_ends(text))):
        if text and reverse:
            found = copy.copy(word)  # its kind (a word followed by a space, say) is kept
            found[:] = [word[0], *reversed(word[1:]), (_separator(frags[-1], text), "\u200f")]
            return found
        return word
    # The word's layout, found once for its text, fonts and sizes, and the paragraph's direction:
    # the same words come back (a name on every card that quotes it).
    key = (
        tuple((frag.fontName, frag.fontSize, piece) for frag, piece in word[1:]),
        tuple(word[index][0] is word[index - 1][0] for index in range(2, len(word))),  # runs part there
        reverse,
        bool(getattr(_paragraph, "rtl", False)),
    )
    plan = _PLANS.get(key)
    if plan is None:
        if len(_PLANS) >= _PLANS_MOST:
            _PLANS.clear()
        plan = _PLANS[key] = _plan(text, frags, latin)
    runs, total, ends_rtl = plan
    pieces: list[tuple[Any, Any]] = []
    for begin, font_name, chars, data in runs:
        frag = frags[begin]
        run_frag = frag if font_name == frag.fontName else frag.clone(fontName=font_name)
        pieces.append((run_frag, ShapedStr(chars, shapeData=list(data))))
    if reverse:
        # reportlab lays a right-to-left paragraph's line out by reversing its fragments,
        # which are these pieces too: given in reverse, they come out in visual order.
        pieces.reverse()
        pieces.append(
            (
                _separator(frags[-1], text),
                ShapedStr("\u200f", shapeData=[ShapeData(len(text), 0, 0, 0, 0, 0)]),
            )
        )
    elif ends_rtl:
        # A word that ends, on the right, with a right-to-left run: a zero-width left-to-right
        # mark after it tells a reader's text extraction where the run ends, so the space that
        # follows is not taken into it.
        last = pieces[-1][0]
        mark = last if last.fontName in _OURS else last.clone(fontName=frags[-1].fontName)
        pieces.append((mark, ShapedStr("\u200e", shapeData=[ShapeData(len(text), 0, 0, 0, 0, 0)])))
    shaped = makeShapedFragWord(word)([total, *pieces])
    return shaped  # type: ignore[no-any-return]


# What `shape_frag_word` found for a word: its runs in visual order, each (index of its first
# character, font, characters drawn, shape data), the word's width, and whether it ends on the
# right with a right-to-left run. At most _PLANS_MOST words are kept.
_Plan = tuple[list[tuple[int, str, str, list[Any]]], float, bool]
_PLANS: dict[Any, _Plan] = {}
_PLANS_MOST: Final = 4096


def _plan(text: str, frags: list[Any], latin: bool) -> _Plan:
    """A word's runs of one frag, font and level, each shaped, in the order they stand."""
    # Each character's font and drawn character; marks and joiners follow their base.
    fonts: list[str] = []
    drawn: list[str] = []
    for index, char in enumerate(text):
        bold, italic = _OURS[frags[index].fontName]
        category = unicodedata.category(char)
        if (
            index
            and drawn[-1] in ("", PLACEHOLDER)
            and (
                text[index - 1] == "\u200d"
                or 0x1F3FB <= ord(char) <= 0x1F3FF
                or category in ("Mn", "Me", "Cf")
            )
        ):
            fonts.append(fonts[-1])
            drawn.append("")  # part of an emoji sequence already drawn as one placeholder
            continue
        if index and (category in ("Mn", "Mc", "Me") or char in "\u200c\u200d\ufe0e\ufe0f"):
            previous = fonts[-1]
            name, shown = face_for(char, bold, italic)
            fonts.append(previous if shown == char else name)
            drawn.append(char)
            continue
        name, shown = face_for(char, bold, italic)
        fonts.append(name)
        drawn.append(shown)
    char_levels = levels(text, base_rtl=getattr(_paragraph, "rtl", False) and not latin)
    # Runs: the same frag, font and level.
    runs: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or (
            frags[index] is not frags[start]
            or fonts[index] != fonts[start]
            or char_levels[index] != char_levels[start]
        ):
            runs.append((start, index))
            start = index
    shaped: list[tuple[int, str, str, list[Any]]] = []
    total = 0.0
    order = visual_order([char_levels[begin] for begin, _ in runs])
    for run_index in order:
        begin, end = runs[run_index]
        frag = frags[begin]
        font_name = fonts[begin]
        run_text = text[begin:end]
        if any(shown != char for shown, char in zip(drawn[begin:end], run_text, strict=True)):
            # A placeholder stands for its whole sequence (emoji, joiner, modifiers).
            chars, data, width = _placeholder_run(run_text, drawn[begin:end], font_name, frag.fontSize, begin)
        else:
            chars, data, width = _shape_run(
                run_text, font_name, frag.fontSize, bool(char_levels[begin] % 2), begin
            )
        shaped.append((begin, font_name, chars, data))
        total += width
    ends_rtl = bool(runs) and bool(char_levels[runs[order[-1]][0]] % 2)
    return shaped, total, ends_rtl


def _neutral_ends(text: str) -> bool:
    """Whether a word begins or ends with a character whose direction its neighbours decide
    (a full stop, a bracket, a digit): in a right-to-left paragraph it is ordered like any other."""
    return any(unicodedata.bidirectional(char) != "L" for char in (text[0], text[-1]))


def _separator(frag: Any, text: str) -> Any:
    """The end of a word in a right-to-left paragraph: a right-to-left mark in a fragment of its
    own. reportlab joins a line's alike fragments, words and spaces, into one, which its reversal
    of the line would keep in reading order; this one differs from every other (`nobr`), so each
    word is reversed as a whole and the space after it stays on its left. It also says whether
    the word is written left to right (`_order_runs`)."""
    found = frag.clone(fontName=REGULAR, nobr=1)
    found._coprod_ltr = _direction(text)
    return found


def _direction(text: str) -> bool | None:
    """True for a word written left to right, False right to left, None for neither (digits)."""
    kinds = {unicodedata.bidirectional(char) for char in text}
    if kinds & {"R", "AL"}:
        return False
    return True if "L" in kinds else None


def _order_runs(line: list[Any]) -> None:
    """A line of a right-to-left paragraph, its words in reading order, each ended by a
    `_separator`: the words of each left-to-right run (an English name in Arabic) are put in
    reverse, so that reportlab's reversal of the whole line leaves them left to right (UAX #9
    rule L2, by words). The separators, which carry the spaces, keep their places."""
    words: list[list[Any]] = [[]]
    for frag in line:
        text = getattr(frag, "text", None)
        if not words[-1] and len(words) > 1 and type(text) is str and text.startswith(" "):
            # The space before a word (after a change of style) goes to the end of the one before.
            frag.text = text[1:]
            before = words[-2][-1]
            if not str(before.text).endswith(" "):
                before.text += " "
        words[-1].append(frag)
        if hasattr(frag, "_coprod_ltr"):
            words.append([])

    def direction(word: list[Any]) -> bool | None:
        return getattr(word[-1], "_coprod_ltr", False) if word else False

    ordered: list[Any] = []
    index = 0
    while index < len(words):
        end = index
        # A run starts and ends with a left-to-right word; digits between belong to it ("Room 2").
        if direction(words[index]) is True:
            scan = index
            while scan < len(words) and direction(words[scan]) is not False:
                if direction(words[scan]) is True:
                    end = scan + 1
                scan += 1
        if end - index > 1:
            run = words[index:end]
            bodies = [word[:-1] for word in reversed(run)]
            for body, word in zip(bodies, run, strict=True):
                ordered.extend([*body, word[-1]])
            index = end
        else:
            ordered.extend(words[index])
            index += 1
    line[:] = ordered


def _placeholder_run(
    text: str, drawn: list[str], font_name: str, size: float, start: int
) -> tuple[str, list[Any], float]:
    """A run of characters no font has: one placeholder per sequence, carrying the sequence's text."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import ShapeData

    font = pdfmetrics.getFont(font_name)
    face = font.face
    chars: list[str] = []
    data: list[Any] = []
    width = 0.0
    index = 0
    while index < len(text):
        end = index + 1
        while end < len(text) and drawn[end] == "":
            end += 1
        mark = drawn[index] or MISSING
        gid = face.charToGlyph[ord(mark)]
        advance = face.charWidths[ord(mark)]
        char = _private(font, gid, text[index:end], advance)
        chars.append(char)
        data.append(ShapeData(start + index, advance, 0, 0, 0, advance))
        width += advance * size / 1000
        index = end
    return "".join(chars), data, width


def _plain(frag: Any) -> bool:
    """A frag of simple text, or the words of a plain paragraph's part after a page split."""
    text = getattr(frag, "text", None)
    if text is not None:
        return simple(text)
    words = getattr(frag, "words", None)
    return words is not None and all(type(word) is str and simple(word) for word in words)


# What reportlab's breakLines leaves on the paragraph besides its result.
_BROKEN_STATE: Final = ("_width_max", "height", "_splitLongWordCount", "_hyphenations")


def _break_lines_once(para: Any, width: Any, original: Any) -> Any:
    """`_break_lines`, done once per paragraph and width.

    reportlab wraps a paragraph again whenever it asks its size: a table cell is wrapped
    to measure its row, again to draw it, and again at each page split, and a frame wraps a
    paragraph before drawing it after it was measured to fit. The lines are the same each
    time (the same text, style and width), so the first result is kept on the paragraph and
    given back, with what breakLines leaves on it. Not for a right-to-left paragraph, whose
    lines reportlab reverses in place as it draws them.
    """
    widths = tuple(width) if isinstance(width, (list, tuple)) else (width,)
    kept = para.__dict__.get("_coprod_broken")
    if kept is not None:
        kept_widths, style, frags, result, after, state = kept
        if kept_widths == widths and para.style is style and para.frags is frags:
            if isinstance(width, list):
                width[:] = after  # breakLines narrows the first line for a bullet
            para.__dict__.update(state)
            return result
    result = _break_lines(para, width, original)
    if para.style.wordWrap != "RTL" and getattr(result, "kind", None) in (0, 1):
        state = {name: para.__dict__[name] for name in _BROKEN_STATE if name in para.__dict__}
        after = list(width) if isinstance(width, (list, tuple)) else [width]
        para.__dict__["_coprod_broken"] = (widths, para.style, para.frags, result, after, state)
    return result


def _break_lines(para: Any, width: Any, original: Any) -> Any:
    """Lay a paragraph out with shaping off when none of its text needs it: a third quicker."""
    style = para.style
    frags = getattr(para, "frags", None)
    if style.wordWrap == "RTL" and frags:
        if not any(has_rtl(_frag_text(frag)) for frag in frags):
            # Nothing in it is written right to left (a name typed in Latin letters): its words
            # stay in their order, on the side the handout's lines start from.
            para.style = style = _left_to_right(style)
        else:
            _paragraph.rtl = _paragraph.reversed = True
            try:
                found = original(para, width)
            finally:
                _paragraph.rtl = _paragraph.reversed = False
            for line in getattr(found, "lines", ()):
                if isinstance(getattr(line, "words", None), list):
                    _order_runs(line.words)
            return found
    if not style.shaping or not frags or not all(_plain(frag) for frag in frags):
        return original(para, width)
    plain = style.__dict__.get("_coprod_plain")
    if plain is None:
        plain = style.clone(f"{style.name}-plain", shaping=0)
        style.__dict__["_coprod_plain"] = plain
    para.style = plain
    try:
        return original(para, width)
    finally:
        para.style = style


def _frag_word_chars(word: list[Any], original: Any) -> Iterator[tuple[Any, float, str]]:
    """reportlab's `_fragWordIter` (the characters of a word too long for its line, each
    with its width, for `_splitFragWord` to cut into lines), keeping shaped text shaped.

    reportlab's own iterates a shaped run as plain characters: the pieces of a long word
    lose their glyph positions, and every later wrap of the paragraph (a table measures a
    cell again and again, a page split wraps the rest) hands `shape_frag_word` the drawn
    characters, which it must shape once more, a run per line: the cost of one long word
    then grows with its length times the number of wraps. Here each character of a shaped
    run is a one-character `ShapedStr` with its own shape data and its shaped advance, so
    a piece stays shaped and a later wrap finds it shaped already.
    """
    from reportlab.pdfbase.ttfonts import ShapedStr

    for frag, text in word[1:]:
        data = getattr(text, "__shapeData__", None)
        if (
            isinstance(text, ShapedStr)
            and data is not None
            and len(data) == len(text)
            and not hasattr(frag, "cbDefn")
        ):
            scale = frag.fontSize / 1000
            for index in range(len(text)):
                char = text[index]  # a ShapedStr of one character, with its shape data
                yield frag, data[index].x_advance * scale, char
        else:
            yield from original([0, (frag, text)])


def _frag_text(frag: Any) -> str:
    if isinstance(frag, list):  # a word reportlab kept from an earlier layout
        return "".join(str(piece) for _, piece in frag[1:])
    text = getattr(frag, "text", None)
    if text is not None:
        return str(text)
    return " ".join(str(word) for word in getattr(frag, "words", ()) if isinstance(word, str))


def _left_to_right(style: Any) -> Any:
    found = style.__dict__.get("_coprod_ltr")
    if found is None:
        found = style.clone(f"{style.name}-ltr", wordWrap=None)
        style.__dict__["_coprod_ltr"] = found
    return found


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ToUnicode CMap, with our private codes mapped to the text they stand for."""
    name = fontname.split("+", 1)[-1]
    texts = _TO_UNICODE.get(name, {})

    def target(code: int) -> str:
        text = texts[code] if code in texts else chr(code)
        return "".join(f"{unit:04X}" for unit in _utf16(text))

    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{index:02X}> <{target(code)}>" for index, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


def _utf16(text: str) -> list[int]:
    data = text.encode("utf-16-be")
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]


def install() -> None:
    """Put our word shaper and ToUnicode maker into reportlab (once per process)."""
    global _installed
    if _installed:
        return
    with _lock:
        if _installed:
            return
        from . import rlsetup  # noqa: F401 - before reportlab

        # isort: split
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.pdfbase import ttfonts
        from reportlab.platypus import paragraph

        if not all(hasattr(paragraph, name) for name in ("shapeFragWord", "_fragWordIter")) or not hasattr(
            ttfonts, "makeToUnicodeCMap"
        ):
            raise RuntimeError("this reportlab has no word shaping hook; coprod-desktop needs reportlab 5")
        paragraph.shapeFragWord = shape_frag_word
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap
        # Every paragraph style shapes; a paragraph whose text is all simple is laid out
        # without (reportlab's quicker path for one plain run), see `_break_lines`.
        ParagraphStyle.defaults["shaping"] = 1
        original = paragraph.Paragraph.breakLines

        def break_lines(self: Any, width: Any) -> Any:
            return _break_lines_once(self, width, original)

        paragraph.Paragraph.breakLines = break_lines
        original_chars = paragraph._fragWordIter

        def frag_word_chars(word: list[Any]) -> Iterator[tuple[Any, float, str]]:
            return _frag_word_chars(word, original_chars)

        paragraph._fragWordIter = frag_word_chars
        _installed = True


# A line drawn on every page (the running header's title and kind) is laid out once: what
# `pieces` found, by text, font, size and direction of the language (at most _KEPT_MOST lines).
_KEPT: dict[tuple[str, str, float, bool], list[tuple[str, str, float]]] = {}
_KEPT_MOST: Final = 512


def pieces(text: str, font_name: str, size: float) -> list[tuple[str, str, float]]:
    """A one-line string as (font, characters, width) pieces in visual order, for the canvas.
    The list is shared by every caller that asks for the same line: read it, never change it."""
    from ..domain.i18n import right_to_left

    key = (text, font_name, size, right_to_left())
    found = _KEPT.get(key)
    if found is None:
        if len(_KEPT) >= _KEPT_MOST:
            _KEPT.clear()
        found = _KEPT[key] = _line_pieces(text, font_name, size)
    return found


def _line_pieces(text: str, font_name: str, size: float) -> list[tuple[str, str, float]]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from ..domain.i18n import right_to_left
    from .markup import bind_rtl

    found: list[tuple[str, str, float]] = []
    words = bind_rtl(text).split(" ")
    rtl = right_to_left() and has_rtl(text)
    if rtl:
        words.reverse()  # a line read from the right: its words stand right to left
    _paragraph.rtl = rtl
    space = stringWidth(" ", font_name, size)
    try:
        found = _pieces(words, font_name, size, space)
        if rtl:  # the whole line reads from the right: no mark between its words
            found = [piece for piece in found if piece[1] != "\u200e"]
    finally:
        _paragraph.rtl = False
    return found


def _pieces(words: list[str], font_name: str, size: float, space: float) -> list[tuple[str, str, float]]:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus.paraparser import ParaFrag

    found: list[tuple[str, str, float]] = []
    for index, word in enumerate(words):
        if index:
            found.append((font_name, " ", space))
        if not word:
            continue
        frag = ParaFrag(fontName=font_name, fontSize=size, text=word)
        shaped = shape_frag_word([stringWidth(word, font_name, size), (frag, word)])
        for run_frag, run in shaped[1:]:
            data = getattr(run, "__shapeData__", None)
            width = (
                sum(item.x_advance for item in data) * size / 1000
                if data is not None
                else stringWidth(run, run_frag.fontName, size)
            )
            found.append((run_frag.fontName, run, width))
    return found


def text_width(text: str, font_name: str, size: float) -> float:
    return sum(width for _, _, width in pieces(text, font_name, size))


def draw_text(
    canvas: Any, x: float, y: float, text: str, font_name: str, size: float, *, right: bool = False
) -> None:
    """Draw one line of any script at (x, y); `right` puts its right end at x."""
    found = pieces(text, font_name, size)
    if right:
        x -= sum(width for _, _, width in found)
    for name, run, width in found:
        if run.strip():
            line = canvas.beginText(x, y)
            line.setFont(name, size)
            line._textOut(run)
            canvas.drawText(line)
        x += width
