"""The report's speed-ups give what reportlab's slower paths give (issue 13, point 6).

- the font cache (`report/fontcache.py`): a face read back is the face parsed, and a cache
  that is damaged or cannot be written is passed over;
- reportlab's set-up (`report/rlsetup.py`): the web-address pattern compiled late matches
  as the pattern compiled at import would;
- a paragraph's lines (`shaping._break_lines_once`) are broken once per width, not at every
  wrap, and a right-to-left paragraph (whose lines reportlab reverses as it draws) is never kept.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coprod_desktop.report import fontcache, rlsetup
from coprod_desktop.report.fonts import FONT_FILES, REGULAR, font_file, register_fonts


def _path(filename: str) -> str:
    return str(font_file(filename))


def _face_state(font: object) -> dict[str, object]:
    face = font.face  # type: ignore[attr-defined]
    assert face.glyphToChar  # made from the cache when first asked for
    return {k: v for k, v in face.__dict__.items() if k not in ("_pdfScale", "filename")}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    folder = fontcache.cache_folder()
    assert folder is not None
    return folder


@pytest.mark.parametrize("filename", ["DejaVuSans.ttf", "NotoSansArabic-Bold.ttf"])
def test_a_font_read_from_the_cache_is_the_font_parsed(cache: Path, filename: str) -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    parsed = TTFont("Parsed", _path(filename))
    first = fontcache.load_font("First", _path(filename))  # parses and writes the cache
    assert len(list(cache.glob("*.marshal"))) == 1
    again = fontcache.load_font("Again", _path(filename))  # read back
    assert _face_state(first) == _face_state(parsed)
    assert _face_state(again) == _face_state(parsed)
    assert sorted(vars(again)) == sorted(vars(parsed))
    assert type(again.face.name) is type(parsed.face.name)
    assert again.face.name.ustr == parsed.face.name.ustr
    assert again.face._pdfScale(1234) == parsed.face._pdfScale(1234)
    assert again.stringWidth("Wójcik ✓", 10) == parsed.stringWidth("Wójcik ✓", 10)
    assert again.face.makeSubset(list(range(32, 127))) == parsed.face.makeSubset(list(range(32, 127)))


def test_a_damaged_cache_is_passed_over_and_written_again(cache: Path) -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    filename = FONT_FILES[REGULAR]
    fontcache.load_font("First", _path(filename))
    (entry,) = cache.glob("*.marshal")
    entry.write_bytes(b"\x00not a cache")
    font = fontcache.load_font("Again", _path(filename))
    assert _face_state(font) == _face_state(TTFont("Parsed", _path(filename)))
    assert entry.read_bytes() != b"\x00not a cache"


@pytest.mark.parametrize(
    "kept",
    [
        (fontcache.FORMAT, {"unitsPerEm": 2048}, {}),  # no glyph map
        (fontcache.FORMAT, {"unitsPerEm": 2048, "glyphToChar": ([1, 2], [1], [65])}, {}),  # lengths differ
        (fontcache.FORMAT, {"unitsPerEm": 2048}, {"name": (b"x",)}),  # a name without its text
    ],
)
def test_a_cache_entry_of_the_wrong_shape_is_passed_over(cache: Path, kept: tuple[object, ...]) -> None:
    """Plain data that marshal reads but is not what we wrote: the font is parsed afresh, never
    a traceback in the middle of an export."""
    import marshal

    from reportlab.pdfbase.ttfonts import TTFont

    filename = FONT_FILES[REGULAR]
    fontcache.load_font("First", _path(filename))
    (entry,) = cache.glob("*.marshal")
    entry.write_bytes(marshal.dumps(kept))
    font = fontcache.load_font("Again", _path(filename))
    assert _face_state(font) == _face_state(TTFont("Parsed", _path(filename)))


def test_a_cache_folder_that_cannot_be_written_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    monkeypatch.setenv("LOCALAPPDATA", str(blocked))
    font = fontcache.load_font("Blocked", _path(FONT_FILES[REGULAR]))
    assert font.face.charToGlyph[ord("A")]
    assert not list(tmp_path.rglob("*.tmp"))


def test_the_web_address_pattern_is_compiled_late_and_matches_as_compiled_at_import() -> None:
    import subprocess
    import sys

    # In a process of its own: a test that loads reportlab first would compile it at import.
    probe = (
        "import coprod_desktop.report.pdf\n"
        "from reportlab.platypus import paragraph\n"
        "print(type(paragraph.uri_pat).__name__, bool(paragraph._uri_split_pairs('https://example.org/a/b')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["_LazyPattern", "True"]

    from reportlab.platypus import paragraph

    source = paragraph.uri_pat.pattern
    late = rlsetup._LazyPattern(source, re.IGNORECASE)
    now = re.compile(source, re.IGNORECASE)
    for text in (
        "https://example.org/a/b?c=1",
        "HTTP://Bücher.example/x",
        "not an address",
        "ftp://10.0.0.1:21/",
    ):
        assert bool(late.match(text)) == bool(now.match(text)), text


def test_reportlab_is_set_up_for_speed() -> None:
    from reportlab import rl_config

    assert rl_config.shapeChecking == 0
    assert rl_config.useA85 == 0


def _counting_breaks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    from coprod_desktop.report import shaping

    register_fonts()
    calls: list[int] = []
    broken = shaping._break_lines

    def counted(para: object, width: object, original: object) -> object:
        calls.append(1)
        return broken(para, width, original)

    monkeypatch.setattr(shaping, "_break_lines", counted)
    return calls


def test_a_paragraph_is_broken_into_lines_once_per_width(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    calls = _counting_breaks(monkeypatch)
    style = ParagraphStyle("t", fontName=REGULAR, fontSize=10, leading=12)
    para = Paragraph("<b>Card 12:</b> Agnieszka Wójcik's point about the timetable ● " * 6, style)
    first = para.wrap(200, 1000)
    lines = [list(line.words) if hasattr(line, "words") else line[1] for line in para.blPara.lines]
    assert para.wrap(200, 1000) == first
    assert para.wrap(200, 50) == first
    assert len(calls) == 1
    assert [list(line.words) if hasattr(line, "words") else line[1] for line in para.blPara.lines] == lines
    narrower = para.wrap(120, 1000)
    assert len(calls) == 2
    assert narrower[1] > first[1]
    fresh = Paragraph("<b>Card 12:</b> Agnieszka Wójcik's point about the timetable ● " * 6, style)
    assert fresh.wrap(120, 1000) == narrower


def test_a_right_to_left_paragraph_is_broken_afresh_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    calls = _counting_breaks(monkeypatch)
    style = ParagraphStyle("rtl", fontName=REGULAR, fontSize=10, leading=12, wordWrap="RTL")
    para = Paragraph("محمد علي and Sara agreed " * 4, style)
    para.wrap(200, 1000)
    para.wrap(200, 1000)
    assert len(calls) == 2


def test_the_shapes_of_the_table_of_cards_need_no_shaping() -> None:
    from reportlab.pdfbase import pdfmetrics

    from coprod_desktop.report.canvas_look import SHAPE_SYMBOL
    from coprod_desktop.report.shaping import _SIMPLE_SYMBOLS, simple

    register_fonts()
    assert set(SHAPE_SYMBOL.values()) <= _SIMPLE_SYMBOLS
    for name in FONT_FILES:
        covered = pdfmetrics.getFont(name).face.charToGlyph
        assert all(ord(symbol) in covered for symbol in _SIMPLE_SYMBOLS), name
    assert simple("● Uses services · from Kwame Mensah")
    assert not simple("● محمد")


def test_the_table_of_cards_draws_simple_places_as_strings_broken_as_paragraphs_break_them() -> None:
    from reportlab.platypus import Paragraph

    from coprod_desktop.domain.i18n import using
    from coprod_desktop.report.quickcell import QuickCell
    from coprod_desktop.report.sections.base import ReportContext, Sheet
    from coprod_desktop.report.sections.canvas import ChunkedTable, card_table

    from .helpers import sample

    register_fonts()
    session = sample()

    def rows(language: str) -> list[list[object]]:
        with using(language):
            sheet = Sheet(large_print=False)
            ctx = ReportContext(
                session=session,
                names=True,
                facilitator=False,
                large_print=False,
                sheet=sheet,
                width=480,
                height=700,
            )
            (chunked,) = [f for f in card_table(ctx, session.cards) if isinstance(f, ChunkedTable)]
            return chunked.rows

    english = rows("en-GB")
    assert english
    assert all(isinstance(row[0], str) and isinstance(row[1], QuickCell | Paragraph) for row in english)
    assert any(isinstance(row[1], QuickCell) for row in english)  # simple text, drawn straight
    places = [cell for row in english for cell in row[2:]]
    assert all(isinstance(cell, str) for cell in places)
    assert any("\n" in cell for cell in places) or all(len(cell) < 40 for cell in places)
    arabic = rows("ar")
    assert all(isinstance(cell, Paragraph) for row in arabic for cell in row)


def test_numbers_are_written_as_reportlab_writes_them() -> None:
    import random

    from reportlab.lib import rl_accel
    from reportlab.pdfgen import canvas

    slow = rl_accel._py_funcs["fp_str"]
    if slow is None:
        pytest.skip("reportlab's C accelerator is installed: its own fp_str is used")
    assert canvas.fp_str is rlsetup._fp_str
    rng = random.Random(13)
    values = [0, 1, -1, 0.5, -0.5, 1e-7, 2e-7, -3e-8, 10, 100, 1000, 0.1, 999.9999999, 123456789.123, 1e-6]
    values += [rng.uniform(-1000, 1000) for _ in range(3000)] + [rng.uniform(-1, 1) for _ in range(2000)]
    values += [10.0**k * s for k in range(-8, 9) for s in (1, -1, 0.999999, 1.0000001)]
    values += [rng.randint(-5000, 5000) for _ in range(500)]
    for value in values:
        assert rlsetup._fp_str(value) == slow(value), value
    assert rlsetup._fp_str(1.5, -2, 0.25) == slow(1.5, -2, 0.25)
    assert rlsetup._fp_str([1.5, -2, 0.25]) == slow([1.5, -2, 0.25])
    assert rlsetup._fp_str((3.14159265, 2)) == slow((3.14159265, 2))


def test_numbers_written_again_are_written_the_same() -> None:
    """A number is written once and its text kept (`_FP_WRITTEN`): a second time, in a list or
    alone, and as an equal number of another type, the text is reportlab's; a NaN or an
    infinity is refused every time; past the most kept, numbers are still written right."""
    from reportlab.lib import rl_accel

    slow = rl_accel._py_funcs["fp_str"]
    if slow is None:
        pytest.skip("reportlab's C accelerator is installed: its own fp_str is used")
    values = [0, 0.0, -0.0, False, True, 1, 1.0, 2.5, -2.5, 72, 72.0, 595.2756, 841.8898, 1e-8, 3e-7]
    for _ in range(2):
        for value in values:
            assert rlsetup._fp_str(value) == slow(value), value
        assert rlsetup._fp_str(values) == slow(values)
    for bad in (float("nan"), float("inf"), -float("inf")):
        for _ in range(2):
            with pytest.raises((ValueError, OverflowError)):
                rlsetup._fp_str(bad)
            with pytest.raises((ValueError, OverflowError)):
                rlsetup._fp_str(1.5, bad)
    kept = dict(rlsetup._FP_WRITTEN)
    try:
        rlsetup._FP_WRITTEN.clear()
        more = [n / 7 for n in range(rlsetup._FP_WRITTEN_MOST + 50)]
        assert rlsetup._fp_str(more) == slow(more)
        assert len(rlsetup._FP_WRITTEN) == rlsetup._FP_WRITTEN_MOST
        assert rlsetup._fp_str(more[-10:]) == slow(more[-10:])  # not kept: written afresh
    finally:
        rlsetup._FP_WRITTEN.clear()
        rlsetup._FP_WRITTEN.update(kept)


def test_a_card_number_too_long_for_its_column_is_cut_where_its_paragraph_cuts_it() -> None:
    from reportlab.platypus import Paragraph

    from coprod_desktop.report.fonts import BOLD
    from coprod_desktop.report.sections.base import ReportContext, Sheet
    from coprod_desktop.report.sections.canvas import _one_line_cells

    from .helpers import sample

    register_fonts()
    for large_print in (False, True):
        sheet = Sheet(large_print=large_print)
        ctx = ReportContext(
            session=sample(),
            names=True,
            facilitator=False,
            large_print=large_print,
            sheet=sheet,
            width=480,
            height=700,
        )
        width = sheet.base * 2.8
        one_line = _one_line_cells(ctx, [width, 480 - width])
        for number in (7, 42, 999, 1000, 4632, 12345, 987654):
            drawn = one_line(str(number), 0, BOLD)
            paragraph = Paragraph(f"<b>{number}</b>", sheet.cell)
            paragraph.wrap(width - 2 * sheet.padding, 1e6)
            assert drawn == "\n".join(" ".join(words) for _, words in paragraph.blPara.lines)


def test_numbers_near_powers_of_ten_are_written_as_reportlab_writes_them() -> None:
    """`_fp_str` counts decimals by comparing where reportlab takes a logarithm: at and around
    each power of ten, where the two could part, the text is the same."""
    from reportlab.lib import rl_accel

    slow = rl_accel._py_funcs["fp_str"]
    if slow is None:
        pytest.skip("reportlab's C accelerator is installed: its own fp_str is used")
    for power in range(-9, 10):
        for nudge in (0, 1e-15, -1e-15, 1e-12, -1e-12, 4e-8, -4e-8, 5e-7, -5e-7):
            for sign in (1, -1):
                value = sign * 10.0**power * (1 + nudge)
                assert rlsetup._fp_str(value) == slow(value), value
    with pytest.raises((ValueError, OverflowError)):
        rlsetup._fp_str(float("inf"))


def test_strings_are_escaped_measured_and_encoded_as_reportlab_does() -> None:
    """`escapePDF`, a TrueType string's width and `TTFont.splitString`, each against
    reportlab's own: every byte; text in several scripts, a no-break space, characters past
    the first 256 of a subset; the first and later sight of each string."""
    from reportlab.lib import rl_accel
    from reportlab.pdfbase import pdfmetrics, ttfonts
    from reportlab.pdfbase.pdfdoc import PDFDocument

    if rl_accel._py_funcs["escapePDF"] is None:
        pytest.skip("reportlab's C accelerator is installed: its own functions are used")
    register_fonts()
    every_byte = bytes(range(256))
    assert rlsetup._escape_pdf(every_byte) == rl_accel._py_funcs["escapePDF"](every_byte)
    assert rlsetup._escape_pdf(b"(a) \\ b") == rl_accel._py_funcs["escapePDF"](b"(a) \\ b")
    font = pdfmetrics.getFont(REGULAR)
    assert ttfonts.instanceStringWidthTTF is rlsetup._string_width_ttf
    assert ttfonts.TTFont.splitString is rlsetup._split_string
    texts = [
        "Page 3 of 12",
        "Wójcik, Νίκος, Ольга, Nguyễn",
        "no\u00a0break",
        "",
        "".join(chr(code) for code in range(0x100, 0x300)),  # more than one subset's worth
        "Page 3 of 12",
        "\U0001f600 not in the font",
    ]
    slow_width = rl_accel._py_funcs["instanceStringWidthTTF"]
    ours, theirs = PDFDocument(), PDFDocument()
    slow_split = rlsetup._slow["splitString"]
    for text in texts * 2:
        assert rlsetup._string_width_ttf(font, text, 8.6) == slow_width(font, text, 8.6)
        assert font.splitString(text, ours) == slow_split(font, text, theirs), text


def test_a_string_written_again_is_written_as_reportlab_writes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """`_format_text` keeps what a text object wrote for a string, per document: the page's
    operators are the same as reportlab's own, strings repeated, in several fonts and sizes,
    across subsets (past the first 256 characters) and in text objects of several strings."""
    import io

    from reportlab.pdfgen.canvas import Canvas
    from reportlab.pdfgen.textobject import PDFTextObject

    from coprod_desktop.report.fonts import BOLD

    register_fonts()
    assert PDFTextObject._formatText is rlsetup._format_text
    many = "".join(chr(code) for code in range(0x100, 0x250))
    texts = ["Both plan, people deliver", "1001", many, "Both plan, people deliver", "ĀāĂ", "1001", many, ""]

    def page() -> str:
        canvas = Canvas(io.BytesIO())
        for font, size in ((REGULAR, 8.6), (BOLD, 8.6), (REGULAR, 12), (BOLD, 8.6)):
            canvas.setFont(font, size)
            for text in texts:
                canvas.drawString(10, 20, text)
            line = canvas.beginText(5, 5)
            for text in texts:
                line.textOut(text)
            canvas.drawText(line)
        return "\n".join(canvas._code)

    ours = page()
    monkeypatch.setattr(PDFTextObject, "_formatText", rlsetup._slow["_formatText"])
    assert ours == page()


def test_a_word_shaped_again_is_shaped_as_the_first_time() -> None:
    """`shape_frag_word` keeps each word's layout: the same word, asked again (in new frags, as
    every paragraph makes its own), comes out as when shaped afresh, in either direction."""
    from reportlab.platypus.paraparser import ParaFrag

    from coprod_desktop.report import shaping
    from coprod_desktop.report.fonts import BOLD

    register_fonts()

    def shaped(text: str, font: str, rtl: bool) -> list[tuple[str, str, list[tuple[float, ...]]]]:
        frag = ParaFrag(fontName=font, fontSize=8.6, text=text)
        shaping._paragraph.rtl = shaping._paragraph.reversed = rtl
        try:
            word = shaping.shape_frag_word([0.0, (frag, text)])
        finally:
            shaping._paragraph.rtl = shaping._paragraph.reversed = False
        return [
            (piece_frag.fontName, str(piece), [tuple(vars(data).values()) for data in piece.__shapeData__])
            for piece_frag, piece in word[1:]
        ] + [word[0]]  # type: ignore[list-item]

    words = ["Nguyễn", "陈美玲's", "كتاب", "हिन्दी", "👍🏽ok", "✓", "“⚠"]
    for rtl in (False, True):
        for font in (REGULAR, BOLD):
            for text in words:
                shaping._PLANS.clear()
                first = shaped(text, font, rtl)
                assert shaped(text, font, rtl) == first, text  # from what was kept
    assert shaping._PLANS


def test_a_face_read_back_makes_its_glyph_map_only_when_asked(cache: Path) -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    filename = FONT_FILES[REGULAR]
    fontcache.load_font("First", _path(filename))
    again = fontcache.load_font("Again", _path(filename))
    assert "glyphToChar" not in again.face.__dict__
    assert again.face.glyphToChar == TTFont("Parsed", _path(filename)).face.glyphToChar
    assert "glyphToChar" in again.face.__dict__
    with pytest.raises(AttributeError):
        again.face.no_such_thing  # noqa: B018 - what is asked for is the test


def test_an_export_loads_no_image_library_and_compiles_no_unused_pattern(tmp_path: Path) -> None:
    """In a fresh interpreter: after a whole export Pillow's image module has not run and the
    deferred patterns are not compiled; both work as before when used."""
    import subprocess
    import sys

    script = """
import sys
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.report.pdf import ReportOptions, render_pdf
from coprod_desktop.storage.templates import load_builtin_template
render_pdf(build_sample(load_builtin_template()), ReportOptions(paper="a4"))
from reportlab.lib import PyFontify, textsplit
print(type(sys.modules["PIL.Image"]).__name__, type(textsplit.rx).__name__, type(PyFontify.matchRE).__name__)
import io
from PIL import Image
from reportlab.lib.utils import ImageReader
picture = io.BytesIO()
Image.new("RGB", (3, 2)).save(picture, "PNG")
picture.seek(0)
print(ImageReader(picture).getSize(), textsplit.rx.sub(r"\\1 ", "a中b"))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    lazy, used = done.stdout.splitlines()
    assert lazy == "_LazyModule _LazyPattern _LazyPattern"
    assert used == "(3, 2) a中 b"
