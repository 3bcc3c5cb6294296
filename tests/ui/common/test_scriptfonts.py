"""Names in scripts the laptop has no font for are drawn, not shown as boxes (ui/common/scriptfonts.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QTextLayout
from PySide6.QtWidgets import QLabel

from coprod_desktop.domain.model import Participant, RoleGroup
from coprod_desktop.domain.sample import build_sample
from coprod_desktop.storage.sessionfile import SessionFile
from coprod_desktop.storage.templates import load_builtin_template, resource
from coprod_desktop.ui.common import scriptfonts
from coprod_desktop.ui.shell.mainwindow import MainWindow

DEVANAGARI = "अनीता शर्मा"
THAI = "สมชาย ใจดี"
CHINESE = "陈美玲"


_SIZES = iter(range(1000))


def boxes(text: str, font: QFont | None = None) -> int:
    """How many glyphs Qt would draw as the empty box (glyph 0) for `text` in `font`.

    At a size of its own each time: Qt 6.11 keeps a font's fallbacks from the first time it
    met a script (a test before this one may have laid the same script out before its font
    was added), so a fresh size asks the font database as it is now."""
    font = QFont(font or QFont())
    font.setPointSizeF(font.pointSizeF() + 0.001 * (1 + next(_SIZES)))
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return sum(list(run.glyphIndexes()).count(0) for run in layout.glyphRuns())


def test_the_fonts_are_chosen_by_the_scripts_in_the_text() -> None:
    assert scriptfonts.fonts_for(["Ngô Bảo Châu", "Ольга", "فاطمة", "שרה", "Siobhán"]) == []
    assert scriptfonts.fonts_for([CHINESE]) == ["WenQuanYiMicroHei.ttf"]
    assert scriptfonts.fonts_for(["김민준"]) == ["WenQuanYiMicroHei.ttf"]
    assert scriptfonts.fonts_for(["x", DEVANAGARI]) == [
        "NotoSansDevanagari-Regular.ttf",
        "NotoSansDevanagari-Bold.ttf",
    ]
    for _script, _chars, files in scriptfonts.SCRIPT_FONTS:
        for file in files:
            assert resource("fonts", file).is_file(), file  # every file named is shipped


def test_each_block_is_found_from_its_first_to_its_last_character() -> None:
    """The blocks' edges, and the characters just outside them, which no bundled font is for."""
    every = [block for _script, blocks, _files in scriptfonts.SCRIPT_FONTS for block in blocks]
    for script, blocks, files in scriptfonts.SCRIPT_FONTS:
        for first, last in blocks:
            for code in (first, (first + last) // 2, last):
                assert scriptfonts.fonts_for([f"a {chr(code)} b"]) == list(files), (script, hex(code))
            for code in (first - 1, last + 1):
                if not any(low <= code <= high for low, high in every):
                    assert scriptfonts.fonts_for([chr(code)]) == [], (script, hex(code))
    # Two scripts in one text: both, in the table's order.
    assert scriptfonts.fonts_for(["陈", "สม", "अ"]) == [
        *scriptfonts.SCRIPT_FONTS[0][2],
        *scriptfonts.SCRIPT_FONTS[4][2],
        *scriptfonts.SCRIPT_FONTS[5][2],
    ]


def test_a_chinese_name_is_drawn_once_its_font_is_added(qtbot) -> None:  # type: ignore[no-untyped-def]
    scriptfonts.ensure_fonts_for([CHINESE])
    assert scriptfonts.added_fonts()["WenQuanYiMicroHei.ttf"] >= 0
    assert boxes(CHINESE) == 0
    bold = QFont()
    bold.setBold(True)
    assert boxes(CHINESE, bold) == 0
    assert scriptfonts.ensure_fonts_for([CHINESE]) == []  # once only


def test_opening_a_session_and_typing_a_name_bring_their_scripts_fonts(  # type: ignore[no-untyped-def]
    window: MainWindow, qtbot, tmp_path: Path
) -> None:
    session = build_sample(load_builtin_template())
    session.put(Participant(id="p-devanagari", name=DEVANAGARI, role=RoleGroup.USES_SERVICES))
    path = tmp_path / "names.coprod"
    SessionFile.create(path, session).close()
    assert window.open_session(path)
    assert scriptfonts.added_fonts()["NotoSansDevanagari-Regular.ttf"] >= 0
    window.workshop.people_button.click()  # type: ignore[union-attr]
    shown = [label for label in window.findChildren(QLabel) if DEVANAGARI in label.text()]
    fonts = [label.font() for label in shown] or [QFont()]
    assert all(boxes(DEVANAGARI, font) == 0 for font in fonts)

    # A name that arrives during the workshop (from a phone, or the table): its script's font
    # is added by the edit, before any screen lays the name out.
    document = window.document
    assert document is not None
    document.put(Participant(id="p-thai", name=THAI, role=RoleGroup.COMMUNITY), "Add a person")
    assert THAI in [p.name for p in document.session.participants]
    assert scriptfonts.added_fonts()["NotoSansThai-Regular.ttf"] >= 0
    assert boxes(THAI) == 0


def test_every_script_font_follows_soon_after_a_session_opens(  # type: ignore[no-untyped-def]
    window: MainWindow, qtbot, sample_file: Path
) -> None:
    assert window.open_session(sample_file)  # an English workshop: none of them needed at once
    every = {file for _script, _chars, files in scriptfonts.SCRIPT_FONTS for file in files}
    qtbot.waitUntil(lambda: every <= set(scriptfonts.added_fonts()), timeout=5000)
    assert all(scriptfonts.added_fonts()[file] >= 0 for file in every)
    for text in (DEVANAGARI, THAI, CHINESE, "আমিনা", "ਗੁਰਪ੍ਰੀਤ", "ઝવેરચંદ", "ひろし", "김민준"):
        assert boxes(text) == 0, text  # a name typed now in any of them is drawn


def test_the_start_screen_asks_for_its_recent_titles_fonts_before_listing_them(  # type: ignore[no-untyped-def]
    window: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    from coprod_desktop.ui.shell import settings, startwidget

    asked: list[str] = []
    real = startwidget.ensure_fonts_for

    def recording(texts):  # type: ignore[no-untyped-def]
        asked.extend(texts)
        return real(asked)

    monkeypatch.setattr(startwidget, "ensure_fonts_for", recording)
    path = tmp_path / "ワークショップ" / "day.coprod"
    settings.remember_session(path, f"{CHINESE} and the library", "3 December")
    window.start.refresh()
    assert any(CHINESE in text and "ワークショップ" in text for text in asked)
    assert scriptfonts.added_fonts()["WenQuanYiMicroHei.ttf"] >= 0
    assert CHINESE in window.start.recent_list.item(0).text()
