"""Every script on paper: names and notes print shaped, in order, in a font that has them.

The text of the PDF is read back with poppler's pdftotext, as a participant copying
from the handout would get it. Poppler marks right-to-left runs with embedding
controls (U+202B ... U+202C) and we leave a zero-width left-to-right mark after each
such run; both are invisible formatting, so they are removed before comparing.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from coprod_desktop.domain.model import Note, replace
from coprod_desktop.report.fonts import PLACEHOLDER, face_for
from coprod_desktop.report.markup import bind_rtl
from coprod_desktop.report.pdf import ReportOptions, build_pdf
from coprod_desktop.report.shaping import levels, visual_order

from .helpers import sample

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is missing"
)

# script: (a participant's name, a note that mixes it with Latin words and digits)
SCRIPTS: dict[str, tuple[str, str]] = {
    "latin": ("Zażółć Gęślą Jaźń", "Nguyễn Thị Hương and Åsa Øberg met 3 times in 2026."),
    "greek": ("Νίκος Παπαδόπουλος", "Group 2: Νίκος Παπαδόπουλος read the rules aloud."),
    "cyrillic": ("Ольга Смирнова", "Step 5 was led by Ольга Смирнова with 14 people."),
    "arabic": ("محمد علي", "Room 12: محمد علي and Sara agreed on the next steps."),
    "urdu": ("عائشہ خان", "In week 3 عائشہ خان asked for more time."),
    "hebrew": ("שרה כהן", "Call 0161 496 0000 and ask שרה כהן about the venue."),
    "devanagari": ("प्रिया शर्मा", "Card 7: प्रिया शर्मा की राय, क्षमता और स्त्री समूह"),
    "bengali": ("সুমিত্রা দাস", "On 4 May সুমিত্রা দাস spoke about ক্ষমতা and trust."),
    "gurmukhi": ("ਹਰਪ੍ਰੀਤ ਸਿੰਘ", "ਹਰਪ੍ਰੀਤ ਸਿੰਘ will bring 20 chairs."),
    "gujarati": ("ક્રિષ્ના પટેલ", "Team 1 with ક્રિષ્ના પટેલ wrote the plan."),
    "thai": ("สมชาย ใจดี", "สมชาย ใจดี gave 3 ideas for the café."),
    "chinese": ("李明", "李明 and 王芳 voted 5 for 共同生产."),
    "japanese": ("田中さくら", "田中さくら wrote: ありがとう 2 times."),
    "korean": ("김민수", "김민수 said 감사합니다 at 10:30."),
}

CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def pdftotext(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFC", CONTROLS.sub("", out))


def squash(text: str) -> str:
    return " ".join(text.split())


def session_with(name: str, note: str):  # type: ignore[no-untyped-def]
    session = sample()
    first = session.participants[0]
    session.put(replace(first, name=name))
    session.put(Note(id="script", text=note, position=0))
    return session


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_names_and_notes_come_back_as_typed(tmp_path: Path, script: str) -> None:
    name, note = SCRIPTS[script]
    out = tmp_path / f"{script}.pdf"
    build_pdf(session_with(name, note), out, ReportOptions(paper="a4"))
    text = squash(pdftotext(out))
    assert squash(note) in text, (script, note)
    assert name in text, (script, name)


def used_codes(path: Path) -> dict[str, set[int]]:
    """For each embedded font: the codes the pages draw with it."""
    reader = PdfReader(path)
    found: dict[str, set[int]] = {}
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        names = {key: str(value.get_object()["/BaseFont"]) for key, value in fonts.items()}
        content = page.get_contents().get_data()  # type: ignore[union-attr]
        current = None
        for match in re.finditer(rb"/(F\d+\+\d+) [\d.]+ Tf|\((?:[^()\\]|\\.)*\)", content):
            if match.group(1):
                current = names.get("/" + match.group(1).decode())
                continue
            if current is None:
                continue
            raw = match.group(0)[1:-1]
            codes = re.sub(
                rb"\\([()\\])", rb"\1", re.sub(rb"\\(\d{3})", lambda m: bytes([int(m.group(1), 8)]), raw)
            )
            found.setdefault(current, set()).update(codes)
    return found


def test_every_glyph_drawn_exists_in_its_embedded_font(tmp_path: Path) -> None:
    session = sample()
    for index, (name, note) in enumerate(SCRIPTS.values()):
        person = session.participants[index % len(session.participants)]
        session.put(replace(person, name=name))
        session.put(Note(id=f"n{index}", text=note, position=index))
    out = tmp_path / "all.pdf"
    build_pdf(session, out, ReportOptions(paper="a4"))
    reader = PdfReader(out)
    fonts = {}
    for page in reader.pages:
        for value in page["/Resources"]["/Font"].values():
            font = value.get_object()
            fonts[str(font["/BaseFont"])] = font
    used = used_codes(out)
    expected = {"DejaVuSans", "NotoSansArabic", "NotoSansHebrew", "NotoSansDevanagari", "NotoSansBengali"}
    expected |= {"NotoSansGurmukhi", "NotoSansGujarati", "NotoSansThai", "WenQuanYiMicroHei"}
    embedded = {name.split("+")[-1].split("-")[0] for name in fonts if name.startswith("/AAAAA")}
    assert expected <= embedded, embedded
    checked = 0
    for base, font in fonts.items():
        if base not in used:
            continue
        assert base.startswith("/AAAAA"), f"{base} is not an embedded subset"
        data = font["/FontDescriptor"]["/FontFile2"].get_object().get_data()
        ttf = TTFont(io.BytesIO(data))
        order = ttf.getGlyphOrder()
        cmap: dict[int, str] = {}
        for table in ttf["cmap"].tables:  # reportlab's subsets map codes 0-255 in a byte table
            cmap.update(table.cmap)
        for code in used[base]:
            glyph = cmap.get(code, cmap.get(0xF000 + code))
            assert glyph is not None, (base, code)
            assert order.index(glyph) != 0, f"{base} draws code {code} as .notdef"
            checked += 1
    assert checked > 200


def test_an_emoji_prints_as_a_visible_placeholder_and_reads_back(tmp_path: Path) -> None:
    note = "A good day 🎉 for 12 people 👨\u200d👩\u200d👧"
    assert face_for("🎉")[1] == PLACEHOLDER
    out = tmp_path / "emoji.pdf"
    build_pdf(session_with("Ana 🌻", note), out, ReportOptions(paper="a4"))
    assert squash(note) in squash(pdftotext(out))


def test_right_to_left_phrases_stay_together_in_visual_order() -> None:
    bound = bind_rtl("Name: محمد علي and Sara")
    assert "محمد\u00a0علي" in bound
    assert bound.endswith(" and Sara")
    assert levels("ab אב") == [0, 0, 0, 1, 1]
    assert visual_order([0, 1, 1, 0]) == [0, 2, 1, 3]
    assert visual_order([1, 2, 1]) == [2, 1, 0]


def test_the_pdf_language_is_set(tmp_path: Path) -> None:
    out = tmp_path / "lang.pdf"
    build_pdf(sample(), out, ReportOptions(paper="a4", language="cy"))
    assert PdfReader(out).trailer["/Root"]["/Lang"] == "cy"


def test_a_long_note_in_a_complex_script_splits_across_pages_intact(tmp_path: Path) -> None:
    sentence = "प्रिया शर्मा की राय: क्षमता और स्त्री समूह 12।"
    note = " ".join([sentence] * 160)
    out = tmp_path / "long.pdf"
    result = build_pdf(session_with("प्रिया शर्मा", note), out, ReportOptions(paper="a4"))
    text = pdftotext(out)
    assert result.pages > 10
    assert "\ufffd" not in text
    assert text.count("क्षमता") == 160  # one word: never cut by a line or page break
