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


def test_a_cache_folder_that_cannot_be_written_is_passed_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    monkeypatch.setenv("LOCALAPPDATA", str(blocked))
    font = fontcache.load_font("Blocked", _path(FONT_FILES[REGULAR]))
    assert font.face.charToGlyph[ord("A")]
    assert not list(tmp_path.rglob("*.tmp"))


def test_the_web_address_pattern_compiled_late_matches_as_compiled_at_import() -> None:
    from reportlab.platypus import paragraph

    assert rlsetup.ready()
    late = paragraph.uri_pat
    assert isinstance(late, rlsetup._LazyPattern)
    now = re.compile(late._pattern, late._flags)
    for text in ("https://example.org/a/b?c=1", "HTTP://Bücher.example/x", "not an address", "ftp://10.0.0.1:21/"):
        assert bool(late.match(text)) == bool(now.match(text)), text
    assert paragraph._uri_split_pairs("https://example.org/a/b")


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
